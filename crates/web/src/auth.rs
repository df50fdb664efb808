//! Who is asking: the actor behind the session cookie, resolved once per request, and the
//! extractors that refuse a request before its body is read when the role does not allow it.

use abierto_app::{accounts, Actor};
use abierto_domain::account::{Role, User};
use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::middleware::Next;
use axum::response::Response;

use crate::client_ip::client_ip;
use crate::{cookies, AppError, AppState};

/// The person making the request: signed in or not, and from where.
#[derive(Debug, Clone)]
pub struct Viewer {
    actor: Actor,
    /// The session cookie's token, when signed in (to close the session on logout).
    pub session_token: Option<String>,
}

impl Default for Viewer {
    fn default() -> Self {
        Viewer {
            actor: Actor::anonymous(None),
            session_token: None,
        }
    }
}

impl Viewer {
    pub fn user(&self) -> Option<&User> {
        self.actor.user()
    }

    pub fn require_user(&self) -> Result<&User, AppError> {
        self.user().ok_or(AppError::Unauthenticated)
    }

    /// The signed-in user, if their role passes `allowed`; otherwise 401 or 403.
    pub fn require(&self, allowed: fn(Role) -> bool) -> Result<&User, AppError> {
        let user = self.require_user()?;
        if allowed(user.role) {
            Ok(user)
        } else {
            Err(AppError::Forbidden)
        }
    }

    /// Whether the signed-in user is secretariat staff (convenes sessions, keeps records).
    pub fn keeps_sessions(&self) -> bool {
        self.user().is_some_and(|u| u.role.can_keep_sessions())
    }

    /// Who acts in the use cases this request calls.
    pub fn actor(&self) -> &Actor {
        &self.actor
    }

    pub fn ip(&self) -> Option<String> {
        self.actor.ip().map(str::to_owned)
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Viewer {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(parts
            .extensions
            .get::<Viewer>()
            .cloned()
            .unwrap_or_default())
    }
}

/// Refuses the request in its head, before any extractor after it reads the body: 401 when
/// nobody is signed in, 403 when the role fails `allowed`.
fn require_in_parts(parts: &Parts, allowed: fn(Role) -> bool) -> Result<Viewer, AppError> {
    let viewer = parts
        .extensions
        .get::<Viewer>()
        .cloned()
        .unwrap_or_default();
    viewer.require(allowed)?;
    Ok(viewer)
}

/// A viewer the secretariat's role allows to keep sessions (staff or administrator). As an
/// extractor it answers 401 or 403 before the request body is even read.
pub struct SessionKeeper(pub Viewer);

impl<S: Send + Sync> FromRequestParts<S> for SessionKeeper {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, AppError> {
        require_in_parts(parts, Role::can_keep_sessions).map(SessionKeeper)
    }
}

/// An administrator, the one role that manages accounts; refused before the body is read.
pub struct AccountManager(pub Viewer);

impl<S: Send + Sync> FromRequestParts<S> for AccountManager {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, AppError> {
        require_in_parts(parts, Role::can_manage_accounts).map(AccountManager)
    }
}

/// Anyone signed in, whatever the role; for writes whose finer check needs the record (a
/// reporting unit may write only for its own commitments). Refused before the body is read.
pub struct SignedIn(pub Viewer);

impl<S: Send + Sync> FromRequestParts<S> for SignedIn {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, AppError> {
        require_in_parts(parts, |_| true).map(SignedIn)
    }
}

/// Middleware: looks the session cookie up once and leaves a [`Viewer`] in the request.
/// A database failure here degrades to "not signed in" (and is logged) rather than failing
/// public pages.
pub async fn resolve_viewer(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let (mut parts, body) = req.into_parts();
    let ip = client_ip(&parts, state.config.trust_proxy_headers);
    let mut viewer = Viewer {
        actor: Actor::anonymous(ip.clone()),
        session_token: None,
    };
    if !parts.uri.path().starts_with("/static/") {
        if let Some(token) = cookies::read(&parts.headers, cookies::SESSION) {
            match accounts::signed_in(&state.app, &token, ip).await {
                Ok(Some(actor)) => {
                    viewer.actor = actor;
                    viewer.session_token = Some(token);
                }
                Ok(None) => {}
                Err(err) => tracing::warn!(error = %err, "session lookup failed"),
            }
        }
    }
    parts.extensions.insert(viewer);
    next.run(Request::from_parts(parts, body)).await
}
