//! Calls under load and across a restart: a thousand citizens posting to one call at once
//! over HTTP, each stored once with unique gapless folios, and a call whose close passed while
//! the server was down settled — void, its results proposed — as soon as it starts again, and
//! those results offered when the next session's agenda is written.

use std::collections::BTreeSet;

use abierto_app::Settings;
use abierto_domain::calls::CallKind;
use abierto_store::Store;
use chrono::{Duration, Utc};
use serde_json::{json, Value};

use crate::calls::open_call_until;
use crate::helpers::{hidden_value, spawn_app, spawn_app_with, spawn_on, Config, STAFF};

#[tokio::test]
async fn a_thousand_concurrent_submissions_over_http_each_land_once_with_gapless_folios() {
    let app = spawn_app_with(Config::with_app(Settings {
        // Every post comes from 127.0.0.1: the per-address limit would stop the test itself.
        max_submissions_per_ip_hour: 10_000,
        ..Settings::default()
    }))
    .await;
    let call = open_call_until(&app, CallKind::Ideas, None, Utc::now() + Duration::days(1)).await;
    let url = app.url(&format!("/api/v1/calls/{call}/submissions"));
    let mut posts = tokio::task::JoinSet::new();
    for n in 0..1000 {
        let client = app.client.clone();
        let url = url.clone();
        posts.spawn(async move {
            let body = json!({"title": format!("Idea {n}"), "proposal": "Una propuesta.",
                "full_name": "Persona de prueba", "email": format!("p{n}@example.org"),
                "consent": true, "idempotency_key": format!("{n:0>40}")});
            let response = client.post(url).json(&body).send().await.expect("post");
            assert_eq!(response.status(), 201, "submission {n}");
            response.json::<Value>().await.expect("receipt")["folio"]
                .as_str()
                .expect("folio")
                .to_owned()
        });
    }
    let folios: Vec<String> = posts.join_all().await;
    let numbers: BTreeSet<u32> = folios
        .iter()
        .map(|f| f.rsplit('-').next().unwrap().parse().unwrap())
        .collect();
    assert_eq!(numbers.len(), 1000, "unique");
    assert_eq!(
        numbers.iter().copied().collect::<Vec<_>>(),
        (1..=1000).collect::<Vec<_>>(),
        "gapless"
    );
    assert_eq!(app.store.submissions_of(call).await.unwrap().len(), 1000);
    let listed = app.json(&format!("/api/v1/calls/{call}")).await;
    assert_eq!(listed["submissions"], 1000);
}

#[tokio::test]
async fn a_call_that_closed_while_the_server_was_down_is_settled_when_it_starts() {
    let app = spawn_app().await;
    let closes_at = Utc::now() + Duration::hours(1);
    let call = open_call_until(&app, CallKind::Ideas, None, closes_at).await;
    let body = app.store.call(call).await.unwrap().body;
    assert_eq!(
        app.json(&format!("/api/v1/calls/{call}")).await["status"],
        "open"
    );
    let db = app.shut_down().await;

    // The close passes with no server running: the next one starts two hours later.
    let store = Store::connect(&db.url).await.unwrap();
    let later = Config {
        clock_ahead: Duration::hours(2),
        ..Config::default()
    };
    let restarted = spawn_on(store, db, later).await;
    let mut status = Value::Null;
    for _ in 0..100 {
        status = restarted.json(&format!("/api/v1/calls/{call}")).await["status"].clone();
        if status == "void" {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(status, "void", "settled on start, without waiting a minute");
    let proposals = restarted
        .store
        .pending_agenda_proposals(body)
        .await
        .unwrap();
    let of_call: Vec<_> = proposals.iter().filter(|p| p.call == Some(call)).collect();
    assert_eq!(of_call.len(), 1, "proposed once for the next session");
    assert!(of_call[0].narrative.contains("se declara desierta"));
}

#[tokio::test]
async fn a_void_calls_results_are_offered_for_the_next_sessions_agenda() {
    let app = spawn_app().await;
    let closes_at = Utc::now() + Duration::seconds(30);
    let call = open_call_until(&app, CallKind::Ideas, None, closes_at).await;
    let body = app.store.call(call).await.unwrap().body;
    app.store
        .close_due_calls(closes_at + Duration::seconds(1))
        .await
        .unwrap();
    let next = app
        .store
        .create_session(
            &abierto_store::Actor::system(),
            &abierto_store::NewSession {
                body,
                kind: abierto_domain::sessions::SessionKind::Ordinary,
                number: None,
                held_on: (Utc::now() + Duration::days(7)).date_naive(),
                scheduled_time: "13:00".into(),
                place: "Sala de juntas".into(),
                legal_basis: String::new(),
                name: String::new(),
            },
        )
        .await
        .unwrap();
    app.login(STAFF).await;
    let page = app.get_text(&format!("/sesiones/{next}/gestion")).await;
    let proposal = hidden_value(&page, "proposal").expect("the void call's results are offered");
    assert!(page.contains("Resultados de la Convocatoria para la presentación de ideas"));
    let taken = app
        .post_form(
            &format!("/sesiones/{next}/propuestas"),
            &[("proposal", &proposal)],
        )
        .await;
    assert_eq!(taken.status(), 303);
    let agenda = app.store.session_record(next).await.unwrap().agenda;
    assert_eq!(agenda.len(), 1);
    assert_eq!(
        agenda[0].kind,
        abierto_domain::sessions::AgendaItemKind::Results
    );
    assert!(agenda[0].narrative.contains("se declara desierta"));
    let again = app
        .post_form(
            &format!("/sesiones/{next}/propuestas"),
            &[("proposal", &proposal)],
        )
        .await;
    assert_eq!(again.status(), 404, "taken once");
    let page = app.get_text(&format!("/sesiones/{next}/gestion")).await;
    assert!(hidden_value(&page, "proposal").is_none());
}
