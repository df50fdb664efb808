//! The records that are counted as they come: Pregunta León's inquiries, the outreach
//! activities (acciones complementarias) and the trainings of public servants.

use abierto_domain::ids::{InquiryId, OutreachId, TrainingId, UnitId};
use abierto_domain::programs::{InquiryChannel, InquiryKind, OutreachKind, Topic};
use chrono::NaiveDate;
use sqlx::Row;

use super::{Inquiry, Outreach, Span, Training};
use crate::audit::{record, Actor, AuditAction};
use crate::audit_subject::AuditSubject;
use crate::rows::{from_iso, to_iso};
use crate::{Store, StoreError};

impl Store {
    pub async fn add_inquiry(
        &self,
        actor: &Actor,
        kind: InquiryKind,
        channel: Option<InquiryChannel>,
        held_on: NaiveDate,
        place: &str,
    ) -> Result<InquiryId, StoreError> {
        let mut tx = self.begin_write().await?;
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO inquiries (kind, channel, held_on, place) VALUES ($1, $2, $3, $4) RETURNING id",
        )
        .bind(kind.key())
        .bind(channel.map(InquiryChannel::key))
        .bind(to_iso(held_on))
        .bind(place.trim())
        .fetch_one(&mut *tx)
        .await?;
        record(
            &mut tx,
            actor,
            AuditAction::PlInquiry,
            AuditSubject::Inquiry(InquiryId::new(id)),
            kind.key(),
        )
        .await?;
        tx.commit().await?;
        Ok(InquiryId::new(id))
    }

    pub async fn inquiries(&self, span: Span) -> Result<Vec<Inquiry>, StoreError> {
        sqlx::query(
            "SELECT id, kind, channel, held_on, place FROM inquiries \
             WHERE held_on >= $1 AND held_on <= $2 ORDER BY held_on, id",
        )
        .bind(to_iso(span.from))
        .bind(to_iso(span.to))
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|row| {
            Ok(Inquiry {
                id: InquiryId::new(row.try_get("id")?),
                kind: InquiryKind::parse(row.try_get::<String, _>("kind")?.as_str())?,
                channel: row
                    .try_get::<Option<String>, _>("channel")?
                    .map(|raw| InquiryChannel::parse(&raw))
                    .transpose()?,
                held_on: from_iso(row.try_get::<String, _>("held_on")?.as_str())?,
                place: row.try_get("place")?,
            })
        })
        .collect()
    }

    #[allow(clippy::too_many_arguments)]
    pub async fn add_outreach(
        &self,
        actor: &Actor,
        kind: OutreachKind,
        held_on: NaiveDate,
        place: &str,
        audience: &str,
        topics: &[Topic],
        description: &str,
    ) -> Result<OutreachId, StoreError> {
        let mut tx = self.begin_write().await?;
        let topics: Vec<&str> = topics.iter().map(|t| t.key()).collect();
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO outreach_activities (kind, held_on, place, audience, topics, description) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(kind.key())
        .bind(to_iso(held_on))
        .bind(place.trim())
        .bind(audience.trim())
        .bind(topics.join(","))
        .bind(description.trim())
        .fetch_one(&mut *tx)
        .await?;
        record(
            &mut tx,
            actor,
            AuditAction::OutreachAdd,
            AuditSubject::Outreach(OutreachId::new(id)),
            place,
        )
        .await?;
        tx.commit().await?;
        Ok(OutreachId::new(id))
    }

    pub async fn outreach(&self, span: Span) -> Result<Vec<Outreach>, StoreError> {
        sqlx::query(
            "SELECT id, kind, held_on, place, audience, topics, description FROM outreach_activities \
             WHERE held_on >= $1 AND held_on <= $2 ORDER BY held_on, id",
        )
        .bind(to_iso(span.from))
        .bind(to_iso(span.to))
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|row| {
            Ok(Outreach {
                id: OutreachId::new(row.try_get("id")?),
                kind: OutreachKind::parse(row.try_get::<String, _>("kind")?.as_str())?,
                held_on: from_iso(row.try_get::<String, _>("held_on")?.as_str())?,
                place: row.try_get("place")?,
                audience: row.try_get("audience")?,
                topics: abierto_domain::programs::parse_topics(
                    row.try_get::<String, _>("topics")?.as_str(),
                )?,
                description: row.try_get("description")?,
            })
        })
        .collect()
    }

    pub async fn add_training(
        &self,
        actor: &Actor,
        held_on: NaiveDate,
        title: &str,
        people_trained: i64,
        units: &[UnitId],
    ) -> Result<TrainingId, StoreError> {
        let mut tx = self.begin_write().await?;
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO trainings (held_on, title, people_trained) VALUES ($1, $2, $3) RETURNING id",
        )
        .bind(to_iso(held_on))
        .bind(title.trim())
        .bind(people_trained)
        .fetch_one(&mut *tx)
        .await?;
        for unit in units {
            sqlx::query("INSERT INTO training_units (training_id, unit_id) VALUES ($1, $2)")
                .bind(id)
                .bind(unit.get())
                .execute(&mut *tx)
                .await?;
        }
        record(
            &mut tx,
            actor,
            AuditAction::TrainingAdd,
            AuditSubject::Training(TrainingId::new(id)),
            title,
        )
        .await?;
        tx.commit().await?;
        Ok(TrainingId::new(id))
    }

    pub async fn trainings(&self, span: Span) -> Result<Vec<Training>, StoreError> {
        // One query: each training once per unit (or once with no unit), in order.
        let rows = sqlx::query(
            "SELECT t.id, t.held_on, t.title, t.people_trained, u.name AS unit_name FROM trainings t \
             LEFT JOIN training_units tu ON tu.training_id = t.id LEFT JOIN units u ON u.id = tu.unit_id \
             WHERE t.held_on >= $1 AND t.held_on <= $2 ORDER BY t.held_on, t.id, u.name",
        )
        .bind(to_iso(span.from))
        .bind(to_iso(span.to))
        .fetch_all(&self.pool)
        .await?;
        let mut out: Vec<Training> = Vec::new();
        for row in &rows {
            let id = TrainingId::new(row.try_get("id")?);
            let unit: Option<String> = row.try_get("unit_name")?;
            if out.last().map(|t| t.id) != Some(id) {
                out.push(Training {
                    id,
                    held_on: from_iso(row.try_get::<String, _>("held_on")?.as_str())?,
                    title: row.try_get("title")?,
                    people_trained: row.try_get("people_trained")?,
                    units: Vec::new(),
                });
            }
            if let (Some(unit), Some(training)) = (unit, out.last_mut()) {
                training.units.push(unit);
            }
        }
        Ok(out)
    }
}
