use abierto_store::testing::fresh_store;
use abierto_store::ThrottleScope;
use chrono::{Duration, Utc};

#[tokio::test]
async fn failures_are_counted_per_scope_and_key_within_the_window() {
    let (store, _db) = fresh_store().await.expect("store");
    let now = Utc::now();
    for minutes_ago in [1, 2, 3, 30] {
        store
            .record_login_failure(
                ThrottleScope::Account,
                "a@leon.example",
                now - Duration::minutes(minutes_ago),
            )
            .await
            .expect("record");
    }
    store
        .record_login_failure(ThrottleScope::Ip, "a@leon.example", now)
        .await
        .expect("record");
    let since = now - Duration::minutes(15);
    assert_eq!(
        store
            .count_login_failures(ThrottleScope::Account, "a@leon.example", since)
            .await
            .expect("count"),
        3
    );
    assert_eq!(
        store
            .count_login_failures(ThrottleScope::Account, "b@leon.example", since)
            .await
            .expect("count"),
        0
    );
    assert_eq!(
        store
            .count_login_failures(ThrottleScope::Ip, "a@leon.example", since)
            .await
            .expect("count"),
        1
    );

    store
        .clear_login_failures(ThrottleScope::Account, "a@leon.example", since)
        .await
        .expect("clear");
    assert_eq!(
        store
            .count_login_failures(
                ThrottleScope::Account,
                "a@leon.example",
                now - Duration::days(1)
            )
            .await
            .expect("count"),
        0
    );
    assert_eq!(
        store
            .count_login_failures(ThrottleScope::Ip, "a@leon.example", since)
            .await
            .expect("count"),
        1
    );
}

#[tokio::test]
async fn old_failures_are_purged() {
    let (store, _db) = fresh_store().await.expect("store");
    let now = Utc::now();
    store
        .record_login_failure(ThrottleScope::Ip, "198.51.100.1", now - Duration::days(2))
        .await
        .expect("record");
    store
        .record_login_failure(ThrottleScope::Ip, "198.51.100.1", now)
        .await
        .expect("record");
    assert_eq!(
        store
            .purge_login_failures(now - Duration::days(1))
            .await
            .expect("purge"),
        1
    );
    let left = store
        .count_login_failures(ThrottleScope::Ip, "198.51.100.1", now - Duration::days(3))
        .await
        .expect("count");
    assert_eq!(left, 1);
}
