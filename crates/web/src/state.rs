//! What every handler can reach: the store, the settings, the branding, the texts, the metrics.

use std::sync::Arc;
use std::time::Duration;

use abierto_domain::branding::Colour;
use abierto_store::Store;

use crate::i18n::I18n;
use crate::mailer::Mailer;
use crate::metrics::Metrics;

/// Settings the web layer needs, already validated by the binary.
#[derive(Debug, Clone)]
pub struct WebConfig {
    /// Set the `Secure` flag on cookies (the site is served over HTTPS).
    pub secure_cookies: bool,
    /// Take the client address from `X-Forwarded-For` (only behind a trusted proxy).
    pub trust_proxy_headers: bool,
    /// How long a sign-in lasts.
    pub session_ttl: chrono::Duration,
    /// Longest time a request may take before it is answered 408.
    pub request_timeout: Duration,
    /// Largest request body accepted, in bytes.
    pub max_body_bytes: usize,
    /// Failed sign-ins allowed per account within `throttle_window` before refusing.
    pub max_failures_per_account: i64,
    /// Failed sign-ins allowed per client address within `throttle_window`.
    pub max_failures_per_ip: i64,
    pub throttle_window: chrono::Duration,
    /// Submissions to calls accepted per client address within an hour.
    pub max_submissions_per_ip_hour: i64,
    /// The least time, in seconds, a person takes to fill in a call's public form; a form
    /// sent faster is shown again, as typed, to be sent once more.
    pub min_form_fill_seconds: i64,
    /// Where annexes are kept, each under its SHA-256.
    pub annex_dir: std::path::PathBuf,
    /// Largest annex accepted, in bytes.
    pub max_annex_bytes: usize,
    /// Where data files (resources' versions) are kept, each under its SHA-256.
    pub data_file_dir: std::path::PathBuf,
    /// Largest data file accepted, in bytes.
    pub max_data_file_bytes: usize,
    /// The site's public address (`https://datos.leon.gob.mx`), for the absolute links of
    /// DCAT and the CKAN API; without it they are built from the request's `Host`.
    pub public_url: Option<String>,
    /// The site's host name, for iCalendar UIDs.
    pub site_host: String,
    /// SMTP relay for convocation notices (`smtp://…` or `smtps://…`); without it notices
    /// stay in the outbox.
    pub smtp_url: Option<SmtpUrl>,
    /// The address notices come from.
    pub mail_from: String,
}

impl Default for WebConfig {
    fn default() -> Self {
        WebConfig {
            secure_cookies: false,
            trust_proxy_headers: false,
            session_ttl: chrono::Duration::hours(12),
            request_timeout: Duration::from_secs(30),
            max_body_bytes: 1024 * 1024,
            max_failures_per_account: 5,
            max_failures_per_ip: 50,
            throttle_window: chrono::Duration::minutes(15),
            max_submissions_per_ip_hour: 20,
            min_form_fill_seconds: 3,
            annex_dir: std::env::temp_dir().join("abierto-anexos"),
            max_annex_bytes: 10 * 1024 * 1024,
            data_file_dir: std::env::temp_dir().join("abierto-datos"),
            max_data_file_bytes: 50 * 1024 * 1024,
            public_url: None,
            site_host: "localhost".to_owned(),
            smtp_url: None,
            mail_from: "Gobierno Abierto <gobierno.abierto@localhost>".to_owned(),
        }
    }
}

/// An SMTP URL, which may carry a password: never printed.
#[derive(Clone)]
pub struct SmtpUrl(pub String);

impl std::fmt::Debug for SmtpUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SmtpUrl(<redactada>)")
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
    pub store: Store,
    pub config: Arc<WebConfig>,
    pub branding: Arc<Branding>,
    pub i18n: Arc<I18n>,
    pub metrics: Arc<Metrics>,
    pub mailer: Option<Arc<Mailer>>,
    pub own_records: Arc<crate::own_records::OwnRecordsSignal>,
}

/// Why the web layer could not be set up.
#[derive(Debug, thiserror::Error)]
pub enum StateError {
    #[error(transparent)]
    Catalog(#[from] crate::i18n::CatalogError),
    #[error(transparent)]
    Mail(#[from] crate::mailer::MailError),
}

impl WebConfig {
    /// The body limit of an annex upload: the file plus room for the form around it.
    pub fn annex_body_limit(&self) -> usize {
        self.max_annex_bytes + 64 * 1024
    }

    /// The body limit of a data file upload: the file plus room for the form around it.
    pub fn data_file_body_limit(&self) -> usize {
        self.max_data_file_bytes + 64 * 1024
    }

    /// The largest data file as pages name the limit: `50 MiB`, `2 KiB`.
    pub fn max_data_file_size(&self) -> String {
        let bytes = self.max_data_file_bytes;
        if bytes >= 1024 * 1024 && bytes.is_multiple_of(1024 * 1024) {
            format!("{} MiB", bytes / (1024 * 1024))
        } else if bytes >= 1024 {
            format!("{} KiB", bytes / 1024)
        } else {
            format!("{bytes} B")
        }
    }
}

impl AppState {
    pub fn new(
        store: Store,
        config: WebConfig,
        branding: Branding,
    ) -> Result<AppState, StateError> {
        let mailer = match &config.smtp_url {
            Some(url) => Some(Arc::new(Mailer::new(&url.0, &config.mail_from)?)),
            None => None,
        };
        Ok(AppState {
            mailer,
            store,
            config: Arc::new(config),
            branding: Arc::new(branding),
            i18n: Arc::new(I18n::load()?),
            metrics: Arc::new(Metrics::new()),
            own_records: Arc::default(),
        })
    }
}
