//! The secretariat's form for seating a member in a body — an existing person, or a new one
//! registered on the way — under the bylaws' rules (artículo 4).

use crate::csrf::GuardedRouter;
use abierto_domain::ids::{BodyId, PersonId};
use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use serde::Deserialize;

use super::render;
use crate::auth::SessionKeeper;
use crate::html_form::HtmlForm;
use crate::id_path::IdPath;
use crate::page::PageContext;
use crate::{AppError, AppState};
use abierto_app::governance::membership::{
    seat_member, seat_new_person, MembershipRequest, PersonRequest,
};

pub fn router() -> GuardedRouter {
    GuardedRouter::new().route("/organos/{id}/integrantes/nuevo", get(form_page).post(seat))
}

#[derive(Default, Deserialize)]
#[serde(default)]
struct SeatForm {
    person: String,
    honorific: String,
    full_name: String,
    gender: String,
    kind: String,
    cargo: String,
    special_role: String,
    substitute_for: String,
    starts_on: String,
    ends_on: String,
    grounds: String,
}

struct Choice {
    value: String,
    label: String,
}

#[derive(Template)]
#[template(path = "member_new.html")]
struct SeatPage {
    ctx: PageContext,
    body: BodyId,
    body_name: String,
    people: Vec<Choice>,
    seats: Vec<Choice>,
    form: SeatForm,
    error_key: Option<String>,
}

async fn page(
    state: &AppState,
    ctx: PageContext,
    body: BodyId,
    form: SeatForm,
    error_key: Option<String>,
) -> Result<SeatPage, AppError> {
    let body_record = abierto_app::governance::body(&state.app, body).await?;
    let people = abierto_app::governance::people(&state.app)
        .await?
        .into_iter()
        .map(|p| Choice {
            value: p.id.to_string(),
            label: format!("{} {}", p.honorific, p.full_name).trim().to_owned(),
        })
        .collect();
    let seats = abierto_app::governance::members(&state.app, body)
        .await?
        .into_iter()
        .filter(|(m, _)| m.substitute_for.is_none())
        .map(|(m, p)| Choice {
            value: m.id.to_string(),
            label: format!("{} {} — {}", p.honorific, p.full_name, m.cargo)
                .trim_end_matches(" — ")
                .to_owned(),
        })
        .collect();
    Ok(SeatPage {
        ctx,
        body,
        body_name: body_record.name,
        people,
        seats,
        form,
        error_key,
    })
}

async fn form_page(
    State(state): State<AppState>,
    _keeper: SessionKeeper,
    ctx: PageContext,
    IdPath(body): IdPath<BodyId>,
) -> Result<Response, AppError> {
    let form = SeatForm {
        kind: "citizen".to_owned(),
        gender: "feminine".to_owned(),
        ..SeatForm::default()
    };
    render(&page(&state, ctx, body, form, None).await?)
}

async fn seat(
    State(state): State<AppState>,
    SessionKeeper(viewer): SessionKeeper,
    ctx: PageContext,
    IdPath(body): IdPath<BodyId>,
    HtmlForm(form): HtmlForm<SeatForm>,
) -> Result<Response, AppError> {
    let actor = viewer.actor();
    let request = |person| MembershipRequest {
        person,
        kind: form.kind.clone(),
        cargo: form.cargo.clone(),
        special_role: Some(form.special_role.clone()),
        substitute_for: form.substitute_for.parse().ok(),
        starts_on: form.starts_on.clone(),
        ends_on: Some(form.ends_on.clone()),
        grounds: form.grounds.clone(),
    };
    let outcome = match form.person.parse::<PersonId>() {
        Ok(person) => seat_member(&state.app, actor, body, &request(person)).await,
        // No one chosen: the person is new, registered together with the seat.
        Err(_) => {
            let person = PersonRequest {
                honorific: form.honorific.clone(),
                full_name: form.full_name.clone(),
                gender: form.gender.clone(),
            };
            let membership = request(PersonId::new(0));
            seat_new_person(&state.app, actor, body, &person, &membership).await
        }
    };
    match outcome.map_err(AppError::from) {
        Ok(_) => Ok(Redirect::to(&format!("/organos/{body}?integrante=1")).into_response()),
        Err(err @ (AppError::Invalid(_) | AppError::Conflict { .. })) => {
            let status = err.status();
            let page = page(&state, ctx, body, form, Some(err.report().message_key)).await?;
            Ok((status, render(&page)?).into_response())
        }
        Err(err) => Err(err),
    }
}
