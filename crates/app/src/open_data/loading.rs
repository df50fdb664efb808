//! Loading a published version's rows into its datastore table: the file is read on a
//! blocking thread that hands batches over a bounded channel, so memory holds a few batches
//! whatever the file's size.

use std::path::Path;

use abierto_domain::ErrorCode;
use abierto_domain::ValidationError;
use abierto_store::{CellValue, DatastoreField, DatastoreType, ResourceVersion};
use abierto_tabular::cast::Value;
use abierto_tabular::{typed_rows, FieldType, TableSchema};

use crate::{Actor, App, Error};

/// Rows sent to the database in one batch when loading the datastore.
const LOAD_BATCH: usize = 2000;

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
fn cell_value(value: Option<Value<'static>>) -> Result<CellValue, Error> {
    Ok(match value {
        None => CellValue::Null,
        Some(Value::Integer(n)) => CellValue::Int(
            i64::try_from(n)
                .map_err(|_| ValidationError::new("file", ErrorCode::IntegerOutOfRange))?,
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
pub(super) async fn load_datastore(
    app: &App,
    actor: &Actor,
    version: &ResourceVersion,
) -> Result<(), Error> {
    let schema = TableSchema::from_json(&version.schema_json)
        .map_err(|e| Error::Internal(format!("stored schema: {e}")))?;
    let fields: Vec<DatastoreField> = schema
        .fields
        .iter()
        .map(|f| DatastoreField::new(f.name.clone(), datastore_type(f.field_type)))
        .collect();
    let table = app.store().create_datastore(version.id, &fields).await?;
    let (sender, mut receiver) =
        tokio::sync::mpsc::channel::<Result<Vec<Vec<CellValue>>, Error>>(2);
    let path = app.files().data_path(version.table_file());
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
        app.store()
            .insert_datastore_rows(&table, &fields, loaded + 1, &rows)
            .await?;
        loaded += rows.len() as i64;
    }
    drop(receiver);
    reader
        .await
        .map_err(|e| Error::Internal(format!("load task: {e}")))?;
    if let Some(err) = failure {
        app.store().drop_datastore_table(&table).await?;
        return Err(err);
    }
    app.store()
        .register_datastore(
            &actor.audit(),
            version.id,
            &table,
            &fields,
            loaded,
            app.clock().now(),
        )
        .await?;
    Ok(())
}

fn read_batches(
    path: &Path,
    schema: &TableSchema,
    sender: &tokio::sync::mpsc::Sender<Result<Vec<Vec<CellValue>>, Error>>,
) {
    let fail = |err: Error| {
        let _ = sender.blocking_send(Err(err));
    };
    let file = match std::fs::File::open(path) {
        Ok(file) => file,
        Err(e) => return fail(Error::Internal(format!("data file: {e}"))),
    };
    let rows = match typed_rows(file, schema) {
        Ok(rows) => rows,
        Err(e) => return fail(Error::Internal(format!("data file: {e}"))),
    };
    let mut batch = Vec::with_capacity(LOAD_BATCH);
    for row in rows {
        let cells = row
            .map_err(|e| Error::Internal(format!("data file: {e}")))
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
