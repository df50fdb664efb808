//! The secretariat's writes over the API: convening, the agenda, attendance, times, votes,
//! motions, annexes, the convocation, and the acta's signatures, publication and
//! corrections. Each answers the session as `GET /api/v1/sessions/{id}` shows it.

use abierto_domain::conduct::{Ballot, BallotChoice};
use abierto_domain::ids::{MembershipId, SessionId};
use abierto_domain::sessions::VoteCount;
use abierto_domain::ErrorCode;
use abierto_domain::ValidationError;
use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use axum::Json;
use serde::Deserialize;

use super::json::ApiJson;
use crate::auth::{SessionKeeper, SignedIn};
use crate::csrf::BodilessWrite;
use crate::error::ErrorEnvelope;
use crate::id_path::{IdPath, ItemPath};
use crate::{AppError, AppState};
use abierto_app::sessions::convene::{
    convene_with_agenda, send_convocation, ConveneRequest, ConvocationSent,
};
use abierto_app::sessions::minutes;
use abierto_app::sessions::record::{self, AgendaItemRequest, VoteInput};
use abierto_app::sessions::{session_detail, SessionDetail};
use abierto_app::FileUpload;

/// Convenes a session, numbered automatically unless `number` is given.
#[utoipa::path(post, path = "/api/v1/sessions", tag = "sesiones", request_body = ConveneRequest,
    responses(
        (status = 201, description = "Convened", body = SessionDetail),
        (status = 401, description = "Not signed in", body = ErrorEnvelope),
        (status = 403, description = "Not the secretariat", body = ErrorEnvelope),
        (status = 409, description = "The number is taken (`conflict`, field `number`)", body = ErrorEnvelope),
        (status = 422, description = "A date, time or value breaks a rule", body = ErrorEnvelope),
    ), security(("session" = [])))]
pub async fn create(
    State(state): State<AppState>,
    SessionKeeper(viewer): SessionKeeper,
    ApiJson(body): ApiJson<ConveneRequest>,
) -> Result<(StatusCode, Json<SessionDetail>), AppError> {
    let id = convene_with_agenda(&state.app, viewer.actor(), &body, &body.agenda).await?;
    Ok((
        StatusCode::CREATED,
        Json(session_detail(&state.app, id).await?),
    ))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AgendaBody {
    pub items: Vec<AgendaItemRequest>,
}

/// Replaces the agenda (orden del día). It must end with its closing item; a minutes approval
/// must point at an earlier session of the same body.
#[utoipa::path(put, path = "/api/v1/sessions/{id}/agenda", tag = "sesiones", request_body = AgendaBody,
    params(("id" = i64, Path, description = "Session id", minimum = 1)),
    responses(
        (status = 200, description = "Agenda set", body = SessionDetail),
        (status = 422, description = "`agenda_without_closing`, `minutes_approval_not_later`, `minutes_approved`…", body = ErrorEnvelope),
    ), security(("session" = [])))]
pub async fn set_agenda(
    State(state): State<AppState>,
    SessionKeeper(viewer): SessionKeeper,
    IdPath(id): IdPath<SessionId>,
    ApiJson(body): ApiJson<AgendaBody>,
) -> Result<Json<SessionDetail>, AppError> {
    record::set_agenda(&state.app, viewer.actor(), id, &body.items).await?;
    Ok(Json(session_detail(&state.app, id).await?))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AttendanceBody {
    /// Memberships present; a substitute and their titular both present count once.
    pub present: Vec<MembershipId>,
}

/// Replaces the attendance list.
#[utoipa::path(put, path = "/api/v1/sessions/{id}/attendance", tag = "sesiones", request_body = AttendanceBody,
    params(("id" = i64, Path, description = "Session id", minimum = 1)),
    responses(
        (status = 200, description = "Attendance recorded; quorum recomputed", body = SessionDetail),
        (status = 422, description = "`membership_not_active`, `minutes_approved`", body = ErrorEnvelope),
    ), security(("session" = [])))]
pub async fn set_attendance(
    State(state): State<AppState>,
    SessionKeeper(viewer): SessionKeeper,
    IdPath(id): IdPath<SessionId>,
    ApiJson(body): ApiJson<AttendanceBody>,
) -> Result<Json<SessionDetail>, AppError> {
    record::record_attendance(&state.app, viewer.actor(), id, &body.present).await?;
    Ok(Json(session_detail(&state.app, id).await?))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TimesBody {
    /// "13:14".
    pub started_at: String,
    /// "13:46".
    #[serde(default)]
    pub ended_at: Option<String>,
}

/// Records the actual start and end times.
#[utoipa::path(put, path = "/api/v1/sessions/{id}/times", tag = "sesiones", request_body = TimesBody,
    params(("id" = i64, Path, description = "Session id", minimum = 1)),
    responses(
        (status = 200, description = "Times recorded", body = SessionDetail),
        (status = 422, description = "`invalid_time`, `end_before_start`", body = ErrorEnvelope),
    ), security(("session" = [])))]
pub async fn set_times(
    State(state): State<AppState>,
    SessionKeeper(viewer): SessionKeeper,
    IdPath(id): IdPath<SessionId>,
    ApiJson(body): ApiJson<TimesBody>,
) -> Result<Json<SessionDetail>, AppError> {
    record::record_times(
        &state.app,
        viewer.actor(),
        id,
        &body.started_at,
        body.ended_at.as_deref(),
    )
    .await?;
    Ok(Json(session_detail(&state.app, id).await?))
}

/// A vote: the three counts, or `ballots` (how each member present voted), or both when
/// they agree.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VoteBody {
    #[serde(default)]
    pub in_favour: Option<i64>,
    #[serde(default)]
    pub against: Option<i64>,
    #[serde(default)]
    pub abstentions: Option<i64>,
    #[serde(default)]
    pub ballots: Vec<Ballot>,
    /// Who reported the result (usually the facilitator).
    #[serde(default)]
    pub reported_by: Option<MembershipId>,
}

impl VoteBody {
    fn input(&self) -> Result<VoteInput, AppError> {
        let counts = match (self.in_favour, self.against, self.abstentions) {
            (None, None, None) => None,
            (f, a, s) => Some(VoteCount {
                in_favour: f.unwrap_or_default(),
                against: a.unwrap_or_default(),
                abstentions: s.unwrap_or_default(),
            }),
        };
        match (counts, self.ballots.is_empty()) {
            (Some(counts), true) => Ok(VoteInput::Counts(counts)),
            // Neither the counts nor the ballots: a vote with nothing in it.
            (None, true) => Err(ValidationError::new("in_favour", ErrorCode::EmptyVote).into()),
            (None, false) => Ok(VoteInput::Ballots(self.ballots.clone())),
            (Some(counts), false) => {
                let tally =
                    |choice| self.ballots.iter().filter(|b| b.choice == choice).count() as i64;
                let agree = counts.in_favour == tally(BallotChoice::InFavour)
                    && counts.against == tally(BallotChoice::Against)
                    && counts.abstentions == tally(BallotChoice::Abstention);
                if agree {
                    Ok(VoteInput::Ballots(self.ballots.clone()))
                } else {
                    Err(ValidationError::new("ballots", ErrorCode::BallotsMismatch).into())
                }
            }
        }
    }
}

/// Records the vote on an agenda item — by counts or by person; the result follows from the
/// counts. A passing vote on a minutes approval approves (freezes) that acta.
#[utoipa::path(put, path = "/api/v1/sessions/{id}/agenda/{position}/vote", tag = "sesiones", request_body = VoteBody,
    params(("id" = i64, Path, description = "Session id", minimum = 1), ("position" = i64, Path, description = "Agenda position, 1 = I", minimum = 1)),
    responses(
        (status = 200, description = "Vote recorded", body = SessionDetail),
        (status = 422, description = "`no_quorum`, `too_many_votes`, `item_not_voted`, `empty_vote`, `ballot_not_present`, `seat_voted_twice`, `ballots_mismatch`, `minutes_approved`", body = ErrorEnvelope),
    ), security(("session" = [])))]
pub async fn set_vote(
    State(state): State<AppState>,
    SessionKeeper(viewer): SessionKeeper,
    ItemPath(id, position): ItemPath,
    ApiJson(body): ApiJson<VoteBody>,
) -> Result<Json<SessionDetail>, AppError> {
    record::record_vote(
        &state.app,
        viewer.actor(),
        id,
        position,
        body.input()?,
        body.reported_by,
    )
    .await?;
    Ok(Json(session_detail(&state.app, id).await?))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MotionBody {
    #[serde(default)]
    pub proposer: Option<MembershipId>,
    /// What the motion proposes: "realizar una mesa de trabajo…".
    pub text: String,
    /// `accepted` or `rejected`.
    pub outcome: String,
}

/// Records a motion raised under an agenda item.
#[utoipa::path(post, path = "/api/v1/sessions/{id}/agenda/{position}/motions", tag = "sesiones", request_body = MotionBody,
    params(("id" = i64, Path, description = "Session id", minimum = 1), ("position" = i64, Path, description = "Agenda position", minimum = 1)),
    responses(
        (status = 201, description = "Motion recorded", body = SessionDetail),
        (status = 422, description = "`text_required`, `invalid_motion_outcome`, `proposer_not_present`", body = ErrorEnvelope),
    ), security(("session" = [])))]
pub async fn add_motion(
    State(state): State<AppState>,
    SessionKeeper(viewer): SessionKeeper,
    ItemPath(id, position): ItemPath,
    ApiJson(body): ApiJson<MotionBody>,
) -> Result<(StatusCode, Json<SessionDetail>), AppError> {
    record::record_motion(
        &state.app,
        viewer.actor(),
        id,
        position,
        body.proposer,
        &body.text,
        &body.outcome,
    )
    .await?;
    Ok((
        StatusCode::CREATED,
        Json(session_detail(&state.app, id).await?),
    ))
}

/// Annexes a file to an agenda item (multipart field `file`; the `csrf_token` field or the
/// `X-CSRF-Token` header must carry the CSRF cookie's token).
#[utoipa::path(post, path = "/api/v1/sessions/{id}/agenda/{position}/annexes", tag = "sesiones",
    params(("id" = i64, Path, description = "Session id", minimum = 1), ("position" = i64, Path, description = "Agenda position", minimum = 1)),
    request_body(content_type = "multipart/form-data", description = "Field `file`: PDF, DOCX, XLSX, ODT, ODS, PNG, JPEG or CSV"),
    responses(
        (status = 201, description = "Annexed", body = SessionDetail),
        (status = 413, description = "Over the upload limit", body = ErrorEnvelope),
        (status = 422, description = "`annex_type_refused`, `annex_too_large`, `annex_empty`, `minutes_approved`", body = ErrorEnvelope),
    ), security(("session" = [])))]
pub async fn add_annex(
    State(state): State<AppState>,
    SessionKeeper(viewer): SessionKeeper,
    ItemPath(id, position): ItemPath,
    multipart: Multipart,
) -> Result<(StatusCode, Json<SessionDetail>), AppError> {
    let (filename, content) = crate::multipart_form::read_file_field(multipart).await?;
    let upload = FileUpload {
        filename: &filename,
        content: &content,
    };
    record::add_annex(&state.app, viewer.actor(), id, position, &upload).await?;
    Ok((
        StatusCode::CREATED,
        Json(session_detail(&state.app, id).await?),
    ))
}

/// Sends the convocation: one notice per member, e-mailed with its `.ics` invitation when
/// `smtp_url` is configured, and kept in the outbox. Only a session still to come is convened.
#[utoipa::path(post, path = "/api/v1/sessions/{id}/convocation", tag = "sesiones",
    params(("id" = i64, Path, description = "Session id", minimum = 1)),
    responses(
        (status = 201, description = "Notices written", body = ConvocationSent),
        (status = 422, description = "`convocation_without_agenda`, `convocation_in_the_past` (its day and time have passed)", body = ErrorEnvelope),
    ), security(("session" = [])))]
pub async fn convocation(
    _cross_site: BodilessWrite,
    State(state): State<AppState>,
    SessionKeeper(viewer): SessionKeeper,
    IdPath(id): IdPath<SessionId>,
) -> Result<(StatusCode, Json<ConvocationSent>), AppError> {
    let sent = send_convocation(&state.app, viewer.actor(), id).await?;
    Ok((StatusCode::CREATED, Json(sent)))
}

/// Signs the approved acta as the signed-in member, who must be on the attendance list.
#[utoipa::path(post, path = "/api/v1/sessions/{id}/minutes/signatures", tag = "sesiones",
    params(("id" = i64, Path, description = "Session id", minimum = 1)),
    responses(
        (status = 201, description = "Signed: time, user and the SHA-256 of the approved text", body = SessionDetail),
        (status = 422, description = "`minutes_not_approved`, `signer_not_present`, `already_signed`, `minutes_already_published`", body = ErrorEnvelope),
    ), security(("session" = [])))]
pub async fn sign(
    _cross_site: BodilessWrite,
    State(state): State<AppState>,
    SignedIn(viewer): SignedIn,
    IdPath(id): IdPath<SessionId>,
) -> Result<(StatusCode, Json<SessionDetail>), AppError> {
    minutes::sign(&state.app, viewer.actor(), id).await?;
    Ok((
        StatusCode::CREATED,
        Json(session_detail(&state.app, id).await?),
    ))
}

/// Publishes the signed acta with its annexes.
#[utoipa::path(post, path = "/api/v1/sessions/{id}/minutes/publication", tag = "sesiones",
    params(("id" = i64, Path, description = "Session id", minimum = 1)),
    responses(
        (status = 200, description = "Published", body = SessionDetail),
        (status = 422, description = "`minutes_not_approved`, `minutes_unsigned`, `annex_missing`", body = ErrorEnvelope),
    ), security(("session" = [])))]
pub async fn publish(
    _cross_site: BodilessWrite,
    State(state): State<AppState>,
    SessionKeeper(viewer): SessionKeeper,
    IdPath(id): IdPath<SessionId>,
) -> Result<Json<SessionDetail>, AppError> {
    minutes::publish(&state.app, viewer.actor(), id).await?;
    Ok(Json(session_detail(&state.app, id).await?))
}

/// Opens a new version of an approved acta: the record may be corrected, and the new version
/// must be approved again. Earlier versions stay as they were.
#[utoipa::path(post, path = "/api/v1/sessions/{id}/minutes/corrections", tag = "sesiones",
    params(("id" = i64, Path, description = "Session id", minimum = 1)),
    responses(
        (status = 201, description = "New draft version opened", body = SessionDetail),
        (status = 422, description = "`minutes_not_approved`", body = ErrorEnvelope),
    ), security(("session" = [])))]
pub async fn correct(
    _cross_site: BodilessWrite,
    State(state): State<AppState>,
    SessionKeeper(viewer): SessionKeeper,
    IdPath(id): IdPath<SessionId>,
) -> Result<(StatusCode, Json<SessionDetail>), AppError> {
    minutes::correct(&state.app, viewer.actor(), id).await?;
    Ok((
        StatusCode::CREATED,
        Json(session_detail(&state.app, id).await?),
    ))
}
