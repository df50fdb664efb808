//! Downloading a piece of evidence. The public gets the files of published reports and of
//! goal readings; a draft's files only the secretariat and the reporting unit that filed
//! them. Anyone else gets the same 404 as for a file that does not exist.

use crate::csrf::GuardedRouter;
use abierto_domain::ids::EvidenceId;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;

use crate::auth::Viewer;
use crate::id_path::IdPath;
use crate::{AppError, AppState};

pub fn router() -> GuardedRouter {
    GuardedRouter::new().route("/evidencias/{id}", get(download))
}

async fn download(
    State(state): State<AppState>,
    viewer: Viewer,
    IdPath(id): IdPath<EvidenceId>,
) -> Result<Response, AppError> {
    let file = abierto_app::plan::evidence_file(&state.app, viewer.actor(), id).await?;
    super::downloads::kept_file(file).await
}
