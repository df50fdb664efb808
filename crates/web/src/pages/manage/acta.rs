//! The acta's steps taken from the session's pages: a member signs it; the secretariat
//! publishes it, or corrects it once published.

use abierto_app::sessions::minutes;
use abierto_domain::ids::SessionId;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};

use crate::auth::{SessionKeeper, Viewer};
use crate::id_path::IdPath;
use crate::page::PageContext;
use crate::pages::form::is_refusal;
use crate::{AppError, AppState};

use super::after;

/// A member present signs from the session's page, and returns there.
pub(super) async fn sign(
    State(state): State<AppState>,
    viewer: Viewer,
    IdPath(id): IdPath<SessionId>,
) -> Result<Response, AppError> {
    match minutes::sign(&state.app, viewer.actor(), id)
        .await
        .map_err(AppError::from)
    {
        Ok(()) => Ok(Redirect::to(&format!("/sesiones/{id}?firmada=1")).into_response()),
        Err(err) if is_refusal(&err) => Ok(Redirect::to(&format!(
            "/sesiones/{id}?error={}",
            err.report().code
        ))
        .into_response()),
        Err(err) => Err(err),
    }
}

pub(super) async fn publish(
    State(state): State<AppState>,
    SessionKeeper(viewer): SessionKeeper,
    ctx: PageContext,
    IdPath(id): IdPath<SessionId>,
) -> Result<Response, AppError> {
    let result = minutes::publish(&state.app, viewer.actor(), id).await;
    after(&state, ctx, id, "published", result).await
}

pub(super) async fn correct(
    State(state): State<AppState>,
    SessionKeeper(viewer): SessionKeeper,
    ctx: PageContext,
    IdPath(id): IdPath<SessionId>,
) -> Result<Response, AppError> {
    let result = minutes::correct(&state.app, viewer.actor(), id)
        .await
        .map_err(AppError::from);
    after(&state, ctx, id, "corrected", result).await
}
