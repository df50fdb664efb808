//! The monthly-report forms: a reporting unit files a month with evidence, only for its own
//! commitments; a faulty figure is refused with its line named and nothing stored changes;
//! the secretariat publishes; evidence is private until then.

use reqwest::multipart::{Form, Part};

use crate::helpers::{location, new_client, spawn_app_with, TestApp, STAFF};
use crate::plans::{commitment_id, plan_id, UNIT};

const JPEG: &[u8] = b"\xFF\xD8\xFF\xE0\x00\x10JFIF\x00 obra entregada";

async fn app_with_files() -> (TestApp, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let config = crate::helpers::Config::with_app(abierto_app::Settings {
        annex_dir: dir.path().join("archivos"),
        max_annex_bytes: 4096,
        ..abierto_app::Settings::default()
    });
    (spawn_app_with(config).await, dir)
}

/// Posts the figure rows of a month's form (each row: measure, quantity, dates, note, source).
async fn post_rows(app: &TestApp, path: &str, text: &str, rows: &[[&str; 5]]) -> reqwest::Response {
    let token = app.csrf_token().await;
    let mut fields: Vec<(&str, &str)> = vec![("csrf_token", &token), ("text", text)];
    for row in rows {
        for (name, value) in ["measure", "quantity", "dates", "note", "source"]
            .iter()
            .zip(row)
        {
            fields.push((name, value));
        }
    }
    app.client
        .post(app.url(path))
        .form(&fields)
        .send()
        .await
        .unwrap()
}

async fn upload(app: &TestApp, path: &str, name: &str, bytes: &[u8]) -> reqwest::Response {
    let form = Form::new()
        .text("csrf_token", app.csrf_token().await)
        .text("description", "Entrega de obra en la colonia")
        .part(
            "file",
            Part::bytes(bytes.to_vec()).file_name(name.to_owned()),
        );
    app.client
        .post(app.url(path))
        .multipart(form)
        .send()
        .await
        .unwrap()
}

/// The id in the first `/evidencias/{id}` link of a page.
fn evidence_link(html: &str) -> String {
    let start = html.find("/evidencias/").expect("an evidence link");
    let rest = &html[start..];
    rest[..rest.find('"').unwrap()].to_owned()
}

#[tokio::test]
async fn a_unit_files_a_month_with_evidence_and_the_secretariat_publishes_it() {
    let (app, _dir) = app_with_files().await;
    let plan = plan_id(&app, "2023-2024").await;
    let pp = commitment_id(&app, plan, "Presupuesto Participativo").await;
    let pl = commitment_id(&app, plan, "Pregunta León").await;
    let month = format!("/reportes/{pp}/2024-09");

    // Signed out, the forms send to the sign-in page.
    let response = app.get(&month).await;
    assert_eq!(response.status(), 303);
    assert!(location(&response).starts_with("/entrar"));

    app.login(UNIT).await;
    let index = app.get_text("/reportes").await;
    assert!(index.contains("Presupuesto Participativo"));
    assert!(
        !index.contains("Pregunta León"),
        "a unit sees only its own commitments"
    );
    assert!(
        index.contains("href=\"/reportes\""),
        "the menu offers the reports"
    );
    assert_eq!(
        app.get(&format!("/reportes/{pl}/2024-09")).await.status(),
        403
    );
    assert_eq!(
        app.get(&format!("/reportes/{pp}/2030-01")).await.status(),
        404
    );
    let months = app.get_text(&format!("/reportes/{pp}")).await;
    assert!(months.contains("Septiembre 2024"));
    assert!(months.contains("Entrega de primeras obras concluidas"));

    // The form starts from the published version.
    let form = app.get_text(&month).await;
    assert!(form.contains("value=\"obras entregadas\""));
    assert!(form.contains("<option value=\"works_in_stage:delivered\" selected>"));

    // A faulty line is named, what was typed comes back, and nothing is stored.
    let response = post_rows(
        &app,
        &month,
        "",
        &[
            [
                "obras entregadas",
                "3",
                "2024-09-20",
                "",
                "works_in_stage:delivered",
            ],
            ["recorridos de supervisión", "-4", "", "", ""],
        ],
    )
    .await;
    assert_eq!(response.status(), 422);
    let page = response.text().await.unwrap();
    assert!(page.contains("Línea 2:"), "the refused line is named");
    assert!(page.contains("value=\"-4\""), "the typed value is kept");
    let months = app.get_text(&format!("/reportes/{pp}")).await;
    assert!(!months.contains("Borrador sin publicar"));

    let response = post_rows(
        &app,
        &month,
        "Recorridos de supervisión con los comités de obra.",
        &[
            [
                "obras entregadas",
                "3",
                "2024-09-20",
                "",
                "works_in_stage:delivered",
            ],
            [
                "recorridos de supervisión",
                "4",
                "2024-09-20, 2024-09-27",
                "",
                "",
            ],
            ["", "", "", "", ""],
        ],
    )
    .await;
    assert_eq!(response.status(), 303);
    assert_eq!(location(&response), format!("{month}?hecho=draft"));

    // Evidence: a disallowed file is refused; a photo is kept and private to the draft.
    let evidence_path = format!("{month}/evidencias");
    let response = upload(&app, &evidence_path, "lista.exe", b"MZ\x90\x00").await;
    assert_eq!(response.status(), 422);
    assert!(response
        .text()
        .await
        .unwrap()
        .contains("Ese tipo de archivo no se acepta"));
    let response = upload(&app, &evidence_path, "obra.jpg", JPEG).await;
    assert_eq!(response.status(), 303);
    let form = app.get_text(&month).await;
    assert!(form.contains(">obra.jpg<"), "the draft lists its evidence");
    let photo = evidence_link(&form);
    let private = app.get(&photo).await;
    assert_eq!(private.status(), 200, "the unit reads its draft's evidence");
    assert_eq!(private.bytes().await.unwrap().as_ref(), JPEG);
    let public = new_client();
    let anonymous = public.get(app.url(&photo)).send().await.unwrap();
    assert_eq!(anonymous.status(), 404, "a draft's evidence is not public");

    // The unit cannot publish; the public still reads the published version.
    let token = app.csrf_token().await;
    let publish = format!("{month}/publicar");
    let response = app
        .client
        .post(app.url(&publish))
        .form(&[("csrf_token", token.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 403);
    let report_path = format!("/plan-de-accion/{plan}/informes/2024-Q3");
    let report = app.public_text(&report_path).await;
    assert!(!report.contains("recorridos de supervisión"));

    app.login(STAFF).await;
    let response = app.post_form(&publish, &[]).await;
    assert_eq!(response.status(), 303);
    assert_eq!(location(&response), format!("{month}?hecho=published"));
    let report = app.public_text(&report_path).await;
    assert!(report.contains("4 recorridos de supervisión con fecha 20 y 27 de septiembre"));
    assert!(report.contains("Recorridos de supervisión con los comités de obra."));
    assert!(report.contains(&format!("href=\"{photo}\"")));
    let photo_response = public.get(app.url(&photo)).send().await.unwrap();
    assert_eq!(photo_response.status(), 200, "published evidence is public");
    assert_eq!(photo_response.headers()["content-type"], "image/jpeg");
    assert_eq!(
        photo_response.headers()["x-content-type-options"],
        "nosniff"
    );

    // Publishing again with no draft is refused on the form.
    let response = app.post_form(&publish, &[]).await;
    assert_eq!(response.status(), 422);
    assert!(response
        .text()
        .await
        .unwrap()
        .contains("No hay un borrador por publicar"));
}

#[tokio::test]
async fn evidence_goes_in_over_the_api_and_can_be_dropped_from_a_draft() {
    let (app, _dir) = app_with_files().await;
    let plan = plan_id(&app, "2023-2024").await;
    let pp = commitment_id(&app, plan, "Presupuesto Participativo").await;
    app.login(UNIT).await;
    let api = format!("/api/v1/commitments/{pp}/reports/2024-08/evidence");
    let response = upload(&app, &api, "obra.jpg", JPEG).await;
    assert_eq!(response.status(), 201);
    let link: serde_json::Value = response.json().await.unwrap();
    assert_eq!(link["filename"], "obra.jpg");
    assert_eq!(link["description"], "Entrega de obra en la colonia");
    let photo = link["link"].as_str().unwrap().to_owned();

    let too_big = vec![0xFF; 5000];
    let response = upload(&app, &api, "grande.jpg", &too_big).await;
    assert!(
        [413, 422].contains(&response.status().as_u16()),
        "over the limit: {}",
        response.status()
    );
    let outside = upload(
        &app,
        &format!("/api/v1/commitments/{pp}/reports/2025-02/evidence"),
        "obra.jpg",
        JPEG,
    )
    .await;
    assert_eq!(outside.status(), 422);

    // Dropped from the draft, it is gone from the form and not public.
    let month = format!("/reportes/{pp}/2024-08");
    let id = photo.rsplit('/').next().unwrap();
    let response = app
        .post_form(&format!("{month}/evidencias/quitar"), &[("evidence", id)])
        .await;
    assert_eq!(response.status(), 303);
    assert!(!app.get_text(&month).await.contains(&photo));
    let again = app
        .post_form(&format!("{month}/evidencias/quitar"), &[("evidence", id)])
        .await;
    assert_eq!(again.status(), 404);
    let anonymous = new_client().get(app.url(&photo)).send().await.unwrap();
    assert_eq!(anonymous.status(), 404);
}
