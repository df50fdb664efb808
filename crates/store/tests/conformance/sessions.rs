use abierto_domain::governance::{BodyKind, Gender, MembershipKind, Period, Tenure};
use abierto_domain::ids::{BodyId, MembershipId, SessionId};
use abierto_domain::sessions::{
    AgendaItemKind, Attendance, MotionOutcome, SessionKind, VoteCount, VoteOutcome, VoteResult,
};
use abierto_store::testing::fresh_store;
use abierto_store::{
    Actor, NewAgendaItem, NewBody, NewMembership, NewMotion, NewPerson, NewSession, Store,
    StoreError,
};
use chrono::NaiveDate;

pub fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("date")
}

pub async fn body_with_member(store: &Store) -> (BodyId, MembershipId) {
    let actor = Actor::system();
    let body = store
        .create_body(
            &actor,
            &NewBody {
                name: "Secretariado 2022-2024".into(),
                short_name: "STMGA".into(),
                kind: BodyKind::Secretariat,
                period: Period::new(day(2022, 1, 1), day(2024, 12, 31)).expect("period"),
            },
        )
        .await
        .expect("body");
    let person = store
        .create_person(
            &actor,
            &NewPerson {
                honorific: "C.".into(),
                full_name: "Alma Delia López Orozco".into(),
                gender: Gender::Feminine,
            },
        )
        .await
        .expect("person");
    let seat = store
        .create_membership(
            &actor,
            &NewMembership {
                body,
                person,
                kind: MembershipKind::Citizen,
                cargo: String::new(),
                special_role: None,
                substitute_for: None,
                tenure: Tenure::new(day(2022, 1, 1), None).expect("tenure"),
                grounds: String::new(),
                has_vote: true,
            },
        )
        .await
        .expect("seat");
    (body, seat)
}

pub fn session(
    body: BodyId,
    kind: SessionKind,
    held_on: NaiveDate,
    number: Option<i64>,
) -> NewSession {
    NewSession {
        body,
        kind,
        number,
        held_on,
        scheduled_time: "13:00".into(),
        place: "Sala de juntas de Contraloría Municipal".into(),
        legal_basis: "artículos 7 párrafo segundo y 8 párrafo quinto".into(),
        name: String::new(),
    }
}

pub fn item(kind: AgendaItemKind, title: &str) -> NewAgendaItem {
    NewAgendaItem {
        kind,
        title: title.into(),
        presenter: None,
        narrative: String::new(),
        annex_note: String::new(),
        minutes_of: None,
    }
}

#[tokio::test]
async fn sessions_are_numbered_per_body_kind_and_year() {
    let (store, _db) = fresh_store().await.expect("store");
    let (body, _) = body_with_member(&store).await;
    let actor = Actor::system();
    let first = store
        .create_session(
            &actor,
            &session(body, SessionKind::Extraordinary, day(2024, 3, 1), None),
        )
        .await
        .expect("1");
    let second = store
        .create_session(
            &actor,
            &session(body, SessionKind::Extraordinary, day(2024, 8, 15), None),
        )
        .await
        .expect("2");
    let ordinary = store
        .create_session(
            &actor,
            &session(body, SessionKind::Ordinary, day(2024, 6, 21), None),
        )
        .await
        .expect("o");
    let next_year = store
        .create_session(
            &actor,
            &session(body, SessionKind::Extraordinary, day(2025, 1, 9), None),
        )
        .await
        .expect("n");
    assert_eq!(store.session(first).await.expect("s").number, 1);
    assert_eq!(
        store.session(second).await.expect("s").title_es(),
        "2ª Sesión Extraordinaria"
    );
    assert_eq!(store.session(ordinary).await.expect("s").number, 1);
    assert_eq!(store.session(next_year).await.expect("s").number, 1);
    let listed: Vec<SessionId> = store
        .sessions(Some(body))
        .await
        .expect("list")
        .into_iter()
        .map(|s| s.id)
        .collect();
    assert_eq!(
        listed,
        vec![next_year, second, ordinary, first],
        "newest first"
    );
    assert!(store
        .sessions(Some(BodyId::new(999)))
        .await
        .expect("list")
        .is_empty());
}

#[tokio::test]
async fn a_colliding_number_is_a_conflict_on_number_and_changes_nothing() {
    let (store, _db) = fresh_store().await.expect("store");
    let (body, _) = body_with_member(&store).await;
    let actor = Actor::system();
    store
        .create_session(
            &actor,
            &session(body, SessionKind::Ordinary, day(2024, 6, 21), Some(2)),
        )
        .await
        .expect("2ª");
    let clash = store
        .create_session(
            &actor,
            &session(body, SessionKind::Ordinary, day(2024, 12, 13), Some(2)),
        )
        .await;
    match clash {
        Err(StoreError::Conflict { field }) => assert_eq!(field, "number"),
        other => panic!("expected a conflict on number, got {other:?}"),
    }
    assert_eq!(store.sessions(None).await.expect("list").len(), 1);
    let next = store
        .create_session(
            &actor,
            &session(body, SessionKind::Ordinary, day(2024, 12, 13), None),
        )
        .await
        .expect("3ª");
    assert_eq!(store.session(next).await.expect("s").number, 3);
}

#[tokio::test]
async fn the_record_of_a_session_round_trips() {
    let (store, _db) = fresh_store().await.expect("store");
    let (body, seat) = body_with_member(&store).await;
    let actor = Actor::system();
    let earlier = store
        .create_session(
            &actor,
            &session(body, SessionKind::Ordinary, day(2024, 6, 21), None),
        )
        .await
        .expect("earlier");
    let id = store
        .create_session(
            &actor,
            &session(body, SessionKind::Extraordinary, day(2024, 9, 13), None),
        )
        .await
        .expect("session");
    let mut approval = item(AgendaItemKind::MinutesApproval, "Aprobación del acta");
    approval.minutes_of = Some(earlier);
    approval.presenter = Some(seat);
    let items = store
        .set_agenda(
            &actor,
            id,
            &[
                item(AgendaItemKind::AttendanceQuorum, "Lista de asistencia"),
                approval,
                item(AgendaItemKind::Report, "Informe"),
                item(AgendaItemKind::Closing, "Cierre"),
            ],
        )
        .await
        .expect("agenda");
    store
        .record_attendance(
            &actor,
            id,
            &[Attendance {
                membership: seat,
                written_name: Some("Alma López".into()),
            }],
        )
        .await
        .expect("attendance");
    store
        .record_times(&actor, id, Some("13:14"), Some("13:46"))
        .await
        .expect("times");
    store
        .record_vote(
            &actor,
            items[1],
            VoteResult::counted(VoteCount::new(1, 0, 0).expect("count")),
            Some(seat),
            None,
        )
        .await
        .expect("vote");
    store
        .record_vote(
            &actor,
            items[1],
            VoteResult::counted(VoteCount::new(1, 1, 0).expect("count")),
            Some(seat),
            None,
        )
        .await
        .expect("corrected vote");
    store
        .record_motion(
            &actor,
            items[2],
            &NewMotion {
                proposer: Some(seat),
                text: "Mesa de trabajo".into(),
                outcome: MotionOutcome::Accepted,
            },
        )
        .await
        .expect("motion");

    let record = store.session_record(id).await.expect("record");
    assert_eq!(record.session.started_at.as_deref(), Some("13:14"));
    assert_eq!(
        record.agenda.iter().map(|i| i.position).collect::<Vec<_>>(),
        vec![1, 2, 3, 4]
    );
    assert_eq!(record.agenda[1].minutes_of, Some(earlier));
    assert_eq!(
        record.attendance,
        vec![Attendance {
            membership: seat,
            written_name: Some("Alma López".into())
        }]
    );
    assert_eq!(
        record.votes.len(),
        1,
        "a second vote on an item replaces the first"
    );
    assert_eq!(record.votes[0].result.outcome, VoteOutcome::Rejected);
    assert_eq!(record.motions[0].text, "Mesa de trabajo");

    let approvals = store.minutes_approvals(earlier).await.expect("approvals");
    assert_eq!(approvals.len(), 1);
    assert_eq!(approvals[0].0.id, id);
    assert_eq!(approvals[0].1.kind, AgendaItemKind::MinutesApproval);
    assert_eq!(
        approvals[0]
            .2
            .as_ref()
            .and_then(|v| v.result.count)
            .map(|c| c.against),
        Some(1)
    );

    // Historical minutes give only the result: stored without counts.
    store
        .record_vote(
            &actor,
            items[1],
            VoteResult::reported(VoteOutcome::ApprovedUnanimously),
            None,
            None,
        )
        .await
        .expect("reported vote");
    let record = store.session_record(id).await.expect("record");
    assert_eq!(
        record.votes[0].result,
        VoteResult::reported(VoteOutcome::ApprovedUnanimously)
    );
    assert!(store.minutes_approvals(id).await.expect("none").is_empty());

    // Replacing the agenda renumbers it and drops what hung from the old items.
    store
        .set_agenda(&actor, id, &[item(AgendaItemKind::Closing, "Cierre")])
        .await
        .expect("agenda");
    let record = store.session_record(id).await.expect("record");
    assert_eq!(record.agenda.len(), 1);
    assert!(record.votes.is_empty() && record.motions.is_empty());
}

#[tokio::test]
async fn writes_about_missing_sessions_are_refused() {
    let (store, _db) = fresh_store().await.expect("store");
    let actor = Actor::system();
    assert!(matches!(
        store.session(SessionId::new(5)).await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        store
            .record_times(&actor, SessionId::new(5), Some("13:00"), None)
            .await,
        Err(StoreError::NotFound)
    ));
    let orphan = store
        .set_agenda(
            &actor,
            SessionId::new(5),
            &[item(AgendaItemKind::Closing, "Cierre")],
        )
        .await;
    assert!(
        matches!(orphan, Err(StoreError::MissingReference)),
        "{orphan:?}"
    );
    let missing_body = store
        .create_session(
            &actor,
            &session(
                BodyId::new(77),
                SessionKind::Ordinary,
                day(2024, 1, 1),
                None,
            ),
        )
        .await;
    assert!(
        matches!(missing_body, Err(StoreError::MissingReference)),
        "{missing_body:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_convocations_get_distinct_consecutive_numbers() {
    let (store, _db) = fresh_store().await.expect("store");
    let (body, _) = body_with_member(&store).await;
    let tasks: Vec<_> = (0..12)
        .map(|i| {
            let store = store.clone();
            tokio::spawn(async move {
                store
                    .create_session(
                        &Actor::system(),
                        &session(body, SessionKind::Ordinary, day(2024, 1, 1 + i), None),
                    )
                    .await
            })
        })
        .collect();
    for task in tasks {
        task.await
            .expect("join")
            .expect("every convocation succeeds");
    }
    let mut numbers: Vec<i64> = store
        .sessions(Some(body))
        .await
        .expect("list")
        .into_iter()
        .map(|s| s.number)
        .collect();
    numbers.sort_unstable();
    assert_eq!(numbers, (1..=12).collect::<Vec<_>>());
}

#[tokio::test]
async fn ballots_are_kept_with_the_vote_and_replaced_with_it() {
    use abierto_domain::conduct::{Ballot, BallotChoice};
    let (store, _db) = fresh_store().await.expect("store");
    let actor = Actor::system();
    let (body, seat) = body_with_member(&store).await;
    let id = store
        .create_session(
            &actor,
            &session(body, SessionKind::Ordinary, day(2024, 6, 21), None),
        )
        .await
        .expect("session");
    let items = store
        .set_agenda(
            &actor,
            id,
            &[
                item(AgendaItemKind::Proposal, "Propuesta"),
                item(AgendaItemKind::Closing, "Cierre"),
            ],
        )
        .await
        .expect("agenda");
    let ballots = [Ballot {
        membership: seat,
        choice: BallotChoice::Against,
    }];
    store
        .record_vote_by_person(
            &actor,
            items[0],
            VoteResult::counted(VoteCount::new(0, 1, 0).expect("count")),
            None,
            None,
            &ballots,
        )
        .await
        .expect("vote by person");
    let record = store.session_record(id).await.expect("record");
    assert_eq!(record.ballots, vec![(items[0], ballots[0])]);
    store
        .record_vote(
            &actor,
            items[0],
            VoteResult::counted(VoteCount::new(1, 0, 0).expect("count")),
            None,
            None,
        )
        .await
        .expect("counted vote");
    assert!(store
        .session_record(id)
        .await
        .expect("record")
        .ballots
        .is_empty());
}
