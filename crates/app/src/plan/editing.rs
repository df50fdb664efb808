//! Creating and editing an action plan, its commitments (ejes) and their goals (metas): the
//! plan's title, owning body, period and approving session; each commitment's title,
//! description, Unidad Responsable and weight; each goal's statement, indicator, window and
//! due date. A new plan, commitment or goal needs a key (clave) — the external id
//! the CSV import matches on — and keeps it; weights change together so that they always
//! sum to 1, or none is set.

use abierto_domain::account::Role;
use abierto_domain::dates::parse_date;
use abierto_domain::governance::Period;
use abierto_domain::ids::{BodyId, CommitmentId, GoalId, PlanId, SessionId, UnitId};
use abierto_domain::indicators::{IndicatorKind, IndicatorSpec, Measure};
use abierto_domain::programs::required_text;
use abierto_domain::ErrorCode;
use abierto_domain::ValidationError;
use abierto_store::{CommitmentEdit, NewCommitment, NewGoal, NewPlan, StoreError};
use serde::Deserialize;

use crate::governance::unit_named;
use crate::{Actor, App, Error};

const KEY_LIMIT: usize = 100;
const TITLE_LIMIT: usize = 300;
const DESCRIPTION_LIMIT: usize = 4000;

/// A plan as the secretariat writes it.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct PlanRequest {
    /// The plan's key (`pamga-2025-2027`), as CSV imports name it: required to create a plan,
    /// ignored by an edit, which keeps the key.
    #[serde(default)]
    pub external_id: Option<String>,
    /// "Plan de Acción Municipal de Gobierno Abierto 2025-2027".
    pub title: String,
    /// The id of the body (órgano colegiado) that owns the plan.
    #[schema(value_type = i64)]
    pub body: BodyId,
    /// `2025-01-01`.
    pub period_start: String,
    /// `2027-12-31`.
    pub period_end: String,
    /// The id of the body's session that approved the plan.
    #[serde(default)]
    #[schema(value_type = Option<i64>)]
    pub approved_in: Option<SessionId>,
}

fn date(field: &'static str, raw: &str) -> Result<chrono::NaiveDate, ValidationError> {
    parse_date(raw).map_err(|_| ValidationError::new(field, ErrorCode::InvalidDate))
}

fn key(raw: Option<&str>) -> Result<Option<String>, ValidationError> {
    let key = raw.map(str::trim).filter(|k| !k.is_empty());
    match key {
        Some(k) if k.chars().count() > KEY_LIMIT => {
            Err(ValidationError::new("external_id", ErrorCode::TextTooLong))
        }
        Some(k) if k.chars().any(char::is_control) => {
            Err(ValidationError::new("external_id", ErrorCode::InvalidKey))
        }
        _ => Ok(key.map(str::to_owned)),
    }
}

async fn plan_fields(app: &App, request: &PlanRequest) -> Result<NewPlan, Error> {
    let title = required_text("title", &request.title, TITLE_LIMIT)?;
    let period = Period::new(
        date("period_start", &request.period_start)?,
        date("period_end", &request.period_end)?,
    )?;
    match app.store().body(request.body).await {
        Ok(_) => {}
        Err(StoreError::NotFound) => {
            return Err(ValidationError::new("body", ErrorCode::UnknownBody).into())
        }
        Err(other) => return Err(other.into()),
    }
    Ok(NewPlan {
        external_id: key(request.external_id.as_deref())?,
        title,
        body: request.body,
        period,
        approved_in: request.approved_in,
    })
}

pub async fn create_plan(app: &App, actor: &Actor, request: &PlanRequest) -> Result<PlanId, Error> {
    actor.require(Role::can_keep_sessions)?;
    let new = plan_fields(app, request).await?;
    Ok(app.store().create_plan(&actor.audit(), &new).await?)
}

pub async fn edit_plan(
    app: &App,
    actor: &Actor,
    id: PlanId,
    request: &PlanRequest,
) -> Result<(), Error> {
    actor.require(Role::can_keep_sessions)?;
    app.store().plan(id).await?;
    let changes = plan_fields(app, request).await?;
    Ok(app.store().edit_plan(&actor.audit(), id, &changes).await?)
}

/// A commitment's weight; `null` for none.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct WeightRequest {
    #[schema(value_type = i64)]
    pub commitment: CommitmentId,
    pub weight: Option<f64>,
}

/// The weights of a plan's commitments, set together.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct WeightsRequest {
    pub weights: Vec<WeightRequest>,
}

fn weight_pairs(weights: &[WeightRequest]) -> Vec<(CommitmentId, Option<f64>)> {
    weights.iter().map(|w| (w.commitment, w.weight)).collect()
}

pub async fn set_weights(
    app: &App,
    actor: &Actor,
    plan: PlanId,
    request: &WeightsRequest,
) -> Result<(), Error> {
    actor.require(Role::can_keep_sessions)?;
    Ok(app
        .store()
        .set_weights(&actor.audit(), plan, &weight_pairs(&request.weights))
        .await?)
}

/// A new commitment of a plan.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct CommitmentRequest {
    /// The commitment's key (`pamga-2025-mbh`), as CSV imports name it.
    #[serde(default)]
    pub external_id: Option<String>,
    /// "Mi Barrio Habla".
    pub title: String,
    #[serde(default)]
    pub description: String,
    /// The Unidad Responsable's name.
    #[serde(default)]
    pub unit: Option<String>,
    /// Between 0 and 1; either every commitment of the plan has a weight and they sum to 1,
    /// or none has one.
    #[serde(default)]
    pub weight: Option<f64>,
    /// New weights of the plan's other commitments, set in the same change, so that a
    /// weighted plan can take a new commitment.
    #[serde(default)]
    pub other_weights: Vec<WeightRequest>,
}

/// What an edit changes of a commitment: its key, plan and weight stay (weights change
/// together, for the whole plan).
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct CommitmentEditRequest {
    pub title: String,
    #[serde(default)]
    pub description: String,
    /// The Unidad Responsable's name; none when absent or blank.
    #[serde(default)]
    pub unit: Option<String>,
}

async fn unit(app: &App, name: Option<&str>) -> Result<Option<UnitId>, Error> {
    match name.map(str::trim).filter(|n| !n.is_empty()) {
        Some(name) => Ok(Some(unit_named(app, name).await?)),
        None => Ok(None),
    }
}

fn description(raw: &str) -> Result<String, ValidationError> {
    let text = raw.trim();
    if text.chars().count() > DESCRIPTION_LIMIT {
        return Err(ValidationError::new("description", ErrorCode::TextTooLong));
    }
    Ok(text.to_owned())
}

pub async fn create_commitment(
    app: &App,
    actor: &Actor,
    plan: PlanId,
    request: &CommitmentRequest,
) -> Result<CommitmentId, Error> {
    actor.require(Role::can_keep_sessions)?;
    app.store().plan(plan).await?;
    let new = NewCommitment {
        external_id: key(request.external_id.as_deref())?,
        plan,
        title: required_text("title", &request.title, TITLE_LIMIT)?,
        description: description(&request.description)?,
        unit: unit(app, request.unit.as_deref()).await?,
        weight: request.weight,
    };
    Ok(app
        .store()
        .create_commitment(&actor.audit(), &new, &weight_pairs(&request.other_weights))
        .await?)
}

pub async fn edit_commitment(
    app: &App,
    actor: &Actor,
    id: CommitmentId,
    request: &CommitmentEditRequest,
) -> Result<(), Error> {
    actor.require(Role::can_keep_sessions)?;
    app.store().commitment(id).await?;
    let changes = CommitmentEdit {
        title: required_text("title", &request.title, TITLE_LIMIT)?,
        description: description(&request.description)?,
        unit: unit(app, request.unit.as_deref()).await?,
    };
    Ok(app
        .store()
        .edit_commitment(&actor.audit(), id, &changes)
        .await?)
}

/// A goal (meta) of a commitment and its indicator.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct GoalRequest {
    /// The goal's key, as CSV imports name it: required to create a goal, ignored by an edit.
    #[serde(default)]
    pub external_id: Option<String>,
    /// "Dar seguimiento a los acuerdos de mejora de Mi Barrio Habla".
    pub statement: String,
    /// The indicator as the plan words it ("% de acuerdos generados atendidos en el año").
    #[serde(default)]
    pub indicator: String,
    /// `record_ratio`, `count`, `milestone` or `manual_percentage`.
    pub kind: String,
    /// What a ratio or count counts: `agreements_concluded`, `works_in_stage:delivered`…
    #[serde(default)]
    pub numerator: Option<String>,
    /// What a ratio divides by: `agreements`…
    #[serde(default)]
    pub denominator: Option<String>,
    /// The target: a percentage (80) or, for a count, a number of records.
    pub target: f64,
    /// The records counted are those dated from this day (the plan's start when absent)…
    #[serde(default)]
    pub measured_from: Option<String>,
    /// …to this day (the plan's end when absent).
    #[serde(default)]
    pub measured_to: Option<String>,
    /// The first day of the execution window ("marzo - julio"), if the plan sets one.
    #[serde(default)]
    pub window_start: Option<String>,
    /// Fecha establecida de cumplimiento.
    pub due_on: String,
}

fn optional_date(
    field: &'static str,
    raw: Option<&str>,
) -> Result<Option<chrono::NaiveDate>, ValidationError> {
    raw.map(str::trim)
        .filter(|r| !r.is_empty())
        .map(|r| date(field, r))
        .transpose()
}

fn measure(raw: Option<&str>) -> Result<Option<Measure>, ValidationError> {
    raw.map(str::trim)
        .filter(|r| !r.is_empty())
        .map(Measure::parse)
        .transpose()
}

/// The goal as the store keeps it, its measured span defaulting to the plan's period.
async fn goal_fields(
    app: &App,
    commitment: CommitmentId,
    request: &GoalRequest,
) -> Result<NewGoal, Error> {
    let plan = app
        .store()
        .plan(app.store().commitment(commitment).await?.plan)
        .await?;
    let spec = IndicatorSpec::new(
        IndicatorKind::parse(&request.kind)?,
        measure(request.numerator.as_deref())?,
        measure(request.denominator.as_deref())?,
        request.target,
    )?;
    let measured = Period::new(
        optional_date("measured_from", request.measured_from.as_deref())?
            .unwrap_or(plan.period.start),
        optional_date("measured_to", request.measured_to.as_deref())?.unwrap_or(plan.period.end),
    )?;
    Ok(NewGoal {
        external_id: key(request.external_id.as_deref())?,
        commitment,
        statement: required_text("statement", &request.statement, DESCRIPTION_LIMIT)?,
        indicator: description(&request.indicator)?,
        spec,
        measured,
        window_start: optional_date("window_start", request.window_start.as_deref())?,
        due_on: date("due_on", &request.due_on)?,
    })
}

pub async fn create_goal(
    app: &App,
    actor: &Actor,
    commitment: CommitmentId,
    request: &GoalRequest,
) -> Result<GoalId, Error> {
    actor.require(Role::can_keep_sessions)?;
    let new = goal_fields(app, commitment, request).await?;
    Ok(app.store().create_goal(&actor.audit(), &new).await?)
}

pub async fn edit_goal(
    app: &App,
    actor: &Actor,
    id: GoalId,
    request: &GoalRequest,
) -> Result<(), Error> {
    actor.require(Role::can_keep_sessions)?;
    let goal = app.store().goal(id).await?;
    let changes = goal_fields(app, goal.commitment, request).await?;
    Ok(app.store().edit_goal(&actor.audit(), id, &changes).await?)
}
