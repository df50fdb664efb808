//! The demo's calls: the 2024 call for ideas as the records tell it — approved in a session,
//! published, closed with nobody answering, void, its results reported in a later session —
//! and one call open from the moment the demo is loaded, so that a newcomer can try the form.

use std::collections::HashMap;

use abierto_app::past_record::{self, calls::NewCall};
use abierto_app::{Actor, App};
use abierto_domain::calls::{CallKind, Eligibility, Window};
use abierto_domain::ids::{AgendaItemId, BodyId, SessionId};
use abierto_domain::local_time::{local_to_utc, parse_zone};
use anyhow::{anyhow, Context};
use chrono::{Duration, Utc};
use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CallEntry {
    pub kind: String,
    pub body: String,
    pub title: String,
    pub text: String,
    #[serde(default)]
    pub requirements: String,
    /// The municipality's local time, `2024-08-19T09:00`; or `open_days` instead.
    pub opens_at: Option<String>,
    pub closes_at: Option<String>,
    /// For a call open when the demo is loaded: opened a day before, open this many days.
    pub open_days: Option<i64>,
    pub min_age: Option<u32>,
    pub max_age: Option<u32>,
    /// The agenda item whose vote approved the call.
    pub approved_by: ItemRef,
    /// For a void call: the agenda item of a later session that reported its results.
    pub results_reported_in: Option<ItemRef>,
}

/// An agenda item: its session's key and its position (IV = 4).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ItemRef {
    pub session: String,
    pub position: i64,
}

async fn item(
    app: &App,
    sessions: &HashMap<String, SessionId>,
    at: &ItemRef,
) -> anyhow::Result<AgendaItemId> {
    let session = sessions
        .get(&at.session)
        .ok_or_else(|| anyhow!("no hay una sesión «{}»", at.session))?;
    abierto_app::sessions::view(app, *session)
        .await?
        .record
        .agenda
        .iter()
        .find(|i| i.position == at.position)
        .map(|i| i.id)
        .ok_or_else(|| {
            anyhow!(
                "la sesión «{}» no tiene el punto {}",
                at.session,
                at.position
            )
        })
}

pub async fn load(
    app: &App,
    entries: &[CallEntry],
    bodies: &HashMap<String, BodyId>,
    sessions: &HashMap<String, SessionId>,
    time_zone: &str,
) -> anyhow::Result<()> {
    let actor = Actor::system();
    let zone = parse_zone(time_zone).context("municipality.time_zone")?;
    for c in entries {
        let context = || format!("convocatoria «{}»", c.title);
        let now = Utc::now();
        let window = match (&c.opens_at, &c.closes_at, c.open_days) {
            (Some(opens), Some(closes), None) => Window::new(
                local_to_utc("opens_at", opens, zone).with_context(context)?,
                local_to_utc("closes_at", closes, zone).with_context(context)?,
            ),
            (None, None, Some(days)) => {
                Window::new(now - Duration::days(1), now + Duration::days(days))
            }
            _ => return Err(anyhow!("{}: fechas fijas u open_days, no ambas", context())),
        }
        .with_context(context)?;
        let eligibility = match (c.min_age, c.max_age) {
            (Some(min), Some(max)) => Some(Eligibility::new(min, max).with_context(context)?),
            _ => None,
        };
        let new = NewCall {
            kind: CallKind::parse(&c.kind).with_context(context)?,
            title: c.title.clone(),
            text: c.text.clone(),
            requirements: c.requirements.clone(),
            body: *bodies
                .get(&c.body)
                .ok_or_else(|| anyhow!("{}: no hay un órgano «{}»", context(), c.body))?,
            window,
            eligibility,
        };
        let written = window.opens_at.min(now);
        let id = past_record::calls::create_call(app, &actor, &new, written)
            .await
            .with_context(context)?;
        let approving = item(app, sessions, &c.approved_by)
            .await
            .with_context(context)?;
        past_record::calls::publish_call(app, &actor, id, approving, written)
            .await
            .with_context(context)?;
        if let Some(reported) = &c.results_reported_in {
            // Settled at its own close, as the server would have done then.
            past_record::calls::close_calls_due_by(app, &actor, window.closes_at).await?;
            let proposal = abierto_app::sessions::pending_proposals(app, &actor, new.body)
                .await?
                .into_iter()
                .find(|p| p.call == Some(id))
                .ok_or_else(|| anyhow!("{}: cerró con postulaciones, no desierta", context()))?;
            let reported = item(app, sessions, reported).await.with_context(context)?;
            past_record::calls::take_agenda_proposal(app, &actor, proposal.id, reported)
                .await
                .with_context(context)?;
        }
    }
    Ok(())
}
