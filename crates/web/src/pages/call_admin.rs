//! The secretariat's call pages: writing a draft with its dates in the municipality's time,
//! publishing it on the vote that approved it, the submissions and their evaluation, private
//! notes, the proponent's data opened with a purpose that goes in the log, the derechos ARCO
//! export and erasure, and the results. Every form keeps what was typed when refused.

use abierto_domain::calls::SubmissionStatus;
use abierto_domain::governance::BodyKind;
use abierto_domain::ids::{AgendaItemId, BodyId, CallId, SubmissionId};
use abierto_domain::local_time::{display, input_value};
use abierto_store::{Call, Submission, SubmissionNote};
use askama::Template;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;

use super::calls::CallView;
use super::form::{is_refusal, FormFields};
use super::render;
use crate::auth::SessionKeeper;
use crate::id_path::IdPath;
use crate::page::PageContext;
use crate::workflows::call_admin::{
    self, municipal_zone, CallRequest, EvaluationRequest, ProponentExport,
};
use crate::{AppError, AppState};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/convocatorias/nueva", get(new_call).post(create_call))
        .route("/convocatorias/{id}/editar", get(edit_page).post(edit_call))
        .route("/convocatorias/{id}/publicar", post(publish))
        .route("/convocatorias/{id}/postulaciones", get(submissions))
        .route("/convocatorias/{id}/resultados", post(resolve))
        .route("/postulaciones/{id}", get(submission_page))
        .route("/postulaciones/{id}/evaluacion", post(evaluate))
        .route("/postulaciones/{id}/notas", post(add_note))
        .route("/postulaciones/{id}/datos", post(open_proponent))
        .route("/postulaciones/{id}/arco/exportar", post(export_proponent))
        .route("/postulaciones/{id}/arco/borrar", post(erase_proponent))
        .route("/postulaciones/{id}/integrar", post(seat_youth))
}

/// A refused form again, with the status of its refusal.
fn refused(err: &AppError, page: Result<Response, AppError>) -> Result<Response, AppError> {
    Ok((err.status(), page?).into_response())
}

#[derive(Default)]
struct CallForm {
    kind: String,
    title: String,
    text: String,
    requirements: String,
    body: String,
    opens_at: String,
    closes_at: String,
    min_age: String,
    max_age: String,
}

impl CallForm {
    fn of(call: &Call, zone: abierto_domain::local_time::Tz) -> CallForm {
        CallForm {
            kind: call.kind.key().to_owned(),
            title: call.title.clone(),
            text: call.text.clone(),
            requirements: call.requirements.clone(),
            body: call.body.to_string(),
            opens_at: input_value(call.window.opens_at, zone),
            closes_at: input_value(call.window.closes_at, zone),
            min_age: call
                .eligibility
                .map(|e| e.min_age.to_string())
                .unwrap_or_default(),
            max_age: call
                .eligibility
                .map(|e| e.max_age.to_string())
                .unwrap_or_default(),
        }
    }

    fn read(fields: &FormFields) -> CallForm {
        let field = |name| fields.field(name).to_owned();
        CallForm {
            kind: field("kind"),
            title: field("title"),
            text: field("text"),
            requirements: field("requirements"),
            body: field("body"),
            opens_at: field("opens_at"),
            closes_at: field("closes_at"),
            min_age: field("min_age"),
            max_age: field("max_age"),
        }
    }

    fn request(&self) -> Result<CallRequest, AppError> {
        let age = |raw: &str| -> Result<Option<u32>, AppError> {
            match raw.trim() {
                "" => Ok(None),
                text => text.parse().map(Some).map_err(|_| {
                    abierto_domain::ValidationError::new("min_age", "invalid_age_range").into()
                }),
            }
        };
        Ok(CallRequest {
            kind: self.kind.clone(),
            title: self.title.clone(),
            text: self.text.clone(),
            requirements: self.requirements.clone(),
            // An unknown or missing body is refused as `unknown_body`.
            body: self.body.trim().parse().unwrap_or(BodyId::new(0)),
            opens_at: self.opens_at.clone(),
            closes_at: self.closes_at.clone(),
            min_age: age(&self.min_age)?,
            max_age: age(&self.max_age)?,
        })
    }
}

struct Choice {
    value: String,
    label: String,
}

#[derive(Template)]
#[template(path = "call_form.html")]
struct CallFormPage {
    ctx: PageContext,
    editing: Option<CallId>,
    form: CallForm,
    bodies: Vec<Choice>,
    /// The approving votes of the call's body, for the publication form.
    approving: Vec<Choice>,
    error_key: Option<String>,
    publish_error_key: Option<String>,
}

async fn call_form_page(
    state: &AppState,
    ctx: PageContext,
    editing: Option<CallId>,
    form: CallForm,
    errors: (Option<String>, Option<String>),
) -> Result<CallFormPage, AppError> {
    let bodies = state.store.bodies().await?;
    let mut approving = Vec::new();
    if let Some(body) = form
        .body
        .trim()
        .parse::<BodyId>()
        .ok()
        .filter(|_| editing.is_some())
    {
        let sessions = state.store.sessions(Some(body)).await?;
        for item in state.store.approving_items(body).await? {
            let session = sessions.iter().find(|s| s.id == item.session);
            let label = match session {
                Some(s) => format!(
                    "{} ({}) — {}. {}",
                    s.title_es(),
                    s.held_on,
                    item.position,
                    item.title
                ),
                None => format!("{}. {}", item.position, item.title),
            };
            approving.push(Choice {
                value: item.item.to_string(),
                label,
            });
        }
    }
    Ok(CallFormPage {
        ctx,
        editing,
        form,
        bodies: bodies
            .iter()
            .map(|b| Choice {
                value: b.id.to_string(),
                label: b.name.clone(),
            })
            .collect(),
        approving,
        error_key: errors.0,
        publish_error_key: errors.1,
    })
}

async fn new_call(
    State(state): State<AppState>,
    _keeper: SessionKeeper,
    ctx: PageContext,
) -> Result<Response, AppError> {
    let form = CallForm {
        kind: "ideas".to_owned(),
        ..CallForm::default()
    };
    render(&call_form_page(&state, ctx, None, form, (None, None)).await?)
}

async fn create_call(
    State(state): State<AppState>,
    SessionKeeper(viewer): SessionKeeper,
    ctx: PageContext,
    raw: Bytes,
) -> Result<Response, AppError> {
    let form = CallForm::read(&FormFields::parse(&raw));
    let outcome = match form.request() {
        Ok(request) => call_admin::create_call(&state.store, &viewer.actor(), &request).await,
        Err(err) => Err(err),
    };
    match outcome {
        Ok(id) => Ok(Redirect::to(&format!("/convocatorias/{id}/editar")).into_response()),
        Err(err) if is_refusal(&err) => {
            let key = Some(err.report().message_key);
            let page = call_form_page(&state, ctx, None, form, (key, None)).await?;
            refused(&err, render(&page))
        }
        Err(err) => Err(err),
    }
}

async fn edit_page(
    State(state): State<AppState>,
    _keeper: SessionKeeper,
    ctx: PageContext,
    IdPath(id): IdPath<CallId>,
) -> Result<Response, AppError> {
    let call = state.store.call(id).await?;
    if !CallView::of(&call, municipal_zone(&state.store).await?).draft {
        return Ok(Redirect::to(&format!("/convocatorias/{id}/postulaciones")).into_response());
    }
    let form = CallForm::of(&call, municipal_zone(&state.store).await?);
    render(&call_form_page(&state, ctx, Some(id), form, (None, None)).await?)
}

async fn edit_call(
    State(state): State<AppState>,
    SessionKeeper(viewer): SessionKeeper,
    ctx: PageContext,
    IdPath(id): IdPath<CallId>,
    raw: Bytes,
) -> Result<Response, AppError> {
    let form = CallForm::read(&FormFields::parse(&raw));
    let outcome = match form.request() {
        Ok(request) => call_admin::edit_call(&state.store, &viewer.actor(), id, &request).await,
        Err(err) => Err(err),
    };
    match outcome {
        Ok(()) => Ok(Redirect::to(&format!("/convocatorias/{id}/editar")).into_response()),
        Err(err) if is_refusal(&err) => {
            let key = Some(err.report().message_key);
            let page = call_form_page(&state, ctx, Some(id), form, (key, None)).await?;
            refused(&err, render(&page))
        }
        Err(err) => Err(err),
    }
}

async fn publish(
    State(state): State<AppState>,
    SessionKeeper(viewer): SessionKeeper,
    ctx: PageContext,
    IdPath(id): IdPath<CallId>,
    raw: Bytes,
) -> Result<Response, AppError> {
    let fields = FormFields::parse(&raw);
    let item = fields
        .field("approved_by")
        .trim()
        .parse::<AgendaItemId>()
        .ok();
    match call_admin::publish_call(&state.store, &viewer.actor(), id, item).await {
        Ok(()) => Ok(Redirect::to(&format!("/convocatorias/{id}")).into_response()),
        Err(err) if is_refusal(&err) => {
            let call = state.store.call(id).await?;
            let form = CallForm::of(&call, municipal_zone(&state.store).await?);
            let key = Some(err.report().message_key);
            let page = call_form_page(&state, ctx, Some(id), form, (None, key)).await?;
            refused(&err, render(&page))
        }
        Err(err) => Err(err),
    }
}

struct SubmissionRow {
    id: SubmissionId,
    folio: String,
    title: String,
    area: String,
    status_key: String,
    submitted: String,
    erased: bool,
}

#[derive(Template)]
#[template(path = "call_submissions.html")]
struct SubmissionsPage {
    ctx: PageContext,
    call: CallView,
    rows: Vec<SubmissionRow>,
    pending: usize,
    results_text: String,
    error_key: Option<String>,
}

async fn submissions_page(
    state: &AppState,
    ctx: PageContext,
    id: CallId,
    results_text: String,
    error_key: Option<String>,
) -> Result<SubmissionsPage, AppError> {
    let zone = municipal_zone(&state.store).await?;
    let call = CallView::of(&state.store.call(id).await?, zone);
    let all = state.store.submissions_of(id).await?;
    let pending = all.iter().filter(|s| !s.status.is_decided()).count();
    Ok(SubmissionsPage {
        ctx,
        call,
        rows: all
            .into_iter()
            .map(|s| SubmissionRow {
                id: s.id,
                folio: s.folio,
                title: s.title,
                area: s.area,
                status_key: format!("submission_status.{}", s.status.key()),
                submitted: display(s.submitted_at, zone),
                erased: s.erased_at.is_some(),
            })
            .collect(),
        pending,
        results_text,
        error_key,
    })
}

async fn submissions(
    State(state): State<AppState>,
    _keeper: SessionKeeper,
    ctx: PageContext,
    IdPath(id): IdPath<CallId>,
) -> Result<Response, AppError> {
    render(&submissions_page(&state, ctx, id, String::new(), None).await?)
}

async fn resolve(
    State(state): State<AppState>,
    SessionKeeper(viewer): SessionKeeper,
    ctx: PageContext,
    IdPath(id): IdPath<CallId>,
    raw: Bytes,
) -> Result<Response, AppError> {
    let fields = FormFields::parse(&raw);
    let text = fields.field("results_text").to_owned();
    state.store.call(id).await?;
    match call_admin::resolve(&state.store, &viewer.actor(), id, &text).await {
        Ok(()) => Ok(Redirect::to(&format!("/convocatorias/{id}")).into_response()),
        Err(err) if is_refusal(&err) => {
            let key = Some(err.report().message_key);
            refused(
                &err,
                render(&submissions_page(&state, ctx, id, text, key).await?),
            )
        }
        Err(err) => Err(err),
    }
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

async fn seating(state: &AppState, submission: &Submission) -> Result<Option<Seating>, AppError> {
    let call = state.store.call(submission.call).await?;
    let eligible = call.kind == abierto_domain::calls::CallKind::Youth
        && submission.status == SubmissionStatus::Accepted
        && submission.erased_at.is_none();
    if !eligible {
        return Ok(None);
    }
    if let Some((_, council)) = state.store.youth_seat(submission.id).await? {
        return Ok(Some(Seating::Seated { council }));
    }
    let bodies = state.store.bodies().await?;
    let mut councils = Vec::new();
    let mut decisions = Vec::new();
    for body in &bodies {
        match body.kind {
            BodyKind::YouthCouncil => councils.push(Choice {
                value: body.id.to_string(),
                label: body.name.clone(),
            }),
            BodyKind::SelectionCommittee => {
                let sessions = state.store.sessions(Some(body.id)).await?;
                for item in state.store.approving_items(body.id).await? {
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
    let zone = municipal_zone(&state.store).await?;
    let submission = state.store.submission(id).await?;
    let call = CallView::of(&state.store.call(submission.call).await?, zone);
    let notes = state
        .store
        .submission_notes(id)
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
    let seating = seating(state, &submission).await?;
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
    outcome: Result<(), AppError>,
) -> Result<Response, AppError> {
    match outcome {
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

async fn evaluate(
    State(state): State<AppState>,
    SessionKeeper(viewer): SessionKeeper,
    ctx: PageContext,
    IdPath(id): IdPath<SubmissionId>,
    raw: Bytes,
) -> Result<Response, AppError> {
    let fields = FormFields::parse(&raw);
    let request = EvaluationRequest {
        status: fields.field("status").to_owned(),
        reasons: fields.field("reasons").to_owned(),
    };
    let outcome = call_admin::evaluate(&state.store, &viewer.actor(), id, &request).await;
    after_submission_form(&state, ctx, id, "evaluation", request.reasons, outcome).await
}

async fn add_note(
    State(state): State<AppState>,
    SessionKeeper(viewer): SessionKeeper,
    ctx: PageContext,
    IdPath(id): IdPath<SubmissionId>,
    raw: Bytes,
) -> Result<Response, AppError> {
    let body = FormFields::parse(&raw).field("body").to_owned();
    let outcome = call_admin::add_note(&state.store, &viewer.actor(), id, &body).await;
    after_submission_form(&state, ctx, id, "note", body, outcome).await
}

/// Shows the proponent's data on the page, once, after logging who opened it and why.
async fn open_proponent(
    State(state): State<AppState>,
    SessionKeeper(viewer): SessionKeeper,
    ctx: PageContext,
    IdPath(id): IdPath<SubmissionId>,
    raw: Bytes,
) -> Result<Response, AppError> {
    let why = FormFields::parse(&raw).field("purpose").to_owned();
    match call_admin::read_proponent(&state.store, &viewer.actor(), id, &why).await {
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
    match call_admin::read_proponent(&state.store, &viewer.actor(), id, "ARCO: acceso").await {
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
async fn erase_proponent(
    State(state): State<AppState>,
    SessionKeeper(viewer): SessionKeeper,
    ctx: PageContext,
    IdPath(id): IdPath<SubmissionId>,
    raw: Bytes,
) -> Result<Response, AppError> {
    let confirmed = !FormFields::parse(&raw).field("confirm").is_empty();
    let outcome = if confirmed {
        let dir = &state.config.annex_dir;
        call_admin::erase_proponent(&state.store, &viewer.actor(), id, dir).await
    } else {
        Err(abierto_domain::ValidationError::new("confirm", "erasure_not_confirmed").into())
    };
    after_submission_form(&state, ctx, id, "arco", String::new(), outcome).await
}

/// Seats a selected young person in the Cabildo Abierto Juvenil, on the selection
/// committee's decision.
async fn seat_youth(
    State(state): State<AppState>,
    SessionKeeper(viewer): SessionKeeper,
    ctx: PageContext,
    IdPath(id): IdPath<SubmissionId>,
    raw: Bytes,
) -> Result<Response, AppError> {
    let fields = FormFields::parse(&raw);
    let request = call_admin::SeatRequest {
        // An unknown or missing body is refused as `unknown_body`.
        council: fields
            .field("council")
            .trim()
            .parse()
            .unwrap_or(BodyId::new(0)),
        decided_by: fields.field("decided_by").trim().parse().ok(),
        gender: fields.field("gender").to_owned(),
        starts_on: fields.field("starts_on").to_owned(),
        ends_on: Some(fields.field("ends_on").to_owned()),
    };
    let outcome = call_admin::seat_youth(&state.store, &viewer.actor(), id, &request).await;
    after_submission_form(&state, ctx, id, "seat", String::new(), outcome.map(drop)).await
}
