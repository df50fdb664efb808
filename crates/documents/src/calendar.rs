//! Sessions as iCalendar (RFC 5545) events, in the municipality's time zone: the invitation
//! attached to a convocation and the public feed of every session.

use abierto_domain::sessions::{parse_time, roman, AgendaItem, Session};
use chrono::NaiveDateTime;
use icalendar::{Calendar, CalendarDateTime, Component, Event, EventLike};

/// A session as the calendar shows it.
pub struct SessionEvent<'a> {
    pub session: &'a Session,
    /// The body's short name, after the session's title in the summary.
    pub body_short_name: &'a str,
    pub agenda: &'a [AgendaItem],
}

/// Where the events are read and named: the IANA zone of their times, and the host that
/// makes their UIDs unique.
pub struct CalendarPlace<'a> {
    pub time_zone: &'a str,
    pub host: &'a str,
}

/// A calendar of `events`, named `name` when given.
pub fn calendar(
    name: Option<&str>,
    events: &[SessionEvent<'_>],
    place: &CalendarPlace<'_>,
) -> String {
    let mut calendar = Calendar::new();
    if let Some(name) = name {
        calendar.name(name);
    }
    for event in events {
        calendar.push(session_event(event, place));
    }
    calendar.done().to_string()
}

/// The session as an event, two hours long unless its end was recorded; a session with no
/// time known is an all-day event.
fn session_event(event: &SessionEvent<'_>, place: &CalendarPlace<'_>) -> Event {
    let session = event.session;
    let at = |time: &str| -> Option<NaiveDateTime> {
        parse_time(time).ok().map(|t| session.held_on.and_time(t))
    };
    let mut out = Event::new();
    out.uid(&format!("sesion-{}@{}", session.id, place.host))
        .summary(&format!(
            "{} — {}",
            session.title_es(),
            event.body_short_name
        ))
        .location(&session.place)
        .description(
            &event
                .agenda
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
            tzid: place.time_zone.to_owned(),
        };
        out.starts(local(start)).ends(local(end));
    } else {
        out.all_day(session.held_on);
    }
    out.done()
}
