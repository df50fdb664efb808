//! The datastore: a published version's rows loaded into a table of their own, so they can be
//! queried row by row (CKAN's `datastore_search`): filtered by equality, searched as text,
//! sorted, paged. Each table is named after its version (`datastore_v12`) and its columns after
//! their position (`c1`, `c2`…), so no name a publisher wrote ever reaches SQL; every value is
//! a bound parameter.

use abierto_domain::ids::{ResourceId, VersionId};
use chrono::{DateTime, Utc};
use sqlx::any::AnyRow;
use sqlx::Row;

use crate::audit::record;
use crate::audit_action::AuditAction;
use crate::audit_subject::AuditSubject;
use crate::rows::to_unix;
use crate::{Actor, Backend, Store, StoreError};

/// A column's type as CKAN's datastore names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DatastoreType {
    Int,
    Numeric,
    Text,
    Bool,
    Date,
    Timestamp,
    Time,
}

impl DatastoreType {
    pub const ALL: [DatastoreType; 7] = [
        DatastoreType::Int,
        DatastoreType::Numeric,
        DatastoreType::Text,
        DatastoreType::Bool,
        DatastoreType::Date,
        DatastoreType::Timestamp,
        DatastoreType::Time,
    ];

    pub fn key(self) -> &'static str {
        match self {
            DatastoreType::Int => "int",
            DatastoreType::Numeric => "numeric",
            DatastoreType::Text => "text",
            DatastoreType::Bool => "bool",
            DatastoreType::Date => "date",
            DatastoreType::Timestamp => "timestamp",
            DatastoreType::Time => "time",
        }
    }

    fn parse(raw: &str) -> Result<DatastoreType, StoreError> {
        DatastoreType::ALL
            .into_iter()
            .find(|t| t.key() == raw)
            .ok_or_else(|| StoreError::Corrupt(format!("datastore type {raw:?}")))
    }

    /// Whether the column holds text (and so takes part in a full-text search).
    pub fn is_textual(self) -> bool {
        !matches!(self, DatastoreType::Int | DatastoreType::Numeric)
    }

    fn sql_type(self, backend: Backend) -> &'static str {
        match (self, backend) {
            (DatastoreType::Int, _) => "BIGINT",
            (DatastoreType::Numeric, Backend::Sqlite) => "REAL",
            (DatastoreType::Numeric, Backend::Postgres) => "DOUBLE PRECISION",
            _ => "TEXT",
        }
    }
}

/// A column of a datastore table.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct DatastoreField {
    pub name: String,
    #[serde(rename = "type")]
    pub kind: String,
}

impl DatastoreField {
    pub fn new(name: impl Into<String>, kind: DatastoreType) -> DatastoreField {
        DatastoreField {
            name: name.into(),
            kind: kind.key().to_owned(),
        }
    }

    pub fn datastore_type(&self) -> Result<DatastoreType, StoreError> {
        DatastoreType::parse(&self.kind)
    }
}

/// One cell: booleans are kept as the text `true` or `false`, dates and times as ISO 8601 text.
#[derive(Debug, Clone, PartialEq)]
pub enum CellValue {
    Null,
    Int(i64),
    Float(f64),
    Text(String),
    Bool(bool),
}

/// A loaded table.
#[derive(Debug, Clone, PartialEq)]
pub struct DatastoreTable {
    pub version: VersionId,
    pub table_name: String,
    pub fields: Vec<DatastoreField>,
    pub rows: i64,
    pub loaded_at: DateTime<Utc>,
}

impl DatastoreTable {
    /// The position of a column by its name.
    pub fn column(&self, name: &str) -> Option<usize> {
        self.fields.iter().position(|f| f.name == name)
    }
}

/// What `datastore_search` asks, with columns already resolved to positions.
#[derive(Debug, Clone, Default)]
pub struct DatastoreQuery {
    /// Each column must equal one of the values.
    pub filters: Vec<(usize, Vec<CellValue>)>,
    /// Text every match contains in some textual column (case-insensitive).
    pub q: Option<String>,
    /// Columns to sort by (`None` is `_id`), descending when true, blanks last; `_id` breaks
    /// ties.
    pub sort: Vec<(Option<usize>, bool)>,
    /// The columns to return; all when `None`.
    pub fields: Option<Vec<usize>>,
    pub limit: i64,
    pub offset: i64,
    /// Leaves the count of every match out (`total` is `None`), for callers that page
    /// without it: counting is the costly half of a search over a large table.
    pub skip_total: bool,
}

/// A page of records: each its `_id` and the cells of the columns asked for.
#[derive(Debug, Clone, PartialEq)]
pub struct DatastorePage {
    /// Every match's count, unless the query skipped it.
    pub total: Option<i64>,
    pub columns: Vec<usize>,
    pub records: Vec<(i64, Vec<CellValue>)>,
}

/// The most values one INSERT binds, below both backends' limits.
const MAX_BINDS: usize = 30_000;

fn table_name(version: VersionId) -> String {
    format!("datastore_v{}", version.get())
}

fn checked_name(name: &str) -> Result<&str, StoreError> {
    let ok = name
        .strip_prefix("datastore_v")
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
    if ok {
        Ok(name)
    } else {
        Err(StoreError::Corrupt(format!("datastore table {name:?}")))
    }
}

impl Store {
    /// Creates the (empty) table for a version's rows, replacing one left by a load that did
    /// not finish. Rows go in with [`Store::insert_datastore_rows`]; the table is found by
    /// readers only once [`Store::register_datastore`] names it.
    pub async fn create_datastore(
        &self,
        version: VersionId,
        fields: &[DatastoreField],
    ) -> Result<String, StoreError> {
        let name = table_name(version);
        let mut columns = vec!["_id BIGINT PRIMARY KEY".to_owned()];
        for (i, field) in fields.iter().enumerate() {
            let kind = field.datastore_type()?;
            columns.push(format!("c{} {}", i + 1, kind.sql_type(self.backend)));
        }
        sqlx::query(&format!("DROP TABLE IF EXISTS {name}"))
            .execute(&self.pool)
            .await?;
        sqlx::query(&format!("CREATE TABLE {name} ({})", columns.join(", ")))
            .execute(&self.pool)
            .await?;
        Ok(name)
    }

    /// Appends rows numbered from `first_id`; each row has one cell a field.
    pub async fn insert_datastore_rows(
        &self,
        table: &str,
        fields: &[DatastoreField],
        first_id: i64,
        rows: &[Vec<CellValue>],
    ) -> Result<(), StoreError> {
        let table = checked_name(table)?;
        let width = fields.len();
        let kinds: Vec<DatastoreType> = fields
            .iter()
            .map(DatastoreField::datastore_type)
            .collect::<Result<_, _>>()?;
        let columns: Vec<String> = std::iter::once("_id".to_owned())
            .chain((1..=width).map(|i| format!("c{i}")))
            .collect();
        let per_statement = (MAX_BINDS / (width + 1)).max(1);
        let mut tx = self.begin_write().await?;
        for (chunk_index, chunk) in rows.chunks(per_statement).enumerate() {
            let mut sql = format!("INSERT INTO {table} ({}) VALUES ", columns.join(", "));
            let mut n = 0;
            for (i, _) in chunk.iter().enumerate() {
                if i > 0 {
                    sql.push_str(", ");
                }
                sql.push('(');
                for c in 0..=width {
                    if c > 0 {
                        sql.push_str(", ");
                    }
                    n += 1;
                    sql.push_str(&format!("${n}"));
                }
                sql.push(')');
            }
            let mut query = sqlx::query(&sql).persistent(false);
            for (i, row) in chunk.iter().enumerate() {
                let id = first_id + (chunk_index * per_statement + i) as i64;
                query = query.bind(id);
                for (c, kind) in kinds.iter().enumerate() {
                    query = bind_cell(query, row.get(c).unwrap_or(&CellValue::Null), *kind);
                }
            }
            query.execute(&mut *tx).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Names the loaded table as the version's datastore, audited with its row count.
    pub async fn register_datastore(
        &self,
        actor: &Actor,
        version: VersionId,
        table: &str,
        fields: &[DatastoreField],
        rows: i64,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let fields_json = serde_json::to_string(fields)
            .map_err(|e| StoreError::Corrupt(format!("datastore fields: {e}")))?;
        let mut tx = self.begin_write().await?;
        sqlx::query("DELETE FROM datastore_tables WHERE version_id = $1")
            .bind(version.get())
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO datastore_tables (version_id, table_name, fields, rows_count, loaded_at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(version.get())
        .bind(checked_name(table)?)
        .bind(fields_json)
        .bind(rows)
        .bind(to_unix(at))
        .execute(&mut *tx)
        .await?;
        let detail = format!("{rows} filas en {table}");
        let subject = AuditSubject::Version(version);
        record(&mut tx, actor, AuditAction::DatastoreLoad, subject, &detail).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Drops a table no version names any more (the one a newer version superseded).
    pub async fn drop_datastore_table(&self, table: &str) -> Result<(), StoreError> {
        let table = checked_name(table)?;
        sqlx::query(&format!("DROP TABLE IF EXISTS {table}"))
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Drops the datastore tables of versions superseded before `before`, once no reader can
    /// still be on them; gives how many were dropped.
    pub async fn drop_superseded_datastores(
        &self,
        before: DateTime<Utc>,
    ) -> Result<usize, StoreError> {
        let stale: Vec<(i64, String)> = sqlx::query_as(
            "SELECT t.version_id, t.table_name FROM datastore_tables t \
             JOIN resource_versions v ON v.id = t.version_id \
             WHERE v.status = 'superseded' AND v.superseded_at < $1",
        )
        .bind(to_unix(before))
        .fetch_all(&self.pool)
        .await?;
        for (version, table) in &stale {
            self.drop_datastore_table(table).await?;
            sqlx::query("DELETE FROM datastore_tables WHERE version_id = $1")
                .bind(version)
                .execute(&self.pool)
                .await?;
        }
        Ok(stale.len())
    }

    /// The datastore of a resource: the table of its published version.
    pub async fn datastore_of_resource(
        &self,
        resource: ResourceId,
    ) -> Result<Option<DatastoreTable>, StoreError> {
        let row = sqlx::query(
            "SELECT t.version_id, t.table_name, t.fields, t.rows_count, t.loaded_at \
             FROM datastore_tables t JOIN resource_versions v ON v.id = t.version_id \
             WHERE v.resource_id = $1 AND v.status = 'published'",
        )
        .bind(resource.get())
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(table_from_row).transpose()
    }

    /// One page of a datastore's records, and how many match in all.
    pub async fn search_datastore(
        &self,
        table: &DatastoreTable,
        query: &DatastoreQuery,
    ) -> Result<DatastorePage, StoreError> {
        let name = checked_name(&table.table_name)?;
        let kinds: Vec<DatastoreType> = table
            .fields
            .iter()
            .map(DatastoreField::datastore_type)
            .collect::<Result<_, _>>()?;
        let mut conditions = Vec::new();
        let mut binds: Vec<CellValue> = Vec::new();
        for (column, values) in &query.filters {
            if *column >= kinds.len() || values.is_empty() {
                continue;
            }
            let mut alternatives = Vec::new();
            for value in values {
                binds.push(value.clone());
                alternatives.push(format!("c{} = ${}", column + 1, binds.len()));
            }
            conditions.push(format!("({})", alternatives.join(" OR ")));
        }
        if let Some(q) = query.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
            let escaped = q
                .to_lowercase()
                .replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_");
            binds.push(CellValue::Text(format!("%{escaped}%")));
            let n = binds.len();
            let textual: Vec<String> = kinds
                .iter()
                .enumerate()
                .filter(|(_, k)| k.is_textual())
                .map(|(i, _)| format!("LOWER(c{}) LIKE ${n} ESCAPE '\\'", i + 1))
                .collect();
            if textual.is_empty() {
                conditions.push("1 = 0".to_owned());
            } else {
                conditions.push(format!("({})", textual.join(" OR ")));
            }
        }
        let filter = if conditions.is_empty() {
            String::new()
        } else {
            format!(" WHERE {}", conditions.join(" AND "))
        };
        let total = if query.skip_total {
            None
        } else {
            let count_sql = format!("SELECT COUNT(*) AS n FROM {name}{filter}");
            let mut count = sqlx::query(&count_sql).persistent(false);
            for value in &binds {
                count = bind_cell(count, value, DatastoreType::Text);
            }
            Some(count.fetch_one(&self.pool).await?.try_get::<i64, _>("n")?)
        };

        let columns: Vec<usize> = match &query.fields {
            Some(fields) => fields
                .iter()
                .copied()
                .filter(|c| *c < kinds.len())
                .collect(),
            None => (0..kinds.len()).collect(),
        };
        let mut select = vec!["_id".to_owned()];
        select.extend(columns.iter().map(|c| format!("c{}", c + 1)));
        let mut order: Vec<String> = query
            .sort
            .iter()
            .filter(|(c, _)| c.is_none_or(|c| c < kinds.len()))
            .map(|(c, desc)| {
                let column = c.map_or("_id".to_owned(), |c| format!("c{}", c + 1));
                // Blank cells last either way, as on both backends alike.
                format!("{column} {} NULLS LAST", if *desc { "DESC" } else { "ASC" })
            })
            .collect();
        order.push("_id ASC".to_owned());
        binds.push(CellValue::Int(query.limit.max(0)));
        let limit = binds.len();
        binds.push(CellValue::Int(query.offset.max(0)));
        let offset = binds.len();
        let sql = format!(
            "SELECT {} FROM {name}{filter} ORDER BY {} LIMIT ${limit} OFFSET ${offset}",
            select.join(", "),
            order.join(", ")
        );
        let mut page = sqlx::query(&sql).persistent(false);
        for value in &binds {
            page = bind_cell(page, value, DatastoreType::Text);
        }
        let rows = page.fetch_all(&self.pool).await?;
        let mut records = Vec::with_capacity(rows.len());
        for row in &rows {
            let id: i64 = row.try_get("_id")?;
            let mut cells = Vec::with_capacity(columns.len());
            for (i, column) in columns.iter().enumerate() {
                cells.push(read_cell(row, i + 1, kinds[*column])?);
            }
            records.push((id, cells));
        }
        Ok(DatastorePage {
            total,
            columns,
            records,
        })
    }
}

/// Binds a cell; a blank one as a NULL of its column's type (PostgreSQL types NULLs too).
fn bind_cell<'q>(
    query: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>,
    value: &CellValue,
    kind: DatastoreType,
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
    match value {
        CellValue::Null => match kind {
            DatastoreType::Int => query.bind(None::<i64>),
            DatastoreType::Numeric => query.bind(None::<f64>),
            _ => query.bind(None::<String>),
        },
        CellValue::Int(n) => query.bind(*n),
        CellValue::Float(n) => query.bind(*n),
        CellValue::Text(text) => query.bind(text.clone()),
        CellValue::Bool(b) => query.bind(if *b { "true" } else { "false" }),
    }
}

fn read_cell(row: &AnyRow, index: usize, kind: DatastoreType) -> Result<CellValue, StoreError> {
    Ok(match kind {
        DatastoreType::Int => row
            .try_get::<Option<i64>, _>(index)?
            .map_or(CellValue::Null, CellValue::Int),
        DatastoreType::Numeric => row
            .try_get::<Option<f64>, _>(index)?
            .map_or(CellValue::Null, CellValue::Float),
        DatastoreType::Bool => match row.try_get::<Option<String>, _>(index)?.as_deref() {
            Some("true") => CellValue::Bool(true),
            Some("false") => CellValue::Bool(false),
            _ => CellValue::Null,
        },
        _ => row
            .try_get::<Option<String>, _>(index)?
            .map_or(CellValue::Null, CellValue::Text),
    })
}

fn table_from_row(row: &AnyRow) -> Result<DatastoreTable, StoreError> {
    let fields: String = row.try_get("fields")?;
    Ok(DatastoreTable {
        version: VersionId::new(row.try_get("version_id")?),
        table_name: row.try_get("table_name")?,
        fields: serde_json::from_str(&fields)
            .map_err(|e| StoreError::Corrupt(format!("datastore fields: {e}")))?,
        rows: row.try_get("rows_count")?,
        loaded_at: crate::rows::from_unix(row.try_get("loaded_at")?)?,
    })
}
