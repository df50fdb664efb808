//! Action plans, their commitments (ejes) and goals (metas), the readings typed by hand,
//! progress notes, and the sessions where a quarter's results were presented.
//!
//! Plans, commitments and goals carry an optional external id: saving a row whose external
//! id exists updates it, so a CSV re-import changes rows and never duplicates them.

mod edits;
mod progress;
mod records;
mod rules;
mod writes;

use abierto_domain::governance::Period;
use abierto_domain::ids::{
    BodyId, CommitmentId, EvidenceId, GoalId, PlanId, ProgressNoteId, SessionId, UnitId,
};
use abierto_domain::indicators::{IndicatorKind, IndicatorSpec, Measure};
use chrono::NaiveDate;
use sqlx::any::AnyRow;
use sqlx::Row;

use crate::rows::from_iso;
use crate::StoreError;

pub use edits::CommitmentEdit;
pub(crate) use rules::check_plan_weights;
pub(crate) use writes::{by_external_id, save_commitment, save_goal, save_plan, saved};

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
