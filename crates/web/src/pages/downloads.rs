//! Downloads streamed chunk by chunk: CSV lines (with formula injection neutralised) and
//! JSON pieces, with a file name.

use axum::body::{Body, Bytes};
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};

/// A CSV line; cells that a spreadsheet would run as a formula are neutralised.
pub fn csv_line(cells: impl IntoIterator<Item = String>) -> Bytes {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let cells: Vec<String> = cells
        .into_iter()
        .map(|c| {
            if c.starts_with(['=', '+', '-', '@']) && c.parse::<f64>().is_err() {
                format!("'{c}")
            } else {
                c
            }
        })
        .collect();
    let _ = writer.write_record(&cells);
    Bytes::from(writer.into_inner().unwrap_or_default())
}

/// Streams prepared chunks as a download.
pub fn stream(chunks: Vec<Bytes>, content_type: &'static str, filename: &str) -> Response {
    let body = Body::from_stream(futures_util::stream::iter(
        chunks.into_iter().map(Ok::<Bytes, std::io::Error>),
    ));
    (
        [
            (CONTENT_TYPE, content_type.to_owned()),
            (
                CONTENT_DISPOSITION,
                format!("attachment; filename=\"{filename}\""),
            ),
        ],
        body,
    )
        .into_response()
}

/// A file kept under its SHA-256 (an annex, a piece of evidence, a data file), streamed from
/// disk with a cleaned name. Photos open in the browser; everything else downloads.
pub async fn kept_file(stored: abierto_app::StoredFile) -> Result<Response, crate::AppError> {
    let abierto_app::StoredFile {
        file,
        filename,
        content_type,
    } = stored;
    let filename: String = filename
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || ".-_".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    let disposition = if matches!(content_type.as_str(), "image/png" | "image/jpeg") {
        "inline"
    } else {
        "attachment"
    };
    Ok((
        [
            (CONTENT_TYPE, content_type),
            (
                CONTENT_DISPOSITION,
                format!("{disposition}; filename=\"{filename}\""),
            ),
            (
                axum::http::header::X_CONTENT_TYPE_OPTIONS,
                "nosniff".to_owned(),
            ),
        ],
        Body::from_stream(file_chunks(file)),
    )
        .into_response())
}

/// A file read in 64 KiB chunks, so a large one is never held in memory whole.
fn file_chunks(
    file: tokio::fs::File,
) -> impl futures_util::Stream<Item = Result<Bytes, std::io::Error>> {
    use tokio::io::AsyncReadExt;
    futures_util::stream::unfold(Some(file), |file| async move {
        let mut file = file?;
        let mut buffer = vec![0u8; 64 * 1024];
        match file.read(&mut buffer).await {
            Ok(0) => None,
            Ok(n) => {
                buffer.truncate(n);
                Some((Ok(Bytes::from(buffer)), Some(file)))
            }
            Err(err) => Some((Err(err), None)),
        }
    })
}
