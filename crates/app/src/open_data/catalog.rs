//! The public catalog of open data as the portal's pages, the CKAN API and DCAT all read it:
//! published datasets with their publisher and the resources that have a version online,
//! searched by text (accents and case aside) and narrowed by facets — publisher, theme,
//! format, licence — with the count each facet value would give.

use std::collections::BTreeMap;

use abierto_domain::opendata::fold;
use abierto_store::{Dataset, Publisher, Resource};

use crate::{App, Error};

/// A published dataset and its resources online.
#[derive(Debug, Clone)]
pub struct CatalogEntry {
    pub dataset: Dataset,
    pub resources: Vec<Resource>,
    /// Lower-case folded text the search looks in.
    haystack: String,
}

impl CatalogEntry {
    /// The formats of its resources online, as CKAN shows them (`CSV`), without repeats.
    pub fn formats(&self) -> Vec<&'static str> {
        let mut formats: Vec<&'static str> =
            self.resources.iter().map(|r| r.format.label()).collect();
        formats.sort_unstable();
        formats.dedup();
        formats
    }

    fn facet_values(&self, facet: Facet) -> Vec<String> {
        match facet {
            Facet::Publisher => vec![self.dataset.publisher_slug.as_str().to_owned()],
            Facet::Theme => vec![self.dataset.metadata.theme.clone()],
            Facet::Format => self.formats().into_iter().map(str::to_owned).collect(),
            Facet::License => vec![self.dataset.metadata.license.clone()],
        }
    }
}

/// What a catalog can be narrowed by; the keys are CKAN's facet fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Facet {
    Publisher,
    Theme,
    Format,
    License,
}

impl Facet {
    pub const ALL: [Facet; 4] = [
        Facet::Publisher,
        Facet::Theme,
        Facet::Format,
        Facet::License,
    ];

    /// CKAN's name of the field (`organization`, `groups`, `res_format`, `license_id`).
    pub fn ckan_field(self) -> &'static str {
        match self {
            Facet::Publisher => "organization",
            Facet::Theme => "groups",
            Facet::Format => "res_format",
            Facet::License => "license_id",
        }
    }

    pub fn from_ckan_field(raw: &str) -> Option<Facet> {
        Facet::ALL.into_iter().find(|f| f.ckan_field() == raw)
    }

    /// The query parameter of the portal's pages (`publicador`, `tema`, `formato`, `licencia`).
    pub fn param(self) -> &'static str {
        match self {
            Facet::Publisher => "publicador",
            Facet::Theme => "tema",
            Facet::Format => "formato",
            Facet::License => "licencia",
        }
    }
}

/// A search: words that must all appear, and for each facet the values of which one must hold.
#[derive(Debug, Clone, Default)]
pub struct CatalogQuery {
    pub text: String,
    pub chosen: Vec<(Facet, String)>,
}

/// A facet's values among the matches, most frequent first, each with its count.
#[derive(Debug, Clone)]
pub struct FacetCounts {
    pub facet: Facet,
    pub values: Vec<(String, usize)>,
}

/// Every published dataset with its resources online, by title.
pub async fn published_catalog(app: &App) -> Result<Vec<CatalogEntry>, Error> {
    let datasets = app.store().published_datasets().await?;
    let mut resources: BTreeMap<i64, Vec<Resource>> = BTreeMap::new();
    for resource in app.store().published_resources().await? {
        resources
            .entry(resource.dataset.get())
            .or_default()
            .push(resource);
    }
    Ok(datasets
        .into_iter()
        .map(|dataset| {
            let resources = resources.remove(&dataset.id.get()).unwrap_or_default();
            let m = &dataset.metadata;
            let haystack = fold(&format!(
                "{} {} {} {} {} {}",
                m.title,
                m.description,
                m.keywords.join(" "),
                dataset.publisher_name,
                dataset.slug.as_str(),
                resources
                    .iter()
                    .map(|r| format!("{} {}", r.name, r.description))
                    .collect::<Vec<_>>()
                    .join(" "),
            ));
            CatalogEntry {
                dataset,
                resources,
                haystack,
            }
        })
        .collect())
}

/// The entries that match the query, in catalog order.
pub fn search<'a>(entries: &'a [CatalogEntry], query: &CatalogQuery) -> Vec<&'a CatalogEntry> {
    let words: Vec<String> = fold(&query.text)
        .split_whitespace()
        .map(str::to_owned)
        .collect();
    entries
        .iter()
        .filter(|e| words.iter().all(|w| e.haystack.contains(w.as_str())))
        .filter(|e| {
            Facet::ALL.into_iter().all(|facet| {
                let chosen: Vec<&str> = query
                    .chosen
                    .iter()
                    .filter(|(f, _)| *f == facet)
                    .map(|(_, v)| v.as_str())
                    .collect();
                chosen.is_empty()
                    || e.facet_values(facet)
                        .iter()
                        .any(|v| chosen.contains(&v.as_str()))
            })
        })
        .collect()
}

/// How the matches spread over each facet's values.
pub fn facet_counts(matches: &[&CatalogEntry], facets: &[Facet]) -> Vec<FacetCounts> {
    facets
        .iter()
        .map(|&facet| {
            let mut counts: BTreeMap<String, usize> = BTreeMap::new();
            for entry in matches {
                for value in entry.facet_values(facet) {
                    *counts.entry(value).or_default() += 1;
                }
            }
            let mut values: Vec<(String, usize)> = counts.into_iter().collect();
            values.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            FacetCounts { facet, values }
        })
        .collect()
}

/// The publishers by their CKAN name, to show their full names beside facet values.
pub fn publisher_names(publishers: &[Publisher]) -> BTreeMap<String, String> {
    publishers
        .iter()
        .map(|p| (p.slug.as_str().to_owned(), p.name.clone()))
        .collect()
}
