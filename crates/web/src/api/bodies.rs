//! Public read access to the collegiate bodies and their members.

use abierto_domain::governance::{Body, Membership, Person};
use abierto_domain::ids::BodyId;
use axum::extract::State;
use axum::Json;
use serde::Serialize;

use crate::error::ErrorEnvelope;
use crate::id_path::IdPath;
use crate::{AppError, AppState};

#[derive(Serialize, utoipa::ToSchema)]
pub struct Seat {
    pub membership: Membership,
    pub person: Person,
}

/// Every collegiate body, the most recent period first.
#[utoipa::path(get, path = "/api/v1/bodies", tag = "secretariado",
    responses((status = 200, description = "Bodies", body = Vec<Body>)))]
pub async fn list(State(state): State<AppState>) -> Result<Json<Vec<Body>>, AppError> {
    Ok(Json(state.store.bodies().await?))
}

/// A body's members (memberships with their people).
#[utoipa::path(get, path = "/api/v1/bodies/{id}/members", tag = "secretariado",
    params(("id" = i64, Path, description = "Body id")),
    responses(
        (status = 200, description = "Members", body = Vec<Seat>),
        (status = 404, description = "No such body", body = ErrorEnvelope),
    ))]
pub async fn members(
    State(state): State<AppState>,
    IdPath(id): IdPath<BodyId>,
) -> Result<Json<Vec<Seat>>, AppError> {
    state.store.body(id).await?;
    let seats = state.store.memberships_of(id).await?;
    Ok(Json(
        seats
            .into_iter()
            .map(|(membership, person)| Seat { membership, person })
            .collect(),
    ))
}
