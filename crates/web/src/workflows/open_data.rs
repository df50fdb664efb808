//! The open-data publication procedure. A publisher (an enlace or generador de la información,
//! acting for their unit) uploads a file; abierto infers its Table Schema, keeps the file under
//! its SHA-256 and checks it, leaving findings to fix or a valid version. The publisher may
//! correct the schema (the file is checked again) or upload a fixed file as a new version. A
//! data officer approves a valid version, which loads its rows into the datastore and puts it
//! online in place of the one before, whose table is then dropped.

use std::path::{Path, PathBuf};

use abierto_domain::account::{Role, User};
use abierto_domain::ids::{DatasetId, PublisherId, ResourceId, VersionId};
use abierto_domain::opendata::{check_data_file, DatasetMetadata, Slug, VersionStatus};
use abierto_domain::ValidationError;
use abierto_store::{
    CellValue, CheckOutcome, DatastoreField, DatastoreType, FindingGroupRecord, NewVersion,
    Publisher, ResourceVersion, Store,
};
use abierto_tabular::cast::Value;
use abierto_tabular::{typed_rows, validate, FieldType, Report, TableSchema, ValidateOptions};
use chrono::Utc;
use sha2::{Digest, Sha256};

use super::files::{hex, write_file};
use crate::auth::Viewer;
use crate::{AppError, AppState};

/// Findings kept in full for a version (all are counted, grouped by code and column).
const FINDINGS_KEPT: usize = 1000;
/// Rows sent to the database in one batch when loading the datastore.
const LOAD_BATCH: usize = 2000;

/// The publishers the user may act for: every one for the secretariat, their units' for a
/// data publisher, none for anyone else.
pub async fn publishers_for(store: &Store, user: &User) -> Result<Vec<Publisher>, AppError> {
    if user.role.can_keep_sessions() {
        Ok(store.publishers().await?)
    } else if user.role == Role::DataPublisher {
        Ok(store.publishers_of(user.id).await?)
    } else {
        Ok(Vec::new())
    }
}

/// The signed-in user, if they may act for the publisher; 401 or 403 otherwise.
pub async fn require_publisher<'a>(
    store: &Store,
    viewer: &'a Viewer,
    publisher: PublisherId,
) -> Result<&'a User, AppError> {
    let user = viewer.require(Role::can_publish_data)?;
    if user.role.can_keep_sessions()
        || store
            .publishers_of(user.id)
            .await?
            .iter()
            .any(|p| p.id == publisher)
    {
        Ok(user)
    } else {
        Err(AppError::Forbidden)
    }
}

/// The user, if they may act for the dataset's publisher.
pub async fn require_dataset<'a>(
    store: &Store,
    viewer: &'a Viewer,
    dataset: DatasetId,
) -> Result<&'a User, AppError> {
    viewer.require(Role::can_publish_data)?;
    let publisher = store.dataset(dataset).await?.publisher;
    require_publisher(store, viewer, publisher).await
}

/// Creates a dataset for the publisher; without a name, one is made from the title.
pub async fn create_dataset(
    store: &Store,
    viewer: &Viewer,
    publisher: PublisherId,
    name: &str,
    metadata: DatasetMetadata,
) -> Result<DatasetId, AppError> {
    require_publisher(store, viewer, publisher).await?;
    let slug = if name.trim().is_empty() {
        Slug::from_title(&metadata.title)
    } else {
        Slug::parse(name)?
    };
    Ok(store
        .create_dataset(&viewer.actor(), publisher, &slug, metadata, Utc::now())
        .await?)
}

/// A file as uploaded for a resource.
pub struct DataUpload<'a> {
    pub filename: &'a str,
    pub content: &'a [u8],
}

/// Adds a resource to the dataset with the file as its first version. The file is checked
/// before anything is written, so a refused file leaves no empty resource behind.
pub async fn add_resource(
    state: &AppState,
    viewer: &Viewer,
    dataset: DatasetId,
    name: &str,
    description: &str,
    upload: &DataUpload<'_>,
) -> Result<VersionId, AppError> {
    require_dataset(&state.store, viewer, dataset).await?;
    let (format, _) = check_data_file(
        upload.filename,
        upload.content.len(),
        state.config.max_data_file_bytes,
    )?;
    let name = if name.trim().is_empty() {
        upload
            .filename
            .rsplit(['/', '\\'])
            .next()
            .unwrap_or("datos")
    } else {
        name
    };
    let resource = state
        .store
        .create_resource(
            &viewer.actor(),
            dataset,
            name,
            description,
            format,
            Utc::now(),
        )
        .await?;
    upload_version(state, viewer, resource, upload).await
}

/// Uploads a new version of a resource: kept, its schema inferred, and checked.
pub async fn upload_version(
    state: &AppState,
    viewer: &Viewer,
    resource: ResourceId,
    upload: &DataUpload<'_>,
) -> Result<VersionId, AppError> {
    let record = state.store.resource(resource).await?;
    let user = require_dataset(&state.store, viewer, record.dataset).await?;
    let (format, filename) = check_data_file(
        upload.filename,
        upload.content.len(),
        state.config.max_data_file_bytes,
    )?;
    if format != record.format {
        return Err(ValidationError::new("file", "data_format_changed").into());
    }
    let sha256 = hex(&Sha256::digest(upload.content));
    write_file(&state.config.data_file_dir, &sha256, upload.content).await?;
    let report = check_file(file_path(state, &sha256), None).await?;
    let version = state
        .store
        .add_version(
            &viewer.actor(),
            user.id,
            &NewVersion {
                resource,
                file_name: filename,
                sha256,
                size_bytes: upload.content.len() as i64,
                schema_json: report.schema.to_json(),
            },
            Utc::now(),
        )
        .await?;
    state
        .store
        .record_check(&viewer.actor(), version, &outcome(&report), Utc::now())
        .await?;
    Ok(version)
}

/// Replaces the schema of a version not yet approved and checks the file against it again.
pub async fn change_schema(
    state: &AppState,
    viewer: &Viewer,
    version: VersionId,
    schema: &TableSchema,
) -> Result<VersionStatus, AppError> {
    let current = state.store.version(version).await?;
    require_dataset(&state.store, viewer, current.dataset).await?;
    schema
        .check()
        .map_err(|e| ValidationError::new("schema", e.code()))?;
    if !current.status.is_editable() {
        return Err(ValidationError::new("status", "version_step_not_allowed").into());
    }
    state
        .store
        .replace_schema(&viewer.actor(), version, &schema.to_json())
        .await?;
    let report = check_file(file_path(state, &current.sha256), Some(schema.clone())).await?;
    Ok(state
        .store
        .record_check(&viewer.actor(), version, &outcome(&report), Utc::now())
        .await?)
}

/// A data officer approves a valid version, which publishes it: its rows are loaded into the
/// datastore, it replaces the version online, and the replaced version's table is dropped.
/// An approved version whose loading failed is published by approving it again.
pub async fn approve(
    state: &AppState,
    viewer: &Viewer,
    version: VersionId,
) -> Result<(), AppError> {
    let officer = viewer.require(Role::can_approve_data)?;
    let mut current = state.store.version(version).await?;
    if current.status == VersionStatus::Valid {
        state
            .store
            .approve_version(&viewer.actor(), officer.id, version, Utc::now())
            .await?;
        current.status = VersionStatus::Approved;
    }
    if current.status != VersionStatus::Approved {
        return Err(ValidationError::new("status", "version_step_not_allowed").into());
    }
    publish(state, viewer, &current).await
}

/// Loads an approved version into the datastore and puts it online.
pub async fn publish(
    state: &AppState,
    viewer: &Viewer,
    version: &ResourceVersion,
) -> Result<(), AppError> {
    load_datastore(state, version).await?;
    let superseded = state
        .store
        .publish_version(&viewer.actor(), version.id, Utc::now())
        .await?;
    if let Some(table) = superseded {
        state.store.drop_datastore_table(&table).await?;
    }
    Ok(())
}

/// Where a kept data file is.
pub fn file_path(state: &AppState, sha256: &str) -> PathBuf {
    state.config.data_file_dir.join(sha256)
}

/// Checks a kept file, reading it from disk in a blocking task: against `schema`, or against
/// one inferred from its first rows (with day-first dates and a proposed primary key).
async fn check_file(path: PathBuf, schema: Option<TableSchema>) -> Result<Report, AppError> {
    tokio::task::spawn_blocking(move || {
        let file = std::fs::File::open(&path)
            .map_err(|e| AppError::Internal(format!("data file {}: {e}", path.display())))?;
        let size_hint = file.metadata().ok().map(|m| m.len());
        Ok(validate(
            file,
            &ValidateOptions {
                local_inference: schema.is_none(),
                schema,
                limit_findings: Some(FINDINGS_KEPT),
                examples_per_group: 5,
                size_hint,
            },
        ))
    })
    .await
    .map_err(|e| AppError::Internal(format!("check task: {e}")))?
}

/// The report as the store keeps it: the row count and the findings by code and column.
fn outcome(report: &Report) -> CheckOutcome {
    CheckOutcome {
        rows: report.rows as i64,
        groups: report
            .groups
            .iter()
            .map(|group| FindingGroupRecord {
                code: group.code.key().to_owned(),
                field_number: group.field.map(i64::from),
                field_name: group.field_name.clone(),
                count: group.count as i64,
                examples_json: serde_json::Value::Array(
                    group
                        .examples
                        .iter()
                        .map(|f| {
                            serde_json::json!({
                                "row": f.row,
                                "field": f.field,
                                "cell": f.cell,
                                "note": f.note,
                            })
                        })
                        .collect(),
                )
                .to_string(),
            })
            .collect(),
    }
}

/// The datastore column type a Table Schema type is kept as.
pub fn datastore_type(field_type: FieldType) -> DatastoreType {
    match field_type {
        FieldType::Integer | FieldType::Year => DatastoreType::Int,
        FieldType::Number => DatastoreType::Numeric,
        FieldType::Boolean => DatastoreType::Bool,
        FieldType::Date => DatastoreType::Date,
        FieldType::Datetime => DatastoreType::Timestamp,
        FieldType::Time => DatastoreType::Time,
        _ => DatastoreType::Text,
    }
}

/// A read value as a datastore cell: dates and times in ISO 8601.
fn cell_value(value: Option<Value<'static>>) -> Result<CellValue, AppError> {
    Ok(match value {
        None => CellValue::Null,
        Some(Value::Integer(n)) => CellValue::Int(
            i64::try_from(n).map_err(|_| ValidationError::new("file", "integer_out_of_range"))?,
        ),
        Some(Value::Year(y)) => CellValue::Int(i64::from(y)),
        Some(Value::Number(n)) => CellValue::Float(n),
        Some(Value::Boolean(b)) => CellValue::Bool(b),
        Some(Value::Date(d)) => CellValue::Text(d.format("%Y-%m-%d").to_string()),
        Some(Value::Datetime(d)) => CellValue::Text(d.format("%Y-%m-%dT%H:%M:%S").to_string()),
        Some(Value::Time(t)) => CellValue::Text(t.format("%H:%M:%S").to_string()),
        Some(Value::Yearmonth(y, m)) => CellValue::Text(format!("{y:04}-{m:02}")),
        Some(Value::Geopoint(lon, lat)) => CellValue::Text(format!("{lon},{lat}")),
        Some(Value::Text(t) | Value::Structured(t, _)) => CellValue::Text(t.into_owned()),
    })
}

/// Loads the version's rows into a new table, reading the file on a blocking thread that
/// hands batches over a bounded channel, so memory holds a few batches whatever the size.
async fn load_datastore(state: &AppState, version: &ResourceVersion) -> Result<(), AppError> {
    let schema = TableSchema::from_json(&version.schema_json)
        .map_err(|e| AppError::Internal(format!("stored schema: {e}")))?;
    let fields: Vec<DatastoreField> = schema
        .fields
        .iter()
        .map(|f| DatastoreField::new(f.name.clone(), datastore_type(f.field_type)))
        .collect();
    let table = state.store.create_datastore(version.id, &fields).await?;
    let (sender, mut receiver) =
        tokio::sync::mpsc::channel::<Result<Vec<Vec<CellValue>>, AppError>>(2);
    let path = file_path(state, &version.sha256);
    let reader = tokio::task::spawn_blocking(move || read_batches(&path, &schema, &sender));
    let mut loaded = 0i64;
    let mut failure = None;
    while let Some(batch) = receiver.recv().await {
        let rows = match batch {
            Ok(rows) => rows,
            Err(err) => {
                failure = Some(err);
                break;
            }
        };
        state
            .store
            .insert_datastore_rows(&table, &fields, loaded + 1, &rows)
            .await?;
        loaded += rows.len() as i64;
    }
    drop(receiver);
    reader
        .await
        .map_err(|e| AppError::Internal(format!("load task: {e}")))?;
    if let Some(err) = failure {
        state.store.drop_datastore_table(&table).await?;
        return Err(err);
    }
    state
        .store
        .register_datastore(version.id, &table, &fields, loaded, Utc::now())
        .await?;
    Ok(())
}

fn read_batches(
    path: &Path,
    schema: &TableSchema,
    sender: &tokio::sync::mpsc::Sender<Result<Vec<Vec<CellValue>>, AppError>>,
) {
    let fail = |err: AppError| {
        let _ = sender.blocking_send(Err(err));
    };
    let file = match std::fs::File::open(path) {
        Ok(file) => file,
        Err(e) => return fail(AppError::Internal(format!("data file: {e}"))),
    };
    let rows = match typed_rows(file, schema) {
        Ok(rows) => rows,
        Err(e) => return fail(AppError::Internal(format!("data file: {e}"))),
    };
    let mut batch = Vec::with_capacity(LOAD_BATCH);
    for row in rows {
        let cells = row
            .map_err(|e| AppError::Internal(format!("data file: {e}")))
            .and_then(|values| values.into_iter().map(cell_value).collect());
        match cells {
            Ok(cells) => batch.push(cells),
            Err(err) => return fail(err),
        }
        if batch.len() == LOAD_BATCH {
            let full = std::mem::replace(&mut batch, Vec::with_capacity(LOAD_BATCH));
            if sender.blocking_send(Ok(full)).is_err() {
                return;
            }
        }
    }
    if !batch.is_empty() {
        let _ = sender.blocking_send(Ok(batch));
    }
}
