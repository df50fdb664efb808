//! A resource's versions: each uploaded file with the Table Schema it is checked against, the
//! findings of that check grouped by code and column, and its steps — validating, findings to
//! fix or valid, approved by a data officer, published (superseding the version before, which
//! stayed online meanwhile).

use abierto_domain::ids::{DatasetId, ResourceId, UserId, VersionId};
use abierto_domain::opendata::VersionStatus;
use chrono::{DateTime, Utc};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use crate::audit::{record, Actor, AuditAction};
use crate::audit_subject::AuditSubject;
use crate::rows::{from_unix, to_unix};
use crate::{Store, StoreError};

/// A file as uploaded, kept on disk under its SHA-256.
#[derive(Debug, Clone)]
pub struct NewVersion {
    pub resource: ResourceId,
    pub file_name: String,
    pub sha256: String,
    pub size_bytes: i64,
    /// For an XLSX or JSON upload, the CSV it was turned into, kept under its SHA-256.
    pub table_sha256: Option<String>,
    /// The Table Schema (JSON) to check the file against.
    pub schema_json: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ResourceVersion {
    pub id: VersionId,
    pub resource: ResourceId,
    pub dataset: DatasetId,
    pub number: i64,
    pub status: VersionStatus,
    pub file_name: String,
    pub sha256: String,
    pub size_bytes: i64,
    /// For an XLSX or JSON upload, the CSV it was turned into.
    pub table_sha256: Option<String>,
    pub schema_json: String,
    pub rows: Option<i64>,
    pub findings: Option<i64>,
    pub uploaded_by: UserId,
    pub uploaded_at: DateTime<Utc>,
    pub validated_at: Option<DateTime<Utc>>,
    pub approved_by: Option<UserId>,
    pub approved_at: Option<DateTime<Utc>>,
    pub published_at: Option<DateTime<Utc>>,
}

impl ResourceVersion {
    /// The SHA-256 of the CSV that is checked and loaded: the upload itself, or what an XLSX
    /// or JSON upload was turned into.
    pub fn table_file(&self) -> &str {
        self.table_sha256.as_deref().unwrap_or(&self.sha256)
    }
}

/// The findings of one code in one column (or in none), with the first examples as JSON.
#[derive(Debug, Clone, PartialEq)]
pub struct FindingGroupRecord {
    pub code: String,
    pub field_number: Option<i64>,
    pub field_name: Option<String>,
    pub count: i64,
    pub examples_json: String,
}

/// What a check of a version found.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckOutcome {
    pub rows: i64,
    pub groups: Vec<FindingGroupRecord>,
}

const VERSION_COLUMNS: &str = "v.id, v.resource_id, r.dataset_id, v.number, v.status, \
    v.file_name, v.sha256, v.size_bytes, v.table_sha256, v.schema_json, v.rows_count, v.findings_count, \
    v.uploaded_by, v.uploaded_at, v.validated_at, v.approved_by, v.approved_at, v.published_at \
    FROM resource_versions v JOIN resources r ON r.id = v.resource_id";

impl Store {
    /// Records an uploaded file as the resource's next version, to be checked.
    pub async fn add_version(
        &self,
        actor: &Actor,
        uploaded_by: UserId,
        version: &NewVersion,
        at: DateTime<Utc>,
    ) -> Result<VersionId, StoreError> {
        let mut tx = self.begin_write().await?;
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO resource_versions (resource_id, number, status, file_name, sha256, \
             size_bytes, schema_json, uploaded_by, uploaded_at, table_sha256) VALUES ($1, \
             (SELECT COALESCE(MAX(number), 0) + 1 FROM resource_versions WHERE resource_id = $1), \
             'validating', $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(version.resource.get())
        .bind(&version.file_name)
        .bind(&version.sha256)
        .bind(version.size_bytes)
        .bind(&version.schema_json)
        .bind(uploaded_by.get())
        .bind(to_unix(at))
        .bind(version.table_sha256.as_deref())
        .fetch_one(&mut *tx)
        .await?;
        record(
            &mut tx,
            actor,
            AuditAction::VersionUpload,
            AuditSubject::Version(VersionId::new(id)),
            &version.file_name,
        )
        .await?;
        tx.commit().await?;
        Ok(VersionId::new(id))
    }

    pub async fn version(&self, id: VersionId) -> Result<ResourceVersion, StoreError> {
        let row = sqlx::query(&format!("SELECT {VERSION_COLUMNS} WHERE v.id = $1"))
            .bind(id.get())
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound)?;
        version_from_row(&row)
    }

    /// The resource's versions, newest first.
    pub async fn versions(&self, resource: ResourceId) -> Result<Vec<ResourceVersion>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {VERSION_COLUMNS} WHERE v.resource_id = $1 ORDER BY v.number DESC"
        ))
        .bind(resource.get())
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(version_from_row).collect()
    }

    /// The version online, if any.
    pub async fn published_version(
        &self,
        resource: ResourceId,
    ) -> Result<Option<ResourceVersion>, StoreError> {
        let row = sqlx::query(&format!(
            "SELECT {VERSION_COLUMNS} WHERE v.resource_id = $1 AND v.status = 'published'"
        ))
        .bind(resource.get())
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(version_from_row).transpose()
    }

    /// Versions that passed their check and wait for a data officer, oldest first.
    pub async fn versions_awaiting_approval(&self) -> Result<Vec<ResourceVersion>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {VERSION_COLUMNS} WHERE v.status IN ('valid', 'approved') \
             ORDER BY v.uploaded_at, v.id"
        ))
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(version_from_row).collect()
    }

    /// Stores the check's outcome: findings to fix when any group has findings, valid
    /// otherwise. Replaces the findings of an earlier check of the same version.
    pub async fn record_check(
        &self,
        actor: &Actor,
        version: VersionId,
        outcome: &CheckOutcome,
        at: DateTime<Utc>,
    ) -> Result<VersionStatus, StoreError> {
        let mut tx = self.begin_write().await?;
        let total: i64 = outcome.groups.iter().map(|g| g.count).sum();
        let next = if total > 0 {
            VersionStatus::Findings
        } else {
            VersionStatus::Valid
        };
        step(&mut tx, version, next).await?;
        sqlx::query("DELETE FROM version_findings WHERE version_id = $1")
            .bind(version.get())
            .execute(&mut *tx)
            .await?;
        for (position, group) in outcome.groups.iter().enumerate() {
            sqlx::query(
                "INSERT INTO version_findings (version_id, position, code, field_number, \
                 field_name, count, examples) VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(version.get())
            .bind(position as i64)
            .bind(&group.code)
            .bind(group.field_number)
            .bind(&group.field_name)
            .bind(group.count)
            .bind(&group.examples_json)
            .execute(&mut *tx)
            .await?;
        }
        sqlx::query(
            "UPDATE resource_versions SET status = $1, rows_count = $2, findings_count = $3, \
             validated_at = $4 WHERE id = $5",
        )
        .bind(next.key())
        .bind(outcome.rows)
        .bind(total)
        .bind(to_unix(at))
        .bind(version.get())
        .execute(&mut *tx)
        .await?;
        record(
            &mut tx,
            actor,
            AuditAction::VersionCheck,
            AuditSubject::Version(version),
            next.key(),
        )
        .await?;
        tx.commit().await?;
        Ok(next)
    }

    /// Replaces the schema of a version that is not yet approved; it is checked again.
    pub async fn replace_schema(
        &self,
        actor: &Actor,
        version: VersionId,
        schema_json: &str,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        step(&mut tx, version, VersionStatus::Validating).await?;
        sqlx::query(
            "UPDATE resource_versions SET schema_json = $1, status = 'validating' WHERE id = $2",
        )
        .bind(schema_json)
        .bind(version.get())
        .execute(&mut *tx)
        .await?;
        record(
            &mut tx,
            actor,
            AuditAction::VersionSchema,
            AuditSubject::Version(version),
            "",
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// A data officer approves a valid version.
    pub async fn approve_version(
        &self,
        actor: &Actor,
        officer: UserId,
        version: VersionId,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        step(&mut tx, version, VersionStatus::Approved).await?;
        sqlx::query(
            "UPDATE resource_versions SET status = 'approved', approved_by = $1, approved_at = $2 \
             WHERE id = $3",
        )
        .bind(officer.get())
        .bind(to_unix(at))
        .bind(version.get())
        .execute(&mut *tx)
        .await?;
        record(
            &mut tx,
            actor,
            AuditAction::VersionApprove,
            AuditSubject::Version(version),
            "",
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Publishes an approved version: the one online before is superseded (its datastore table,
    /// named in the result, stays until [`Store::drop_superseded_datastores`] removes it, so a
    /// reader that looked it up a moment before still finds it), and the dataset becomes
    /// public if it was not.
    pub async fn publish_version(
        &self,
        actor: &Actor,
        version: VersionId,
        at: DateTime<Utc>,
    ) -> Result<Option<String>, StoreError> {
        let mut tx = self.begin_write().await?;
        step(&mut tx, version, VersionStatus::Published).await?;
        let (resource, dataset): (i64, i64) = sqlx::query_as(
            "SELECT v.resource_id, r.dataset_id FROM resource_versions v \
             JOIN resources r ON r.id = v.resource_id WHERE v.id = $1",
        )
        .bind(version.get())
        .fetch_one(&mut *tx)
        .await?;
        let previous: Option<(i64, Option<String>)> = sqlx::query_as(
            "SELECT v.id, t.table_name FROM resource_versions v \
             LEFT JOIN datastore_tables t ON t.version_id = v.id \
             WHERE v.resource_id = $1 AND v.status = 'published'",
        )
        .bind(resource)
        .fetch_optional(&mut *tx)
        .await?;
        let mut superseded = None;
        if let Some((old, table)) = previous {
            sqlx::query(
                "UPDATE resource_versions SET status = 'superseded', superseded_at = $1 WHERE id = $2",
            )
            .bind(to_unix(at))
            .bind(old)
            .execute(&mut *tx)
            .await?;
            superseded = table;
        }
        sqlx::query(
            "UPDATE resource_versions SET status = 'published', published_at = $1 WHERE id = $2",
        )
        .bind(to_unix(at))
        .bind(version.get())
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "UPDATE datasets SET published_at = COALESCE(published_at, $1), modified_at = $1 \
             WHERE id = $2",
        )
        .bind(to_unix(at))
        .bind(dataset)
        .execute(&mut *tx)
        .await?;
        record(
            &mut tx,
            actor,
            AuditAction::VersionPublish,
            AuditSubject::Version(version),
            "",
        )
        .await?;
        tx.commit().await?;
        Ok(superseded)
    }

    /// The version's findings, grouped as the check left them.
    pub async fn version_findings(
        &self,
        version: VersionId,
    ) -> Result<Vec<FindingGroupRecord>, StoreError> {
        let rows = sqlx::query(
            "SELECT code, field_number, field_name, count, examples FROM version_findings \
             WHERE version_id = $1 ORDER BY position",
        )
        .bind(version.get())
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(FindingGroupRecord {
                    code: row.try_get("code")?,
                    field_number: row.try_get("field_number")?,
                    field_name: row.try_get("field_name")?,
                    count: row.try_get("count")?,
                    examples_json: row.try_get("examples")?,
                })
            })
            .collect()
    }
}

/// Checks that the version may take the step to `next` from the status it has now.
async fn step(
    conn: &mut AnyConnection,
    version: VersionId,
    next: VersionStatus,
) -> Result<(), StoreError> {
    let (status,): (String,) = sqlx::query_as("SELECT status FROM resource_versions WHERE id = $1")
        .bind(version.get())
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(StoreError::NotFound)?;
    VersionStatus::parse(&status)?
        .step_to(next)
        .map_err(StoreError::Refused)?;
    Ok(())
}

fn version_from_row(row: &AnyRow) -> Result<ResourceVersion, StoreError> {
    let at = |column: &str| -> Result<Option<DateTime<Utc>>, StoreError> {
        row.try_get::<Option<i64>, _>(column)?
            .map(from_unix)
            .transpose()
    };
    Ok(ResourceVersion {
        id: VersionId::new(row.try_get("id")?),
        resource: ResourceId::new(row.try_get("resource_id")?),
        dataset: DatasetId::new(row.try_get("dataset_id")?),
        number: row.try_get("number")?,
        status: VersionStatus::parse(row.try_get("status")?)?,
        file_name: row.try_get("file_name")?,
        sha256: row.try_get("sha256")?,
        size_bytes: row.try_get("size_bytes")?,
        table_sha256: row.try_get("table_sha256")?,
        schema_json: row.try_get("schema_json")?,
        rows: row.try_get("rows_count")?,
        findings: row.try_get("findings_count")?,
        uploaded_by: UserId::new(row.try_get("uploaded_by")?),
        uploaded_at: from_unix(row.try_get("uploaded_at")?)?,
        validated_at: at("validated_at")?,
        approved_by: row
            .try_get::<Option<i64>, _>("approved_by")?
            .map(UserId::new),
        approved_at: at("approved_at")?,
        published_at: at("published_at")?,
    })
}
