//! The municipality, its units, accounts, bodies, people, seats and bylaws as they stood
//! before abierto: entered once, at set-up.

use abierto_domain::account::Role;
use abierto_domain::ids::{BodyId, MembershipId, PersonId, UnitId, UserId};
use abierto_domain::municipality::Municipality;
pub use abierto_store::{NewBody, NewMembership, NewPerson, NewUser};
use chrono::NaiveDate;

use crate::{Actor, App, Result};

/// Creates or replaces the municipality's record.
pub async fn save_municipality(app: &App, actor: &Actor, m: &Municipality) -> Result<()> {
    actor.require(Role::can_manage_accounts)?;
    Ok(app.store().save_municipality(&actor.audit(), m).await?)
}

/// Creates an administrative unit; a taken name is `Conflict { field: "name" }`.
pub async fn create_unit(app: &App, actor: &Actor, name: &str) -> Result<UnitId> {
    actor.require(Role::can_manage_accounts)?;
    Ok(app.store().create_unit(&actor.audit(), name).await?)
}

/// Creates an account; a taken e-mail is `Conflict { field: "email" }`.
pub async fn create_user(app: &App, actor: &Actor, new: &NewUser) -> Result<UserId> {
    actor.require(Role::can_manage_accounts)?;
    Ok(app.store().create_user(&actor.audit(), new).await?)
}

/// Creates a body; a taken name is `Conflict { field: "name" }`.
pub async fn create_body(app: &App, actor: &Actor, new: &NewBody) -> Result<BodyId> {
    actor.require(Role::can_keep_sessions)?;
    Ok(app.store().create_body(&actor.audit(), new).await?)
}

/// Registers a member or official by name, honorific and gender.
pub async fn create_person(app: &App, actor: &Actor, new: &NewPerson) -> Result<PersonId> {
    actor.require(Role::can_keep_sessions)?;
    Ok(app.store().create_person(&actor.audit(), new).await?)
}

/// Seats a person in a body. A missing body, person or titular is `MissingReference`.
pub async fn create_membership(
    app: &App,
    actor: &Actor,
    new: &NewMembership,
) -> Result<MembershipId> {
    actor.require(Role::can_keep_sessions)?;
    Ok(app.store().create_membership(&actor.audit(), new).await?)
}

/// Records an article's text as adopted (not through an amendment), e.g. the bylaws as
/// first approved.
pub async fn adopt_article(
    app: &App,
    actor: &Actor,
    body: BodyId,
    article: i64,
    text: &str,
    in_force_from: NaiveDate,
) -> Result<()> {
    actor.require(Role::can_keep_sessions)?;
    Ok(app
        .store()
        .adopt_article(&actor.audit(), body, article, text, in_force_from)
        .await?)
}
