use crate::helpers::{envelope, spawn_app, TestApp};

async fn session_id(app: &TestApp, title: &str, year: &str) -> i64 {
    let sessions: serde_json::Value = app.get("/api/v1/sessions").await.json().await.unwrap();
    sessions
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["title"] == title && s["held_on"].as_str().unwrap().starts_with(year))
        .unwrap_or_else(|| panic!("no {title} in {year}"))["id"]
        .as_i64()
        .unwrap()
}

#[tokio::test]
async fn the_demo_acta_of_the_3a_extraordinaria_matches_its_golden_file() {
    let app = spawn_app().await;
    let id = session_id(&app, "3ª Sesión Extraordinaria", "2024").await;
    let response = app
        .get(&format!("/api/v1/sessions/{id}/minutes?format=md"))
        .await;
    assert_eq!(response.status(), 200);
    assert!(response.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/markdown"));
    let actual = response.text().await.unwrap();
    let golden = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden/acta-3a-sesion-extraordinaria-2024.md");
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&golden, &actual).unwrap();
    }
    let expected =
        std::fs::read_to_string(&golden).expect("golden file (UPDATE_GOLDEN=1 writes it)");
    assert_eq!(
        actual,
        expected,
        "the acta differs from {}",
        golden.display()
    );
}

#[tokio::test]
async fn a_session_exposes_agenda_votes_motions_attendance_and_quorum() {
    let app = spawn_app().await;
    let id = session_id(&app, "3ª Sesión Extraordinaria", "2024").await;
    let detail: serde_json::Value = app
        .get(&format!("/api/v1/sessions/{id}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(detail["kind"], "extraordinary");
    assert_eq!(detail["started_at"], "13:14");
    assert_eq!(detail["ended_at"], "13:46");
    let agenda = detail["agenda"].as_array().unwrap();
    assert_eq!(agenda.len(), 7);
    assert_eq!(agenda[6]["numeral"], "VII");
    assert_eq!(agenda[6]["kind"], "closing");
    assert_eq!(agenda[1]["vote"]["outcome"], "approved_unanimously");
    assert!(
        agenda[1]["vote"]["count"].is_null(),
        "the acta gives no counts"
    );
    assert_eq!(agenda[4]["motions"][0]["outcome"], "accepted");
    // Nine of the eleven voting seats are held (two substitutes hold their titulars' seats;
    // the facilitator does not vote): quorum needs six.
    assert_eq!(
        detail["quorum"],
        serde_json::json!({"present": 9, "required": 6, "reached": true})
    );
    let attendance = detail["attendance"].as_array().unwrap();
    assert_eq!(attendance.len(), 10);
    let maria = attendance
        .iter()
        .find(|a| a["name"].as_str().unwrap().contains("Hernández"))
        .unwrap();
    assert_eq!(maria["written_name"], "María de Luz Hernández Martínez");
    let approved_in = detail["minutes_approved_in"].as_i64().expect("approved");
    let approving: serde_json::Value = app
        .get(&format!("/api/v1/sessions/{approved_in}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(approving["title"], "4ª Sesión Ordinaria");
}

#[tokio::test]
async fn sessions_are_listed_newest_first_and_filtered_by_body() {
    let app = spawn_app().await;
    let all: serde_json::Value = app.get("/api/v1/sessions").await.json().await.unwrap();
    let dates: Vec<&str> = all
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["held_on"].as_str().unwrap())
        .collect();
    let mut sorted = dates.clone();
    sorted.sort_unstable_by(|a, b| b.cmp(a));
    assert_eq!(dates, sorted);
    assert_eq!(dates.len(), 10);
    let bodies: serde_json::Value = app.get("/api/v1/bodies").await.json().await.unwrap();
    let current = bodies
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["short_name"] == "STMGA 2025-2027")
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let of_current: serde_json::Value = app
        .get(&format!("/api/v1/sessions?body={current}"))
        .await
        .json()
        .await
        .unwrap();
    // The demo's own session, which approves its open call, and the 1ª Sesión Ordinaria.
    assert_eq!(of_current.as_array().unwrap().len(), 2);
    assert_eq!(of_current[1]["title"], "1ª Sesión Ordinaria");
}

#[tokio::test]
async fn minutes_come_as_html_or_json_and_bad_requests_are_clear() {
    let app = spawn_app().await;
    let id = session_id(&app, "3ª Sesión Extraordinaria", "2024").await;
    let html = app
        .get_text(&format!("/api/v1/sessions/{id}/minutes?format=html"))
        .await;
    assert!(html.contains("<h1>ACTA DE LA 3ª SESIÓN EXTRAORDINARIA"));
    assert!(html.contains("se declara <em>quórum</em> legal"));
    let blocks: serde_json::Value = app
        .get(&format!("/api/v1/sessions/{id}/minutes?format=json"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(blocks[0]["type"], "title");

    let bad_format = app
        .get(&format!("/api/v1/sessions/{id}/minutes?format=pdf"))
        .await;
    assert_eq!(bad_format.status(), 422);
    let (code, field, message) = envelope(bad_format).await;
    assert_eq!(
        (code.as_str(), field.as_deref()),
        ("invalid_format", Some("format"))
    );
    assert!(message.contains("md, html o json"));
    assert_eq!(app.get("/api/v1/sessions/99999").await.status(), 404);
    assert_eq!(app.get("/api/v1/sessions/abc/minutes").await.status(), 404);
    let bad_filter = app.get("/api/v1/sessions?body=abc").await;
    assert_eq!(bad_filter.status(), 400);
}

#[tokio::test]
async fn the_public_pages_show_sessions_and_their_acta() {
    let app = spawn_app().await;
    let list = app.get_text("/sesiones").await;
    assert!(list.contains("3ª Sesión Extraordinaria"));
    assert!(list.contains("13 de septiembre de 2024"));
    let id = session_id(&app, "3ª Sesión Extraordinaria", "2024").await;
    let page = app.get_text(&format!("/sesiones/{id}")).await;
    assert!(page.contains("Quórum legal"));
    assert!(page.contains("Aprobado por unanimidad"));
    assert!(page.contains("aprobada en la"));
    assert!(page.contains("4ª Sesión Ordinaria del 13 de diciembre de 2024"));
    let acta = app.get_text(&format!("/sesiones/{id}/acta")).await;
    assert!(acta.contains("Se levanta acta para constancia."));
    assert!(
        acta.contains("<nav"),
        "the acta page keeps the site's navigation"
    );
    let download = app.get(&format!("/sesiones/{id}/acta.md")).await;
    assert!(download.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .contains("acta-2024-09-13-extraordinary-3.md"));
    let pending = session_id(&app, "1ª Sesión Ordinaria", "2026").await;
    assert!(app
        .get_text(&format!("/sesiones/{pending}"))
        .await
        .contains("pendiente de aprobación"));
}
