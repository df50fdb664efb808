//! The web face of abierto: server-rendered Spanish-first HTML pages, the JSON API under
//! `/api/v1` with its OpenAPI document, and the operational endpoints.
//!
//! Requests pass through one stack of layers (see [`router`]): security headers, metrics,
//! tracing, the viewer lookup (session cookie → user), error rendering, a timeout, panic
//! recovery, CSRF checking and a body limit. Handlers receive typed extractors
//! ([`page::PageContext`], [`auth::Viewer`]), call the domain and the store, and return
//! either a rendered template or an [`AppError`]. No handler writes SQL.

mod accounts;
mod api;
pub mod auth;
mod bylaws_view;
mod ckan;
mod client_ip;
pub mod cookies;
mod csrf;
pub mod data_catalog;
pub mod data_view;
mod dcat;
mod error;
pub mod i18n;
mod id_path;
mod import_view;
mod mailer;
mod metrics;
mod multipart_form;
pub mod own_records;
pub mod page;
mod pages;
pub mod plan_view;
mod security;
pub mod session_view;
mod state;
pub mod workflows;

pub use api::ApiDoc;
pub use error::{AppError, ErrorBody, ErrorEnvelope};
pub use state::{AppState, Branding, SmtpUrl, StateError, WebConfig};

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
            config.annex_body_limit(),
            config.data_file_body_limit(),
        ))
        .merge(api::router(config.annex_body_limit()))
        .merge(ckan::router())
        .merge(dcat::router())
        .fallback(|| async { AppError::NotFound })
        .layer(middleware::from_fn_with_state(
            state.clone(),
            own_records::note_writes,
        ))
        .layer(DefaultBodyLimit::max(config.max_body_bytes))
        .layer(middleware::from_fn_with_state(state.clone(), csrf::protect))
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
