//! The action plan's calendar and arithmetic: months and quarters as reports name them,
//! the numbering of quarterly reports, commitment weights, and reported quantities.

use std::fmt;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::dates::month_name_es;
use crate::governance::Period;
use crate::ids::BodyId;
use crate::ErrorCode;
use crate::ValidationError;

/// "Julio": as the month tables of the reports write it.
pub fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// "Diciembre 2025": a due date (fecha establecida de cumplimiento) as the tracking table
/// writes it; the plan fixes the month, the platform keeps its last day.
pub fn month_year_es(day: NaiveDate) -> String {
    format!("{} {}", capitalised(month_name_es(day.month())), day.year())
}

/// A calendar month, written `2024-07`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct YearMonth {
    year: i32,
    month: u32,
}

impl YearMonth {
    pub fn new(year: i32, month: u32) -> Option<YearMonth> {
        (1..=12)
            .contains(&month)
            .then_some(YearMonth { year, month })
    }

    pub fn parse(raw: &str) -> Result<YearMonth, ValidationError> {
        let invalid = ValidationError::new("month", ErrorCode::InvalidMonth);
        let (year, month) = raw.trim().split_once('-').ok_or(invalid.clone())?;
        let year: i32 = year.parse().map_err(|_| invalid.clone())?;
        let month: u32 = month.parse().map_err(|_| invalid.clone())?;
        if !(1900..=9999).contains(&year) || year.to_string().len() != 4 {
            return Err(invalid);
        }
        YearMonth::new(year, month).ok_or(invalid)
    }

    pub fn of(day: NaiveDate) -> YearMonth {
        YearMonth {
            year: day.year(),
            month: day.month(),
        }
    }

    pub fn year(self) -> i32 {
        self.year
    }

    pub fn month(self) -> u32 {
        self.month
    }

    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.month, 1).unwrap_or_default()
    }

    pub fn last_day(self) -> NaiveDate {
        self.next().first_day().pred_opt().unwrap_or_default()
    }

    pub fn next(self) -> YearMonth {
        if self.month == 12 {
            YearMonth {
                year: self.year + 1,
                month: 1,
            }
        } else {
            YearMonth {
                year: self.year,
                month: self.month + 1,
            }
        }
    }

    /// "Julio", as the month column of a report writes it.
    pub fn name_es(self) -> String {
        capitalised(month_name_es(self.month))
    }

    /// Every month from `self` to `last`, both included.
    pub fn through(self, last: YearMonth) -> Vec<YearMonth> {
        let mut months = Vec::new();
        let mut month = self;
        while month <= last {
            months.push(month);
            month = month.next();
        }
        months
    }
}

impl fmt::Display for YearMonth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

impl Serialize for YearMonth {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for YearMonth {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = String::deserialize(d)?;
        YearMonth::parse(&raw).map_err(serde::de::Error::custom)
    }
}

/// A report's month must fall inside the plan's period.
pub fn check_month_in_period(month: YearMonth, period: &Period) -> Result<(), ValidationError> {
    if month.last_day() < period.start || month.first_day() > period.end {
        return Err(ValidationError::new("month", ErrorCode::MonthOutsidePlan));
    }
    Ok(())
}

/// A plan's period keeps every month already planned or reported for its commitments:
/// `months` are the first and the last of them, when there are any. The field at fault is the
/// end of the period the month falls outside of.
pub fn check_period_keeps_months(
    period: &Period,
    months: impl IntoIterator<Item = YearMonth>,
) -> Result<(), ValidationError> {
    for month in months {
        if check_month_in_period(month, period).is_err() {
            let field = match month.first_day() < period.start {
                true => "period_start",
                false => "period_end",
            };
            return Err(ValidationError::new(
                field,
                ErrorCode::PeriodLeavesOutMonths,
            ));
        }
    }
    Ok(())
}

/// The session that approved a plan is one of the plan's body: `session_body` is the body of
/// the session named, `None` when there is no such session.
pub fn check_approving_session(
    session_body: Option<BodyId>,
    plan_body: BodyId,
) -> Result<(), ValidationError> {
    match session_body {
        None => Err(ValidationError::new(
            "approved_in",
            ErrorCode::UnknownSession,
        )),
        Some(body) if body != plan_body => Err(ValidationError::new(
            "approved_in",
            ErrorCode::SessionOfOtherBody,
        )),
        Some(_) => Ok(()),
    }
}

/// A goal is due on or after the start of its execution window.
pub fn check_goal_window(
    window_start: Option<NaiveDate>,
    due_on: NaiveDate,
) -> Result<(), ValidationError> {
    match window_start {
        Some(start) if due_on < start => {
            Err(ValidationError::new("due_on", ErrorCode::DueBeforeWindow))
        }
        _ => Ok(()),
    }
}

/// A calendar quarter, written `2024-Q3`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Quarter {
    year: i32,
    number: u32,
}

impl Quarter {
    pub fn parse(raw: &str) -> Result<Quarter, ValidationError> {
        let invalid = ValidationError::new("quarter", ErrorCode::InvalidQuarter);
        let (year, number) = raw.trim().split_once("-Q").ok_or(invalid.clone())?;
        let year: i32 = year.parse().map_err(|_| invalid.clone())?;
        let number: u32 = number.parse().map_err(|_| invalid.clone())?;
        if !(1900..=9999).contains(&year) || !(1..=4).contains(&number) {
            return Err(invalid);
        }
        Ok(Quarter { year, number })
    }

    pub fn of(day: NaiveDate) -> Quarter {
        Quarter {
            year: day.year(),
            number: day.month0() / 3 + 1,
        }
    }

    pub fn first_month(self) -> YearMonth {
        YearMonth {
            year: self.year,
            month: (self.number - 1) * 3 + 1,
        }
    }

    pub fn months(self) -> [YearMonth; 3] {
        let first = self.first_month();
        [first, first.next(), first.next().next()]
    }

    pub fn first_day(self) -> NaiveDate {
        self.first_month().first_day()
    }

    pub fn last_day(self) -> NaiveDate {
        self.months()[2].last_day()
    }

    pub fn contains(self, day: NaiveDate) -> bool {
        Quarter::of(day) == self
    }

    /// "julio-septiembre 2024", as the report's title names its period.
    pub fn label_es(self) -> String {
        let [first, _, last] = self.months();
        format!(
            "{}-{} {}",
            month_name_es(first.month),
            month_name_es(last.month),
            self.year
        )
    }

    /// The report's number when reports are counted from the quarter holding `start` (the
    /// first quarter of the plan's period is report 1). None before that quarter.
    pub fn number_since(self, start: NaiveDate) -> Option<u32> {
        let first = Quarter::of(start);
        let index = (self.year - first.year) * 4 + self.number as i32 - first.number as i32 + 1;
        u32::try_from(index).ok().filter(|n| *n > 0)
    }
}

impl fmt::Display for Quarter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-Q{}", self.year, self.number)
    }
}

/// "Quinto": the ordinal that opens a report's title (masculine, for "informe").
pub fn ordinal_es(n: u32) -> String {
    const ORDINALS: [&str; 12] = [
        "Primer",
        "Segundo",
        "Tercer",
        "Cuarto",
        "Quinto",
        "Sexto",
        "Séptimo",
        "Octavo",
        "Noveno",
        "Décimo",
        "Undécimo",
        "Duodécimo",
    ];
    match n.checked_sub(1).and_then(|i| ORDINALS.get(i as usize)) {
        Some(word) => (*word).to_owned(),
        None => format!("{n}º"),
    }
}

/// How far weights may stray from summing to 1 (they are typed as decimals).
const WEIGHT_TOLERANCE: f64 = 1e-6;

/// Weights of a plan's commitments: either none has one (progress is the plain mean) or
/// every one has a weight between 0 and 1 and they sum to 1.
pub fn check_weights(weights: &[Option<f64>]) -> Result<(), ValidationError> {
    let given: Vec<f64> = weights.iter().flatten().copied().collect();
    if given.is_empty() {
        return Ok(());
    }
    if given.len() != weights.len() {
        return Err(ValidationError::new("weight", ErrorCode::WeightsIncomplete));
    }
    if given.iter().any(|w| !w.is_finite() || *w < 0.0 || *w > 1.0) {
        return Err(ValidationError::new("weight", ErrorCode::InvalidWeight));
    }
    let sum: f64 = given.iter().sum();
    if (sum - 1.0).abs() > WEIGHT_TOLERANCE {
        return Err(ValidationError::new(
            "weight",
            ErrorCode::WeightsMustSumToOne,
        ));
    }
    Ok(())
}

/// A weight typed on a form or in a CSV: "0.25" or "0,25"; blank means none.
pub fn parse_weight(raw: &str) -> Result<Option<f64>, ValidationError> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    match raw.replace(',', ".").parse::<f64>() {
        Ok(w) => check_weight(w).map(Some),
        Err(_) => Err(ValidationError::new("weight", ErrorCode::InvalidWeight)),
    }
}

/// A single weight: a number from 0 to 1.
pub fn check_weight(weight: f64) -> Result<f64, ValidationError> {
    match weight.is_finite() && (0.0..=1.0).contains(&weight) {
        true => Ok(weight),
        false => Err(ValidationError::new("weight", ErrorCode::InvalidWeight)),
    }
}

/// The roll-up of progress figures (0–100): weighted when weights are given (a missing
/// figure then counts as 0), otherwise the mean of the figures present.
pub fn roll_up(parts: &[(Option<f64>, Option<f64>)]) -> Option<f64> {
    if parts.iter().any(|(weight, _)| weight.is_some()) {
        return Some(
            parts
                .iter()
                .map(|(weight, progress)| weight.unwrap_or(0.0) * progress.unwrap_or(0.0))
                .sum(),
        );
    }
    let present: Vec<f64> = parts.iter().filter_map(|(_, p)| *p).collect();
    (!present.is_empty()).then(|| present.iter().sum::<f64>() / present.len() as f64)
}

/// A quantity of a measure ("3 intervenciones"): a whole number, zero or more.
pub fn parse_quantity(raw: &str) -> Result<i64, ValidationError> {
    let raw = raw.trim();
    match raw.parse::<i64>() {
        Ok(n) if n < 0 => Err(ValidationError::new(
            "quantity",
            ErrorCode::QuantityNegative,
        )),
        Ok(n) if n > 1_000_000_000 => Err(ValidationError::new(
            "quantity",
            ErrorCode::QuantityTooLarge,
        )),
        Ok(n) => Ok(n),
        Err(_) if raw.starts_with('-') && raw[1..].trim().parse::<f64>().is_ok() => Err(
            ValidationError::new("quantity", ErrorCode::QuantityNegative),
        ),
        Err(_) => Err(ValidationError::new(
            "quantity",
            ErrorCode::QuantityNotANumber,
        )),
    }
}

/// A measure's name in a schedule ("intervenciones", "acuerdos de mejora").
pub fn check_measure_name(raw: &str) -> Result<String, ValidationError> {
    let name = raw.trim();
    if name.is_empty() {
        return Err(ValidationError::new("measure", ErrorCode::MeasureRequired));
    }
    if name.chars().count() > 120 {
        return Err(ValidationError::new("measure", ErrorCode::MeasureTooLong));
    }
    Ok(name.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_period_must_keep_the_months_already_planned() {
        let period = Period::new(
            NaiveDate::from_ymd_opt(2025, 1, 1).unwrap(),
            NaiveDate::from_ymd_opt(2025, 12, 31).unwrap(),
        )
        .unwrap();
        let month = |m| YearMonth::new(2025, m).unwrap();
        assert!(check_period_keeps_months(&period, [month(1), month(12)]).is_ok());
        assert!(check_period_keeps_months(&period, []).is_ok());
        let before = YearMonth::new(2024, 12).unwrap();
        let after = YearMonth::new(2026, 1).unwrap();
        let field =
            |m| check_period_keeps_months(&period, [m]).map_err(|e| (e.field(), e.code().as_str()));
        assert_eq!(
            field(before),
            Err(("period_start", "period_leaves_out_months"))
        );
        assert_eq!(
            field(after),
            Err(("period_end", "period_leaves_out_months"))
        );
    }

    #[test]
    fn the_approving_session_is_of_the_plans_body() {
        let body = BodyId::new(1);
        assert!(check_approving_session(Some(body), body).is_ok());
        let code = |s| check_approving_session(s, body).map_err(|e| e.code().as_str());
        assert_eq!(code(None), Err("unknown_session"));
        assert_eq!(code(Some(BodyId::new(2))), Err("session_of_other_body"));
    }

    #[test]
    fn a_goal_is_not_due_before_its_window_opens() {
        let day = |d| NaiveDate::from_ymd_opt(2025, 3, d).unwrap();
        assert!(check_goal_window(None, day(1)).is_ok());
        assert!(check_goal_window(Some(day(1)), day(1)).is_ok());
        assert_eq!(
            check_goal_window(Some(day(2)), day(1)).map_err(|e| e.code().as_str()),
            Err("due_before_window")
        );
    }

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn months_parse_and_bound() {
        let july = YearMonth::parse("2024-07").unwrap();
        assert_eq!(july.first_day(), d(2024, 7, 1));
        assert_eq!(july.last_day(), d(2024, 7, 31));
        assert_eq!(
            YearMonth::parse("2024-02").unwrap().last_day(),
            d(2024, 2, 29)
        );
        assert_eq!(
            YearMonth::parse("2024-12").unwrap().next().to_string(),
            "2025-01"
        );
        assert_eq!(july.name_es(), "Julio");
        for bad in ["2024-13", "2024-00", "24-07", "julio", "", "2024-7x"] {
            assert_eq!(
                YearMonth::parse(bad).unwrap_err().code(),
                "invalid_month",
                "{bad}"
            );
        }
        assert_eq!(
            YearMonth::parse("2024-07")
                .unwrap()
                .through(YearMonth::parse("2024-09").unwrap())
                .len(),
            3
        );
    }

    #[test]
    fn months_outside_the_plan_are_refused() {
        let plan = Period::new(d(2023, 7, 1), d(2024, 12, 31)).unwrap();
        let ok = |raw| check_month_in_period(YearMonth::parse(raw).unwrap(), &plan);
        assert!(ok("2023-07").is_ok());
        assert!(ok("2024-12").is_ok());
        assert_eq!(ok("2023-06").unwrap_err().code(), "month_outside_plan");
        assert_eq!(ok("2025-01").unwrap_err().code(), "month_outside_plan");
    }

    #[test]
    fn quarters_are_labelled_and_numbered() {
        let q3 = Quarter::parse("2024-Q3").unwrap();
        assert_eq!(q3.label_es(), "julio-septiembre 2024");
        assert_eq!(q3.first_day(), d(2024, 7, 1));
        assert_eq!(q3.last_day(), d(2024, 9, 30));
        assert!(q3.contains(d(2024, 9, 30)));
        assert!(!q3.contains(d(2024, 10, 1)));
        // A plan that starts on 1 July 2023 presents its fifth report for July-September 2024.
        assert_eq!(q3.number_since(d(2023, 7, 1)), Some(5));
        assert_eq!(q3.number_since(d(2024, 9, 30)), Some(1));
        assert_eq!(q3.number_since(d(2024, 10, 1)), None);
        assert_eq!(ordinal_es(5), "Quinto");
        assert_eq!(ordinal_es(1), "Primer");
        assert_eq!(ordinal_es(13), "13º");
        for bad in ["2024-Q5", "2024-Q0", "2024Q3", "Q3-2024", ""] {
            assert_eq!(Quarter::parse(bad).unwrap_err().code(), "invalid_quarter");
        }
    }

    #[test]
    fn weights_are_all_or_nothing_and_sum_to_one() {
        assert!(check_weights(&[None, None, None]).is_ok());
        assert!(check_weights(&[Some(0.5), Some(0.3), Some(0.2)]).is_ok());
        assert!(check_weights(&[Some(0.1); 10]).is_ok());
        let code = |w: &[Option<f64>]| check_weights(w).unwrap_err().code();
        assert_eq!(code(&[Some(0.5), Some(0.4)]), "weights_must_sum_to_one");
        assert_eq!(code(&[Some(0.6), Some(0.6)]), "weights_must_sum_to_one");
        assert_eq!(code(&[Some(1.0), None]), "weights_incomplete");
        assert_eq!(code(&[Some(-0.5), Some(1.5)]), "invalid_weight");
        assert_eq!(parse_weight("0,25").unwrap(), Some(0.25));
        assert_eq!(parse_weight(" ").unwrap(), None);
        assert_eq!(parse_weight("1.5").unwrap_err().code(), "invalid_weight");
        assert_eq!(parse_weight("mucho").unwrap_err().code(), "invalid_weight");
    }

    #[test]
    fn roll_up_is_weighted_or_the_mean() {
        assert_eq!(
            roll_up(&[(None, Some(100.0)), (None, Some(50.0))]),
            Some(75.0)
        );
        assert_eq!(roll_up(&[(None, Some(100.0)), (None, None)]), Some(100.0));
        assert_eq!(roll_up(&[(None, None)]), None);
        let weighted = roll_up(&[(Some(0.75), Some(100.0)), (Some(0.25), None)]).unwrap();
        assert!((weighted - 75.0).abs() < 1e-9);
    }

    #[test]
    fn quantities_are_whole_and_not_negative() {
        assert_eq!(parse_quantity(" 61 ").unwrap(), 61);
        assert_eq!(parse_quantity("0").unwrap(), 0);
        assert_eq!(
            parse_quantity("-3").unwrap_err().code(),
            "quantity_negative"
        );
        assert_eq!(
            parse_quantity("-2.5").unwrap_err().code(),
            "quantity_negative"
        );
        assert_eq!(
            parse_quantity("tres").unwrap_err().code(),
            "quantity_not_a_number"
        );
        assert_eq!(
            parse_quantity("2.5").unwrap_err().code(),
            "quantity_not_a_number"
        );
        assert_eq!(
            parse_quantity("").unwrap_err().code(),
            "quantity_not_a_number"
        );
        assert_eq!(
            parse_quantity("99999999999").unwrap_err().code(),
            "quantity_too_large"
        );
    }

    #[test]
    fn due_dates_read_as_month_and_year() {
        assert_eq!(month_year_es(d(2025, 12, 31)), "Diciembre 2025");
    }
}
