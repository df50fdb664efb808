//! Importing the spreadsheets people already keep: plans, commitments, goals, Mi Barrio
//! Habla's agreements and the works' stage changes, read by `abierto-imports` into a
//! row-by-row report; the secretariat's alone.

use abierto_domain::account::Role;
pub use abierto_imports::spanish::{spanish_name, template};
pub use abierto_imports::{ImportKind, ImportMode, ImportReport};

use crate::{Actor, App, Result};

/// Reads, checks and, when the mode allows, writes a CSV file of `kind`.
pub async fn run(
    app: &App,
    actor: &Actor,
    kind: ImportKind,
    mode: ImportMode,
    bytes: &[u8],
) -> Result<ImportReport> {
    actor.require(Role::can_keep_sessions)?;
    Ok(abierto_imports::import(app.store(), &actor.audit(), kind, mode, bytes).await?)
}
