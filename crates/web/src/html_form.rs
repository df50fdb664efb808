//! `HtmlForm<T>`: the extractor of the pages' posted forms, as `ApiJson` is the API's. The
//! body (`application/x-www-form-urlencoded`) is read into a struct that names every field
//! the form has; a field that repeats (one per row of a table form, one per ticked box) is a
//! `Vec`. Fields are kept as typed text so a refused form shows again with what the person
//! wrote; a body that does not have the form's shape is answered with `invalid_field` and
//! the field at fault, never read as an empty form.

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use serde::de::DeserializeOwned;

use crate::AppError;

pub struct HtmlForm<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for HtmlForm<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, AppError> {
        let bytes = Bytes::from_request(req, state)
            .await
            .map_err(|_| AppError::PayloadTooLarge)?;
        read(&bytes).map(HtmlForm)
    }
}

/// Reads a urlencoded body into `T`, naming the field that does not fit.
pub fn read<T: DeserializeOwned>(body: &[u8]) -> Result<T, AppError> {
    // U+0000 (`%00`) cannot be stored in any text column: refused, naming its field.
    if let Some((name, _)) = form_urlencoded::parse(body)
        .find(|(name, value)| name.contains('\0') || value.contains('\0'))
    {
        return Err(AppError::NulCharacter(name.into_owned()));
    }
    let deserializer = serde_html_form::Deserializer::from_bytes(body);
    serde_path_to_error::deserialize(deserializer).map_err(|err| AppError::InvalidField {
        field: err.path().to_string(),
        detail: err.into_inner().to_string(),
    })
}

/// The `i`th value of a repeated field, empty when the row is short.
pub fn cell(column: &[String], i: usize) -> &str {
    column.get(i).map(String::as_str).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Default, Deserialize, PartialEq)]
    #[serde(default)]
    struct Agenda {
        title: Vec<String>,
        kind: Vec<String>,
        note: String,
        count: Option<u32>,
    }

    #[test]
    fn repeated_fields_become_columns_and_a_missing_one_is_empty() {
        let form: Agenda = read(b"title=Bienvenida&kind=report&title=Clausura&csrf_token=x")
            .expect("a valid form");
        assert_eq!(form.title, ["Bienvenida", "Clausura"]);
        assert_eq!(form.kind, ["report"]);
        assert_eq!(cell(&form.kind, 1), "");
        assert_eq!(form.note, "");
        assert_eq!(form.count, None);
    }

    #[test]
    fn a_single_field_sent_twice_is_refused_rather_than_guessed() {
        let err = read::<Agenda>(b"note=uno&note=dos").expect_err("two notes");
        assert_eq!(err.report().code.as_str(), "invalid_field");
        assert_eq!(err.report().field.as_deref(), Some("note"));
    }

    #[test]
    fn a_nul_character_is_refused_by_its_field() {
        let err = read::<Agenda>(b"note=uno%00dos").expect_err("NUL");
        assert_eq!(err.report().code.as_str(), "nul_character");
        assert_eq!(err.report().field.as_deref(), Some("note"));
    }

    #[test]
    fn a_field_that_does_not_fit_is_named() {
        let err = read::<Agenda>(b"count=muchos").expect_err("not a number");
        assert_eq!(err.report().code.as_str(), "invalid_field");
        assert_eq!(err.report().field.as_deref(), Some("count"));
    }
}
