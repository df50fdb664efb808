//! Typed ids: a `UserId` can never be passed where a `BodyId` is expected.

use std::fmt;
use std::str::FromStr;

/// Raised when a path or form value is not a positive integer id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("not a valid id")]
pub struct InvalidId;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord,
            serde::Serialize, serde::Deserialize, utoipa::ToSchema,
        )]
        #[serde(transparent)]
        pub struct $name(i64);

        impl $name {
            pub const fn new(raw: i64) -> Self {
                Self(raw)
            }

            pub const fn get(self) -> i64 {
                self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl FromStr for $name {
            type Err = InvalidId;

            fn from_str(s: &str) -> Result<Self, InvalidId> {
                match s.parse::<i64>() {
                    Ok(v) if v > 0 => Ok(Self(v)),
                    _ => Err(InvalidId),
                }
            }
        }
    };
}

id_type!(
    /// An account that can sign in.
    UserId
);
id_type!(
    /// An administrative unit of the municipality (Unidad Responsable, dirección).
    UnitId
);
id_type!(
    /// A collegiate body (órgano colegiado) such as the Secretariado Técnico.
    BodyId
);
id_type!(
    /// A person who is or was a member of a body.
    PersonId
);
id_type!(
    /// One person's seat in one body for a span of time.
    MembershipId
);
id_type!(
    /// One line of the audit log.
    AuditEntryId
);
id_type!(
    /// A session (sesión) of a body.
    SessionId
);
id_type!(
    /// One point of a session's agenda (punto del orden del día).
    AgendaItemId
);
id_type!(
    /// A motion (moción) raised under an agenda item.
    MotionId
);
id_type!(
    /// A file annexed to an agenda item.
    AnnexId
);
id_type!(
    /// A convocation notice to one member, sent or kept in the outbox.
    NoticeId
);
id_type!(
    /// An article of a body's bylaws (lineamientos).
    ArticleId
);
id_type!(
    /// A proposed amendment to the bylaws.
    AmendmentId
);

id_type!(
    /// An action plan (Plan de Acción Municipal de Gobierno Abierto).
    PlanId
);
id_type!(
    /// A commitment (compromiso, eje) of an action plan.
    CommitmentId
);
id_type!(
    /// A goal (meta) of a commitment, with its indicator.
    GoalId
);
id_type!(
    /// A file that backs a goal or a monthly report (documento que acredita, fotografía).
    EvidenceId
);
id_type!(
    /// What a reporting unit filed as done for one commitment in one month.
    MonthlyReportId
);
id_type!(
    /// A dated progress note on a commitment (avance).
    ProgressNoteId
);
id_type!(
    /// A Mi Barrio Habla event (intervención).
    EventId
);
id_type!(
    /// An improvement agreement (acuerdo de mejora) produced at a Mi Barrio Habla event.
    AgreementId
);
id_type!(
    /// A Presupuesto Participativo work (obra).
    WorkId
);
id_type!(
    /// A Pregunta León intervention or advisory (asesoría).
    InquiryId
);
id_type!(
    /// An outreach activity (acción complementaria).
    OutreachId
);
id_type!(
    /// A training (capacitación).
    TrainingId
);
id_type!(
    /// A call (convocatoria): for ideas, for young people.
    CallId
);
id_type!(
    /// What a citizen submitted to a call: an idea or project, an application.
    SubmissionId
);
id_type!(
    /// An item proposed for a body's next session agenda (e.g. a void call's results).
    AgendaProposalId
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_positive_integers_only() {
        assert_eq!("42".parse::<UserId>(), Ok(UserId::new(42)));
        assert_eq!("0".parse::<UserId>(), Err(InvalidId));
        assert_eq!("-3".parse::<BodyId>(), Err(InvalidId));
        assert_eq!("abc".parse::<BodyId>(), Err(InvalidId));
        assert_eq!("".parse::<PersonId>(), Err(InvalidId));
    }

    #[test]
    fn displays_as_the_bare_number() {
        assert_eq!(MembershipId::new(7).to_string(), "7");
    }
}
id_type!(
    /// A publisher of open data: a dependencia (CKAN's organization).
    PublisherId
);
id_type!(
    /// A dataset (conjunto de datos) of the open-data portal.
    DatasetId
);
id_type!(
    /// A resource (recurso) of a dataset: one file, in versions.
    ResourceId
);
id_type!(
    /// One uploaded version of a resource, with its schema and findings.
    VersionId
);
