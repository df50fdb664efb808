//! The bylaws: the consolidated text at a date, the seed's amendment to articles 4 and 25
//! beside the text it replaced, reference findings, and proposing an amendment decided by a
//! vote.

use serde_json::{json, Value};

use crate::helpers::{envelope, spawn_app, TestApp, STAFF};

async fn secretariat(app: &TestApp) -> i64 {
    app.json("/api/v1/bodies")
        .await
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["name"].as_str().unwrap().ends_with("2022-2024"))
        .unwrap()["id"]
        .as_i64()
        .unwrap()
}

fn article(bylaws: &Value, number: i64) -> String {
    bylaws["articles"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["article"] == number)
        .unwrap()["text"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn the_amendment_of_13_september_2024_is_in_force_from_the_next_day() {
    let app = spawn_app().await;
    let body = secretariat(&app).await;
    let before = app
        .json(&format!("/api/v1/bodies/{body}/bylaws?at=2024-09-13"))
        .await;
    assert!(article(&before, 25).contains("artículo 18"));
    assert!(article(&before, 4).contains("por un periodo de dos años"));
    let after = app
        .json(&format!("/api/v1/bodies/{body}/bylaws?at=2024-09-14"))
        .await;
    assert!(article(&after, 25).contains("artículo 17"));
    assert!(article(&after, 4).contains("sin interrupción"));
    // Article 17 is not in the recorded text: the reference is a finding.
    let findings = after["findings"].as_array().unwrap();
    assert!(findings.iter().any(|f| f["kind"] == "broken_reference"
        && f["detail"] == "fracción IX del artículo 17"
        && f["item"] == "artículo 25"));

    let amendment = &after["amendments"][0];
    assert_eq!(amendment["status"], "approved");
    assert_eq!(amendment["approved_on"], "2024-09-13");
    assert_eq!(amendment["in_force_from"], "2024-09-14");
    let view = app
        .json(&format!("/api/v1/amendments/{}", amendment["id"]))
        .await;
    let change_25 = view["comparison"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["article"] == 25)
        .unwrap()
        .clone();
    assert!(change_25["current"]
        .as_array()
        .unwrap()
        .iter()
        .any(|p| p["mark"] == "removed" && p["text"] == "18"));
    assert!(change_25["proposed"]
        .as_array()
        .unwrap()
        .iter()
        .any(|p| p["mark"] == "added" && p["text"] == "17"));

    let page = app
        .get_text(&format!("/reformas/{}", amendment["id"]))
        .await;
    assert!(page.contains("<del>18</del>"), "{page}");
    assert!(page.contains("<ins>17</ins>"), "{page}");
    assert!(page.contains("Quedando:"));
    let consolidated = app
        .get_text(&format!("/organos/{body}/lineamientos?fecha=2024-09-13"))
        .await;
    assert!(consolidated.contains("fracción IX del artículo 18"));
    let history = app
        .get_text(&format!("/organos/{body}/lineamientos/articulos/25"))
        .await;
    assert!(history.contains("artículo 18") && history.contains("artículo 17"));
    assert_eq!(
        app.get(&format!("/organos/{body}/lineamientos/articulos/99"))
            .await
            .status(),
        404
    );

    let response = app
        .get(&format!("/api/v1/bodies/{body}/bylaws?at=13-09-2024"))
        .await;
    assert_eq!(response.status(), 422);
    assert_eq!(envelope(response).await.0, "invalid_date");
    let response = app
        .get(&format!("/organos/{body}/lineamientos?fecha=ayer"))
        .await;
    assert_eq!(response.status(), 422);
    assert!(response.text().await.unwrap().contains("AAAA-MM-DD"));
}

#[tokio::test]
async fn an_amendment_is_approved_only_by_the_vote_on_its_item() {
    let app = spawn_app().await;
    let body = secretariat(&app).await;
    app.login(STAFF).await;
    let session: Value = app
        .post_value(
            "/api/v1/sessions",
            &json!({"body": body, "kind": "extraordinary", "held_on": "2024-12-20", "scheduled_time": "13:00",
                    "place": "Sala", "agenda": [
                        {"kind": "attendance_quorum", "title": "Lista de asistencia"},
                        {"kind": "proposal", "title": "Modificación al artículo 4"},
                        {"kind": "closing", "title": "Cierre"}]}),
        )
        .await
        .json()
        .await
        .unwrap();
    let id = session["id"].as_i64().unwrap();
    let path = format!("/api/v1/bodies/{body}/amendments");
    let request = |position: i64, changes: Value| json!({"title": "Modificación al artículo 4", "session": id, "position": position, "changes": changes});
    let text =
        json!([{"article": 4, "text": "Las personas ciudadanas durarán dos años en el encargo."}]);
    for (body, code) in [
        (request(2, json!([])), "changes_required"),
        (request(1, text.clone()), "item_not_proposal"),
        (
            request(2, json!([{"article": 0, "text": "x"}])),
            "invalid_article",
        ),
        (
            request(
                2,
                json!([{"article": 4, "text": "a"}, {"article": 4, "text": "b"}]),
            ),
            "article_repeated",
        ),
    ] {
        let response = app.post_value(&path, &body).await;
        assert_eq!(response.status(), 422, "{body}");
        assert_eq!(envelope(response).await.0, code);
    }
    let response = app.post_value(&path, &request(2, text.clone())).await;
    assert_eq!(response.status(), 201);
    let amendment: Value = response.json().await.unwrap();
    assert_eq!(amendment["status"], "proposed");
    let response = app.post_value(&path, &request(2, text)).await;
    assert_eq!(response.status(), 409, "one amendment per item");

    // Still proposed: the text in force does not change.
    let today = app
        .json(&format!("/api/v1/bodies/{body}/bylaws?at=2024-12-21"))
        .await;
    assert!(article(&today, 4).contains("sin interrupción"));

    let members = app.json(&format!("/api/v1/bodies/{body}/members")).await;
    let present: Vec<Value> = members
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| {
            m["membership"]["substitute_for"].is_null() && m["membership"]["has_vote"] == true
        })
        .map(|m| m["membership"]["id"].clone())
        .take(6)
        .collect();
    app.put_json(
        &format!("/api/v1/sessions/{id}/attendance"),
        &json!({ "present": present }),
    )
    .await;
    let response = app
        .put_json(
            &format!("/api/v1/sessions/{id}/agenda/2/vote"),
            &json!({"in_favour": 4, "against": 2, "abstentions": 0}),
        )
        .await;
    assert_eq!(response.status(), 200);
    let view = app
        .json(&format!("/api/v1/amendments/{}", amendment["id"]))
        .await;
    assert_eq!(view["status"], "approved");
    assert_eq!(view["in_force_from"], "2024-12-21");
    let after = app
        .json(&format!("/api/v1/bodies/{body}/bylaws?at=2024-12-21"))
        .await;
    assert_eq!(
        article(&after, 4),
        "Las personas ciudadanas durarán dos años en el encargo."
    );
    let before = app
        .json(&format!("/api/v1/bodies/{body}/bylaws?at=2024-12-20"))
        .await;
    assert!(article(&before, 4).contains("sin interrupción"));
}

#[tokio::test]
async fn the_secretariat_proposes_an_amendment_by_form() {
    let app = spawn_app().await;
    let body = secretariat(&app).await;
    app.login(STAFF).await;
    let session: Value = app
        .post_value(
            "/api/v1/sessions",
            &json!({"body": body, "kind": "ordinary", "held_on": "2024-12-20", "scheduled_time": "13:00",
                    "place": "Sala", "agenda": [
                        {"kind": "proposal", "title": "Modificación al artículo 25"},
                        {"kind": "closing", "title": "Cierre"}]}),
        )
        .await
        .json()
        .await
        .unwrap();
    let item = format!("{}:1", session["id"]);
    let path = format!("/organos/{body}/lineamientos/reformas/nueva");
    let page = app.get_text(&path).await;
    assert!(
        page.contains(&format!("value=\"{item}\"")),
        "the open proposal item is offered"
    );

    let text =
        "Las modificaciones se aprueban por mayoría conforme a la fracción IX del artículo 17.";
    let blank = [("article", ""), ("text", "")];
    let mut fields = vec![
        ("title", "Modificación al artículo 25"),
        ("item", item.as_str()),
    ];
    fields.extend([("article", "25"), ("text", "  ")]);
    fields.extend(blank);
    let response = app.post_form(&path, &fields).await;
    assert_eq!(response.status(), 422);
    assert!(response.text().await.unwrap().contains("Escribe el texto."));
    assert!(
        app.json(&format!("/api/v1/bodies/{body}/bylaws")).await["amendments"]
            .as_array()
            .unwrap()
            .len()
            == 1,
        "only the demo's amendment"
    );

    let mut fields = vec![
        ("title", "Modificación al artículo 25"),
        ("item", item.as_str()),
    ];
    fields.extend([("article", "25"), ("text", text)]);
    fields.extend(blank);
    let response = app.post_form(&path, &fields).await;
    assert_eq!(response.status(), 303);
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    let page = app.get_text(&location).await;
    assert!(page.contains("Propuesta"), "{page}");
    assert!(page.contains("<ins>"), "{page}");
}
