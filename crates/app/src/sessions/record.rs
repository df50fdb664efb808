//! Keeping a session's record: its agenda, attendance, times, votes, motions and annexes.
//! Everything here is refused once the session's acta is approved.

use abierto_domain::account::Role;
use abierto_domain::conduct::{
    check_minutes_approval, check_times, check_vote, count_ballots, Ballot,
};
use abierto_domain::ids::{AnnexId, MembershipId, SessionId};
use abierto_domain::sessions::{
    check_agenda, AgendaItem, AgendaItemKind, MotionOutcome, Session, VoteCount, VoteResult,
};
use abierto_domain::ErrorCode;
use abierto_domain::ValidationError;
use abierto_store::{NewAgendaItem, NewAnnex, NewMotion};
use serde::Deserialize;

use super::minutes::frozen_minutes;
use crate::files::FileUpload;
use crate::sessions::SessionView;
use crate::{Actor, App, Error};

/// One point of the agenda as submitted.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct AgendaItemRequest {
    /// `attendance_quorum`, `agenda_approval`, `minutes_approval`, `proposal`, `report`,
    /// `results`, `general_matters` or `closing`.
    pub kind: String,
    pub title: String,
    #[serde(default)]
    pub presenter: Option<MembershipId>,
    /// For `minutes_approval`: the earlier session whose acta is put to the vote.
    #[serde(default)]
    pub minutes_of: Option<SessionId>,
    #[serde(default)]
    pub narrative: String,
    /// What is announced as annexed ("propuesta de modificación").
    #[serde(default)]
    pub annex_note: String,
}

pub async fn set_agenda(
    app: &App,
    actor: &Actor,
    session: SessionId,
    items: &[AgendaItemRequest],
) -> Result<(), Error> {
    actor.require(Role::can_keep_sessions)?;
    let session_record = app.store().session(session).await?;
    let checked = prepare_agenda(app, &session_record, items).await?;
    app.store()
        .set_agenda(&actor.audit(), session, &checked)
        .await?;
    Ok(())
}

/// Checks a submitted agenda for `session` (which may not be stored yet) and resolves it.
pub async fn prepare_agenda(
    app: &App,
    session: &Session,
    items: &[AgendaItemRequest],
) -> Result<Vec<NewAgendaItem>, Error> {
    let members: Vec<MembershipId> = app
        .store()
        .memberships_of(session.body)
        .await?
        .into_iter()
        .map(|(m, _)| m.id)
        .collect();
    let mut checked = Vec::with_capacity(items.len());
    for item in items {
        let kind = AgendaItemKind::parse(item.kind.trim())?;
        let title = item.title.trim();
        if title.is_empty() {
            return Err(ValidationError::new("title", ErrorCode::TitleRequired).into());
        }
        if item.presenter.is_some_and(|p| !members.contains(&p)) {
            return Err(ValidationError::new("presenter", ErrorCode::NotAMember).into());
        }
        let minutes_of = match (kind, item.minutes_of) {
            (AgendaItemKind::MinutesApproval, Some(of)) => {
                let earlier = match app.store().session(of).await {
                    Err(abierto_store::StoreError::NotFound) => {
                        return Err(
                            ValidationError::new("minutes_of", ErrorCode::UnknownSession).into(),
                        )
                    }
                    other => other?,
                };
                check_minutes_approval(session, &earlier)?;
                Some(of)
            }
            (AgendaItemKind::MinutesApproval, None) => {
                return Err(ValidationError::new("minutes_of", ErrorCode::MinutesOfRequired).into())
            }
            _ => None,
        };
        checked.push(NewAgendaItem {
            kind,
            title: title.to_owned(),
            presenter: item.presenter,
            narrative: item.narrative.trim().to_owned(),
            annex_note: item.annex_note.trim().to_owned(),
            minutes_of,
        });
    }
    let kinds: Vec<AgendaItemKind> = checked.iter().map(|i| i.kind).collect();
    check_agenda(&kinds)?;
    Ok(checked)
}

/// Replaces the attendance list with the given seats, each active in the body on the day.
pub async fn record_attendance(
    app: &App,
    actor: &Actor,
    session: SessionId,
    present: &[MembershipId],
) -> Result<(), Error> {
    actor.require(Role::can_keep_sessions)?;
    let view = SessionView::load(app, session).await?;
    let active: Vec<MembershipId> = view.active_members().iter().map(|(m, _)| m.id).collect();
    let mut list = Vec::with_capacity(present.len());
    for membership in present {
        if !active.contains(membership) {
            return Err(ValidationError::new("present", ErrorCode::MembershipNotActive).into());
        }
        if !list
            .iter()
            .any(|a: &abierto_domain::sessions::Attendance| a.membership == *membership)
        {
            list.push(abierto_domain::sessions::Attendance {
                membership: *membership,
                written_name: None,
            });
        }
    }
    app.store()
        .record_attendance(&actor.audit(), session, &list)
        .await?;
    Ok(())
}

pub async fn record_times(
    app: &App,
    actor: &Actor,
    session: SessionId,
    started_at: &str,
    ended_at: Option<&str>,
) -> Result<(), Error> {
    actor.require(Role::can_keep_sessions)?;
    let ended_at = ended_at.map(str::trim).filter(|e| !e.is_empty());
    check_times(started_at, ended_at)?;
    app.store()
        .record_times(&actor.audit(), session, Some(started_at.trim()), ended_at)
        .await?;
    Ok(())
}

/// The item at `position` of the session's agenda.
fn item_at(view: &SessionView, position: i64) -> Result<&AgendaItem, Error> {
    view.record
        .agenda
        .iter()
        .find(|i| i.position == position)
        .ok_or(Error::NotFound)
}

/// A vote as taken: counted, or by person.
#[derive(Debug, Clone)]
pub enum VoteInput {
    Counts(VoteCount),
    Ballots(Vec<Ballot>),
}

/// Records a vote. It needs quorum; a passing vote on a minutes-approval item approves
/// (freezes) that acta in the same transaction.
pub async fn record_vote(
    app: &App,
    actor: &Actor,
    session: SessionId,
    position: i64,
    input: VoteInput,
    reported_by: Option<MembershipId>,
) -> Result<(), Error> {
    actor.require(Role::can_keep_sessions)?;
    let view = SessionView::load(app, session).await?;
    let item = item_at(&view, position)?;
    let (count, ballots) = match input {
        VoteInput::Counts(c) => (
            VoteCount::new(c.in_favour, c.against, c.abstentions)?,
            Vec::new(),
        ),
        VoteInput::Ballots(ballots) => {
            let present = view.present_memberships();
            (
                count_ballots(&ballots, &view.voting_seats(), &present)?,
                ballots,
            )
        }
    };
    check_vote(item.kind, view.quorum, count)?;
    if let Some(reporter) = reported_by {
        if view.seat(reporter).is_none() {
            return Err(ValidationError::new("reported_by", ErrorCode::NotAMember).into());
        }
    }
    let result = VoteResult::counted(count);
    let frozen = match item.minutes_of {
        Some(of) if result.outcome.passed() => {
            Some(frozen_minutes(app, of, &view.record.session).await?)
        }
        _ => None,
    };
    app.store()
        .record_vote_by_person(
            &actor.audit(),
            item.id,
            result,
            reported_by,
            frozen.as_ref(),
            &ballots,
        )
        .await?;
    Ok(())
}

pub async fn record_motion(
    app: &App,
    actor: &Actor,
    session: SessionId,
    position: i64,
    proposer: Option<MembershipId>,
    text: &str,
    outcome: &str,
) -> Result<(), Error> {
    actor.require(Role::can_keep_sessions)?;
    let view = SessionView::load(app, session).await?;
    let item = item_at(&view, position)?;
    let outcome = MotionOutcome::parse(outcome.trim())?;
    let text = text.trim();
    if text.is_empty() {
        return Err(ValidationError::new("text", ErrorCode::TextRequired).into());
    }
    if let Some(proposer) = proposer {
        if !view
            .record
            .attendance
            .iter()
            .any(|a| a.membership == proposer)
        {
            return Err(ValidationError::new("proposer", ErrorCode::ProposerNotPresent).into());
        }
    }
    let motion = NewMotion {
        proposer,
        text: text.to_owned(),
        outcome,
    };
    app.store()
        .record_motion(&actor.audit(), item.id, &motion)
        .await?;
    Ok(())
}

/// Checks a file, keeps it under its SHA-256, and annexes it to the item.
pub async fn add_annex(
    app: &App,
    actor: &Actor,
    session: SessionId,
    position: i64,
    upload: &FileUpload<'_>,
) -> Result<AnnexId, Error> {
    actor.require(Role::can_keep_sessions)?;
    let view = SessionView::load(app, session).await?;
    let item = item_at(&view, position)?;
    view.minutes_status()
        .after(abierto_domain::minutes::MinutesAction::Edit)?;
    let kept = app.files().keep_annex(upload).await?;
    let new = NewAnnex {
        filename: kept.filename,
        content_type: kept.content_type.to_owned(),
        size_bytes: kept.size_bytes,
        sha256: kept.sha256,
    };
    Ok(app
        .store()
        .add_annex(&actor.audit(), item.id, &new, app.clock().now())
        .await?)
}
