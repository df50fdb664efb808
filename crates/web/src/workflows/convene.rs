//! Convening a session and sending its convocation: one notice per member, e-mailed with the
//! session as an iCalendar invitation when a mail relay is configured, and kept in the outbox
//! for the secretariat in any case.

use abierto_domain::ids::{BodyId, SessionId};
use abierto_domain::sessions::{
    long_date_es, parse_date, parse_time, roman, AgendaItem, Session, SessionKind,
};
use abierto_domain::ValidationError;
use abierto_store::{Actor, NewNotice, NewSession, NoticeStatus, Store};
use chrono::{NaiveDateTime, Utc};
use icalendar::{CalendarDateTime, Component, Event, EventLike};
use serde::Deserialize;

use crate::mailer::Mailer;
use crate::session_view::SessionView;
use crate::AppError;

/// What the convocation form and `POST /api/v1/sessions` submit.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
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
}

pub async fn convene(
    store: &Store,
    actor: &Actor,
    request: &ConveneRequest,
) -> Result<SessionId, AppError> {
    let new = check_convene(store, request).await?;
    Ok(store.create_session(actor, &new).await?)
}

/// Checks what a convocation submits and resolves it, without storing anything.
pub async fn check_convene(
    store: &Store,
    request: &ConveneRequest,
) -> Result<NewSession, AppError> {
    let kind = SessionKind::parse(request.kind.trim())?;
    let held_on = parse_date(&request.held_on)
        .map_err(|_| ValidationError::new("held_on", "invalid_date"))?;
    parse_time(&request.scheduled_time)
        .map_err(|_| ValidationError::new("scheduled_time", "invalid_time"))?;
    let place = request.place.trim();
    if place.is_empty() {
        return Err(ValidationError::new("place", "place_required").into());
    }
    if request.name.trim().chars().count() > 200 {
        return Err(ValidationError::new("name", "text_too_long").into());
    }
    if request.number.is_some_and(|n| n < 1) {
        return Err(ValidationError::new("number", "invalid_number").into());
    }
    let body = match store.body(request.body).await {
        Err(abierto_store::StoreError::NotFound) => {
            return Err(ValidationError::new("body", "unknown_body").into())
        }
        other => other?,
    };
    if !body.period.contains(held_on) {
        return Err(ValidationError::new("held_on", "session_outside_period").into());
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

/// How convocation notices leave: the municipality's time zone and host for the invitation,
/// and the mail relay when there is one.
pub struct Delivery<'a> {
    pub time_zone: &'a str,
    pub site_host: &'a str,
    pub mailer: Option<&'a Mailer>,
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
    store: &Store,
    actor: &Actor,
    session: SessionId,
    delivery: &Delivery<'_>,
) -> Result<ConvocationSent, AppError> {
    let view = SessionView::load(store, session).await?;
    if view.record.agenda.is_empty() {
        return Err(ValidationError::new("agenda", "convocation_without_agenda").into());
    }
    let emails = store.person_emails().await?;
    let subject = format!("Convocatoria a la {} del {}", view.title(), view.body.name);
    let body = convocation_text(&view, delivery.time_zone);
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
    let ids = store
        .queue_notices(actor, session, &notices, Utc::now())
        .await?;
    let mut emailed = 0;
    if let Some(mailer) = delivery.mailer {
        let mut calendar = icalendar::Calendar::new();
        calendar.push(session_event(
            &view.record.session,
            &view.body.short_name,
            &view.record.agenda,
            delivery.time_zone,
            delivery.site_host,
        ));
        let invitation = calendar.done().to_string();
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
            store.mark_notice(*id, status, Utc::now(), &error).await?;
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

/// The session as an iCalendar event, in the municipality's time zone; two hours long
/// unless its end was recorded.
pub fn session_event(
    session: &Session,
    body_short_name: &str,
    agenda: &[AgendaItem],
    time_zone: &str,
    host: &str,
) -> Event {
    let at = |time: &str| -> Option<NaiveDateTime> {
        parse_time(time).ok().map(|t| session.held_on.and_time(t))
    };
    let mut event = Event::new();
    event
        .uid(&format!("sesion-{}@{host}", session.id))
        .summary(&format!("{} — {body_short_name}", session.title_es()))
        .location(&session.place)
        .description(
            &agenda
                .iter()
                .map(|i| format!("{}. {}", roman(i.position), i.title))
                .collect::<Vec<_>>()
                .join("\n"),
        );
    let start = session
        .started_at
        .as_deref()
        .and_then(at)
        .or_else(|| at(&session.scheduled_time));
    if let Some(start) = start {
        let end = session
            .ended_at
            .as_deref()
            .and_then(at)
            .unwrap_or(start + chrono::Duration::hours(2));
        let local = |date_time| CalendarDateTime::WithTimezone {
            date_time,
            tzid: time_zone.to_owned(),
        };
        event.starts(local(start)).ends(local(end));
    } else {
        event.all_day(session.held_on);
    }
    event.done()
}
