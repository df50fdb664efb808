//! Sessions over the API: the public list, one session's record with quorum, and its acta.

use abierto_documents::minutes::{to_markdown, Block};
use abierto_domain::annexes::Annex;
use abierto_domain::findings::Finding;
use abierto_domain::ids::{AgendaItemId, BodyId, MembershipId, SessionId};
use abierto_domain::minutes::{MinutesSignature, MinutesStatus, MinutesVersion};
use abierto_domain::sessions::{roman, AgendaItem, Motion, Quorum, Session, Vote};
use axum::extract::{Query, State};
use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};

use crate::auth::Viewer;
use crate::error::ErrorEnvelope;
use crate::id_path::IdPath;
use crate::session_view::SessionView;
use crate::workflows::minutes::readable_blocks;
use crate::{AppError, AppState};

#[derive(Serialize, utoipa::ToSchema)]
pub struct SessionSummary {
    #[serde(flatten)]
    pub session: Session,
    /// "3ª Sesión Extraordinaria".
    pub title: String,
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct SessionFilter {
    /// Only the sessions of this body.
    pub body: Option<BodyId>,
}

/// Sessions, newest first.
#[utoipa::path(get, path = "/api/v1/sessions", tag = "sesiones", params(SessionFilter),
    responses((status = 200, description = "Sessions", body = Vec<SessionSummary>)))]
pub async fn list(
    State(state): State<AppState>,
    Query(filter): Query<SessionFilter>,
) -> Result<Json<Vec<SessionSummary>>, AppError> {
    let sessions = state.store.sessions(filter.body).await?;
    Ok(Json(
        sessions
            .into_iter()
            .map(|session| SessionSummary {
                title: session.title_es(),
                session,
            })
            .collect(),
    ))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct AgendaEntry {
    #[serde(flatten)]
    pub item: AgendaItem,
    /// "IV".
    pub numeral: String,
    pub vote: Option<Vote>,
    /// How each member voted, when the vote was taken by person.
    pub ballots: Vec<abierto_domain::conduct::Ballot>,
    pub motions: Vec<Motion>,
    pub annexes: Vec<Annex>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Present {
    pub membership: MembershipId,
    pub name: String,
    /// The name as the historical record wrote it, when it differs.
    pub written_name: Option<String>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct SessionDetail {
    #[serde(flatten)]
    pub session: Session,
    pub title: String,
    pub body_name: String,
    pub agenda: Vec<AgendaEntry>,
    pub attendance: Vec<Present>,
    /// `null` while no attendance is recorded.
    pub quorum: Option<Quorum>,
    /// The session in which this session's acta was approved.
    pub minutes_approved_in: Option<SessionId>,
    pub minutes: MinutesState,
    /// Inconsistencies in the record and its acta.
    pub findings: Vec<Finding>,
}

/// Where the acta stands.
#[derive(Serialize, utoipa::ToSchema)]
pub struct MinutesState {
    /// Status of the current version.
    pub status: MinutesStatus,
    pub versions: Vec<MinutesVersion>,
    /// Signatures on the current version.
    pub signatures: Vec<MinutesSignature>,
    /// Names on the paper hoja de firmas, for actas signed by hand.
    pub signature_sheet: Vec<String>,
}

/// One session: agenda with votes and motions, attendance, quorum.
#[utoipa::path(get, path = "/api/v1/sessions/{id}", tag = "sesiones",
    params(("id" = i64, Path, description = "Session id")),
    responses(
        (status = 200, description = "The session", body = SessionDetail),
        (status = 404, description = "No such session", body = ErrorEnvelope),
    ))]
pub async fn detail(
    State(state): State<AppState>,
    IdPath(id): IdPath<SessionId>,
) -> Result<Json<SessionDetail>, AppError> {
    Ok(Json(session_detail(&state.store, id).await?))
}

/// Everything the API says about one session; write endpoints answer it too.
pub async fn session_detail(
    store: &abierto_store::Store,
    id: SessionId,
) -> Result<SessionDetail, AppError> {
    let view = SessionView::load(store, id).await?;
    let record = &view.record;
    let item_votes = |id: AgendaItemId| record.votes.iter().find(|v| v.item == id).cloned();
    Ok(SessionDetail {
        title: view.title(),
        body_name: view.body.name.clone(),
        agenda: record
            .agenda
            .iter()
            .map(|item| AgendaEntry {
                numeral: roman(item.position),
                vote: item_votes(item.id),
                ballots: record
                    .ballots
                    .iter()
                    .filter(|(i, _)| *i == item.id)
                    .map(|(_, b)| *b)
                    .collect(),
                motions: record
                    .motions
                    .iter()
                    .filter(|m| m.item == item.id)
                    .cloned()
                    .collect(),
                annexes: view
                    .annexes
                    .iter()
                    .filter(|a| a.item == item.id)
                    .cloned()
                    .collect(),
                item: item.clone(),
            })
            .collect(),
        attendance: record
            .attendance
            .iter()
            .map(|a| Present {
                membership: a.membership,
                name: view.person_name(a.membership),
                written_name: a.written_name.clone(),
            })
            .collect(),
        quorum: view.quorum,
        minutes_approved_in: view.approved_in.as_ref().map(|s| s.id),
        minutes: MinutesState {
            status: view.minutes_status(),
            versions: view.versions.clone(),
            signatures: view.signatures.clone(),
            signature_sheet: view.sheet.iter().map(|e| e.name.clone()).collect(),
        },
        findings: view.findings(),
        session: record.session.clone(),
    })
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct MinutesFormat {
    /// `md` (default), `html` or `json` (the acta's blocks).
    pub format: Option<String>,
}

/// The session's acta: for the public, the published version; for the secretariat and the
/// members, the current one (the draft written live from the record, or the approved text).
#[utoipa::path(get, path = "/api/v1/sessions/{id}/minutes", tag = "sesiones",
    params(("id" = i64, Path, description = "Session id"), MinutesFormat),
    responses(
        (status = 200, description = "The acta as Markdown, HTML or JSON blocks", content_type = "text/markdown"),
        (status = 404, description = "No such session, or its acta is not published (`minutes_not_published`)", body = ErrorEnvelope),
        (status = 422, description = "Unknown format", body = ErrorEnvelope),
    ))]
pub async fn minutes(
    State(state): State<AppState>,
    viewer: Viewer,
    IdPath(id): IdPath<SessionId>,
    Query(query): Query<MinutesFormat>,
) -> Result<Response, AppError> {
    let format = query.format.as_deref().unwrap_or("md");
    if !["md", "html", "json"].contains(&format) {
        return Err(AppError::Invalid(abierto_domain::ValidationError::new(
            "format",
            "invalid_format",
        )));
    }
    let view = SessionView::load(&state.store, id).await?;
    let drafts = viewer
        .user
        .as_ref()
        .is_some_and(|u| u.role.can_read_draft_minutes());
    let blocks = readable_blocks(&state.store, &view, drafts)
        .await?
        .ok_or(AppError::MinutesNotPublished)?;
    match format {
        "md" => Ok((
            [(CONTENT_TYPE, "text/markdown; charset=utf-8")],
            to_markdown(&blocks),
        )
            .into_response()),
        "html" => crate::pages::minutes_document(&view.title(), &blocks),
        "json" => Ok(Json::<Vec<Block>>(blocks).into_response()),
        _ => Err(AppError::Invalid(abierto_domain::ValidationError::new(
            "format",
            "invalid_format",
        ))),
    }
}
