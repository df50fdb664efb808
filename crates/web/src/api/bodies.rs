//! The collegiate bodies and their members: public reading, and the secretariat's writes
//! (registering a person, seating a member under the bylaws' rules).

use abierto_domain::governance::{Body, Membership, Person};
use abierto_domain::ids::{BodyId, PersonId};
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::Serialize;

use super::json::ApiJson;
use crate::auth::SessionKeeper;
use crate::error::ErrorEnvelope;
use crate::id_path::IdPath;
use crate::{AppError, AppState};
use abierto_app::governance::membership::{
    register_person, seat_member, MembershipRequest, PersonRequest,
};

#[derive(Serialize, utoipa::ToSchema)]
pub struct Seat {
    pub membership: Membership,
    pub person: Person,
}

/// Every collegiate body, the most recent period first.
#[utoipa::path(get, path = "/api/v1/bodies", tag = "secretariado",
    responses((status = 200, description = "Bodies", body = Vec<Body>)))]
pub async fn list(State(state): State<AppState>) -> Result<Json<Vec<Body>>, AppError> {
    Ok(Json(abierto_app::governance::bodies(&state.app).await?))
}

/// A body's members (memberships with their people).
#[utoipa::path(get, path = "/api/v1/bodies/{id}/members", tag = "secretariado",
    params(("id" = i64, Path, description = "Body id", minimum = 1)),
    responses(
        (status = 200, description = "Members", body = Vec<Seat>),
        (status = 404, description = "No such body", body = ErrorEnvelope),
    ))]
pub async fn members(
    State(state): State<AppState>,
    IdPath(id): IdPath<BodyId>,
) -> Result<Json<Vec<Seat>>, AppError> {
    abierto_app::governance::body(&state.app, id).await?;
    let seats = abierto_app::governance::members(&state.app, id).await?;
    Ok(Json(
        seats
            .into_iter()
            .map(|(membership, person)| Seat { membership, person })
            .collect(),
    ))
}

/// Seats a member. The bylaws' rules apply: citizen members and the facilitator serve two
/// years (artículo 4), without re-election; one person never holds two overlapping seats in
/// one body.
#[utoipa::path(post, path = "/api/v1/bodies/{id}/members", tag = "secretariado", request_body = MembershipRequest,
    params(("id" = i64, Path, description = "Body id", minimum = 1)),
    responses(
        (status = 201, description = "Seated", body = Seat),
        (status = 404, description = "No such body", body = ErrorEnvelope),
        (status = 422, description = "`term_exceeds_two_years`, `reelection_not_allowed`, `membership_overlap`, `invalid_date`…", body = ErrorEnvelope),
    ), security(("session" = [])))]
pub async fn add_member(
    State(state): State<AppState>,
    SessionKeeper(viewer): SessionKeeper,
    IdPath(id): IdPath<BodyId>,
    ApiJson(request): ApiJson<MembershipRequest>,
) -> Result<(StatusCode, Json<Seat>), AppError> {
    let membership = seat_member(&state.app, viewer.actor(), id, &request).await?;
    let seat = abierto_app::governance::members(&state.app, id)
        .await?
        .into_iter()
        .find(|(m, _)| m.id == membership)
        .map(|(membership, person)| Seat { membership, person })
        .ok_or(AppError::NotFound)?;
    Ok((StatusCode::CREATED, Json(seat)))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Registered {
    pub id: PersonId,
}

/// Registers a person who may then be seated in a body.
#[utoipa::path(post, path = "/api/v1/people", tag = "secretariado", request_body = PersonRequest,
    responses(
        (status = 201, description = "Registered", body = Registered),
        (status = 422, description = "`invalid_name`, `invalid_gender`", body = ErrorEnvelope),
    ), security(("session" = [])))]
pub async fn add_person(
    State(state): State<AppState>,
    SessionKeeper(viewer): SessionKeeper,
    ApiJson(request): ApiJson<PersonRequest>,
) -> Result<(StatusCode, Json<Registered>), AppError> {
    let id = register_person(&state.app, viewer.actor(), &request).await?;
    Ok((StatusCode::CREATED, Json(Registered { id })))
}
