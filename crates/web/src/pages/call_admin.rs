//! The secretariat's call pages: writing a draft with its dates in the municipality's time,
//! publishing it on the vote that approved it, the list of what arrived, and the results.
//! Each submission's own page is in `submission_admin.rs`. Every form keeps what was typed
//! when refused.

use crate::csrf::GuardedRouter;
use abierto_app::participation::Call;
use abierto_domain::calls::CallState;
use abierto_domain::ids::{AgendaItemId, BodyId, CallId, SubmissionId};
use abierto_domain::local_time::{display, input_value};
use abierto_domain::ErrorCode;
use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;

use super::calls::CallView;
use super::form::{is_refusal, refused};
use super::render;
use crate::auth::SessionKeeper;
use crate::html_form::HtmlForm;
use crate::id_path::IdPath;
use crate::page::PageContext;
use crate::{AppError, AppState};
use abierto_app::participation::call_admin::{self, CallRequest};

pub fn router() -> GuardedRouter {
    GuardedRouter::new()
        .route("/convocatorias/nueva", get(new_call).post(create_call))
        .route("/convocatorias/{id}/editar", get(edit_page).post(edit_call))
        .route("/convocatorias/{id}/publicar", post(publish))
        .route("/convocatorias/{id}/postulaciones", get(submissions))
        .route("/convocatorias/{id}/resultados", post(resolve))
}

#[derive(Default, Deserialize)]
#[serde(default)]
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

    fn request(&self) -> Result<CallRequest, AppError> {
        let age = |raw: &str| -> Result<Option<u32>, AppError> {
            match raw.trim() {
                "" => Ok(None),
                text => text.parse().map(Some).map_err(|_| {
                    abierto_domain::ValidationError::new("min_age", ErrorCode::InvalidAgeRange)
                        .into()
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

pub(super) struct Choice {
    pub value: String,
    pub label: String,
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
    let bodies = abierto_app::governance::bodies(&state.app).await?;
    let mut approving = Vec::new();
    if let Some(body) = form
        .body
        .trim()
        .parse::<BodyId>()
        .ok()
        .filter(|_| editing.is_some())
    {
        let sessions = abierto_app::sessions::sessions(&state.app, Some(body)).await?;
        for item in abierto_app::participation::approving_items(&state.app, body).await? {
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
    HtmlForm(form): HtmlForm<CallForm>,
) -> Result<Response, AppError> {
    let outcome = match form.request() {
        Ok(request) => call_admin::create_call(&state.app, viewer.actor(), &request)
            .await
            .map_err(AppError::from),
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
    let call = abierto_app::participation::call(&state.app, &ctx.actor, id).await?;
    if call.state != CallState::Draft {
        return Ok(Redirect::to(&format!("/convocatorias/{id}/postulaciones")).into_response());
    }
    let form = CallForm::of(&call, abierto_app::governance::time_zone(&state.app).await?);
    render(&call_form_page(&state, ctx, Some(id), form, (None, None)).await?)
}

async fn edit_call(
    State(state): State<AppState>,
    SessionKeeper(viewer): SessionKeeper,
    ctx: PageContext,
    IdPath(id): IdPath<CallId>,
    HtmlForm(form): HtmlForm<CallForm>,
) -> Result<Response, AppError> {
    let outcome = match form.request() {
        Ok(request) => call_admin::edit_call(&state.app, viewer.actor(), id, &request)
            .await
            .map_err(AppError::from),
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

/// The agenda item of the session that approved the call.
#[derive(Default, Deserialize)]
#[serde(default)]
struct ApprovalForm {
    approved_by: String,
}

async fn publish(
    State(state): State<AppState>,
    SessionKeeper(viewer): SessionKeeper,
    ctx: PageContext,
    IdPath(id): IdPath<CallId>,
    HtmlForm(form): HtmlForm<ApprovalForm>,
) -> Result<Response, AppError> {
    let item = form.approved_by.trim().parse::<AgendaItemId>().ok();
    match call_admin::publish_call(&state.app, viewer.actor(), id, item)
        .await
        .map_err(AppError::from)
    {
        Ok(()) => Ok(Redirect::to(&format!("/convocatorias/{id}")).into_response()),
        Err(err) if is_refusal(&err) => {
            let call = abierto_app::participation::call(&state.app, viewer.actor(), id).await?;
            let form = CallForm::of(&call, abierto_app::governance::time_zone(&state.app).await?);
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
    let zone = abierto_app::governance::time_zone(&state.app).await?;
    let call = abierto_app::participation::call(&state.app, &ctx.actor, id).await?;
    let call = CallView::of(&call, zone, state.app.clock().now(), ctx.lang);
    let all = abierto_app::participation::submissions(&state.app, &ctx.actor, id).await?;
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

#[derive(Default, Deserialize)]
#[serde(default)]
struct ResultsForm {
    results_text: String,
}

async fn resolve(
    State(state): State<AppState>,
    SessionKeeper(viewer): SessionKeeper,
    ctx: PageContext,
    IdPath(id): IdPath<CallId>,
    HtmlForm(ResultsForm { results_text: text }): HtmlForm<ResultsForm>,
) -> Result<Response, AppError> {
    match call_admin::resolve(&state.app, viewer.actor(), id, &text)
        .await
        .map_err(AppError::from)
    {
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
