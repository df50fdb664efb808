//! The secretariat's outbox: every notice sent or waiting, with its state.

use abierto_domain::ids::SessionId;
use abierto_domain::local_time::display;
use askama::Template;
use axum::extract::State;
use axum::response::Response;

use crate::auth::SessionKeeper;
use crate::page::PageContext;
use crate::pages::render;
use crate::{AppError, AppState};

pub(super) struct OutboxRow {
    session: SessionId,
    created: String,
    recipient: String,
    subject: String,
    body: String,
    status_key: String,
}

#[derive(Template)]
#[template(path = "outbox.html")]
pub(super) struct OutboxPage {
    ctx: PageContext,
    rows: Vec<OutboxRow>,
}

pub(super) async fn outbox(
    State(state): State<AppState>,
    _keeper: SessionKeeper,
    ctx: PageContext,
) -> Result<Response, AppError> {
    // In the municipality's time, as every other page shows it.
    let zone = abierto_app::governance::time_zone(&state.app).await?;
    let rows = abierto_app::sessions::notices(&state.app, &ctx.actor, None)
        .await?
        .into_iter()
        .map(|n| OutboxRow {
            session: n.session,
            created: display(n.created_at, zone),
            recipient: n.recipient.unwrap_or_default(),
            subject: n.subject,
            body: n.body,
            status_key: format!("notice.{}", n.status.key()),
        })
        .collect();
    render(&OutboxPage { ctx, rows })
}
