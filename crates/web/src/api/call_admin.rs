//! The secretariat's call endpoints, the ones its pages use: writing and publishing a call,
//! the submissions with their evaluation and private notes, the proponent's data (each read
//! logged with its purpose), the derechos ARCO export and erasure, and the results.

use abierto_app::participation::Submission;
use abierto_domain::calls::SubmissionStatus;
use abierto_domain::ids::{AgendaItemId, CallId, SubmissionId};
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::json::ApiJson;
use super::records::{created, Created};
use crate::auth::SessionKeeper;
use crate::error::ErrorEnvelope;
use crate::id_path::IdPath;
use crate::{AppError, AppState};
use abierto_app::participation::call_admin::{
    self, CallRequest, EvaluationRequest, ProponentExport, SeatRequest,
};

/// Writes a call as a draft.
#[utoipa::path(post, path = "/api/v1/calls", tag = "participación", request_body = CallRequest,
    responses((status = 201, body = Created),
        (status = 422, description = "`invalid_call_kind`, `text_required`, `invalid_local_datetime`, `call_closes_before_opening`, `youth_call_needs_ages`, `unknown_body`…", body = ErrorEnvelope)),
    security(("session" = [])))]
pub async fn create(
    State(state): State<AppState>,
    SessionKeeper(viewer): SessionKeeper,
    ApiJson(request): ApiJson<CallRequest>,
) -> Result<(StatusCode, Json<Created>), AppError> {
    let id = call_admin::create_call(&state.app, viewer.actor(), &request).await?;
    Ok(created(id.get()))
}

/// Rewrites a draft call; a published one is refused (`call_already_published`).
#[utoipa::path(put, path = "/api/v1/calls/{id}", tag = "participación", request_body = CallRequest,
    params(("id" = i64, Path, description = "Call id", minimum = 1)),
    responses((status = 204, description = "Saved"), (status = 404, body = ErrorEnvelope),
        (status = 422, body = ErrorEnvelope)),
    security(("session" = [])))]
pub async fn edit(
    State(state): State<AppState>,
    SessionKeeper(viewer): SessionKeeper,
    IdPath(id): IdPath<CallId>,
    ApiJson(request): ApiJson<CallRequest>,
) -> Result<StatusCode, AppError> {
    call_admin::edit_call(&state.app, viewer.actor(), id, &request).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct PublicationRequest {
    /// The agenda item whose vote approved the call, in a session of the call's body.
    pub approved_by: Option<AgendaItemId>,
}

/// Publishes a draft on the vote that approved it.
#[utoipa::path(post, path = "/api/v1/calls/{id}/publication", tag = "participación",
    request_body = PublicationRequest,
    params(("id" = i64, Path, description = "Call id", minimum = 1)),
    responses((status = 204, description = "Published"), (status = 404, body = ErrorEnvelope),
        (status = 422, description = "`call_without_approving_vote`, `vote_of_other_body`, `call_closes_in_the_past`, `call_already_published`", body = ErrorEnvelope)),
    security(("session" = [])))]
pub async fn publish(
    State(state): State<AppState>,
    SessionKeeper(viewer): SessionKeeper,
    IdPath(id): IdPath<CallId>,
    ApiJson(request): ApiJson<PublicationRequest>,
) -> Result<StatusCode, AppError> {
    call_admin::publish_call(&state.app, viewer.actor(), id, request.approved_by).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A submission as the secretariat evaluates it; the proponent's data is not here.
#[derive(Serialize, utoipa::ToSchema)]
pub struct StaffSubmission {
    pub id: SubmissionId,
    pub folio: String,
    pub title: String,
    pub problem: String,
    pub proposal: String,
    pub area: String,
    pub status: SubmissionStatus,
    pub reasons: String,
    pub submitted_at: DateTime<Utc>,
    pub decided_at: Option<DateTime<Utc>>,
    /// The proponent's data was erased at their request.
    pub personal_data_erased: bool,
    /// Attachments, at `/evidencias/{id}`.
    pub files: Vec<i64>,
}

impl From<Submission> for StaffSubmission {
    fn from(s: Submission) -> StaffSubmission {
        StaffSubmission {
            id: s.id,
            folio: s.folio,
            title: s.title,
            problem: s.problem,
            proposal: s.proposal,
            area: s.area,
            status: s.status,
            reasons: s.reasons,
            submitted_at: s.submitted_at,
            decided_at: s.decided_at,
            personal_data_erased: s.erased_at.is_some(),
            files: s.files.iter().map(|f| f.get()).collect(),
        }
    }
}

/// A call's submissions, by folio.
#[utoipa::path(get, path = "/api/v1/calls/{id}/submissions", tag = "participación",
    params(("id" = i64, Path, description = "Call id", minimum = 1)),
    responses((status = 200, body = Vec<StaffSubmission>), (status = 404, body = ErrorEnvelope)),
    security(("session" = [])))]
pub async fn submissions(
    State(state): State<AppState>,
    SessionKeeper(viewer): SessionKeeper,
    IdPath(id): IdPath<CallId>,
) -> Result<Json<Vec<StaffSubmission>>, AppError> {
    let all = abierto_app::participation::submissions(&state.app, viewer.actor(), id).await?;
    Ok(Json(all.into_iter().map(StaffSubmission::from).collect()))
}

/// Moves a submission through its evaluation: under review, then accepted into the Banco de
/// Acciones or rejected, with reasons the proponent reads.
#[utoipa::path(post, path = "/api/v1/submissions/{id}/evaluation", tag = "participación",
    request_body = EvaluationRequest,
    params(("id" = i64, Path, description = "Submission id", minimum = 1)),
    responses((status = 204, description = "Saved"), (status = 404, body = ErrorEnvelope),
        (status = 422, description = "`reasons_required`, `evaluation_step_not_allowed`, `invalid_submission_status`", body = ErrorEnvelope)),
    security(("session" = [])))]
pub async fn evaluate(
    State(state): State<AppState>,
    SessionKeeper(viewer): SessionKeeper,
    IdPath(id): IdPath<SubmissionId>,
    ApiJson(request): ApiJson<EvaluationRequest>,
) -> Result<StatusCode, AppError> {
    call_admin::evaluate(&state.app, viewer.actor(), id, &request).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct NoteRequest {
    pub body: String,
}

/// Adds a private note of the secretariat to a submission.
#[utoipa::path(post, path = "/api/v1/submissions/{id}/notes", tag = "participación",
    request_body = NoteRequest,
    params(("id" = i64, Path, description = "Submission id", minimum = 1)),
    responses((status = 204, description = "Saved"), (status = 404, body = ErrorEnvelope),
        (status = 422, body = ErrorEnvelope)),
    security(("session" = [])))]
pub async fn add_note(
    State(state): State<AppState>,
    SessionKeeper(viewer): SessionKeeper,
    IdPath(id): IdPath<SubmissionId>,
    ApiJson(request): ApiJson<NoteRequest>,
) -> Result<StatusCode, AppError> {
    call_admin::add_note(&state.app, viewer.actor(), id, &request.body).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct ProponentRequest {
    /// Why the data is opened; written in the audit log beside the reader.
    pub purpose: String,
}

/// The proponent's personal data, for the secretariat only; every read is logged with its
/// purpose.
#[utoipa::path(post, path = "/api/v1/submissions/{id}/proponent", tag = "participación",
    request_body = ProponentRequest,
    params(("id" = i64, Path, description = "Submission id", minimum = 1)),
    responses((status = 200, body = ProponentExport), (status = 404, body = ErrorEnvelope),
        (status = 422, description = "`purpose_required`, `personal_data_already_erased`", body = ErrorEnvelope)),
    security(("session" = [])))]
pub async fn proponent(
    State(state): State<AppState>,
    SessionKeeper(viewer): SessionKeeper,
    IdPath(id): IdPath<SubmissionId>,
    ApiJson(request): ApiJson<ProponentRequest>,
) -> Result<Json<ProponentExport>, AppError> {
    let actor = viewer.actor();
    let export = call_admin::read_proponent(&state.app, actor, id, &request.purpose).await?;
    Ok(Json(export))
}

/// Erases the proponent's personal data and attachments at their request (derecho ARCO de
/// cancelación); the idea stays, anonymised.
#[utoipa::path(delete, path = "/api/v1/submissions/{id}/proponent", tag = "participación",
    params(("id" = i64, Path, description = "Submission id", minimum = 1)),
    responses((status = 204, description = "Erased"), (status = 404, body = ErrorEnvelope),
        (status = 422, description = "`personal_data_already_erased`", body = ErrorEnvelope)),
    security(("session" = [])))]
pub async fn erase_proponent(
    State(state): State<AppState>,
    SessionKeeper(viewer): SessionKeeper,
    IdPath(id): IdPath<SubmissionId>,
) -> Result<StatusCode, AppError> {
    call_admin::erase_proponent(&state.app, viewer.actor(), id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct ResultsRequest {
    /// The results as published.
    pub text: String,
}

/// Publishes the results of a call whose submissions are all decided.
#[utoipa::path(post, path = "/api/v1/calls/{id}/results", tag = "participación",
    request_body = ResultsRequest,
    params(("id" = i64, Path, description = "Call id", minimum = 1)),
    responses((status = 204, description = "Published"), (status = 404, body = ErrorEnvelope),
        (status = 422, description = "`call_not_under_evaluation`, `submissions_pending_evaluation`, `text_required`", body = ErrorEnvelope)),
    security(("session" = [])))]
pub async fn resolve(
    State(state): State<AppState>,
    SessionKeeper(viewer): SessionKeeper,
    IdPath(id): IdPath<CallId>,
    ApiJson(request): ApiJson<ResultsRequest>,
) -> Result<StatusCode, AppError> {
    call_admin::resolve(&state.app, viewer.actor(), id, &request.text).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Seats an accepted youth application in the Cabildo Abierto Juvenil on the selection
/// committee's decision; answers the new membership's id.
#[utoipa::path(post, path = "/api/v1/submissions/{id}/seat", tag = "participación",
    request_body = SeatRequest,
    params(("id" = i64, Path, description = "Submission id", minimum = 1)),
    responses((status = 201, body = Created), (status = 404, body = ErrorEnvelope),
        (status = 422, description = "`not_a_youth_application`, `application_not_accepted`, `not_a_youth_council`, `selection_without_committee_vote`, `application_already_seated`, `personal_data_already_erased`, `invalid_date`…", body = ErrorEnvelope)),
    security(("session" = [])))]
pub async fn seat(
    State(state): State<AppState>,
    SessionKeeper(viewer): SessionKeeper,
    IdPath(id): IdPath<SubmissionId>,
    ApiJson(request): ApiJson<SeatRequest>,
) -> Result<(StatusCode, Json<Created>), AppError> {
    let membership = call_admin::seat_youth(&state.app, viewer.actor(), id, &request).await?;
    Ok(created(membership.get()))
}
