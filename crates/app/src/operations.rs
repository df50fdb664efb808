//! Keeping the platform running: the health check, the periodic clean-up of expired
//! sign-ins, and what start-up needs to know of the database.

use abierto_domain::municipality::Municipality;

use crate::{App, Result};

/// A round trip to the database.
pub async fn ping(app: &App) -> Result<()> {
    Ok(app.store().ping().await?)
}

/// True when nothing has been loaded yet: no municipality and no account.
pub async fn is_empty(app: &App) -> Result<bool> {
    Ok(app.store().is_empty().await?)
}

/// Whether any administrator exists: a new installation has none until `abierto init`.
pub async fn has_administrator(app: &App) -> Result<bool> {
    Ok(app.store().has_administrator().await?)
}

/// The municipality the installation serves, once it is recorded.
pub async fn municipality(app: &App) -> Result<Option<Municipality>> {
    Ok(app.store().municipality().await?)
}

/// Deletes expired sessions, and failed sign-ins and submission attempts a day old. Safe with
/// several instances: each delete is idempotent.
pub async fn housekeeping(app: &App) {
    let store = app.store();
    let now = app.clock().now();
    if let Err(err) = store.purge_expired_sessions(now).await {
        tracing::warn!(error = %err, "no se pudieron borrar las sesiones vencidas");
    }
    if let Err(err) = store
        .purge_login_failures(now - chrono::Duration::days(1))
        .await
    {
        tracing::warn!(error = %err, "no se pudieron borrar los intentos fallidos antiguos");
    }
    if let Err(err) = store
        .purge_submission_attempts(now - chrono::Duration::days(1))
        .await
    {
        tracing::warn!(error = %err, "no se pudieron borrar los envíos antiguos");
    }
}

/// The files the records name that are not on disk, as (file name, hash): reported at
/// start-up, so that a database restored without its files is noticed by its operators.
pub async fn missing_stored_files(app: &App) -> Result<Vec<(String, String)>> {
    let mut missing = Vec::new();
    for file in app.store().stored_files().await? {
        if !app.files().is_kept(file.shelf, &file.sha256).await {
            missing.push((file.filename, file.sha256));
        }
    }
    Ok(missing)
}

/// Closes the pool's connections, on shutdown.
pub async fn close(app: &App) {
    app.store().close().await;
}
