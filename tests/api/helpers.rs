use std::net::SocketAddr;

use abierto::demo::{self, DemoData};
use abierto::startup::Application;
use abierto_store::testing::{fresh_store, TestDatabase};
use abierto_store::Store;
use abierto_web::{Branding, WebConfig};
use reqwest::redirect::Policy;
use reqwest::{Client, Response};
use tokio::sync::oneshot;

pub struct TestApp {
    pub address: String,
    pub store: Store,
    pub client: Client,
    db: TestDatabase,
    stop: oneshot::Sender<()>,
    server: tokio::task::JoinHandle<anyhow::Result<()>>,
}

pub const STAFF: (&str, &str) = ("transparencia@leon.example", "demo-secretariado");
pub const ADMIN: (&str, &str) = ("admin@leon.example", "demo-administracion");
pub const MEMBER: (&str, &str) = ("integrante@leon.example", "demo-integrante");

pub async fn spawn_app() -> TestApp {
    spawn_app_with(WebConfig::default()).await
}

pub async fn spawn_app_with(config: WebConfig) -> TestApp {
    let (store, db) = demo_store().await;
    spawn_on(store, db, config).await
}

/// A fresh database with León's demo data, for a test that writes before a server starts.
pub async fn demo_store() -> (Store, TestDatabase) {
    let (store, db) = fresh_store().await.expect("fresh store");
    demo::load(&store, &DemoData::parse(demo::LEON).expect("demo file"))
        .await
        .expect("demo loads");
    (store, db)
}

/// A server with León's demo data and its open data published: the demo's files, and the
/// platform's own records under the publisher the demo designates.
pub async fn spawn_with_open_data() -> TestApp {
    let (store, db) = demo_store().await;
    let config = WebConfig::default();
    demo::load_data_files(&store, &config, &DemoData::parse(demo::LEON).unwrap())
        .await
        .expect("demo data files load");
    spawn_on(store, db, config).await
}

/// Starts a server on a store already prepared.
pub async fn spawn_on(store: Store, db: TestDatabase, config: WebConfig) -> TestApp {
    let municipality = store.municipality().await.expect("municipality");
    let branding = abierto::config::Settings::default()
        .branding(municipality.as_ref())
        .expect("branding");
    spawn_with_store(store, db, config, branding).await
}

async fn spawn_with_store(
    store: Store,
    db: TestDatabase,
    config: WebConfig,
    branding: Branding,
) -> TestApp {
    let addr: SocketAddr = "127.0.0.1:0".parse().expect("addr");
    let app = Application::bind(addr, store.clone(), config, branding)
        .await
        .expect("bind");
    let address = format!("http://127.0.0.1:{}", app.port);
    let (stop, stopped) = oneshot::channel::<()>();
    let server = tokio::spawn(app.run_until(async move {
        let _ = stopped.await;
    }));
    TestApp {
        address,
        store,
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
