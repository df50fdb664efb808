//! The action plan: commitments and goals saved by external id, weights, the monthly
//! schedule and reports, the programs' records and the indicators read from them.

use abierto_domain::governance::Period;
use abierto_domain::ids::{CommitmentId, PlanId};
use abierto_domain::indicators::{GoalStatus, IndicatorKind, IndicatorSpec, Measure};
use abierto_domain::plan::YearMonth;
use abierto_domain::programs::{AgreementStatus, WorkStage};
use abierto_store::testing::fresh_store;
use abierto_store::{
    Actor, DoneLine, GoalReading, ImportBatch, NewAgreement, NewCommitment, NewEvidence, NewGoal,
    NewPlan, Quantity, ReportState, Saved, ScheduleEntry, Span, StageChangeRow, Store, StoreError,
};
use chrono::Utc;

use crate::sessions::{body_with_member, day};

fn refused(err: StoreError) -> &'static str {
    match err {
        StoreError::Refused(e) => e.code().as_str(),
        other => panic!("expected a refusal, got {other:?}"),
    }
}

async fn plan(store: &Store) -> PlanId {
    let (body, _) = body_with_member(store).await;
    store
        .save_plan(
            &Actor::system(),
            &NewPlan {
                external_id: Some("PAMGA-2023".into()),
                title: "Plan de Acción Municipal de Gobierno Abierto 2023-2024".into(),
                body,
                period: Period::new(day(2023, 7, 1), day(2024, 12, 31)).unwrap(),
                approved_in: None,
            },
        )
        .await
        .unwrap()
        .id()
}

fn commitment(plan: PlanId, key: &str, weight: Option<f64>) -> NewCommitment {
    NewCommitment {
        external_id: Some(key.into()),
        plan,
        title: format!("Compromiso {key}"),
        description: String::new(),
        unit: None,
        weight,
    }
}

#[tokio::test]
async fn saving_by_external_id_updates_instead_of_duplicating() {
    let (store, _db) = fresh_store().await.unwrap();
    let actor = Actor::system();
    let plan = plan(&store).await;
    let first = store
        .save_commitment(&actor, &commitment(plan, "MBH", None))
        .await
        .unwrap();
    assert!(matches!(first, Saved::Created(_)));
    let mut changed = commitment(plan, "MBH", None);
    changed.title = "Mi Barrio Habla".into();
    let again = store.save_commitment(&actor, &changed).await.unwrap();
    assert_eq!(again, Saved::Updated(first.id()));
    let all = store.commitments(plan).await.unwrap();
    assert_eq!(all.len(), 1);
    assert_eq!(all[0].title, "Mi Barrio Habla");
}

#[tokio::test]
async fn weights_must_sum_to_one_and_a_refusal_keeps_what_was_stored() {
    let (store, _db) = fresh_store().await.unwrap();
    let actor = Actor::system();
    let plan = plan(&store).await;
    store
        .save_commitment(&actor, &commitment(plan, "A", Some(1.0)))
        .await
        .unwrap();
    let err = store
        .save_commitment(&actor, &commitment(plan, "B", Some(0.5)))
        .await
        .unwrap_err();
    assert_eq!(refused(err), "weights_must_sum_to_one");
    let err = store
        .save_commitment(&actor, &commitment(plan, "B", None))
        .await
        .unwrap_err();
    assert_eq!(refused(err), "weights_incomplete");
    let all = store.commitments(plan).await.unwrap();
    assert_eq!(all.len(), 1);
    assert_eq!(all[0].weight, Some(1.0));
}

async fn one_commitment(store: &Store) -> CommitmentId {
    let plan = plan(store).await;
    store
        .save_commitment(&Actor::system(), &commitment(plan, "MBH", None))
        .await
        .unwrap()
        .id()
}

#[tokio::test]
async fn reports_stay_draft_until_published_and_the_published_one_stays_online() {
    let (store, _db) = fresh_store().await.unwrap();
    let actor = Actor::system();
    let c = one_commitment(&store).await;
    let plan = store.commitment(c).await.unwrap().plan;
    let july = YearMonth::parse("2024-07").unwrap();
    store
        .set_schedule_entry(
            &actor,
            &ScheduleEntry {
                commitment: c,
                month: july,
                text: "1 estrategia de difusión".into(),
                planned: vec![Quantity {
                    measure: "intervenciones".into(),
                    quantity: 3,
                }],
            },
        )
        .await
        .unwrap();
    assert_eq!(store.schedule(c).await.unwrap()[0].planned[0].quantity, 3);

    let line = |quantity| DoneLine {
        measure: "intervenciones".into(),
        quantity,
        dates: vec![day(2024, 7, 13), day(2024, 7, 27)],
        note: String::new(),
        source: Some(Measure::Events),
    };
    let now = Utc::now();
    store
        .save_report_draft(&actor, c, july, "", &[line(2)], now)
        .await
        .unwrap();
    assert!(store
        .monthly_reports(plan, ReportState::Published)
        .await
        .unwrap()
        .is_empty());
    store.publish_report(&actor, c, july, now).await.unwrap();
    let published = store
        .monthly_reports(plan, ReportState::Published)
        .await
        .unwrap();
    assert_eq!(published[0].lines, vec![line(2)]);

    // A new draft does not touch what the public reads until it is published.
    store
        .save_report_draft(&actor, c, july, "", &[line(3)], now)
        .await
        .unwrap();
    let published = store
        .monthly_reports(plan, ReportState::Published)
        .await
        .unwrap();
    assert_eq!(published[0].lines[0].quantity, 2);
    store.publish_report(&actor, c, july, now).await.unwrap();
    let published = store
        .monthly_reports(plan, ReportState::Published)
        .await
        .unwrap();
    assert_eq!(published.len(), 1);
    assert_eq!(published[0].lines[0].quantity, 3);
    let err = store
        .publish_report(&actor, c, july, now)
        .await
        .unwrap_err();
    assert_eq!(refused(err), "no_draft_to_publish");

    // Outside the plan's period, and negative quantities, are refused.
    let err = store
        .save_report_draft(
            &actor,
            c,
            YearMonth::parse("2025-01").unwrap(),
            "",
            &[],
            now,
        )
        .await
        .unwrap_err();
    assert_eq!(refused(err), "month_outside_plan");
    let err = store
        .save_report_draft(&actor, c, july, "", &[line(-1)], now)
        .await
        .unwrap_err();
    assert_eq!(refused(err), "quantity_negative");
    let published = store
        .monthly_reports(plan, ReportState::Published)
        .await
        .unwrap();
    assert_eq!(published[0].lines[0].quantity, 3);
}

#[tokio::test]
async fn evidence_is_public_once_its_report_is_published_and_a_draft_can_drop_it() {
    let (store, _db) = fresh_store().await.unwrap();
    let actor = Actor::system();
    let c = one_commitment(&store).await;
    let plan = store.commitment(c).await.unwrap().plan;
    let july = YearMonth::parse("2024-07").unwrap();
    let now = Utc::now();
    let photo_file = NewEvidence {
        filename: "obra.jpg".into(),
        content_type: "image/jpeg".into(),
        size_bytes: 3,
        sha256: "ab".repeat(32),
    };
    // Outside the plan's period nothing is kept, not even the file's record.
    let err = store
        .add_report_evidence(
            &actor,
            c,
            YearMonth::parse("2030-01").unwrap(),
            &photo_file,
            "",
            now,
        )
        .await
        .unwrap_err();
    assert_eq!(refused(err), "month_outside_plan");
    let photo = store
        .add_report_evidence(&actor, c, july, &photo_file, "Entrega de obra", now)
        .await
        .unwrap();
    assert_eq!(photo.get(), 1, "the refused upload left no evidence row");
    let kept = store.evidence(photo).await.unwrap();
    assert!(!kept.public, "a draft's evidence is not public");
    assert_eq!(kept.draft_of, Some(c));

    store.publish_report(&actor, c, july, now).await.unwrap();
    let kept = store.evidence(photo).await.unwrap();
    assert!(kept.public);
    assert_eq!(kept.draft_of, None);

    // A new draft starts with the published evidence; dropping it there leaves it online.
    store
        .save_report_draft(&actor, c, july, "corrección", &[], now)
        .await
        .unwrap();
    let drafts = store
        .monthly_reports(plan, ReportState::Draft)
        .await
        .unwrap();
    assert_eq!(drafts[0].evidence[0].description, "Entrega de obra");
    store
        .detach_report_evidence(&actor, c, july, photo)
        .await
        .unwrap();
    let drafts = store
        .monthly_reports(plan, ReportState::Draft)
        .await
        .unwrap();
    assert!(drafts[0].evidence.is_empty());
    let published = store
        .monthly_reports(plan, ReportState::Published)
        .await
        .unwrap();
    assert_eq!(published[0].evidence[0].evidence, photo);
    assert!(store.evidence(photo).await.unwrap().public);
    assert!(matches!(
        store.detach_report_evidence(&actor, c, july, photo).await,
        Err(StoreError::NotFound)
    ));
}

#[tokio::test]
async fn works_are_counted_by_stage_on_any_day_from_their_history() {
    let (store, _db) = fresh_store().await.unwrap();
    let actor = Actor::system();
    let a = store
        .add_work(
            &actor,
            Some("PP-1"),
            "Parque",
            "Valle de Señora",
            &[(WorkStage::Winner, day(2024, 1, 10))],
        )
        .await
        .unwrap();
    store
        .add_work(
            &actor,
            Some("PP-2"),
            "Cancha",
            "Granjeno",
            &[(WorkStage::ExecutiveProject, day(2024, 2, 1))],
        )
        .await
        .unwrap();
    store
        .change_work_stage(&actor, a, WorkStage::Contracted, day(2024, 7, 15), "")
        .await
        .unwrap();
    let err = store
        .change_work_stage(&actor, a, WorkStage::Winner, day(2024, 8, 1), "")
        .await
        .unwrap_err();
    assert_eq!(refused(err), "stage_backwards_without_reason");
    let err = store
        .change_work_stage(&actor, a, WorkStage::Delivered, day(2024, 7, 1), "")
        .await
        .unwrap_err();
    assert_eq!(refused(err), "stage_change_before_last");
    store
        .change_work_stage(
            &actor,
            a,
            WorkStage::BudgetIntegration,
            day(2024, 8, 1),
            "Licitación desierta",
        )
        .await
        .unwrap();

    assert_eq!(
        store
            .works_in_stage(WorkStage::Winner, day(2024, 7, 14))
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        store
            .works_in_stage(WorkStage::Contracted, day(2024, 7, 31))
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        store
            .works_in_stage(WorkStage::Contracted, day(2024, 8, 1))
            .await
            .unwrap(),
        0
    );
    assert_eq!(
        store
            .works_in_stage(WorkStage::ExecutiveProject, day(2024, 1, 31))
            .await
            .unwrap(),
        0
    );
    let works = store.works().await.unwrap();
    assert_eq!(works[0].history.len(), 3);
    assert_eq!(works[0].history[2].2, "Licitación desierta");
}

#[tokio::test]
async fn a_ratio_goal_reads_the_agreements_of_its_year() {
    let (store, _db) = fresh_store().await.unwrap();
    let actor = Actor::system();
    let c = one_commitment(&store).await;
    let event = store
        .add_event(&actor, None, day(2025, 3, 8), "San Juan de Dios")
        .await
        .unwrap();
    for (n, concluded) in [
        (1, Some(day(2025, 5, 1))),
        (2, Some(day(2025, 11, 30))),
        (3, None),
        (4, Some(day(2026, 1, 15))),
    ] {
        store
            .save_agreement(
                &actor,
                &NewAgreement {
                    external_id: Some(format!("A-{n}")),
                    event: Some(event),
                    description: format!("Acuerdo {n}"),
                    unit: None,
                    status: if concluded.is_some() {
                        AgreementStatus::Concluded
                    } else {
                        AgreementStatus::Open
                    },
                    created_on: day(2025, 3, 8),
                    concluded_on: concluded,
                },
            )
            .await
            .unwrap();
    }
    // Made in the year before: not counted in 2025.
    store
        .save_agreement(
            &actor,
            &NewAgreement {
                external_id: None,
                event: None,
                description: "Acuerdo de 2024".into(),
                unit: None,
                status: AgreementStatus::Open,
                created_on: day(2024, 12, 1),
                concluded_on: None,
            },
        )
        .await
        .unwrap();
    let err = store
        .save_agreement(
            &actor,
            &NewAgreement {
                external_id: Some("A-1".into()),
                event: None,
                description: "x".into(),
                unit: None,
                status: AgreementStatus::Concluded,
                created_on: day(2025, 3, 8),
                concluded_on: Some(day(2025, 3, 1)),
            },
        )
        .await
        .unwrap_err();
    assert_eq!(refused(err), "concluded_before_created");

    let saved = store
        .save_goal(
            &actor,
            &NewGoal {
                external_id: Some("MBH-1".into()),
                commitment: c,
                statement: "Contar con al menos el 80% de acuerdos atendidos".into(),
                indicator: "% de acuerdos generados atendidos en el año.".into(),
                spec: IndicatorSpec::new(
                    IndicatorKind::RecordRatio,
                    Some(Measure::AgreementsConcluded),
                    Some(Measure::Agreements),
                    80.0,
                )
                .unwrap(),
                measured: Period::new(day(2024, 1, 1), day(2024, 12, 31)).unwrap(),
                window_start: None,
                due_on: day(2024, 12, 31),
            },
        )
        .await
        .unwrap();
    // Re-saved with the fiscal year 2025: the same goal, updated.
    let mut goal = store.goal(saved.id()).await.unwrap();
    assert_eq!(goal.measured.start, day(2024, 1, 1));
    let again = store
        .save_goal(
            &actor,
            &NewGoal {
                external_id: Some("MBH-1".into()),
                commitment: c,
                statement: goal.statement.clone(),
                indicator: goal.indicator.clone(),
                spec: goal.spec,
                measured: Period::new(day(2025, 1, 1), day(2025, 12, 31)).unwrap(),
                window_start: None,
                due_on: day(2025, 12, 31),
            },
        )
        .await
        .unwrap();
    assert_eq!(again, Saved::Updated(saved.id()));
    goal = store.goal(saved.id()).await.unwrap();

    let end = store.read_goal(&goal, day(2025, 12, 31)).await.unwrap();
    assert_eq!((end.numerator, end.denominator), (2.0, Some(4.0)));
    assert_eq!(end.value, Some(50.0));
    let later = store.read_goal(&goal, day(2026, 3, 27)).await.unwrap();
    assert_eq!((later.numerator, later.denominator), (3.0, Some(4.0)));
    let before = store.read_goal(&goal, day(2025, 4, 30)).await.unwrap();
    assert_eq!((before.numerator, before.denominator), (0.0, Some(4.0)));
    let span = Span {
        from: day(2025, 1, 1),
        to: day(2025, 12, 31),
    };
    let events = store.events(span).await.unwrap();
    assert_eq!((events[0].agreements, events[0].concluded), (4, 3));
    assert_eq!(store.agreements(span).await.unwrap().len(), 4);
}

#[tokio::test]
async fn milestones_are_met_by_a_dated_reading_with_its_note() {
    let (store, _db) = fresh_store().await.unwrap();
    let actor = Actor::system();
    let c = one_commitment(&store).await;
    let goal = store
        .save_goal(
            &actor,
            &NewGoal {
                external_id: None,
                commitment: c,
                statement: "Realizar un acto de abanderamiento".into(),
                indicator: "Documento que acredita".into(),
                spec: IndicatorSpec::new(IndicatorKind::Milestone, None, None, 100.0).unwrap(),
                measured: Period::new(day(2024, 1, 1), day(2024, 12, 31)).unwrap(),
                window_start: Some(day(2024, 3, 1)),
                due_on: day(2024, 3, 31),
            },
        )
        .await
        .unwrap()
        .id();
    let reading = GoalReading {
        goal,
        read_on: day(2024, 3, 12),
        value: 100.0,
        note: String::new(),
        evidence: None,
    };
    let err = store
        .add_goal_reading(&actor, &reading, Utc::now())
        .await
        .unwrap_err();
    assert_eq!(refused(err), "evidence_note_required");
    store
        .add_goal_reading(
            &actor,
            &GoalReading {
                note: "Sesión de Abanderamiento realizada el 12 de marzo de 2024.".into(),
                ..reading
            },
            Utc::now(),
        )
        .await
        .unwrap();
    let goal = store.goal(goal).await.unwrap();
    let before = store.read_goal(&goal, day(2024, 3, 11)).await.unwrap();
    assert_eq!(before.progress_percent(), 0.0);
    let after = store.read_goal(&goal, day(2024, 3, 12)).await.unwrap();
    assert_eq!(after.progress_percent(), 100.0);
    let window = abierto_domain::indicators::GoalWindow::new(day(2024, 3, 1), goal.due_on).unwrap();
    assert_eq!(
        abierto_domain::indicators::goal_status(
            after.progress_percent(),
            &window,
            day(2024, 3, 12)
        ),
        GoalStatus::Met
    );
}

#[tokio::test]
async fn an_import_batch_is_written_whole_or_not_at_all_and_names_the_refused_row() {
    let (store, _db) = fresh_store().await.unwrap();
    let actor = Actor::system();
    let plan = plan(&store).await;
    let weighted = ImportBatch::Commitments(vec![
        commitment(plan, "PP", Some(0.5)),
        commitment(plan, "MBH", Some(0.3)),
    ]);
    let failure = store.import_batch(&actor, &weighted).await.unwrap_err();
    assert_eq!(failure.index, 1);
    assert_eq!(refused(failure.error), "weights_must_sum_to_one");
    assert!(store.commitments(plan).await.unwrap().is_empty());

    let balanced = ImportBatch::Commitments(vec![
        commitment(plan, "PP", Some(0.5)),
        commitment(plan, "MBH", Some(0.5)),
    ]);
    let outcome = store.import_batch(&actor, &balanced).await.unwrap();
    assert_eq!((outcome.created, outcome.updated), (2, 0));
    let outcome = store.import_batch(&actor, &balanced).await.unwrap();
    assert_eq!((outcome.created, outcome.updated), (0, 2));
    assert_eq!(store.commitments(plan).await.unwrap().len(), 2);

    let change = |work: &str, name: Option<&str>, stage, on| StageChangeRow {
        work: work.into(),
        name: name.map(Into::into),
        neighbourhood: String::new(),
        stage,
        on,
        reason: String::new(),
    };
    let stages = ImportBatch::StageChanges(vec![
        change("PP-1", Some("Cancha"), WorkStage::Winner, day(2024, 1, 20)),
        change("PP-1", None, WorkStage::Contracted, day(2024, 6, 14)),
        change("PP-2", None, WorkStage::Winner, day(2024, 1, 20)),
    ]);
    let failure = store.import_batch(&actor, &stages).await.unwrap_err();
    assert_eq!(failure.index, 2);
    assert_eq!(refused(failure.error), "unknown_work");
    assert!(
        store.works().await.unwrap().is_empty(),
        "the new work was rolled back"
    );
}

#[tokio::test]
async fn a_weight_can_be_set_after_commitments_were_saved_without_one() {
    // Regression: on PostgreSQL a statement first run with no weight refused a weight later.
    let (store, _db) = fresh_store().await.unwrap();
    let actor = Actor::system();
    let plan = plan(&store).await;
    for round in 0..4 {
        // Saved twice without a weight: an insert, then an update with no weight.
        for _ in 0..2 {
            store
                .save_commitment(&actor, &commitment(plan, "PP", None))
                .await
                .unwrap();
        }
        let saved = store
            .import_batch(
                &actor,
                &ImportBatch::Commitments(vec![commitment(plan, "PP", Some(1.0))]),
            )
            .await;
        assert!(saved.is_ok(), "round {round}: {saved:?}");
    }
    assert_eq!(store.commitments(plan).await.unwrap()[0].weight, Some(1.0));
}
