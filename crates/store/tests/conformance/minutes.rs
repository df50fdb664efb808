//! The acta's lifecycle as the store enforces it, annexes and convocation notices.

use abierto_domain::account::Role;
use abierto_domain::ids::{AgendaItemId, SessionId};
use abierto_domain::minutes::MinutesStatus;
use abierto_domain::sessions::{AgendaItemKind, Attendance, SessionKind, VoteOutcome, VoteResult};
use abierto_store::testing::fresh_store;
use abierto_store::{
    Actor, FrozenMinutes, NewAnnex, NewNotice, NoticeStatus, SheetEntry, Store, StoreError,
};
use chrono::Utc;

use crate::sessions::{body_with_member, day, item, session};
use crate::support::new_user;

/// An earlier session with a recorded attendance, and a later one whose item II approves it.
async fn two_sessions(
    store: &Store,
) -> (
    SessionId,
    SessionId,
    AgendaItemId,
    abierto_domain::ids::MembershipId,
) {
    two_sessions_with(store, &[item(AgendaItemKind::Closing, "Cierre")]).await
}

/// As [`two_sessions`], with the earlier session's agenda given.
async fn two_sessions_with(
    store: &Store,
    earlier_agenda: &[abierto_store::NewAgendaItem],
) -> (
    SessionId,
    SessionId,
    AgendaItemId,
    abierto_domain::ids::MembershipId,
) {
    let actor = Actor::system();
    let (body, seat) = body_with_member(store).await;
    let earlier = store
        .create_session(
            &actor,
            &session(body, SessionKind::Extraordinary, day(2024, 9, 13), None),
        )
        .await
        .expect("earlier");
    store
        .set_agenda(&actor, earlier, earlier_agenda)
        .await
        .expect("agenda");
    store
        .record_attendance(
            &actor,
            earlier,
            &[Attendance {
                membership: seat,
                written_name: None,
            }],
        )
        .await
        .expect("attendance");
    let later = store
        .create_session(
            &actor,
            &session(body, SessionKind::Ordinary, day(2024, 12, 13), None),
        )
        .await
        .expect("later");
    let mut approval = item(AgendaItemKind::MinutesApproval, "Aprobación del acta");
    approval.minutes_of = Some(earlier);
    let items = store
        .set_agenda(
            &actor,
            later,
            &[
                item(AgendaItemKind::AgendaApproval, "Orden"),
                approval,
                item(AgendaItemKind::Closing, "Cierre"),
            ],
        )
        .await
        .expect("agenda");
    (earlier, later, items[1], seat)
}

fn frozen(of: SessionId) -> FrozenMinutes {
    FrozenMinutes {
        of,
        blocks_json: r#"[{"type":"title","content":"ACTA"}]"#.into(),
        text_sha256: "ab".repeat(32),
    }
}

fn refusal(err: StoreError) -> &'static str {
    match err {
        StoreError::Refused(rule) => rule.code().as_str(),
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[tokio::test]
async fn a_passing_approval_freezes_the_acta_and_locks_its_record() {
    let (store, _db) = fresh_store().await.expect("store");
    let actor = Actor::system();
    let (earlier, _later, approving_item, seat) = two_sessions(&store).await;

    // A rejected vote approves nothing.
    store
        .record_vote(
            &actor,
            approving_item,
            VoteResult::reported(VoteOutcome::Rejected),
            None,
            Some(&frozen(earlier)),
        )
        .await
        .expect("rejected vote");
    assert!(store
        .minutes_versions(earlier)
        .await
        .expect("versions")
        .is_empty());

    store
        .record_vote(
            &actor,
            approving_item,
            VoteResult::reported(VoteOutcome::ApprovedUnanimously),
            None,
            Some(&frozen(earlier)),
        )
        .await
        .expect("approving vote");
    let versions = store.minutes_versions(earlier).await.expect("versions");
    assert_eq!(versions.len(), 1);
    assert_eq!(versions[0].status, MinutesStatus::Approved);
    assert_eq!(versions[0].approved_by, Some(approving_item));
    assert_eq!(versions[0].text_sha256, "ab".repeat(32));
    assert!(store
        .minutes_blocks(earlier, 1)
        .await
        .expect("blocks")
        .contains("ACTA"));

    // The approved session's record no longer changes, and what it held is kept.
    let before = store.session_record(earlier).await.expect("record");
    let err = store
        .set_agenda(
            &actor,
            earlier,
            &[item(AgendaItemKind::Closing, "Otro cierre")],
        )
        .await
        .expect_err("locked agenda");
    assert_eq!(refusal(err), "minutes_approved");
    let err = store
        .record_attendance(&actor, earlier, &[])
        .await
        .expect_err("locked attendance");
    assert_eq!(refusal(err), "minutes_approved");
    let err = store
        .record_times(&actor, earlier, Some("10:00"), None)
        .await
        .expect_err("locked times");
    assert_eq!(refusal(err), "minutes_approved");
    assert_eq!(store.session_record(earlier).await.expect("record"), before);

    // Approving it again is refused; the vote that tried is not kept either.
    let (_, later2, item2, _) = {
        let mut approval = item(AgendaItemKind::MinutesApproval, "Otra vez");
        approval.minutes_of = Some(earlier);
        let body = store.session(earlier).await.expect("session").body;
        let later2 = store
            .create_session(
                &actor,
                &session(body, SessionKind::Ordinary, day(2024, 12, 20), None),
            )
            .await
            .expect("later2");
        let items = store
            .set_agenda(
                &actor,
                later2,
                &[approval, item(AgendaItemKind::Closing, "Cierre")],
            )
            .await
            .expect("agenda");
        (earlier, later2, items[0], seat)
    };
    let err = store
        .record_vote(
            &actor,
            item2,
            VoteResult::reported(VoteOutcome::Approved),
            None,
            Some(&frozen(earlier)),
        )
        .await
        .expect_err("second approval");
    assert_eq!(refusal(err), "minutes_already_approved");
    assert!(store
        .session_record(later2)
        .await
        .expect("record")
        .votes
        .is_empty());
}

#[tokio::test]
async fn an_acta_announcing_an_annex_is_published_only_with_it() {
    for attached in [false, true] {
        let (store, _db) = fresh_store().await.expect("store");
        let actor = Actor::system();
        let mut report = item(AgendaItemKind::Report, "Informe de actividades");
        report.annex_note = "informe de actividades".into();
        let (earlier, _later, approving_item, seat) =
            two_sessions_with(&store, &[report, item(AgendaItemKind::Closing, "Cierre")]).await;
        if attached {
            let report_item = store.session_record(earlier).await.expect("record").agenda[0].id;
            store
                .add_annex(
                    &actor,
                    report_item,
                    &NewAnnex {
                        filename: "informe.pdf".into(),
                        content_type: "application/pdf".into(),
                        size_bytes: 8,
                        sha256: "cd".repeat(32),
                    },
                    Utc::now(),
                )
                .await
                .expect("annex");
        }
        let user = store
            .create_user(&actor, &new_user("integrante@example.mx", Role::Member))
            .await
            .expect("user");
        store
            .record_vote(
                &actor,
                approving_item,
                VoteResult::reported(VoteOutcome::Approved),
                None,
                Some(&frozen(earlier)),
            )
            .await
            .expect("approval");
        store
            .sign_minutes(&actor, earlier, seat, user, Utc::now())
            .await
            .expect("sign");

        let published = store.publish_minutes(&actor, earlier, Utc::now()).await;
        let status = store.minutes_versions(earlier).await.expect("versions")[0].status;
        if attached {
            published.expect("published with its annex");
            assert_eq!(status, MinutesStatus::Published);
        } else {
            assert_eq!(
                refusal(published.expect_err("annex missing")),
                "annex_missing"
            );
            assert_eq!(status, MinutesStatus::Signed, "nothing changed");
        }
    }
}

#[tokio::test]
async fn signing_publishing_and_correcting_follow_the_lifecycle() {
    let (store, _db) = fresh_store().await.expect("store");
    let actor = Actor::system();
    let (earlier, _later, approving_item, seat) = two_sessions(&store).await;
    let user = store
        .create_user(&actor, &new_user("integrante@example.mx", Role::Member))
        .await
        .expect("user");

    let err = store
        .sign_minutes(&actor, earlier, seat, user, Utc::now())
        .await
        .expect_err("draft");
    assert_eq!(refusal(err), "minutes_not_approved");
    let err = store
        .publish_minutes(&actor, earlier, Utc::now())
        .await
        .expect_err("draft");
    assert_eq!(refusal(err), "minutes_not_approved");

    store
        .record_vote(
            &actor,
            approving_item,
            VoteResult::reported(VoteOutcome::Approved),
            None,
            Some(&frozen(earlier)),
        )
        .await
        .expect("approval");
    let err = store
        .publish_minutes(&actor, earlier, Utc::now())
        .await
        .expect_err("unsigned");
    assert_eq!(refusal(err), "minutes_unsigned");

    store
        .sign_minutes(&actor, earlier, seat, user, Utc::now())
        .await
        .expect("sign");
    let err = store
        .sign_minutes(&actor, earlier, seat, user, Utc::now())
        .await
        .expect_err("twice");
    assert!(
        matches!(err, StoreError::Conflict { ref field } if field == "membership_id"),
        "{err:?}"
    );
    let signatures = store
        .minutes_signatures(earlier, 1)
        .await
        .expect("signatures");
    assert_eq!(signatures.len(), 1);
    assert_eq!(signatures[0].user, user);
    assert_eq!(signatures[0].text_sha256, "ab".repeat(32));

    store
        .publish_minutes(&actor, earlier, Utc::now())
        .await
        .expect("publish");
    let versions = store.minutes_versions(earlier).await.expect("versions");
    assert_eq!(versions[0].status, MinutesStatus::Published);
    assert!(versions[0].published_at.is_some());

    // A correction opens version 2 as a draft; version 1 stays published.
    assert_eq!(
        store
            .correct_minutes(&actor, earlier)
            .await
            .expect("correct"),
        2
    );
    let versions = store.minutes_versions(earlier).await.expect("versions");
    assert_eq!(
        versions.iter().map(|v| v.status).collect::<Vec<_>>(),
        vec![MinutesStatus::Published, MinutesStatus::Draft]
    );
    let err = store
        .correct_minutes(&actor, earlier)
        .await
        .expect_err("draft again");
    assert_eq!(refusal(err), "minutes_not_approved");
    store
        .record_times(&actor, earlier, Some("13:14"), Some("13:46"))
        .await
        .expect("the corrected record may change");
}

#[tokio::test]
async fn a_paper_signature_sheet_signs_an_approved_acta() {
    let (store, _db) = fresh_store().await.expect("store");
    let actor = Actor::system();
    let (earlier, _later, approving_item, seat) = two_sessions(&store).await;
    store
        .record_vote(
            &actor,
            approving_item,
            VoteResult::reported(VoteOutcome::Approved),
            None,
            Some(&frozen(earlier)),
        )
        .await
        .expect("approval");
    let sheet = vec![
        SheetEntry {
            name: "C. Alma Delia López Orozco".into(),
            membership: Some(seat),
        },
        SheetEntry {
            name: "Mtro. Carlos de Jesús Torres Barrientos".into(),
            membership: None,
        },
    ];
    store
        .set_signature_sheet(&actor, earlier, &sheet)
        .await
        .expect("sheet");
    assert_eq!(store.signature_sheet(earlier).await.expect("sheet"), sheet);
    assert_eq!(
        store.minutes_versions(earlier).await.expect("versions")[0].status,
        MinutesStatus::Signed
    );
}

#[tokio::test]
async fn annexes_are_kept_until_the_acta_is_approved() {
    let (store, _db) = fresh_store().await.expect("store");
    let actor = Actor::system();
    let (earlier, later, approving_item, _) = two_sessions(&store).await;
    let closing = store.session_record(earlier).await.expect("record").agenda[0].id;
    let annex = NewAnnex {
        filename: "propuesta.pdf".into(),
        content_type: "application/pdf".into(),
        size_bytes: 12,
        sha256: "cd".repeat(32),
    };
    let id = store
        .add_annex(&actor, closing, &annex, Utc::now())
        .await
        .expect("annex");
    let listed = store.session_annexes(earlier).await.expect("annexes");
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].filename, "propuesta.pdf");
    assert_eq!(store.annex(id).await.expect("annex").1, earlier);
    assert!(store
        .session_annexes(later)
        .await
        .expect("annexes")
        .is_empty());

    store
        .record_vote(
            &actor,
            approving_item,
            VoteResult::reported(VoteOutcome::Approved),
            None,
            Some(&frozen(earlier)),
        )
        .await
        .expect("approval");
    let err = store
        .add_annex(&actor, closing, &annex, Utc::now())
        .await
        .expect_err("locked");
    assert_eq!(refusal(err), "minutes_approved");
    assert_eq!(
        store.session_annexes(earlier).await.expect("annexes").len(),
        1
    );
    assert!(matches!(
        store.annex(abierto_domain::ids::AnnexId::new(9999)).await,
        Err(StoreError::NotFound)
    ));
}

#[tokio::test]
async fn notices_wait_in_the_outbox_until_sent() {
    let (store, _db) = fresh_store().await.expect("store");
    let actor = Actor::system();
    let (earlier, _, _, seat) = two_sessions(&store).await;
    let ids = store
        .queue_notices(
            &actor,
            earlier,
            &[NewNotice {
                membership: seat,
                recipient: Some("alma@example.mx".into()),
                subject: "Convocatoria".into(),
                body: "Se le convoca".into(),
            }],
            Utc::now(),
        )
        .await
        .expect("queue");
    let notices = store.notices(Some(earlier)).await.expect("notices");
    assert_eq!(notices.len(), 1);
    assert_eq!(notices[0].status, NoticeStatus::Outbox);
    assert_eq!(notices[0].recipient.as_deref(), Some("alma@example.mx"));
    store
        .mark_notice(
            &abierto_store::Actor::system(),
            ids[0],
            NoticeStatus::Sent,
            Utc::now(),
            "",
        )
        .await
        .expect("mark");
    let notices = store.notices(None).await.expect("notices");
    assert_eq!(notices[0].status, NoticeStatus::Sent);
    assert!(notices[0].sent_at.is_some());
    // The sending is in the log, as every write is.
    let logged = store.audit_entries(1).await.expect("log");
    assert_eq!(
        (logged[0].action.as_str(), logged[0].subject.clone()),
        ("notice.sent", format!("notice:{}", ids[0]))
    );
    assert!(matches!(
        store
            .mark_notice(
                &abierto_store::Actor::system(),
                abierto_domain::ids::NoticeId::new(999),
                NoticeStatus::Sent,
                Utc::now(),
                ""
            )
            .await,
        Err(StoreError::NotFound)
    ));
}
