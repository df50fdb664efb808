//! Adding the programs' records by hand: over the API and from each program's page, with the
//! rules of the CSV import, only by the secretariat.

use serde_json::json;

use crate::helpers::{envelope, spawn_app, STAFF};
use crate::plans::UNIT;

#[tokio::test]
async fn the_secretariat_adds_records_over_the_api_and_bad_ones_are_refused() {
    let app = spawn_app().await;
    let event = json!({"held_on": "2026-04-18", "neighbourhood": "San Juan de Abajo"});
    assert_eq!(
        app.post_value("/api/v1/records/events", &event)
            .await
            .status(),
        401
    );
    app.login(UNIT).await;
    assert_eq!(
        app.post_value("/api/v1/records/events", &event)
            .await
            .status(),
        403
    );
    app.login(STAFF).await;
    let response = app.post_value("/api/v1/records/events", &event).await;
    assert_eq!(response.status(), 201);
    let event_id = response.json::<serde_json::Value>().await.unwrap()["id"]
        .as_i64()
        .unwrap();

    let agreement = json!({"external_id": "MBH-2026-04-18-01", "event": event_id,
        "description": "Reparar luminarias del parque", "unit": "Dirección de Contraloría Social",
        "status": "open", "created_on": "2026-04-18"});
    assert_eq!(
        app.post_value("/api/v1/records/agreements", &agreement)
            .await
            .status(),
        201
    );
    // Concluding it later updates the same agreement.
    let mut concluded = agreement.clone();
    concluded["status"] = json!("concluded");
    concluded["concluded_on"] = json!("2026-05-02");
    assert_eq!(
        app.post_value("/api/v1/records/agreements", &concluded)
            .await
            .status(),
        201
    );
    let csv = app
        .get_text("/programas/mi-barrio-habla.csv?desde=2026-04-01&hasta=2026-05-31")
        .await;
    assert_eq!(csv.matches("Reparar luminarias del parque").count(), 1);
    assert!(csv.contains("concluido"));

    for (path, body, code) in [
        (
            "/api/v1/records/agreements",
            json!({"description": "x", "status": "concluded", "created_on": "2026-04-18", "concluded_on": "2026-04-01"}),
            "concluded_before_created",
        ),
        (
            "/api/v1/records/events",
            json!({"held_on": "18/04/2026", "neighbourhood": "Centro"}),
            "invalid_date",
        ),
        (
            "/api/v1/records/trainings",
            json!({"held_on": "2026-03-17", "title": "Datos abiertos", "people_trained": -5}),
            "quantity_negative",
        ),
        (
            "/api/v1/records/trainings",
            json!({"held_on": "2026-03-17", "title": "Datos abiertos", "people_trained": 5, "units": ["Dirección Inventada"]}),
            "unknown_unit",
        ),
        (
            "/api/v1/records/outreach",
            json!({"kind": "school_talk", "held_on": "2026-03-17", "place": "Escuela", "topics": "dai,astrologia"}),
            "invalid_topic",
        ),
        (
            "/api/v1/records/inquiries",
            json!({"kind": "llamada", "held_on": "2026-03-17"}),
            "invalid_inquiry_kind",
        ),
    ] {
        let response = app.post_value(path, &body).await;
        assert_eq!(response.status(), 422, "{body}");
        assert_eq!(envelope(response).await.0, code, "{body}");
    }

    // A work's stages: back without a reason is refused; with one it is kept.
    let works = app.store.works().await.unwrap();
    let contracted = works
        .iter()
        .find(|w| w.external_id.as_deref() == Some("PP-2024-010"))
        .unwrap();
    let path = format!("/api/v1/works/{}/stages", contracted.id);
    let back = json!({"stage": "executive_project", "changed_on": "2024-10-01"});
    let response = app.post_value(&path, &back).await;
    assert_eq!(envelope(response).await.0, "stage_backwards_without_reason");
    let mut with_reason = back.clone();
    with_reason["reason"] = json!("Cambio de predio");
    assert_eq!(app.post_value(&path, &with_reason).await.status(), 204);
    assert_eq!(
        app.post_value("/api/v1/works/999999/stages", &with_reason)
            .await
            .status(),
        404
    );
}

#[tokio::test]
async fn the_program_page_offers_the_secretariat_a_form() {
    let app = spawn_app().await;
    let public = app.get_text("/programas/pregunta-leon").await;
    assert!(!public.contains("/programas/pregunta-leon/registros"));

    app.login(STAFF).await;
    let page = app.get_text("/programas/pregunta-leon").await;
    assert!(page.contains("action=\"/programas/pregunta-leon/registros\""));
    assert!(
        page.contains("<title>Pregunta León · "),
        "the page title is the program's name alone"
    );
    assert_eq!(
        page.matches("action=\"/programas/pregunta-leon/registros\"")
            .count(),
        1
    );
    let response = app
        .post_form(
            "/programas/pregunta-leon/registros",
            &[
                ("kind", "advisory"),
                ("channel", "citizen_wednesday"),
                ("held_on", "2026-05-06"),
                ("place", "Presidencia Municipal"),
            ],
        )
        .await;
    assert_eq!(response.status(), 303);
    let csv = app
        .get_text("/programas/pregunta-leon.csv?desde=2026-05-01&hasta=2026-05-31")
        .await;
    assert!(csv.contains("2026-05-06"));
    assert!(csv.contains("Miércoles Ciudadano"));

    let response = app
        .post_form(
            "/programas/capacitaciones/registros",
            &[
                ("held_on", "2026-03-17"),
                ("title", "Datos abiertos"),
                ("people_trained", "doce"),
            ],
        )
        .await;
    assert_eq!(response.status(), 422);
    let html = response.text().await.unwrap();
    assert!(html.contains("role=\"alert\""));
    assert!(
        html.contains("número entero"),
        "the Spanish message: {html}"
    );
}

#[tokio::test]
async fn a_program_page_reads_in_english_and_its_download_stays_the_spanish_open_data() {
    let app = spawn_app().await;
    app.post_form("/idioma", &[("lang", "en")]).await;
    let page = app
        .get_text("/programas/presupuesto-participativo?fecha=2024-12-31")
        .await;
    for english in ["Key", "Work", "Stage", "Since", "Work contracted"] {
        assert!(page.contains(english), "{english} in {page}");
    }
    for spanish in ["Etapa", "Desde", "obra contratada", "de diciembre de"] {
        assert!(!page.contains(spanish), "{spanish} on an English page");
    }
    // The secretariat's forms on the page word their choices in English too.
    app.login(STAFF).await;
    let page = app.get_text("/programas/presupuesto-participativo").await;
    assert!(page.contains(">Work delivered</option>"), "{page}");
    assert!(!page.contains(">obra entregada</option>"));
    let csv = app
        .get_text("/programas/presupuesto-participativo.csv?fecha=2024-12-31")
        .await;
    assert!(csv.starts_with("Clave,Obra,Etapa,Desde"), "{csv}");
    assert!(csv.contains("obra contratada,2024-06-14"), "{csv}");
}
