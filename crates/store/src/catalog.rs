//! The open-data catalog: publishers (the units that publish data), their datasets with DCAT's
//! metadata, and each dataset's resources. A resource's files and their checks live in
//! `resource_versions.rs`; the rows of published files in `datastore.rs`.

use abierto_domain::ids::{DatasetId, PublisherId, ResourceId, UnitId, UserId};
use abierto_domain::opendata::{DatasetMetadata, ResourceFormat, Slug};
use abierto_domain::ErrorCode;
use abierto_domain::ValidationError;
use chrono::{DateTime, Utc};
use sqlx::any::AnyRow;
use sqlx::FromRow;
use sqlx::Row;

use crate::audit::{record, Actor, AuditAction};
use crate::audit_subject::AuditSubject;
use crate::rows::{from_iso, from_unix, to_iso, to_unix};
use crate::{Store, StoreError};

/// A publisher (dependencia): a unit of the municipality that publishes datasets.
#[derive(Debug, Clone, PartialEq)]
pub struct Publisher {
    pub id: PublisherId,
    pub unit: UnitId,
    pub slug: Slug,
    /// The unit's name.
    pub name: String,
    pub description: String,
    pub created_at: DateTime<Utc>,
    /// Datasets with at least one published resource.
    pub published_datasets: i64,
}

/// A dataset as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct Dataset {
    pub id: DatasetId,
    pub slug: Slug,
    pub publisher: PublisherId,
    pub publisher_slug: Slug,
    pub publisher_name: String,
    pub metadata: DatasetMetadata,
    /// For a dataset the platform publishes from its own records: which records.
    pub generated_from: Option<String>,
    pub created_at: DateTime<Utc>,
    pub modified_at: DateTime<Utc>,
    /// When its first resource version was published; `None` while nothing is public.
    pub published_at: Option<DateTime<Utc>>,
}

/// A resource of a dataset: one file, in versions.
#[derive(Debug, Clone, PartialEq)]
pub struct Resource {
    pub id: ResourceId,
    pub dataset: DatasetId,
    pub name: String,
    pub description: String,
    pub format: ResourceFormat,
    pub position: i64,
    pub created_at: DateTime<Utc>,
}

fn refused(field: &'static str, code: ErrorCode) -> StoreError {
    StoreError::Refused(ValidationError::new(field, code))
}

const DATASET_COLUMNS: &str = "d.id, d.slug, d.publisher_id, p.slug AS publisher_slug, \
    u.name AS publisher_name, d.title, d.description, d.keywords, d.theme, d.license, \
    d.frequency, d.temporal_start, d.temporal_end, d.spatial, d.contact_name, d.contact_email, \
    d.generated_from, d.created_at, d.modified_at, d.published_at \
    FROM datasets d JOIN publishers p ON p.id = d.publisher_id JOIN units u ON u.id = p.unit_id";

impl Store {
    /// Makes a unit a publisher, known in URLs and the CKAN API by `slug`.
    pub async fn create_publisher(
        &self,
        actor: &Actor,
        unit: UnitId,
        slug: &Slug,
        description: &str,
        at: DateTime<Utc>,
    ) -> Result<PublisherId, StoreError> {
        let mut tx = self.begin_write().await?;
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO publishers (unit_id, slug, description, created_at) \
             VALUES ($1, $2, $3, $4) RETURNING id",
        )
        .bind(unit.get())
        .bind(slug.as_str())
        .bind(description.trim())
        .bind(to_unix(at))
        .fetch_one(&mut *tx)
        .await?;
        record(
            &mut tx,
            actor,
            AuditAction::PublisherCreate,
            AuditSubject::Publisher(PublisherId::new(id)),
            slug.as_str(),
        )
        .await?;
        tx.commit().await?;
        Ok(PublisherId::new(id))
    }

    /// Every publisher, by name.
    pub async fn publishers(&self) -> Result<Vec<Publisher>, StoreError> {
        let rows = sqlx::query(&publisher_query("1 = 1"))
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(publisher_from_row).collect()
    }

    pub async fn publisher(&self, id: PublisherId) -> Result<Publisher, StoreError> {
        let row = sqlx::query(&publisher_query("p.id = $1"))
            .bind(id.get())
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound)?;
        publisher_from_row(&row)
    }

    /// A publisher by its slug or its id written as text (CKAN accepts either).
    pub async fn publisher_by_name(&self, name: &str) -> Result<Publisher, StoreError> {
        let id = name.parse::<i64>().unwrap_or(0);
        let row = sqlx::query(&publisher_query("(p.slug = $1 OR p.id = $2)"))
            .bind(name)
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound)?;
        publisher_from_row(&row)
    }

    /// The publishers a data publisher acts for: those of the units the account belongs to.
    pub async fn publishers_of(&self, user: UserId) -> Result<Vec<Publisher>, StoreError> {
        let rows = sqlx::query(&publisher_query(
            "p.unit_id IN (SELECT unit_id FROM user_units WHERE user_id = $1)",
        ))
        .bind(user.get())
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(publisher_from_row).collect()
    }

    /// Creates a dataset of the publisher; a taken slug is `Conflict { field: "slug" }`.
    pub async fn create_dataset(
        &self,
        actor: &Actor,
        publisher: PublisherId,
        slug: &Slug,
        metadata: DatasetMetadata,
        at: DateTime<Utc>,
    ) -> Result<DatasetId, StoreError> {
        self.insert_dataset(actor, publisher, slug, metadata, None, at)
            .await
    }

    async fn insert_dataset(
        &self,
        actor: &Actor,
        publisher: PublisherId,
        slug: &Slug,
        metadata: DatasetMetadata,
        generated_from: Option<&str>,
        at: DateTime<Utc>,
    ) -> Result<DatasetId, StoreError> {
        let m = metadata.check().map_err(StoreError::Refused)?;
        let mut tx = self.begin_write().await?;
        let query = sqlx::query(
            "INSERT INTO datasets (title, description, keywords, theme, license, frequency, \
             temporal_start, temporal_end, spatial, contact_name, contact_email, slug, \
             publisher_id, generated_from, created_at, modified_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $15) \
             RETURNING id",
        );
        let id: i64 = bind_metadata(query, &m)
            .bind(slug.as_str())
            .bind(publisher.get())
            .bind(generated_from)
            .bind(to_unix(at))
            .fetch_one(&mut *tx)
            .await?
            .try_get("id")?;
        record(
            &mut tx,
            actor,
            AuditAction::DatasetCreate,
            AuditSubject::Dataset(DatasetId::new(id)),
            &m.title,
        )
        .await?;
        tx.commit().await?;
        Ok(DatasetId::new(id))
    }

    /// Replaces a dataset's metadata.
    pub async fn update_dataset(
        &self,
        actor: &Actor,
        dataset: DatasetId,
        metadata: DatasetMetadata,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let m = metadata.check().map_err(StoreError::Refused)?;
        let mut tx = self.begin_write().await?;
        let query = sqlx::query(
            "UPDATE datasets SET title = $1, description = $2, keywords = $3, theme = $4, \
             license = $5, frequency = $6, temporal_start = $7, temporal_end = $8, spatial = $9, \
             contact_name = $10, contact_email = $11, modified_at = $12 WHERE id = $13",
        );
        let done = bind_metadata(query, &m)
            .bind(to_unix(at))
            .bind(dataset.get())
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        record(
            &mut tx,
            actor,
            AuditAction::DatasetUpdate,
            AuditSubject::Dataset(dataset),
            &m.title,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn dataset(&self, id: DatasetId) -> Result<Dataset, StoreError> {
        let row = sqlx::query(&format!("SELECT {DATASET_COLUMNS} WHERE d.id = $1"))
            .bind(id.get())
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound)?;
        dataset_from_row(&row)
    }

    /// A dataset by its slug or its id written as text (CKAN accepts either).
    pub async fn dataset_by_name(&self, name: &str) -> Result<Dataset, StoreError> {
        let id = name.parse::<i64>().unwrap_or(0);
        let row = sqlx::query(&format!(
            "SELECT {DATASET_COLUMNS} WHERE d.slug = $1 OR d.id = $2"
        ))
        .bind(name)
        .bind(id)
        .fetch_optional(&self.pool)
        .await?
        .ok_or(StoreError::NotFound)?;
        dataset_from_row(&row)
    }

    /// The dataset the platform publishes from the records named `key`, once created.
    pub async fn generated_dataset(&self, key: &str) -> Result<Option<Dataset>, StoreError> {
        sqlx::query(&format!(
            "SELECT {DATASET_COLUMNS} WHERE d.generated_from = $1"
        ))
        .bind(key)
        .fetch_optional(&self.pool)
        .await?
        .as_ref()
        .map(dataset_from_row)
        .transpose()
    }

    /// Creates the dataset the platform publishes from the records named `key`.
    pub async fn create_generated_dataset(
        &self,
        actor: &Actor,
        publisher: PublisherId,
        slug: &Slug,
        metadata: DatasetMetadata,
        key: &str,
        at: DateTime<Utc>,
    ) -> Result<DatasetId, StoreError> {
        self.insert_dataset(actor, publisher, slug, metadata, Some(key), at)
            .await
    }

    /// Every dataset, public or not, newest first: for the secretariat and data officers.
    pub async fn datasets(&self) -> Result<Vec<Dataset>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {DATASET_COLUMNS} ORDER BY d.modified_at DESC, d.id DESC"
        ))
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(dataset_from_row).collect()
    }

    /// The datasets with something published, by title: the public catalog.
    pub async fn published_datasets(&self) -> Result<Vec<Dataset>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {DATASET_COLUMNS} WHERE d.published_at IS NOT NULL ORDER BY d.title, d.id"
        ))
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(dataset_from_row).collect()
    }

    /// The datasets of the publishers a data publisher acts for.
    pub async fn datasets_of(&self, user: UserId) -> Result<Vec<Dataset>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {DATASET_COLUMNS} WHERE p.unit_id IN \
             (SELECT unit_id FROM user_units WHERE user_id = $1) ORDER BY d.title, d.id"
        ))
        .bind(user.get())
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(dataset_from_row).collect()
    }

    /// Adds a resource at the end of the dataset's list; a name taken in the dataset is
    /// `Conflict { field: "name" }`.
    pub async fn create_resource(
        &self,
        actor: &Actor,
        dataset: DatasetId,
        name: &str,
        description: &str,
        format: ResourceFormat,
        at: DateTime<Utc>,
    ) -> Result<ResourceId, StoreError> {
        let name = name.trim();
        if name.is_empty() || name.chars().count() > 200 {
            return Err(refused("name", ErrorCode::InvalidTitle));
        }
        let mut tx = self.begin_write().await?;
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO resources (dataset_id, name, description, format, position, created_at) \
             VALUES ($1, $2, $3, $4, \
             (SELECT COALESCE(MAX(position), 0) + 1 FROM resources WHERE dataset_id = $1), $5) \
             RETURNING id",
        )
        .bind(dataset.get())
        .bind(name)
        .bind(description.trim())
        .bind(format.key())
        .bind(to_unix(at))
        .fetch_one(&mut *tx)
        .await?;
        record(
            &mut tx,
            actor,
            AuditAction::ResourceCreate,
            AuditSubject::Resource(ResourceId::new(id)),
            name,
        )
        .await?;
        tx.commit().await?;
        Ok(ResourceId::new(id))
    }

    /// The dataset's resources in their order.
    pub async fn resources(&self, dataset: DatasetId) -> Result<Vec<Resource>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, dataset_id, name, description, format, position, created_at \
             FROM resources WHERE dataset_id = $1 ORDER BY position",
        )
        .bind(dataset.get())
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(resource_from_row).collect()
    }

    /// The resources that have a version online, of every dataset, in dataset and list order.
    pub async fn published_resources(&self) -> Result<Vec<Resource>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, dataset_id, name, description, format, position, created_at \
             FROM resources r WHERE EXISTS (SELECT 1 FROM resource_versions v \
             WHERE v.resource_id = r.id AND v.status = 'published') \
             ORDER BY dataset_id, position",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(resource_from_row).collect()
    }

    pub async fn resource(&self, id: ResourceId) -> Result<Resource, StoreError> {
        let row = sqlx::query(
            "SELECT id, dataset_id, name, description, format, position, created_at \
             FROM resources WHERE id = $1",
        )
        .bind(id.get())
        .fetch_optional(&self.pool)
        .await?
        .ok_or(StoreError::NotFound)?;
        resource_from_row(&row)
    }
}

type AnyQuery<'q> = sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>;

/// Binds the metadata as the first eleven parameters, in the order both statements name them.
fn bind_metadata<'q>(query: AnyQuery<'q>, m: &'q DatasetMetadata) -> AnyQuery<'q> {
    query
        .bind(&m.title)
        .bind(&m.description)
        .bind(m.keywords.join("\n"))
        .bind(&m.theme)
        .bind(&m.license)
        .bind(&m.frequency)
        .bind(m.temporal_start.map(to_iso))
        .bind(m.temporal_end.map(to_iso))
        .bind(&m.spatial)
        .bind(&m.contact_name)
        .bind(&m.contact_email)
}

fn publisher_query(condition: &str) -> String {
    format!(
        "SELECT p.id, p.unit_id, p.slug, u.name, p.description, p.created_at, \
         (SELECT COUNT(*) FROM datasets d WHERE d.publisher_id = p.id \
          AND d.published_at IS NOT NULL) AS published_datasets \
         FROM publishers p JOIN units u ON u.id = p.unit_id WHERE {condition} ORDER BY u.name"
    )
}

#[derive(FromRow)]
struct PublisherRow {
    id: i64,
    unit_id: i64,
    slug: String,
    name: String,
    description: String,
    created_at: i64,
    published_datasets: i64,
}

fn publisher_from_row(row: &AnyRow) -> Result<Publisher, StoreError> {
    let row = PublisherRow::from_row(row)?;
    Ok(Publisher {
        id: PublisherId::new(row.id),
        unit: UnitId::new(row.unit_id),
        slug: Slug::parse(&row.slug)?,
        name: row.name,
        description: row.description,
        created_at: from_unix(row.created_at)?,
        published_datasets: row.published_datasets,
    })
}

/// A dataset with its publisher's slug and name, as the dataset queries select it.
#[derive(FromRow)]
struct DatasetRow {
    id: i64,
    slug: String,
    publisher_id: i64,
    publisher_slug: String,
    publisher_name: String,
    title: String,
    description: String,
    /// One keyword a line.
    keywords: String,
    theme: String,
    license: String,
    frequency: String,
    temporal_start: Option<String>,
    temporal_end: Option<String>,
    spatial: String,
    contact_name: String,
    contact_email: String,
    generated_from: Option<String>,
    created_at: i64,
    modified_at: i64,
    published_at: Option<i64>,
}

fn dataset_from_row(row: &AnyRow) -> Result<Dataset, StoreError> {
    let row = DatasetRow::from_row(row)?;
    let date = |raw: Option<String>| raw.as_deref().map(from_iso).transpose();
    Ok(Dataset {
        id: DatasetId::new(row.id),
        slug: Slug::parse(&row.slug)?,
        publisher: PublisherId::new(row.publisher_id),
        publisher_slug: Slug::parse(&row.publisher_slug)?,
        publisher_name: row.publisher_name,
        metadata: DatasetMetadata {
            title: row.title,
            description: row.description,
            keywords: row
                .keywords
                .lines()
                .filter(|k| !k.is_empty())
                .map(String::from)
                .collect(),
            theme: row.theme,
            license: row.license,
            frequency: row.frequency,
            temporal_start: date(row.temporal_start)?,
            temporal_end: date(row.temporal_end)?,
            spatial: row.spatial,
            contact_name: row.contact_name,
            contact_email: row.contact_email,
        },
        generated_from: row.generated_from,
        created_at: from_unix(row.created_at)?,
        modified_at: from_unix(row.modified_at)?,
        published_at: row.published_at.map(from_unix).transpose()?,
    })
}

#[derive(FromRow)]
struct ResourceRow {
    id: i64,
    dataset_id: i64,
    name: String,
    description: String,
    format: String,
    position: i64,
    created_at: i64,
}

fn resource_from_row(row: &AnyRow) -> Result<Resource, StoreError> {
    let row = ResourceRow::from_row(row)?;
    Ok(Resource {
        id: ResourceId::new(row.id),
        dataset: DatasetId::new(row.dataset_id),
        name: row.name,
        description: row.description,
        format: ResourceFormat::parse(&row.format)?,
        position: row.position,
        created_at: from_unix(row.created_at)?,
    })
}
