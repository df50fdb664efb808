//! Creating and editing an action plan and its commitments, over the API and from the
//! secretariat's forms: keys never reused, the approving session shown on the dashboard,
//! weights set together, and every bad input refused with nothing stored lost.

use serde_json::{json, Value};

use crate::helpers::{envelope, hidden_value, spawn_app, TestApp, STAFF};
use crate::plans::{plan_id, UNIT};

async fn body_id(app: &TestApp, short_name: &str) -> i64 {
    app.json("/api/v1/bodies")
        .await
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["short_name"] == short_name)
        .unwrap_or_else(|| panic!("no body {short_name}"))["id"]
        .as_i64()
        .unwrap()
}

async fn first_session_of(app: &TestApp, body: i64) -> (i64, String) {
    let sessions = app.json(&format!("/api/v1/sessions?body={body}")).await;
    let session = sessions.as_array().unwrap().last().expect("a session");
    (
        session["id"].as_i64().unwrap(),
        session["title"].as_str().unwrap().to_owned(),
    )
}

fn plan_json(body: i64, key: &str) -> Value {
    json!({"external_id": key, "title": "Plan de Acción Municipal de Gobierno Abierto 2028-2030",
        "body": body, "period_start": "2028-01-01", "period_end": "2030-12-31"})
}

async fn refusal(response: reqwest::Response) -> String {
    assert_eq!(response.status(), 422);
    envelope(response).await.0
}

#[tokio::test]
async fn the_secretariat_creates_and_edits_a_plan_over_the_api() {
    let app = spawn_app().await;
    let body = body_id(&app, "STMGA 2025-2027").await;
    let older = body_id(&app, "STMGA 2022-2024").await;
    let new = plan_json(body, "pamga-2028-2030");
    assert_eq!(app.post_value("/api/v1/plans", &new).await.status(), 401);
    app.login(UNIT).await;
    assert_eq!(app.post_value("/api/v1/plans", &new).await.status(), 403);
    app.login(STAFF).await;

    let response = app.post_value("/api/v1/plans", &new).await;
    assert_eq!(response.status(), 201);
    let id = response.json::<Value>().await.unwrap()["id"]
        .as_i64()
        .unwrap();
    let path = format!("/api/v1/plans/{id}");

    let mut bad = Vec::new();
    bad.push((plan_json(body, "pamga-2025-2027"), "key_taken"));
    let mut keyless = plan_json(body, "x");
    keyless["external_id"] = json!(" ");
    bad.push((keyless, "key_required"));
    let mut undated = plan_json(body, "otra");
    undated["period_start"] = json!("1/1/2028");
    bad.push((undated, "invalid_date"));
    let mut inverted = plan_json(body, "otra");
    inverted["period_end"] = json!("2027-12-31");
    bad.push((inverted, "period_ends_before_start"));
    bad.push((plan_json(9_999, "otra"), "unknown_body"));
    let mut untitled = plan_json(body, "otra");
    untitled["title"] = json!("");
    bad.push((untitled, "text_required"));
    for (request, code) in bad {
        let response = app.post_value("/api/v1/plans", &request).await;
        assert_eq!(refusal(response).await, code, "{request}");
    }
    let response = app.post_json("/api/v1/plans", "{\"title\": ").await;
    assert_eq!(response.status(), 400);
    let plans = app.json("/api/v1/plans").await;
    assert_eq!(
        plans.as_array().unwrap().len(),
        3,
        "only the new plan was added"
    );

    // The approving session must be one of the plan's body.
    let (foreign, _) = first_session_of(&app, older).await;
    let (approving, approving_title) = first_session_of(&app, body).await;
    let mut edit = plan_json(body, "ignored");
    edit["title"] = json!("PAMGA 2028-2030");
    edit["approved_in"] = json!(foreign);
    assert_eq!(
        refusal(app.put_json(&path, &edit).await).await,
        "session_of_other_body"
    );
    edit["approved_in"] = json!(9_999_999);
    assert_eq!(
        refusal(app.put_json(&path, &edit).await).await,
        "unknown_session"
    );
    edit["approved_in"] = json!(approving);
    assert_eq!(app.put_json(&path, &edit).await.status(), 204);
    let stored = app.json(&path).await;
    assert_eq!(stored["title"], "PAMGA 2028-2030");
    assert_eq!(stored["approved_in"], approving);
    let dashboard = app.get_text(&format!("/plan-de-accion/{id}")).await;
    assert!(
        dashboard.contains(&format!(
            "<a href=\"/sesiones/{approving}\">{approving_title}</a>"
        )),
        "the dashboard links the approving session"
    );
    assert_eq!(
        app.put_json("/api/v1/plans/9999", &edit).await.status(),
        404
    );

    // The demo's 2023-2024 plan has July-September 2024 planned: its period keeps them.
    let demo = plan_id(&app, "2023-2024").await;
    let before = app.json(&format!("/api/v1/plans/{demo}")).await;
    let mut shrink = plan_json(older, "ignored");
    shrink["title"] = before["title"].clone();
    shrink["period_start"] = before["period_start"].clone();
    shrink["period_end"] = json!("2024-06-30");
    let response = app
        .put_json(&format!("/api/v1/plans/{demo}"), &shrink)
        .await;
    assert_eq!(refusal(response).await, "period_leaves_out_months");
    let after = app.json(&format!("/api/v1/plans/{demo}")).await;
    assert_eq!(after["period_end"], before["period_end"]);
}

#[tokio::test]
async fn commitments_are_added_edited_and_weighed_together_over_the_api() {
    let app = spawn_app().await;
    app.login(STAFF).await;
    let body = body_id(&app, "STMGA 2025-2027").await;
    let response = app
        .post_value("/api/v1/plans", &plan_json(body, "pamga-2028-2030"))
        .await;
    let plan = response.json::<Value>().await.unwrap()["id"]
        .as_i64()
        .unwrap();
    let commitments = format!("/api/v1/plans/{plan}/commitments");

    let first = json!({"external_id": "pamga-2028-mbh", "title": "Mi Barrio Habla",
        "unit": "Dirección de Contraloría Social", "weight": 1.0});
    let response = app.post_value(&commitments, &first).await;
    assert_eq!(response.status(), 201);
    let a = response.json::<Value>().await.unwrap()["id"]
        .as_i64()
        .unwrap();

    let second = json!({"external_id": "pamga-2028-pp", "title": "Presupuesto Participativo",
        "weight": 0.4});
    assert_eq!(
        refusal(app.post_value(&commitments, &second).await).await,
        "weights_must_sum_to_one"
    );
    let mut unweighted = second.clone();
    unweighted["weight"] = Value::Null;
    assert_eq!(
        refusal(app.post_value(&commitments, &unweighted).await).await,
        "weights_incomplete"
    );
    let mut reused = second.clone();
    reused["external_id"] = json!("pamga-2028-mbh");
    assert_eq!(
        refusal(app.post_value(&commitments, &reused).await).await,
        "key_taken"
    );
    let mut unknown_unit = second.clone();
    unknown_unit["unit"] = json!("Dirección Inventada");
    assert_eq!(
        refusal(app.post_value(&commitments, &unknown_unit).await).await,
        "unknown_unit"
    );
    let detail = app.json(&format!("/api/v1/plans/{plan}")).await;
    assert_eq!(detail["commitments"].as_array().unwrap().len(), 1);

    let mut reweighed = second.clone();
    reweighed["other_weights"] = json!([{"commitment": a, "weight": 0.6}]);
    let response = app.post_value(&commitments, &reweighed).await;
    assert_eq!(response.status(), 201);
    let b = response.json::<Value>().await.unwrap()["id"]
        .as_i64()
        .unwrap();
    let weights_of = |detail: &Value| -> Vec<Value> {
        detail["commitments"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["weight"].clone())
            .collect()
    };
    let detail = app.json(&format!("/api/v1/plans/{plan}")).await;
    assert_eq!(weights_of(&detail), vec![json!(0.6), json!(0.4)]);

    let weights = format!("/api/v1/plans/{plan}/weights");
    let lopsided = json!({"weights": [{"commitment": a, "weight": 0.7}]});
    assert_eq!(
        refusal(app.put_json(&weights, &lopsided).await).await,
        "weights_must_sum_to_one"
    );
    let too_big =
        json!({"weights": [{"commitment": a, "weight": 1.5}, {"commitment": b, "weight": -0.5}]});
    assert_eq!(
        refusal(app.put_json(&weights, &too_big).await).await,
        "invalid_weight"
    );
    let cleared =
        json!({"weights": [{"commitment": a, "weight": null}, {"commitment": b, "weight": null}]});
    assert_eq!(app.put_json(&weights, &cleared).await.status(), 204);
    let detail = app.json(&format!("/api/v1/plans/{plan}")).await;
    assert_eq!(weights_of(&detail), vec![Value::Null, Value::Null]);

    let edit = json!({"title": "Presupuesto Participativo León", "description": "Obras elegidas por la ciudadanía",
        "unit": "Dirección de Contraloría Social"});
    let path = format!("/api/v1/commitments/{b}");
    assert_eq!(app.put_json(&path, &edit).await.status(), 204);
    let detail = app.json(&format!("/api/v1/plans/{plan}")).await;
    let stored = &detail["commitments"][1];
    assert_eq!(stored["title"], "Presupuesto Participativo León");
    assert_eq!(stored["unit"], "Dirección de Contraloría Social");
    let blank = json!({"title": "  "});
    assert_eq!(
        refusal(app.put_json(&path, &blank).await).await,
        "text_required"
    );
    assert_eq!(
        app.put_json("/api/v1/commitments/999999", &edit)
            .await
            .status(),
        404
    );
    assert_eq!(
        app.post_value("/api/v1/plans/999999/commitments", &first)
            .await
            .status(),
        404
    );
}

#[tokio::test]
async fn the_secretariat_builds_a_plan_from_the_forms_and_a_refused_form_keeps_what_was_typed() {
    let app = spawn_app().await;
    let anonymous = app.get("/plan-de-accion/nuevo").await;
    assert_ne!(
        anonymous.status(),
        200,
        "only the secretariat sees the form"
    );
    app.login(STAFF).await;
    let body = body_id(&app, "STMGA 2025-2027").await.to_string();
    let form = app.get_text("/plan-de-accion/nuevo").await;
    assert!(form.contains("<label for=\"approved_in\">"));

    let fields = |key: &'static str| {
        vec![
            ("external_id", key),
            (
                "title",
                "Plan de Acción Municipal de Gobierno Abierto 2028-2030",
            ),
            ("body", ""),
            ("period_start", "2028-01-01"),
            ("period_end", "2030-12-31"),
            ("approved_in", ""),
        ]
    };
    let mut taken = fields("pamga-2025-2027");
    taken[2].1 = &body;
    let response = app.post_form("/plan-de-accion/nuevo", &taken).await;
    assert_eq!(response.status(), 422);
    let page = response.text().await.unwrap();
    assert!(page.contains("Ya hay un registro con esa clave"), "{page}");
    assert!(page.contains("value=\"Plan de Acción Municipal de Gobierno Abierto 2028-2030\""));

    let mut good = fields("pamga-2028-2030");
    good[2].1 = &body;
    let response = app.post_form("/plan-de-accion/nuevo", &good).await;
    assert_eq!(response.status(), 303);
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    assert!(location.ends_with("/editar?guardado=1"), "{location}");
    let plan: i64 = location.split('/').nth(2).unwrap().parse().unwrap();
    let edit_page = app.get_text(&location).await;
    assert!(edit_page.contains("Cambios guardados."));
    assert!(
        edit_page.contains("<code>pamga-2028-2030</code>"),
        "the key is shown, not editable"
    );

    let new_commitment = format!("/plan-de-accion/{plan}/compromisos/nuevo");
    let response = app
        .post_form(
            &new_commitment,
            &[
                ("external_id", "pamga-2028-mbh"),
                ("title", "Mi Barrio Habla"),
                ("unit", "Dirección de Contraloría Social"),
                ("new_weight", "1"),
            ],
        )
        .await;
    assert_eq!(response.status(), 303);
    let form = app.get_text(&new_commitment).await;
    let a = hidden_value(&form, "weight_of").expect("the other commitment's weight is on the form");
    let response = app
        .post_form(
            &new_commitment,
            &[
                ("external_id", "pamga-2028-pp"),
                ("title", "Presupuesto Participativo"),
                ("unit", ""),
                ("new_weight", "0,25"),
                ("weight_of", &a),
                ("weight", "0.5"),
            ],
        )
        .await;
    assert_eq!(response.status(), 422);
    let page = response.text().await.unwrap();
    assert!(page.contains("deben sumar 1"), "{page}");
    assert!(page.contains("value=\"Presupuesto Participativo\""));
    assert!(page.contains("value=\"0,25\""));
    let response = app
        .post_form(
            &new_commitment,
            &[
                ("external_id", "pamga-2028-pp"),
                ("title", "Presupuesto Participativo"),
                ("unit", ""),
                ("new_weight", "0,25"),
                ("weight_of", &a),
                ("weight", "0.75"),
            ],
        )
        .await;
    assert_eq!(response.status(), 303);
    let detail = app.json(&format!("/api/v1/plans/{plan}")).await;
    let b = detail["commitments"][1]["id"].as_i64().unwrap().to_string();
    assert_eq!(detail["commitments"][0]["weight"], json!(0.75));
    assert_eq!(detail["commitments"][1]["weight"], json!(0.25));

    let weights = format!("/plan-de-accion/{plan}/ponderaciones");
    let response = app
        .post_form(
            &weights,
            &[
                ("weight_of", &a),
                ("weight", "mucho"),
                ("weight_of", &b),
                ("weight", "0.25"),
            ],
        )
        .await;
    assert_eq!(response.status(), 422);
    assert!(response
        .text()
        .await
        .unwrap()
        .contains("El peso debe ser un número entre 0 y 1"));
    let response = app
        .post_form(
            &weights,
            &[
                ("weight_of", &a),
                ("weight", ""),
                ("weight_of", &b),
                ("weight", ""),
            ],
        )
        .await;
    assert_eq!(response.status(), 303);
    let detail = app.json(&format!("/api/v1/plans/{plan}")).await;
    assert_eq!(detail["commitments"][0]["weight"], Value::Null);

    let edit = format!("/compromisos/{b}/editar");
    let response = app
        .post_form(
            &edit,
            &[
                ("title", "Presupuesto Participativo León"),
                ("description", "Obras"),
                ("unit", "Dirección Inventada"),
            ],
        )
        .await;
    assert_eq!(response.status(), 422);
    assert!(response
        .text()
        .await
        .unwrap()
        .contains("No hay una Unidad Responsable con ese nombre."));
    let response = app
        .post_form(
            &edit,
            &[
                ("title", "Presupuesto Participativo León"),
                ("description", "Obras"),
                ("unit", "Dirección de Contraloría Social"),
            ],
        )
        .await;
    assert_eq!(response.status(), 303);
    let dashboard = app.get_text(&format!("/plan-de-accion/{plan}")).await;
    assert!(dashboard.contains("Presupuesto Participativo León"));
    assert!(dashboard.contains(&format!("href=\"/plan-de-accion/{plan}/editar\"")));

    let public = crate::helpers::new_client();
    let html = app.public_text(&format!("/plan-de-accion/{plan}")).await;
    assert!(!html.contains("/editar\""), "visitors see no edit links");
    let forged = public
        .post(app.url(&format!("/compromisos/{b}/editar")))
        .form(&[("title", "Hackeado")])
        .send()
        .await
        .unwrap();
    assert_ne!(forged.status(), 303);
    let detail = app.json(&format!("/api/v1/plans/{plan}")).await;
    assert_eq!(
        detail["commitments"][1]["title"],
        "Presupuesto Participativo León"
    );
}

/// A plan of the 2025-2027 body with one commitment, made over the API: (plan, commitment).
async fn plan_with_commitment(app: &TestApp) -> (i64, i64) {
    let body = body_id(app, "STMGA 2025-2027").await;
    let mut plan = plan_json(body, "pamga-prueba");
    plan["period_start"] = json!("2025-01-01");
    plan["period_end"] = json!("2027-12-31");
    let response = app.post_value("/api/v1/plans", &plan).await;
    assert_eq!(response.status(), 201);
    let plan = response.json::<Value>().await.unwrap()["id"]
        .as_i64()
        .unwrap();
    let commitment = json!({"external_id": "prueba-mbh", "title": "Mi Barrio Habla"});
    let response = app
        .post_value(&format!("/api/v1/plans/{plan}/commitments"), &commitment)
        .await;
    assert_eq!(response.status(), 201);
    let commitment = response.json::<Value>().await.unwrap()["id"]
        .as_i64()
        .unwrap();
    (plan, commitment)
}

#[tokio::test]
async fn a_goal_added_over_the_api_reads_the_records_of_its_year() {
    let app = spawn_app().await;
    app.login(STAFF).await;
    let (plan, commitment) = plan_with_commitment(&app).await;
    let goals = format!("/api/v1/commitments/{commitment}/goals");
    let goal = json!({"external_id": "prueba-mbh-acuerdos",
        "statement": "Dar seguimiento a los acuerdos de mejora",
        "indicator": "% de acuerdos generados atendidos en el año", "kind": "record_ratio",
        "numerator": "agreements_concluded", "denominator": "agreements", "target": 80,
        "measured_from": "2025-01-01", "measured_to": "2025-12-31", "due_on": "2025-12-31"});

    let mut bad = Vec::new();
    let mut no_kind = goal.clone();
    no_kind["kind"] = json!("promedio");
    bad.push((no_kind, "invalid_indicator_kind"));
    let mut no_measure = goal.clone();
    no_measure["numerator"] = json!("personas");
    bad.push((no_measure, "invalid_measure"));
    let mut too_high = goal.clone();
    too_high["target"] = json!(120);
    bad.push((too_high, "invalid_target"));
    let mut early = goal.clone();
    early["window_start"] = json!("2026-03-01");
    bad.push((early, "due_before_window"));
    let mut undated = goal.clone();
    undated["due_on"] = json!("diciembre");
    bad.push((undated, "invalid_date"));
    for (request, code) in bad {
        let response = app.post_value(&goals, &request).await;
        assert_eq!(refusal(response).await, code, "{request}");
    }
    let response = app.post_value(&goals, &goal).await;
    assert_eq!(response.status(), 201);
    let id = response.json::<Value>().await.unwrap()["id"]
        .as_i64()
        .unwrap();
    assert_eq!(
        refusal(app.post_value(&goals, &goal).await).await,
        "key_taken"
    );

    // The demo's 2025 records: 449 agreements, 404 concluded.
    let read = app
        .json(&format!("/api/v1/plans/{plan}/goals?as_of=2026-03-27"))
        .await;
    let read = &read.as_array().unwrap()[0];
    assert_eq!(read["indicator"]["numerator"], json!(404.0));
    assert_eq!(read["indicator"]["denominator"], json!(449.0));
    assert_eq!(read["status"], "met");

    // An edit changes the target and keeps the key.
    let mut edit = goal.clone();
    edit["external_id"] = json!("otra-clave");
    edit["target"] = json!(95);
    assert_eq!(
        app.put_json(&format!("/api/v1/goals/{id}"), &edit)
            .await
            .status(),
        204
    );
    let read = app
        .json(&format!("/api/v1/goals/{id}?as_of=2026-03-27"))
        .await;
    assert_eq!(read["indicator"]["target"], json!(95.0));
    assert_ne!(read["status"], "met", "90% no longer meets a 95% target");
    let mut goals_csv = app
        .get_text(&format!("/plan-de-accion/{plan}/metas.csv"))
        .await;
    goals_csv.retain(|c| c != '\r');
    assert_eq!(goals_csv.lines().count(), 2, "{goals_csv}");
    let mut bad_edit = edit.clone();
    bad_edit["statement"] = json!(" ");
    let response = app
        .put_json(&format!("/api/v1/goals/{id}"), &bad_edit)
        .await;
    assert_eq!(refusal(response).await, "text_required");
    assert_eq!(
        app.put_json("/api/v1/goals/999999", &edit).await.status(),
        404
    );
}

#[tokio::test]
async fn the_secretariat_adds_and_edits_a_goal_from_its_form() {
    let app = spawn_app().await;
    app.login(STAFF).await;
    let (plan, commitment) = plan_with_commitment(&app).await;
    let new_goal = format!("/compromisos/{commitment}/metas/nueva");
    let form = app.get_text(&new_goal).await;
    assert!(form.contains("value=\"record_ratio\" checked"));
    let fields = |target: &'static str| {
        vec![
            ("external_id", "prueba-caj-comite"),
            ("statement", "Instalar el Comité de Selección"),
            ("indicator", "Acta de instalación"),
            ("kind", "milestone"),
            ("numerator", ""),
            ("denominator", ""),
            ("target", target),
            ("measured_from", ""),
            ("measured_to", ""),
            ("window_start", ""),
            ("due_on", "2026-02-28"),
        ]
    };
    let response = app.post_form(&new_goal, &fields("cien")).await;
    assert_eq!(response.status(), 422);
    let page = response.text().await.unwrap();
    assert!(
        page.contains("La meta del indicador debe ser mayor que cero"),
        "{page}"
    );
    assert!(page.contains("Instalar el Comité de Selección</textarea>"));
    assert!(page.contains("value=\"milestone\" checked"));

    let response = app.post_form(&new_goal, &fields("100")).await;
    assert_eq!(response.status(), 303);
    assert_eq!(
        response.headers()["location"],
        format!("/compromisos/{commitment}/editar?guardado=1").as_str()
    );
    let page = app
        .get_text(&format!("/compromisos/{commitment}/editar"))
        .await;
    assert!(page.contains("Instalar el Comité de Selección"));
    let goals = app.json(&format!("/api/v1/plans/{plan}/goals")).await;
    let id = goals[0]["id"].as_i64().unwrap();
    assert_eq!(goals[0]["indicator"]["kind"], "milestone");

    let edit = format!("/metas/{id}/editar");
    let form = app.get_text(&edit).await;
    assert!(form.contains("<code>prueba-caj-comite</code>"));
    assert!(
        form.contains("value=\"2025-01-01\""),
        "measured from the plan's start"
    );
    let mut changed = fields("100");
    changed[1].1 = "Instalar el Comité de Selección del Cabildo Abierto Juvenil";
    changed[9].1 = "2026-03-01";
    let response = app.post_form(&edit, &changed).await;
    assert_eq!(response.status(), 422, "due before its window");
    changed[9].1 = "2026-01-15";
    let response = app.post_form(&edit, &changed).await;
    assert_eq!(response.status(), 303);
    let goal = app.json(&format!("/api/v1/goals/{id}")).await;
    assert_eq!(
        goal["statement"],
        "Instalar el Comité de Selección del Cabildo Abierto Juvenil"
    );
    assert_eq!(goal["window_start"], "2026-01-15");
    let public = app.get_text(&format!("/metas/{id}")).await;
    assert!(public.contains(&format!("href=\"/metas/{id}/editar\"")));
}
