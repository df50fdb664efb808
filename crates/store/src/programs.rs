//! The programs' records — Mi Barrio Habla events and agreements, Presupuesto Participativo
//! works and their dated stages, Pregunta León, outreach activities, trainings — and the
//! counts the indicators read from them.

use abierto_domain::ids::{
    AgreementId, EventId, InquiryId, OutreachId, TrainingId, UnitId, WorkId,
};
use abierto_domain::indicators::Measure;
use abierto_domain::programs::{
    check_agreement, check_stage_change, AgreementStatus, InquiryChannel, InquiryKind,
    OutreachKind, Topic, WorkStage,
};
use abierto_domain::ErrorCode;
use chrono::NaiveDate;
use sqlx::{AnyConnection, Row};

use crate::audit::{record, Actor, AuditAction};
use crate::audit_subject::AuditSubject;
use crate::plans::{by_external_id, saved, Saved};
use crate::rows::{from_iso, to_iso};
use crate::{Store, StoreError};

#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    pub id: EventId,
    pub external_id: Option<String>,
    pub held_on: NaiveDate,
    pub neighbourhood: String,
    pub agreements: i64,
    pub concluded: i64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct NewAgreement {
    pub external_id: Option<String>,
    pub event: Option<EventId>,
    pub description: String,
    pub unit: Option<UnitId>,
    pub status: AgreementStatus,
    pub created_on: NaiveDate,
    pub concluded_on: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Agreement {
    pub id: AgreementId,
    pub external_id: Option<String>,
    pub event: Option<EventId>,
    pub description: String,
    pub unit_name: Option<String>,
    pub status: AgreementStatus,
    pub created_on: NaiveDate,
    pub concluded_on: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Work {
    pub id: WorkId,
    pub external_id: Option<String>,
    pub name: String,
    pub neighbourhood: String,
    /// Every change of stage, oldest first: (stage, day, reason).
    pub history: Vec<(WorkStage, NaiveDate, String)>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Inquiry {
    pub id: InquiryId,
    pub kind: InquiryKind,
    pub channel: Option<InquiryChannel>,
    pub held_on: NaiveDate,
    pub place: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Outreach {
    pub id: OutreachId,
    pub kind: OutreachKind,
    pub held_on: NaiveDate,
    pub place: String,
    pub audience: String,
    pub topics: Vec<Topic>,
    pub description: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Training {
    pub id: TrainingId,
    pub held_on: NaiveDate,
    pub title: String,
    pub people_trained: i64,
    pub units: Vec<String>,
}

/// A span of days, both ends included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

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

    /// Registers a work with its stages so far (at least one), oldest first.
    pub async fn add_work(
        &self,
        actor: &Actor,
        external_id: Option<&str>,
        name: &str,
        neighbourhood: &str,
        history: &[(WorkStage, NaiveDate)],
    ) -> Result<WorkId, StoreError> {
        if history.is_empty() {
            return Err(StoreError::Refused(abierto_domain::ValidationError::new(
                "stage",
                ErrorCode::StageRequired,
            )));
        }
        let mut tx = self.begin_write().await?;
        let id = insert_work(&mut tx, external_id, name, neighbourhood).await?;
        for (stage, on) in history {
            change_stage(&mut tx, id, *stage, *on, "").await?;
        }
        record(
            &mut tx,
            actor,
            AuditAction::PpWork,
            AuditSubject::Work(id),
            name,
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Moves a work to another stage; going back needs a reason.
    pub async fn change_work_stage(
        &self,
        actor: &Actor,
        work: WorkId,
        stage: WorkStage,
        on: NaiveDate,
        reason: &str,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        change_stage(&mut tx, work, stage, on, reason).await?;
        let detail = format!("{} {}", stage.key(), to_iso(on));
        record(
            &mut tx,
            actor,
            AuditAction::PpStage,
            AuditSubject::Work(work),
            &detail,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Every work with its history.
    pub async fn works(&self) -> Result<Vec<Work>, StoreError> {
        let works =
            sqlx::query("SELECT id, external_id, name, neighbourhood FROM works ORDER BY id")
                .fetch_all(&self.pool)
                .await?;
        let stages = sqlx::query(
            "SELECT work_id, stage, changed_on, reason FROM work_stages ORDER BY work_id, changed_on, id",
        )
        .fetch_all(&self.pool)
        .await?;
        let mut out: Vec<Work> = works
            .iter()
            .map(|row| {
                Ok(Work {
                    id: WorkId::new(row.try_get("id")?),
                    external_id: row.try_get("external_id")?,
                    name: row.try_get("name")?,
                    neighbourhood: row.try_get("neighbourhood")?,
                    history: Vec::new(),
                })
            })
            .collect::<Result<_, StoreError>>()?;
        for row in &stages {
            let work = WorkId::new(row.try_get("work_id")?);
            let entry = (
                WorkStage::parse(row.try_get::<String, _>("stage")?.as_str())?,
                from_iso(row.try_get::<String, _>("changed_on")?.as_str())?,
                row.try_get::<String, _>("reason")?,
            );
            if let Ok(index) = out.binary_search_by_key(&work, |w| w.id) {
                out[index].history.push(entry);
            }
        }
        Ok(out)
    }

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

    /// What the records answer for `measure`: records dated within `span` and on or before
    /// `as_of` (a work's stage is read on `as_of` itself; an agreement counts as concluded
    /// when it was by `as_of`).
    pub async fn measure(
        &self,
        measure: Measure,
        span: Span,
        as_of: NaiveDate,
    ) -> Result<f64, StoreError> {
        let to = to_iso(span.to.min(as_of));
        let from = to_iso(span.from);
        let count = |sql: &'static str| {
            let from = from.clone();
            let to = to.clone();
            async move {
                let (n,): (i64,) = sqlx::query_as(sql)
                    .bind(from)
                    .bind(to)
                    .fetch_one(&self.pool)
                    .await?;
                Ok::<f64, StoreError>(n as f64)
            }
        };
        match measure {
            Measure::Events => {
                count("SELECT COUNT(*) FROM mbh_events WHERE held_on >= $1 AND held_on <= $2").await
            }
            Measure::Agreements => {
                count("SELECT COUNT(*) FROM agreements WHERE created_on >= $1 AND created_on <= $2")
                    .await
            }
            // Agreements made in the span and concluded by the day of reading, even when
            // that day falls after the span (a report in March on the previous year).
            Measure::AgreementsConcluded => {
                let (n,): (i64,) = sqlx::query_as(
                    "SELECT COUNT(*) FROM agreements WHERE created_on >= $1 AND created_on <= $2 \
                     AND status = 'concluded' AND concluded_on <= $3",
                )
                .bind(from.clone())
                .bind(to.clone())
                .bind(to_iso(as_of))
                .fetch_one(&self.pool)
                .await?;
                Ok(n as f64)
            }
            Measure::Interventions => {
                count(
                    "SELECT COUNT(*) FROM inquiries WHERE kind = 'intervention' \
                     AND held_on >= $1 AND held_on <= $2",
                )
                .await
            }
            Measure::Advisories => {
                count(
                    "SELECT COUNT(*) FROM inquiries WHERE kind = 'advisory' \
                     AND held_on >= $1 AND held_on <= $2",
                )
                .await
            }
            Measure::OutreachActivities => count(
                "SELECT COUNT(*) FROM outreach_activities WHERE held_on >= $1 AND held_on <= $2",
            )
            .await,
            Measure::Trainings => {
                count("SELECT COUNT(*) FROM trainings WHERE held_on >= $1 AND held_on <= $2").await
            }
            Measure::PeopleTrained => {
                count(
                    "SELECT CAST(COALESCE(SUM(people_trained), 0) AS BIGINT) FROM trainings \
                     WHERE held_on >= $1 AND held_on <= $2",
                )
                .await
            }
            Measure::WorksInStage(stage) => {
                self.works_in_stage(stage, as_of).await.map(|n| n as f64)
            }
        }
    }

    /// How many works were in `stage` on `day`, from their dated history.
    pub async fn works_in_stage(
        &self,
        stage: WorkStage,
        day: NaiveDate,
    ) -> Result<i64, StoreError> {
        let (n,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM work_stages ws WHERE ws.stage = $1 AND ws.id = \
             (SELECT w2.id FROM work_stages w2 WHERE w2.work_id = ws.work_id AND w2.changed_on <= $2 \
              ORDER BY w2.changed_on DESC, w2.id DESC LIMIT 1)",
        )
        .bind(stage.key())
        .bind(to_iso(day))
        .fetch_one(&self.pool)
        .await?;
        Ok(n)
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

pub(crate) async fn insert_work(
    conn: &mut AnyConnection,
    external_id: Option<&str>,
    name: &str,
    neighbourhood: &str,
) -> Result<WorkId, StoreError> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO works (external_id, name, neighbourhood) VALUES ($1, $2, $3) RETURNING id",
    )
    .bind(external_id)
    .bind(name.trim())
    .bind(neighbourhood.trim())
    .fetch_one(&mut *conn)
    .await?;
    Ok(WorkId::new(id))
}

/// Appends a stage change after checking it against the work's last one.
pub(crate) async fn change_stage(
    conn: &mut AnyConnection,
    work: WorkId,
    stage: WorkStage,
    on: NaiveDate,
    reason: &str,
) -> Result<(), StoreError> {
    let exists: Option<(i64,)> = sqlx::query_as("SELECT id FROM works WHERE id = $1")
        .bind(work.get())
        .fetch_optional(&mut *conn)
        .await?;
    if exists.is_none() {
        return Err(StoreError::NotFound);
    }
    let last: Option<(String, String)> = sqlx::query_as(
        "SELECT stage, changed_on FROM work_stages WHERE work_id = $1 \
         ORDER BY changed_on DESC, id DESC LIMIT 1",
    )
    .bind(work.get())
    .fetch_optional(&mut *conn)
    .await?;
    let last = match last {
        Some((stage, day)) => Some((WorkStage::parse(&stage)?, from_iso(&day)?)),
        None => None,
    };
    check_stage_change(last, stage, on, reason).map_err(StoreError::Refused)?;
    sqlx::query(
        "INSERT INTO work_stages (work_id, stage, changed_on, reason) VALUES ($1, $2, $3, $4)",
    )
    .bind(work.get())
    .bind(stage.key())
    .bind(to_iso(on))
    .bind(reason.trim())
    .execute(&mut *conn)
    .await?;
    Ok(())
}
