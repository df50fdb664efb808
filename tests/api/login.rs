use crate::helpers::{spawn_app, ADMIN, MEMBER, STAFF};

#[tokio::test]
async fn a_demo_account_signs_in_sees_itself_and_signs_out() {
    let app = spawn_app().await;
    let response = app.login(STAFF).await;
    assert_eq!(response.status(), 303);
    let cookies: Vec<_> = response
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .collect();
    let session = cookies
        .iter()
        .find(|c| c.starts_with("abierto_session="))
        .expect("session cookie");
    assert!(
        session.contains("HttpOnly") && session.contains("SameSite=Lax"),
        "{session}"
    );
    assert!(!session.contains("Secure"), "plain HTTP in tests");

    let me: serde_json::Value = app.get("/api/v1/me").await.json().await.unwrap();
    assert_eq!(me["email"], STAFF.0);
    assert_eq!(me["role"], "secretariat_staff");
    assert_eq!(me["name"], "Luz Araceli Andrade Cifuentes");

    let home = app.get_text("/").await;
    assert!(home.contains("Sesión iniciada como"));
    assert!(home.contains("Secretariado (Unidad de Transparencia)"));

    let out = app.post_form("/salir", &[]).await;
    assert_eq!(out.status(), 303);
    assert_eq!(app.get("/api/v1/me").await.status(), 401);
    let actions: Vec<String> = app
        .store
        .audit_entries(5)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect();
    assert_eq!(&actions[..2], ["logout", "login"]);
}

#[tokio::test]
async fn sessions_live_in_the_database_so_another_server_process_honours_them() {
    let app = spawn_app().await;
    app.login(MEMBER).await;
    // A second server on the same database, as behind a load balancer.
    let second = abierto::startup::Application::bind(
        "127.0.0.1:0".parse().unwrap(),
        app.app.clone(),
        abierto_web::WebConfig::default(),
        abierto_web::Branding::default(),
    )
    .await
    .unwrap();
    let port = second.port;
    tokio::spawn(second.run_until(std::future::pending()));
    let me: serde_json::Value = app
        .client
        .get(format!("http://127.0.0.1:{port}/api/v1/me"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(me["email"], MEMBER.0);
}

#[tokio::test]
async fn a_wrong_password_and_an_unknown_account_get_the_same_spanish_message() {
    let app = spawn_app().await;
    let wrong = app.login((STAFF.0, "no-es-la-contraseña")).await;
    assert_eq!(wrong.status(), 200);
    let wrong_html = wrong.text().await.unwrap();
    assert!(wrong_html.contains("El correo o la contraseña no son correctos."));
    assert!(wrong_html.contains("<form"), "the form is shown again");
    assert!(
        wrong_html.contains(&format!("value=\"{}\"", STAFF.0)),
        "the e-mail is kept"
    );

    let unknown = app
        .login(("nadie@leon.example", "no-es-la-contraseña"))
        .await;
    assert_eq!(unknown.status(), 200);
    let unknown_html = unknown.text().await.unwrap();
    assert!(unknown_html.contains("El correo o la contraseña no son correctos."));
    assert!(!unknown_html.contains("no existe"));
    assert_eq!(app.get("/api/v1/me").await.status(), 401);
}

#[tokio::test]
async fn the_sixth_rapid_failure_is_throttled_even_with_the_right_password() {
    let app = spawn_app().await;
    for attempt in 1..=5 {
        let response = app.login((ADMIN.0, "contraseña-equivocada")).await;
        assert_eq!(response.status(), 200, "attempt {attempt}");
    }
    let sixth = app.login(ADMIN).await;
    assert_eq!(sixth.status(), 429);
    // The throttle's window, as the default settings keep it.
    assert_eq!(sixth.headers()["retry-after"], "900");
    let html = sixth.text().await.unwrap();
    assert!(html.contains("Demasiados intentos fallidos"));
    assert_eq!(app.get("/api/v1/me").await.status(), 401);

    // Other accounts are not locked out by someone else's failures.
    assert_eq!(app.login(STAFF).await.status(), 303);
    let actions: Vec<String> = app
        .store
        .audit_entries(20)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect();
    assert!(actions.contains(&"login.throttled".to_owned()));
    assert_eq!(actions.iter().filter(|a| *a == "login.failed").count(), 5);
}

#[tokio::test]
async fn failures_sent_at_once_meet_the_limit_as_failures_in_a_row_would() {
    let app = spawn_app().await;
    let attempts = (0..40).map(|_| app.login((ADMIN.0, "contraseña-equivocada")));
    let statuses: Vec<u16> = futures_util::future::join_all(attempts)
        .await
        .into_iter()
        .map(|r| r.status().as_u16())
        .collect();
    let evaluated = statuses.iter().filter(|s| **s == 200).count();
    let throttled = statuses.iter().filter(|s| **s == 429).count();
    // The default limit is five failures per account.
    assert_eq!((evaluated, throttled), (5, 35), "{statuses:?}");
    let failed = app
        .store
        .audit_entries(200)
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.action == "login.failed")
        .count();
    assert_eq!(failed, 5);
    assert_eq!(app.login(ADMIN).await.status(), 429, "still locked");
}

#[tokio::test]
async fn too_many_failures_from_one_address_are_throttled_across_accounts() {
    let config = crate::helpers::Config::with_app(abierto_app::Settings {
        max_failures_per_ip: 3,
        ..abierto_app::Settings::default()
    });
    let app = crate::helpers::spawn_app_with(config).await;
    for email in ["a@leon.example", "b@leon.example", "c@leon.example"] {
        assert_eq!(
            app.login((email, "contraseña-equivocada")).await.status(),
            200
        );
    }
    assert_eq!(app.login(STAFF).await.status(), 429);
}

#[tokio::test]
async fn pages_for_administrators_check_the_role() {
    let app = spawn_app().await;
    let anonymous = app.get("/admin/cuentas").await;
    assert_eq!(anonymous.status(), 303);
    assert_eq!(
        anonymous.headers()["location"],
        "/entrar?siguiente=%2Fadmin%2Fcuentas"
    );

    app.login(MEMBER).await;
    let member = app.get("/admin/cuentas").await;
    assert_eq!(member.status(), 403);
    assert!(member.text().await.unwrap().contains("No tienes permiso"));
    assert_eq!(app.get("/admin/bitacora").await.status(), 403);
}

#[tokio::test]
async fn an_administrator_creates_an_account_from_the_form_and_it_is_audited() {
    let app = spawn_app().await;
    app.login(ADMIN).await;
    let units = app.store.units().await.unwrap();
    let unit = units
        .iter()
        .find(|u| u.name == "Unidad de Transparencia")
        .unwrap()
        .id
        .to_string();
    let created = app
        .post_form(
            "/admin/cuentas",
            &[
                ("email", "enlace.ut@leon.example"),
                ("name", "Enlace de la UT"),
                ("role", "reporting_unit"),
                ("unit", unit.as_str()),
                ("password", "una-contraseña-larga"),
            ],
        )
        .await;
    assert_eq!(created.status(), 303);
    let list = app.get_text("/admin/cuentas").await;
    assert!(list.contains("enlace.ut@leon.example"));

    let duplicate = app
        .post_form(
            "/admin/cuentas",
            &[
                ("email", "enlace.ut@leon.example"),
                ("name", "Otra"),
                ("role", "member"),
                ("password", "una-contraseña-larga"),
            ],
        )
        .await;
    assert_eq!(duplicate.status(), 409);
    assert!(duplicate
        .text()
        .await
        .unwrap()
        .contains("Ya existe una cuenta con ese correo electrónico."));

    let short = app
        .post_form(
            "/admin/cuentas",
            &[
                ("email", "x@leon.example"),
                ("name", "X"),
                ("role", "member"),
                ("password", "corta"),
            ],
        )
        .await;
    assert_eq!(short.status(), 422);
    let html = short.text().await.unwrap();
    assert!(html.contains("al menos 10 caracteres"));
    assert!(
        html.contains("value=\"x@leon.example\""),
        "what was typed is kept"
    );

    let audit = app.get_text("/admin/bitacora").await;
    assert!(audit.contains("user.create"));
    assert!(audit.contains("admin@leon.example"));
    assert!(audit.contains("login"));
}
