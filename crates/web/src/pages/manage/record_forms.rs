//! The forms that write a session's record: agenda, proposals taken from a void call,
//! attendance, times, votes, motions, annexes and the convocation's notices. Each redirects
//! back to the management page with a notice, or shows it again with the refusal.

use abierto_app::sessions::convene::send_convocation;
use abierto_app::sessions::record::{self, AgendaItemRequest, VoteInput};
use abierto_app::FileUpload;
use abierto_domain::ids::{MembershipId, SessionId};
use abierto_domain::sessions::VoteCount;
use abierto_domain::ErrorCode;
use axum::body::Bytes;
use axum::extract::{Multipart, State};
use axum::response::Response;

use crate::auth::SessionKeeper;
use crate::id_path::{IdPath, ItemPath};
use crate::page::PageContext;
use crate::pages::form::{cell, FormFields};
use crate::{AppError, AppState};

use super::after;

pub(super) async fn set_agenda(
    State(state): State<AppState>,
    SessionKeeper(viewer): SessionKeeper,
    ctx: PageContext,
    IdPath(id): IdPath<SessionId>,
    body: Bytes,
) -> Result<Response, AppError> {
    let fields = FormFields::parse(&body);
    let column = |name: &str| fields.column(name);
    let (kinds, titles) = (column("kind"), column("title"));
    let (presenters, minutes_of) = (column("presenter"), column("minutes_of"));
    let (annex_notes, narratives) = (column("annex_note"), column("narrative"));
    // Rows left without a title are the empty rows offered for new items.
    let items: Vec<AgendaItemRequest> = (0..titles.len())
        .filter(|&i| !titles[i].trim().is_empty())
        .map(|i| AgendaItemRequest {
            kind: cell(&kinds, i),
            title: cell(&titles, i),
            presenter: cell(&presenters, i).parse().ok(),
            minutes_of: cell(&minutes_of, i).parse().ok(),
            narrative: cell(&narratives, i),
            annex_note: cell(&annex_notes, i),
        })
        .collect();
    let result = record::set_agenda(&state.app, viewer.actor(), id, &items).await;
    after(&state, ctx, id, "agenda", result).await
}

/// Puts an item proposed for the body's next session (a void call's results) on this
/// session's agenda, before its closing item.
pub(super) async fn take_proposal(
    State(state): State<AppState>,
    SessionKeeper(viewer): SessionKeeper,
    ctx: PageContext,
    IdPath(id): IdPath<SessionId>,
    body: Bytes,
) -> Result<Response, AppError> {
    let fields = FormFields::parse(&body);
    let result = match fields.field("proposal").trim().parse() {
        Ok(proposal) => {
            abierto_app::sessions::take_proposal(&state.app, viewer.actor(), proposal, id)
                .await
                .map_err(AppError::from)
        }
        Err(_) => Err(AppError::NotFound),
    };
    after(&state, ctx, id, "proposal", result).await
}

pub(super) async fn set_attendance(
    State(state): State<AppState>,
    SessionKeeper(viewer): SessionKeeper,
    ctx: PageContext,
    IdPath(id): IdPath<SessionId>,
    body: Bytes,
) -> Result<Response, AppError> {
    let present: Vec<MembershipId> = FormFields::parse(&body)
        .column("present")
        .iter()
        .filter_map(|v| v.parse().ok())
        .collect();
    let result = record::record_attendance(&state.app, viewer.actor(), id, &present).await;
    after(&state, ctx, id, "attendance", result).await
}

pub(super) async fn set_times(
    State(state): State<AppState>,
    SessionKeeper(viewer): SessionKeeper,
    ctx: PageContext,
    IdPath(id): IdPath<SessionId>,
    body: Bytes,
) -> Result<Response, AppError> {
    let fields = FormFields::parse(&body);
    let ended_at = fields.field("ended_at");
    let result = record::record_times(
        &state.app,
        viewer.actor(),
        id,
        fields.field("started_at"),
        Some(ended_at),
    )
    .await;
    after(&state, ctx, id, "times", result).await
}

pub(super) async fn set_vote(
    State(state): State<AppState>,
    SessionKeeper(viewer): SessionKeeper,
    ctx: PageContext,
    ItemPath(id, position): ItemPath,
    body: Bytes,
) -> Result<Response, AppError> {
    let fields = FormFields::parse(&body);
    let number = |name: &str| fields.field(name).trim().parse::<i64>();
    let result = match (
        number("in_favour"),
        number("against"),
        number("abstentions"),
    ) {
        (Ok(in_favour), Ok(against), Ok(abstentions)) => {
            let count = VoteCount {
                in_favour,
                against,
                abstentions,
            };
            let reporter = fields.field("reported_by").parse().ok();
            record::record_vote(
                &state.app,
                viewer.actor(),
                id,
                position,
                VoteInput::Counts(count),
                reporter,
            )
            .await
        }
        _ => Err(abierto_domain::ValidationError::new("votes", ErrorCode::InvalidVoteCount).into()),
    };
    after(&state, ctx, id, "vote", result).await
}

pub(super) async fn add_motion(
    State(state): State<AppState>,
    SessionKeeper(viewer): SessionKeeper,
    ctx: PageContext,
    ItemPath(id, position): ItemPath,
    body: Bytes,
) -> Result<Response, AppError> {
    let fields = FormFields::parse(&body);
    let result = record::record_motion(
        &state.app,
        viewer.actor(),
        id,
        position,
        fields.field("proposer").parse().ok(),
        fields.field("text"),
        fields.field("outcome"),
    )
    .await;
    after(&state, ctx, id, "motion", result).await
}

pub(super) async fn add_annex(
    State(state): State<AppState>,
    SessionKeeper(viewer): SessionKeeper,
    ctx: PageContext,
    ItemPath(id, position): ItemPath,
    multipart: Multipart,
) -> Result<Response, AppError> {
    let result = match crate::multipart_form::read_file_field(multipart).await {
        Ok((filename, content)) => {
            let upload = FileUpload {
                filename: &filename,
                content: &content,
            };
            record::add_annex(&state.app, viewer.actor(), id, position, &upload)
                .await
                .map(|_| ())
                .map_err(AppError::from)
        }
        Err(err) => Err(err),
    };
    after(&state, ctx, id, "annex", result).await
}

pub(super) async fn send_notices(
    State(state): State<AppState>,
    SessionKeeper(viewer): SessionKeeper,
    ctx: PageContext,
    IdPath(id): IdPath<SessionId>,
) -> Result<Response, AppError> {
    let result = send_convocation(&state.app, viewer.actor(), id)
        .await
        .map(|_| ());
    after(&state, ctx, id, "convocation", result).await
}
