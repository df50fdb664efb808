//! An action's parameters, however they came: flat strings from a query string (where lists
//! and objects are JSON text, as CKAN's clients send them) or typed values from a JSON body.

use serde_json::{Map, Value};

use super::CkanError;

#[derive(Debug, Default)]
pub struct Params(Map<String, Value>);

impl Params {
    pub fn from_query(raw: &str) -> Params {
        let mut map = Map::new();
        for (key, value) in form_urlencoded::parse(raw.as_bytes()) {
            let value = Value::String(value.into_owned());
            match map.get_mut(key.as_ref()) {
                Some(Value::Array(values)) => values.push(value),
                Some(first) => *first = Value::Array(vec![first.take(), value]),
                None => {
                    map.insert(key.into_owned(), value);
                }
            }
        }
        Params(map)
    }

    pub fn from_json(body: &[u8]) -> Result<Params, CkanError> {
        match serde_json::from_slice::<Value>(body) {
            Ok(Value::Object(map)) => Ok(Params(map)),
            Ok(_) => Err(CkanError::invalid("__body", "A JSON object was expected.")),
            Err(err) => Err(CkanError::invalid("__body", format!("Invalid JSON: {err}"))),
        }
    }

    /// Refuses parameters the action does not take, as CKAN's schemas do.
    pub fn only(&self, known: &[&str]) -> Result<(), CkanError> {
        let unknown: Vec<(String, String)> = self
            .0
            .keys()
            .filter(|k| !known.contains(&k.as_str()))
            .map(|k| (k.clone(), format!("The input field {k} was not expected.")))
            .collect();
        if unknown.is_empty() {
            Ok(())
        } else {
            Err(CkanError::Validation(unknown))
        }
    }

    /// A text parameter; numbers are read as their text.
    pub fn text(&self, key: &str) -> Option<String> {
        match self.0.get(key)? {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            Value::Bool(b) => Some(b.to_string()),
            Value::Array(values) => values.first().and_then(|v| v.as_str()).map(str::to_owned),
            _ => None,
        }
    }

    /// A required text parameter: `Missing value` otherwise.
    pub fn required(&self, key: &str) -> Result<String, CkanError> {
        self.text(key)
            .filter(|t| !t.trim().is_empty())
            .ok_or_else(|| CkanError::invalid(key, "Missing value"))
    }

    /// A whole number within `min..=max`, or `default` when absent.
    pub fn integer(&self, key: &str, default: i64, min: i64, max: i64) -> Result<i64, CkanError> {
        let Some(raw) = self.text(key).filter(|t| !t.trim().is_empty()) else {
            return Ok(default);
        };
        let n: i64 = raw
            .trim()
            .parse()
            .map_err(|_| CkanError::invalid(key, "Invalid integer"))?;
        if n < min {
            Err(CkanError::invalid(key, format!("Must be at least {min}")))
        } else if n > max {
            Err(CkanError::invalid(key, format!("Must be at most {max}")))
        } else {
            Ok(n)
        }
    }

    /// A yes-or-no parameter, `default` when absent; anything but true/false (or 1/0) is a
    /// `Validation Error`.
    pub fn boolean(&self, key: &str, default: bool) -> Result<bool, CkanError> {
        let Some(raw) = self.text(key).filter(|t| !t.trim().is_empty()) else {
            return Ok(default);
        };
        match raw.trim().to_ascii_lowercase().as_str() {
            "true" | "1" | "yes" => Ok(true),
            "false" | "0" | "no" => Ok(false),
            _ => Err(CkanError::invalid(key, "Invalid boolean")),
        }
    }

    pub fn flag(&self, key: &str) -> bool {
        matches!(self.0.get(key), Some(Value::Bool(true)))
            || self
                .text(key)
                .is_some_and(|t| matches!(t.to_ascii_lowercase().as_str(), "true" | "1" | "yes"))
    }

    /// A list: a JSON array, the JSON text of one, or comma-separated text.
    pub fn list(&self, key: &str) -> Result<Vec<String>, CkanError> {
        let value = match self.0.get(key) {
            None => return Ok(Vec::new()),
            Some(Value::String(text)) if text.trim_start().starts_with('[') => {
                serde_json::from_str(text)
                    .map_err(|_| CkanError::invalid(key, "Invalid JSON list"))?
            }
            Some(Value::String(text)) => Value::Array(
                text.split(',')
                    .map(|t| Value::String(t.trim().to_owned()))
                    .filter(|v| v.as_str().is_some_and(|s| !s.is_empty()))
                    .collect(),
            ),
            Some(other) => other.clone(),
        };
        match value {
            Value::Array(items) => items
                .into_iter()
                .map(|item| match item {
                    Value::String(s) => Ok(s),
                    _ => Err(CkanError::invalid(
                        key,
                        "Only lists of strings are accepted",
                    )),
                })
                .collect(),
            _ => Err(CkanError::invalid(key, "A list was expected")),
        }
    }

    /// An object: a JSON object or the JSON text of one.
    pub fn object(&self, key: &str) -> Result<Map<String, Value>, CkanError> {
        match self.0.get(key) {
            None => Ok(Map::new()),
            Some(Value::Object(map)) => Ok(map.clone()),
            Some(Value::String(text)) if text.trim().is_empty() => Ok(Map::new()),
            Some(Value::String(text)) => match serde_json::from_str(text) {
                Ok(Value::Object(map)) => Ok(map),
                _ => Err(CkanError::invalid(key, "Cannot parse JSON object")),
            },
            Some(_) => Err(CkanError::invalid(key, "A JSON object was expected")),
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn query_strings_carry_lists_and_objects_as_json_text() {
        let params = Params::from_query(
            "facet.field=%5B%22groups%22%2C%22res_format%22%5D&filters=%7B%22a%22%3A1%7D&fields=a,b",
        );
        assert_eq!(
            params.list("facet.field").unwrap(),
            ["groups", "res_format"]
        );
        assert_eq!(params.object("filters").unwrap()["a"], 1);
        assert_eq!(params.list("fields").unwrap(), ["a", "b"]);
    }

    #[test]
    fn numbers_are_checked_against_their_bounds() {
        let params = Params::from_json(br#"{"rows": 1001, "start": "x"}"#).unwrap();
        assert!(matches!(
            params.integer("rows", 10, 0, 1000),
            Err(CkanError::Validation(v)) if v[0].1 == "Must be at most 1000"
        ));
        assert!(params.integer("start", 0, 0, i64::MAX).is_err());
        assert_eq!(params.integer("missing", 10, 0, 1000).unwrap(), 10);
        assert!(Params::from_json(b"[1]").is_err());
    }
}
