//! Browser smoke test: the real `abierto demo` binary in headless Chromium, driven over
//! WebDriver the way a person uses it — open the site, sign in as the secretariat, switch to
//! English and back, sign out. Saves a screenshot to `target/test-artifacts/`.
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

#[tokio::test]
async fn a_person_signs_in_switches_language_and_signs_out() {
    if !Path::new(CHROMIUM).exists() || !Path::new(CHROMEDRIVER).exists() {
        if std::env::var_os("CI").is_some() {
            panic!("CI must run the browser test: install the Debian packages chromium and chromium-driver");
        }
        eprintln!("\n*** SKIPPED browser smoke test: {CHROMIUM} or {CHROMEDRIVER} is missing (apt-get install chromium chromium-driver) ***\n");
        return;
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
        .arg(data_dir.path());
    let (_server, line) = start_until(server, "sirviendo en ");
    let site = line.rsplit(' ').next().unwrap().to_owned();

    let driver_port = free_port();
    let mut driver = Command::new(CHROMEDRIVER);
    driver.arg(format!("--port={driver_port}"));
    let (_driver, _) = start_until(driver, "started successfully");

    let client = browser(driver_port).await;
    client.goto(&site).await.unwrap();
    assert!(client.title().await.unwrap().contains("León"));
    wait_for_text(&client, ".brand-name", "Municipio de León, Guanajuato").await;

    click(&client, "a.login-link").await;
    let email = client
        .wait()
        .for_element(Locator::Id("email"))
        .await
        .unwrap();
    email.send_keys("transparencia@leon.example").await.unwrap();
    let password = client.find(Locator::Id("password")).await.unwrap();
    password.send_keys("demo-secretariado").await.unwrap();
    click(&client, "form.stacked-form button[type=submit]").await;
    wait_for_text(&client, ".account-name", "Luz Araceli Andrade Cifuentes").await;
    wait_for_text(&client, "h1", "León").await;

    let artifacts = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/test-artifacts");
    std::fs::create_dir_all(&artifacts).unwrap();
    switch_language(&client, "en", "Action Plan", &artifacts).await;
    switch_language(&client, "es", "Plan de Acción", &artifacts).await;

    click(&client, ".account button").await;
    wait_for_text(&client, "a.login-link", "Iniciar sesión").await;
    client.close().await.unwrap();
}
