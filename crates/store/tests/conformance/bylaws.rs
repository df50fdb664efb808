//! Bylaws: adopted articles, and amendments decided by the vote on their agenda item.

use abierto_domain::bylaws::{AmendmentStatus, ArticleChange};
use abierto_domain::sessions::{AgendaItemKind, SessionKind, VoteOutcome, VoteResult};
use abierto_store::testing::fresh_store;
use abierto_store::{Actor, NewAmendment, StoreError};

use crate::sessions::{body_with_member, day, item, session};

#[tokio::test]
async fn an_amendment_takes_effect_the_day_after_the_vote_that_approves_it() {
    let (store, _db) = fresh_store().await.expect("store");
    let actor = Actor::system();
    let (body, _) = body_with_member(&store).await;
    store
        .adopt_article(
            &actor,
            body,
            25,
            "fracción IX del artículo 18",
            day(2022, 1, 1),
        )
        .await
        .expect("adopt");
    let err = store
        .adopt_article(&actor, body, 25, "otra", day(2022, 1, 1))
        .await
        .expect_err("same article, same day");
    assert!(
        matches!(err, StoreError::Conflict { ref field } if field == "in_force_from"),
        "{err:?}"
    );

    let id = store
        .create_session(
            &actor,
            &session(body, SessionKind::Extraordinary, day(2024, 9, 13), None),
        )
        .await
        .expect("session");
    let items = store
        .set_agenda(
            &actor,
            id,
            &[
                item(AgendaItemKind::Proposal, "Modificación"),
                item(AgendaItemKind::Proposal, "Otra"),
                item(AgendaItemKind::Closing, "Cierre"),
            ],
        )
        .await
        .expect("agenda");
    let change = |text: &str| ArticleChange {
        article: 25,
        text: text.into(),
    };
    let approved = store
        .propose_amendment(
            &actor,
            &NewAmendment {
                body,
                title: "Modificación a los artículos 4 y 25".into(),
                item: Some(items[0]),
                changes: vec![change("fracción IX del artículo 17")],
            },
        )
        .await
        .expect("propose");
    let err = store
        .propose_amendment(
            &actor,
            &NewAmendment {
                body,
                title: "Otra".into(),
                item: Some(items[0]),
                changes: vec![],
            },
        )
        .await
        .expect_err("one amendment per item");
    assert!(
        matches!(err, StoreError::Conflict { ref field } if field == "agenda_item_id"),
        "{err:?}"
    );
    let rejected = store
        .propose_amendment(
            &actor,
            &NewAmendment {
                body,
                title: "Otra".into(),
                item: Some(items[1]),
                changes: vec![change("rechazada")],
            },
        )
        .await
        .expect("propose");

    store
        .record_vote(
            &actor,
            items[0],
            VoteResult::reported(VoteOutcome::ApprovedUnanimously),
            None,
            None,
        )
        .await
        .expect("vote");
    store
        .record_vote(
            &actor,
            items[1],
            VoteResult::reported(VoteOutcome::Rejected),
            None,
            None,
        )
        .await
        .expect("vote");

    let amendment = store.amendment(approved).await.expect("amendment");
    assert_eq!(amendment.status, AmendmentStatus::Approved);
    assert_eq!(amendment.approved_on, Some(day(2024, 9, 13)));
    assert_eq!(amendment.in_force_from, Some(day(2024, 9, 14)));
    assert_eq!(
        store.amendment(rejected).await.expect("amendment").status,
        AmendmentStatus::Rejected
    );
    let versions = store.article_versions(body).await.expect("versions");
    assert_eq!(versions.len(), 2, "{versions:?}");
    assert_eq!(versions[1].text, "fracción IX del artículo 17");
    assert_eq!(versions[1].in_force_from, day(2024, 9, 14));
    assert_eq!(versions[1].amendment, Some(approved));
    assert_eq!(store.amendments(body).await.expect("list").len(), 2);
    assert!(matches!(
        store
            .amendment(abierto_domain::ids::AmendmentId::new(999))
            .await,
        Err(StoreError::NotFound)
    ));
}
