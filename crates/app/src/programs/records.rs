//! Adding the programs' records one by one — from each program's page or the API — with the
//! same rules as the CSV import: Mi Barrio Habla events and agreements, a work's next stage,
//! Pregunta León interventions and advisories, outreach activities and trainings.

use abierto_domain::account::Role;
use abierto_domain::dates::parse_date;
use abierto_domain::ids::{EventId, WorkId};
use abierto_domain::programs::{
    check_agreement, check_people, parse_topics, required_text, AgreementStatus, InquiryChannel,
    InquiryKind, OutreachKind, WorkStage,
};
use abierto_domain::ErrorCode;
use abierto_domain::ValidationError;
use abierto_store::NewAgreement;
use chrono::NaiveDate;
use serde::Deserialize;

use crate::governance::unit_named;
use crate::{Actor, App, Error};

/// The longest free text a record keeps.
const TEXT_LIMIT: usize = 500;

fn date(field: &'static str, raw: &str) -> Result<NaiveDate, ValidationError> {
    parse_date(raw).map_err(|_| ValidationError::new(field, ErrorCode::InvalidDate))
}

fn optional(raw: &Option<String>) -> Option<&str> {
    raw.as_deref().map(str::trim).filter(|r| !r.is_empty())
}

/// A Mi Barrio Habla event (intervención).
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct EventRequest {
    /// `2024-07-13`.
    pub held_on: String,
    /// Colonia where it was held.
    pub neighbourhood: String,
    #[serde(default)]
    pub external_id: Option<String>,
}

pub async fn add_event(app: &App, actor: &Actor, request: &EventRequest) -> Result<EventId, Error> {
    actor.require(Role::can_keep_sessions)?;
    let held_on = date("held_on", &request.held_on)?;
    let neighbourhood = required_text("neighbourhood", &request.neighbourhood, TEXT_LIMIT)?;
    Ok(app
        .store()
        .add_event(
            &actor.audit(),
            optional(&request.external_id),
            held_on,
            &neighbourhood,
        )
        .await?)
}

/// An improvement agreement (acuerdo de mejora); saved again with the same `external_id`, it
/// is updated.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct AgreementRequest {
    #[serde(default)]
    pub external_id: Option<String>,
    /// The event that produced it.
    #[serde(default)]
    #[schema(value_type = Option<i64>)]
    pub event: Option<EventId>,
    pub description: String,
    /// The Unidad Responsable's name.
    #[serde(default)]
    pub unit: Option<String>,
    /// `open` or `concluded`.
    pub status: String,
    pub created_on: String,
    #[serde(default)]
    pub concluded_on: Option<String>,
}

pub async fn save_agreement(
    app: &App,
    actor: &Actor,
    request: &AgreementRequest,
) -> Result<abierto_domain::ids::AgreementId, Error> {
    actor.require(Role::can_keep_sessions)?;
    let status = AgreementStatus::parse(request.status.trim())?;
    let created_on = date("created_on", &request.created_on)?;
    let concluded_on = optional(&request.concluded_on)
        .map(|raw| date("concluded_on", raw))
        .transpose()?;
    check_agreement(status, created_on, concluded_on)?;
    let unit = match optional(&request.unit) {
        Some(name) => Some(unit_named(app, name).await?),
        None => None,
    };
    let new = NewAgreement {
        external_id: optional(&request.external_id).map(str::to_owned),
        event: request.event,
        description: required_text("description", &request.description, TEXT_LIMIT)?,
        unit,
        status,
        created_on,
        concluded_on,
    };
    Ok(app.store().save_agreement(&actor.audit(), &new).await?)
}

/// A work's next stage; going back needs a reason.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct StageRequest {
    /// `winner`, `executive_project`, `executive_project_done`, `budget_integration`,
    /// `contracted`, `in_execution` or `delivered`.
    pub stage: String,
    pub changed_on: String,
    #[serde(default)]
    pub reason: String,
}

pub async fn change_stage(
    app: &App,
    actor: &Actor,
    work: WorkId,
    request: &StageRequest,
) -> Result<(), Error> {
    actor.require(Role::can_keep_sessions)?;
    let stage = WorkStage::parse(request.stage.trim())?;
    let on = date("changed_on", &request.changed_on)?;
    Ok(app
        .store()
        .change_work_stage(&actor.audit(), work, stage, on, &request.reason)
        .await?)
}

/// A Pregunta León intervention or advisory.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct InquiryRequest {
    /// `intervention` or `advisory`.
    pub kind: String,
    /// For advisories: `citizen_wednesday`, `transparency_office` or `community`.
    #[serde(default)]
    pub channel: Option<String>,
    pub held_on: String,
    #[serde(default)]
    pub place: String,
}

pub async fn add_inquiry(
    app: &App,
    actor: &Actor,
    request: &InquiryRequest,
) -> Result<abierto_domain::ids::InquiryId, Error> {
    actor.require(Role::can_keep_sessions)?;
    let kind = InquiryKind::parse(request.kind.trim())?;
    let channel = optional(&request.channel)
        .map(InquiryChannel::parse)
        .transpose()?;
    let held_on = date("held_on", &request.held_on)?;
    Ok(app
        .store()
        .add_inquiry(&actor.audit(), kind, channel, held_on, request.place.trim())
        .await?)
}

/// An outreach activity (acción complementaria).
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct OutreachRequest {
    /// `community_centre`, `school_talk`, `gerontological_centre`, `services_fair`,
    /// `civil_registry_campaign` or `other`.
    pub kind: String,
    pub held_on: String,
    pub place: String,
    #[serde(default)]
    pub audience: String,
    /// Comma-separated: `dai`, `personal_data`, `open_government`.
    #[serde(default)]
    pub topics: String,
    #[serde(default)]
    pub description: String,
}

pub async fn add_outreach(
    app: &App,
    actor: &Actor,
    request: &OutreachRequest,
) -> Result<abierto_domain::ids::OutreachId, Error> {
    actor.require(Role::can_keep_sessions)?;
    let kind = OutreachKind::parse(request.kind.trim())?;
    let held_on = date("held_on", &request.held_on)?;
    let place = required_text("place", &request.place, TEXT_LIMIT)?;
    let topics = parse_topics(&request.topics)?;
    Ok(app
        .store()
        .add_outreach(
            &actor.audit(),
            kind,
            held_on,
            &place,
            request.audience.trim(),
            &topics,
            request.description.trim(),
        )
        .await?)
}

/// A training (capacitación) with the units that took part.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct TrainingRequest {
    pub held_on: String,
    pub title: String,
    pub people_trained: i64,
    /// Names of the participating units.
    #[serde(default)]
    pub units: Vec<String>,
}

pub async fn add_training(
    app: &App,
    actor: &Actor,
    request: &TrainingRequest,
) -> Result<abierto_domain::ids::TrainingId, Error> {
    actor.require(Role::can_keep_sessions)?;
    let held_on = date("held_on", &request.held_on)?;
    let title = required_text("title", &request.title, TEXT_LIMIT)?;
    let people = check_people(request.people_trained)?;
    let mut units = Vec::with_capacity(request.units.len());
    for name in request.units.iter().filter(|n| !n.trim().is_empty()) {
        units.push(unit_named(app, name).await?);
    }
    Ok(app
        .store()
        .add_training(&actor.audit(), held_on, &title, people, &units)
        .await?)
}
