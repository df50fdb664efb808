//! Citizen participation: calls (convocatorias) written, approved and published by the
//! secretariat, the submissions citizens send to them, their evaluation into the Banco de
//! Acciones, and the proponents' rights over their personal data.

pub mod call_admin;
pub mod submissions;

use abierto_domain::account::Role;
use abierto_domain::calls::CallState;
use abierto_domain::ids::{BodyId, CallId, MembershipId, SubmissionId};
pub use abierto_store::{ApprovingItem, BankEntry, Call, Submission, SubmissionNote};

use crate::{Actor, App, Error, Result};

/// The calls the actor may see, the newest first: drafts only for the secretariat.
pub async fn calls(app: &App, actor: &Actor) -> Result<Vec<Call>> {
    Ok(app.store().calls(actor.keeps_sessions()).await?)
}

/// A call, if the actor may see it: a draft is the secretariat's alone (`NotFound` to anyone
/// else, as if it did not exist).
pub async fn call(app: &App, actor: &Actor, id: CallId) -> Result<Call> {
    let call = app.store().call(id).await?;
    if call.state == CallState::Draft && !actor.keeps_sessions() {
        return Err(Error::NotFound);
    }
    Ok(call)
}

/// The accepted ideas of the Banco de Acciones, newest first; never their proponents.
pub async fn action_bank(app: &App) -> Result<Vec<BankEntry>> {
    Ok(app.store().action_bank().await?)
}

/// What arrived at a call, for the secretariat that evaluates it.
pub async fn submissions(app: &App, actor: &Actor, call: CallId) -> Result<Vec<Submission>> {
    actor.require(Role::can_keep_sessions)?;
    app.store().call(call).await?;
    Ok(app.store().submissions_of(call).await?)
}

/// One submission, for the secretariat.
pub async fn submission(app: &App, actor: &Actor, id: SubmissionId) -> Result<Submission> {
    actor.require(Role::can_keep_sessions)?;
    Ok(app.store().submission(id).await?)
}

/// The secretariat's private notes on a submission.
pub async fn submission_notes(
    app: &App,
    actor: &Actor,
    id: SubmissionId,
) -> Result<Vec<SubmissionNote>> {
    actor.require(Role::can_keep_sessions)?;
    Ok(app.store().submission_notes(id).await?)
}

/// The seat a youth application was given, with the council it sits in.
pub async fn youth_seat(app: &App, id: SubmissionId) -> Result<Option<(MembershipId, BodyId)>> {
    Ok(app.store().youth_seat(id).await?)
}

/// The agenda items of a body's sessions whose vote passed: what may approve a call or seat a
/// selected applicant.
pub async fn approving_items(app: &App, body: BodyId) -> Result<Vec<ApprovingItem>> {
    Ok(app.store().approving_items(body).await?)
}
