//! Seating members under the bylaws' rules (artículo 4): two-year terms, no re-election, no
//! overlapping seats. Each refusal cites the article and stores nothing.

use serde_json::{json, Value};

use crate::helpers::{envelope, spawn_app, TestApp, STAFF};

async fn body_ending(app: &TestApp, period: &str) -> i64 {
    app.json("/api/v1/bodies")
        .await
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["name"].as_str().unwrap().ends_with(period))
        .unwrap()["id"]
        .as_i64()
        .unwrap()
}

async fn members(app: &TestApp, body: i64) -> Vec<Value> {
    app.json(&format!("/api/v1/bodies/{body}/members"))
        .await
        .as_array()
        .unwrap()
        .clone()
}

fn person_of(members: &[Value], name: &str) -> i64 {
    members
        .iter()
        .find(|m| m["person"]["full_name"] == name)
        .unwrap()["person"]["id"]
        .as_i64()
        .unwrap()
}

#[tokio::test]
async fn the_bylaws_rules_refuse_a_membership_and_cite_the_article() {
    let app = spawn_app().await;
    let old = body_ending(&app, "2022-2024").await;
    let new = body_ending(&app, "2025-2027").await;
    let old_members = members(&app, old).await;
    let new_members = members(&app, new).await.len();
    let response = app
        .post_value(&format!("/api/v1/bodies/{new}/members"), &json!({}))
        .await;
    assert_eq!(response.status(), 401);
    app.login(STAFF).await;

    let response = app
        .post_value(
            "/api/v1/people",
            &json!({"honorific": "C.", "full_name": "Mariana Ruiz Ortega", "gender": "feminine"}),
        )
        .await;
    assert_eq!(response.status(), 201);
    let mariana = response.json::<Value>().await.unwrap()["id"]
        .as_i64()
        .unwrap();
    let citizen = |person: i64, start: &str, end: &str| {
        json!({"person": person, "kind": "citizen", "starts_on": start, "ends_on": end,
               "grounds": "artículo 4 fracción III"})
    };
    let path = format!("/api/v1/bodies/{new}/members");

    let cases = [
        (
            citizen(mariana, "2025-01-01", "2027-12-31"),
            "term_exceeds_two_years",
            "artículo 4",
        ),
        (
            citizen(
                person_of(&old_members, "Alma Delia López Orozco"),
                "2025-01-01",
                "2026-12-31",
            ),
            "reelection_not_allowed",
            "artículo 4",
        ),
        (
            citizen(mariana, "2025/01/01", "2026-12-31"),
            "invalid_date",
            "AAAA-MM-DD",
        ),
        (
            citizen(mariana, "2024-01-01", "2025-12-31"),
            "membership_outside_period",
            "periodo",
        ),
        (
            citizen(9999, "2025-01-01", "2026-12-31"),
            "unknown_person",
            "no está registrada",
        ),
    ];
    for (request, code, cited) in cases {
        let response = app.post_value(&path, &request).await;
        assert_eq!(response.status(), 422, "{request}");
        let (got, _, message) = envelope(response).await;
        assert_eq!(got, code);
        assert!(message.contains(cited), "{message}");
    }
    // One person in one seat twice over the same time.
    let osbaldo = person_of(&old_members, "Osbaldo Huerta Bermejo");
    let response = app
        .post_value(
            &format!("/api/v1/bodies/{old}/members"),
            &json!({"person": osbaldo, "kind": "public_servant", "cargo": "Director de Contraloría Social",
                    "starts_on": "2024-06-01"}),
        )
        .await;
    assert_eq!(envelope(response).await.0, "membership_overlap");
    assert_eq!(
        members(&app, new).await.len(),
        new_members,
        "nothing was seated"
    );
    assert_eq!(members(&app, old).await.len(), old_members.len());

    let response = app
        .post_value(&path, &citizen(mariana, "2025-02-01", "2027-01-31"))
        .await;
    assert_eq!(response.status(), 201);
    let seat: Value = response.json().await.unwrap();
    assert_eq!(seat["membership"]["kind"], "citizen");
    assert_eq!(seat["membership"]["has_vote"], true);
    assert_eq!(seat["person"]["full_name"], "Mariana Ruiz Ortega");
}

#[tokio::test]
async fn the_secretariat_seats_a_new_person_by_form_and_a_refusal_stores_nothing() {
    let app = spawn_app().await;
    let new = body_ending(&app, "2025-2027").await;
    let path = format!("/organos/{new}/integrantes/nuevo");
    assert_eq!(app.get(&path).await.status(), 303, "sign in first");
    app.login(STAFF).await;
    let page = app.get_text(&path).await;
    assert!(page.contains("Integrar a una persona al órgano"));
    let people_before = app.store.people().await.unwrap().len();
    let seated_before = members(&app, new).await.len();
    let fields = |end: &'static str| {
        vec![
            ("person", ""),
            ("honorific", "C."),
            ("full_name", "Mariana Ruiz Ortega"),
            ("gender", "feminine"),
            ("kind", "citizen"),
            ("cargo", ""),
            ("special_role", ""),
            ("substitute_for", ""),
            ("starts_on", "2025-02-01"),
            ("ends_on", end),
            ("grounds", "artículo 4 fracción III"),
        ]
    };
    let response = app.post_form(&path, &fields("2028-01-31")).await;
    assert_eq!(response.status(), 422);
    let page = response.text().await.unwrap();
    assert!(page.contains("artículo 4"), "{page}");
    assert!(
        page.contains("value=\"Mariana Ruiz Ortega\""),
        "the form keeps what was typed"
    );
    assert_eq!(
        app.store.people().await.unwrap().len(),
        people_before,
        "no person left behind"
    );

    let response = app.post_form(&path, &fields("2027-01-31")).await;
    assert_eq!(response.status(), 303);
    let members = members(&app, new).await;
    assert_eq!(members.len(), seated_before + 1);
    let mariana = members
        .iter()
        .find(|m| m["person"]["full_name"] == "Mariana Ruiz Ortega")
        .expect("Mariana seated");
    assert_eq!(mariana["membership"]["tenure"]["ends_on"], "2027-01-31");
}
