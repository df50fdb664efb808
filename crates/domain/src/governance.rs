//! The secretariat's structure: bodies with a period, and the memberships that seat people in
//! them (citizen members, public servants with a cargo, the presidency and the facilitator).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::ids::{BodyId, MembershipId, PersonId};
use crate::ErrorCode;
use crate::ValidationError;

/// A collegiate body with its period, e.g. the Secretariado Técnico 2022-2024.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Body {
    pub id: BodyId,
    /// Full official name, e.g. "Secretariado Técnico Municipal de Gobierno Abierto para León, Guanajuato 2022-2024".
    pub name: String,
    /// Short name for lists, e.g. "STMGA 2022-2024".
    pub short_name: String,
    pub kind: BodyKind,
    pub period: Period,
}

/// A person who sits or sat in a body. Public: members' names appear in the published minutes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Person {
    pub id: PersonId,
    /// Honorific as written in the minutes: "Lic.", "Mtra.", "C.".
    pub honorific: String,
    pub full_name: String,
    pub gender: Gender,
}

/// One person's seat in one body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Membership {
    pub id: MembershipId,
    pub body: BodyId,
    pub person: PersonId,
    pub kind: MembershipKind,
    /// The public servant's cargo, e.g. "Directora de Presupuesto Participativo y Delegaciones".
    pub cargo: String,
    pub special_role: Option<SpecialRole>,
    /// The titular membership this one substitutes (suplente de).
    pub substitute_for: Option<MembershipId>,
    pub tenure: Tenure,
    /// The bylaws article that grounds the seat, e.g. "artículo 4 fracción II".
    pub grounds: String,
    /// Whether the seat votes and so counts for quorum (the facilitator's does not).
    pub has_vote: bool,
}

/// What kind of collegiate body (órgano colegiado) this is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum BodyKind {
    /// Secretariado Técnico Municipal de Gobierno Abierto.
    Secretariat,
    /// Comité de Selección.
    SelectionCommittee,
    /// Cabildo Abierto Juvenil.
    YouthCouncil,
}

impl BodyKind {
    pub fn key(self) -> &'static str {
        match self {
            BodyKind::Secretariat => "secretariat",
            BodyKind::SelectionCommittee => "selection_committee",
            BodyKind::YouthCouncil => "youth_council",
        }
    }

    pub fn parse(raw: &str) -> Result<BodyKind, ValidationError> {
        [
            BodyKind::Secretariat,
            BodyKind::SelectionCommittee,
            BodyKind::YouthCouncil,
        ]
        .into_iter()
        .find(|k| k.key() == raw)
        .ok_or(ValidationError::new("kind", ErrorCode::InvalidBodyKind))
    }
}

/// The span of time a body is constituted for ("2022-2024"); both ends inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Period {
    pub start: NaiveDate,
    pub end: NaiveDate,
}

impl Period {
    pub fn new(start: NaiveDate, end: NaiveDate) -> Result<Period, ValidationError> {
        if end < start {
            return Err(ValidationError::new(
                "period",
                ErrorCode::PeriodEndsBeforeStart,
            ));
        }
        Ok(Period { start, end })
    }

    /// The label used in the body's official name, e.g. "2022-2024".
    pub fn label(&self) -> String {
        use chrono::Datelike;
        format!("{}-{}", self.start.year(), self.end.year())
    }

    pub fn contains(&self, day: NaiveDate) -> bool {
        self.start <= day && day <= self.end
    }
}

/// Whether a member sits as a citizen or as a public servant with a cargo.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum MembershipKind {
    /// Integrante ciudadana / ciudadano.
    Citizen,
    /// Persona servidora pública.
    PublicServant,
}

impl MembershipKind {
    pub fn key(self) -> &'static str {
        match self {
            MembershipKind::Citizen => "citizen",
            MembershipKind::PublicServant => "public_servant",
        }
    }

    pub fn parse(raw: &str) -> Result<MembershipKind, ValidationError> {
        match raw {
            "citizen" => Ok(MembershipKind::Citizen),
            "public_servant" => Ok(MembershipKind::PublicServant),
            _ => Err(ValidationError::new(
                "kind",
                ErrorCode::InvalidMembershipKind,
            )),
        }
    }
}

/// A seat with a function of its own in the body's sessions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SpecialRole {
    /// Presidencia del Secretariado.
    Presidency,
    /// Representante de la Presidencia (in León, the Titular de la Unidad de Transparencia).
    PresidencyRepresentative,
    /// Persona Facilitadora: reads the agenda and reports each vote's result.
    Facilitator,
}

impl SpecialRole {
    pub fn key(self) -> &'static str {
        match self {
            SpecialRole::Presidency => "presidency",
            SpecialRole::PresidencyRepresentative => "presidency_representative",
            SpecialRole::Facilitator => "facilitator",
        }
    }

    pub fn parse(raw: &str) -> Result<SpecialRole, ValidationError> {
        [
            SpecialRole::Presidency,
            SpecialRole::PresidencyRepresentative,
            SpecialRole::Facilitator,
        ]
        .into_iter()
        .find(|r| r.key() == raw)
        .ok_or(ValidationError::new(
            "special_role",
            ErrorCode::InvalidSpecialRole,
        ))
    }
}

/// Grammatical gender used by the official prose ("Integrante Ciudadana", "el Director").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Gender {
    Feminine,
    Masculine,
}

impl Gender {
    pub fn key(self) -> &'static str {
        match self {
            Gender::Feminine => "feminine",
            Gender::Masculine => "masculine",
        }
    }

    pub fn parse(raw: &str) -> Result<Gender, ValidationError> {
        match raw {
            "feminine" => Ok(Gender::Feminine),
            "masculine" => Ok(Gender::Masculine),
            _ => Err(ValidationError::new("gender", ErrorCode::InvalidGender)),
        }
    }
}

/// The span a membership is valid for; an open end means "until further notice".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Tenure {
    pub starts_on: NaiveDate,
    pub ends_on: Option<NaiveDate>,
}

impl Tenure {
    pub fn new(
        starts_on: NaiveDate,
        ends_on: Option<NaiveDate>,
    ) -> Result<Tenure, ValidationError> {
        if ends_on.is_some_and(|end| end < starts_on) {
            return Err(ValidationError::new(
                "ends_on",
                ErrorCode::TenureEndsBeforeStart,
            ));
        }
        Ok(Tenure { starts_on, ends_on })
    }

    pub fn is_active_on(&self, day: NaiveDate) -> bool {
        self.starts_on <= day && self.ends_on.is_none_or(|end| day <= end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    #[test]
    fn period_refuses_reversed_dates_and_labels_by_year() {
        let period = Period::new(day(2022, 1, 1), day(2024, 12, 31));
        assert_eq!(period.map(|p| p.label()), Ok("2022-2024".to_owned()));
        assert_eq!(
            Period::new(day(2025, 1, 1), day(2024, 1, 1)).map_err(|e| e.code().as_str()),
            Err("period_ends_before_start")
        );
        let p = Period {
            start: day(2022, 1, 1),
            end: day(2024, 12, 31),
        };
        assert!(p.contains(day(2024, 9, 13)));
        assert!(!p.contains(day(2025, 1, 1)));
    }

    #[test]
    fn tenure_is_active_between_its_ends() {
        let open = Tenure::new(day(2024, 9, 13), None).unwrap_or(Tenure {
            starts_on: day(1, 1, 1),
            ends_on: None,
        });
        assert!(open.is_active_on(day(2024, 9, 13)));
        assert!(!open.is_active_on(day(2024, 9, 12)));
        let closed = Tenure {
            starts_on: day(2022, 1, 1),
            ends_on: Some(day(2024, 12, 31)),
        };
        assert!(!closed.is_active_on(day(2025, 1, 1)));
        assert_eq!(
            Tenure::new(day(2024, 1, 2), Some(day(2024, 1, 1))).map_err(|e| e.code().as_str()),
            Err("tenure_ends_before_start")
        );
    }

    #[test]
    fn keys_round_trip() {
        for kind in [
            BodyKind::Secretariat,
            BodyKind::SelectionCommittee,
            BodyKind::YouthCouncil,
        ] {
            assert_eq!(BodyKind::parse(kind.key()), Ok(kind));
        }
        for role in [
            SpecialRole::Presidency,
            SpecialRole::PresidencyRepresentative,
            SpecialRole::Facilitator,
        ] {
            assert_eq!(SpecialRole::parse(role.key()), Ok(role));
        }
        for kind in [MembershipKind::Citizen, MembershipKind::PublicServant] {
            assert_eq!(MembershipKind::parse(kind.key()), Ok(kind));
        }
        for g in [Gender::Feminine, Gender::Masculine] {
            assert_eq!(Gender::parse(g.key()), Ok(g));
        }
        assert!(BodyKind::parse("club").is_err());
        assert!(MembershipKind::parse("").is_err());
        assert!(Gender::parse("f").is_err());
    }
}
