//! Seating a member in a body under the bylaws' rules (two-year term, no re-election, no
//! overlapping seat), and registering the person first when they are new.

use abierto_domain::account::Role;
use abierto_domain::dates::parse_date;
use abierto_domain::governance::{Gender, MembershipKind, SpecialRole, Tenure};
use abierto_domain::ids::{BodyId, MembershipId, PersonId};
use abierto_domain::membership_rules::{check_seat, ProposedSeat};
use abierto_domain::ErrorCode;
use abierto_domain::ValidationError;
use abierto_store::{NewMembership, NewPerson, StoreError};
use serde::Deserialize;

use crate::{Actor, App, Error};

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PersonRequest {
    /// "C.", "Lic.", "Mtra.".
    pub honorific: String,
    pub full_name: String,
    /// `feminine` or `masculine`: the official prose agrees with it.
    pub gender: String,
}

pub async fn register_person(
    app: &App,
    actor: &Actor,
    request: &PersonRequest,
) -> Result<PersonId, Error> {
    actor.require(Role::can_keep_sessions)?;
    Ok(app
        .store()
        .create_person(&actor.audit(), &check_person(request)?)
        .await?)
}

fn check_person(request: &PersonRequest) -> Result<NewPerson, ValidationError> {
    let full_name = request.full_name.trim();
    if full_name.is_empty() || full_name.chars().count() > 160 {
        return Err(ValidationError::new("full_name", ErrorCode::InvalidName));
    }
    Ok(NewPerson {
        honorific: request.honorific.trim().to_owned(),
        full_name: full_name.to_owned(),
        gender: Gender::parse(request.gender.trim())?,
    })
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MembershipRequest {
    pub person: PersonId,
    /// `citizen` or `public_servant`.
    pub kind: String,
    #[serde(default)]
    pub cargo: String,
    /// `presidency`, `presidency_representative` or `facilitator`.
    #[serde(default)]
    pub special_role: Option<String>,
    #[serde(default)]
    pub substitute_for: Option<MembershipId>,
    /// `2025-01-01`.
    pub starts_on: String,
    #[serde(default)]
    pub ends_on: Option<String>,
    /// The bylaws article that grounds the seat: "artículo 4 fracción II".
    #[serde(default)]
    pub grounds: String,
}

pub async fn seat_member(
    app: &App,
    actor: &Actor,
    body: BodyId,
    request: &MembershipRequest,
) -> Result<MembershipId, Error> {
    actor.require(Role::can_keep_sessions)?;
    match app.store().person(request.person).await {
        Err(StoreError::NotFound) => {
            return Err(ValidationError::new("person", ErrorCode::UnknownPerson).into())
        }
        other => other?,
    };
    let others = app.store().memberships_of_person(request.person).await?;
    let new = check_membership(app, body, request, &others).await?;
    Ok(app.store().create_membership(&actor.audit(), &new).await?)
}

/// Registers a new person and seats them, both or neither: every rule is checked first.
pub async fn seat_new_person(
    app: &App,
    actor: &Actor,
    body: BodyId,
    person: &PersonRequest,
    request: &MembershipRequest,
) -> Result<MembershipId, Error> {
    actor.require(Role::can_keep_sessions)?;
    let new_person = check_person(person)?;
    // A new person holds no other seat.
    let new = check_membership(app, body, request, &[]).await?;
    let (_, membership) = app
        .store()
        .seat_new_person(&actor.audit(), &new_person, &new)
        .await?;
    Ok(membership)
}

async fn check_membership(
    app: &App,
    body: BodyId,
    request: &MembershipRequest,
    others: &[abierto_domain::governance::Membership],
) -> Result<NewMembership, Error> {
    let body = app.store().body(body).await?;
    let kind = MembershipKind::parse(request.kind.trim())?;
    let special_role = request
        .special_role
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty())
        .map(SpecialRole::parse)
        .transpose()?;
    let starts_on = parse_date(&request.starts_on)
        .map_err(|_| ValidationError::new("starts_on", ErrorCode::InvalidDate))?;
    let ends_on = request
        .ends_on
        .as_deref()
        .map(str::trim)
        .filter(|e| !e.is_empty())
        .map(|e| parse_date(e).map_err(|_| ValidationError::new("ends_on", ErrorCode::InvalidDate)))
        .transpose()?;
    let tenure = Tenure::new(starts_on, ends_on)?;
    if !body.period.contains(starts_on) {
        return Err(ValidationError::new("starts_on", ErrorCode::MembershipOutsidePeriod).into());
    }
    if kind == MembershipKind::PublicServant && request.cargo.trim().is_empty() {
        return Err(ValidationError::new("cargo", ErrorCode::CargoRequired).into());
    }
    if let Some(titular) = request.substitute_for {
        let seats = app.store().memberships_of(body.id).await?;
        if !seats.iter().any(|(m, _)| m.id == titular) {
            return Err(ValidationError::new("substitute_for", ErrorCode::NotAMember).into());
        }
    }
    let seat = ProposedSeat {
        body: body.id,
        person: request.person,
        kind,
        special_role,
        tenure,
    };
    check_seat(&seat, others)?;
    Ok(NewMembership {
        body: body.id,
        person: request.person,
        kind,
        cargo: request.cargo.trim().to_owned(),
        special_role,
        substitute_for: request.substitute_for,
        tenure,
        grounds: request.grounds.trim().to_owned(),
        has_vote: special_role != Some(SpecialRole::Facilitator),
    })
}
