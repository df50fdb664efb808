//! The programs' records — Mi Barrio Habla events and agreements, Presupuesto Participativo
//! works and their dated stages, Pregunta León, outreach activities, trainings — and the
//! counts the indicators read from them.

mod activities;
mod measures;
mod mi_barrio_habla;
mod works;

use abierto_domain::ids::{
    AgreementId, EventId, InquiryId, OutreachId, TrainingId, UnitId, WorkId,
};
use abierto_domain::programs::{
    AgreementStatus, InquiryChannel, InquiryKind, OutreachKind, Topic, WorkStage,
};
use chrono::NaiveDate;

pub(crate) use mi_barrio_habla::save_agreement;
pub(crate) use works::{change_stage, insert_work};

#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    pub id: EventId,
    pub external_id: Option<String>,
    pub held_on: NaiveDate,
    pub neighbourhood: String,
    pub agreements: i64,
    pub concluded: i64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct NewAgreement {
    pub external_id: Option<String>,
    pub event: Option<EventId>,
    pub description: String,
    pub unit: Option<UnitId>,
    pub status: AgreementStatus,
    pub created_on: NaiveDate,
    pub concluded_on: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Agreement {
    pub id: AgreementId,
    pub external_id: Option<String>,
    pub event: Option<EventId>,
    pub description: String,
    pub unit_name: Option<String>,
    pub status: AgreementStatus,
    pub created_on: NaiveDate,
    pub concluded_on: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Work {
    pub id: WorkId,
    pub external_id: Option<String>,
    pub name: String,
    pub neighbourhood: String,
    /// Every change of stage, oldest first: (stage, day, reason).
    pub history: Vec<(WorkStage, NaiveDate, String)>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Inquiry {
    pub id: InquiryId,
    pub kind: InquiryKind,
    pub channel: Option<InquiryChannel>,
    pub held_on: NaiveDate,
    pub place: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Outreach {
    pub id: OutreachId,
    pub kind: OutreachKind,
    pub held_on: NaiveDate,
    pub place: String,
    pub audience: String,
    pub topics: Vec<Topic>,
    pub description: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Training {
    pub id: TrainingId,
    pub held_on: NaiveDate,
    pub title: String,
    pub people_trained: i64,
    pub units: Vec<String>,
}

/// A span of days, both ends included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub from: NaiveDate,
    pub to: NaiveDate,
}
