//! CSV imports: plans, commitments and goals by external id (a re-import updates, never
//! duplicates), agreements and works' stage changes, each bad file refused row by row with
//! its code and Spanish message, all-or-nothing unless row-level is chosen, and nothing stored
//! lost.

use reqwest::multipart::{Form, Part};
use serde_json::Value;

use crate::helpers::{spawn_app, TestApp, STAFF};
use crate::plans::UNIT;

async fn post_csv(app: &TestApp, kind: &str, mode: &str, csv: &[u8]) -> (u16, Value) {
    let response = app
        .client
        .post(app.url(&format!("/api/v1/imports/{kind}?mode={mode}")))
        .header("content-type", "text/csv; charset=utf-8")
        .body(csv.to_vec())
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap())
}

/// (row, field, code) of each problem.
fn problems(report: &Value) -> Vec<(u64, String, String)> {
    report["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["row"].as_u64().unwrap(),
                p["field"].as_str().unwrap_or_default().to_owned(),
                p["code"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn problem(row: u64, field: &str, code: &str) -> (u64, String, String) {
    (row, field.to_owned(), code.to_owned())
}

async fn plan_titles(app: &TestApp) -> Vec<String> {
    app.json("/api/v1/plans")
        .await
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["title"].as_str().unwrap().to_owned())
        .collect()
}

const PLANS: &str = "external_id,title,body,period_start,period_end\n\
    pamga-2027,Plan de Acción Municipal de Gobierno Abierto 2027,STMGA 2025-2027,2027-01-01,2027-12-31\n";

const COMMITMENTS: &str = "external_id,plan,title,unit,weight\n\
    pamga-2027-pp,pamga-2027,Presupuesto Participativo,Dirección de Presupuesto Participativo y Delegaciones,0.6\n\
    pamga-2027-mbh,pamga-2027,Mi Barrio Habla,,0.4\n";

#[tokio::test]
async fn a_plan_goes_in_by_external_id_and_a_reimport_updates_it() {
    let app = spawn_app().await;
    app.login(STAFF).await;
    let (status, report) = post_csv(&app, "plans", "all", PLANS.as_bytes()).await;
    assert_eq!(status, 200, "{report}");
    assert_eq!(report["created"], 1);
    let (status, report) = post_csv(&app, "commitments", "all", COMMITMENTS.as_bytes()).await;
    assert_eq!(status, 200, "{report}");
    assert_eq!(report["created"], 2);
    let goals = "external_id,commitment,statement,kind,numerator,target,due_on,window_start\n\
        pamga-2027-pp-obras,pamga-2027-pp,Entregar 40 obras,count,works_in_stage:delivered,40,2027-12-31,2027-03-01\n";
    let (status, report) = post_csv(&app, "goals", "all", goals.as_bytes()).await;
    assert_eq!(status, 200, "{report}");

    // The same files again, one title changed: updated in place, nothing duplicated.
    let before = plan_titles(&app).await;
    let renamed = PLANS.replace(
        "Gobierno Abierto 2027",
        "Gobierno Abierto 2027 (actualizado)",
    );
    let (status, report) = post_csv(&app, "plans", "all", renamed.as_bytes()).await;
    assert_eq!(status, 200);
    assert_eq!(
        (report["created"].as_u64(), report["updated"].as_u64()),
        (Some(0), Some(1))
    );
    let (_, report) = post_csv(&app, "commitments", "all", COMMITMENTS.as_bytes()).await;
    assert_eq!(report["updated"], 2);
    let after = plan_titles(&app).await;
    assert_eq!(after.len(), before.len());
    assert!(after.iter().any(|t| t.ends_with("2027 (actualizado)")));

    let plan = crate::plans::plan_id(&app, "2027 (actualizado)").await;
    let detail = app.json(&format!("/api/v1/plans/{plan}")).await;
    let commitments = detail["commitments"].as_array().unwrap();
    assert_eq!(commitments.len(), 2);
    let goals = app.json(&format!("/api/v1/plans/{plan}/goals")).await;
    assert_eq!(goals[0]["indicator"]["kind"], "count");
    assert_eq!(goals[0]["indicator"]["target"], 40.0);
}

#[tokio::test]
async fn a_faulty_file_is_refused_with_each_row_named_and_nothing_changes() {
    let app = spawn_app().await;
    app.login(STAFF).await;
    post_csv(&app, "plans", "all", PLANS.as_bytes()).await;
    let before = plan_titles(&app).await;

    // Unknown and missing columns.
    let (status, report) = post_csv(
        &app,
        "plans",
        "all",
        b"external_id,title,body,period_start,color\nx,X,STMGA 2025-2027,2027-01-01,rojo\n",
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(
        problems(&report),
        vec![
            problem(1, "color", "csv_unknown_column"),
            problem(1, "period_end", "csv_missing_column"),
        ]
    );
    assert_eq!(
        report["problems"][0]["message"],
        "Columna desconocida: corrige su nombre o quítala."
    );
    assert_eq!(report["applied"], false);

    // Latin-1 bytes instead of UTF-8, on the third line.
    let mut latin1 = PLANS.as_bytes().to_vec();
    latin1.extend_from_slice(b"pamga-x,Participaci\xf3n,STMGA 2025-2027,2027-01-01,2027-12-31\n");
    let (status, report) = post_csv(&app, "plans", "all", &latin1).await;
    assert_eq!(status, 422);
    assert_eq!(problems(&report), vec![problem(3, "", "csv_bad_encoding")]);

    // The same external id twice, and a row with a bad date: all or nothing refuses the file.
    let twice = format!(
        "{PLANS}pamga-2027,Otro título,STMGA 2025-2027,2027-01-01,2027-12-31\n\
         pamga-2028,Plan 2028,STMGA 2025-2027,2028-01-01,31/12/2028\n"
    );
    let (status, report) = post_csv(&app, "plans", "all", twice.as_bytes()).await;
    assert_eq!(status, 422);
    assert_eq!(
        problems(&report),
        vec![
            problem(3, "external_id", "duplicate_external_id"),
            problem(4, "period_end", "invalid_date"),
        ]
    );
    assert_eq!(report["rejected"], 2);
    assert_eq!(plan_titles(&app).await, before, "nothing was written");

    // Weights that do not sum to 1 refuse every row of that plan.
    let weights = COMMITMENTS.replace(",0.4", ",0.3");
    let (status, report) = post_csv(&app, "commitments", "all", weights.as_bytes()).await;
    assert_eq!(status, 422);
    assert_eq!(
        problems(&report),
        vec![
            problem(2, "weight", "weights_must_sum_to_one"),
            problem(3, "weight", "weights_must_sum_to_one"),
        ]
    );

    // Unknown references.
    let (_, report) = post_csv(
        &app,
        "commitments",
        "all",
        "external_id,plan,title,unit\nc1,no-existe,Título,\nc2,pamga-2027,Título,Dirección Inventada\n"
            .as_bytes(),
    )
    .await;
    assert_eq!(
        problems(&report),
        vec![
            problem(2, "plan", "unknown_plan"),
            problem(3, "unit", "unknown_unit"),
        ]
    );
    let plan = crate::plans::plan_id(&app, "Gobierno Abierto 2027").await;
    let detail = app.json(&format!("/api/v1/plans/{plan}")).await;
    assert!(detail["commitments"].as_array().unwrap().is_empty());
}

#[tokio::test]
async fn row_level_mode_takes_the_valid_rows_and_reports_the_others() {
    let app = spawn_app().await;
    app.login(STAFF).await;
    let csv = "external_id,description,status,created_on,concluded_on,unit\n\
        MBH-2024-07-13-01,Alumbrado en la calle principal,concluded,2024-07-13,2024-08-02,\n\
        MBH-2026-01,Bacheo de la avenida,concluded,2026-02-10,2026-01-05,\n\
        MBH-2026-02,Poda de árboles del parque,open,2026-02-10,,Dirección de Contraloría Social\n";
    let (status, report) = post_csv(&app, "agreements", "rows", csv.as_bytes()).await;
    assert_eq!(status, 200, "{report}");
    assert_eq!(report["applied"], true);
    assert_eq!(
        (report["created"].as_u64(), report["updated"].as_u64()),
        (Some(1), Some(1))
    );
    assert_eq!(
        problems(&report),
        vec![problem(3, "concluded_on", "concluded_before_created")]
    );
    let mbh = app
        .get_text("/programas/mi-barrio-habla.csv?desde=2026-01-01&hasta=2026-12-31")
        .await;
    assert!(mbh.contains("Poda de árboles del parque"));
    assert!(!mbh.contains("Bacheo de la avenida"));
    let july = app
        .get_text("/programas/mi-barrio-habla.csv?desde=2024-07-13&hasta=2024-07-13")
        .await;
    assert!(
        july.contains("Alumbrado en la calle principal"),
        "updated in place"
    );
    let day = chrono::NaiveDate::from_ymd_opt(2024, 7, 13).unwrap();
    let span = abierto_store::Span { from: day, to: day };
    let updated = app.store.agreements(span).await.unwrap();
    let updated = updated
        .iter()
        .find(|a| a.external_id.as_deref() == Some("MBH-2024-07-13-01"))
        .unwrap();
    assert!(
        updated.event.is_some(),
        "a column left out of the file (event) keeps what was stored"
    );

    // The same file all-or-nothing writes nothing.
    let again = csv.replace("MBH-2026-02", "MBH-2026-03");
    let (status, _) = post_csv(&app, "agreements", "all", again.as_bytes()).await;
    assert_eq!(status, 422);
    let mbh = app
        .get_text("/programas/mi-barrio-habla.csv?desde=2026-01-01&hasta=2026-12-31")
        .await;
    assert_eq!(mbh.matches("Poda de árboles del parque").count(), 1);
}

#[tokio::test]
async fn stage_changes_follow_each_works_history() {
    let app = spawn_app().await;
    app.login(STAFF).await;
    let delivered_before = works_delivered(&app).await;
    // PP-2024-004 was contracted on 14 June 2024; going back needs a reason; a new work needs
    // a name; rows of one work are checked in order.
    let csv = "work,stage,changed_on,reason,name\n\
        PP-2024-004,in_execution,2024-10-01,,\n\
        PP-2024-004,delivered,2024-11-15,,\n\
        PP-2024-005,executive_project,2024-10-01,,\n\
        PP-2024-006,executive_project,2024-10-01,Se rehízo el proyecto por cambio de predio,\n\
        PP-2024-999,winner,2024-10-01,,\n\
        PP-2024-081,winner,2024-10-01,,Cancha de usos múltiples\n";
    let (status, report) = post_csv(&app, "work_stages", "all", csv.as_bytes()).await;
    assert_eq!(status, 422);
    assert_eq!(
        problems(&report),
        vec![
            problem(4, "reason", "stage_backwards_without_reason"),
            problem(6, "work", "unknown_work"),
        ]
    );
    assert_eq!(works_delivered(&app).await, delivered_before);

    let (status, report) = post_csv(&app, "work_stages", "rows", csv.as_bytes()).await;
    assert_eq!(status, 200, "{report}");
    assert_eq!(report["created"], 4);
    assert_eq!(works_delivered(&app).await, delivered_before + 1);
}

async fn works_delivered(app: &TestApp) -> usize {
    app.get_text("/programas/presupuesto-participativo.csv?fecha=2024-12-31")
        .await
        .lines()
        .filter(|l| l.contains("obra entregada"))
        .count()
}

#[tokio::test]
async fn imports_are_for_the_secretariat_and_need_a_csv_body() {
    let app = spawn_app().await;
    let (status, _) = post_csv(&app, "plans", "all", PLANS.as_bytes()).await;
    assert_eq!(status, 401);
    app.login(UNIT).await;
    let (status, _) = post_csv(&app, "plans", "all", PLANS.as_bytes()).await;
    assert_eq!(status, 403);
    app.login(STAFF).await;
    let response = app.post_json("/api/v1/imports/plans", "{}").await;
    assert_eq!(response.status(), 415);
    // A kind the importer does not know names nothing; a mode of the wrong shape is a bad
    // query. Both with the error envelope, 422 being the row-by-row report's.
    let (status, report) = post_csv(&app, "planes", "all", PLANS.as_bytes()).await;
    assert_eq!(status, 404);
    assert_eq!(report["error"]["code"], "not_found");
    let (status, report) = post_csv(&app, "plans", "todo", PLANS.as_bytes()).await;
    assert_eq!(status, 400);
    assert_eq!(
        (&report["error"]["code"], &report["error"]["field"]),
        (&"invalid_field".into(), &"mode".into())
    );
}

#[tokio::test]
async fn the_import_page_shows_the_report_row_by_row() {
    let app = spawn_app().await;
    app.login(STAFF).await;
    let page = app.get_text("/secretariado/importar").await;
    assert!(page.contains("Importar desde CSV"));
    // Each column by its Spanish name, with the English one it also takes.
    assert!(page.contains("<code>clave</code></th><td><code>external_id</code>"));

    let upload = |csv: &'static str, mode: &'static str| {
        let app = &app;
        async move {
            let form = Form::new()
                .text("csrf_token", app.csrf_token().await)
                .text("kind", "plans")
                .text("mode", mode)
                .part(
                    "file",
                    Part::bytes(csv.as_bytes().to_vec()).file_name("planes.csv"),
                );
            app.client
                .post(app.url("/secretariado/importar"))
                .multipart(form)
                .send()
                .await
                .unwrap()
        }
    };
    let response = upload(
        "external_id,title,body,period_start,period_end\nx,<script>alert(1)</script>,Órgano inventado,2027-01-01,2027-12-31\n",
        "all",
    )
    .await;
    assert_eq!(response.status(), 422);
    let html = response.text().await.unwrap();
    assert!(html.contains("No se importó nada"));
    assert!(html.contains(
        "<td>2</td><td><code>body</code></td><td>El órgano colegiado indicado no existe.</td>"
    ));
    assert!(!html.contains("<script>alert(1)"));

    let response = upload(PLANS, "rows").await;
    assert_eq!(response.status(), 200);
    assert!(response
        .text()
        .await
        .unwrap()
        .contains("Importación realizada: 1 filas nuevas, 0 actualizadas."));
}

#[tokio::test]
async fn a_template_in_spanish_is_filled_with_spanish_words_and_goes_in() {
    let app = spawn_app().await;
    assert_eq!(
        app.get("/secretariado/importar/plantillas/work_stages.csv")
            .await
            .status(),
        303,
        "templates are for the secretariat"
    );
    app.login(STAFF).await;
    let page = app.get_text("/secretariado/importar").await;
    for kind in ["plans", "commitments", "goals", "agreements", "work_stages"] {
        assert!(
            page.contains(&format!("/secretariado/importar/plantillas/{kind}.csv")),
            "{kind}"
        );
    }
    assert!(
        page.contains("fecha_de_cumplimiento")
            && page.contains("Fecha establecida de cumplimiento, AAAA-MM-DD.")
    );
    let response = app
        .get("/secretariado/importar/plantillas/work_stages.csv")
        .await;
    assert_eq!(response.status(), 200);
    assert!(response.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .contains("plantilla-work_stages.csv"));
    let template = response.text().await.unwrap();
    assert_eq!(
        template,
        "\u{feff}obra,etapa,fecha_del_cambio,nombre_de_la_obra,colonia,motivo\r\n"
    );
    assert_eq!(
        app.get("/secretariado/importar/plantillas/otra.csv")
            .await
            .status(),
        404
    );

    // Filled as a person would: the stage in the reports' words, a header with accents.
    let delivered_before = works_delivered(&app).await;
    let filled = format!(
        "{}PP-2024-004,En ejecución,2024-10-01,,,\r\nPP-2024-004,Obra entregada,2024-11-15,,,\r\n",
        template.replace("fecha_del_cambio", "Fecha del cambio")
    );
    let (status, report) = post_csv(&app, "work_stages", "all", filled.as_bytes()).await;
    assert_eq!(status, 200, "{report}");
    assert_eq!(report["created"], 2);
    assert_eq!(works_delivered(&app).await, delivered_before + 1);

    // A fault is named by the column's Spanish name, as the file wrote it.
    let faulty = format!("{template}PP-2024-999,obra ganadora,2024-10-01,,,\r\n");
    let (status, report) = post_csv(&app, "work_stages", "all", faulty.as_bytes()).await;
    assert_eq!(status, 422);
    assert_eq!(problems(&report), vec![problem(2, "obra", "unknown_work")]);
}
