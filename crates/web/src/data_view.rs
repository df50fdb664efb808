//! How open data is shown and exported: a datastore cell as text or JSON, a Table Schema as
//! rows of a table, and the site's absolute address for links other sites follow.

use abierto_store::CellValue;
use abierto_tabular::TableSchema;
use axum::http::HeaderMap;

use crate::AppState;

/// A cell as text: blanks empty, numbers as written by Rust (`2.5`, `10`).
pub fn cell_text(value: &CellValue) -> String {
    match value {
        CellValue::Null => String::new(),
        CellValue::Int(n) => n.to_string(),
        CellValue::Float(n) => n.to_string(),
        CellValue::Text(t) => t.clone(),
        CellValue::Bool(b) => b.to_string(),
    }
}

/// A cell as JSON: numbers as numbers, booleans as booleans, blanks as null.
pub fn cell_json(value: &CellValue) -> serde_json::Value {
    match value {
        CellValue::Null => serde_json::Value::Null,
        CellValue::Int(n) => (*n).into(),
        CellValue::Float(n) => serde_json::Number::from_f64(*n)
            .map(serde_json::Value::Number)
            .unwrap_or(serde_json::Value::Null),
        CellValue::Text(t) => t.clone().into(),
        CellValue::Bool(b) => (*b).into(),
    }
}

/// One field of a schema as the pages list it.
pub struct SchemaRow {
    pub name: String,
    /// The catalog key of the type's name (`field_type.integer`).
    pub type_key: String,
    pub format: String,
    pub required: bool,
    pub unique: bool,
    pub primary_key: bool,
}

pub fn schema_rows(schema: &TableSchema) -> Vec<SchemaRow> {
    schema
        .fields
        .iter()
        .map(|f| SchemaRow {
            name: f.name.clone(),
            type_key: format!("field_type.{}", f.field_type.key()),
            format: f.format.clone(),
            required: f.constraints.required,
            unique: f.constraints.unique,
            primary_key: schema.primary_key.contains(&f.name),
        })
        .collect()
}

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
