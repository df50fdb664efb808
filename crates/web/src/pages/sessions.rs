//! Public pages of the sessions: the list, one session's record, and its acta (HTML and
//! Markdown download).

use crate::csrf::GuardedRouter;
use abierto_documents::minutes::{to_markdown, Block};
use abierto_domain::dates::long_date;
use abierto_domain::ids::SessionId;
use abierto_domain::minutes::MinutesStatus;
use abierto_domain::sessions::{roman, MotionOutcome};
use abierto_domain::ErrorCode;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use super::render;
use crate::auth::Viewer;
use crate::id_path::IdPath;
use crate::page::PageContext;
use crate::{AppError, AppState};
use abierto_app::sessions::{self, minutes};

pub fn router() -> GuardedRouter {
    GuardedRouter::new()
        .route("/sesiones", get(list))
        .route("/sesiones/{id}", get(detail))
        .route("/sesiones/{id}/acta", get(minutes_page))
        .route("/sesiones/{id}/acta.md", get(minutes_markdown))
}

struct SessionRow {
    id: SessionId,
    title: String,
    body: String,
    date: String,
    place: String,
}

#[derive(Template)]
#[template(path = "sessions.html")]
struct SessionsPage {
    ctx: PageContext,
    sessions: Vec<SessionRow>,
}

async fn list(State(state): State<AppState>, ctx: PageContext) -> Result<Response, AppError> {
    let bodies = abierto_app::governance::bodies(&state.app).await?;
    let sessions = sessions::sessions(&state.app, None)
        .await?
        .into_iter()
        .map(|s| SessionRow {
            id: s.id,
            title: s.title_es(),
            body: bodies
                .iter()
                .find(|b| b.id == s.body)
                .map(|b| b.short_name.clone())
                .unwrap_or_default(),
            date: long_date(s.held_on, ctx.lang),
            place: s.place.clone(),
        })
        .collect();
    render(&SessionsPage { ctx, sessions })
}

struct ItemRow {
    annexes: Vec<(abierto_domain::ids::AnnexId, String)>,
    numeral: String,
    title: String,
    kind_key: String,
    presenter: String,
    vote_key: Option<String>,
    vote_count: Option<String>,
    motions: Vec<(String, &'static str)>,
}

#[derive(Template)]
#[template(path = "session.html")]
struct SessionPage {
    ctx: PageContext,
    id: SessionId,
    title: String,
    body_name: String,
    date: String,
    place: String,
    times: String,
    items: Vec<ItemRow>,
    present: Vec<String>,
    quorum: Option<abierto_domain::sessions::Quorum>,
    approved_in: Option<(SessionId, String)>,
    minutes_status_key: String,
    /// Whether this reader may read the acta (published, or a draft reader).
    minutes_readable: bool,
    signers: Vec<String>,
    sheet: Vec<String>,
    can_sign: bool,
    findings: Vec<FindingRow>,
    message_key: Option<String>,
}

struct FindingRow {
    kind_key: String,
    item: String,
    detail: String,
}

#[derive(serde::Deserialize)]
struct PageQuery {
    firmada: Option<String>,
    error: Option<String>,
}

async fn detail(
    State(state): State<AppState>,
    viewer: Viewer,
    ctx: PageContext,
    IdPath(id): IdPath<SessionId>,
    Query(query): Query<PageQuery>,
) -> Result<Response, AppError> {
    let view = sessions::view(&state.app, id).await?;
    let record = &view.record;
    let session = &record.session;
    let status = view.minutes_status();
    let minutes_readable = view.minutes_readable_by(viewer.actor());
    let can_sign = view.signable_by(viewer.actor());
    let message_key = match (query.firmada, query.error) {
        (Some(_), _) => Some("minutes.signed_notice".to_owned()),
        (None, Some(code)) => ErrorCode::parse(&code).map(ErrorCode::message_key),
        _ => None,
    };
    let items = record
        .agenda
        .iter()
        .map(|item| {
            let vote = record.votes.iter().find(|v| v.item == item.id);
            ItemRow {
                annexes: if minutes_readable {
                    view.annexes
                        .iter()
                        .filter(|a| a.item == item.id)
                        .map(|a| (a.id, a.filename.clone()))
                        .collect()
                } else {
                    Vec::new()
                },
                numeral: roman(item.position),
                title: item.title.clone(),
                kind_key: format!("agenda_kind.{}", item.kind.key()),
                presenter: item
                    .presenter
                    .map(|p| view.person_name(p))
                    .unwrap_or_default(),
                vote_key: vote.map(|v| format!("vote.{}", v.result.outcome.key())),
                vote_count: vote
                    .and_then(|v| v.result.count)
                    .map(|c| format!("{} / {} / {}", c.in_favour, c.against, c.abstentions)),
                motions: record
                    .motions
                    .iter()
                    .filter(|m| m.item == item.id)
                    .map(|m| {
                        let key = match m.outcome {
                            MotionOutcome::Accepted => "motion.accepted",
                            MotionOutcome::Rejected => "motion.rejected",
                        };
                        (m.text.clone(), key)
                    })
                    .collect(),
            }
        })
        .collect();
    let times = match (&session.started_at, &session.ended_at) {
        (Some(start), Some(end)) => format!("{start} – {end}"),
        (Some(start), None) => start.clone(),
        _ => session.scheduled_time.clone(),
    };
    let page = SessionPage {
        id: session.id,
        title: view.title(),
        body_name: view.body.name.clone(),
        date: long_date(session.held_on, ctx.lang),
        place: session.place.clone(),
        times,
        items,
        present: record
            .attendance
            .iter()
            .map(|a| view.person_name(a.membership))
            .collect(),
        quorum: view.quorum,
        approved_in: view.approved_in.as_ref().map(|s| {
            (
                s.id,
                format!(
                    "{} {} {}",
                    s.title_es(),
                    ctx.t("sessions.held_on_joiner"),
                    long_date(s.held_on, ctx.lang)
                ),
            )
        }),
        minutes_status_key: format!("minutes_status.{}", status.key()),
        minutes_readable,
        signers: view
            .signatures
            .iter()
            .map(|s| {
                format!(
                    "{} ({} UTC)",
                    view.person_name(s.membership),
                    s.signed_at.format("%Y-%m-%d %H:%M")
                )
            })
            .collect(),
        sheet: view.sheet.iter().map(|e| e.name.clone()).collect(),
        can_sign,
        findings: view
            .findings()
            .into_iter()
            .map(|f| FindingRow {
                kind_key: format!("finding.{}", f.kind.key()),
                item: f.item.unwrap_or_default(),
                detail: f.detail,
            })
            .collect(),
        message_key,
        ctx,
    };
    render(&page)
}

#[derive(Template)]
#[template(path = "minutes.html")]
struct MinutesPage {
    ctx: PageContext,
    id: SessionId,
    title: String,
    blocks: Vec<Block>,
    /// Not yet approved: written live from the record, and may still change.
    draft: bool,
}

async fn minutes_page(
    State(state): State<AppState>,
    viewer: Viewer,
    ctx: PageContext,
    IdPath(id): IdPath<SessionId>,
) -> Result<Response, AppError> {
    let view = sessions::view(&state.app, id).await?;
    let blocks = minutes::readable(&state.app, viewer.actor(), &view).await?;
    render(&MinutesPage {
        ctx,
        id: view.record.session.id,
        title: view.title(),
        blocks,
        draft: view.minutes_status() == MinutesStatus::Draft,
    })
}

async fn minutes_markdown(
    State(state): State<AppState>,
    viewer: Viewer,
    IdPath(id): IdPath<SessionId>,
) -> Result<Response, AppError> {
    let view = sessions::view(&state.app, id).await?;
    let blocks = minutes::readable(&state.app, viewer.actor(), &view).await?;
    let markdown = to_markdown(&blocks);
    let session = &view.record.session;
    let filename = format!(
        "acta-{}-{}-{}.md",
        session.held_on.format("%Y-%m-%d"),
        session.kind.key(),
        session.number
    );
    Ok((
        [
            (CONTENT_TYPE, "text/markdown; charset=utf-8".to_owned()),
            (
                CONTENT_DISPOSITION,
                format!("attachment; filename=\"{filename}\""),
            ),
        ],
        markdown,
    )
        .into_response())
}
