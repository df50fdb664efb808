//! The rows of plans, commitments and goals as the database holds them, read by name through
//! `FromRow`, and turned into the store's records (typed ids, periods, the indicator's
//! spec), where a stored value that no longer parses is reported as corrupt.

use abierto_domain::governance::Period;
use abierto_domain::ids::{BodyId, CommitmentId, GoalId, PlanId, SessionId, UnitId};
use abierto_domain::indicators::{IndicatorKind, IndicatorSpec, Measure};
use sqlx::any::AnyRow;
use sqlx::FromRow;

use super::{Commitment, Goal, Plan};
use crate::rows::from_iso;
use crate::StoreError;

/// The columns a [`PlanRow`] reads, for `SELECT … FROM plans`.
pub(super) const PLAN_COLUMNS: &str =
    "id, external_id, title, body_id, period_start, period_end, approved_in";
/// The columns a [`CommitmentRow`] reads, for `… FROM commitments c LEFT JOIN units u`.
pub(super) const COMMITMENT_COLUMNS: &str = "c.id, c.external_id, c.plan_id, c.position, \
    c.title, c.description, c.unit_id, c.weight, u.name AS unit_name";
/// The columns a [`GoalRow`] reads, for `… FROM goals g`.
pub(super) const GOAL_COLUMNS: &str = "g.id, g.external_id, g.commitment_id, g.position, \
    g.statement, g.indicator, g.kind, g.numerator, g.denominator, g.target, g.measured_from, \
    g.measured_to, g.window_start, g.due_on";

#[derive(FromRow)]
struct PlanRow {
    id: i64,
    external_id: Option<String>,
    title: String,
    body_id: i64,
    period_start: String,
    period_end: String,
    approved_in: Option<i64>,
}

#[derive(FromRow)]
struct CommitmentRow {
    id: i64,
    external_id: Option<String>,
    plan_id: i64,
    position: i64,
    title: String,
    description: String,
    unit_id: Option<i64>,
    unit_name: Option<String>,
    weight: Option<f64>,
}

#[derive(FromRow)]
struct GoalRow {
    id: i64,
    external_id: Option<String>,
    commitment_id: i64,
    position: i64,
    statement: String,
    indicator: String,
    kind: String,
    numerator: Option<String>,
    denominator: Option<String>,
    target: f64,
    measured_from: String,
    measured_to: String,
    window_start: Option<String>,
    due_on: String,
}

pub(super) fn plan_from_row(row: &AnyRow) -> Result<Plan, StoreError> {
    let row = PlanRow::from_row(row)?;
    Ok(Plan {
        id: PlanId::new(row.id),
        external_id: row.external_id,
        title: row.title,
        body: BodyId::new(row.body_id),
        period: Period::new(from_iso(&row.period_start)?, from_iso(&row.period_end)?)?,
        approved_in: row.approved_in.map(SessionId::new),
    })
}

pub(super) fn commitment_from_row(row: &AnyRow) -> Result<Commitment, StoreError> {
    let row = CommitmentRow::from_row(row)?;
    Ok(Commitment {
        id: CommitmentId::new(row.id),
        external_id: row.external_id,
        plan: PlanId::new(row.plan_id),
        position: row.position,
        title: row.title,
        description: row.description,
        unit: row.unit_id.map(UnitId::new),
        unit_name: row.unit_name,
        weight: row.weight,
    })
}

pub(super) fn goal_from_row(row: &AnyRow) -> Result<Goal, StoreError> {
    let row = GoalRow::from_row(row)?;
    let measure = |raw: Option<String>| -> Result<Option<Measure>, StoreError> {
        raw.map(|raw| Measure::parse(&raw).map_err(StoreError::from))
            .transpose()
    };
    let spec = IndicatorSpec::new(
        IndicatorKind::parse(&row.kind)?,
        measure(row.numerator)?,
        measure(row.denominator)?,
        row.target,
    )?;
    Ok(Goal {
        id: GoalId::new(row.id),
        external_id: row.external_id,
        commitment: CommitmentId::new(row.commitment_id),
        position: row.position,
        statement: row.statement,
        indicator: row.indicator,
        spec,
        measured: Period::new(from_iso(&row.measured_from)?, from_iso(&row.measured_to)?)?,
        window_start: row.window_start.as_deref().map(from_iso).transpose()?,
        due_on: from_iso(&row.due_on)?,
    })
}
