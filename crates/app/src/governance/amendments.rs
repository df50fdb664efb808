//! Proposing an amendment to a body's bylaws, decided later by the vote on a proposal item
//! of one of its sessions.

use abierto_domain::account::Role;
use abierto_domain::bylaws::{check_change, ArticleChange};
use abierto_domain::ids::{AmendmentId, BodyId, SessionId};
use abierto_domain::sessions::{AgendaItem, AgendaItemKind, Session};
use abierto_domain::ErrorCode;
use abierto_domain::ValidationError;
use abierto_store::NewAmendment;
use serde::Deserialize;

use crate::{Actor, App, Error};

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AmendmentRequest {
    pub title: String,
    /// The session, and the position of its proposal item, whose vote decides the amendment.
    #[serde(default)]
    pub session: Option<SessionId>,
    #[serde(default)]
    pub position: Option<i64>,
    pub changes: Vec<ChangeRequest>,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChangeRequest {
    pub article: i64,
    pub text: String,
}

pub async fn propose(
    app: &App,
    actor: &Actor,
    body: BodyId,
    request: &AmendmentRequest,
) -> Result<AmendmentId, Error> {
    actor.require(Role::can_keep_sessions)?;
    app.store().body(body).await?;
    let title = request.title.trim();
    if title.is_empty() {
        return Err(ValidationError::new("title", ErrorCode::TitleRequired).into());
    }
    if request.changes.is_empty() {
        return Err(ValidationError::new("changes", ErrorCode::ChangesRequired).into());
    }
    let mut changes: Vec<ArticleChange> = Vec::with_capacity(request.changes.len());
    for change in &request.changes {
        let change = ArticleChange {
            article: change.article,
            text: change.text.trim().to_owned(),
        };
        check_change(&change)?;
        if changes.iter().any(|c| c.article == change.article) {
            return Err(ValidationError::new("article", ErrorCode::ArticleRepeated).into());
        }
        changes.push(change);
    }
    let item = match (request.session, request.position) {
        (Some(session), Some(position)) => {
            let record = match app.store().session_record(session).await {
                Err(abierto_store::StoreError::NotFound) => {
                    return Err(ValidationError::new("session", ErrorCode::UnknownSession).into())
                }
                other => other?,
            };
            if record.session.body != body {
                return Err(ValidationError::new("session", ErrorCode::SessionOfOtherBody).into());
            }
            let item = record
                .agenda
                .iter()
                .find(|i| i.position == position && i.kind == AgendaItemKind::Proposal)
                .ok_or(ValidationError::new("position", ErrorCode::ItemNotProposal))?;
            if record.votes.iter().any(|v| v.item == item.id) {
                return Err(ValidationError::new("position", ErrorCode::ItemAlreadyVoted).into());
            }
            Some(item.id)
        }
        (None, None) => None,
        _ => return Err(ValidationError::new("position", ErrorCode::ItemNotProposal).into()),
    };
    let new = NewAmendment {
        body,
        title: title.to_owned(),
        item,
        changes,
    };
    Ok(app.store().propose_amendment(&actor.audit(), &new).await?)
}

/// The proposal items of the body's sessions not voted yet: where an amendment may be put to
/// the vote.
pub async fn open_proposal_items(
    app: &App,
    body: BodyId,
) -> Result<Vec<(Session, AgendaItem)>, Error> {
    let mut items = Vec::new();
    for session in app.store().sessions(Some(body)).await? {
        let record = app.store().session_record(session.id).await?;
        for item in record
            .agenda
            .iter()
            .filter(|i| i.kind == AgendaItemKind::Proposal)
            .filter(|i| !record.votes.iter().any(|v| v.item == i.id))
        {
            items.push((session.clone(), item.clone()));
        }
    }
    Ok(items)
}
