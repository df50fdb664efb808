//! The use cases' one error type. A refusal a person can correct carries the domain's
//! [`ValidationError`] (a stable code and the field it is about); the rest say what kind of
//! failure it was, and a failure of the platform itself keeps its cause for the log.

use abierto_domain::ValidationError;
use abierto_store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("not found")]
    NotFound,
    /// The session exists, but the public may not read its acta yet.
    #[error("minutes not published")]
    MinutesNotPublished,
    #[error("invalid value: {0}")]
    Invalid(#[from] ValidationError),
    /// A unique value is taken (`email`, `number`…).
    #[error("conflict on {field}")]
    Conflict { field: String },
    #[error("reference to a missing record")]
    MissingReference,
    #[error("not signed in")]
    Unauthenticated,
    #[error("forbidden")]
    Forbidden,
    /// Too many attempts from one address or at one account; asking again after
    /// `retry_after_secs` seconds may succeed.
    #[error("throttled for {retry_after_secs} s")]
    Throttled { retry_after_secs: u64 },
    /// A record names a kept file that is not on disk (a database restored without its
    /// files): the record stands, its content is gone.
    #[error("stored file missing: {0}")]
    StoredFileMissing(String),
    #[error("database unavailable: {0}")]
    Unavailable(String),
    #[error("internal error: {0}")]
    Internal(String),
}

impl Error {
    /// Whether a person can correct what they sent: shown on the form, not as an error page.
    pub fn is_refusal(&self) -> bool {
        matches!(
            self,
            Error::Invalid(_) | Error::Conflict { .. } | Error::MissingReference
        )
    }

    pub(crate) fn internal(context: &str, err: impl std::fmt::Display) -> Error {
        Error::Internal(format!("{context}: {err}"))
    }
}

impl From<StoreError> for Error {
    fn from(err: StoreError) -> Self {
        match err {
            StoreError::NotFound => Error::NotFound,
            StoreError::Conflict { field } => Error::Conflict { field },
            StoreError::MissingReference => Error::MissingReference,
            StoreError::Refused(rule) => Error::Invalid(rule),
            StoreError::Unavailable(cause) => Error::Unavailable(cause),
            other => Error::Internal(error_chain(&other)),
        }
    }
}

/// "outer: inner: innermost", for logs.
pub fn error_chain(err: &dyn std::error::Error) -> String {
    let mut text = err.to_string();
    let mut source = err.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
