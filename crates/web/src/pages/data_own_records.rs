//! Where a data officer designates the publisher the platform's own records appear under (and
//! the contact the datasets name), and sees those datasets and when each last changed.

use crate::csrf::GuardedRouter;
use abierto_domain::account::Role;
use abierto_domain::ids::PublisherId;
use abierto_domain::ErrorCode;
use abierto_domain::ValidationError;
use askama::Template;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use serde::Deserialize;

use super::call_admin::Choice;
use super::form::{is_refusal, refused};
use super::render;
use crate::auth::Viewer;
use crate::html_form;
use crate::page::PageContext;
use crate::{AppError, AppState};
use abierto_app::open_data::publishing as open_data;
use abierto_app::own_datasets::DATASETS;

const PATH: &str = "/datos-abiertos/publicar/datos-de-la-plataforma";

pub fn router() -> GuardedRouter {
    GuardedRouter::new().route(PATH, get(page).post(designate))
}

/// The designation form as filled in.
#[derive(Default, Deserialize)]
#[serde(default)]
struct DesignationForm {
    publisher: String,
    contact_name: String,
    contact_email: String,
}

/// A dataset the platform publishes, as the page lists it.
struct OwnDatasetRow {
    title: String,
    slug: &'static str,
    online: bool,
    modified: String,
}

#[derive(Template)]
#[template(path = "data_own_records.html")]
struct OwnRecordsPage {
    ctx: PageContext,
    designated: bool,
    saved: bool,
    form: DesignationForm,
    publishers: Vec<Choice>,
    datasets: Vec<OwnDatasetRow>,
    error_key: Option<String>,
}

#[derive(Deserialize)]
struct PageQuery {
    guardado: Option<String>,
}

async fn page(
    State(state): State<AppState>,
    viewer: Viewer,
    ctx: PageContext,
    Query(query): Query<PageQuery>,
) -> Result<Response, AppError> {
    viewer.require(Role::can_approve_data)?;
    let designated = abierto_app::own_datasets::publication(&state.app, viewer.actor()).await?;
    let form = match &designated {
        Some(current) => DesignationForm {
            publisher: current.publisher.to_string(),
            contact_name: current.contact_name.clone(),
            contact_email: current.contact_email.clone(),
        },
        None => DesignationForm::default(),
    };
    let saved = query.guardado.is_some();
    render(&own_records_page(&state, ctx, form, designated.is_some(), saved, None).await?)
}

async fn own_records_page(
    state: &AppState,
    ctx: PageContext,
    form: DesignationForm,
    designated: bool,
    saved: bool,
    error_key: Option<String>,
) -> Result<OwnRecordsPage, AppError> {
    let publishers = abierto_app::open_data::publishers(&state.app)
        .await?
        .into_iter()
        .map(|p| Choice {
            value: p.id.to_string(),
            label: p.name,
        })
        .collect();
    let mut datasets = Vec::new();
    for definition in DATASETS {
        let dataset =
            abierto_app::own_datasets::generated_dataset(&state.app, definition.key).await?;
        datasets.push(OwnDatasetRow {
            title: definition.title.to_owned(),
            slug: definition.slug,
            online: dataset.as_ref().is_some_and(|d| d.published_at.is_some()),
            modified: dataset
                .map(|d| d.modified_at.format("%Y-%m-%d %H:%M UTC").to_string())
                .unwrap_or_default(),
        });
    }
    Ok(OwnRecordsPage {
        designated,
        ctx,
        saved,
        form,
        publishers,
        datasets,
        error_key,
    })
}

async fn designate(
    State(state): State<AppState>,
    viewer: Viewer,
    ctx: PageContext,
    body: Bytes,
) -> Result<Response, AppError> {
    viewer.require(Role::can_approve_data)?;
    // Read only once the person may designate.
    let mut form: DesignationForm = html_form::read(&body)?;
    form.publisher = form.publisher.trim().to_owned();
    form.contact_email = form.contact_email.trim().to_owned();
    let outcome = async {
        let publisher: PublisherId = form
            .publisher
            .parse()
            .map_err(|_| ValidationError::new("publisher", ErrorCode::UnknownPublisher))?;
        open_data::designate_own_records(
            &state.app,
            viewer.actor(),
            publisher,
            &form.contact_name,
            &form.contact_email,
        )
        .await
        .map_err(AppError::from)
    }
    .await;
    match outcome {
        Ok(()) => Ok(Redirect::to(&format!("{PATH}?guardado=1")).into_response()),
        Err(err) if is_refusal(&err) => {
            let key = err.report().message_key;
            let designated = abierto_app::own_datasets::publication(&state.app, viewer.actor())
                .await?
                .is_some();
            let page = own_records_page(&state, ctx, form, designated, false, Some(key));
            refused(&err, render(&page.await?))
        }
        Err(err) => Err(err),
    }
}
