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

/// A session and an agenda position, from `/…/sessions/{id}/agenda/{position}/…`.
pub struct ItemPath(
    pub abierto_domain::ids::SessionId,
    /// 1-based agenda position.
    pub i64,
);

impl<S: Send + Sync> FromRequestParts<S> for ItemPath {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
        let Path((session, position)) = Path::<(String, String)>::from_request_parts(parts, state)
            .await
            .map_err(|_| AppError::NotFound)?;
        let session = session.parse().map_err(|_| AppError::NotFound)?;
        let position = position
            .parse::<i64>()
            .ok()
            .filter(|p| *p > 0)
            .ok_or(AppError::NotFound)?;
        Ok(ItemPath(session, position))
    }
}

/// A commitment and a month, from `/reportes/{commitment}/{month}`.
pub struct ReportPath(
    pub abierto_domain::ids::CommitmentId,
    pub abierto_domain::plan::YearMonth,
);

impl<S: Send + Sync> FromRequestParts<S> for ReportPath {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
        let Path((commitment, month)) = Path::<(String, String)>::from_request_parts(parts, state)
            .await
            .map_err(|_| AppError::NotFound)?;
        let commitment = commitment.parse().map_err(|_| AppError::NotFound)?;
        let month =
            abierto_domain::plan::YearMonth::parse(&month).map_err(|_| AppError::NotFound)?;
        Ok(ReportPath(commitment, month))
    }
}
