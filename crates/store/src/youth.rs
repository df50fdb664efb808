//! The Cabildo Abierto Juvenil: the young people a selection committee chose among a youth
//! call's accepted applications, seated as members of the council for its term. The seat
//! records the committee's agenda item whose vote chose them, so the council's membership
//! is traceable to that decision.

use abierto_domain::calls::{CallKind, SubmissionStatus};
use abierto_domain::governance::{BodyKind, Gender, MembershipKind, Tenure};
use abierto_domain::ids::{AgendaItemId, BodyId, MembershipId, PersonId, SubmissionId};
use abierto_domain::ErrorCode;
use abierto_domain::ValidationError;
use chrono::{DateTime, Utc};

use crate::audit::{record, Actor, AuditAction};
use crate::audit_subject::AuditSubject;
use crate::governance::{insert_membership, insert_person, NewMembership, NewPerson};
use crate::rows::to_unix;
use crate::{Store, StoreError};

/// The cargo a selected young person holds.
pub const YOUTH_CARGO: &str = "Integrante del Cabildo Abierto Juvenil";

/// A selected application to seat.
#[derive(Debug, Clone)]
pub struct YouthSeat {
    pub submission: SubmissionId,
    /// The Cabildo Abierto Juvenil body.
    pub council: BodyId,
    /// The selection committee's agenda item whose vote chose the applicant.
    pub decided_by: AgendaItemId,
    /// For the minutes' wording (ciudadana, ciudadano); the application does not ask it.
    pub gender: Gender,
    pub tenure: Tenure,
}

fn refused(field: &'static str, code: ErrorCode) -> StoreError {
    StoreError::Refused(ValidationError::new(field, code))
}

impl Store {
    /// Seats an accepted application of a youth call as a member of the council, on the
    /// selection committee's decision. Refused unless the application is accepted and still
    /// has its proponent's name, the body is a youth council, and the item's vote approved it
    /// in a session of a selection committee; an application is seated once.
    pub async fn seat_selected_youth(
        &self,
        actor: &Actor,
        seat: &YouthSeat,
        at: DateTime<Utc>,
    ) -> Result<MembershipId, StoreError> {
        let mut tx = self.begin_write().await?;
        let (kind, status, name): (String, String, Option<String>) = sqlx::query_as(
            "SELECT c.kind, s.status, p.full_name FROM submissions s \
             JOIN calls c ON c.id = s.call_id LEFT JOIN proponents p ON p.submission_id = s.id \
             WHERE s.id = $1",
        )
        .bind(seat.submission.get())
        .fetch_one(&mut *tx)
        .await?;
        if CallKind::parse(&kind)? != CallKind::Youth {
            return Err(refused("submission", ErrorCode::NotAYouthApplication));
        }
        if SubmissionStatus::parse(&status)? != SubmissionStatus::Accepted {
            return Err(refused("submission", ErrorCode::ApplicationNotAccepted));
        }
        let Some(full_name) = name else {
            return Err(refused("submission", ErrorCode::PersonalDataAlreadyErased));
        };
        let (council_kind,): (String,) = sqlx::query_as("SELECT kind FROM bodies WHERE id = $1")
            .bind(seat.council.get())
            .fetch_optional(&mut *tx)
            .await?
            .ok_or_else(|| refused("council", ErrorCode::UnknownBody))?;
        if BodyKind::parse(&council_kind)? != BodyKind::YouthCouncil {
            return Err(refused("council", ErrorCode::NotAYouthCouncil));
        }
        let decision: Option<(String, String)> = sqlx::query_as(
            "SELECT b.kind, v.outcome FROM agenda_items i JOIN sessions s ON s.id = i.session_id \
             JOIN bodies b ON b.id = s.body_id JOIN votes v ON v.agenda_item_id = i.id \
             WHERE i.id = $1",
        )
        .bind(seat.decided_by.get())
        .fetch_optional(&mut *tx)
        .await?;
        match decision {
            Some((body_kind, outcome))
                if body_kind == BodyKind::SelectionCommittee.key() && outcome != "rejected" => {}
            _ => {
                return Err(refused(
                    "decided_by",
                    ErrorCode::SelectionWithoutCommitteeVote,
                ))
            }
        }
        let (seated,): (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM youth_selections WHERE submission_id = $1")
                .bind(seat.submission.get())
                .fetch_one(&mut *tx)
                .await?;
        if seated > 0 {
            return Err(refused("submission", ErrorCode::ApplicationAlreadySeated));
        }
        let person = NewPerson {
            honorific: "C.".to_owned(),
            full_name,
            gender: seat.gender,
        };
        let person_id = PersonId::new(insert_person(&mut tx, &person).await?);
        let membership = NewMembership {
            body: seat.council,
            person: person_id,
            kind: MembershipKind::Citizen,
            cargo: YOUTH_CARGO.to_owned(),
            special_role: None,
            substitute_for: None,
            tenure: seat.tenure,
            grounds: "Selección del Comité de Selección del Cabildo Abierto Juvenil".to_owned(),
            has_vote: true,
        };
        let id = insert_membership(&mut tx, &membership, person_id).await?;
        sqlx::query(
            "INSERT INTO youth_selections (submission_id, membership_id, decided_by_item_id, \
             seated_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(seat.submission.get())
        .bind(id)
        .bind(seat.decided_by.get())
        .bind(to_unix(at))
        .execute(&mut *tx)
        .await?;
        // A council's members are public, as every body's are; the log names the seat only.
        record(
            &mut tx,
            actor,
            AuditAction::YouthSeat,
            AuditSubject::Submission(seat.submission),
            &format!("membership:{id} agenda_item:{}", seat.decided_by),
        )
        .await?;
        tx.commit().await?;
        Ok(MembershipId::new(id))
    }

    /// The seat an application was given, if it was, and the council it is in.
    pub async fn youth_seat(
        &self,
        submission: SubmissionId,
    ) -> Result<Option<(MembershipId, BodyId)>, StoreError> {
        let row: Option<(i64, i64)> = sqlx::query_as(
            "SELECT y.membership_id, m.body_id FROM youth_selections y \
             JOIN memberships m ON m.id = y.membership_id WHERE y.submission_id = $1",
        )
        .bind(submission.get())
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(|(id, body)| (MembershipId::new(id), BodyId::new(body))))
    }
}
