//! The web face of abierto: server-rendered Spanish-first HTML pages, the JSON API under
//! `/api/v1` with its OpenAPI document, and the operational endpoints.
//!
//! This crate is adapters only: a handler extracts what the request carries, calls a use case
//! of `abierto-app` as the viewer's [`Actor`](abierto_app::Actor), and renders the answer as
//! an askama template or JSON (the `/api/v1` API with its OpenAPI document, CKAN's Action API,
//! DCAT, feeds). It holds no rule and reaches no database: an [`AppError`] maps the use
//! cases' errors onto HTTP statuses and stable codes.
//!
//! Requests pass through one stack of layers (see [`router`]): security headers, metrics,
//! tracing, the viewer lookup (session cookie → actor), error rendering, a timeout, panic
//! recovery, CSRF checking and a body limit.

mod api;
pub mod auth;
mod ckan;
mod client_ip;
pub mod cookies;
mod csrf;
mod data_view;
mod dcat;
mod error;
mod html_form;
mod id_path;
mod import_view;
mod metrics;
mod minutes_html;
mod multipart_form;
pub mod page;
mod pages;
mod security;
mod state;

pub use api::ApiDoc;
pub use error::{AppError, ErrorBody, ErrorEnvelope};
pub use state::{AppState, Branding, WebConfig};

use axum::extract::DefaultBodyLimit;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::{middleware, Router};
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

/// The whole application. Layers listed last run first on the way in.
pub fn router(state: AppState) -> Router {
    let config = state.config.clone();
    Router::new()
        .merge(pages::router(
            state.annex_body_limit(),
            state.data_file_body_limit(),
        ))
        .merge(api::router(state.annex_body_limit()))
        .merge(ckan::router())
        .merge(dcat::router())
        .fallback(|| async { AppError::NotFound })
        .layer(DefaultBodyLimit::max(config.max_body_bytes))
        .layer(middleware::from_fn_with_state(state.clone(), csrf::issue))
        .layer(CatchPanicLayer::custom(|_| {
            AppError::Internal("a handler panicked".to_owned()).into_response()
        }))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            config.request_timeout,
        ))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            pages::render_errors,
        ))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            auth::resolve_viewer,
        ))
        .layer(TraceLayer::new_for_http())
        .layer(middleware::from_fn_with_state(
            state.clone(),
            metrics::track,
        ))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            security::headers,
        ))
        .with_state(state)
}
