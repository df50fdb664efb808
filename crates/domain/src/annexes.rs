//! Annexes to an agenda item (the "propuesta de modificación", the "informe de actividades"):
//! which files are accepted, judged by their name and by their first bytes, never by what the
//! browser claims.

use serde::Serialize;

use crate::ids::{AgendaItemId, AnnexId};
use crate::ErrorCode;
use crate::ValidationError;

/// An uploaded file kept with an agenda item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Annex {
    pub id: AnnexId,
    pub item: AgendaItemId,
    /// The name as uploaded, cleaned of any path.
    pub filename: String,
    pub content_type: String,
    pub size_bytes: i64,
    /// SHA-256 (hex) of the content; also its name on disk.
    pub sha256: String,
}

/// Accepted kinds: documents, spreadsheets, images and plain data.
const ACCEPTED: [(&str, &str); 9] = [
    ("pdf", "application/pdf"),
    (
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    (
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    ("odt", "application/vnd.oasis.opendocument.text"),
    ("ods", "application/vnd.oasis.opendocument.spreadsheet"),
    ("png", "image/png"),
    ("jpg", "image/jpeg"),
    ("jpeg", "image/jpeg"),
    ("csv", "text/csv"),
];

/// Extensions listed in messages and in the upload form's `accept`.
pub fn accepted_extensions() -> Vec<&'static str> {
    ACCEPTED.iter().map(|(ext, _)| *ext).collect()
}

/// Checks a file before it is stored; answers its content type and cleaned name.
pub fn check_annex(
    filename: &str,
    content: &[u8],
    max_bytes: usize,
) -> Result<(&'static str, String), ValidationError> {
    let name = clean_filename(filename);
    if name.is_empty() {
        return Err(ValidationError::new("file", ErrorCode::AnnexWithoutFile));
    }
    if content.is_empty() {
        return Err(ValidationError::new("file", ErrorCode::AnnexEmpty));
    }
    if content.len() > max_bytes {
        return Err(ValidationError::new("file", ErrorCode::AnnexTooLarge));
    }
    let extension = name
        .rsplit_once('.')
        .map(|(_, ext)| ext.to_ascii_lowercase())
        .unwrap_or_default();
    let Some((_, content_type)) = ACCEPTED.iter().find(|(ext, _)| *ext == extension) else {
        return Err(ValidationError::new("file", ErrorCode::AnnexTypeRefused));
    };
    if !content_matches(&extension, content) {
        return Err(ValidationError::new("file", ErrorCode::AnnexTypeRefused));
    }
    Ok((content_type, name))
}

fn content_matches(extension: &str, content: &[u8]) -> bool {
    match extension {
        "pdf" => content.starts_with(b"%PDF-"),
        "docx" | "xlsx" | "odt" | "ods" => content.starts_with(b"PK\x03\x04"),
        "png" => content.starts_with(b"\x89PNG\r\n\x1a\n"),
        "jpg" | "jpeg" => content.starts_with(&[0xFF, 0xD8, 0xFF]),
        "csv" => std::str::from_utf8(content).is_ok_and(|t| !t.contains('\0')),
        _ => false,
    }
}

/// The last path component, without control characters or quotes, at most 120 characters.
pub(crate) fn clean_filename(raw: &str) -> String {
    let last = raw.rsplit(['/', '\\']).next().unwrap_or_default();
    last.chars()
        .filter(|c| !c.is_control() && !matches!(c, '"' | '<' | '>'))
        .take(120)
        .collect::<String>()
        .trim()
        .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_documents_by_name_and_content() {
        assert_eq!(
            check_annex("propuesta.pdf", b"%PDF-1.7 ...", 100),
            Ok(("application/pdf", "propuesta.pdf".to_owned()))
        );
        assert_eq!(
            check_annex("C:\\docs\\informe.XLSX", b"PK\x03\x04rest", 100).map(|(_, n)| n),
            Ok("informe.XLSX".to_owned())
        );
        assert!(check_annex("datos.csv", "año,total\n2024,3\n".as_bytes(), 100).is_ok());
    }

    #[test]
    fn refuses_forbidden_types_disguises_and_oversized_files() {
        let code = |r: Result<(&'static str, String), ValidationError>| {
            r.map(|_| ()).map_err(|e| e.code().as_str())
        };
        assert_eq!(
            code(check_annex("script.exe", b"MZ\x90", 100)),
            Err("annex_type_refused")
        );
        assert_eq!(
            code(check_annex("falso.pdf", b"<html>", 100)),
            Err("annex_type_refused")
        );
        assert_eq!(
            code(check_annex("sin-extension", b"%PDF-", 100)),
            Err("annex_type_refused")
        );
        assert_eq!(
            code(check_annex("grande.pdf", &[b'%'; 101], 100)),
            Err("annex_too_large")
        );
        assert_eq!(code(check_annex("vacio.pdf", b"", 100)), Err("annex_empty"));
        assert_eq!(
            code(check_annex("../", b"%PDF-", 100)),
            Err("annex_without_file")
        );
    }
}
