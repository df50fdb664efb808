use crate::helpers::{new_client, spawn_app, spawn_with_open_data, ADMIN, STAFF};

#[tokio::test]
async fn home_shows_leon_in_spanish_with_an_accessible_shell() {
    let app = spawn_app().await;
    let response = app.get("/").await;
    assert_eq!(response.status(), 200);
    let html = response.text().await.unwrap();
    assert!(html.contains(r#"<html lang="es-MX">"#));
    assert!(html.contains("Municipio de León, Guanajuato"));
    assert!(html.contains(r##"href="#contenido""##), "skip link");
    assert!(html.contains(r#"<main id="contenido""#));
    assert!(html.contains("<nav class=\"main-nav\" aria-label=\"Navegación principal\">"));
    for item in [
        "Inicio",
        "Plan de Acción",
        "Sesiones",
        "Convocatorias",
        "Datos Abiertos",
        "Buscar",
    ] {
        assert!(html.contains(&format!(">{item}</a>")), "nav lacks {item}");
    }
    assert!(html.contains("href=\"/aviso-de-privacidad\""));
    assert!(html.contains(
        "Secretariado Técnico Municipal de Gobierno Abierto para León, Guanajuato 2022-2024"
    ));
    assert!(html.contains("Integrantes: 14"));
    assert!(
        !html.contains("<script"),
        "works without JavaScript: no scripts at all"
    );
}

#[tokio::test]
async fn sections_not_built_yet_say_so_honestly() {
    let app = spawn_app().await;
    for path in ["/buscar"] {
        let response = app.get(path).await;
        assert_eq!(response.status(), 200, "{path}");
        let html = response.text().await.unwrap();
        assert!(html.contains("En construcción"), "{path}");
        assert!(
            html.contains("aria-current=\"page\""),
            "{path} marks itself in the navigation"
        );
    }
}

#[tokio::test]
async fn switching_to_english_and_back() {
    let app = spawn_app().await;
    let response = app
        .post_form("/idioma", &[("lang", "en"), ("siguiente", "/sesiones")])
        .await;
    assert_eq!(response.status(), 303);
    assert_eq!(response.headers()["location"], "/sesiones");
    let html = app.get_text("/sesiones").await;
    assert!(html.contains(r#"<html lang="en">"#));
    assert!(html.contains(">Action Plan</a>"));
    assert!(html.contains("Ordinary and extraordinary sessions"));

    app.post_form("/idioma", &[("lang", "es"), ("siguiente", "/")])
        .await;
    let html = app.get_text("/").await;
    assert!(html.contains(r#"<html lang="es-MX">"#));
    assert!(html.contains(">Plan de Acción</a>"));
}

#[tokio::test]
async fn the_language_switch_is_no_open_redirect() {
    let app = spawn_app().await;
    let response = app
        .post_form(
            "/idioma",
            &[("lang", "en"), ("siguiente", "//evil.example/")],
        )
        .await;
    assert_eq!(response.headers()["location"], "/");
}

#[tokio::test]
async fn unknown_routes_get_a_spanish_404_page() {
    let app = spawn_app().await;
    let response = app.get("/no-existe").await;
    assert_eq!(response.status(), 404);
    let html = response.text().await.unwrap();
    assert!(html.contains("Página no encontrada"));
    assert!(html.contains(r#"<html lang="es-MX">"#));
    assert!(html.contains("Volver al inicio"));
    let body = app.get("/organos/999999").await;
    assert_eq!(body.status(), 404);
    let bad_id = app.get("/organos/abc").await;
    assert_eq!(bad_id.status(), 404);
}

#[tokio::test]
async fn a_form_post_without_a_valid_csrf_token_is_refused_with_a_403_page() {
    let app = spawn_app().await;
    let missing = app
        .client
        .post(app.url("/entrar"))
        .form(&[("email", STAFF.0), ("password", STAFF.1)])
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), 403);
    let html = missing.text().await.unwrap();
    assert!(html.contains("El formulario caducó o no se envió desde este sitio"));

    app.csrf_token().await; // the client now holds a CSRF cookie
    let wrong = app
        .client
        .post(app.url("/entrar"))
        .form(&[
            ("csrf_token", "x".repeat(43).as_str()),
            ("email", STAFF.0),
            ("password", STAFF.1),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), 403);
    let me = app.get("/api/v1/me").await;
    assert_eq!(
        me.status(),
        401,
        "the refused form must not have signed anyone in"
    );
}

#[tokio::test]
async fn a_method_a_page_does_not_have_is_405_with_allow_before_any_token_is_asked() {
    let app = spawn_app().await;
    for (method, path, allow) in [
        (reqwest::Method::PUT, "/healthz", "GET,HEAD"),
        (reqwest::Method::POST, "/plan-de-accion", "GET,HEAD"),
        (reqwest::Method::DELETE, "/entrar", "GET,HEAD,POST"),
        (reqwest::Method::PATCH, "/api/v1/bodies", "GET,HEAD"),
    ] {
        let response = app
            .client
            .request(method.clone(), app.url(path))
            .form(&[("a", "1")])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 405, "{method} {path}");
        let allowed = response.headers()["allow"]
            .to_str()
            .unwrap()
            .replace(' ', "");
        assert_eq!(allowed, allow, "{method} {path}");
    }
    // An address nobody serves is a 404 whatever the method.
    let unknown = app.client.post(app.url("/no-existe")).send().await.unwrap();
    assert_eq!(unknown.status(), 404);
}

/// The targets of the `method="post"` forms of an HTML page.
fn post_form_actions(html: &str) -> Vec<String> {
    html.split("<form")
        .skip(1)
        .filter_map(|rest| rest.split('>').next())
        .filter(|tag| tag.contains("method=\"post\""))
        .filter_map(|tag| tag.split("action=\"").nth(1)?.split('"').next())
        .map(|action| action.replace("&amp;", "&").replace("&#38;", "&"))
        .filter(|action| action.starts_with('/'))
        .collect()
}

#[tokio::test]
async fn every_form_an_administrator_can_reach_refuses_a_post_without_its_token() {
    let app = spawn_with_open_data().await;
    app.login(ADMIN).await;
    const MOST: usize = 400;
    let mut queue = std::collections::VecDeque::from(["/".to_owned()]);
    let mut seen = std::collections::HashSet::new();
    let mut actions = std::collections::BTreeSet::new();
    while let Some(path) = queue.pop_front() {
        if seen.len() >= MOST || !seen.insert(path.clone()) {
            continue;
        }
        let response = app.get(&path).await;
        let html = response
            .headers()
            .get("content-type")
            .and_then(|c| c.to_str().ok())
            .is_some_and(|c| c.starts_with("text/html"));
        if !html {
            continue;
        }
        let body = response.text().await.unwrap();
        actions.extend(post_form_actions(&body));
        queue.extend(internal_links(&body).into_iter().map(|(path, _)| path));
    }
    assert!(actions.len() >= 25, "forms found: {actions:#?}");
    let logged = app.store.audit_entries(100_000).await.unwrap().len();
    let mut accepted = Vec::new();
    for action in &actions {
        let response = app
            .client
            .post(app.url(action))
            .form(&[("a", "1")])
            .send()
            .await
            .unwrap();
        if response.status() != 403 {
            accepted.push(format!("{action}: {}", response.status()));
        }
    }
    assert!(
        accepted.is_empty(),
        "forms that took no token: {accepted:#?}"
    );
    assert_eq!(
        app.store.audit_entries(100_000).await.unwrap().len(),
        logged,
        "nothing was written"
    );
}

#[tokio::test]
async fn a_body_page_lists_its_members_with_substitutes() {
    let app = spawn_app().await;
    let bodies: serde_json::Value = app.get("/api/v1/bodies").await.json().await.unwrap();
    let old = bodies
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["name"].as_str().unwrap().ends_with("2022-2024"))
        .unwrap();
    let html = app.get_text(&format!("/organos/{}", old["id"])).await;
    assert!(html.contains("Mtra. María de la Luz Hernández Martínez"));
    assert!(html.contains("Suplente de Lic. Allan Michel León Aguirre"));
    assert!(html.contains("Representante de la Presidencia"));
    assert!(html.contains("Persona Facilitadora"));
    assert!(
        html.contains("Integrante Ciudadano"),
        "Abraham Gallegos Macías"
    );
    assert!(html.contains("artículo 4 fracción I"));
}

#[tokio::test]
async fn the_privacy_notice_is_published() {
    let app = spawn_app().await;
    let html = app.get_text("/aviso-de-privacidad").await;
    assert!(html.contains("Aviso de privacidad simplificado"));
    assert!(html.contains("Derechos ARCO"));
}

#[tokio::test]
async fn output_is_escaped() {
    let app = spawn_app().await;
    let html = app
        .get_text("/entrar?siguiente=/%22%3E%3Cscript%3Ealert(1)%3C/script%3E")
        .await;
    assert!(!html.contains("<script>alert(1)</script>"));
    assert!(
        html.contains("&lt;script&gt;alert(1)&lt;/script&gt;") || html.contains("&#60;script&#62;"),
        "the value is kept, escaped"
    );
}

/// The internal links of an HTML page, as (path with query, fragment).
fn internal_links(html: &str) -> Vec<(String, Option<String>)> {
    html.split("href=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .map(|href| href.replace("&amp;", "&").replace("&#38;", "&"))
        .filter(|href| href.starts_with('/') && !href.starts_with("//"))
        .map(|href| match href.split_once('#') {
            Some((path, fragment)) => (path.to_owned(), Some(fragment.to_owned())),
            None => (href, None),
        })
        .map(|(path, fragment)| {
            let path = if path.is_empty() {
                "/".to_owned()
            } else {
                path
            };
            (path, fragment)
        })
        .collect()
}

#[tokio::test]
async fn every_internal_link_of_the_public_pages_leads_to_a_page_that_has_its_anchor() {
    let app = spawn_with_open_data().await;
    let visitor = new_client();
    // Enough to reach every kind of page the demo has; the walk is breadth-first.
    const MOST: usize = 900;
    let mut queue = std::collections::VecDeque::from([("/".to_owned(), "/".to_owned())]);
    let mut pages: std::collections::HashMap<String, Option<String>> = Default::default();
    let mut anchors: Vec<(String, String, String)> = Vec::new();
    let mut broken = Vec::new();
    while let Some((path, from)) = queue.pop_front() {
        if pages.contains_key(&path) || pages.len() >= MOST {
            continue;
        }
        let response = visitor.get(app.url(&path)).send().await.expect("GET");
        let status = response.status();
        let location = response
            .headers()
            .get("location")
            .and_then(|l| l.to_str().ok())
            .map(str::to_owned);
        let html = response
            .headers()
            .get("content-type")
            .and_then(|c| c.to_str().ok())
            .is_some_and(|c| c.starts_with("text/html"));
        let body = match html {
            true => Some(response.text().await.expect("body")),
            false => None,
        };
        if status.is_client_error() || status.is_server_error() {
            broken.push(format!("{path} ({status}), linked from {from}"));
        }
        if let Some(next) = location.filter(|l| l.starts_with('/')) {
            queue.push_back((next, path.clone()));
        }
        if let Some(body) = &body {
            for (target, fragment) in internal_links(body) {
                if let Some(fragment) = fragment.filter(|f| !f.is_empty()) {
                    anchors.push((target.clone(), fragment, path.clone()));
                }
                queue.push_back((target, path.clone()));
            }
        }
        pages.insert(path, body);
    }
    assert!(broken.is_empty(), "links that lead nowhere: {broken:#?}");
    assert!(pages.len() > 100, "the walk reached {} pages", pages.len());
    let missing: Vec<String> = anchors
        .iter()
        .filter_map(|(target, fragment, from)| {
            let html = pages.get(target)?.as_ref()?;
            let has = html.contains(&format!("id=\"{fragment}\""));
            (!has).then(|| format!("{target}#{fragment}, linked from {from}"))
        })
        .collect();
    assert!(
        missing.is_empty(),
        "anchors that are not there: {missing:#?}"
    );
}

#[tokio::test]
async fn the_demos_current_bodies_have_illustrative_members_and_their_sessions_a_quorum() {
    let app = spawn_app().await;
    let bodies: serde_json::Value = app.get("/api/v1/bodies").await.json().await.unwrap();
    let current = [
        "STMGA 2025-2027",
        "Comité de Selección CAJ 2026",
        "Cabildo Abierto Juvenil 2026",
    ];
    for short_name in current {
        let body = bodies
            .as_array()
            .unwrap()
            .iter()
            .find(|b| b["short_name"] == short_name)
            .unwrap_or_else(|| panic!("{short_name}"));
        let id = body["id"].as_i64().unwrap();
        let members: serde_json::Value = app
            .get(&format!("/api/v1/bodies/{id}/members"))
            .await
            .json()
            .await
            .unwrap();
        let names: Vec<&str> = members
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["person"]["full_name"].as_str().unwrap())
            .collect();
        assert!(names.len() >= 4, "{short_name}: {names:?}");
        // The seeds name none of them: every placeholder says it is one.
        assert!(
            names.iter().all(|n| n.contains("(ilustrativ")),
            "{short_name}: {names:?}"
        );
    }
    let home = app.get_text("/").await;
    assert!(!home.contains("Integrantes: 0"), "{home}");

    // The 1ª Sesión Ordinaria 2026, where seed 003's results were presented, has its quorum.
    let sessions = app.get_text("/sesiones").await;
    let row = sessions
        .split("<tr>")
        .find(|row| row.contains("1ª Sesión Ordinaria") && row.contains("STMGA 2025-2027"))
        .expect("the 1ª Sesión Ordinaria 2026");
    let id = row
        .split("href=\"/sesiones/")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap();
    let page = app.get_text(&format!("/sesiones/{id}")).await;
    assert!(page.contains("Quórum legal"), "{page}");
}
