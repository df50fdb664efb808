//! The privacy notice (aviso de privacidad), linked from every page's footer.

use crate::csrf::GuardedRouter;
use abierto_domain::lang::Lang;
use askama::Template;
use axum::response::Response;
use axum::routing::get;

use super::render;
use crate::page::PageContext;
use crate::AppError;

#[derive(Template)]
#[template(path = "privacy.html")]
struct PrivacyPage {
    ctx: PageContext,
    spanish: bool,
}

pub fn router() -> GuardedRouter {
    GuardedRouter::new().route("/aviso-de-privacidad", get(privacy))
}

async fn privacy(ctx: PageContext) -> Result<Response, AppError> {
    let spanish = ctx.lang == Lang::Es;
    render(&PrivacyPage { ctx, spanish })
}
