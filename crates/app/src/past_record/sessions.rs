//! Sessions held before abierto, as their actas record them: the number they were given,
//! attendance with names as written, votes as reported (counted or not), motions, the
//! signature sheet as signed, and publication.

use abierto_domain::account::Role;
use abierto_domain::ids::{AgendaItemId, AmendmentId, MembershipId, MotionId, SessionId};
use abierto_domain::sessions::{Attendance, VoteResult};
pub use abierto_store::{
    FrozenMinutes, NewAgendaItem, NewAmendment, NewMotion, NewSession, SheetEntry,
};
use chrono::{DateTime, Utc};

use crate::{Actor, App, Result};

/// Convenes a session. A number already used by the body for that kind and year is
/// `Conflict { field: "number" }`.
pub async fn create_session(app: &App, actor: &Actor, new: &NewSession) -> Result<SessionId> {
    actor.require(Role::can_keep_sessions)?;
    Ok(app.store().create_session(&actor.audit(), new).await?)
}

/// Replaces the agenda with `items`, numbered from I in the order given.
pub async fn set_agenda(
    app: &App,
    actor: &Actor,
    session: SessionId,
    items: &[NewAgendaItem],
) -> Result<Vec<AgendaItemId>> {
    actor.require(Role::can_keep_sessions)?;
    Ok(app
        .store()
        .set_agenda(&actor.audit(), session, items)
        .await?)
}

/// Proposes an amendment; an item may decide only one.
pub async fn propose_amendment(
    app: &App,
    actor: &Actor,
    new: &NewAmendment,
) -> Result<AmendmentId> {
    actor.require(Role::can_keep_sessions)?;
    Ok(app.store().propose_amendment(&actor.audit(), new).await?)
}

/// Replaces the attendance list.
pub async fn record_attendance(
    app: &App,
    actor: &Actor,
    session: SessionId,
    present: &[Attendance],
) -> Result<()> {
    actor.require(Role::can_keep_sessions)?;
    Ok(app
        .store()
        .record_attendance(&actor.audit(), session, present)
        .await?)
}

/// Records the actual start and end times ("13:14", "13:46").
pub async fn record_times(
    app: &App,
    actor: &Actor,
    session: SessionId,
    started_at: Option<&str>,
    ended_at: Option<&str>,
) -> Result<()> {
    actor.require(Role::can_keep_sessions)?;
    Ok(app
        .store()
        .record_times(&actor.audit(), session, started_at, ended_at)
        .await?)
}

/// Records (or corrects) the vote on an item. When the item approves an earlier acta and
/// the vote passed, `approves` is that acta as frozen, stored in the same transaction; an
/// amendment the item puts to the vote is decided in it too.
pub async fn record_vote(
    app: &App,
    actor: &Actor,
    item: AgendaItemId,
    result: VoteResult,
    reported_by: Option<MembershipId>,
    approves: Option<&FrozenMinutes>,
) -> Result<()> {
    actor.require(Role::can_keep_sessions)?;
    Ok(app
        .store()
        .record_vote(&actor.audit(), item, result, reported_by, approves)
        .await?)
}

/// Records a motion under an agenda item, with its outcome.
pub async fn record_motion(
    app: &App,
    actor: &Actor,
    item: AgendaItemId,
    motion: &NewMotion,
) -> Result<MotionId> {
    actor.require(Role::can_keep_sessions)?;
    Ok(app
        .store()
        .record_motion(&actor.audit(), item, motion)
        .await?)
}

/// Records the hoja de firmas of an acta signed on paper, replacing any earlier one; an
/// approved acta becomes signed.
pub async fn set_signature_sheet(
    app: &App,
    actor: &Actor,
    session: SessionId,
    entries: &[SheetEntry],
) -> Result<()> {
    actor.require(Role::can_keep_sessions)?;
    Ok(app
        .store()
        .set_signature_sheet(&actor.audit(), session, entries)
        .await?)
}

/// Publishes the current version (it must be signed).
pub async fn publish_minutes(
    app: &App,
    actor: &Actor,
    session: SessionId,
    at: DateTime<Utc>,
) -> Result<()> {
    actor.require(Role::can_keep_sessions)?;
    Ok(app
        .store()
        .publish_minutes(&actor.audit(), session, at)
        .await?)
}
