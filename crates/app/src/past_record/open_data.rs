//! The portal's publishers and datasets as they stood before abierto.

use abierto_domain::account::Role;
use abierto_domain::ids::{DatasetId, PublisherId, UnitId};
use abierto_domain::opendata::{DatasetMetadata, Slug};
use chrono::{DateTime, Utc};

use crate::{Actor, App, Result};

/// Makes a unit a publisher, known in URLs and the CKAN API by `slug`.
pub async fn create_publisher(
    app: &App,
    actor: &Actor,
    unit: UnitId,
    slug: &Slug,
    description: &str,
    at: DateTime<Utc>,
) -> Result<PublisherId> {
    actor.require(Role::can_approve_data)?;
    Ok(app
        .store()
        .create_publisher(&actor.audit(), unit, slug, description, at)
        .await?)
}

/// Creates a dataset of the publisher; a taken slug is `Conflict { field: "slug" }`.
pub async fn create_dataset(
    app: &App,
    actor: &Actor,
    publisher: PublisherId,
    slug: &Slug,
    metadata: DatasetMetadata,
    at: DateTime<Utc>,
) -> Result<DatasetId> {
    actor.require(Role::can_approve_data)?;
    Ok(app
        .store()
        .create_dataset(&actor.audit(), publisher, slug, metadata, at)
        .await?)
}
