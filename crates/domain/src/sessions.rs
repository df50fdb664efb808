//! The secretariat's sessions (sesiones): their kind and numbering, the agenda's item types and
//! Roman numerals, quorum with substitutes, and the result of a vote.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use serde::{Deserialize, Serialize};

use crate::ids::{AgendaItemId, BodyId, MembershipId, MotionId, SessionId};
use crate::ErrorCode;
use crate::ValidationError;

/// Sesión ordinaria or extraordinaria; each kind is numbered on its own within a body and year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SessionKind {
    Ordinary,
    Extraordinary,
}

impl SessionKind {
    pub fn key(self) -> &'static str {
        match self {
            SessionKind::Ordinary => "ordinary",
            SessionKind::Extraordinary => "extraordinary",
        }
    }

    pub fn parse(raw: &str) -> Result<SessionKind, ValidationError> {
        match raw {
            "ordinary" => Ok(SessionKind::Ordinary),
            "extraordinary" => Ok(SessionKind::Extraordinary),
            _ => Err(ValidationError::new("kind", ErrorCode::InvalidSessionKind)),
        }
    }

    /// The word used in titles: "Ordinaria", "Extraordinaria".
    pub fn title_es(self) -> &'static str {
        match self {
            SessionKind::Ordinary => "Ordinaria",
            SessionKind::Extraordinary => "Extraordinaria",
        }
    }
}

/// A session of a body, as convened and, once held, with its actual times.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Session {
    pub id: SessionId,
    pub body: BodyId,
    pub kind: SessionKind,
    /// Ordinal within the body, kind and year: the 3 of "3ª Sesión Extraordinaria".
    pub number: i64,
    pub held_on: NaiveDate,
    /// Convened time, "13:00".
    pub scheduled_time: String,
    /// "sala de juntas de Contraloría Municipal en las instalaciones de Palacio Municipal…"
    pub place: String,
    /// Articles the minutes cite as the legal basis of the session.
    pub legal_basis: String,
    /// Actual start and end, "13:14" and "13:46", once recorded.
    pub started_at: Option<String>,
    pub ended_at: Option<String>,
    /// A session known by its own name rather than its number — the Cabildo Abierto
    /// Juvenil's "Sesión de Abanderamiento" — or empty.
    pub name: String,
}

impl Session {
    /// "3ª Sesión Extraordinaria", or the session's own name when it has one.
    pub fn title_es(&self) -> String {
        match self.name.trim() {
            "" => session_title_es(self.number, self.kind),
            name => name.to_owned(),
        }
    }
}

/// One point of the agenda.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct AgendaItem {
    pub id: AgendaItemId,
    pub session: SessionId,
    /// 1-based; shown as a Roman numeral.
    pub position: i64,
    pub kind: AgendaItemKind,
    /// As it reads in the ORDEN DEL DÍA.
    pub title: String,
    pub presenter: Option<MembershipId>,
    /// What happened under the item, in the minutes' words, beyond the standard formula.
    pub narrative: String,
    /// What the minutes say is annexed ("propuesta de modificación"), if anything.
    pub annex_note: String,
    /// For a minutes-approval item: the session whose acta is approved.
    pub minutes_of: Option<SessionId>,
}

/// The vote on an agenda item and who reported its result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Vote {
    pub item: AgendaItemId,
    #[serde(flatten)]
    pub result: VoteResult,
    pub reported_by: Option<MembershipId>,
}

/// A vote's result: counted, or — in historical minutes that give only the result — reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct VoteResult {
    /// `None` when the record states only the outcome.
    pub count: Option<VoteCount>,
    pub outcome: VoteOutcome,
}

impl VoteResult {
    pub fn counted(count: VoteCount) -> VoteResult {
        VoteResult {
            count: Some(count),
            outcome: count.outcome(),
        }
    }

    pub fn reported(outcome: VoteOutcome) -> VoteResult {
        VoteResult {
            count: None,
            outcome,
        }
    }
}

/// A motion raised under an agenda item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Motion {
    pub id: MotionId,
    pub item: AgendaItemId,
    pub proposer: Option<MembershipId>,
    pub text: String,
    pub outcome: MotionOutcome,
}

/// One person present, and the name as the historical record wrote it when it differs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Attendance {
    pub membership: MembershipId,
    pub written_name: Option<String>,
}

/// "3ª Sesión Extraordinaria".
pub fn session_title_es(number: i64, kind: SessionKind) -> String {
    format!("{number}ª Sesión {}", kind.title_es())
}

/// The type of an agenda item (punto del orden del día).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AgendaItemKind {
    /// Lista de asistencia y, en su caso, declaración de quórum.
    AttendanceQuorum,
    /// Lectura y, en su caso, aprobación del orden del día.
    AgendaApproval,
    /// Lectura y, en su caso, aprobación del acta de una sesión anterior.
    MinutesApproval,
    /// A proposal put to the vote (amendment, call, plan…).
    Proposal,
    /// A report presented to the plenary.
    Report,
    /// Results of a call or process.
    Results,
    /// Asuntos generales.
    GeneralMatters,
    /// Cierre.
    Closing,
}

impl AgendaItemKind {
    pub const ALL: [AgendaItemKind; 8] = [
        AgendaItemKind::AttendanceQuorum,
        AgendaItemKind::AgendaApproval,
        AgendaItemKind::MinutesApproval,
        AgendaItemKind::Proposal,
        AgendaItemKind::Report,
        AgendaItemKind::Results,
        AgendaItemKind::GeneralMatters,
        AgendaItemKind::Closing,
    ];

    pub fn key(self) -> &'static str {
        match self {
            AgendaItemKind::AttendanceQuorum => "attendance_quorum",
            AgendaItemKind::AgendaApproval => "agenda_approval",
            AgendaItemKind::MinutesApproval => "minutes_approval",
            AgendaItemKind::Proposal => "proposal",
            AgendaItemKind::Report => "report",
            AgendaItemKind::Results => "results",
            AgendaItemKind::GeneralMatters => "general_matters",
            AgendaItemKind::Closing => "closing",
        }
    }

    pub fn parse(raw: &str) -> Result<AgendaItemKind, ValidationError> {
        AgendaItemKind::ALL
            .into_iter()
            .find(|k| k.key() == raw)
            .ok_or(ValidationError::new(
                "kind",
                ErrorCode::InvalidAgendaItemKind,
            ))
    }
}

/// An agenda must open with attendance and close with its closing item.
pub fn check_agenda(kinds: &[AgendaItemKind]) -> Result<(), ValidationError> {
    if kinds.last() != Some(&AgendaItemKind::Closing) {
        return Err(ValidationError::new(
            "agenda",
            ErrorCode::AgendaWithoutClosing,
        ));
    }
    if kinds
        .iter()
        .filter(|k| **k == AgendaItemKind::Closing)
        .count()
        > 1
    {
        return Err(ValidationError::new(
            "agenda",
            ErrorCode::AgendaClosingNotLast,
        ));
    }
    Ok(())
}

/// Upper-case Roman numeral for agenda positions 1..=3999 ("VII"); other values as digits.
pub fn roman(n: i64) -> String {
    if !(1..=3999).contains(&n) {
        return n.to_string();
    }
    const TABLE: [(i64, &str); 13] = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut rest = n;
    let mut out = String::new();
    for (value, numeral) in TABLE {
        while rest >= value {
            out.push_str(numeral);
            rest -= value;
        }
    }
    out
}

/// A seat that counts towards quorum: a titular membership with vote, and its substitutes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VotingSeat {
    pub titular: MembershipId,
    pub substitutes: Vec<MembershipId>,
}

/// Quorum as the API shows it: `{present, required, reached}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Quorum {
    /// Voting seats occupied by their titular or a substitute (both present count once).
    pub present: i64,
    /// Seats needed: more than half of the voting seats.
    pub required: i64,
    pub reached: bool,
}

/// Quorum under the default rule of the bylaws: more than half of the members with vote.
pub fn quorum(seats: &[VotingSeat], present: &[MembershipId]) -> Quorum {
    let occupied = seats
        .iter()
        .filter(|seat| {
            present.contains(&seat.titular) || seat.substitutes.iter().any(|s| present.contains(s))
        })
        .count() as i64;
    let required = seats.len() as i64 / 2 + 1;
    Quorum {
        present: occupied,
        required,
        reached: occupied >= required,
    }
}

/// Counted votes on an item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct VoteCount {
    pub in_favour: i64,
    pub against: i64,
    pub abstentions: i64,
}

/// What the facilitator reports: aprobado por unanimidad, aprobado por mayoría, rechazado.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum VoteOutcome {
    ApprovedUnanimously,
    ApprovedByMajority,
    /// Approved, where a historical record does not say by how many (never from counts).
    Approved,
    Rejected,
}

impl VoteOutcome {
    pub const ALL: [VoteOutcome; 4] = [
        VoteOutcome::ApprovedUnanimously,
        VoteOutcome::ApprovedByMajority,
        VoteOutcome::Approved,
        VoteOutcome::Rejected,
    ];

    pub fn parse(raw: &str) -> Result<VoteOutcome, ValidationError> {
        VoteOutcome::ALL
            .into_iter()
            .find(|o| o.key() == raw)
            .ok_or(ValidationError::new(
                "outcome",
                ErrorCode::InvalidVoteOutcome,
            ))
    }

    pub fn key(self) -> &'static str {
        match self {
            VoteOutcome::ApprovedUnanimously => "approved_unanimously",
            VoteOutcome::ApprovedByMajority => "approved_by_majority",
            VoteOutcome::Approved => "approved",
            VoteOutcome::Rejected => "rejected",
        }
    }

    pub fn passed(self) -> bool {
        self != VoteOutcome::Rejected
    }
}

impl VoteCount {
    pub fn new(
        in_favour: i64,
        against: i64,
        abstentions: i64,
    ) -> Result<VoteCount, ValidationError> {
        if in_favour < 0 || against < 0 || abstentions < 0 {
            return Err(ValidationError::new("votes", ErrorCode::NegativeVoteCount));
        }
        if in_favour + against + abstentions == 0 {
            return Err(ValidationError::new("votes", ErrorCode::EmptyVote));
        }
        Ok(VoteCount {
            in_favour,
            against,
            abstentions,
        })
    }

    /// Unanimity: every vote cast in favour. Majority: more in favour than against.
    pub fn outcome(&self) -> VoteOutcome {
        if self.in_favour > 0 && self.against == 0 && self.abstentions == 0 {
            VoteOutcome::ApprovedUnanimously
        } else if self.in_favour > self.against {
            VoteOutcome::ApprovedByMajority
        } else {
            VoteOutcome::Rejected
        }
    }
}

/// A motion's fate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum MotionOutcome {
    Accepted,
    Rejected,
}

impl MotionOutcome {
    pub fn key(self) -> &'static str {
        match self {
            MotionOutcome::Accepted => "accepted",
            MotionOutcome::Rejected => "rejected",
        }
    }

    pub fn parse(raw: &str) -> Result<MotionOutcome, ValidationError> {
        match raw {
            "accepted" => Ok(MotionOutcome::Accepted),
            "rejected" => Ok(MotionOutcome::Rejected),
            _ => Err(ValidationError::new(
                "outcome",
                ErrorCode::InvalidMotionOutcome,
            )),
        }
    }
}

/// A time of day written "13:14".
pub fn parse_time(raw: &str) -> Result<chrono::NaiveTime, ValidationError> {
    chrono::NaiveTime::parse_from_str(raw.trim(), "%H:%M")
        .map_err(|_| ValidationError::new("time", ErrorCode::InvalidTime))
}

/// A convocation calls members to a session still to come: one whose day and convened time
/// (`13:00`, in the municipality's time; the start of the day when no time is written) have
/// passed cannot be convened. `now` is the municipality's local time.
pub fn check_convocation_ahead(
    held_on: NaiveDate,
    scheduled_time: &str,
    now: NaiveDateTime,
) -> Result<(), ValidationError> {
    let time = NaiveTime::parse_from_str(scheduled_time.trim(), "%H:%M").unwrap_or(NaiveTime::MIN);
    if held_on.and_time(time) <= now {
        return Err(ValidationError::new(
            "held_on",
            ErrorCode::ConvocationInThePast,
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_session_whose_time_has_passed_cannot_be_convened() {
        let day = NaiveDate::from_ymd_opt(2024, 9, 13).unwrap();
        let at = |h, m| day.and_hms_opt(h, m, 0).unwrap();
        assert!(check_convocation_ahead(day, "13:00", at(12, 59)).is_ok());
        let late = check_convocation_ahead(day, "13:00", at(13, 0)).unwrap_err();
        assert_eq!(late.code(), ErrorCode::ConvocationInThePast);
        assert!(check_convocation_ahead(day, "", at(0, 1)).is_err());
        let day_before = day.pred_opt().unwrap().and_hms_opt(23, 0, 0).unwrap();
        assert!(check_convocation_ahead(day, "", day_before).is_ok());
    }

    fn m(id: i64) -> MembershipId {
        MembershipId::new(id)
    }

    #[test]
    fn titles_and_numerals() {
        assert_eq!(
            session_title_es(3, SessionKind::Extraordinary),
            "3ª Sesión Extraordinaria"
        );
        assert_eq!(
            session_title_es(4, SessionKind::Ordinary),
            "4ª Sesión Ordinaria"
        );
        let numerals: Vec<String> = (1..=9).map(roman).collect();
        assert_eq!(
            numerals,
            ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX"]
        );
        assert_eq!(roman(14), "XIV");
        assert_eq!(roman(0), "0");
    }

    #[test]
    fn an_agenda_must_end_with_its_closing() {
        use AgendaItemKind::*;
        assert!(check_agenda(&[AttendanceQuorum, AgendaApproval, Closing]).is_ok());
        assert_eq!(
            check_agenda(&[AttendanceQuorum, Report]).map_err(|e| e.code().as_str()),
            Err("agenda_without_closing")
        );
        assert_eq!(
            check_agenda(&[]).map_err(|e| e.code().as_str()),
            Err("agenda_without_closing")
        );
        assert_eq!(
            check_agenda(&[Closing, Report, Closing]).map_err(|e| e.code().as_str()),
            Err("agenda_closing_not_last")
        );
        for kind in AgendaItemKind::ALL {
            assert_eq!(AgendaItemKind::parse(kind.key()), Ok(kind));
        }
    }

    #[test]
    fn quorum_counts_a_seat_once_whether_titular_substitute_or_both() {
        let seats = vec![
            VotingSeat {
                titular: m(1),
                substitutes: vec![m(11)],
            },
            VotingSeat {
                titular: m(2),
                substitutes: vec![],
            },
            VotingSeat {
                titular: m(3),
                substitutes: vec![],
            },
            VotingSeat {
                titular: m(4),
                substitutes: vec![],
            },
        ];
        // Titular and substitute both present: one seat.
        let q = quorum(&seats, &[m(1), m(11), m(2)]);
        assert_eq!(
            q,
            Quorum {
                present: 2,
                required: 3,
                reached: false
            }
        );
        // The substitute alone holds the seat.
        let q = quorum(&seats, &[m(11), m(2), m(3)]);
        assert_eq!(
            q,
            Quorum {
                present: 3,
                required: 3,
                reached: true
            }
        );
        // Someone without a voting seat does not count.
        assert_eq!(quorum(&seats, &[m(99), m(2)]).present, 1);
        // Odd number of seats: 11 seats need 6.
        let eleven: Vec<_> = (1..=11)
            .map(|i| VotingSeat {
                titular: m(i),
                substitutes: vec![],
            })
            .collect();
        let five: Vec<_> = (1..=5).map(m).collect();
        assert_eq!(quorum(&eleven, &five).required, 6);
        assert!(!quorum(&eleven, &five).reached);
    }

    #[test]
    fn vote_outcomes() {
        assert_eq!(
            VoteCount::new(9, 0, 0).map(|v| v.outcome()),
            Ok(VoteOutcome::ApprovedUnanimously)
        );
        assert_eq!(
            VoteCount::new(6, 2, 1).map(|v| v.outcome()),
            Ok(VoteOutcome::ApprovedByMajority)
        );
        assert_eq!(
            VoteCount::new(4, 4, 1).map(|v| v.outcome()),
            Ok(VoteOutcome::Rejected)
        );
        assert_eq!(
            VoteCount::new(8, 0, 1).map(|v| v.outcome()),
            Ok(VoteOutcome::ApprovedByMajority)
        );
        assert_eq!(
            VoteCount::new(0, 0, 0).map_err(|e| e.code().as_str()),
            Err("empty_vote")
        );
        assert_eq!(
            VoteCount::new(-1, 0, 0).map_err(|e| e.code().as_str()),
            Err("negative_vote_count")
        );
        assert!(VoteOutcome::ApprovedByMajority.passed());
        let counted = VoteCount::new(6, 2, 1)
            .map(VoteResult::counted)
            .map(|r| r.outcome);
        assert_eq!(counted, Ok(VoteOutcome::ApprovedByMajority));
        for outcome in VoteOutcome::ALL {
            assert_eq!(VoteOutcome::parse(outcome.key()), Ok(outcome));
        }
        assert!(VoteOutcome::parse("tie").is_err());
        assert!(!VoteOutcome::Rejected.passed());
    }

    #[test]
    fn times_in_the_minutes_style() {
        assert_eq!(
            parse_time("13:14").map(|t| t.format("%H:%M").to_string()),
            Ok("13:14".to_owned())
        );
        assert_eq!(
            parse_time("1:14 pm").map_err(|e| e.code().as_str()),
            Err("invalid_time")
        );
        assert_eq!(
            parse_time("25:00").map_err(|e| e.code().as_str()),
            Err("invalid_time")
        );
    }

    #[test]
    fn kinds_round_trip() {
        for kind in [SessionKind::Ordinary, SessionKind::Extraordinary] {
            assert_eq!(SessionKind::parse(kind.key()), Ok(kind));
        }
        assert!(SessionKind::parse("solemne").is_err());
        assert_eq!(
            MotionOutcome::parse("accepted"),
            Ok(MotionOutcome::Accepted)
        );
        assert!(MotionOutcome::parse("maybe").is_err());
    }
}
