//! `GET /api/v1/me`: who the caller is.

use abierto_domain::account::Role;
use abierto_domain::ids::UserId;
use abierto_domain::municipality::Unit;
use axum::extract::State;
use axum::Json;
use serde::Serialize;

use crate::auth::Viewer;
use crate::error::ErrorEnvelope;
use crate::{AppError, AppState};

#[derive(Serialize, utoipa::ToSchema)]
pub struct Me {
    pub id: UserId,
    pub email: String,
    pub name: String,
    pub role: Role,
    /// Units a reporting-unit account may act for; empty for other roles.
    pub units: Vec<Unit>,
}

/// The signed-in account.
#[utoipa::path(
    get,
    path = "/api/v1/me",
    tag = "cuentas",
    responses(
        (status = 200, description = "The signed-in account", body = Me),
        (status = 401, description = "Not signed in", body = ErrorEnvelope),
    ),
    security(("session" = []))
)]
pub async fn me(State(state): State<AppState>, viewer: Viewer) -> Result<Json<Me>, AppError> {
    let user = viewer.require_user()?;
    let units = if user.role.is_scoped_to_units() {
        abierto_app::accounts::units_of(&state.app, user.id).await?
    } else {
        Vec::new()
    };
    Ok(Json(Me {
        id: user.id,
        email: user.email.as_str().to_owned(),
        name: user.name.as_str().to_owned(),
        role: user.role,
        units,
    }))
}
