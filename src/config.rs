//! Settings: built-in defaults, then an optional `abierto.toml`, then `ABIERTO_*` environment
//! variables, then command-line flags; validated once at start-up.

use std::fmt;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use abierto_domain::branding::Colour;
use anyhow::{anyhow, Context};
use figment::providers::{Env, Format, Serialized, Toml};
use figment::Figment;
use serde::{Deserialize, Serialize};

/// Every setting, as read. See the README's configuration table.
#[derive(Clone, Serialize, Deserialize)]
pub struct Settings {
    pub addr: String,
    pub data_dir: PathBuf,
    pub database_url: Option<String>,
    pub public_url: Option<String>,
    pub trust_proxy_headers: bool,
    pub session_hours: i64,
    pub request_timeout_secs: u64,
    pub max_body_bytes: usize,
    pub max_annex_bytes: usize,
    pub max_data_file_bytes: usize,
    pub max_submissions_per_ip_hour: i64,
    pub min_form_fill_seconds: i64,
    pub smtp_url: Option<String>,
    pub mail_from: Option<String>,
    pub log_level: String,
    pub log_format: String,
    pub brand_name: Option<String>,
    pub brand_official_name: Option<String>,
    pub brand_logo: Option<PathBuf>,
    pub brand_primary_colour: Option<String>,
    pub brand_accent_colour: Option<String>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            addr: "127.0.0.1:8080".to_owned(),
            data_dir: PathBuf::from("./abierto-data"),
            database_url: None,
            public_url: None,
            trust_proxy_headers: false,
            session_hours: 12,
            request_timeout_secs: 30,
            max_body_bytes: 1024 * 1024,
            max_annex_bytes: 10 * 1024 * 1024,
            max_data_file_bytes: 50 * 1024 * 1024,
            max_submissions_per_ip_hour: 20,
            min_form_fill_seconds: 3,
            smtp_url: None,
            mail_from: None,
            log_level: "info".to_owned(),
            log_format: "text".to_owned(),
            brand_name: None,
            brand_official_name: None,
            brand_logo: None,
            brand_primary_colour: None,
            brand_accent_colour: None,
        }
    }
}

/// The database URL's password never reaches logs or `Debug` output.
impl fmt::Debug for Settings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Settings")
            .field("addr", &self.addr)
            .field("data_dir", &self.data_dir)
            .field(
                "database_url",
                &self.database_url.as_deref().map(redact_url),
            )
            .field("public_url", &self.public_url)
            .field("trust_proxy_headers", &self.trust_proxy_headers)
            .field("session_hours", &self.session_hours)
            .field("request_timeout_secs", &self.request_timeout_secs)
            .field("max_body_bytes", &self.max_body_bytes)
            .field("max_annex_bytes", &self.max_annex_bytes)
            .field("max_data_file_bytes", &self.max_data_file_bytes)
            .field(
                "max_submissions_per_ip_hour",
                &self.max_submissions_per_ip_hour,
            )
            .field("min_form_fill_seconds", &self.min_form_fill_seconds)
            .field("smtp_url", &self.smtp_url.as_deref().map(redact_url))
            .field("mail_from", &self.mail_from)
            .field("log_level", &self.log_level)
            .field("log_format", &self.log_format)
            .field("brand_name", &self.brand_name)
            .field("brand_official_name", &self.brand_official_name)
            .field("brand_logo", &self.brand_logo)
            .field("brand_primary_colour", &self.brand_primary_colour)
            .field("brand_accent_colour", &self.brand_accent_colour)
            .finish()
    }
}

/// Flags given on the command line; each overrides the file and the environment.
#[derive(Debug, Default, Serialize)]
pub struct Overrides {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub addr: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data_dir: Option<PathBuf>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub database_url: Option<String>,
}

impl Settings {
    /// Defaults < `config_file` (if it exists) < `ABIERTO_*` < `overrides`.
    pub fn load(config_file: &Path, overrides: &Overrides) -> anyhow::Result<Settings> {
        if config_file != Path::new("abierto.toml") && !config_file.exists() {
            return Err(anyhow!(
                "no existe el archivo de configuración {}",
                config_file.display()
            ));
        }
        Figment::from(Serialized::defaults(Settings::default()))
            .merge(Toml::file(config_file))
            .merge(Env::prefixed("ABIERTO_").ignore(&["test_database_url"]))
            .merge(Serialized::defaults(overrides))
            .extract()
            .map_err(|e| anyhow!("configuración no válida: {e}"))
    }

    pub fn socket_addr(&self) -> anyhow::Result<SocketAddr> {
        self.addr.parse().with_context(|| {
            format!(
                "la dirección «{}» no es válida (ejemplo: 127.0.0.1:8080)",
                self.addr
            )
        })
    }

    /// The database to use: the configured URL, or the SQLite file in the data directory.
    pub fn database_url(&self) -> String {
        match &self.database_url {
            Some(url) if !url.trim().is_empty() => url.trim().to_owned(),
            _ => format!(
                "sqlite://{}?mode=rwc",
                self.data_dir.join("abierto.db").display()
            ),
        }
    }

    pub fn secure_cookies(&self) -> bool {
        self.public_url
            .as_deref()
            .is_some_and(|u| u.starts_with("https://"))
    }

    pub fn web_config(&self) -> anyhow::Result<abierto_web::WebConfig> {
        if !(1..=720).contains(&self.session_hours) {
            return Err(anyhow!("session_hours debe estar entre 1 y 720"));
        }
        if !(1..=600).contains(&self.request_timeout_secs) {
            return Err(anyhow!("request_timeout_secs debe estar entre 1 y 600"));
        }
        if self.max_body_bytes < 1024 {
            return Err(anyhow!("max_body_bytes debe ser al menos 1024"));
        }
        if !(1024..=1024 * 1024 * 1024).contains(&self.max_annex_bytes) {
            return Err(anyhow!(
                "max_annex_bytes debe estar entre 1024 y 1073741824"
            ));
        }
        if !(1024..=1024 * 1024 * 1024).contains(&self.max_data_file_bytes) {
            return Err(anyhow!(
                "max_data_file_bytes debe estar entre 1024 y 1073741824"
            ));
        }
        if !(1..=1_000_000).contains(&self.max_submissions_per_ip_hour) {
            return Err(anyhow!(
                "max_submissions_per_ip_hour debe estar entre 1 y 1000000"
            ));
        }
        if !(0..=600).contains(&self.min_form_fill_seconds) {
            return Err(anyhow!("min_form_fill_seconds debe estar entre 0 y 600"));
        }
        Ok(abierto_web::WebConfig {
            secure_cookies: self.secure_cookies(),
            public_url: self
                .public_url
                .as_deref()
                .map(|u| u.trim_end_matches('/').to_owned()),
            trust_proxy_headers: self.trust_proxy_headers,
            request_timeout: Duration::from_secs(self.request_timeout_secs),
            max_body_bytes: self.max_body_bytes,
            min_form_fill_seconds: self.min_form_fill_seconds,
        })
    }

    /// What the use cases read: where files are kept, the limits, and how mail leaves.
    /// Checked by [`Settings::web_config`], which the binary calls first.
    pub fn app_settings(&self) -> abierto_app::Settings {
        let site_host = self
            .public_url
            .as_deref()
            .and_then(|u| url::Url::parse(u).ok())
            .and_then(|u| u.host_str().map(str::to_owned))
            .unwrap_or_else(|| "localhost".to_owned());
        abierto_app::Settings {
            annex_dir: self.data_dir.join("anexos"),
            smtp_url: self
                .smtp_url
                .as_deref()
                .map(str::trim)
                .filter(|u| !u.is_empty())
                .map(|u| abierto_app::SmtpUrl(u.to_owned())),
            mail_from: self
                .mail_from
                .clone()
                .unwrap_or_else(|| format!("Gobierno Abierto <gobierno.abierto@{site_host}>")),
            max_annex_bytes: self.max_annex_bytes,
            data_file_dir: self.data_dir.join("datos"),
            max_data_file_bytes: self.max_data_file_bytes,
            site_host,
            session_ttl: chrono::Duration::hours(self.session_hours),
            max_submissions_per_ip_hour: self.max_submissions_per_ip_hour,
            ..abierto_app::Settings::default()
        }
    }

    /// Branding: the stored municipality, with any `brand_*` setting taking precedence.
    pub fn branding(
        &self,
        municipality: Option<&abierto_domain::municipality::Municipality>,
    ) -> anyhow::Result<abierto_web::Branding> {
        let mut branding = abierto_web::Branding::default();
        if let Some(m) = municipality {
            branding.name = m.name.clone();
            branding.official_name = m.official_name.clone();
            branding.primary = m.primary_colour;
            branding.accent = m.accent_colour;
        }
        if let Some(name) = &self.brand_name {
            branding.name = name.clone();
        }
        if let Some(name) = &self.brand_official_name {
            branding.official_name = name.clone();
        }
        if let Some(raw) = &self.brand_primary_colour {
            branding.primary = Colour::parse_for_white_text(raw)
                .map_err(|_| anyhow!("brand_primary_colour «{raw}» no es un color #rrggbb con contraste AA para texto blanco"))?;
        }
        if let Some(raw) = &self.brand_accent_colour {
            branding.accent = Colour::parse_for_white_text(raw)
                .map_err(|_| anyhow!("brand_accent_colour «{raw}» no es un color #rrggbb con contraste AA sobre blanco"))?;
        }
        if let Some(path) = &self.brand_logo {
            let bytes = std::fs::read(path)
                .with_context(|| format!("no se puede leer el logotipo {}", path.display()))?;
            let media_type = match path
                .extension()
                .and_then(|e| e.to_str())
                .map(str::to_ascii_lowercase)
                .as_deref()
            {
                Some("svg") => "image/svg+xml",
                Some("png") => "image/png",
                Some("jpg" | "jpeg") => "image/jpeg",
                Some("webp") => "image/webp",
                _ => {
                    return Err(anyhow!(
                        "el logotipo debe ser SVG, PNG, JPEG o WebP: {}",
                        path.display()
                    ))
                }
            };
            branding.logo = Some((bytes, media_type.to_owned()));
        }
        Ok(branding)
    }
}

/// `postgres://abierto:secreto@db/abierto` → `postgres://abierto:***@db/abierto`.
pub fn redact_url(raw: &str) -> String {
    match url::Url::parse(raw) {
        Ok(mut parsed) if parsed.password().is_some() => {
            if parsed.set_password(Some("***")).is_ok() {
                parsed.to_string()
            } else {
                "<URL no válida>".to_owned()
            }
        }
        Ok(parsed) => parsed.to_string(),
        Err(_) => "<URL no válida>".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redacts_passwords() {
        assert_eq!(
            redact_url("postgres://abierto:secreto@db:5432/abierto"),
            "postgres://abierto:***@db:5432/abierto"
        );
        assert_eq!(
            redact_url("postgres://abierto@db/abierto"),
            "postgres://abierto@db/abierto"
        );
        assert_eq!(redact_url("no es url"), "<URL no válida>");
        let settings = Settings {
            database_url: Some("postgres://u:hunter2@h/db".to_owned()),
            smtp_url: Some("smtp://avisos:correo-secreto@smtp.leon.example:587".to_owned()),
            ..Settings::default()
        };
        let shown = format!("{settings:?}");
        assert!(!shown.contains("hunter2"), "{shown}");
        assert!(!shown.contains("correo-secreto"), "{shown}");
        assert!(shown.contains("***"));
        let app = format!("{:?}", settings.app_settings());
        assert!(!app.contains("correo-secreto"), "{app}");
    }

    #[test]
    #[allow(clippy::result_large_err)] // figment::Jail fixes the closure's error type
    fn layers_file_environment_and_flags_in_order() {
        figment::Jail::expect_with(|jail| {
            jail.create_file(
                "abierto.toml",
                "addr = \"127.0.0.1:9000\"\nsession_hours = 4\nlog_level = \"debug\"",
            )?;
            jail.set_env("ABIERTO_SESSION_HOURS", "6");
            let flags = Overrides {
                addr: Some("127.0.0.1:9100".to_owned()),
                ..Overrides::default()
            };
            let settings =
                Settings::load(Path::new("abierto.toml"), &flags).map_err(|e| e.to_string())?;
            assert_eq!(settings.addr, "127.0.0.1:9100", "flag beats file");
            assert_eq!(settings.session_hours, 6, "environment beats file");
            assert_eq!(settings.log_level, "debug", "file beats default");
            assert_eq!(settings.request_timeout_secs, 30, "default");
            Ok(())
        });
    }

    #[test]
    fn defaults_to_an_sqlite_file_in_the_data_dir() {
        let settings = Settings {
            data_dir: PathBuf::from("/srv/abierto"),
            ..Settings::default()
        };
        assert_eq!(
            settings.database_url(),
            "sqlite:///srv/abierto/abierto.db?mode=rwc"
        );
        assert!(!settings.secure_cookies());
        let https = Settings {
            public_url: Some("https://gobiernoabierto.leon.example".into()),
            ..Settings::default()
        };
        assert!(https.secure_cookies());
    }

    #[test]
    fn refuses_bad_values() {
        assert!(Settings {
            addr: "nope".into(),
            ..Settings::default()
        }
        .socket_addr()
        .is_err());
        assert!(Settings {
            session_hours: 0,
            ..Settings::default()
        }
        .web_config()
        .is_err());
        for (limit, fill) in [(0, 3), (20, -1), (20, 601)] {
            let settings = Settings {
                max_submissions_per_ip_hour: limit,
                min_form_fill_seconds: fill,
                ..Settings::default()
            };
            assert!(settings.web_config().is_err(), "{limit} {fill}");
        }
        let tuned = Settings {
            max_submissions_per_ip_hour: 100,
            min_form_fill_seconds: 0,
            ..Settings::default()
        };
        assert_eq!(tuned.web_config().unwrap().min_form_fill_seconds, 0);
        assert_eq!(tuned.app_settings().max_submissions_per_ip_hour, 100);
        let pale = Settings {
            brand_primary_colour: Some("#ffee00".into()),
            ..Settings::default()
        };
        assert!(pale.branding(None).is_err());
        let missing_logo = Settings {
            brand_logo: Some("/no/such/logo.svg".into()),
            ..Settings::default()
        };
        assert!(missing_logo.branding(None).is_err());
        assert!(Settings::load(Path::new("/no/such/abierto.toml"), &Overrides::default()).is_err());
    }
}
