//! CSRF protection for every state-changing form: a random token lives in an HttpOnly,
//! SameSite=Lax cookie and must come back in the form's `csrf_token` field (or an
//! `X-CSRF-Token` header). A cross-site page can make a browser send the cookie, but can
//! neither read it nor guess it. Multipart forms (file uploads) carry the token as a field
//! too, the API's included. The JSON API is protected differently: its writes require
//! `Content-Type: application/json`, which no cross-site form can send without a preflight.
//! An API `POST` that takes no body takes [`BodilessWrite`]: it must be sent as JSON (an
//! empty `{}`) or carry the token in `X-CSRF-Token`, since a cross-site page can post an
//! empty form or `text/plain` without asking.

use axum::body::{to_bytes, Body};
use axum::extract::{FromRequestParts, Request, State};
use axum::http::header::{CONTENT_TYPE, SET_COOKIE};
use axum::http::request::Parts;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use subtle::ConstantTimeEq;

use crate::{cookies, AppError, AppState};
use abierto_app::accounts::new_token;

/// The guard of an API `POST` that takes no body (sending a convocation, signing or publishing
/// an acta…), checked after routing so a wrong method is still a 405. A cross-site page can
/// send a `POST` without asking (a form); `PUT`, `PATCH` and `DELETE` need a CORS preflight,
/// which abierto never grants, so they need no guard.
pub struct BodilessWrite;

impl<S: Send + Sync> FromRequestParts<S> for BodilessWrite {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, AppError> {
        let content_type = parts
            .headers
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        let essence = content_type.split(';').next().unwrap_or_default().trim();
        let json = essence.eq_ignore_ascii_case("application/json");
        let expected = cookies::read(&parts.headers, cookies::CSRF);
        let sent = parts
            .headers
            .get("x-csrf-token")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        let token = token_matches(expected.as_deref(), sent);
        if json || token || parts.method != axum::http::Method::POST {
            Ok(BodilessWrite)
        } else {
            tracing::info!(path = %parts.uri.path(), "API write refused: neither JSON nor the CSRF token");
            Err(AppError::CsrfRejected)
        }
    }
}

/// The token to embed in this request's forms.
#[derive(Debug, Clone)]
pub struct CsrfToken(pub String);

#[derive(serde::Deserialize)]
struct TokenField {
    csrf_token: Option<String>,
}

pub async fn protect(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let existing = cookies::read(req.headers(), cookies::CSRF).filter(|t| t.len() == 43);
    let token = existing.clone().unwrap_or_else(new_token);

    let response = match check(&state, req, existing.as_deref()).await {
        Ok(mut req) => {
            req.extensions_mut().insert(CsrfToken(token.clone()));
            next.run(req).await
        }
        Err(refusal) => refusal.into_response(),
    };
    let mut response = response;
    // Error pages are rendered further out and need the token for their own forms.
    response.extensions_mut().insert(CsrfToken(token.clone()));
    if existing.is_none() {
        response.headers_mut().append(
            SET_COOKIE,
            cookies::set(cookies::CSRF, &token, None, state.config.secure_cookies),
        );
    }
    response
}

/// The `csrf_token` field of a multipart body, if it has one.
async fn multipart_token(bytes: axum::body::Bytes, boundary: String) -> Option<String> {
    let stream = futures_util::stream::once(async move { Ok::<_, std::io::Error>(bytes) });
    let mut multipart = multer::Multipart::new(stream, boundary);
    while let Ok(Some(field)) = multipart.next_field().await {
        if field.name() == Some("csrf_token") {
            return field.text().await.ok();
        }
    }
    None
}

/// Whether the token sent is the cookie's, compared in constant time.
fn token_matches(expected: Option<&str>, sent: &str) -> bool {
    expected.is_some_and(|expected| bool::from(expected.as_bytes().ct_eq(sent.as_bytes())))
}

/// Lets safe requests and API calls through; a form post only with the cookie's token.
async fn check(
    state: &AppState,
    req: Request,
    expected: Option<&str>,
) -> Result<Request, AppError> {
    let content_type = req
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let multipart_boundary = multer::parse_boundary(&content_type).ok();
    let api = req.uri().path().starts_with("/api/");
    if req.method().is_safe() || (api && multipart_boundary.is_none()) {
        return Ok(req);
    }
    let limit = match multipart_boundary {
        Some(_) => state
            .annex_body_limit()
            .max(state.data_file_body_limit())
            .max(state.config.max_body_bytes),
        None => state.config.max_body_bytes,
    };
    let (parts, body) = req.into_parts();
    let bytes = to_bytes(body, limit)
        .await
        .map_err(|_| AppError::PayloadTooLarge)?;
    let header_token = parts
        .headers
        .get("x-csrf-token")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let form_token = if content_type.starts_with("application/x-www-form-urlencoded") {
        serde_urlencoded::from_bytes::<TokenField>(&bytes)
            .ok()
            .and_then(|f| f.csrf_token)
    } else if let Some(boundary) = multipart_boundary {
        multipart_token(bytes.clone(), boundary).await
    } else {
        None
    };
    let submitted = header_token.or(form_token).unwrap_or_default();
    let matches = token_matches(expected, &submitted);
    if !matches {
        tracing::info!(path = %parts.uri.path(), "form refused: CSRF token missing or wrong");
        return Err(AppError::CsrfRejected);
    }
    Ok(Request::from_parts(parts, Body::from(bytes)))
}
