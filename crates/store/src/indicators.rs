//! Reading a goal's indicator on a day: from the programs' records, or from the readings
//! typed by hand for milestones and manual percentages.

use abierto_domain::indicators::{IndicatorKind, Reading};
use chrono::NaiveDate;

use crate::plans::Goal;
use crate::programs::Span;
use crate::{Store, StoreError};

impl Store {
    /// The goal's indicator as it stood at the end of `as_of`.
    pub async fn read_goal(&self, goal: &Goal, as_of: NaiveDate) -> Result<Reading, StoreError> {
        let spec = &goal.spec;
        let span = Span {
            from: goal.measured.start,
            to: goal.measured.end,
        };
        let (numerator, denominator) = match spec.kind {
            IndicatorKind::RecordRatio | IndicatorKind::Count => {
                let numerator = match spec.numerator {
                    Some(measure) => self.measure(measure, span, as_of).await?,
                    None => 0.0,
                };
                let denominator = match spec.denominator {
                    Some(measure) => Some(self.measure(measure, span, as_of).await?),
                    None => None,
                };
                (numerator, denominator)
            }
            IndicatorKind::Milestone | IndicatorKind::ManualPercentage => {
                let readings = self.goal_readings(goal.id).await?;
                let latest = readings.iter().rev().find(|r| r.read_on <= as_of);
                let value = match (spec.kind, latest) {
                    (IndicatorKind::Milestone, Some(r)) if r.value >= 100.0 => 1.0,
                    (IndicatorKind::ManualPercentage, Some(r)) => r.value,
                    _ => 0.0,
                };
                (value, None)
            }
        };
        Ok(Reading::new(spec, numerator, denominator, as_of))
    }
}
