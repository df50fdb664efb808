//! Conducting a session over the API: convening, agenda, attendance, votes, motions, times,
//! and the acta's approval, signatures and publication — with the bad inputs each refuses.

use serde_json::{json, Value};

use crate::helpers::{envelope, new_client, spawn_app, TestApp, ADMIN, MEMBER, STAFF};

/// The 2022-2024 Secretariado and its members by full name.
async fn secretariat(app: &TestApp) -> (i64, Vec<(String, i64)>) {
    let bodies = app.json("/api/v1/bodies").await;
    let body = bodies
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["name"].as_str().unwrap().ends_with("2022-2024"))
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let members = app.json(&format!("/api/v1/bodies/{body}/members")).await;
    let seats = members
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["person"]["full_name"].as_str().unwrap().to_owned(),
                s["membership"]["id"].as_i64().unwrap(),
            )
        })
        .collect();
    (body, seats)
}

fn seat(seats: &[(String, i64)], name: &str) -> i64 {
    seats.iter().find(|(n, _)| n == name).unwrap().1
}

async fn session_count(app: &TestApp) -> usize {
    app.json("/api/v1/sessions").await.as_array().unwrap().len()
}

async fn find_session(app: &TestApp, title: &str, day: &str) -> i64 {
    app.json("/api/v1/sessions")
        .await
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["title"] == title && s["held_on"] == day)
        .unwrap()["id"]
        .as_i64()
        .unwrap()
}

fn agenda(minutes_of: Option<i64>) -> Value {
    let mut items = vec![
        json!({"kind": "attendance_quorum", "title": "Lista de asistencia y, en su caso, declaración de quórum"}),
        json!({"kind": "agenda_approval", "title": "Lectura y, en su caso, aprobación del orden del día"}),
    ];
    if let Some(of) = minutes_of {
        items.push(json!({"kind": "minutes_approval", "title": "Lectura y, en su caso, aprobación del acta", "minutes_of": of}));
    }
    items.push(json!({"kind": "report", "title": "Informe de actividades"}));
    items.push(json!({"kind": "closing", "title": "Cierre"}));
    Value::Array(items)
}

async fn convene(app: &TestApp, body: i64, day: &str, minutes_of: Option<i64>) -> Value {
    let response = app
        .post_value(
            "/api/v1/sessions",
            &json!({
                "body": body, "kind": "extraordinary", "held_on": day, "scheduled_time": "13:00",
                "place": "Sala de juntas de Contraloría Municipal", "agenda": agenda(minutes_of),
            }),
        )
        .await;
    assert_eq!(response.status(), 201);
    response.json().await.unwrap()
}

/// Six of the eleven voting seats: quorum.
const QUORUM: [&str; 6] = [
    "Alma Delia López Orozco",
    "Abraham Gallegos Macías",
    "Norma Araceli Díaz Quintanar",
    "Irais Aranzazu Monjaraz Olvera",
    "Osbaldo Huerta Bermejo",
    "Luz Araceli Andrade Cifuentes",
];

async fn attend(app: &TestApp, id: i64, seats: &[(String, i64)], names: &[&str]) -> Value {
    let present: Vec<i64> = names.iter().map(|n| seat(seats, n)).collect();
    let response = app
        .put_json(
            &format!("/api/v1/sessions/{id}/attendance"),
            &json!({ "present": present }),
        )
        .await;
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

#[tokio::test]
async fn the_secretariat_convenes_a_session_numbered_after_the_last_of_its_kind() {
    let app = spawn_app().await;
    let (body, _) = secretariat(&app).await;
    let anonymous = app
        .post_value("/api/v1/sessions", &json!({"body": body}))
        .await;
    assert_eq!(anonymous.status(), 401);
    app.login(MEMBER).await;
    let member = app
        .post_value(
            "/api/v1/sessions",
            &json!({"body": body, "kind": "ordinary", "held_on": "2024-12-20", "scheduled_time": "13:00", "place": "Sala"}),
        )
        .await;
    assert_eq!(member.status(), 403);

    app.login(STAFF).await;
    let detail = convene(&app, body, "2024-12-20", None).await;
    // The demo holds the 2ª and 3ª Extraordinarias of 2024.
    assert_eq!(detail["number"], 4);
    assert_eq!(detail["title"], "4ª Sesión Extraordinaria");
    assert_eq!(detail["agenda"].as_array().unwrap().len(), 4);
    assert_eq!(detail["agenda"][3]["numeral"], "IV");
    assert_eq!(detail["minutes"]["status"], "draft");
    // Another year starts again at 1.
    let next_year = app
        .post_value(
            "/api/v1/sessions",
            &json!({"body": body, "kind": "extraordinary", "held_on": "2022-03-01", "scheduled_time": "10:00", "place": "Sala"}),
        )
        .await;
    assert_eq!(next_year.status(), 201);
    let next_year: Value = next_year.json().await.unwrap();
    assert_eq!(next_year["number"], 1);
}

#[tokio::test]
async fn bad_convocations_are_refused_and_store_nothing() {
    let app = spawn_app().await;
    let (body, _) = secretariat(&app).await;
    app.login(STAFF).await;
    let before = session_count(&app).await;
    let base = json!({"body": body, "kind": "extraordinary", "held_on": "2024-12-20", "scheduled_time": "13:00", "place": "Sala"});
    let with = |key: &str, value: Value| {
        let mut b = base.clone();
        b[key] = value;
        b
    };
    let cases = [
        (with("number", json!(3)), 409, "conflict", "number"),
        (
            with("held_on", json!("20/12/2024")),
            422,
            "invalid_date",
            "held_on",
        ),
        (
            with("scheduled_time", json!("1 pm")),
            422,
            "invalid_time",
            "scheduled_time",
        ),
        (
            with("held_on", json!("2025-06-01")),
            422,
            "session_outside_period",
            "held_on",
        ),
        (with("place", json!("  ")), 422, "place_required", "place"),
        (
            with("kind", json!("solemne")),
            422,
            "invalid_session_kind",
            "kind",
        ),
        (with("body", json!(999)), 422, "unknown_body", "body"),
        (
            with(
                "agenda",
                json!([{"kind": "attendance_quorum", "title": "Lista"}]),
            ),
            422,
            "agenda_without_closing",
            "agenda",
        ),
        (
            with(
                "agenda",
                json!([{"kind": "closing", "title": "Cierre"}, {"kind": "report", "title": "Informe"}]),
            ),
            422,
            "agenda_without_closing",
            "agenda",
        ),
    ];
    for (request, status, code, field) in cases {
        let response = app.post_value("/api/v1/sessions", &request).await;
        assert_eq!(response.status(), status, "{request}");
        let (got_code, got_field, message) = envelope(response).await;
        assert_eq!(
            (got_code.as_str(), got_field.as_deref()),
            (code, Some(field))
        );
        assert!(
            !message.is_empty() && !message.starts_with("error."),
            "{message}"
        );
    }
    assert_eq!(session_count(&app).await, before, "nothing was stored");
}

#[tokio::test]
async fn an_acta_is_approved_only_in_a_later_session() {
    let app = spawn_app().await;
    let (body, _) = secretariat(&app).await;
    app.login(STAFF).await;
    let before = session_count(&app).await;
    let ordinaria_4 = find_session(&app, "4ª Sesión Ordinaria", "2024-12-13").await;
    // An agenda that approves the acta of a session held the same day or later is refused.
    for day in ["2024-12-13", "2024-12-01"] {
        let response = app
            .post_value(
                "/api/v1/sessions",
                &json!({"body": body, "kind": "extraordinary", "held_on": day, "scheduled_time": "13:00",
                        "place": "Sala", "agenda": agenda(Some(ordinaria_4))}),
            )
            .await;
        assert_eq!(response.status(), 422, "{day}");
        assert_eq!(envelope(response).await.0, "minutes_approval_not_later");
    }
    assert_eq!(session_count(&app).await, before);
    // Another body's acta is not this body's to approve.
    let other = find_session(&app, "1ª Sesión Ordinaria", "2026-03-27").await;
    let response = app
        .post_value(
            "/api/v1/sessions",
            &json!({"body": body, "kind": "extraordinary", "held_on": "2024-12-20", "scheduled_time": "13:00",
                    "place": "Sala", "agenda": agenda(Some(other))}),
        )
        .await;
    assert_eq!(envelope(response).await.0, "minutes_of_other_body");
}

#[tokio::test]
async fn votes_need_quorum_and_a_passing_approval_freezes_the_earlier_acta() {
    let app = spawn_app().await;
    let (body, seats) = secretariat(&app).await;
    app.login(STAFF).await;
    let ordinaria_4 = find_session(&app, "4ª Sesión Ordinaria", "2024-12-13").await;
    let detail = convene(&app, body, "2024-12-20", Some(ordinaria_4)).await;
    let id = detail["id"].as_i64().unwrap();
    let vote = |position: i64, f: i64, a: i64, s: i64| {
        let app = &app;
        async move {
            app.put_json(
                &format!("/api/v1/sessions/{id}/agenda/{position}/vote"),
                &json!({"in_favour": f, "against": a, "abstentions": s}),
            )
            .await
        }
    };

    // No attendance yet, then too few present: no quorum, and no vote is stored.
    assert_eq!(envelope(vote(2, 1, 0, 0).await).await.0, "no_quorum");
    let detail = attend(&app, id, &seats, &QUORUM[..3]).await;
    assert_eq!(
        detail["quorum"],
        json!({"present": 3, "required": 6, "reached": false})
    );
    let response = vote(2, 3, 0, 0).await;
    assert_eq!(response.status(), 422);
    assert_eq!(
        envelope(response).await,
        (
            "no_quorum".into(),
            Some("votes".into()),
            "No se puede votar sin quórum legal.".into()
        )
    );
    let detail = app.json(&format!("/api/v1/sessions/{id}")).await;
    assert!(detail["agenda"][1]["vote"].is_null());

    // A substitute and their titular both present are one seat.
    let mut present = QUORUM.to_vec();
    present.extend([
        "Allan Michel León Aguirre",
        "María de la Luz Hernández Martínez",
    ]);
    let detail = attend(&app, id, &seats, &present).await;
    assert_eq!(detail["quorum"]["reached"], true);
    assert_eq!(detail["quorum"]["present"], 7);
    assert_eq!(detail["attendance"].as_array().unwrap().len(), 8);

    assert_eq!(envelope(vote(2, 6, 1, 1).await).await.0, "too_many_votes");
    assert_eq!(envelope(vote(4, 6, 0, 0).await).await.0, "item_not_voted");
    assert_eq!(envelope(vote(2, 0, 0, 0).await).await.0, "empty_vote");
    assert_eq!(
        envelope(vote(2, -1, 0, 0).await).await.0,
        "negative_vote_count"
    );
    assert_eq!(vote(9, 6, 0, 0).await.status(), 404);

    let response = vote(2, 5, 1, 0).await;
    assert_eq!(response.status(), 200);
    let detail: Value = response.json().await.unwrap();
    assert_eq!(
        detail["agenda"][1]["vote"]["outcome"],
        "approved_by_majority"
    );
    assert_eq!(detail["agenda"][1]["vote"]["count"]["against"], 1);

    // Item III approves the 4ª Ordinaria's acta: it is frozen, and its record locked.
    assert_eq!(vote(3, 6, 0, 0).await.status(), 200);
    let earlier = app.json(&format!("/api/v1/sessions/{ordinaria_4}")).await;
    assert_eq!(earlier["minutes"]["status"], "approved");
    assert_eq!(earlier["minutes_approved_in"], id);
    let sha = earlier["minutes"]["versions"][0]["text_sha256"]
        .as_str()
        .unwrap();
    assert_eq!(sha.len(), 64);
    let response = app
        .put_json(
            &format!("/api/v1/sessions/{ordinaria_4}/agenda"),
            &json!({"items": [{"kind": "closing", "title": "Cierre"}]}),
        )
        .await;
    assert_eq!(response.status(), 422);
    assert_eq!(envelope(response).await.0, "minutes_approved");
    let unchanged = app.json(&format!("/api/v1/sessions/{ordinaria_4}")).await;
    assert_eq!(unchanged["agenda"], earlier["agenda"]);
    let markdown = app
        .get_text(&format!("/api/v1/sessions/{ordinaria_4}/minutes?format=md"))
        .await;
    assert!(
        markdown.contains("aprobada en la 4ª Sesión Extraordinaria del 20 de diciembre de 2024"),
        "{markdown}"
    );
}

#[tokio::test]
async fn times_and_motions_are_checked() {
    let app = spawn_app().await;
    let (body, seats) = secretariat(&app).await;
    app.login(STAFF).await;
    let id = convene(&app, body, "2024-12-20", None).await["id"]
        .as_i64()
        .unwrap();
    let times = |start: &str, end: &str| {
        let app = &app;
        let body = json!({"started_at": start, "ended_at": end});
        async move {
            app.put_json(&format!("/api/v1/sessions/{id}/times"), &body)
                .await
        }
    };
    assert_eq!(
        envelope(times("13:14", "13:00").await).await.0,
        "end_before_start"
    );
    let (code, field, _) = envelope(times("13.14", "13:46").await).await;
    assert_eq!(
        (code.as_str(), field.as_deref()),
        ("invalid_time", Some("started_at"))
    );
    let detail: Value = times("13:14", "13:46").await.json().await.unwrap();
    assert_eq!(detail["started_at"], "13:14");
    assert_eq!(detail["ended_at"], "13:46");

    attend(&app, id, &seats, &QUORUM).await;
    let motions = format!("/api/v1/sessions/{id}/agenda/4/motions");
    let alma = seat(&seats, "Alma Delia López Orozco");
    let carlos = seat(&seats, "Carlos de Jesús Torres Barrientos");
    let response = app
        .post_value(
            &motions,
            &json!({"proposer": carlos, "text": "mesa de trabajo", "outcome": "accepted"}),
        )
        .await;
    assert_eq!(envelope(response).await.0, "proposer_not_present");
    let response = app
        .post_value(
            &motions,
            &json!({"proposer": alma, "text": " ", "outcome": "accepted"}),
        )
        .await;
    assert_eq!(envelope(response).await.0, "text_required");
    let response = app
        .post_value(&motions, &json!({"proposer": alma, "text": "realizar una mesa de trabajo", "outcome": "accepted"}))
        .await;
    assert_eq!(response.status(), 201);
    let detail: Value = response.json().await.unwrap();
    assert_eq!(detail["agenda"][3]["motions"][0]["outcome"], "accepted");
}

#[tokio::test]
async fn a_member_present_signs_the_approved_acta_and_the_secretariat_publishes_it() {
    let app = spawn_app().await;
    let (body, seats) = secretariat(&app).await;
    app.login(STAFF).await;
    let first = convene(&app, body, "2024-12-20", None).await["id"]
        .as_i64()
        .unwrap();
    attend(&app, first, &seats, &QUORUM).await;
    let minutes = format!("/api/v1/sessions/{first}/minutes");

    // Before approval: nothing to sign or publish, and the public cannot read the draft.
    let public = crate::helpers::new_client();
    let response = public.get(app.url(&minutes)).send().await.unwrap();
    assert_eq!(response.status(), 404);
    assert_eq!(envelope(response).await.0, "minutes_not_published");
    let response = app
        .post_value(&format!("{minutes}/signatures"), &json!({}))
        .await;
    assert_eq!(envelope(response).await.0, "minutes_not_approved");

    let second = convene(&app, body, "2024-12-27", Some(first)).await["id"]
        .as_i64()
        .unwrap();
    attend(&app, second, &seats, &QUORUM).await;
    let response = app
        .put_json(
            &format!("/api/v1/sessions/{second}/agenda/3/vote"),
            &json!({"in_favour": 6, "against": 0, "abstentions": 0}),
        )
        .await;
    assert_eq!(response.status(), 200);
    let response = app
        .post_value(&format!("{minutes}/publication"), &json!({}))
        .await;
    assert_eq!(envelope(response).await.0, "minutes_unsigned");

    // An administrator with no seat cannot sign; the member present can, once.
    app.login(ADMIN).await;
    let response = app
        .post_value(&format!("{minutes}/signatures"), &json!({}))
        .await;
    assert_eq!(envelope(response).await.0, "signer_not_present");
    app.login(MEMBER).await;
    let response = app
        .post_value(&format!("{minutes}/signatures"), &json!({}))
        .await;
    assert_eq!(response.status(), 201);
    let detail: Value = response.json().await.unwrap();
    let signature = &detail["minutes"]["signatures"][0];
    assert_eq!(
        signature["membership"],
        seat(&seats, "Alma Delia López Orozco")
    );
    assert_eq!(
        signature["text_sha256"],
        detail["minutes"]["versions"][0]["text_sha256"]
    );
    assert_eq!(detail["minutes"]["status"], "signed");
    let response = app
        .post_value(&format!("{minutes}/signatures"), &json!({}))
        .await;
    assert_eq!(envelope(response).await.0, "already_signed");
    let response = app
        .post_value(&format!("{minutes}/publication"), &json!({}))
        .await;
    assert_eq!(response.status(), 403, "members do not publish");

    app.login(STAFF).await;
    let response = app
        .post_value(&format!("{minutes}/publication"), &json!({}))
        .await;
    assert_eq!(response.status(), 200);
    let text = app.public_text(&format!("{minutes}?format=md")).await;
    assert!(text.contains("4ª SESIÓN EXTRAORDINARIA"), "{text}");
    assert!(
        text.contains("aprobada en la 5ª Sesión Extraordinaria del 27 de diciembre de 2024"),
        "{text}"
    );

    // A correction opens version 2; version 1 stays public until the new one is published.
    let response = app
        .post_value(&format!("{minutes}/corrections"), &json!({}))
        .await;
    assert_eq!(response.status(), 201);
    let detail: Value = response.json().await.unwrap();
    assert_eq!(detail["minutes"]["status"], "draft");
    assert_eq!(detail["minutes"]["versions"].as_array().unwrap().len(), 2);
    let again = public
        .get(app.url(&format!("{minutes}?format=md")))
        .send()
        .await
        .unwrap();
    assert_eq!(again.text().await.unwrap(), text);
}

#[tokio::test]
async fn the_historical_record_shows_its_findings() {
    let app = spawn_app().await;
    let id = find_session(&app, "3ª Sesión Extraordinaria", "2024-09-13").await;
    let detail = app.json(&format!("/api/v1/sessions/{id}")).await;
    let findings: Vec<(String, String, String)> = detail["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["kind"].as_str().unwrap().to_owned(),
                f["item"].as_str().unwrap_or_default().to_owned(),
                f["detail"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let has = |kind: &str, item: &str, detail: &str| {
        findings
            .iter()
            .any(|(k, i, d)| k == kind && i == item && d.contains(detail))
    };
    assert!(
        has("minutes_approved_before_session", "III", "2024-10-03"),
        "{findings:?}"
    );
    assert!(
        has("name_written_two_ways", "", "María de Luz"),
        "{findings:?}"
    );
    assert!(
        has("signer_not_present", "", "Torres Barrientos"),
        "{findings:?}"
    );
    assert!(
        has("signer_not_present", "", "Márquez Moreno"),
        "{findings:?}"
    );
    assert_eq!(findings.len(), 4, "{findings:?}");
    assert_eq!(detail["minutes"]["status"], "published");
    // Published with the annexes it announces, which the public may download.
    for (item, announced, file) in [
        (
            3,
            "propuesta de modificación",
            "propuesta-modificacion-lineamientos.pdf",
        ),
        (
            4,
            "informe de actividades",
            "quinto-informe-actividades.pdf",
        ),
    ] {
        let agenda_item = &detail["agenda"][item];
        assert_eq!(agenda_item["annex_note"], announced);
        let annexes = agenda_item["annexes"].as_array().unwrap();
        assert_eq!(annexes.len(), 1, "{agenda_item}");
        assert_eq!(annexes[0]["filename"], file);
        let download = new_client()
            .get(app.url(&format!("/anexos/{}", annexes[0]["id"])))
            .send()
            .await
            .unwrap();
        assert_eq!(download.status(), 200, "{file}");
        let bytes = download.bytes().await.unwrap();
        assert!(bytes.starts_with(b"%PDF-"), "{file}");
    }
    assert_eq!(
        detail["minutes"]["signature_sheet"]
            .as_array()
            .unwrap()
            .len(),
        9
    );

    // The acta approved before its session shows the finding from its side too.
    let ordinaria_3 = find_session(&app, "3ª Sesión Ordinaria", "2024-10-03").await;
    let detail = app.json(&format!("/api/v1/sessions/{ordinaria_3}")).await;
    assert_eq!(
        detail["findings"][0]["kind"],
        "minutes_approved_before_session"
    );
}

#[tokio::test]
async fn a_vote_may_be_taken_by_person() {
    let app = spawn_app().await;
    let (body, seats) = secretariat(&app).await;
    app.login(STAFF).await;
    let id = convene(&app, body, "2024-12-20", None).await["id"]
        .as_i64()
        .unwrap();
    let mut present = QUORUM.to_vec();
    present.extend([
        "Allan Michel León Aguirre",
        "María de la Luz Hernández Martínez",
    ]);
    attend(&app, id, &seats, &present).await;
    let ballot =
        |name: &str, choice: &str| json!({"membership": seat(&seats, name), "choice": choice});
    let path = format!("/api/v1/sessions/{id}/agenda/2/vote");

    let titular_and_substitute = json!({"ballots": [
        ballot("Allan Michel León Aguirre", "in_favour"),
        ballot("María de la Luz Hernández Martínez", "in_favour"),
    ]});
    assert_eq!(
        envelope(app.put_json(&path, &titular_and_substitute).await)
            .await
            .0,
        "seat_voted_twice"
    );
    let absent = json!({"ballots": [ballot("Carlos de Jesús Torres Barrientos", "in_favour")]});
    assert_eq!(
        envelope(app.put_json(&path, &absent).await).await.0,
        "ballot_not_present"
    );
    let mismatch =
        json!({"in_favour": 2, "ballots": [ballot("Alma Delia López Orozco", "in_favour")]});
    assert_eq!(
        envelope(app.put_json(&path, &mismatch).await).await.0,
        "ballots_mismatch"
    );
    // Neither counts nor ballots: a vote with nothing in it breaks a rule of votes.
    let response = app.put_json(&path, &json!({})).await;
    assert_eq!(response.status(), 422);
    assert_eq!(
        envelope(response).await,
        (
            "empty_vote".into(),
            Some("in_favour".into()),
            "La votación no tiene votos.".into()
        )
    );

    let by_person = json!({"ballots": [
        ballot("Alma Delia López Orozco", "in_favour"),
        ballot("Abraham Gallegos Macías", "in_favour"),
        ballot("Norma Araceli Díaz Quintanar", "against"),
        ballot("María de la Luz Hernández Martínez", "abstention"),
    ]});
    let response = app.put_json(&path, &by_person).await;
    assert_eq!(response.status(), 200);
    let detail: Value = response.json().await.unwrap();
    let item = &detail["agenda"][1];
    assert_eq!(
        item["vote"]["count"],
        json!({"in_favour": 2, "against": 1, "abstentions": 1})
    );
    assert_eq!(item["vote"]["outcome"], "approved_by_majority");
    assert_eq!(item["ballots"].as_array().unwrap().len(), 4);
    // A count recorded afterwards replaces the ballots.
    let response = app
        .put_json(
            &path,
            &json!({"in_favour": 6, "against": 0, "abstentions": 0}),
        )
        .await;
    let detail: Value = response.json().await.unwrap();
    assert!(detail["agenda"][1]["ballots"]
        .as_array()
        .unwrap()
        .is_empty());
}
