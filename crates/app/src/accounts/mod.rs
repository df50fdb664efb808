//! Accounts: creating them (administrators, or the platform from the command line), signing
//! in with throttling against guessing, the sessions that sign-ins open, and who an account
//! acts for.

use abierto_domain::account::{
    verify_password, DisplayName, Email, Password, Role, User, DECOY_HASH,
};
use abierto_domain::ids::{UnitId, UserId};
use abierto_domain::ValidationError;
use abierto_store::{AttemptClaim, AuditAction, AuditSubject, LoginAttempt};
pub use abierto_store::{AuditEntry, NewUser};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use rand::RngCore;
use sha2::{Digest, Sha256};

use crate::{Actor, App, Result};

pub use abierto_domain::municipality::Unit;

/// Checks every value and hashes the password. Units are kept only for the reporting-unit
/// role, the one role scoped to units.
pub fn new_account(
    email: &str,
    name: &str,
    role: Role,
    password: &str,
    units: Vec<UnitId>,
) -> Result<NewUser, ValidationError> {
    Ok(NewUser {
        email: Email::parse(email)?,
        name: DisplayName::parse(name)?,
        role,
        password_hash: Password::parse(password)?.hash()?,
        person: None,
        units: if role.is_scoped_to_units() {
            units
        } else {
            Vec::new()
        },
    })
}

/// Creates an account; administrators only (and the platform).
pub async fn create_account(app: &App, actor: &Actor, new: &NewUser) -> Result<User> {
    actor.require(Role::can_manage_accounts)?;
    let id = app.store().create_user(&actor.audit(), new).await?;
    Ok(app.store().user(id).await?)
}

/// Every account, by e-mail; administrators only.
pub async fn accounts(app: &App, actor: &Actor) -> Result<Vec<User>> {
    actor.require(Role::can_manage_accounts)?;
    Ok(app.store().users().await?)
}

/// The newest `limit` lines of the audit log; administrators only.
pub async fn audit_entries(app: &App, actor: &Actor, limit: i64) -> Result<Vec<AuditEntry>> {
    actor.require(Role::can_manage_accounts)?;
    Ok(app.store().audit_entries(limit).await?)
}

/// The Unidades Responsables an account may be given.
pub async fn units(app: &App) -> Result<Vec<Unit>> {
    Ok(app.store().units().await?)
}

/// The units an account belongs to, with their names.
pub async fn units_of(app: &App, user: UserId) -> Result<Vec<Unit>> {
    Ok(app.store().user_units(user).await?)
}

/// Why a sign-in was refused. Deliberately does not say whether the account exists.
#[derive(Debug, PartialEq, Eq)]
pub enum SignInRefusal {
    WrongCredentials,
    /// Too many failures; the oldest counted leaves the window within `retry_after_secs`.
    Throttled {
        retry_after_secs: u64,
    },
}

/// An open sign-in: the account and the token its session cookie carries.
pub struct SignedIn {
    pub user: User,
    pub token: String,
}

/// Checks throttling, then the password; on success opens a session and returns its token.
pub async fn sign_in(
    app: &App,
    raw_email: &str,
    password: &str,
    ip: Option<String>,
) -> Result<std::result::Result<SignedIn, SignInRefusal>> {
    let store = app.store();
    let settings = app.settings();
    let now = app.clock().now();
    let since = now - settings.throttle_window;
    let account_key = raw_email.trim().to_lowercase();
    let ip_key = ip.clone().unwrap_or_default();
    let attempt = LoginAttempt {
        account: &account_key,
        ip: &ip_key,
        at: now,
        since,
        max_per_account: settings.max_failures_per_account,
        max_per_ip: settings.max_failures_per_ip,
    };
    let actor = abierto_store::Actor::anonymous(ip.clone());
    if store.claim_login_attempt(&actor, attempt).await? == AttemptClaim::Throttled {
        return Ok(Err(SignInRefusal::Throttled {
            retry_after_secs: settings.throttle_window.num_seconds().max(1) as u64,
        }));
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
            store.release_login_attempt(attempt).await?;
            let token = new_token();
            let actor = abierto_store::Actor::user(user.id, ip);
            store
                .open_session(
                    &actor,
                    user.id,
                    &token_hash(&token),
                    now + settings.session_ttl,
                )
                .await?;
            Ok(Ok(SignedIn { user, token }))
        }
        _ => {
            // The claim already counts this failure.
            store
                .record_event(
                    &actor,
                    AuditAction::LoginFailed,
                    AuditSubject::Account(account_key),
                    "",
                )
                .await?;
            Ok(Err(SignInRefusal::WrongCredentials))
        }
    }
}

/// The actor behind a session token still open, with the units the account acts for.
pub async fn signed_in(app: &App, token: &str, ip: Option<String>) -> Result<Option<Actor>> {
    let Some(user) = app
        .store()
        .session_user(&token_hash(token), app.clock().now())
        .await?
    else {
        return Ok(None);
    };
    let units = app
        .store()
        .user_units(user.id)
        .await?
        .into_iter()
        .map(|u| u.id)
        .collect();
    Ok(Some(Actor::account(user, units, ip)))
}

/// Closes the session whose cookie carries `token`.
pub async fn sign_out(app: &App, actor: &Actor, token: &str) -> Result<()> {
    Ok(app
        .store()
        .close_session(&actor.audit(), &token_hash(token))
        .await?)
}

/// 32 random bytes, URL-safe base64.
pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// What the database keeps of a token (a session's, a submission's secret).
pub fn token_hash(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The account with this email acting on its own authority, for the demo loader and the
/// command line, which act without signing in.
pub async fn acting_as(app: &App, email: &abierto_domain::account::Email) -> Result<Option<Actor>> {
    let Some((user, _)) = app.store().credentials(email).await? else {
        return Ok(None);
    };
    let units = app
        .store()
        .user_units(user.id)
        .await?
        .into_iter()
        .map(|u| u.id)
        .collect();
    Ok(Some(Actor::account(user, units, None)))
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
