//! Signing in and out.

use crate::csrf::GuardedRouter;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::header::SET_COOKIE;
use axum::http::StatusCode;
use axum::response::{AppendHeaders, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Form;

use super::render;
use crate::auth::Viewer;
use crate::page::{local_path, PageContext};
use crate::{cookies, AppError, AppState};
use abierto_app::accounts::{self, sign_in, SignInRefusal, SignedIn};

pub fn router() -> GuardedRouter {
    GuardedRouter::new()
        .route("/entrar", get(form).post(submit))
        .route("/salir", post(logout))
}

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    ctx: PageContext,
    email: String,
    next: String,
    message_key: Option<&'static str>,
}

#[derive(serde::Deserialize)]
struct NextQuery {
    #[serde(default)]
    siguiente: String,
}

async fn form(ctx: PageContext, Query(query): Query<NextQuery>) -> Result<Response, AppError> {
    if ctx.user.is_some() {
        return Ok(Redirect::to(&local_path(&query.siguiente)).into_response());
    }
    render(&LoginPage {
        ctx,
        email: String::new(),
        next: local_path(&query.siguiente),
        message_key: None,
    })
}

#[derive(serde::Deserialize)]
struct LoginForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    siguiente: String,
}

async fn submit(
    State(state): State<AppState>,
    ctx: PageContext,
    viewer: Viewer,
    Form(login): Form<LoginForm>,
) -> Result<Response, AppError> {
    let next = local_path(&login.siguiente);
    match sign_in(&state.app, &login.email, &login.password, viewer.ip()).await? {
        Ok(SignedIn { token, .. }) => {
            // A new sign-in gets a new CSRF token too, so a token seen before login is useless after.
            let secure = state.config.secure_cookies;
            let session = cookies::set(
                cookies::SESSION,
                &token,
                Some(state.app.settings().session_ttl),
                secure,
            );
            let csrf = cookies::clear(cookies::CSRF, secure);
            Ok((
                AppendHeaders([(SET_COOKIE, session), (SET_COOKIE, csrf)]),
                Redirect::to(&next),
            )
                .into_response())
        }
        Err(refusal) => {
            let (status, key, retry_after) = match refusal {
                SignInRefusal::WrongCredentials => (StatusCode::OK, "login.wrong", None),
                SignInRefusal::Throttled { retry_after_secs } => (
                    StatusCode::TOO_MANY_REQUESTS,
                    "login.throttled",
                    Some(retry_after_secs),
                ),
            };
            let page = LoginPage {
                ctx,
                email: login.email.trim().to_owned(),
                next,
                message_key: Some(key),
            };
            let mut response = (status, render(&page)?).into_response();
            if let Some(secs) = retry_after {
                response
                    .headers_mut()
                    .insert(axum::http::header::RETRY_AFTER, secs.into());
            }
            Ok(response)
        }
    }
}

async fn logout(State(state): State<AppState>, viewer: Viewer) -> Result<Response, AppError> {
    if let Some(token) = &viewer.session_token {
        accounts::sign_out(&state.app, viewer.actor(), token).await?;
    }
    let secure = state.config.secure_cookies;
    let cleared = AppendHeaders([
        (SET_COOKIE, cookies::clear(cookies::SESSION, secure)),
        (SET_COOKIE, cookies::clear(cookies::CSRF, secure)),
    ]);
    Ok((cleared, Redirect::to("/")).into_response())
}
