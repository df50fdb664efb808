//! The public side of calls (convocatorias): the list, a call's page with its submission form
//! (no account, no JavaScript), the receipt with the folio and its secret, the status page
//! opened with both, and the Banco de Acciones. No page here shows a proponent's personal data.
//!
//! The form's spam defences — a per-address limit, a field people leave empty (honeypot) and
//! a least time to fill it in — never drop a submission silently: a form they stop comes back
//! as typed, with a message saying what to do.

use abierto_domain::calls::{call_status, CallKind, CallState, CallStatus};
use abierto_domain::ids::CallId;
use abierto_domain::local_time::{display, Tz};
use abierto_store::{Call, NewEvidence};
use askama::Template;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Multipart, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use chrono::Utc;

use super::form::{is_refusal, FormFields};
use super::render;
use crate::auth::{new_token, token_hash, Viewer};
use crate::id_path::IdPath;
use crate::multipart_form::{read_form_with_file, FormWithFile};
use crate::page::PageContext;
use crate::workflows::call_admin::municipal_zone;
use crate::workflows::calls::{submission_for, submit, Arrival, SubmissionRequest};
use crate::workflows::files::{check_file, write_file, FileUpload};
use crate::{AppError, AppState};

pub fn router(upload_limit: usize) -> Router<AppState> {
    Router::new()
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
    pub(super) fn of(call: &Call, zone: Tz) -> CallView {
        let status = call_status(call.state, &call.window, Utc::now());
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
            opens: display(call.window.opens_at, zone),
            closes: display(call.window.closes_at, zone),
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
    let zone = municipal_zone(&state.store).await?;
    let calls = state.store.calls(viewer.keeps_sessions()).await?;
    render(&CallsPage {
        ctx,
        calls: calls.iter().map(|c| CallView::of(c, zone)).collect(),
    })
}

/// The submission form as typed, with the hidden fields that make it safe to send twice and
/// that time its filling.
#[derive(Default)]
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
    resides: bool,
    consent: bool,
    idempotency_key: String,
    started: i64,
    started_mac: String,
}

/// What ties a form's start time to the visitor's form token, so it cannot be set back.
fn start_mac(csrf_token: &str, started: i64) -> String {
    token_hash(&format!("{csrf_token}|{started}|inicio-del-formulario"))
}

impl SubmissionForm {
    fn blank(csrf_token: &str) -> SubmissionForm {
        let started = Utc::now().timestamp();
        SubmissionForm {
            idempotency_key: new_token(),
            started,
            started_mac: start_mac(csrf_token, started),
            ..SubmissionForm::default()
        }
    }

    fn read(fields: &FormWithFile) -> SubmissionForm {
        SubmissionForm {
            title: fields.field("title").to_owned(),
            problem: fields.field("problem").to_owned(),
            proposal: fields.field("proposal").to_owned(),
            area: fields.field("area").to_owned(),
            full_name: fields.field("full_name").to_owned(),
            email: fields.field("email").to_owned(),
            phone: fields.field("phone").to_owned(),
            neighbourhood: fields.field("neighbourhood").to_owned(),
            born_on: fields.field("born_on").to_owned(),
            resides: !fields.field("resides").is_empty(),
            consent: !fields.field("consent").is_empty(),
            idempotency_key: fields.field("idempotency_key").to_owned(),
            started: fields.field("started").trim().parse().unwrap_or_default(),
            started_mac: fields.field("started_mac").to_owned(),
        }
    }

    /// The form again after a refusal: what was typed, the same key (so a submission that
    /// did land is not received twice), and a new start when the clock stopped it.
    fn again(mut self, csrf_token: &str, restart: bool) -> SubmissionForm {
        if restart {
            self.started = Utc::now().timestamp();
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
    let call = state.store.call(id).await?;
    if call.state == CallState::Draft && !viewer.keeps_sessions() {
        return Err(AppError::NotFound);
    }
    Ok(call)
}

/// The call's view with its approving session named.
async fn full_view(state: &AppState, call: &Call) -> Result<CallView, AppError> {
    let mut view = CallView::of(call, municipal_zone(&state.store).await?);
    if let Some(session) = call.approved_in {
        let s = state.store.session(session).await?;
        view.approved_in = Some((session.get(), format!("{} ({})", s.title_es(), s.held_on)));
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
        max_file_mib: state.config.max_annex_bytes.div_ceil(1024 * 1024),
    }
}

async fn call_page(
    State(state): State<AppState>,
    viewer: Viewer,
    ctx: PageContext,
    IdPath(id): IdPath<CallId>,
) -> Result<Response, AppError> {
    let call = visible_call(&state, &viewer, id).await?;
    let view = full_view(&state, &call).await?;
    let form = SubmissionForm::blank(&ctx.csrf_token);
    render(&call_page_of(&state, ctx, view, form, None))
}

#[derive(Template)]
#[template(path = "call_receipt.html")]
struct ReceiptPage {
    ctx: PageContext,
    call: CallView,
    folio: String,
    token: String,
    repeated: bool,
}

/// Why the spam defences stopped a form, if they did: the honeypot filled in, or sent
/// sooner than a person could have written it.
fn spam_check(
    state: &AppState,
    csrf_token: &str,
    form: &SubmissionForm,
    trap: &str,
) -> Option<&'static str> {
    if !trap.trim().is_empty() {
        return Some("spam_field_filled");
    }
    let genuine_start = form.started_mac == start_mac(csrf_token, form.started);
    let elapsed = Utc::now().timestamp() - form.started;
    if !genuine_start || elapsed < state.config.min_form_fill_seconds {
        return Some("form_sent_too_fast");
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
    let view = full_view(&state, &call).await?;
    let posted = read_form_with_file(multipart).await?;
    let form = SubmissionForm::read(&posted);
    if let Some(code) = spam_check(&state, &ctx.csrf_token, &form, posted.field("website")) {
        tracing::info!(call = %id, code, "public form stopped by a spam defence; shown again");
        let form = form.again(&ctx.csrf_token, true);
        let page = call_page_of(&state, ctx, view, form, Some(format!("error.{code}")));
        return Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, render(&page)?).into_response());
    }
    match receive_checked(&state, &viewer, id, &form, posted.file.as_ref()).await {
        Ok(receipt) => {
            let page = render(&ReceiptPage {
                ctx,
                call: view,
                folio: receipt.folio,
                token: receipt.token,
                repeated: receipt.repeated,
            })?;
            // The key is shown once: no cache may keep it.
            Ok(([(header::CACHE_CONTROL, "no-store")], page).into_response())
        }
        Err(err) if is_refusal(&err) || matches!(err, AppError::Throttled) => {
            let status = err.status();
            let key = err.report().message_key;
            let form = form.again(&ctx.csrf_token, false);
            let page = call_page_of(&state, ctx, view, form, Some(key));
            Ok((status, render(&page)?).into_response())
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
) -> Result<crate::workflows::calls::SubmissionReceipt, AppError> {
    let upload = file.map(|(filename, content)| FileUpload {
        dir: &state.config.annex_dir,
        max_bytes: state.config.max_annex_bytes,
        filename,
        content,
    });
    let mut files = Vec::new();
    if let Some(upload) = &upload {
        let kept = check_file(upload)?;
        files.push(NewEvidence {
            filename: kept.filename,
            content_type: kept.content_type.to_owned(),
            size_bytes: kept.size_bytes,
            sha256: kept.sha256,
        });
    }
    let arrival = Arrival {
        actor: &viewer.actor(),
        at: Utc::now(),
        per_hour: state.config.max_submissions_per_ip_hour,
    };
    let receipt = submit(&state.store, &arrival, id, &form.request(), files.clone()).await?;
    // Written after the record, and again on a repeated post, so a failed write is mended by
    // sending the same form once more.
    if let (Some(upload), Some(kept)) = (&upload, files.first()) {
        write_file(upload.dir, &kept.sha256, upload.content).await?;
    }
    Ok(receipt)
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

/// The status for whoever holds the folio and its secret; posted, so the secret stays out of
/// addresses and logs.
async fn status_page(
    State(state): State<AppState>,
    ctx: PageContext,
    raw: Bytes,
) -> Result<Response, AppError> {
    let fields = FormFields::parse(&raw);
    let folio = fields.field("folio").trim().to_uppercase();
    match submission_for(&state.store, &folio, fields.field("token")).await {
        Ok(submission) => {
            let zone = municipal_zone(&state.store).await?;
            let call = state.store.call(submission.call).await?;
            let found = FoundSubmission {
                folio: submission.folio,
                title: submission.title,
                call_title: call.title,
                status_key: format!("submission_status.{}", submission.status.key()),
                decided: submission.status.is_decided(),
                reasons: submission.reasons,
                submitted: display(submission.submitted_at, zone),
            };
            render(&StatusPage {
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
            Ok((axum::http::StatusCode::NOT_FOUND, render(&page)?).into_response())
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
    let zone = municipal_zone(&state.store).await?;
    let ideas = state
        .store
        .action_bank()
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
                .map(|at| display(at, zone))
                .unwrap_or_default(),
            reasons: entry.submission.reasons,
        })
        .collect();
    render(&BankPage { ctx, ideas })
}
