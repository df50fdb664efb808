//! The platform's own records published as open data: what the datasets hold matches the
//! store, no proponent's data ever appears in them, a write is published again by the
//! background refresh while unchanged tables keep their version, and the datasets take no
//! uploads.

use std::time::Duration;

use abierto_domain::calls::{call_status, CallStatus};
use abierto_domain::sessions::{AgendaItemKind, VoteCount, VoteResult};
use abierto_store::{Actor, NewSubmission, Proponent};
use chrono::Utc;
use reqwest::multipart::{Form, Part};
use serde_json::{json, Value};

use crate::helpers::{
    demo_store, load_demo_data_files, location, new_client, spawn_app, spawn_on,
    spawn_with_open_data, Config, TestApp, MEMBER, STAFF,
};
use crate::open_data::{dgti, PUBLISHER};

/// The id of the dataset's resource called `name`.
async fn resource_id(app: &TestApp, dataset: &str, name: &str) -> i64 {
    let body = app
        .json(&format!("/api/3/action/package_show?id={dataset}"))
        .await;
    body["result"]["resources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == name)
        .unwrap_or_else(|| panic!("{dataset} has no resource «{name}»: {body}"))["id"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap()
}

/// Every row of a resource in the datastore.
async fn records(app: &TestApp, resource: i64) -> Vec<Value> {
    let body = app
        .json(&format!(
            "/api/3/action/datastore_search?resource_id={resource}&limit=32000"
        ))
        .await;
    assert_eq!(body["success"], true, "{body}");
    body["result"]["records"].as_array().unwrap().clone()
}

/// A server with the demo's open data, after a proposal of the demo was voted by count (the
/// historical minutes give outcomes only).
async fn spawn_with_a_counted_vote() -> TestApp {
    let (store, db) = demo_store().await;
    let item = store
        .all_agenda_items()
        .await
        .unwrap()
        .into_iter()
        .find(|i| i.kind == AgendaItemKind::Proposal)
        .expect("the demo has proposals");
    let count = VoteCount::new(7, 2, 1).unwrap();
    store
        .record_vote(
            &Actor::system(),
            item.id,
            VoteResult::counted(count),
            None,
            None,
        )
        .await
        .unwrap();
    load_demo_data_files(&store).await;
    spawn_on(store, db, Config::default()).await
}

#[tokio::test]
async fn the_datasets_hold_what_the_store_holds() {
    let app = spawn_with_a_counted_vote().await;
    let store = &app.store;

    // Sessions: one row each, with the attendance recorded (none before it is taken).
    let rows = records(
        &app,
        resource_id(&app, "sesiones-orden-del-dia-y-votaciones", "Sesiones").await,
    )
    .await;
    let sessions = store.sessions(None).await.unwrap();
    assert_eq!(rows.len(), sessions.len());
    let mut items = 0;
    for session in &sessions {
        let record = store.session_record(session.id).await.unwrap();
        items += record.agenda.len();
        let row = rows
            .iter()
            .find(|r| r["sesion_id"] == json!(session.id.get()))
            .unwrap();
        assert_eq!(row["fecha"], json!(session.held_on.to_string()));
        let expected = if record.attendance.is_empty() {
            Value::Null
        } else {
            json!(record.attendance.len())
        };
        assert_eq!(row["asistentes"], expected, "{row}");
    }
    assert!(
        rows.iter().any(|r| r["quorum_alcanzado"] == json!(true)),
        "the demo holds sessions with quorum"
    );

    // Each agenda item with its vote as the store counts it.
    let agenda = records(
        &app,
        resource_id(
            &app,
            "sesiones-orden-del-dia-y-votaciones",
            "Orden del día y votaciones",
        )
        .await,
    )
    .await;
    assert_eq!(agenda.len(), items);
    let mut counted = 0;
    for session in &sessions {
        let record = store.session_record(session.id).await.unwrap();
        for vote in &record.votes {
            let item = record.agenda.iter().find(|i| i.id == vote.item).unwrap();
            let row = agenda
                .iter()
                .find(|r| {
                    r["sesion_id"] == json!(session.id.get()) && r["punto"] == json!(item.position)
                })
                .unwrap();
            if let Some(count) = vote.result.count {
                assert_eq!(row["votos_a_favor"], json!(count.in_favour), "{row}");
                assert_eq!(row["votos_en_contra"], json!(count.against), "{row}");
                assert_eq!(row["abstenciones"], json!(count.abstentions), "{row}");
                assert_eq!(row["resultado"], "Aprobado por mayoría", "{row}");
                counted += 1;
            }
            assert!(!row["resultado"].as_str().unwrap().is_empty(), "{row}");
        }
    }
    assert!(counted > 0, "the demo holds counted votes");

    // Works: the stage each stands in.
    let rows = records(
        &app,
        resource_id(&app, "obras-de-presupuesto-participativo", "Obras").await,
    )
    .await;
    let works = store.works().await.unwrap();
    assert_eq!(rows.len(), works.len());
    for work in &works {
        let row = rows
            .iter()
            .find(|r| r["obra_id"] == json!(work.id.get()))
            .unwrap();
        let (stage, since, _) = work.history.last().unwrap();
        assert_eq!(row["etapa"], json!(stage.label_es()));
        assert_eq!(row["desde"], json!(since.to_string()));
    }
    let stages = records(
        &app,
        resource_id(
            &app,
            "obras-de-presupuesto-participativo",
            "Etapas de las obras",
        )
        .await,
    )
    .await;
    assert_eq!(
        stages.len(),
        works.iter().map(|w| w.history.len()).sum::<usize>()
    );

    // Agreements and goals: every record, once.
    let rows = records(
        &app,
        resource_id(&app, "acuerdos-mi-barrio-habla", "Acuerdos").await,
    )
    .await;
    let span = abierto_store::Span {
        from: chrono::NaiveDate::from_ymd_opt(1900, 1, 1).unwrap(),
        to: chrono::NaiveDate::from_ymd_opt(9999, 12, 31).unwrap(),
    };
    let agreements = store.agreements(span).await.unwrap();
    assert_eq!(rows.len(), agreements.len());
    let concluded = agreements
        .iter()
        .filter(|a| a.concluded_on.is_some())
        .count();
    assert_eq!(
        rows.iter()
            .filter(|r| !r["fecha_conclusion"].is_null())
            .count(),
        concluded
    );
    let rows = records(
        &app,
        resource_id(&app, "metas-del-plan-de-accion", "Metas y su avance").await,
    )
    .await;
    let mut goals = 0;
    for plan in store.plans().await.unwrap() {
        goals += store.goals_of_plan(plan.id).await.unwrap().len();
    }
    assert_eq!(rows.len(), goals);
    assert!(rows.iter().all(|r| r["avance_porcentaje"].is_number()));

    // Calls: the published ones, with their totals; a draft never.
    let rows = records(
        &app,
        resource_id(&app, "convocatorias-y-sus-resultados", "Convocatorias").await,
    )
    .await;
    let calls = store.calls(false).await.unwrap();
    assert_eq!(rows.len(), calls.len());
    for call in &calls {
        let row = rows
            .iter()
            .find(|r| r["convocatoria_id"] == json!(call.id.get()))
            .unwrap();
        assert_eq!(row["recibidas"], json!(call.submissions));
    }

    // The public portal lists them under the designated publisher.
    let page = app
        .get_text("/datos-abiertos?dependencia=unidad-de-transparencia")
        .await;
    assert!(
        page.contains("Sesiones, orden del día y votaciones"),
        "{page}"
    );
}

/// A submission to the demo's open call, with personal data that must never be published.
fn submission(call: abierto_domain::ids::CallId) -> NewSubmission {
    NewSubmission {
        call,
        title: "Bancas en el parque".to_owned(),
        problem: "El parque no tiene dónde sentarse.".to_owned(),
        proposal: "Instalar bancas a la sombra.".to_owned(),
        area: "Espacio público".to_owned(),
        proponent: Proponent {
            full_name: "Zacarías Privadísimo Ulloa".to_owned(),
            email: "zacarias.privadisimo@example.org".to_owned(),
            phone: "477 555 0199".to_owned(),
            neighbourhood: "Colonia Secreta".to_owned(),
            born_on: None,
            consented_at: Utc::now(),
        },
        token_hash: "0".repeat(64),
        idempotency_hash: None,
        request_hash: "1".repeat(64),
        files: Vec::new(),
    }
}

#[tokio::test]
async fn no_proponent_data_is_ever_published() {
    let (store, db) = demo_store().await;
    let open = store
        .calls(false)
        .await
        .unwrap()
        .into_iter()
        .find(|c| call_status(c.state, &c.window, Utc::now()) == CallStatus::Open)
        .expect("the demo has an open call");
    store
        .submit(&Actor::system(), &submission(open.id), Utc::now())
        .await
        .unwrap();
    load_demo_data_files(&store).await;
    let app = spawn_on(store, db, Config::default()).await;

    // The call counts it…
    let calls = resource_id(&app, "convocatorias-y-sus-resultados", "Convocatorias").await;
    let row = records(&app, calls)
        .await
        .into_iter()
        .find(|r| r["convocatoria_id"] == json!(open.id.get()))
        .unwrap();
    assert_eq!(
        (row["recibidas"].clone(), row["en_revision"].clone()),
        (json!(1), json!(1))
    );

    // …and no file, export or API answer of any of the platform's datasets names its author.
    let list = app.json("/api/3/action/package_list").await;
    let mut read = 0;
    for name in list["result"].as_array().unwrap() {
        let dataset = app
            .json(&format!(
                "/api/3/action/package_show?id={}",
                name.as_str().unwrap()
            ))
            .await;
        for resource in dataset["result"]["resources"].as_array().unwrap() {
            let id = resource["id"].as_str().unwrap();
            for path in [
                format!("/datos-abiertos/recursos/{id}/original"),
                format!("/datos-abiertos/recursos/{id}/datos.csv"),
                format!("/datos-abiertos/recursos/{id}/datos.json"),
                format!("/api/3/action/datastore_search?resource_id={id}&limit=32000"),
            ] {
                let text = app.get_text(&path).await;
                for private in [
                    "Zacarías",
                    "Privadísimo",
                    "zacarias",
                    "477 555",
                    "Colonia Secreta",
                    "Bancas en el parque",
                ] {
                    assert!(!text.contains(private), "{path} shows {private}");
                }
                read += 1;
            }
        }
    }
    assert!(read >= 4 * 8, "every table was read ({read})");
}

#[tokio::test]
async fn a_write_is_published_again_and_unchanged_tables_keep_their_version() {
    let app = spawn_with_open_data().await;
    let sessions = resource_id(&app, "sesiones-orden-del-dia-y-votaciones", "Sesiones").await;
    let works = resource_id(&app, "obras-de-presupuesto-participativo", "Obras").await;
    let version_of = |resource: i64| {
        let store = app.store.clone();
        async move {
            store
                .published_version(abierto_domain::ids::ResourceId::new(resource))
                .await
                .unwrap()
                .unwrap()
                .number
        }
    };
    let (sessions_before, works_before) = (version_of(sessions).await, version_of(works).await);

    // The secretariat moves a work back a stage, through the API.
    app.login(STAFF).await;
    let work = app.store.works().await.unwrap()[0].clone();
    let response = app
        .post_value(
            &format!("/api/v1/works/{}/stages", work.id),
            &json!({"stage": "winner", "changed_on": "2026-11-02", "reason": "Se cambió el predio"}),
        )
        .await;
    assert_eq!(response.status(), 204);

    // The background refresh publishes the works again, a moment later: the
    // dataset's two tables are published one after the other, so both are awaited.
    let stages = resource_id(
        &app,
        "obras-de-presupuesto-participativo",
        "Etapas de las obras",
    )
    .await;
    let (mut row, mut stage_recorded) = (Value::Null, false);
    for _ in 0..80 {
        row = records(&app, works)
            .await
            .into_iter()
            .find(|r| r["obra_id"] == json!(work.id.get()))
            .unwrap();
        stage_recorded = records(&app, stages)
            .await
            .iter()
            .any(|r| r["motivo"] == "Se cambió el predio");
        if row["etapa"] == "obra ganadora" && stage_recorded {
            break;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    assert_eq!(row["etapa"], "obra ganadora", "{row}");
    assert_eq!(row["desde"], "2026-11-02");
    assert!(stage_recorded, "the change of stage is in its table");
    assert_eq!(version_of(works).await, works_before + 1);
    assert_eq!(
        version_of(sessions).await,
        sessions_before,
        "sessions did not change"
    );
}

#[tokio::test]
async fn the_platforms_datasets_take_no_uploads() {
    let app = spawn_with_open_data().await;
    let works = resource_id(&app, "obras-de-presupuesto-participativo", "Obras").await;
    app.login(STAFF).await;
    let form = Form::new().text("csrf_token", app.csrf_token().await).part(
        "file",
        Part::bytes(b"obra_id,obra\n1,Otra\n".to_vec()).file_name("obras.csv"),
    );
    let response = app
        .client
        .post(app.url(&format!(
            "/datos-abiertos/publicar/recursos/{works}/versiones"
        )))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 422);
    let page = response.text().await.unwrap();
    assert!(page.contains("lo publica la plataforma"), "{page}");
    assert_eq!(
        app.store
            .versions(abierto_domain::ids::ResourceId::new(works))
            .await
            .unwrap()
            .len(),
        1,
        "nothing was stored"
    );
}

const OWN_PAGE: &str = "/datos-abiertos/publicar/datos-de-la-plataforma";

async fn publisher_id(app: &TestApp, name: &str) -> String {
    app.store
        .publisher_by_name(name)
        .await
        .unwrap()
        .id
        .to_string()
}

/// The names of the published datasets, once `ready` holds or after a few seconds.
async fn package_list_when(app: &TestApp, ready: impl Fn(&[String]) -> bool) -> Vec<String> {
    let mut names = Vec::new();
    for _ in 0..60 {
        names = app.json("/api/3/action/package_list").await["result"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n.as_str().unwrap().to_owned())
            .collect();
        if ready(&names) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    names
}

#[tokio::test]
async fn a_data_officer_designates_the_publisher_and_the_datasets_follow_it() {
    let mut app = spawn_app().await;
    // Nothing of the platform is published before a designation.
    assert!(app.json("/api/3/action/package_list").await["result"]
        .as_array()
        .unwrap()
        .is_empty());

    // Only data officers reach the page.
    assert_eq!(app.get(OWN_PAGE).await.status(), 303);
    for account in [MEMBER, PUBLISHER] {
        app.client = new_client();
        app.login(account).await;
        assert_eq!(app.get(OWN_PAGE).await.status(), 403, "{}", account.0);
        let response = app
            .post_form(
                OWN_PAGE,
                &[
                    ("publisher", "1"),
                    ("contact_name", "X"),
                    ("contact_email", "x@leon.example"),
                ],
            )
            .await;
        assert_eq!(response.status(), 403, "{}", account.0);
    }
    assert!(app.store.own_records_publication().await.unwrap().is_none());

    app.client = new_client();
    app.login(STAFF).await;
    let page = app.get_text(OWN_PAGE).await;
    assert!(page.contains("Todavía no se publican"), "{page}");
    let dgti = publisher_id(&app, "dgti-gobierno-digital").await;
    // Refusals are shown on the form, and store nothing.
    for (fields, message) in [
        (
            [
                ("publisher", "abc"),
                ("contact_name", "DGTI"),
                ("contact_email", "datos.abiertos@leon.example"),
            ],
            "Elige una dependencia publicadora",
        ),
        (
            [
                ("publisher", "99999"),
                ("contact_name", "DGTI"),
                ("contact_email", "datos.abiertos@leon.example"),
            ],
            "Elige una dependencia publicadora",
        ),
        (
            [
                ("publisher", dgti.as_str()),
                ("contact_name", " "),
                ("contact_email", "datos.abiertos@leon.example"),
            ],
            "nombre del área de contacto",
        ),
        (
            [
                ("publisher", dgti.as_str()),
                ("contact_name", "DGTI"),
                ("contact_email", "no es correo"),
            ],
            "no es válido",
        ),
    ] {
        let response = app.post_form(OWN_PAGE, &fields).await;
        assert_eq!(response.status(), 422, "{fields:?}");
        let html = response.text().await.unwrap();
        assert!(html.contains(message), "{fields:?}: {html}");
    }
    assert!(app.store.own_records_publication().await.unwrap().is_none());

    let response = app
        .post_form(
            OWN_PAGE,
            &[
                ("publisher", dgti.as_str()),
                ("contact_name", "DGTI"),
                ("contact_email", "datos.abiertos@leon.example"),
            ],
        )
        .await;
    assert_eq!(response.status(), 303);
    assert_eq!(location(&response), format!("{OWN_PAGE}?guardado=1"));
    let names = package_list_when(&app, |names| names.len() == 5).await;
    assert_eq!(
        names,
        [
            "acuerdos-mi-barrio-habla",
            "convocatorias-y-sus-resultados",
            "metas-del-plan-de-accion",
            "obras-de-presupuesto-participativo",
            "sesiones-orden-del-dia-y-votaciones"
        ]
    );
    let shown = app
        .json("/api/3/action/package_show?id=metas-del-plan-de-accion")
        .await;
    assert_eq!(
        shown["result"]["organization"]["name"],
        "dgti-gobierno-digital"
    );
    assert_eq!(
        shown["result"]["maintainer_email"],
        "datos.abiertos@leon.example"
    );
    let staff = app
        .store
        .own_records_publication()
        .await
        .unwrap()
        .unwrap()
        .authorised_by;
    let works = resource_id(&app, "obras-de-presupuesto-participativo", "Obras").await;
    let version = app
        .store
        .published_version(abierto_domain::ids::ResourceId::new(works))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (version.uploaded_by, version.approved_by),
        (staff, Some(staff))
    );

    // A contact is published: an account's login is refused as one, and nothing moves.
    let transparencia = publisher_id(&app, "unidad-de-transparencia").await;
    let response = app
        .post_form(
            OWN_PAGE,
            &[
                ("publisher", transparencia.as_str()),
                ("contact_name", "Unidad de Transparencia"),
                ("contact_email", "transparencia@leon.example"),
            ],
        )
        .await;
    assert_eq!(response.status(), 422);
    assert!(response
        .text()
        .await
        .unwrap()
        .contains("Ese correo es el de una cuenta de acceso"));

    // Another designation, with the office's public mailbox, moves them at once.
    let response = app
        .post_form(
            OWN_PAGE,
            &[
                ("publisher", transparencia.as_str()),
                ("contact_name", "Unidad de Transparencia"),
                ("contact_email", "unidad.transparencia@leon.example"),
            ],
        )
        .await;
    assert_eq!(response.status(), 303);
    let shown = app
        .json("/api/3/action/package_show?id=metas-del-plan-de-accion")
        .await;
    assert_eq!(
        shown["result"]["organization"]["name"],
        "unidad-de-transparencia"
    );
    let page = app.get_text(&format!("{OWN_PAGE}?guardado=1")).await;
    assert!(page.contains("Guardado."), "{page}");
    assert!(
        page.contains("href=\"/datos-abiertos/conjuntos/metas-del-plan-de-accion\""),
        "{page}"
    );
}

#[tokio::test]
async fn a_publisher_cannot_take_the_name_of_a_platform_dataset() {
    let app = spawn_app().await;
    app.login(PUBLISHER).await;
    let dgti = dgti(&app).await;
    let response = app
        .post_form(
            "/datos-abiertos/publicar",
            &[
                ("publisher", dgti.as_str()),
                ("title", "Obras"),
                ("name", "obras-de-presupuesto-participativo"),
                ("theme", "REGI"),
                ("license", "CC-BY-4.0"),
                ("frequency", "MONTHLY"),
                ("contact_name", "DGTI"),
                ("contact_email", "datos.abiertos@leon.example"),
            ],
        )
        .await;
    assert_eq!(response.status(), 422);
    assert!(response
        .text()
        .await
        .unwrap()
        .contains("publica la plataforma con sus propios registros"));
    assert!(app
        .store
        .dataset_by_name("obras-de-presupuesto-participativo")
        .await
        .is_err());
}

#[tokio::test]
async fn no_published_contact_is_the_login_of_an_account() {
    let app = spawn_with_open_data().await;
    let logins: Vec<String> = app
        .store
        .users()
        .await
        .unwrap()
        .iter()
        .map(|u| u.email.as_str().to_owned())
        .collect();
    assert!(!logins.is_empty());
    let turtle = app.get_text("/catalog.ttl").await;
    let search = app.get_text("/api/3/action/package_search?rows=1000").await;
    assert!(turtle.contains("mailto:"), "the catalog names its contacts");
    // Whole addresses: `unidad.transparencia@…` is not the login `transparencia@…`.
    for login in &logins {
        let in_turtle = format!("mailto:{login}>");
        let in_json = format!("\"{login}\"");
        assert!(!turtle.contains(&in_turtle), "{login} in catalog.ttl");
        assert!(!search.contains(&in_json), "{login} in package_search");
    }
}
