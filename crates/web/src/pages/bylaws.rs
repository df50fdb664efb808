//! The bylaws' public pages: the consolidated text at any date, each article's history, and
//! an amendment shown beside the text it replaces, like the "Quedando:" table of the minutes.

use crate::csrf::GuardedRouter;
use abierto_documents::diff::{Mark, Piece};
use abierto_domain::dates::{long_date, parse_date};
use abierto_domain::ids::{AmendmentId, BodyId};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::get;
use serde::Deserialize;

use super::render;
use crate::id_path::IdPath;
use crate::page::PageContext;
use crate::{AppError, AppState};
use abierto_app::governance::bylaws_view::{amendment_view, consolidated_at};

pub fn router() -> GuardedRouter {
    GuardedRouter::new()
        .route("/organos/{id}/lineamientos", get(consolidated))
        .route(
            "/organos/{id}/lineamientos/articulos/{article}",
            get(history),
        )
        .route("/reformas/{id}", get(amendment))
}

#[derive(Deserialize)]
struct DateQuery {
    fecha: Option<String>,
}

struct ArticleRow {
    number: i64,
    paragraphs: Vec<String>,
    since: String,
}

struct FindingRow {
    source: String,
    detail: String,
}

struct AmendmentRow {
    id: AmendmentId,
    title: String,
    status_key: String,
    in_force: String,
}

#[derive(Template)]
#[template(path = "bylaws.html")]
struct BylawsPage {
    ctx: PageContext,
    body: BodyId,
    body_name: String,
    date: String,
    date_long: String,
    date_error: bool,
    articles: Vec<ArticleRow>,
    findings: Vec<FindingRow>,
    amendments: Vec<AmendmentRow>,
}

async fn consolidated(
    State(state): State<AppState>,
    ctx: PageContext,
    IdPath(id): IdPath<BodyId>,
    Query(query): Query<DateQuery>,
) -> Result<Response, AppError> {
    let body = abierto_app::governance::body(&state.app, id).await?;
    let today = state.app.clock().today();
    let asked = query.fecha.as_deref().filter(|f| !f.trim().is_empty());
    let parsed = asked.map(parse_date);
    let date_error = matches!(parsed, Some(Err(_)));
    let at = match parsed {
        Some(Ok(day)) => day,
        _ => today,
    };
    let bylaws = consolidated_at(&state.app, id, at).await?;
    let lang = ctx.lang;
    let page = BylawsPage {
        body: id,
        body_name: body.name,
        date: at.format("%Y-%m-%d").to_string(),
        date_long: long_date(at, lang),
        date_error,
        articles: bylaws
            .articles
            .iter()
            .map(|a| ArticleRow {
                number: a.version.article,
                paragraphs: a.version.text.lines().map(str::to_owned).collect(),
                since: long_date(a.version.in_force_from, lang),
            })
            .collect(),
        findings: bylaws
            .findings
            .iter()
            .map(|f| FindingRow {
                source: f.item.clone().unwrap_or_default(),
                detail: f.detail.clone(),
            })
            .collect(),
        amendments: bylaws
            .amendments
            .iter()
            .map(|a| AmendmentRow {
                id: a.id,
                title: a.title.clone(),
                status_key: format!("amendment.{}", a.status.key()),
                in_force: a
                    .in_force_from
                    .map(|d| long_date(d, lang))
                    .unwrap_or_default(),
            })
            .collect(),
        ctx,
    };
    let status = if date_error {
        axum::http::StatusCode::UNPROCESSABLE_ENTITY
    } else {
        axum::http::StatusCode::OK
    };
    Ok(axum::response::IntoResponse::into_response((
        status,
        render(&page)?,
    )))
}

struct VersionRow {
    since: String,
    text: String,
    amendment: Option<AmendmentId>,
}

#[derive(Template)]
#[template(path = "bylaws_article.html")]
struct HistoryPage {
    ctx: PageContext,
    body: BodyId,
    body_name: String,
    article: i64,
    versions: Vec<VersionRow>,
}

async fn history(
    State(state): State<AppState>,
    ctx: PageContext,
    Path((body, article)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let body: BodyId = body.parse().map_err(|_| AppError::NotFound)?;
    let article: i64 = article.parse().map_err(|_| AppError::NotFound)?;
    let name = abierto_app::governance::body(&state.app, body).await?.name;
    let versions: Vec<VersionRow> = abierto_app::governance::article_versions(&state.app, body)
        .await?
        .into_iter()
        .filter(|v| v.article == article)
        .rev()
        .map(|v| VersionRow {
            since: long_date(v.in_force_from, ctx.lang),
            text: v.text,
            amendment: v.amendment,
        })
        .collect();
    if versions.is_empty() {
        return Err(AppError::NotFound);
    }
    render(&HistoryPage {
        ctx,
        body,
        body_name: name,
        article,
        versions,
    })
}

struct ChangeRow {
    article: i64,
    current: Vec<(String, &'static str)>,
    proposed: Vec<(String, &'static str)>,
    is_new: bool,
}

#[derive(Template)]
#[template(path = "amendment.html")]
struct AmendmentPage {
    ctx: PageContext,
    body: BodyId,
    title: String,
    status_key: String,
    approved_on: String,
    in_force: String,
    changes: Vec<ChangeRow>,
    findings: Vec<FindingRow>,
}

/// Pieces as (text, the element that marks them: "", "del" or "ins").
fn marked(pieces: &[Piece]) -> Vec<(String, &'static str)> {
    pieces
        .iter()
        .map(|p| {
            let tag = match p.mark {
                Mark::Same => "",
                Mark::Removed => "del",
                Mark::Added => "ins",
            };
            (p.text.clone(), tag)
        })
        .collect()
}

async fn amendment(
    State(state): State<AppState>,
    ctx: PageContext,
    IdPath(id): IdPath<AmendmentId>,
) -> Result<Response, AppError> {
    let view = amendment_view(&state.app, id, state.app.clock().today()).await?;
    let lang = ctx.lang;
    render(&AmendmentPage {
        body: view.amendment.body,
        title: view.amendment.title.clone(),
        status_key: format!("amendment.{}", view.amendment.status.key()),
        approved_on: view
            .amendment
            .approved_on
            .map(|d| long_date(d, lang))
            .unwrap_or_default(),
        in_force: view
            .amendment
            .in_force_from
            .map(|d| long_date(d, lang))
            .unwrap_or_default(),
        changes: view
            .comparison
            .iter()
            .map(|c| ChangeRow {
                article: c.article,
                current: marked(&c.current),
                proposed: marked(&c.proposed),
                is_new: c.current_text.is_none(),
            })
            .collect(),
        findings: view
            .findings
            .iter()
            .map(|f| FindingRow {
                source: f.item.clone().unwrap_or_default(),
                detail: f.detail.clone(),
            })
            .collect(),
        ctx,
    })
}
