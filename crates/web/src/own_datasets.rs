//! Tells the refresh of the platform's own datasets that a request wrote records.

use axum::extract::{Request, State};
use axum::http::Method;
use axum::middleware::Next;
use axum::response::Response;

use crate::AppState;

/// Paths whose POSTs change no record the datasets show: the CKAN Action API (its POSTs
/// only read), signing in and out, and the language choice.
const NOT_RECORDS: [&str; 5] = ["/api/action/", "/api/3/", "/entrar", "/salir", "/idioma"];

/// Signals a change after every successful write to the records.
pub async fn note_writes(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let path = request.uri().path();
    let writes = !matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    ) && !NOT_RECORDS.iter().any(|p| path.starts_with(p));
    let response = next.run(request).await;
    let status = response.status();
    if writes && (status.is_success() || status.is_redirection()) {
        abierto_app::own_datasets::note_change(&state.app);
    }
    response
}
