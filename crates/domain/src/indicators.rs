//! Goals' indicators: what they measure, how a reading becomes progress (avance), and how
//! progress, the execution window, the due date and the day of reading give a status.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::programs::WorkStage;
use crate::ErrorCode;
use crate::ValidationError;

/// How an indicator is measured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum IndicatorKind {
    /// A percentage computed live from program records: numerator ÷ denominator.
    RecordRatio,
    /// A number of records, against a target number.
    Count,
    /// Met when a document proves it (documento que acredita).
    Milestone,
    /// A percentage typed with its evidence, only where no records exist.
    ManualPercentage,
}

impl IndicatorKind {
    pub const ALL: [IndicatorKind; 4] = [
        IndicatorKind::RecordRatio,
        IndicatorKind::Count,
        IndicatorKind::Milestone,
        IndicatorKind::ManualPercentage,
    ];

    pub fn key(self) -> &'static str {
        match self {
            IndicatorKind::RecordRatio => "record_ratio",
            IndicatorKind::Count => "count",
            IndicatorKind::Milestone => "milestone",
            IndicatorKind::ManualPercentage => "manual_percentage",
        }
    }

    pub fn parse(raw: &str) -> Result<IndicatorKind, ValidationError> {
        IndicatorKind::ALL
            .into_iter()
            .find(|k| k.key() == raw.trim())
            .ok_or(ValidationError::new(
                "indicator_kind",
                ErrorCode::InvalidIndicatorKind,
            ))
    }

    /// Whether the value is a percentage (and the target too).
    pub fn is_percentage(self) -> bool {
        !matches!(self, IndicatorKind::Count)
    }
}

/// A number the records can answer for a span of dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Measure {
    /// Mi Barrio Habla events held.
    Events,
    /// Improvement agreements made at those events.
    Agreements,
    /// Of those agreements, the ones concluded by the day of reading.
    AgreementsConcluded,
    /// Presupuesto Participativo works in a stage on the day of reading.
    WorksInStage(WorkStage),
    /// Pregunta León interventions.
    Interventions,
    /// Pregunta León advisories.
    Advisories,
    /// Outreach activities (acciones complementarias).
    OutreachActivities,
    /// Trainings given.
    Trainings,
    /// People trained.
    PeopleTrained,
}

impl Measure {
    const SIMPLE: [(Measure, &'static str); 8] = [
        (Measure::Events, "events"),
        (Measure::Agreements, "agreements"),
        (Measure::AgreementsConcluded, "agreements_concluded"),
        (Measure::Interventions, "interventions"),
        (Measure::Advisories, "advisories"),
        (Measure::OutreachActivities, "outreach_activities"),
        (Measure::Trainings, "trainings"),
        (Measure::PeopleTrained, "people_trained"),
    ];

    /// Every measure, for forms and documentation.
    pub fn all() -> Vec<Measure> {
        let mut all: Vec<Measure> = Measure::SIMPLE.iter().map(|(m, _)| *m).collect();
        all.extend(WorkStage::ALL.iter().map(|s| Measure::WorksInStage(*s)));
        all
    }

    /// Stable key: `agreements_concluded`, `works_in_stage:delivered`.
    pub fn key(self) -> String {
        match self {
            Measure::WorksInStage(stage) => format!("works_in_stage:{}", stage.key()),
            other => Measure::SIMPLE
                .iter()
                .find(|(m, _)| *m == other)
                .map(|(_, k)| (*k).to_owned())
                .unwrap_or_default(),
        }
    }

    pub fn parse(raw: &str) -> Result<Measure, ValidationError> {
        let raw = raw.trim();
        let invalid = ValidationError::new("measure", ErrorCode::InvalidMeasure);
        if let Some(stage) = raw.strip_prefix("works_in_stage:") {
            return WorkStage::parse(stage)
                .map(Measure::WorksInStage)
                .map_err(|_| invalid);
        }
        Measure::SIMPLE
            .iter()
            .find(|(_, k)| *k == raw)
            .map(|(m, _)| *m)
            .ok_or(invalid)
    }

    /// How the tracking table and the footnotes name it.
    pub fn label_es(self) -> String {
        match self {
            Measure::Events => "eventos de Mi Barrio Habla".into(),
            Measure::Agreements => "acuerdos de mejora generados".into(),
            Measure::AgreementsConcluded => "acuerdos de mejora concluidos".into(),
            Measure::WorksInStage(stage) => format!("obras en etapa «{}»", stage.label_es()),
            Measure::Interventions => "intervenciones de Pregunta León".into(),
            Measure::Advisories => "asesorías de Pregunta León".into(),
            Measure::OutreachActivities => "acciones complementarias".into(),
            Measure::Trainings => "capacitaciones".into(),
            Measure::PeopleTrained => "personas capacitadas".into(),
        }
    }

    /// The program whose records answer it (its slug in `/programas/{slug}`).
    pub fn program_slug(self) -> &'static str {
        match self {
            Measure::Events | Measure::Agreements | Measure::AgreementsConcluded => {
                "mi-barrio-habla"
            }
            Measure::WorksInStage(_) => "presupuesto-participativo",
            Measure::Interventions | Measure::Advisories => "pregunta-leon",
            Measure::OutreachActivities => "acciones-complementarias",
            Measure::Trainings | Measure::PeopleTrained => "capacitaciones",
        }
    }
}

impl Serialize for Measure {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.key())
    }
}

/// What a goal's indicator measures and against what target.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct IndicatorSpec {
    pub kind: IndicatorKind,
    pub numerator: Option<Measure>,
    pub denominator: Option<Measure>,
    /// ≥ this value meets the goal: a percentage (80 for "al menos el 80%"), or a number of
    /// records for a count. Milestones use 100.
    pub target: f64,
}

impl IndicatorSpec {
    /// Checks that the kind has the measures it needs and a sensible target.
    pub fn new(
        kind: IndicatorKind,
        numerator: Option<Measure>,
        denominator: Option<Measure>,
        target: f64,
    ) -> Result<IndicatorSpec, ValidationError> {
        let needs = match kind {
            IndicatorKind::RecordRatio => (true, true),
            IndicatorKind::Count => (true, false),
            IndicatorKind::Milestone | IndicatorKind::ManualPercentage => (false, false),
        };
        if needs.0 != numerator.is_some() {
            let code = if needs.0 {
                ErrorCode::MeasureRequired
            } else {
                ErrorCode::MeasureNotAllowed
            };
            return Err(ValidationError::new("numerator", code));
        }
        if needs.1 != denominator.is_some() {
            let code = if needs.1 {
                ErrorCode::MeasureRequired
            } else {
                ErrorCode::MeasureNotAllowed
            };
            return Err(ValidationError::new("denominator", code));
        }
        if !target.is_finite() || target <= 0.0 || (kind.is_percentage() && target > 100.0) {
            return Err(ValidationError::new("target", ErrorCode::InvalidTarget));
        }
        Ok(IndicatorSpec {
            kind,
            numerator,
            denominator,
            target,
        })
    }
}

/// An indicator read on a day, with the inputs that produced it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Reading {
    pub kind: IndicatorKind,
    /// Records counted (ratio, count), the percentage typed (manual), 1 or 0 (milestone).
    pub numerator: f64,
    /// Records the ratio is taken over; only for `record_ratio`.
    pub denominator: Option<f64>,
    /// The indicator's value: a percentage, or a count. None when a ratio has no records yet.
    pub value: Option<f64>,
    pub target: f64,
    pub as_of: NaiveDate,
}

impl Reading {
    pub fn new(
        spec: &IndicatorSpec,
        numerator: f64,
        denominator: Option<f64>,
        as_of: NaiveDate,
    ) -> Reading {
        let value = match spec.kind {
            IndicatorKind::RecordRatio => denominator
                .filter(|d| *d > 0.0)
                .map(|d| numerator / d * 100.0),
            IndicatorKind::Count => Some(numerator),
            IndicatorKind::Milestone => Some(if numerator > 0.0 { 100.0 } else { 0.0 }),
            IndicatorKind::ManualPercentage => Some(numerator.clamp(0.0, 100.0)),
        };
        Reading {
            kind: spec.kind,
            numerator,
            denominator,
            value,
            target: spec.target,
            as_of,
        }
    }

    /// Avance: min(100, value ÷ target), as a percentage; 0 while there is no value.
    pub fn progress_percent(&self) -> f64 {
        match self.value {
            Some(value) if self.target > 0.0 => (value / self.target * 100.0).clamp(0.0, 100.0),
            _ => 0.0,
        }
    }
}

/// Where a goal stands on a day. Keys are stable; labels are the Spanish of the reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum GoalStatus {
    Met,
    OnTrack,
    AtRisk,
    Overdue,
    Scheduled,
}

impl GoalStatus {
    pub const ALL: [GoalStatus; 5] = [
        GoalStatus::Met,
        GoalStatus::OnTrack,
        GoalStatus::AtRisk,
        GoalStatus::Overdue,
        GoalStatus::Scheduled,
    ];

    pub fn key(self) -> &'static str {
        match self {
            GoalStatus::Met => "met",
            GoalStatus::OnTrack => "on_track",
            GoalStatus::AtRisk => "at_risk",
            GoalStatus::Overdue => "overdue",
            GoalStatus::Scheduled => "scheduled",
        }
    }

    /// The key of its label in the interface's catalogs (`goal_status.met`).
    pub fn label_key(self) -> &'static str {
        match self {
            GoalStatus::Met => "goal_status.met",
            GoalStatus::OnTrack => "goal_status.on_track",
            GoalStatus::AtRisk => "goal_status.at_risk",
            GoalStatus::Overdue => "goal_status.overdue",
            GoalStatus::Scheduled => "goal_status.scheduled",
        }
    }

    pub fn label_es(self) -> &'static str {
        match self {
            GoalStatus::Met => "Cumplida",
            GoalStatus::OnTrack => "En tiempo",
            GoalStatus::AtRisk => "En riesgo",
            GoalStatus::Overdue => "Vencida",
            GoalStatus::Scheduled => "Programada",
        }
    }

    pub fn parse(raw: &str) -> Result<GoalStatus, ValidationError> {
        GoalStatus::ALL
            .into_iter()
            .find(|s| s.key() == raw.trim())
            .ok_or(ValidationError::new("status", ErrorCode::InvalidStatus))
    }
}

/// When a goal is worked on: from the start of its execution window (or of the plan) to its
/// due date (fecha establecida de cumplimiento), both included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GoalWindow {
    pub starts_on: NaiveDate,
    pub due_on: NaiveDate,
}

impl GoalWindow {
    pub fn new(starts_on: NaiveDate, due_on: NaiveDate) -> Result<GoalWindow, ValidationError> {
        if due_on < starts_on {
            return Err(ValidationError::new("due_on", ErrorCode::DueBeforeWindow));
        }
        Ok(GoalWindow { starts_on, due_on })
    }

    /// The share of the window elapsed at the end of `day`, 0–100.
    pub fn elapsed_percent(&self, day: NaiveDate) -> f64 {
        let total = (self.due_on - self.starts_on).num_days() + 1;
        let done = (day - self.starts_on).num_days() + 1;
        (done as f64 / total as f64 * 100.0).clamp(0.0, 100.0)
    }
}

/// How far progress may trail the elapsed share of the window before a goal is at risk.
pub const AT_RISK_MARGIN: f64 = 25.0;

/// The status of a goal on `day`: met at 100%; otherwise scheduled before its window opens,
/// overdue after its due date, and within the window on track unless progress trails the
/// share of the window already elapsed by more than [`AT_RISK_MARGIN`] points.
pub fn goal_status(progress_percent: f64, window: &GoalWindow, day: NaiveDate) -> GoalStatus {
    if progress_percent >= 100.0 {
        GoalStatus::Met
    } else if day < window.starts_on {
        GoalStatus::Scheduled
    } else if day > window.due_on {
        GoalStatus::Overdue
    } else if progress_percent + AT_RISK_MARGIN < window.elapsed_percent(day) {
        GoalStatus::AtRisk
    } else {
        GoalStatus::OnTrack
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn ratio(target: f64) -> IndicatorSpec {
        IndicatorSpec::new(
            IndicatorKind::RecordRatio,
            Some(Measure::AgreementsConcluded),
            Some(Measure::Agreements),
            target,
        )
        .unwrap()
    }

    #[test]
    fn progress_is_the_value_over_the_target_capped_at_100() {
        let as_of = d(2026, 3, 27);
        let count =
            IndicatorSpec::new(IndicatorKind::Count, Some(Measure::Events), None, 20.0).unwrap();
        let milestone = IndicatorSpec::new(IndicatorKind::Milestone, None, None, 100.0).unwrap();
        let manual =
            IndicatorSpec::new(IndicatorKind::ManualPercentage, None, None, 100.0).unwrap();
        // (spec, numerator, denominator, value, progress)
        type Row = (IndicatorSpec, f64, Option<f64>, Option<f64>, f64);
        let table: [Row; 9] = [
            // Mi Barrio Habla 2025: 404 of 449 agreements concluded against ≥ 80%.
            (
                ratio(80.0),
                404.0,
                Some(449.0),
                Some(404.0 / 449.0 * 100.0),
                100.0,
            ),
            (ratio(80.0), 60.0, Some(100.0), Some(60.0), 75.0),
            (ratio(80.0), 80.0, Some(100.0), Some(80.0), 100.0),
            (ratio(80.0), 0.0, Some(0.0), None, 0.0),
            (count, 10.0, None, Some(10.0), 50.0),
            (count, 21.0, None, Some(21.0), 100.0),
            (milestone, 1.0, None, Some(100.0), 100.0),
            (milestone, 0.0, None, Some(0.0), 0.0),
            (manual, 140.0, None, Some(100.0), 100.0),
        ];
        for (spec, num, den, value, progress) in table {
            let reading = Reading::new(&spec, num, den, as_of);
            assert_eq!(reading.value, value, "{spec:?} {num}/{den:?}");
            assert!(
                (reading.progress_percent() - progress).abs() < 1e-9,
                "{spec:?} {num}/{den:?}: {}",
                reading.progress_percent()
            );
        }
        let seed = Reading::new(&ratio(80.0), 404.0, Some(449.0), as_of);
        assert_eq!(seed.value.map(f64::round), Some(90.0));
    }

    #[test]
    fn specs_need_the_measures_of_their_kind() {
        use IndicatorKind::*;
        let code = |kind, num, den, target| {
            IndicatorSpec::new(kind, num, den, target)
                .unwrap_err()
                .code()
        };
        let m = Some(Measure::Events);
        assert_eq!(code(RecordRatio, m, None, 80.0), "measure_required");
        assert_eq!(code(Count, None, None, 5.0), "measure_required");
        assert_eq!(code(Count, m, m, 5.0), "measure_not_allowed");
        assert_eq!(code(Milestone, m, None, 100.0), "measure_not_allowed");
        assert_eq!(code(RecordRatio, m, m, 120.0), "invalid_target");
        assert_eq!(code(Count, m, None, 0.0), "invalid_target");
        assert!(IndicatorSpec::new(Count, m, None, 250.0).is_ok());
    }

    #[test]
    fn status_follows_progress_window_due_date_and_day() {
        use GoalStatus::*;
        // A goal worked on from March to July 2026 (153 days).
        let window = GoalWindow::new(d(2026, 3, 1), d(2026, 7, 31)).unwrap();
        let table = [
            (0.0, d(2026, 2, 28), Scheduled),
            (0.0, d(2026, 3, 1), OnTrack),
            (99.9, d(2026, 2, 1), Scheduled),
            (100.0, d(2026, 2, 1), Met),
            (100.0, d(2027, 1, 1), Met),
            (40.0, d(2026, 7, 31), AtRisk),
            (80.0, d(2026, 7, 31), OnTrack),
            (75.0, d(2026, 7, 31), OnTrack),
            (74.9, d(2026, 7, 31), AtRisk),
            (99.0, d(2026, 8, 1), Overdue),
            // 38 of 153 days elapsed is 24.8%; 39 days is 25.5%.
            (0.0, d(2026, 4, 7), OnTrack),
            (0.0, d(2026, 4, 8), AtRisk),
        ];
        for (progress, day, expected) in table {
            assert_eq!(
                goal_status(progress, &window, day),
                expected,
                "{progress} on {day}"
            );
        }
        // A one-day window: scheduled the day before, at risk on the day (all of it has
        // elapsed), overdue the next.
        let day = GoalWindow::new(d(2026, 2, 18), d(2026, 2, 18)).unwrap();
        assert_eq!(goal_status(0.0, &day, d(2026, 2, 17)), Scheduled);
        assert_eq!(goal_status(0.0, &day, d(2026, 2, 18)), AtRisk);
        assert_eq!(goal_status(0.0, &day, d(2026, 2, 19)), Overdue);
        assert_eq!(
            GoalWindow::new(d(2026, 3, 1), d(2026, 2, 1))
                .unwrap_err()
                .code(),
            "due_before_window"
        );
    }

    #[test]
    fn measures_round_trip_through_their_keys() {
        for measure in Measure::all() {
            assert_eq!(Measure::parse(&measure.key()).unwrap(), measure);
        }
        assert_eq!(
            Measure::parse("works_in_stage:delivered").unwrap(),
            Measure::WorksInStage(WorkStage::Delivered)
        );
        assert_eq!(
            Measure::parse("works_in_stage:x").unwrap_err().code(),
            "invalid_measure"
        );
        assert_eq!(
            Measure::parse("likes").unwrap_err().code(),
            "invalid_measure"
        );
        assert_eq!(GoalStatus::Overdue.label_es(), "Vencida");
    }
}
