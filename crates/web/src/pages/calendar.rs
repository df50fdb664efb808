//! The public calendar of sessions and its iCalendar feeds: every session at `/sesiones.ics`,
//! one session's invitation at `/sesiones/{id}/convocatoria.ics`.

use crate::csrf::GuardedRouter;
use abierto_domain::dates::{long_date, month_of_year};
use abierto_domain::ids::SessionId;
use askama::Template;
use axum::extract::State;
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use super::render;
use crate::id_path::IdPath;
use crate::page::PageContext;
use crate::{AppError, AppState};
use abierto_app::sessions::convene;

pub fn router() -> GuardedRouter {
    GuardedRouter::new()
        .route("/sesiones/calendario", get(calendar))
        .route("/sesiones.ics", get(feed))
        .route("/sesiones/{id}/convocatoria.ics", get(invitation))
}

struct CalendarEntry {
    id: SessionId,
    title: String,
    body: String,
    date: String,
    time: String,
    place: String,
}

struct Month {
    label: String,
    entries: Vec<CalendarEntry>,
}

#[derive(Template)]
#[template(path = "calendar.html")]
struct CalendarPage {
    ctx: PageContext,
    upcoming: Vec<Month>,
    past: Vec<Month>,
}

async fn calendar(State(state): State<AppState>, ctx: PageContext) -> Result<Response, AppError> {
    let bodies = abierto_app::governance::bodies(&state.app).await?;
    let today = state.app.clock().today();
    let mut sessions = abierto_app::sessions::sessions(&state.app, None).await?;
    sessions.sort_by_key(|s| (s.held_on, s.id));
    let mut upcoming: Vec<Month> = Vec::new();
    let mut past: Vec<Month> = Vec::new();
    for session in sessions {
        let label = month_of_year(session.held_on, ctx.lang);
        let entry = CalendarEntry {
            id: session.id,
            title: session.title_es(),
            body: bodies
                .iter()
                .find(|b| b.id == session.body)
                .map(|b| b.short_name.clone())
                .unwrap_or_default(),
            date: long_date(session.held_on, ctx.lang),
            time: session.scheduled_time.clone(),
            place: session.place.clone(),
        };
        let months = if session.held_on >= today {
            &mut upcoming
        } else {
            &mut past
        };
        match months.last_mut() {
            Some(month) if month.label == label => month.entries.push(entry),
            _ => months.push(Month {
                label,
                entries: vec![entry],
            }),
        }
    }
    past.reverse();
    render(&CalendarPage {
        ctx,
        upcoming,
        past,
    })
}

fn ics_response(calendar: String, filename: &str) -> Response {
    (
        [
            (CONTENT_TYPE, "text/calendar; charset=utf-8".to_owned()),
            (
                CONTENT_DISPOSITION,
                format!("inline; filename=\"{filename}\""),
            ),
        ],
        calendar,
    )
        .into_response()
}

async fn feed(State(state): State<AppState>) -> Result<Response, AppError> {
    let name = format!("Sesiones — {}", state.branding.official_name);
    let calendar = convene::calendar_feed(&state.app, &name).await?;
    Ok(ics_response(calendar, "sesiones.ics"))
}

async fn invitation(
    State(state): State<AppState>,
    IdPath(id): IdPath<SessionId>,
) -> Result<Response, AppError> {
    let calendar = convene::invitation(&state.app, id).await?;
    Ok(ics_response(calendar, &format!("convocatoria-{id}.ics")))
}
