//! The secretariat names the idea of the Banco de Acciones a commitment grew out of, so the
//! Banco shows what became of each idea.

use crate::csrf::GuardedRouter;
use abierto_domain::ids::{CommitmentId, SubmissionId};
use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use serde::Deserialize;

use super::form::is_refusal;
use super::render;
use crate::auth::SessionKeeper;
use crate::html_form::HtmlForm;
use crate::id_path::IdPath;
use crate::page::PageContext;
use crate::{AppError, AppState};

pub fn router() -> GuardedRouter {
    GuardedRouter::new().route(
        "/compromisos/{id}/origen",
        get(origin_page).post(set_origin),
    )
}

#[derive(Template)]
#[template(path = "commitment_origin.html")]
struct OriginPage {
    ctx: PageContext,
    commitment: CommitmentId,
    commitment_title: String,
    /// The Banco's ideas as (id, "folio — title"), and the one chosen, if any.
    ideas: Vec<(i64, String)>,
    chosen: Option<i64>,
    error_key: Option<String>,
}

async fn page(
    state: &AppState,
    ctx: PageContext,
    id: CommitmentId,
    error_key: Option<String>,
) -> Result<OriginPage, AppError> {
    let commitment = abierto_app::plan::commitment(&state.app, id).await?;
    let chosen = abierto_app::plan::commitment_origins(&state.app)
        .await?
        .into_iter()
        .find(|o| o.commitment == id)
        .map(|o| o.submission.get());
    let ideas = abierto_app::participation::action_bank(&state.app)
        .await?
        .into_iter()
        .map(|e| {
            let s = e.submission;
            (s.id.get(), format!("{} — {}", s.folio, s.title))
        })
        .collect();
    Ok(OriginPage {
        ctx,
        commitment: id,
        commitment_title: commitment.title,
        ideas,
        chosen,
        error_key,
    })
}

async fn origin_page(
    State(state): State<AppState>,
    _keeper: SessionKeeper,
    ctx: PageContext,
    IdPath(id): IdPath<CommitmentId>,
) -> Result<Response, AppError> {
    render(&page(&state, ctx, id, None).await?)
}

/// The idea of the Banco de Acciones chosen, empty for none.
#[derive(Default, Deserialize)]
#[serde(default)]
struct OriginForm {
    origin: String,
}

async fn set_origin(
    State(state): State<AppState>,
    SessionKeeper(viewer): SessionKeeper,
    ctx: PageContext,
    IdPath(id): IdPath<CommitmentId>,
    HtmlForm(form): HtmlForm<OriginForm>,
) -> Result<Response, AppError> {
    let origin = match form.origin.trim() {
        "" => None,
        // Not a number: refused by the store as not in the Banco.
        raw => Some(raw.parse().unwrap_or(SubmissionId::new(0))),
    };
    let outcome = abierto_app::plan::set_commitment_origin(&state.app, viewer.actor(), id, origin)
        .await
        .map_err(AppError::from);
    match outcome {
        Ok(()) => Ok(Redirect::to(&format!("/compromisos/{id}/editar?guardado=1")).into_response()),
        Err(err) if is_refusal(&err) => {
            let key = Some(err.report().message_key);
            let status = err.status();
            Ok((status, render(&page(&state, ctx, id, key).await?)?).into_response())
        }
        Err(err) => Err(err),
    }
}
