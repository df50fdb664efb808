//! Calls over the API: the public list and detail with their status, a citizen's submission
//! (no account needed; answers the folio), a submission's status by folio and secret, and the
//! Banco de Acciones. No response here carries a proponent's personal data.

use abierto_domain::calls::{call_status, CallKind, CallState, CallStatus, SubmissionStatus};
use abierto_domain::ids::CallId;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::json::ApiJson;
use crate::auth::Viewer;
use crate::error::ErrorEnvelope;
use crate::id_path::IdPath;
use crate::{AppError, AppState};
use abierto_app::participation::submissions::{
    self, submission_for, SubmissionReceipt, SubmissionRequest,
};

/// A call as the public reads it.
#[derive(Serialize, utoipa::ToSchema)]
pub struct CallSummary {
    pub id: CallId,
    pub kind: CallKind,
    pub title: String,
    pub text: String,
    pub requirements: String,
    pub opens_at: DateTime<Utc>,
    pub closes_at: DateTime<Utc>,
    /// `draft`, `announced`, `open`, `closed`, `under_evaluation`, `resolved` or `void`.
    pub status: CallStatus,
    pub status_label: String,
    /// The session whose vote approved the call.
    pub approved_in_session: Option<i64>,
    /// Submissions received (a number only).
    pub submissions: i64,
    /// A youth call's age range on its closing day.
    pub min_age: Option<u32>,
    pub max_age: Option<u32>,
    pub results_text: String,
}

fn summary(call: abierto_app::participation::Call, now: DateTime<Utc>) -> CallSummary {
    let status = call_status(call.state, &call.window, now);
    CallSummary {
        id: call.id,
        kind: call.kind,
        title: call.title,
        text: call.text,
        requirements: call.requirements,
        opens_at: call.window.opens_at,
        closes_at: call.window.closes_at,
        status,
        status_label: status.label_es().to_owned(),
        approved_in_session: call.approved_in.map(|s| s.get()),
        submissions: call.submissions,
        min_age: call.eligibility.map(|e| e.min_age),
        max_age: call.eligibility.map(|e| e.max_age),
        results_text: call.results_text,
    }
}

/// Published calls, newest first (the secretariat also sees drafts).
#[utoipa::path(get, path = "/api/v1/calls", tag = "participación",
    responses((status = 200, description = "Calls", body = Vec<CallSummary>)))]
pub async fn list(
    State(state): State<AppState>,
    viewer: Viewer,
) -> Result<Json<Vec<CallSummary>>, AppError> {
    let now = state.app.clock().now();
    Ok(Json(
        abierto_app::participation::calls(&state.app, viewer.actor())
            .await?
            .into_iter()
            .map(|call| summary(call, now))
            .collect(),
    ))
}

/// One call with its status.
#[utoipa::path(get, path = "/api/v1/calls/{id}", tag = "participación",
    params(("id" = i64, Path, description = "Call id", minimum = 1)),
    responses((status = 200, body = CallSummary), (status = 404, body = ErrorEnvelope)))]
pub async fn detail(
    State(state): State<AppState>,
    viewer: Viewer,
    IdPath(id): IdPath<CallId>,
) -> Result<Json<CallSummary>, AppError> {
    let call = abierto_app::participation::call(&state.app, viewer.actor(), id).await?;
    let staff = viewer.keeps_sessions();
    if call.state == CallState::Draft && !staff {
        return Err(AppError::NotFound);
    }
    Ok(Json(summary(call, state.app.clock().now())))
}

/// Submits an idea or an application to an open call; no account needed. Answers the folio
/// and the secret (the server's own) that, with it, opens the submission's status. Posting the
/// same content again with the same `idempotency_key` answers the same folio with a renewed
/// secret; other content with a used key is `submission_token_reused`.
#[utoipa::path(post, path = "/api/v1/calls/{id}/submissions", tag = "participación",
    request_body = SubmissionRequest,
    params(("id" = i64, Path, description = "Call id", minimum = 1)),
    responses((status = 201, body = SubmissionReceipt), (status = 200, description = "A repeated post: the same folio, its secret renewed", body = SubmissionReceipt),
        (status = 404, body = ErrorEnvelope), (status = 429, body = ErrorEnvelope),
        (status = 422, description = "`call_closed`, `call_not_open_yet`, `privacy_consent_required`, `invalid_email`, `age_outside_range`, `residence_required`…", body = ErrorEnvelope)))]
pub async fn submit(
    State(state): State<AppState>,
    viewer: Viewer,
    IdPath(id): IdPath<CallId>,
    ApiJson(request): ApiJson<SubmissionRequest>,
) -> Result<(StatusCode, Json<SubmissionReceipt>), AppError> {
    let receipt = submissions::submit(&state.app, viewer.actor(), id, &request, None).await?;
    let status = match receipt.repeated {
        true => StatusCode::OK,
        false => StatusCode::CREATED,
    };
    Ok((status, Json(receipt)))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct StatusRequest {
    pub folio: String,
    pub token: String,
}

/// A submission as its proponent reads it.
#[derive(Serialize, utoipa::ToSchema)]
pub struct SubmissionStatusView {
    pub folio: String,
    pub title: String,
    pub status: SubmissionStatus,
    pub status_label: String,
    /// The evaluation's reasons, once decided.
    pub reasons: String,
    pub submitted_at: DateTime<Utc>,
}

/// A submission's status, for whoever holds its folio and secret. A wrong pair answers 404,
/// the same as an unknown folio.
#[utoipa::path(post, path = "/api/v1/submissions/status", tag = "participación",
    request_body = StatusRequest,
    responses((status = 200, body = SubmissionStatusView), (status = 404, body = ErrorEnvelope)))]
pub async fn status(
    State(state): State<AppState>,
    ApiJson(request): ApiJson<StatusRequest>,
) -> Result<Json<SubmissionStatusView>, AppError> {
    let submission = submission_for(&state.app, &request.folio, &request.token).await?;
    Ok(Json(SubmissionStatusView {
        folio: submission.folio,
        title: submission.title,
        status: submission.status,
        status_label: submission.status.label_es().to_owned(),
        reasons: submission.reasons,
        submitted_at: submission.submitted_at,
    }))
}

/// An idea of the Banco de Acciones de Gobierno Abierto.
#[derive(Serialize, utoipa::ToSchema)]
pub struct BankIdea {
    pub folio: String,
    pub title: String,
    pub problem: String,
    pub proposal: String,
    pub area: String,
    pub call: String,
    pub accepted_at: Option<DateTime<Utc>>,
    /// Why it was accepted.
    pub reasons: String,
    /// The action plan's commitments that grew out of it.
    pub commitments: Vec<String>,
}

/// The Banco de Acciones: every accepted idea, newest first.
#[utoipa::path(get, path = "/api/v1/action-bank", tag = "participación",
    responses((status = 200, body = Vec<BankIdea>)))]
pub async fn action_bank(State(state): State<AppState>) -> Result<Json<Vec<BankIdea>>, AppError> {
    Ok(Json(
        abierto_app::participation::action_bank(&state.app)
            .await?
            .into_iter()
            .map(|entry| BankIdea {
                commitments: entry.commitments,
                folio: entry.submission.folio,
                title: entry.submission.title,
                problem: entry.submission.problem,
                proposal: entry.submission.proposal,
                area: entry.submission.area,
                call: entry.call_title,
                accepted_at: entry.submission.decided_at,
                reasons: entry.submission.reasons,
            })
            .collect(),
    ))
}
