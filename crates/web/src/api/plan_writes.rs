//! Writing the action plan over the API (the secretariat): a plan, its commitments and their
//! goals, created with a key and edited keeping it, and the commitments' weights set together.

use abierto_domain::ids::{CommitmentId, GoalId, PlanId, SubmissionId};
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;

use super::json::ApiJson;
use super::records::{created, Created};
use crate::auth::SessionKeeper;
use crate::error::ErrorEnvelope;
use crate::id_path::IdPath;
use crate::{AppError, AppState};
use abierto_app::plan::editing::{
    self, CommitmentEditRequest, CommitmentRequest, GoalRequest, PlanRequest, WeightsRequest,
};

/// Creates an action plan.
#[utoipa::path(post, path = "/api/v1/plans", tag = "plan", request_body = PlanRequest,
    responses((status = 201, body = Created),
        (status = 422, description = "`key_required`, `key_taken`, `unknown_body`, `unknown_session`, `session_of_other_body`, `period_ends_before_start`, `invalid_date`, `text_required`", body = ErrorEnvelope)),
    security(("session" = [])))]
pub async fn create_plan(
    State(state): State<AppState>,
    SessionKeeper(viewer): SessionKeeper,
    ApiJson(request): ApiJson<PlanRequest>,
) -> Result<(StatusCode, Json<Created>), AppError> {
    let id = editing::create_plan(&state.app, viewer.actor(), &request).await?;
    Ok(created(id.get()))
}

/// Changes a plan's title, body, period and approving session; its key stays.
#[utoipa::path(put, path = "/api/v1/plans/{id}", tag = "plan", request_body = PlanRequest,
    params(("id" = i64, Path, description = "Plan id", minimum = 1)),
    responses((status = 204, description = "Saved"), (status = 404, body = ErrorEnvelope),
        (status = 422, description = "`period_leaves_out_months`, `session_of_other_body`, `unknown_body`…", body = ErrorEnvelope)),
    security(("session" = [])))]
pub async fn edit_plan(
    State(state): State<AppState>,
    SessionKeeper(viewer): SessionKeeper,
    IdPath(id): IdPath<PlanId>,
    ApiJson(request): ApiJson<PlanRequest>,
) -> Result<StatusCode, AppError> {
    editing::edit_plan(&state.app, viewer.actor(), id, &request).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Sets the weights of a plan's commitments together; a commitment left out keeps its weight.
#[utoipa::path(put, path = "/api/v1/plans/{id}/weights", tag = "plan", request_body = WeightsRequest,
    params(("id" = i64, Path, description = "Plan id", minimum = 1)),
    responses((status = 204, description = "Saved"), (status = 404, body = ErrorEnvelope),
        (status = 422, description = "`weights_must_sum_to_one`, `weights_incomplete`, `invalid_weight`, `unknown_commitment`", body = ErrorEnvelope)),
    security(("session" = [])))]
pub async fn set_weights(
    State(state): State<AppState>,
    SessionKeeper(viewer): SessionKeeper,
    IdPath(id): IdPath<PlanId>,
    ApiJson(request): ApiJson<WeightsRequest>,
) -> Result<StatusCode, AppError> {
    editing::set_weights(&state.app, viewer.actor(), id, &request).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Adds a commitment (eje) to a plan, reweighing the others in the same change if asked.
#[utoipa::path(post, path = "/api/v1/plans/{id}/commitments", tag = "plan", request_body = CommitmentRequest,
    params(("id" = i64, Path, description = "Plan id", minimum = 1)),
    responses((status = 201, body = Created), (status = 404, body = ErrorEnvelope),
        (status = 422, description = "`key_required`, `key_taken`, `unknown_unit`, `weights_must_sum_to_one`, `weights_incomplete`…", body = ErrorEnvelope)),
    security(("session" = [])))]
pub async fn create_commitment(
    State(state): State<AppState>,
    SessionKeeper(viewer): SessionKeeper,
    IdPath(plan): IdPath<PlanId>,
    ApiJson(request): ApiJson<CommitmentRequest>,
) -> Result<(StatusCode, Json<Created>), AppError> {
    let id = editing::create_commitment(&state.app, viewer.actor(), plan, &request).await?;
    Ok(created(id.get()))
}

/// Changes a commitment's title, description and Unidad Responsable.
#[utoipa::path(put, path = "/api/v1/commitments/{id}", tag = "plan", request_body = CommitmentEditRequest,
    params(("id" = i64, Path, description = "Commitment id", minimum = 1)),
    responses((status = 204, description = "Saved"), (status = 404, body = ErrorEnvelope),
        (status = 422, description = "`text_required`, `unknown_unit`", body = ErrorEnvelope)),
    security(("session" = [])))]
pub async fn edit_commitment(
    State(state): State<AppState>,
    SessionKeeper(viewer): SessionKeeper,
    IdPath(id): IdPath<CommitmentId>,
    ApiJson(request): ApiJson<CommitmentEditRequest>,
) -> Result<StatusCode, AppError> {
    editing::edit_commitment(&state.app, viewer.actor(), id, &request).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Adds a goal (meta) to a commitment.
#[utoipa::path(post, path = "/api/v1/commitments/{id}/goals", tag = "plan", request_body = GoalRequest,
    params(("id" = i64, Path, description = "Commitment id", minimum = 1)),
    responses((status = 201, body = Created), (status = 404, body = ErrorEnvelope),
        (status = 422, description = "`key_required`, `key_taken`, `invalid_indicator_kind`, `invalid_measure`, `invalid_target`, `due_before_window`, `invalid_date`…", body = ErrorEnvelope)),
    security(("session" = [])))]
pub async fn create_goal(
    State(state): State<AppState>,
    SessionKeeper(viewer): SessionKeeper,
    IdPath(commitment): IdPath<CommitmentId>,
    ApiJson(request): ApiJson<GoalRequest>,
) -> Result<(StatusCode, Json<Created>), AppError> {
    let id = editing::create_goal(&state.app, viewer.actor(), commitment, &request).await?;
    Ok(created(id.get()))
}

/// Changes a goal: statement, indicator, measured span, window and due date; its key stays.
#[utoipa::path(put, path = "/api/v1/goals/{id}", tag = "plan", request_body = GoalRequest,
    params(("id" = i64, Path, description = "Goal id", minimum = 1)),
    responses((status = 204, description = "Saved"), (status = 404, body = ErrorEnvelope),
        (status = 422, body = ErrorEnvelope)),
    security(("session" = [])))]
pub async fn edit_goal(
    State(state): State<AppState>,
    SessionKeeper(viewer): SessionKeeper,
    IdPath(id): IdPath<GoalId>,
    ApiJson(request): ApiJson<GoalRequest>,
) -> Result<StatusCode, AppError> {
    editing::edit_goal(&state.app, viewer.actor(), id, &request).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(serde::Deserialize, utoipa::ToSchema)]
pub struct OriginRequest {
    /// The accepted idea of the Banco de Acciones the commitment grew out of; `null` clears it.
    pub submission: Option<SubmissionId>,
}

/// Names the idea of the Banco de Acciones a commitment grew out of.
#[utoipa::path(put, path = "/api/v1/commitments/{id}/origin", tag = "plan", request_body = OriginRequest,
    params(("id" = i64, Path, description = "Commitment id", minimum = 1)),
    responses((status = 204, description = "Saved"), (status = 404, body = ErrorEnvelope),
        (status = 422, description = "`origin_not_in_action_bank`", body = ErrorEnvelope)),
    security(("session" = [])))]
pub async fn set_origin(
    State(state): State<AppState>,
    SessionKeeper(viewer): SessionKeeper,
    IdPath(id): IdPath<CommitmentId>,
    ApiJson(request): ApiJson<OriginRequest>,
) -> Result<StatusCode, AppError> {
    abierto_app::plan::set_commitment_origin(&state.app, viewer.actor(), id, request.submission)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
