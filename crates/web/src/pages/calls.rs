//! The public side of calls (convocatorias): the list, a call's page with its submission form
//! (no account, no JavaScript), the receipt with the folio and its secret, the status page
//! opened with both, and the Banco de Acciones. No page here shows a proponent's personal data.
//!
//! The form's spam defences — a per-address limit, a field people leave empty (honeypot) and
//! a least time to fill it in — never drop a submission silently: a form they stop comes back
//! as typed, with a message saying what to do.

use crate::csrf::GuardedRouter;
use abierto_app::participation::Call;
use abierto_domain::calls::{call_status, CallKind, CallState, CallStatus, SubmissionStatus};
use abierto_domain::dates::long_date;
use abierto_domain::ids::CallId;
use abierto_domain::lang::Lang;
use abierto_domain::local_time::{display_long, Tz};
use abierto_domain::ErrorCode;
use askama::Template;
use axum::extract::{DefaultBodyLimit, Multipart, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use chrono::{DateTime, Utc};
use serde::Deserialize;

use super::form::is_refusal;
use super::{render, render_private};
use crate::auth::Viewer;
use crate::html_form::HtmlForm;
use crate::id_path::IdPath;
use crate::multipart_form::read_form_with_file;
use crate::page::PageContext;
use crate::{AppError, AppState};
use abierto_app::accounts::{new_token, token_hash};
use abierto_app::participation::submissions::{submission_for, submit, SubmissionRequest};
use abierto_app::FileUpload;

pub fn router(upload_limit: usize) -> GuardedRouter {
    GuardedRouter::new()
        .route("/convocatorias", get(list))
        .route(
            "/convocatorias/{id}",
            get(call_page)
                .post(receive)
                .layer(DefaultBodyLimit::max(upload_limit)),
        )
        .route(
            "/convocatorias/consulta",
            get(status_form).post(status_page),
        )
        .route("/banco-de-acciones", get(action_bank))
}

/// A call as its pages show it, dates in the municipality's time.
pub(super) struct CallView {
    pub id: CallId,
    pub title: String,
    pub text: String,
    pub requirements: String,
    pub kind_key: String,
    pub status_key: String,
    pub open: bool,
    pub draft: bool,
    pub under_evaluation: bool,
    pub void: bool,
    pub opens: String,
    pub closes: String,
    /// The approving session: its id and, on the call's own page, its title and date.
    pub approved_in: Option<(i64, String)>,
    pub submissions: i64,
    pub ages: Option<(u32, u32)>,
    pub youth: bool,
    pub results_text: String,
}

impl CallView {
    pub(super) fn of(call: &Call, zone: Tz, now: DateTime<Utc>, lang: Lang) -> CallView {
        let status = call_status(call.state, &call.window, now);
        CallView {
            id: call.id,
            title: call.title.clone(),
            text: call.text.clone(),
            requirements: call.requirements.clone(),
            kind_key: format!("call_kind.{}", call.kind.key()),
            status_key: format!("call_status.{}", status.key()),
            open: status == CallStatus::Open,
            draft: call.state == CallState::Draft,
            under_evaluation: call.state == CallState::UnderEvaluation,
            void: call.state == CallState::Void,
            opens: display_long(call.window.opens_at, zone, lang),
            closes: display_long(call.window.closes_at, zone, lang),
            approved_in: call.approved_in.map(|s| (s.get(), String::new())),
            submissions: call.submissions,
            ages: call.eligibility.map(|e| (e.min_age, e.max_age)),
            youth: call.kind == CallKind::Youth,
            results_text: call.results_text.clone(),
        }
    }
}

#[derive(Template)]
#[template(path = "calls.html")]
struct CallsPage {
    ctx: PageContext,
    calls: Vec<CallView>,
}

async fn list(
    State(state): State<AppState>,
    viewer: Viewer,
    ctx: PageContext,
) -> Result<Response, AppError> {
    let zone = abierto_app::governance::time_zone(&state.app).await?;
    let calls = abierto_app::participation::calls(&state.app, viewer.actor()).await?;
    let lang = ctx.lang;
    render(&CallsPage {
        ctx,
        calls: calls
            .iter()
            .map(|c| CallView::of(c, zone, state.app.clock().now(), lang))
            .collect(),
    })
}

/// The submission form as typed, with the hidden fields that make it safe to send twice and
/// that time its filling, and the honeypot (`website`) a person never sees.
#[derive(Default, Deserialize)]
#[serde(default)]
struct SubmissionForm {
    title: String,
    problem: String,
    proposal: String,
    area: String,
    full_name: String,
    email: String,
    phone: String,
    neighbourhood: String,
    born_on: String,
    #[serde(deserialize_with = "ticked")]
    resides: bool,
    #[serde(deserialize_with = "ticked")]
    consent: bool,
    idempotency_key: String,
    /// A start that is not a number is no start: the form is sent back as too fast.
    #[serde(deserialize_with = "number_or_zero")]
    started: i64,
    started_mac: String,
    website: String,
}

/// A box is ticked when the browser sends it with any value.
fn ticked<'de, D: serde::Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    Ok(!String::deserialize(d)?.is_empty())
}

fn number_or_zero<'de, D: serde::Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
    Ok(String::deserialize(d)?.trim().parse().unwrap_or_default())
}

/// What ties a form's start time to the visitor's form token, so it cannot be set back.
fn start_mac(csrf_token: &str, started: i64) -> String {
    token_hash(&format!("{csrf_token}|{started}|inicio-del-formulario"))
}

impl SubmissionForm {
    fn blank(csrf_token: &str, now: DateTime<Utc>) -> SubmissionForm {
        let started = now.timestamp();
        SubmissionForm {
            idempotency_key: new_token(),
            started,
            started_mac: start_mac(csrf_token, started),
            ..SubmissionForm::default()
        }
    }

    /// The form again after a refusal: what was typed, the same key (so a submission that
    /// did land is not received twice), and a new start when the clock stopped it.
    fn again(mut self, csrf_token: &str, restart: bool, now: DateTime<Utc>) -> SubmissionForm {
        // The honeypot is given back empty, as the page says.
        self.website.clear();
        if restart {
            self.started = now.timestamp();
            self.started_mac = start_mac(csrf_token, self.started);
        }
        let key = &self.idempotency_key;
        let usable = (32..=128).contains(&key.len()) && key.chars().all(|c| c.is_ascii_graphic());
        if !usable {
            self.idempotency_key = new_token();
        }
        self
    }

    fn request(&self) -> SubmissionRequest {
        SubmissionRequest {
            title: self.title.clone(),
            problem: self.problem.clone(),
            proposal: self.proposal.clone(),
            area: self.area.clone(),
            full_name: self.full_name.clone(),
            email: self.email.clone(),
            phone: self.phone.clone(),
            neighbourhood: self.neighbourhood.clone(),
            born_on: Some(self.born_on.clone()),
            resides_in_municipality: self.resides,
            consent: self.consent,
            idempotency_key: Some(self.idempotency_key.clone()),
        }
    }
}

#[derive(Template)]
#[template(path = "call.html")]
struct CallPage {
    ctx: PageContext,
    call: CallView,
    form: SubmissionForm,
    error_key: Option<String>,
    /// The largest attachment, in MiB, as the form announces it.
    max_file_mib: usize,
}

async fn visible_call(state: &AppState, viewer: &Viewer, id: CallId) -> Result<Call, AppError> {
    let call = abierto_app::participation::call(&state.app, viewer.actor(), id).await?;
    Ok(call)
}

/// The call's view with its approving session named.
async fn full_view(state: &AppState, call: &Call, lang: Lang) -> Result<CallView, AppError> {
    let mut view = CallView::of(
        call,
        abierto_app::governance::time_zone(&state.app).await?,
        state.app.clock().now(),
        lang,
    );
    if let Some(session) = call.approved_in {
        let s = abierto_app::sessions::session(&state.app, session).await?;
        let day = long_date(s.held_on, lang);
        view.approved_in = Some((session.get(), format!("{} ({day})", s.title_es())));
    }
    Ok(view)
}

fn call_page_of(
    state: &AppState,
    ctx: PageContext,
    call: CallView,
    form: SubmissionForm,
    error_key: Option<String>,
) -> CallPage {
    CallPage {
        ctx,
        call,
        form,
        error_key,
        max_file_mib: state.app.settings().max_annex_bytes.div_ceil(1024 * 1024),
    }
}

async fn call_page(
    State(state): State<AppState>,
    viewer: Viewer,
    ctx: PageContext,
    IdPath(id): IdPath<CallId>,
) -> Result<Response, AppError> {
    let call = visible_call(&state, &viewer, id).await?;
    let view = full_view(&state, &call, ctx.lang).await?;
    let form = SubmissionForm::blank(&ctx.csrf_token, state.app.clock().now());
    render_private(&call_page_of(&state, ctx, view, form, None))
}

#[derive(Template)]
#[template(path = "call_receipt.html")]
struct ReceiptPage {
    ctx: PageContext,
    call: CallView,
    folio: String,
    token: String,
    repeated: bool,
    next: NextSteps,
}

/// What happens after a submission, as the receipt and the status page tell it: the call
/// closes, the secretariat (or, for the Cabildo Abierto Juvenil, the selection committee)
/// evaluates, and the results are presented in a session; once decided, what the decision
/// means.
pub(super) struct NextSteps {
    youth: bool,
    closes: String,
    decided: bool,
    accepted: bool,
}

/// Why the spam defences stopped a form, if they did: the honeypot filled in, or sent
/// sooner than a person could have written it.
fn spam_check(state: &AppState, csrf_token: &str, form: &SubmissionForm) -> Option<ErrorCode> {
    if !form.website.trim().is_empty() {
        return Some(ErrorCode::SpamFieldFilled);
    }
    let genuine_start = form.started_mac == start_mac(csrf_token, form.started);
    let elapsed = state.app.clock().now().timestamp() - form.started;
    if !genuine_start || elapsed < state.config.min_form_fill_seconds {
        return Some(ErrorCode::FormSentTooFast);
    }
    None
}

async fn receive(
    State(state): State<AppState>,
    viewer: Viewer,
    ctx: PageContext,
    IdPath(id): IdPath<CallId>,
    multipart: Multipart,
) -> Result<Response, AppError> {
    let call = visible_call(&state, &viewer, id).await?;
    let view = full_view(&state, &call, ctx.lang).await?;
    let posted = read_form_with_file(multipart).await?;
    let form: SubmissionForm = posted.fields()?;
    if let Some(code) = spam_check(&state, &ctx.csrf_token, &form) {
        tracing::info!(call = %id, %code, "public form stopped by a spam defence; shown again");
        let form = form.again(&ctx.csrf_token, true, state.app.clock().now());
        let page = call_page_of(&state, ctx, view, form, Some(code.message_key()));
        return Ok((
            axum::http::StatusCode::UNPROCESSABLE_ENTITY,
            render_private(&page)?,
        )
            .into_response());
    }
    match receive_checked(&state, &viewer, id, &form, posted.file.as_ref()).await {
        Ok(receipt) => render_private(&ReceiptPage {
            ctx,
            folio: receipt.folio,
            token: receipt.token,
            repeated: receipt.repeated,
            next: NextSteps {
                youth: view.youth,
                closes: view.closes.clone(),
                decided: false,
                accepted: false,
            },
            call: view,
        }),
        Err(err) if is_refusal(&err) || matches!(err, AppError::Throttled { .. }) => {
            let status = err.status();
            let key = err.report().message_key;
            let form = form.again(&ctx.csrf_token, false, state.app.clock().now());
            let page = call_page_of(&state, ctx, view, form, Some(key));
            let mut response = (status, render_private(&page)?).into_response();
            if let AppError::Throttled { retry_after_secs } = err {
                response
                    .headers_mut()
                    .insert(header::RETRY_AFTER, retry_after_secs.into());
            }
            Ok(response)
        }
        Err(err) => Err(err),
    }
}

/// Checks the attachment, receives the submission, then keeps the attachment's content.
async fn receive_checked(
    state: &AppState,
    viewer: &Viewer,
    id: CallId,
    form: &SubmissionForm,
    file: Option<&(String, Vec<u8>)>,
) -> Result<abierto_app::participation::submissions::SubmissionReceipt, AppError> {
    let upload = file.map(|(filename, content)| FileUpload { filename, content });
    Ok(submit(
        &state.app,
        viewer.actor(),
        id,
        &form.request(),
        upload.as_ref(),
    )
    .await?)
}

#[derive(Template)]
#[template(path = "call_status.html")]
struct StatusPage {
    ctx: PageContext,
    folio: String,
    found: Option<FoundSubmission>,
    error_key: Option<String>,
}

struct FoundSubmission {
    next: NextSteps,
    folio: String,
    title: String,
    call_title: String,
    status_key: String,
    decided: bool,
    reasons: String,
    submitted: String,
}

async fn status_form(ctx: PageContext) -> Result<Response, AppError> {
    render(&StatusPage {
        ctx,
        folio: String::new(),
        found: None,
        error_key: None,
    })
}

/// A folio and its secret, as typed from the receipt.
#[derive(Default, Deserialize)]
#[serde(default)]
struct FolioForm {
    folio: String,
    token: String,
}

/// The status for whoever holds the folio and its secret; posted, so the secret stays out of
/// addresses and logs.
async fn status_page(
    State(state): State<AppState>,
    ctx: PageContext,
    HtmlForm(form): HtmlForm<FolioForm>,
) -> Result<Response, AppError> {
    let folio = form.folio.trim().to_uppercase();
    match submission_for(&state.app, &folio, &form.token)
        .await
        .map_err(AppError::from)
    {
        Ok(submission) => {
            let zone = abierto_app::governance::time_zone(&state.app).await?;
            let call =
                abierto_app::participation::submissions::call_of(&state.app, &submission).await?;
            let found = FoundSubmission {
                next: NextSteps {
                    youth: call.kind == CallKind::Youth,
                    closes: display_long(call.window.closes_at, zone, ctx.lang),
                    decided: submission.status.is_decided(),
                    accepted: submission.status == SubmissionStatus::Accepted,
                },
                folio: submission.folio,
                title: submission.title,
                call_title: call.title,
                status_key: format!("submission_status.{}", submission.status.key()),
                decided: submission.status.is_decided(),
                reasons: submission.reasons,
                submitted: display_long(submission.submitted_at, zone, ctx.lang),
            };
            render_private(&StatusPage {
                ctx,
                folio,
                found: Some(found),
                error_key: None,
            })
        }
        Err(AppError::NotFound) => {
            let page = StatusPage {
                ctx,
                folio,
                found: None,
                error_key: Some("error.submission_folio_not_found".to_owned()),
            };
            Ok((axum::http::StatusCode::NOT_FOUND, render_private(&page)?).into_response())
        }
        Err(err) => Err(err),
    }
}

struct BankRow {
    folio: String,
    title: String,
    problem: String,
    proposal: String,
    area: String,
    call_title: String,
    accepted: String,
    reasons: String,
    /// The commitments of the action plan that grew out of the idea.
    became: Vec<String>,
}

#[derive(Template)]
#[template(path = "action_bank.html")]
struct BankPage {
    ctx: PageContext,
    ideas: Vec<BankRow>,
}

async fn action_bank(
    State(state): State<AppState>,
    ctx: PageContext,
) -> Result<Response, AppError> {
    let zone = abierto_app::governance::time_zone(&state.app).await?;
    let ideas = abierto_app::participation::action_bank(&state.app)
        .await?
        .into_iter()
        .map(|entry| BankRow {
            became: entry.commitments,
            folio: entry.submission.folio,
            title: entry.submission.title,
            problem: entry.submission.problem,
            proposal: entry.submission.proposal,
            area: entry.submission.area,
            call_title: entry.call_title,
            accepted: entry
                .submission
                .decided_at
                .map(|at| display_long(at, zone, ctx.lang))
                .unwrap_or_default(),
            reasons: entry.submission.reasons,
        })
        .collect();
    render(&BankPage { ctx, ideas })
}
