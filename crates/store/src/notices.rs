//! Convocation notices: one per member of the body, sent by e-mail when the platform has a
//! mail server, otherwise kept in the outbox for the secretariat to send by hand.

use abierto_domain::ids::{MembershipId, NoticeId, SessionId};
use chrono::{DateTime, Utc};
use sqlx::Row;

use crate::audit::{record, Actor, AuditAction};
use crate::audit_subject::AuditSubject;
use crate::rows::{from_unix, to_unix};
use crate::{Store, StoreError};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewNotice {
    pub membership: MembershipId,
    /// The member's e-mail when known (the address of their account).
    pub recipient: Option<String>,
    pub subject: String,
    pub body: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoticeStatus {
    /// Waiting for someone to send it (no mail server, or no address).
    Outbox,
    Sent,
    Failed,
}

impl NoticeStatus {
    pub fn key(self) -> &'static str {
        match self {
            NoticeStatus::Outbox => "outbox",
            NoticeStatus::Sent => "sent",
            NoticeStatus::Failed => "failed",
        }
    }

    fn parse(raw: &str) -> Result<NoticeStatus, StoreError> {
        match raw {
            "outbox" => Ok(NoticeStatus::Outbox),
            "sent" => Ok(NoticeStatus::Sent),
            "failed" => Ok(NoticeStatus::Failed),
            other => Err(StoreError::Corrupt(format!("notice status {other:?}"))),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub id: NoticeId,
    pub session: SessionId,
    pub membership: MembershipId,
    pub recipient: Option<String>,
    pub subject: String,
    pub body: String,
    pub status: NoticeStatus,
    pub created_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
    pub error: String,
}

impl Store {
    /// Keeps one notice per member in the outbox; answers their ids in the same order.
    pub async fn queue_notices(
        &self,
        actor: &Actor,
        session: SessionId,
        notices: &[NewNotice],
        at: DateTime<Utc>,
    ) -> Result<Vec<NoticeId>, StoreError> {
        let mut tx = self.begin_write().await?;
        let mut ids = Vec::with_capacity(notices.len());
        for notice in notices {
            let (id,): (i64,) = sqlx::query_as(
                "INSERT INTO notices (session_id, membership_id, recipient, subject, body, status, created_at) \
                 VALUES ($1, $2, $3, $4, $5, 'outbox', $6) RETURNING id",
            )
            .bind(session.get())
            .bind(notice.membership.get())
            .bind(notice.recipient.clone())
            .bind(&notice.subject)
            .bind(&notice.body)
            .bind(to_unix(at))
            .fetch_one(&mut *tx)
            .await?;
            ids.push(NoticeId::new(id));
        }
        let detail = format!("{} avisos", notices.len());
        record(
            &mut tx,
            actor,
            AuditAction::SessionConvocation,
            AuditSubject::Session(session),
            &detail,
        )
        .await?;
        tx.commit().await?;
        Ok(ids)
    }

    /// Records what happened when a notice was sent, with its audit entry.
    pub async fn mark_notice(
        &self,
        actor: &Actor,
        id: NoticeId,
        status: NoticeStatus,
        at: DateTime<Utc>,
        error: &str,
    ) -> Result<(), StoreError> {
        let sent_at = (status == NoticeStatus::Sent).then(|| to_unix(at));
        let mut tx = self.begin_write().await?;
        let done =
            sqlx::query("UPDATE notices SET status = $1, sent_at = $2, error = $3 WHERE id = $4")
                .bind(status.key())
                .bind(sent_at)
                .bind(error)
                .bind(id.get())
                .execute(&mut *tx)
                .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        let action = match status {
            NoticeStatus::Sent => AuditAction::NoticeSent,
            _ => AuditAction::NoticeFailed,
        };
        record(&mut tx, actor, action, AuditSubject::Notice(id), error).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Notices, newest first; of one session when given.
    pub async fn notices(&self, session: Option<SessionId>) -> Result<Vec<Notice>, StoreError> {
        let columns = "id, session_id, membership_id, recipient, subject, body, status, created_at, sent_at, error";
        let rows = match session {
            Some(session) => {
                let sql =
                    format!("SELECT {columns} FROM notices WHERE session_id = $1 ORDER BY id DESC");
                sqlx::query(&sql)
                    .bind(session.get())
                    .fetch_all(&self.pool)
                    .await?
            }
            None => {
                let sql = format!("SELECT {columns} FROM notices ORDER BY id DESC LIMIT 500");
                sqlx::query(&sql).fetch_all(&self.pool).await?
            }
        };
        rows.iter()
            .map(|row| {
                Ok(Notice {
                    id: NoticeId::new(row.try_get("id")?),
                    session: SessionId::new(row.try_get("session_id")?),
                    membership: MembershipId::new(row.try_get("membership_id")?),
                    recipient: row.try_get("recipient")?,
                    subject: row.try_get("subject")?,
                    body: row.try_get("body")?,
                    status: NoticeStatus::parse(row.try_get::<String, _>("status")?.as_str())?,
                    created_at: from_unix(row.try_get("created_at")?)?,
                    sent_at: row
                        .try_get::<Option<i64>, _>("sent_at")?
                        .map(from_unix)
                        .transpose()?,
                    error: row.try_get("error")?,
                })
            })
            .collect()
    }
}
