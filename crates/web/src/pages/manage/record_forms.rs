//! The forms that write a session's record: agenda, proposals taken from a void call,
//! attendance, times, votes, motions, annexes and the convocation's notices. Each redirects
//! back to the management page with a notice, or shows it again with the refusal.

use abierto_app::sessions::convene::send_convocation;
use abierto_app::sessions::record::{self, AgendaItemRequest, VoteInput};
use abierto_app::FileUpload;
use abierto_domain::ids::{MembershipId, SessionId};
use abierto_domain::sessions::VoteCount;
use abierto_domain::ErrorCode;
use axum::extract::{Multipart, State};
use axum::response::Response;
use serde::Deserialize;

use crate::auth::SessionKeeper;
use crate::html_form::{cell, HtmlForm};
use crate::id_path::{IdPath, ItemPath};
use crate::page::PageContext;
use crate::{AppError, AppState};

use super::after;

/// The agenda form: one value of each field per row, in order.
#[derive(Default, Deserialize)]
#[serde(default)]
pub(super) struct AgendaForm {
    kind: Vec<String>,
    title: Vec<String>,
    presenter: Vec<String>,
    minutes_of: Vec<String>,
    narrative: Vec<String>,
    annex_note: Vec<String>,
}

pub(super) async fn set_agenda(
    State(state): State<AppState>,
    SessionKeeper(viewer): SessionKeeper,
    ctx: PageContext,
    IdPath(id): IdPath<SessionId>,
    HtmlForm(form): HtmlForm<AgendaForm>,
) -> Result<Response, AppError> {
    // Rows left without a title are the empty rows offered for new items.
    let items: Vec<AgendaItemRequest> = (0..form.title.len())
        .filter(|&i| !form.title[i].trim().is_empty())
        .map(|i| AgendaItemRequest {
            kind: cell(&form.kind, i).to_owned(),
            title: cell(&form.title, i).to_owned(),
            presenter: cell(&form.presenter, i).parse().ok(),
            minutes_of: cell(&form.minutes_of, i).parse().ok(),
            narrative: cell(&form.narrative, i).to_owned(),
            annex_note: cell(&form.annex_note, i).to_owned(),
        })
        .collect();
    let result = record::set_agenda(&state.app, viewer.actor(), id, &items).await;
    after(&state, ctx, id, "agenda", result).await
}

#[derive(Default, Deserialize)]
#[serde(default)]
pub(super) struct ProposalForm {
    proposal: String,
}

/// Puts an item proposed for the body's next session (a void call's results) on this
/// session's agenda, before its closing item.
pub(super) async fn take_proposal(
    State(state): State<AppState>,
    SessionKeeper(viewer): SessionKeeper,
    ctx: PageContext,
    IdPath(id): IdPath<SessionId>,
    HtmlForm(form): HtmlForm<ProposalForm>,
) -> Result<Response, AppError> {
    let result = match form.proposal.trim().parse() {
        Ok(proposal) => {
            abierto_app::sessions::take_proposal(&state.app, viewer.actor(), proposal, id)
                .await
                .map_err(AppError::from)
        }
        Err(_) => Err(AppError::NotFound),
    };
    after(&state, ctx, id, "proposal", result).await
}

/// The attendance form: one `present` per member ticked.
#[derive(Default, Deserialize)]
#[serde(default)]
pub(super) struct AttendanceForm {
    present: Vec<String>,
}

pub(super) async fn set_attendance(
    State(state): State<AppState>,
    SessionKeeper(viewer): SessionKeeper,
    ctx: PageContext,
    IdPath(id): IdPath<SessionId>,
    HtmlForm(form): HtmlForm<AttendanceForm>,
) -> Result<Response, AppError> {
    let present: Vec<MembershipId> = form.present.iter().filter_map(|v| v.parse().ok()).collect();
    let result = record::record_attendance(&state.app, viewer.actor(), id, &present).await;
    after(&state, ctx, id, "attendance", result).await
}

#[derive(Default, Deserialize)]
#[serde(default)]
pub(super) struct TimesForm {
    started_at: String,
    ended_at: String,
}

pub(super) async fn set_times(
    State(state): State<AppState>,
    SessionKeeper(viewer): SessionKeeper,
    ctx: PageContext,
    IdPath(id): IdPath<SessionId>,
    HtmlForm(form): HtmlForm<TimesForm>,
) -> Result<Response, AppError> {
    let result = record::record_times(
        &state.app,
        viewer.actor(),
        id,
        &form.started_at,
        Some(&form.ended_at),
    )
    .await;
    after(&state, ctx, id, "times", result).await
}

/// A vote's counts as typed, and who reported them.
#[derive(Default, Deserialize)]
#[serde(default)]
pub(super) struct VoteForm {
    in_favour: String,
    against: String,
    abstentions: String,
    reported_by: String,
}

pub(super) async fn set_vote(
    State(state): State<AppState>,
    SessionKeeper(viewer): SessionKeeper,
    ctx: PageContext,
    ItemPath(id, position): ItemPath,
    HtmlForm(form): HtmlForm<VoteForm>,
) -> Result<Response, AppError> {
    let number = |raw: &str| raw.trim().parse::<i64>();
    let result = match (
        number(&form.in_favour),
        number(&form.against),
        number(&form.abstentions),
    ) {
        (Ok(in_favour), Ok(against), Ok(abstentions)) => {
            let count = VoteCount {
                in_favour,
                against,
                abstentions,
            };
            let reporter = form.reported_by.parse().ok();
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

#[derive(Default, Deserialize)]
#[serde(default)]
pub(super) struct MotionForm {
    proposer: String,
    text: String,
    outcome: String,
}

pub(super) async fn add_motion(
    State(state): State<AppState>,
    SessionKeeper(viewer): SessionKeeper,
    ctx: PageContext,
    ItemPath(id, position): ItemPath,
    HtmlForm(form): HtmlForm<MotionForm>,
) -> Result<Response, AppError> {
    let result = record::record_motion(
        &state.app,
        viewer.actor(),
        id,
        position,
        form.proposer.parse().ok(),
        &form.text,
        &form.outcome,
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
