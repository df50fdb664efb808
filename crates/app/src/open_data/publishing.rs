//! The open-data publication procedure. A publisher (an enlace or generador de la información,
//! acting for their unit) uploads a file — CSV, or XLSX or JSON, which is turned into CSV and
//! kept as uploaded too; abierto infers its Table Schema, keeps the file under its SHA-256
//! and checks it, leaving findings to fix or a valid version. The publisher may
//! correct the schema (the file is checked again) or upload a fixed file as a new version. A
//! data officer approves a valid version, which loads its rows into the datastore and puts it
//! online in place of the one before, whose table is then dropped.

use abierto_domain::account::{Email, Role, User};
use abierto_domain::ids::{DatasetId, PublisherId, ResourceId, VersionId};
use abierto_domain::opendata::{
    check_data_file, DatasetMetadata, ResourceFormat, Slug, VersionStatus, MAX_TABLE_COLUMNS,
};
use abierto_domain::ErrorCode;
use abierto_domain::ValidationError;
use abierto_store::{NewVersion, OwnRecordsPublication, Publisher, ResourceVersion};
use abierto_tabular::{Finding, Report, TableSchema};
use sha2::{Digest, Sha256};

use super::checking::{check_file, conversion_findings, convert_to_csv, outcome};
use super::loading::load_datastore;
use crate::files::hex;
use crate::{Actor, App, Error};

/// The publishers the user may act for: every one for the secretariat, their units' for a
/// data publisher, none for anyone else.
pub async fn publishers_for(app: &App, user: &User) -> Result<Vec<Publisher>, Error> {
    if user.role.can_keep_sessions() {
        Ok(app.store().publishers().await?)
    } else if user.role == Role::DataPublisher {
        Ok(app.store().publishers_of(user.id).await?)
    } else {
        Ok(Vec::new())
    }
}

/// The signed-in user, if they may act for the publisher; 401 or 403 otherwise.
pub async fn require_publisher<'a>(
    app: &App,
    actor: &'a Actor,
    publisher: PublisherId,
) -> Result<&'a User, Error> {
    let user = actor.require_account(Role::can_publish_data)?;
    if user.role.can_keep_sessions()
        || app
            .store()
            .publishers_of(user.id)
            .await?
            .iter()
            .any(|p| p.id == publisher)
    {
        Ok(user)
    } else {
        Err(Error::Forbidden)
    }
}

/// The user, if they may act for the dataset's publisher.
pub async fn require_dataset<'a>(
    app: &App,
    actor: &'a Actor,
    dataset: DatasetId,
) -> Result<&'a User, Error> {
    actor.require_account(Role::can_publish_data)?;
    let dataset = app.store().dataset(dataset).await?;
    if dataset.generated_from.is_some() {
        return Err(ValidationError::new("dataset", ErrorCode::DatasetGenerated).into());
    }
    require_publisher(app, actor, dataset.publisher).await
}

/// Creates a dataset for the publisher; without a name, one is made from the title.
pub async fn create_dataset(
    app: &App,
    actor: &Actor,
    publisher: PublisherId,
    name: &str,
    metadata: DatasetMetadata,
) -> Result<DatasetId, Error> {
    require_publisher(app, actor, publisher).await?;
    let slug = if name.trim().is_empty() {
        Slug::from_title(&metadata.title)
    } else {
        Slug::parse(name)?
    };
    if crate::own_datasets::DATASETS
        .iter()
        .any(|d| d.slug == slug.as_str())
    {
        return Err(ValidationError::new("name", ErrorCode::DatasetNameReserved).into());
    }
    check_contact(app, &metadata.contact_email).await?;
    Ok(app
        .store()
        .create_dataset(
            &actor.audit(),
            publisher,
            &slug,
            metadata,
            app.clock().now(),
        )
        .await?)
}

/// A file as uploaded for a resource.
pub struct DataUpload<'a> {
    pub filename: &'a str,
    pub content: &'a [u8],
}

/// Adds a resource to the dataset with the file as its first version. The file is checked
/// (and an XLSX or JSON file turned into CSV) before anything is written, so a refused file
/// leaves no empty resource behind.
pub async fn add_resource(
    app: &App,
    actor: &Actor,
    dataset: DatasetId,
    name: &str,
    description: &str,
    upload: &DataUpload<'_>,
) -> Result<VersionId, Error> {
    let user = require_dataset(app, actor, dataset).await?;
    let (format, filename) = check_data_file(
        upload.filename,
        upload.content.len(),
        app.settings().max_data_file_bytes,
    )?;
    let kept = keep_upload(app, format, filename, upload.content).await?;
    let report = check_kept(app, &kept).await?;
    let name = if name.trim().is_empty() {
        kept.file_name.as_str()
    } else {
        name
    };
    let resource = app
        .store()
        .create_resource(
            &actor.audit(),
            dataset,
            name,
            description,
            format,
            app.clock().now(),
        )
        .await?;
    record_upload(app, actor, user, resource, kept, &report).await
}

/// Uploads a new version of a resource, in the resource's format: kept, its schema inferred,
/// and checked.
pub async fn upload_version(
    app: &App,
    actor: &Actor,
    resource: ResourceId,
    upload: &DataUpload<'_>,
) -> Result<VersionId, Error> {
    let record = app.store().resource(resource).await?;
    let user = require_dataset(app, actor, record.dataset).await?;
    let (format, filename) = check_data_file(
        upload.filename,
        upload.content.len(),
        app.settings().max_data_file_bytes,
    )?;
    if format != record.format {
        return Err(ValidationError::new("file", ErrorCode::DataFormatChanged).into());
    }
    let kept = keep_upload(app, format, filename, upload.content).await?;
    let report = check_kept(app, &kept).await?;
    record_upload(app, actor, user, resource, kept, &report).await
}

/// An upload kept on disk: the file as uploaded and, for XLSX or JSON, the CSV made of it.
struct KeptUpload {
    file_name: String,
    sha256: String,
    size_bytes: i64,
    table_sha256: Option<String>,
    /// What turning it into CSV found, for the check to report.
    conversion_findings: Vec<Finding>,
}

/// Turns an XLSX or JSON upload into CSV (refusing one that is not a table), then keeps the
/// file as uploaded.
async fn keep_upload(
    app: &App,
    format: ResourceFormat,
    file_name: String,
    content: &[u8],
) -> Result<KeptUpload, Error> {
    let converted = match format {
        ResourceFormat::Csv => None,
        other => Some(convert_to_csv(app, other, content).await?),
    };
    let (table_sha256, conversion_findings) = match converted {
        Some(converted) => (Some(converted.sha256), converted.findings),
        None => (None, Vec::new()),
    };
    let sha256 = hex(&Sha256::digest(content));
    app.files().write_data(&sha256, content).await?;
    Ok(KeptUpload {
        file_name,
        sha256,
        size_bytes: content.len() as i64,
        table_sha256,
        conversion_findings,
    })
}

/// Checks a kept upload's table: its schema inferred and every row read against it. A table
/// wider than the datastore can hold is refused here, before a version exists that could
/// never be loaded.
async fn check_kept(app: &App, kept: &KeptUpload) -> Result<Report, Error> {
    let table = kept.table_sha256.as_deref().unwrap_or(&kept.sha256);
    let prior = kept.conversion_findings.clone();
    let report = check_file(app.files().data_path(table), None, prior).await?;
    if report.schema.fields.len() > MAX_TABLE_COLUMNS {
        return Err(ValidationError::new("file", ErrorCode::TooManyColumns).into());
    }
    Ok(report)
}

/// Records a checked upload as the resource's next version, with its inferred schema and
/// the findings of checking the whole table against it.
async fn record_upload(
    app: &App,
    actor: &Actor,
    user: &User,
    resource: ResourceId,
    kept: KeptUpload,
    report: &Report,
) -> Result<VersionId, Error> {
    let version = app
        .store()
        .add_version(
            &actor.audit(),
            user.id,
            &NewVersion {
                resource,
                file_name: kept.file_name,
                sha256: kept.sha256,
                size_bytes: kept.size_bytes,
                table_sha256: kept.table_sha256,
                schema_json: report.schema.to_json(),
            },
            app.clock().now(),
        )
        .await?;
    app.store()
        .record_check(&actor.audit(), version, &outcome(report), app.clock().now())
        .await?;
    Ok(version)
}

/// Replaces the schema of a version not yet approved and checks the file against it again.
pub async fn change_schema(
    app: &App,
    actor: &Actor,
    version: VersionId,
    schema: &TableSchema,
) -> Result<VersionStatus, Error> {
    let current = app.store().version(version).await?;
    require_dataset(app, actor, current.dataset).await?;
    schema
        .check()
        .map_err(|e| ValidationError::new("schema", e.code()))?;
    if !current.status.is_editable() {
        return Err(ValidationError::new("status", ErrorCode::VersionStepNotAllowed).into());
    }
    app.store()
        .replace_schema(&actor.audit(), version, &schema.to_json())
        .await?;
    let prior = match current.table_sha256 {
        Some(_) => conversion_findings(app, &current.sha256).await?,
        None => Vec::new(),
    };
    let report = check_file(
        app.files().data_path(current.table_file()),
        Some(schema.clone()),
        prior,
    )
    .await?;
    Ok(app
        .store()
        .record_check(
            &actor.audit(),
            version,
            &outcome(&report),
            app.clock().now(),
        )
        .await?)
}

/// A data officer approves a valid version, which publishes it: its rows are loaded into the
/// datastore, it replaces the version online, and the replaced version's table is dropped.
/// An approved version whose loading failed is published by approving it again.
pub async fn approve(app: &App, actor: &Actor, version: VersionId) -> Result<(), Error> {
    let officer = actor.require_account(Role::can_approve_data)?;
    let mut current = app.store().version(version).await?;
    if current.status == VersionStatus::Valid {
        app.store()
            .approve_version(&actor.audit(), officer.id, version, app.clock().now())
            .await?;
        current.status = VersionStatus::Approved;
    }
    if current.status != VersionStatus::Approved {
        return Err(ValidationError::new("status", ErrorCode::VersionStepNotAllowed).into());
    }
    publish(app, actor, &current).await
}

/// Publishes a table the platform generated from its records, on the authority of the
/// officer who designated their publisher: kept, checked against its schema, approved and
/// loaded like an upload. Content and schema identical to the version online publish nothing;
/// the result says whether a version was published.
pub async fn publish_generated(
    app: &App,
    publication: &OwnRecordsPublication,
    resource: ResourceId,
    file_name: &str,
    content: &[u8],
    schema: &TableSchema,
) -> Result<bool, Error> {
    let sha256 = hex(&Sha256::digest(content));
    let schema_json = schema.to_json();
    if let Some(online) = app.store().published_version(resource).await? {
        if online.sha256 == sha256 && online.schema_json == schema_json {
            return Ok(false);
        }
    }
    app.files().write_data(&sha256, content).await?;
    let report = check_file(
        app.files().data_path(&sha256),
        Some(schema.clone()),
        Vec::new(),
    )
    .await?;
    let actor = Actor::system();
    let officer = publication.authorised_by;
    let version = app
        .store()
        .add_version(
            &actor.audit(),
            officer,
            &NewVersion {
                resource,
                file_name: file_name.to_owned(),
                sha256,
                size_bytes: content.len() as i64,
                table_sha256: None,
                schema_json,
            },
            app.clock().now(),
        )
        .await?;
    let status = app
        .store()
        .record_check(
            &actor.audit(),
            version,
            &outcome(&report),
            app.clock().now(),
        )
        .await?;
    if status != VersionStatus::Valid {
        return Err(Error::Internal(format!(
            "{file_name}: the generated table has {} findings",
            report.total()
        )));
    }
    app.store()
        .approve_version(&actor.audit(), officer, version, app.clock().now())
        .await?;
    publish(app, &actor, &app.store().version(version).await?).await?;
    Ok(true)
}

/// A data officer designates the publisher the platform's own records appear under, and the
/// contact the datasets name; the platform's versions then carry the officer's authority. The
/// datasets are generated (or move to the new publisher) at the next refresh, signalled here.
pub async fn designate_own_records(
    app: &App,
    actor: &Actor,
    publisher: PublisherId,
    contact_name: &str,
    contact_email: &str,
) -> Result<(), Error> {
    let officer = actor.require_account(Role::can_approve_data)?;
    check_contact(app, contact_email).await?;
    app.store()
        .designate_own_records(
            &actor.audit(),
            publisher,
            contact_name,
            contact_email,
            officer.id,
            app.clock().now(),
        )
        .await?;
    Ok(())
}

/// A dataset's contact is published (in DCAT, CKAN and the portal): it must be an office's
/// public mailbox, never the login of an account, which would hand a sign-in name to anyone.
async fn check_contact(app: &App, contact_email: &str) -> Result<(), Error> {
    let Ok(email) = Email::parse(contact_email) else {
        // A malformed address is refused with its own message where the metadata is checked.
        return Ok(());
    };
    match app.store().credentials(&email).await? {
        Some(_) => Err(ValidationError::new("contact_email", ErrorCode::ContactIsAnAccount).into()),
        None => Ok(()),
    }
}

/// Loads an approved version into the datastore and puts it online.
async fn publish(app: &App, actor: &Actor, version: &ResourceVersion) -> Result<(), Error> {
    load_datastore(app, actor, version).await?;
    let now = app.clock().now();
    app.store()
        .publish_version(&actor.audit(), version.id, now)
        .await?;
    drop_superseded_datastores(app).await
}

/// How long a superseded version's datastore outlives it: a search that looked the table up
/// just before the new version went online finishes on it.
const SUPERSEDED_DATASTORE_KEPT: chrono::TimeDelta = chrono::TimeDelta::minutes(10);

/// Drops the datastores superseded long enough ago that no search can still be reading them.
pub async fn drop_superseded_datastores(app: &App) -> Result<(), Error> {
    let before = app.clock().now() - SUPERSEDED_DATASTORE_KEPT;
    app.store().drop_superseded_datastores(before).await?;
    Ok(())
}
