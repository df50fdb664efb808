//! Downloading an annex. The public gets the annexes of published actas; the secretariat and
//! the members get them all.

use abierto_domain::ids::AnnexId;
use axum::extract::State;
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE, X_CONTENT_TYPE_OPTIONS};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

use crate::auth::Viewer;
use crate::id_path::IdPath;
use crate::{AppError, AppState};

pub fn router() -> Router<AppState> {
    Router::new().route("/anexos/{id}", get(download))
}

async fn download(
    State(state): State<AppState>,
    viewer: Viewer,
    IdPath(id): IdPath<AnnexId>,
) -> Result<Response, AppError> {
    let (annex, session) = state.store.annex(id).await?;
    let insider = viewer
        .user
        .as_ref()
        .is_some_and(|u| u.role.can_read_draft_minutes());
    if !insider {
        let published = state
            .store
            .minutes_versions(session)
            .await?
            .iter()
            .any(|v| v.status.is_public());
        if !published {
            return Err(AppError::NotFound);
        }
    }
    // The name on disk is the content's hash, never anything a client sent.
    if annex.sha256.len() != 64 || !annex.sha256.chars().all(|c| c.is_ascii_hexdigit()) {
        return Err(AppError::Internal(format!("annex {id} has a bad hash")));
    }
    let content = tokio::fs::read(state.config.annex_dir.join(&annex.sha256))
        .await
        .map_err(|e| AppError::Internal(format!("annex {id}: {e}")))?;
    let filename: String = annex
        .filename
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || ".-_".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    Ok((
        [
            (CONTENT_TYPE, annex.content_type),
            (
                CONTENT_DISPOSITION,
                format!("attachment; filename=\"{filename}\""),
            ),
            (X_CONTENT_TYPE_OPTIONS, "nosniff".to_owned()),
        ],
        content,
    )
        .into_response())
}
