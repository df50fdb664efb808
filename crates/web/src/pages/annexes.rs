//! Downloading an annex. The public gets the annexes of published actas; the secretariat and
//! the members get them all.

use crate::csrf::GuardedRouter;
use abierto_domain::ids::AnnexId;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;

use crate::auth::Viewer;
use crate::id_path::IdPath;
use crate::{AppError, AppState};

pub fn router() -> GuardedRouter {
    GuardedRouter::new().route("/anexos/{id}", get(download))
}

async fn download(
    State(state): State<AppState>,
    viewer: Viewer,
    IdPath(id): IdPath<AnnexId>,
) -> Result<Response, AppError> {
    let file = abierto_app::sessions::annex(&state.app, viewer.actor(), id).await?;
    super::downloads::kept_file(file).await
}
