//! `GET /healthz`: 200 when the database answers, 503 when it does not.

use std::time::Duration;

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::Serialize;

use crate::AppState;

#[derive(Serialize, utoipa::ToSchema)]
pub struct Health {
    /// `ok` or `unavailable`.
    pub status: &'static str,
    /// `ok` or `unreachable`.
    pub database: &'static str,
}

/// Liveness and database reachability, for load balancers.
#[utoipa::path(get, path = "/healthz", tag = "operación",
    responses(
        (status = 200, description = "Healthy", body = Health),
        (status = 503, description = "The database does not answer", body = Health),
    ))]
pub async fn healthz(State(state): State<AppState>) -> (StatusCode, Json<Health>) {
    let answered = tokio::time::timeout(
        Duration::from_secs(3),
        abierto_app::operations::ping(&state.app),
    )
    .await;
    match answered {
        Ok(Ok(())) => (
            StatusCode::OK,
            Json(Health {
                status: "ok",
                database: "ok",
            }),
        ),
        Ok(Err(err)) => {
            tracing::warn!(error = %err, "health check: database error");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(Health {
                    status: "unavailable",
                    database: "unreachable",
                }),
            )
        }
        Err(_) => {
            tracing::warn!("health check: database timed out");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(Health {
                    status: "unavailable",
                    database: "unreachable",
                }),
            )
        }
    }
}
