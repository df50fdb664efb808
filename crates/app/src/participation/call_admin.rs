//! The secretariat's side of a call: writing it with its dates in the municipality's time,
//! publishing it on the vote that approved it, evaluating what arrived, keeping private notes,
//! answering a proponent's data-protection request (derechos ARCO), publishing the results,
//! and seating the young people a selection committee chose in the Cabildo Abierto Juvenil.
//! Shared by the pages and the API; every step is logged by the store.

use abierto_domain::account::Role;
use abierto_domain::calls::{CallKind, Eligibility, SubmissionStatus, Window};
use abierto_domain::dates::parse_date;
use abierto_domain::governance::{Gender, Tenure};
use abierto_domain::ids::{AgendaItemId, BodyId, CallId, MembershipId, SubmissionId};
use abierto_domain::local_time::{local_to_utc, Tz};
use abierto_domain::programs::required_text;
use abierto_domain::ErrorCode;
use abierto_domain::ValidationError;
use abierto_store::{NewCall, YouthSeat};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::{Actor, App, Error};

const TITLE_LIMIT: usize = 300;
const TEXT_LIMIT: usize = 20_000;

/// A call as the secretariat writes it. Dates are the municipality's local time, as a
/// `datetime-local` input sends them: `2026-03-01T09:00`.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct CallRequest {
    /// `ideas` (Banco de Acciones) or `youth` (Cabildo Abierto Juvenil).
    pub kind: String,
    pub title: String,
    /// The call's text (bases).
    #[serde(default)]
    pub text: String,
    #[serde(default)]
    pub requirements: String,
    /// The body whose session approves the call.
    pub body: BodyId,
    pub opens_at: String,
    pub closes_at: String,
    /// A youth call's age range, on its closing day.
    #[serde(default)]
    pub min_age: Option<u32>,
    #[serde(default)]
    pub max_age: Option<u32>,
}

impl CallRequest {
    fn to_new(&self, zone: Tz) -> Result<NewCall, ValidationError> {
        let kind = CallKind::parse(&self.kind)?;
        let title = required_text("title", &self.title, TITLE_LIMIT)?;
        let text = required_text("text", &self.text, TEXT_LIMIT)?;
        let requirements = self.requirements.trim();
        if requirements.chars().count() > TEXT_LIMIT {
            return Err(ValidationError::new("requirements", ErrorCode::TextTooLong));
        }
        let opens_at = local_to_utc("opens_at", &self.opens_at, zone)?;
        let closes_at = local_to_utc("closes_at", &self.closes_at, zone)?;
        let window = Window::new(opens_at, closes_at)?;
        let eligibility = match (kind, self.min_age, self.max_age) {
            (CallKind::Youth, Some(min), Some(max)) => Some(Eligibility::new(min, max)?),
            (CallKind::Youth, _, _) => {
                return Err(ValidationError::new(
                    "min_age",
                    ErrorCode::YouthCallNeedsAges,
                ))
            }
            _ => None,
        };
        Ok(NewCall {
            kind,
            title,
            text: text.to_owned(),
            requirements: requirements.to_owned(),
            body: self.body,
            window,
            eligibility,
        })
    }
}

async fn new_call(app: &App, request: &CallRequest) -> Result<NewCall, Error> {
    app.store().body(request.body).await.map_err(|e| match e {
        abierto_store::StoreError::NotFound => {
            ValidationError::new("body", ErrorCode::UnknownBody).into()
        }
        other => Error::from(other),
    })?;
    Ok(request.to_new(crate::governance::time_zone(app).await?)?)
}

pub async fn create_call(app: &App, actor: &Actor, request: &CallRequest) -> Result<CallId, Error> {
    actor.require(Role::can_keep_sessions)?;
    let new = new_call(app, request).await?;
    Ok(app
        .store()
        .create_call(&actor.audit(), &new, app.clock().now())
        .await?)
}

pub async fn edit_call(
    app: &App,
    actor: &Actor,
    id: CallId,
    request: &CallRequest,
) -> Result<(), Error> {
    actor.require(Role::can_keep_sessions)?;
    app.store().call(id).await?;
    let new = new_call(app, request).await?;
    Ok(app.store().edit_call(&actor.audit(), id, &new).await?)
}

/// Publishes a draft on the agenda item whose vote approved it.
pub async fn publish_call(
    app: &App,
    actor: &Actor,
    id: CallId,
    approved_by: Option<AgendaItemId>,
) -> Result<(), Error> {
    actor.require(Role::can_keep_sessions)?;
    let Some(item) = approved_by else {
        return Err(
            ValidationError::new("approved_by", ErrorCode::CallWithoutApprovingVote).into(),
        );
    };
    Ok(app
        .store()
        .publish_call(&actor.audit(), id, item, app.clock().now())
        .await?)
}

/// A step of a submission's evaluation.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct EvaluationRequest {
    /// `under_review`, `accepted` or `rejected`.
    pub status: String,
    /// Required for a decision; the proponent reads them.
    #[serde(default)]
    pub reasons: String,
}

pub async fn evaluate(
    app: &App,
    actor: &Actor,
    id: SubmissionId,
    request: &EvaluationRequest,
) -> Result<(), Error> {
    actor.require(Role::can_keep_sessions)?;
    app.store().submission(id).await?;
    let to = SubmissionStatus::parse(&request.status)?;
    if request.reasons.chars().count() > TEXT_LIMIT {
        return Err(ValidationError::new("reasons", ErrorCode::TextTooLong).into());
    }
    Ok(app
        .store()
        .evaluate_submission(&actor.audit(), id, to, &request.reasons, app.clock().now())
        .await?)
}

pub async fn add_note(app: &App, actor: &Actor, id: SubmissionId, body: &str) -> Result<(), Error> {
    actor.require(Role::can_keep_sessions)?;
    app.store().submission(id).await?;
    if body.chars().count() > TEXT_LIMIT {
        return Err(ValidationError::new("body", ErrorCode::TextTooLong).into());
    }
    Ok(app
        .store()
        .add_submission_note(&actor.audit(), id, body, app.clock().now())
        .await?)
}

/// Why the secretariat opens a proponent's data; it is written in the log beside the reader.
pub fn purpose(raw: &str) -> Result<String, ValidationError> {
    required_text("purpose", raw, 200).map_err(|e| match e.code() {
        ErrorCode::TextRequired => ValidationError::new("purpose", ErrorCode::PurposeRequired),
        _ => e,
    })
}

/// A proponent's data as exported for a request of access (derecho ARCO de acceso).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ProponentExport {
    pub folio: String,
    pub call: String,
    pub submitted_at: DateTime<Utc>,
    pub full_name: String,
    pub email: String,
    pub phone: String,
    pub neighbourhood: String,
    pub born_on: Option<chrono::NaiveDate>,
    pub consented_at: DateTime<Utc>,
    /// The idea as submitted.
    pub title: String,
    pub problem: String,
    pub proposal: String,
    pub area: String,
    pub status: SubmissionStatus,
    pub reasons: String,
}

/// The proponent's data with their submission, read with a logged purpose (the ARCO access
/// export uses "ARCO: acceso"); `personal_data_already_erased` after an erasure.
pub async fn read_proponent(
    app: &App,
    actor: &Actor,
    id: SubmissionId,
    why: &str,
) -> Result<ProponentExport, Error> {
    actor.require(Role::can_keep_sessions)?;
    let submission = app.store().submission(id).await?;
    let why = purpose(why)?;
    let Some(person) = app.store().read_proponent(&actor.audit(), id, &why).await? else {
        return Err(
            ValidationError::new("submission", ErrorCode::PersonalDataAlreadyErased).into(),
        );
    };
    let call = app.store().call(submission.call).await?;
    Ok(ProponentExport {
        folio: submission.folio,
        call: call.title,
        submitted_at: submission.submitted_at,
        full_name: person.full_name,
        email: person.email,
        phone: person.phone,
        neighbourhood: person.neighbourhood,
        born_on: person.born_on,
        consented_at: person.consented_at,
        title: submission.title,
        problem: submission.problem,
        proposal: submission.proposal,
        area: submission.area,
        status: submission.status,
        reasons: submission.reasons,
    })
}

/// Erases the proponent's data and the attachments' files that nothing else keeps.
pub async fn erase_proponent(app: &App, actor: &Actor, id: SubmissionId) -> Result<(), Error> {
    actor.require(Role::can_keep_sessions)?;
    app.store().submission(id).await?;
    for sha256 in app
        .store()
        .erase_proponent(&actor.audit(), id, app.clock().now())
        .await?
    {
        app.files().remove_annex(&sha256).await;
    }
    Ok(())
}

/// Publishes the results of a call whose submissions are all decided.
pub async fn resolve(
    app: &App,
    actor: &Actor,
    id: CallId,
    results_text: &str,
) -> Result<(), Error> {
    actor.require(Role::can_keep_sessions)?;
    app.store().call(id).await?;
    let text = required_text("results_text", results_text, TEXT_LIMIT)?;
    Ok(app
        .store()
        .resolve_call(&actor.audit(), id, &text, app.clock().now())
        .await?)
}

/// The selection committee's decision seating an accepted youth application in the Cabildo
/// Abierto Juvenil.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct SeatRequest {
    /// The Cabildo Abierto Juvenil body.
    pub council: BodyId,
    /// The selection committee's agenda item whose vote chose the applicant.
    pub decided_by: Option<AgendaItemId>,
    /// `feminine` or `masculine`, for the minutes' wording.
    pub gender: String,
    /// `2026-03-12`.
    pub starts_on: String,
    #[serde(default)]
    pub ends_on: Option<String>,
}

pub async fn seat_youth(
    app: &App,
    actor: &Actor,
    id: SubmissionId,
    request: &SeatRequest,
) -> Result<MembershipId, Error> {
    actor.require(Role::can_keep_sessions)?;
    app.store().submission(id).await?;
    let Some(decided_by) = request.decided_by else {
        return Err(
            ValidationError::new("decided_by", ErrorCode::SelectionWithoutCommitteeVote).into(),
        );
    };
    let gender = Gender::parse(&request.gender)?;
    let starts_on = parse_date(&request.starts_on)?;
    let ends_on = match request.ends_on.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(raw) => Some(parse_date(raw)?),
    };
    let seat = YouthSeat {
        submission: id,
        council: request.council,
        decided_by,
        gender,
        tenure: Tenure::new(starts_on, ends_on)?,
    };
    Ok(app
        .store()
        .seat_selected_youth(&actor.audit(), &seat, app.clock().now())
        .await?)
}

/// Closes the calls whose close has come, by the clock; gives each with the state it settled
/// in. Safe with several instances: the store settles each call with one conditional update.
pub async fn close_due_calls(
    app: &App,
) -> Result<
    Vec<(
        abierto_domain::ids::CallId,
        abierto_domain::calls::CallState,
    )>,
    Error,
> {
    Ok(app.store().close_due_calls(app.clock().now()).await?)
}
