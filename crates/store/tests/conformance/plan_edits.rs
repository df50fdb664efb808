//! Plans, commitments and goals created and edited one at a time: keys are never reused, an
//! edit keeps the key, the approving session is one of the plan's body, the period keeps every
//! planned month, and weights change together.

use abierto_domain::governance::{BodyKind, Period};
use abierto_domain::ids::{CommitmentId, GoalId, PlanId};
use abierto_domain::indicators::{IndicatorKind, IndicatorSpec};
use abierto_domain::plan::YearMonth;
use abierto_domain::sessions::SessionKind;
use abierto_store::testing::fresh_store;
use abierto_store::{
    Actor, CommitmentEdit, NewBody, NewCommitment, NewGoal, NewPlan, ScheduleEntry, Store,
    StoreError,
};

use crate::sessions::{body_with_member, day, session};

fn refused(err: StoreError) -> &'static str {
    match err {
        StoreError::Refused(e) => e.code().as_str(),
        other => panic!("expected a refusal, got {other:?}"),
    }
}

fn new_plan(body: abierto_domain::ids::BodyId, key: Option<&str>) -> NewPlan {
    NewPlan {
        external_id: key.map(str::to_owned),
        title: "Plan de Acción Municipal de Gobierno Abierto 2023-2024".into(),
        body,
        period: Period::new(day(2023, 7, 1), day(2024, 12, 31)).unwrap(),
        approved_in: None,
    }
}

fn new_commitment(plan: PlanId, key: &str, weight: Option<f64>) -> NewCommitment {
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
async fn a_new_plan_needs_a_key_no_other_plan_has() {
    let (store, _db) = fresh_store().await.unwrap();
    let actor = Actor::system();
    let (body, _) = body_with_member(&store).await;
    let id = store
        .create_plan(&actor, &new_plan(body, Some("pamga-2023")))
        .await
        .unwrap();
    let mut other = new_plan(body, Some("pamga-2023"));
    other.title = "Otro plan".into();
    let err = store.create_plan(&actor, &other).await.unwrap_err();
    assert_eq!(refused(err), "key_taken");
    let err = store
        .create_plan(&actor, &new_plan(body, Some("  ")))
        .await
        .unwrap_err();
    assert_eq!(refused(err), "key_required");
    let plans = store.plans().await.unwrap();
    assert_eq!(plans.len(), 1, "nothing but the first plan was stored");
    assert_eq!(plans[0].id, id);
    assert_eq!(plans[0].title, new_plan(body, None).title);
}

#[tokio::test]
async fn an_edit_changes_the_plan_keeps_its_key_and_takes_a_session_of_its_body_only() {
    let (store, _db) = fresh_store().await.unwrap();
    let actor = Actor::system();
    let (body, _) = body_with_member(&store).await;
    let approving = store
        .create_session(
            &actor,
            &session(body, SessionKind::Ordinary, day(2023, 6, 21), None),
        )
        .await
        .unwrap();
    let elsewhere = store
        .create_body(
            &actor,
            &NewBody {
                name: "Cabildo Abierto Juvenil".into(),
                short_name: "CAJ".into(),
                kind: BodyKind::YouthCouncil,
                period: Period::new(day(2025, 1, 1), day(2027, 12, 31)).unwrap(),
            },
        )
        .await
        .unwrap();
    let foreign = store
        .create_session(
            &actor,
            &session(elsewhere, SessionKind::Ordinary, day(2025, 3, 1), None),
        )
        .await
        .unwrap();
    let id = store
        .create_plan(&actor, &new_plan(body, Some("pamga-2023")))
        .await
        .unwrap();

    let mut changes = new_plan(body, Some("ignored"));
    changes.title = "PAMGA 2023-2024".into();
    changes.period = Period::new(day(2023, 8, 1), day(2024, 11, 30)).unwrap();
    changes.approved_in = Some(approving);
    store.edit_plan(&actor, id, &changes).await.unwrap();
    let stored = store.plan(id).await.unwrap();
    assert_eq!(stored.title, "PAMGA 2023-2024");
    assert_eq!(stored.period, changes.period);
    assert_eq!(stored.approved_in, Some(approving));
    assert_eq!(stored.external_id.as_deref(), Some("pamga-2023"));

    let mut wrong = changes.clone();
    wrong.approved_in = Some(foreign);
    let err = store.edit_plan(&actor, id, &wrong).await.unwrap_err();
    assert_eq!(refused(err), "session_of_other_body");
    assert_eq!(store.plan(id).await.unwrap().approved_in, Some(approving));

    let missing = store.edit_plan(&actor, PlanId::new(9_999), &changes).await;
    assert!(matches!(missing, Err(StoreError::NotFound)), "{missing:?}");
}

#[tokio::test]
async fn a_period_cannot_leave_out_a_planned_month() {
    let (store, _db) = fresh_store().await.unwrap();
    let actor = Actor::system();
    let (body, _) = body_with_member(&store).await;
    let plan = store
        .create_plan(&actor, &new_plan(body, Some("pamga-2023")))
        .await
        .unwrap();
    let c = store
        .create_commitment(&actor, &new_commitment(plan, "MBH", None), &[])
        .await
        .unwrap();
    store
        .set_schedule_entry(
            &actor,
            &ScheduleEntry {
                commitment: c,
                month: YearMonth::new(2024, 9).unwrap(),
                text: "1 estrategia de difusión".into(),
                planned: Vec::new(),
            },
        )
        .await
        .unwrap();
    let mut shorter = new_plan(body, None);
    shorter.period = Period::new(day(2023, 7, 1), day(2024, 8, 31)).unwrap();
    let err = store.edit_plan(&actor, plan, &shorter).await.unwrap_err();
    assert_eq!(refused(err), "period_leaves_out_months");
    shorter.period = Period::new(day(2024, 10, 1), day(2024, 12, 31)).unwrap();
    let err = store.edit_plan(&actor, plan, &shorter).await.unwrap_err();
    assert_eq!(refused(err), "period_leaves_out_months");
    assert_eq!(
        store.plan(plan).await.unwrap().period,
        new_plan(body, None).period,
        "the stored period stays"
    );
    // Still holding September, the period may shrink.
    shorter.period = Period::new(day(2024, 9, 15), day(2024, 9, 30)).unwrap();
    store.edit_plan(&actor, plan, &shorter).await.unwrap();
}

async fn weighted_plan(store: &Store) -> (PlanId, CommitmentId, CommitmentId) {
    let actor = Actor::system();
    let (body, _) = body_with_member(store).await;
    let plan = store
        .create_plan(&actor, &new_plan(body, Some("pamga-2023")))
        .await
        .unwrap();
    let a = store
        .create_commitment(&actor, &new_commitment(plan, "A", Some(1.0)), &[])
        .await
        .unwrap();
    let b = store
        .create_commitment(
            &actor,
            &new_commitment(plan, "B", Some(0.4)),
            &[(a, Some(0.6))],
        )
        .await
        .unwrap();
    (plan, a, b)
}

fn weights(commitments: &[abierto_store::Commitment]) -> Vec<Option<f64>> {
    commitments.iter().map(|c| c.weight).collect()
}

#[tokio::test]
async fn a_weighted_plan_takes_a_new_commitment_with_the_others_reweighed_together() {
    let (store, _db) = fresh_store().await.unwrap();
    let actor = Actor::system();
    let (plan, a, _) = weighted_plan(&store).await;
    assert_eq!(
        weights(&store.commitments(plan).await.unwrap()),
        vec![Some(0.6), Some(0.4)]
    );

    let err = store
        .create_commitment(&actor, &new_commitment(plan, "C", None), &[])
        .await
        .unwrap_err();
    assert_eq!(refused(err), "weights_incomplete");
    let err = store
        .create_commitment(&actor, &new_commitment(plan, "C", Some(0.2)), &[])
        .await
        .unwrap_err();
    assert_eq!(refused(err), "weights_must_sum_to_one");
    let err = store
        .create_commitment(&actor, &new_commitment(plan, "A", Some(0.0)), &[])
        .await
        .unwrap_err();
    assert_eq!(refused(err), "key_taken");
    assert_eq!(
        weights(&store.commitments(plan).await.unwrap()),
        vec![Some(0.6), Some(0.4)],
        "the refusals stored nothing"
    );

    store
        .create_commitment(
            &actor,
            &new_commitment(plan, "C", Some(0.2)),
            &[(a, Some(0.4))],
        )
        .await
        .unwrap();
    assert_eq!(
        weights(&store.commitments(plan).await.unwrap()),
        vec![Some(0.4), Some(0.4), Some(0.2)]
    );
}

#[tokio::test]
async fn weights_are_set_together_or_cleared_together() {
    let (store, _db) = fresh_store().await.unwrap();
    let actor = Actor::system();
    let (plan, a, b) = weighted_plan(&store).await;
    let err = store
        .set_weights(&actor, plan, &[(a, Some(0.5))])
        .await
        .unwrap_err();
    assert_eq!(refused(err), "weights_must_sum_to_one");
    let err = store
        .set_weights(&actor, plan, &[(a, Some(1.5)), (b, Some(-0.5))])
        .await
        .unwrap_err();
    assert_eq!(refused(err), "invalid_weight");
    store
        .set_weights(&actor, plan, &[(a, Some(0.5)), (b, Some(0.5))])
        .await
        .unwrap();
    assert_eq!(
        weights(&store.commitments(plan).await.unwrap()),
        vec![Some(0.5), Some(0.5)]
    );
    store
        .set_weights(&actor, plan, &[(a, None), (b, None)])
        .await
        .unwrap();
    assert_eq!(
        weights(&store.commitments(plan).await.unwrap()),
        vec![None, None],
        "no weights: the plan's progress is the mean"
    );

    // A commitment of another plan is not this plan's to weigh.
    let body = store.plan(plan).await.unwrap().body;
    let other = store
        .create_plan(&actor, &new_plan(body, Some("pamga-2025")))
        .await
        .unwrap();
    let foreign = store
        .create_commitment(&actor, &new_commitment(other, "X", None), &[])
        .await
        .unwrap();
    let err = store
        .set_weights(&actor, plan, &[(a, Some(1.0)), (foreign, Some(0.0))])
        .await
        .unwrap_err();
    assert_eq!(refused(err), "unknown_commitment");
    assert_eq!(store.commitment(foreign).await.unwrap().weight, None);
    assert_eq!(store.commitment(a).await.unwrap().weight, None);
}

#[tokio::test]
async fn an_edited_commitment_keeps_its_plan_key_and_weight() {
    let (store, _db) = fresh_store().await.unwrap();
    let actor = Actor::system();
    let (plan, a, _) = weighted_plan(&store).await;
    let unit = store
        .create_unit(&actor, "Dirección de Desarrollo Social")
        .await
        .unwrap();
    store
        .edit_commitment(
            &actor,
            a,
            &CommitmentEdit {
                title: " Mi Barrio Habla ".into(),
                description: "Intervenciones en colonias".into(),
                unit: Some(unit),
            },
        )
        .await
        .unwrap();
    let stored = store.commitment(a).await.unwrap();
    assert_eq!(stored.title, "Mi Barrio Habla");
    assert_eq!(stored.description, "Intervenciones en colonias");
    assert_eq!(stored.unit, Some(unit));
    assert_eq!(stored.plan, plan);
    assert_eq!(stored.weight, Some(0.6));
    assert_eq!(stored.external_id.as_deref(), Some("A"));
}

fn new_goal(commitment: CommitmentId, key: &str) -> NewGoal {
    NewGoal {
        external_id: Some(key.into()),
        commitment,
        statement: "Instalar el Comité de Selección".into(),
        indicator: "Acta de instalación".into(),
        spec: IndicatorSpec::new(IndicatorKind::Milestone, None, None, 100.0).unwrap(),
        measured: Period::new(day(2025, 1, 1), day(2027, 12, 31)).unwrap(),
        window_start: None,
        due_on: day(2026, 2, 28),
    }
}

#[tokio::test]
async fn a_goal_is_added_with_a_free_key_and_edited_keeping_key_and_commitment() {
    let (store, _db) = fresh_store().await.unwrap();
    let actor = Actor::system();
    let (_, a, b) = weighted_plan(&store).await;
    let id = store
        .create_goal(&actor, &new_goal(a, "caj-comite"))
        .await
        .unwrap();
    let err = store
        .create_goal(&actor, &new_goal(b, "caj-comite"))
        .await
        .unwrap_err();
    assert_eq!(refused(err), "key_taken");

    let mut changes = new_goal(b, "otra");
    changes.statement = "Instalar el Comité de Selección del Cabildo Abierto Juvenil".into();
    changes.window_start = Some(day(2026, 3, 1));
    let err = store.edit_goal(&actor, id, &changes).await.unwrap_err();
    assert_eq!(refused(err), "due_before_window");
    changes.window_start = Some(day(2026, 1, 15));
    store.edit_goal(&actor, id, &changes).await.unwrap();
    let stored = store.goal(id).await.unwrap();
    assert_eq!(stored.statement, changes.statement);
    assert_eq!(stored.window_start, Some(day(2026, 1, 15)));
    assert_eq!(stored.external_id.as_deref(), Some("caj-comite"));
    assert_eq!(stored.commitment, a, "an edit does not move the goal");
    let missing = store.edit_goal(&actor, GoalId::new(9_999), &changes).await;
    assert!(matches!(missing, Err(StoreError::NotFound)), "{missing:?}");
}
