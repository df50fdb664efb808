//! A citizen's submission to a call, from the public form or the API: the idea and the
//! proponent's contact data checked, consent to the privacy notice required, a youth call's
//! eligibility checked, a per-address limit, and a secret that both opens the status page and
//! makes a repeated post land once.

use abierto_domain::account::Email;
use abierto_domain::calls::{CallKind, CallState};
use abierto_domain::ids::CallId;
use abierto_domain::programs::required_text;
use abierto_domain::sessions::parse_date;
use abierto_domain::ValidationError;
use abierto_store::{Actor, NewEvidence, NewSubmission, Proponent, Receipt, Store, Submission};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use subtle::ConstantTimeEq;

use crate::auth::{new_token, token_hash};
use crate::AppError;

const TITLE_LIMIT: usize = 200;
const TEXT_LIMIT: usize = 5000;
const FIELD_LIMIT: usize = 200;

/// A submission as the citizen writes it.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct SubmissionRequest {
    /// The idea or project's name.
    pub title: String,
    /// The problem it answers.
    #[serde(default)]
    pub problem: String,
    /// What it proposes.
    #[serde(default)]
    pub proposal: String,
    /// The area it concerns (movilidad, seguridad, medio ambiente…).
    #[serde(default)]
    pub area: String,
    pub full_name: String,
    pub email: String,
    #[serde(default)]
    pub phone: String,
    /// Colonia.
    #[serde(default)]
    pub neighbourhood: String,
    /// `2008-05-17`; youth calls only.
    #[serde(default)]
    pub born_on: Option<String>,
    /// Youth calls: the applicant lives in the municipality.
    #[serde(default)]
    pub resides_in_municipality: bool,
    /// The applicant read the privacy notice (aviso de privacidad) and consents.
    #[serde(default)]
    pub consent: bool,
    /// A random secret of 32 characters or more chosen by the client: posting again with
    /// the same one answers the same folio. It is also the token of the status page.
    #[serde(default)]
    pub idempotency_key: Option<String>,
}

/// What the proponent keeps: the folio and the secret that opens its status.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct SubmissionReceipt {
    /// `BAGA-2026-0007`.
    pub folio: String,
    /// Shown once; with the folio it opens the status page.
    pub token: String,
    /// Whether this post repeated an earlier one (same key).
    pub repeated: bool,
}

/// A key chosen by the client, or a new random one.
fn secret(key: Option<&str>) -> Result<String, ValidationError> {
    match key.map(str::trim).filter(|k| !k.is_empty()) {
        None => Ok(new_token()),
        Some(k) if k.len() >= 32 && k.len() <= 128 && k.chars().all(|c| c.is_ascii_graphic()) => {
            Ok(k.to_owned())
        }
        Some(_) => Err(ValidationError::new(
            "idempotency_key",
            "invalid_idempotency_key",
        )),
    }
}

fn optional_text(field: &'static str, raw: &str, limit: usize) -> Result<String, ValidationError> {
    let text = raw.trim();
    if text.chars().count() > limit {
        return Err(ValidationError::new(field, "text_too_long"));
    }
    Ok(text.to_owned())
}

/// Where a submission comes from: who sends it, when, and the hourly limit of its address.
pub struct Arrival<'a> {
    pub actor: &'a Actor,
    pub at: DateTime<Utc>,
    pub per_hour: i64,
}

/// Receives a submission to `call`, with its attachments already checked (see
/// `files::check_file`); the caller writes their content once it is received.
pub async fn submit(
    store: &Store,
    arrival: &Arrival<'_>,
    call: CallId,
    request: &SubmissionRequest,
    files: Vec<NewEvidence>,
) -> Result<SubmissionReceipt, AppError> {
    let Arrival {
        actor,
        at,
        per_hour,
    } = *arrival;
    let record = store.call(call).await?;
    if record.state == CallState::Draft {
        return Err(AppError::NotFound);
    }
    if !request.consent {
        return Err(ValidationError::new("consent", "privacy_consent_required").into());
    }
    let title = required_text("title", &request.title, TITLE_LIMIT)?;
    let proposal = required_text("proposal", &request.proposal, TEXT_LIMIT)?;
    let problem = optional_text("problem", &request.problem, TEXT_LIMIT)?;
    let area = optional_text("area", &request.area, FIELD_LIMIT)?;
    let full_name = required_text("full_name", &request.full_name, FIELD_LIMIT)?;
    let email = Email::parse(&request.email)?;
    let phone = optional_text("phone", &request.phone, 40)?;
    let neighbourhood = optional_text("neighbourhood", &request.neighbourhood, FIELD_LIMIT)?;
    let born_on = match (record.kind, record.eligibility) {
        (CallKind::Youth, Some(rule)) => {
            let raw = request.born_on.as_deref().unwrap_or_default();
            let born =
                parse_date(raw).map_err(|_| ValidationError::new("born_on", "invalid_date"))?;
            let closing_day = record.window.closes_at.date_naive();
            rule.check(born, closing_day, request.resides_in_municipality)?;
            Some(born)
        }
        _ => None,
    };
    let secret = secret(request.idempotency_key.as_deref())?;
    let client = token_hash(actor.ip.as_deref().unwrap_or("sin-direccion"));
    let recent = store
        .count_submission_attempt(&client, at, at - chrono::Duration::hours(1))
        .await?;
    if recent > per_hour {
        return Err(AppError::Throttled);
    }
    let new = NewSubmission {
        call,
        title,
        problem,
        proposal,
        area,
        proponent: Proponent {
            full_name,
            email: email.as_str().to_owned(),
            phone,
            neighbourhood,
            born_on,
            consented_at: at,
        },
        token_hash: token_hash(&secret),
        files,
    };
    let Receipt {
        folio, repeated, ..
    } = store.submit(actor, &new, at).await?;
    Ok(SubmissionReceipt {
        folio,
        token: secret,
        repeated,
    })
}

/// The submission whose folio and secret these are. A wrong secret answers `NotFound`, the
/// same as an unknown folio, so the answer says nothing about which folios exist.
pub async fn submission_for(
    store: &Store,
    folio: &str,
    token: &str,
) -> Result<Submission, AppError> {
    let found = store.submission_by_folio(folio.trim()).await?;
    let offered = token_hash(token.trim());
    match found {
        Some((submission, stored)) if bool::from(offered.as_bytes().ct_eq(stored.as_bytes())) => {
            Ok(submission)
        }
        _ => Err(AppError::NotFound),
    }
}
