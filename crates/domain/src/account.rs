//! Accounts: who may sign in, with which role, and how their password is kept.

use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::Argon2;
use serde::{Deserialize, Serialize};

use crate::ids::{PersonId, UserId};
use crate::ErrorCode;
use crate::ValidationError;

/// An account as the rest of the system sees it: never with its password hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub id: UserId,
    pub email: Email,
    pub name: DisplayName,
    pub role: Role,
    /// The member or official this account belongs to, when it is one.
    pub person: Option<PersonId>,
}

/// What an account may do. The anonymous public has no account and no role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Runs the platform: accounts, configuration, audit log.
    Administrator,
    /// Unidad de Transparencia: convenes sessions, keeps minutes, consolidates reports, runs calls.
    SecretariatStaff,
    /// Integrante of a body: attends, votes, signs minutes.
    Member,
    /// Unidad Responsable: reports its own commitments' monthly progress.
    ReportingUnit,
    /// Enlace or generador de la información: publishes and validates datasets.
    DataPublisher,
}

impl Role {
    pub const ALL: [Role; 5] = [
        Role::Administrator,
        Role::SecretariatStaff,
        Role::Member,
        Role::ReportingUnit,
        Role::DataPublisher,
    ];

    /// Stable key stored in the database and used by the API.
    pub fn key(self) -> &'static str {
        match self {
            Role::Administrator => "administrator",
            Role::SecretariatStaff => "secretariat_staff",
            Role::Member => "member",
            Role::ReportingUnit => "reporting_unit",
            Role::DataPublisher => "data_publisher",
        }
    }

    pub fn parse(raw: &str) -> Result<Role, ValidationError> {
        Role::ALL
            .into_iter()
            .find(|r| r.key() == raw.trim())
            .ok_or(ValidationError::new("role", ErrorCode::InvalidRole))
    }

    /// Only administrators manage accounts and read the audit log.
    pub fn can_manage_accounts(self) -> bool {
        self == Role::Administrator
    }

    /// The secretariat (and administrators) convene sessions and keep their record.
    pub fn can_keep_sessions(self) -> bool {
        matches!(self, Role::Administrator | Role::SecretariatStaff)
    }

    /// Those who work on an acta before it is published: the secretariat and the members.
    pub fn can_read_draft_minutes(self) -> bool {
        matches!(
            self,
            Role::Administrator | Role::SecretariatStaff | Role::Member
        )
    }

    /// Who files what was done against the action plan: the secretariat, and the reporting
    /// units for their own commitments. Only the secretariat publishes.
    pub fn can_report_progress(self) -> bool {
        self.can_keep_sessions() || self == Role::ReportingUnit
    }

    /// Who uploads and describes datasets: the enlaces and generadores de la información for
    /// their own units' publishers, and the secretariat for every publisher.
    pub fn can_publish_data(self) -> bool {
        self.can_keep_sessions() || self == Role::DataPublisher
    }

    /// The data officers, who approve a checked version for publication: the Unidad de
    /// Transparencia (secretariat staff) and administrators.
    pub fn can_approve_data(self) -> bool {
        self.can_keep_sessions()
    }

    /// Reporting units act only within the units they are assigned to.
    pub fn is_scoped_to_units(self) -> bool {
        self == Role::ReportingUnit
    }
}

/// A normalised e-mail address (trimmed, lower-case).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Email(String);

impl Email {
    pub fn parse(raw: &str) -> Result<Email, ValidationError> {
        let invalid = ValidationError::new("email", ErrorCode::InvalidEmail);
        let value = raw.trim().to_lowercase();
        if value.len() > 254 || value.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(invalid);
        }
        let (local, domain) = value.split_once('@').ok_or(invalid.clone())?;
        let domain_ok = domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains('@')
            && !domain.contains("..");
        if local.is_empty() || local.len() > 64 || !domain_ok {
            return Err(invalid);
        }
        Ok(Email(value))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A person's or account's name as shown on pages: 1 to 120 characters, no control characters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DisplayName(String);

impl DisplayName {
    pub fn parse(raw: &str) -> Result<DisplayName, ValidationError> {
        let value = raw.split_whitespace().collect::<Vec<_>>().join(" ");
        let count = value.chars().count();
        if count == 0 || count > 120 || value.chars().any(char::is_control) {
            return Err(ValidationError::new("name", ErrorCode::InvalidName));
        }
        Ok(DisplayName(value))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A candidate password that meets the length policy. Never printed.
pub struct Password(String);

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password(***)")
    }
}

impl Password {
    pub const MIN_CHARS: usize = 10;
    pub const MAX_CHARS: usize = 128;

    pub fn parse(raw: &str) -> Result<Password, ValidationError> {
        let count = raw.chars().count();
        if count < Self::MIN_CHARS {
            return Err(ValidationError::new(
                "password",
                ErrorCode::PasswordTooShort,
            ));
        }
        if count > Self::MAX_CHARS {
            return Err(ValidationError::new("password", ErrorCode::PasswordTooLong));
        }
        Ok(Password(raw.to_owned()))
    }

    /// Hashes with argon2id (the crate's default parameters: 19 MiB, 2 passes) and a random salt.
    pub fn hash(&self) -> Result<String, ValidationError> {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default()
            .hash_password(self.0.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|_| ValidationError::new("password", ErrorCode::PasswordUnhashable))
    }
}

/// Checks a submitted password against a stored PHC string. A malformed hash never matches.
pub fn verify_password(stored_hash: &str, submitted: &str) -> bool {
    match PasswordHash::new(stored_hash) {
        Ok(parsed) => Argon2::default()
            .verify_password(submitted.as_bytes(), &parsed)
            .is_ok(),
        Err(_) => false,
    }
}

/// A valid argon2id hash of a random string, verified against when an e-mail has no account,
/// so that a wrong e-mail and a wrong password take the same time.
pub const DECOY_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$9B0x8lQbdVS0SXCcFBhbK1bO1ny1ZcZmbUgb4yNWgjE";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_round_trip_through_their_keys() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.key()), Ok(role));
        }
        assert_eq!(
            Role::parse("root").map_err(|e| e.code().as_str()),
            Err("invalid_role")
        );
        assert!(Role::Administrator.can_manage_accounts());
        assert!(!Role::SecretariatStaff.can_manage_accounts());
        assert!(Role::ReportingUnit.is_scoped_to_units());
        assert!(Role::ReportingUnit.can_report_progress());
        assert!(!Role::ReportingUnit.can_keep_sessions());
        assert!(!Role::Member.can_report_progress());
    }

    #[test]
    fn emails_are_normalised_and_checked() {
        assert_eq!(
            Email::parse("  Secretariado@Leon.Example ").map(|e| e.as_str().to_owned()),
            Ok("secretariado@leon.example".to_owned())
        );
        for bad in [
            "",
            "sin-arroba",
            "@leon.example",
            "a@b",
            "a b@leon.example",
            "a@.mx",
            "a@leon..mx",
        ] {
            assert_eq!(
                Email::parse(bad).map_err(|e| e.code().as_str()),
                Err("invalid_email"),
                "{bad}"
            );
        }
    }

    #[test]
    fn names_collapse_spaces_and_refuse_empty_or_long() {
        assert_eq!(
            DisplayName::parse("  Luz   Araceli ").map(|n| n.as_str().to_owned()),
            Ok("Luz Araceli".to_owned())
        );
        assert!(DisplayName::parse("   ").is_err());
        assert!(DisplayName::parse(&"a".repeat(121)).is_err());
        assert!(DisplayName::parse("a\u{7}b").is_err());
    }

    #[test]
    fn password_policy_and_hash_round_trip() {
        assert_eq!(
            Password::parse("corta")
                .map(|_| ())
                .map_err(|e| e.code().as_str()),
            Err("password_too_short")
        );
        assert_eq!(
            Password::parse(&"x".repeat(129))
                .map(|_| ())
                .map_err(|e| e.code().as_str()),
            Err("password_too_long")
        );
        let password = Password::parse("contraseña-larga").map_err(|e| e.code().as_str());
        let hash = password.and_then(|p| p.hash().map_err(|e| e.code().as_str()));
        let hash = hash.unwrap_or_default();
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password(&hash, "contraseña-larga"));
        assert!(!verify_password(&hash, "contraseña-larg"));
        assert!(!verify_password("not a hash", "contraseña-larga"));
        assert_eq!(
            format!("{:?}", Password::parse("secreto-muy-largo")),
            "Ok(Password(***))"
        );
    }

    #[test]
    fn decoy_hash_is_well_formed() {
        assert!(PasswordHash::new(DECOY_HASH).is_ok());
        assert!(!verify_password(DECOY_HASH, "anything"));
    }
}
