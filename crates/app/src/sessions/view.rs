//! Everything shown about one session, gathered once from the store and shared by the HTML
//! pages and the API: the record, who each seat belongs to, quorum, and the acta's input.

use std::collections::HashMap;

use abierto_documents::minutes::{
    Item, Joining, MinutesInput, MotionLine, Named, Official, Signature, VoteLine,
};
use abierto_domain::account::Role;
use abierto_domain::annexes::Annex;
use abierto_domain::dates::long_date_es;
use abierto_domain::findings::{
    annexes_missing, approvals_before_session, names_written_two_ways, signers_not_present,
    ApprovalFact, Finding,
};
use abierto_domain::governance::{Body, Gender, Membership, MembershipKind, Person, SpecialRole};
use abierto_domain::ids::{MembershipId, SessionId};
use abierto_domain::minutes::{MinutesSignature, MinutesStatus, MinutesVersion};
use abierto_domain::sessions::{quorum, roman, Quorum, Session, VotingSeat};
use abierto_store::{SessionRecord, SheetEntry};

use crate::{Actor, App, Error};

pub struct SessionView {
    pub body: Body,
    pub record: SessionRecord,
    seats: HashMap<MembershipId, (Membership, Person)>,
    /// `None` while no attendance is recorded.
    pub quorum: Option<Quorum>,
    /// The session whose agenda approved this acta, when its vote passed.
    pub approved_in: Option<Session>,
    /// Titles of the sessions whose actas this agenda approves.
    minutes_titles: HashMap<SessionId, String>,
    pub annexes: Vec<Annex>,
    /// The acta's versions, the first first; none until it is first approved.
    pub versions: Vec<MinutesVersion>,
    /// Signatures on the current version.
    pub signatures: Vec<MinutesSignature>,
    /// The paper hoja de firmas of a historical acta.
    pub sheet: Vec<SheetEntry>,
    /// Approvals made by this agenda, and approvals of this acta elsewhere.
    approvals: Vec<ApprovalFact>,
}

impl SessionView {
    pub async fn load(app: &App, id: SessionId) -> Result<SessionView, Error> {
        let record = app.store().session_record(id).await?;
        let body = app.store().body(record.session.body).await?;
        let seats: HashMap<_, _> = app
            .store()
            .memberships_of(body.id)
            .await?
            .into_iter()
            .map(|(m, p)| (m.id, (m, p)))
            .collect();
        let approvals_elsewhere = app.store().minutes_approvals(id).await?;
        let mut approvals: Vec<ApprovalFact> = approvals_elsewhere
            .iter()
            .map(|(other, item, _)| ApprovalFact {
                position: item.position,
                approved_on: other.held_on,
                title_of: record.session.title_es(),
                held_on: record.session.held_on,
            })
            .collect();
        let approved_in = approvals_elsewhere
            .into_iter()
            .find(|(_, _, vote)| vote.as_ref().is_some_and(|v| v.result.outcome.passed()))
            .map(|(session, _, _)| session);
        let mut minutes_titles = HashMap::new();
        for item in record
            .agenda
            .iter()
            .filter(|item| item.minutes_of.is_some())
        {
            let Some(of) = item.minutes_of else { continue };
            let earlier = app.store().session(of).await?;
            approvals.push(ApprovalFact {
                position: item.position,
                approved_on: record.session.held_on,
                title_of: earlier.title_es(),
                held_on: earlier.held_on,
            });
            minutes_titles.insert(
                of,
                format!(
                    "Acta de la {} de fecha {}",
                    earlier.title_es(),
                    long_date_es(earlier.held_on)
                ),
            );
        }
        let quorum = (!record.attendance.is_empty()).then(|| {
            let present: Vec<MembershipId> =
                record.attendance.iter().map(|a| a.membership).collect();
            quorum(&voting_seats(&seats, &record.session), &present)
        });
        let versions = app.store().minutes_versions(id).await?;
        let signatures = match versions.last() {
            Some(current) => app.store().minutes_signatures(id, current.version).await?,
            None => Vec::new(),
        };
        Ok(SessionView {
            annexes: app.store().session_annexes(id).await?,
            sheet: app.store().signature_sheet(id).await?,
            body,
            record,
            seats,
            quorum,
            approved_in,
            minutes_titles,
            versions,
            signatures,
            approvals,
        })
    }

    /// The acta's current status: a draft until a later session approves it.
    pub fn minutes_status(&self) -> MinutesStatus {
        self.versions
            .last()
            .map_or(MinutesStatus::Draft, |v| v.status)
    }

    /// Whether `actor` may read the acta now: the secretariat and the members always, the
    /// public once a version is published.
    pub fn minutes_readable_by(&self, actor: &Actor) -> bool {
        actor.may(Role::can_read_draft_minutes) || self.published_version().is_some()
    }

    /// Whether `actor` may sign the acta now: it is approved and not yet published, and the
    /// account belongs to a person on the attendance list who has not signed.
    pub fn signable_by(&self, actor: &Actor) -> bool {
        let person = actor.user().and_then(|u| u.person);
        let seat = self
            .record
            .attendance
            .iter()
            .find(|a| {
                self.seat(a.membership)
                    .is_some_and(|(m, _)| Some(m.person) == person)
            })
            .map(|a| a.membership);
        matches!(
            self.minutes_status(),
            MinutesStatus::Approved | MinutesStatus::Signed
        ) && seat.is_some_and(|seat| !self.signatures.iter().any(|s| s.membership == seat))
    }

    /// The latest published version, which is what the public reads.
    pub fn published_version(&self) -> Option<&MinutesVersion> {
        self.versions
            .iter()
            .rev()
            .find(|v| v.status == MinutesStatus::Published)
    }

    /// The memberships on the attendance list, in its order.
    pub fn present_memberships(&self) -> Vec<MembershipId> {
        self.record
            .attendance
            .iter()
            .map(|a| a.membership)
            .collect()
    }

    /// The seats with vote on the session's date, each with the substitutes who may hold it.
    pub fn voting_seats(&self) -> Vec<VotingSeat> {
        voting_seats(&self.seats, &self.record.session)
    }

    /// Every membership of the body active on the session's date, titulars first.
    pub fn active_members(&self) -> Vec<&(Membership, Person)> {
        let day = self.record.session.held_on;
        let mut members: Vec<&(Membership, Person)> = self
            .seats
            .values()
            .filter(|(m, _)| m.tenure.is_active_on(day))
            .collect();
        members.sort_by_key(|(m, _)| (m.substitute_for.is_some(), m.id));
        members
    }

    /// The inconsistencies of the record and its acta.
    pub fn findings(&self) -> Vec<Finding> {
        let mut found = approvals_before_session(&self.approvals);
        let mut names: Vec<(String, String)> = self
            .record
            .attendance
            .iter()
            .filter_map(|a| {
                let (_, person) = self.seat(a.membership)?;
                Some((person.full_name.clone(), a.written_name.clone()?))
            })
            .collect();
        names.dedup();
        found.extend(names_written_two_ways(&names));
        let present: Vec<MembershipId> = self.present_memberships();
        let signers: Vec<(String, bool)> = self
            .sheet
            .iter()
            .map(|entry| {
                let here = entry.membership.is_some_and(|m| present.contains(&m));
                (entry.name.clone(), here)
            })
            .collect();
        found.extend(signers_not_present(&signers));
        let items: Vec<(i64, String, usize)> = self
            .record
            .agenda
            .iter()
            .map(|item| {
                let attached = self.annexes.iter().filter(|a| a.item == item.id).count();
                (item.position, item.annex_note.clone(), attached)
            })
            .collect();
        found.extend(annexes_missing(&items));
        found
    }

    pub fn title(&self) -> String {
        self.record.session.title_es()
    }

    pub fn seat(&self, id: MembershipId) -> Option<&(Membership, Person)> {
        self.seats.get(&id)
    }

    /// "Lic. Osbaldo Huerta Bermejo", or the name as the record wrote it.
    pub fn person_name(&self, id: MembershipId) -> String {
        match self.seat(id) {
            Some((_, person)) => full_name(person, None),
            None => String::new(),
        }
    }

    /// The acta's input as approved in `approving`: the hoja de firmas names that session.
    pub fn minutes_input_approved_in(&self, approving: &Session) -> MinutesInput {
        let mut input = self.minutes_input();
        input.approved_in = Some(format!(
            "{} del {}",
            approving.title_es(),
            long_date_es(approving.held_on)
        ));
        input
    }

    /// The acta's input, resolved from the record.
    pub fn minutes_input(&self) -> MinutesInput {
        let session = &self.record.session;
        let mut citizens = Vec::new();
        let mut officials = Vec::new();
        let mut facilitator = None;
        let mut signatures = Vec::new();
        for entry in &self.record.attendance {
            let Some((membership, person)) = self.seat(entry.membership) else {
                continue;
            };
            let written = entry.written_name.as_deref();
            let feminine = person.gender == Gender::Feminine;
            let role = self.role_line(membership, person);
            signatures.push(Signature {
                name: full_name(person, written),
                role: role.clone(),
            });
            if membership.special_role == Some(SpecialRole::Facilitator) {
                facilitator = Some(Named {
                    name: full_name(person, written),
                    feminine,
                });
            } else if membership.kind == MembershipKind::Citizen {
                citizens.push(Named {
                    name: written.unwrap_or(&person.full_name).to_owned(),
                    feminine,
                });
            } else {
                officials.push(Official {
                    person: Named {
                        name: full_name(person, written),
                        feminine,
                    },
                    cargo: role,
                });
            }
        }
        let joined = self
            .seats
            .values()
            .filter(|(m, _)| m.tenure.starts_on == session.held_on)
            .map(|(m, p)| Joining {
                official: self.official(m, p),
                grounds: m.grounds.clone(),
                substitute_for: m
                    .substitute_for
                    .and_then(|t| self.seat(t))
                    .map(|(tm, tp)| self.official(tm, tp)),
            })
            .collect::<Vec<_>>();
        let mut joined = joined;
        joined.sort_by_key(|j| (j.substitute_for.is_some(), j.official.person.name.clone()));
        let items =
            self.record
                .agenda
                .iter()
                .map(|item| Item {
                    numeral: roman(item.position),
                    kind: item.kind,
                    title: item.title.clone(),
                    presenter: item.presenter.and_then(|p| self.presenter_phrase(p)),
                    narrative: item.narrative.clone(),
                    vote: self
                        .record
                        .votes
                        .iter()
                        .find(|v| v.item == item.id)
                        .map(|v| VoteLine {
                            outcome: v.result.outcome,
                            count: v.result.count,
                            by_facilitator: v.reported_by.and_then(|r| self.seat(r)).is_some_and(
                                |(m, _)| m.special_role == Some(SpecialRole::Facilitator),
                            ),
                        }),
                    motions: self
                        .record
                        .motions
                        .iter()
                        .filter(|m| m.item == item.id)
                        .map(|m| MotionLine {
                            text: m.text.clone(),
                            outcome: m.outcome,
                            proposer: m
                                .proposer
                                .filter(|p| Some(*p) != item.presenter)
                                .and_then(|p| self.presenter_phrase(p)),
                        })
                        .collect(),
                    annex_note: item.annex_note.clone(),
                    minutes_title: item
                        .minutes_of
                        .and_then(|of| self.minutes_titles.get(&of).cloned()),
                })
                .collect();
        MinutesInput {
            body_name: self.body.name.clone(),
            session_title: self.title(),
            legal_basis: session.legal_basis.clone(),
            place: session.place.clone(),
            date: session.held_on,
            started_at: session.started_at.clone(),
            ended_at: session.ended_at.clone(),
            citizens,
            officials,
            facilitator,
            quorum_reached: self.quorum.map(|q| q.reached),
            joined,
            items,
            signatures,
            approved_in: self
                .approved_in
                .as_ref()
                .map(|s| format!("{} del {}", s.title_es(), long_date_es(s.held_on))),
        }
    }

    /// The line under a name on the hoja de firmas, and a public servant's cargo in the proemio.
    fn role_line(&self, membership: &Membership, person: &Person) -> String {
        match (membership.special_role, membership.kind) {
            (Some(SpecialRole::Facilitator), _) => "Persona Facilitadora".to_owned(),
            (Some(SpecialRole::PresidencyRepresentative), _) => {
                format!(
                    "{} y representante de la Presidencia del {}",
                    membership.cargo, self.body.name
                )
            }
            (_, MembershipKind::Citizen) => match person.gender {
                Gender::Feminine => "Integrante Ciudadana".to_owned(),
                Gender::Masculine => "Integrante Ciudadano".to_owned(),
            },
            _ => membership.cargo.clone(),
        }
    }

    fn official(&self, membership: &Membership, person: &Person) -> Official {
        Official {
            person: Named {
                name: full_name(person, None),
                feminine: person.gender == Gender::Feminine,
            },
            cargo: membership.cargo.clone(),
        }
    }

    /// "la Titular de la Unidad de Transparencia", "el C. Abraham Gallegos Macías".
    fn presenter_phrase(&self, id: MembershipId) -> Option<String> {
        let (membership, person) = self.seat(id)?;
        let article = if person.gender == Gender::Feminine {
            "la"
        } else {
            "el"
        };
        Some(
            match (membership.special_role, membership.cargo.is_empty()) {
                (Some(SpecialRole::Facilitator), _) => "la Persona Facilitadora".to_owned(),
                (_, false) => format!("{article} {}", membership.cargo),
                (_, true) => format!("{article} {}", full_name(person, None)),
            },
        )
    }
}

fn full_name(person: &Person, written: Option<&str>) -> String {
    let name = written.unwrap_or(&person.full_name);
    format!("{} {}", person.honorific, name).trim().to_owned()
}

/// The seats that vote on the session's date, each with the substitutes who may hold it.
fn voting_seats(
    seats: &HashMap<MembershipId, (Membership, Person)>,
    session: &Session,
) -> Vec<VotingSeat> {
    let active = |m: &Membership| m.body == session.body && m.tenure.is_active_on(session.held_on);
    let mut titulars: Vec<&Membership> = seats
        .values()
        .map(|(m, _)| m)
        .filter(|m| active(m) && m.has_vote && m.substitute_for.is_none())
        .collect();
    titulars.sort_by_key(|m| m.id);
    titulars
        .into_iter()
        .map(|titular| VotingSeat {
            titular: titular.id,
            substitutes: seats
                .values()
                .map(|(m, _)| m)
                .filter(|m| active(m) && m.substitute_for == Some(titular.id))
                .map(|m| m.id)
                .collect(),
        })
        .collect()
}
