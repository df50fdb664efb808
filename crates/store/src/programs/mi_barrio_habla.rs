//! Mi Barrio Habla: its neighbourhood events and the agreements (acuerdos de mejora) they
//! produce, each with its unit, status and dates.

use abierto_domain::ids::{AgreementId, EventId, UnitId};
use abierto_domain::programs::{check_agreement, AgreementStatus};
use chrono::NaiveDate;
use sqlx::{AnyConnection, Row};

use super::{Agreement, Event, NewAgreement, Span};
use crate::audit::{record, Actor, AuditAction};
use crate::audit_subject::AuditSubject;
use crate::plans::{by_external_id, saved, Saved};
use crate::rows::{from_iso, to_iso};
use crate::{Store, StoreError};

impl Store {
    pub async fn add_event(
        &self,
        actor: &Actor,
        external_id: Option<&str>,
        held_on: NaiveDate,
        neighbourhood: &str,
    ) -> Result<EventId, StoreError> {
        let mut tx = self.begin_write().await?;
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO mbh_events (external_id, held_on, neighbourhood) VALUES ($1, $2, $3) RETURNING id",
        )
        .bind(external_id)
        .bind(to_iso(held_on))
        .bind(neighbourhood.trim())
        .fetch_one(&mut *tx)
        .await?;
        record(
            &mut tx,
            actor,
            AuditAction::MbhEvent,
            AuditSubject::Event(EventId::new(id)),
            neighbourhood,
        )
        .await?;
        tx.commit().await?;
        Ok(EventId::new(id))
    }

    /// Events held in the span, each with its agreements and how many are concluded.
    pub async fn events(&self, span: Span) -> Result<Vec<Event>, StoreError> {
        sqlx::query(
            "SELECT e.id, e.external_id, e.held_on, e.neighbourhood, \
             (SELECT COUNT(*) FROM agreements a WHERE a.event_id = e.id) AS agreements, \
             (SELECT COUNT(*) FROM agreements a WHERE a.event_id = e.id AND a.status = 'concluded') AS concluded \
             FROM mbh_events e WHERE e.held_on >= $1 AND e.held_on <= $2 ORDER BY e.held_on, e.id",
        )
        .bind(to_iso(span.from))
        .bind(to_iso(span.to))
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|row| {
            Ok(Event {
                id: EventId::new(row.try_get("id")?),
                external_id: row.try_get("external_id")?,
                held_on: from_iso(row.try_get::<String, _>("held_on")?.as_str())?,
                neighbourhood: row.try_get("neighbourhood")?,
                agreements: row.try_get("agreements")?,
                concluded: row.try_get("concluded")?,
            })
        })
        .collect()
    }

    pub async fn save_agreement(
        &self,
        actor: &Actor,
        new: &NewAgreement,
    ) -> Result<AgreementId, StoreError> {
        let mut tx = self.begin_write().await?;
        let id = save_agreement(&mut tx, new).await?.id();
        record(
            &mut tx,
            actor,
            AuditAction::MbhAgreement,
            AuditSubject::Agreement(id),
            new.status.key(),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Saves several agreements in one transaction: all or none.
    pub async fn save_agreements(
        &self,
        actor: &Actor,
        batch: &[NewAgreement],
    ) -> Result<Vec<AgreementId>, StoreError> {
        let mut tx = self.begin_write().await?;
        let mut ids = Vec::with_capacity(batch.len());
        for new in batch {
            ids.push(save_agreement(&mut tx, new).await?.id());
        }
        let detail = format!("{} acuerdos", batch.len());
        record(
            &mut tx,
            actor,
            AuditAction::MbhAgreements,
            AuditSubject::Batch("agreements"),
            &detail,
        )
        .await?;
        tx.commit().await?;
        Ok(ids)
    }

    /// Agreements made in the span, oldest first.
    pub async fn agreements(&self, span: Span) -> Result<Vec<Agreement>, StoreError> {
        sqlx::query(
            "SELECT a.id, a.external_id, a.event_id, a.description, u.name AS unit_name, a.status, \
             a.created_on, a.concluded_on FROM agreements a LEFT JOIN units u ON u.id = a.unit_id \
             WHERE a.created_on >= $1 AND a.created_on <= $2 ORDER BY a.created_on, a.id",
        )
        .bind(to_iso(span.from))
        .bind(to_iso(span.to))
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|row| {
            Ok(Agreement {
                id: AgreementId::new(row.try_get("id")?),
                external_id: row.try_get("external_id")?,
                event: row.try_get::<Option<i64>, _>("event_id")?.map(EventId::new),
                description: row.try_get("description")?,
                unit_name: row.try_get("unit_name")?,
                status: AgreementStatus::parse(row.try_get::<String, _>("status")?.as_str())?,
                created_on: from_iso(row.try_get::<String, _>("created_on")?.as_str())?,
                concluded_on: row
                    .try_get::<Option<String>, _>("concluded_on")?
                    .map(|raw| from_iso(&raw))
                    .transpose()?,
            })
        })
        .collect()
    }
}

pub(crate) async fn save_agreement(
    conn: &mut AnyConnection,
    new: &NewAgreement,
) -> Result<Saved<AgreementId>, StoreError> {
    check_agreement(new.status, new.created_on, new.concluded_on).map_err(StoreError::Refused)?;
    let existing = by_external_id(conn, "agreements", new.external_id.as_deref()).await?;
    // $1 is the row's id for an update, the external id for an insert; the rest is shared.
    let sql = match existing {
        Some(_) => {
            "UPDATE agreements SET event_id = $2, description = $3, unit_id = $4, status = $5, \
             created_on = $6, concluded_on = $7 WHERE id = $1 RETURNING id"
        }
        None => {
            "INSERT INTO agreements (external_id, event_id, description, unit_id, status, created_on, concluded_on) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id"
        }
    };
    let query = sqlx::query_as::<_, (i64,)>(sql);
    let query = match existing {
        Some(id) => query.bind(id),
        None => query.bind(new.external_id.clone()),
    };
    let (id,) = query
        .bind(new.event.map(EventId::get))
        .bind(new.description.trim())
        .bind(new.unit.map(UnitId::get))
        .bind(new.status.key())
        .bind(to_iso(new.created_on))
        .bind(new.concluded_on.map(to_iso))
        .fetch_one(&mut *conn)
        .await?;
    Ok(saved(existing, AgreementId::new(id)))
}
