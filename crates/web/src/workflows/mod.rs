//! The secretariat's procedures, shared by the HTML forms and the JSON API. Each one checks
//! the domain's rules against what is stored, then asks the store to write; the store checks
//! again, inside its transaction, whatever a concurrent request could change (numbering, an
//! acta's status).

pub mod bylaws;
pub mod call_admin;
pub mod calls;
pub mod convene;
pub mod files;
pub mod membership;
pub mod minutes;
pub mod open_data;
pub mod plans;
pub mod record;
pub mod records;
pub mod reporting;

use abierto_domain::ids::UnitId;
use abierto_domain::ValidationError;
use abierto_store::Store;

use crate::AppError;

/// The Unidad Responsable with this name (case aside); `unknown_unit` otherwise.
pub(crate) async fn unit_named(store: &Store, name: &str) -> Result<UnitId, AppError> {
    store
        .units()
        .await?
        .into_iter()
        .find(|u| u.name.eq_ignore_ascii_case(name.trim()))
        .map(|u| u.id)
        .ok_or_else(|| ValidationError::new("unit", "unknown_unit").into())
}
