//! The rules for conducting a session: which items are voted, that a vote needs quorum and
//! cannot count more votes than seats present, that an acta is approved only in a later
//! session of its own body, and that a session ends after it starts.

use crate::sessions::{parse_time, AgendaItemKind, Quorum, Session, VoteCount};
use crate::ValidationError;

impl AgendaItemKind {
    /// Items put to the vote of the plenary. Attendance, reports, results and the closing are
    /// only reported.
    pub fn is_voted(self) -> bool {
        matches!(
            self,
            AgendaItemKind::AgendaApproval
                | AgendaItemKind::MinutesApproval
                | AgendaItemKind::Proposal
                | AgendaItemKind::GeneralMatters
        )
    }
}

/// A vote on an item: only on voted items, only with quorum, and no more votes than the
/// voting seats present.
pub fn check_vote(
    kind: AgendaItemKind,
    quorum: Option<Quorum>,
    count: VoteCount,
) -> Result<(), ValidationError> {
    if !kind.is_voted() {
        return Err(ValidationError::new("item", "item_not_voted"));
    }
    let Some(quorum) = quorum.filter(|q| q.reached) else {
        return Err(ValidationError::new("votes", "no_quorum"));
    };
    if count.in_favour + count.against + count.abstentions > quorum.present {
        return Err(ValidationError::new("votes", "too_many_votes"));
    }
    Ok(())
}

/// An acta is approved in a later session of the same body, never in its own or an earlier one.
pub fn check_minutes_approval(approving: &Session, of: &Session) -> Result<(), ValidationError> {
    if approving.body != of.body {
        return Err(ValidationError::new("minutes_of", "minutes_of_other_body"));
    }
    if of.held_on >= approving.held_on {
        return Err(ValidationError::new(
            "minutes_of",
            "minutes_approval_not_later",
        ));
    }
    Ok(())
}

/// Actual start and end times, "13:14" and "13:46": well written, and the end after the start.
pub fn check_times(started_at: &str, ended_at: Option<&str>) -> Result<(), ValidationError> {
    let start =
        parse_time(started_at).map_err(|_| ValidationError::new("started_at", "invalid_time"))?;
    if let Some(ended_at) = ended_at {
        let end =
            parse_time(ended_at).map_err(|_| ValidationError::new("ended_at", "invalid_time"))?;
        if end <= start {
            return Err(ValidationError::new("ended_at", "end_before_start"));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::{BodyId, SessionId};
    use crate::sessions::SessionKind;
    use chrono::NaiveDate;

    fn session(id: i64, body: i64, day: u32) -> Session {
        Session {
            id: SessionId::new(id),
            body: BodyId::new(body),
            kind: SessionKind::Ordinary,
            number: id,
            held_on: NaiveDate::from_ymd_opt(2024, 9, day).unwrap_or_default(),
            scheduled_time: "13:00".into(),
            place: "Sala".into(),
            legal_basis: String::new(),
            started_at: None,
            ended_at: None,
        }
    }

    fn count(f: i64, a: i64, s: i64) -> VoteCount {
        VoteCount {
            in_favour: f,
            against: a,
            abstentions: s,
        }
    }

    #[test]
    fn a_vote_needs_a_voted_item_quorum_and_no_more_votes_than_seats() {
        let reached = Some(Quorum {
            present: 6,
            required: 5,
            reached: true,
        });
        let missing = Some(Quorum {
            present: 3,
            required: 5,
            reached: false,
        });
        let proposal = AgendaItemKind::Proposal;
        assert_eq!(check_vote(proposal, reached, count(6, 0, 0)), Ok(()));
        assert_eq!(
            check_vote(proposal, missing, count(3, 0, 0)).map_err(|e| e.code()),
            Err("no_quorum")
        );
        assert_eq!(
            check_vote(proposal, None, count(1, 0, 0)).map_err(|e| e.code()),
            Err("no_quorum")
        );
        assert_eq!(
            check_vote(proposal, reached, count(5, 1, 1)).map_err(|e| e.code()),
            Err("too_many_votes")
        );
        assert_eq!(
            check_vote(AgendaItemKind::Report, reached, count(6, 0, 0)).map_err(|e| e.code()),
            Err("item_not_voted")
        );
        assert!(!AgendaItemKind::Closing.is_voted());
        assert!(AgendaItemKind::MinutesApproval.is_voted());
    }

    #[test]
    fn minutes_are_approved_only_later_and_in_the_same_body() {
        let earlier = session(1, 1, 13);
        let later = session(2, 1, 20);
        assert_eq!(check_minutes_approval(&later, &earlier), Ok(()));
        assert_eq!(
            check_minutes_approval(&earlier, &later).map_err(|e| e.code()),
            Err("minutes_approval_not_later")
        );
        assert_eq!(
            check_minutes_approval(&earlier, &earlier).map_err(|e| e.code()),
            Err("minutes_approval_not_later")
        );
        assert_eq!(
            check_minutes_approval(&session(3, 2, 27), &earlier).map_err(|e| e.code()),
            Err("minutes_of_other_body")
        );
    }

    #[test]
    fn times_are_checked() {
        assert_eq!(check_times("13:14", Some("13:46")), Ok(()));
        assert_eq!(check_times("13:14", None), Ok(()));
        assert_eq!(
            check_times("1:14 pm", None).map_err(|e| (e.field(), e.code())),
            Err(("started_at", "invalid_time"))
        );
        assert_eq!(
            check_times("13:14", Some("25:00")).map_err(|e| (e.field(), e.code())),
            Err(("ended_at", "invalid_time"))
        );
        assert_eq!(
            check_times("13:14", Some("13:00")).map_err(|e| e.code()),
            Err("end_before_start")
        );
    }
}
