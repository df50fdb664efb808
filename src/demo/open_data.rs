//! The demo's open data: the publishers and datasets of `demo/leon.toml`, and each resource's
//! file from `demo/datos/`, uploaded, checked and (when the entry says so) approved through the
//! same procedure a publisher and a data officer follow, so the findings and the datastore
//! the portal shows are real.

use std::collections::HashMap;

use abierto_app::open_data::publishing::{self as open_data, DataUpload};
use abierto_app::{own_datasets, past_record, Actor, App};
use abierto_domain::account::Email;
use abierto_domain::ids::{DatasetId, UnitId};
use abierto_domain::opendata::{DatasetMetadata, Slug};
use anyhow::{anyhow, Context};
use chrono::Utc;
use serde::Deserialize;

use super::{date, lookup};

/// The files under `demo/datos/`, by name.
const FILES: [(&str, &str); 2] = [
    (
        "visitas-centros-comunitarios-2026-t1.csv",
        include_str!("../../demo/datos/visitas-centros-comunitarios-2026-t1.csv"),
    ),
    (
        "apoyos-educativos-2026-captura.csv",
        include_str!("../../demo/datos/apoyos-educativos-2026-captura.csv"),
    ),
];

/// The account that uploads (a data publisher of every demo publisher's unit) and the one that
/// approves (the Unidad de Transparencia).
const UPLOADER: &str = "datos@leon.example";
const OFFICER: &str = "transparencia@leon.example";

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PublisherEntry {
    pub unit: String,
    pub name: String,
    #[serde(default)]
    pub description: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DatasetEntry {
    pub publisher: String,
    pub name: String,
    pub title: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub keywords: Vec<String>,
    pub theme: String,
    #[serde(default = "default_license")]
    pub license: String,
    pub frequency: String,
    pub temporal_start: Option<String>,
    pub temporal_end: Option<String>,
    #[serde(default)]
    pub spatial: String,
    pub contact_name: String,
    pub contact_email: String,
    #[serde(default)]
    pub resources: Vec<ResourceEntry>,
}

fn default_license() -> String {
    "CC-BY-4.0".to_owned()
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResourceEntry {
    pub name: String,
    #[serde(default)]
    pub description: String,
    /// A file under `demo/datos/`.
    pub file: String,
    /// Approve and publish it when its check finds nothing.
    pub publish: bool,
}

/// Under which publisher the platform's own records are published, and whom the datasets name.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OwnRecordsEntry {
    pub publisher: String,
    pub contact_name: String,
    pub contact_email: String,
}

/// Creates the publishers and the datasets' records (their files come with [`load_files`]).
pub async fn load(
    app: &App,
    publishers: &[PublisherEntry],
    datasets: &[DatasetEntry],
    units: &HashMap<String, UnitId>,
) -> anyhow::Result<()> {
    let actor = Actor::system();
    let mut by_name = HashMap::new();
    for p in publishers {
        let context = || format!("dependencia publicadora «{}»", p.name);
        let slug = Slug::parse(&p.name).with_context(context)?;
        let unit = lookup(units, "la unidad", &p.unit)?;
        let id = past_record::open_data::create_publisher(
            app,
            &actor,
            unit,
            &slug,
            &p.description,
            Utc::now(),
        )
        .await
        .with_context(context)?;
        by_name.insert(p.name.clone(), id);
    }
    for d in datasets {
        let context = || format!("conjunto de datos «{}»", d.name);
        let metadata = DatasetMetadata {
            title: d.title.clone(),
            description: d.description.clone(),
            keywords: d.keywords.clone(),
            theme: d.theme.clone(),
            license: d.license.clone(),
            frequency: d.frequency.clone(),
            temporal_start: d
                .temporal_start
                .as_deref()
                .map(|t| date("temporal_start", t))
                .transpose()?,
            temporal_end: d
                .temporal_end
                .as_deref()
                .map(|t| date("temporal_end", t))
                .transpose()?,
            spatial: d.spatial.clone(),
            contact_name: d.contact_name.clone(),
            contact_email: d.contact_email.clone(),
        };
        let publisher = lookup(&by_name, "la dependencia publicadora", &d.publisher)?;
        let slug = Slug::parse(&d.name).with_context(context)?;
        past_record::open_data::create_dataset(app, &actor, publisher, &slug, metadata, Utc::now())
            .await
            .with_context(context)?;
    }
    Ok(())
}

async fn acting_as(app: &App, email: &str) -> anyhow::Result<Actor> {
    let email = Email::parse(email).map_err(|e| anyhow!("{}", e.code()))?;
    abierto_app::accounts::acting_as(app, &email)
        .await?
        .ok_or_else(|| anyhow!("la cuenta «{}» no está en la demostración", email.as_str()))
}

/// Uploads each dataset's files as the data publisher, and has the Unidad de Transparencia
/// approve those marked to publish.
pub async fn load_files(app: &App, datasets: &[DatasetEntry]) -> anyhow::Result<()> {
    let uploader = acting_as(app, UPLOADER).await?;
    let officer = acting_as(app, OFFICER).await?;
    for d in datasets {
        let dataset: DatasetId = abierto_app::open_data::dataset_by_name(app, &d.name)
            .await?
            .id;
        for r in &d.resources {
            let context = || format!("recurso «{}» de «{}»", r.name, d.name);
            let content = FILES
                .iter()
                .find(|(name, _)| *name == r.file)
                .map(|(_, content)| content.as_bytes())
                .ok_or_else(|| anyhow!("el archivo demo/datos/{} no existe", r.file))?;
            let upload = DataUpload {
                filename: &r.file,
                content,
            };
            let version =
                open_data::add_resource(app, &uploader, dataset, &r.name, &r.description, &upload)
                    .await
                    .map_err(|e| anyhow!("{e}"))
                    .with_context(context)?;
            if r.publish {
                open_data::approve(app, &officer, version)
                    .await
                    .map_err(|e| anyhow!("{e}"))
                    .with_context(context)?;
            }
        }
    }
    Ok(())
}

/// Has the Unidad de Transparencia designate the publisher of the platform's own records, and
/// publishes them at once, so the demo starts with them online.
pub async fn publish_own_records(app: &App, entry: &OwnRecordsEntry) -> anyhow::Result<()> {
    let officer = acting_as(app, OFFICER).await?;
    let publisher = abierto_app::open_data::publisher_named(app, &entry.publisher)
        .await
        .with_context(|| format!("dependencia «{}»", entry.publisher))?
        .id;
    open_data::designate_own_records(
        app,
        &officer,
        publisher,
        &entry.contact_name,
        &entry.contact_email,
    )
    .await
    .context("datos de la plataforma")?;
    own_datasets::refresh(app)
        .await
        .context("datos de la plataforma")?;
    Ok(())
}
