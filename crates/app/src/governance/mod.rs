//! The secretariat's bodies and the people who sit in them, and each body's bylaws
//! (lineamientos): seating members under the bylaws' rules, proposing amendments, and the
//! consolidated text at any date.

pub mod amendments;
pub mod bylaws_view;
pub mod membership;

use abierto_domain::bylaws::ArticleVersion;
use abierto_domain::governance::{Body, Membership, Person};
use abierto_domain::ids::{BodyId, UnitId};
use abierto_domain::local_time::{Tz, DEFAULT_ZONE};
use abierto_domain::municipality::Unit;
use abierto_domain::ErrorCode;
use abierto_domain::ValidationError;

use crate::{App, Result};

/// The Unidad Responsable with this name (case aside); `unknown_unit` otherwise.
pub(crate) async fn unit_named(app: &App, name: &str) -> Result<UnitId> {
    let units = app.store().units().await?;
    Unit::find_named(&units, name)
        .map(|u| u.id)
        .ok_or_else(|| ValidationError::new("unit", ErrorCode::UnknownUnit).into())
}

/// The time zone the municipality's dates and deadlines are read in: its own once recorded,
/// central Mexico's until then.
pub async fn time_zone(app: &App) -> Result<Tz> {
    Ok(app
        .store()
        .municipality()
        .await?
        .map_or(DEFAULT_ZONE, |m| m.time_zone))
}

/// Every collegiate body, by period.
pub async fn bodies(app: &App) -> Result<Vec<Body>> {
    Ok(app.store().bodies().await?)
}

pub async fn body(app: &App, id: BodyId) -> Result<Body> {
    Ok(app.store().body(id).await?)
}

/// Every seat ever held in the body, with the person who holds it.
pub async fn members(app: &App, body: BodyId) -> Result<Vec<(Membership, Person)>> {
    Ok(app.store().memberships_of(body).await?)
}

/// How many seats each body has today.
pub async fn member_counts(app: &App) -> Result<Vec<(BodyId, i64)>> {
    Ok(app.store().member_counts().await?)
}

/// Every person registered, members and officials alike.
pub async fn people(app: &App) -> Result<Vec<Person>> {
    Ok(app.store().people().await?)
}

/// Every version of every article of the body's bylaws, as adopted and amended.
pub async fn article_versions(app: &App, body: BodyId) -> Result<Vec<ArticleVersion>> {
    Ok(app.store().article_versions(body).await?)
}
