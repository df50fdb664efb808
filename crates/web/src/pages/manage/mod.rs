//! The secretariat's forms for a session, all usable without JavaScript: convene it, set its
//! agenda, take attendance, record times, votes, motions and annexes, send the convocation,
//! and publish or correct its acta. Members sign the acta from the session's page.
//!
//! Every form posts to its own route; success redirects back (303) with a notice, and a
//! refused value re-renders the page with the Spanish message and the 422/409 status.

mod acta;
mod convene;
mod outbox;
mod record_forms;

use crate::csrf::GuardedRouter;
use abierto_app::sessions::SessionView;
use abierto_domain::ids::{MembershipId, SessionId};
use abierto_domain::sessions::{roman, AgendaItemKind};
use askama::Template;
use axum::extract::{DefaultBodyLimit, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;

use crate::auth::SessionKeeper;
use crate::id_path::IdPath;
use crate::page::PageContext;
use crate::pages::form::is_refusal;
use crate::pages::render;
use crate::{AppError, AppState};

use acta::{correct, publish, sign};
use convene::{create_session, new_session};
use outbox::outbox;
use record_forms::{
    add_annex, add_motion, send_notices, set_agenda, set_attendance, set_times, set_vote,
    take_proposal,
};

pub fn router(annex_limit: usize) -> GuardedRouter {
    GuardedRouter::new()
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

// --- The management page ----------------------------------------------------------------

pub(super) struct MemberOption {
    id: MembershipId,
    label: String,
    present: bool,
}

pub(super) struct KindOption {
    key: &'static str,
    label_key: String,
}

pub(super) struct SessionOption {
    id: SessionId,
    label: String,
}

/// One row of the agenda form: an existing item or an empty one to add.
pub(super) struct AgendaRow {
    index: usize,
    kind: String,
    title: String,
    presenter: Option<MembershipId>,
    minutes_of: Option<SessionId>,
    annex_note: String,
    narrative: String,
}

impl ItemPanel {
    fn reported_by_is(&self, id: &MembershipId) -> bool {
        self.reported_by == Some(*id)
    }
}

impl AgendaRow {
    fn is_presenter(&self, id: &MembershipId) -> bool {
        self.presenter == Some(*id)
    }

    fn approves(&self, id: &SessionId) -> bool {
        self.minutes_of == Some(*id)
    }
}

pub(super) struct ItemPanel {
    position: i64,
    numeral: String,
    title: String,
    voted: bool,
    vote: Option<String>,
    /// Whether `vote` is a count (historical minutes may give only the result).
    vote_counted: bool,
    /// The stored count (in favour, against, abstentions), to fill the vote form with.
    count: (i64, i64, i64),
    reported_by: Option<MembershipId>,
    motions: Vec<String>,
    annexes: Vec<(abierto_domain::ids::AnnexId, String)>,
}

pub(super) struct NoticeRow {
    recipient: String,
    member: String,
    status_key: String,
}

#[derive(Template)]
#[template(path = "session_manage.html")]
pub(super) struct ManagePage {
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
pub(super) struct DoneQuery {
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

pub(super) async fn manage_page(
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
    // Any earlier session of the body may have its acta approved here; one an item already
    // approves stays an option whatever its date, so saving the agenda keeps it.
    let approved_here: Vec<SessionId> = view
        .record
        .agenda
        .iter()
        .filter_map(|i| i.minutes_of)
        .collect();
    let earlier_sessions = abierto_app::sessions::sessions(&state.app, Some(session.body))
        .await?
        .into_iter()
        .filter(|s| {
            (s.held_on < session.held_on && s.id != session.id) || approved_here.contains(&s.id)
        })
        .map(|s| SessionOption {
            id: s.id,
            label: format!("{} — {}", s.title_es(), ctx.date(s.held_on)),
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
        .map(|item| {
            let vote = view.record.votes.iter().find(|v| v.item == item.id);
            let count = vote.and_then(|v| v.result.count);
            ItemPanel {
                position: item.position,
                numeral: roman(item.position),
                title: item.title.clone(),
                voted: item.kind.is_voted(),
                vote: vote.map(|v| match v.result.count {
                    Some(c) => format!("{} / {} / {}", c.in_favour, c.against, c.abstentions),
                    None => ctx.t_in("vote", v.result.outcome.key()),
                }),
                vote_counted: count.is_some(),
                count: count.map_or((0, 0, 0), |c| (c.in_favour, c.against, c.abstentions)),
                reported_by: vote.and_then(|v| v.reported_by),
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
            }
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
        date: ctx.date(session.held_on),
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

pub(super) async fn manage(
    State(state): State<AppState>,
    _keeper: SessionKeeper,
    ctx: PageContext,
    IdPath(id): IdPath<SessionId>,
    Query(done): Query<DoneQuery>,
) -> Result<Response, AppError> {
    render(&manage_page(&state, ctx, id, None, done.hecho).await?)
}

/// Redirects back with a notice, or shows the page again with the refusal's message.
pub(super) async fn after(
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
