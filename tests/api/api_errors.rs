use crate::helpers::{envelope, spawn_app, ADMIN, MEMBER};

const VALID: &str = r#"{"email":"nueva@leon.example","name":"Nueva Persona","role":"member","password":"contraseña-segura"}"#;

#[tokio::test]
async fn me_without_a_session_is_401_in_the_envelope() {
    let app = spawn_app().await;
    let response = app.get("/api/v1/me").await;
    assert_eq!(response.status(), 401);
    let (code, field, message) = envelope(response).await;
    assert_eq!(code, "unauthenticated");
    assert_eq!(field, None);
    assert_eq!(message, "Necesitas iniciar sesión.");
}

#[tokio::test]
async fn unknown_api_routes_are_a_json_404() {
    let app = spawn_app().await;
    let response = app.get("/api/v1/no-existe").await;
    assert_eq!(response.status(), 404);
    assert_eq!(envelope(response).await.0, "not_found");
    let wrong_method = app
        .client
        .delete(app.url("/api/v1/me"))
        .send()
        .await
        .unwrap();
    assert_eq!(wrong_method.status(), 405);
    assert_eq!(envelope(wrong_method).await.0, "method_not_allowed");
}

#[tokio::test]
async fn malformed_json_and_wrong_types_are_400_naming_the_field() {
    let app = spawn_app().await;
    app.login(ADMIN).await;
    let before = app.store.users().await.unwrap().len();

    let broken = app.post_json("/api/v1/users", r#"{"email": "#).await;
    assert_eq!(broken.status(), 400);
    let (code, _, message) = envelope(broken).await;
    assert_eq!(code, "invalid_json");
    assert_eq!(message, "El cuerpo de la solicitud no es JSON válido.");

    let wrong_type = app
        .post_json(
            "/api/v1/users",
            r#"{"email":42,"name":"X","role":"member","password":"contraseña-segura"}"#,
        )
        .await;
    assert_eq!(wrong_type.status(), 400);
    let (code, field, _) = envelope(wrong_type).await;
    assert_eq!(
        (code.as_str(), field.as_deref()),
        ("invalid_field", Some("email"))
    );

    let bad_role = app
        .post_json(
            "/api/v1/users",
            r#"{"email":"a@leon.example","name":"X","role":"root","password":"contraseña-segura"}"#,
        )
        .await;
    let (code, field, _) = envelope(bad_role).await;
    assert_eq!(
        (code.as_str(), field.as_deref()),
        ("invalid_field", Some("role"))
    );

    let bad_unit = app
        .post_json(
            "/api/v1/users",
            r#"{"email":"a@leon.example","name":"X","role":"reporting_unit","password":"contraseña-segura","units":["uno"]}"#,
        )
        .await;
    let (code, field, _) = envelope(bad_unit).await;
    assert_eq!(
        (code.as_str(), field.as_deref()),
        ("invalid_field", Some("units[0]"))
    );

    let missing = app
        .post_json(
            "/api/v1/users",
            r#"{"email":"a@leon.example","role":"member","password":"x"}"#,
        )
        .await;
    assert_eq!(missing.status(), 400);
    let (code, field, _) = envelope(missing).await;
    assert_eq!(
        (code.as_str(), field.as_deref()),
        ("missing_field", Some("name"))
    );

    let not_json = app
        .client
        .post(app.url("/api/v1/users"))
        .body(VALID)
        .send()
        .await
        .unwrap();
    assert_eq!(not_json.status(), 415);
    assert_eq!(envelope(not_json).await.0, "unsupported_media_type");

    assert_eq!(
        app.store.users().await.unwrap().len(),
        before,
        "nothing was stored"
    );
}

#[tokio::test]
async fn rule_violations_are_422_and_conflicts_409() {
    let app = spawn_app().await;
    app.login(ADMIN).await;
    let short = app
        .post_json(
            "/api/v1/users",
            r#"{"email":"a@leon.example","name":"X","role":"member","password":"corta"}"#,
        )
        .await;
    assert_eq!(short.status(), 422);
    let (code, field, message) = envelope(short).await;
    assert_eq!(
        (code.as_str(), field.as_deref()),
        ("password_too_short", Some("password"))
    );
    assert_eq!(message, "La contraseña debe tener al menos 10 caracteres.");

    let bad_email = app
        .post_json(
            "/api/v1/users",
            r#"{"email":"sin-arroba","name":"X","role":"member","password":"contraseña-segura"}"#,
        )
        .await;
    assert_eq!(envelope(bad_email).await.0, "invalid_email");

    let missing_unit = app
        .post_json(
            "/api/v1/users",
            r#"{"email":"u@leon.example","name":"X","role":"reporting_unit","password":"contraseña-segura","units":[99999]}"#,
        )
        .await;
    assert_eq!(missing_unit.status(), 422);
    assert_eq!(envelope(missing_unit).await.0, "missing_reference");

    let created = app.post_json("/api/v1/users", VALID).await;
    assert_eq!(created.status(), 201);
    let body: serde_json::Value = created.json().await.unwrap();
    assert_eq!(body["email"], "nueva@leon.example");
    assert!(body.get("password").is_none() && body.get("password_hash").is_none());

    let again = app.post_json("/api/v1/users", VALID).await;
    assert_eq!(again.status(), 409);
    let (code, field, message) = envelope(again).await;
    assert_eq!(
        (code.as_str(), field.as_deref()),
        ("conflict", Some("email"))
    );
    assert_eq!(message, "Ya existe una cuenta con ese correo electrónico.");
}

#[tokio::test]
async fn only_administrators_manage_accounts_over_the_api() {
    let app = spawn_app().await;
    assert_eq!(app.post_json("/api/v1/users", VALID).await.status(), 401);
    app.login(MEMBER).await;
    let forbidden = app.post_json("/api/v1/users", VALID).await;
    assert_eq!(forbidden.status(), 403);
    assert_eq!(envelope(forbidden).await.0, "forbidden");
    assert_eq!(app.get("/api/v1/users").await.status(), 403);
}

#[tokio::test]
async fn an_oversized_body_is_413() {
    let app = spawn_app().await;
    app.login(ADMIN).await;
    let huge = format!(
        r#"{{"email":"{}@leon.example"}}"#,
        "a".repeat(2 * 1024 * 1024)
    );
    let response = app.post_json("/api/v1/users", &huge).await;
    assert_eq!(response.status(), 413);
    assert_eq!(envelope(response).await.0, "payload_too_large");
}

#[tokio::test]
async fn api_messages_follow_the_chosen_language() {
    let app = spawn_app().await;
    app.post_form("/idioma", &[("lang", "en")]).await;
    let (_, _, message) = envelope(app.get("/api/v1/me").await).await;
    assert_eq!(message, "You need to sign in.");
}

/// Every write the OpenAPI document lists, with its path parameters filled in.
async fn api_writes(app: &crate::helpers::TestApp) -> Vec<(reqwest::Method, String)> {
    api_writes_where(app, |_| true).await
}

/// The writes whose operation passes `keep` (given the operation's object).
async fn api_writes_where(
    app: &crate::helpers::TestApp,
    keep: impl Fn(&serde_json::Value) -> bool,
) -> Vec<(reqwest::Method, String)> {
    let doc: serde_json::Value = app.get("/api/v1/openapi.json").await.json().await.unwrap();
    let mut writes = Vec::new();
    for (path, operations) in doc["paths"].as_object().unwrap() {
        let filled: String = path
            .split('/')
            .map(|part| match part {
                "{month}" => "2024-01".to_owned(),
                "{quarter}" => "2024-Q1".to_owned(),
                "{kind}" => "plans".to_owned(),
                p if p.starts_with('{') => "1".to_owned(),
                p => p.to_owned(),
            })
            .collect::<Vec<_>>()
            .join("/");
        for (method, operation) in operations.as_object().unwrap() {
            if !keep(operation) {
                continue;
            }
            let method = match method.as_str() {
                "post" => reqwest::Method::POST,
                "put" => reqwest::Method::PUT,
                "patch" => reqwest::Method::PATCH,
                "delete" => reqwest::Method::DELETE,
                _ => continue,
            };
            writes.push((method, filled.clone()));
        }
    }
    writes
}

#[tokio::test]
async fn no_api_write_goes_through_as_a_cross_site_page_could_send_it() {
    let app = spawn_app().await;
    app.login(ADMIN).await;
    let writes = api_writes(&app).await;
    assert!(writes.len() >= 20, "{writes:?}");
    let logged = app.store.audit_entries(10_000).await.unwrap().len();
    // What a page on another site can make a browser send without a CORS preflight: a POST
    // (PUT, PATCH and DELETE are preflighted, and abierto grants no preflight).
    let writes: Vec<_> = writes
        .into_iter()
        .filter(|(method, _)| method == reqwest::Method::POST)
        .collect();
    let cross_site = [
        (Some("application/x-www-form-urlencoded"), "a=1"),
        (Some("text/plain"), "{}"),
        (None, ""),
    ];
    for (method, path) in &writes {
        for (content_type, body) in cross_site {
            let mut request = app.client.request(method.clone(), app.url(path));
            if let Some(content_type) = content_type {
                request = request.header("content-type", content_type);
            }
            let response = request.body(body).send().await.unwrap();
            let status = response.status().as_u16();
            let (code, _, _) = envelope(response).await;
            // Refused as a cross-site request, or as a body of the wrong type: never done.
            let refused = matches!(
                (status, code.as_str()),
                (403, "csrf_rejected") | (415, "unsupported_media_type") | (400, "invalid_field")
            );
            assert!(
                refused,
                "{method} {path} as {content_type:?}: {status} {code}"
            );
        }
    }
    assert_eq!(
        app.store.audit_entries(10_000).await.unwrap().len(),
        logged,
        "nothing was written"
    );

    // A write with no body needs the token, or to be sent as JSON, as clients do.
    let convocation = app.url("/api/v1/sessions/1/convocation");
    let bare = app.client.post(&convocation).send().await.unwrap();
    assert_eq!(bare.status(), 403);
    assert_eq!(envelope(bare).await.0, "csrf_rejected");
    let token = app.csrf_token().await;
    let with_token = app
        .client
        .post(&convocation)
        .header("x-csrf-token", token)
        .send()
        .await
        .unwrap();
    assert_ne!(
        with_token.status(),
        403,
        "the token lets the caller's own write through"
    );
    let as_json = app.post_json("/api/v1/sessions/1/convocation", "{}").await;
    assert_ne!(as_json.status(), 403);
}

#[tokio::test]
async fn every_api_write_that_needs_an_account_asks_who_is_calling_before_it_reads_the_body() {
    let app = spawn_app().await;
    let secured = api_writes_where(&app, |operation| operation.get("security").is_some()).await;
    assert!(secured.len() >= 20, "{secured:?}");
    // Bodies of every wrong shape: none may be judged before the caller is.
    for (method, path) in &secured {
        for body in ["{}", "[]", "not json"] {
            let response = app
                .client
                .request(method.clone(), app.url(path))
                .header("content-type", "application/json")
                .body(body)
                .send()
                .await
                .unwrap();
            let status = response.status().as_u16();
            let (code, _, _) = envelope(response).await;
            assert_eq!(
                (status, code.as_str()),
                (401, "unauthenticated"),
                "anonymous {method} {path} with {body}"
            );
        }
    }
    // A member who keeps no records is refused as well, by role, before the body.
    app.login(MEMBER).await;
    let response = app.post_json("/api/v1/users", "{}").await;
    assert_eq!(response.status(), 403);
    assert_eq!(envelope(response).await.0, "forbidden");
}

#[tokio::test]
async fn a_nul_character_in_any_text_is_refused_by_its_field_on_every_backend() {
    let app = spawn_app().await;
    // PostgreSQL cannot store U+0000 in text; SQLite could. Both refuse it before the database.
    let response = app
        .post_json(
            "/api/v1/submissions/status",
            r#"{"folio": "BAGA-2026-0001", "token": "a\u0000b"}"#,
        )
        .await;
    assert_eq!(response.status(), 422);
    let (code, field, message) = envelope(response).await;
    assert_eq!(
        (code.as_str(), field.as_deref()),
        ("nul_character", Some("token"))
    );
    assert!(message.contains("carácter nulo"), "{message}");
    let form = app
        .post_form(
            "/convocatorias/consulta",
            &[("folio", "BAGA\u{0}"), ("token", "x")],
        )
        .await;
    assert_eq!(form.status(), 422);
}
