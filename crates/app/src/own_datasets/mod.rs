//! The platform's own records published as open data: the action plan's goals and their
//! progress, the sessions with their agenda and votes, Mi Barrio Habla's agreements,
//! Presupuesto Participativo's works and their stages, and the calls with their totals.
//!
//! Once a data officer designates the publisher they appear under, each dataset is generated
//! from the store, checked against its fixed Table Schema and published through the same
//! versions, datastore and downloads as an uploaded file, on the officer's authority. A
//! background task refreshes them when the server starts, a moment after any successful
//! write, and every hour (calls open and close, and goals are read, by the clock). A table
//! whose content has not changed keeps its version.

mod definitions;
mod tables;

use std::time::Duration;

use abierto_domain::opendata::{DatasetMetadata, ResourceFormat, Slug};
use abierto_store::OwnRecordsPublication;
use tokio::sync::broadcast::error::RecvError;
use tokio::sync::{broadcast, Mutex};

pub use definitions::ALL as DATASETS;
use definitions::{DatasetDefinition, TableDefinition};

use crate::open_data::publish_generated;
use crate::{Actor, App, Error};

/// How long after a write the refresh waits, so a burst of writes makes one refresh.
const SETTLE: Duration = Duration::from_secs(2);
/// The longest the datasets go without a refresh.
const AT_LEAST_EVERY: Duration = Duration::from_secs(60 * 60);

/// Lets one refresh run at a time.
#[derive(Default)]
pub struct OwnDatasetsSignal {
    refreshing: Mutex<()>,
}

/// Generates every dataset and publishes each table whose content changed; gives how many
/// tables were published (none without a designated publisher). A dataset that fails (a name
/// already taken by an upload, say) does not hold the others back: all are tried, and the
/// first failure is returned.
pub async fn refresh(app: &App) -> Result<usize, Error> {
    let _one_at_a_time = app.own_datasets().refreshing.lock().await;
    let Some(publication) = app.store().own_records_publication().await? else {
        return Ok(0);
    };
    let mut published = 0;
    let spatial = app
        .store()
        .municipality()
        .await?
        .map(|m| m.official_name)
        .unwrap_or_default();
    let mut first_failure = None;
    for definition in DATASETS {
        let refreshed = refresh_dataset(app, definition, &publication, &spatial, &mut published);
        if let Err(err) = refreshed.await {
            tracing::warn!(conjunto = definition.slug, error = %err, "datos de la plataforma");
            first_failure.get_or_insert(err);
        }
    }
    match first_failure {
        Some(err) => Err(err),
        None => Ok(published),
    }
}

async fn refresh_dataset(
    app: &App,
    definition: &DatasetDefinition,
    publication: &OwnRecordsPublication,
    spatial: &str,
    published: &mut usize,
) -> Result<(), Error> {
    let now = app.clock().now();
    let generated = tables::generate(app, definition, now.date_naive(), now).await?;
    let existing = app.store().generated_dataset(definition.key).await?;
    if existing.is_none() && generated.tables.iter().all(Vec::is_empty) {
        return Ok(());
    }
    let metadata = metadata(definition, publication, spatial, generated.coverage)?;
    let actor = Actor::system();
    let dataset = match existing {
        Some(dataset) => {
            if dataset.metadata != metadata {
                app.store()
                    .update_dataset(&actor.audit(), dataset.id, metadata, now)
                    .await?;
            }
            dataset.id
        }
        None => {
            let slug = Slug::parse(definition.slug)?;
            app.store()
                .create_generated_dataset(
                    &actor.audit(),
                    publication.publisher,
                    &slug,
                    metadata,
                    definition.key,
                    now,
                )
                .await?
        }
    };
    let resources = app.store().resources(dataset).await?;
    for (table, rows) in definition.tables.iter().zip(generated.tables) {
        let resource = match resources.iter().find(|r| r.name == table.name) {
            Some(resource) => resource.id,
            None if rows.is_empty() => continue,
            None => {
                app.store()
                    .create_resource(
                        &actor.audit(),
                        dataset,
                        table.name,
                        table.description,
                        ResourceFormat::Csv,
                        now,
                    )
                    .await?
            }
        };
        let content = csv_file(table, &rows)?;
        let schema = table.schema();
        if publish_generated(
            app,
            publication,
            resource,
            table.file_name,
            &content,
            &schema,
        )
        .await?
        {
            *published += 1;
        }
    }
    Ok(())
}

/// The dataset's metadata: its definition, the designated contact, the municipality as
/// spatial coverage and the days its records cover.
fn metadata(
    definition: &DatasetDefinition,
    publication: &OwnRecordsPublication,
    spatial: &str,
    coverage: Option<(chrono::NaiveDate, chrono::NaiveDate)>,
) -> Result<DatasetMetadata, Error> {
    Ok(DatasetMetadata {
        title: definition.title.to_owned(),
        description: definition.description.to_owned(),
        keywords: definition
            .keywords
            .iter()
            .map(|k| (*k).to_owned())
            .collect(),
        theme: definition.theme.to_owned(),
        license: "CC-BY-4.0".to_owned(),
        frequency: definition.frequency.to_owned(),
        temporal_start: coverage.map(|(from, _)| from),
        temporal_end: coverage.map(|(_, to)| to),
        spatial: spatial.to_owned(),
        contact_name: publication.contact_name.clone(),
        contact_email: publication.contact_email.clone(),
    }
    .check()?)
}

/// The table as a CSV file, UTF-8, with the column names as its header.
fn csv_file(table: &TableDefinition, rows: &[Vec<String>]) -> Result<Vec<u8>, Error> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let failed = |e: csv::Error| Error::Internal(format!("{}: {e}", table.file_name));
    writer
        .write_record(table.columns.iter().map(|c| c.name))
        .map_err(failed)?;
    for row in rows {
        writer.write_record(row).map_err(failed)?;
    }
    writer
        .into_inner()
        .map_err(|e| Error::Internal(format!("{}: {e}", table.file_name)))
}

/// Keeps the datasets current: refreshes at once, then after each signalled change (once the
/// writes settle) and at least hourly. A failed refresh is logged and tried again later.
pub async fn keep_published(app: App) {
    let mut changes = app.store().changes();
    loop {
        match refresh(&app).await {
            Ok(published) if published > 0 => {
                tracing::info!(tablas = published, "datos de la plataforma publicados")
            }
            Ok(_) => {}
            Err(err) => tracing::warn!(
                error = %err,
                "no se pudieron publicar los datos de la plataforma"
            ),
        }
        if let Err(err) = crate::open_data::drop_superseded_datastores(&app).await {
            tracing::warn!(error = %err, "no se pudieron borrar los datos sustituidos");
        }
        tokio::select! {
            () = records_changed(&mut changes) => {}
            () = tokio::time::sleep(AT_LEAST_EVERY) => {}
        }
        tokio::time::sleep(SETTLE).await;
        // The writes of the burst, and the refresh's own publishing, are all in hand now.
        changes = changes.resubscribe();
    }
}

/// Waits for a committed write that changes a record the datasets show; falling behind the
/// announcements counts as one (some of those missed may have).
async fn records_changed(changes: &mut broadcast::Receiver<abierto_store::Change>) {
    loop {
        match changes.recv().await {
            Ok(change) if change.action.changes_records() => return,
            Ok(_) => {}
            Err(RecvError::Lagged(_)) => return,
            // The store outlives the refresh; without announcements, the hourly refresh remains.
            Err(RecvError::Closed) => std::future::pending::<()>().await,
        }
    }
}

/// Who the platform's datasets are published under, if a data officer designated them.
pub async fn publication(app: &App, actor: &Actor) -> Result<Option<OwnRecordsPublication>, Error> {
    actor.require_account(abierto_domain::account::Role::can_approve_data)?;
    Ok(app.store().own_records_publication().await?)
}

/// The dataset generated for one of [`DATASETS`], once it has been.
pub async fn generated_dataset(
    app: &App,
    key: &str,
) -> Result<Option<abierto_store::Dataset>, Error> {
    Ok(app.store().generated_dataset(key).await?)
}
