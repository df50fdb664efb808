use abierto_domain::account::Role;
use abierto_store::testing::fresh_store;
use abierto_store::Actor;
use chrono::{Duration, Utc};

use crate::support::new_user;

#[tokio::test]
async fn a_session_finds_its_user_until_it_expires_or_closes() {
    let (store, _db) = fresh_store().await.expect("store");
    let id = store
        .create_user(
            &Actor::system(),
            &new_user("integrante@leon.example", Role::Member),
        )
        .await
        .expect("user");
    let now = Utc::now();
    let actor = Actor::user(id, None);
    store
        .open_session(&actor, id, "hash-a", now + Duration::hours(1))
        .await
        .expect("open");

    let found = store.session_user("hash-a", now).await.expect("lookup");
    assert_eq!(found.map(|u| u.id), Some(id));
    assert!(store
        .session_user("hash-b", now)
        .await
        .expect("lookup")
        .is_none());
    assert!(store
        .session_user("hash-a", now + Duration::hours(2))
        .await
        .expect("lookup")
        .is_none());

    store.close_session(&actor, "hash-a").await.expect("close");
    assert!(store
        .session_user("hash-a", now)
        .await
        .expect("lookup")
        .is_none());
    store
        .close_session(&actor, "hash-a")
        .await
        .expect("closing twice is fine");

    let actions: Vec<String> = store
        .audit_entries(10)
        .await
        .expect("audit")
        .into_iter()
        .map(|e| e.action)
        .collect();
    assert_eq!(actions, vec!["logout", "login", "user.create"]);
}

#[tokio::test]
async fn expired_sessions_are_purged() {
    let (store, _db) = fresh_store().await.expect("store");
    let id = store
        .create_user(
            &Actor::system(),
            &new_user("integrante@leon.example", Role::Member),
        )
        .await
        .expect("user");
    let now = Utc::now();
    let actor = Actor::user(id, None);
    store
        .open_session(&actor, id, "old", now - Duration::minutes(1))
        .await
        .expect("open");
    store
        .open_session(&actor, id, "live", now + Duration::hours(1))
        .await
        .expect("open");
    assert_eq!(store.purge_expired_sessions(now).await.expect("purge"), 1);
    assert!(store
        .session_user("live", now)
        .await
        .expect("lookup")
        .is_some());
}

#[tokio::test]
async fn a_duplicate_session_token_is_refused() {
    let (store, _db) = fresh_store().await.expect("store");
    let id = store
        .create_user(
            &Actor::system(),
            &new_user("integrante@leon.example", Role::Member),
        )
        .await
        .expect("user");
    let later = Utc::now() + Duration::hours(1);
    store
        .open_session(&Actor::system(), id, "same", later)
        .await
        .expect("open");
    let again = store
        .open_session(&Actor::system(), id, "same", later)
        .await;
    assert!(
        matches!(again, Err(abierto_store::StoreError::Conflict { .. })),
        "{again:?}"
    );
}
