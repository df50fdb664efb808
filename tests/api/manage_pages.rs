//! The secretariat's HTML forms for a session, without JavaScript: convene, agenda,
//! attendance, votes, annexes, convocation; the calendar and its iCalendar feeds.

use reqwest::multipart::{Form, Part};

use crate::helpers::{spawn_app, spawn_app_with, TestApp, MEMBER, STAFF};

/// Convenes a session through the form and answers its id.
async fn convene_by_form(app: &TestApp, day: &str) -> i64 {
    let form = app.get_text("/sesiones/nueva").await;
    let body = form
        .split("<option value=\"")
        .skip(1)
        .find(|option| {
            option
                .split("</option>")
                .next()
                .unwrap()
                .ends_with("2022-2024")
        })
        .and_then(|rest| rest.split('"').next())
        .expect("the 2022-2024 Secretariado to choose")
        .to_owned();
    let response = app
        .post_form(
            "/sesiones/nueva",
            &[
                ("body", body.as_str()),
                ("kind", "extraordinary"),
                ("held_on", day),
                ("scheduled_time", "13:00"),
                ("place", "Sala de juntas de Contraloría Municipal"),
                (
                    "legal_basis",
                    "artículos 7 párrafo segundo y 8 párrafo quinto",
                ),
            ],
        )
        .await;
    assert_eq!(response.status(), 303);
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    assert!(location.ends_with("/gestion?hecho=convened"), "{location}");
    location
        .trim_start_matches("/sesiones/")
        .split('/')
        .next()
        .unwrap()
        .parse()
        .unwrap()
}

fn agenda_rows(rows: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut fields = Vec::new();
    for (kind, title) in rows {
        for (name, value) in [
            ("kind", *kind),
            ("title", *title),
            ("narrative", ""),
            ("presenter", ""),
            ("minutes_of", ""),
            ("annex_note", ""),
        ] {
            fields.push((name.to_owned(), value.to_owned()));
        }
    }
    fields
}

async fn post_fields(app: &TestApp, path: &str, fields: &[(String, String)]) -> reqwest::Response {
    let borrowed: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    app.post_form(path, &borrowed).await
}

#[tokio::test]
async fn only_the_secretariat_reaches_the_forms() {
    let app = spawn_app().await;
    let anonymous = app.get("/sesiones/nueva").await;
    assert_eq!(anonymous.status(), 303, "sent to sign in");
    assert!(anonymous.headers()["location"]
        .to_str()
        .unwrap()
        .starts_with("/entrar"));
    app.login(MEMBER).await;
    assert_eq!(app.get("/sesiones/nueva").await.status(), 403);
    assert_eq!(app.get("/secretariado/avisos").await.status(), 403);
    let response = app
        .post_form("/sesiones/1/asistencia", &[("present", "1")])
        .await;
    assert_eq!(response.status(), 403);
}

#[tokio::test]
async fn the_secretariat_convenes_sets_the_agenda_and_takes_attendance_by_form() {
    let app = spawn_app().await;
    app.login(STAFF).await;
    let id = convene_by_form(&app, "2024-12-20").await;
    let page = app
        .get_text(&format!("/sesiones/{id}/gestion?hecho=convened"))
        .await;
    assert!(page.contains("Sesión convocada."));
    assert!(page.contains("4ª Sesión Extraordinaria"));

    // An agenda without its closing is refused on the page, and nothing is stored.
    let response = post_fields(
        &app,
        &format!("/sesiones/{id}/orden-del-dia"),
        &agenda_rows(&[("attendance_quorum", "Lista de asistencia")]),
    )
    .await;
    assert_eq!(response.status(), 422);
    let page = response.text().await.unwrap();
    assert!(
        page.contains("El orden del día debe terminar con el punto de cierre."),
        "{page}"
    );
    let detail = app.json(&format!("/api/v1/sessions/{id}")).await;
    assert!(detail["agenda"].as_array().unwrap().is_empty());

    let mut rows = agenda_rows(&[
        (
            "attendance_quorum",
            "Lista de asistencia y, en su caso, declaración de quórum",
        ),
        (
            "agenda_approval",
            "Lectura y, en su caso, aprobación del orden del día",
        ),
        ("closing", "Cierre"),
    ]);
    // The empty rows the form offers for new items are ignored.
    rows.extend(agenda_rows(&[("report", "")]));
    let response = post_fields(&app, &format!("/sesiones/{id}/orden-del-dia"), &rows).await;
    assert_eq!(response.status(), 303);
    let detail = app.json(&format!("/api/v1/sessions/{id}")).await;
    assert_eq!(detail["agenda"].as_array().unwrap().len(), 3);

    // A vote before attendance: no quorum, said on the page.
    let response = app
        .post_form(
            &format!("/sesiones/{id}/puntos/2/votacion"),
            &[
                ("in_favour", "6"),
                ("against", "0"),
                ("abstentions", "0"),
                ("reported_by", ""),
            ],
        )
        .await;
    assert_eq!(response.status(), 422);
    assert!(response
        .text()
        .await
        .unwrap()
        .contains("No se puede votar sin quórum legal."));
    let response = app
        .post_form(
            &format!("/sesiones/{id}/puntos/2/votacion"),
            &[
                ("in_favour", "seis"),
                ("against", "0"),
                ("abstentions", "0"),
            ],
        )
        .await;
    assert_eq!(response.status(), 422);
    assert!(response.text().await.unwrap().contains("números enteros"));

    let page = app.get_text(&format!("/sesiones/{id}/gestion")).await;
    let boxes: Vec<String> = page
        .split("name=\"present\" value=\"")
        .skip(1)
        .map(|rest| rest.split('"').next().unwrap().to_owned())
        .collect();
    assert!(boxes.len() >= 11, "{boxes:?}");
    let mut fields: Vec<(String, String)> = boxes
        .iter()
        .take(8)
        .map(|b| ("present".to_owned(), b.clone()))
        .collect();
    fields.dedup();
    let response = post_fields(&app, &format!("/sesiones/{id}/asistencia"), &fields).await;
    assert_eq!(response.status(), 303);
    let page = app
        .get_text(&format!("/sesiones/{id}/gestion?hecho=attendance"))
        .await;
    assert!(page.contains("Quórum legal"), "{page}");

    let response = app
        .post_form(
            &format!("/sesiones/{id}/puntos/2/votacion"),
            &[
                ("in_favour", "6"),
                ("against", "0"),
                ("abstentions", "0"),
                ("reported_by", ""),
            ],
        )
        .await;
    assert_eq!(response.status(), 303);
    let detail = app.json(&format!("/api/v1/sessions/{id}")).await;
    assert_eq!(
        detail["agenda"][1]["vote"]["outcome"],
        "approved_unanimously"
    );
    // The vote form shows what is stored, not zeros.
    let page = app.get_text(&format!("/sesiones/{id}/gestion")).await;
    assert!(
        page.contains("name=\"in_favour\" type=\"number\" min=\"0\" required value=\"6\""),
        "{page}"
    );

    let response = app
        .post_form(
            &format!("/sesiones/{id}/horario"),
            &[("started_at", "13:50"), ("ended_at", "13:14")],
        )
        .await;
    assert_eq!(response.status(), 422);
    assert!(response
        .text()
        .await
        .unwrap()
        .contains("La hora de cierre debe ser posterior a la de inicio."));
}

async fn upload(
    app: &TestApp,
    path: &str,
    name: &str,
    bytes: Vec<u8>,
    token: Option<String>,
) -> reqwest::Response {
    let mut form = Form::new();
    if let Some(token) = token {
        form = form.text("csrf_token", token);
    }
    form = form.part("file", Part::bytes(bytes).file_name(name.to_owned()));
    app.client
        .post(app.url(path))
        .multipart(form)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn annexes_are_checked_stored_and_served() {
    let dir = tempfile::tempdir().unwrap();
    let config = crate::helpers::Config::with_app(abierto_app::Settings {
        annex_dir: dir.path().join("anexos"),
        max_annex_bytes: 4096,
        ..abierto_app::Settings::default()
    });
    let app = spawn_app_with(config).await;
    app.login(STAFF).await;
    let id = convene_by_form(&app, "2024-12-20").await;
    let rows = agenda_rows(&[("report", "Informe de actividades"), ("closing", "Cierre")]);
    assert_eq!(
        post_fields(&app, &format!("/sesiones/{id}/orden-del-dia"), &rows)
            .await
            .status(),
        303
    );
    let path = format!("/sesiones/{id}/puntos/1/anexos");
    let token = app.csrf_token().await;

    let response = upload(
        &app,
        &path,
        "informe.pdf",
        b"%PDF-1.7 informe".to_vec(),
        None,
    )
    .await;
    assert_eq!(
        response.status(),
        403,
        "multipart forms need the CSRF token too"
    );

    let response = upload(
        &app,
        &path,
        "virus.exe",
        b"MZ\x90\x00".to_vec(),
        Some(token.clone()),
    )
    .await;
    assert_eq!(response.status(), 422);
    assert!(response
        .text()
        .await
        .unwrap()
        .contains("no se acepta como anexo"));
    let response = upload(
        &app,
        &path,
        "falso.pdf",
        b"<html></html>".to_vec(),
        Some(token.clone()),
    )
    .await;
    assert_eq!(response.status(), 422);
    let response = upload(
        &app,
        &path,
        "grande.pdf",
        [b"%PDF-".as_slice(), &[b'x'; 5000]].concat(),
        Some(token.clone()),
    )
    .await;
    assert_eq!(response.status(), 422);
    assert!(response
        .text()
        .await
        .unwrap()
        .contains("supera el tamaño máximo"));
    let response = upload(
        &app,
        &path,
        "enorme.pdf",
        vec![b'x'; 200 * 1024],
        Some(token.clone()),
    )
    .await;
    assert_eq!(response.status(), 413);
    let detail = app.json(&format!("/api/v1/sessions/{id}")).await;
    assert!(
        detail["agenda"][0]["annexes"]
            .as_array()
            .unwrap()
            .is_empty(),
        "nothing stored"
    );

    let content = b"%PDF-1.7 informe de actividades".to_vec();
    let response = upload(
        &app,
        &path,
        "informe.pdf",
        content.clone(),
        Some(token.clone()),
    )
    .await;
    assert_eq!(response.status(), 303);
    let detail = app.json(&format!("/api/v1/sessions/{id}")).await;
    let annex = &detail["agenda"][0]["annexes"][0];
    assert_eq!(annex["filename"], "informe.pdf");
    assert_eq!(annex["content_type"], "application/pdf");
    let sha = annex["sha256"].as_str().unwrap();
    assert!(
        dir.path().join("anexos").join(sha).exists(),
        "kept on disk under its hash"
    );

    let download = app.get(&format!("/anexos/{}", annex["id"])).await;
    assert_eq!(download.status(), 200);
    assert_eq!(download.headers()["content-type"], "application/pdf");
    assert_eq!(download.bytes().await.unwrap().to_vec(), content);
    // The public cannot fetch annexes of an acta that is not published.
    let public = crate::helpers::new_client();
    let response = public
        .get(app.url(&format!("/anexos/{}", annex["id"])))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 404);

    // The API takes the token in a header.
    let response = app
        .client
        .post(app.url(&format!("/api/v1/sessions/{id}/agenda/1/annexes")))
        .header("x-csrf-token", token)
        .multipart(Form::new().part(
            "file",
            Part::bytes(b"a,b\n1,2\n".to_vec()).file_name("datos.csv"),
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
    let detail: serde_json::Value = response.json().await.unwrap();
    assert_eq!(detail["agenda"][0]["annexes"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn the_convocation_lands_in_the_outbox_with_a_calendar_invitation() {
    let app = spawn_app_with(crate::helpers::Config::default().on_day(2024, 12, 2)).await;
    app.login(STAFF).await;
    let id = convene_by_form(&app, "2024-12-20").await;
    let response = app
        .post_form(&format!("/sesiones/{id}/convocatoria"), &[])
        .await;
    assert_eq!(response.status(), 422, "no agenda yet");
    let rows = agenda_rows(&[
        ("attendance_quorum", "Lista de asistencia"),
        ("closing", "Cierre"),
    ]);
    post_fields(&app, &format!("/sesiones/{id}/orden-del-dia"), &rows).await;
    let response = app
        .post_form(&format!("/sesiones/{id}/convocatoria"), &[])
        .await;
    assert_eq!(response.status(), 303);
    // Once the session's day has come and gone, it can no longer be convened.
    app.clock.advance(chrono::Duration::days(19));
    app.login(STAFF).await; // the sign-in of 19 days ago has expired
    let late = app
        .post_form(&format!("/sesiones/{id}/convocatoria"), &[])
        .await;
    assert_eq!(late.status(), 422);
    assert!(late
        .text()
        .await
        .unwrap()
        .contains("La fecha y hora de la sesión ya pasaron"));

    let notices = app.json(&format!("/api/v1/notices?session={id}")).await;
    let notices = notices.as_array().unwrap();
    // Every member with a seat on the day: eleven voting seats, two substitutes, the facilitator.
    assert_eq!(notices.len(), 14);
    assert!(notices.iter().all(|n| n["status"] == "outbox"));
    let alma = notices
        .iter()
        .find(|n| {
            n["body"]
                .as_str()
                .unwrap()
                .starts_with("Estimada Alma Delia López Orozco")
        })
        .unwrap();
    assert_eq!(alma["recipient"], "integrante@leon.example");
    assert!(alma["body"]
        .as_str()
        .unwrap()
        .contains("I. Lista de asistencia"));
    assert!(alma["subject"]
        .as_str()
        .unwrap()
        .starts_with("Convocatoria a la 4ª Sesión Extraordinaria"));
    let outbox = app.get_text("/secretariado/avisos").await;
    assert!(outbox.contains("sin correo registrado"));
    // Its times are the municipality's, as on every other page.
    let stored = app
        .store
        .notices(Some(abierto_domain::ids::SessionId::new(id)))
        .await
        .unwrap();
    let zone = abierto_domain::local_time::parse_zone("America/Mexico_City").unwrap();
    let local = abierto_domain::local_time::display(stored[0].created_at, zone);
    let utc = stored[0].created_at.format("%Y-%m-%d %H:%M").to_string();
    assert!(outbox.contains(&local), "{local} in {outbox}");
    assert!(!outbox.contains(&utc), "no UTC time");

    let ics = app.get(&format!("/sesiones/{id}/convocatoria.ics")).await;
    assert_eq!(ics.status(), 200);
    assert!(ics.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/calendar"));
    let ics = ics.text().await.unwrap();
    assert!(ics.contains("BEGIN:VEVENT"));
    assert!(
        ics.contains("DTSTART;TZID=America/Mexico_City:20241220T130000"),
        "{ics}"
    );
    assert!(ics.contains(&format!("UID:sesion-{id}@localhost")));
}

#[tokio::test]
async fn the_calendar_and_its_feed_list_every_session() {
    let app = spawn_app().await;
    let page = app.get_text("/sesiones/calendario").await;
    assert!(page.contains("septiembre de 2024"));
    assert!(page.contains("3ª Sesión Extraordinaria"));
    let feed = app.get("/sesiones.ics").await;
    assert_eq!(feed.status(), 200);
    let feed = feed.text().await.unwrap();
    assert_eq!(feed.matches("BEGIN:VEVENT").count(), 10, "{feed}");
    assert!(
        feed.contains("DTSTART;TZID=America/Mexico_City:20240913T131400"),
        "{feed}"
    );
    assert!(
        feed.contains("DTEND;TZID=America/Mexico_City:20240913T134600"),
        "{feed}"
    );
}

#[tokio::test]
async fn the_session_page_shows_findings_signatures_and_the_published_acta() {
    let app = spawn_app().await;
    let sessions = app.json("/api/v1/sessions").await;
    let id = sessions
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["title"] == "3ª Sesión Extraordinaria")
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let page = app.get_text(&format!("/sesiones/{id}")).await;
    assert!(page.contains("Hallazgos"));
    assert!(page.contains("Firmante que no consta en la lista de asistencia"));
    assert!(page.contains("Mtro. Carlos de Jesús Torres Barrientos"));
    assert!(page.contains("Publicada"));
    assert!(
        !page.contains("/gestion"),
        "no management link for the public"
    );
    // A session whose acta is not published: the public is told, and gets no acta.
    let draft = sessions
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["title"] == "4ª Sesión Ordinaria")
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let response = app.get(&format!("/sesiones/{draft}/acta")).await;
    assert_eq!(response.status(), 404);
    assert!(response.text().await.unwrap().contains("aún no se publica"));
}

#[tokio::test]
async fn a_form_of_the_wrong_shape_is_refused_whole_and_only_after_the_role_check() {
    let app = spawn_app().await;
    app.login(STAFF).await;
    let id = convene_by_form(&app, "2024-12-21").await;
    let path = format!("/sesiones/{id}/horario");
    // The start sent twice is not read as either of them.
    let response = app
        .post_form(&path, &[("started_at", "13:14"), ("started_at", "14:00")])
        .await;
    assert_eq!(response.status(), 400);
    let page = response.text().await.unwrap();
    assert!(
        page.contains("Un campo tiene un tipo o un valor no válido."),
        "{page}"
    );
    let manage = app.get_text(&format!("/sesiones/{id}/gestion")).await;
    assert!(!manage.contains("13:14"), "nothing was recorded");

    // Someone who may not keep sessions learns nothing about the body they sent.
    let other = spawn_app().await;
    other.login(MEMBER).await;
    let response = other
        .post_form(
            "/sesiones/1/horario",
            &[("started_at", "13:14"), ("started_at", "14:00")],
        )
        .await;
    assert_eq!(response.status(), 403);
}

#[tokio::test]
async fn a_published_sessions_management_page_is_read_only_and_says_why() {
    let app = spawn_app().await;
    app.login(STAFF).await;
    let sessions = app.get_text("/sesiones").await;
    let row = sessions
        .split("<tr>")
        .find(|row| row.contains("3ª Sesión Extraordinaria") && row.contains("STMGA 2022-2024"))
        .expect("the 3ª Sesión Extraordinaria of 2024");
    let id = row
        .split("href=\"/sesiones/")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap();
    let page = app.get_text(&format!("/sesiones/{id}/gestion")).await;
    assert!(page.contains("Registro cerrado: solo lectura."), "{page}");
    for form in [
        "orden-del-dia",
        "asistencia",
        "horario",
        "votacion",
        "mociones",
        "anexos",
    ] {
        assert!(
            !page.contains(&format!("/{form}\"")),
            "no {form} form on a frozen record"
        );
    }
    // What is stored is shown: the agenda, who attended, and the votes as reported.
    assert!(page.contains("Lista de asistencia y, en su caso, declaración de quórum"));
    assert!(page.contains("Alma Delia López Orozco"));
    assert!(page.contains("Aprobado por unanimidad"), "{page}");
    // Steps in order, each a section of its own.
    let steps: Vec<usize> = ["1. ", "2. ", "3. ", "4. ", "5. "]
        .iter()
        .map(|n| page.find(&format!("\">{n}")).expect(n))
        .collect();
    assert!(steps.windows(2).all(|w| w[0] < w[1]), "{steps:?}");
}
