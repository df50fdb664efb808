//! The store's one error type; sqlx's errors are translated here and nowhere else.

use sqlx::error::ErrorKind;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("record not found")]
    NotFound,
    /// A unique constraint refused the write; `field` names the column (e.g. `email`).
    #[error("conflict on field `{field}`")]
    Conflict { field: String },
    /// The write pointed at a record that does not exist (foreign key).
    #[error("reference to a missing record")]
    MissingReference,
    /// A value broke a CHECK or NOT NULL constraint.
    #[error("value refused by the database")]
    InvalidValue,
    /// A rule of the domain refused the change; checked inside the transaction that would
    /// have made it.
    #[error("refused: {0}")]
    Refused(abierto_domain::ValidationError),
    /// The URL names a database this build cannot use.
    #[error("unsupported database URL (expected sqlite:// or postgres://)")]
    UnsupportedUrl,
    /// The database could not be reached (connection refused, pool timed out…).
    #[error("database unavailable: {0}")]
    Unavailable(String),
    /// A stored value no longer parses into a domain value.
    #[error("stored data is inconsistent: {0}")]
    Corrupt(String),
    #[error("database error: {0}")]
    Other(#[source] Box<dyn std::error::Error + Send + Sync>),
}

impl From<sqlx::Error> for StoreError {
    fn from(err: sqlx::Error) -> Self {
        match err {
            sqlx::Error::RowNotFound => StoreError::NotFound,
            sqlx::Error::Database(db) => match db.kind() {
                ErrorKind::UniqueViolation => StoreError::Conflict {
                    field: unique_field(db.as_ref()),
                },
                ErrorKind::ForeignKeyViolation => StoreError::MissingReference,
                ErrorKind::CheckViolation | ErrorKind::NotNullViolation => StoreError::InvalidValue,
                _ => StoreError::Other(Box::new(sqlx::Error::Database(db))),
            },
            sqlx::Error::PoolTimedOut
            | sqlx::Error::PoolClosed
            | sqlx::Error::Io(_)
            | sqlx::Error::Tls(_) => StoreError::Unavailable(err.to_string()),
            sqlx::Error::Migrate(m) => StoreError::Other(m),
            other => StoreError::Other(Box::new(other)),
        }
    }
}

impl From<abierto_domain::ValidationError> for StoreError {
    fn from(err: abierto_domain::ValidationError) -> Self {
        StoreError::Corrupt(err.to_string())
    }
}

/// The column a unique violation is about. PostgreSQL names the constraint
/// (`users_email_key`, `{table}_{column}_key`, composite keys named after their last column);
/// SQLite says `UNIQUE constraint failed: users.email`.
fn unique_field(db: &dyn sqlx::error::DatabaseError) -> String {
    if let (Some(constraint), Some(table)) = (db.constraint(), db.table()) {
        let column = constraint
            .strip_prefix(table)
            .and_then(|rest| rest.strip_prefix('_'))
            .and_then(|rest| rest.strip_suffix("_key"))
            .unwrap_or(constraint);
        return column.to_owned();
    }
    // SQLite lists every column of the violated key; the last one is the field a person chose
    // (the `number` of `body_id, kind, year, number`).
    let message = db.message();
    message
        .rsplit_once(": ")
        .and_then(|(_, cols)| cols.split(", ").last())
        .map(|col| col.rsplit('.').next().unwrap_or(col).to_owned())
        .unwrap_or_else(|| "unknown".to_owned())
}
