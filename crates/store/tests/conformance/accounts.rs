use abierto_domain::account::{Email, Role};
use abierto_domain::ids::{PersonId, UnitId, UserId};
use abierto_store::testing::fresh_store;
use abierto_store::{Actor, StoreError};

use crate::support::new_user;

#[tokio::test]
async fn creates_and_reads_back_an_account() {
    let (store, _db) = fresh_store().await.expect("store");
    let id = store
        .create_user(
            &Actor::system(),
            &new_user("secretariado@leon.example", Role::SecretariatStaff),
        )
        .await
        .expect("create");
    let user = store.user(id).await.expect("read");
    assert_eq!(user.email.as_str(), "secretariado@leon.example");
    assert_eq!(user.role, Role::SecretariatStaff);
    assert_eq!(user.name.as_str(), "Persona de Prueba");
    assert!(!store.is_empty().await.expect("is_empty"));

    let email = Email::parse("SECRETARIADO@leon.example").expect("email");
    let (found, hash) = store
        .credentials(&email)
        .await
        .expect("credentials")
        .expect("found");
    assert_eq!(found.id, id);
    assert!(hash.starts_with("$argon2id$"));
}

#[tokio::test]
async fn a_taken_email_is_a_conflict_on_email_and_keeps_the_first_account() {
    let (store, _db) = fresh_store().await.expect("store");
    let first = store
        .create_user(
            &Actor::system(),
            &new_user("admin@leon.example", Role::Administrator),
        )
        .await
        .expect("first");
    let second = store
        .create_user(
            &Actor::system(),
            &new_user("admin@leon.example", Role::Member),
        )
        .await;
    match second {
        Err(StoreError::Conflict { field }) => assert_eq!(field, "email"),
        other => panic!("expected a conflict on email, got {other:?}"),
    }
    assert_eq!(
        store.user(first).await.expect("first still there").role,
        Role::Administrator
    );
    assert_eq!(store.users().await.expect("users").len(), 1);
}

#[tokio::test]
async fn an_unknown_account_is_not_found() {
    let (store, _db) = fresh_store().await.expect("store");
    assert!(matches!(
        store.user(UserId::new(999)).await,
        Err(StoreError::NotFound)
    ));
    let email = Email::parse("nadie@leon.example").expect("email");
    assert!(store.credentials(&email).await.expect("query").is_none());
}

#[tokio::test]
async fn reporting_units_are_scoped_to_their_units() {
    let (store, _db) = fresh_store().await.expect("store");
    let actor = Actor::system();
    let ut = store
        .create_unit(&actor, "Unidad de Transparencia")
        .await
        .expect("unit");
    let pp = store
        .create_unit(
            &actor,
            "Dirección de Presupuesto Participativo y Delegaciones",
        )
        .await
        .expect("unit");
    let mut user = new_user("unidad@leon.example", Role::ReportingUnit);
    user.units = vec![pp];
    let id = store.create_user(&actor, &user).await.expect("create");
    let units = store.user_units(id).await.expect("units");
    assert_eq!(units.iter().map(|u| u.id).collect::<Vec<_>>(), vec![pp]);
    assert_eq!(store.units().await.expect("all").len(), 2);
    assert_ne!(ut, pp);
}

#[tokio::test]
async fn a_missing_unit_or_person_is_a_missing_reference_and_writes_nothing() {
    let (store, _db) = fresh_store().await.expect("store");
    let mut user = new_user("unidad@leon.example", Role::ReportingUnit);
    user.units = vec![UnitId::new(4242)];
    let result = store.create_user(&Actor::system(), &user).await;
    assert!(
        matches!(result, Err(StoreError::MissingReference)),
        "{result:?}"
    );

    let mut member = new_user("integrante@leon.example", Role::Member);
    member.person = Some(PersonId::new(4242));
    let result = store.create_user(&Actor::system(), &member).await;
    assert!(
        matches!(result, Err(StoreError::MissingReference)),
        "{result:?}"
    );
    assert!(
        store.users().await.expect("users").is_empty(),
        "the transaction must roll back"
    );
    assert!(store.audit_entries(10).await.expect("audit").is_empty());
}

#[tokio::test]
async fn every_write_is_in_the_audit_log_with_its_actor() {
    let (store, _db) = fresh_store().await.expect("store");
    let admin = store
        .create_user(
            &Actor::system(),
            &new_user("admin@leon.example", Role::Administrator),
        )
        .await
        .expect("admin");
    let actor = Actor::user(admin, Some("203.0.113.9".to_owned()));
    let staff = store
        .create_user(
            &actor,
            &new_user("staff@leon.example", Role::SecretariatStaff),
        )
        .await
        .expect("staff");
    let entries = store.audit_entries(10).await.expect("audit");
    assert_eq!(entries.len(), 2);
    let newest = &entries[0];
    assert_eq!(newest.action, "user.create");
    assert_eq!(newest.subject, format!("user:{staff}"));
    assert_eq!(newest.actor, Some(admin));
    assert_eq!(newest.actor_email.as_deref(), Some("admin@leon.example"));
    assert_eq!(newest.ip.as_deref(), Some("203.0.113.9"));
    assert_eq!(
        entries[1].actor, None,
        "the first account was created by the system"
    );
}
