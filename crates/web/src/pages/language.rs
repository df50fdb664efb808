//! The language switch: a plain form, so it works without JavaScript.

use crate::csrf::GuardedRouter;
use abierto_domain::lang::Lang;
use axum::extract::State;
use axum::http::header::SET_COOKIE;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::post;
use axum::Form;

use crate::page::local_path;
use crate::{cookies, AppState};

#[derive(serde::Deserialize)]
struct LanguageForm {
    lang: String,
    #[serde(default)]
    siguiente: String,
}

pub fn router() -> GuardedRouter {
    GuardedRouter::new().route("/idioma", post(switch))
}

async fn switch(State(state): State<AppState>, Form(form): Form<LanguageForm>) -> Response {
    let lang = Lang::parse(&form.lang).unwrap_or_default();
    let cookie = cookies::set(
        cookies::LANG,
        lang.code(),
        Some(chrono::Duration::days(365)),
        state.config.secure_cookies,
    );
    (
        [(SET_COOKIE, cookie)],
        Redirect::to(&local_path(&form.siguiente)),
    )
        .into_response()
}
