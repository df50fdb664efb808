//! The CKAN-compatible Action API, so that CKAN's clients (`ckanapi`, harvesters, the
//! portals that federate municipal catalogs) read abierto's open data as they read CKAN.
//!
//! Served at `/api/action/{name}` and `/api/3/action/{name}`, by GET with flat query
//! parameters or by POST with a JSON object, answering CKAN's envelope
//! `{"help", "success", "result"}` or, on failure, `{"help", "success": false, "error":
//! {"__type", "message"}}` with CKAN's status codes. Only public data is reachable: published
//! datasets, their publishers and themes, and the datastore of resources online.

mod datastore;
mod packages;
mod params;

use crate::csrf::GuardedRouter;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Json;
use serde_json::{json, Value};

use crate::data_view::site_url;
use crate::AppState;
use params::Params;

pub fn router() -> GuardedRouter {
    GuardedRouter::new()
        .route("/api/3", get(|| async { Json(json!({"version": 3})) }))
        .route("/api/action/{name}", get(by_get).post(by_post))
        .route("/api/3/action/{name}", get(by_get).post(by_post))
}

/// Why an action failed, as CKAN names it.
#[derive(Debug)]
pub enum CkanError {
    /// 404 `Not Found Error`.
    NotFound(String),
    /// 403 `Authorization Error`.
    Authorization(String),
    /// 409 `Validation Error`: each offending parameter with its messages.
    Validation(Vec<(String, String)>),
    /// 400 `Search Query Error`.
    SearchQuery(String),
    /// 400: the action does not exist.
    UnknownAction(String),
    /// 500: logged, told to nobody.
    Internal(String),
}

impl CkanError {
    pub fn invalid(field: &str, message: impl Into<String>) -> CkanError {
        CkanError::Validation(vec![(field.to_owned(), message.into())])
    }

    fn status(&self) -> StatusCode {
        match self {
            CkanError::NotFound(_) => StatusCode::NOT_FOUND,
            CkanError::Authorization(_) => StatusCode::FORBIDDEN,
            CkanError::Validation(_) => StatusCode::CONFLICT,
            CkanError::SearchQuery(_) | CkanError::UnknownAction(_) => StatusCode::BAD_REQUEST,
            CkanError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn body(&self) -> Value {
        match self {
            CkanError::NotFound(message) => {
                json!({"__type": "Not Found Error", "message": format!("Not found: {message}")})
            }
            CkanError::Authorization(message) => json!({
                "__type": "Authorization Error",
                "message": format!("Access denied: {message}"),
            }),
            CkanError::Validation(problems) => {
                let mut error = serde_json::Map::new();
                error.insert("__type".into(), "Validation Error".into());
                for (field, message) in problems {
                    error.insert(field.clone(), json!([message]));
                }
                Value::Object(error)
            }
            CkanError::SearchQuery(message) => json!({
                "__type": "Search Query Error",
                "message": format!("Search Query is invalid: {message}"),
            }),
            CkanError::UnknownAction(name) => {
                json!({"message": format!("Bad request - Action name not known: {name}")})
            }
            CkanError::Internal(_) => {
                json!({"__type": "Internal Server Error", "message": "Internal Server Error"})
            }
        }
    }
}

impl From<crate::AppError> for CkanError {
    fn from(err: crate::AppError) -> Self {
        match err {
            crate::AppError::NotFound => CkanError::NotFound("the record".to_owned()),
            other => CkanError::Internal(other.to_string()),
        }
    }
}

impl From<abierto_app::Error> for CkanError {
    fn from(err: abierto_app::Error) -> Self {
        crate::AppError::from(err).into()
    }
}

/// What every action reads: the store, the site's address, and its parameters.
pub struct Call<'a> {
    pub state: &'a AppState,
    pub site: String,
    pub params: Params,
}

async fn by_get(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(name): Path<String>,
    RawQuery(query): RawQuery,
) -> Response {
    let params = Params::from_query(query.as_deref().unwrap_or_default());
    run(&state, &headers, &name, params).await
}

async fn by_post(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(name): Path<String>,
    body: axum::body::Bytes,
) -> Response {
    let params = if body.iter().all(u8::is_ascii_whitespace) {
        Ok(Params::default())
    } else {
        Params::from_json(&body)
    };
    match params {
        Ok(params) => run(&state, &headers, &name, params).await,
        Err(err) => answer(&site_url(&state, &headers), &name, Err(err)),
    }
}

async fn run(state: &AppState, headers: &HeaderMap, name: &str, params: Params) -> Response {
    let site = site_url(state, headers);
    let call = Call {
        state,
        site: site.clone(),
        params,
    };
    let result = match name {
        "package_list" => packages::package_list(call).await,
        "package_show" => packages::package_show(call).await,
        "package_search" => packages::package_search(call).await,
        "organization_list" => packages::organization_list(call).await,
        "organization_show" => packages::organization_show(call).await,
        "group_list" => packages::group_list(call).await,
        "resource_show" => packages::resource_show(call).await,
        "status_show" => packages::status_show(call).await,
        "datastore_search" => datastore::datastore_search(call).await,
        "help_show" => help_show(&call),
        write if CKAN_WRITES.contains(&write) => Err(CkanError::Authorization(format!(
            "{write} is not open to this API; datasets are published from abierto's own pages \
             and /api/v1, by an account with the rights"
        ))),
        other => Err(CkanError::UnknownAction(other.to_owned())),
    };
    answer(&site, name, result)
}

/// CKAN's actions that change the catalog or its datastore. They exist in CKAN, so a client
/// calling one hears `NotAuthorized` (403), as from a CKAN that grants it no rights, rather
/// than that the action is unknown.
const CKAN_WRITES: [&str; 26] = [
    "package_create",
    "package_update",
    "package_patch",
    "package_delete",
    "package_purge",
    "package_owner_org_update",
    "package_relationship_create",
    "resource_create",
    "resource_update",
    "resource_patch",
    "resource_delete",
    "resource_view_create",
    "organization_create",
    "organization_update",
    "organization_patch",
    "organization_delete",
    "organization_member_create",
    "group_create",
    "group_update",
    "group_delete",
    "user_create",
    "user_update",
    "datastore_create",
    "datastore_upsert",
    "datastore_delete",
    "dataset_purge",
];

/// What each action does, as `help_show` tells it (CKAN answers with the action's docstring).
const ACTIONS: [(&str, &str); 10] = [
    ("package_list", "Return a list of the names of the site's published datasets."),
    ("package_show", "Return the metadata of a dataset and its resources.\n\n:param id: the id or name of the dataset"),
    ("package_search", "Search for datasets.\n\n:param q: the text to search for\n:param fq: filter queries on organization, groups, res_format or license_id\n:param rows: how many results to return, at most 1000\n:param start: the offset of the first result\n:param sort: the sort order\n:param facet.field: the fields to facet on"),
    ("organization_list", "Return a list of the names of the site's organizations (the dependencias that publish)."),
    ("organization_show", "Return the details of an organization.\n\n:param id: the id or name of the organization"),
    ("group_list", "Return a list of the site's groups: the EU themes."),
    ("resource_show", "Return the metadata of a resource.\n\n:param id: the id of the resource"),
    ("status_show", "Return the site's version and extensions."),
    ("datastore_search", "Search the rows of a resource's DataStore table.\n\n:param resource_id: the id of the resource\n:param filters: equality conditions, as a JSON object\n:param q: full-text search, at most 1000 characters\n:param limit: rows to return, at most 32000\n:param offset: rows to skip\n:param sort: columns, each with asc or desc\n:param fields: the columns to return"),
    ("help_show", "Return the help string of an action.\n\n:param name: the name of the action"),
];

fn help_show(call: &Call<'_>) -> Result<Value, CkanError> {
    call.params.only(&["name"])?;
    let name = call
        .params
        .text("name")
        .filter(|n| !n.trim().is_empty())
        .ok_or_else(|| CkanError::invalid("name", "Missing value"))?;
    ACTIONS
        .iter()
        .find(|(action, _)| *action == name.trim())
        .map(|(_, help)| json!(help))
        .ok_or_else(|| CkanError::NotFound(format!("Action name not known: {name}")))
}

fn answer(site: &str, name: &str, result: Result<Value, CkanError>) -> Response {
    let help = format!("{site}/api/3/action/help_show?name={name}");
    match result {
        Ok(result) => {
            Json(json!({"help": help, "success": true, "result": result})).into_response()
        }
        Err(err) => {
            if let CkanError::Internal(cause) = &err {
                tracing::error!(action = name, cause = %cause, "CKAN action failed");
            }
            (
                err.status(),
                Json(json!({"help": help, "success": false, "error": err.body()})),
            )
                .into_response()
        }
    }
}
