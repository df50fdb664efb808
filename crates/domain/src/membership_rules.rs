//! The bylaws' rules for seating a member (artículo 4 of the Lineamientos): citizen members
//! and the facilitator serve two years, honorarily and without re-election; and one person
//! never holds the same body twice at the same time.

use chrono::{Months, NaiveDate};

use crate::governance::{Membership, MembershipKind, SpecialRole, Tenure};
use crate::ids::{BodyId, PersonId};
use crate::ErrorCode;
use crate::ValidationError;

/// The seat being proposed.
#[derive(Debug, Clone)]
pub struct ProposedSeat {
    pub body: BodyId,
    pub person: PersonId,
    pub kind: MembershipKind,
    pub special_role: Option<SpecialRole>,
    pub tenure: Tenure,
}

impl ProposedSeat {
    /// Citizen members and the facilitator are designated for a term; public servants sit
    /// by virtue of their cargo.
    fn is_designated(&self) -> bool {
        self.kind == MembershipKind::Citizen || self.special_role == Some(SpecialRole::Facilitator)
    }
}

fn is_designated(m: &Membership) -> bool {
    m.kind == MembershipKind::Citizen || m.special_role == Some(SpecialRole::Facilitator)
}

/// Checks a proposed seat against the person's other memberships (in any body).
pub fn check_seat(seat: &ProposedSeat, others: &[Membership]) -> Result<(), ValidationError> {
    let mine: Vec<&Membership> = others.iter().filter(|m| m.person == seat.person).collect();
    if mine
        .iter()
        .any(|m| m.body == seat.body && overlaps(&m.tenure, &seat.tenure))
    {
        return Err(ValidationError::new("person", ErrorCode::MembershipOverlap));
    }
    if seat.is_designated() {
        let limit = two_years_after(seat.tenure.starts_on);
        if seat.tenure.ends_on.is_none_or(|end| end > limit) {
            return Err(ValidationError::new(
                "ends_on",
                ErrorCode::TermExceedsTwoYears,
            ));
        }
        if mine.iter().any(|m| {
            m.body != seat.body && is_designated(m) && m.tenure.starts_on < seat.tenure.starts_on
        }) {
            return Err(ValidationError::new(
                "person",
                ErrorCode::ReelectionNotAllowed,
            ));
        }
    }
    Ok(())
}

/// The last day of a two-year term that starts on `start`.
fn two_years_after(start: NaiveDate) -> NaiveDate {
    start
        .checked_add_months(Months::new(24))
        .and_then(|d| d.pred_opt())
        .unwrap_or(NaiveDate::MAX)
}

fn overlaps(a: &Tenure, b: &Tenure) -> bool {
    let a_end = a.ends_on.unwrap_or(NaiveDate::MAX);
    let b_end = b.ends_on.unwrap_or(NaiveDate::MAX);
    a.starts_on <= b_end && b.starts_on <= a_end
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::MembershipId;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    fn tenure(start: NaiveDate, end: Option<NaiveDate>) -> Tenure {
        Tenure {
            starts_on: start,
            ends_on: end,
        }
    }

    fn seat(body: i64, kind: MembershipKind, t: Tenure) -> ProposedSeat {
        ProposedSeat {
            body: BodyId::new(body),
            person: PersonId::new(1),
            kind,
            special_role: None,
            tenure: t,
        }
    }

    fn held(body: i64, kind: MembershipKind, t: Tenure) -> Membership {
        Membership {
            id: MembershipId::new(9),
            body: BodyId::new(body),
            person: PersonId::new(1),
            kind,
            cargo: String::new(),
            special_role: None,
            substitute_for: None,
            tenure: t,
            grounds: String::new(),
            has_vote: true,
        }
    }

    #[test]
    fn a_citizen_serves_two_years_at_most() {
        let ok = seat(
            1,
            MembershipKind::Citizen,
            tenure(day(2025, 1, 1), Some(day(2026, 12, 31))),
        );
        assert_eq!(check_seat(&ok, &[]), Ok(()));
        let long = seat(
            1,
            MembershipKind::Citizen,
            tenure(day(2025, 1, 1), Some(day(2027, 1, 1))),
        );
        assert_eq!(
            check_seat(&long, &[]).map_err(|e| e.code().as_str()),
            Err("term_exceeds_two_years")
        );
        let open = seat(1, MembershipKind::Citizen, tenure(day(2025, 1, 1), None));
        assert_eq!(
            check_seat(&open, &[]).map_err(|e| e.code().as_str()),
            Err("term_exceeds_two_years")
        );
        // A public servant sits by cargo, without a term.
        let servant = seat(
            1,
            MembershipKind::PublicServant,
            tenure(day(2025, 1, 1), None),
        );
        assert_eq!(check_seat(&servant, &[]), Ok(()));
    }

    #[test]
    fn no_reelection_and_no_overlap() {
        let earlier = held(
            1,
            MembershipKind::Citizen,
            tenure(day(2022, 1, 1), Some(day(2023, 12, 31))),
        );
        let again = seat(
            2,
            MembershipKind::Citizen,
            tenure(day(2025, 1, 1), Some(day(2026, 12, 31))),
        );
        assert_eq!(
            check_seat(&again, std::slice::from_ref(&earlier)).map_err(|e| e.code().as_str()),
            Err("reelection_not_allowed")
        );
        let twice = seat(
            1,
            MembershipKind::PublicServant,
            tenure(day(2023, 6, 1), None),
        );
        assert_eq!(
            check_seat(&twice, std::slice::from_ref(&earlier)).map_err(|e| e.code().as_str()),
            Err("membership_overlap")
        );
        let after = seat(
            1,
            MembershipKind::PublicServant,
            tenure(day(2024, 1, 1), None),
        );
        assert_eq!(check_seat(&after, &[earlier]), Ok(()));
    }
}
