//! Downloading an annex. The public gets the annexes of published actas; the secretariat and
//! the members get them all.

use abierto_domain::ids::AnnexId;
use axum::extract::State;
use axum::response::Response;
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
    super::downloads::kept_file(
        &state.config.annex_dir,
        &annex.sha256,
        &annex.filename,
        &annex.content_type,
    )
    .await
}
