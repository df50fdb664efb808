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
