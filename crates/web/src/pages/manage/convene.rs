//! Convening a session: the form that chooses the body, kind, date and place, and its post.

use abierto_app::sessions::convene::{convene, ConveneRequest};
use abierto_domain::ids::BodyId;
use abierto_domain::sessions::SessionKind;
use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use crate::auth::SessionKeeper;
use crate::html_form::HtmlForm;
use crate::page::PageContext;
use crate::pages::form::is_refusal;
use crate::pages::render;
use crate::{AppError, AppState};

pub(super) struct BodyOption {
    id: BodyId,
    name: String,
}

#[derive(Template)]
#[template(path = "session_new.html")]
pub(super) struct NewSessionPage {
    ctx: PageContext,
    bodies: Vec<BodyOption>,
    form: ConveneForm,
    error_key: Option<String>,
}

#[derive(Default, Deserialize)]
#[serde(default)]
pub(super) struct ConveneForm {
    body: String,
    kind: String,
    held_on: String,
    scheduled_time: String,
    place: String,
    legal_basis: String,
    name: String,
}

pub(super) async fn new_session_page(
    state: &AppState,
    ctx: PageContext,
    form: ConveneForm,
    error_key: Option<String>,
) -> Result<NewSessionPage, AppError> {
    let bodies = abierto_app::governance::bodies(&state.app)
        .await?
        .into_iter()
        .map(|b| BodyOption {
            id: b.id,
            name: b.name,
        })
        .collect();
    Ok(NewSessionPage {
        ctx,
        bodies,
        form,
        error_key,
    })
}

pub(super) async fn new_session(
    State(state): State<AppState>,
    _keeper: SessionKeeper,
    ctx: PageContext,
) -> Result<Response, AppError> {
    let form = ConveneForm {
        kind: SessionKind::Ordinary.key().to_owned(),
        ..ConveneForm::default()
    };
    render(&new_session_page(&state, ctx, form, None).await?)
}

pub(super) async fn create_session(
    State(state): State<AppState>,
    SessionKeeper(viewer): SessionKeeper,
    ctx: PageContext,
    HtmlForm(form): HtmlForm<ConveneForm>,
) -> Result<Response, AppError> {
    let request = ConveneRequest {
        body: form.body.parse().unwrap_or(BodyId::new(0)),
        kind: form.kind.clone(),
        held_on: form.held_on.clone(),
        scheduled_time: form.scheduled_time.clone(),
        place: form.place.clone(),
        legal_basis: form.legal_basis.clone(),
        number: None,
        name: form.name.clone(),
        agenda: Vec::new(),
    };
    match convene(&state.app, viewer.actor(), &request)
        .await
        .map_err(AppError::from)
    {
        Ok(id) => {
            Ok(Redirect::to(&format!("/sesiones/{id}/gestion?hecho=convened")).into_response())
        }
        Err(err) if is_refusal(&err) => {
            let status = err.status();
            let page = new_session_page(&state, ctx, form, Some(err.report().message_key)).await?;
            Ok((status, render(&page)?).into_response())
        }
        Err(err) => Err(err),
    }
}
