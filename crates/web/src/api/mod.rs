//! The JSON API under `/api/v1`, its OpenAPI 3.1 document, and the operational endpoints
//! `/healthz` and `/metrics`.

mod bodies;
mod health;
mod json;
mod me;
mod sessions;
mod users;

use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use utoipa::openapi::security::{ApiKey, ApiKeyValue, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::error::{ErrorBody, ErrorEnvelope};
use crate::{metrics, AppState};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "abierto API",
        description = "API del Secretariado Técnico Municipal de Gobierno Abierto. Errors come as {\"error\":{\"code\",\"message\",\"field\"}} with a stable snake_case code.",
        version = "1"
    ),
    paths(
        me::me, users::list, users::create, bodies::list, bodies::members,
        sessions::list, sessions::detail, sessions::minutes, health::healthz
    ),
    components(schemas(ErrorEnvelope, ErrorBody)),
    modifiers(&SessionCookie),
    tags(
        (name = "cuentas", description = "Accounts and the signed-in user"),
        (name = "secretariado", description = "Collegiate bodies and their members"),
        (name = "sesiones", description = "Sessions, their record and their minutes (actas)"),
        (name = "operación", description = "Health and monitoring"),
    )
)]
pub struct ApiDoc;

struct SessionCookie;

impl Modify for SessionCookie {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new(crate::cookies::SESSION))),
        );
    }
}

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/me", get(me::me))
        .route("/api/v1/users", get(users::list).post(users::create))
        .route("/api/v1/bodies", get(bodies::list))
        .route("/api/v1/bodies/{id}/members", get(bodies::members))
        .route("/api/v1/sessions", get(sessions::list))
        .route("/api/v1/sessions/{id}", get(sessions::detail))
        .route("/api/v1/sessions/{id}/minutes", get(sessions::minutes))
        .route("/api/v1/openapi.json", get(openapi))
        .route("/healthz", get(health::healthz))
        .route("/metrics", get(metrics::exposition))
}

async fn openapi() -> Response {
    Json(ApiDoc::openapi()).into_response()
}
