//! The settings the use cases read: where files are kept and how large they may be, the
//! limits on sign-ins and submissions, and how mail leaves. Validated by the binary before
//! the [`App`](crate::App) is built.

use std::path::PathBuf;

/// What the use cases need to know of the deployment.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Where annexes, evidence and attachments are kept, each under its SHA-256.
    pub annex_dir: PathBuf,
    /// Largest annex, evidence file or attachment accepted, in bytes.
    pub max_annex_bytes: usize,
    /// Where data files (resources' versions) are kept, each under its SHA-256.
    pub data_file_dir: PathBuf,
    /// Largest data file accepted, in bytes.
    pub max_data_file_bytes: usize,
    /// How long a sign-in lasts.
    pub session_ttl: chrono::Duration,
    /// Failed sign-ins allowed per account within `throttle_window` before refusing.
    pub max_failures_per_account: i64,
    /// Failed sign-ins allowed per client address within `throttle_window`.
    pub max_failures_per_ip: i64,
    pub throttle_window: chrono::Duration,
    /// Submissions to calls accepted per client address within an hour.
    pub max_submissions_per_ip_hour: i64,
    /// The site's host name, for iCalendar UIDs.
    pub site_host: String,
    /// SMTP relay for convocation notices (`smtp://…` or `smtps://…`); without it notices
    /// stay in the outbox.
    pub smtp_url: Option<SmtpUrl>,
    /// The address notices come from.
    pub mail_from: String,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            annex_dir: std::env::temp_dir().join("abierto-anexos"),
            max_annex_bytes: 10 * 1024 * 1024,
            data_file_dir: std::env::temp_dir().join("abierto-datos"),
            max_data_file_bytes: 50 * 1024 * 1024,
            session_ttl: chrono::Duration::hours(12),
            max_failures_per_account: 5,
            max_failures_per_ip: 50,
            throttle_window: chrono::Duration::minutes(15),
            max_submissions_per_ip_hour: 20,
            site_host: "localhost".to_owned(),
            smtp_url: None,
            mail_from: "Gobierno Abierto <gobierno.abierto@localhost>".to_owned(),
        }
    }
}

impl Settings {
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

/// An SMTP URL, which may carry a password: never printed.
#[derive(Clone)]
pub struct SmtpUrl(pub String);

impl std::fmt::Debug for SmtpUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SmtpUrl(<redactada>)")
    }
}
