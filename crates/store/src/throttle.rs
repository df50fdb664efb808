//! Failed sign-ins, counted per account and per client address over a sliding window.
//! Kept in the database so that every server process behind a load balancer sees the same count.

use chrono::{DateTime, Utc};

use crate::rows::to_unix;
use crate::{Store, StoreError};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ThrottleScope {
    Account,
    Ip,
}

impl ThrottleScope {
    fn key(self) -> &'static str {
        match self {
            ThrottleScope::Account => "account",
            ThrottleScope::Ip => "ip",
        }
    }
}

impl Store {
    pub async fn record_login_failure(
        &self,
        scope: ThrottleScope,
        key: &str,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        sqlx::query("INSERT INTO login_failures (scope, key, at) VALUES ($1, $2, $3)")
            .bind(scope.key())
            .bind(key)
            .bind(to_unix(at))
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    pub async fn count_login_failures(
        &self,
        scope: ThrottleScope,
        key: &str,
        since: DateTime<Utc>,
    ) -> Result<i64, StoreError> {
        let row: (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM login_failures WHERE scope = $1 AND key = $2 AND at >= $3",
        )
        .bind(scope.key())
        .bind(key)
        .bind(to_unix(since))
        .fetch_one(&self.pool)
        .await?;
        Ok(row.0)
    }

    /// Deletes failures recorded before `before`; returns how many.
    pub async fn purge_login_failures(&self, before: DateTime<Utc>) -> Result<u64, StoreError> {
        let done = sqlx::query("DELETE FROM login_failures WHERE at < $1")
            .bind(to_unix(before))
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected())
    }

    /// Forgets an account's failures after a successful sign-in, and everyone's old ones.
    pub async fn clear_login_failures(
        &self,
        scope: ThrottleScope,
        key: &str,
        older_than: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM login_failures WHERE (scope = $1 AND key = $2) OR at < $3")
            .bind(scope.key())
            .bind(key)
            .bind(to_unix(older_than))
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}
