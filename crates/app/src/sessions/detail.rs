//! A session's record as the API gives it: the agenda with its votes, ballots, motions and
//! annexes, who attended, quorum, where the acta stands, and the findings.

use abierto_domain::annexes::Annex;
use abierto_domain::findings::Finding;
use abierto_domain::ids::{AgendaItemId, MembershipId, SessionId};
use abierto_domain::minutes::{MinutesSignature, MinutesStatus, MinutesVersion};
use abierto_domain::sessions::{roman, AgendaItem, Motion, Quorum, Session, Vote};
use serde::Serialize;

use super::SessionView;
use crate::{App, Error};

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

/// Everything the API says about one session; its write endpoints answer it too.
pub async fn session_detail(app: &App, id: SessionId) -> Result<SessionDetail, Error> {
    let view = SessionView::load(app, id).await?;
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
