//! The three cookies abierto sets, and how they are read and written.

use axum::http::header::COOKIE;
use axum::http::{HeaderMap, HeaderValue};
use cookie::{Cookie, SameSite};

/// Random token of a server-side sign-in session.
pub const SESSION: &str = "abierto_session";
/// Double-submit CSRF token, echoed in every form.
pub const CSRF: &str = "abierto_csrf";
/// The chosen interface language.
pub const LANG: &str = "abierto_lang";

pub fn read(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(Cookie::split_parse)
        .filter_map(Result::ok)
        .find(|cookie| cookie.name() == name)
        .map(|cookie| cookie.value().to_owned())
}

/// A `Set-Cookie` value: HttpOnly, SameSite=Lax, whole site, `Secure` over HTTPS.
/// `max_age: None` makes a browser-session cookie.
pub fn set(
    name: &'static str,
    value: &str,
    max_age: Option<chrono::Duration>,
    secure: bool,
) -> HeaderValue {
    let mut cookie = Cookie::build((name, value.to_owned()))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(secure)
        .build();
    if let Some(age) = max_age {
        cookie.set_max_age(cookie::time::Duration::seconds(age.num_seconds()));
    }
    // Cookie values we write are base64url or language codes: always valid header text.
    HeaderValue::from_str(&cookie.to_string()).unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// A `Set-Cookie` value that deletes the cookie.
pub fn clear(name: &'static str, secure: bool) -> HeaderValue {
    set(name, "", Some(chrono::Duration::zero()), secure)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_cookie_among_several_headers() {
        let mut headers = HeaderMap::new();
        headers.append(COOKIE, HeaderValue::from_static("a=1; abierto_lang=en"));
        headers.append(COOKIE, HeaderValue::from_static("abierto_csrf=xyz"));
        assert_eq!(read(&headers, LANG).as_deref(), Some("en"));
        assert_eq!(read(&headers, CSRF).as_deref(), Some("xyz"));
        assert_eq!(read(&headers, SESSION), None);
    }

    #[test]
    fn written_cookies_are_http_only_and_lax() {
        let value = set(SESSION, "tok", Some(chrono::Duration::hours(1)), true);
        let text = value.to_str().unwrap_or_default();
        assert!(text.starts_with("abierto_session=tok"));
        for part in [
            "HttpOnly",
            "SameSite=Lax",
            "Secure",
            "Path=/",
            "Max-Age=3600",
        ] {
            assert!(text.contains(part), "{text} lacks {part}");
        }
        let plain = set(LANG, "es", None, false);
        assert!(!plain.to_str().unwrap_or_default().contains("Secure"));
    }
}
