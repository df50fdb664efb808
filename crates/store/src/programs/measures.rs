//! What the programs' records answer for an indicator's measure, over a span and as of a day.

use abierto_domain::indicators::Measure;
use chrono::NaiveDate;

use super::Span;
use crate::rows::to_iso;
use crate::{Store, StoreError};

impl Store {
    /// What the records answer for `measure`: records dated within `span` and on or before
    /// `as_of` (a work's stage is read on `as_of` itself; an agreement counts as concluded
    /// when it was by `as_of`).
    pub async fn measure(
        &self,
        measure: Measure,
        span: Span,
        as_of: NaiveDate,
    ) -> Result<f64, StoreError> {
        let to = to_iso(span.to.min(as_of));
        let from = to_iso(span.from);
        let count = |sql: &'static str| {
            let from = from.clone();
            let to = to.clone();
            async move {
                let (n,): (i64,) = sqlx::query_as(sql)
                    .bind(from)
                    .bind(to)
                    .fetch_one(&self.pool)
                    .await?;
                Ok::<f64, StoreError>(n as f64)
            }
        };
        match measure {
            Measure::Events => {
                count("SELECT COUNT(*) FROM mbh_events WHERE held_on >= $1 AND held_on <= $2").await
            }
            Measure::Agreements => {
                count("SELECT COUNT(*) FROM agreements WHERE created_on >= $1 AND created_on <= $2")
                    .await
            }
            // Agreements made in the span and concluded by the day of reading, even when
            // that day falls after the span (a report in March on the previous year).
            Measure::AgreementsConcluded => {
                let (n,): (i64,) = sqlx::query_as(
                    "SELECT COUNT(*) FROM agreements WHERE created_on >= $1 AND created_on <= $2 \
                     AND status = 'concluded' AND concluded_on <= $3",
                )
                .bind(from.clone())
                .bind(to.clone())
                .bind(to_iso(as_of))
                .fetch_one(&self.pool)
                .await?;
                Ok(n as f64)
            }
            Measure::Interventions => {
                count(
                    "SELECT COUNT(*) FROM inquiries WHERE kind = 'intervention' \
                     AND held_on >= $1 AND held_on <= $2",
                )
                .await
            }
            Measure::Advisories => {
                count(
                    "SELECT COUNT(*) FROM inquiries WHERE kind = 'advisory' \
                     AND held_on >= $1 AND held_on <= $2",
                )
                .await
            }
            Measure::OutreachActivities => count(
                "SELECT COUNT(*) FROM outreach_activities WHERE held_on >= $1 AND held_on <= $2",
            )
            .await,
            Measure::Trainings => {
                count("SELECT COUNT(*) FROM trainings WHERE held_on >= $1 AND held_on <= $2").await
            }
            Measure::PeopleTrained => {
                count(
                    "SELECT CAST(COALESCE(SUM(people_trained), 0) AS BIGINT) FROM trainings \
                     WHERE held_on >= $1 AND held_on <= $2",
                )
                .await
            }
            Measure::WorksInStage(stage) => {
                self.works_in_stage(stage, as_of).await.map(|n| n as f64)
            }
        }
    }
}
