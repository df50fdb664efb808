//! Who is asking: the signed-in user behind the session cookie, resolved once per request,
//! and the sign-in procedure with its throttling.

use abierto_domain::account::{verify_password, Email, Role, User, DECOY_HASH};
use abierto_store::{Actor, ThrottleScope};
use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::middleware::Next;
use axum::response::Response;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chrono::Utc;
use rand::RngCore;
use sha2::{Digest, Sha256};

use crate::client_ip::client_ip;
use crate::{cookies, AppError, AppState};

/// The person making the request: signed in or not, and from where.
#[derive(Debug, Clone, Default)]
pub struct Viewer {
    pub user: Option<User>,
    /// Hash of the session token, when signed in (to close the session on logout).
    pub session_hash: Option<String>,
    pub ip: Option<String>,
}

impl Viewer {
    pub fn require_user(&self) -> Result<&User, AppError> {
        self.user.as_ref().ok_or(AppError::Unauthenticated)
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
        self.user
            .as_ref()
            .is_some_and(|u| u.role.can_keep_sessions())
    }

    /// The audit-log actor for writes made on this request.
    pub fn actor(&self) -> Actor {
        match &self.user {
            Some(user) => Actor::user(user.id, self.ip.clone()),
            None => Actor::anonymous(self.ip.clone()),
        }
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

/// A viewer the secretariat's role allows to keep sessions (staff or administrator). As an
/// extractor it answers 401 or 403 before the request body is even read.
pub struct SessionKeeper(pub Viewer);

impl<S: Send + Sync> FromRequestParts<S> for SessionKeeper {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
        let Ok(viewer) = Viewer::from_request_parts(parts, state).await;
        viewer.require(Role::can_keep_sessions)?;
        Ok(SessionKeeper(viewer))
    }
}

/// Middleware: looks the session cookie up once and leaves a [`Viewer`] in the request.
/// A database failure here degrades to "not signed in" (and is logged) rather than failing
/// public pages.
pub async fn resolve_viewer(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let (mut parts, body) = req.into_parts();
    let ip = client_ip(&parts, state.config.trust_proxy_headers);
    let mut viewer = Viewer {
        ip,
        ..Viewer::default()
    };
    if !parts.uri.path().starts_with("/static/") {
        if let Some(token) = cookies::read(&parts.headers, cookies::SESSION) {
            let hash = token_hash(&token);
            match state.store.session_user(&hash, Utc::now()).await {
                Ok(Some(user)) => {
                    viewer.user = Some(user);
                    viewer.session_hash = Some(hash);
                }
                Ok(None) => {}
                Err(err) => tracing::warn!(error = %err, "session lookup failed"),
            }
        }
    }
    parts.extensions.insert(viewer);
    next.run(Request::from_parts(parts, body)).await
}

/// 32 random bytes, URL-safe base64.
pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// What the database keeps of a session token.
pub fn token_hash(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Why a sign-in was refused. Deliberately does not say whether the account exists.
#[derive(Debug, PartialEq, Eq)]
pub enum SignInRefusal {
    WrongCredentials,
    Throttled,
}

/// Checks throttling, then the password; on success opens a session and returns its token.
pub async fn sign_in(
    state: &AppState,
    raw_email: &str,
    password: &str,
    ip: Option<String>,
) -> Result<Result<(User, String), SignInRefusal>, AppError> {
    let store = &state.store;
    let config = &state.config;
    let now = Utc::now();
    let since = now - config.throttle_window;
    let account_key = raw_email.trim().to_lowercase();
    let ip_key = ip.clone().unwrap_or_default();
    let account_failures = store
        .count_login_failures(ThrottleScope::Account, &account_key, since)
        .await?;
    let ip_failures = store
        .count_login_failures(ThrottleScope::Ip, &ip_key, since)
        .await?;
    let actor = Actor::anonymous(ip.clone());
    if account_failures >= config.max_failures_per_account
        || ip_failures >= config.max_failures_per_ip
    {
        store
            .record_event(&actor, "login.throttled", &account_key, "")
            .await?;
        return Ok(Err(SignInRefusal::Throttled));
    }

    let credentials = match Email::parse(raw_email) {
        Ok(email) => store.credentials(&email).await?,
        Err(_) => None,
    };
    // Verify against a decoy when there is no account, so both cases take the same time.
    let stored_hash = credentials
        .as_ref()
        .map(|(_, hash)| hash.as_str())
        .unwrap_or(DECOY_HASH);
    let password_ok = verify_password(stored_hash, password);
    match credentials {
        Some((user, _)) if password_ok => {
            store
                .clear_login_failures(ThrottleScope::Account, &account_key, since)
                .await?;
            let token = new_token();
            let actor = Actor::user(user.id, ip);
            store
                .open_session(
                    &actor,
                    user.id,
                    &token_hash(&token),
                    now + config.session_ttl,
                )
                .await?;
            Ok(Ok((user, token)))
        }
        _ => {
            store
                .record_login_failure(ThrottleScope::Account, &account_key, now)
                .await?;
            store
                .record_login_failure(ThrottleScope::Ip, &ip_key, now)
                .await?;
            store
                .record_event(&actor, "login.failed", &account_key, "")
                .await?;
            Ok(Err(SignInRefusal::WrongCredentials))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_and_hashes_stable() {
        let (a, b) = (new_token(), new_token());
        assert_ne!(a, b);
        assert_eq!(a.len(), 43);
        assert_eq!(token_hash("abc"), token_hash("abc"));
        assert_eq!(
            token_hash("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
