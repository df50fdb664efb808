//! The audit log: who did what, when, from where. Written in the same transaction as the
//! change it records; never updated or deleted by the application.

use abierto_domain::ids::{AuditEntryId, UserId};
use chrono::{DateTime, Utc};
use sqlx::{AnyConnection, Row};

pub(crate) use crate::audit_action::AuditAction;
pub(crate) use crate::audit_subject::AuditSubject;
use crate::rows::{from_unix, to_unix};
use crate::write::Write;
use crate::{Store, StoreError};

/// Who is making a change, for the audit log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub user: Option<UserId>,
    pub ip: Option<String>,
}

impl Actor {
    /// The platform itself (migrations, demo loading, background jobs, command line).
    pub fn system() -> Actor {
        Actor {
            user: None,
            ip: None,
        }
    }

    pub fn user(user: UserId, ip: Option<String>) -> Actor {
        Actor {
            user: Some(user),
            ip,
        }
    }

    pub fn anonymous(ip: Option<String>) -> Actor {
        Actor { user: None, ip }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    pub id: AuditEntryId,
    pub at: DateTime<Utc>,
    pub actor: Option<UserId>,
    /// The actor's e-mail at the time of reading, when the actor was a user.
    pub actor_email: Option<String>,
    pub action: String,
    pub subject: String,
    pub detail: String,
    pub ip: Option<String>,
}

/// Adds the audit entry of a write, in its transaction, and notes the action to announce.
pub(crate) async fn record(
    write: &mut Write,
    actor: &Actor,
    action: AuditAction,
    subject: AuditSubject,
    detail: &str,
) -> Result<(), StoreError> {
    insert(write, actor, action, subject, detail).await?;
    write.note(action);
    Ok(())
}

async fn insert(
    conn: &mut AnyConnection,
    actor: &Actor,
    action: AuditAction,
    subject: AuditSubject,
    detail: &str,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO audit_log (at, actor_user_id, action, subject, detail, ip) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(to_unix(Utc::now()))
    .bind(actor.user.map(UserId::get))
    .bind(action.key())
    .bind(subject.to_string())
    .bind(detail)
    .bind(actor.ip.clone())
    .execute(conn)
    .await?;
    Ok(())
}

impl Store {
    /// Records an event that changes nothing else in the database (a refused login, say).
    pub async fn record_event(
        &self,
        actor: &Actor,
        action: AuditAction,
        subject: AuditSubject,
        detail: &str,
    ) -> Result<(), StoreError> {
        let mut conn = self.pool.acquire().await?;
        insert(&mut conn, actor, action, subject, detail).await
    }

    /// The newest `limit` entries, newest first.
    pub async fn audit_entries(&self, limit: i64) -> Result<Vec<AuditEntry>, StoreError> {
        let rows = sqlx::query(
            "SELECT a.id, a.at, a.actor_user_id, u.email, a.action, a.subject, a.detail, a.ip \
             FROM audit_log a LEFT JOIN users u ON u.id = a.actor_user_id \
             ORDER BY a.id DESC LIMIT $1",
        )
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(AuditEntry {
                    id: AuditEntryId::new(row.try_get("id")?),
                    at: from_unix(row.try_get("at")?)?,
                    actor: row
                        .try_get::<Option<i64>, _>("actor_user_id")?
                        .map(UserId::new),
                    actor_email: row.try_get("email")?,
                    action: row.try_get("action")?,
                    subject: row.try_get("subject")?,
                    detail: row.try_get("detail")?,
                    ip: row.try_get("ip")?,
                })
            })
            .collect()
    }
}
