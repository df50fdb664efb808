//! Server-side sign-in sessions (not the secretariat's sessions). The browser holds a random
//! token; the database holds only its SHA-256, so a copy of the database lets no one sign in.

use abierto_domain::account::User;
use abierto_domain::ids::UserId;
use chrono::{DateTime, Utc};

use crate::accounts::{user_from_row, USER_COLUMNS};
use crate::audit::{record, Actor, AuditAction};
use crate::audit_subject::AuditSubject;
use crate::rows::to_unix;
use crate::{Store, StoreError};

impl Store {
    /// Opens a session for a user who just proved their password, and records the login.
    pub async fn open_session(
        &self,
        actor: &Actor,
        user: UserId,
        token_hash: &str,
        expires_at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        sqlx::query("INSERT INTO login_sessions (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)")
            .bind(token_hash)
            .bind(user.get())
            .bind(to_unix(Utc::now()))
            .bind(to_unix(expires_at))
            .execute(&mut *tx)
            .await?;
        record(
            &mut tx,
            actor,
            AuditAction::Login,
            AuditSubject::User(user),
            "",
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The signed-in user for a session token, if the session exists, has not expired and the
    /// account is not disabled.
    pub async fn session_user(
        &self,
        token_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<User>, StoreError> {
        let sql = format!(
            "SELECT {USER_COLUMNS} FROM login_sessions s JOIN users u ON u.id = s.user_id \
             WHERE s.token_hash = $1 AND s.expires_at > $2 AND u.disabled_at IS NULL"
        );
        let row = sqlx::query(&sql)
            .bind(token_hash)
            .bind(to_unix(now))
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(user_from_row).transpose()
    }

    /// Ends a session (logout) and records it. Ending an unknown session is not an error.
    pub async fn close_session(&self, actor: &Actor, token_hash: &str) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        let closed = sqlx::query("DELETE FROM login_sessions WHERE token_hash = $1")
            .bind(token_hash)
            .execute(&mut *tx)
            .await?;
        if closed.rows_affected() > 0 {
            let subject = actor
                .user
                .map(AuditSubject::User)
                .unwrap_or(AuditSubject::Nothing);
            record(&mut tx, actor, AuditAction::Logout, subject, "").await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Deletes expired sessions; returns how many.
    pub async fn purge_expired_sessions(&self, now: DateTime<Utc>) -> Result<u64, StoreError> {
        let done = sqlx::query("DELETE FROM login_sessions WHERE expires_at <= $1")
            .bind(to_unix(now))
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected())
    }
}
