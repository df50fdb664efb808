//! The catalog in DCAT-AP 3, for the national and European portals that harvest it:
//! `/catalog.jsonld` and `/catalog.ttl` (paged with Hydra, as DCAT-AP's harvesters follow),
//! and `/dataset/{name}.jsonld` for one dataset. Both serialisations are written from one
//! graph of [`Node`]s, so JSON-LD and Turtle never say different things.

mod graph;
mod turtle;

use crate::csrf::GuardedRouter;
use abierto_domain::opendata::{license_url, Slug};
use abierto_domain::ErrorCode;
use axum::extract::{Path, Query, State};
use axum::http::header::CONTENT_TYPE;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::Deserialize;

use crate::data_view::site_url;
use crate::{AppError, AppState};
use abierto_app::open_data::catalog::{published_catalog, CatalogEntry};
use graph::{Node, Object};

/// Datasets in one page of the catalog.
const PAGE_SIZE: usize = 50;

const EU: &str = "http://publications.europa.eu/resource/authority";

pub fn router() -> GuardedRouter {
    GuardedRouter::new()
        .route("/catalog.jsonld", get(catalog_jsonld))
        .route("/catalog.ttl", get(catalog_turtle))
        .route("/dataset/{file}", get(dataset_jsonld))
}

#[derive(Deserialize)]
struct PageQuery {
    page: Option<String>,
}

/// The page asked for (from 1); anything else is `invalid_page`.
fn page_number(query: &PageQuery) -> Result<usize, AppError> {
    match query.page.as_deref() {
        None => Ok(1),
        Some(raw) => raw
            .trim()
            .parse::<usize>()
            .ok()
            .filter(|n| *n >= 1)
            .ok_or_else(|| {
                abierto_domain::ValidationError::new("page", ErrorCode::InvalidPage).into()
            }),
    }
}

async fn catalog_graph(
    state: &AppState,
    headers: &HeaderMap,
    query: &PageQuery,
    extension: &str,
) -> Result<Vec<Node>, AppError> {
    let site = site_url(state, headers);
    let page = page_number(query)?;
    let entries = published_catalog(&state.app).await?;
    let pages = entries.len().div_ceil(PAGE_SIZE).max(1);
    if page > pages {
        return Err(AppError::NotFound);
    }
    let shown: Vec<&CatalogEntry> = entries
        .iter()
        .skip((page - 1) * PAGE_SIZE)
        .take(PAGE_SIZE)
        .collect();
    // One catalog, whatever the serialisation; each page of it is a view in one of them.
    let page_iri = |n: usize| format!("{site}/catalog.{extension}?page={n}");
    let mut catalog = Node::iri(&format!("{site}/catalog"), "dcat:Catalog")
        .lang(
            "dct:title",
            format!("Datos Abiertos · {}", state.branding.official_name),
        )
        .lang(
            "dct:description",
            state
                .i18n
                .text(abierto_domain::lang::Lang::Es, "data.catalog_intro"),
        )
        .object("dct:publisher", Object::Node(municipality(state, &site)))
        .iri_prop("foaf:homepage", format!("{site}/datos-abiertos"))
        .iri_prop("dct:language", format!("{EU}/language/SPA"));
    for entry in &shown {
        catalog = catalog.object("dcat:dataset", Object::Node(dataset_node(&site, entry)));
    }
    let mut view = Node::iri(&page_iri(page), "hydra:PartialCollectionView")
        .iri_prop("hydra:first", page_iri(1))
        .iri_prop("hydra:last", page_iri(pages))
        .typed(
            "hydra:totalItems",
            entries.len().to_string(),
            "xsd:nonNegativeInteger",
        );
    if page > 1 {
        view = view.iri_prop("hydra:previous", page_iri(page - 1));
    }
    if page < pages {
        view = view.iri_prop("hydra:next", page_iri(page + 1));
    }
    Ok(vec![catalog, view])
}

fn municipality(state: &AppState, site: &str) -> Node {
    Node::iri(site, "foaf:Agent").plain("foaf:name", state.branding.official_name.clone())
}

fn dataset_node(site: &str, entry: &CatalogEntry) -> Node {
    let d = &entry.dataset;
    let m = &d.metadata;
    let page = format!("{site}/datos-abiertos/conjuntos/{}", d.slug.as_str());
    let mut node = Node::iri(&page, "dcat:Dataset")
        .plain("dct:identifier", d.slug.as_str().to_owned())
        .lang("dct:title", m.title.clone())
        .lang("dct:description", m.description.clone())
        .object(
            "dct:publisher",
            Object::Node(
                Node::iri(
                    &format!(
                        "{site}/datos-abiertos?publicador={}",
                        d.publisher_slug.as_str()
                    ),
                    "foaf:Agent",
                )
                .plain("foaf:name", d.publisher_name.clone()),
            ),
        )
        .object(
            "dcat:contactPoint",
            Object::Node(
                Node::blank("vcard:Organization")
                    .plain("vcard:fn", m.contact_name.clone())
                    .iri_prop("vcard:hasEmail", format!("mailto:{}", m.contact_email)),
            ),
        )
        .iri_prop("dcat:theme", format!("{EU}/data-theme/{}", m.theme))
        .iri_prop(
            "dct:accrualPeriodicity",
            format!("{EU}/frequency/{}", m.frequency),
        )
        .iri_prop("dcat:landingPage", page.clone())
        .typed(
            "dct:modified",
            d.modified_at.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
            "xsd:dateTime",
        );
    for keyword in &m.keywords {
        node = node.lang("dcat:keyword", keyword.clone());
    }
    if let Some(issued) = d.published_at {
        node = node.typed(
            "dct:issued",
            issued.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
            "xsd:dateTime",
        );
    }
    if m.temporal_start.is_some() || m.temporal_end.is_some() {
        let mut period = Node::blank("dct:PeriodOfTime");
        if let Some(start) = m.temporal_start {
            period = period.typed("dcat:startDate", start.to_string(), "xsd:date");
        }
        if let Some(end) = m.temporal_end {
            period = period.typed("dcat:endDate", end.to_string(), "xsd:date");
        }
        node = node.object("dct:temporal", Object::Node(period));
    }
    if !m.spatial.is_empty() {
        node = node.object(
            "dct:spatial",
            Object::Node(Node::blank("dct:Location").lang("skos:prefLabel", m.spatial.clone())),
        );
    }
    for resource in &entry.resources {
        let download = format!("{site}/datos-abiertos/recursos/{}/original", resource.id);
        node = node.object(
            "dcat:distribution",
            Object::Node(
                Node::iri(&download, "dcat:Distribution")
                    .lang("dct:title", resource.name.clone())
                    .iri_prop("dcat:accessURL", page.clone())
                    .iri_prop("dcat:downloadURL", download.clone())
                    .iri_prop(
                        "dct:format",
                        format!("{EU}/file-type/{}", resource.format.label()),
                    )
                    .iri_prop(
                        "dcat:mediaType",
                        format!(
                            "https://www.iana.org/assignments/media-types/{}",
                            resource.format.media_type()
                        ),
                    )
                    .iri_prop("dct:license", license_url(&m.license).to_owned()),
            ),
        );
    }
    node
}

async fn catalog_jsonld(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(query): Query<PageQuery>,
) -> Result<Response, AppError> {
    let nodes = catalog_graph(&state, &headers, &query, "jsonld").await?;
    Ok(jsonld_response(graph::to_jsonld(&nodes)))
}

async fn catalog_turtle(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(query): Query<PageQuery>,
) -> Result<Response, AppError> {
    let nodes = catalog_graph(&state, &headers, &query, "ttl").await?;
    Ok((
        [(CONTENT_TYPE, "text/turtle; charset=utf-8")],
        turtle::write(&nodes),
    )
        .into_response())
}

async fn dataset_jsonld(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(file): Path<String>,
) -> Result<Response, AppError> {
    let name = file.strip_suffix(".jsonld").ok_or(AppError::NotFound)?;
    let slug = Slug::parse(name).map_err(|_| AppError::NotFound)?;
    let entries = published_catalog(&state.app).await?;
    let entry = entries
        .iter()
        .find(|e| e.dataset.slug == slug)
        .ok_or(AppError::NotFound)?;
    let site = site_url(&state, &headers);
    Ok(jsonld_response(graph::to_jsonld(&[dataset_node(
        &site, entry,
    )])))
}

fn jsonld_response(json: serde_json::Value) -> Response {
    ([(CONTENT_TYPE, "application/ld+json")], json.to_string()).into_response()
}
