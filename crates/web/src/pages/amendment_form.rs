//! The secretariat's form for proposing an amendment to a body's bylaws, tied to the
//! proposal item whose vote will decide it.

use crate::csrf::GuardedRouter;
use abierto_domain::ids::BodyId;
use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use serde::Deserialize;

use super::render;
use crate::auth::SessionKeeper;
use crate::html_form::{cell, HtmlForm};
use crate::id_path::IdPath;
use crate::page::PageContext;
use crate::{AppError, AppState};
use abierto_app::governance::amendments::{
    open_proposal_items, propose, AmendmentRequest, ChangeRequest,
};

/// Rows offered for changed articles.
const ROWS: usize = 4;

pub fn router() -> GuardedRouter {
    GuardedRouter::new().route(
        "/organos/{id}/lineamientos/reformas/nueva",
        get(form_page).post(create),
    )
}

struct ItemChoice {
    /// "session:position".
    value: String,
    label: String,
}

#[derive(Default)]
struct ChangeRow {
    index: usize,
    article: String,
    text: String,
}

#[derive(Template)]
#[template(path = "amendment_new.html")]
struct FormPage {
    ctx: PageContext,
    body: BodyId,
    body_name: String,
    items: Vec<ItemChoice>,
    title: String,
    item: String,
    rows: Vec<ChangeRow>,
    error_key: Option<String>,
}

/// Proposal items of the body's sessions not voted yet.
async fn open_items(state: &AppState, body: BodyId) -> Result<Vec<ItemChoice>, AppError> {
    Ok(open_proposal_items(&state.app, body)
        .await?
        .into_iter()
        .map(|(session, item)| ItemChoice {
            value: format!("{}:{}", session.id, item.position),
            label: format!(
                "{} ({}) — {}. {}",
                session.title_es(),
                session.held_on.format("%Y-%m-%d"),
                abierto_domain::sessions::roman(item.position),
                item.title
            ),
        })
        .collect())
}

/// The amendment form as posted: its title, the agenda item (`session:position`) that
/// approved it, and one article and text per row of changes.
#[derive(Default, Deserialize)]
#[serde(default)]
struct AmendmentForm {
    title: String,
    item: String,
    article: Vec<String>,
    text: Vec<String>,
}

async fn page(
    state: &AppState,
    ctx: PageContext,
    body: BodyId,
    form: &AmendmentForm,
    error_key: Option<String>,
) -> Result<FormPage, AppError> {
    let name = abierto_app::governance::body(&state.app, body).await?.name;
    let rows = (0..ROWS)
        .map(|i| ChangeRow {
            index: i + 1,
            article: cell(&form.article, i).to_owned(),
            text: cell(&form.text, i).to_owned(),
        })
        .collect();
    Ok(FormPage {
        ctx,
        body,
        body_name: name,
        items: open_items(state, body).await?,
        title: form.title.clone(),
        item: form.item.clone(),
        rows,
        error_key,
    })
}

async fn form_page(
    State(state): State<AppState>,
    _keeper: SessionKeeper,
    ctx: PageContext,
    IdPath(body): IdPath<BodyId>,
) -> Result<Response, AppError> {
    render(&page(&state, ctx, body, &AmendmentForm::default(), None).await?)
}

async fn create(
    State(state): State<AppState>,
    SessionKeeper(viewer): SessionKeeper,
    ctx: PageContext,
    IdPath(body): IdPath<BodyId>,
    HtmlForm(form): HtmlForm<AmendmentForm>,
) -> Result<Response, AppError> {
    let (session, position) = match form.item.split_once(':') {
        Some((s, p)) => (s.parse().ok(), p.parse().ok()),
        None => (None, None),
    };
    // Rows left blank are the spare ones.
    let changes = form
        .article
        .iter()
        .zip(&form.text)
        .filter(|(a, t)| !a.trim().is_empty() || !t.trim().is_empty())
        .map(|(a, t)| ChangeRequest {
            article: a.trim().parse().unwrap_or(0),
            text: t.to_string(),
        })
        .collect();
    let request = AmendmentRequest {
        title: form.title.clone(),
        session,
        position,
        changes,
    };
    match propose(&state.app, viewer.actor(), body, &request)
        .await
        .map_err(AppError::from)
    {
        Ok(id) => Ok(Redirect::to(&format!("/reformas/{id}")).into_response()),
        Err(err @ (AppError::Invalid(_) | AppError::Conflict { .. })) => {
            let status = err.status();
            let page = page(&state, ctx, body, &form, Some(err.report().message_key)).await?;
            Ok((status, render(&page)?).into_response())
        }
        Err(err) => Err(err),
    }
}
