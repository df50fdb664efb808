//! The rules a plan obeys that need what is stored: the weights of its commitments, the body
//! of the approving session, the months already planned or reported. The store reads those
//! facts inside the saving transaction and hands them to the domain's rules, so the rule and
//! the write it guards cannot drift apart.

use abierto_domain::ids::{BodyId, PlanId};
use abierto_domain::plan::{
    check_approving_session, check_goal_window, check_period_keeps_months, check_weights, YearMonth,
};
use sqlx::AnyConnection;

use super::{NewGoal, NewPlan};
use crate::StoreError;

/// Refuses the change when the plan's weights are incomplete or do not sum to 1.
pub(crate) async fn check_plan_weights(
    conn: &mut AnyConnection,
    plan: PlanId,
) -> Result<(), StoreError> {
    let weights: Vec<(Option<f64>,)> =
        sqlx::query_as("SELECT weight FROM commitments WHERE plan_id = $1")
            .bind(plan.get())
            .fetch_all(&mut *conn)
            .await?;
    let weights: Vec<Option<f64>> = weights.into_iter().map(|(w,)| w).collect();
    check_weights(&weights).map_err(StoreError::Refused)
}

/// A goal is due on or after the start of its execution window.
pub(crate) fn check_goal_dates(new: &NewGoal) -> Result<(), StoreError> {
    check_goal_window(new.window_start, new.due_on).map_err(StoreError::Refused)
}

/// The rules a plan obeys, checked before it is written: the approving session is one of the
/// plan's body, and the period of a stored plan (`id`) keeps every month planned or reported
/// for its commitments.
pub(crate) async fn check_plan_rules(
    conn: &mut AnyConnection,
    id: Option<PlanId>,
    new: &NewPlan,
) -> Result<(), StoreError> {
    if let Some(session) = new.approved_in {
        let body: Option<(i64,)> = sqlx::query_as("SELECT body_id FROM sessions WHERE id = $1")
            .bind(session.get())
            .fetch_optional(&mut *conn)
            .await?;
        check_approving_session(body.map(|(body,)| BodyId::new(body)), new.body)
            .map_err(StoreError::Refused)?;
    }
    if let Some(id) = id {
        let months = planned_or_reported_span(conn, id).await?;
        check_period_keeps_months(&new.period, months).map_err(StoreError::Refused)?;
    }
    Ok(())
}

/// The first and the last month planned or reported for the plan's commitments.
async fn planned_or_reported_span(
    conn: &mut AnyConnection,
    plan: PlanId,
) -> Result<Vec<YearMonth>, StoreError> {
    let (first, last): (Option<String>, Option<String>) = sqlx::query_as(
        "SELECT MIN(month), MAX(month) FROM ( \
         SELECT s.month FROM schedule_entries s JOIN commitments c ON c.id = s.commitment_id \
         WHERE c.plan_id = $1 \
         UNION ALL \
         SELECT r.month FROM monthly_reports r JOIN commitments c ON c.id = r.commitment_id \
         WHERE c.plan_id = $1) months",
    )
    .bind(plan.get())
    .fetch_one(&mut *conn)
    .await?;
    [first, last]
        .into_iter()
        .flatten()
        // A stored month that no longer parses is corrupt data, not a refusal.
        .map(|month| Ok(YearMonth::parse(&month)?))
        .collect()
}
