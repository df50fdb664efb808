//! Calls through the pages: a citizen's submission from the no-JavaScript form (markup shown
//! as text, a double post landing once, attachments checked), the spam defences giving the
//! form back as typed, the status page by folio and secret, and the secretariat writing,
//! publishing and evaluating a call, opening personal data with a logged purpose and
//! answering a derechos ARCO request.

use abierto_domain::calls::CallKind;
use abierto_domain::ids::CallId;
use abierto_domain::local_time::{input_value, parse_zone};
use abierto_web::WebConfig;
use chrono::{Duration, Utc};
use reqwest::multipart::{Form, Part};
use reqwest::Response;

use crate::calls::open_call;
use crate::helpers::{
    envelope, hidden_value, new_client, spawn_app, spawn_app_with, Config, TestApp, MEMBER, STAFF,
};

const SCRIPT: &str = "<script>alert('x')</script>";
const EMAIL: &str = "ana.ruiz@example.org";

/// A person takes no time at all: these tests post as soon as the form is read.
fn instant_forms() -> Config {
    Config {
        web: WebConfig {
            min_form_fill_seconds: 0,
            ..WebConfig::default()
        },
        ..Config::default()
    }
}

/// The public form of `call` as a browser would send it, every text field carrying markup.
async fn filled_form(app: &TestApp, call: CallId) -> Vec<(&'static str, String)> {
    let html = app.get_text(&format!("/convocatorias/{call}")).await;
    let hidden = |name| hidden_value(&html, name).unwrap_or_else(|| panic!("hidden {name}"));
    vec![
        ("csrf_token", hidden("csrf_token")),
        ("idempotency_key", hidden("idempotency_key")),
        ("started", hidden("started")),
        ("started_mac", hidden("started_mac")),
        ("title", format!("Bebederos {SCRIPT}")),
        ("problem", format!("Sin agua {SCRIPT}")),
        ("proposal", format!("Instalar bebederos {SCRIPT}")),
        ("area", format!("Servicios {SCRIPT}")),
        ("full_name", format!("Ana {SCRIPT}")),
        ("email", EMAIL.to_owned()),
        ("phone", "477 123 4567".to_owned()),
        ("neighbourhood", format!("Centro {SCRIPT}")),
        ("consent", "1".to_owned()),
        ("website", String::new()),
    ]
}

async fn post_form(
    app: &TestApp,
    call: CallId,
    fields: &[(&'static str, String)],
    file: Option<(&str, Vec<u8>)>,
) -> Response {
    let mut form = Form::new();
    for (name, value) in fields {
        form = form.text(*name, value.clone());
    }
    let (filename, content) = file.unwrap_or(("", Vec::new()));
    form = form.part("file", Part::bytes(content).file_name(filename.to_owned()));
    app.client
        .post(app.url(&format!("/convocatorias/{call}")))
        .multipart(form)
        .send()
        .await
        .unwrap()
}

fn set(fields: &mut [(&'static str, String)], name: &str, value: &str) {
    for (k, v) in fields.iter_mut() {
        if *k == name {
            *v = value.to_owned();
        }
    }
}

/// The text between `id="{id}">` and the next `<`.
fn text_of(html: &str, id: &str) -> String {
    let marker = format!("id=\"{id}\">");
    let start = html
        .find(&marker)
        .unwrap_or_else(|| panic!("#{id} in page"))
        + marker.len();
    html[start..].split('<').next().unwrap().to_owned()
}

/// The stable code of a refusal.
async fn code(response: Response) -> String {
    envelope(response).await.0
}

const PDF: &[u8] = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n";

#[tokio::test]
async fn a_citizen_submits_from_the_page_and_follows_it_by_folio() {
    let app = spawn_app_with(instant_forms()).await;
    let call = open_call(&app, CallKind::Ideas, None).await;
    let list = app.get_text("/convocatorias").await;
    assert!(list.contains(&format!("href=\"/convocatorias/{call}\"")));
    let page = app.get_text(&format!("/convocatorias/{call}")).await;
    assert!(page.contains("Aviso de privacidad") && page.contains("name=\"consent\""));
    assert!(page.contains("enctype=\"multipart/form-data\""));
    assert!(!page.contains("<script"), "works without JavaScript");
    let form_page = app.get(&format!("/convocatorias/{call}")).await;
    assert_eq!(
        form_page.headers()["cache-control"],
        "no-store",
        "the form's key stays out of caches"
    );

    let fields = filled_form(&app, call).await;
    let response = post_form(&app, call, &fields, Some(("croquis.pdf", PDF.to_vec()))).await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["cache-control"], "no-store");
    let receipt = response.text().await.unwrap();
    let folio = text_of(&receipt, "folio");
    let token = text_of(&receipt, "token");
    assert!(
        folio.starts_with("BAGA-") && folio.ends_with("-0001"),
        "{folio}"
    );
    assert!(token.len() >= 32);

    // A double click, or the page reloaded: the same form lands once.
    let again = post_form(&app, call, &fields, Some(("croquis.pdf", PDF.to_vec()))).await;
    let again = again.text().await.unwrap();
    assert_eq!(text_of(&again, "folio"), folio);
    assert!(again.contains("ya se había recibido"));
    // The receipt shown last holds the secret that works; the form's key is not it.
    let first_token = token;
    let token = text_of(&again, "token");
    let key = &fields
        .iter()
        .find(|(k, _)| *k == "idempotency_key")
        .unwrap()
        .1;
    assert!(
        token != *key && token != first_token,
        "a secret of the server's own"
    );
    let stored = app.store.submissions_of(call).await.unwrap();
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].files.len(), 1, "the attachment is kept");

    let status = app
        .post_form(
            "/convocatorias/consulta",
            &[("folio", &folio.to_lowercase()), ("token", &token)],
        )
        .await;
    assert_eq!(status.status(), 200);
    assert_eq!(status.headers()["cache-control"], "no-store");
    let status = status.text().await.unwrap();
    assert_eq!(text_of(&status, "submission-status"), "Recibida");
    assert!(
        status.contains("Bebederos &#60;script&#62;")
            || status.contains("Bebederos &lt;script&gt;")
    );
    assert!(!status.contains(SCRIPT), "markup is shown as text");

    let wrong = app
        .post_form(
            "/convocatorias/consulta",
            &[("folio", &folio), ("token", "otra")],
        )
        .await;
    let unknown = app
        .post_form(
            "/convocatorias/consulta",
            &[("folio", "BAGA-1999-0001"), ("token", &token)],
        )
        .await;
    assert_eq!(
        (wrong.status().as_u16(), unknown.status().as_u16()),
        (404, 404)
    );
    let wrong = wrong.text().await.unwrap();
    assert!(wrong.contains("No encontramos una postulación"));
    assert_eq!(
        text_of(&wrong, "form-error"),
        text_of(&unknown.text().await.unwrap(), "form-error"),
        "a wrong key says nothing more than an unknown folio"
    );

    // The attachment is the secretariat's to read, never the public's.
    let file = stored[0].files[0];
    assert_eq!(app.get(&format!("/evidencias/{file}")).await.status(), 404);
    app.login(STAFF).await;
    let download = app.get(&format!("/evidencias/{file}")).await;
    assert_eq!(download.status(), 200);
    assert_eq!(download.bytes().await.unwrap().as_ref(), PDF);
    let detail = app
        .get_text(&format!("/postulaciones/{}", stored[0].id))
        .await;
    assert!(
        detail.contains("Instalar bebederos &#60;script&#62;")
            || detail.contains("Instalar bebederos &lt;script&gt;")
    );
    assert!(!detail.contains(SCRIPT));
    assert!(
        !detail.contains(EMAIL),
        "personal data only when opened with a purpose"
    );
}

#[tokio::test]
async fn spam_defences_give_the_form_back_as_typed_and_never_drop_it() {
    // The default: a form sent within three seconds of being read is stopped.
    let app = spawn_app().await;
    let call = open_call(&app, CallKind::Ideas, None).await;
    let mut fields = filled_form(&app, call).await;

    set(&mut fields, "website", "https://spam.example");
    let trapped = post_form(&app, call, &fields, None).await;
    assert_eq!(trapped.status(), 422);
    let trapped = trapped.text().await.unwrap();
    assert!(trapped.contains("Un campo oculto que debe quedar vacío tenía texto"));
    assert!(
        trapped.contains("Bebederos &#60;script&#62;")
            || trapped.contains("Bebederos &lt;script&gt;"),
        "what was typed comes back"
    );

    set(&mut fields, "website", "");
    let hurried = post_form(&app, call, &fields, None).await;
    assert_eq!(hurried.status(), 422);
    let hurried = hurried.text().await.unwrap();
    assert!(hurried.contains("El formulario se envió muy rápido"));

    // A start set back by hand does not pass for an old one.
    let mut forged = fields.clone();
    set(
        &mut forged,
        "started",
        &(Utc::now().timestamp() - 3600).to_string(),
    );
    let response = post_form(&app, call, &forged, None).await;
    assert_eq!(response.status(), 422);
    assert!(app.store.submissions_of(call).await.unwrap().is_empty());

    // The form given back, sent again once a person could have read it, is received.
    set(
        &mut fields,
        "started",
        &hidden_value(&hurried, "started").unwrap(),
    );
    set(
        &mut fields,
        "started_mac",
        &hidden_value(&hurried, "started_mac").unwrap(),
    );
    assert_eq!(
        hidden_value(&hurried, "idempotency_key").unwrap(),
        fields
            .iter()
            .find(|(k, _)| *k == "idempotency_key")
            .unwrap()
            .1,
        "the same key, so a resend never lands twice"
    );
    // The time a person takes to fill the form passes.
    app.clock.advance(Duration::seconds(4));
    let received = post_form(&app, call, &fields, None).await;
    assert_eq!(received.status(), 200);
    assert_eq!(app.store.submissions_of(call).await.unwrap().len(), 1);
}

#[tokio::test]
async fn bad_attachments_and_closed_calls_are_refused_with_the_form_kept() {
    let app = spawn_app_with(Config {
        app: abierto_app::Settings {
            max_annex_bytes: 1024,
            ..abierto_app::Settings::default()
        },
        ..instant_forms()
    })
    .await;
    let call = open_call(&app, CallKind::Ideas, None).await;
    let fields = filled_form(&app, call).await;
    for (file, message) in [
        (("programa.exe", b"MZ\x90\x00".to_vec()), "tipo"),
        (
            ("croquis.pdf", [PDF, &[b' '; 2048]].concat()),
            "tamaño máximo",
        ),
    ] {
        let response = post_form(&app, call, &fields, Some(file)).await;
        assert_eq!(response.status(), 422);
        let html = response.text().await.unwrap();
        assert!(text_of(&html, "form-error").contains(message), "{html}");
        assert!(
            html.contains("value=\"ana.ruiz@example.org\""),
            "typed data kept"
        );
    }
    let mut unconsented = fields.clone();
    set(&mut unconsented, "consent", "");
    let response = post_form(&app, call, &unconsented, None).await;
    assert_eq!(response.status(), 422);
    assert!(response
        .text()
        .await
        .unwrap()
        .contains("acepta el aviso de privacidad"));
    assert!(app.store.submissions_of(call).await.unwrap().is_empty());

    // The clock closes the call while the form is open: the post says so, nothing stored.
    app.store
        .close_due_calls(Utc::now() + Duration::days(11))
        .await
        .unwrap();
    let response = post_form(&app, call, &fields, None).await;
    assert_eq!(response.status(), 422);
    let html = response.text().await.unwrap();
    assert!(html.contains("La convocatoria ya cerró"), "{html}");
    assert!(app.store.submissions_of(call).await.unwrap().is_empty());
}

#[tokio::test]
async fn only_the_secretariat_reaches_the_call_pages_behind_the_public_ones() {
    let app = spawn_app().await;
    let call = open_call(&app, CallKind::Ideas, None).await;
    let paths = [
        "/convocatorias/nueva".to_owned(),
        format!("/convocatorias/{call}/editar"),
        format!("/convocatorias/{call}/postulaciones"),
        "/postulaciones/1".to_owned(),
    ];
    for path in &paths {
        let response = app.get(path).await;
        assert!(
            matches!(response.status().as_u16(), 303 | 401),
            "{path}: {}",
            response.status()
        );
    }
    app.login(MEMBER).await;
    for path in &paths {
        assert_eq!(app.get(path).await.status(), 403, "{path}");
    }
    let response = app
        .post_form("/postulaciones/1/datos", &[("purpose", "curiosidad")])
        .await;
    assert_eq!(response.status(), 403);
    let anonymous = new_client();
    let response = anonymous
        .post(app.url("/api/v1/submissions/1/proponent"))
        .json(&serde_json::json!({"purpose": "curiosidad"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 401);
}

/// A session of the 2025-2027 secretariat whose first item was approved: what a call can be
/// published on.
async fn approving_item(app: &TestApp) -> i64 {
    let call = open_call(app, CallKind::Ideas, None).await;
    app.store
        .call(call)
        .await
        .unwrap()
        .approved_by
        .unwrap()
        .get()
}

#[tokio::test]
async fn the_secretariat_writes_publishes_evaluates_and_resolves_a_call_from_its_pages() {
    let app = spawn_app().await;
    let item = approving_item(&app).await;
    let body = crate::calls::body(&app).await.to_string();
    app.login(STAFF).await;
    let form = app.get_text("/convocatorias/nueva").await;
    assert!(form.contains("type=\"datetime-local\""));
    let tomorrow = (Utc::now() + Duration::days(1))
        .format("%Y-%m-%dT09:00")
        .to_string();
    let next_month = (Utc::now() + Duration::days(30))
        .format("%Y-%m-%dT18:00")
        .to_string();
    let mut fields = vec![
        ("kind", "ideas"),
        ("title", "Convocatoria <b>2027</b>"),
        ("text", "Se convoca a la ciudadanía."),
        ("requirements", ""),
        ("body", body.as_str()),
        ("opens_at", next_month.as_str()),
        ("closes_at", tomorrow.as_str()),
        ("min_age", ""),
        ("max_age", ""),
    ];
    let refused = app.post_form("/convocatorias/nueva", &fields).await;
    assert_eq!(refused.status(), 422);
    let html = refused.text().await.unwrap();
    assert!(html.contains("debe cerrar después de abrir"));
    assert!(
        html.contains("Convocatoria &#60;b&#62;2027")
            || html.contains("Convocatoria &lt;b&gt;2027")
    );
    fields[5] = ("opens_at", tomorrow.as_str());
    fields[6] = ("closes_at", next_month.as_str());
    fields[0] = ("kind", "youth");
    let refused = app.post_form("/convocatorias/nueva", &fields).await;
    assert_eq!(refused.status(), 422);
    assert!(refused
        .text()
        .await
        .unwrap()
        .contains("edad mínima y la máxima"));
    fields[0] = ("kind", "ideas");
    let created = app.post_form("/convocatorias/nueva", &fields).await;
    assert_eq!(created.status(), 303);
    let edit = created.headers()["location"].to_str().unwrap().to_owned();
    let id: i64 = edit.split('/').nth(2).unwrap().parse().unwrap();
    let call = CallId::new(id);
    let stored = app.store.call(call).await.unwrap();
    assert_eq!(
        input_value(
            stored.window.opens_at,
            parse_zone("America/Mexico_City").unwrap()
        ),
        tomorrow,
        "the dates are the municipality's time"
    );
    assert_eq!(
        new_client()
            .get(app.url(&format!("/convocatorias/{call}")))
            .send()
            .await
            .unwrap()
            .status(),
        404,
        "a draft stays private"
    );

    let page = app.get_text(&edit).await;
    assert!(
        page.contains(&format!("<option value=\"{item}\">")),
        "the approving votes are offered"
    );
    let unchosen = app
        .post_form(
            &format!("/convocatorias/{call}/publicar"),
            &[("approved_by", "")],
        )
        .await;
    assert_eq!(unchosen.status(), 422);
    assert!(unchosen
        .text()
        .await
        .unwrap()
        .contains("solo se publica con la votación"));
    let published = app
        .post_form(
            &format!("/convocatorias/{call}/publicar"),
            &[("approved_by", &item.to_string())],
        )
        .await;
    assert_eq!(published.status(), 303);
    let public = app.get_text(&format!("/convocatorias/{call}")).await;
    assert!(public.contains("Anunciada"), "published, not yet open");
    let again = app.post_form(&edit, &fields).await;
    assert_eq!(again.status(), 422, "a published call is not rewritten");

    // A submission, received over the API, then evaluated from the pages.
    let open = open_call(&app, CallKind::Ideas, None).await;
    let response = app
        .post_value(
            &format!("/api/v1/calls/{open}/submissions"),
            &serde_json::json!({"title": "Ciclovía", "proposal": "Una ciclovía en el bulevar.",
                "full_name": "Ana Ruiz", "email": EMAIL, "consent": true}),
        )
        .await;
    assert_eq!(response.status(), 201);
    let submission = app.store.submissions_of(open).await.unwrap()[0].id;
    let page = format!("/postulaciones/{submission}");
    let list = app
        .get_text(&format!("/convocatorias/{open}/postulaciones"))
        .await;
    assert!(list.contains(&format!("href=\"{page}\"")));
    assert!(!list.contains(EMAIL));

    let reasonless = app
        .post_form(
            &format!("{page}/evaluacion"),
            &[("status", "accepted"), ("reasons", " ")],
        )
        .await;
    assert_eq!(reasonless.status(), 422);
    assert!(text_of(&reasonless.text().await.unwrap(), "evaluation-error").contains("motivo"));
    let noted = app
        .post_form(
            &format!("{page}/notas"),
            &[("body", "Consultar con Movilidad")],
        )
        .await;
    assert_eq!(noted.status(), 303);
    let accepted = app
        .post_form(
            &format!("{page}/evaluacion"),
            &[
                ("status", "accepted"),
                ("reasons", "Viable y de bajo costo"),
            ],
        )
        .await;
    assert_eq!(accepted.status(), 303);
    let detail = app.get_text(&page).await;
    assert!(detail.contains("Consultar con Movilidad"));
    assert_eq!(
        text_of(&detail, "submission-status"),
        "Aceptada en el Banco de Acciones"
    );
    let bank = app.public_text("/banco-de-acciones").await;
    assert!(bank.contains("Ciclovía") && bank.contains("Viable y de bajo costo"));
    assert!(
        !bank.contains(EMAIL)
            && !bank.contains("Ana Ruiz")
            && !bank.contains("Consultar con Movilidad")
    );

    // Personal data: only with a purpose, which goes in the log.
    let purposeless = app
        .post_form(&format!("{page}/datos"), &[("purpose", "")])
        .await;
    assert_eq!(purposeless.status(), 422);
    let opened = app
        .post_form(
            &format!("{page}/datos"),
            &[("purpose", "Comunicar el resultado")],
        )
        .await;
    assert_eq!(opened.status(), 200);
    assert_eq!(opened.headers()["cache-control"], "no-store");
    assert!(opened.text().await.unwrap().contains(EMAIL));
    let trail = app.store.audit_entries(100).await.unwrap();
    assert!(trail
        .iter()
        .any(|e| e.action == "proponent.read" && e.detail == "Comunicar el resultado"));

    // Derechos ARCO: the export, then the erasure once confirmed.
    let export = app.post_form(&format!("{page}/arco/exportar"), &[]).await;
    assert_eq!(export.status(), 200);
    assert!(export.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .contains("arco-BAGA-"));
    let exported: serde_json::Value = export.json().await.unwrap();
    assert_eq!(exported["email"], EMAIL);
    assert_eq!(exported["title"], "Ciclovía");
    let unconfirmed = app.post_form(&format!("{page}/arco/borrar"), &[]).await;
    assert_eq!(unconfirmed.status(), 422);
    let erased = app
        .post_form(&format!("{page}/arco/borrar"), &[("confirm", "1")])
        .await;
    assert_eq!(erased.status(), 303);
    let detail = app.get_text(&page).await;
    assert!(detail.contains("se borraron a solicitud de su titular"));
    let export = app.post_form(&format!("{page}/arco/exportar"), &[]).await;
    assert_eq!(export.status(), 422, "nothing left to export");
    assert!(app
        .store
        .audit_entries(100)
        .await
        .unwrap()
        .iter()
        .any(|e| e.action == "proponent.erase"));

    // Closed by the clock, every submission decided: the results are published.
    app.store
        .close_due_calls(Utc::now() + Duration::days(11))
        .await
        .unwrap();
    let empty = app
        .post_form(
            &format!("/convocatorias/{open}/resultados"),
            &[("results_text", "")],
        )
        .await;
    assert_eq!(empty.status(), 422);
    let resolved = app
        .post_form(
            &format!("/convocatorias/{open}/resultados"),
            &[("results_text", "Se aceptó una idea.")],
        )
        .await;
    assert_eq!(resolved.status(), 303);
    let public = app.public_text(&format!("/convocatorias/{open}")).await;
    assert!(public.contains("Resuelta") && public.contains("Se aceptó una idea."));
}

#[tokio::test]
async fn the_secretariat_api_writes_and_evaluates_calls_and_refuses_bad_input() {
    let app = spawn_app().await;
    let item = approving_item(&app).await;
    let body = crate::calls::body(&app).await.get();
    let call_json = |opens: &str, closes: &str| {
        serde_json::json!({"kind": "ideas", "title": "Ideas 2027", "text": "Bases.", "body": body,
            "opens_at": opens, "closes_at": closes})
    };
    let opens = (Utc::now() + Duration::days(1))
        .format("%Y-%m-%d 09:00")
        .to_string();
    let closes = (Utc::now() + Duration::days(20))
        .format("%Y-%m-%d 18:00")
        .to_string();
    let good = call_json(&opens, &closes);
    assert_eq!(app.post_value("/api/v1/calls", &good).await.status(), 401);
    app.login(MEMBER).await;
    assert_eq!(app.post_value("/api/v1/calls", &good).await.status(), 403);
    app.login(STAFF).await;

    let mut bad = vec![
        (call_json("mañana", &closes), "invalid_local_datetime"),
        (call_json(&closes, &opens), "call_closes_before_opening"),
    ];
    let mut youth = good.clone();
    youth["kind"] = serde_json::json!("youth");
    bad.push((youth, "youth_call_needs_ages"));
    let mut kindless = good.clone();
    kindless["kind"] = serde_json::json!("rifa");
    bad.push((kindless, "invalid_call_kind"));
    let mut bodiless = good.clone();
    bodiless["body"] = serde_json::json!(9999);
    bad.push((bodiless, "unknown_body"));
    for (request, expected) in bad {
        let response = app.post_value("/api/v1/calls", &request).await;
        assert_eq!(response.status(), 422, "{request}");
        assert_eq!(code(response).await, expected, "{request}");
    }
    let response = app.post_value("/api/v1/calls", &good).await;
    assert_eq!(response.status(), 201);
    let id = response.json::<serde_json::Value>().await.unwrap()["id"]
        .as_i64()
        .unwrap();
    let mut renamed = good.clone();
    renamed["title"] = serde_json::json!("Ideas para León 2027");
    assert_eq!(
        app.put_json(&format!("/api/v1/calls/{id}"), &renamed)
            .await
            .status(),
        204
    );
    assert_eq!(
        app.json(&format!("/api/v1/calls/{id}")).await["title"],
        "Ideas para León 2027"
    );

    let publication = format!("/api/v1/calls/{id}/publication");
    let none = app.post_value(&publication, &serde_json::json!({})).await;
    assert_eq!(code(none).await, "call_without_approving_vote");
    let ok = app
        .post_value(&publication, &serde_json::json!({"approved_by": item}))
        .await;
    assert_eq!(ok.status(), 204);
    let twice = app
        .post_value(&publication, &serde_json::json!({"approved_by": item}))
        .await;
    assert_eq!(code(twice).await, "call_already_published");

    let open = open_call(&app, CallKind::Ideas, None).await;
    let submitted = app
        .post_value(
            &format!("/api/v1/calls/{open}/submissions"),
            &serde_json::json!({"title": "Huertos", "proposal": "Huertos urbanos.",
                "full_name": "Luis Pérez", "email": "luis@example.org", "consent": true}),
        )
        .await;
    assert_eq!(submitted.status(), 201);
    let listed = app.json(&format!("/api/v1/calls/{open}/submissions")).await;
    assert_eq!(listed[0]["title"], "Huertos");
    assert!(
        !listed.to_string().contains("luis@example.org"),
        "no personal data in the list"
    );
    let sub = listed[0]["id"].as_i64().unwrap();
    let evaluation = format!("/api/v1/submissions/{sub}/evaluation");
    let wrong = app
        .post_value(&evaluation, &serde_json::json!({"status": "archivada"}))
        .await;
    assert_eq!(code(wrong).await, "invalid_submission_status");
    let early = app
        .post_value(
            &format!("/api/v1/calls/{open}/results"),
            &serde_json::json!({"text": "x"}),
        )
        .await;
    assert_eq!(code(early).await, "call_not_under_evaluation");
    let review = app
        .post_value(&evaluation, &serde_json::json!({"status": "under_review"}))
        .await;
    assert_eq!(review.status(), 204);
    let note = app
        .post_value(
            &format!("/api/v1/submissions/{sub}/notes"),
            &serde_json::json!({"body": ""}),
        )
        .await;
    assert_eq!(code(note).await, "text_required");
    let proponent = format!("/api/v1/submissions/{sub}/proponent");
    let purposeless = app
        .post_value(&proponent, &serde_json::json!({"purpose": " "}))
        .await;
    assert_eq!(code(purposeless).await, "purpose_required");
    let read = app
        .post_value(&proponent, &serde_json::json!({"purpose": "Notificar"}))
        .await;
    assert_eq!(
        read.json::<serde_json::Value>().await.unwrap()["email"],
        "luis@example.org"
    );
    let erase = app.client.delete(app.url(&proponent)).send().await.unwrap();
    assert_eq!(erase.status(), 204);
    let erase = app.client.delete(app.url(&proponent)).send().await.unwrap();
    assert_eq!(code(erase).await, "personal_data_already_erased");

    app.store
        .close_due_calls(Utc::now() + Duration::days(11))
        .await
        .unwrap();
    let pending = app
        .post_value(
            &format!("/api/v1/calls/{open}/results"),
            &serde_json::json!({"text": "x"}),
        )
        .await;
    assert_eq!(code(pending).await, "submissions_pending_evaluation");
    let reject = app
        .post_value(
            &evaluation,
            &serde_json::json!({"status": "rejected", "reasons": "Fuera del alcance municipal"}),
        )
        .await;
    assert_eq!(reject.status(), 204);
    let done = app
        .post_value(
            &format!("/api/v1/calls/{open}/results"),
            &serde_json::json!({"text": "Ninguna idea aceptada."}),
        )
        .await;
    assert_eq!(done.status(), 204);
    assert_eq!(
        app.json(&format!("/api/v1/calls/{open}")).await["status"],
        "resolved"
    );
}

#[tokio::test]
async fn a_selected_young_person_is_seated_in_the_cabildo_abierto_juvenil_from_the_page() {
    let app = spawn_app().await;
    let eligibility = abierto_domain::calls::Eligibility::new(15, 29).unwrap();
    let call = open_call(&app, CallKind::Youth, Some(eligibility)).await;
    let born = (Utc::now() - Duration::days(365 * 20))
        .date_naive()
        .to_string();
    let response = app
        .post_value(
            &format!("/api/v1/calls/{call}/submissions"),
            &serde_json::json!({"title": "Jóvenes por la transparencia", "proposal": "Talleres en prepas.",
                "full_name": "Daniela Ríos Campos", "email": "daniela@example.org", "born_on": born,
                "resides_in_municipality": true, "consent": true}),
        )
        .await;
    assert_eq!(response.status(), 201);
    let submission = app.store.submissions_of(call).await.unwrap()[0].id;
    app.login(STAFF).await;
    let page = format!("/postulaciones/{submission}");
    assert!(
        !app.get_text(&page).await.contains("id=\"seat-h\""),
        "only an accepted application is seated"
    );
    let accepted = app
        .post_value(
            &format!("/api/v1/submissions/{submission}/evaluation"),
            &serde_json::json!({"status": "accepted", "reasons": "Cumple los requisitos"}),
        )
        .await;
    assert_eq!(accepted.status(), 204);
    let html = app.get_text(&page).await;
    assert!(html.contains(
        "Comité de Selección CAJ 2026 (2026-02-18) — Selección de las personas integrantes"
    ));
    let decision = html
        .split("<option value=\"")
        .find_map(|piece| {
            let (value, rest) = piece.split_once('"')?;
            rest.contains("Comité de Selección CAJ 2026")
                .then(|| value.to_owned())
        })
        .unwrap();
    let council = first_option(&html, "council");
    let mut fields = [
        ("council", council.clone()),
        ("decided_by", String::new()),
        ("gender", "feminine".to_owned()),
        ("starts_on", "2026-03-12".to_owned()),
        ("ends_on", "2026-12-31".to_owned()),
    ];
    let undecided: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let refused = app.post_form(&format!("{page}/integrar"), &undecided).await;
    assert_eq!(refused.status(), 422);
    assert!(text_of(&refused.text().await.unwrap(), "seat-error").contains("Comité de Selección"));
    fields[1].1 = decision;
    let decided: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let seated = app.post_form(&format!("{page}/integrar"), &decided).await;
    assert_eq!(seated.status(), 303);
    let html = app.get_text(&page).await;
    assert!(html.contains("id=\"seated\""));
    let members = app.get_text(&format!("/organos/{council}")).await;
    assert!(
        members.contains("Daniela Ríos Campos"),
        "seated in the council"
    );
    let again = app.post_form(&format!("{page}/integrar"), &decided).await;
    assert_eq!(again.status(), 422, "seated once");
}

/// The value of the first option of the `<select name="{name}">`.
fn first_option(html: &str, name: &str) -> String {
    let start = html.find(&format!("name=\"{name}\"")).unwrap();
    let option = html[start..].find("<option value=\"").unwrap() + start + 15;
    html[option..].split('"').next().unwrap().to_owned()
}

#[tokio::test]
async fn an_idea_of_the_action_bank_becomes_the_origin_of_a_commitment() {
    let app = spawn_app().await;
    let call = open_call(&app, CallKind::Ideas, None).await;
    let mut ids = Vec::new();
    for title in ["Presupuesto participativo en línea", "Idea aún en revisión"] {
        let response = app
            .post_value(
                &format!("/api/v1/calls/{call}/submissions"),
                &serde_json::json!({"title": title, "proposal": "Una propuesta.",
                    "full_name": "Luis Pérez", "email": "luis@example.org", "consent": true}),
            )
            .await;
        assert_eq!(response.status(), 201);
    }
    for s in app.store.submissions_of(call).await.unwrap() {
        ids.push(s.id);
    }
    let plan = app.store.plans().await.unwrap()[0].id;
    let commitment = app.store.commitments(plan).await.unwrap()[0].clone();
    app.login(STAFF).await;
    let accepted = app
        .post_value(
            &format!("/api/v1/submissions/{}/evaluation", ids[0]),
            &serde_json::json!({"status": "accepted", "reasons": "Viable"}),
        )
        .await;
    assert_eq!(accepted.status(), 204);

    let path = format!("/api/v1/commitments/{}/origin", commitment.id);
    let pending = app
        .put_json(&path, &serde_json::json!({"submission": ids[1]}))
        .await;
    assert_eq!(pending.status(), 422);
    assert_eq!(code(pending).await, "origin_not_in_action_bank");
    let page = app
        .get_text(&format!("/compromisos/{}/origen", commitment.id))
        .await;
    assert!(page.contains("Presupuesto participativo en línea"));
    assert!(
        !page.contains("Idea aún en revisión"),
        "only the Banco's ideas"
    );
    let linked = app
        .post_form(
            &format!("/compromisos/{}/origen", commitment.id),
            &[("origin", &ids[0].to_string())],
        )
        .await;
    assert_eq!(linked.status(), 303);
    let bank = app.json("/api/v1/action-bank").await;
    assert_eq!(bank[0]["commitments"][0], commitment.title.as_str());
    let html = app.get_text("/banco-de-acciones").await;
    assert!(html.contains("Se convirtió en el compromiso"));
    let cleared = app
        .put_json(&path, &serde_json::json!({"submission": null}))
        .await;
    assert_eq!(cleared.status(), 204);
    assert!(app.json("/api/v1/action-bank").await[0]["commitments"]
        .as_array()
        .unwrap()
        .is_empty());
}

#[tokio::test]
async fn a_session_known_by_its_own_name_is_convened_with_it() {
    let app = spawn_app().await;
    let council = app
        .store
        .bodies()
        .await
        .unwrap()
        .into_iter()
        .find(|b| b.kind == abierto_domain::governance::BodyKind::YouthCouncil)
        .unwrap()
        .id
        .to_string();
    app.login(STAFF).await;
    let name = "Segunda sesión de capacitación de la Escuela Ciudadana Juvenil";
    let mut fields = vec![
        ("body", council.as_str()),
        ("kind", "extraordinary"),
        ("held_on", "2026-04-17"),
        ("scheduled_time", "17:00"),
        ("place", "Biblioteca Central Estatal"),
        ("legal_basis", ""),
        ("name", name),
    ];
    let convened = app.post_form("/sesiones/nueva", &fields).await;
    assert_eq!(convened.status(), 303);
    let listed = app.get_text("/sesiones").await;
    assert!(
        listed.contains(name),
        "the list shows its name, not a number"
    );
    let long = "x".repeat(201);
    fields[6] = ("name", long.as_str());
    let refused = app.post_form("/sesiones/nueva", &fields).await;
    assert_eq!(refused.status(), 422);
}

/// The ids of the fields a form requires, and the text of each one's label.
fn required_fields(html: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for tag in html.split('<').skip(1) {
        let tag = tag.split('>').next().unwrap_or_default();
        let is_field = tag.starts_with("input ") || tag.starts_with("textarea ");
        let required = tag.split_whitespace().any(|a| a == "required");
        let Some(id) = tag.split("id=\"").nth(1).and_then(|r| r.split('"').next()) else {
            continue;
        };
        if is_field && required {
            let label = html
                .split(&format!("<label for=\"{id}\">"))
                .nth(1)
                .and_then(|r| r.split("</label>").next())
                .unwrap_or_default();
            out.push((id.to_owned(), label.to_owned()));
        }
    }
    out
}

#[tokio::test]
async fn every_required_field_of_the_call_form_says_so_in_its_label() {
    let app = spawn_app().await;
    let youth = abierto_domain::calls::Eligibility::new(15, 29).unwrap();
    for (kind, ages) in [(CallKind::Ideas, None), (CallKind::Youth, Some(youth))] {
        let call = open_call(&app, kind, ages).await;
        let page = app.get_text(&format!("/convocatorias/{call}")).await;
        let required = required_fields(&page);
        assert!(required.len() >= 5, "{required:?}");
        for (id, label) in &required {
            assert!(label.contains("(obligatorio)"), "{id}: «{label}»");
        }
        // Nothing optional is marked as required.
        for optional in ["phone", "neighbourhood", "area", "problem"] {
            assert!(!required.iter().any(|(id, _)| id == optional), "{optional}");
            let label = page
                .split(&format!("<label for=\"{optional}\">"))
                .nth(1)
                .and_then(|r| r.split("</label>").next())
                .unwrap();
            assert!(!label.contains("obligatorio"), "{optional}: {label}");
        }
    }
}

async fn status_page(app: &TestApp, folio: &str, token: &str) -> String {
    app.post_form(
        "/convocatorias/consulta",
        &[("folio", folio), ("token", token)],
    )
    .await
    .text()
    .await
    .unwrap()
}

#[tokio::test]
async fn the_receipt_and_the_status_page_say_what_happens_next() {
    let app = spawn_app_with(instant_forms()).await;
    let call = open_call(&app, CallKind::Ideas, None).await;
    let fields = filled_form(&app, call).await;
    let receipt = post_form(&app, call, &fields, None).await;
    let receipt = receipt.text().await.unwrap();
    assert!(receipt.contains("¿Qué sigue?"), "{receipt}");
    assert!(receipt.contains("Las postulaciones se reciben hasta el"));
    assert!(receipt.contains("el Secretariado evalúa cada idea"));
    assert!(receipt.contains("siguiente sesión del Secretariado"));
    let (folio, token) = (text_of(&receipt, "folio"), text_of(&receipt, "token"));
    let pending = status_page(&app, &folio, &token).await;
    assert!(pending.contains("Las postulaciones se reciben hasta el"));
    assert!(!pending.contains("next-decided"));

    // Once accepted, the page says what acceptance means instead.
    let submission = app.store.submissions_of(call).await.unwrap()[0].id;
    app.store
        .evaluate_submission(
            &abierto_store::Actor::system(),
            submission,
            abierto_domain::calls::SubmissionStatus::Accepted,
            "Viable",
            Utc::now(),
        )
        .await
        .unwrap();
    let decided = status_page(&app, &folio, &token).await;
    assert!(
        text_of(&decided, "next-decided").contains("Banco de Acciones"),
        "{decided}"
    );
    assert!(!decided.contains("Las postulaciones se reciben hasta el"));
}
