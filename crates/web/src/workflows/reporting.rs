//! Reporting against the action plan: who may file a commitment's monthly figures, the draft
//! they file (quantities checked one by one), its publication, and hand-typed readings.

use abierto_domain::account::Role;
use abierto_domain::ids::{CommitmentId, EvidenceId, GoalId};
use abierto_domain::indicators::Measure;
use abierto_domain::plan::{check_measure_name, parse_quantity, YearMonth};
use abierto_domain::sessions::parse_date;
use abierto_domain::ValidationError;
use abierto_store::{Actor, Commitment, DoneLine, GoalReading, NewEvidence, Store};
use chrono::Utc;
use serde::Deserialize;

use super::files::{keep_file, FileUpload};
use crate::auth::Viewer;
use crate::{AppError, AppState};

/// What a unit reports as done in a month.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct DraftRequest {
    #[serde(default)]
    pub text: String,
    #[serde(default)]
    pub lines: Vec<LineRequest>,
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct LineRequest {
    /// "intervenciones".
    pub measure: String,
    /// A whole number, zero or more (a number or its digits as text).
    #[schema(value_type = i64)]
    pub quantity: serde_json::Value,
    /// ISO dates.
    #[serde(default)]
    pub dates: Vec<String>,
    #[serde(default)]
    pub note: String,
    /// The records measure behind the figure (`events`, `works_in_stage:delivered`…).
    #[serde(default)]
    pub source: Option<String>,
}

/// A milestone met or a manual percentage.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct ReadingRequest {
    pub read_on: String,
    /// 100 for a milestone met; the percentage for a manual indicator.
    pub value: f64,
    pub note: String,
}

/// The secretariat reports for any commitment; a reporting unit only for its units'.
pub async fn can_report_for(
    state: &AppState,
    viewer: &Viewer,
    commitment: CommitmentId,
) -> Result<Commitment, AppError> {
    let user = viewer.require(Role::can_report_progress)?;
    let commitment = state.store.commitment(commitment).await?;
    if user.role.is_scoped_to_units() {
        let units = state.store.user_units(user.id).await?;
        let allowed = commitment
            .unit
            .is_some_and(|unit| units.iter().any(|u| u.id == unit));
        if !allowed {
            return Err(AppError::Forbidden);
        }
    }
    Ok(commitment)
}

/// Checks each line (in order; the first fault is the answer) and keeps the draft.
pub async fn file_draft(
    store: &Store,
    actor: &Actor,
    commitment: CommitmentId,
    month: YearMonth,
    request: &DraftRequest,
) -> Result<(), AppError> {
    let lines = request
        .lines
        .iter()
        .map(parse_line)
        .collect::<Result<Vec<_>, ValidationError>>()?;
    store
        .save_report_draft(actor, commitment, month, &request.text, &lines, Utc::now())
        .await?;
    Ok(())
}

/// One figure as typed, checked.
pub fn parse_line(line: &LineRequest) -> Result<DoneLine, ValidationError> {
    let quantity = match &line.quantity {
        serde_json::Value::Number(n) => match n.as_i64() {
            Some(q) => parse_quantity(&q.to_string())?,
            None if n.as_f64().is_some_and(|f| f < 0.0) => {
                return Err(ValidationError::new("quantity", "quantity_negative"))
            }
            None => return Err(ValidationError::new("quantity", "quantity_not_a_number")),
        },
        serde_json::Value::String(text) => parse_quantity(text)?,
        _ => return Err(ValidationError::new("quantity", "quantity_not_a_number")),
    };
    Ok(DoneLine {
        measure: check_measure_name(&line.measure)?,
        quantity,
        dates: line
            .dates
            .iter()
            .filter(|d| !d.trim().is_empty())
            .map(|d| parse_date(d))
            .collect::<Result<_, _>>()?,
        note: line.note.trim().to_owned(),
        source: line
            .source
            .as_deref()
            .filter(|s| !s.trim().is_empty())
            .map(Measure::parse)
            .transpose()?,
    })
}

/// Checks and keeps a file, and adds it to the month's draft as evidence.
pub async fn add_evidence(
    store: &Store,
    actor: &Actor,
    commitment: CommitmentId,
    month: YearMonth,
    upload: &FileUpload<'_>,
    description: &str,
) -> Result<EvidenceId, AppError> {
    let kept = keep_file(upload).await?;
    let new = NewEvidence {
        filename: kept.filename,
        content_type: kept.content_type.to_owned(),
        size_bytes: kept.size_bytes,
        sha256: kept.sha256,
    };
    Ok(store
        .add_report_evidence(actor, commitment, month, &new, description, Utc::now())
        .await?)
}

pub async fn publish(
    store: &Store,
    actor: &Actor,
    commitment: CommitmentId,
    month: YearMonth,
) -> Result<(), AppError> {
    store
        .publish_report(actor, commitment, month, Utc::now())
        .await?;
    Ok(())
}

pub async fn record_reading(
    store: &Store,
    actor: &Actor,
    goal: GoalId,
    request: &ReadingRequest,
) -> Result<(), AppError> {
    let read_on = parse_date(&request.read_on)
        .map_err(|_| ValidationError::new("read_on", "invalid_date"))?;
    store
        .add_goal_reading(
            actor,
            &GoalReading {
                goal,
                read_on,
                value: request.value,
                note: request.note.clone(),
                evidence: None,
            },
            Utc::now(),
        )
        .await?;
    Ok(())
}
