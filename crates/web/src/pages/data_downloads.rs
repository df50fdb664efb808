//! Downloads of a resource online: the original file as the publisher uploaded it, streamed
//! from disk, and the datastore's table as CSV (formula injection neutralised) or as JSON,
//! streamed page by page so a large table is never held whole.

use crate::csrf::GuardedRouter;
use abierto_app::open_data::{self, CellValue, DatastoreQuery, DatastoreTable};
use abierto_app::App;
use abierto_domain::ids::ResourceId;
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use super::downloads::{csv_line, kept_file};
use crate::id_path::IdPath;
use crate::{AppError, AppState};
use abierto_app::open_data::values::{cell_json, cell_text};

/// Rows read from the datastore for each piece of an export.
const EXPORT_PAGE: i64 = 5000;

pub fn router() -> GuardedRouter {
    GuardedRouter::new()
        .route("/datos-abiertos/recursos/{id}/original", get(original))
        .route("/datos-abiertos/recursos/{id}/datos.csv", get(table_csv))
        .route("/datos-abiertos/recursos/{id}/datos.json", get(table_json))
}

async fn original(
    State(state): State<AppState>,
    IdPath(resource): IdPath<ResourceId>,
) -> Result<Response, AppError> {
    let (_, file) = open_data::published_file(&state.app, resource).await?;
    kept_file(file).await
}

async fn online_table(app: &App, resource: ResourceId) -> Result<DatastoreTable, AppError> {
    open_data::datastore_of_resource(app, resource)
        .await?
        .ok_or(AppError::NotFound)
}

async fn table_csv(
    State(state): State<AppState>,
    IdPath(resource): IdPath<ResourceId>,
) -> Result<Response, AppError> {
    let table = online_table(&state.app, resource).await?;
    let header = csv_line(table.fields.iter().map(|f| f.name.clone()));
    let pages = export_pages(state.app.clone(), table, |cells| {
        csv_line(cells.iter().map(cell_text)).to_vec()
    });
    let body = futures_util::StreamExt::chain(futures_util::stream::iter([Ok(header)]), pages);
    Ok(download(
        Body::from_stream(body),
        "text/csv; charset=utf-8",
        &format!("recurso-{resource}.csv"),
    ))
}

async fn table_json(
    State(state): State<AppState>,
    IdPath(resource): IdPath<ResourceId>,
) -> Result<Response, AppError> {
    let table = online_table(&state.app, resource).await?;
    let names: Vec<String> = table.fields.iter().map(|f| f.name.clone()).collect();
    // Keys in the table's column order (a JSON map would sort them).
    let keys: Vec<String> = names
        .iter()
        .map(|n| serde_json::Value::from(n.as_str()).to_string())
        .collect();
    let mut first = true;
    let pages = export_pages(state.app.clone(), table, move |cells| {
        let mut piece = if first {
            b"\n{".to_vec()
        } else {
            b",\n{".to_vec()
        };
        first = false;
        for (i, (key, cell)) in keys.iter().zip(cells).enumerate() {
            if i > 0 {
                piece.push(b',');
            }
            piece.extend(key.as_bytes());
            piece.push(b':');
            piece.extend(cell_json(cell).to_string().into_bytes());
        }
        piece.push(b'}');
        piece
    });
    let body = futures_util::StreamExt::chain(
        futures_util::StreamExt::chain(futures_util::stream::iter([Ok(Bytes::from("["))]), pages),
        futures_util::stream::iter([Ok(Bytes::from("\n]\n"))]),
    );
    Ok(download(
        Body::from_stream(body),
        "application/json",
        &format!("recurso-{resource}.json"),
    ))
}

/// The table's rows in `_id` order, a page at a time, each row written by `write`.
fn export_pages<W>(
    app: App,
    table: DatastoreTable,
    write: W,
) -> impl futures_util::Stream<Item = Result<Bytes, std::io::Error>> + Send + 'static
where
    W: FnMut(&[CellValue]) -> Vec<u8> + Send + 'static,
{
    futures_util::stream::unfold(Some((0i64, write)), move |state| {
        let app = app.clone();
        let table = table.clone();
        async move {
            let (offset, mut write) = state?;
            let query = DatastoreQuery {
                limit: EXPORT_PAGE,
                offset,
                skip_total: true,
                ..DatastoreQuery::default()
            };
            let page = match open_data::search_datastore(&app, &table, &query).await {
                Ok(page) => page,
                Err(err) => return Some((Err(std::io::Error::other(err.to_string())), None)),
            };
            if page.records.is_empty() {
                return None;
            }
            let mut out = Vec::new();
            for (_, cells) in &page.records {
                out.extend(write(cells));
            }
            let next =
                (page.records.len() as i64 == EXPORT_PAGE).then_some((offset + EXPORT_PAGE, write));
            Some((Ok(Bytes::from(out)), next))
        }
    })
}

/// A streamed body sent as a file to save.
fn download(body: Body, content_type: &'static str, filename: &str) -> Response {
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
