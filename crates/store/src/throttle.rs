//! Failed sign-ins, counted per account and per client address over a sliding window.
//! Kept in the database so that every server process behind a load balancer sees the same count.

use chrono::{DateTime, Utc};
use sqlx::AnyConnection;

use crate::audit::record;
use crate::audit_action::AuditAction;
use crate::audit_subject::AuditSubject;
use crate::backend::Backend;
use crate::rows::to_unix;
use crate::{Actor, Store, StoreError};

/// One sign-in attempt, as [`Store::claim_login_attempt`] weighs it.
#[derive(Debug, Clone, Copy)]
pub struct LoginAttempt<'a> {
    /// The account asked for (its e-mail, lower-cased) and the client's address.
    pub account: &'a str,
    pub ip: &'a str,
    pub at: DateTime<Utc>,
    /// Failures since this instant count.
    pub since: DateTime<Utc>,
    pub max_per_account: i64,
    pub max_per_ip: i64,
}

/// Whether an attempt may check its password.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttemptClaim {
    /// Counted as a failure until [`Store::release_login_attempt`] forgets it on success.
    Claimed,
    /// Either limit is reached; the refusal is audited and nothing is counted.
    Throttled,
}

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
    /// Counts the account's and the address's failures within the window and, unless either
    /// has reached its limit, records this attempt as one, all in one transaction: parallel
    /// attempts are weighed one after the other (SQLite's write lock; on PostgreSQL a lock
    /// per account and per address held until commit), so forty at once meet the limit as
    /// forty in a row would. The password is checked after the claim, outside it.
    pub async fn claim_login_attempt(
        &self,
        actor: &Actor,
        attempt: LoginAttempt<'_>,
    ) -> Result<AttemptClaim, StoreError> {
        let mut write = self.begin_write().await?;
        if self.backend == Backend::Postgres {
            for key in [
                format!("account:{}", attempt.account),
                format!("ip:{}", attempt.ip),
            ] {
                sqlx::query(
                    "SELECT 1 AS locked FROM (SELECT pg_advisory_xact_lock(hashtext($1))) AS l",
                )
                .bind(key)
                .fetch_one(&mut *write)
                .await?;
            }
        }
        let account = count_failures(
            &mut write,
            ThrottleScope::Account,
            attempt.account,
            attempt.since,
        )
        .await?;
        let ip = count_failures(&mut write, ThrottleScope::Ip, attempt.ip, attempt.since).await?;
        if account >= attempt.max_per_account || ip >= attempt.max_per_ip {
            let subject = AuditSubject::Account(attempt.account.to_owned());
            record(&mut write, actor, AuditAction::LoginThrottled, subject, "").await?;
            write.commit().await?;
            return Ok(AttemptClaim::Throttled);
        }
        for (scope, key) in [
            (ThrottleScope::Account, attempt.account),
            (ThrottleScope::Ip, attempt.ip),
        ] {
            sqlx::query("INSERT INTO login_failures (scope, key, at) VALUES ($1, $2, $3)")
                .bind(scope.key())
                .bind(key)
                .bind(to_unix(attempt.at))
                .execute(&mut *write)
                .await?;
        }
        write.commit().await?;
        Ok(AttemptClaim::Claimed)
    }

    /// A claimed attempt whose password was right: forgets the account's failures and the
    /// address's claim of this attempt (the address's other failures stand).
    pub async fn release_login_attempt(&self, attempt: LoginAttempt<'_>) -> Result<(), StoreError> {
        let mut write = self.begin_write().await?;
        sqlx::query("DELETE FROM login_failures WHERE (scope = 'account' AND key = $1) OR at < $2")
            .bind(attempt.account)
            .bind(to_unix(attempt.since))
            .execute(&mut *write)
            .await?;
        sqlx::query(
            "DELETE FROM login_failures WHERE id = (SELECT MAX(id) FROM login_failures \
             WHERE scope = 'ip' AND key = $1 AND at = $2)",
        )
        .bind(attempt.ip)
        .bind(to_unix(attempt.at))
        .execute(&mut *write)
        .await?;
        write.commit().await
    }

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
        let mut conn = self.pool.acquire().await?;
        count_failures(&mut conn, scope, key, since).await
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

async fn count_failures(
    conn: &mut AnyConnection,
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
    .fetch_one(conn)
    .await?;
    Ok(row.0)
}
