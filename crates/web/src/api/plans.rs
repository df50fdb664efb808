//! The action plan over the API: plans with progress, goals with their indicators, the
//! schedule, the quarterly report and the goal-tracking table, and the writes the pages use
//! (monthly drafts, their evidence, publication, readings).

use abierto_documents::plan_reports::{
    quarterly_markdown, tracking_markdown, EvidenceLink, GoalTracking, QuarterlyReport,
};
use abierto_domain::ids::{CommitmentId, GoalId, PlanId};
use abierto_domain::plan::{Quarter, YearMonth};
use abierto_domain::ErrorCode;
use abierto_domain::ValidationError;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::header::CONTENT_TYPE;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};

use super::json::ApiJson;
use crate::auth::{SessionKeeper, SignedIn};
use crate::csrf::BodilessWrite;
use crate::error::ErrorEnvelope;
use crate::id_path::IdPath;
use crate::multipart_form::{read_upload_form, EvidenceNote};
use crate::{AppError, AppState};
use abierto_app::plan::quarterly::quarterly_report;
use abierto_app::plan::reporting::{
    self, can_report_for, file_draft, publish, record_reading, DraftRequest, ReadingRequest,
};
use abierto_app::plan::view::{
    as_of, evidence_link, goal_detail, goal_tracking, plan_summary, GoalDetail, GoalSummary,
    PlanSummary,
};
use abierto_app::FileUpload;

#[derive(Deserialize, utoipa::IntoParams)]
pub struct AsOf {
    /// `2026-03-27`; today when omitted or empty.
    #[param(pattern = r"^(\d{4}-\d{2}-\d{2})?$")]
    pub as_of: Option<String>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct PlanListItem {
    pub id: PlanId,
    pub title: String,
    pub period_start: chrono::NaiveDate,
    pub period_end: chrono::NaiveDate,
}

/// Action plans, newest first.
#[utoipa::path(get, path = "/api/v1/plans", tag = "plan",
    responses((status = 200, description = "Plans", body = Vec<PlanListItem>)))]
pub async fn list(State(state): State<AppState>) -> Result<Json<Vec<PlanListItem>>, AppError> {
    Ok(Json(
        abierto_app::plan::plans(&state.app)
            .await?
            .into_iter()
            .map(|p| PlanListItem {
                id: p.id,
                title: p.title,
                period_start: p.period.start,
                period_end: p.period.end,
            })
            .collect(),
    ))
}

/// A plan with its commitments, goals, progress and status on a day.
#[utoipa::path(get, path = "/api/v1/plans/{id}", tag = "plan",
    params(("id" = i64, Path, description = "Plan id", minimum = 1), AsOf),
    responses(
        (status = 200, description = "The plan", body = PlanSummary),
        (status = 404, description = "No such plan", body = ErrorEnvelope),
        (status = 422, description = "`invalid_date`", body = ErrorEnvelope),
    ))]
pub async fn detail(
    State(state): State<AppState>,
    IdPath(id): IdPath<PlanId>,
    Query(query): Query<AsOf>,
) -> Result<Json<PlanSummary>, AppError> {
    let day = as_of(&state.app, query.as_of.as_deref())?;
    Ok(Json(plan_summary(&state.app, id, day).await?))
}

/// Every goal of a plan with its indicator: kind, numerator, denominator, value, target and
/// the day of reading.
#[utoipa::path(get, path = "/api/v1/plans/{id}/goals", tag = "plan",
    params(("id" = i64, Path, description = "Plan id", minimum = 1), AsOf),
    responses(
        (status = 200, description = "Goals", body = Vec<GoalSummary>),
        (status = 404, description = "No such plan", body = ErrorEnvelope),
    ))]
pub async fn goals(
    State(state): State<AppState>,
    IdPath(id): IdPath<PlanId>,
    Query(query): Query<AsOf>,
) -> Result<Json<Vec<GoalSummary>>, AppError> {
    let day = as_of(&state.app, query.as_of.as_deref())?;
    let summary = plan_summary(&state.app, id, day).await?;
    Ok(Json(
        summary
            .commitments
            .into_iter()
            .flat_map(|c| c.goals)
            .collect(),
    ))
}

/// One goal with its indicator history, month by month.
#[utoipa::path(get, path = "/api/v1/goals/{id}", tag = "plan",
    params(("id" = i64, Path, description = "Goal id", minimum = 1), AsOf),
    responses(
        (status = 200, description = "The goal", body = GoalDetail),
        (status = 404, description = "No such goal", body = ErrorEnvelope),
    ))]
pub async fn goal(
    State(state): State<AppState>,
    IdPath(id): IdPath<GoalId>,
    Query(query): Query<AsOf>,
) -> Result<Json<GoalDetail>, AppError> {
    let day = as_of(&state.app, query.as_of.as_deref())?;
    Ok(Json(goal_detail(&state.app, id, day).await?))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ScheduleMonth {
    pub month: String,
    pub text: String,
    pub planned: Vec<PlannedFigure>,
    /// What the public reads: the published report of the month, if any.
    pub done: Option<Vec<DoneFigureJson>>,
    /// The published report's own words, besides its figures.
    pub done_text: Option<String>,
    /// The published report's evidence files.
    pub evidence: Vec<EvidenceLink>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct PlannedFigure {
    pub measure: String,
    pub quantity: i64,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct DoneFigureJson {
    pub measure: String,
    pub quantity: i64,
    pub dates: Vec<chrono::NaiveDate>,
    pub note: String,
    pub source: Option<String>,
}

/// A commitment's schedule, month by month, with what was published as done.
#[utoipa::path(get, path = "/api/v1/commitments/{id}/schedule", tag = "plan",
    params(("id" = i64, Path, description = "Commitment id", minimum = 1)),
    responses(
        (status = 200, description = "Schedule", body = Vec<ScheduleMonth>),
        (status = 404, description = "No such commitment", body = ErrorEnvelope),
    ))]
pub async fn schedule(
    State(state): State<AppState>,
    IdPath(id): IdPath<CommitmentId>,
) -> Result<Json<Vec<ScheduleMonth>>, AppError> {
    let commitment = abierto_app::plan::commitment(&state.app, id).await?;
    let published = abierto_app::plan::published_reports(&state.app, commitment.plan).await?;
    let entries = abierto_app::plan::schedule(&state.app, id).await?;
    let mut months: Vec<YearMonth> = entries.iter().map(|e| e.month).collect();
    months.extend(
        published
            .iter()
            .filter(|r| r.commitment == id)
            .map(|r| r.month),
    );
    months.sort();
    months.dedup();
    Ok(Json(
        months
            .into_iter()
            .map(|month| {
                let entry = entries.iter().find(|e| e.month == month);
                let done = published
                    .iter()
                    .find(|r| r.commitment == id && r.month == month);
                ScheduleMonth {
                    month: month.to_string(),
                    text: entry.map(|e| e.text.clone()).unwrap_or_default(),
                    planned: entry
                        .map(|e| {
                            e.planned
                                .iter()
                                .map(|q| PlannedFigure {
                                    measure: q.measure.clone(),
                                    quantity: q.quantity,
                                })
                                .collect()
                        })
                        .unwrap_or_default(),
                    done: done.map(|r| {
                        r.lines
                            .iter()
                            .map(|l| DoneFigureJson {
                                measure: l.measure.clone(),
                                quantity: l.quantity,
                                dates: l.dates.clone(),
                                note: l.note.clone(),
                                source: l.source.map(|m| m.key()),
                            })
                            .collect()
                    }),
                    done_text: done.map(|r| r.text.clone()),
                    evidence: done
                        .map(|r| r.evidence.iter().map(evidence_link).collect())
                        .unwrap_or_default(),
                }
            })
            .collect(),
    ))
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct QuarterlyQuery {
    /// Plan id.
    #[param(required = true, value_type = i64, minimum = 1)]
    pub plan: Option<String>,
    /// `2024-Q3`.
    #[param(required = true, pattern = r"^\d{4}-Q[1-4]$")]
    pub quarter: Option<String>,
    /// `json` (default), `md` or `html`.
    #[param(pattern = "^(json|md|html)$")]
    pub format: Option<String>,
}

/// The numbered quarterly report: per commitment the month table of planned versus done,
/// outreach, trainings and the sessions of the quarter. Every figure names its records.
#[utoipa::path(get, path = "/api/v1/reports/quarterly", tag = "plan", params(QuarterlyQuery),
    responses(
        (status = 200, description = "The report (JSON, or Markdown / HTML with `format`)", content(
            (QuarterlyReport = "application/json"), (String = "text/markdown"), (String = "text/html"))),
        (status = 404, description = "No such plan", body = ErrorEnvelope),
        (status = 422, description = "`invalid_quarter`, `quarter_outside_plan`, `invalid_format`", body = ErrorEnvelope),
    ))]
pub async fn quarterly(
    State(state): State<AppState>,
    Query(query): Query<QuarterlyQuery>,
) -> Result<Response, AppError> {
    let plan: PlanId = query
        .plan
        .as_deref()
        .unwrap_or_default()
        .trim()
        .parse()
        .map_err(|_| ValidationError::new("plan", ErrorCode::InvalidPlan))?;
    let quarter = Quarter::parse(query.quarter.as_deref().unwrap_or_default())?;
    let report = quarterly_report(&state.app, plan, quarter).await?;
    match query.format.as_deref().unwrap_or("json") {
        "json" => Ok(Json(report).into_response()),
        "md" => Ok((
            [(CONTENT_TYPE, "text/markdown; charset=utf-8")],
            quarterly_markdown(&report),
        )
            .into_response()),
        "html" => Ok(axum::response::Redirect::to(&format!(
            "/plan-de-accion/{plan}/informes/{quarter}"
        ))
        .into_response()),
        _ => Err(ValidationError::new("format", ErrorCode::InvalidFormat).into()),
    }
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct TrackingQuery {
    /// The quarter whose presentation fixes the day of reading, e.g. `2026-Q1`; today when
    /// omitted or empty.
    #[param(pattern = r"^(\d{4}-Q[1-4])?$")]
    pub quarter: Option<String>,
    /// `json` (default) or `md`.
    #[param(pattern = "^(json|md)$")]
    pub format: Option<String>,
}

/// The goal-tracking table (seguimiento de metas) with its footnotes.
#[utoipa::path(get, path = "/api/v1/plans/{id}/tracking", tag = "plan",
    params(("id" = i64, Path, description = "Plan id", minimum = 1), TrackingQuery),
    responses(
        (status = 200, description = "The table (JSON, or Markdown with `format=md`)", content(
            (GoalTracking = "application/json"), (String = "text/markdown"))),
        (status = 404, description = "No such plan", body = ErrorEnvelope),
    ))]
pub async fn tracking(
    State(state): State<AppState>,
    IdPath(id): IdPath<PlanId>,
    Query(query): Query<TrackingQuery>,
) -> Result<Response, AppError> {
    let quarter = query
        .quarter
        .as_deref()
        .filter(|q| !q.trim().is_empty())
        .map(Quarter::parse)
        .transpose()?;
    let table = goal_tracking(&state.app, id, quarter, state.app.clock().today()).await?;
    match query.format.as_deref().unwrap_or("json") {
        "json" => Ok(Json(table).into_response()),
        "md" => Ok((
            [(CONTENT_TYPE, "text/markdown; charset=utf-8")],
            tracking_markdown(&table),
        )
            .into_response()),
        _ => Err(ValidationError::new("format", ErrorCode::InvalidFormat).into()),
    }
}

/// Saves the draft of what was done in a month. Reporting units write only for the
/// commitments of their units; the secretariat for any.
#[utoipa::path(put, path = "/api/v1/commitments/{id}/reports/{month}", tag = "plan", request_body = DraftRequest,
    params(("id" = i64, Path, description = "Commitment id", minimum = 1), ("month" = String, Path, description = "`2024-09`", pattern = r"^\d{4}-(0[1-9]|1[0-2])$")),
    responses(
        (status = 204, description = "Saved as draft"),
        (status = 403, description = "Not a unit of this commitment", body = ErrorEnvelope),
        (status = 422, description = "`month_outside_plan`, `quantity_negative`, `quantity_not_a_number`…", body = ErrorEnvelope),
    ), security(("session" = [])))]
pub async fn save_draft(
    State(state): State<AppState>,
    SignedIn(viewer): SignedIn,
    Path((id, month)): Path<(String, String)>,
    ApiJson(request): ApiJson<DraftRequest>,
) -> Result<StatusCode, AppError> {
    let id: CommitmentId = id.parse().map_err(|_| AppError::NotFound)?;
    let month = YearMonth::parse(&month)?;
    can_report_for(&state.app, viewer.actor(), id).await?;
    file_draft(&state.app, viewer.actor(), id, month, &request).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Adds an evidence file to the month's draft (multipart: field `file`, optional field
/// `description`). The file is public once the draft is published.
#[utoipa::path(post, path = "/api/v1/commitments/{id}/reports/{month}/evidence", tag = "plan",
    params(("id" = i64, Path, description = "Commitment id", minimum = 1), ("month" = String, Path, description = "`2024-09`", pattern = r"^\d{4}-(0[1-9]|1[0-2])$")),
    request_body(content_type = "multipart/form-data", description = "Field `file`: PDF, DOCX, XLSX, ODT, ODS, PNG, JPEG or CSV; field `description`"),
    responses(
        (status = 201, description = "Attached to the draft", body = EvidenceLink),
        (status = 403, description = "Not a unit of this commitment", body = ErrorEnvelope),
        (status = 413, description = "Over the upload limit", body = ErrorEnvelope),
        (status = 422, description = "`annex_type_refused`, `annex_too_large`, `annex_empty`, `month_outside_plan`", body = ErrorEnvelope),
    ), security(("session" = [])))]
pub async fn add_evidence(
    State(state): State<AppState>,
    SignedIn(viewer): SignedIn,
    Path((id, month)): Path<(String, String)>,
    multipart: Multipart,
) -> Result<(StatusCode, Json<EvidenceLink>), AppError> {
    let id: CommitmentId = id.parse().map_err(|_| AppError::NotFound)?;
    let month = YearMonth::parse(&month)?;
    can_report_for(&state.app, viewer.actor(), id).await?;
    let form = read_upload_form(multipart).await?;
    let upload = FileUpload {
        filename: &form.filename,
        content: &form.content,
    };
    let note: EvidenceNote = form.fields()?;
    let description = note.description.trim().to_owned();
    let (evidence, filename) =
        reporting::add_evidence(&state.app, viewer.actor(), id, month, &upload, &description)
            .await?;
    Ok((
        StatusCode::CREATED,
        Json(EvidenceLink {
            filename,
            description,
            link: format!("/evidencias/{evidence}"),
        }),
    ))
}

/// Publishes the month's draft; the public then reads it.
#[utoipa::path(post, path = "/api/v1/commitments/{id}/reports/{month}/publication", tag = "plan",
    params(("id" = i64, Path, description = "Commitment id", minimum = 1), ("month" = String, Path, description = "`2024-09`", pattern = r"^\d{4}-(0[1-9]|1[0-2])$")),
    responses(
        (status = 204, description = "Published"),
        (status = 422, description = "`no_draft_to_publish`", body = ErrorEnvelope),
    ), security(("session" = [])))]
pub async fn publish_draft(
    _cross_site: BodilessWrite,
    State(state): State<AppState>,
    SessionKeeper(viewer): SessionKeeper,
    Path((id, month)): Path<(String, String)>,
) -> Result<StatusCode, AppError> {
    let id: CommitmentId = id.parse().map_err(|_| AppError::NotFound)?;
    let month = YearMonth::parse(&month)?;
    publish(&state.app, viewer.actor(), id, month).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Records a milestone met or a manual percentage, with its note.
#[utoipa::path(post, path = "/api/v1/goals/{id}/readings", tag = "plan", request_body = ReadingRequest,
    params(("id" = i64, Path, description = "Goal id", minimum = 1)),
    responses(
        (status = 204, description = "Recorded"),
        (status = 422, description = "`reading_computed_from_records`, `evidence_note_required`, `invalid_percentage`", body = ErrorEnvelope),
    ), security(("session" = [])))]
pub async fn add_reading(
    State(state): State<AppState>,
    SessionKeeper(viewer): SessionKeeper,
    IdPath(id): IdPath<GoalId>,
    ApiJson(request): ApiJson<ReadingRequest>,
) -> Result<StatusCode, AppError> {
    record_reading(&state.app, viewer.actor(), id, &request).await?;
    Ok(StatusCode::NO_CONTENT)
}
