//! Account management over the API (administrators only).

use abierto_domain::account::Role;
use abierto_domain::ids::{UnitId, UserId};
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::{Deserialize, Serialize};

use super::json::ApiJson;
use crate::auth::{AccountManager, Viewer};
use crate::error::ErrorEnvelope;
use crate::{AppError, AppState};
use abierto_app::accounts::{self, new_account};

#[derive(Serialize, utoipa::ToSchema)]
pub struct UserSummary {
    pub id: UserId,
    pub email: String,
    pub name: String,
    pub role: Role,
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateUser {
    pub email: String,
    pub name: String,
    pub role: Role,
    /// At least 10 characters; stored only as an argon2id hash.
    pub password: String,
    /// For the `reporting_unit` role: the units it may report for.
    #[serde(default)]
    pub units: Vec<UnitId>,
}

/// Every account.
#[utoipa::path(
    get,
    path = "/api/v1/users",
    tag = "cuentas",
    responses(
        (status = 200, description = "Accounts, by e-mail", body = Vec<UserSummary>),
        (status = 401, description = "Not signed in", body = ErrorEnvelope),
        (status = 403, description = "Not an administrator", body = ErrorEnvelope),
    ),
    security(("session" = []))
)]
pub async fn list(
    State(state): State<AppState>,
    viewer: Viewer,
) -> Result<Json<Vec<UserSummary>>, AppError> {
    let users = accounts::accounts(&state.app, viewer.actor()).await?;
    Ok(Json(users.into_iter().map(summary).collect()))
}

/// Creates an account.
#[utoipa::path(
    post,
    path = "/api/v1/users",
    tag = "cuentas",
    request_body = CreateUser,
    responses(
        (status = 201, description = "Created", body = UserSummary),
        (status = 400, description = "Malformed JSON, or a field of the wrong type (named in `field`)", body = ErrorEnvelope),
        (status = 401, description = "Not signed in", body = ErrorEnvelope),
        (status = 403, description = "Not an administrator", body = ErrorEnvelope),
        (status = 409, description = "The e-mail is taken", body = ErrorEnvelope),
        (status = 422, description = "A value breaks a rule (e-mail, name, password length, unknown unit)", body = ErrorEnvelope),
    ),
    security(("session" = []))
)]
pub async fn create(
    State(state): State<AppState>,
    AccountManager(viewer): AccountManager,
    ApiJson(body): ApiJson<CreateUser>,
) -> Result<(StatusCode, Json<UserSummary>), AppError> {
    let new = new_account(
        &body.email,
        &body.name,
        body.role,
        &body.password,
        body.units,
    )?;
    let user = accounts::create_account(&state.app, viewer.actor(), &new).await?;
    Ok((StatusCode::CREATED, Json(summary(user))))
}

fn summary(user: abierto_domain::account::User) -> UserSummary {
    UserSummary {
        id: user.id,
        email: user.email.as_str().to_owned(),
        name: user.name.as_str().to_owned(),
        role: user.role,
    }
}
