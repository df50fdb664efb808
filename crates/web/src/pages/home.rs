//! Inicio, and the public page of each collegiate body with its members.

use crate::csrf::GuardedRouter;
use abierto_domain::governance::{Gender, MembershipKind, SpecialRole};
use abierto_domain::ids::BodyId;
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;

use super::render;
use crate::id_path::IdPath;
use crate::page::PageContext;
use crate::{AppError, AppState};

pub fn router() -> GuardedRouter {
    GuardedRouter::new()
        .route("/", get(home))
        .route("/organos/{id}", get(body_page))
}

struct BodyCard {
    id: BodyId,
    name: String,
    period_label: String,
    current: bool,
    member_count: i64,
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    ctx: PageContext,
    bodies: Vec<BodyCard>,
}

/// A new installation, before its first administrator: what to run on the server.
#[derive(Template)]
#[template(path = "first_run.html")]
struct FirstRunPage {
    ctx: PageContext,
}

async fn home(State(state): State<AppState>, ctx: PageContext) -> Result<Response, AppError> {
    if !abierto_app::operations::has_administrator(&state.app).await? {
        return render(&FirstRunPage { ctx });
    }
    let today = state.app.clock().today();
    let counts = abierto_app::governance::member_counts(&state.app).await?;
    let bodies = abierto_app::governance::bodies(&state.app)
        .await?
        .into_iter()
        .map(|body| BodyCard {
            id: body.id,
            period_label: body.period.label(),
            current: body.period.contains(today),
            member_count: counts
                .iter()
                .find(|(id, _)| *id == body.id)
                .map_or(0, |(_, n)| *n),
            name: body.name,
        })
        .collect();
    render(&HomePage { ctx, bodies })
}

struct MemberRow {
    name: String,
    seat_key: &'static str,
    role_key: Option<&'static str>,
    substitute_of: Option<String>,
    cargo: String,
    since: String,
    until: String,
    grounds: String,
}

#[derive(Template)]
#[template(path = "body.html")]
struct BodyPage {
    ctx: PageContext,
    body: abierto_domain::governance::Body,
    period_label: String,
    members: Vec<MemberRow>,
}

async fn body_page(
    State(state): State<AppState>,
    ctx: PageContext,
    IdPath(id): IdPath<BodyId>,
) -> Result<Response, AppError> {
    let body = abierto_app::governance::body(&state.app, id).await?;
    let seats = abierto_app::governance::members(&state.app, id).await?;
    let name_of = |membership| {
        seats
            .iter()
            .find(|(m, _)| m.id == membership)
            .map(|(_, p)| format!("{} {}", p.honorific, p.full_name).trim().to_owned())
    };
    let members = seats
        .iter()
        .map(|(m, p)| MemberRow {
            name: format!("{} {}", p.honorific, p.full_name).trim().to_owned(),
            seat_key: match (m.kind, p.gender) {
                (MembershipKind::Citizen, Gender::Feminine) => "body.citizen_feminine",
                (MembershipKind::Citizen, Gender::Masculine) => "body.citizen_masculine",
                (MembershipKind::PublicServant, _) => "body.public_servant",
            },
            role_key: m.special_role.map(|r| match r {
                SpecialRole::Presidency => "body.presidency",
                SpecialRole::PresidencyRepresentative => "body.presidency_representative",
                SpecialRole::Facilitator => "body.facilitator",
            }),
            substitute_of: m.substitute_for.and_then(name_of),
            cargo: m.cargo.clone(),
            since: ctx.date(m.tenure.starts_on),
            until: m
                .tenure
                .ends_on
                .map(|d| ctx.date(d))
                .unwrap_or_else(|| "—".to_owned()),
            grounds: m.grounds.clone(),
        })
        .collect();
    let period_label = body.period.label();
    render(&BodyPage {
        ctx,
        body,
        period_label,
        members,
    })
}
