//! The server-rendered HTML pages, one module per area, each owning its routes.

mod admin;
mod amendment_form;
mod annexes;
mod assets;
mod bylaws;
mod calendar;
mod call_admin;
mod calls;
mod data_downloads;
mod data_own_records;
mod data_portal;
mod data_publishing;
mod data_versions;
mod downloads;
mod error_page;
mod evidence;
mod form;
mod goal_forms;
mod home;
mod imports;
mod language;
mod login;
mod manage;
mod members;
mod origins;
mod plan;
mod plan_forms;
mod privacy;
mod program_tables;
mod programs;
mod reporting;
mod sections;
pub(crate) mod sessions;
mod submission_admin;

use askama::Template;
use axum::response::{Html, IntoResponse, Response};
use axum::Router;

use crate::{AppError, AppState};

pub use error_page::render_errors;

pub fn router(annex_limit: usize, data_file_limit: usize) -> Router<AppState> {
    Router::new()
        .merge(home::router())
        .merge(sections::router())
        .merge(data_portal::router())
        .merge(data_downloads::router())
        .merge(data_publishing::router(data_file_limit))
        .merge(data_versions::router())
        .merge(data_own_records::router())
        .merge(plan::router())
        .merge(plan_forms::router())
        .merge(goal_forms::router())
        .merge(origins::router())
        .merge(programs::router())
        .merge(reporting::router(annex_limit))
        .merge(imports::router(annex_limit))
        .merge(calendar::router())
        .merge(calls::router(annex_limit))
        .merge(call_admin::router())
        .merge(submission_admin::router())
        .merge(bylaws::router())
        .merge(amendment_form::router())
        .merge(sessions::router())
        .merge(manage::router(annex_limit))
        .merge(members::router())
        .merge(annexes::router())
        .merge(evidence::router())
        .merge(privacy::router())
        .merge(language::router())
        .merge(login::router())
        .merge(admin::router())
        .merge(assets::router())
}

/// Renders a template into an HTML response; a template failure becomes a logged 500.
pub fn render(template: &impl Template) -> Result<Response, AppError> {
    Ok(Html(template.render()?).into_response())
}

/// A page that holds a secret (a form's idempotency key, a receipt's status key, what a
/// folio's status says): `no-store`, so no browser or proxy cache keeps it for the next
/// person at the same computer.
pub fn render_private(template: &impl Template) -> Result<Response, AppError> {
    let mut response = render(template)?;
    response.headers_mut().insert(
        axum::http::header::CACHE_CONTROL,
        axum::http::HeaderValue::from_static("no-store"),
    );
    Ok(response)
}
