//! Calls for participation opened, published and closed before abierto, with the proposals
//! their results left for a session.

use abierto_domain::account::Role;
use abierto_domain::calls::CallState;
use abierto_domain::ids::{AgendaItemId, AgendaProposalId, CallId};
pub use abierto_store::NewCall;
use chrono::{DateTime, Utc};

use crate::{Actor, App, Result};

/// Records a call as it was drafted, on the day `at` it was.
pub async fn create_call(
    app: &App,
    actor: &Actor,
    new: &NewCall,
    at: DateTime<Utc>,
) -> Result<CallId> {
    actor.require(Role::can_keep_sessions)?;
    Ok(app.store().create_call(&actor.audit(), new, at).await?)
}

/// Publishes a draft approved by the vote on `approved_by`, an agenda item of a session
/// of the call's body whose vote approved it; refused otherwise, and when the call would
/// already be closed.
pub async fn publish_call(
    app: &App,
    actor: &Actor,
    id: CallId,
    approved_by: AgendaItemId,
    at: DateTime<Utc>,
) -> Result<()> {
    actor.require(Role::can_keep_sessions)?;
    Ok(app
        .store()
        .publish_call(&actor.audit(), id, approved_by, at)
        .await?)
}

/// Marks a proposal as taken up by an agenda item.
pub async fn take_agenda_proposal(
    app: &App,
    actor: &Actor,
    proposal: AgendaProposalId,
    item: AgendaItemId,
) -> Result<()> {
    actor.require(Role::can_keep_sessions)?;
    Ok(app
        .store()
        .take_agenda_proposal(&actor.audit(), proposal, item)
        .await?)
}

/// Closes the calls whose window had ended by `at`, as the hourly job does on the day.
pub async fn close_calls_due_by(
    app: &App,
    actor: &Actor,
    at: DateTime<Utc>,
) -> Result<Vec<(CallId, CallState)>> {
    actor.require(Role::can_keep_sessions)?;
    Ok(app.store().close_due_calls(at).await?)
}
