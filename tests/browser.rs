//! Browser tests: the real `abierto demo` binary in headless Chromium, driven over WebDriver
//! the way people use it — sign in, switch language, sign out; the secretariat conducting
//! a session whose acta a member then signs; and a reporting unit filing a month of the action
//! plan with a photo that the secretariat publishes; a citizen submitting an idea that the
//! secretariat accepts into the Banco de Acciones; a data publisher fixing a dataset's
//! findings, which the Unidad de Transparencia publishes and the public downloads.
//! Screenshots go to `target/test-artifacts/`.
//!
//! Needs Debian's `chromium` and `chromium-driver`; the test script installs them. When they
//! are missing, the test fails under CI and says loudly that it skipped anywhere else.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use abierto_store::testing::fresh_database;
use fantoccini::{Client, ClientBuilder, Locator};

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// Kills the child process when the test ends, pass or fail.
struct Guard(Child);

impl Drop for Guard {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts a program and returns it with the first stdout line that contains `marker`.
fn start_until(mut command: Command, marker: &str) -> (Guard, String) {
    let mut child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start");
    let stdout = child.stdout.take().expect("stdout");
    let guard = Guard(child);
    let mut lines = BufReader::new(stdout).lines();
    let line = lines
        .by_ref()
        .map_while(Result::ok)
        .find(|l| l.contains(marker))
        .unwrap_or_else(|| panic!("the program ended without printing «{marker}»"));
    // Keep draining so the program never blocks on a full pipe.
    std::thread::spawn(move || lines.for_each(drop));
    (guard, line)
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

async fn browser(driver_port: u16) -> Client {
    let mut capabilities = serde_json::Map::new();
    capabilities.insert(
        "goog:chromeOptions".to_owned(),
        serde_json::json!({
            "binary": CHROMIUM,
            "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     "--disable-dev-shm-usage", "--window-size=1280,900"]
        }),
    );
    ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(capabilities)
        .connect(&format!("http://127.0.0.1:{driver_port}"))
        .await
        .expect("WebDriver session")
}

async fn click(client: &Client, css: &str) {
    client
        .find(Locator::Css(css))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
}

/// Presses the language button, checks the navigation and `<html lang>` changed, and saves a
/// screenshot of the page in that language.
async fn switch_language(client: &Client, code: &str, plan_label: &str, artifacts: &Path) {
    click(client, &format!("form.lang-form button[value={code}]")).await;
    wait_for_text(client, ".main-nav a[href='/plan-de-accion']", plan_label).await;
    let html = client.find(Locator::Css("html")).await.unwrap();
    let lang = html.attr("lang").await.unwrap().unwrap_or_default();
    assert!(
        lang.starts_with(code),
        "<html lang={lang}> after choosing {code}"
    );
    let screenshot = client.screenshot().await.unwrap();
    std::fs::write(
        artifacts.join(format!("browser-smoke-{code}.png")),
        screenshot,
    )
    .unwrap();
}

/// Waits (up to ten seconds) until the element at `css` shows a text containing `expected`,
/// and returns that text. Polling tolerates the page being replaced by a navigation meanwhile.
async fn wait_for_text(client: &Client, css: &str, expected: &str) -> String {
    let mut last = String::new();
    for _ in 0..100 {
        if let Ok(element) = client.find(Locator::Css(css)).await {
            if let Ok(text) = element.text().await {
                if text.contains(expected) {
                    return text;
                }
                last = text;
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("«{css}» never showed «{expected}»; last text: «{last}»");
}

/// The demo server, ChromeDriver and a browser session; `None` (after saying so loudly) when
/// Chromium is missing outside CI.
struct Rig {
    client: Client,
    site: String,
    _server: Guard,
    _driver: Guard,
    _data_dir: tempfile::TempDir,
    _db: abierto_store::testing::TestDatabase,
}

async fn rig() -> Option<Rig> {
    if !Path::new(CHROMIUM).exists() || !Path::new(CHROMEDRIVER).exists() {
        if std::env::var_os("CI").is_some() {
            panic!("CI must run the browser tests: install the Debian packages chromium and chromium-driver");
        }
        eprintln!("\n*** SKIPPED browser test: {CHROMIUM} or {CHROMEDRIVER} is missing (apt-get install chromium chromium-driver) ***\n");
        return None;
    }
    let db = fresh_database().await.unwrap();
    let data_dir = tempfile::tempdir().unwrap();
    let mut server = Command::new(env!("CARGO_BIN_EXE_abierto"));
    server
        .args([
            "demo",
            "--addr",
            "127.0.0.1:0",
            "--database-url",
            &db.url,
            "--data-dir",
        ])
        .arg(data_dir.path())
        // The browser fills a form faster than a person; how long a person must take is
        // proven over HTTP with a clock the test moves (tests/api/call_pages.rs).
        .env("ABIERTO_MIN_FORM_FILL_SECONDS", "0");
    let (server, line) = start_until(server, "sirviendo en ");
    let site = line.rsplit(' ').next().unwrap().to_owned();

    let driver_port = free_port();
    let mut driver = Command::new(CHROMEDRIVER);
    driver.arg(format!("--port={driver_port}"));
    let (driver, _) = start_until(driver, "started successfully");
    Some(Rig {
        client: browser(driver_port).await,
        site,
        _server: server,
        _driver: driver,
        _data_dir: data_dir,
        _db: db,
    })
}

fn artifacts() -> std::path::PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/test-artifacts");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

async fn sign_in(client: &Client, site: &str, email: &str, password: &str, name: &str) {
    client.goto(&format!("{site}/entrar")).await.unwrap();
    let field = client
        .wait()
        .for_element(Locator::Id("email"))
        .await
        .unwrap();
    field.send_keys(email).await.unwrap();
    let field = client.find(Locator::Id("password")).await.unwrap();
    field.send_keys(password).await.unwrap();
    click(client, "form.stacked-form button[type=submit]").await;
    wait_for_text(client, ".account-name", name).await;
}

/// Follows the link whose text is `text`.
async fn follow(client: &Client, text: &str) {
    client
        .find(Locator::LinkText(text))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
}

async fn sign_out(client: &Client) {
    click(client, ".account button").await;
    wait_for_text(client, "a.login-link", "Iniciar sesión").await;
}

async fn fill(client: &Client, id: &str, value: &str) {
    let field = client.find(Locator::Id(id)).await.unwrap();
    field.clear().await.unwrap();
    field.send_keys(value).await.unwrap();
}

async fn choose(client: &Client, id: &str, value: &str) {
    let select = client.find(Locator::Id(id)).await.unwrap();
    select.select_by_value(value).await.unwrap();
}

/// Date and time inputs take keys in the browser's locale; set their value as a form would.
async fn set_value(client: &Client, id: &str, value: &str) {
    client
        .execute(
            "document.getElementById(arguments[0]).value = arguments[1];",
            vec![serde_json::json!(id), serde_json::json!(value)],
        )
        .await
        .unwrap();
}

#[tokio::test]
async fn a_person_signs_in_switches_language_and_signs_out() {
    let Some(rig) = rig().await else { return };
    let (client, site) = (&rig.client, rig.site.as_str());
    client.goto(site).await.unwrap();
    assert!(client.title().await.unwrap().contains("León"));
    wait_for_text(client, ".brand-name", "Municipio de León, Guanajuato").await;

    click(client, "a.login-link").await;
    let email = client
        .wait()
        .for_element(Locator::Id("email"))
        .await
        .unwrap();
    email.send_keys("transparencia@leon.example").await.unwrap();
    let password = client.find(Locator::Id("password")).await.unwrap();
    password.send_keys("demo-secretariado").await.unwrap();
    click(client, "form.stacked-form button[type=submit]").await;
    wait_for_text(client, ".account-name", "Luz Araceli Andrade Cifuentes").await;
    wait_for_text(client, "h1", "León").await;

    let artifacts = artifacts();
    switch_language(client, "en", "Action Plan", &artifacts).await;
    switch_language(client, "es", "Plan de Acción", &artifacts).await;

    sign_out(client).await;
    rig.client.clone().close().await.unwrap();
}

/// The secretariat convenes a session with its agenda, takes attendance, records two votes
/// and reads the acta; once a later session approves it, a member present signs it.
#[tokio::test]
async fn the_secretariat_conducts_a_session_and_a_member_signs_its_acta() {
    let Some(rig) = rig().await else { return };
    let (client, site) = (&rig.client, rig.site.as_str());
    sign_in(
        client,
        site,
        "transparencia@leon.example",
        "demo-secretariado",
        "Luz Araceli",
    )
    .await;

    // Convene.
    client
        .goto(&format!("{site}/sesiones/nueva"))
        .await
        .unwrap();
    let body = client
        .find(Locator::XPath(
            "//select[@id='body']/option[contains(., '2022-2024')]",
        ))
        .await
        .unwrap()
        .attr("value")
        .await
        .unwrap()
        .unwrap();
    choose(client, "body", &body).await;
    click(client, "#kind-extraordinary").await;
    set_value(client, "held_on", "2024-12-20").await;
    set_value(client, "scheduled_time", "13:00").await;
    fill(client, "place", "Sala de juntas de Contraloría Municipal").await;
    click(client, "form.stacked-form button[type=submit]").await;
    wait_for_text(client, "h1", "4ª Sesión Extraordinaria").await;
    let url = client.current_url().await.unwrap();
    let session: i64 = url
        .path()
        .trim_start_matches("/sesiones/")
        .split('/')
        .next()
        .unwrap()
        .parse()
        .unwrap();

    // The agenda.
    let agenda = [
        (
            "attendance_quorum",
            "Lista de asistencia y, en su caso, declaración de quórum",
        ),
        (
            "agenda_approval",
            "Lectura y, en su caso, aprobación del orden del día",
        ),
        ("proposal", "Aprobación del calendario de sesiones 2025"),
        ("closing", "Cierre"),
    ];
    for (index, (kind, title)) in agenda.iter().enumerate() {
        choose(client, &format!("kind-{}", index + 1), kind).await;
        fill(client, &format!("title-{}", index + 1), title).await;
    }
    click(client, "form[action$='/orden-del-dia'] button[type=submit]").await;
    wait_for_text(client, "p.notice", "Orden del día guardado.").await;

    // Attendance: the first seven seats.
    let boxes = client
        .find_all(Locator::Css("input[name=present]"))
        .await
        .unwrap();
    for checkbox in boxes.iter().take(7) {
        checkbox.click().await.unwrap();
    }
    click(client, "form[action$='/asistencia'] button[type=submit]").await;
    wait_for_text(client, "p.notice", "Lista de asistencia guardada.").await;
    wait_for_text(client, "#attendance-h + p", "Quórum legal").await;

    // Two votes (six voting seats are present: the facilitator does not vote).
    for (position, in_favour, against) in [(2, "6", "0"), (3, "5", "1")] {
        fill(client, &format!("favour-{position}"), in_favour).await;
        fill(client, &format!("against-{position}"), against).await;
        click(
            client,
            &format!("form[action$='/puntos/{position}/votacion'] button[type=submit]"),
        )
        .await;
        wait_for_text(
            client,
            &format!("article[aria-labelledby='item-{position}']"),
            &format!("{in_favour} / {against} / 0"),
        )
        .await;
    }

    // The acta, written from the record.
    client
        .goto(&format!("{site}/sesiones/{session}/acta"))
        .await
        .unwrap();
    wait_for_text(client, "p.badge", "Borrador").await;
    let acta = wait_for_text(client, "article.minutes", "ORDEN DEL DÍA").await;
    assert!(acta.contains("aprobada por unanimidad"), "{acta}");
    assert!(acta.contains("aprobada por mayoría"), "{acta}");
    let artifacts = artifacts();
    std::fs::write(
        artifacts.join("browser-acta-borrador.png"),
        client.screenshot().await.unwrap(),
    )
    .unwrap();
    sign_out(client).await;

    approve_in_a_later_session(site, session).await;

    // A member present signs.
    sign_in(
        client,
        site,
        "integrante@leon.example",
        "demo-integrante",
        "Alma Delia",
    )
    .await;
    client
        .goto(&format!("{site}/sesiones/{session}"))
        .await
        .unwrap();
    click(client, "form[action$='/acta/firmar'] button[type=submit]").await;
    wait_for_text(client, "p.notice", "Firmaste el acta.").await;
    let page = wait_for_text(client, "main", "Firmas electrónicas").await;
    assert!(page.contains("Alma Delia López Orozco"), "{page}");
    assert!(page.contains("Firmada"), "{page}");
    std::fs::write(
        artifacts.join("browser-acta-firmada.png"),
        client.screenshot().await.unwrap(),
    )
    .unwrap();
    rig.client.clone().close().await.unwrap();
}

/// The approval happens in a later session; the secretariat records it over the API.
async fn approve_in_a_later_session(site: &str, session: i64) {
    let http = reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .unwrap();
    let login_page = http
        .get(format!("{site}/entrar"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let token = login_page
        .split("name=\"csrf_token\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap()
        .to_owned();
    http.post(format!("{site}/entrar"))
        .form(&[
            ("csrf_token", token.as_str()),
            ("email", "transparencia@leon.example"),
            ("password", "demo-secretariado"),
        ])
        .send()
        .await
        .unwrap();
    let detail: serde_json::Value = http
        .get(format!("{site}/api/v1/sessions/{session}"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let present: Vec<serde_json::Value> = detail["attendance"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["membership"].clone())
        .collect();
    let later: serde_json::Value = http
        .post(format!("{site}/api/v1/sessions"))
        .json(&serde_json::json!({
            "body": detail["body"], "kind": "ordinary", "held_on": "2024-12-27",
            "scheduled_time": "13:00", "place": "Sala de juntas de Contraloría Municipal",
            "agenda": [
                {"kind": "minutes_approval", "title": "Aprobación del acta de la 4ª Sesión Extraordinaria", "minutes_of": session},
                {"kind": "closing", "title": "Cierre"}
            ]
        }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let later = later["id"].as_i64().unwrap();
    let response = http
        .put(format!("{site}/api/v1/sessions/{later}/attendance"))
        .json(&serde_json::json!({ "present": present }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let response = http
        .put(format!("{site}/api/v1/sessions/{later}/agenda/1/vote"))
        .json(&serde_json::json!({"in_favour": 6, "against": 0, "abstentions": 0}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
}

/// A reporting unit files September's realized actions with a photo as evidence; the
/// secretariat publishes them; the public dashboard's quarterly report shows the new figure
/// and the photo.
#[tokio::test]
async fn a_unit_files_a_month_with_a_photo_and_the_secretariat_publishes_it() {
    let Some(rig) = rig().await else { return };
    let (client, site) = (&rig.client, rig.site.as_str());
    sign_in(
        client,
        site,
        "presupuesto@leon.example",
        "demo-unidad-responsable",
        "Enlace de Presupuesto Participativo",
    )
    .await;
    click(client, ".main-nav a[href='/reportes']").await;
    wait_for_text(client, "h1", "Reportes de avance").await;
    follow(client, "Presupuesto Participativo").await;
    wait_for_text(client, "h1", "Presupuesto Participativo").await;
    let plan_link = client
        .find(Locator::Css("a.plan-link"))
        .await
        .unwrap()
        .attr("href")
        .await
        .unwrap()
        .unwrap();
    click(client, "a[href$='/2024-09']").await;
    wait_for_text(client, "h1", "Septiembre 2024").await;

    // The five published figures come pre-filled; the sixth line is free for a new one.
    let prefilled = client.find(Locator::Id("measure-5")).await.unwrap();
    assert_eq!(
        prefilled.prop("value").await.unwrap().as_deref(),
        Some("obras entregadas")
    );
    fill(client, "measure-6", "recorridos de supervisión").await;
    fill(client, "quantity-6", "4").await;
    fill(client, "dates-6", "2024-09-20, 2024-09-27").await;
    fill(client, "report-text", "Recorridos con los comités de obra.").await;
    click(client, "#report-text ~ button[type=submit]").await;
    wait_for_text(client, ".notice", "Borrador guardado").await;

    let photo_dir = tempfile::tempdir().unwrap();
    let photo = photo_dir.path().join("obra.jpg");
    std::fs::write(&photo, b"\xFF\xD8\xFF\xE0\x00\x10JFIF\x00 obra entregada").unwrap();
    fill(client, "evidence-description", "Entrega de la obra").await;
    client
        .find(Locator::Id("evidence-file"))
        .await
        .unwrap()
        .send_keys(photo.to_str().unwrap())
        .await
        .unwrap();
    click(client, "#evidence-file ~ button[type=submit]").await;
    wait_for_text(client, ".notice", "Evidencia adjuntada").await;
    let month_page = client.current_url().await.unwrap();
    std::fs::write(
        artifacts().join("browser-monthly-report.png"),
        client.screenshot().await.unwrap(),
    )
    .unwrap();

    // The unit signs out; the secretariat publishes.
    sign_out(client).await;
    sign_in(
        client,
        site,
        "transparencia@leon.example",
        "demo-secretariado",
        "Luz Araceli",
    )
    .await;
    client.goto(month_page.as_str()).await.unwrap();
    click(client, "form[action$='/publicar'] button").await;
    wait_for_text(client, ".notice", "Reporte publicado").await;
    sign_out(client).await;

    // The public finds the figure and the photo from the plan's dashboard.
    client.goto(&format!("{site}{plan_link}")).await.unwrap();
    click(client, "a[href$='/informes/2024-Q3']").await;
    wait_for_text(
        client,
        "main",
        "4 recorridos de supervisión con fecha 20 y 27 de septiembre",
    )
    .await;
    let evidence = client
        .find(Locator::Css("main a[href^='/evidencias/']"))
        .await
        .unwrap();
    assert_eq!(evidence.text().await.unwrap(), "obra.jpg");
    rig.client.clone().close().await.unwrap();
}

/// A citizen, with no account, submits an idea to the demo's open call and gets a folio; the
/// secretariat accepts it; the public finds it in the Banco de Acciones, without the
/// citizen's personal data.
#[tokio::test]
async fn a_citizen_submits_an_idea_that_the_secretariat_accepts_into_the_action_bank() {
    let Some(rig) = rig().await else { return };
    let (client, site) = (&rig.client, rig.site.as_str());
    client.goto(&format!("{site}/convocatorias")).await.unwrap();
    client
        .find(Locator::XPath("//a[contains(., 'demostración')]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for_text(client, "#form-h", "Presenta tu idea").await;
    let call_page = client.current_url().await.unwrap();
    fill(client, "title", "Bebederos en los parques del Centro").await;
    fill(client, "problem", "No hay agua potable en los parques.").await;
    fill(client, "proposal", "Instalar tres bebederos con filtro.").await;
    fill(client, "area", "Servicios públicos").await;
    fill(client, "full_name", "Ana Ruiz Téllez").await;
    fill(client, "email", "ana.ruiz@example.org").await;
    click(client, "#consent").await;
    let screenshot = client.screenshot().await.unwrap();
    std::fs::write(artifacts().join("call-form.png"), screenshot).unwrap();
    click(
        client,
        "form[enctype='multipart/form-data'] button[type=submit]",
    )
    .await;
    let folio = wait_for_text(client, "#folio", "BAGA-").await;
    assert!(folio.ends_with("-0001"), "{folio}");
    let token = client
        .find(Locator::Id("token"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(token.len() >= 32);
    click(client, "form[action='/convocatorias/consulta'] button").await;
    wait_for_text(client, "#submission-status", "Recibida").await;

    sign_in(
        client,
        site,
        "transparencia@leon.example",
        "demo-secretariado",
        "Luz Araceli",
    )
    .await;
    client
        .goto(&format!("{}/postulaciones", call_page.as_str()))
        .await
        .unwrap();
    client
        .find(Locator::XPath(&format!("//a[. = '{folio}']")))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for_text(client, "#submission-status", "Recibida").await;
    click(client, "input[name=status][value=accepted]").await;
    fill(client, "reasons", "Viable y de bajo costo.").await;
    click(client, "form[action$='/evaluacion'] button").await;
    wait_for_text(
        client,
        "#submission-status",
        "Aceptada en el Banco de Acciones",
    )
    .await;
    sign_out(client).await;

    client
        .goto(&format!("{site}/banco-de-acciones"))
        .await
        .unwrap();
    let bank = wait_for_text(client, "main", "Bebederos en los parques del Centro").await;
    assert!(bank.contains(&folio) && bank.contains("Viable y de bajo costo."));
    assert!(!bank.contains("Ana Ruiz") && !bank.contains("ana.ruiz@example.org"));
    let screenshot = client.screenshot().await.unwrap();
    std::fs::write(artifacts().join("action-bank.png"), screenshot).unwrap();
    rig.client.clone().close().await.unwrap();
}

/// Runs `fetch` in the page and gives the body: what a download link serves, read by the
/// browser itself (headless Chromium would save a download where no one reads it).
async fn fetch_text(client: &Client, path: &str) -> String {
    client
        .execute_async(
            "const done = arguments[arguments.length - 1];
             fetch(arguments[0]).then(r => r.text()).then(done, e => done('failed: ' + e));",
            vec![serde_json::json!(path)],
        )
        .await
        .unwrap()
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

/// The demo's data publisher reads the findings of the first capture of a dataset, uploads
/// the fixed file as a new version, the Unidad de Transparencia approves it, and the public
/// finds it in the catalog and downloads it.
#[tokio::test]
async fn a_publisher_fixes_a_dataset_that_an_officer_publishes_and_the_public_downloads() {
    let Some(rig) = rig().await else { return };
    let (client, site) = (&rig.client, rig.site.as_str());
    sign_in(
        client,
        site,
        "datos@leon.example",
        "demo-datos-abiertos",
        "Enlace de Datos Abiertos",
    )
    .await;
    click(client, ".main-nav a[href='/datos-abiertos/publicar']").await;
    wait_for_text(client, "h1", "Publicar datos").await;
    follow(client, "Apoyos educativos entregados en 2026").await;
    wait_for_text(client, "h1", "Apoyos educativos entregados en 2026").await;
    let manage_page = client.current_url().await.unwrap();

    // The first capture's findings, grouped, with what to fix.
    click(client, "a[href^='/datos-abiertos/publicar/versiones/']").await;
    let findings = wait_for_text(client, "main", "Hallazgos por corregir").await;
    for expected in [
        "Tipo de dato incorrecto",
        "Fila vacía",
        "Llave primaria repetida o vacía",
    ] {
        assert!(findings.contains(expected), "{expected}: {findings}");
    }
    std::fs::write(
        artifacts().join("browser-data-findings.png"),
        client.screenshot().await.unwrap(),
    )
    .unwrap();

    // The fixed file as a new version of the same resource.
    client.goto(manage_page.as_str()).await.unwrap();
    let fixed = Path::new(env!("CARGO_MANIFEST_DIR")).join("demo/datos/apoyos-educativos-2026.csv");
    client
        .find(Locator::Css("form[action$='/versiones'] input[type=file]"))
        .await
        .unwrap()
        .send_keys(fixed.to_str().unwrap())
        .await
        .unwrap();
    click(client, "form[action$='/versiones'] button[type=submit]").await;
    wait_for_text(client, "main", "Válida, por aprobar").await;
    let version_page = client.current_url().await.unwrap();
    sign_out(client).await;

    // The officer finds it waiting and approves it, which publishes it.
    sign_in(
        client,
        site,
        "transparencia@leon.example",
        "demo-secretariado",
        "Luz Araceli",
    )
    .await;
    client
        .goto(&format!("{site}/datos-abiertos/publicar/revision"))
        .await
        .unwrap();
    let queue = wait_for_text(client, "main", "Versiones por aprobar").await;
    assert!(
        queue.contains("Apoyos educativos entregados en 2026"),
        "{queue}"
    );
    client
        .find(Locator::Css(&format!(
            "main a[href='{}']",
            version_page.path()
        )))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    click(client, "form[action$='/aprobar'] button[type=submit]").await;
    wait_for_text(client, "main", "Revisado sin hallazgos").await;
    sign_out(client).await;

    // The public searches the catalog, opens the dataset and downloads its table.
    client
        .goto(&format!("{site}/datos-abiertos"))
        .await
        .unwrap();
    fill(client, "q", "apoyos educativos").await;
    click(client, "form[role=search] button[type=submit]").await;
    wait_for_text(client, "main", "1 conjuntos de datos").await;
    follow(client, "Apoyos educativos entregados en 2026").await;
    wait_for_text(client, "main", "Revisado sin hallazgos").await;
    std::fs::write(
        artifacts().join("browser-data-dataset.png"),
        client.screenshot().await.unwrap(),
    )
    .unwrap();
    let link = client
        .find(Locator::Css("a[href$='/datos.csv']"))
        .await
        .unwrap()
        .attr("href")
        .await
        .unwrap()
        .unwrap();
    let table = fetch_text(client, &link).await;
    let expected = std::fs::read_to_string(&fixed).unwrap();
    assert_eq!(
        table.lines().count(),
        expected.lines().filter(|l| !l.trim().is_empty()).count(),
        "every row of the fixed file: {table}"
    );
    assert_eq!(
        table.lines().next(),
        expected.lines().next(),
        "the same header"
    );
    rig.client.clone().close().await.unwrap();
}

/// How much wider than the window the page is, in CSS pixels (0 when nothing scrolls
/// sideways).
async fn sideways_overflow(client: &Client) -> i64 {
    client
        .execute(
            "return document.documentElement.scrollWidth - window.innerWidth;",
            vec![],
        )
        .await
        .unwrap()
        .as_i64()
        .unwrap_or_default()
}

/// The site's own addresses the current page links to.
async fn internal_links(client: &Client) -> Vec<String> {
    let found = client
        .execute(
            "return [...document.querySelectorAll('a[href^=\"/\"]')].map(a => a.getAttribute('href'));",
            vec![],
        )
        .await
        .unwrap();
    found
        .as_array()
        .map(|links| {
            links
                .iter()
                .filter_map(|l| l.as_str())
                .map(|l| l.split('#').next().unwrap_or_default().to_owned())
                .filter(|l| !l.is_empty() && !l.starts_with("//"))
                .collect()
        })
        .unwrap_or_default()
}

/// On a phone (390 CSS pixels wide) no page scrolls sideways: tables scroll in their own
/// container and forms fit. Checked on every page two clicks from the home page, for the
/// public and for the secretariat.
#[tokio::test]
async fn no_page_scrolls_sideways_on_a_phone() {
    let Some(rig) = rig().await else { return };
    let (client, site) = (&rig.client, rig.site.as_str());
    client.set_window_size(390, 844).await.unwrap();
    let artifacts = artifacts();
    let mut wide = Vec::new();
    for signed_in in [false, true] {
        if signed_in {
            sign_in(
                client,
                site,
                "transparencia@leon.example",
                "demo-secretariado",
                "Luz Araceli Andrade Cifuentes",
            )
            .await;
        }
        let mut queue = std::collections::VecDeque::from([("/".to_owned(), 0)]);
        let mut seen = std::collections::HashSet::new();
        while let Some((path, depth)) = queue.pop_front() {
            let downloads = [".csv", ".json", ".ics", ".ttl", ".md", "/original", "/api/"];
            if seen.len() >= 60 || downloads.iter().any(|d| path.contains(d)) {
                continue;
            }
            if !seen.insert(path.clone()) {
                continue;
            }
            client.goto(&format!("{site}{path}")).await.unwrap();
            let overflow = sideways_overflow(client).await;
            if overflow > 0 {
                let name = path.replace(['/', '?', '&', '='], "_");
                let shot = client.screenshot().await.unwrap();
                std::fs::write(artifacts.join(format!("phone{name}.png")), shot).unwrap();
                wide.push(format!("{path}: {overflow} px too wide"));
            }
            if depth < 2 {
                queue.extend(
                    internal_links(client)
                        .await
                        .into_iter()
                        .map(|l| (l, depth + 1)),
                );
            }
        }
        assert!(seen.len() >= 20, "the walk reached {} pages", seen.len());
    }
    assert!(
        wide.is_empty(),
        "pages that scroll sideways at 390 px: {wide:#?}"
    );
    rig.client.clone().close().await.unwrap();
}
