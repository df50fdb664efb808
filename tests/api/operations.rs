use crate::helpers::spawn_app;

#[tokio::test]
async fn health_check_answers_200_then_503_when_the_database_is_gone() {
    let app = spawn_app().await;
    let response = app.get("/healthz").await;
    assert_eq!(response.status(), 200);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["database"], "ok");

    app.store.close().await;
    let response = app.get("/healthz").await;
    assert_eq!(response.status(), 503);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["status"], "unavailable");

    // Pages that need the database say so in Spanish, revealing nothing of the cause.
    let page = app.get("/").await;
    assert_eq!(page.status(), 503);
    let html = page.text().await.unwrap();
    assert!(html.contains("El servicio no está disponible en este momento."));
    assert!(
        !html.to_lowercase().contains("pool"),
        "no internals in the page"
    );
    let api = app.get("/api/v1/bodies").await;
    assert_eq!(api.status(), 503);
    assert_eq!(crate::helpers::envelope(api).await.0, "unavailable");
}

#[tokio::test]
async fn metrics_count_requests_by_route_template_and_status() {
    let app = spawn_app().await;
    app.get("/").await;
    app.get("/organos/1").await;
    app.get("/no-existe").await;
    let text = app.get_text("/metrics").await;
    assert!(
        text.contains(r#"http_requests_total{method="GET",route="/",status="200"} 1"#),
        "{text}"
    );
    assert!(
        text.contains(r#"route="/organos/{id}""#),
        "ids are not labels"
    );
    assert!(text.contains(r#"route="unmatched",status="404""#));
    assert!(text.contains("http_request_duration_seconds_bucket"));
    assert!(!text.contains("/no-existe"));
}

#[tokio::test]
async fn the_openapi_document_is_3_1_and_describes_the_api() {
    let app = spawn_app().await;
    let doc: serde_json::Value = app.get("/api/v1/openapi.json").await.json().await.unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"));
    for path in ["/api/v1/me", "/api/v1/users", "/api/v1/bodies", "/healthz"] {
        assert!(doc["paths"].get(path).is_some(), "{path} missing");
    }
    assert!(doc["components"]["schemas"].get("ErrorEnvelope").is_some());
    assert!(doc["components"]["securitySchemes"]
        .get("session")
        .is_some());

    // Every reference names a schema the document has.
    let schemas = &doc["components"]["schemas"];
    let mut references = Vec::new();
    collect_references(&doc, &mut references);
    assert!(!references.is_empty());
    for reference in &references {
        let name = reference
            .strip_prefix("#/components/schemas/")
            .unwrap_or_else(|| panic!("{reference} is not a schema reference"));
        assert!(schemas.get(name).is_some(), "{reference} points at nothing");
    }
    // The error envelope lists every code a client may meet.
    let codes: Vec<&str> = schemas["ErrorCode"]["enum"]
        .as_array()
        .expect("the codes as an enum")
        .iter()
        .filter_map(|c| c.as_str())
        .collect();
    assert_eq!(codes.len(), abierto_domain::ErrorCode::ALL.len());
    for code in [
        "invalid_field",
        "no_quorum",
        "forbidden",
        "payload_too_large",
    ] {
        assert!(codes.contains(&code), "{code} missing");
    }
}

fn collect_references(value: &serde_json::Value, out: &mut Vec<String>) {
    match value {
        serde_json::Value::Object(map) => {
            for (key, inner) in map {
                match (key.as_str(), inner.as_str()) {
                    ("$ref", Some(reference)) => out.push(reference.to_owned()),
                    _ => collect_references(inner, out),
                }
            }
        }
        serde_json::Value::Array(items) => items.iter().for_each(|i| collect_references(i, out)),
        _ => {}
    }
}

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    let app = spawn_app().await;
    for path in ["/", "/api/v1/me", "/no-existe", "/static/abierto.css"] {
        let response = app.get(path).await;
        let headers = response.headers();
        let csp = headers["content-security-policy"].to_str().unwrap();
        assert!(
            csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"),
            "{path}: {csp}"
        );
        assert!(csp.contains("frame-ancestors 'none'"));
        assert_eq!(headers["x-content-type-options"], "nosniff");
        assert_eq!(
            headers["referrer-policy"],
            "strict-origin-when-cross-origin"
        );
    }
}

#[tokio::test]
async fn the_theme_serves_the_municipality_colours() {
    let app = spawn_app().await;
    let css = app.get_text("/theme.css").await;
    assert!(css.contains("--color-primary: #0b5d3b"));
    let logo = app.get("/logo").await;
    assert_eq!(logo.headers()["content-type"], "image/svg+xml");
}

#[tokio::test]
async fn public_bodies_api_lists_both_secretariats() {
    let app = spawn_app().await;
    let bodies: serde_json::Value = app.get("/api/v1/bodies").await.json().await.unwrap();
    let secretariats: Vec<&serde_json::Value> = bodies
        .as_array()
        .unwrap()
        .iter()
        .filter(|b| b["kind"] == "secretariat")
        .collect();
    assert_eq!(secretariats.len(), 2);
    assert!(secretariats[0]["name"]
        .as_str()
        .unwrap()
        .ends_with("2025-2027"));
    let kinds: Vec<&str> = bodies
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["kind"].as_str().unwrap())
        .collect();
    assert!(
        kinds.contains(&"selection_committee") && kinds.contains(&"youth_council"),
        "the Cabildo Abierto Juvenil and its selection committee: {kinds:?}"
    );
    let id = secretariats[1]["id"].as_i64().unwrap();
    let seats: serde_json::Value = app
        .get(&format!("/api/v1/bodies/{id}/members"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(seats.as_array().unwrap().len(), 14);
    assert_eq!(app.get("/api/v1/bodies/0/members").await.status(), 404);
}
