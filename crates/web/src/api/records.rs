//! Writing the programs' records over the API (the secretariat): each answers 201 with the
//! new record's id, or the usual error envelope.

use abierto_domain::ids::WorkId;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::Serialize;

use super::json::ApiJson;
use crate::auth::SessionKeeper;
use crate::error::ErrorEnvelope;
use crate::id_path::IdPath;
use crate::{AppError, AppState};
use abierto_app::programs::records::{
    self, AgreementRequest, EventRequest, InquiryRequest, OutreachRequest, StageRequest,
    TrainingRequest,
};

#[derive(Serialize, utoipa::ToSchema)]
pub struct Created {
    pub id: i64,
}

pub(super) fn created(id: i64) -> (StatusCode, Json<Created>) {
    (StatusCode::CREATED, Json(Created { id }))
}

/// Registers a Mi Barrio Habla event.
#[utoipa::path(post, path = "/api/v1/records/events", tag = "plan", request_body = EventRequest,
    responses((status = 201, body = Created), (status = 422, description = "`invalid_date`, `text_required`", body = ErrorEnvelope)),
    security(("session" = [])))]
pub async fn add_event(
    State(state): State<AppState>,
    SessionKeeper(viewer): SessionKeeper,
    ApiJson(request): ApiJson<EventRequest>,
) -> Result<(StatusCode, Json<Created>), AppError> {
    let id = records::add_event(&state.app, viewer.actor(), &request).await?;
    Ok(created(id.get()))
}

/// Registers an improvement agreement, or updates the one with the same `external_id`.
#[utoipa::path(post, path = "/api/v1/records/agreements", tag = "plan", request_body = AgreementRequest,
    responses((status = 201, body = Created), (status = 422, description = "`concluded_before_created`, `conclusion_date_required`, `unknown_unit`…", body = ErrorEnvelope)),
    security(("session" = [])))]
pub async fn save_agreement(
    State(state): State<AppState>,
    SessionKeeper(viewer): SessionKeeper,
    ApiJson(request): ApiJson<AgreementRequest>,
) -> Result<(StatusCode, Json<Created>), AppError> {
    let id = records::save_agreement(&state.app, viewer.actor(), &request).await?;
    Ok(created(id.get()))
}

/// Moves a Presupuesto Participativo work to a stage.
#[utoipa::path(post, path = "/api/v1/works/{id}/stages", tag = "plan", request_body = StageRequest,
    params(("id" = i64, Path, description = "Work id", minimum = 1)),
    responses((status = 204, description = "Recorded"), (status = 404, body = ErrorEnvelope),
        (status = 422, description = "`stage_backwards_without_reason`, `stage_change_before_last`, `stage_unchanged`", body = ErrorEnvelope)),
    security(("session" = [])))]
pub async fn change_stage(
    State(state): State<AppState>,
    SessionKeeper(viewer): SessionKeeper,
    IdPath(work): IdPath<WorkId>,
    ApiJson(request): ApiJson<StageRequest>,
) -> Result<StatusCode, AppError> {
    records::change_stage(&state.app, viewer.actor(), work, &request).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Registers a Pregunta León intervention or advisory.
#[utoipa::path(post, path = "/api/v1/records/inquiries", tag = "plan", request_body = InquiryRequest,
    responses((status = 201, body = Created), (status = 422, body = ErrorEnvelope)),
    security(("session" = [])))]
pub async fn add_inquiry(
    State(state): State<AppState>,
    SessionKeeper(viewer): SessionKeeper,
    ApiJson(request): ApiJson<InquiryRequest>,
) -> Result<(StatusCode, Json<Created>), AppError> {
    let id = records::add_inquiry(&state.app, viewer.actor(), &request).await?;
    Ok(created(id.get()))
}

/// Registers an outreach activity.
#[utoipa::path(post, path = "/api/v1/records/outreach", tag = "plan", request_body = OutreachRequest,
    responses((status = 201, body = Created), (status = 422, body = ErrorEnvelope)),
    security(("session" = [])))]
pub async fn add_outreach(
    State(state): State<AppState>,
    SessionKeeper(viewer): SessionKeeper,
    ApiJson(request): ApiJson<OutreachRequest>,
) -> Result<(StatusCode, Json<Created>), AppError> {
    let id = records::add_outreach(&state.app, viewer.actor(), &request).await?;
    Ok(created(id.get()))
}

/// Registers a training.
#[utoipa::path(post, path = "/api/v1/records/trainings", tag = "plan", request_body = TrainingRequest,
    responses((status = 201, body = Created), (status = 422, description = "`quantity_negative`, `unknown_unit`…", body = ErrorEnvelope)),
    security(("session" = [])))]
pub async fn add_training(
    State(state): State<AppState>,
    SessionKeeper(viewer): SessionKeeper,
    ApiJson(request): ApiJson<TrainingRequest>,
) -> Result<(StatusCode, Json<Created>), AppError> {
    let id = records::add_training(&state.app, viewer.actor(), &request).await?;
    Ok(created(id.get()))
}
