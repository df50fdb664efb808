//! Persistence for abierto: one `Store` that speaks to an SQLite file (the default) or to
//! PostgreSQL (selected by a `postgres://` URL).
//!
//! Both backends run the same SQL through sqlx's `Any` driver with `$n` placeholders; what
//! differs between them — connection setup, pragmas, the DDL in each backend's own
//! `migrations/` folder — lives in `backend.rs`. Every write takes an [`Actor`] and records an
//! audit-log line in the same transaction, so no change goes unrecorded. Driver errors never
//! leave this crate: they become a [`StoreError`]. The conformance suite in `tests/` runs
//! unchanged against either backend.

mod accounts;
mod annexes;
mod audit;
mod audit_action;
mod audit_subject;
mod backend;
mod bylaws;
mod calls;
mod catalog;
mod datastore;
mod error;
mod governance;
mod imports;
mod indicators;
mod login_sessions;
mod minutes;
mod municipality;
mod notices;
mod origins;
mod own_records;
mod plans;
mod programs;
mod resource_versions;
mod rows;
mod schedule;
mod sessions;
mod stored_files;
mod submissions;
#[cfg(feature = "test-support")]
pub mod testing;
mod throttle;
mod write;
mod youth;

pub use accounts::NewUser;
pub use annexes::NewAnnex;
pub use audit::{Actor, AuditEntry};
pub use audit_action::AuditAction;
pub use audit_subject::AuditSubject;
pub use backend::Backend;
pub use bylaws::NewAmendment;
pub use calls::{AgendaProposal, ApprovingItem, Call, NewCall};
pub use catalog::{Dataset, Publisher, Resource};
pub use datastore::{
    CellValue, DatastoreField, DatastorePage, DatastoreQuery, DatastoreTable, DatastoreType,
};
pub use error::StoreError;
pub use governance::{NewBody, NewMembership, NewPerson};
pub use imports::{BatchOutcome, BatchRefused, ImportBatch, StageChangeRow};
pub use minutes::{FrozenMinutes, SheetEntry};
pub use notices::{NewNotice, Notice, NoticeStatus};
pub use origins::Origin;
pub use own_records::OwnRecordsPublication;
pub use plans::{
    Commitment, CommitmentEdit, Goal, GoalReading, NewCommitment, NewGoal, NewPlan, Plan,
    ProgressNote, Saved,
};
pub use programs::{Agreement, Event, Inquiry, NewAgreement, Outreach, Span, Training, Work};
pub use resource_versions::{CheckOutcome, FindingGroupRecord, NewVersion, ResourceVersion};
pub use schedule::{
    DoneLine, Evidence, MonthlyReport, NewEvidence, Quantity, ReportEvidence, ReportState,
    ScheduleEntry,
};
pub use sessions::{NewAgendaItem, NewMotion, NewSession, SessionRecord};
pub use stored_files::{FileShelf, StoredFileRef};
pub use submissions::{BankEntry, NewSubmission, Proponent, Receipt, Submission, SubmissionNote};
pub use throttle::{AttemptClaim, LoginAttempt, ThrottleScope};
pub use write::Change;
pub use youth::{YouthSeat, YOUTH_CARGO};

use sqlx::AnyPool;

/// A handle on the database; cheap to clone (it holds a connection pool).
#[derive(Clone)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
    changes: tokio::sync::broadcast::Sender<Change>,
}

impl Store {
    /// Connects to `url` (`sqlite://…` or `postgres://…`). Does not migrate.
    pub async fn connect(url: &str) -> Result<Store, StoreError> {
        let backend = Backend::from_url(url)?;
        let pool = backend.connect(url).await?;
        let (changes, _) = tokio::sync::broadcast::channel(write::ANNOUNCED_CHANGES);
        Ok(Store {
            pool,
            backend,
            changes,
        })
    }

    /// Applies this backend's pending migrations.
    pub async fn migrate(&self) -> Result<(), StoreError> {
        self.backend.migrate(&self.pool).await
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// A round trip to the database, for health checks.
    pub async fn ping(&self) -> Result<(), StoreError> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    /// True when nothing has been loaded yet: no municipality and no account.
    pub async fn is_empty(&self) -> Result<bool, StoreError> {
        let row: (i64,) = sqlx::query_as(
            "SELECT (SELECT COUNT(*) FROM users) + (SELECT COUNT(*) FROM municipality)",
        )
        .fetch_one(&self.pool)
        .await?;
        Ok(row.0 == 0)
    }

    /// Starts a transaction that will write. On SQLite it takes the write lock at once
    /// (`BEGIN IMMEDIATE`), so concurrent writers wait their turn (busy_timeout) instead of
    /// failing when a read inside the transaction would have to be upgraded to a write.
    pub(crate) async fn begin_write(&self) -> Result<write::Write, StoreError> {
        let statement = match self.backend {
            Backend::Sqlite => "BEGIN IMMEDIATE",
            Backend::Postgres => "BEGIN",
        };
        let tx = self.pool.begin_with(statement).await?;
        Ok(write::Write::new(tx, self.changes.clone()))
    }

    /// Every write committed from now on, as it commits (on this instance: another process
    /// on the same database announces its own).
    pub fn changes(&self) -> tokio::sync::broadcast::Receiver<Change> {
        self.changes.subscribe()
    }

    /// Closes every pooled connection; used on shutdown.
    pub async fn close(&self) {
        self.pool.close().await;
    }
}
