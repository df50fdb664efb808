//! Reading an upload form (`multipart/form-data`): its one `file` field and its text fields.
//! The body limit is the route's; a body over it is a 413, a malformed one a 400.

use abierto_domain::ErrorCode;
use axum::extract::multipart::MultipartError;
use axum::extract::Multipart;
use axum::http::StatusCode;

use crate::AppError;

/// The form as posted.
pub struct UploadForm {
    pub filename: String,
    pub content: Vec<u8>,
    fields: Vec<(String, String)>,
}

impl UploadForm {
    /// A text field's value, empty when absent.
    pub fn field(&self, name: &str) -> &str {
        field_of(&self.fields, name)
    }
}

/// A form whose `file` field may be left empty.
pub struct FormWithFile {
    /// The chosen file's name and bytes; `None` when none was chosen.
    pub file: Option<(String, Vec<u8>)>,
    fields: Vec<(String, String)>,
}

impl FormWithFile {
    /// A text field's value, empty when absent.
    pub fn field(&self, name: &str) -> &str {
        field_of(&self.fields, name)
    }
}

fn field_of<'a>(fields: &'a [(String, String)], name: &str) -> &'a str {
    fields
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
        .unwrap_or_default()
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
