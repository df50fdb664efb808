//! The client's address, for throttling and the audit log.

use std::net::SocketAddr;

use axum::extract::ConnectInfo;
use axum::http::request::Parts;

/// The peer address, or — behind a trusted proxy — the last address the proxy appended to
/// `X-Forwarded-For` (the earlier ones are whatever the client chose to send).
pub fn client_ip(parts: &Parts, trust_proxy_headers: bool) -> Option<String> {
    if trust_proxy_headers {
        let forwarded = parts
            .headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .map(str::trim)
            .rfind(|v| !v.is_empty());
        if let Some(ip) = forwarded.and_then(|v| v.parse::<std::net::IpAddr>().ok()) {
            return Some(ip.to_string());
        }
    }
    parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(addr)| addr.ip().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::Request;

    fn parts(forwarded: Option<&str>) -> Parts {
        let mut builder = Request::builder();
        if let Some(value) = forwarded {
            builder = builder.header("x-forwarded-for", value);
        }
        let (mut parts, _) = builder.body(()).unwrap_or_default().into_parts();
        parts
            .extensions
            .insert(ConnectInfo(SocketAddr::from(([127, 0, 0, 1], 5000))));
        parts
    }

    #[test]
    fn ignores_forwarded_headers_unless_trusted() {
        assert_eq!(
            client_ip(&parts(Some("203.0.113.7")), false).as_deref(),
            Some("127.0.0.1")
        );
        assert_eq!(
            client_ip(&parts(Some("1.1.1.1, 203.0.113.7")), true).as_deref(),
            Some("203.0.113.7")
        );
        assert_eq!(
            client_ip(&parts(Some("garbage")), true).as_deref(),
            Some("127.0.0.1")
        );
        assert_eq!(client_ip(&parts(None), true).as_deref(), Some("127.0.0.1"));
    }
}
