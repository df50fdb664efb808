//! What every handler can reach: the use cases' [`App`], the web layer's own settings, the
//! branding, the interface texts and the metrics.

use std::sync::Arc;
use std::time::Duration;

use abierto_app::App;
use abierto_domain::branding::Colour;
use abierto_i18n::I18n;

use crate::metrics::Metrics;

/// Settings of the HTTP side, already validated by the binary.
#[derive(Debug, Clone)]
pub struct WebConfig {
    /// Set the `Secure` flag on cookies (the site is served over HTTPS).
    pub secure_cookies: bool,
    /// Take the client address from `X-Forwarded-For` (only behind a trusted proxy).
    pub trust_proxy_headers: bool,
    /// Longest time a request may take before it is answered 408.
    pub request_timeout: Duration,
    /// Largest request body accepted, in bytes (uploads have their own limits).
    pub max_body_bytes: usize,
    /// The least time, in seconds, a person takes to fill in a call's public form; a form
    /// sent faster is shown again, as typed, to be sent once more.
    pub min_form_fill_seconds: i64,
    /// The site's public address (`https://datos.leon.gob.mx`), for the absolute links of
    /// DCAT and the CKAN API; without it they are built from the request's `Host`.
    pub public_url: Option<String>,
}

impl Default for WebConfig {
    fn default() -> Self {
        WebConfig {
            secure_cookies: false,
            trust_proxy_headers: false,
            request_timeout: Duration::from_secs(30),
            max_body_bytes: 1024 * 1024,
            min_form_fill_seconds: 3,
            public_url: None,
        }
    }
}

/// How the site presents the municipality.
#[derive(Debug, Clone)]
pub struct Branding {
    /// Short name shown large in the header, e.g. "León".
    pub name: String,
    /// Official name, e.g. "Municipio de León, Guanajuato".
    pub official_name: String,
    pub primary: Colour,
    pub accent: Colour,
    /// A logo file's bytes and media type; the built-in emblem when `None`.
    pub logo: Option<(Vec<u8>, String)>,
}

impl Default for Branding {
    fn default() -> Self {
        Branding {
            name: "Municipio".to_owned(),
            official_name: "Municipio".to_owned(),
            primary: Colour::parse("#0b5d3b").unwrap_or(Colour::WHITE),
            accent: Colour::parse("#8a1538").unwrap_or(Colour::WHITE),
            logo: None,
        }
    }
}

#[derive(Clone)]
pub struct AppState {
    pub app: App,
    pub config: Arc<WebConfig>,
    pub branding: Arc<Branding>,
    pub i18n: Arc<I18n>,
    pub metrics: Arc<Metrics>,
}

impl AppState {
    pub fn new(app: App, config: WebConfig, branding: Branding) -> AppState {
        AppState {
            i18n: app.texts(),
            app,
            config: Arc::new(config),
            branding: Arc::new(branding),
            metrics: Arc::new(Metrics::new()),
        }
    }

    /// The body limit of an annex upload: the file plus room for the form around it.
    pub fn annex_body_limit(&self) -> usize {
        self.app.settings().max_annex_bytes + 64 * 1024
    }

    /// The body limit of a data file upload: the file plus room for the form around it.
    pub fn data_file_body_limit(&self) -> usize {
        self.app.settings().max_data_file_bytes + 64 * 1024
    }
}
