//! Reading a posted HTML form whose fields repeat (one row per agenda item, per figure), and
//! telling a refusal a person can correct from a failure.

use axum::response::{IntoResponse, Response};

use crate::AppError;

/// The fields of an `application/x-www-form-urlencoded` body, in order.
pub struct FormFields(Vec<(String, String)>);

impl FormFields {
    pub fn parse(body: &[u8]) -> FormFields {
        FormFields(
            form_urlencoded::parse(body)
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect(),
        )
    }

    /// The first value of `name`, empty when absent.
    pub fn field(&self, name: &str) -> &str {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .unwrap_or_default()
    }

    /// Every value of `name`, in order: one per row of a table form.
    pub fn column(&self, name: &str) -> Vec<&str> {
        self.0
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .collect()
    }
}

/// The `i`th value of a column, empty when the row is short.
pub fn cell(column: &[&str], i: usize) -> String {
    column.get(i).copied().unwrap_or_default().to_owned()
}

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
