//! The action plan over HTTP: the demo's figures computed from its records, the quarterly
//! report against its golden file, the goal-tracking table, and the monthly reporting
//! workflow with its bad inputs.

use serde_json::{json, Value};

use crate::helpers::{envelope, spawn_app, TestApp, STAFF};

pub const UNIT: (&str, &str) = ("presupuesto@leon.example", "demo-unidad-responsable");

pub async fn plan_id(app: &TestApp, title_end: &str) -> i64 {
    let plans = app.json("/api/v1/plans").await;
    plans
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["title"].as_str().unwrap().ends_with(title_end))
        .unwrap_or_else(|| panic!("no plan {title_end}"))["id"]
        .as_i64()
        .unwrap()
}

pub async fn commitment_id(app: &TestApp, plan: i64, title: &str) -> i64 {
    let detail = app.json(&format!("/api/v1/plans/{plan}")).await;
    detail["commitments"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["title"] == title)
        .unwrap_or_else(|| panic!("no commitment {title}"))["id"]
        .as_i64()
        .unwrap()
}

#[tokio::test]
async fn mi_barrio_habla_2025_computes_90_percent_from_its_records() {
    let app = spawn_app().await;
    let plan = plan_id(&app, "2025-2027").await;
    let goals = app
        .json(&format!("/api/v1/plans/{plan}/goals?as_of=2026-03-27"))
        .await;
    let goals = goals.as_array().unwrap();
    let mbh = goals
        .iter()
        .find(|g| g["axis"] == "Mi Barrio Habla")
        .unwrap();
    let indicator = &mbh["indicator"];
    assert_eq!(indicator["kind"], "record_ratio");
    assert_eq!(indicator["numerator"], 404.0);
    assert_eq!(indicator["denominator"], 449.0);
    assert_eq!(indicator["value"].as_f64().unwrap().round(), 90.0);
    assert_eq!(indicator["target"], 80.0);
    assert_eq!(indicator["as_of"], "2026-03-27");
    assert_eq!(mbh["progress_percent"], 100.0);
    assert_eq!(mbh["status"], "met");
    assert_eq!(mbh["status_label"], "Cumplida");
    assert_eq!(mbh["due"], "Diciembre 2025");
    assert_eq!(
        mbh["footnote"],
        "Durante los 21 eventos realizados en 2025 del programa Mi Barrio Habla, se establecieron un total de 449 acuerdos, de los cuales 404 han sido concluidos, lo que representa el 90% de acuerdos atendidos."
    );
    // Read at a date when fewer agreements were concluded, the same goal is still on track.
    let earlier = app
        .json(&format!("/api/v1/plans/{plan}/goals?as_of=2025-06-30"))
        .await;
    let earlier = earlier
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["axis"] == "Mi Barrio Habla")
        .unwrap()
        .clone();
    assert!(earlier["indicator"]["denominator"].as_f64().unwrap() < 449.0);
    assert_ne!(earlier["status"], "met");

    // Cabildo Abierto Juvenil: two milestones met with their notes; training scheduled
    // March-July, on track in March.
    let caj: Vec<&Value> = goals
        .iter()
        .filter(|g| g["axis"] == "Cabildo Abierto Juvenil")
        .collect();
    assert_eq!(caj.len(), 3);
    assert_eq!(caj[0]["status"], "met");
    assert_eq!(
        caj[0]["footnote"],
        "Sesión del Comité de Selección realizada el 18 de febrero de 2026."
    );
    assert_eq!(caj[1]["progress_percent"], 100.0);
    assert_eq!(caj[2]["status"], "on_track");
    let scheduled = app
        .json(&format!("/api/v1/plans/{plan}/goals?as_of=2026-02-15"))
        .await;
    let training = scheduled
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["id"] == caj[2]["id"])
        .unwrap()
        .clone();
    assert_eq!(training["status"], "scheduled");
    assert_eq!(caj[0]["indicator"]["kind"], "milestone");

    let summary = app
        .json(&format!("/api/v1/plans/{plan}?as_of=2026-03-27"))
        .await;
    let datos = summary["commitments"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["title"] == "Datos Abiertos")
        .unwrap();
    assert!(datos["progress_percent"].is_null());
    assert_eq!(datos["notes"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn the_quarterly_report_for_2024_q3_is_the_fifth_and_matches_its_golden_file() {
    let app = spawn_app().await;
    let plan = plan_id(&app, "2023-2024").await;
    let report = app
        .json(&format!(
            "/api/v1/reports/quarterly?plan={plan}&quarter=2024-Q3"
        ))
        .await;
    assert_eq!(report["number"], 5);
    assert!(report["title"]
        .as_str()
        .unwrap()
        .starts_with("Quinto informe trimestral de actividades del periodo julio-septiembre 2024"));
    let pp = &report["commitments"][0];
    assert_eq!(pp["title"], "Presupuesto Participativo");
    // Every figure of Presupuesto Participativo agrees with the works' dated stages.
    for month in pp["months"].as_array().unwrap() {
        for figure in month["done"].as_array().unwrap() {
            assert_eq!(
                figure["quantity"], figure["records_value"],
                "{} in {}",
                figure["measure"], month["month"]
            );
            assert!(figure["records_link"]
                .as_str()
                .unwrap()
                .starts_with("/programas/presupuesto-participativo?fecha="));
        }
    }
    let mbh = &report["commitments"][1];
    assert_eq!(
        mbh["summary"],
        "Del periodo que se informa, se reportaron 3 intervenciones y 69 acuerdos de mejora."
    );
    assert_eq!(
        mbh["months"][0]["done_text"],
        "2 intervenciones con fecha 13 y 27 de julio; 45 acuerdos de mejora"
    );
    assert_eq!(mbh["months"][0]["fulfilment"][0]["planned"], 3);
    assert_eq!(mbh["months"][0]["fulfilment"][0]["done"], 2);
    assert_eq!(report["people_trained"], 120);
    assert_eq!(report["trained_units"].as_array().unwrap().len(), 6);
    let centres = report["outreach"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["kind"] == "community_centre")
        .unwrap();
    assert_eq!(centres["rows"].as_array().unwrap().len(), 6);
    // Presented in the 3ª Extraordinaria of 13 September: the sessions before it.
    let sessions: Vec<&str> = report["sessions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["title"].as_str().unwrap())
        .collect();
    assert_eq!(sessions, ["2ª Sesión Extraordinaria"]);

    let markdown = app
        .get_text(&format!(
            "/api/v1/reports/quarterly?plan={plan}&quarter=2024-Q3&format=md"
        ))
        .await;
    let golden = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden/informe-trimestral-2024-Q3.md");
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&golden, &markdown).unwrap();
    }
    let expected =
        std::fs::read_to_string(&golden).expect("golden file (UPDATE_GOLDEN=1 writes it)");
    assert_eq!(
        markdown,
        expected,
        "the report differs from {}",
        golden.display()
    );
}

#[tokio::test]
async fn bad_report_queries_are_refused_with_their_codes() {
    let app = spawn_app().await;
    let plan = plan_id(&app, "2023-2024").await;
    for (query, code) in [
        (format!("plan={plan}&quarter=2024-Q5"), "invalid_quarter"),
        (
            format!("plan={plan}&quarter=2025-Q1"),
            "quarter_outside_plan",
        ),
        (
            format!("plan={plan}&quarter=2023-Q2"),
            "quarter_outside_plan",
        ),
        ("plan=abc&quarter=2024-Q3".to_owned(), "invalid_plan"),
        (
            format!("plan={plan}&quarter=2024-Q3&format=pdf"),
            "invalid_format",
        ),
    ] {
        let response = app.get(&format!("/api/v1/reports/quarterly?{query}")).await;
        assert_eq!(response.status(), 422, "{query}");
        let (got, _, message) = envelope(response).await;
        assert_eq!(got, code, "{query}");
        assert!(!message.is_empty());
    }
    let response = app
        .get("/api/v1/reports/quarterly?plan=999&quarter=2024-Q3")
        .await;
    assert_eq!(response.status(), 404);
    let response = app
        .get(&format!("/api/v1/plans/{plan}/goals?as_of=ayer"))
        .await;
    assert_eq!(envelope(response).await.0, "invalid_date");
}

#[tokio::test]
async fn the_goal_tracking_table_is_read_on_the_day_it_was_presented() {
    let app = spawn_app().await;
    let plan = plan_id(&app, "2025-2027").await;
    let table = app
        .json(&format!("/api/v1/plans/{plan}/tracking?quarter=2026-Q1"))
        .await;
    assert_eq!(table["as_of"], "2026-03-27");
    assert_eq!(table["presented_in"]["title"], "1ª Sesión Ordinaria");
    let rows = table["rows"].as_array().unwrap();
    assert_eq!(rows[0]["axis"], "Mi Barrio Habla");
    assert_eq!(rows[0]["progress"], "100%");
    assert_eq!(rows[0]["marker"], "*");
    assert_eq!(rows[1]["marker"], "**");
    assert_eq!(rows[2]["marker"], "***");
    let markdown = app
        .get_text(&format!(
            "/api/v1/plans/{plan}/tracking?quarter=2026-Q1&format=md"
        ))
        .await;
    assert!(markdown.contains("| Mi Barrio Habla | Contar con al menos el 80%"));
    assert!(markdown.contains("| Diciembre 2025 | 100% | Cumplida |"));
    assert!(markdown.contains("\\*\\* Sesión de Abanderamiento del Cabildo Abierto Juvenil realizada el 12 de marzo de 2026."));
}

#[tokio::test]
async fn a_unit_files_a_draft_the_secretariat_publishes_and_bad_figures_are_refused() {
    let app = spawn_app().await;
    let plan = plan_id(&app, "2023-2024").await;
    let pp = commitment_id(&app, plan, "Presupuesto Participativo").await;
    let pl = commitment_id(&app, plan, "Pregunta León").await;
    let path = format!("/api/v1/commitments/{pp}/reports/2024-08");
    let draft = json!({"text": "", "lines": [
        {"measure": "obras contratadas", "quantity": 14, "source": "works_in_stage:contracted"}
    ]});

    // Signed out: 401. A unit of another program: 403.
    assert_eq!(app.put_json(&path, &draft).await.status(), 401);
    app.login(UNIT).await;
    let other = format!("/api/v1/commitments/{pl}/reports/2024-08");
    assert_eq!(app.put_json(&other, &draft).await.status(), 403);

    for (body, code) in [
        (
            json!({"lines": [{"measure": "obras", "quantity": -3}]}),
            "quantity_negative",
        ),
        (
            json!({"lines": [{"measure": "obras", "quantity": "doce"}]}),
            "quantity_not_a_number",
        ),
        (
            json!({"lines": [{"measure": "obras", "quantity": 2.5}]}),
            "quantity_not_a_number",
        ),
        (
            json!({"lines": [{"measure": " ", "quantity": 2}]}),
            "measure_required",
        ),
        (
            json!({"lines": [{"measure": "obras", "quantity": 2, "source": "likes"}]}),
            "invalid_measure",
        ),
        (
            json!({"lines": [{"measure": "obras", "quantity": 2, "dates": ["30/08/2024"]}]}),
            "invalid_date",
        ),
    ] {
        let response = app.put_json(&path, &body).await;
        assert_eq!(response.status(), 422, "{body}");
        assert_eq!(envelope(response).await.0, code, "{body}");
    }
    let outside = app
        .put_json(&format!("/api/v1/commitments/{pp}/reports/2025-01"), &draft)
        .await;
    assert_eq!(envelope(outside).await.0, "month_outside_plan");
    let bad_month = app
        .put_json(&format!("/api/v1/commitments/{pp}/reports/agosto"), &draft)
        .await;
    assert_eq!(envelope(bad_month).await.0, "invalid_month");

    assert_eq!(app.put_json(&path, &draft).await.status(), 204);
    // Not public until published; the unit cannot publish.
    let schedule = app
        .json(&format!("/api/v1/commitments/{pp}/schedule"))
        .await;
    let august = schedule
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["month"] == "2024-08")
        .unwrap();
    assert!(august["done"].is_null());
    let publish = format!("{path}/publication");
    assert_eq!(app.post_json(&publish, "{}").await.status(), 403);

    // Signing in again as the secretariat replaces the unit's session.
    app.login(STAFF).await;
    assert_eq!(app.post_json(&publish, "{}").await.status(), 204);
    let again = app.post_json(&publish, "{}").await;
    assert_eq!(envelope(again).await.0, "no_draft_to_publish");
    let schedule = app
        .json(&format!("/api/v1/commitments/{pp}/schedule"))
        .await;
    let august = schedule
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["month"] == "2024-08")
        .unwrap();
    assert_eq!(august["done"][0]["quantity"], 14);
}

#[tokio::test]
async fn readings_are_only_for_milestones_and_manual_goals_with_a_note() {
    let app = spawn_app().await;
    let plan = plan_id(&app, "2025-2027").await;
    let goals = app.json(&format!("/api/v1/plans/{plan}/goals")).await;
    let goals = goals.as_array().unwrap();
    let mbh = goals[0]["id"].as_i64().unwrap();
    let training = goals[3]["id"].as_i64().unwrap();
    let reading = json!({"read_on": "2026-07-15", "value": 100, "note": "Quinta sesión de la Escuela Ciudadana Juvenil."});
    assert_eq!(
        app.post_value(&format!("/api/v1/goals/{training}/readings"), &reading)
            .await
            .status(),
        401
    );
    app.login(STAFF).await;
    let refused = app
        .post_value(&format!("/api/v1/goals/{mbh}/readings"), &reading)
        .await;
    assert_eq!(envelope(refused).await.0, "reading_computed_from_records");
    let no_note = app
        .post_value(
            &format!("/api/v1/goals/{training}/readings"),
            &json!({"read_on": "2026-07-15", "value": 100, "note": " "}),
        )
        .await;
    assert_eq!(envelope(no_note).await.0, "evidence_note_required");
    let ok = app
        .post_value(&format!("/api/v1/goals/{training}/readings"), &reading)
        .await;
    assert_eq!(ok.status(), 204);
    let goal = app
        .json(&format!("/api/v1/goals/{training}?as_of=2026-07-31"))
        .await;
    assert_eq!(goal["status"], "met");
    assert!(!goal["history"].as_array().unwrap().is_empty());
}

#[tokio::test]
async fn the_public_dashboard_draws_progress_filters_and_exports_without_javascript() {
    let app = spawn_app().await;
    let plan = plan_id(&app, "2025-2027").await;
    // Every plan is listed, with its period, its stage and its progress.
    let list = app.get_text("/plan-de-accion").await;
    let older = plan_id(&app, "2023-2024").await;
    for id in [plan, older] {
        assert!(
            list.contains(&format!("href=\"/plan-de-accion/{id}\"")),
            "{list}"
        );
    }
    assert!(
        list.contains("1 de enero de 2025"),
        "the period in words: {list}"
    );
    assert!(
        list.contains("En curso") && list.contains("Concluido"),
        "{list}"
    );
    let html = app
        .get_text(&format!("/plan-de-accion/{plan}?fecha=2026-03-27"))
        .await;
    assert!(html.contains("<svg class=\"bar\" role=\"img\""));
    // Beside the capped bar, the indicator's value against its target.
    assert!(html.contains("404 / 449 = 90% (meta: 80%)"), "{html}");
    assert!(html.contains("27 de marzo de 2026"), "the date in words");
    assert!(html.contains("Cabildo Abierto Juvenil"));
    assert!(html.contains("Cumplida"));
    assert!(!html.contains("<script"));
    assert!(html.contains("aria-current=\"page\""));
    // Filtered by status: only the scheduled-or-on-track goal remains.
    let filtered = app
        .get_text(&format!(
            "/plan-de-accion/{plan}?fecha=2026-03-27&estatus=on_track"
        ))
        .await;
    assert!(filtered.contains("Proceso de Capacitación"));
    assert!(!filtered.contains("Contar con al menos el 80%"));
    // In English, the statuses and dates are English.
    app.post_form("/idioma", &[("lang", "en")]).await;
    let english = app
        .get_text(&format!("/plan-de-accion/{plan}?fecha=2026-03-27"))
        .await;
    assert!(
        english.contains(">Met<") && english.contains("27 March 2026"),
        "{english}"
    );
    for spanish in [
        "Cumplida",
        "En tiempo",
        "Vencida",
        "27 de marzo de 2026",
        "Datos al",
    ] {
        let at = english.find(spanish).unwrap_or_default();
        let around = english
            .get(at.saturating_sub(120)..at + 40)
            .unwrap_or_default();
        assert!(
            !english.contains(spanish),
            "{spanish} in English mode: {around}"
        );
    }
    app.post_form("/idioma", &[("lang", "es")]).await;

    let goals = app
        .json(&format!("/api/v1/plans/{plan}/goals?as_of=2026-03-27"))
        .await;
    let mbh = goals[0]["id"].as_i64().unwrap();
    let page = app
        .get_text(&format!("/metas/{mbh}?fecha=2026-03-27"))
        .await;
    assert!(page.contains("<polyline points="));
    assert!(page.contains("404 / 449"));
    assert!(page.contains("/programas/mi-barrio-habla?desde=2025-01-01"));

    let csv = app
        .get(&format!(
            "/plan-de-accion/{plan}/metas.csv?fecha=2026-03-27"
        ))
        .await;
    assert_eq!(csv.status(), 200);
    assert!(csv.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    let text = csv.text().await.unwrap();
    let mut reader = csv_reader(&text);
    let headers = reader.headers().unwrap().clone();
    assert_eq!(&headers[0], "meta_id");
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    assert_eq!(rows.len(), 4);
    assert_eq!(&rows[0][5], "404");
    assert_eq!(&rows[0][11], "met");
    let json: Value = app
        .get(&format!("/plan-de-accion/{plan}/metas.json"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(json.as_array().unwrap().len(), 4);

    let tracking = app
        .get_text(&format!(
            "/plan-de-accion/{plan}/seguimiento?trimestre=2026-Q1"
        ))
        .await;
    assert!(tracking.contains("Fecha establecida de cumplimiento"));
    assert!(tracking.contains("Durante los 21 eventos realizados en 2025"));
}

fn csv_reader(text: &str) -> csv::Reader<&[u8]> {
    csv::Reader::from_reader(text.as_bytes())
}

#[tokio::test]
async fn the_report_page_links_every_figure_to_its_records() {
    let app = spawn_app().await;
    let plan = plan_id(&app, "2023-2024").await;
    let html = app
        .get_text(&format!("/plan-de-accion/{plan}/informes/2024-Q3"))
        .await;
    assert!(html.contains("Quinto informe trimestral"));
    assert!(html.contains("/programas/presupuesto-participativo?fecha=2024-07-31"));
    let works = app
        .get_text("/programas/presupuesto-participativo?fecha=2024-09-30")
        .await;
    assert!(works.contains("obra entregada: 3"));
    assert!(works.contains("proyecto ejecutivo concluido: 21"));
    let mbh = app
        .get_text("/programas/mi-barrio-habla?desde=2024-07-01&hasta=2024-07-31")
        .await;
    assert!(mbh.contains("45 acuerdos de mejora generados"));
    let csv = app
        .get_text("/programas/acciones-complementarias.csv?desde=2024-07-01&hasta=2024-09-30")
        .await;
    assert_eq!(csv.lines().count(), 13);
    let md = app
        .get_text(&format!(
            "/plan-de-accion/{plan}/informes/2024-Q3?formato=md"
        ))
        .await;
    assert!(md.starts_with("# Quinto informe trimestral"));

    assert_eq!(app.get("/programas/desconocido").await.status(), 404);
    let bad = app
        .get("/programas/mi-barrio-habla?desde=2024-09-01&hasta=2024-07-01")
        .await;
    assert_eq!(bad.status(), 422);
    let bad = app.get("/programas/mi-barrio-habla?desde=ayer").await;
    assert_eq!(bad.status(), 422);
    assert!(bad.text().await.unwrap().contains("AAAA-MM-DD"));
    assert_eq!(
        app.get(&format!("/plan-de-accion/{plan}/informes/2024-Q9"))
            .await
            .status(),
        422
    );
}

#[tokio::test]
async fn an_axis_without_goals_says_why_it_has_no_progress() {
    let app = spawn_app().await;
    let mut explained = 0;
    for title_end in ["2023-2024", "2025-2027"] {
        let plan = plan_id(&app, title_end).await;
        let html = app.get_text(&format!("/plan-de-accion/{plan}")).await;
        // Each axis is a section after the filters; an axis without goals has no table.
        for section in html.split("<section aria-labelledby=\"c-").skip(1) {
            let section = section.split("</section>").next().unwrap();
            let has_goals = section.contains("<table>");
            let says_why = section.contains("todavía no tiene metas registradas");
            assert_eq!(has_goals, !says_why, "{section}");
            explained += usize::from(says_why);
        }
    }
    assert!(explained > 0, "the demo has an axis with no goals yet");
}
