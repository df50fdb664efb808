//! The files annexed to agenda items. The content lives on disk under its SHA-256; the
//! database keeps what describes it.

use abierto_domain::annexes::Annex;
use abierto_domain::ids::{AgendaItemId, AnnexId, SessionId};
use chrono::{DateTime, Utc};
use sqlx::any::AnyRow;
use sqlx::Row;

use crate::audit::{record, Actor, AuditAction};
use crate::audit_subject::AuditSubject;
use crate::minutes::ensure_editable;
use crate::rows::to_unix;
use crate::sessions::item_session;
use crate::{Store, StoreError};

/// A checked file, already written to disk under its hash.
#[derive(Debug, Clone)]
pub struct NewAnnex {
    pub filename: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub sha256: String,
}

const COLUMNS: &str = "a.id, a.agenda_item_id, a.filename, a.content_type, a.size_bytes, a.sha256";

impl Store {
    /// Annexes a file to an item; refused once the session's acta is approved.
    pub async fn add_annex(
        &self,
        actor: &Actor,
        item: AgendaItemId,
        annex: &NewAnnex,
        at: DateTime<Utc>,
    ) -> Result<AnnexId, StoreError> {
        let mut tx = self.begin_write().await?;
        let session = item_session(&mut tx, item).await?;
        ensure_editable(&mut tx, session).await?;
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO annexes (agenda_item_id, filename, content_type, size_bytes, sha256, uploaded_at) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(item.get())
        .bind(&annex.filename)
        .bind(&annex.content_type)
        .bind(annex.size_bytes)
        .bind(&annex.sha256)
        .bind(to_unix(at))
        .fetch_one(&mut *tx)
        .await?;
        let detail = format!("{} {}", annex.filename, annex.sha256);
        record(
            &mut tx,
            actor,
            AuditAction::AnnexAdd,
            AuditSubject::AgendaItem(item),
            &detail,
        )
        .await?;
        tx.commit().await?;
        Ok(AnnexId::new(id))
    }

    /// Every annex of the session's items, in agenda order.
    pub async fn session_annexes(&self, session: SessionId) -> Result<Vec<Annex>, StoreError> {
        let sql = format!(
            "SELECT {COLUMNS} FROM annexes a JOIN agenda_items i ON i.id = a.agenda_item_id \
             WHERE i.session_id = $1 ORDER BY i.position, a.id"
        );
        sqlx::query(&sql)
            .bind(session.get())
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(annex_from_row)
            .collect()
    }

    /// One annex and the session it belongs to.
    pub async fn annex(&self, id: AnnexId) -> Result<(Annex, SessionId), StoreError> {
        let sql = format!(
            "SELECT {COLUMNS}, i.session_id FROM annexes a JOIN agenda_items i ON i.id = a.agenda_item_id \
             WHERE a.id = $1"
        );
        let row = sqlx::query(&sql)
            .bind(id.get())
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound)?;
        Ok((
            annex_from_row(&row)?,
            SessionId::new(row.try_get("session_id")?),
        ))
    }
}

fn annex_from_row(row: &AnyRow) -> Result<Annex, StoreError> {
    Ok(Annex {
        id: AnnexId::new(row.try_get("id")?),
        item: AgendaItemId::new(row.try_get("agenda_item_id")?),
        filename: row.try_get("filename")?,
        content_type: row.try_get("content_type")?,
        size_bytes: row.try_get("size_bytes")?,
        sha256: row.try_get("sha256")?,
    })
}
