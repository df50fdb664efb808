//! Static assets compiled into the binary, the municipality's logo, and the theme colours.

use crate::csrf::GuardedRouter;
use axum::extract::State;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use crate::AppState;

const STYLESHEET: &str = include_str!("../../static/abierto.css");
const DEFAULT_LOGO: &str = include_str!("../../static/emblem.svg");
const CACHE: &str = "public, max-age=3600";

pub fn router() -> GuardedRouter {
    GuardedRouter::new()
        .route("/static/abierto.css", get(stylesheet))
        .route("/theme.css", get(theme))
        .route("/logo", get(logo))
}

async fn stylesheet() -> Response {
    (
        [
            (CONTENT_TYPE, "text/css; charset=utf-8"),
            (CACHE_CONTROL, CACHE),
        ],
        STYLESHEET,
    )
        .into_response()
}

/// The configured colours as CSS custom properties; a file, not inline style, so the CSP can
/// forbid inline styles.
async fn theme(State(state): State<AppState>) -> Response {
    let css = format!(
        ":root {{ --color-primary: {}; --color-accent: {}; }}\n",
        state.branding.primary.to_hex(),
        state.branding.accent.to_hex()
    );
    (
        [
            (CONTENT_TYPE, "text/css; charset=utf-8"),
            (CACHE_CONTROL, CACHE),
        ],
        css,
    )
        .into_response()
}

async fn logo(State(state): State<AppState>) -> Response {
    match &state.branding.logo {
        Some((bytes, media_type)) => (
            [
                (CONTENT_TYPE, media_type.clone()),
                (CACHE_CONTROL, CACHE.to_owned()),
            ],
            bytes.clone(),
        )
            .into_response(),
        None => (
            [(CONTENT_TYPE, "image/svg+xml"), (CACHE_CONTROL, CACHE)],
            DEFAULT_LOGO,
        )
            .into_response(),
    }
}
