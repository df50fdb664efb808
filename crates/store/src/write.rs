//! The one way the store writes: a [`Write`] opens the transaction (taking SQLite's write
//! lock at once), the statements run on it, [`record`](crate::audit::record) adds the audit
//! entry and notes the action, and [`Write::commit`] commits and then announces what changed,
//! so that whoever keeps something derived from the records (the platform's own datasets)
//! learns of every write, whichever caller made it. A write dropped without committing is
//! rolled back and announces nothing.

use std::ops::{Deref, DerefMut};

use sqlx::AnyConnection;
use tokio::sync::broadcast;

use crate::audit_action::AuditAction;
use crate::StoreError;

/// A committed write, as announced to [`Store::changes`](crate::Store::changes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Change {
    pub action: AuditAction,
}

/// How many announcements a slow listener may fall behind before it is told it lagged.
pub(crate) const ANNOUNCED_CHANGES: usize = 256;

/// A write in progress: its transaction and the actions it has recorded.
pub(crate) struct Write {
    tx: sqlx::Transaction<'static, sqlx::Any>,
    actions: Vec<AuditAction>,
    announce: broadcast::Sender<Change>,
}

impl Write {
    pub(crate) fn new(
        tx: sqlx::Transaction<'static, sqlx::Any>,
        announce: broadcast::Sender<Change>,
    ) -> Write {
        Write {
            tx,
            actions: Vec::new(),
            announce,
        }
    }

    pub(crate) fn note(&mut self, action: AuditAction) {
        if !self.actions.contains(&action) {
            self.actions.push(action);
        }
    }

    /// Commits, then announces each action recorded.
    pub(crate) async fn commit(self) -> Result<(), StoreError> {
        self.tx.commit().await?;
        for action in self.actions {
            // Nobody listening is no failure: the write stands.
            let _ = self.announce.send(Change { action });
        }
        Ok(())
    }
}

impl Deref for Write {
    type Target = AnyConnection;

    fn deref(&self) -> &AnyConnection {
        &self.tx
    }
}

impl DerefMut for Write {
    fn deref_mut(&mut self) -> &mut AnyConnection {
        &mut self.tx
    }
}
