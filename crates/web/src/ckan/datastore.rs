//! `datastore_search`: the rows of a resource online, filtered by equality, searched as text,
//! sorted and paged, as CKAN's DataStore answers.

use abierto_app::open_data::{CellValue, DatastoreQuery, DatastoreTable, DatastoreType};
use abierto_domain::ids::ResourceId;
use serde_json::{json, Map, Value};

use super::{Call, CkanError};
use abierto_app::open_data::values::cell_json;

/// CKAN's default page, and its `ckan.datastore.search.rows_max`.
const DEFAULT_LIMIT: i64 = 100;
const LIMIT_MAX: i64 = 32_000;
/// The longest full-text `q`, in characters: well under SQLite's limit on a LIKE pattern, and
/// longer than any search a person types.
const Q_MAX: usize = 1_000;

pub async fn datastore_search(call: Call<'_>) -> Result<Value, CkanError> {
    let p = &call.params;
    p.only(&[
        "resource_id",
        "id",
        "filters",
        "q",
        "limit",
        "offset",
        "fields",
        "sort",
        "include_total",
        "records_format",
    ])?;
    let raw_id = p
        .text("resource_id")
        .or_else(|| p.text("id"))
        .filter(|t| !t.trim().is_empty())
        .ok_or_else(|| CkanError::invalid("resource_id", "Missing value"))?;
    let not_found = || CkanError::NotFound(format!("Resource \"{raw_id}\" was not found."));
    let resource: ResourceId = raw_id.trim().parse().map_err(|_| not_found())?;
    let table = abierto_app::open_data::datastore_of_resource(&call.state.app, resource)
        .await?
        .ok_or_else(not_found)?;
    if let Some(format) = p.text("records_format") {
        if format != "objects" {
            return Err(CkanError::invalid(
                "records_format",
                "Only \"objects\" is supported",
            ));
        }
    }
    let limit = p.integer("limit", DEFAULT_LIMIT, 0, LIMIT_MAX)?;
    let offset = p.integer("offset", 0, 0, i64::MAX)?;
    let filters_given = p.object("filters")?;
    let q = p.text("q").filter(|q| !q.trim().is_empty());
    if q.as_ref().is_some_and(|q| q.chars().count() > Q_MAX) {
        return Err(CkanError::invalid(
            "q",
            format!("Must be at most {Q_MAX} characters long"),
        ));
    }
    let include_total = p.boolean("include_total", true)?;
    let mut query = DatastoreQuery {
        limit,
        offset,
        q,
        skip_total: !include_total,
        ..DatastoreQuery::default()
    };
    for (name, wanted) in &filters_given {
        let column = column_of(&table, name, "filters")?;
        let kind = kind_of(&table, column)?;
        let values = match wanted {
            Value::Array(values) => values.clone(),
            single => vec![single.clone()],
        };
        let cells = values
            .iter()
            .map(|v| cell_for(kind, v).ok_or_else(|| bad_filter(name)))
            .collect::<Result<Vec<_>, _>>()?;
        query.filters.push((column, cells));
    }
    let fields = p.list("fields")?;
    if !fields.is_empty() {
        let mut columns = Vec::new();
        for name in fields.iter().filter(|f| *f != "_id") {
            columns.push(column_of(&table, name, "fields")?);
        }
        query.fields = Some(columns);
    }
    if let Some(sort) = p.text("sort") {
        for clause in sort.split(',').map(str::trim).filter(|c| !c.is_empty()) {
            let mut words = clause.split_whitespace();
            let name = words.next().unwrap_or_default().trim_matches('"');
            let descending = match words.next().map(str::to_ascii_lowercase).as_deref() {
                None | Some("asc") => false,
                Some("desc") => true,
                Some(_) => {
                    return Err(CkanError::invalid(
                        "sort",
                        format!("Invalid sort: {clause}"),
                    ))
                }
            };
            let column = if name == "_id" {
                None
            } else {
                Some(column_of(&table, name, "sort")?)
            };
            query.sort.push((column, descending));
        }
    }
    let page = abierto_app::open_data::search_datastore(&call.state.app, &table, &query).await?;
    let mut field_list = vec![json!({"id": "_id", "type": "int"})];
    field_list.extend(
        page.columns
            .iter()
            .map(|&c| json!({"id": table.fields[c].name, "type": table.fields[c].kind})),
    );
    let records: Vec<Value> = page
        .records
        .iter()
        .map(|(id, cells)| {
            let mut record = Map::new();
            record.insert("_id".into(), json!(id));
            for (&column, cell) in page.columns.iter().zip(cells) {
                record.insert(table.fields[column].name.clone(), cell_json(cell));
            }
            Value::Object(record)
        })
        .collect();
    // A page's links keep every argument of the search, as CKAN's do, so a client following
    // `next` pages through the same rows.
    let query_text = query.q.clone();
    let link = |offset: i64| {
        let mut query = form_urlencoded::Serializer::new(String::new());
        query.append_pair("resource_id", &resource.to_string());
        if let Some(q) = &query_text {
            query.append_pair("q", q);
        }
        if !filters_given.is_empty() {
            query.append_pair("filters", &Value::Object(filters_given.clone()).to_string());
        }
        if !fields.is_empty() {
            query.append_pair("fields", &fields.join(","));
        }
        if let Some(sort) = p.text("sort") {
            query.append_pair("sort", &sort);
        }
        if !include_total {
            query.append_pair("include_total", "false");
        }
        query.append_pair("limit", &limit.to_string());
        query.append_pair("offset", &offset.to_string());
        format!("/api/3/action/datastore_search?{}", query.finish())
    };
    let mut links = Map::new();
    links.insert("start".into(), json!(link(0)));
    links.insert("next".into(), json!(link(offset + limit)));
    if offset > 0 {
        links.insert("prev".into(), json!(link((offset - limit).max(0))));
    }
    let mut answer = json!({
        "resource_id": resource.to_string(),
        "include_total": include_total,
        "records_format": "objects",
        "fields": field_list,
        "records": records,
        "filters": filters_given,
        "q": query.q,
        "sort": p.text("sort"),
        "limit": limit,
        "offset": offset,
        "_links": links,
    });
    // Without the count CKAN leaves `total` out, as here.
    if let Some(total) = page.total {
        answer["total"] = total.into();
    }
    Ok(answer)
}

fn column_of(table: &DatastoreTable, name: &str, parameter: &str) -> Result<usize, CkanError> {
    table
        .column(name)
        .ok_or_else(|| CkanError::invalid(parameter, format!("field \"{name}\" not in table")))
}

fn kind_of(table: &DatastoreTable, column: usize) -> Result<DatastoreType, CkanError> {
    table.fields[column]
        .datastore_type()
        .map_err(|e| CkanError::Internal(e.to_string()))
}

fn bad_filter(name: &str) -> CkanError {
    CkanError::invalid("filters", format!("invalid value for field \"{name}\""))
}

/// A filter value as the column keeps it; `None` when it cannot be one of its values.
fn cell_for(kind: DatastoreType, value: &Value) -> Option<CellValue> {
    let text = match value {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Null => return Some(CellValue::Null),
        _ => return None,
    };
    match kind {
        DatastoreType::Int => text.trim().parse().ok().map(CellValue::Int),
        DatastoreType::Numeric => text.trim().parse().ok().map(CellValue::Float),
        DatastoreType::Bool => match text.trim().to_ascii_lowercase().as_str() {
            "true" => Some(CellValue::Bool(true)),
            "false" => Some(CellValue::Bool(false)),
            _ => None,
        },
        _ => Some(CellValue::Text(text)),
    }
}
