//! Conversions between stored column values and domain values, shared by every table module.

use chrono::{DateTime, NaiveDate, Utc};

use crate::StoreError;

pub(crate) fn to_unix(at: DateTime<Utc>) -> i64 {
    at.timestamp()
}

pub(crate) fn from_unix(secs: i64) -> Result<DateTime<Utc>, StoreError> {
    DateTime::from_timestamp(secs, 0)
        .ok_or_else(|| StoreError::Corrupt(format!("timestamp {secs}")))
}

pub(crate) fn to_iso(day: NaiveDate) -> String {
    day.format("%Y-%m-%d").to_string()
}

pub(crate) fn from_iso(text: &str) -> Result<NaiveDate, StoreError> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map_err(|_| StoreError::Corrupt(format!("date {text:?}")))
}
