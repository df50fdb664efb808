//! `IdPath<T>`: a typed id taken from the URL path. Anything that is not a valid id is a
//! 404 — the same answer as an id that does not exist.

use std::str::FromStr;

use axum::extract::{FromRequestParts, Path};
use axum::http::request::Parts;

use crate::AppError;

pub struct IdPath<T>(pub T);

impl<S: Send + Sync, T: FromStr + Send> FromRequestParts<S> for IdPath<T> {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
        let Path(raw) = Path::<String>::from_request_parts(parts, state)
            .await
            .map_err(|_| AppError::NotFound)?;
        raw.parse().map(IdPath).map_err(|_| AppError::NotFound)
    }
}
