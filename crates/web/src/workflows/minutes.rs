//! The acta after the session: frozen when a later session approves it, signed by those
//! present, published; and which text each reader gets.

use abierto_documents::minutes::{compose, to_markdown, Block};
use abierto_domain::account::User;
use abierto_domain::findings::FindingKind;
use abierto_domain::ids::SessionId;
use abierto_domain::sessions::Session;
use abierto_domain::ValidationError;
use abierto_store::{Actor, FrozenMinutes, Store};
use chrono::Utc;
use sha2::{Digest, Sha256};

use super::files::hex;
use crate::session_view::SessionView;
use crate::AppError;

/// The acta of `of` as it reads when approved in `approving`, ready to be frozen.
pub async fn frozen_minutes(
    store: &Store,
    of: SessionId,
    approving: &Session,
) -> Result<FrozenMinutes, AppError> {
    let view = SessionView::load(store, of).await?;
    let blocks = compose(&view.minutes_input_approved_in(approving));
    let blocks_json = serde_json::to_string(&blocks)
        .map_err(|e| AppError::Internal(format!("minutes json: {e}")))?;
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

/// Which acta a reader gets: the public only a published version; the secretariat and the
/// members the current one (a live draft, or the frozen text once approved).
pub async fn readable_blocks(
    store: &Store,
    view: &SessionView,
    can_read_drafts: bool,
) -> Result<Option<Vec<Block>>, AppError> {
    let session = view.record.session.id;
    let version = if can_read_drafts {
        match view.versions.last() {
            Some(v) if v.status != abierto_domain::minutes::MinutesStatus::Draft => Some(v),
            _ => return Ok(Some(compose(&view.minutes_input()))),
        }
    } else {
        view.published_version()
    };
    let Some(version) = version else {
        return Ok(None);
    };
    let json = store.minutes_blocks(session, version.version).await?;
    let blocks: Vec<Block> = serde_json::from_str(&json)
        .map_err(|e| AppError::Internal(format!("stored minutes: {e}")))?;
    Ok(Some(blocks))
}

/// Signs the approved acta as the signed-in user, who must be linked to a person present.
pub async fn sign(
    store: &Store,
    actor: &Actor,
    user: &User,
    session: SessionId,
) -> Result<(), AppError> {
    let view = SessionView::load(store, session).await?;
    let Some(person) = user.person else {
        return Err(ValidationError::new("user", "signer_not_present").into());
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
        .ok_or(ValidationError::new("user", "signer_not_present"))?;
    if view.signatures.iter().any(|s| s.membership == membership) {
        return Err(ValidationError::new("user", "already_signed").into());
    }
    store
        .sign_minutes(actor, session, membership, user.id, Utc::now())
        .await?;
    Ok(())
}

/// Publishes the signed acta; refused while an annex it announces is not attached.
pub async fn publish(store: &Store, actor: &Actor, session: SessionId) -> Result<(), AppError> {
    let view = SessionView::load(store, session).await?;
    if view
        .findings()
        .iter()
        .any(|f| f.kind == FindingKind::AnnexMissing)
    {
        return Err(ValidationError::new("annexes", "annex_missing").into());
    }
    store.publish_minutes(actor, session, Utc::now()).await?;
    Ok(())
}
