//! The open-data publication procedure. A publisher (an enlace or generador de la información,
//! acting for their unit) uploads a file — CSV, or XLSX or JSON, which is turned into CSV and
//! kept as uploaded too; abierto infers its Table Schema, keeps the file under its SHA-256
//! and checks it, leaving findings to fix or a valid version. The publisher may
//! correct the schema (the file is checked again) or upload a fixed file as a new version. A
//! data officer approves a valid version, which loads its rows into the datastore and puts it
//! online in place of the one before, whose table is then dropped.

use std::path::{Path, PathBuf};

use abierto_domain::account::{Role, User};
use abierto_domain::ids::{DatasetId, PublisherId, ResourceId, VersionId};
use abierto_domain::opendata::{
    check_data_file, DatasetMetadata, ResourceFormat, Slug, VersionStatus,
};
use abierto_domain::ValidationError;
use abierto_store::{
    Actor, CellValue, CheckOutcome, DatastoreField, DatastoreType, FindingGroupRecord, NewVersion,
    OwnRecordsPublication, Publisher, ResourceVersion, Store,
};
use abierto_tabular::cast::Value;
use abierto_tabular::convert::{self, ConvertError};
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
    let dataset = store.dataset(dataset).await?;
    if dataset.generated_from.is_some() {
        return Err(ValidationError::new("dataset", "dataset_generated").into());
    }
    require_publisher(store, viewer, dataset.publisher).await
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
    if crate::own_records::DATASETS
        .iter()
        .any(|d| d.slug == slug.as_str())
    {
        return Err(ValidationError::new("name", "dataset_name_reserved").into());
    }
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
/// (and an XLSX or JSON file turned into CSV) before anything is written, so a refused file
/// leaves no empty resource behind.
pub async fn add_resource(
    state: &AppState,
    viewer: &Viewer,
    dataset: DatasetId,
    name: &str,
    description: &str,
    upload: &DataUpload<'_>,
) -> Result<VersionId, AppError> {
    let user = require_dataset(&state.store, viewer, dataset).await?;
    let (format, filename) = check_data_file(
        upload.filename,
        upload.content.len(),
        state.config.max_data_file_bytes,
    )?;
    let kept = keep_upload(state, format, filename, upload.content).await?;
    let name = if name.trim().is_empty() {
        kept.file_name.as_str()
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
    check_upload(state, viewer, user, resource, kept).await
}

/// Uploads a new version of a resource, in the resource's format: kept, its schema inferred,
/// and checked.
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
    let kept = keep_upload(state, format, filename, upload.content).await?;
    check_upload(state, viewer, user, resource, kept).await
}

/// An upload kept on disk: the file as uploaded and, for XLSX or JSON, the CSV made of it.
struct KeptUpload {
    file_name: String,
    sha256: String,
    size_bytes: i64,
    table_sha256: Option<String>,
}

/// Turns an XLSX or JSON upload into CSV (refusing one that is not a table), then keeps the
/// file as uploaded.
async fn keep_upload(
    state: &AppState,
    format: ResourceFormat,
    file_name: String,
    content: &[u8],
) -> Result<KeptUpload, AppError> {
    let table_sha256 = match format {
        ResourceFormat::Csv => None,
        other => Some(convert_to_csv(state, other, content).await?),
    };
    let sha256 = hex(&Sha256::digest(content));
    write_file(&state.config.data_file_dir, &sha256, content).await?;
    Ok(KeptUpload {
        file_name,
        sha256,
        size_bytes: content.len() as i64,
        table_sha256,
    })
}

/// Records a kept upload as the resource's next version, with the schema inferred from its
/// table, and the findings of checking the whole table against it.
async fn check_upload(
    state: &AppState,
    viewer: &Viewer,
    user: &User,
    resource: ResourceId,
    kept: KeptUpload,
) -> Result<VersionId, AppError> {
    let table = kept.table_sha256.as_deref().unwrap_or(&kept.sha256);
    let report = check_file(file_path(state, table), None).await?;
    let version = state
        .store
        .add_version(
            &viewer.actor(),
            user.id,
            &NewVersion {
                resource,
                file_name: kept.file_name,
                sha256: kept.sha256,
                size_bytes: kept.size_bytes,
                table_sha256: kept.table_sha256,
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
    let report = check_file(file_path(state, current.table_file()), Some(schema.clone())).await?;
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
    publish(state, &viewer.actor(), &current).await
}

/// Publishes a table the platform generated from its records, on the authority of the
/// officer who designated their publisher: kept, checked against its schema, approved and
/// loaded like an upload. Content and schema identical to the version online publish nothing;
/// the result says whether a version was published.
pub async fn publish_generated(
    state: &AppState,
    publication: &OwnRecordsPublication,
    resource: ResourceId,
    file_name: &str,
    content: &[u8],
    schema: &TableSchema,
) -> Result<bool, AppError> {
    let sha256 = hex(&Sha256::digest(content));
    let schema_json = schema.to_json();
    if let Some(online) = state.store.published_version(resource).await? {
        if online.sha256 == sha256 && online.schema_json == schema_json {
            return Ok(false);
        }
    }
    write_file(&state.config.data_file_dir, &sha256, content).await?;
    let report = check_file(file_path(state, &sha256), Some(schema.clone())).await?;
    let actor = Actor::system();
    let officer = publication.authorised_by;
    let version = state
        .store
        .add_version(
            &actor,
            officer,
            &NewVersion {
                resource,
                file_name: file_name.to_owned(),
                sha256,
                size_bytes: content.len() as i64,
                table_sha256: None,
                schema_json,
            },
            Utc::now(),
        )
        .await?;
    let status = state
        .store
        .record_check(&actor, version, &outcome(&report), Utc::now())
        .await?;
    if status != VersionStatus::Valid {
        return Err(AppError::Internal(format!(
            "{file_name}: the generated table has {} findings",
            report.total()
        )));
    }
    state
        .store
        .approve_version(&actor, officer, version, Utc::now())
        .await?;
    publish(state, &actor, &state.store.version(version).await?).await?;
    Ok(true)
}

/// A data officer designates the publisher the platform's own records appear under, and the
/// contact the datasets name; the platform's versions then carry the officer's authority. The
/// datasets are generated (or move to the new publisher) at the next refresh, signalled here.
pub async fn designate_own_records(
    state: &AppState,
    viewer: &Viewer,
    publisher: PublisherId,
    contact_name: &str,
    contact_email: &str,
) -> Result<(), AppError> {
    let officer = viewer.require(Role::can_approve_data)?;
    state
        .store
        .designate_own_records(
            &viewer.actor(),
            publisher,
            contact_name,
            contact_email,
            officer.id,
            Utc::now(),
        )
        .await?;
    state.own_records.changed();
    Ok(())
}

/// Loads an approved version into the datastore and puts it online.
async fn publish(
    state: &AppState,
    actor: &Actor,
    version: &ResourceVersion,
) -> Result<(), AppError> {
    load_datastore(state, version).await?;
    let superseded = state
        .store
        .publish_version(actor, version.id, Utc::now())
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

/// Turns an XLSX or JSON upload into the CSV that is checked and loaded, on a blocking thread
/// that writes it to the data directory as it goes; gives the CSV's SHA-256, its name there.
/// A workbook that cannot be read or JSON that is not a list of records is refused.
async fn convert_to_csv(
    state: &AppState,
    format: ResourceFormat,
    content: &[u8],
) -> Result<String, AppError> {
    let dir = state.config.data_file_dir.clone();
    let content = content.to_vec();
    tokio::task::spawn_blocking(move || {
        let failed = |e: std::io::Error| AppError::Internal(format!("converted table: {e}"));
        std::fs::create_dir_all(&dir).map_err(failed)?;
        let partial = dir.join(format!("table.{:016x}.partial", rand::random::<u64>()));
        let file = std::fs::File::create(&partial).map_err(failed)?;
        let mut out = HashingWriter {
            inner: std::io::BufWriter::new(file),
            hasher: Sha256::new(),
        };
        let converted = match format {
            ResourceFormat::Xlsx => convert::xlsx_to_csv(&content, &mut out),
            _ => convert::json_to_csv(&content, &mut out),
        };
        let flushed = std::io::Write::flush(&mut out.inner);
        if let Err(err) = converted
            .map_err(converted_error)
            .and(flushed.map_err(failed))
        {
            let _ = std::fs::remove_file(&partial);
            return Err(err);
        }
        let sha256 = hex(&out.hasher.finalize());
        std::fs::rename(&partial, dir.join(&sha256)).map_err(failed)?;
        Ok(sha256)
    })
    .await
    .map_err(|e| AppError::Internal(format!("conversion task: {e}")))?
}

fn converted_error(err: ConvertError) -> AppError {
    match err {
        ConvertError::Write(_) => AppError::Internal(err.to_string()),
        refused => ValidationError::new("file", refused.code()).into(),
    }
}

/// Writes through, keeping the SHA-256 of what went by.
struct HashingWriter<W> {
    inner: W,
    hasher: Sha256,
}

impl<W: std::io::Write> std::io::Write for HashingWriter<W> {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        let written = self.inner.write(bytes)?;
        self.hasher.update(&bytes[..written]);
        Ok(written)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
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
    let path = file_path(state, version.table_file());
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
