//! The demo's sessions: convened, with their agenda, attendance, times, votes and motions, as
//! the historical records give them (slips included, so that findings can show them).

use std::collections::HashMap;

use abierto_app::past_record::{
    self,
    sessions::{NewAgendaItem, NewAmendment, NewMotion, NewSession, SheetEntry},
};
use abierto_app::sessions::minutes::frozen_minutes;
use abierto_app::FileUpload;
use abierto_app::{Actor, App};
use abierto_domain::bylaws::ArticleChange;
use abierto_domain::dates::parse_date;
use abierto_domain::governance::{Membership, Person};
use abierto_domain::ids::{BodyId, MembershipId, PersonId, SessionId};
use abierto_domain::sessions::{
    parse_time, AgendaItemKind, Attendance, MotionOutcome, SessionKind, VoteCount, VoteOutcome,
    VoteResult,
};
use anyhow::{anyhow, Context};
use chrono::{NaiveDate, Utc};
use serde::Deserialize;

/// The files under `demo/anexos/`, by name: stand-ins for the documents the historical actas
/// annex, so that an acta announcing an annex is published with it.
const ANNEXES: [(&str, &[u8]); 2] = [
    (
        "propuesta-modificacion-lineamientos.pdf",
        include_bytes!("../../demo/anexos/propuesta-modificacion-lineamientos.pdf"),
    ),
    (
        "quinto-informe-actividades.pdf",
        include_bytes!("../../demo/anexos/quinto-informe-actividades.pdf"),
    ),
];

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SessionEntry {
    pub key: String,
    pub body: String,
    pub kind: String,
    pub number: i64,
    pub held_on: String,
    #[serde(default)]
    pub scheduled_time: String,
    #[serde(default)]
    pub place: String,
    #[serde(default)]
    pub legal_basis: String,
    /// The session's own name, for one not known by its number (an abanderamiento).
    #[serde(default)]
    pub name: String,
    pub started_at: Option<String>,
    pub ended_at: Option<String>,
    /// People present, by person key.
    #[serde(default)]
    pub attendance: Vec<String>,
    /// Names as the record wrote them, where they differ from the person's name.
    #[serde(default)]
    pub written_names: HashMap<String, String>,
    #[serde(default)]
    pub agenda: Vec<AgendaEntry>,
    /// The hoja de firmas as signed on paper.
    #[serde(default)]
    pub signature_sheet: Vec<SheetLine>,
    /// Whether the acta was published (it must have been approved and signed).
    #[serde(default)]
    pub published: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SheetLine {
    /// As written on the sheet, honorific included.
    pub name: String,
    pub person: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AgendaEntry {
    pub kind: String,
    pub title: String,
    pub presenter: Option<String>,
    #[serde(default)]
    pub narrative: String,
    #[serde(default)]
    pub annex_note: String,
    /// The file under `demo/anexos/` annexed to the item: what `annex_note` announces.
    pub annex_file: Option<String>,
    /// For a minutes approval: the key of the session whose acta is approved.
    pub minutes_of: Option<String>,
    /// The result as the record reports it, when it gives no counts.
    pub outcome: Option<String>,
    /// In favour, against, abstentions, when the record gives them.
    pub count: Option<[i64; 3]>,
    pub reported_by: Option<String>,
    pub motion: Option<MotionEntry>,
    /// The amendment to the bylaws this item puts to the vote.
    pub amendment: Option<AmendmentEntry>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AmendmentEntry {
    pub title: String,
    pub changes: Vec<ChangeEntry>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChangeEntry {
    pub article: i64,
    pub text: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MotionEntry {
    pub text: String,
    pub outcome: String,
    pub proposer: Option<String>,
}

/// Finds the membership a person held in a body on a date.
struct Seats {
    by_body: HashMap<BodyId, Vec<(Membership, Person)>>,
}

impl Seats {
    fn seat(
        &self,
        body: BodyId,
        person: PersonId,
        on: NaiveDate,
        key: &str,
    ) -> anyhow::Result<MembershipId> {
        self.by_body
            .get(&body)
            .into_iter()
            .flatten()
            .find(|(m, p)| p.id == person && m.tenure.is_active_on(on))
            .map(|(m, _)| m.id)
            .ok_or_else(|| anyhow!("«{key}» no tiene una membresía vigente el {on} en el órgano"))
    }
}

pub async fn load(
    app: &App,
    entries: &[SessionEntry],
    bodies: &HashMap<String, BodyId>,
    people: &HashMap<String, PersonId>,
) -> anyhow::Result<HashMap<String, SessionId>> {
    let actor = Actor::system();
    let mut sessions: HashMap<String, SessionId> = HashMap::new();
    // First every session, so that an agenda may point at a later one's acta (as the records do).
    for s in entries {
        let context = || format!("sesión «{}»", s.key);
        let new = NewSession {
            body: lookup(bodies, &s.body)?,
            kind: SessionKind::parse(&s.kind).with_context(context)?,
            number: Some(s.number),
            held_on: parse_date(&s.held_on).with_context(context)?,
            scheduled_time: s.scheduled_time.clone(),
            place: s.place.clone(),
            legal_basis: s.legal_basis.clone(),
            name: s.name.clone(),
        };
        sessions.insert(
            s.key.clone(),
            past_record::sessions::create_session(app, &actor, &new)
                .await
                .with_context(context)?,
        );
    }

    let mut by_body = HashMap::new();
    for body in bodies.values() {
        by_body.insert(*body, abierto_app::governance::members(app, *body).await?);
    }
    let seats = Seats { by_body };

    for s in entries {
        let context = || format!("sesión «{}»", s.key);
        let id = lookup(&sessions, &s.key)?;
        let body = lookup(bodies, &s.body)?;
        let day = parse_date(&s.held_on).with_context(context)?;
        let seat_of = |key: &str| -> anyhow::Result<MembershipId> {
            seats.seat(body, lookup(people, key)?, day, key)
        };

        let mut items = Vec::with_capacity(s.agenda.len());
        for a in &s.agenda {
            items.push(NewAgendaItem {
                kind: AgendaItemKind::parse(&a.kind).with_context(context)?,
                title: a.title.clone(),
                presenter: a.presenter.as_deref().map(seat_of).transpose()?,
                narrative: a.narrative.clone(),
                annex_note: a.annex_note.clone(),
                minutes_of: a
                    .minutes_of
                    .as_deref()
                    .map(|k| lookup(&sessions, k))
                    .transpose()?,
            });
        }
        let item_ids = past_record::sessions::set_agenda(app, &actor, id, &items)
            .await
            .with_context(context)?;
        for (position, a) in (1..).zip(&s.agenda) {
            let Some(name) = &a.annex_file else { continue };
            let content = ANNEXES
                .iter()
                .find(|(file, _)| file == name)
                .map(|(_, content)| *content)
                .ok_or_else(|| anyhow!("el archivo demo/anexos/{name} no existe"))?;
            let upload = FileUpload {
                filename: name,
                content,
            };
            abierto_app::sessions::record::add_annex(app, &actor, id, position, &upload)
                .await
                .with_context(|| format!("sesión «{}»: anexo {name}", s.key))?;
        }
        for (a, item) in s.agenda.iter().zip(&item_ids) {
            if let Some(amendment) = &a.amendment {
                let new = NewAmendment {
                    body,
                    title: amendment.title.clone(),
                    item: Some(*item),
                    changes: amendment
                        .changes
                        .iter()
                        .map(|c| ArticleChange {
                            article: c.article,
                            text: c.text.trim().to_owned(),
                        })
                        .collect(),
                };
                past_record::sessions::propose_amendment(app, &actor, &new)
                    .await
                    .with_context(context)?;
            }
        }

        let mut present = Vec::with_capacity(s.attendance.len());
        for key in &s.attendance {
            present.push(Attendance {
                membership: seat_of(key)?,
                written_name: s.written_names.get(key).cloned(),
            });
        }
        past_record::sessions::record_attendance(app, &actor, id, &present)
            .await
            .with_context(context)?;

        for time in [&s.started_at, &s.ended_at].into_iter().flatten() {
            parse_time(time).with_context(context)?;
        }
        if s.started_at.is_some() || s.ended_at.is_some() {
            past_record::sessions::record_times(
                app,
                &actor,
                id,
                s.started_at.as_deref(),
                s.ended_at.as_deref(),
            )
            .await?;
        }

        for (a, item) in s.agenda.iter().zip(&item_ids) {
            let result = match (a.count, a.outcome.as_deref()) {
                (Some([f, x, y]), _) => Some(VoteResult::counted(
                    VoteCount::new(f, x, y).with_context(context)?,
                )),
                (None, Some(outcome)) => Some(VoteResult::reported(
                    VoteOutcome::parse(outcome).with_context(context)?,
                )),
                (None, None) => None,
            };
            if let Some(result) = result {
                let reporter = a.reported_by.as_deref().map(seat_of).transpose()?;
                // A passing approval freezes the earlier acta, as the platform does live.
                let frozen = match a.minutes_of.as_deref() {
                    Some(of) if result.outcome.passed() => {
                        let approving = abierto_app::sessions::session(app, id).await?;
                        Some(frozen_minutes(app, lookup(&sessions, of)?, &approving).await?)
                    }
                    _ => None,
                };
                past_record::sessions::record_vote(
                    app,
                    &actor,
                    *item,
                    result,
                    reporter,
                    frozen.as_ref(),
                )
                .await
                .with_context(context)?;
            }
            if let Some(m) = &a.motion {
                let motion = NewMotion {
                    proposer: m.proposer.as_deref().map(seat_of).transpose()?,
                    text: m.text.clone(),
                    outcome: MotionOutcome::parse(&m.outcome).with_context(context)?,
                };
                past_record::sessions::record_motion(app, &actor, *item, &motion).await?;
            }
        }
    }
    // Signatures and publication come last: an acta is approved in a later session.
    for s in entries {
        let context = || format!("hoja de firmas de «{}»", s.key);
        let id = lookup(&sessions, &s.key)?;
        let body = lookup(bodies, &s.body)?;
        let day = parse_date(&s.held_on).with_context(context)?;
        if !s.signature_sheet.is_empty() {
            let mut sheet = Vec::with_capacity(s.signature_sheet.len());
            for line in &s.signature_sheet {
                let membership = match line.person.as_deref() {
                    Some(key) => seats.seat(body, lookup(people, key)?, day, key).ok(),
                    None => None,
                };
                sheet.push(SheetEntry {
                    name: line.name.clone(),
                    membership,
                });
            }
            past_record::sessions::set_signature_sheet(app, &actor, id, &sheet)
                .await
                .with_context(context)?;
        }
        if s.published {
            past_record::sessions::publish_minutes(app, &actor, id, Utc::now())
                .await
                .with_context(context)?;
        }
    }
    Ok(sessions)
}

fn lookup<T: Copy>(map: &HashMap<String, T>, key: &str) -> anyhow::Result<T> {
    map.get(key)
        .copied()
        .ok_or_else(|| anyhow!("«{key}» no está definido en el archivo"))
}
