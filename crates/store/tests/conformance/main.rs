//! The store conformance suite: one set of tests, run on SQLite by default and on PostgreSQL
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! when `ABIERTO_TEST_DATABASE_URL` is set. Each test gets a fresh, migrated database.

mod accounts;
mod bylaws;
mod calls;
mod governance;
mod login_sessions;
mod minutes;
mod open_data;
mod plan_edits;
mod plans;
mod sessions;
mod support;
mod throttle;
mod youth;

use abierto_store::testing::fresh_store;

#[tokio::test]
async fn runs_on_the_backend_the_environment_asks_for() {
    let (store, _db) = fresh_store().await.expect("store");
    let expected = if abierto_store::testing::postgres_url().is_some() {
        "PostgreSQL"
    } else {
        "SQLite"
    };
    assert_eq!(store.backend().name(), expected);
    store.ping().await.expect("ping");
    assert!(store.is_empty().await.expect("is_empty"));
}

#[tokio::test]
async fn migrating_twice_is_harmless() {
    let (store, _db) = fresh_store().await.expect("store");
    store.migrate().await.expect("second migration run");
    assert!(store.is_empty().await.expect("is_empty"));
}
