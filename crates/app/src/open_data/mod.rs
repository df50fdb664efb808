//! The municipal open-data portal: publishing a dataset's files through check and approval,
//! the public catalog with its search and facets, and the datastore the published tables are
//! queried in. The CKAN and DCAT wire formats are the web layer's; what they say comes from
//! here.

pub mod catalog;
mod checking;
mod loading;
pub mod publishing;
pub mod values;

pub use publishing::{drop_superseded_datastores, publish_generated};

use abierto_domain::account::Role;
use abierto_domain::ids::{DatasetId, PublisherId, ResourceId, VersionId};
pub use abierto_store::{
    CellValue, Dataset, DatastoreField, DatastorePage, DatastoreQuery, DatastoreTable,
    DatastoreType, FindingGroupRecord, OwnRecordsPublication, Publisher, Resource, ResourceVersion,
};

use crate::files::StoredFile;
use crate::{Actor, App, Error, Result};

/// Every publisher (dependencia) of the portal.
pub async fn publishers(app: &App) -> Result<Vec<Publisher>> {
    Ok(app.store().publishers().await?)
}

/// A publisher by its slug (or its id written out), as CKAN's clients name organizations.
pub async fn publisher_named(app: &App, name: &str) -> Result<Publisher> {
    Ok(app.store().publisher_by_name(name).await?)
}

pub async fn publisher(app: &App, id: PublisherId) -> Result<Publisher> {
    Ok(app.store().publisher(id).await?)
}

pub async fn dataset(app: &App, id: DatasetId) -> Result<Dataset> {
    Ok(app.store().dataset(id).await?)
}

/// A dataset by its CKAN name.
pub async fn dataset_by_name(app: &App, name: &str) -> Result<Dataset> {
    Ok(app.store().dataset_by_name(name).await?)
}

/// A dataset's resources, online or not.
pub async fn resources(app: &App, dataset: DatasetId) -> Result<Vec<Resource>> {
    Ok(app.store().resources(dataset).await?)
}

pub async fn resource(app: &App, id: ResourceId) -> Result<Resource> {
    Ok(app.store().resource(id).await?)
}

/// The version of a resource that is online, if one is.
pub async fn published_version(app: &App, resource: ResourceId) -> Result<Option<ResourceVersion>> {
    Ok(app.store().published_version(resource).await?)
}

/// The datastore table of the resource's version online, if its rows are loaded.
pub async fn datastore_of_resource(
    app: &App,
    resource: ResourceId,
) -> Result<Option<DatastoreTable>> {
    Ok(app.store().datastore_of_resource(resource).await?)
}

/// A page of a datastore table's rows, filtered, searched and sorted; every value bound.
pub async fn search_datastore(
    app: &App,
    table: &DatastoreTable,
    query: &DatastoreQuery,
) -> Result<DatastorePage> {
    Ok(app.store().search_datastore(table, query).await?)
}

/// The file a published version was uploaded as, for its download.
pub async fn published_file(app: &App, resource: ResourceId) -> Result<(Resource, StoredFile)> {
    let record = app.store().resource(resource).await?;
    let version = app
        .store()
        .published_version(resource)
        .await?
        .ok_or(Error::NotFound)?;
    let file = app
        .files()
        .open_data(
            &version.sha256,
            &version.file_name,
            record.format.media_type(),
        )
        .await?;
    Ok((record, file))
}

/// The datasets the actor publishes: every one for the secretariat, their units' for a data
/// publisher.
pub async fn datasets_for(app: &App, actor: &Actor) -> Result<Vec<Dataset>> {
    let user = actor.require_account(Role::can_publish_data)?;
    if user.role.can_keep_sessions() {
        Ok(app.store().datasets().await?)
    } else {
        Ok(app.store().datasets_of(user.id).await?)
    }
}

/// A version, for those who publish its dataset.
pub async fn version(app: &App, actor: &Actor, id: VersionId) -> Result<ResourceVersion> {
    let version = app.store().version(id).await?;
    publishing::require_dataset(app, actor, version.dataset).await?;
    Ok(version)
}

/// Every version of a resource, for those who publish its dataset.
pub async fn versions(
    app: &App,
    actor: &Actor,
    resource: ResourceId,
) -> Result<Vec<ResourceVersion>> {
    let record = app.store().resource(resource).await?;
    publishing::require_dataset(app, actor, record.dataset).await?;
    Ok(app.store().versions(resource).await?)
}

/// What checking a version found, by code and column.
pub async fn version_findings(
    app: &App,
    actor: &Actor,
    id: VersionId,
) -> Result<Vec<FindingGroupRecord>> {
    version(app, actor, id).await?;
    Ok(app.store().version_findings(id).await?)
}

/// The versions waiting for a data officer, each with its dataset and resource.
pub async fn awaiting_approval(
    app: &App,
    actor: &Actor,
) -> Result<Vec<(ResourceVersion, Dataset, Resource)>> {
    actor.require_account(Role::can_approve_data)?;
    let mut waiting = Vec::new();
    for version in app.store().versions_awaiting_approval().await? {
        let dataset = app.store().dataset(version.dataset).await?;
        let resource = app.store().resource(version.resource).await?;
        waiting.push((version, dataset, resource));
    }
    Ok(waiting)
}
