//! Turning what a form or an API call submitted into a valid new account.

use abierto_domain::account::{DisplayName, Email, Password, Role};
use abierto_domain::ids::UnitId;
use abierto_domain::ValidationError;
use abierto_store::NewUser;

/// Checks every value and hashes the password. Units are kept only for the reporting-unit
/// role, the one role scoped to units.
pub fn new_account(
    email: &str,
    name: &str,
    role: Role,
    password: &str,
    units: Vec<UnitId>,
) -> Result<NewUser, ValidationError> {
    Ok(NewUser {
        email: Email::parse(email)?,
        name: DisplayName::parse(name)?,
        role,
        password_hash: Password::parse(password)?.hash()?,
        person: None,
        units: if role.is_scoped_to_units() {
            units
        } else {
            Vec::new()
        },
    })
}
