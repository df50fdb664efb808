//! CSV imports over the API: the file is the request body (`text/csv`), the kind is in the
//! path and the mode in the query. The answer is the row-by-row report: 200 when rows were
//! written, 422 when nothing was.

use abierto_app::imports::{ImportKind, ImportMode};
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::header::CONTENT_TYPE;
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use serde::Deserialize;

use crate::auth::SessionKeeper;
use crate::error::ErrorEnvelope;
use crate::import_view::{worded, ImportResult};
use crate::page::PageContext;
use crate::{AppError, AppState};

#[derive(Deserialize, utoipa::IntoParams)]
pub struct ImportQuery {
    /// `all` (the default: every row or none) or `rows` (the valid rows go in).
    #[param(pattern = "^(all|rows)$")]
    pub mode: Option<String>,
}

/// Imports a CSV file (UTF-8; the header is row 1). Plans, commitments, goals and agreements
/// are matched by `external_id`, so importing again updates them; work stage changes are
/// appended to each work's history.
#[utoipa::path(post, path = "/api/v1/imports/{kind}", tag = "plan",
    params(("kind" = String, Path, description = "`plans`, `commitments`, `goals`, `agreements` or `work_stages`", pattern = "^(plans|commitments|goals|agreements|work_stages)$"), ImportQuery),
    request_body(content_type = "text/csv", description = "The CSV file"),
    responses(
        (status = 200, description = "Rows written (see `problems` for any refused in `rows` mode)", body = ImportResult),
        (status = 400, description = "A `mode` other than `all` or `rows` (`invalid_field`)", body = ErrorEnvelope),
        (status = 404, description = "A `kind` the importer does not know", body = ErrorEnvelope),
        (status = 415, description = "Not `text/csv`", body = ErrorEnvelope),
        (status = 422, description = "Nothing written; `problems` says why, row by row", body = ImportResult),
    ), security(("session" = [])))]
pub async fn upload(
    State(state): State<AppState>,
    SessionKeeper(viewer): SessionKeeper,
    ctx: PageContext,
    Path(kind): Path<String>,
    Query(query): Query<ImportQuery>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<(StatusCode, Json<ImportResult>), AppError> {
    // An unknown kind names no resource; a mode of the wrong shape is a malformed query. Both
    // answer with the error envelope, leaving 422 to the row-by-row report.
    let kind = ImportKind::parse(&kind).map_err(|_| AppError::NotFound)?;
    let mode = ImportMode::parse(query.mode.as_deref().unwrap_or_default()).map_err(|rule| {
        AppError::InvalidField {
            field: "mode".to_owned(),
            detail: rule.to_string(),
        }
    })?;
    let content_type = headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let essence = content_type.split(';').next().unwrap_or_default().trim();
    if !matches!(essence, "text/csv" | "application/csv") {
        return Err(AppError::UnsupportedMediaType);
    }
    let report = abierto_app::imports::run(&state.app, viewer.actor(), kind, mode, &body).await?;
    let status = if report.applied {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok((status, Json(worded(report, &ctx))))
}
