//! A citizen's submission to a call, from the public form or the API: the idea and the
//! proponent's contact data checked, consent to the privacy notice required, a youth call's
//! eligibility checked, a per-address limit, an idempotency key that makes a repeated post
//! land once, and a secret of the server's own that opens the status page.

use abierto_domain::account::Email;
use abierto_domain::calls::{CallKind, CallState};
use abierto_domain::dates::parse_date;
use abierto_domain::ids::CallId;
use abierto_domain::programs::required_text;
use abierto_domain::ErrorCode;
use abierto_domain::ValidationError;
use abierto_store::{NewEvidence, NewSubmission, Proponent, Receipt, Submission};
use serde::Deserialize;
use subtle::ConstantTimeEq;

use crate::accounts::{new_token, token_hash};
use crate::files::FileUpload;
use crate::{Actor, App, Error};

const TITLE_LIMIT: usize = 200;
const TEXT_LIMIT: usize = 5000;
/// The sliding window within which one address may submit `per_hour` times.
const ATTEMPTS_WINDOW: chrono::Duration = chrono::Duration::hours(1);
const FIELD_LIMIT: usize = 200;

/// A submission as the citizen writes it.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct SubmissionRequest {
    /// The idea or project's name.
    #[schema(min_length = 1, max_length = 200, pattern = r"\S")]
    pub title: String,
    /// The problem it answers.
    #[serde(default)]
    #[schema(max_length = 5000)]
    pub problem: String,
    /// What it proposes; required.
    #[serde(default)]
    #[schema(required = true, min_length = 1, max_length = 5000, pattern = r"\S")]
    pub proposal: String,
    /// The area it concerns (movilidad, seguridad, medio ambiente…).
    #[serde(default)]
    #[schema(max_length = 200)]
    pub area: String,
    #[schema(min_length = 1, max_length = 200, pattern = r"\S")]
    pub full_name: String,
    #[schema(format = Email, max_length = 254)]
    pub email: String,
    #[serde(default)]
    #[schema(max_length = 40)]
    pub phone: String,
    /// Colonia.
    #[serde(default)]
    #[schema(max_length = 200)]
    pub neighbourhood: String,
    /// `2008-05-17`; youth calls only.
    #[serde(default)]
    #[schema(format = Date)]
    pub born_on: Option<String>,
    /// Youth calls: the applicant lives in the municipality.
    #[serde(default)]
    pub resides_in_municipality: bool,
    /// The applicant read the privacy notice (aviso de privacidad) and consents: only `true`
    /// is accepted.
    #[serde(default)]
    #[schema(required = true, schema_with = consent_schema)]
    pub consent: bool,
    /// A random key of 32 to 128 characters chosen by the client: posting the same content
    /// again with the same key answers the same folio (with a renewed `token`); other content
    /// with a used key is refused. It opens nothing: the status page takes the receipt's token.
    #[serde(default)]
    #[schema(min_length = 32, max_length = 128, pattern = "^[!-~]+$")]
    pub idempotency_key: Option<String>,
}

/// `consent` in the OpenAPI document: a boolean that must be `true`.
fn consent_schema() -> utoipa::openapi::Object {
    utoipa::openapi::ObjectBuilder::new()
        .schema_type(utoipa::openapi::schema::Type::Boolean)
        .enum_values(Some([true]))
        .build()
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

/// The client's idempotency key, if it sent a usable one.
fn idempotency_key(key: Option<&str>) -> Result<Option<&str>, ValidationError> {
    match key.map(str::trim).filter(|k| !k.is_empty()) {
        None => Ok(None),
        Some(k) if k.len() >= 32 && k.len() <= 128 && k.chars().all(|c| c.is_ascii_graphic()) => {
            Ok(Some(k))
        }
        Some(_) => Err(ValidationError::new(
            "idempotency_key",
            ErrorCode::InvalidIdempotencyKey,
        )),
    }
}

fn optional_text(field: &'static str, raw: &str, limit: usize) -> Result<String, ValidationError> {
    let text = raw.trim();
    if text.chars().count() > limit {
        return Err(ValidationError::new(field, ErrorCode::TextTooLong));
    }
    Ok(text.to_owned())
}

/// Receives a citizen's submission to `call`, with the file they attached if any: the file
/// is checked first, the submission recorded (once per idempotency key), and the file's
/// content kept after the record — again on a repeated post, so a failed write is mended by
/// sending the same form once more.
pub async fn submit(
    app: &App,
    actor: &Actor,
    call: CallId,
    request: &SubmissionRequest,
    attachment: Option<&FileUpload<'_>>,
) -> Result<SubmissionReceipt, Error> {
    let kept = attachment
        .map(|upload| app.files().check_annex(upload))
        .transpose()?;
    let files: Vec<NewEvidence> = kept
        .iter()
        .map(|kept| NewEvidence {
            filename: kept.filename.clone(),
            content_type: kept.content_type.to_owned(),
            size_bytes: kept.size_bytes,
            sha256: kept.sha256.clone(),
        })
        .collect();
    let receipt = receive(app, actor, call, request, files).await?;
    if let (Some(upload), Some(kept)) = (attachment, &kept) {
        app.files()
            .write_annex(&kept.sha256, upload.content)
            .await?;
    }
    Ok(receipt)
}

async fn receive(
    app: &App,
    actor: &Actor,
    call: CallId,
    request: &SubmissionRequest,
    files: Vec<NewEvidence>,
) -> Result<SubmissionReceipt, Error> {
    let at = app.clock().now();
    let per_hour = app.settings().max_submissions_per_ip_hour;
    let record = app.store().call(call).await?;
    if record.state == CallState::Draft {
        return Err(Error::NotFound);
    }
    if !request.consent {
        return Err(ValidationError::new("consent", ErrorCode::PrivacyConsentRequired).into());
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
            let born = parse_date(raw)
                .map_err(|_| ValidationError::new("born_on", ErrorCode::InvalidDate))?;
            let closing_day = record.window.closes_at.date_naive();
            rule.check(born, closing_day, request.resides_in_municipality)?;
            Some(born)
        }
        _ => None,
    };
    let key = idempotency_key(request.idempotency_key.as_deref())?;
    let secret = new_token();
    let client = token_hash(actor.ip().unwrap_or("sin-direccion"));
    let recent = app
        .store()
        .count_submission_attempt(&client, at, at - ATTEMPTS_WINDOW)
        .await?;
    if recent > per_hour {
        // The window slides: once it has passed, every attempt counted has left it.
        return Err(Error::Throttled {
            retry_after_secs: ATTEMPTS_WINDOW.num_seconds() as u64,
        });
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
        idempotency_hash: key.map(token_hash),
        request_hash: request_digest(request),
        files,
    };
    let Receipt {
        folio, repeated, ..
    } = app.store().submit(&actor.audit(), &new, at).await?;
    Ok(SubmissionReceipt {
        folio,
        token: secret,
        repeated,
    })
}

/// A digest of everything the citizen wrote, so that a repeat is told from a new request
/// that reuses a key.
fn request_digest(request: &SubmissionRequest) -> String {
    let fields = [
        request.title.trim(),
        request.problem.trim(),
        request.proposal.trim(),
        request.area.trim(),
        request.full_name.trim(),
        request.email.trim(),
        request.phone.trim(),
        request.neighbourhood.trim(),
        request.born_on.as_deref().unwrap_or_default().trim(),
        if request.resides_in_municipality {
            "1"
        } else {
            "0"
        },
    ];
    // A separator no field can hold keeps ("ab", "c") apart from ("a", "bc").
    token_hash(&fields.join("\u{1f}"))
}

/// The submission whose folio and secret these are. A wrong secret answers `NotFound`, the
/// same as an unknown folio, so the answer says nothing about which folios exist.
pub async fn submission_for(app: &App, folio: &str, token: &str) -> Result<Submission, Error> {
    let found = app.store().submission_by_folio(folio.trim()).await?;
    let offered = token_hash(token.trim());
    match found {
        Some((submission, stored)) if bool::from(offered.as_bytes().ct_eq(stored.as_bytes())) => {
            Ok(submission)
        }
        _ => Err(Error::NotFound),
    }
}

/// The call a submission was sent to, for its proponent's status page.
pub async fn call_of(app: &App, submission: &Submission) -> Result<abierto_store::Call, Error> {
    Ok(app.store().call(submission.call).await?)
}
