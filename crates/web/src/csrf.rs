//! CSRF protection for every state-changing form: a random token lives in an HttpOnly,
//! SameSite=Lax cookie and must come back in the form's `csrf_token` field (or an
//! `X-CSRF-Token` header). A cross-site page can make a browser send the cookie, but can
//! neither read it nor guess it. Multipart forms (file uploads) carry the token as a field
//! too, the API's included. The JSON API is protected differently: its writes require
//! `Content-Type: application/json`, which no cross-site form can send without a preflight.
//! An API `POST` that takes no body takes [`BodilessWrite`]: it must be sent as JSON (an
//! empty `{}`) or carry the token in `X-CSRF-Token`, since a cross-site page can post an
//! empty form or `text/plain` without asking. The token is issued to every request by an
//! outer layer and checked after routing, on each route of a [`GuardedRouter`], so that a
//! method a route lacks is a 405 rather than a refused token.

use axum::body::{to_bytes, Body};
use axum::extract::{FromRequestParts, Request, State};
use axum::http::header::{CONTENT_TYPE, SET_COOKIE};
use axum::http::request::Parts;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::MethodRouter;
use axum::Router;
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

/// What the check of each route needs, left in the request by [`issue`]: the cookie's token
/// and the body limits to read a form within.
#[derive(Debug, Clone)]
struct CsrfContext {
    expected: Option<String>,
    form_limit: usize,
    multipart_limit: usize,
}

/// Outer middleware: gives every request its token (the cookie's, or a new one set on the
/// response) for its forms and its error pages. The check itself runs after routing, in
/// [`GuardedRouter`]'s routes.
pub async fn issue(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let existing = cookies::read(req.headers(), cookies::CSRF).filter(|t| t.len() == 43);
    let token = existing.clone().unwrap_or_else(new_token);
    req.extensions_mut().insert(CsrfToken(token.clone()));
    req.extensions_mut().insert(CsrfContext {
        expected: existing.clone(),
        form_limit: state.config.max_body_bytes,
        multipart_limit: state
            .annex_body_limit()
            .max(state.data_file_body_limit())
            .max(state.config.max_body_bytes),
    });
    let mut response = next.run(req).await;
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

/// The check of one route's handlers: an unsafe request passes only with the cookie's token
/// (API calls that are not multipart pass: a browser cannot send them cross-site unasked).
async fn verify(req: Request, next: Next) -> Response {
    let Some(context) = req.extensions().get::<CsrfContext>().cloned() else {
        // Outside `issue` nothing is trusted.
        return AppError::CsrfRejected.into_response();
    };
    match check(&context, req).await {
        Ok(req) => next.run(req).await,
        Err(refusal) => refusal.into_response(),
    }
}

/// A router whose routes check the CSRF token after routing: a method a route does not have
/// is answered 405 with `Allow` before any token is asked for, and a route added here can
/// not forget the check.
pub struct GuardedRouter(Router<AppState>);

impl GuardedRouter {
    pub fn new() -> GuardedRouter {
        GuardedRouter(Router::new())
    }

    /// Adds `path`; each of its handlers runs behind the token check, its 405 does not.
    pub fn route(self, path: &str, methods: MethodRouter<AppState>) -> GuardedRouter {
        GuardedRouter(
            self.0
                .route(path, methods.route_layer(middleware::from_fn(verify))),
        )
    }
}

impl Default for GuardedRouter {
    fn default() -> Self {
        GuardedRouter::new()
    }
}

impl From<GuardedRouter> for Router<AppState> {
    fn from(guarded: GuardedRouter) -> Self {
        guarded.0
    }
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
async fn check(context: &CsrfContext, req: Request) -> Result<Request, AppError> {
    let expected = context.expected.as_deref();
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
        Some(_) => context.multipart_limit,
        None => context.form_limit,
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
