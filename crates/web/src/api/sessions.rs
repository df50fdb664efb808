//! Sessions over the API: the public list, one session's record with quorum, and its acta.

use abierto_documents::minutes::{to_markdown, Block};
use abierto_domain::ids::{BodyId, SessionId};
use abierto_domain::sessions::Session;
use abierto_domain::ErrorCode;
use axum::extract::{Query, State};
use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};

use crate::auth::Viewer;
use crate::error::ErrorEnvelope;
use crate::id_path::IdPath;
use crate::{AppError, AppState};
use abierto_app::sessions::{self, minutes, session_detail, SessionDetail};

#[derive(Serialize, utoipa::ToSchema)]
pub struct SessionSummary {
    #[serde(flatten)]
    pub session: Session,
    /// "3ª Sesión Extraordinaria".
    pub title: String,
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct SessionFilter {
    /// Only the sessions of this body.
    pub body: Option<BodyId>,
}

/// Sessions, newest first.
#[utoipa::path(get, path = "/api/v1/sessions", tag = "sesiones", params(SessionFilter),
    responses((status = 200, description = "Sessions", body = Vec<SessionSummary>)))]
pub async fn list(
    State(state): State<AppState>,
    Query(filter): Query<SessionFilter>,
) -> Result<Json<Vec<SessionSummary>>, AppError> {
    let sessions = sessions::sessions(&state.app, filter.body).await?;
    Ok(Json(
        sessions
            .into_iter()
            .map(|session| SessionSummary {
                title: session.title_es(),
                session,
            })
            .collect(),
    ))
}

/// One session: agenda with votes and motions, attendance, quorum.
#[utoipa::path(get, path = "/api/v1/sessions/{id}", tag = "sesiones",
    params(("id" = i64, Path, description = "Session id", minimum = 1)),
    responses(
        (status = 200, description = "The session", body = SessionDetail),
        (status = 404, description = "No such session", body = ErrorEnvelope),
    ))]
pub async fn detail(
    State(state): State<AppState>,
    IdPath(id): IdPath<SessionId>,
) -> Result<Json<SessionDetail>, AppError> {
    Ok(Json(session_detail(&state.app, id).await?))
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct MinutesFormat {
    /// `md` (default), `html` or `json` (the acta's blocks).
    #[param(pattern = "^(md|html|json)$")]
    pub format: Option<String>,
}

/// The session's acta: for the public, the published version; for the secretariat and the
/// members, the current one (the draft written live from the record, or the approved text).
#[utoipa::path(get, path = "/api/v1/sessions/{id}/minutes", tag = "sesiones",
    params(("id" = i64, Path, description = "Session id", minimum = 1), MinutesFormat),
    responses(
        (status = 200, description = "The acta as Markdown, HTML or JSON blocks", content(
            (String = "text/markdown"), (String = "text/html"), ("application/json"))),
        (status = 404, description = "No such session, or its acta is not published (`minutes_not_published`)", body = ErrorEnvelope),
        (status = 422, description = "Unknown format", body = ErrorEnvelope),
    ))]
pub async fn minutes(
    State(state): State<AppState>,
    viewer: Viewer,
    IdPath(id): IdPath<SessionId>,
    Query(query): Query<MinutesFormat>,
) -> Result<Response, AppError> {
    let format = query.format.as_deref().unwrap_or("md");
    if !["md", "html", "json"].contains(&format) {
        return Err(AppError::Invalid(abierto_domain::ValidationError::new(
            "format",
            ErrorCode::InvalidFormat,
        )));
    }
    let view = sessions::view(&state.app, id).await?;
    let blocks = minutes::readable(&state.app, viewer.actor(), &view).await?;
    match format {
        "md" => Ok((
            [(CONTENT_TYPE, "text/markdown; charset=utf-8")],
            to_markdown(&blocks),
        )
            .into_response()),
        "html" => crate::minutes_html::minutes_document(&view.title(), &blocks),
        "json" => Ok(Json::<Vec<Block>>(blocks).into_response()),
        _ => Err(AppError::Invalid(abierto_domain::ValidationError::new(
            "format",
            ErrorCode::InvalidFormat,
        ))),
    }
}
