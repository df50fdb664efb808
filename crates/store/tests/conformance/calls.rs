//! Calls and submissions: publication only after an approving vote, folios unique and
//! gapless under concurrency, a repeated post landing once, the close settled once (void
//! when nobody answered, with its results proposed for the next session), evaluation, the
//! Banco de Acciones, and personal data read with a trace and erased on request.

use abierto_domain::calls::{CallKind, CallState, SubmissionStatus, Window};
use abierto_domain::ids::{AgendaItemId, BodyId, CallId};
use abierto_domain::sessions::{AgendaItemKind, SessionKind, VoteOutcome, VoteResult};
use abierto_store::testing::fresh_store;
use abierto_store::{Actor, NewCall, NewEvidence, NewSubmission, Proponent, Store, StoreError};
use chrono::{DateTime, Duration, TimeZone, Utc};

use crate::sessions::{body_with_member, day, item, session};

pub(crate) fn refused(err: StoreError) -> &'static str {
    match err {
        StoreError::Refused(e) => e.code().as_str(),
        other => panic!("expected a refusal, got {other:?}"),
    }
}

pub(crate) fn instant(y: i32, m: u32, d: u32, h: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, h, 0, 0).unwrap()
}

const TITLE: &str = "Convocatoria para la presentación de ideas para la integración al Banco de Acciones de Gobierno Abierto";

fn ideas_call(body: BodyId) -> NewCall {
    NewCall {
        kind: CallKind::Ideas,
        title: TITLE.into(),
        text: "Se convoca a la ciudadanía…".into(),
        requirements: "Ser habitante de León".into(),
        body,
        window: Window::new(instant(2024, 8, 19, 6), instant(2024, 9, 7, 6)).unwrap(),
        eligibility: None,
    }
}

/// A body with a session whose agenda has an item for each outcome: (approved, rejected, unvoted).
pub(crate) async fn votes(
    store: &Store,
    body: BodyId,
) -> (AgendaItemId, AgendaItemId, AgendaItemId) {
    let actor = Actor::system();
    let id = store
        .create_session(
            &actor,
            &session(body, SessionKind::Extraordinary, day(2024, 8, 15), None),
        )
        .await
        .unwrap();
    let items = store
        .set_agenda(
            &actor,
            id,
            &[
                item(AgendaItemKind::Proposal, "Aprobación de la Convocatoria"),
                item(AgendaItemKind::Proposal, "Otra convocatoria"),
                item(AgendaItemKind::Proposal, "Sin votar"),
                item(AgendaItemKind::Closing, "Cierre"),
            ],
        )
        .await
        .unwrap();
    let vote = |outcome| VoteResult::reported(outcome);
    store
        .record_vote(
            &actor,
            items[0],
            vote(VoteOutcome::ApprovedUnanimously),
            None,
            None,
        )
        .await
        .unwrap();
    store
        .record_vote(&actor, items[1], vote(VoteOutcome::Rejected), None, None)
        .await
        .unwrap();
    (items[0], items[1], items[2])
}

async fn published_call(store: &Store) -> (CallId, BodyId) {
    let actor = Actor::system();
    let (body, _) = body_with_member(store).await;
    let (approved, _, _) = votes(store, body).await;
    let call = store
        .create_call(&actor, &ideas_call(body), instant(2024, 8, 16, 12))
        .await
        .unwrap();
    store
        .publish_call(&actor, call, approved, instant(2024, 8, 16, 12))
        .await
        .unwrap();
    (call, body)
}

pub(crate) fn submission(call: CallId, token: &str) -> NewSubmission {
    NewSubmission {
        call,
        title: "Bebederos en los parques".into(),
        problem: "No hay agua potable en los parques de la colonia.".into(),
        proposal: "Instalar bebederos en tres parques.".into(),
        area: "Servicios públicos".into(),
        proponent: Proponent {
            full_name: "Ana Ruiz Téllez".into(),
            email: "ana@example.org".into(),
            phone: "477 000 0000".into(),
            neighbourhood: "San Juan de Abajo".into(),
            born_on: None,
            consented_at: instant(2024, 8, 20, 10),
        },
        token_hash: format!("hash-{token}"),
        idempotency_hash: Some(format!("key-{token}")),
        request_hash: "bebederos".into(),
        files: Vec::new(),
    }
}

#[tokio::test]
async fn a_call_is_published_only_on_an_approving_vote_of_its_body() {
    let (store, _db) = fresh_store().await.unwrap();
    let actor = Actor::system();
    let (body, _) = body_with_member(&store).await;
    let (approved, rejected, unvoted) = votes(&store, body).await;
    let at = instant(2024, 8, 16, 12);
    let call = store
        .create_call(&actor, &ideas_call(body), at)
        .await
        .unwrap();
    for (item, code) in [
        (rejected, "call_without_approving_vote"),
        (unvoted, "call_without_approving_vote"),
        (AgendaItemId::new(9_999), "call_without_approving_vote"),
    ] {
        let err = store
            .publish_call(&actor, call, item, at)
            .await
            .unwrap_err();
        assert_eq!(refused(err), code);
    }
    let err = store
        .publish_call(&actor, call, approved, instant(2024, 9, 8, 0))
        .await
        .unwrap_err();
    assert_eq!(refused(err), "call_closes_in_the_past");
    assert_eq!(store.call(call).await.unwrap().state, CallState::Draft);
    assert!(
        store.calls(false).await.unwrap().is_empty(),
        "a draft is not public"
    );

    store
        .publish_call(&actor, call, approved, at)
        .await
        .unwrap();
    let stored = store.call(call).await.unwrap();
    assert_eq!(stored.state, CallState::Published);
    assert_eq!(stored.approved_by, Some(approved));
    let err = store
        .edit_call(&actor, call, &ideas_call(body))
        .await
        .unwrap_err();
    assert_eq!(refused(err), "call_already_published");
    assert_eq!(store.calls(false).await.unwrap().len(), 1);
}

#[tokio::test]
async fn submissions_are_received_while_open_and_a_repeated_post_lands_once() {
    let (store, _db) = fresh_store().await.unwrap();
    let actor = Actor::anonymous(Some("203.0.113.9".into()));
    let (call, _) = published_call(&store).await;
    let window = store.call(call).await.unwrap().window;

    let early = store
        .submit(
            &actor,
            &submission(call, "a"),
            window.opens_at - Duration::seconds(1),
        )
        .await
        .unwrap_err();
    assert_eq!(refused(early), "call_not_open_yet");
    let first = store
        .submit(&actor, &submission(call, "a"), window.opens_at)
        .await
        .unwrap();
    assert_eq!(first.folio, "BAGA-2024-0001");
    assert!(!first.repeated);
    let again = store
        .submit(
            &actor,
            &submission(call, "a"),
            window.opens_at + Duration::seconds(2),
        )
        .await
        .unwrap();
    assert_eq!(again.folio, first.folio);
    assert!(again.repeated);
    // The same key with other content is refused, and the stored record stays as it was.
    let mut altered = submission(call, "a");
    altered.request_hash = "otra idea".into();
    altered.token_hash = "hash-ajeno".into();
    let reused = store
        .submit(&actor, &altered, window.opens_at + Duration::seconds(3))
        .await
        .unwrap_err();
    assert_eq!(refused(reused), "submission_token_reused");
    assert!(store
        .submission_by_folio(&first.folio)
        .await
        .unwrap()
        .is_some_and(|(_, hash)| hash == "hash-a"));
    // A true repeat renews the secret: the receipt the proponent sees last is the one that works.
    let mut renewed = submission(call, "a");
    renewed.token_hash = "hash-renovada".into();
    let repeated = store
        .submit(&actor, &renewed, window.opens_at + Duration::seconds(4))
        .await
        .unwrap();
    assert_eq!(
        (repeated.folio.as_str(), repeated.repeated),
        (first.folio.as_str(), true)
    );
    let (_, hash) = store
        .submission_by_folio(&first.folio)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(hash, "hash-renovada");
    let late = store
        .submit(&actor, &submission(call, "b"), window.closes_at)
        .await
        .unwrap_err();
    assert_eq!(refused(late), "call_closed");
    assert_eq!(store.submissions_of(call).await.unwrap().len(), 1);
    let (found, hash) = store
        .submission_by_folio("BAGA-2024-0001")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(found.id, first.id);
    assert_eq!(hash, "hash-renovada");
}

#[tokio::test]
async fn a_thousand_concurrent_submissions_get_unique_gapless_folios() {
    let (store, _db) = fresh_store().await.unwrap();
    let (call, _) = published_call(&store).await;
    let at = instant(2024, 8, 25, 12);
    let mut tasks = Vec::new();
    for n in 0..1000 {
        let store = store.clone();
        tasks.push(tokio::spawn(async move {
            store
                .submit(&Actor::system(), &submission(call, &n.to_string()), at)
                .await
        }));
    }
    let mut folios = Vec::new();
    for task in tasks {
        folios.push(task.await.unwrap().unwrap().folio);
    }
    folios.sort();
    folios.dedup();
    assert_eq!(folios.len(), 1000, "every submission has its own folio");
    let numbers: Vec<i64> = store
        .submissions_of(call)
        .await
        .unwrap()
        .iter()
        .map(|s| s.number)
        .collect();
    assert_eq!(numbers, (1..=1000).collect::<Vec<i64>>(), "no gaps");
    assert_eq!(folios.last().unwrap(), "BAGA-2024-1000");
}

#[tokio::test]
async fn a_call_closing_with_no_submission_is_void_once_and_proposes_its_results() {
    let (store, _db) = fresh_store().await.unwrap();
    let (call, body) = published_call(&store).await;
    let closes = store.call(call).await.unwrap().window.closes_at;
    assert!(store
        .close_due_calls(closes - Duration::seconds(1))
        .await
        .unwrap()
        .is_empty());
    // Two processes settle it at once: one of them does.
    let (a, b) = tokio::join!(store.close_due_calls(closes), store.close_due_calls(closes));
    let settled: Vec<_> = a.unwrap().into_iter().chain(b.unwrap()).collect();
    assert_eq!(settled, vec![(call, CallState::Void)]);
    assert_eq!(store.call(call).await.unwrap().state, CallState::Void);
    let proposals = store.pending_agenda_proposals(body).await.unwrap();
    assert_eq!(proposals.len(), 1);
    assert_eq!(proposals[0].title, format!("Resultados de la {TITLE}"));
    assert!(proposals[0].narrative.contains("se declara desierta"));
    assert!(proposals[0]
        .narrative
        .starts_with("los resultados de la Convocatoria"));

    // The next session takes it up: a results item before the closing one.
    let actor = Actor::system();
    let next = store
        .create_session(
            &actor,
            &session(body, SessionKind::Ordinary, day(2024, 10, 3), None),
        )
        .await
        .unwrap();
    store
        .set_agenda(
            &actor,
            next,
            &[
                item(AgendaItemKind::AttendanceQuorum, "Lista de asistencia"),
                item(AgendaItemKind::Closing, "Cierre"),
            ],
        )
        .await
        .unwrap();
    let other = store
        .create_body(
            &actor,
            &abierto_store::NewBody {
                name: "Comité de Selección".into(),
                short_name: "Comité".into(),
                kind: abierto_domain::governance::BodyKind::SelectionCommittee,
                period: abierto_domain::governance::Period::new(day(2024, 1, 1), day(2024, 12, 31))
                    .unwrap(),
            },
        )
        .await
        .unwrap();
    let elsewhere = store
        .create_session(
            &actor,
            &session(other, SessionKind::Ordinary, day(2024, 10, 3), None),
        )
        .await
        .unwrap();
    let err = store
        .add_proposal_to_agenda(&actor, proposals[0].id, elsewhere)
        .await
        .unwrap_err();
    assert_eq!(refused(err), "proposal_of_other_body");
    store
        .add_proposal_to_agenda(&actor, proposals[0].id, next)
        .await
        .unwrap();
    let agenda = store.session_record(next).await.unwrap().agenda;
    let kinds: Vec<_> = agenda.iter().map(|i| (i.position, i.kind)).collect();
    assert_eq!(
        kinds,
        vec![
            (1, AgendaItemKind::AttendanceQuorum),
            (2, AgendaItemKind::Results),
            (3, AgendaItemKind::Closing)
        ]
    );
    assert_eq!(agenda[1].narrative, proposals[0].narrative);
    assert!(store
        .pending_agenda_proposals(body)
        .await
        .unwrap()
        .is_empty());
    assert!(matches!(
        store
            .add_proposal_to_agenda(&actor, proposals[0].id, next)
            .await,
        Err(StoreError::NotFound)
    ));
}

#[tokio::test]
async fn an_answered_call_is_evaluated_then_resolved_into_the_action_bank() {
    let (store, _db) = fresh_store().await.unwrap();
    let actor = Actor::system();
    let (call, body) = published_call(&store).await;
    let at = instant(2024, 8, 25, 12);
    let kept = store
        .submit(&actor, &submission(call, "a"), at)
        .await
        .unwrap();
    let dropped = store
        .submit(&actor, &submission(call, "b"), at)
        .await
        .unwrap();
    let closes = store.call(call).await.unwrap().window.closes_at;
    let settled = store.close_due_calls(closes).await.unwrap();
    assert_eq!(settled, vec![(call, CallState::UnderEvaluation)]);
    assert!(store
        .pending_agenda_proposals(body)
        .await
        .unwrap()
        .is_empty());

    let err = store
        .resolve_call(&actor, call, "", closes)
        .await
        .unwrap_err();
    assert_eq!(refused(err), "submissions_pending_evaluation");
    let err = store
        .evaluate_submission(&actor, kept.id, SubmissionStatus::Accepted, " ", closes)
        .await
        .unwrap_err();
    assert_eq!(refused(err), "reasons_required");
    store
        .evaluate_submission(&actor, kept.id, SubmissionStatus::UnderReview, "", closes)
        .await
        .unwrap();
    store
        .evaluate_submission(
            &actor,
            kept.id,
            SubmissionStatus::Accepted,
            "Viable",
            closes,
        )
        .await
        .unwrap();
    store
        .evaluate_submission(
            &actor,
            dropped.id,
            SubmissionStatus::Rejected,
            "Fuera del ámbito municipal",
            closes,
        )
        .await
        .unwrap();
    let err = store
        .evaluate_submission(&actor, dropped.id, SubmissionStatus::Accepted, "x", closes)
        .await
        .unwrap_err();
    assert_eq!(refused(err), "evaluation_step_not_allowed");
    store
        .add_submission_note(&actor, kept.id, "Consultar con Obra Pública", closes)
        .await
        .unwrap();
    assert_eq!(store.submission_notes(kept.id).await.unwrap().len(), 1);

    store
        .resolve_call(&actor, call, "Se aceptó una idea.", closes)
        .await
        .unwrap();
    assert_eq!(store.call(call).await.unwrap().state, CallState::Resolved);
    let bank = store.action_bank().await.unwrap();
    assert_eq!(bank.len(), 1);
    assert_eq!(bank[0].submission.folio, kept.folio);
    assert_eq!(bank[0].submission.reasons, "Viable");
    assert_eq!(bank[0].call_title, TITLE);
}

#[tokio::test]
async fn personal_data_is_read_with_a_trace_and_erased_while_the_idea_stays() {
    let (store, _db) = fresh_store().await.unwrap();
    let (call, _) = published_call(&store).await;
    let attachment = |sha256: &str| NewEvidence {
        filename: "croquis.pdf".into(),
        content_type: "application/pdf".into(),
        size_bytes: 10,
        sha256: sha256.into(),
    };
    let mut with_files = submission(call, "a");
    with_files.files = vec![attachment("only-here"), attachment("shared")];
    let receipt = store
        .submit(&Actor::system(), &with_files, instant(2024, 8, 25, 12))
        .await
        .unwrap();
    let mut other = submission(call, "b");
    other.files = vec![attachment("shared")];
    store
        .submit(&Actor::system(), &other, instant(2024, 8, 25, 13))
        .await
        .unwrap();
    assert_eq!(store.submission(receipt.id).await.unwrap().files.len(), 2);
    let staff = Actor::system();
    let read = store
        .read_proponent(&staff, receipt.id, "evaluación")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(read.email, "ana@example.org");
    let trail = store.audit_entries(50).await.unwrap();
    assert!(
        trail
            .iter()
            .any(|e| e.action == "proponent.read" && e.detail == "evaluación"),
        "every read leaves a trace"
    );
    assert!(
        trail.iter().all(|e| !e.detail.contains("ana@example.org")),
        "the log does not copy personal data"
    );

    let orphaned = store
        .erase_proponent(&staff, receipt.id, instant(2024, 9, 1, 9))
        .await
        .unwrap();
    assert_eq!(
        orphaned,
        vec!["only-here".to_owned()],
        "a content another submission still keeps stays on disk"
    );
    assert_eq!(
        store
            .read_proponent(&staff, receipt.id, "arco")
            .await
            .unwrap(),
        None
    );
    let idea = store.submission(receipt.id).await.unwrap();
    assert_eq!(idea.title, "Bebederos en los parques");
    assert!(idea.erased_at.is_some());
    assert!(
        idea.files.is_empty(),
        "attachments go with the personal data"
    );
    let err = store
        .erase_proponent(&staff, receipt.id, instant(2024, 9, 1, 9))
        .await
        .unwrap_err();
    assert_eq!(refused(err), "personal_data_already_erased");
}
