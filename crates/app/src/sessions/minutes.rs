//! The acta after the session: frozen when a later session approves it, signed by those
//! present, published; and which text each reader gets.

use abierto_documents::minutes::{compose, to_markdown, Block};
use abierto_domain::account::Role;
use abierto_domain::ids::SessionId;
use abierto_domain::sessions::Session;
use abierto_domain::ErrorCode;
use abierto_domain::ValidationError;
use abierto_store::FrozenMinutes;
use sha2::{Digest, Sha256};

use crate::files::hex;
use crate::sessions::SessionView;
use crate::{Actor, App, Error};

/// The acta of `of` as it reads when approved in `approving`, ready to be frozen.
pub async fn frozen_minutes(
    app: &App,
    of: SessionId,
    approving: &Session,
) -> Result<FrozenMinutes, Error> {
    let view = SessionView::load(app, of).await?;
    let blocks = compose(&view.minutes_input_approved_in(approving));
    let blocks_json = serde_json::to_string(&blocks)
        .map_err(|e| Error::Internal(format!("minutes json: {e}")))?;
    Ok(FrozenMinutes {
        of,
        blocks_json,
        text_sha256: text_sha256(&blocks),
    })
}

/// SHA-256 (hex) of the acta's Markdown text: what a signature vouches for.
pub fn text_sha256(blocks: &[Block]) -> String {
    hex(&Sha256::digest(to_markdown(blocks).as_bytes()))
}

/// Which acta the actor reads: the public only a published version (`MinutesNotPublished`
/// until there is one); the secretariat and the members the current one (a live draft, or the
/// frozen text once approved).
pub async fn readable(app: &App, actor: &Actor, view: &SessionView) -> Result<Vec<Block>, Error> {
    let session = view.record.session.id;
    let version = if actor.may(Role::can_read_draft_minutes) {
        match view.versions.last() {
            Some(v) if v.status != abierto_domain::minutes::MinutesStatus::Draft => Some(v),
            _ => return Ok(compose(&view.minutes_input())),
        }
    } else {
        view.published_version()
    };
    let Some(version) = version else {
        return Err(Error::MinutesNotPublished);
    };
    let json = app.store().minutes_blocks(session, version.version).await?;
    serde_json::from_str(&json).map_err(|e| Error::internal("stored minutes", e))
}

/// Signs the approved acta as the signed-in user, who must be linked to a person present.
pub async fn sign(app: &App, actor: &Actor, session: SessionId) -> Result<(), Error> {
    let user = actor.require_account(|_| true)?;
    let view = SessionView::load(app, session).await?;
    let Some(person) = user.person else {
        return Err(ValidationError::new("user", ErrorCode::SignerNotPresent).into());
    };
    let membership = view
        .record
        .attendance
        .iter()
        .find(|a| {
            view.seat(a.membership)
                .is_some_and(|(m, _)| m.person == person)
        })
        .map(|a| a.membership)
        .ok_or(ValidationError::new("user", ErrorCode::SignerNotPresent))?;
    if view.signatures.iter().any(|s| s.membership == membership) {
        return Err(ValidationError::new("user", ErrorCode::AlreadySigned).into());
    }
    app.store()
        .sign_minutes(
            &actor.audit(),
            session,
            membership,
            user.id,
            app.clock().now(),
        )
        .await?;
    Ok(())
}

/// Publishes the signed acta; the store refuses it (`annex_missing`) while an annex it
/// announces is not attached.
pub async fn publish(app: &App, actor: &Actor, session: SessionId) -> Result<(), Error> {
    actor.require(Role::can_keep_sessions)?;
    app.store()
        .publish_minutes(&actor.audit(), session, app.clock().now())
        .await?;
    Ok(())
}

/// Opens a new version of an approved acta: the record may be corrected, and the new version
/// must be approved again. Earlier versions stay as they were.
pub async fn correct(app: &App, actor: &Actor, session: SessionId) -> Result<(), Error> {
    actor.require(Role::can_keep_sessions)?;
    app.store().correct_minutes(&actor.audit(), session).await?;
    Ok(())
}
