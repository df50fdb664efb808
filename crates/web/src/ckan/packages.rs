//! The catalog actions: datasets (packages), publishers (organizations), themes (groups),
//! resources and the site's status, shaped as CKAN 2.10 shapes them.

use abierto_app::open_data::{Dataset, Publisher, Resource};
use abierto_domain::ids::ResourceId;
use abierto_domain::lang::Lang;
use abierto_domain::opendata::{license_url, THEMES};
use chrono::{DateTime, Utc};
use serde_json::{json, Map, Value};

use super::{Call, CkanError};
use abierto_app::open_data::catalog::{
    facet_counts, published_catalog, search, CatalogEntry, CatalogQuery, Facet,
};

/// The most datasets one search returns, as CKAN's default `ckan.search.rows_max`.
const ROWS_MAX: i64 = 1000;

fn timestamp(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%dT%H:%M:%S%.6f").to_string()
}

/// A theme as a CKAN group: its name is the lower-case code (`soci`).
fn group(call: &Call<'_>, code: &str) -> Value {
    let title = call
        .state
        .i18n
        .text(Lang::Es, &format!("data_theme.{code}"))
        .to_owned();
    json!({
        "id": code.to_lowercase(),
        "name": code.to_lowercase(),
        "title": title,
        "display_name": title,
        "type": "group",
        "is_organization": false,
        "state": "active",
    })
}

fn organization(publisher: &Publisher) -> Value {
    json!({
        "id": publisher.slug.as_str(),
        "name": publisher.slug.as_str(),
        "title": publisher.name,
        "display_name": publisher.name,
        "description": publisher.description,
        "type": "organization",
        "is_organization": true,
        "state": "active",
        "created": timestamp(publisher.created_at),
        "package_count": publisher.published_datasets,
        "approval_status": "approved",
    })
}

pub fn resource_dict(
    site: &str,
    dataset: &Dataset,
    resource: &Resource,
    extra: Option<(&abierto_app::open_data::ResourceVersion, bool)>,
) -> Value {
    let mut dict = json!({
        "id": resource.id.to_string(),
        "package_id": dataset.id.to_string(),
        "name": resource.name,
        "description": resource.description,
        "format": resource.format.label(),
        "mimetype": resource.format.media_type(),
        "url": format!("{site}/datos-abiertos/recursos/{}/original", resource.id),
        "url_type": "upload",
        "position": resource.position - 1,
        "created": timestamp(resource.created_at),
        "state": "active",
    });
    if let Some((version, loaded)) = extra {
        dict["size"] = version.size_bytes.into();
        dict["hash"] = format!("sha256:{}", version.sha256).into();
        dict["last_modified"] = version.published_at.map(timestamp).into();
        dict["datastore_active"] = loaded.into();
    }
    dict
}

fn package_dict(call: &Call<'_>, entry: &CatalogEntry, publisher: Option<&Publisher>) -> Value {
    let d = &entry.dataset;
    let m = &d.metadata;
    let organization = publisher.map(organization).unwrap_or_else(|| {
        json!({"id": d.publisher_slug.as_str(), "name": d.publisher_slug.as_str(),
               "title": d.publisher_name, "type": "organization", "is_organization": true})
    });
    let resources: Vec<Value> = entry
        .resources
        .iter()
        .map(|r| resource_dict(&call.site, d, r, None))
        .collect();
    json!({
        "id": d.id.to_string(),
        "name": d.slug.as_str(),
        "title": m.title,
        "notes": m.description,
        "type": "dataset",
        "state": "active",
        "private": false,
        "url": format!("{}/datos-abiertos/conjuntos/{}", call.site, d.slug.as_str()),
        "license_id": m.license,
        "license_title": m.license,
        "license_url": license_url(&m.license),
        "owner_org": d.publisher_slug.as_str(),
        "organization": organization,
        "groups": [group(call, &m.theme)],
        "tags": m.keywords.iter().map(|k| json!({"name": k, "display_name": k, "state": "active"})).collect::<Vec<_>>(),
        "num_tags": m.keywords.len(),
        "resources": resources,
        "num_resources": entry.resources.len(),
        "maintainer": m.contact_name,
        "maintainer_email": m.contact_email,
        "author": d.publisher_name,
        "frequency": m.frequency,
        "temporal_start": m.temporal_start.map(|t| t.to_string()),
        "temporal_end": m.temporal_end.map(|t| t.to_string()),
        "spatial": m.spatial,
        "metadata_created": timestamp(d.created_at),
        "metadata_modified": timestamp(d.modified_at),
    })
}

pub async fn package_list(call: Call<'_>) -> Result<Value, CkanError> {
    call.params.only(&["limit", "offset"])?;
    let limit = call.params.integer("limit", i64::MAX, 0, i64::MAX)?;
    let offset = call.params.integer("offset", 0, 0, i64::MAX)?;
    let mut names: Vec<String> = published_catalog(&call.state.app)
        .await?
        .into_iter()
        .map(|e| e.dataset.slug.as_str().to_owned())
        .collect();
    names.sort();
    Ok(names
        .into_iter()
        .skip(offset as usize)
        .take(limit as usize)
        .collect())
}

/// The published dataset by CKAN name or id: not found when it does not exist, not
/// authorised when it exists but is not published.
async fn find_entry(call: &Call<'_>, id: &str) -> Result<CatalogEntry, CkanError> {
    let entries = published_catalog(&call.state.app).await?;
    if let Some(entry) = entries
        .into_iter()
        .find(|e| e.dataset.slug.as_str() == id || e.dataset.id.to_string() == id)
    {
        return Ok(entry);
    }
    match abierto_app::open_data::dataset_by_name(&call.state.app, id).await {
        Ok(_) => Err(CkanError::Authorization(format!(
            "the dataset {id} is not published"
        ))),
        Err(_) => Err(CkanError::NotFound("Dataset".to_owned())),
    }
}

pub async fn package_show(call: Call<'_>) -> Result<Value, CkanError> {
    call.params
        .only(&["id", "name_or_id", "use_default_schema", "include_tracking"])?;
    let id = call
        .params
        .text("id")
        .or_else(|| call.params.text("name_or_id"))
        .filter(|t| !t.trim().is_empty())
        .ok_or_else(|| CkanError::invalid("id", "Missing value"))?;
    let entry = find_entry(&call, id.trim()).await?;
    let publisher =
        abierto_app::open_data::publisher(&call.state.app, entry.dataset.publisher).await?;
    let mut dict = package_dict(&call, &entry, Some(&publisher));
    let resources = resources_with_versions(&call, &entry).await?;
    dict["resources"] = Value::Array(resources);
    Ok(dict)
}

/// A dataset's resources, each with its published version's size, hash and date and whether
/// its rows can be queried, as both `package_show` and `package_search` answer them.
async fn resources_with_versions(
    call: &Call<'_>,
    entry: &CatalogEntry,
) -> Result<Vec<Value>, CkanError> {
    let mut resources = Vec::with_capacity(entry.resources.len());
    for resource in &entry.resources {
        let version =
            abierto_app::open_data::published_version(&call.state.app, resource.id).await?;
        let loaded = abierto_app::open_data::datastore_of_resource(&call.state.app, resource.id)
            .await?
            .is_some();
        resources.push(resource_dict(
            &call.site,
            &entry.dataset,
            resource,
            version.as_ref().map(|v| (v, loaded)),
        ));
    }
    Ok(resources)
}

/// A filter `field:value` of `fq` (or of `q`), the value possibly quoted.
fn filter_terms(raw: &str) -> Result<Vec<(Facet, String)>, CkanError> {
    let mut terms = Vec::new();
    for token in split_terms(raw) {
        let token = token.trim_start_matches('+');
        let Some((field, value)) = token.split_once(':') else {
            return Err(CkanError::SearchQuery(format!("cannot read «{token}»")));
        };
        let facet = Facet::from_ckan_field(field)
            .ok_or_else(|| CkanError::SearchQuery(format!("undefined field {field}")))?;
        let value = value.trim_matches('"').to_owned();
        let value = if facet == Facet::Theme {
            value.to_uppercase()
        } else {
            value
        };
        terms.push((facet, value));
    }
    Ok(terms)
}

/// Splits on spaces outside double quotes.
fn split_terms(raw: &str) -> Vec<String> {
    let mut terms = Vec::new();
    let mut current = String::new();
    let mut quoted = false;
    for c in raw.chars() {
        match c {
            '"' => {
                quoted = !quoted;
                current.push(c);
            }
            c if c.is_whitespace() && !quoted => {
                if !current.is_empty() {
                    terms.push(std::mem::take(&mut current));
                }
            }
            c => current.push(c),
        }
    }
    if !current.is_empty() {
        terms.push(current);
    }
    terms
}

pub async fn package_search(call: Call<'_>) -> Result<Value, CkanError> {
    call.params.only(&[
        "q",
        "fq",
        "rows",
        "start",
        "sort",
        "facet",
        "facet.field",
        "facet.limit",
        "facet.mincount",
        "include_private",
        "include_drafts",
    ])?;
    let rows = call.params.integer("rows", 10, 0, ROWS_MAX)?;
    let start = call.params.integer("start", 0, 0, i64::MAX)?;
    let facet_limit = call.params.integer("facet.limit", 50, -1, i64::MAX)?;
    let mut query = CatalogQuery::default();
    let q = call.params.text("q").unwrap_or_default();
    if q.trim() != "*:*" {
        let mut words = Vec::new();
        for term in split_terms(&q) {
            if term.contains(':') {
                query.chosen.extend(filter_terms(&term)?);
            } else {
                words.push(term);
            }
        }
        query.text = words.join(" ");
    }
    query
        .chosen
        .extend(filter_terms(&call.params.text("fq").unwrap_or_default())?);
    let facet_fields: Vec<Facet> = call
        .params
        .list("facet.field")?
        .iter()
        .map(|f| {
            Facet::from_ckan_field(f)
                .ok_or_else(|| CkanError::SearchQuery(format!("undefined facet field {f}")))
        })
        .collect::<Result<_, _>>()?;
    let sort = call
        .params
        .text("sort")
        .unwrap_or_else(|| "score desc, metadata_modified desc".to_owned());

    let entries = published_catalog(&call.state.app).await?;
    let mut matches = search(&entries, &query);
    sort_matches(&mut matches, &sort)?;
    let publishers = abierto_app::open_data::publishers(&call.state.app).await?;
    let mut results = Vec::new();
    for entry in matches.iter().skip(start as usize).take(rows as usize) {
        let publisher = publishers.iter().find(|p| p.id == entry.dataset.publisher);
        let mut dict = package_dict(&call, entry, publisher);
        dict["resources"] = Value::Array(resources_with_versions(&call, entry).await?);
        results.push(dict);
    }
    let mut facets = Map::new();
    let mut search_facets = Map::new();
    for counts in facet_counts(&matches, &facet_fields) {
        let field = counts.facet.ckan_field();
        let limit = if facet_limit < 0 {
            usize::MAX
        } else {
            facet_limit as usize
        };
        let values: Vec<(String, String, usize)> = counts
            .values
            .into_iter()
            .take(limit)
            .map(|(value, count)| {
                let (name, display) = match counts.facet {
                    Facet::Theme => (
                        value.to_lowercase(),
                        call.state
                            .i18n
                            .text(Lang::Es, &format!("data_theme.{value}"))
                            .to_owned(),
                    ),
                    Facet::Publisher => (
                        value.clone(),
                        publishers
                            .iter()
                            .find(|p| p.slug.as_str() == value)
                            .map(|p| p.name.clone())
                            .unwrap_or(value.clone()),
                    ),
                    _ => (value.clone(), value.clone()),
                };
                (name, display, count)
            })
            .collect();
        facets.insert(
            field.to_owned(),
            Value::Object(
                values
                    .iter()
                    .map(|(name, _, count)| (name.clone(), json!(count)))
                    .collect(),
            ),
        );
        search_facets.insert(
            field.to_owned(),
            json!({
                "title": field,
                "items": values.iter().map(|(name, display, count)| json!({
                    "name": name, "display_name": display, "count": count,
                })).collect::<Vec<_>>(),
            }),
        );
    }
    Ok(json!({
        "count": matches.len(),
        "sort": sort,
        "results": results,
        "facets": facets,
        "search_facets": search_facets,
    }))
}

/// Sorts by CKAN's sort clauses (`title_string asc, metadata_modified desc`); `score` keeps
/// the catalog's order.
fn sort_matches(matches: &mut [&CatalogEntry], sort: &str) -> Result<(), CkanError> {
    let mut keys = Vec::new();
    for clause in sort.split(',').map(str::trim).filter(|c| !c.is_empty()) {
        let mut words = clause.split_whitespace();
        let field = words.next().unwrap_or_default();
        let descending = match words.next().unwrap_or("asc") {
            "asc" => false,
            "desc" => true,
            other => return Err(CkanError::SearchQuery(format!("bad sort order {other}"))),
        };
        if !matches!(
            field,
            "score" | "name" | "title_string" | "metadata_modified" | "metadata_created"
        ) {
            return Err(CkanError::SearchQuery(format!("cannot sort by {field}")));
        }
        keys.push((field.to_owned(), descending));
    }
    matches.sort_by(|a, b| {
        let mut order = std::cmp::Ordering::Equal;
        for (field, descending) in &keys {
            let (a, b) = (&a.dataset, &b.dataset);
            let o = match field.as_str() {
                "name" => a.slug.as_str().cmp(b.slug.as_str()),
                "title_string" => a
                    .metadata
                    .title
                    .to_lowercase()
                    .cmp(&b.metadata.title.to_lowercase()),
                "metadata_modified" => a.modified_at.cmp(&b.modified_at),
                "metadata_created" => a.created_at.cmp(&b.created_at),
                _ => std::cmp::Ordering::Equal,
            };
            order = order.then(if *descending { o.reverse() } else { o });
        }
        order
    });
    Ok(())
}

pub async fn organization_list(call: Call<'_>) -> Result<Value, CkanError> {
    call.params
        .only(&["all_fields", "sort", "limit", "offset"])?;
    let publishers = abierto_app::open_data::publishers(&call.state.app).await?;
    let all_fields = call.params.flag("all_fields");
    let limit = call.params.integer("limit", i64::MAX, 0, i64::MAX)?;
    let offset = call.params.integer("offset", 0, 0, i64::MAX)?;
    let mut listed: Vec<&Publisher> = publishers.iter().collect();
    listed.sort_by(|a, b| a.slug.as_str().cmp(b.slug.as_str()));
    Ok(listed
        .into_iter()
        .skip(offset as usize)
        .take(limit as usize)
        .map(|p| {
            if all_fields {
                organization(p)
            } else {
                Value::String(p.slug.as_str().to_owned())
            }
        })
        .collect())
}

pub async fn organization_show(call: Call<'_>) -> Result<Value, CkanError> {
    call.params
        .only(&["id", "include_datasets", "include_extras", "include_users"])?;
    let id = call.params.required("id")?;
    let publisher = abierto_app::open_data::publishers(&call.state.app)
        .await?
        .into_iter()
        .find(|p| p.slug.as_str() == id.trim() || p.id.to_string() == id.trim())
        .ok_or_else(|| CkanError::NotFound("Organization".to_owned()))?;
    let mut dict = organization(&publisher);
    if call.params.flag("include_datasets") {
        let entries = published_catalog(&call.state.app).await?;
        dict["packages"] = entries
            .iter()
            .filter(|e| e.dataset.publisher == publisher.id)
            .map(|e| package_dict(&call, e, Some(&publisher)))
            .collect::<Vec<_>>()
            .into();
    }
    Ok(dict)
}

pub async fn group_list(call: Call<'_>) -> Result<Value, CkanError> {
    call.params
        .only(&["all_fields", "sort", "limit", "offset"])?;
    let all_fields = call.params.flag("all_fields");
    let mut codes: Vec<&str> = THEMES.to_vec();
    codes.sort_unstable();
    Ok(codes
        .into_iter()
        .map(|code| {
            if all_fields {
                group(&call, code)
            } else {
                Value::String(code.to_lowercase())
            }
        })
        .collect())
}

pub async fn resource_show(call: Call<'_>) -> Result<Value, CkanError> {
    call.params.only(&["id", "include_tracking"])?;
    let id: ResourceId = call
        .params
        .required("id")?
        .trim()
        .parse()
        .map_err(|_| CkanError::NotFound("Resource".to_owned()))?;
    let resource = abierto_app::open_data::resource(&call.state.app, id)
        .await
        .map_err(|_| CkanError::NotFound("Resource".to_owned()))?;
    let version = abierto_app::open_data::published_version(&call.state.app, id)
        .await?
        .ok_or_else(|| CkanError::Authorization(format!("the resource {id} is not published")))?;
    let dataset = abierto_app::open_data::dataset(&call.state.app, resource.dataset).await?;
    let loaded = abierto_app::open_data::datastore_of_resource(&call.state.app, id)
        .await?
        .is_some();
    Ok(resource_dict(
        &call.site,
        &dataset,
        &resource,
        Some((&version, loaded)),
    ))
}

pub async fn status_show(call: Call<'_>) -> Result<Value, CkanError> {
    call.params.only(&[])?;
    Ok(json!({
        "ckan_version": "2.10.0",
        "site_url": call.site,
        "site_title": format!("Datos Abiertos · {}", call.state.branding.official_name),
        "site_description": call.state.i18n.text(Lang::Es, "data.catalog_intro"),
        "locale_default": "es_MX",
        "extensions": ["datastore"],
    }))
}
