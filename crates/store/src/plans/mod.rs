//! Action plans, their commitments (ejes) and goals (metas), the readings typed by hand,
//! progress notes, and the sessions where a quarter's results were presented.
//!
//! Plans, commitments and goals carry an optional external id: saving a row whose external
//! id exists updates it, so a CSV re-import changes rows and never duplicates them.

mod edits;
mod progress;
mod records;
mod rows;
mod rules;
mod writes;

use abierto_domain::governance::Period;
use abierto_domain::ids::{
    BodyId, CommitmentId, EvidenceId, GoalId, PlanId, ProgressNoteId, SessionId, UnitId,
};
use abierto_domain::indicators::IndicatorSpec;
use chrono::NaiveDate;

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
