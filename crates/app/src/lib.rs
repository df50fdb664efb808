//! abierto's use cases: what the secretariat, its members, the reporting units, the data
//! publishers and the public do, written once and called alike by the web pages, the JSON
//! API, the demo loader and the command line.
//!
//! Each use case takes the [`App`] (the store, the kept files, the mailer, the clock and the
//! settings) and an [`Actor`] (who acts, with their role and units), checks the actor's
//! permission itself, checks the domain's rules against what is stored, and asks the store to
//! write; the store checks again, inside its transaction, whatever a concurrent request could
//! change. It answers with its own [`Error`], which knows nothing of HTTP. The view models that
//! pages, the API and documents render — a session's record and its acta, a plan's dashboard,
//! the quarterly report, the goal-tracking table, the open-data catalog — are built here, so
//! every reader is shown the same thing.
//!
//! One module per area: [`governance`] (bodies, members, bylaws), [`sessions`] (convening,
//! the record, the acta), [`plan`] (the action plan and its reports), [`programs`] (the
//! programs' own records), [`participation`] (calls, submissions, the Banco de Acciones),
//! [`open_data`] (the portal), [`own_datasets`] (the platform's records as open data),
//! [`accounts`] and [`imports`].

mod actor;
mod app;
mod clock;
mod error;
mod files;
mod mailer;
mod settings;

pub mod accounts;
pub mod governance;
pub mod imports;
pub mod open_data;
pub mod operations;
pub mod own_datasets;
pub mod participation;
pub mod past_record;
pub mod plan;
pub mod programs;
pub mod sessions;

pub use actor::Actor;
pub use app::{App, SetupError};
pub use clock::{Clock, ClockShift};
pub use error::{error_chain, Error, Result};
pub use files::{FileUpload, StoredFile};
pub use settings::{Settings, SmtpUrl};
