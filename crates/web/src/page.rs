//! What every HTML page needs besides its own content: language, branding, the signed-in
//! user, the CSRF token for its forms, and the navigation.

use std::sync::Arc;

use abierto_app::Actor;
use abierto_domain::account::{Role, User};
use abierto_domain::lang::Lang;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;

use crate::auth::Viewer;
use crate::csrf::CsrfToken;
use crate::state::Branding;
use crate::{cookies, AppState};
use abierto_i18n::I18n;

pub struct PageContext {
    pub lang: Lang,
    pub branding: Arc<Branding>,
    i18n: Arc<I18n>,
    pub user: Option<User>,
    /// Who acts in the use cases the page calls.
    pub actor: Actor,
    pub csrf_token: String,
    /// The current path and query, where the language switch returns to.
    pub path: String,
}

/// A date however a template holds it: by value or behind references.
pub trait AsDate {
    fn as_date(&self) -> chrono::NaiveDate;
}

impl AsDate for chrono::NaiveDate {
    fn as_date(&self) -> chrono::NaiveDate {
        *self
    }
}

impl<T: AsDate + ?Sized> AsDate for &T {
    fn as_date(&self) -> chrono::NaiveDate {
        (**self).as_date()
    }
}

pub struct NavItem {
    pub href: &'static str,
    pub label_key: &'static str,
    pub current: bool,
}

const PUBLIC_NAV: [(&str, &str); 6] = [
    ("/", "nav.home"),
    ("/plan-de-accion", "nav.plan"),
    ("/sesiones", "nav.sessions"),
    ("/convocatorias", "nav.calls"),
    ("/datos-abiertos", "nav.data"),
    ("/buscar", "nav.search"),
];

const STAFF_NAV: [(&str, &str); 3] = [
    ("/sesiones/nueva", "nav.new_session"),
    ("/secretariado/avisos", "nav.outbox"),
    ("/secretariado/importar", "nav.imports"),
];

const REPORTER_NAV: [(&str, &str); 1] = [("/reportes", "nav.reports")];

const DATA_PUBLISHER_NAV: [(&str, &str); 1] = [("/datos-abiertos/publicar", "nav.publish_data")];

const ADMIN_NAV: [(&str, &str); 2] = [
    ("/admin/cuentas", "nav.admin_users"),
    ("/admin/bitacora", "nav.admin_audit"),
];

impl PageContext {
    /// Builds the context from a request's parts; `csrf_token` comes from the CSRF layer.
    pub fn from_parts(parts: &Parts, state: &AppState, csrf_token: String) -> PageContext {
        let viewer = parts
            .extensions
            .get::<Viewer>()
            .cloned()
            .unwrap_or_default();
        PageContext {
            lang: request_lang(parts),
            branding: state.branding.clone(),
            i18n: state.i18n.clone(),
            user: viewer.user().cloned(),
            actor: viewer.actor().clone(),
            csrf_token,
            path: parts
                .uri
                .path_and_query()
                .map(|p| p.as_str().to_owned())
                .unwrap_or_else(|| "/".to_owned()),
        }
    }

    pub fn t<'a>(&'a self, key: &'a str) -> &'a str {
        self.i18n.text(self.lang, key)
    }

    /// A month of a year as the plan's tables write a due date: "Diciembre 2025", or
    /// "December 2025".
    pub fn month_year(&self, day: impl AsDate) -> String {
        let day = day.as_date();
        let name = abierto_domain::dates::month_name(chrono::Datelike::month(&day), self.lang);
        let mut chars = name.chars();
        let capitalised: String = match chars.next() {
            Some(first) => first.to_uppercase().chain(chars).collect(),
            None => String::new(),
        };
        format!("{capitalised} {}", chrono::Datelike::year(&day))
    }

    /// The text of `key` within `section` of the catalogs, for keys that come from data
    /// (`t_in("goal_status", "met")`).
    pub fn t_in(&self, section: &str, key: &str) -> String {
        self.i18n
            .text(self.lang, &format!("{section}.{key}"))
            .to_owned()
    }

    /// A date as the page's language writes it in full: "13 de septiembre de 2024" or
    /// "13 September 2024", the one form public pages show.
    pub fn date(&self, day: impl AsDate) -> String {
        abierto_domain::dates::long_date(day.as_date(), self.lang)
    }

    pub fn nav(&self) -> Vec<NavItem> {
        let path = self.path.split('?').next().unwrap_or("/");
        let admin = self
            .user
            .as_ref()
            .is_some_and(|u| u.role.can_manage_accounts());
        let extra: &[(&'static str, &'static str)] = if admin { &ADMIN_NAV } else { &[] };
        let staff: &[(&'static str, &'static str)] = if self.keeps_sessions() {
            &STAFF_NAV
        } else {
            &[]
        };
        let reporter: &[(&'static str, &'static str)] = if self
            .user
            .as_ref()
            .is_some_and(|u| u.role.can_report_progress())
        {
            &REPORTER_NAV
        } else {
            &[]
        };
        let publisher: &[(&'static str, &'static str)] = if self
            .user
            .as_ref()
            .is_some_and(|u| u.role.can_publish_data())
        {
            &DATA_PUBLISHER_NAV
        } else {
            &[]
        };
        let items: Vec<(&'static str, &'static str)> = PUBLIC_NAV
            .iter()
            .chain(staff.iter())
            .chain(reporter.iter())
            .chain(publisher.iter())
            .chain(extra.iter())
            .copied()
            .collect();
        // The longest entry that contains the page is the current one.
        let current = items
            .iter()
            .filter(|(href, _)| {
                *href == path
                    || (*href != "/" && path.starts_with(&format!("{href}/")))
                    || (*href != "/" && path.starts_with(&format!("{href}?")))
            })
            .map(|(href, _)| *href)
            .max_by_key(|href| href.len());
        items
            .into_iter()
            .map(|(href, label_key)| NavItem {
                href,
                label_key,
                current: Some(href) == current,
            })
            .collect()
    }

    /// Whether the signed-in user convenes sessions and keeps their record.
    pub fn keeps_sessions(&self) -> bool {
        self.user
            .as_ref()
            .is_some_and(|u| u.role.can_keep_sessions())
    }

    /// Whether the signed-in user may read actas before they are published.
    pub fn reads_drafts(&self) -> bool {
        self.user
            .as_ref()
            .is_some_and(|u| u.role.can_read_draft_minutes())
    }

    pub fn other_langs(&self) -> Vec<Lang> {
        Lang::ALL.into_iter().filter(|l| *l != self.lang).collect()
    }

    pub fn role_label(&self) -> &str {
        match &self.user {
            Some(user) => self.t(role_key(user.role)),
            None => "",
        }
    }
}

/// Catalog key of a role's name.
pub fn role_key(role: Role) -> &'static str {
    match role {
        Role::Administrator => "role.administrator",
        Role::SecretariatStaff => "role.secretariat_staff",
        Role::Member => "role.member",
        Role::ReportingUnit => "role.reporting_unit",
        Role::DataPublisher => "role.data_publisher",
    }
}

/// The language chosen with the switcher; Spanish otherwise.
pub fn request_lang(parts: &Parts) -> Lang {
    cookies::read(&parts.headers, cookies::LANG)
        .and_then(|c| Lang::parse(&c))
        .unwrap_or_default()
}

impl FromRequestParts<AppState> for PageContext {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let token = parts
            .extensions
            .get::<CsrfToken>()
            .map(|t| t.0.clone())
            .unwrap_or_default();
        Ok(PageContext::from_parts(parts, state, token))
    }
}

/// A path on this site to return to after a form; anything else (another host, `//evil`,
/// a scheme) becomes `/`, so forms cannot be used as open redirects.
pub fn local_path(candidate: &str) -> String {
    let ok = candidate.starts_with('/')
        && !candidate.starts_with("//")
        && !candidate.contains('\\')
        && !candidate.chars().any(char::is_control);
    if ok {
        candidate.to_owned()
    } else {
        "/".to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_local_paths_are_kept() {
        assert_eq!(local_path("/sesiones?x=1"), "/sesiones?x=1");
        for bad in [
            "",
            "https://evil.example",
            "//evil.example",
            "/\\evil",
            "javascript:alert(1)",
            "/a\nb",
        ] {
            assert_eq!(local_path(bad), "/", "{bad:?}");
        }
    }
}
