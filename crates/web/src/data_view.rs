//! Links other sites follow and data embedded in pages: the site's absolute address, and
//! JSON-LD that no text inside can break out of.

use axum::http::HeaderMap;

use crate::AppState;

/// The site's address without a trailing slash: the configured public address, or else the
/// scheme and host the request came to.
pub fn site_url(state: &AppState, headers: &HeaderMap) -> String {
    if let Some(url) = &state.config.public_url {
        return url.clone();
    }
    let host = headers
        .get(axum::http::header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| {
            !h.is_empty()
                && h.bytes().all(|b| {
                    b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b':' | b'[' | b']')
                })
        })
        .unwrap_or("localhost");
    let scheme = if state.config.secure_cookies {
        "https"
    } else {
        "http"
    };
    format!("{scheme}://{host}")
}

/// JSON to embed in a `<script type="application/ld+json">`: `<` escaped so no text in it can
/// close the element.
pub fn script_json(value: &serde_json::Value) -> String {
    value.to_string().replace('<', "\\u003c")
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn embedded_json_cannot_close_its_script_element() {
        let json = serde_json::json!({"name": "</script><script>alert(1)</script>"});
        let embedded = script_json(&json);
        assert!(!embedded.contains("</"));
        let back: serde_json::Value = serde_json::from_str(&embedded).unwrap();
        assert_eq!(back, json);
    }
}
