//! A submission's page for the secretariat: its evaluation, private notes, the proponent's
//! data opened with a purpose that goes in the log, the derechos ARCO export and erasure, and
//! — for an accepted youth application — its seat in the Cabildo Abierto Juvenil. Every form
//! keeps what was typed when refused.

use crate::csrf::GuardedRouter;
use abierto_app::participation::{Submission, SubmissionNote};
use abierto_domain::calls::{CallKind, SubmissionStatus};
use abierto_domain::governance::BodyKind;
use abierto_domain::ids::{BodyId, SubmissionId};
use abierto_domain::local_time::display;
use abierto_domain::ErrorCode;
use askama::Template;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;

use super::call_admin::Choice;
use super::calls::CallView;
use super::form::{is_refusal, refused};
use super::render;
use crate::auth::SessionKeeper;
use crate::html_form::HtmlForm;
use crate::id_path::IdPath;
use crate::page::PageContext;
use crate::{AppError, AppState};
use abierto_app::participation::call_admin::{self, EvaluationRequest, ProponentExport};

pub fn router() -> GuardedRouter {
    GuardedRouter::new()
        .route("/postulaciones/{id}", get(submission_page))
        .route("/postulaciones/{id}/evaluacion", post(evaluate))
        .route("/postulaciones/{id}/notas", post(add_note))
        .route("/postulaciones/{id}/datos", post(open_proponent))
        .route("/postulaciones/{id}/arco/exportar", post(export_proponent))
        .route("/postulaciones/{id}/arco/borrar", post(erase_proponent))
        .route("/postulaciones/{id}/integrar", post(seat_youth))
}

#[derive(Template)]
#[template(path = "submission.html")]
struct SubmissionPage {
    ctx: PageContext,
    call: CallView,
    submission: Submission,
    status_key: String,
    submitted: String,
    next_steps: Vec<(&'static str, String)>,
    notes: Vec<(String, String)>,
    proponent: Option<ProponentExport>,
    /// For an accepted youth application: where it can be seated, or the seat it has.
    seating: Option<Seating>,
    /// Which form the message is about, and its key.
    error: Option<(&'static str, String)>,
    typed: String,
}

/// Seating a selected young person: the councils and the selection committees' decisions to
/// choose from, or the body where they already sit.
enum Seating {
    Open {
        councils: Vec<Choice>,
        decisions: Vec<Choice>,
    },
    Seated {
        council: BodyId,
    },
}

async fn seating(
    state: &AppState,
    actor: &abierto_app::Actor,
    submission: &Submission,
) -> Result<Option<Seating>, AppError> {
    let call = abierto_app::participation::call(&state.app, actor, submission.call).await?;
    let eligible = call.kind == CallKind::Youth
        && submission.status == SubmissionStatus::Accepted
        && submission.erased_at.is_none();
    if !eligible {
        return Ok(None);
    }
    if let Some((_, council)) =
        abierto_app::participation::youth_seat(&state.app, submission.id).await?
    {
        return Ok(Some(Seating::Seated { council }));
    }
    let bodies = abierto_app::governance::bodies(&state.app).await?;
    let mut councils = Vec::new();
    let mut decisions = Vec::new();
    for body in &bodies {
        match body.kind {
            BodyKind::YouthCouncil => councils.push(Choice {
                value: body.id.to_string(),
                label: body.name.clone(),
            }),
            BodyKind::SelectionCommittee => {
                let sessions = abierto_app::sessions::sessions(&state.app, Some(body.id)).await?;
                for item in abierto_app::participation::approving_items(&state.app, body.id).await?
                {
                    let held_on = sessions
                        .iter()
                        .find(|s| s.id == item.session)
                        .map(|s| s.held_on.to_string())
                        .unwrap_or_default();
                    decisions.push(Choice {
                        value: item.item.to_string(),
                        label: format!("{} ({held_on}) — {}", body.short_name, item.title),
                    });
                }
            }
            BodyKind::Secretariat => {}
        }
    }
    Ok(Some(Seating::Open {
        councils,
        decisions,
    }))
}

struct Shown {
    proponent: Option<ProponentExport>,
    error: Option<(&'static str, String)>,
    typed: String,
}

async fn submission_view(
    state: &AppState,
    ctx: PageContext,
    id: SubmissionId,
    shown: Shown,
) -> Result<SubmissionPage, AppError> {
    let zone = abierto_app::governance::time_zone(&state.app).await?;
    let submission = abierto_app::participation::submission(&state.app, &ctx.actor, id).await?;
    let call = abierto_app::participation::call(&state.app, &ctx.actor, submission.call).await?;
    let call = CallView::of(&call, zone, state.app.clock().now(), ctx.lang);
    let notes = abierto_app::participation::submission_notes(&state.app, &ctx.actor, id)
        .await?
        .into_iter()
        .map(|SubmissionNote { body, at, .. }| (display(at, zone), body))
        .collect();
    let next_steps = match submission.status {
        SubmissionStatus::Received => vec![
            SubmissionStatus::UnderReview,
            SubmissionStatus::Accepted,
            SubmissionStatus::Rejected,
        ],
        SubmissionStatus::UnderReview => {
            vec![SubmissionStatus::Accepted, SubmissionStatus::Rejected]
        }
        _ => Vec::new(),
    }
    .into_iter()
    .map(|s| (s.key(), format!("submission_status.{}", s.key())))
    .collect();
    let seating = seating(state, &ctx.actor, &submission).await?;
    Ok(SubmissionPage {
        seating,
        ctx,
        call,
        status_key: format!("submission_status.{}", submission.status.key()),
        submitted: display(submission.submitted_at, zone),
        submission,
        next_steps,
        notes,
        proponent: shown.proponent,
        error: shown.error,
        typed: shown.typed,
    })
}

const NOTHING_SHOWN: Shown = Shown {
    proponent: None,
    error: None,
    typed: String::new(),
};

async fn submission_page(
    State(state): State<AppState>,
    _keeper: SessionKeeper,
    ctx: PageContext,
    IdPath(id): IdPath<SubmissionId>,
) -> Result<Response, AppError> {
    render(&submission_view(&state, ctx, id, NOTHING_SHOWN).await?)
}

/// After a form of the submission page: back to it, or the page again with the refusal.
async fn after_submission_form(
    state: &AppState,
    ctx: PageContext,
    id: SubmissionId,
    form: &'static str,
    typed: String,
    outcome: Result<(), impl Into<AppError>>,
) -> Result<Response, AppError> {
    match outcome.map_err(Into::into) {
        Ok(()) => Ok(Redirect::to(&format!("/postulaciones/{id}")).into_response()),
        Err(err) if is_refusal(&err) => {
            let shown = Shown {
                proponent: None,
                error: Some((form, err.report().message_key)),
                typed,
            };
            refused(&err, render(&submission_view(state, ctx, id, shown).await?))
        }
        Err(err) => Err(err),
    }
}

#[derive(Default, Deserialize)]
#[serde(default)]
struct EvaluationForm {
    status: String,
    reasons: String,
}

async fn evaluate(
    State(state): State<AppState>,
    SessionKeeper(viewer): SessionKeeper,
    ctx: PageContext,
    IdPath(id): IdPath<SubmissionId>,
    HtmlForm(form): HtmlForm<EvaluationForm>,
) -> Result<Response, AppError> {
    let request = EvaluationRequest {
        status: form.status,
        reasons: form.reasons,
    };
    let outcome = call_admin::evaluate(&state.app, viewer.actor(), id, &request).await;
    after_submission_form(&state, ctx, id, "evaluation", request.reasons, outcome).await
}

#[derive(Default, Deserialize)]
#[serde(default)]
struct NoteForm {
    body: String,
}

async fn add_note(
    State(state): State<AppState>,
    SessionKeeper(viewer): SessionKeeper,
    ctx: PageContext,
    IdPath(id): IdPath<SubmissionId>,
    HtmlForm(NoteForm { body }): HtmlForm<NoteForm>,
) -> Result<Response, AppError> {
    let outcome = call_admin::add_note(&state.app, viewer.actor(), id, &body).await;
    after_submission_form(&state, ctx, id, "note", body, outcome).await
}

#[derive(Default, Deserialize)]
#[serde(default)]
struct PurposeForm {
    purpose: String,
}

/// Shows the proponent's data on the page, once, after logging who opened it and why.
async fn open_proponent(
    State(state): State<AppState>,
    SessionKeeper(viewer): SessionKeeper,
    ctx: PageContext,
    IdPath(id): IdPath<SubmissionId>,
    HtmlForm(PurposeForm { purpose: why }): HtmlForm<PurposeForm>,
) -> Result<Response, AppError> {
    match call_admin::read_proponent(&state.app, viewer.actor(), id, &why)
        .await
        .map_err(AppError::from)
    {
        Ok(export) => {
            let shown = Shown {
                proponent: Some(export),
                error: None,
                typed: String::new(),
            };
            let page = render(&submission_view(&state, ctx, id, shown).await?)?;
            // Personal data on screen: no cache may keep this answer.
            Ok(([(header::CACHE_CONTROL, "no-store")], page).into_response())
        }
        Err(err) => after_submission_form(&state, ctx, id, "proponent", why, Err(err)).await,
    }
}

/// The proponent's data as a JSON file, for an access request (derecho ARCO de acceso).
async fn export_proponent(
    State(state): State<AppState>,
    SessionKeeper(viewer): SessionKeeper,
    ctx: PageContext,
    IdPath(id): IdPath<SubmissionId>,
) -> Result<Response, AppError> {
    match call_admin::read_proponent(&state.app, viewer.actor(), id, "ARCO: acceso")
        .await
        .map_err(AppError::from)
    {
        Ok(export) => {
            let body = serde_json::to_vec_pretty(&export)
                .map_err(|e| AppError::Internal(format!("ARCO export: {e}")))?;
            let disposition = format!("attachment; filename=\"arco-{}.json\"", export.folio);
            Ok((
                [
                    (header::CONTENT_TYPE, "application/json".to_owned()),
                    (header::CONTENT_DISPOSITION, disposition),
                    (header::CACHE_CONTROL, "no-store".to_owned()),
                ],
                body,
            )
                .into_response())
        }
        Err(err) => after_submission_form(&state, ctx, id, "arco", String::new(), Err(err)).await,
    }
}

/// Erases the proponent's data at their request (derecho ARCO de cancelación), once the
/// person confirms it.
#[derive(Default, Deserialize)]
#[serde(default)]
struct ErasureForm {
    confirm: String,
}

async fn erase_proponent(
    State(state): State<AppState>,
    SessionKeeper(viewer): SessionKeeper,
    ctx: PageContext,
    IdPath(id): IdPath<SubmissionId>,
    HtmlForm(form): HtmlForm<ErasureForm>,
) -> Result<Response, AppError> {
    let confirmed = !form.confirm.is_empty();
    let outcome = if confirmed {
        call_admin::erase_proponent(&state.app, viewer.actor(), id).await
    } else {
        Err(abierto_domain::ValidationError::new("confirm", ErrorCode::ErasureNotConfirmed).into())
    };
    after_submission_form(&state, ctx, id, "arco", String::new(), outcome).await
}

#[derive(Default, Deserialize)]
#[serde(default)]
struct YouthSeatForm {
    council: String,
    decided_by: String,
    gender: String,
    starts_on: String,
    ends_on: String,
}

/// Seats a selected young person in the Cabildo Abierto Juvenil, on the selection
/// committee's decision.
async fn seat_youth(
    State(state): State<AppState>,
    SessionKeeper(viewer): SessionKeeper,
    ctx: PageContext,
    IdPath(id): IdPath<SubmissionId>,
    HtmlForm(form): HtmlForm<YouthSeatForm>,
) -> Result<Response, AppError> {
    let request = call_admin::SeatRequest {
        // An unknown or missing body is refused as `unknown_body`.
        council: form.council.trim().parse().unwrap_or(BodyId::new(0)),
        decided_by: form.decided_by.trim().parse().ok(),
        gender: form.gender,
        starts_on: form.starts_on,
        ends_on: Some(form.ends_on),
    };
    let outcome = call_admin::seat_youth(&state.app, viewer.actor(), id, &request).await;
    after_submission_form(&state, ctx, id, "seat", String::new(), outcome.map(drop)).await
}
