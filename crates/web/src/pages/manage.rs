//! The secretariat's forms for a session, all usable without JavaScript: convene it, set its
//! agenda, take attendance, record times, votes, motions and annexes, send the convocation,
//! and publish or correct its acta. Members sign the acta from the session's page.
//!
//! Every form posts to its own route; success redirects back (303) with a notice, and a
//! refused value re-renders the page with the Spanish message and the 422/409 status.

use abierto_domain::ids::{BodyId, MembershipId, SessionId};
use abierto_domain::sessions::{roman, AgendaItemKind, SessionKind, VoteCount};
use abierto_domain::ErrorCode;
use askama::Template;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Multipart, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use serde::Deserialize;

use super::form::{cell, is_refusal, FormFields};
use super::render;
use crate::auth::{SessionKeeper, Viewer};
use crate::id_path::{IdPath, ItemPath};
use crate::page::PageContext;
use crate::{AppError, AppState};
use abierto_app::sessions::convene::{convene, send_convocation, ConveneRequest};
use abierto_app::sessions::minutes;
use abierto_app::sessions::record::{self, AgendaItemRequest, VoteInput};
use abierto_app::sessions::SessionView;
use abierto_app::FileUpload;

pub fn router(annex_limit: usize) -> Router<AppState> {
    Router::new()
        .route("/sesiones/nueva", get(new_session).post(create_session))
        .route("/sesiones/{id}/gestion", get(manage))
        .route("/sesiones/{id}/orden-del-dia", post(set_agenda))
        .route("/sesiones/{id}/propuestas", post(take_proposal))
        .route("/sesiones/{id}/asistencia", post(set_attendance))
        .route("/sesiones/{id}/horario", post(set_times))
        .route("/sesiones/{id}/puntos/{position}/votacion", post(set_vote))
        .route(
            "/sesiones/{id}/puntos/{position}/mociones",
            post(add_motion),
        )
        .route(
            "/sesiones/{id}/puntos/{position}/anexos",
            post(add_annex).layer(DefaultBodyLimit::max(annex_limit)),
        )
        .route("/sesiones/{id}/convocatoria", post(send_notices))
        .route("/sesiones/{id}/acta/firmar", post(sign))
        .route("/sesiones/{id}/acta/publicar", post(publish))
        .route("/sesiones/{id}/acta/corregir", post(correct))
        .route("/secretariado/avisos", get(outbox))
}

// --- Convening ---------------------------------------------------------------------------

struct BodyOption {
    id: BodyId,
    name: String,
}

#[derive(Template)]
#[template(path = "session_new.html")]
struct NewSessionPage {
    ctx: PageContext,
    bodies: Vec<BodyOption>,
    form: ConveneForm,
    error_key: Option<String>,
}

#[derive(Default, Deserialize)]
struct ConveneForm {
    #[serde(default)]
    body: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    held_on: String,
    #[serde(default)]
    scheduled_time: String,
    #[serde(default)]
    place: String,
    #[serde(default)]
    legal_basis: String,
    #[serde(default)]
    name: String,
}

async fn new_session_page(
    state: &AppState,
    ctx: PageContext,
    form: ConveneForm,
    error_key: Option<String>,
) -> Result<NewSessionPage, AppError> {
    let bodies = abierto_app::governance::bodies(&state.app)
        .await?
        .into_iter()
        .map(|b| BodyOption {
            id: b.id,
            name: b.name,
        })
        .collect();
    Ok(NewSessionPage {
        ctx,
        bodies,
        form,
        error_key,
    })
}

async fn new_session(
    State(state): State<AppState>,
    _keeper: SessionKeeper,
    ctx: PageContext,
) -> Result<Response, AppError> {
    let form = ConveneForm {
        kind: SessionKind::Ordinary.key().to_owned(),
        ..ConveneForm::default()
    };
    render(&new_session_page(&state, ctx, form, None).await?)
}

async fn create_session(
    State(state): State<AppState>,
    SessionKeeper(viewer): SessionKeeper,
    ctx: PageContext,
    body: Bytes,
) -> Result<Response, AppError> {
    let form: ConveneForm = serde_urlencoded::from_bytes(&body).unwrap_or_default();
    let request = ConveneRequest {
        body: form.body.parse().unwrap_or(BodyId::new(0)),
        kind: form.kind.clone(),
        held_on: form.held_on.clone(),
        scheduled_time: form.scheduled_time.clone(),
        place: form.place.clone(),
        legal_basis: form.legal_basis.clone(),
        number: None,
        name: form.name.clone(),
    };
    match convene(&state.app, viewer.actor(), &request)
        .await
        .map_err(AppError::from)
    {
        Ok(id) => {
            Ok(Redirect::to(&format!("/sesiones/{id}/gestion?hecho=convened")).into_response())
        }
        Err(err) if is_refusal(&err) => {
            let status = err.status();
            let page = new_session_page(&state, ctx, form, Some(err.report().message_key)).await?;
            Ok((status, render(&page)?).into_response())
        }
        Err(err) => Err(err),
    }
}

// --- The management page ----------------------------------------------------------------

struct MemberOption {
    id: MembershipId,
    label: String,
    present: bool,
}

struct KindOption {
    key: &'static str,
    label_key: String,
}

struct SessionOption {
    id: SessionId,
    label: String,
}

/// One row of the agenda form: an existing item or an empty one to add.
struct AgendaRow {
    index: usize,
    kind: String,
    title: String,
    presenter: Option<MembershipId>,
    minutes_of: Option<SessionId>,
    annex_note: String,
    narrative: String,
}

impl AgendaRow {
    fn is_presenter(&self, id: &MembershipId) -> bool {
        self.presenter == Some(*id)
    }

    fn approves(&self, id: &SessionId) -> bool {
        self.minutes_of == Some(*id)
    }
}

struct ItemPanel {
    position: i64,
    numeral: String,
    title: String,
    voted: bool,
    vote: Option<String>,
    motions: Vec<String>,
    annexes: Vec<(abierto_domain::ids::AnnexId, String)>,
}

struct NoticeRow {
    recipient: String,
    member: String,
    status_key: String,
}

#[derive(Template)]
#[template(path = "session_manage.html")]
struct ManagePage {
    ctx: PageContext,
    id: SessionId,
    title: String,
    body_name: String,
    date: String,
    editable: bool,
    minutes_status_key: String,
    error_key: Option<String>,
    notice_key: Option<String>,
    kinds: Vec<KindOption>,
    members: Vec<MemberOption>,
    earlier_sessions: Vec<SessionOption>,
    rows: Vec<AgendaRow>,
    items: Vec<ItemPanel>,
    started_at: String,
    ended_at: String,
    quorum: Option<abierto_domain::sessions::Quorum>,
    notices: Vec<NoticeRow>,
    accepted: String,
    /// Items proposed for the body's next session (a void call's results), by id and title.
    proposals: Vec<(i64, String)>,
}

#[derive(Deserialize)]
struct DoneQuery {
    hecho: Option<String>,
}

const NOTICES: [&str; 12] = [
    "convened",
    "agenda",
    "proposal",
    "attendance",
    "times",
    "vote",
    "motion",
    "annex",
    "convocation",
    "signed",
    "published",
    "corrected",
];

async fn manage_page(
    state: &AppState,
    ctx: PageContext,
    id: SessionId,
    error_key: Option<String>,
    notice_key: Option<String>,
) -> Result<ManagePage, AppError> {
    let view = SessionView::load(&state.app, id).await?;
    let session = &view.record.session;
    let present: Vec<MembershipId> = view
        .record
        .attendance
        .iter()
        .map(|a| a.membership)
        .collect();
    let members: Vec<MemberOption> = view
        .active_members()
        .into_iter()
        .map(|(m, p)| MemberOption {
            id: m.id,
            label: if m.cargo.is_empty() {
                format!("{} {}", p.honorific, p.full_name)
            } else {
                format!("{} {} — {}", p.honorific, p.full_name, m.cargo)
            },
            present: present.contains(&m.id),
        })
        .collect();
    let earlier_sessions = abierto_app::sessions::sessions(&state.app, Some(session.body))
        .await?
        .into_iter()
        .filter(|s| s.held_on < session.held_on)
        .map(|s| SessionOption {
            id: s.id,
            label: format!("{} — {}", s.title_es(), s.held_on.format("%Y-%m-%d")),
        })
        .collect();
    let mut rows: Vec<AgendaRow> = view
        .record
        .agenda
        .iter()
        .map(|item| AgendaRow {
            index: item.position as usize,
            kind: item.kind.key().to_owned(),
            title: item.title.clone(),
            presenter: item.presenter,
            minutes_of: item.minutes_of,
            annex_note: item.annex_note.clone(),
            narrative: item.narrative.clone(),
        })
        .collect();
    // Room for a whole new agenda, or for a few more items.
    let empty_rows = if rows.is_empty() { 8 } else { 3 };
    for extra in 0..empty_rows {
        rows.push(AgendaRow {
            index: view.record.agenda.len() + extra + 1,
            kind: String::new(),
            title: String::new(),
            presenter: None,
            minutes_of: None,
            annex_note: String::new(),
            narrative: String::new(),
        });
    }
    let items = view
        .record
        .agenda
        .iter()
        .map(|item| ItemPanel {
            position: item.position,
            numeral: roman(item.position),
            title: item.title.clone(),
            voted: item.kind.is_voted(),
            vote: view
                .record
                .votes
                .iter()
                .find(|v| v.item == item.id)
                .map(|v| match v.result.count {
                    Some(c) => format!("{} / {} / {}", c.in_favour, c.against, c.abstentions),
                    None => String::new(),
                }),
            motions: view
                .record
                .motions
                .iter()
                .filter(|m| m.item == item.id)
                .map(|m| m.text.clone())
                .collect(),
            annexes: view
                .annexes
                .iter()
                .filter(|a| a.item == item.id)
                .map(|a| (a.id, a.filename.clone()))
                .collect(),
        })
        .collect();
    let names: std::collections::HashMap<MembershipId, String> = view
        .active_members()
        .into_iter()
        .map(|(m, p)| (m.id, p.full_name.clone()))
        .collect();
    let notices = abierto_app::sessions::notices(&state.app, &ctx.actor, Some(id))
        .await?
        .into_iter()
        .map(|n| NoticeRow {
            recipient: n.recipient.unwrap_or_default(),
            member: names.get(&n.membership).cloned().unwrap_or_default(),
            status_key: format!("notice.{}", n.status.key()),
        })
        .collect();
    let status = view.minutes_status();
    let proposals = abierto_app::sessions::pending_proposals(&state.app, &ctx.actor, session.body)
        .await?
        .into_iter()
        .map(|p| (p.id.get(), p.title))
        .collect();
    Ok(ManagePage {
        proposals,
        title: view.title(),
        body_name: view.body.name.clone(),
        date: abierto_domain::dates::long_date_es(session.held_on),
        editable: status
            .after(abierto_domain::minutes::MinutesAction::Edit)
            .is_ok(),
        minutes_status_key: format!("minutes_status.{}", status.key()),
        kinds: AgendaItemKind::ALL
            .into_iter()
            .map(|k| KindOption {
                key: k.key(),
                label_key: format!("agenda_kind.{}", k.key()),
            })
            .collect(),
        started_at: session.started_at.clone().unwrap_or_default(),
        ended_at: session.ended_at.clone().unwrap_or_default(),
        quorum: view.quorum,
        members,
        earlier_sessions,
        rows,
        items,
        notices,
        id,
        error_key,
        notice_key: notice_key
            .filter(|k| NOTICES.contains(&k.as_str()))
            .map(|k| format!("manage.done_{k}")),
        accepted: abierto_domain::annexes::accepted_extensions()
            .iter()
            .map(|e| format!(".{e}"))
            .collect::<Vec<_>>()
            .join(","),
        ctx,
    })
}

async fn manage(
    State(state): State<AppState>,
    _keeper: SessionKeeper,
    ctx: PageContext,
    IdPath(id): IdPath<SessionId>,
    Query(done): Query<DoneQuery>,
) -> Result<Response, AppError> {
    render(&manage_page(&state, ctx, id, None, done.hecho).await?)
}

/// Redirects back with a notice, or shows the page again with the refusal's message.
async fn after(
    state: &AppState,
    ctx: PageContext,
    id: SessionId,
    done: &str,
    result: Result<(), impl Into<AppError>>,
) -> Result<Response, AppError> {
    match result.map_err(Into::into) {
        Ok(()) => Ok(Redirect::to(&format!("/sesiones/{id}/gestion?hecho={done}")).into_response()),
        Err(err) if is_refusal(&err) => {
            let status = err.status();
            let page = manage_page(state, ctx, id, Some(err.report().message_key), None).await?;
            Ok((status, render(&page)?).into_response())
        }
        Err(err) => Err(err),
    }
}

// --- Record forms -------------------------------------------------------------------------

async fn set_agenda(
    State(state): State<AppState>,
    SessionKeeper(viewer): SessionKeeper,
    ctx: PageContext,
    IdPath(id): IdPath<SessionId>,
    body: Bytes,
) -> Result<Response, AppError> {
    let fields = FormFields::parse(&body);
    let column = |name: &str| fields.column(name);
    let (kinds, titles) = (column("kind"), column("title"));
    let (presenters, minutes_of) = (column("presenter"), column("minutes_of"));
    let (annex_notes, narratives) = (column("annex_note"), column("narrative"));
    // Rows left without a title are the empty rows offered for new items.
    let items: Vec<AgendaItemRequest> = (0..titles.len())
        .filter(|&i| !titles[i].trim().is_empty())
        .map(|i| AgendaItemRequest {
            kind: cell(&kinds, i),
            title: cell(&titles, i),
            presenter: cell(&presenters, i).parse().ok(),
            minutes_of: cell(&minutes_of, i).parse().ok(),
            narrative: cell(&narratives, i),
            annex_note: cell(&annex_notes, i),
        })
        .collect();
    let result = record::set_agenda(&state.app, viewer.actor(), id, &items).await;
    after(&state, ctx, id, "agenda", result).await
}

/// Puts an item proposed for the body's next session (a void call's results) on this
/// session's agenda, before its closing item.
async fn take_proposal(
    State(state): State<AppState>,
    SessionKeeper(viewer): SessionKeeper,
    ctx: PageContext,
    IdPath(id): IdPath<SessionId>,
    body: Bytes,
) -> Result<Response, AppError> {
    let fields = FormFields::parse(&body);
    let result = match fields.field("proposal").trim().parse() {
        Ok(proposal) => {
            abierto_app::sessions::take_proposal(&state.app, viewer.actor(), proposal, id)
                .await
                .map_err(AppError::from)
        }
        Err(_) => Err(AppError::NotFound),
    };
    after(&state, ctx, id, "proposal", result).await
}

async fn set_attendance(
    State(state): State<AppState>,
    SessionKeeper(viewer): SessionKeeper,
    ctx: PageContext,
    IdPath(id): IdPath<SessionId>,
    body: Bytes,
) -> Result<Response, AppError> {
    let present: Vec<MembershipId> = FormFields::parse(&body)
        .column("present")
        .iter()
        .filter_map(|v| v.parse().ok())
        .collect();
    let result = record::record_attendance(&state.app, viewer.actor(), id, &present).await;
    after(&state, ctx, id, "attendance", result).await
}

async fn set_times(
    State(state): State<AppState>,
    SessionKeeper(viewer): SessionKeeper,
    ctx: PageContext,
    IdPath(id): IdPath<SessionId>,
    body: Bytes,
) -> Result<Response, AppError> {
    let fields = FormFields::parse(&body);
    let ended_at = fields.field("ended_at");
    let result = record::record_times(
        &state.app,
        viewer.actor(),
        id,
        fields.field("started_at"),
        Some(ended_at),
    )
    .await;
    after(&state, ctx, id, "times", result).await
}

async fn set_vote(
    State(state): State<AppState>,
    SessionKeeper(viewer): SessionKeeper,
    ctx: PageContext,
    ItemPath(id, position): ItemPath,
    body: Bytes,
) -> Result<Response, AppError> {
    let fields = FormFields::parse(&body);
    let number = |name: &str| fields.field(name).trim().parse::<i64>();
    let result = match (
        number("in_favour"),
        number("against"),
        number("abstentions"),
    ) {
        (Ok(in_favour), Ok(against), Ok(abstentions)) => {
            let count = VoteCount {
                in_favour,
                against,
                abstentions,
            };
            let reporter = fields.field("reported_by").parse().ok();
            record::record_vote(
                &state.app,
                viewer.actor(),
                id,
                position,
                VoteInput::Counts(count),
                reporter,
            )
            .await
        }
        _ => Err(abierto_domain::ValidationError::new("votes", ErrorCode::InvalidVoteCount).into()),
    };
    after(&state, ctx, id, "vote", result).await
}

async fn add_motion(
    State(state): State<AppState>,
    SessionKeeper(viewer): SessionKeeper,
    ctx: PageContext,
    ItemPath(id, position): ItemPath,
    body: Bytes,
) -> Result<Response, AppError> {
    let fields = FormFields::parse(&body);
    let result = record::record_motion(
        &state.app,
        viewer.actor(),
        id,
        position,
        fields.field("proposer").parse().ok(),
        fields.field("text"),
        fields.field("outcome"),
    )
    .await;
    after(&state, ctx, id, "motion", result).await
}

async fn add_annex(
    State(state): State<AppState>,
    SessionKeeper(viewer): SessionKeeper,
    ctx: PageContext,
    ItemPath(id, position): ItemPath,
    multipart: Multipart,
) -> Result<Response, AppError> {
    let result = match crate::multipart_form::read_file_field(multipart).await {
        Ok((filename, content)) => {
            let upload = FileUpload {
                filename: &filename,
                content: &content,
            };
            record::add_annex(&state.app, viewer.actor(), id, position, &upload)
                .await
                .map(|_| ())
                .map_err(AppError::from)
        }
        Err(err) => Err(err),
    };
    after(&state, ctx, id, "annex", result).await
}

async fn send_notices(
    State(state): State<AppState>,
    SessionKeeper(viewer): SessionKeeper,
    ctx: PageContext,
    IdPath(id): IdPath<SessionId>,
) -> Result<Response, AppError> {
    let result = send_convocation(&state.app, viewer.actor(), id)
        .await
        .map(|_| ());
    after(&state, ctx, id, "convocation", result).await
}

// --- The acta -----------------------------------------------------------------------------

/// A member present signs from the session's page, and returns there.
async fn sign(
    State(state): State<AppState>,
    viewer: Viewer,
    IdPath(id): IdPath<SessionId>,
) -> Result<Response, AppError> {
    match minutes::sign(&state.app, viewer.actor(), id)
        .await
        .map_err(AppError::from)
    {
        Ok(()) => Ok(Redirect::to(&format!("/sesiones/{id}?firmada=1")).into_response()),
        Err(err) if is_refusal(&err) => Ok(Redirect::to(&format!(
            "/sesiones/{id}?error={}",
            err.report().code
        ))
        .into_response()),
        Err(err) => Err(err),
    }
}

async fn publish(
    State(state): State<AppState>,
    SessionKeeper(viewer): SessionKeeper,
    ctx: PageContext,
    IdPath(id): IdPath<SessionId>,
) -> Result<Response, AppError> {
    let result = minutes::publish(&state.app, viewer.actor(), id).await;
    after(&state, ctx, id, "published", result).await
}

async fn correct(
    State(state): State<AppState>,
    SessionKeeper(viewer): SessionKeeper,
    ctx: PageContext,
    IdPath(id): IdPath<SessionId>,
) -> Result<Response, AppError> {
    let result = minutes::correct(&state.app, viewer.actor(), id)
        .await
        .map_err(AppError::from);
    after(&state, ctx, id, "corrected", result).await
}

// --- The outbox ---------------------------------------------------------------------------

struct OutboxRow {
    session: SessionId,
    created: String,
    recipient: String,
    subject: String,
    body: String,
    status_key: String,
}

#[derive(Template)]
#[template(path = "outbox.html")]
struct OutboxPage {
    ctx: PageContext,
    rows: Vec<OutboxRow>,
}

async fn outbox(
    State(state): State<AppState>,
    _keeper: SessionKeeper,
    ctx: PageContext,
) -> Result<Response, AppError> {
    let rows = abierto_app::sessions::notices(&state.app, &ctx.actor, None)
        .await?
        .into_iter()
        .map(|n| OutboxRow {
            session: n.session,
            created: n.created_at.format("%Y-%m-%d %H:%M").to_string(),
            recipient: n.recipient.unwrap_or_default(),
            subject: n.subject,
            body: n.body,
            status_key: format!("notice.{}", n.status.key()),
        })
        .collect();
    render(&OutboxPage { ctx, rows })
}
