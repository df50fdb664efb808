//! How a page answers a posted form that was refused: telling a refusal a person can correct
//! from a failure, and showing the form again with the refusal's status. Forms are read with
//! [`HtmlForm`](crate::html_form::HtmlForm).

use axum::response::{IntoResponse, Response};

use crate::AppError;

/// A refused form shown again, answered with the refusal's status.
pub fn refused(err: &AppError, page: Result<Response, AppError>) -> Result<Response, AppError> {
    Ok((err.status(), page?).into_response())
}

/// Errors a person can correct: shown on the form rather than as an error page.
pub fn is_refusal(err: &AppError) -> bool {
    matches!(
        err,
        AppError::Invalid(_) | AppError::Conflict { .. } | AppError::MissingReference
    )
}
