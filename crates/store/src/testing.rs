//! Fresh, isolated stores for tests: an SQLite file in a temporary directory, or — when
//! `ABIERTO_TEST_DATABASE_URL` names a PostgreSQL database — a schema of its own in it.
//! Enabled by the `test-support` feature; never part of a release build's API.

use std::time::{SystemTime, UNIX_EPOCH};

use crate::{Store, StoreError};

/// Where a test's data lives; keep it alive as long as the store is used.
pub struct TestDatabase {
    pub url: String,
    _dir: Option<tempfile::TempDir>,
}

/// The PostgreSQL URL tests run against, if any.
pub fn postgres_url() -> Option<String> {
    std::env::var("ABIERTO_TEST_DATABASE_URL")
        .ok()
        .filter(|u| !u.trim().is_empty())
}

/// Creates an empty database for one test (not migrated).
pub async fn fresh_database() -> Result<TestDatabase, StoreError> {
    match postgres_url() {
        Some(base) => {
            let schema = unique_name();
            let admin = Store::connect(&base).await?;
            sqlx::query(&format!("CREATE SCHEMA {schema}"))
                .execute(&admin.pool)
                .await?;
            admin.close().await;
            let separator = if base.contains('?') { '&' } else { '?' };
            let url = format!("{base}{separator}options=-c%20search_path%3D{schema}");
            Ok(TestDatabase { url, _dir: None })
        }
        None => {
            let dir = tempfile::tempdir().map_err(|e| StoreError::Other(Box::new(e)))?;
            let url = format!("sqlite://{}?mode=rwc", dir.path().join("test.db").display());
            Ok(TestDatabase {
                url,
                _dir: Some(dir),
            })
        }
    }
}

/// A connected, migrated, empty store for one test.
pub async fn fresh_store() -> Result<(Store, TestDatabase), StoreError> {
    let db = fresh_database().await?;
    let store = Store::connect(&db.url).await?;
    store.migrate().await?;
    Ok((store, db))
}

fn unique_name() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    format!(
        "t_{}_{}_{}",
        std::process::id(),
        nanos,
        COUNTER.fetch_add(1, Ordering::Relaxed)
    )
}
