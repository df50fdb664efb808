//! The secretariat's sessions: convening one and sending its convocation, keeping its record
//! (agenda, attendance, times, votes, motions, annexes), and its acta from draft to
//! publication; and the view of a session that pages, the API and documents share.

pub mod convene;
mod detail;
pub mod minutes;
pub mod record;
mod view;

pub use view::SessionView;

use abierto_domain::account::Role;
use abierto_domain::ids::{AgendaProposalId, AnnexId, BodyId, SessionId};
use abierto_domain::sessions::Session;
pub use abierto_store::{AgendaProposal, Notice, NoticeStatus};

pub use detail::{session_detail, AgendaEntry, MinutesState, Present, SessionDetail};

use crate::files::StoredFile;
use crate::{Actor, App, Error, Result};

/// The sessions of every body, or of one, newest first.
pub async fn sessions(app: &App, body: Option<BodyId>) -> Result<Vec<Session>> {
    Ok(app.store().sessions(body).await?)
}

pub async fn session(app: &App, id: SessionId) -> Result<Session> {
    Ok(app.store().session(id).await?)
}

/// Everything shown about one session.
pub async fn view(app: &App, id: SessionId) -> Result<SessionView> {
    SessionView::load(app, id).await
}

/// The convocation notices, of one session or all, newest first; the secretariat's alone,
/// for they carry the members' addresses.
pub async fn notices(app: &App, actor: &Actor, session: Option<SessionId>) -> Result<Vec<Notice>> {
    actor.require(Role::can_keep_sessions)?;
    Ok(app.store().notices(session).await?)
}

/// An annex, for the secretariat and the members always, for the public once the acta that
/// annexes it is published.
pub async fn annex(app: &App, actor: &Actor, id: AnnexId) -> Result<StoredFile> {
    let (annex, session) = app.store().annex(id).await?;
    if !actor.may(Role::can_read_draft_minutes) {
        let published = app
            .store()
            .minutes_versions(session)
            .await?
            .iter()
            .any(|v| v.status.is_public());
        if !published {
            return Err(Error::NotFound);
        }
    }
    app.files()
        .open_annex(&annex.sha256, &annex.filename, &annex.content_type)
        .await
}

/// The proposals waiting for a session of the body (a call's results to present, say).
pub async fn pending_proposals(
    app: &App,
    actor: &Actor,
    body: BodyId,
) -> Result<Vec<AgendaProposal>> {
    actor.require(Role::can_keep_sessions)?;
    Ok(app.store().pending_agenda_proposals(body).await?)
}

/// Puts a waiting proposal on the session's agenda.
pub async fn take_proposal(
    app: &App,
    actor: &Actor,
    proposal: AgendaProposalId,
    session: SessionId,
) -> Result<()> {
    actor.require(Role::can_keep_sessions)?;
    app.store()
        .add_proposal_to_agenda(&actor.audit(), proposal, session)
        .await?;
    Ok(())
}
