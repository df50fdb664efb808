//! Calls over the API: the public list and detail, a citizen's submission with its bad
//! inputs, a repeated post answering the same folio, the status by folio and secret, the
//! per-address limit, a youth call's eligibility, and no personal data in any public answer.

use abierto_domain::calls::{CallKind, Eligibility, SubmissionStatus, Window};
use abierto_domain::ids::{BodyId, CallId};
use abierto_domain::sessions::{AgendaItemKind, SessionKind, VoteOutcome, VoteResult};
use abierto_store::{Actor, NewAgendaItem, NewCall, NewSession};
use chrono::{Duration, Utc};
use serde_json::{json, Value};

use crate::helpers::{envelope, spawn_app, spawn_app_with, TestApp, STAFF};

const EMAIL: &str = "ana.ruiz@example.org";
const PHONE: &str = "477 123 4567";

pub(crate) async fn body(app: &TestApp) -> BodyId {
    app.store
        .bodies()
        .await
        .unwrap()
        .into_iter()
        .find(|b| b.short_name == "STMGA 2025-2027")
        .unwrap()
        .id
}

/// A call of the 2025-2027 secretariat, approved in a session of its own, open now for ten
/// days.
pub(crate) async fn open_call(
    app: &TestApp,
    kind: CallKind,
    eligibility: Option<Eligibility>,
) -> CallId {
    let closes_at = Utc::now() + Duration::days(10);
    open_call_until(app, kind, eligibility, closes_at).await
}

/// A call of the 2025-2027 secretariat, approved in a session of its own, open now until
/// `closes_at`.
pub(crate) async fn open_call_until(
    app: &TestApp,
    kind: CallKind,
    eligibility: Option<Eligibility>,
    closes_at: chrono::DateTime<Utc>,
) -> CallId {
    let actor = Actor::system();
    let body = body(app).await;
    let session = app
        .store
        .create_session(
            &actor,
            &NewSession {
                body,
                kind: SessionKind::Extraordinary,
                number: None,
                held_on: Utc::now().date_naive() - Duration::days(30),
                scheduled_time: "13:00".into(),
                place: "Sala de juntas".into(),
                legal_basis: "artículo 7".into(),
                name: String::new(),
            },
        )
        .await
        .unwrap();
    let item = |kind, title: &str| NewAgendaItem {
        kind,
        title: title.into(),
        presenter: None,
        narrative: String::new(),
        annex_note: String::new(),
        minutes_of: None,
    };
    let items = app
        .store
        .set_agenda(
            &actor,
            session,
            &[
                item(AgendaItemKind::Proposal, "Aprobación de la Convocatoria"),
                item(AgendaItemKind::Closing, "Cierre"),
            ],
        )
        .await
        .unwrap();
    app.store
        .record_vote(
            &actor,
            items[0],
            VoteResult::reported(VoteOutcome::ApprovedUnanimously),
            None,
            None,
        )
        .await
        .unwrap();
    let now = Utc::now();
    let call = app
        .store
        .create_call(
            &actor,
            &NewCall {
                kind,
                title: "Convocatoria para la presentación de ideas".into(),
                text: "Se convoca a la ciudadanía de León…".into(),
                requirements: "Residir en León".into(),
                body,
                window: Window::new(now - Duration::hours(1), closes_at).unwrap(),
                eligibility,
            },
            now,
        )
        .await
        .unwrap();
    app.store
        .publish_call(&actor, call, items[0], now)
        .await
        .unwrap();
    call
}

fn idea() -> Value {
    json!({"title": "Bebederos <script>alert('x')</script> en los parques",
        "problem": "No hay agua potable en los parques.", "proposal": "Instalar bebederos.",
        "area": "Servicios públicos", "full_name": "Ana Ruiz Téllez", "email": EMAIL,
        "phone": PHONE, "neighbourhood": "San Juan de Abajo", "consent": true})
}

#[tokio::test]
async fn a_citizen_submits_an_idea_and_reads_its_status_with_folio_and_secret() {
    let app = spawn_app().await;
    let call = open_call(&app, CallKind::Ideas, None).await;
    let path = format!("/api/v1/calls/{call}/submissions");

    let mut bad = Vec::new();
    let mut no_consent = idea();
    no_consent["consent"] = json!(false);
    bad.push((no_consent, "privacy_consent_required"));
    let mut no_email = idea();
    no_email["email"] = json!("ana-en-example.org");
    bad.push((no_email, "invalid_email"));
    let mut no_proposal = idea();
    no_proposal["proposal"] = json!("  ");
    bad.push((no_proposal, "text_required"));
    let mut short_key = idea();
    short_key["idempotency_key"] = json!("corta");
    bad.push((short_key, "invalid_idempotency_key"));
    for (request, code) in bad {
        let response = app.post_value(&path, &request).await;
        assert_eq!(response.status(), 422, "{request}");
        assert_eq!(envelope(response).await.0, code);
    }

    let mut keyed = idea();
    keyed["idempotency_key"] = json!("k".repeat(40));
    let response = app.post_value(&path, &keyed).await;
    assert_eq!(response.status(), 201);
    let receipt: Value = response.json().await.unwrap();
    let folio = receipt["folio"].as_str().unwrap().to_owned();
    assert!(
        folio.starts_with("BAGA-") && folio.ends_with("-0001"),
        "{folio}"
    );
    // A double click: the same form posted again answers the same folio.
    let response = app.post_value(&path, &keyed).await;
    assert_eq!(response.status(), 200);
    let again: Value = response.json().await.unwrap();
    assert_eq!(again["folio"], folio.as_str());
    assert_eq!(again["repeated"], true);
    assert_eq!(app.store.submissions_of(call).await.unwrap().len(), 1);
    // The same key with other content is another request, refused; the key opens nothing.
    let mut reused = keyed.clone();
    reused["title"] = json!("Otra idea con la misma clave");
    let response = app.post_value(&path, &reused).await;
    assert_eq!(response.status(), 422);
    assert_eq!(envelope(response).await.0, "submission_token_reused");
    assert_eq!(app.store.submissions_of(call).await.unwrap().len(), 1);

    let status = |token: &str| json!({"folio": folio, "token": token});
    // The secret is the server's: never the client's key, and renewed by the repeat, whose
    // receipt is the one the proponent saw last.
    let first_token = receipt["token"].as_str().unwrap();
    let token = again["token"].as_str().unwrap();
    assert_ne!(token, "k".repeat(40));
    assert_ne!(token, first_token);
    for stale in [first_token.to_owned(), "k".repeat(40)] {
        let response = app
            .post_value("/api/v1/submissions/status", &status(&stale))
            .await;
        assert_eq!(response.status(), 404, "{stale}");
    }
    let wrong = app
        .post_value("/api/v1/submissions/status", &status("otro"))
        .await;
    assert_eq!(wrong.status(), 404);
    let unknown = app
        .post_value(
            "/api/v1/submissions/status",
            &json!({"folio": "BAGA-1999-0001", "token": token}),
        )
        .await;
    assert_eq!(unknown.status(), 404);
    let (wrong_code, _, wrong_message) = envelope(wrong).await;
    let (unknown_code, _, unknown_message) = envelope(unknown).await;
    assert_eq!(
        (wrong_code, wrong_message),
        (unknown_code, unknown_message),
        "nothing leaks"
    );
    let read: Value = app
        .post_value("/api/v1/submissions/status", &status(token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(read["status"], "received");
    assert_eq!(
        read["title"],
        "Bebederos <script>alert('x')</script> en los parques"
    );
}

#[tokio::test]
async fn no_public_answer_carries_a_proponents_personal_data() {
    let app = spawn_app().await;
    let call = open_call(&app, CallKind::Ideas, None).await;
    let response = app
        .post_value(&format!("/api/v1/calls/{call}/submissions"), &idea())
        .await;
    assert_eq!(response.status(), 201);
    let receipt: Value = response.json().await.unwrap();
    let submission = app.store.submissions_of(call).await.unwrap()[0].id;
    let actor = Actor::system();
    app.store
        .evaluate_submission(
            &actor,
            submission,
            SubmissionStatus::Accepted,
            "Viable",
            Utc::now(),
        )
        .await
        .unwrap();

    let bank = app.json("/api/v1/action-bank").await;
    assert_eq!(bank[0]["folio"], receipt["folio"]);
    let mut answers = vec![
        bank.to_string(),
        app.get_text("/api/v1/calls").await,
        app.get_text(&format!("/api/v1/calls/{call}")).await,
        receipt.to_string(),
    ];
    let status = json!({"folio": receipt["folio"], "token": receipt["token"]});
    answers.push(
        app.post_value("/api/v1/submissions/status", &status)
            .await
            .text()
            .await
            .unwrap(),
    );
    for answer in answers {
        for secret in [EMAIL, PHONE, "Ana Ruiz"] {
            assert!(!answer.contains(secret), "{secret} in {answer}");
        }
    }
}

#[tokio::test]
async fn calls_are_listed_with_their_status_and_drafts_stay_private() {
    let app = spawn_app().await;
    let call = open_call(&app, CallKind::Ideas, None).await;
    let now = Utc::now();
    let draft = app
        .store
        .create_call(
            &Actor::system(),
            &NewCall {
                kind: CallKind::Ideas,
                title: "Borrador".into(),
                text: String::new(),
                requirements: String::new(),
                body: body(&app).await,
                window: Window::new(now, now + Duration::days(3)).unwrap(),
                eligibility: None,
            },
            now,
        )
        .await
        .unwrap();
    let listed = app.json("/api/v1/calls").await;
    let ids: Vec<i64> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_i64().unwrap())
        .collect();
    assert!(
        ids.contains(&call.get()) && !ids.contains(&draft.get()),
        "{ids:?}"
    );
    let detail = app.json(&format!("/api/v1/calls/{call}")).await;
    assert_eq!(detail["status"], "open");
    assert_eq!(detail["status_label"], "Abierta");
    assert!(detail["approved_in_session"].is_i64());
    assert_eq!(
        app.get(&format!("/api/v1/calls/{draft}")).await.status(),
        404
    );
    let response = app
        .post_value(&format!("/api/v1/calls/{draft}/submissions"), &idea())
        .await;
    assert_eq!(response.status(), 404);
    app.login(STAFF).await;
    assert_eq!(
        app.json(&format!("/api/v1/calls/{draft}")).await["status"],
        "draft"
    );
}

#[tokio::test]
async fn a_client_address_is_limited_per_hour_and_youth_calls_check_eligibility() {
    let config = crate::helpers::Config::with_app(abierto_app::Settings {
        max_submissions_per_ip_hour: 2,
        ..Default::default()
    });
    let app = spawn_app_with(config).await;
    let youth = open_call(
        &app,
        CallKind::Youth,
        Some(Eligibility::new(15, 29).unwrap()),
    )
    .await;
    let path = format!("/api/v1/calls/{youth}/submissions");
    let closing = Utc::now() + Duration::days(10);
    let mut old = idea();
    old["born_on"] = json!((closing.date_naive() - Duration::days(365 * 40)).to_string());
    old["resides_in_municipality"] = json!(true);
    let response = app.post_value(&path, &old).await;
    assert_eq!(envelope(response).await.0, "age_outside_range");
    let mut elsewhere = idea();
    elsewhere["born_on"] = json!("2008-05-17");
    let response = app.post_value(&path, &elsewhere).await;
    assert_eq!(envelope(response).await.0, "residence_required");
    let mut young = elsewhere.clone();
    young["resides_in_municipality"] = json!(true);
    let response = app.post_value(&path, &young).await;
    assert_eq!(response.status(), 201);
    assert!(response.json::<Value>().await.unwrap()["folio"]
        .as_str()
        .unwrap()
        .starts_with("CAJ-"));
    let response = app.post_value(&path, &young).await;
    assert_eq!(response.status(), 201, "the second of the hour");
    let response = app.post_value(&path, &young).await;
    assert_eq!(response.status(), 429);
    assert_eq!(
        response.headers()["retry-after"],
        "3600",
        "an hour's attempts"
    );
    assert_eq!(envelope(response).await.0, "throttled");
    assert_eq!(app.store.submissions_of(youth).await.unwrap().len(), 2);
}

#[tokio::test]
async fn a_published_call_refuses_submissions_before_it_opens_and_after_it_closes() {
    let app = spawn_app().await;
    let open = open_call(&app, CallKind::Ideas, None).await;
    let approved = app.store.call(open).await.unwrap().approved_by.unwrap();
    let now = Utc::now();
    let actor = Actor::system();
    let later = app
        .store
        .create_call(
            &actor,
            &NewCall {
                kind: CallKind::Ideas,
                title: "Convocatoria del próximo mes".into(),
                text: String::new(),
                requirements: String::new(),
                body: body(&app).await,
                window: Window::new(now + Duration::days(30), now + Duration::days(60)).unwrap(),
                eligibility: None,
            },
            now,
        )
        .await
        .unwrap();
    app.store
        .publish_call(&actor, later, approved, now)
        .await
        .unwrap();
    assert_eq!(
        app.json(&format!("/api/v1/calls/{later}")).await["status"],
        "announced"
    );
    let early = app
        .post_value(&format!("/api/v1/calls/{later}/submissions"), &idea())
        .await;
    assert_eq!(early.status(), 422);
    assert_eq!(envelope(early).await.0, "call_not_open_yet");
    let page = app.get_text(&format!("/convocatorias/{later}")).await;
    assert!(page.contains("Anunciada") && !page.contains("name=\"consent\""));

    app.store
        .close_due_calls(now + Duration::days(11))
        .await
        .unwrap();
    let late = app
        .post_value(&format!("/api/v1/calls/{open}/submissions"), &idea())
        .await;
    assert_eq!(late.status(), 422);
    assert_eq!(envelope(late).await.0, "call_closed");
    assert!(app.store.submissions_of(open).await.unwrap().is_empty());
    assert!(app.store.submissions_of(later).await.unwrap().is_empty());
}
