//! The rules for conducting a session: which items are voted, that a vote needs quorum and
//! cannot count more votes than seats present, that an acta is approved only in a later
//! session of its own body, and that a session ends after it starts.

use serde::{Deserialize, Serialize};

use crate::ids::MembershipId;
use crate::sessions::{parse_time, AgendaItemKind, Quorum, Session, VoteCount, VotingSeat};
use crate::ErrorCode;
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
        return Err(ValidationError::new("item", ErrorCode::ItemNotVoted));
    }
    let Some(quorum) = quorum.filter(|q| q.reached) else {
        return Err(ValidationError::new("votes", ErrorCode::NoQuorum));
    };
    if count.in_favour + count.against + count.abstentions > quorum.present {
        return Err(ValidationError::new("votes", ErrorCode::TooManyVotes));
    }
    Ok(())
}

/// How one member voted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum BallotChoice {
    InFavour,
    Against,
    Abstention,
}

impl BallotChoice {
    pub fn key(self) -> &'static str {
        match self {
            BallotChoice::InFavour => "in_favour",
            BallotChoice::Against => "against",
            BallotChoice::Abstention => "abstention",
        }
    }

    pub fn parse(raw: &str) -> Result<BallotChoice, ValidationError> {
        match raw {
            "in_favour" => Ok(BallotChoice::InFavour),
            "against" => Ok(BallotChoice::Against),
            "abstention" => Ok(BallotChoice::Abstention),
            _ => Err(ValidationError::new(
                "choice",
                ErrorCode::InvalidBallotChoice,
            )),
        }
    }
}

/// A vote recorded by person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Ballot {
    pub membership: MembershipId,
    pub choice: BallotChoice,
}

/// Counts a vote taken by person: each voter present, holding a seat with vote, and each seat
/// voting once (a titular and their substitute do not both vote).
pub fn count_ballots(
    ballots: &[Ballot],
    seats: &[VotingSeat],
    present: &[MembershipId],
) -> Result<VoteCount, ValidationError> {
    let mut seats_voted: Vec<MembershipId> = Vec::with_capacity(ballots.len());
    for ballot in ballots {
        if !present.contains(&ballot.membership) {
            return Err(ValidationError::new("ballots", ErrorCode::BallotNotPresent));
        }
        let seat = seats
            .iter()
            .find(|s| s.titular == ballot.membership || s.substitutes.contains(&ballot.membership))
            .ok_or(ValidationError::new(
                "ballots",
                ErrorCode::BallotWithoutVote,
            ))?;
        if seats_voted.contains(&seat.titular) {
            return Err(ValidationError::new("ballots", ErrorCode::SeatVotedTwice));
        }
        seats_voted.push(seat.titular);
    }
    let count = |choice| ballots.iter().filter(|b| b.choice == choice).count() as i64;
    VoteCount::new(
        count(BallotChoice::InFavour),
        count(BallotChoice::Against),
        count(BallotChoice::Abstention),
    )
}

/// An acta is approved in a later session of the same body, never in its own or an earlier one.
pub fn check_minutes_approval(approving: &Session, of: &Session) -> Result<(), ValidationError> {
    if approving.body != of.body {
        return Err(ValidationError::new(
            "minutes_of",
            ErrorCode::MinutesOfOtherBody,
        ));
    }
    if of.held_on >= approving.held_on {
        return Err(ValidationError::new(
            "minutes_of",
            ErrorCode::MinutesApprovalNotLater,
        ));
    }
    Ok(())
}

/// Actual start and end times, "13:14" and "13:46": well written, and the end after the start.
pub fn check_times(started_at: &str, ended_at: Option<&str>) -> Result<(), ValidationError> {
    let start = parse_time(started_at)
        .map_err(|_| ValidationError::new("started_at", ErrorCode::InvalidTime))?;
    if let Some(ended_at) = ended_at {
        let end = parse_time(ended_at)
            .map_err(|_| ValidationError::new("ended_at", ErrorCode::InvalidTime))?;
        if end <= start {
            return Err(ValidationError::new("ended_at", ErrorCode::EndBeforeStart));
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
            name: String::new(),
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
            check_vote(proposal, missing, count(3, 0, 0)).map_err(|e| e.code().as_str()),
            Err("no_quorum")
        );
        assert_eq!(
            check_vote(proposal, None, count(1, 0, 0)).map_err(|e| e.code().as_str()),
            Err("no_quorum")
        );
        assert_eq!(
            check_vote(proposal, reached, count(5, 1, 1)).map_err(|e| e.code().as_str()),
            Err("too_many_votes")
        );
        assert_eq!(
            check_vote(AgendaItemKind::Report, reached, count(6, 0, 0))
                .map_err(|e| e.code().as_str()),
            Err("item_not_voted")
        );
        assert!(!AgendaItemKind::Closing.is_voted());
        assert!(AgendaItemKind::MinutesApproval.is_voted());
    }

    #[test]
    fn ballots_are_counted_once_per_seat_and_only_from_voters_present() {
        let m = MembershipId::new;
        let seats = vec![
            VotingSeat {
                titular: m(1),
                substitutes: vec![m(2)],
            },
            VotingSeat {
                titular: m(3),
                substitutes: vec![],
            },
        ];
        let ballot = |id, choice| Ballot {
            membership: m(id),
            choice,
        };
        let present = [m(1), m(2), m(3), m(9)];
        assert_eq!(
            count_ballots(
                &[
                    ballot(1, BallotChoice::InFavour),
                    ballot(3, BallotChoice::Against)
                ],
                &seats,
                &present
            ),
            Ok(VoteCount {
                in_favour: 1,
                against: 1,
                abstentions: 0
            })
        );
        let code = |ballots: &[Ballot], present: &[MembershipId]| {
            count_ballots(ballots, &seats, present).map_err(|e| e.code().as_str())
        };
        assert_eq!(
            code(
                &[
                    ballot(1, BallotChoice::InFavour),
                    ballot(2, BallotChoice::InFavour)
                ],
                &present
            ),
            Err("seat_voted_twice")
        );
        assert_eq!(
            code(&[ballot(3, BallotChoice::InFavour)], &[m(1)]),
            Err("ballot_not_present")
        );
        assert_eq!(
            code(&[ballot(9, BallotChoice::InFavour)], &present),
            Err("ballot_without_vote")
        );
        assert_eq!(code(&[], &present), Err("empty_vote"));
        assert_eq!(BallotChoice::parse("against"), Ok(BallotChoice::Against));
        assert!(BallotChoice::parse("no").is_err());
    }

    #[test]
    fn minutes_are_approved_only_later_and_in_the_same_body() {
        let earlier = session(1, 1, 13);
        let later = session(2, 1, 20);
        assert_eq!(check_minutes_approval(&later, &earlier), Ok(()));
        assert_eq!(
            check_minutes_approval(&earlier, &later).map_err(|e| e.code().as_str()),
            Err("minutes_approval_not_later")
        );
        assert_eq!(
            check_minutes_approval(&earlier, &earlier).map_err(|e| e.code().as_str()),
            Err("minutes_approval_not_later")
        );
        assert_eq!(
            check_minutes_approval(&session(3, 2, 27), &earlier).map_err(|e| e.code().as_str()),
            Err("minutes_of_other_body")
        );
    }

    #[test]
    fn times_are_checked() {
        assert_eq!(check_times("13:14", Some("13:46")), Ok(()));
        assert_eq!(check_times("13:14", None), Ok(()));
        assert_eq!(
            check_times("1:14 pm", None).map_err(|e| (e.field(), e.code().as_str())),
            Err(("started_at", "invalid_time"))
        );
        assert_eq!(
            check_times("13:14", Some("25:00")).map_err(|e| (e.field(), e.code().as_str())),
            Err(("ended_at", "invalid_time"))
        );
        assert_eq!(
            check_times("13:14", Some("13:00")).map_err(|e| e.code().as_str()),
            Err("end_before_start")
        );
    }
}
