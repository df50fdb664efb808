//! Who acts: the platform itself, a visitor who is not signed in, or a signed-in account with
//! its role and the units it acts for. Every use case is handed one and checks it itself, so
//! a page, an API call, the demo loader and the command line meet the same rules.

use abierto_domain::account::{Role, User};
use abierto_domain::ids::{UnitId, UserId};

use crate::{Error, Result};

#[derive(Debug, Clone)]
pub struct Actor {
    who: Who,
    ip: Option<String>,
}

#[derive(Debug, Clone)]
enum Who {
    /// The platform: migrations, the demo loader, background jobs, the command line.
    System,
    Anonymous,
    Account {
        user: User,
        units: Vec<UnitId>,
    },
}

impl Actor {
    pub fn system() -> Actor {
        Actor {
            who: Who::System,
            ip: None,
        }
    }

    pub fn anonymous(ip: Option<String>) -> Actor {
        Actor {
            who: Who::Anonymous,
            ip,
        }
    }

    /// A signed-in account, acting for `units` (the Unidades Responsables it belongs to).
    pub fn account(user: User, units: Vec<UnitId>, ip: Option<String>) -> Actor {
        Actor {
            who: Who::Account { user, units },
            ip,
        }
    }

    /// The signed-in account, if there is one.
    pub fn user(&self) -> Option<&User> {
        match &self.who {
            Who::Account { user, .. } => Some(user),
            _ => None,
        }
    }

    pub fn user_id(&self) -> Option<UserId> {
        self.user().map(|u| u.id)
    }

    /// The units a signed-in account acts for.
    pub fn units(&self) -> &[UnitId] {
        match &self.who {
            Who::Account { units, .. } => units,
            _ => &[],
        }
    }

    pub fn ip(&self) -> Option<&str> {
        self.ip.as_deref()
    }

    pub fn is_system(&self) -> bool {
        matches!(self.who, Who::System)
    }

    /// Whether the actor may do what `allowed` grants: the platform may do anything, a
    /// visitor who is not signed in nothing that needs a role.
    pub fn may(&self, allowed: fn(Role) -> bool) -> bool {
        match &self.who {
            Who::System => true,
            Who::Anonymous => false,
            Who::Account { user, .. } => allowed(user.role),
        }
    }

    /// `Unauthenticated` for a visitor, `Forbidden` for an account whose role does not pass.
    pub fn require(&self, allowed: fn(Role) -> bool) -> Result<()> {
        match &self.who {
            Who::Anonymous => Err(Error::Unauthenticated),
            _ if self.may(allowed) => Ok(()),
            _ => Err(Error::Forbidden),
        }
    }

    /// The signed-in account, whose role passes `allowed`: for what only a person does
    /// (signing an acta, publishing as an enlace).
    pub fn require_account(&self, allowed: fn(Role) -> bool) -> Result<&User> {
        let user = self.user().ok_or(Error::Unauthenticated)?;
        if allowed(user.role) {
            Ok(user)
        } else {
            Err(Error::Forbidden)
        }
    }

    /// Whether the actor keeps the secretariat's records (staff, administrators, the platform).
    pub fn keeps_sessions(&self) -> bool {
        self.may(Role::can_keep_sessions)
    }

    /// The audit log's view of the actor.
    pub(crate) fn audit(&self) -> abierto_store::Actor {
        match self.user_id() {
            Some(id) => abierto_store::Actor::user(id, self.ip.clone()),
            None => abierto_store::Actor::anonymous(self.ip.clone()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use abierto_domain::account::{DisplayName, Email};

    fn account(role: Role) -> Actor {
        let user = User {
            id: UserId::new(7),
            email: Email::parse("enlace@municipio.example").unwrap(),
            name: DisplayName::parse("Enlace").unwrap(),
            role,
            person: None,
        };
        Actor::account(user, vec![UnitId::new(3)], Some("10.0.0.1".to_owned()))
    }

    #[test]
    fn roles_are_checked_and_the_platform_passes() {
        let staff = account(Role::SecretariatStaff);
        assert!(staff.require(Role::can_keep_sessions).is_ok());
        let member = account(Role::Member);
        assert!(matches!(
            member.require(Role::can_keep_sessions),
            Err(Error::Forbidden)
        ));
        assert!(matches!(
            Actor::anonymous(None).require(Role::can_keep_sessions),
            Err(Error::Unauthenticated)
        ));
        assert!(Actor::system().require(Role::can_manage_accounts).is_ok());
        assert!(matches!(
            Actor::system().require_account(Role::can_publish_data),
            Err(Error::Unauthenticated)
        ));
    }

    #[test]
    fn the_audit_log_names_the_account_and_its_address() {
        let actor = account(Role::ReportingUnit);
        assert_eq!(actor.units(), [UnitId::new(3)]);
        let audit = actor.audit();
        assert_eq!(audit.user, Some(UserId::new(7)));
        assert_eq!(audit.ip.as_deref(), Some("10.0.0.1"));
        assert_eq!(Actor::system().audit(), abierto_store::Actor::system());
    }
}
