//! Reporting against the action plan: who may file a commitment's monthly figures, the draft
//! they file (quantities checked one by one), its publication, and hand-typed readings.

use abierto_domain::account::Role;
use abierto_domain::dates::parse_date;
use abierto_domain::ids::{CommitmentId, EvidenceId, GoalId};
use abierto_domain::indicators::Measure;
use abierto_domain::plan::{check_measure_name, parse_quantity, YearMonth};
use abierto_domain::ErrorCode;
use abierto_domain::ValidationError;
use abierto_store::{
    Commitment, DoneLine, GoalReading, MonthlyReport, NewEvidence, Plan, ReportState,
};
use serde::Deserialize;

use crate::files::FileUpload;
use crate::{Actor, App, Error};

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
    app: &App,
    actor: &Actor,
    commitment: CommitmentId,
) -> Result<Commitment, Error> {
    actor.require(Role::can_report_progress)?;
    let commitment = app.store().commitment(commitment).await?;
    let scoped = actor.user().is_some_and(|u| u.role.is_scoped_to_units());
    if scoped {
        let allowed = commitment
            .unit
            .is_some_and(|unit| actor.units().contains(&unit));
        if !allowed {
            return Err(Error::Forbidden);
        }
    }
    Ok(commitment)
}

/// Checks each line (in order; the first fault is the answer) and keeps the draft.
pub async fn file_draft(
    app: &App,
    actor: &Actor,
    commitment: CommitmentId,
    month: YearMonth,
    request: &DraftRequest,
) -> Result<(), Error> {
    can_report_for(app, actor, commitment).await?;
    let lines = request
        .lines
        .iter()
        .map(parse_line)
        .collect::<Result<Vec<_>, ValidationError>>()?;
    app.store()
        .save_report_draft(
            &actor.audit(),
            commitment,
            month,
            &request.text,
            &lines,
            app.clock().now(),
        )
        .await?;
    Ok(())
}

/// One figure as typed, checked.
pub fn parse_line(line: &LineRequest) -> Result<DoneLine, ValidationError> {
    let quantity = match &line.quantity {
        serde_json::Value::Number(n) => match n.as_i64() {
            Some(q) => parse_quantity(&q.to_string())?,
            None if n.as_f64().is_some_and(|f| f < 0.0) => {
                return Err(ValidationError::new(
                    "quantity",
                    ErrorCode::QuantityNegative,
                ))
            }
            None => {
                return Err(ValidationError::new(
                    "quantity",
                    ErrorCode::QuantityNotANumber,
                ))
            }
        },
        serde_json::Value::String(text) => parse_quantity(text)?,
        _ => {
            return Err(ValidationError::new(
                "quantity",
                ErrorCode::QuantityNotANumber,
            ))
        }
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
    app: &App,
    actor: &Actor,
    commitment: CommitmentId,
    month: YearMonth,
    upload: &FileUpload<'_>,
    description: &str,
) -> Result<(EvidenceId, String), Error> {
    can_report_for(app, actor, commitment).await?;
    let kept = app.files().keep_annex(upload).await?;
    let filename = kept.filename.clone();
    let new = NewEvidence {
        filename: kept.filename,
        content_type: kept.content_type.to_owned(),
        size_bytes: kept.size_bytes,
        sha256: kept.sha256,
    };
    let id = app
        .store()
        .add_report_evidence(
            &actor.audit(),
            commitment,
            month,
            &new,
            description,
            app.clock().now(),
        )
        .await?;
    Ok((id, filename))
}

pub async fn publish(
    app: &App,
    actor: &Actor,
    commitment: CommitmentId,
    month: YearMonth,
) -> Result<(), Error> {
    actor.require(Role::can_keep_sessions)?;
    app.store().commitment(commitment).await?;
    app.store()
        .publish_report(&actor.audit(), commitment, month, app.clock().now())
        .await?;
    Ok(())
}

pub async fn record_reading(
    app: &App,
    actor: &Actor,
    goal: GoalId,
    request: &ReadingRequest,
) -> Result<(), Error> {
    actor.require(Role::can_keep_sessions)?;
    let read_on = parse_date(&request.read_on)
        .map_err(|_| ValidationError::new("read_on", ErrorCode::InvalidDate))?;
    app.store()
        .add_goal_reading(
            &actor.audit(),
            &GoalReading {
                goal,
                read_on,
                value: request.value,
                note: request.note.clone(),
                evidence: None,
            },
            app.clock().now(),
        )
        .await?;
    Ok(())
}

/// A commitment's monthly reports in one state: the published ones for anyone, the drafts
/// for those who report for it.
pub async fn reports(
    app: &App,
    actor: &Actor,
    commitment: &Commitment,
    state: ReportState,
) -> Result<Vec<MonthlyReport>, Error> {
    if state == ReportState::Draft {
        can_report_for(app, actor, commitment.id).await?;
    }
    Ok(app
        .store()
        .monthly_reports(commitment.plan, state)
        .await?
        .into_iter()
        .filter(|r| r.commitment == commitment.id)
        .collect())
}

/// The plans with the commitments the actor reports for: every one for the secretariat, their
/// units' for a reporting unit.
pub async fn reportable(app: &App, actor: &Actor) -> Result<Vec<(Plan, Vec<Commitment>)>, Error> {
    actor.require(Role::can_report_progress)?;
    let scoped = actor.user().is_some_and(|u| u.role.is_scoped_to_units());
    let mut plans = Vec::new();
    for plan in app.store().plans().await? {
        let commitments: Vec<Commitment> = app
            .store()
            .commitments(plan.id)
            .await?
            .into_iter()
            .filter(|c| !scoped || c.unit.is_some_and(|u| actor.units().contains(&u)))
            .collect();
        if !commitments.is_empty() {
            plans.push((plan, commitments));
        }
    }
    Ok(plans)
}
