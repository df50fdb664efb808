//! The bylaws over the API: the consolidated text at a date, an amendment beside the text it
//! replaces, and proposing one.

use abierto_domain::dates::parse_date;
use abierto_domain::ids::{AmendmentId, BodyId};
use abierto_domain::ErrorCode;
use abierto_domain::ValidationError;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::Json;
use serde::Deserialize;

use super::json::ApiJson;
use crate::auth::SessionKeeper;
use crate::error::ErrorEnvelope;
use crate::id_path::IdPath;
use crate::{AppError, AppState};
use abierto_app::governance::amendments::{propose, AmendmentRequest};
use abierto_app::governance::bylaws_view::{
    amendment_view, consolidated_at, AmendmentView, ConsolidatedBylaws,
};

#[derive(Deserialize, utoipa::IntoParams)]
pub struct AtDate {
    /// `2024-09-14`; today when omitted.
    #[param(format = Date)]
    pub at: Option<String>,
}

/// The bylaws in force on a date, with their amendments and reference findings.
#[utoipa::path(get, path = "/api/v1/bodies/{id}/bylaws", tag = "secretariado",
    params(("id" = i64, Path, description = "Body id", minimum = 1), AtDate),
    responses(
        (status = 200, description = "Consolidated text", body = ConsolidatedBylaws),
        (status = 404, description = "No such body", body = ErrorEnvelope),
        (status = 422, description = "`invalid_date`", body = ErrorEnvelope),
    ))]
pub async fn consolidated(
    State(state): State<AppState>,
    IdPath(id): IdPath<BodyId>,
    Query(query): Query<AtDate>,
) -> Result<Json<ConsolidatedBylaws>, AppError> {
    let at = match query.at.as_deref() {
        Some(raw) => {
            parse_date(raw).map_err(|_| ValidationError::new("at", ErrorCode::InvalidDate))?
        }
        None => state.app.clock().today(),
    };
    Ok(Json(consolidated_at(&state.app, id, at).await?))
}

/// An amendment: each article's text in force and the proposed text, with the words marked.
#[utoipa::path(get, path = "/api/v1/amendments/{id}", tag = "secretariado",
    params(("id" = i64, Path, description = "Amendment id", minimum = 1)),
    responses(
        (status = 200, description = "The amendment", body = AmendmentView),
        (status = 404, description = "No such amendment", body = ErrorEnvelope),
    ))]
pub async fn amendment(
    State(state): State<AppState>,
    IdPath(id): IdPath<AmendmentId>,
) -> Result<Json<AmendmentView>, AppError> {
    Ok(Json(
        amendment_view(&state.app, id, state.app.clock().today()).await?,
    ))
}

/// Proposes an amendment, to be decided by the vote on a proposal item of a session.
#[utoipa::path(post, path = "/api/v1/bodies/{id}/amendments", tag = "secretariado", request_body = AmendmentRequest,
    params(("id" = i64, Path, description = "Body id", minimum = 1)),
    responses(
        (status = 201, description = "Proposed", body = AmendmentView),
        (status = 409, description = "The item already decides another amendment", body = ErrorEnvelope),
        (status = 422, description = "`changes_required`, `item_not_proposal`, `item_already_voted`…", body = ErrorEnvelope),
    ), security(("session" = [])))]
pub async fn create(
    State(state): State<AppState>,
    SessionKeeper(viewer): SessionKeeper,
    IdPath(id): IdPath<BodyId>,
    ApiJson(request): ApiJson<AmendmentRequest>,
) -> Result<(StatusCode, Json<AmendmentView>), AppError> {
    let amendment = propose(&state.app, viewer.actor(), id, &request).await?;
    let view = amendment_view(&state.app, amendment, state.app.clock().today()).await?;
    Ok((StatusCode::CREATED, Json(view)))
}
