use abierto_domain::governance::{BodyKind, Gender, MembershipKind, Period, SpecialRole, Tenure};
use abierto_domain::ids::{BodyId, PersonId};
use abierto_store::testing::fresh_store;
use abierto_store::{Actor, NewBody, NewMembership, NewPerson, StoreError};
use chrono::NaiveDate;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("date")
}

fn secretariat(period: &str, start: i32, end: i32) -> NewBody {
    NewBody {
        name: format!(
            "Secretariado Técnico Municipal de Gobierno Abierto para León, Guanajuato {period}"
        ),
        short_name: format!("STMGA {period}"),
        kind: BodyKind::Secretariat,
        period: Period::new(day(start, 1, 1), day(end, 12, 31)).expect("period"),
    }
}

#[tokio::test]
async fn bodies_people_and_memberships_round_trip() {
    let (store, _db) = fresh_store().await.expect("store");
    let actor = Actor::system();
    let old = store
        .create_body(&actor, &secretariat("2022-2024", 2022, 2024))
        .await
        .expect("body");
    let new = store
        .create_body(&actor, &secretariat("2025-2027", 2025, 2027))
        .await
        .expect("body");
    let bodies = store.bodies().await.expect("bodies");
    assert_eq!(
        bodies.iter().map(|b| b.id).collect::<Vec<_>>(),
        vec![new, old],
        "newest period first"
    );
    assert_eq!(
        store.body(old).await.expect("body").period.label(),
        "2022-2024"
    );

    let titular = store
        .create_person(
            &actor,
            &NewPerson {
                honorific: "Lic.".into(),
                full_name: "Enrique Arturo Avilés Pérez".into(),
                gender: Gender::Masculine,
            },
        )
        .await
        .expect("person");
    let substitute = store
        .create_person(
            &actor,
            &NewPerson {
                honorific: "Lic.".into(),
                full_name: "Jesús Israel Aguilera Rivera".into(),
                gender: Gender::Masculine,
            },
        )
        .await
        .expect("person");
    let seat = store
        .create_membership(
            &actor,
            &NewMembership {
                body: old,
                person: titular,
                kind: MembershipKind::PublicServant,
                cargo: "Director General de Comunicación Social".into(),
                special_role: None,
                substitute_for: None,
                tenure: Tenure::new(day(2024, 9, 13), None).expect("tenure"),
                grounds: "artículo 4 fracción II".into(),
                has_vote: true,
            },
        )
        .await
        .expect("seat");
    store
        .create_membership(
            &actor,
            &NewMembership {
                body: old,
                person: substitute,
                kind: MembershipKind::PublicServant,
                cargo: "Director de Análisis de Información".into(),
                special_role: Some(SpecialRole::Facilitator),
                substitute_for: Some(seat),
                tenure: Tenure::new(day(2024, 9, 13), Some(day(2024, 12, 31))).expect("tenure"),
                grounds: "artículo 5 párrafo tercero".into(),
                has_vote: false,
            },
        )
        .await
        .expect("substitute seat");

    let seats = store.memberships_of(old).await.expect("memberships");
    assert_eq!(seats.len(), 2);
    assert_eq!(
        seats[0].1.full_name, "Enrique Arturo Avilés Pérez",
        "titular before substitute"
    );
    assert_eq!(seats[1].0.substitute_for, Some(seat));
    assert_eq!(seats[1].0.special_role, Some(SpecialRole::Facilitator));
    assert_eq!(seats[1].0.tenure.ends_on, Some(day(2024, 12, 31)));
    assert!(seats[0].0.has_vote && !seats[1].0.has_vote);
    assert!(store
        .memberships_of(new)
        .await
        .expect("memberships")
        .is_empty());
    assert_eq!(store.people().await.expect("people").len(), 2);
}

#[tokio::test]
async fn a_repeated_body_name_is_a_conflict_on_name() {
    let (store, _db) = fresh_store().await.expect("store");
    store
        .create_body(&Actor::system(), &secretariat("2022-2024", 2022, 2024))
        .await
        .expect("body");
    match store
        .create_body(&Actor::system(), &secretariat("2022-2024", 2022, 2024))
        .await
    {
        Err(StoreError::Conflict { field }) => assert_eq!(field, "name"),
        other => panic!("expected a conflict on name, got {other:?}"),
    }
}

#[tokio::test]
async fn a_membership_in_a_missing_body_is_refused() {
    let (store, _db) = fresh_store().await.expect("store");
    let result = store
        .create_membership(
            &Actor::system(),
            &NewMembership {
                body: BodyId::new(77),
                person: PersonId::new(78),
                kind: MembershipKind::Citizen,
                cargo: String::new(),
                special_role: None,
                substitute_for: None,
                tenure: Tenure::new(day(2024, 1, 1), None).expect("tenure"),
                grounds: String::new(),
                has_vote: true,
            },
        )
        .await;
    assert!(
        matches!(result, Err(StoreError::MissingReference)),
        "{result:?}"
    );
    assert!(matches!(
        store.body(BodyId::new(77)).await,
        Err(StoreError::NotFound)
    ));
}
