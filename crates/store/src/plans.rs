//! Action plans, their commitments (ejes) and goals (metas), the readings typed by hand,
//! progress notes, and the sessions where a quarter's results were presented.
//!
//! Plans, commitments and goals carry an optional external id: saving a row whose external
//! id exists updates it, so a CSV re-import changes rows and never duplicates them.

use abierto_domain::governance::Period;
use abierto_domain::ids::{
    BodyId, CommitmentId, EvidenceId, GoalId, PlanId, ProgressNoteId, SessionId, UnitId,
};
use abierto_domain::indicators::{IndicatorKind, IndicatorSpec, Measure};
use abierto_domain::plan::{check_weights, Quarter};
use abierto_domain::ErrorCode;
use abierto_domain::ValidationError;
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use crate::audit::{record, Actor, AuditAction};
use crate::plan_edits::check_plan_rules;
use crate::rows::{from_iso, to_iso, to_unix};
use crate::{Store, StoreError};

#[derive(Debug, Clone)]
pub struct NewPlan {
    pub external_id: Option<String>,
    pub title: String,
    pub body: BodyId,
    pub period: Period,
    pub approved_in: Option<SessionId>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    pub id: PlanId,
    pub external_id: Option<String>,
    pub title: String,
    pub body: BodyId,
    pub period: Period,
    pub approved_in: Option<SessionId>,
}

#[derive(Debug, Clone)]
pub struct NewCommitment {
    pub external_id: Option<String>,
    pub plan: PlanId,
    pub title: String,
    pub description: String,
    pub unit: Option<UnitId>,
    pub weight: Option<f64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Commitment {
    pub id: CommitmentId,
    pub external_id: Option<String>,
    pub plan: PlanId,
    pub position: i64,
    pub title: String,
    pub description: String,
    pub unit: Option<UnitId>,
    pub unit_name: Option<String>,
    pub weight: Option<f64>,
}

#[derive(Debug, Clone)]
pub struct NewGoal {
    pub external_id: Option<String>,
    pub commitment: CommitmentId,
    pub statement: String,
    /// The indicator as the plan words it ("% de acuerdos generados atendidos en el año").
    pub indicator: String,
    pub spec: IndicatorSpec,
    /// The records the indicator counts: those dated in this span (e.g. the fiscal year).
    pub measured: Period,
    /// The first day of the execution window, when the plan sets one.
    pub window_start: Option<NaiveDate>,
    /// Fecha establecida de cumplimiento.
    pub due_on: NaiveDate,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Goal {
    pub id: GoalId,
    pub external_id: Option<String>,
    pub commitment: CommitmentId,
    pub position: i64,
    pub statement: String,
    pub indicator: String,
    pub spec: IndicatorSpec,
    pub measured: Period,
    pub window_start: Option<NaiveDate>,
    pub due_on: NaiveDate,
}

/// A reading typed by hand: a milestone met, or a manual percentage.
#[derive(Debug, Clone, PartialEq)]
pub struct GoalReading {
    pub goal: GoalId,
    pub read_on: NaiveDate,
    pub value: f64,
    pub note: String,
    pub evidence: Option<EvidenceId>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ProgressNote {
    pub id: ProgressNoteId,
    pub commitment: CommitmentId,
    pub noted_on: NaiveDate,
    pub title: String,
    pub body: String,
}

/// Whether a save created a row or updated the one with the same external id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Saved<T> {
    Created(T),
    Updated(T),
}

impl<T: Copy> Saved<T> {
    pub fn id(&self) -> T {
        match self {
            Saved::Created(id) | Saved::Updated(id) => *id,
        }
    }
}

const PLAN_COLUMNS: &str = "id, external_id, title, body_id, period_start, period_end, approved_in";
const COMMITMENT_COLUMNS: &str = "c.id, c.external_id, c.plan_id, c.position, c.title, c.description, c.unit_id, c.weight, u.name AS unit_name";
const GOAL_COLUMNS: &str = "g.id, g.external_id, g.commitment_id, g.position, g.statement, g.indicator, g.kind, g.numerator, g.denominator, g.target, g.measured_from, g.measured_to, g.window_start, g.due_on";

impl Store {
    pub async fn save_plan(
        &self,
        actor: &Actor,
        new: &NewPlan,
    ) -> Result<Saved<PlanId>, StoreError> {
        let mut tx = self.begin_write().await?;
        let saved = save_plan(&mut tx, new).await?;
        record(
            &mut tx,
            actor,
            AuditAction::PlanSave,
            &format!("plan:{}", saved.id()),
            &new.title,
        )
        .await?;
        tx.commit().await?;
        Ok(saved)
    }

    pub async fn plans(&self) -> Result<Vec<Plan>, StoreError> {
        let sql = format!("SELECT {PLAN_COLUMNS} FROM plans ORDER BY period_start DESC, id DESC");
        sqlx::query(&sql)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(plan_from_row)
            .collect()
    }

    pub async fn plan(&self, id: PlanId) -> Result<Plan, StoreError> {
        let sql = format!("SELECT {PLAN_COLUMNS} FROM plans WHERE id = $1");
        plan_from_row(
            &sqlx::query(&sql)
                .bind(id.get())
                .fetch_one(&self.pool)
                .await?,
        )
    }

    /// Saves a commitment; refused when the plan's weights no longer sum to 1.
    pub async fn save_commitment(
        &self,
        actor: &Actor,
        new: &NewCommitment,
    ) -> Result<Saved<CommitmentId>, StoreError> {
        let mut tx = self.begin_write().await?;
        let saved = save_commitment(&mut tx, new).await?;
        check_plan_weights(&mut tx, new.plan).await?;
        record(
            &mut tx,
            actor,
            AuditAction::CommitmentSave,
            &format!("commitment:{}", saved.id()),
            &new.title,
        )
        .await?;
        tx.commit().await?;
        Ok(saved)
    }

    pub async fn commitments(&self, plan: PlanId) -> Result<Vec<Commitment>, StoreError> {
        let sql = format!(
            "SELECT {COMMITMENT_COLUMNS} FROM commitments c LEFT JOIN units u ON u.id = c.unit_id \
             WHERE c.plan_id = $1 ORDER BY c.position, c.id"
        );
        sqlx::query(&sql)
            .bind(plan.get())
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(commitment_from_row)
            .collect()
    }

    pub async fn commitment(&self, id: CommitmentId) -> Result<Commitment, StoreError> {
        let sql = format!(
            "SELECT {COMMITMENT_COLUMNS} FROM commitments c LEFT JOIN units u ON u.id = c.unit_id \
             WHERE c.id = $1"
        );
        commitment_from_row(
            &sqlx::query(&sql)
                .bind(id.get())
                .fetch_one(&self.pool)
                .await?,
        )
    }

    pub async fn save_goal(
        &self,
        actor: &Actor,
        new: &NewGoal,
    ) -> Result<Saved<GoalId>, StoreError> {
        let mut tx = self.begin_write().await?;
        let saved = save_goal(&mut tx, new).await?;
        record(
            &mut tx,
            actor,
            AuditAction::GoalSave,
            &format!("goal:{}", saved.id()),
            &new.statement,
        )
        .await?;
        tx.commit().await?;
        Ok(saved)
    }

    /// Every goal of a plan, by commitment and position.
    pub async fn goals_of_plan(&self, plan: PlanId) -> Result<Vec<Goal>, StoreError> {
        let sql = format!(
            "SELECT {GOAL_COLUMNS} FROM goals g JOIN commitments c ON c.id = g.commitment_id \
             WHERE c.plan_id = $1 ORDER BY c.position, c.id, g.position, g.id"
        );
        sqlx::query(&sql)
            .bind(plan.get())
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(goal_from_row)
            .collect()
    }

    pub async fn goal(&self, id: GoalId) -> Result<Goal, StoreError> {
        let sql = format!("SELECT {GOAL_COLUMNS} FROM goals g WHERE g.id = $1");
        goal_from_row(
            &sqlx::query(&sql)
                .bind(id.get())
                .fetch_one(&self.pool)
                .await?,
        )
    }

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
            &format!("goal:{}", reading.goal),
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
            &format!("commitment:{commitment}"),
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
            &format!("plan:{plan}"),
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

/// Looks a row up by external id in `table`.
pub(crate) async fn by_external_id(
    conn: &mut AnyConnection,
    table: &str,
    external_id: Option<&str>,
) -> Result<Option<i64>, StoreError> {
    let Some(external_id) = external_id else {
        return Ok(None);
    };
    let sql = format!("SELECT id FROM {table} WHERE external_id = $1");
    let row: Option<(i64,)> = sqlx::query_as(&sql)
        .bind(external_id)
        .fetch_optional(&mut *conn)
        .await?;
    Ok(row.map(|(id,)| id))
}

pub(crate) async fn save_plan(
    conn: &mut AnyConnection,
    new: &NewPlan,
) -> Result<Saved<PlanId>, StoreError> {
    let existing = by_external_id(conn, "plans", new.external_id.as_deref()).await?;
    let existing = existing.map(PlanId::new);
    check_plan_rules(conn, existing, new).await?;
    let id = write_plan(conn, existing, new).await?;
    Ok(saved(existing.map(PlanId::get), id))
}

/// Writes a plan's title, body, period and approving session over the row `id`; its key
/// stays. `NotFound` when there is no such plan.
pub(crate) async fn update_plan_row(
    conn: &mut AnyConnection,
    id: PlanId,
    new: &NewPlan,
) -> Result<(), StoreError> {
    write_plan(conn, Some(id), new).await.map(|_| ())
}

/// Inserts a plan with its key, or (`existing`) updates that row keeping its key.
async fn write_plan(
    conn: &mut AnyConnection,
    existing: Option<PlanId>,
    new: &NewPlan,
) -> Result<PlanId, StoreError> {
    // $1 is the row's id for an update, the external id for an insert; the rest is shared.
    let sql = match existing {
        Some(_) => {
            "UPDATE plans SET title = $2, body_id = $3, period_start = $4, period_end = $5, \
             approved_in = $6 WHERE id = $1 RETURNING id"
        }
        None => {
            "INSERT INTO plans (external_id, title, body_id, period_start, period_end, approved_in) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id"
        }
    };
    let query = sqlx::query_as::<_, (i64,)>(sql);
    let query = match existing {
        Some(id) => query.bind(id.get()),
        None => query.bind(new.external_id.clone()),
    };
    let (id,) = query
        .bind(new.title.trim())
        .bind(new.body.get())
        .bind(to_iso(new.period.start))
        .bind(to_iso(new.period.end))
        .bind(new.approved_in.map(SessionId::get))
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(StoreError::NotFound)?;
    Ok(PlanId::new(id))
}

pub(crate) async fn save_commitment(
    conn: &mut AnyConnection,
    new: &NewCommitment,
) -> Result<Saved<CommitmentId>, StoreError> {
    let existing = by_external_id(conn, "commitments", new.external_id.as_deref()).await?;
    // $1 is the row's id for an update, the external id for an insert; the rest is shared.
    let sql = match existing {
        Some(_) => {
            "UPDATE commitments SET plan_id = $2, title = $3, description = $4, unit_id = $5, \
             weight = $6 WHERE id = $1 RETURNING id"
        }
        None => {
            "INSERT INTO commitments (external_id, plan_id, position, title, description, unit_id, weight) \
             VALUES ($1, $2, (SELECT COALESCE(MAX(position), 0) + 1 FROM commitments WHERE plan_id = $2), \
             $3, $4, $5, $6) RETURNING id"
        }
    };
    // Not kept as a prepared statement: sqlx's Any driver sends a missing weight to PostgreSQL
    // as a `real` NULL, and a statement prepared with that type then refuses a `double` weight.
    let query = sqlx::query_as::<_, (i64,)>(sql).persistent(false);
    let query = match existing {
        Some(id) => query.bind(id),
        None => query.bind(new.external_id.clone()),
    };
    let (id,) = query
        .bind(new.plan.get())
        .bind(new.title.trim())
        .bind(new.description.trim())
        .bind(new.unit.map(UnitId::get))
        .bind(new.weight)
        .fetch_one(&mut *conn)
        .await?;
    Ok(saved(existing, CommitmentId::new(id)))
}

/// Refuses the change when the plan's weights are incomplete or do not sum to 1.
pub(crate) async fn check_plan_weights(
    conn: &mut AnyConnection,
    plan: PlanId,
) -> Result<(), StoreError> {
    let weights: Vec<(Option<f64>,)> =
        sqlx::query_as("SELECT weight FROM commitments WHERE plan_id = $1")
            .bind(plan.get())
            .fetch_all(&mut *conn)
            .await?;
    let weights: Vec<Option<f64>> = weights.into_iter().map(|(w,)| w).collect();
    check_weights(&weights).map_err(StoreError::Refused)
}

pub(crate) async fn save_goal(
    conn: &mut AnyConnection,
    new: &NewGoal,
) -> Result<Saved<GoalId>, StoreError> {
    check_goal_dates(new)?;
    let existing = by_external_id(conn, "goals", new.external_id.as_deref()).await?;
    let id = write_goal(conn, existing.map(GoalId::new), new).await?;
    Ok(saved(existing, id))
}

/// A goal is due on or after the start of its execution window.
pub(crate) fn check_goal_dates(new: &NewGoal) -> Result<(), StoreError> {
    match new.window_start {
        Some(start) if new.due_on < start => Err(StoreError::Refused(ValidationError::new(
            "due_on",
            ErrorCode::DueBeforeWindow,
        ))),
        _ => Ok(()),
    }
}

/// Writes a goal's commitment, statement, indicator, measured span, window and due date over
/// the row `id`; its key stays. `NotFound` when there is no such goal.
pub(crate) async fn update_goal_row(
    conn: &mut AnyConnection,
    id: GoalId,
    new: &NewGoal,
) -> Result<(), StoreError> {
    write_goal(conn, Some(id), new).await.map(|_| ())
}

/// Inserts a goal with its key, last of its commitment, or (`existing`) updates that row
/// keeping its key and position.
async fn write_goal(
    conn: &mut AnyConnection,
    existing: Option<GoalId>,
    new: &NewGoal,
) -> Result<GoalId, StoreError> {
    let spec = &new.spec;
    // $1 is the row's id for an update, the external id for an insert; the rest is shared.
    let sql = match existing {
        Some(_) => {
            "UPDATE goals SET commitment_id = $2, statement = $3, indicator = $4, kind = $5, \
             numerator = $6, denominator = $7, target = $8, measured_from = $9, measured_to = $10, \
             window_start = $11, due_on = $12 WHERE id = $1 RETURNING id"
        }
        None => {
            "INSERT INTO goals (external_id, commitment_id, position, statement, indicator, kind, \
             numerator, denominator, target, measured_from, measured_to, window_start, due_on) \
             VALUES ($1, $2, (SELECT COALESCE(MAX(position), 0) + 1 FROM goals WHERE commitment_id = $2), \
             $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id"
        }
    };
    let query = sqlx::query_as::<_, (i64,)>(sql);
    let query = match existing {
        Some(id) => query.bind(id.get()),
        None => query.bind(new.external_id.clone()),
    };
    let (id,) = query
        .bind(new.commitment.get())
        .bind(new.statement.trim())
        .bind(new.indicator.trim())
        .bind(spec.kind.key())
        .bind(spec.numerator.map(Measure::key))
        .bind(spec.denominator.map(Measure::key))
        .bind(spec.target)
        .bind(to_iso(new.measured.start))
        .bind(to_iso(new.measured.end))
        .bind(new.window_start.map(to_iso))
        .bind(to_iso(new.due_on))
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(StoreError::NotFound)?;
    Ok(GoalId::new(id))
}

pub(crate) fn saved<T>(existing: Option<i64>, id: T) -> Saved<T> {
    match existing {
        Some(_) => Saved::Updated(id),
        None => Saved::Created(id),
    }
}

fn plan_from_row(row: &AnyRow) -> Result<Plan, StoreError> {
    Ok(Plan {
        id: PlanId::new(row.try_get("id")?),
        external_id: row.try_get("external_id")?,
        title: row.try_get("title")?,
        body: BodyId::new(row.try_get("body_id")?),
        period: Period::new(
            from_iso(row.try_get::<String, _>("period_start")?.as_str())?,
            from_iso(row.try_get::<String, _>("period_end")?.as_str())?,
        )?,
        approved_in: row
            .try_get::<Option<i64>, _>("approved_in")?
            .map(SessionId::new),
    })
}

fn commitment_from_row(row: &AnyRow) -> Result<Commitment, StoreError> {
    Ok(Commitment {
        id: CommitmentId::new(row.try_get("id")?),
        external_id: row.try_get("external_id")?,
        plan: PlanId::new(row.try_get("plan_id")?),
        position: row.try_get("position")?,
        title: row.try_get("title")?,
        description: row.try_get("description")?,
        unit: row.try_get::<Option<i64>, _>("unit_id")?.map(UnitId::new),
        unit_name: row.try_get("unit_name")?,
        weight: row.try_get("weight")?,
    })
}

fn goal_from_row(row: &AnyRow) -> Result<Goal, StoreError> {
    let measure = |column: &str| -> Result<Option<Measure>, StoreError> {
        row.try_get::<Option<String>, _>(column)?
            .map(|raw| Measure::parse(&raw).map_err(StoreError::from))
            .transpose()
    };
    let spec = IndicatorSpec::new(
        IndicatorKind::parse(row.try_get::<String, _>("kind")?.as_str())?,
        measure("numerator")?,
        measure("denominator")?,
        row.try_get("target")?,
    )?;
    Ok(Goal {
        id: GoalId::new(row.try_get("id")?),
        external_id: row.try_get("external_id")?,
        commitment: CommitmentId::new(row.try_get("commitment_id")?),
        position: row.try_get("position")?,
        statement: row.try_get("statement")?,
        indicator: row.try_get("indicator")?,
        spec,
        measured: Period::new(
            from_iso(row.try_get::<String, _>("measured_from")?.as_str())?,
            from_iso(row.try_get::<String, _>("measured_to")?.as_str())?,
        )?,
        window_start: row
            .try_get::<Option<String>, _>("window_start")?
            .map(|raw| from_iso(&raw))
            .transpose()?,
        due_on: from_iso(row.try_get::<String, _>("due_on")?.as_str())?,
    })
}
