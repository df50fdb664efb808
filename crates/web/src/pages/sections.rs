//! The sections that later capabilities fill: each says honestly that it is under construction
//! and what it will hold, with no sample content.

use crate::csrf::GuardedRouter;
use askama::Template;
use axum::response::Response;
use axum::routing::get;

use super::render;
use crate::page::PageContext;
use crate::AppError;

#[derive(Template)]
#[template(path = "construction.html")]
struct ConstructionPage {
    ctx: PageContext,
    title_key: &'static str,
    description_key: &'static str,
}

pub fn router() -> GuardedRouter {
    GuardedRouter::new().route(
        "/buscar",
        get(|ctx| section(ctx, "nav.search", "construction.search")),
    )
}

async fn section(
    ctx: PageContext,
    title_key: &'static str,
    description_key: &'static str,
) -> Result<Response, AppError> {
    render(&ConstructionPage {
        ctx,
        title_key,
        description_key,
    })
}
