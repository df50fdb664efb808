//! The versions of a session's acta, their signatures, and the hoja de firmas of actas signed
//! on paper. Every change of status is checked against the lifecycle inside the transaction
//! that makes it, so two requests cannot both approve or publish the same version.

use abierto_domain::findings::annexes_missing;
use abierto_domain::ids::{AgendaItemId, MembershipId, SessionId, UserId};
use abierto_domain::minutes::{MinutesAction, MinutesSignature, MinutesStatus, MinutesVersion};
use abierto_domain::ErrorCode;
use abierto_domain::ValidationError;
use chrono::{DateTime, Utc};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use crate::audit::{record, Actor, AuditAction};
use crate::audit_subject::AuditSubject;
use crate::rows::{from_unix, to_unix};
use crate::{Store, StoreError};

/// An acta frozen at its approval: its blocks (JSON) and the SHA-256 of its Markdown text.
#[derive(Debug, Clone)]
pub struct FrozenMinutes {
    pub of: SessionId,
    pub blocks_json: String,
    pub text_sha256: String,
}

/// One name on a paper hoja de firmas, linked to the seat when it could be identified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SheetEntry {
    pub name: String,
    pub membership: Option<MembershipId>,
}

const VERSION_COLUMNS: &str =
    "id, session_id, version, status, text_sha256, approved_by_item_id, published_at";

impl Store {
    /// Every version of the session's acta, the first first.
    pub async fn minutes_versions(
        &self,
        session: SessionId,
    ) -> Result<Vec<MinutesVersion>, StoreError> {
        let sql =
            format!("SELECT {VERSION_COLUMNS} FROM minutes WHERE session_id = $1 ORDER BY version");
        sqlx::query(&sql)
            .bind(session.get())
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(version_from_row)
            .collect()
    }

    /// The frozen blocks (JSON) of a version; empty for a draft.
    pub async fn minutes_blocks(
        &self,
        session: SessionId,
        version: i64,
    ) -> Result<String, StoreError> {
        let (blocks,): (String,) =
            sqlx::query_as("SELECT blocks FROM minutes WHERE session_id = $1 AND version = $2")
                .bind(session.get())
                .bind(version)
                .fetch_optional(&self.pool)
                .await?
                .ok_or(StoreError::NotFound)?;
        Ok(blocks)
    }

    /// Signatures on a version, in the order they were made.
    pub async fn minutes_signatures(
        &self,
        session: SessionId,
        version: i64,
    ) -> Result<Vec<MinutesSignature>, StoreError> {
        sqlx::query(
            "SELECT s.membership_id, s.user_id, s.signed_at, s.text_sha256 FROM minutes_signatures s \
             JOIN minutes m ON m.id = s.minutes_id WHERE m.session_id = $1 AND m.version = $2 \
             ORDER BY s.signed_at, s.membership_id",
        )
        .bind(session.get())
        .bind(version)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|row| {
            Ok(MinutesSignature {
                membership: MembershipId::new(row.try_get("membership_id")?),
                user: UserId::new(row.try_get("user_id")?),
                signed_at: from_unix(row.try_get("signed_at")?)?,
                text_sha256: row.try_get("text_sha256")?,
            })
        })
        .collect()
    }

    /// Signs the current version on behalf of `membership`, which the caller has checked is on
    /// the attendance list and belongs to `user`.
    pub async fn sign_minutes(
        &self,
        actor: &Actor,
        session: SessionId,
        membership: MembershipId,
        user: UserId,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        let current = latest(&mut tx, session).await?.ok_or(StoreError::Refused(
            abierto_domain::ValidationError::new("minutes", ErrorCode::MinutesNotApproved),
        ))?;
        let next = current
            .status
            .after(MinutesAction::Sign)
            .map_err(StoreError::Refused)?;
        let (minutes_id, sha) = (current_id(&mut tx, session).await?, current.text_sha256);
        sqlx::query(
            "INSERT INTO minutes_signatures (minutes_id, membership_id, user_id, signed_at, text_sha256) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(minutes_id)
        .bind(membership.get())
        .bind(user.get())
        .bind(to_unix(at))
        .bind(&sha)
        .execute(&mut *tx)
        .await?;
        set_status(&mut tx, minutes_id, next).await?;
        let subject = AuditSubject::Session(session);
        let detail = format!("v{} {sha}", current.version);
        record(&mut tx, actor, AuditAction::MinutesSign, subject, &detail).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Publishes the current version (it must be signed).
    pub async fn publish_minutes(
        &self,
        actor: &Actor,
        session: SessionId,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        let status = latest(&mut tx, session)
            .await?
            .map_or(MinutesStatus::Draft, |v| v.status);
        status
            .after(MinutesAction::Publish)
            .map_err(StoreError::Refused)?;
        refuse_if_an_annex_is_missing(&mut tx, session).await?;
        let minutes_id = current_id(&mut tx, session).await?;
        sqlx::query("UPDATE minutes SET status = 'published', published_at = $1 WHERE id = $2")
            .bind(to_unix(at))
            .bind(minutes_id)
            .execute(&mut *tx)
            .await?;
        record(
            &mut tx,
            actor,
            AuditAction::MinutesPublish,
            AuditSubject::Session(session),
            "",
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Opens a new draft version of an approved acta, so that its record can be corrected and
    /// the acta approved again. Earlier versions stay as they were.
    pub async fn correct_minutes(
        &self,
        actor: &Actor,
        session: SessionId,
    ) -> Result<i64, StoreError> {
        let mut tx = self.begin_write().await?;
        let current = latest(&mut tx, session).await?;
        let status = current.as_ref().map_or(MinutesStatus::Draft, |v| v.status);
        status
            .after(MinutesAction::Correct)
            .map_err(StoreError::Refused)?;
        let version = current.map_or(1, |v| v.version + 1);
        sqlx::query("INSERT INTO minutes (session_id, version, status) VALUES ($1, $2, 'draft')")
            .bind(session.get())
            .bind(version)
            .execute(&mut *tx)
            .await?;
        record(
            &mut tx,
            actor,
            AuditAction::MinutesCorrect,
            AuditSubject::Session(session),
            &format!("v{version}"),
        )
        .await?;
        tx.commit().await?;
        Ok(version)
    }

    /// Records the hoja de firmas of an acta signed on paper, replacing any earlier one; an
    /// approved acta becomes signed.
    pub async fn set_signature_sheet(
        &self,
        actor: &Actor,
        session: SessionId,
        entries: &[SheetEntry],
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        sqlx::query("DELETE FROM signature_sheet WHERE session_id = $1")
            .bind(session.get())
            .execute(&mut *tx)
            .await?;
        for (index, entry) in entries.iter().enumerate() {
            sqlx::query(
                "INSERT INTO signature_sheet (session_id, position, name, membership_id) VALUES ($1, $2, $3, $4)",
            )
            .bind(session.get())
            .bind(index as i64 + 1)
            .bind(&entry.name)
            .bind(entry.membership.map(MembershipId::get))
            .execute(&mut *tx)
            .await?;
        }
        // The paper sheet is the signature of an approved acta signed by hand.
        if let Some(current) = latest(&mut tx, session).await? {
            if current.status == MinutesStatus::Approved && !entries.is_empty() {
                let id = current_id(&mut tx, session).await?;
                set_status(&mut tx, id, MinutesStatus::Signed).await?;
            }
        }
        let subject = AuditSubject::Session(session);
        let detail = format!("{} firmas", entries.len());
        record(
            &mut tx,
            actor,
            AuditAction::MinutesSignatureSheet,
            subject,
            &detail,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn signature_sheet(&self, session: SessionId) -> Result<Vec<SheetEntry>, StoreError> {
        sqlx::query(
            "SELECT name, membership_id FROM signature_sheet WHERE session_id = $1 ORDER BY position",
        )
        .bind(session.get())
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|row| {
            Ok(SheetEntry {
                name: row.try_get("name")?,
                membership: row
                    .try_get::<Option<i64>, _>("membership_id")?
                    .map(MembershipId::new),
            })
        })
        .collect()
    }
}

/// Refuses a change to the session's record once its acta is approved.
pub(crate) async fn ensure_editable(
    conn: &mut AnyConnection,
    session: SessionId,
) -> Result<(), StoreError> {
    if let Some(current) = latest(conn, session).await? {
        current
            .status
            .after(MinutesAction::Edit)
            .map_err(StoreError::Refused)?;
    }
    Ok(())
}

/// Freezes the acta of `frozen.of` as approved by `item`, in the caller's transaction.
pub(crate) async fn approve(
    conn: &mut AnyConnection,
    item: AgendaItemId,
    frozen: &FrozenMinutes,
) -> Result<(), StoreError> {
    match latest(conn, frozen.of).await? {
        None => {
            sqlx::query(
                "INSERT INTO minutes (session_id, version, status, blocks, text_sha256, approved_by_item_id) \
                 VALUES ($1, 1, 'approved', $2, $3, $4)",
            )
            .bind(frozen.of.get())
            .bind(&frozen.blocks_json)
            .bind(&frozen.text_sha256)
            .bind(item.get())
            .execute(&mut *conn)
            .await?;
        }
        Some(current) => {
            current
                .status
                .after(MinutesAction::Approve)
                .map_err(StoreError::Refused)?;
            sqlx::query(
                "UPDATE minutes SET status = 'approved', blocks = $1, text_sha256 = $2, approved_by_item_id = $3 \
                 WHERE session_id = $4 AND version = $5",
            )
            .bind(&frozen.blocks_json)
            .bind(&frozen.text_sha256)
            .bind(item.get())
            .bind(frozen.of.get())
            .bind(current.version)
            .execute(&mut *conn)
            .await?;
        }
    }
    Ok(())
}

async fn latest(
    conn: &mut AnyConnection,
    session: SessionId,
) -> Result<Option<MinutesVersion>, StoreError> {
    let sql = format!(
        "SELECT {VERSION_COLUMNS} FROM minutes WHERE session_id = $1 ORDER BY version DESC LIMIT 1"
    );
    sqlx::query(&sql)
        .bind(session.get())
        .fetch_optional(&mut *conn)
        .await?
        .as_ref()
        .map(version_from_row)
        .transpose()
}

async fn current_id(conn: &mut AnyConnection, session: SessionId) -> Result<i64, StoreError> {
    let (id,): (i64,) = sqlx::query_as(
        "SELECT id FROM minutes WHERE session_id = $1 ORDER BY version DESC LIMIT 1",
    )
    .bind(session.get())
    .fetch_one(&mut *conn)
    .await?;
    Ok(id)
}

async fn set_status(
    conn: &mut AnyConnection,
    minutes_id: i64,
    status: MinutesStatus,
) -> Result<(), StoreError> {
    sqlx::query("UPDATE minutes SET status = $1 WHERE id = $2")
        .bind(status.key())
        .bind(minutes_id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

fn version_from_row(row: &AnyRow) -> Result<MinutesVersion, StoreError> {
    Ok(MinutesVersion {
        session: SessionId::new(row.try_get("session_id")?),
        version: row.try_get("version")?,
        status: MinutesStatus::parse(row.try_get::<String, _>("status")?.as_str())
            .map_err(|e| StoreError::Corrupt(e.to_string()))?,
        text_sha256: row.try_get("text_sha256")?,
        approved_by: row
            .try_get::<Option<i64>, _>("approved_by_item_id")?
            .map(AgendaItemId::new),
        published_at: row
            .try_get::<Option<i64>, _>("published_at")?
            .map(from_unix)
            .transpose()?,
    })
}

/// An acta is published only with every annex it announces: refused while an item says what
/// is annexed and has no file attached (the domain's rule, read inside the transaction so that
/// no caller — page, API, demo loader or command line — publishes around it).
async fn refuse_if_an_annex_is_missing(
    conn: &mut AnyConnection,
    session: SessionId,
) -> Result<(), StoreError> {
    let rows: Vec<(i64, String, i64)> = sqlx::query_as(
        "SELECT i.position, i.annex_note, \
                (SELECT COUNT(*) FROM annexes a WHERE a.agenda_item_id = i.id) \
         FROM agenda_items i WHERE i.session_id = $1 ORDER BY i.position",
    )
    .bind(session.get())
    .fetch_all(conn)
    .await?;
    let items: Vec<(i64, String, usize)> = rows
        .into_iter()
        .map(|(position, note, attached)| (position, note, attached.max(0) as usize))
        .collect();
    if annexes_missing(&items).is_empty() {
        Ok(())
    } else {
        Err(StoreError::Refused(ValidationError::new(
            "annexes",
            ErrorCode::AnnexMissing,
        )))
    }
}
