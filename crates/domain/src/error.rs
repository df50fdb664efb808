//! The one error type of the domain: a value that breaks a rule.

use crate::ErrorCode;

/// A rule broken by an input value. `code()` is stable and is what API clients match on;
/// `field()` names the input that carried the value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {code}")]
pub struct ValidationError {
    code: ErrorCode,
    field: &'static str,
}

impl ValidationError {
    pub const fn new(field: &'static str, code: ErrorCode) -> Self {
        Self { code, field }
    }

    /// Stable snake_case code, e.g. `invalid_email`.
    pub fn code(&self) -> ErrorCode {
        self.code
    }

    /// The input field the value came from, e.g. `email`.
    pub fn field(&self) -> &'static str {
        self.field
    }
}
