use std::net::SocketAddr;

use abierto::demo::{self, DemoData};
use abierto::startup::Application;
use abierto_app::{App, Clock, ClockShift, Settings};
use abierto_store::testing::{fresh_store, TestDatabase};
use abierto_store::Store;
use abierto_web::{Branding, WebConfig};
use reqwest::redirect::Policy;
use reqwest::{Client, Response};
use tokio::sync::oneshot;

pub struct TestApp {
    pub address: String,
    pub store: Store,
    /// The platform the server runs, for a test that calls a use case itself.
    pub app: App,
    /// Moves the server's clock forward: a test lets time pass instead of sleeping.
    pub clock: ClockShift,
    pub client: Client,
    db: TestDatabase,
    stop: oneshot::Sender<()>,
    server: tokio::task::JoinHandle<anyhow::Result<()>>,
}

pub const STAFF: (&str, &str) = ("transparencia@leon.example", "demo-secretariado");
pub const ADMIN: (&str, &str) = ("admin@leon.example", "demo-administracion");
pub const MEMBER: (&str, &str) = ("integrante@leon.example", "demo-integrante");

/// How a test server is set up: the web layer's settings and the use cases'.
#[derive(Default, Clone)]
pub struct Config {
    pub web: WebConfig,
    pub app: Settings,
    /// How far ahead of the system's the server's clock starts: time that passed while no
    /// server ran.
    pub clock_ahead: chrono::Duration,
}

impl Config {
    pub fn with_app(app: Settings) -> Config {
        Config {
            app,
            ..Config::default()
        }
    }

    /// The server's clock set to noon (UTC) of `day`, for a test that works as the
    /// secretariat did then: convening the 2022-2024 Secretariado's sessions of December
    /// 2024, which only a clock before them may do.
    pub fn on_day(mut self, year: i32, month: u32, day: u32) -> Config {
        let noon = chrono::NaiveDate::from_ymd_opt(year, month, day)
            .and_then(|d| d.and_hms_opt(12, 0, 0))
            .expect("a real day")
            .and_utc();
        self.clock_ahead = noon - chrono::Utc::now();
        self
    }
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(Config::default()).await
}

pub async fn spawn_app_with(config: Config) -> TestApp {
    let (store, db) = demo_store().await;
    spawn_on(store, db, config).await
}

/// The platform on `store`, with a clock the test moves.
pub fn app_on(store: &Store, settings: Settings) -> (App, ClockShift) {
    let (clock, shift) = Clock::shifted();
    let app = App::new(store.clone(), settings, clock).expect("app");
    (app, shift)
}

/// A fresh database with León's demo data, for a test that writes before a server starts.
pub async fn demo_store() -> (Store, TestDatabase) {
    let (store, db) = fresh_store().await.expect("fresh store");
    let (app, _) = app_on(&store, Settings::default());
    demo::load(&app, &DemoData::parse(demo::LEON).expect("demo file"))
        .await
        .expect("demo loads");
    (store, db)
}

/// Publishes the demo's data files and the platform's own records on `store`.
pub async fn load_demo_data_files(store: &Store) {
    let (app, _) = app_on(store, Settings::default());
    demo::load_data_files(&app, &DemoData::parse(demo::LEON).unwrap())
        .await
        .expect("demo data files load");
}

/// A server with León's demo data and its open data published: the demo's files, and the
/// platform's own records under the publisher the demo designates.
pub async fn spawn_with_open_data() -> TestApp {
    let (store, db) = demo_store().await;
    load_demo_data_files(&store).await;
    spawn_on(store, db, Config::default()).await
}

/// Starts a server on a store already prepared.
pub async fn spawn_on(store: Store, db: TestDatabase, config: Config) -> TestApp {
    let municipality = store.municipality().await.expect("municipality");
    let branding = abierto::config::Settings::default()
        .branding(municipality.as_ref())
        .expect("branding");
    spawn_with_store(store, db, config, branding).await
}

async fn spawn_with_store(
    store: Store,
    db: TestDatabase,
    config: Config,
    branding: Branding,
) -> TestApp {
    let addr: SocketAddr = "127.0.0.1:0".parse().expect("addr");
    let (app, clock) = app_on(&store, config.app);
    clock.advance(config.clock_ahead);
    let server = Application::bind(addr, app.clone(), config.web, branding)
        .await
        .expect("bind");
    let address = format!("http://127.0.0.1:{}", server.port);
    let (stop, stopped) = oneshot::channel::<()>();
    let server = tokio::spawn(server.run_until(async move {
        let _ = stopped.await;
    }));
    TestApp {
        address,
        store,
        app,
        clock,
        client: new_client(),
        db,
        stop,
        server,
    }
}

/// A browser-like client: keeps cookies, does not follow redirects (tests look at them).
pub fn new_client() -> Client {
    Client::builder()
        .cookie_store(true)
        .redirect(Policy::none())
        .build()
        .expect("client")
}

impl TestApp {
    /// Stops the server as a shutdown does, and hands back its database.
    pub async fn shut_down(self) -> TestDatabase {
        let _ = self.stop.send(());
        self.server
            .await
            .expect("server task")
            .expect("server stops cleanly");
        self.db
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    pub async fn get(&self, path: &str) -> Response {
        self.client.get(self.url(path)).send().await.expect("GET")
    }

    pub async fn get_text(&self, path: &str) -> String {
        self.get(path).await.text().await.expect("body")
    }

    /// A page as a visitor who is not signed in reads it.
    pub async fn public_text(&self, path: &str) -> String {
        new_client()
            .get(self.url(path))
            .send()
            .await
            .expect("GET")
            .text()
            .await
            .expect("body")
    }

    /// The CSRF token the server embedded in a page's forms.
    pub async fn csrf_token(&self) -> String {
        let html = self.get_text("/aviso-de-privacidad").await;
        hidden_value(&html, "csrf_token").expect("page has a CSRF token")
    }

    /// Posts a form with the right CSRF token.
    pub async fn post_form(&self, path: &str, fields: &[(&str, &str)]) -> Response {
        let token = self.csrf_token().await;
        let mut all: Vec<(&str, &str)> = vec![("csrf_token", token.as_str())];
        all.extend_from_slice(fields);
        self.client
            .post(self.url(path))
            .form(&all)
            .send()
            .await
            .expect("POST")
    }

    pub async fn login(&self, (email, password): (&str, &str)) -> Response {
        self.post_form("/entrar", &[("email", email), ("password", password)])
            .await
    }

    pub async fn post_json(&self, path: &str, body: &str) -> Response {
        self.client
            .post(self.url(path))
            .header("content-type", "application/json")
            .body(body.to_owned())
            .send()
            .await
            .expect("POST JSON")
    }
}

impl TestApp {
    pub async fn put_json(&self, path: &str, body: &serde_json::Value) -> Response {
        self.client
            .put(self.url(path))
            .json(body)
            .send()
            .await
            .expect("PUT JSON")
    }

    pub async fn post_value(&self, path: &str, body: &serde_json::Value) -> Response {
        self.client
            .post(self.url(path))
            .json(body)
            .send()
            .await
            .expect("POST JSON")
    }

    pub async fn json(&self, path: &str) -> serde_json::Value {
        let response = self.get(path).await;
        assert_eq!(response.status(), 200, "GET {path}");
        response.json().await.expect("JSON")
    }
}

pub fn hidden_value(html: &str, name: &str) -> Option<String> {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html.find(&marker)? + marker.len();
    let end = html[start..].find('"')?;
    Some(html[start..start + end].to_owned())
}

/// The `{"error":{…}}` envelope of an API response: (code, field).
pub async fn envelope(response: Response) -> (String, Option<String>, String) {
    let json: serde_json::Value = response.json().await.expect("JSON body");
    let error = &json["error"];
    (
        error["code"].as_str().expect("code").to_owned(),
        error["field"].as_str().map(str::to_owned),
        error["message"].as_str().expect("message").to_owned(),
    )
}

/// Where a redirect sends the browser.
pub fn location(response: &Response) -> String {
    response.headers()["location"].to_str().unwrap().to_owned()
}
