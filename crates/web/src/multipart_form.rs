//! Reading an upload form (`multipart/form-data`): its one `file` field and its text fields,
//! which are read into a typed struct as [`HtmlForm`](crate::html_form::HtmlForm) reads a
//! urlencoded form. The body limit is the route's; a body over it is a 413, a malformed one a
//! 400.

use abierto_domain::ErrorCode;
use axum::extract::multipart::MultipartError;
use axum::extract::Multipart;
use axum::http::StatusCode;
use serde::de::DeserializeOwned;

use crate::html_form;
use crate::AppError;

/// The form as posted.
pub struct UploadForm {
    pub filename: String,
    pub content: Vec<u8>,
    fields: Vec<(String, String)>,
}

impl UploadForm {
    /// The text fields, read into `T`.
    pub fn fields<T: DeserializeOwned>(&self) -> Result<T, AppError> {
        typed(&self.fields)
    }
}

/// What a piece of evidence is, posted beside its file (by the report page and the API).
#[derive(Default, serde::Deserialize)]
#[serde(default)]
pub struct EvidenceNote {
    pub description: String,
}

/// A form whose `file` field may be left empty.
pub struct FormWithFile {
    /// The chosen file's name and bytes; `None` when none was chosen.
    pub file: Option<(String, Vec<u8>)>,
    fields: Vec<(String, String)>,
}

impl FormWithFile {
    /// The text fields, read into `T`.
    pub fn fields<T: DeserializeOwned>(&self) -> Result<T, AppError> {
        typed(&self.fields)
    }
}

/// The text fields as one urlencoded form, read as the pages' forms are.
fn typed<T: DeserializeOwned>(fields: &[(String, String)]) -> Result<T, AppError> {
    let encoded = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(fields)
        .finish();
    html_form::read(encoded.as_bytes())
}

/// Reads the whole form. A browser sends an empty `file` part with no name when no file was
/// chosen: that is no file.
pub async fn read_form_with_file(mut multipart: Multipart) -> Result<FormWithFile, AppError> {
    let mut file = None;
    let mut fields = Vec::new();
    while let Some(field) = multipart.next_field().await.map_err(|e| upload_error(&e))? {
        let name = field.name().unwrap_or_default().to_owned();
        if name == "file" && file.is_none() {
            let filename = field.file_name().unwrap_or_default().to_owned();
            let bytes = field.bytes().await.map_err(|e| upload_error(&e))?;
            if !(filename.is_empty() && bytes.is_empty()) {
                file = Some((filename, bytes.to_vec()));
            }
        } else if field.file_name().is_none() {
            let text = field.text().await.map_err(|e| upload_error(&e))?;
            fields.push((name, text));
        }
    }
    Ok(FormWithFile { file, fields })
}

/// Reads the whole form; without a file it is refused as `annex_without_file`.
pub async fn read_upload_form(multipart: Multipart) -> Result<UploadForm, AppError> {
    let form = read_form_with_file(multipart).await?;
    let Some((filename, content)) = form.file else {
        return Err(
            abierto_domain::ValidationError::new("file", ErrorCode::AnnexWithoutFile).into(),
        );
    };
    Ok(UploadForm {
        filename,
        content,
        fields: form.fields,
    })
}

/// The `file` field of an upload form: its name and bytes.
pub async fn read_file_field(multipart: Multipart) -> Result<(String, Vec<u8>), AppError> {
    let form = read_upload_form(multipart).await?;
    Ok((form.filename, form.content))
}

fn upload_error(err: &MultipartError) -> AppError {
    if err.status() == StatusCode::PAYLOAD_TOO_LARGE {
        AppError::PayloadTooLarge
    } else {
        AppError::InvalidField {
            field: "file".to_owned(),
            detail: err.body_text(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(fields: &[(&str, &str)]) -> FormWithFile {
        FormWithFile {
            file: None,
            fields: fields
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
        }
    }

    #[test]
    fn text_fields_are_read_as_a_urlencoded_form_is() {
        let note: EvidenceNote = form(&[("description", "Lista & fotos = 3")])
            .fields()
            .expect("one description");
        assert_eq!(note.description, "Lista & fotos = 3");
        let none: EvidenceNote = form(&[]).fields().expect("an empty form");
        assert_eq!(none.description, "");
        let twice = form(&[("description", "a"), ("description", "b")]).fields::<EvidenceNote>();
        let err = twice.err().expect("two descriptions are refused");
        assert_eq!(err.report().field.as_deref(), Some("description"));
    }
}
