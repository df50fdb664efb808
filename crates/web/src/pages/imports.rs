//! The secretariat's import page: choose what the file holds and whether to take all rows or
//! only the valid ones, upload it, and read the row-by-row report on the same page.

use crate::csrf::GuardedRouter;
use abierto_app::imports::{ImportKind, ImportMode};
use askama::Template;
use axum::extract::{DefaultBodyLimit, Multipart, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use super::form::is_refusal;
use super::render;
use crate::auth::SessionKeeper;
use crate::import_view::{kinds_help, worded, ImportResult, KindHelp};
use crate::multipart_form::read_upload_form;
use crate::page::PageContext;
use crate::{AppError, AppState};

pub fn router(upload_limit: usize) -> GuardedRouter {
    GuardedRouter::new()
        .route(
            "/secretariado/importar",
            get(form)
                .post(upload)
                .layer(DefaultBodyLimit::max(upload_limit)),
        )
        .route("/secretariado/importar/plantillas/{file}", get(template))
}

/// The template of a kind of file, by its key (`goals.csv`): its header in
/// Spanish, ready to fill in a spreadsheet.
async fn template(
    _keeper: SessionKeeper,
    axum::extract::Path(file): axum::extract::Path<String>,
) -> Result<Response, AppError> {
    let kind = file
        .strip_suffix(".csv")
        .and_then(|key| ImportKind::parse(key).ok())
        .ok_or(AppError::NotFound)?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"plantilla-{}.csv\"", kind.key()),
            ),
        ],
        abierto_app::imports::template(kind),
    )
        .into_response())
}

#[derive(Template)]
#[template(path = "imports.html")]
struct ImportPage {
    ctx: PageContext,
    kinds: Vec<KindHelp>,
    chosen_kind: String,
    row_level: bool,
    result: Option<ImportResult>,
    error_key: Option<String>,
}

impl ImportPage {
    fn new(ctx: PageContext) -> ImportPage {
        ImportPage {
            ctx,
            kinds: kinds_help(),
            chosen_kind: String::new(),
            row_level: false,
            result: None,
            error_key: None,
        }
    }
}

async fn form(_keeper: SessionKeeper, ctx: PageContext) -> Result<Response, AppError> {
    render(&ImportPage::new(ctx))
}

/// What the import form chose beside its file.
#[derive(Default, serde::Deserialize)]
#[serde(default)]
struct ImportChoice {
    kind: String,
    mode: String,
}

async fn upload(
    State(state): State<AppState>,
    SessionKeeper(viewer): SessionKeeper,
    ctx: PageContext,
    multipart: Multipart,
) -> Result<Response, AppError> {
    let mut page = ImportPage::new(ctx);
    let outcome = async {
        let form = read_upload_form(multipart).await?;
        let choice: ImportChoice = form.fields()?;
        page.chosen_kind = choice.kind.clone();
        page.row_level = choice.mode == "rows";
        let kind = ImportKind::parse(&choice.kind)?;
        let mode = ImportMode::parse(&choice.mode)?;
        Ok::<_, AppError>(
            abierto_app::imports::run(&state.app, viewer.actor(), kind, mode, &form.content)
                .await?,
        )
    }
    .await;
    match outcome {
        Ok(report) => {
            let result = worded(report, &page.ctx);
            let status = if result.applied {
                axum::http::StatusCode::OK
            } else {
                axum::http::StatusCode::UNPROCESSABLE_ENTITY
            };
            page.result = Some(result);
            Ok((status, render(&page)?).into_response())
        }
        Err(err) if is_refusal(&err) => {
            let status = err.status();
            page.error_key = Some(err.report().message_key);
            Ok((status, render(&page)?).into_response())
        }
        Err(err) => Err(err),
    }
}
