//! Builders shared by the suite's tests.

use abierto_domain::account::{DisplayName, Email, Role};
use abierto_store::NewUser;

pub fn new_user(email: &str, role: Role) -> NewUser {
    NewUser {
        email: Email::parse(email).expect("valid email"),
        name: DisplayName::parse("Persona de Prueba").expect("valid name"),
        role,
        password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA".to_owned(),
        person: None,
        units: Vec::new(),
    }
}
