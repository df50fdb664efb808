//! The open-data portal's public pages: the catalog with its search and facets, and each
//! dataset's page with its metadata, the schema and a preview of every resource online, the
//! outcome of its check, its downloads, and schema.org `Dataset` JSON-LD for search engines.

use crate::csrf::GuardedRouter;
use abierto_app::open_data::{CellValue, DatastoreQuery, Resource, ResourceVersion};
use abierto_domain::opendata::{license_url, Slug};
use abierto_tabular::TableSchema;
use askama::Template;
use axum::extract::{Path, RawQuery, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::get;

use super::render;
use crate::data_view::{script_json, site_url};
use crate::page::PageContext;
use crate::{AppError, AppState};
use abierto_app::open_data::catalog::{
    facet_counts, published_catalog, publisher_names, search, CatalogEntry, CatalogQuery, Facet,
};
use abierto_app::open_data::values::{cell_text, schema_rows, SchemaRow};

/// Rows shown in a resource's preview.
const PREVIEW_ROWS: i64 = 10;

pub fn router() -> GuardedRouter {
    GuardedRouter::new()
        .route("/datos-abiertos", get(catalog))
        .route("/datos-abiertos/conjuntos/{name}", get(dataset))
}

struct ResultView {
    slug: String,
    title: String,
    description: String,
    publisher: String,
    theme_key: String,
    formats: String,
}

struct FacetView {
    legend_key: &'static str,
    param: &'static str,
    values: Vec<FacetValue>,
}

struct FacetValue {
    label: String,
    count: usize,
    chosen: bool,
    /// The catalog's address with this value added (or removed when chosen).
    href: String,
}

#[derive(Template)]
#[template(path = "data_catalog.html")]
struct CatalogPage {
    ctx: PageContext,
    text: String,
    results: Vec<ResultView>,
    total: usize,
    facets: Vec<FacetView>,
    chosen_any: bool,
    /// The catalog with the same words and no facet chosen.
    clear_href: String,
    can_publish: bool,
}

fn parse_query(raw: Option<&str>) -> (CatalogQuery, Vec<(String, String)>) {
    let pairs: Vec<(String, String)> = form_urlencoded::parse(raw.unwrap_or_default().as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    let mut query = CatalogQuery::default();
    for (key, value) in &pairs {
        if key == "q" {
            query.text = value.clone();
        } else if let Some(facet) = Facet::ALL.into_iter().find(|f| f.param() == key) {
            if !value.is_empty() {
                query.chosen.push((facet, value.clone()));
            }
        }
    }
    (query, pairs)
}

/// The catalog's address with `(param, value)` toggled among the chosen facet values.
fn toggled(pairs: &[(String, String)], param: &str, value: &str) -> String {
    let present = pairs.iter().any(|(k, v)| k == param && v == value);
    let mut serializer = form_urlencoded::Serializer::new(String::new());
    for (k, v) in pairs {
        let toggled_off = k == param && v == value;
        if !toggled_off && !v.is_empty() {
            serializer.append_pair(k, v);
        }
    }
    if !present {
        serializer.append_pair(param, value);
    }
    let query = serializer.finish();
    if query.is_empty() {
        "/datos-abiertos".to_owned()
    } else {
        format!("/datos-abiertos?{query}")
    }
}

async fn catalog(
    State(state): State<AppState>,
    ctx: PageContext,
    RawQuery(raw): RawQuery,
) -> Result<Response, AppError> {
    let (query, pairs) = parse_query(raw.as_deref());
    let entries = published_catalog(&state.app).await?;
    let matches = search(&entries, &query);
    let names = publisher_names(&abierto_app::open_data::publishers(&state.app).await?);
    let facets = facet_counts(&matches, &Facet::ALL)
        .into_iter()
        .map(|counts| FacetView {
            legend_key: match counts.facet {
                Facet::Publisher => "data.publisher",
                Facet::Theme => "data.theme",
                Facet::Format => "data.format",
                Facet::License => "data.license",
            },
            param: counts.facet.param(),
            values: counts
                .values
                .into_iter()
                .map(|(value, count)| FacetValue {
                    label: match counts.facet {
                        Facet::Publisher => names.get(&value).cloned().unwrap_or(value.clone()),
                        Facet::Theme => ctx.t(&format!("data_theme.{value}")).to_owned(),
                        _ => value.clone(),
                    },
                    chosen: query
                        .chosen
                        .iter()
                        .any(|(f, v)| *f == counts.facet && *v == value),
                    href: toggled(&pairs, counts.facet.param(), &value),
                    count,
                })
                .collect(),
        })
        .collect();
    let results = matches.iter().map(|e| result_view(e)).collect();
    let can_publish = ctx.user.as_ref().is_some_and(|u| u.role.can_publish_data());
    render(&CatalogPage {
        total: matches.len(),
        text: query.text.clone(),
        chosen_any: !query.chosen.is_empty(),
        clear_href: if query.text.is_empty() {
            "/datos-abiertos".to_owned()
        } else {
            toggled(&[], "q", &query.text)
        },
        results,
        facets,
        can_publish,
        ctx,
    })
}

fn result_view(entry: &CatalogEntry) -> ResultView {
    let m = &entry.dataset.metadata;
    let mut description: String = m.description.chars().take(280).collect();
    if m.description.chars().count() > 280 {
        description.push('…');
    }
    ResultView {
        slug: entry.dataset.slug.as_str().to_owned(),
        title: m.title.clone(),
        description,
        publisher: entry.dataset.publisher_name.clone(),
        theme_key: format!("data_theme.{}", m.theme),
        formats: entry.formats().join(", "),
    }
}

/// A resource online as its dataset's page shows it.
pub struct ResourceView {
    pub id: i64,
    pub name: String,
    pub description: String,
    pub format: &'static str,
    pub version: i64,
    /// `2026-03-17`, for machines (schema.org); `published_words` for people.
    pub published: String,
    pub published_words: String,
    pub rows: i64,
    pub file_name: String,
    pub size_kib: i64,
    pub schema: Vec<SchemaRow>,
    pub preview_columns: Vec<String>,
    pub preview: Vec<Vec<String>>,
}

#[derive(Template)]
#[template(path = "data_dataset.html")]
struct DatasetPage {
    ctx: PageContext,
    slug: String,
    title: String,
    description: String,
    publisher: String,
    theme_key: String,
    frequency_key: String,
    license: String,
    keywords: String,
    temporal: String,
    spatial: String,
    contact_name: String,
    contact_email: String,
    published: String,
    modified: String,
    resources: Vec<ResourceView>,
    json_ld: String,
}

async fn dataset(
    State(state): State<AppState>,
    ctx: PageContext,
    headers: HeaderMap,
    Path(name): Path<String>,
) -> Result<Response, AppError> {
    let slug = Slug::parse(&name).map_err(|_| AppError::NotFound)?;
    let dataset = abierto_app::open_data::dataset_by_name(&state.app, slug.as_str()).await?;
    if dataset.published_at.is_none() {
        return Err(AppError::NotFound);
    }
    let mut resources = Vec::new();
    for resource in abierto_app::open_data::resources(&state.app, dataset.id).await? {
        if let Some(version) =
            abierto_app::open_data::published_version(&state.app, resource.id).await?
        {
            resources.push(resource_view(&state, &ctx, &resource, &version).await?);
        }
    }
    let m = &dataset.metadata;
    let site = site_url(&state, &headers);
    let json_ld = script_json(&schema_org_dataset(&site, &dataset, &resources));
    let temporal = match (m.temporal_start, m.temporal_end) {
        (Some(s), Some(e)) => format!("{} – {}", ctx.date(s), ctx.date(e)),
        (Some(s), None) => format!("{} –", ctx.date(s)),
        (None, Some(e)) => format!("– {}", ctx.date(e)),
        (None, None) => String::new(),
    };
    render(&DatasetPage {
        slug: dataset.slug.as_str().to_owned(),
        title: m.title.clone(),
        description: m.description.clone(),
        publisher: dataset.publisher_name.clone(),
        theme_key: format!("data_theme.{}", m.theme),
        frequency_key: format!("data_frequency.{}", m.frequency),
        license: m.license.clone(),
        keywords: m.keywords.join(", "),
        temporal,
        spatial: m.spatial.clone(),
        contact_name: m.contact_name.clone(),
        contact_email: m.contact_email.clone(),
        published: dataset
            .published_at
            .map(|d| ctx.date(d.date_naive()))
            .unwrap_or_default(),
        modified: ctx.date(dataset.modified_at.date_naive()),
        resources,
        json_ld,
        ctx,
    })
}

async fn resource_view(
    state: &AppState,
    ctx: &PageContext,
    resource: &Resource,
    version: &ResourceVersion,
) -> Result<ResourceView, AppError> {
    let schema = TableSchema::from_json(&version.schema_json)
        .map_err(|e| AppError::Internal(format!("stored schema: {e}")))?;
    let mut preview_columns = Vec::new();
    let mut preview = Vec::new();
    if let Some(table) =
        abierto_app::open_data::datastore_of_resource(&state.app, resource.id).await?
    {
        preview_columns = table.fields.iter().map(|f| f.name.clone()).collect();
        let page = abierto_app::open_data::search_datastore(
            &state.app,
            &table,
            &DatastoreQuery {
                limit: PREVIEW_ROWS,
                skip_total: true,
                ..DatastoreQuery::default()
            },
        )
        .await?;
        preview = page
            .records
            .iter()
            .map(|(_, cells)| cells.iter().map(|c| preview_cell(ctx, c)).collect())
            .collect();
    }
    Ok(ResourceView {
        id: resource.id.get(),
        name: resource.name.clone(),
        description: resource.description.clone(),
        format: resource.format.label(),
        version: version.number,
        published: version
            .published_at
            .map(|d| d.format("%Y-%m-%d").to_string())
            .unwrap_or_default(),
        published_words: version
            .published_at
            .map(|d| ctx.date(d.date_naive()))
            .unwrap_or_default(),
        rows: version.rows.unwrap_or_default(),
        file_name: version.file_name.clone(),
        size_kib: (version.size_bytes + 1023) / 1024,
        schema: schema_rows(&schema),
        preview_columns,
        preview,
    })
}

/// A cell of the preview in the page's language: a yes-or-no as "Sí"/"No" ("Yes"/"No"),
/// anything else as the datastore holds it.
fn preview_cell(ctx: &PageContext, cell: &CellValue) -> String {
    match cell {
        CellValue::Bool(true) => ctx.t("data.yes").to_owned(),
        CellValue::Bool(false) => ctx.t("data.no").to_owned(),
        other => cell_text(other),
    }
}

/// The dataset as schema.org describes one, for search engines (Google Dataset Search).
fn schema_org_dataset(
    site: &str,
    dataset: &abierto_app::open_data::Dataset,
    resources: &[ResourceView],
) -> serde_json::Value {
    let m = &dataset.metadata;
    let page = format!("{site}/datos-abiertos/conjuntos/{}", dataset.slug.as_str());
    let mut json = serde_json::json!({
        "@context": "https://schema.org/",
        "@type": "Dataset",
        "@id": page,
        "url": page,
        "name": m.title,
        "description": m.description,
        "keywords": m.keywords,
        "license": license_url(&m.license),
        "isAccessibleForFree": true,
        "inLanguage": "es-MX",
        "creator": {"@type": "GovernmentOrganization", "name": dataset.publisher_name},
        "publisher": {"@type": "GovernmentOrganization", "name": dataset.publisher_name},
        "dateModified": dataset.modified_at.format("%Y-%m-%d").to_string(),
        "distribution": resources.iter().map(|r| serde_json::json!({
            "@type": "DataDownload",
            "name": r.name,
            "encodingFormat": r.format,
            "contentUrl": format!("{site}/datos-abiertos/recursos/{}/original", r.id),
        })).collect::<Vec<_>>(),
    });
    if let Some(published) = dataset.published_at {
        json["datePublished"] = published.format("%Y-%m-%d").to_string().into();
    }
    if !m.spatial.is_empty() {
        json["spatialCoverage"] = m.spatial.clone().into();
    }
    if let (Some(start), Some(end)) = (m.temporal_start, m.temporal_end) {
        json["temporalCoverage"] = format!("{start}/{end}").into();
    }
    json
}
