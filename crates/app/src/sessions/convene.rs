//! Convening a session and sending its convocation: one notice per member, e-mailed with the
//! session as an iCalendar invitation when a mail relay is configured, and kept in the outbox
//! for the secretariat in any case.

use abierto_documents::calendar::{calendar, CalendarPlace, SessionEvent};
use abierto_domain::account::Role;
use abierto_domain::dates::{long_date_es, parse_date};
use abierto_domain::ids::{BodyId, SessionId};
use abierto_domain::sessions::{
    check_convocation_ahead, parse_time, roman, AgendaItem, SessionKind,
};
use abierto_domain::ErrorCode;
use abierto_domain::ValidationError;
use abierto_store::{NewNotice, NewSession, NoticeStatus};
use serde::Deserialize;

use super::record::{prepare_agenda, AgendaItemRequest};
use crate::sessions::SessionView;
use crate::{Actor, App, Error};

/// What the convocation form and `POST /api/v1/sessions` submit.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConveneRequest {
    pub body: BodyId,
    /// `ordinary` or `extraordinary`.
    pub kind: String,
    /// `2024-09-13`.
    pub held_on: String,
    /// `13:00`.
    pub scheduled_time: String,
    pub place: String,
    /// Articles the acta cites as the session's legal basis.
    #[serde(default)]
    pub legal_basis: String,
    /// Omit to number the session after the last of its kind in the body and year.
    #[serde(default)]
    pub number: Option<i64>,
    /// A session known by its own name rather than its number, such as the Cabildo Abierto
    /// Juvenil's "Sesión de Abanderamiento"; empty for a numbered session.
    #[serde(default)]
    pub name: String,
    /// The orden del día; it may also be set later.
    #[serde(default)]
    pub agenda: Vec<AgendaItemRequest>,
}

pub async fn convene(
    app: &App,
    actor: &Actor,
    request: &ConveneRequest,
) -> Result<SessionId, Error> {
    actor.require(Role::can_keep_sessions)?;
    let new = check_convene(app, request).await?;
    Ok(app.store().create_session(&actor.audit(), &new).await?)
}

/// Convenes a session with its agenda, checked before anything is stored so that a bad agenda
/// leaves no session behind.
pub async fn convene_with_agenda(
    app: &App,
    actor: &Actor,
    request: &ConveneRequest,
    agenda: &[AgendaItemRequest],
) -> Result<SessionId, Error> {
    actor.require(Role::can_keep_sessions)?;
    let new = check_convene(app, request).await?;
    let agenda = match agenda.is_empty() {
        true => Vec::new(),
        false => prepare_agenda(app, &provisional(&new), agenda).await?,
    };
    let id = app.store().create_session(&actor.audit(), &new).await?;
    if !agenda.is_empty() {
        app.store().set_agenda(&actor.audit(), id, &agenda).await?;
    }
    Ok(id)
}

/// Checks what a convocation submits and resolves it, without storing anything.
pub async fn check_convene(app: &App, request: &ConveneRequest) -> Result<NewSession, Error> {
    let kind = SessionKind::parse(request.kind.trim())?;
    let held_on = parse_date(&request.held_on)
        .map_err(|_| ValidationError::new("held_on", ErrorCode::InvalidDate))?;
    parse_time(&request.scheduled_time)
        .map_err(|_| ValidationError::new("scheduled_time", ErrorCode::InvalidTime))?;
    let place = request.place.trim();
    if place.is_empty() {
        return Err(ValidationError::new("place", ErrorCode::PlaceRequired).into());
    }
    if request.name.trim().chars().count() > 200 {
        return Err(ValidationError::new("name", ErrorCode::TextTooLong).into());
    }
    if request.number.is_some_and(|n| n < 1) {
        return Err(ValidationError::new("number", ErrorCode::InvalidNumber).into());
    }
    let body = match app.store().body(request.body).await {
        Err(abierto_store::StoreError::NotFound) => {
            return Err(ValidationError::new("body", ErrorCode::UnknownBody).into())
        }
        other => other?,
    };
    if !body.period.contains(held_on) {
        return Err(ValidationError::new("held_on", ErrorCode::SessionOutsidePeriod).into());
    }
    Ok(NewSession {
        body: body.id,
        kind,
        number: request.number,
        held_on,
        scheduled_time: request.scheduled_time.trim().to_owned(),
        place: place.to_owned(),
        legal_basis: request.legal_basis.trim().to_owned(),
        name: request.name.trim().to_owned(),
    })
}

/// The session `new` would be, before it is stored (its id and number are not known yet).
pub fn provisional(new: &NewSession) -> abierto_domain::sessions::Session {
    abierto_domain::sessions::Session {
        id: SessionId::new(0),
        body: new.body,
        kind: new.kind,
        number: new.number.unwrap_or(0),
        held_on: new.held_on,
        scheduled_time: new.scheduled_time.clone(),
        place: new.place.clone(),
        legal_basis: new.legal_basis.clone(),
        started_at: None,
        ended_at: None,
        name: new.name.clone(),
    }
}

/// What sending a convocation did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct ConvocationSent {
    /// Notices written, one per member active on the session's date.
    pub notices: usize,
    /// Of those, sent by e-mail; the rest wait in the outbox.
    pub emailed: usize,
}

/// Writes one notice per member active on the session's date and keeps them in the outbox;
/// with a mail relay, e-mails those who have an address, the invitation attached.
pub async fn send_convocation(
    app: &App,
    actor: &Actor,
    session: SessionId,
) -> Result<ConvocationSent, Error> {
    actor.require(Role::can_keep_sessions)?;
    let view = SessionView::load(app, session).await?;
    if view.record.agenda.is_empty() {
        return Err(ValidationError::new("agenda", ErrorCode::ConvocationWithoutAgenda).into());
    }
    let zone = crate::governance::time_zone(app).await?;
    let now = app.clock().now().with_timezone(&zone).naive_local();
    let session_record = &view.record.session;
    check_convocation_ahead(session_record.held_on, &session_record.scheduled_time, now)?;
    let emails = app.store().person_emails().await?;
    let subject = format!("Convocatoria a la {} del {}", view.title(), view.body.name);
    let body = convocation_text(&view, zone.name());
    let notices: Vec<NewNotice> = view
        .active_members()
        .into_iter()
        .map(|(membership, person)| NewNotice {
            membership: membership.id,
            recipient: emails
                .iter()
                .find(|(p, _)| *p == person.id)
                .map(|(_, e)| e.clone()),
            subject: subject.clone(),
            body: format!(
                "{} {}:\n\n{body}",
                if person.gender == abierto_domain::governance::Gender::Feminine {
                    "Estimada"
                } else {
                    "Estimado"
                },
                person.full_name
            ),
        })
        .collect();
    let ids = app
        .store()
        .queue_notices(&actor.audit(), session, &notices, app.clock().now())
        .await?;
    let mut emailed = 0;
    if let Some(mailer) = app.mailer() {
        let invitation = invitation_of(app, &view, zone.name());
        for (id, notice) in ids.iter().zip(&notices) {
            let Some(to) = &notice.recipient else {
                continue;
            };
            let outcome = mailer
                .send_with_invitation(to, &notice.subject, &notice.body, &invitation)
                .await;
            let (status, error) = match outcome {
                Ok(()) => {
                    emailed += 1;
                    (NoticeStatus::Sent, String::new())
                }
                Err(error) => {
                    tracing::warn!(notice = %id, %error, "convocation e-mail failed");
                    (NoticeStatus::Failed, error)
                }
            };
            app.store()
                .mark_notice(&actor.audit(), *id, status, app.clock().now(), &error)
                .await?;
        }
    }
    Ok(ConvocationSent {
        notices: notices.len(),
        emailed,
    })
}

fn convocation_text(view: &SessionView, time_zone: &str) -> String {
    let session = &view.record.session;
    let mut text = format!(
        "Se le convoca a la {} del {}, que se celebrará el {} a las {} horas en {}.\n\nORDEN DEL DÍA\n",
        view.title(),
        view.body.name,
        long_date_es(session.held_on),
        session.scheduled_time,
        session.place
    );
    for item in &view.record.agenda {
        text.push_str(&format!("{}. {}\n", roman(item.position), item.title));
    }
    text.push_str(&format!(
        "\nLa invitación de calendario (zona horaria {time_zone}) va adjunta cuando este aviso llega por correo, y puede descargarse en la página pública de la sesión.\n"
    ));
    text
}

/// One session's invitation, as the convocation attaches it and its page offers it.
pub async fn invitation(app: &App, session: SessionId) -> Result<String, Error> {
    let view = SessionView::load(app, session).await?;
    let zone = crate::governance::time_zone(app).await?;
    Ok(invitation_of(app, &view, zone.name()))
}

fn invitation_of(app: &App, view: &SessionView, time_zone: &str) -> String {
    let event = SessionEvent {
        session: &view.record.session,
        body_short_name: &view.body.short_name,
        agenda: &view.record.agenda,
    };
    let place = CalendarPlace {
        time_zone,
        host: &app.settings().site_host,
    };
    calendar(None, &[event], &place)
}

/// Every session in one calendar named `name`, for the public feed.
pub async fn calendar_feed(app: &App, name: &str) -> Result<String, Error> {
    let store = app.store();
    let zone = crate::governance::time_zone(app).await?;
    let bodies = store.bodies().await?;
    // Three queries for the whole feed, whatever the number of sessions.
    let agendas = store.all_agenda_items().await?;
    let sessions = store.sessions(None).await?;
    let agenda_of: Vec<Vec<AgendaItem>> = sessions
        .iter()
        .map(|s| {
            agendas
                .iter()
                .filter(|i| i.session == s.id)
                .cloned()
                .collect()
        })
        .collect();
    let events: Vec<SessionEvent<'_>> = sessions
        .iter()
        .zip(&agenda_of)
        .map(|(session, agenda)| SessionEvent {
            session,
            body_short_name: bodies
                .iter()
                .find(|b| b.id == session.body)
                .map(|b| b.short_name.as_str())
                .unwrap_or_default(),
            agenda,
        })
        .collect();
    let place = CalendarPlace {
        time_zone: zone.name(),
        host: &app.settings().site_host,
    };
    Ok(calendar(Some(name), &events, &place))
}
