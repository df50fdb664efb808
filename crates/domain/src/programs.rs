//! The programs whose records feed the plan's indicators: Mi Barrio Habla (events and their
//! improvement agreements), Presupuesto Participativo (works moving through stages),
//! Pregunta León (interventions and advisories), outreach activities and trainings — with
//! the rules a record must follow.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::ErrorCode;
use crate::ValidationError;

/// Generates a closed vocabulary with stable English keys and Spanish labels.
macro_rules! vocabulary {
    ($(#[$doc:meta])* $name:ident, $field:literal, $code:ident {
        $($variant:ident => $key:literal, $label:literal;)+
    }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, utoipa::ToSchema)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn key(self) -> &'static str {
                match self { $($name::$variant => $key),+ }
            }

            pub fn label_es(self) -> &'static str {
                match self { $($name::$variant => $label),+ }
            }

            pub fn parse(raw: &str) -> Result<$name, ValidationError> {
                let raw = raw.trim();
                $name::ALL
                    .iter()
                    .copied()
                    .find(|v| v.key() == raw)
                    .ok_or(ValidationError::new($field, ErrorCode::$code))
            }
        }
    };
}

vocabulary!(
    /// The stages a Presupuesto Participativo work goes through, in order.
    WorkStage, "stage", InvalidStage {
        Winner => "winner", "obra ganadora";
        ExecutiveProject => "executive_project", "en elaboración de proyecto ejecutivo";
        ExecutiveProjectDone => "executive_project_done", "proyecto ejecutivo concluido";
        BudgetIntegration => "budget_integration", "en proceso de integración de presupuesto";
        Contracted => "contracted", "obra contratada";
        InExecution => "in_execution", "en ejecución";
        Delivered => "delivered", "obra entregada";
    }
);

vocabulary!(
    /// Where an improvement agreement stands.
    AgreementStatus, "status", InvalidAgreementStatus {
        Open => "open", "en seguimiento";
        Concluded => "concluded", "concluido";
    }
);

vocabulary!(
    /// What a Pregunta León record is.
    InquiryKind, "kind", InvalidInquiryKind {
        Intervention => "intervention", "intervención";
        Advisory => "advisory", "asesoría";
    }
);

vocabulary!(
    /// Where a Pregunta León advisory was given.
    InquiryChannel, "channel", InvalidChannel {
        CitizenWednesday => "citizen_wednesday", "Miércoles Ciudadano";
        TransparencyOffice => "transparency_office", "de forma directa en oficinas de la UT";
        Community => "community", "en comunidad";
    }
);

vocabulary!(
    /// The kinds of outreach activity (acciones complementarias) the Unidad de
    /// Transparencia reports.
    OutreachKind, "kind", InvalidOutreachKind {
        CommunityCentre => "community_centre", "Visita a Centros Comunitarios";
        SchoolTalk => "school_talk", "Plática en escuelas";
        GerontologicalCentre => "gerontological_centre", "Visita a Centros Gerontológicos";
        ServicesFair => "services_fair", "Feria de Servicios";
        CivilRegistryCampaign => "civil_registry_campaign", "Campaña de Regularización de Registro Civil";
        Other => "other", "Otras acciones";
    }
);

vocabulary!(
    /// What an outreach activity spoke about.
    Topic, "topics", InvalidTopic {
        AccessToInformation => "dai", "Derecho de Acceso a la Información (DAI)";
        PersonalData => "personal_data", "Protección de Datos Personales";
        OpenGovernment => "open_government", "Gobierno Abierto";
    }
);

/// Topics written as a comma-separated list of keys ("dai,personal_data").
pub fn parse_topics(raw: &str) -> Result<Vec<Topic>, ValidationError> {
    let mut topics: Vec<Topic> = raw
        .split([',', ';'])
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(Topic::parse)
        .collect::<Result<_, _>>()?;
    topics.sort();
    topics.dedup();
    Ok(topics)
}

/// An agreement's dates must agree with its status: a concluded agreement has a conclusion
/// date on or after the day it was made; an open one has none.
pub fn check_agreement(
    status: AgreementStatus,
    created_on: NaiveDate,
    concluded_on: Option<NaiveDate>,
) -> Result<(), ValidationError> {
    match (status, concluded_on) {
        (AgreementStatus::Concluded, None) => Err(ValidationError::new(
            "concluded_on",
            ErrorCode::ConclusionDateRequired,
        )),
        (AgreementStatus::Concluded, Some(day)) if day < created_on => Err(ValidationError::new(
            "concluded_on",
            ErrorCode::ConcludedBeforeCreated,
        )),
        (AgreementStatus::Open, Some(_)) => Err(ValidationError::new(
            "concluded_on",
            ErrorCode::ConclusionDateWithoutConclusion,
        )),
        _ => Ok(()),
    }
}

/// A work's stage change: dated on or after its last change, to a different stage; going
/// back to an earlier stage needs a written reason.
pub fn check_stage_change(
    last: Option<(WorkStage, NaiveDate)>,
    next: WorkStage,
    on: NaiveDate,
    reason: &str,
) -> Result<(), ValidationError> {
    let Some((current, since)) = last else {
        return Ok(());
    };
    if on < since {
        return Err(ValidationError::new(
            "changed_on",
            ErrorCode::StageChangeBeforeLast,
        ));
    }
    if next == current {
        return Err(ValidationError::new("stage", ErrorCode::StageUnchanged));
    }
    if next < current && reason.trim().is_empty() {
        return Err(ValidationError::new(
            "reason",
            ErrorCode::StageBackwardsWithoutReason,
        ));
    }
    Ok(())
}

/// The stage a work was in on `day`, from its dated history (sorted by date).
pub fn stage_on(history: &[(WorkStage, NaiveDate)], day: NaiveDate) -> Option<WorkStage> {
    history
        .iter()
        .take_while(|(_, on)| *on <= day)
        .last()
        .map(|(stage, _)| *stage)
}

/// A count of people: zero or more.
pub fn check_people(count: i64) -> Result<i64, ValidationError> {
    if count < 0 {
        return Err(ValidationError::new(
            "people_trained",
            ErrorCode::QuantityNegative,
        ));
    }
    Ok(count)
}

/// A required line of text (a neighbourhood, a place, a name).
pub fn required_text(
    field: &'static str,
    raw: &str,
    max_chars: usize,
) -> Result<String, ValidationError> {
    let text = raw.trim();
    if text.is_empty() {
        return Err(ValidationError::new(field, ErrorCode::TextRequired));
    }
    if text.chars().count() > max_chars {
        return Err(ValidationError::new(field, ErrorCode::TextTooLong));
    }
    Ok(text.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn agreements_conclude_on_or_after_they_are_made() {
        use AgreementStatus::*;
        let made = d(2025, 3, 10);
        assert!(check_agreement(Open, made, None).is_ok());
        assert!(check_agreement(Concluded, made, Some(made)).is_ok());
        assert!(check_agreement(Concluded, made, Some(d(2025, 9, 1))).is_ok());
        let code = |s, c| check_agreement(s, made, c).unwrap_err().code();
        assert_eq!(
            code(Concluded, Some(d(2025, 3, 9))),
            "concluded_before_created"
        );
        assert_eq!(code(Concluded, None), "conclusion_date_required");
        assert_eq!(code(Open, Some(made)), "conclusion_date_without_conclusion");
    }

    #[test]
    fn stages_move_forward_or_back_with_a_reason() {
        use WorkStage::*;
        let last = Some((Contracted, d(2024, 7, 10)));
        assert!(check_stage_change(None, Winner, d(2024, 1, 1), "").is_ok());
        assert!(check_stage_change(last, InExecution, d(2024, 7, 10), "").is_ok());
        assert!(check_stage_change(
            last,
            BudgetIntegration,
            d(2024, 8, 1),
            "Licitación desierta"
        )
        .is_ok());
        let code = |next, on, reason| {
            check_stage_change(last, next, on, reason)
                .unwrap_err()
                .code()
        };
        assert_eq!(
            code(BudgetIntegration, d(2024, 8, 1), "  "),
            "stage_backwards_without_reason"
        );
        assert_eq!(
            code(Delivered, d(2024, 7, 9), ""),
            "stage_change_before_last"
        );
        assert_eq!(code(Contracted, d(2024, 8, 1), ""), "stage_unchanged");
    }

    #[test]
    fn the_stage_on_a_day_comes_from_history() {
        use WorkStage::*;
        let history = [
            (Winner, d(2024, 1, 15)),
            (ExecutiveProject, d(2024, 3, 1)),
            (Contracted, d(2024, 8, 20)),
        ];
        assert_eq!(stage_on(&history, d(2024, 1, 14)), None);
        assert_eq!(stage_on(&history, d(2024, 1, 15)), Some(Winner));
        assert_eq!(stage_on(&history, d(2024, 7, 31)), Some(ExecutiveProject));
        assert_eq!(stage_on(&history, d(2024, 9, 30)), Some(Contracted));
    }

    #[test]
    fn vocabularies_round_trip_and_refuse_strangers() {
        for stage in WorkStage::ALL {
            assert_eq!(WorkStage::parse(stage.key()).unwrap(), *stage);
        }
        assert!(WorkStage::Winner < WorkStage::Delivered);
        assert_eq!(
            WorkStage::parse("terminada").unwrap_err().code(),
            "invalid_stage"
        );
        assert_eq!(
            parse_topics("personal_data, dai,dai").unwrap(),
            vec![Topic::AccessToInformation, Topic::PersonalData]
        );
        assert_eq!(
            parse_topics("dai,chismes").unwrap_err().code(),
            "invalid_topic"
        );
        assert_eq!(
            required_text("place", " ", 10).unwrap_err().code(),
            "text_required"
        );
        assert_eq!(check_people(-1).unwrap_err().code(), "quantity_negative");
    }
}
