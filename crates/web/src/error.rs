//! The web layer's one error type. A handler returns `AppError`; the response carries an
//! [`ErrorReport`] that the `render_errors` middleware turns into the Spanish (or English)
//! HTML page or the JSON envelope `{"error":{"code","message","field"}}`, depending on the
//! route. A 5xx logs its cause and tells the client nothing about internals.

use abierto_domain::ValidationError;
use axum::http::StatusCode;
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
    #[error("throttled")]
    Throttled,
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
            Error::Throttled => AppError::Throttled,
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
    pub code: &'static str,
    pub field: Option<String>,
    /// Key of the message in the catalogs (`error.…`).
    pub message_key: String,
}

impl AppError {
    pub fn status(&self) -> StatusCode {
        match self {
            AppError::NotFound | AppError::MinutesNotPublished => StatusCode::NOT_FOUND,
            AppError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::InvalidJson(_)
            | AppError::InvalidField { .. }
            | AppError::MissingField(_) => StatusCode::BAD_REQUEST,
            AppError::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            AppError::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::Unauthenticated => StatusCode::UNAUTHORIZED,
            AppError::Forbidden | AppError::CsrfRejected => StatusCode::FORBIDDEN,
            AppError::Conflict { .. } => StatusCode::CONFLICT,
            AppError::MissingReference => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::Throttled => StatusCode::TOO_MANY_REQUESTS,
            AppError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    pub fn report(&self) -> ErrorReport {
        let (code, field): (&'static str, Option<String>) = match self {
            AppError::NotFound => ("not_found", None),
            AppError::MinutesNotPublished => ("minutes_not_published", None),
            AppError::Invalid(v) => (v.code(), Some(v.field().to_owned())),
            AppError::InvalidJson(_) => ("invalid_json", None),
            AppError::InvalidField { field, .. } => ("invalid_field", Some(field.clone())),
            AppError::MissingField(field) => ("missing_field", Some(field.clone())),
            AppError::UnsupportedMediaType => ("unsupported_media_type", None),
            AppError::PayloadTooLarge => ("payload_too_large", None),
            AppError::Unauthenticated => ("unauthenticated", None),
            AppError::Forbidden => ("forbidden", None),
            AppError::CsrfRejected => ("csrf_rejected", None),
            AppError::Conflict { field } => ("conflict", Some(field.clone())),
            AppError::MissingReference => ("missing_reference", None),
            AppError::Throttled => ("throttled", None),
            AppError::Unavailable(_) => ("unavailable", None),
            AppError::Internal(_) => ("internal", None),
        };
        let message_key = match (code, field.as_deref()) {
            ("conflict", Some("email")) => "error.conflict_email".to_owned(),
            _ => format!("error.{code}"),
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
            StatusCode::NOT_FOUND => "not_found",
            StatusCode::METHOD_NOT_ALLOWED => "method_not_allowed",
            StatusCode::REQUEST_TIMEOUT => "timeout",
            StatusCode::PAYLOAD_TOO_LARGE => "payload_too_large",
            StatusCode::UNSUPPORTED_MEDIA_TYPE => "unsupported_media_type",
            StatusCode::UNAUTHORIZED => "unauthenticated",
            StatusCode::FORBIDDEN => "forbidden",
            s if s.is_server_error() => "internal",
            _ => "invalid_field",
        };
        ErrorReport {
            code,
            field: None,
            message_key: format!("error.{code}"),
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
    pub code: String,
    /// Human-readable message (Spanish unless English was chosen).
    pub message: String,
    /// The offending input field, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}
