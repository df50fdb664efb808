//! `ApiJson<T>`: the JSON body extractor of `/api/v1`. Unlike axum's own, its rejections use
//! our envelope and name the offending field (`{"code":"invalid_field","field":"role"}`).

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::header::CONTENT_TYPE;
use serde::de::DeserializeOwned;

use crate::AppError;

pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, AppError> {
        let is_json = req
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .is_some_and(|v| v.trim().eq_ignore_ascii_case("application/json"));
        if !is_json {
            return Err(AppError::UnsupportedMediaType);
        }
        let bytes = Bytes::from_request(req, state)
            .await
            .map_err(|_| AppError::PayloadTooLarge)?;
        parse(&bytes).map(ApiJson)
    }
}

/// JSON Schema counts `4937.0` as an integer, as JSON does not tell the two apart: such a
/// number is read as the integer it is, wherever it stands.
fn integral_floats_as_integers(value: &mut serde_json::Value) {
    use serde_json::Value;
    match value {
        Value::Number(n) if !n.is_i64() && !n.is_u64() => {
            if let Some(f) = n.as_f64() {
                // Within i64's range (its maximum as f64 rounds up, so strictly below).
                if f.fract() == 0.0 && f >= i64::MIN as f64 && f < i64::MAX as f64 {
                    *value = Value::from(f as i64);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(integral_floats_as_integers),
        Value::Object(fields) => fields.values_mut().for_each(integral_floats_as_integers),
        _ => {}
    }
}

/// Where a string (or a key) holds U+0000, which no text column can store: its path.
fn nul_character(value: &serde_json::Value, path: &str) -> Option<String> {
    use serde_json::Value;
    match value {
        Value::String(text) if text.contains('\0') => Some(path.to_owned()),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .find_map(|(i, item)| nul_character(item, &format!("{path}[{i}]"))),
        Value::Object(fields) => fields.iter().find_map(|(key, item)| {
            let at = if path.is_empty() {
                key.clone()
            } else {
                format!("{path}.{key}")
            };
            if key.contains('\0') {
                Some(at)
            } else {
                nul_character(item, &at)
            }
        }),
        _ => None,
    }
}

fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, AppError> {
    let mut value: serde_json::Value =
        serde_json::from_slice(bytes).map_err(|err| AppError::InvalidJson(err.to_string()))?;
    if let Some(field) = nul_character(&value, "") {
        return Err(AppError::NulCharacter(field));
    }
    integral_floats_as_integers(&mut value);
    serde_path_to_error::deserialize(value).map_err(|err| {
        let path = err.path().to_string();
        let inner = err.into_inner();
        match inner.classify() {
            serde_json::error::Category::Data => {
                let detail = inner.to_string();
                // serde reports a missing field at its parent's path, naming it in the text.
                if let Some(name) = detail
                    .strip_prefix("missing field `")
                    .and_then(|r| r.split('`').next())
                {
                    let field = if path == "." {
                        name.to_owned()
                    } else {
                        format!("{path}.{name}")
                    };
                    return AppError::MissingField(field);
                }
                AppError::InvalidField {
                    field: path,
                    detail,
                }
            }
            _ => AppError::InvalidJson(inner.to_string()),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize, Debug)]
    #[allow(dead_code)]
    struct Sample {
        email: String,
        units: Vec<i64>,
    }

    fn code_and_field(bytes: &[u8]) -> (String, Option<String>) {
        let err = parse::<Sample>(bytes).expect_err("must fail");
        let report = err.report();
        (report.code.to_string(), report.field)
    }

    #[test]
    fn names_the_field_with_the_wrong_type() {
        assert_eq!(
            code_and_field(br#"{"email": 5, "units": []}"#),
            ("invalid_field".into(), Some("email".into()))
        );
        assert_eq!(
            code_and_field(br#"{"email": "a@b.mx", "units": [1, "x"]}"#),
            ("invalid_field".into(), Some("units[1]".into()))
        );
    }

    #[test]
    fn an_integral_number_written_with_a_fraction_is_an_integer() {
        let sample: Sample =
            parse(br#"{"email": "a@b.mx", "units": [3.0, 4, 9007199254740992.0]}"#).unwrap();
        assert_eq!(sample.units, [3, 4, 9_007_199_254_740_992]);
        assert_eq!(
            code_and_field(br#"{"email": "a@b.mx", "units": [3.5]}"#),
            ("invalid_field".into(), Some("units[0]".into()))
        );
    }

    #[test]
    fn a_nul_character_is_refused_where_it_stands() {
        assert_eq!(
            code_and_field(br#"{"email": "a\u0000b", "units": []}"#),
            ("nul_character".into(), Some("email".into()))
        );
        assert_eq!(
            code_and_field(br#"{"email": "a@b.mx", "units": [], "x": ["", "\u0000"]}"#),
            ("nul_character".into(), Some("x[1]".into()))
        );
    }

    #[test]
    fn names_a_missing_field_and_rejects_broken_json() {
        assert_eq!(
            code_and_field(br#"{"units": []}"#),
            ("missing_field".into(), Some("email".into()))
        );
        assert_eq!(
            code_and_field(br#"{"email": "#),
            ("invalid_json".into(), None)
        );
        assert_eq!(code_and_field(b"not json"), ("invalid_json".into(), None));
    }
}
