//! The programs' records kept before abierto: Mi Barrio Habla's events and agreements,
//! Presupuesto Participativo's works with their stages, Pregunta León, outreach, trainings.

use abierto_domain::account::Role;
use abierto_domain::ids::{
    AgreementId, EventId, InquiryId, OutreachId, TrainingId, UnitId, WorkId,
};
use abierto_domain::programs::{InquiryChannel, InquiryKind, OutreachKind, Topic, WorkStage};
pub use abierto_store::NewAgreement;
use chrono::NaiveDate;

use crate::{Actor, App, Result};

/// Records a Mi Barrio Habla event held in a neighbourhood.
pub async fn add_event(
    app: &App,
    actor: &Actor,
    external_id: Option<&str>,
    held_on: NaiveDate,
    neighbourhood: &str,
) -> Result<EventId> {
    actor.require(Role::can_keep_sessions)?;
    Ok(app
        .store()
        .add_event(&actor.audit(), external_id, held_on, neighbourhood)
        .await?)
}

/// Saves several agreements in one transaction: all or none.
pub async fn save_agreements(
    app: &App,
    actor: &Actor,
    batch: &[NewAgreement],
) -> Result<Vec<AgreementId>> {
    actor.require(Role::can_keep_sessions)?;
    Ok(app.store().save_agreements(&actor.audit(), batch).await?)
}

/// Registers a work with its stages so far (at least one), oldest first.
pub async fn add_work(
    app: &App,
    actor: &Actor,
    external_id: Option<&str>,
    name: &str,
    neighbourhood: &str,
    history: &[(WorkStage, NaiveDate)],
) -> Result<WorkId> {
    actor.require(Role::can_keep_sessions)?;
    Ok(app
        .store()
        .add_work(&actor.audit(), external_id, name, neighbourhood, history)
        .await?)
}

/// Records a Pregunta León inquiry.
pub async fn add_inquiry(
    app: &App,
    actor: &Actor,
    kind: InquiryKind,
    channel: Option<InquiryChannel>,
    held_on: NaiveDate,
    place: &str,
) -> Result<InquiryId> {
    actor.require(Role::can_keep_sessions)?;
    Ok(app
        .store()
        .add_inquiry(&actor.audit(), kind, channel, held_on, place)
        .await?)
}

/// An outreach activity (acción complementaria) as its record has it.
#[derive(Debug, Clone)]
pub struct PastOutreach<'a> {
    pub kind: OutreachKind,
    pub held_on: NaiveDate,
    pub place: &'a str,
    pub audience: &'a str,
    pub topics: &'a [Topic],
    pub description: &'a str,
}

/// Records an outreach activity.
pub async fn add_outreach(
    app: &App,
    actor: &Actor,
    outreach: &PastOutreach<'_>,
) -> Result<OutreachId> {
    actor.require(Role::can_keep_sessions)?;
    Ok(app
        .store()
        .add_outreach(
            &actor.audit(),
            outreach.kind,
            outreach.held_on,
            outreach.place,
            outreach.audience,
            outreach.topics,
            outreach.description,
        )
        .await?)
}

/// Records a training of public servants, with the units trained.
pub async fn add_training(
    app: &App,
    actor: &Actor,
    held_on: NaiveDate,
    title: &str,
    people_trained: i64,
    units: &[UnitId],
) -> Result<TrainingId> {
    actor.require(Role::can_keep_sessions)?;
    Ok(app
        .store()
        .add_training(&actor.audit(), held_on, title, people_trained, units)
        .await?)
}
