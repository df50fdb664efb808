//! The web layer's one error type. A handler returns `AppError`; the response carries an
//! [`ErrorReport`] that the `render_errors` middleware turns into the Spanish (or English)
//! HTML page or the JSON envelope `{"error":{"code","message","field"}}`, depending on the
//! route. A 5xx logs its cause and tells the client nothing about internals.

use abierto_domain::{ErrorCode, ValidationError};
use axum::http::header::RETRY_AFTER;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("not found")]
    NotFound,
    #[error("minutes not published")]
    MinutesNotPublished,
    #[error("invalid value: {0}")]
    Invalid(#[from] ValidationError),
    #[error("malformed JSON: {0}")]
    InvalidJson(String),
    /// A text field (named) holds U+0000, which PostgreSQL cannot store in text.
    #[error("NUL character in {0}")]
    NulCharacter(String),
    #[error("invalid field {field}: {detail}")]
    InvalidField { field: String, detail: String },
    #[error("missing field {0}")]
    MissingField(String),
    #[error("unsupported media type")]
    UnsupportedMediaType,
    #[error("payload too large")]
    PayloadTooLarge,
    #[error("not signed in")]
    Unauthenticated,
    #[error("forbidden")]
    Forbidden,
    #[error("CSRF token missing or wrong")]
    CsrfRejected,
    #[error("conflict on {field}")]
    Conflict { field: String },
    #[error("reference to a missing record")]
    MissingReference,
    #[error("throttled for {retry_after_secs} s")]
    Throttled { retry_after_secs: u64 },
    /// The record names a file that is not on disk.
    #[error("stored file missing: {0}")]
    StoredFileMissing(String),
    #[error("database unavailable: {0}")]
    Unavailable(String),
    #[error("internal error: {0}")]
    Internal(String),
}

impl From<abierto_app::Error> for AppError {
    fn from(err: abierto_app::Error) -> Self {
        use abierto_app::Error;
        match err {
            Error::NotFound => AppError::NotFound,
            Error::MinutesNotPublished => AppError::MinutesNotPublished,
            Error::Invalid(rule) => AppError::Invalid(rule),
            Error::Conflict { field } => AppError::Conflict { field },
            Error::MissingReference => AppError::MissingReference,
            Error::Unauthenticated => AppError::Unauthenticated,
            Error::Forbidden => AppError::Forbidden,
            Error::Throttled { retry_after_secs } => AppError::Throttled { retry_after_secs },
            Error::StoredFileMissing(name) => AppError::StoredFileMissing(name),
            Error::Unavailable(cause) => AppError::Unavailable(cause),
            Error::Internal(cause) => AppError::Internal(cause),
        }
    }
}

impl From<askama::Error> for AppError {
    fn from(err: askama::Error) -> Self {
        AppError::Internal(format!("template: {err}"))
    }
}

/// What a failed response carries until `render_errors` gives it a body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorReport {
    pub code: ErrorCode,
    pub field: Option<String>,
    /// Key of the message in the catalogs (`error.…`).
    pub message_key: String,
}

impl AppError {
    /// The stable code the response carries; its HTTP status comes with it.
    pub fn code(&self) -> ErrorCode {
        match self {
            AppError::NotFound => ErrorCode::NotFound,
            AppError::MinutesNotPublished => ErrorCode::MinutesNotPublished,
            AppError::Invalid(rule) => rule.code(),
            AppError::InvalidJson(_) => ErrorCode::InvalidJson,
            AppError::NulCharacter(_) => ErrorCode::NulCharacter,
            AppError::InvalidField { .. } => ErrorCode::InvalidField,
            AppError::MissingField(_) => ErrorCode::MissingField,
            AppError::UnsupportedMediaType => ErrorCode::UnsupportedMediaType,
            AppError::PayloadTooLarge => ErrorCode::PayloadTooLarge,
            AppError::Unauthenticated => ErrorCode::Unauthenticated,
            AppError::Forbidden => ErrorCode::Forbidden,
            AppError::CsrfRejected => ErrorCode::CsrfRejected,
            AppError::Conflict { .. } => ErrorCode::Conflict,
            AppError::MissingReference => ErrorCode::MissingReference,
            AppError::Throttled { .. } => ErrorCode::Throttled,
            AppError::StoredFileMissing(_) => ErrorCode::StoredFileMissing,
            AppError::Unavailable(_) => ErrorCode::Unavailable,
            AppError::Internal(_) => ErrorCode::Internal,
        }
    }

    pub fn status(&self) -> StatusCode {
        StatusCode::from_u16(self.code().http_status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }

    pub fn report(&self) -> ErrorReport {
        let code = self.code();
        let field = match self {
            AppError::Invalid(rule) => Some(rule.field().to_owned()),
            AppError::InvalidField { field, .. }
            | AppError::NulCharacter(field)
            | AppError::MissingField(field)
            | AppError::Conflict { field } => Some(field.clone()),
            _ => None,
        };
        let message_key = match (code, field.as_deref()) {
            (ErrorCode::Conflict, Some("email")) => "error.conflict_email".to_owned(),
            _ => code.message_key(),
        };
        ErrorReport {
            code,
            field,
            message_key,
        }
    }

    /// A report for a failure status produced outside our handlers (405, 408, 413…).
    pub fn report_for_status(status: StatusCode) -> ErrorReport {
        let code = match status {
            StatusCode::NOT_FOUND => ErrorCode::NotFound,
            StatusCode::METHOD_NOT_ALLOWED => ErrorCode::MethodNotAllowed,
            StatusCode::REQUEST_TIMEOUT => ErrorCode::Timeout,
            StatusCode::PAYLOAD_TOO_LARGE => ErrorCode::PayloadTooLarge,
            StatusCode::UNSUPPORTED_MEDIA_TYPE => ErrorCode::UnsupportedMediaType,
            StatusCode::UNAUTHORIZED => ErrorCode::Unauthenticated,
            StatusCode::FORBIDDEN => ErrorCode::Forbidden,
            s if s.is_server_error() => ErrorCode::Internal,
            _ => ErrorCode::InvalidField,
        };
        ErrorReport {
            code,
            field: None,
            message_key: code.message_key(),
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let status = self.status();
        if status.is_server_error() {
            tracing::error!(error = %self, "request failed");
        }
        let mut response = status.into_response();
        if let AppError::Throttled { retry_after_secs } = self {
            response
                .headers_mut()
                .insert(RETRY_AFTER, HeaderValue::from(retry_after_secs));
        }
        response.extensions_mut().insert(self.report());
        response
    }
}

/// The JSON error envelope of `/api/v1`.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ErrorEnvelope {
    pub error: ErrorBody,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    /// Stable snake_case code, e.g. `invalid_field`.
    pub code: ErrorCode,
    /// Human-readable message (Spanish unless English was chosen).
    pub message: String,
    /// The offending input field, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}
