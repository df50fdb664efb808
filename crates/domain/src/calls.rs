//! Calls (convocatorias) and what citizens submit to them: the call's life from draft to
//! resolved or void ("se declara desierta"), the folio a submission gets, the evaluation of
//! each submission, and the youth call's eligibility rules.
//!
//! A call's stored state only changes by an act — publication, the close, the publication
//! of results — while whether it is open is read from the clock: a published call is open
//! from its opening instant (included) to its closing instant (excluded).

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::ErrorCode;
use crate::ValidationError;

/// What a call asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CallKind {
    /// Ideas or projects for the Banco de Acciones de Gobierno Abierto.
    Ideas,
    /// Young people for the Cabildo Abierto Juvenil.
    Youth,
}

impl CallKind {
    pub const ALL: [CallKind; 2] = [CallKind::Ideas, CallKind::Youth];

    pub fn key(self) -> &'static str {
        match self {
            CallKind::Ideas => "ideas",
            CallKind::Youth => "youth",
        }
    }

    pub fn parse(raw: &str) -> Result<CallKind, ValidationError> {
        CallKind::ALL
            .into_iter()
            .find(|k| k.key() == raw.trim())
            .ok_or(ValidationError::new("kind", ErrorCode::InvalidCallKind))
    }

    /// The first part of a folio: `BAGA-2026-0007`.
    pub fn folio_prefix(self) -> &'static str {
        match self {
            CallKind::Ideas => "BAGA",
            CallKind::Youth => "CAJ",
        }
    }
}

/// What the secretariat has done with a call; the clock does the rest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CallState {
    Draft,
    Published,
    UnderEvaluation,
    Resolved,
    Void,
}

impl CallState {
    pub const ALL: [CallState; 5] = [
        CallState::Draft,
        CallState::Published,
        CallState::UnderEvaluation,
        CallState::Resolved,
        CallState::Void,
    ];

    pub fn key(self) -> &'static str {
        match self {
            CallState::Draft => "draft",
            CallState::Published => "published",
            CallState::UnderEvaluation => "under_evaluation",
            CallState::Resolved => "resolved",
            CallState::Void => "void",
        }
    }

    pub fn parse(raw: &str) -> Result<CallState, ValidationError> {
        CallState::ALL
            .into_iter()
            .find(|s| s.key() == raw)
            .ok_or(ValidationError::new("state", ErrorCode::InvalidCallState))
    }
}

/// A call's status as the public reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CallStatus {
    /// Being written; not public.
    Draft,
    /// Published, receiving from its opening instant.
    Announced,
    /// Receiving submissions.
    Open,
    /// Past its close, not yet settled as void or under evaluation.
    Closed,
    UnderEvaluation,
    /// Results published.
    Resolved,
    /// Closed with no submission: se declara desierta.
    Void,
}

impl CallStatus {
    pub fn key(self) -> &'static str {
        match self {
            CallStatus::Draft => "draft",
            CallStatus::Announced => "announced",
            CallStatus::Open => "open",
            CallStatus::Closed => "closed",
            CallStatus::UnderEvaluation => "under_evaluation",
            CallStatus::Resolved => "resolved",
            CallStatus::Void => "void",
        }
    }

    pub fn label_es(self) -> &'static str {
        match self {
            CallStatus::Draft => "Borrador",
            CallStatus::Announced => "Publicada, por abrir",
            CallStatus::Open => "Abierta",
            CallStatus::Closed => "Cerrada",
            CallStatus::UnderEvaluation => "En evaluación",
            CallStatus::Resolved => "Resultados publicados",
            CallStatus::Void => "Desierta",
        }
    }
}

/// When a call receives submissions: from `opens_at` (included) to `closes_at` (excluded).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub opens_at: DateTime<Utc>,
    pub closes_at: DateTime<Utc>,
}

impl Window {
    pub fn new(
        opens_at: DateTime<Utc>,
        closes_at: DateTime<Utc>,
    ) -> Result<Window, ValidationError> {
        if closes_at <= opens_at {
            return Err(ValidationError::new(
                "closes_at",
                ErrorCode::CallClosesBeforeOpening,
            ));
        }
        Ok(Window {
            opens_at,
            closes_at,
        })
    }

    pub fn contains(&self, at: DateTime<Utc>) -> bool {
        self.opens_at <= at && at < self.closes_at
    }
}

/// The status of a call in `state` with this window, read at `now`.
pub fn call_status(state: CallState, window: &Window, now: DateTime<Utc>) -> CallStatus {
    match state {
        CallState::Draft => CallStatus::Draft,
        CallState::Published if now < window.opens_at => CallStatus::Announced,
        CallState::Published if now < window.closes_at => CallStatus::Open,
        CallState::Published => CallStatus::Closed,
        CallState::UnderEvaluation => CallStatus::UnderEvaluation,
        CallState::Resolved => CallStatus::Resolved,
        CallState::Void => CallStatus::Void,
    }
}

/// Whether a submission made at `at` is received; the refusal says why not.
pub fn check_receiving(
    state: CallState,
    window: &Window,
    at: DateTime<Utc>,
) -> Result<(), ValidationError> {
    match call_status(state, window, at) {
        CallStatus::Open => Ok(()),
        CallStatus::Draft | CallStatus::Announced => {
            Err(ValidationError::new("call", ErrorCode::CallNotOpenYet))
        }
        _ => Err(ValidationError::new("call", ErrorCode::CallClosed)),
    }
}

/// What closing a published call leads to: void with no submission (se declara desierta),
/// evaluation otherwise. `None` while the call has not reached its close.
pub fn close_outcome(
    state: CallState,
    window: &Window,
    now: DateTime<Utc>,
    submissions: u64,
) -> Option<CallState> {
    if state != CallState::Published || now < window.closes_at {
        return None;
    }
    Some(match submissions {
        0 => CallState::Void,
        _ => CallState::UnderEvaluation,
    })
}

/// A submission's folio: `BAGA-2026-0007`, numbered per call from 1 without gaps.
pub fn folio(kind: CallKind, year: i32, number: i64) -> String {
    format!("{}-{year}-{number:04}", kind.folio_prefix())
}

/// Where a submission stands in its evaluation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SubmissionStatus {
    Received,
    UnderReview,
    /// Accepted into the Banco de Acciones (or, for a youth call, selected).
    Accepted,
    Rejected,
}

impl SubmissionStatus {
    pub const ALL: [SubmissionStatus; 4] = [
        SubmissionStatus::Received,
        SubmissionStatus::UnderReview,
        SubmissionStatus::Accepted,
        SubmissionStatus::Rejected,
    ];

    pub fn key(self) -> &'static str {
        match self {
            SubmissionStatus::Received => "received",
            SubmissionStatus::UnderReview => "under_review",
            SubmissionStatus::Accepted => "accepted",
            SubmissionStatus::Rejected => "rejected",
        }
    }

    pub fn parse(raw: &str) -> Result<SubmissionStatus, ValidationError> {
        SubmissionStatus::ALL
            .into_iter()
            .find(|s| s.key() == raw.trim())
            .ok_or(ValidationError::new(
                "status",
                ErrorCode::InvalidSubmissionStatus,
            ))
    }

    pub fn label_es(self) -> &'static str {
        match self {
            SubmissionStatus::Received => "Recibida",
            SubmissionStatus::UnderReview => "En revisión",
            SubmissionStatus::Accepted => "Aceptada",
            SubmissionStatus::Rejected => "No aceptada",
        }
    }

    /// Whether the evaluation is over.
    pub fn is_decided(self) -> bool {
        matches!(
            self,
            SubmissionStatus::Accepted | SubmissionStatus::Rejected
        )
    }
}

/// The evaluation moves forward only: received → under review → accepted or rejected; a
/// decision gives the proponent its reasons.
pub fn check_evaluation(
    from: SubmissionStatus,
    to: SubmissionStatus,
    reasons: &str,
) -> Result<(), ValidationError> {
    use SubmissionStatus::*;
    let allowed = matches!(
        (from, to),
        (Received, UnderReview) | (Received | UnderReview, Accepted | Rejected)
    );
    if !allowed {
        return Err(ValidationError::new(
            "status",
            ErrorCode::EvaluationStepNotAllowed,
        ));
    }
    if to.is_decided() && reasons.trim().is_empty() {
        return Err(ValidationError::new("reasons", ErrorCode::ReasonsRequired));
    }
    Ok(())
}

/// Who may answer a youth call: an age range on the call's closing day, and residence in
/// the municipality.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Eligibility {
    pub min_age: u32,
    pub max_age: u32,
}

impl Eligibility {
    pub fn new(min_age: u32, max_age: u32) -> Result<Eligibility, ValidationError> {
        if min_age > max_age || max_age > 120 {
            return Err(ValidationError::new("max_age", ErrorCode::InvalidAgeRange));
        }
        Ok(Eligibility { min_age, max_age })
    }

    /// Checks a young person's birth date (age on `on`) and declared residence.
    pub fn check(
        &self,
        born_on: NaiveDate,
        on: NaiveDate,
        resides_in_municipality: bool,
    ) -> Result<(), ValidationError> {
        let age =
            age_on(born_on, on).ok_or(ValidationError::new("born_on", ErrorCode::BornInFuture))?;
        if age < self.min_age || age > self.max_age {
            return Err(ValidationError::new("born_on", ErrorCode::AgeOutsideRange));
        }
        if !resides_in_municipality {
            return Err(ValidationError::new(
                "residence",
                ErrorCode::ResidenceRequired,
            ));
        }
        Ok(())
    }
}

/// Whole years from `born_on` to `on`; `None` when born after `on`.
pub fn age_on(born_on: NaiveDate, on: NaiveDate) -> Option<u32> {
    if born_on > on {
        return None;
    }
    let mut years = on.year() - born_on.year();
    if (on.month(), on.day()) < (born_on.month(), born_on.day()) {
        years -= 1;
    }
    u32::try_from(years).ok()
}

/// What a results item of the agenda says of a void call, as the minutes of the 3ª Sesión
/// Extraordinaria of 2024 (item VI) wrote it; the minutes put it after "da cuenta de".
pub fn void_results_narrative(call_title: &str) -> String {
    format!(
        "los resultados de la {call_title}, se informa que se declara desierta, toda vez que \
         desde la aprobación y publicación de la convocatoria y hasta la fecha de cierre, no se \
         recibió ninguna postulación de idea o proyecto"
    )
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use chrono::{Duration, TimeZone};

    fn at(h: u32, m: u32, s: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2024, 9, 6, h, m, s).unwrap()
    }

    fn window() -> Window {
        Window::new(at(0, 0, 0) - Duration::days(20), at(23, 59, 59)).unwrap()
    }

    #[test]
    fn a_published_call_is_open_from_its_opening_to_just_before_its_close() {
        let w = window();
        let cases = [
            (w.opens_at - Duration::seconds(1), CallStatus::Announced),
            (w.opens_at, CallStatus::Open),
            (w.closes_at - Duration::seconds(1), CallStatus::Open),
            (w.closes_at, CallStatus::Closed),
            (w.closes_at + Duration::days(3), CallStatus::Closed),
        ];
        for (now, expected) in cases {
            assert_eq!(
                call_status(CallState::Published, &w, now),
                expected,
                "{now}"
            );
        }
        assert_eq!(
            call_status(CallState::Draft, &w, w.opens_at),
            CallStatus::Draft
        );
        assert_eq!(
            call_status(CallState::Void, &w, w.opens_at),
            CallStatus::Void
        );
    }

    #[test]
    fn submissions_are_received_only_while_open() {
        let w = window();
        let code = |state, now| check_receiving(state, &w, now).map_err(|e| e.code().as_str());
        assert_eq!(code(CallState::Published, w.opens_at), Ok(()));
        assert_eq!(
            code(CallState::Published, w.opens_at - Duration::seconds(1)),
            Err("call_not_open_yet")
        );
        assert_eq!(code(CallState::Published, w.closes_at), Err("call_closed"));
        assert_eq!(code(CallState::Draft, w.opens_at), Err("call_not_open_yet"));
        assert_eq!(code(CallState::Void, w.opens_at), Err("call_closed"));
    }

    #[test]
    fn a_call_closing_with_no_submission_is_void_at_the_exact_close_time() {
        let w = window();
        let before = w.closes_at - Duration::seconds(1);
        assert_eq!(close_outcome(CallState::Published, &w, before, 0), None);
        assert_eq!(
            close_outcome(CallState::Published, &w, w.closes_at, 0),
            Some(CallState::Void)
        );
        assert_eq!(
            close_outcome(CallState::Published, &w, w.closes_at, 1),
            Some(CallState::UnderEvaluation)
        );
        assert_eq!(close_outcome(CallState::Draft, &w, w.closes_at, 0), None);
        assert_eq!(close_outcome(CallState::Void, &w, w.closes_at, 0), None);
    }

    #[test]
    fn a_window_must_close_after_it_opens() {
        let err = Window::new(at(12, 0, 0), at(12, 0, 0)).unwrap_err();
        assert_eq!(err.code(), "call_closes_before_opening");
    }

    #[test]
    fn folios_are_numbered_per_call_with_four_digits() {
        assert_eq!(folio(CallKind::Ideas, 2026, 7), "BAGA-2026-0007");
        assert_eq!(folio(CallKind::Youth, 2026, 12_345), "CAJ-2026-12345");
    }

    #[test]
    fn the_evaluation_moves_forward_and_a_decision_gives_reasons() {
        use SubmissionStatus::*;
        let code =
            |from, to, reasons| check_evaluation(from, to, reasons).map_err(|e| e.code().as_str());
        assert_eq!(code(Received, UnderReview, ""), Ok(()));
        assert_eq!(
            code(UnderReview, Accepted, "Viable y de interés público"),
            Ok(())
        );
        assert_eq!(
            code(Received, Rejected, "Fuera del ámbito municipal"),
            Ok(())
        );
        assert_eq!(code(UnderReview, Rejected, "  "), Err("reasons_required"));
        assert_eq!(
            code(Accepted, Rejected, "x"),
            Err("evaluation_step_not_allowed")
        );
        assert_eq!(
            code(UnderReview, Received, ""),
            Err("evaluation_step_not_allowed")
        );
        assert_eq!(
            code(Rejected, UnderReview, ""),
            Err("evaluation_step_not_allowed")
        );
    }

    #[test]
    fn eligibility_counts_whole_years_on_the_closing_day() {
        let rule = Eligibility::new(15, 29).unwrap();
        let close = NaiveDate::from_ymd_opt(2026, 2, 10).unwrap();
        let born = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        let code = |born_on, resides| {
            rule.check(born_on, close, resides)
                .map_err(|e| e.code().as_str())
        };
        assert_eq!(code(born(2011, 2, 10), true), Ok(()), "15 that very day");
        assert_eq!(
            code(born(2011, 2, 11), true),
            Err("age_outside_range"),
            "15 tomorrow"
        );
        assert_eq!(code(born(1996, 2, 11), true), Ok(()), "still 29");
        assert_eq!(
            code(born(1996, 2, 10), true),
            Err("age_outside_range"),
            "30 that day"
        );
        assert_eq!(code(born(2030, 1, 1), true), Err("born_in_future"));
        assert_eq!(code(born(2005, 6, 1), false), Err("residence_required"));
        assert_eq!(
            Eligibility::new(30, 15).unwrap_err().code(),
            "invalid_age_range"
        );
    }

    #[test]
    fn the_void_narrative_is_the_minutes_wording() {
        let title = "Convocatoria para la presentación de ideas para la integración al Banco de \
                     Acciones de Gobierno Abierto";
        assert_eq!(
            void_results_narrative(title),
            "los resultados de la Convocatoria para la presentación de ideas para la integración \
             al Banco de Acciones de Gobierno Abierto, se informa que se declara desierta, toda vez \
             que desde la aprobación y publicación de la convocatoria y hasta la fecha de cierre, \
             no se recibió ninguna postulación de idea o proyecto"
        );
    }
}
