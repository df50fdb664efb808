//! A resource version's page: where it stands, its findings grouped by code and column with
//! the first examples and what to do about them, and its Table Schema, which the publisher may
//! correct while the version is not approved (the file is checked again). The data officers'
//! queue of versions waiting for approval, and the approval that publishes, are here too.

use crate::csrf::GuardedRouter;
use abierto_app::open_data::ResourceVersion;
use abierto_domain::account::Role;
use abierto_domain::ids::VersionId;
use abierto_domain::ErrorCode;
use abierto_domain::ValidationError;
use abierto_tabular::{FieldType, SchemaError, TableSchema};
use askama::Template;
use axum::body::Bytes;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;

use super::form::{is_refusal, refused};
use super::render;
use crate::auth::Viewer;
use crate::html_form;
use crate::id_path::IdPath;
use crate::page::PageContext;
use crate::{AppError, AppState};
use abierto_app::open_data::publishing as open_data;

pub fn router() -> GuardedRouter {
    GuardedRouter::new()
        .route("/datos-abiertos/publicar/versiones/{id}", get(version))
        .route(
            "/datos-abiertos/publicar/versiones/{id}/esquema",
            post(change_schema),
        )
        .route(
            "/datos-abiertos/publicar/versiones/{id}/aprobar",
            post(approve),
        )
        .route("/datos-abiertos/publicar/revision", get(queue))
}

struct Example {
    row: String,
    field: String,
    cell: String,
    note: String,
}

struct GroupView {
    title_key: String,
    hint_key: String,
    code: String,
    field: String,
    count: i64,
    examples: Vec<Example>,
}

struct FieldRow {
    index: usize,
    name: String,
    type_key: &'static str,
    format: String,
    required: bool,
    unique: bool,
    primary_key: bool,
}

#[derive(Template)]
#[template(path = "data_version.html")]
struct VersionPage {
    ctx: PageContext,
    id: i64,
    dataset: i64,
    resource_name: String,
    number: i64,
    status_key: String,
    status: &'static str,
    file_name: String,
    rows: String,
    findings: i64,
    groups: Vec<GroupView>,
    fields: Vec<FieldRow>,
    types: Vec<&'static str>,
    editable: bool,
    approvable: bool,
    error_key: Option<String>,
}

async fn version_page(
    state: &AppState,
    viewer: &Viewer,
    ctx: PageContext,
    id: VersionId,
    error_key: Option<String>,
) -> Result<VersionPage, AppError> {
    let version = abierto_app::open_data::version(&state.app, viewer.actor(), id).await?;
    let user = open_data::require_dataset(&state.app, viewer.actor(), version.dataset).await?;
    let resource = abierto_app::open_data::resource(&state.app, version.resource).await?;
    let mut groups = Vec::new();
    for group in abierto_app::open_data::version_findings(&state.app, viewer.actor(), id).await? {
        let examples: Vec<serde_json::Value> =
            serde_json::from_str(&group.examples_json).unwrap_or_default();
        let text = |v: &serde_json::Value| match v {
            serde_json::Value::Null => String::new(),
            serde_json::Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        groups.push(GroupView {
            title_key: format!("data_finding.{}", group.code),
            hint_key: format!("data_finding_hint.{}", group.code),
            field: match (&group.field_name, group.field_number) {
                (Some(name), Some(n)) => format!("{name} ({n})"),
                (Some(name), None) => name.clone(),
                (None, Some(n)) => n.to_string(),
                (None, None) => String::new(),
            },
            code: group.code,
            count: group.count,
            examples: examples
                .iter()
                .map(|e| Example {
                    row: text(&e["row"]),
                    field: text(&e["field"]),
                    cell: text(&e["cell"]),
                    note: text(&e["note"]),
                })
                .collect(),
        });
    }
    let schema = stored_schema(&version)?;
    let fields = schema
        .fields
        .iter()
        .enumerate()
        .map(|(index, f)| FieldRow {
            index,
            name: f.name.clone(),
            type_key: f.field_type.key(),
            format: f.format.clone(),
            required: f.constraints.required,
            unique: f.constraints.unique,
            primary_key: schema.primary_key.contains(&f.name),
        })
        .collect();
    Ok(VersionPage {
        id: id.get(),
        dataset: version.dataset.get(),
        resource_name: resource.name,
        number: version.number,
        status_key: format!("version_status.{}", version.status.key()),
        status: version.status.key(),
        file_name: version.file_name.clone(),
        rows: version.rows.map(|n| n.to_string()).unwrap_or_default(),
        findings: version.findings.unwrap_or_default(),
        groups,
        fields,
        types: FieldType::ALL.iter().map(|t| t.key()).collect(),
        editable: version.status.is_editable() && !schema.fields.is_empty(),
        approvable: user.role.can_approve_data()
            && matches!(version.status.key(), "valid" | "approved"),
        error_key,
        ctx,
    })
}

/// The schema the version was checked against. A file in which no column could be read (an
/// encoding other than UTF-8, an empty sheet) was stored with no fields: its page shows the
/// findings that say why, and no columns.
fn stored_schema(version: &ResourceVersion) -> Result<TableSchema, AppError> {
    match TableSchema::from_json(&version.schema_json) {
        Ok(schema) => Ok(schema),
        Err(SchemaError::NoFields) => Ok(TableSchema {
            fields: Vec::new(),
            primary_key: Vec::new(),
            missing_values: vec![String::new()],
        }),
        Err(e) => Err(AppError::Internal(format!(
            "stored schema of version {}: {e}",
            version.id
        ))),
    }
}

async fn version(
    State(state): State<AppState>,
    viewer: Viewer,
    ctx: PageContext,
    IdPath(id): IdPath<VersionId>,
) -> Result<Response, AppError> {
    render(&version_page(&state, &viewer, ctx, id, None).await?)
}

/// The stored schema with the form's changes: each field's type, format and rules, and the
/// primary key.
/// The schema form: one type and one format per field, in order; the indexes of the fields
/// ticked required and unique; the index of the primary key's field, if any.
#[derive(Default, Deserialize)]
#[serde(default)]
struct SchemaForm {
    #[serde(rename = "type")]
    types: Vec<String>,
    #[serde(rename = "format")]
    formats: Vec<String>,
    required: Vec<String>,
    unique: Vec<String>,
    primary_key: String,
}

fn edited_schema(mut schema: TableSchema, form: &SchemaForm) -> Result<TableSchema, AppError> {
    let (types, formats) = (&form.types, &form.formats);
    if types.len() != schema.fields.len() || formats.len() != schema.fields.len() {
        return Err(ValidationError::new("schema", ErrorCode::SchemaInvalid).into());
    }
    let (required, unique) = (&form.required, &form.unique);
    for (i, field) in schema.fields.iter_mut().enumerate() {
        field.field_type = FieldType::parse(types[i].trim())
            .ok_or(ValidationError::new("schema", ErrorCode::SchemaUnknownType))?;
        field.format = match formats[i].trim() {
            "" => "default".to_owned(),
            format => format.to_owned(),
        };
        let index = i.to_string();
        field.constraints.required = required.contains(&index);
        field.constraints.unique = unique.contains(&index);
    }
    let key = form.primary_key.trim();
    schema.primary_key = if key.is_empty() {
        Vec::new()
    } else {
        let field = key
            .parse::<usize>()
            .ok()
            .and_then(|i| schema.fields.get(i))
            .ok_or(ValidationError::new(
                "primary_key",
                ErrorCode::SchemaUnknownPrimaryKey,
            ))?;
        vec![field.name.clone()]
    };
    Ok(schema)
}

async fn change_schema(
    State(state): State<AppState>,
    viewer: Viewer,
    ctx: PageContext,
    IdPath(id): IdPath<VersionId>,
    body: Bytes,
) -> Result<Response, AppError> {
    let version = abierto_app::open_data::version(&state.app, viewer.actor(), id).await?;
    open_data::require_dataset(&state.app, viewer.actor(), version.dataset).await?;
    let changed = async {
        // Read only once the person may change the dataset.
        let form: SchemaForm = html_form::read(&body)?;
        let schema = edited_schema(stored_schema(&version)?, &form)?;
        open_data::change_schema(&state.app, viewer.actor(), id, &schema)
            .await
            .map_err(AppError::from)
    }
    .await;
    match changed {
        Ok(_) => {
            Ok(Redirect::to(&format!("/datos-abiertos/publicar/versiones/{id}")).into_response())
        }
        Err(err) => shown_again(&state, &viewer, ctx, id, err).await,
    }
}

/// A refusal shown on the version's page; any other failure as an error page.
async fn shown_again(
    state: &AppState,
    viewer: &Viewer,
    ctx: PageContext,
    id: VersionId,
    err: impl Into<AppError>,
) -> Result<Response, AppError> {
    let err: AppError = err.into();
    if !is_refusal(&err) {
        return Err(err);
    }
    let key = err.report().message_key;
    refused(
        &err,
        render(&version_page(state, viewer, ctx, id, Some(key)).await?),
    )
}

async fn approve(
    State(state): State<AppState>,
    viewer: Viewer,
    ctx: PageContext,
    IdPath(id): IdPath<VersionId>,
) -> Result<Response, AppError> {
    match open_data::approve(&state.app, viewer.actor(), id)
        .await
        .map_err(AppError::from)
    {
        Ok(()) => {
            let version = abierto_app::open_data::version(&state.app, viewer.actor(), id).await?;
            let dataset = abierto_app::open_data::dataset(&state.app, version.dataset).await?;
            Ok(Redirect::to(&format!(
                "/datos-abiertos/conjuntos/{}",
                dataset.slug.as_str()
            ))
            .into_response())
        }
        Err(err) => shown_again(&state, &viewer, ctx, id, err).await,
    }
}

struct AwaitingRow {
    id: i64,
    dataset: String,
    resource: String,
    number: i64,
    status_key: String,
    rows: String,
    uploaded: String,
}

#[derive(Template)]
#[template(path = "data_review.html")]
struct QueuePage {
    ctx: PageContext,
    versions: Vec<AwaitingRow>,
}

async fn queue(
    State(state): State<AppState>,
    viewer: Viewer,
    ctx: PageContext,
) -> Result<Response, AppError> {
    viewer.require(Role::can_approve_data)?;
    let mut versions = Vec::new();
    for (v, dataset, resource) in
        abierto_app::open_data::awaiting_approval(&state.app, viewer.actor()).await?
    {
        versions.push(AwaitingRow {
            id: v.id.get(),
            dataset: dataset.metadata.title,
            resource: resource.name,
            number: v.number,
            status_key: format!("version_status.{}", v.status.key()),
            rows: v.rows.map(|n| n.to_string()).unwrap_or_default(),
            uploaded: v.uploaded_at.format("%Y-%m-%d %H:%M").to_string(),
        });
    }
    render(&QueuePage { ctx, versions })
}
