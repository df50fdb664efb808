//! The publishers' pages: the datasets they keep, a form for a new one, and each dataset's
//! page with its resources and their versions, where a file is uploaded as a new resource or
//! as a new version of one. A refused form is shown again as typed, with the reason (and the
//! size limit, when the file was too large).

use crate::csrf::GuardedRouter;
use abierto_app::open_data::Dataset;
use abierto_domain::ids::{DatasetId, PublisherId, ResourceId};
use abierto_domain::opendata::{DatasetMetadata, FREQUENCIES, LICENSES, THEMES};
use abierto_domain::ErrorCode;
use abierto_domain::ValidationError;
use askama::Template;
use axum::extract::{DefaultBodyLimit, Multipart, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use chrono::NaiveDate;
use serde::Deserialize;

use super::call_admin::Choice;
use super::form::{is_refusal, refused};
use super::render;
use crate::auth::Viewer;
use crate::html_form::HtmlForm;
use crate::id_path::IdPath;
use crate::multipart_form::{read_upload_form, UploadForm};
use crate::page::PageContext;
use crate::{AppError, AppState};
use abierto_app::open_data::publishing::{self, DataUpload};

pub fn router(upload_limit: usize) -> GuardedRouter {
    GuardedRouter::new()
        .route("/datos-abiertos/publicar", get(datasets).post(create))
        .route("/datos-abiertos/publicar/conjuntos/{id}", get(dataset))
        .route(
            "/datos-abiertos/publicar/conjuntos/{id}/recursos",
            post(add_resource).layer(DefaultBodyLimit::max(upload_limit)),
        )
        .route(
            "/datos-abiertos/publicar/recursos/{id}/versiones",
            post(add_version).layer(DefaultBodyLimit::max(upload_limit)),
        )
}

/// The new-dataset form as typed.
#[derive(Default, Deserialize)]
#[serde(default)]
struct DatasetForm {
    publisher: String,
    title: String,
    name: String,
    description: String,
    keywords: String,
    theme: String,
    license: String,
    frequency: String,
    temporal_start: String,
    temporal_end: String,
    spatial: String,
    contact_name: String,
    contact_email: String,
}

impl DatasetForm {
    fn metadata(&self) -> Result<DatasetMetadata, AppError> {
        let date = |raw: &str, field: &'static str| -> Result<Option<NaiveDate>, AppError> {
            match raw.trim() {
                "" => Ok(None),
                text => NaiveDate::parse_from_str(text, "%Y-%m-%d")
                    .map(Some)
                    .map_err(|_| ValidationError::new(field, ErrorCode::InvalidDate).into()),
            }
        };
        Ok(DatasetMetadata {
            title: self.title.clone(),
            description: self.description.clone(),
            keywords: self
                .keywords
                .split([',', '\n'])
                .map(str::to_owned)
                .collect(),
            theme: self.theme.clone(),
            license: self.license.clone(),
            frequency: self.frequency.clone(),
            temporal_start: date(&self.temporal_start, "temporal_start")?,
            temporal_end: date(&self.temporal_end, "temporal_end")?,
            spatial: self.spatial.clone(),
            contact_name: self.contact_name.clone(),
            contact_email: self.contact_email.clone(),
        })
    }
}

struct DatasetRow {
    /// Where it is managed: its own page, or the platform's data page for a generated one.
    manage: String,
    title: String,
    publisher: String,
    published: bool,
    slug: String,
}

#[derive(Template)]
#[template(path = "data_publish.html")]
struct DatasetsPage {
    ctx: PageContext,
    datasets: Vec<DatasetRow>,
    publishers: Vec<Choice>,
    themes: Vec<Choice>,
    licenses: Vec<&'static str>,
    frequencies: Vec<Choice>,
    form: DatasetForm,
    error_key: Option<String>,
    approves: bool,
}

async fn datasets_page(
    state: &AppState,
    viewer: &Viewer,
    ctx: PageContext,
    form: DatasetForm,
    error_key: Option<String>,
) -> Result<DatasetsPage, AppError> {
    let user = viewer.require(abierto_domain::account::Role::can_publish_data)?;
    let listed: Vec<Dataset> =
        abierto_app::open_data::datasets_for(&state.app, viewer.actor()).await?;
    let publishers = publishing::publishers_for(&state.app, user)
        .await?
        .into_iter()
        .map(|p| Choice {
            value: p.id.to_string(),
            label: p.name,
        })
        .collect();
    let choices = |values: &[&str], section: &str| -> Vec<Choice> {
        values
            .iter()
            .map(|v| Choice {
                value: (*v).to_owned(),
                label: ctx.t(&format!("{section}.{v}")).to_owned(),
            })
            .collect()
    };
    let themes = choices(&THEMES, "data_theme");
    let frequencies = choices(&FREQUENCIES, "data_frequency");
    Ok(DatasetsPage {
        datasets: listed
            .into_iter()
            .map(|d| DatasetRow {
                manage: if d.generated_from.is_some() {
                    "/datos-abiertos/publicar/datos-de-la-plataforma".to_owned()
                } else {
                    format!("/datos-abiertos/publicar/conjuntos/{}", d.id)
                },
                title: d.metadata.title,
                publisher: d.publisher_name,
                published: d.published_at.is_some(),
                slug: d.slug.as_str().to_owned(),
            })
            .collect(),
        publishers,
        themes,
        licenses: LICENSES.to_vec(),
        frequencies,
        form,
        error_key,
        approves: user.role.can_approve_data(),
        ctx,
    })
}

async fn datasets(
    State(state): State<AppState>,
    viewer: Viewer,
    ctx: PageContext,
) -> Result<Response, AppError> {
    let form = DatasetForm {
        license: "CC-BY-4.0".to_owned(),
        frequency: "MONTHLY".to_owned(),
        theme: "GOVE".to_owned(),
        ..DatasetForm::default()
    };
    render(&datasets_page(&state, &viewer, ctx, form, None).await?)
}

async fn create(
    State(state): State<AppState>,
    viewer: Viewer,
    ctx: PageContext,
    HtmlForm(form): HtmlForm<DatasetForm>,
) -> Result<Response, AppError> {
    let created = async {
        let publisher: PublisherId = form
            .publisher
            .trim()
            .parse()
            .map_err(|_| ValidationError::new("publisher", ErrorCode::UnknownPublisher))?;
        let metadata = form.metadata()?;
        publishing::create_dataset(&state.app, viewer.actor(), publisher, &form.name, metadata)
            .await
            .map_err(AppError::from)
    }
    .await;
    match created {
        Ok(id) => {
            Ok(Redirect::to(&format!("/datos-abiertos/publicar/conjuntos/{id}")).into_response())
        }
        Err(err) if is_refusal(&err) => {
            let key = err.report().message_key;
            refused(
                &err,
                render(&datasets_page(&state, &viewer, ctx, form, Some(key)).await?),
            )
        }
        Err(AppError::NotFound) => {
            Err(ValidationError::new("publisher", ErrorCode::UnknownPublisher).into())
        }
        Err(err) => Err(err),
    }
}

struct VersionRow {
    id: i64,
    number: i64,
    status_key: String,
    status_class: &'static str,
    file_name: String,
    rows: String,
    findings: String,
    uploaded: String,
}

struct ResourceBlock {
    id: i64,
    name: String,
    format: &'static str,
    versions: Vec<VersionRow>,
}

#[derive(Template)]
#[template(path = "data_manage.html")]
struct ManagePage {
    ctx: PageContext,
    id: i64,
    slug: String,
    title: String,
    publisher: String,
    published: bool,
    resources: Vec<ResourceBlock>,
    error_key: Option<String>,
    max_size: String,
}

async fn manage_page(
    state: &AppState,
    viewer: &Viewer,
    ctx: PageContext,
    dataset: DatasetId,
    error_key: Option<String>,
) -> Result<ManagePage, AppError> {
    publishing::require_dataset(&state.app, viewer.actor(), dataset).await?;
    let record = abierto_app::open_data::dataset(&state.app, dataset).await?;
    let mut resources = Vec::new();
    for resource in abierto_app::open_data::resources(&state.app, dataset).await? {
        let versions = abierto_app::open_data::versions(&state.app, viewer.actor(), resource.id)
            .await?
            .into_iter()
            .map(|v| VersionRow {
                id: v.id.get(),
                number: v.number,
                status_key: format!("version_status.{}", v.status.key()),
                status_class: match v.status.key() {
                    "findings" => "status-findings",
                    "valid" => "status-valid",
                    "published" => "status-published",
                    _ => "",
                },
                file_name: v.file_name,
                rows: v.rows.map(|n| n.to_string()).unwrap_or_default(),
                findings: v.findings.map(|n| n.to_string()).unwrap_or_default(),
                uploaded: v.uploaded_at.format("%Y-%m-%d %H:%M").to_string(),
            })
            .collect();
        resources.push(ResourceBlock {
            id: resource.id.get(),
            name: resource.name,
            format: resource.format.label(),
            versions,
        });
    }
    Ok(ManagePage {
        id: dataset.get(),
        slug: record.slug.as_str().to_owned(),
        title: record.metadata.title,
        publisher: record.publisher_name,
        published: record.published_at.is_some(),
        resources,
        error_key,
        max_size: state.app.settings().max_data_file_size(),
        ctx,
    })
}

async fn dataset(
    State(state): State<AppState>,
    viewer: Viewer,
    ctx: PageContext,
    IdPath(id): IdPath<DatasetId>,
) -> Result<Response, AppError> {
    render(&manage_page(&state, &viewer, ctx, id, None).await?)
}

/// Reads an upload form; a file over the route's body limit is the same refusal as one over
/// the configured size.
async fn read_data_form(multipart: Multipart) -> Result<UploadForm, AppError> {
    read_upload_form(multipart).await.map_err(|err| match err {
        AppError::PayloadTooLarge => {
            ValidationError::new("file", ErrorCode::DataFileTooLarge).into()
        }
        other => other,
    })
}

fn data_upload(form: &UploadForm) -> DataUpload<'_> {
    DataUpload {
        filename: &form.filename,
        content: &form.content,
    }
}

/// A new resource's name and description, posted beside its first file.
#[derive(Default, Deserialize)]
#[serde(default)]
struct ResourceFields {
    name: String,
    description: String,
}

async fn add_resource(
    State(state): State<AppState>,
    viewer: Viewer,
    ctx: PageContext,
    IdPath(id): IdPath<DatasetId>,
    multipart: Multipart,
) -> Result<Response, AppError> {
    publishing::require_dataset(&state.app, viewer.actor(), id).await?;
    let added = async {
        let form = read_data_form(multipart).await?;
        let about: ResourceFields = form.fields()?;
        publishing::add_resource(
            &state.app,
            viewer.actor(),
            id,
            &about.name,
            &about.description,
            &data_upload(&form),
        )
        .await
        .map_err(AppError::from)
    }
    .await;
    uploaded(&state, &viewer, ctx, id, added).await
}

async fn add_version(
    State(state): State<AppState>,
    viewer: Viewer,
    ctx: PageContext,
    IdPath(resource): IdPath<ResourceId>,
    multipart: Multipart,
) -> Result<Response, AppError> {
    let dataset = abierto_app::open_data::resource(&state.app, resource)
        .await?
        .dataset;
    publishing::require_dataset(&state.app, viewer.actor(), dataset).await?;
    let added = async {
        let form = read_data_form(multipart).await?;
        publishing::upload_version(&state.app, viewer.actor(), resource, &data_upload(&form))
            .await
            .map_err(AppError::from)
    }
    .await;
    uploaded(&state, &viewer, ctx, dataset, added).await
}

/// After an upload: the new version's page, or the dataset's page again with the refusal.
async fn uploaded(
    state: &AppState,
    viewer: &Viewer,
    ctx: PageContext,
    dataset: DatasetId,
    outcome: Result<abierto_domain::ids::VersionId, impl Into<AppError>>,
) -> Result<Response, AppError> {
    match outcome.map_err(Into::into) {
        Ok(version) => Ok(
            Redirect::to(&format!("/datos-abiertos/publicar/versiones/{version}")).into_response(),
        ),
        Err(err) if is_refusal(&err) => {
            let key = err.report().message_key;
            refused(
                &err,
                render(&manage_page(state, viewer, ctx, dataset, Some(key)).await?),
            )
        }
        Err(err) => Err(err),
    }
}
