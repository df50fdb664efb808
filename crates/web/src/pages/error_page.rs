//! Gives every failed response its body: the Spanish (or English) HTML error page for pages,
//! the JSON envelope for `/api/`. Covers our own `AppError`s, the router's 404 and 405, the
//! timeout's 408, the body limit's 413 and a panic's 500.

use abierto_domain::ErrorCode;
use askama::Template;
use axum::extract::{Request, State};
use axum::http::header::{CONTENT_TYPE, LOCATION};
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};
use axum::Json;

use crate::csrf::CsrfToken;
use crate::error::{ErrorBody, ErrorEnvelope, ErrorReport};
use crate::page::{request_lang, PageContext};
use crate::{AppError, AppState};

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    ctx: PageContext,
    title_key: &'static str,
    message_key: String,
    /// What the message needs to be acted on: the size limit of a refused upload.
    detail: Option<String>,
}

pub async fn render_errors(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let (parts, body) = req.into_parts();
    let for_api = parts.uri.path().starts_with("/api/");
    let data_upload = parts.uri.path().starts_with("/datos-abiertos/publicar/");
    let lang = request_lang(&parts);
    let response = next.run(Request::from_parts(parts.clone(), body)).await;
    let status = response.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return response;
    }
    let report = match response.extensions().get::<ErrorReport>() {
        Some(report) => report.clone(),
        // A page that rendered its own failure (the login form with its message) keeps it.
        None if has_body_of_its_own(&response) => return response,
        None => AppError::report_for_status(status),
    };
    let csrf = response
        .extensions()
        .get::<CsrfToken>()
        .map(|t| t.0.clone())
        .unwrap_or_default();
    let mut rendered = if for_api {
        let envelope = ErrorEnvelope {
            error: ErrorBody {
                code: report.code,
                message: state.i18n.text(lang, &report.message_key).to_owned(),
                field: report.field.clone(),
            },
        };
        (status, Json(envelope)).into_response()
    } else if report.code == ErrorCode::Unauthenticated {
        // A person who is not signed in is sent to the sign-in form, then back here.
        let next = parts
            .uri
            .path_and_query()
            .map(|p| p.as_str())
            .unwrap_or("/");
        let target = format!(
            "/entrar?siguiente={}",
            form_urlencoded::byte_serialize(next.as_bytes()).collect::<String>()
        );
        let mut redirect = StatusCode::SEE_OTHER.into_response();
        if let Ok(value) = HeaderValue::from_str(&target) {
            redirect.headers_mut().insert(LOCATION, value);
        }
        redirect
    } else {
        let page = ErrorPage {
            ctx: PageContext::from_parts(&parts, &state, csrf),
            title_key: if status == StatusCode::NOT_FOUND {
                "error.not_found_title"
            } else {
                "error.title"
            },
            message_key: report.message_key.clone(),
            detail: (status == StatusCode::PAYLOAD_TOO_LARGE && data_upload).then(|| {
                format!(
                    "{}: {}.",
                    state.i18n.text(lang, "data.limit"),
                    state.app.settings().max_data_file_size()
                )
            }),
        };
        match page.render() {
            Ok(html) => (status, Html(html)).into_response(),
            Err(err) => {
                tracing::error!(error = %err, "error page failed to render");
                (status, "Error").into_response()
            }
        }
    };
    // Keep cookies and headers the inner layers set (a fresh CSRF cookie, Allow on a 405).
    for (name, value) in response.headers() {
        if name != CONTENT_TYPE && name != axum::http::header::CONTENT_LENGTH {
            rendered.headers_mut().append(name, value.clone());
        }
    }
    rendered
}

fn has_body_of_its_own(response: &Response) -> bool {
    response
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html") || v.starts_with("application/json"))
}
