//! The secretariat's form for proposing an amendment to a body's bylaws, tied to the
//! proposal item whose vote will decide it.

use abierto_domain::ids::BodyId;
use askama::Template;
use axum::body::Bytes;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;

use super::render;
use crate::auth::SessionKeeper;
use crate::id_path::IdPath;
use crate::page::PageContext;
use crate::{AppError, AppState};
use abierto_app::governance::amendments::{
    open_proposal_items, propose, AmendmentRequest, ChangeRequest,
};

/// Rows offered for changed articles.
const ROWS: usize = 4;

pub fn router() -> Router<AppState> {
    Router::new().route(
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

async fn page(
    state: &AppState,
    ctx: PageContext,
    body: BodyId,
    fields: &[(String, String)],
    error_key: Option<String>,
) -> Result<FormPage, AppError> {
    let name = abierto_app::governance::body(&state.app, body).await?.name;
    let values = |key: &str| -> Vec<String> {
        fields
            .iter()
            .filter(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
            .collect()
    };
    let (articles, texts) = (values("article"), values("text"));
    let rows = (0..ROWS)
        .map(|i| ChangeRow {
            index: i + 1,
            article: articles.get(i).cloned().unwrap_or_default(),
            text: texts.get(i).cloned().unwrap_or_default(),
        })
        .collect();
    Ok(FormPage {
        ctx,
        body,
        body_name: name,
        items: open_items(state, body).await?,
        title: values("title").pop().unwrap_or_default(),
        item: values("item").pop().unwrap_or_default(),
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
    render(&page(&state, ctx, body, &[], None).await?)
}

async fn create(
    State(state): State<AppState>,
    SessionKeeper(viewer): SessionKeeper,
    ctx: PageContext,
    IdPath(body): IdPath<BodyId>,
    raw: Bytes,
) -> Result<Response, AppError> {
    let fields: Vec<(String, String)> = form_urlencoded::parse(&raw)
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    let field = |key: &str| {
        fields
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let (session, position) = match field("item").split_once(':') {
        Some((s, p)) => (s.parse().ok(), p.parse().ok()),
        None => (None, None),
    };
    let articles: Vec<&String> = fields
        .iter()
        .filter(|(k, _)| k == "article")
        .map(|(_, v)| v)
        .collect();
    let texts: Vec<&String> = fields
        .iter()
        .filter(|(k, _)| k == "text")
        .map(|(_, v)| v)
        .collect();
    // Rows left blank are the spare ones.
    let changes = articles
        .iter()
        .zip(&texts)
        .filter(|(a, t)| !a.trim().is_empty() || !t.trim().is_empty())
        .map(|(a, t)| ChangeRequest {
            article: a.trim().parse().unwrap_or(0),
            text: (*t).clone(),
        })
        .collect();
    let request = AmendmentRequest {
        title: field("title"),
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
            let page = page(&state, ctx, body, &fields, Some(err.report().message_key)).await?;
            Ok((status, render(&page)?).into_response())
        }
        Err(err) => Err(err),
    }
}
