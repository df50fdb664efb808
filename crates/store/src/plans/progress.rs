//! What happens to a plan as it runs: readings typed by hand, progress notes, and the
//! sessions where a quarter's results were presented.

use abierto_domain::ids::{CommitmentId, EvidenceId, GoalId, PlanId, ProgressNoteId, SessionId};
use abierto_domain::indicators::IndicatorKind;
use abierto_domain::plan::Quarter;
use abierto_domain::ErrorCode;
use abierto_domain::ValidationError;
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::Row;

use super::{GoalReading, ProgressNote};
use crate::audit::{record, Actor, AuditAction};
use crate::audit_subject::AuditSubject;
use crate::rows::{from_iso, to_iso, to_unix};
use crate::{Store, StoreError};

impl Store {
    /// Records a milestone met (value 100) or a manual percentage, with the note that
    /// accredits it. Refused for indicators computed from records.
    pub async fn add_goal_reading(
        &self,
        actor: &Actor,
        reading: &GoalReading,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        let (kind,): (String,) = sqlx::query_as("SELECT kind FROM goals WHERE id = $1")
            .bind(reading.goal.get())
            .fetch_one(&mut *tx)
            .await?;
        let kind = IndicatorKind::parse(&kind)?;
        if !matches!(
            kind,
            IndicatorKind::Milestone | IndicatorKind::ManualPercentage
        ) {
            return Err(StoreError::Refused(ValidationError::new(
                "goal",
                ErrorCode::ReadingComputedFromRecords,
            )));
        }
        if reading.note.trim().is_empty() {
            return Err(StoreError::Refused(ValidationError::new(
                "note",
                ErrorCode::EvidenceNoteRequired,
            )));
        }
        if !(0.0..=100.0).contains(&reading.value) {
            return Err(StoreError::Refused(ValidationError::new(
                "value",
                ErrorCode::InvalidPercentage,
            )));
        }
        sqlx::query(
            "INSERT INTO goal_readings (goal_id, read_on, value, note, evidence_id, recorded_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(reading.goal.get())
        .bind(to_iso(reading.read_on))
        .bind(reading.value)
        .bind(reading.note.trim())
        .bind(reading.evidence.map(EvidenceId::get))
        .bind(to_unix(at))
        .execute(&mut *tx)
        .await?;
        record(
            &mut tx,
            actor,
            AuditAction::GoalReading,
            AuditSubject::Goal(reading.goal),
            &format!("{} {}", to_iso(reading.read_on), reading.value),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// A goal's hand-typed readings, oldest first.
    pub async fn goal_readings(&self, goal: GoalId) -> Result<Vec<GoalReading>, StoreError> {
        sqlx::query(
            "SELECT goal_id, read_on, value, note, evidence_id FROM goal_readings \
             WHERE goal_id = $1 ORDER BY read_on, id",
        )
        .bind(goal.get())
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|row| {
            Ok(GoalReading {
                goal: GoalId::new(row.try_get("goal_id")?),
                read_on: from_iso(row.try_get::<String, _>("read_on")?.as_str())?,
                value: row.try_get("value")?,
                note: row.try_get("note")?,
                evidence: row
                    .try_get::<Option<i64>, _>("evidence_id")?
                    .map(EvidenceId::new),
            })
        })
        .collect()
    }

    pub async fn add_progress_note(
        &self,
        actor: &Actor,
        commitment: CommitmentId,
        noted_on: NaiveDate,
        title: &str,
        body: &str,
    ) -> Result<ProgressNoteId, StoreError> {
        let mut tx = self.begin_write().await?;
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO progress_notes (commitment_id, noted_on, title, body) \
             VALUES ($1, $2, $3, $4) RETURNING id",
        )
        .bind(commitment.get())
        .bind(to_iso(noted_on))
        .bind(title)
        .bind(body)
        .fetch_one(&mut *tx)
        .await?;
        record(
            &mut tx,
            actor,
            AuditAction::CommitmentNote,
            AuditSubject::Commitment(commitment),
            title,
        )
        .await?;
        tx.commit().await?;
        Ok(ProgressNoteId::new(id))
    }

    /// The progress notes of a plan's commitments, by commitment and date.
    pub async fn progress_notes(&self, plan: PlanId) -> Result<Vec<ProgressNote>, StoreError> {
        sqlx::query(
            "SELECT n.id, n.commitment_id, n.noted_on, n.title, n.body FROM progress_notes n \
             JOIN commitments c ON c.id = n.commitment_id WHERE c.plan_id = $1 \
             ORDER BY c.position, n.noted_on, n.id",
        )
        .bind(plan.get())
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|row| {
            Ok(ProgressNote {
                id: ProgressNoteId::new(row.try_get("id")?),
                commitment: CommitmentId::new(row.try_get("commitment_id")?),
                noted_on: from_iso(row.try_get::<String, _>("noted_on")?.as_str())?,
                title: row.try_get("title")?,
                body: row.try_get("body")?,
            })
        })
        .collect()
    }

    /// Records the session where a quarter's results were presented (replacing an earlier
    /// record for the same quarter).
    pub async fn present_quarter(
        &self,
        actor: &Actor,
        plan: PlanId,
        quarter: Quarter,
        session: SessionId,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        sqlx::query("DELETE FROM plan_presentations WHERE plan_id = $1 AND quarter = $2")
            .bind(plan.get())
            .bind(quarter.to_string())
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO plan_presentations (plan_id, quarter, session_id) VALUES ($1, $2, $3)",
        )
        .bind(plan.get())
        .bind(quarter.to_string())
        .bind(session.get())
        .execute(&mut *tx)
        .await?;
        record(
            &mut tx,
            actor,
            AuditAction::PlanPresented,
            AuditSubject::Plan(plan),
            &format!("{quarter} session:{session}"),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The session where a quarter's results were presented, if recorded.
    pub async fn presentation(
        &self,
        plan: PlanId,
        quarter: Quarter,
    ) -> Result<Option<SessionId>, StoreError> {
        let row: Option<(i64,)> = sqlx::query_as(
            "SELECT session_id FROM plan_presentations WHERE plan_id = $1 AND quarter = $2",
        )
        .bind(plan.get())
        .bind(quarter.to_string())
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(|(id,)| SessionId::new(id)))
    }

    /// Every recorded presentation of a plan: (quarter, session), oldest first.
    pub async fn presentations(
        &self,
        plan: PlanId,
    ) -> Result<Vec<(Quarter, SessionId)>, StoreError> {
        let rows: Vec<(String, i64)> = sqlx::query_as(
            "SELECT quarter, session_id FROM plan_presentations WHERE plan_id = $1 ORDER BY quarter",
        )
        .bind(plan.get())
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|(quarter, session)| {
                Ok((
                    Quarter::parse(&quarter).map_err(StoreError::from)?,
                    SessionId::new(session),
                ))
            })
            .collect()
    }
}
