//! An action plan already under way: its commitments, goals and schedule, the readings,
//! monthly reports and progress notes filed, and the quarters presented.

use abierto_domain::account::Role;
use abierto_domain::ids::{
    CommitmentId, GoalId, MonthlyReportId, PlanId, ProgressNoteId, SessionId,
};
use abierto_domain::plan::{Quarter, YearMonth};
pub use abierto_store::{
    DoneLine, GoalReading, NewCommitment, NewGoal, NewPlan, Quantity, Saved, ScheduleEntry,
};
use chrono::{DateTime, NaiveDate, Utc};

use crate::{Actor, App, Result};

/// Saves a plan; one whose key (external id) is stored is updated, not duplicated.
pub async fn save_plan(app: &App, actor: &Actor, new: &NewPlan) -> Result<Saved<PlanId>> {
    actor.require(Role::can_keep_sessions)?;
    Ok(app.store().save_plan(&actor.audit(), new).await?)
}

/// Saves a commitment; refused when the plan's weights no longer sum to 1.
pub async fn save_commitment(
    app: &App,
    actor: &Actor,
    new: &NewCommitment,
) -> Result<Saved<CommitmentId>> {
    actor.require(Role::can_keep_sessions)?;
    Ok(app.store().save_commitment(&actor.audit(), new).await?)
}

/// Saves a goal with its indicator; one whose key is stored is updated.
pub async fn save_goal(app: &App, actor: &Actor, new: &NewGoal) -> Result<Saved<GoalId>> {
    actor.require(Role::can_keep_sessions)?;
    Ok(app.store().save_goal(&actor.audit(), new).await?)
}

/// Records a milestone met (value 100) or a manual percentage, with the note that
/// accredits it. Refused for indicators computed from records.
pub async fn add_goal_reading(
    app: &App,
    actor: &Actor,
    reading: &GoalReading,
    at: DateTime<Utc>,
) -> Result<()> {
    actor.require(Role::can_keep_sessions)?;
    Ok(app
        .store()
        .add_goal_reading(&actor.audit(), reading, at)
        .await?)
}

/// Sets what is planned for a commitment in a month (replacing what was there).
pub async fn set_schedule_entry(app: &App, actor: &Actor, entry: &ScheduleEntry) -> Result<()> {
    actor.require(Role::can_keep_sessions)?;
    Ok(app
        .store()
        .set_schedule_entry(&actor.audit(), entry)
        .await?)
}

/// Saves the draft of what was done in a month, creating it (from the published version's
/// evidence, if any) when there is none.
pub async fn save_report_draft(
    app: &App,
    actor: &Actor,
    commitment: CommitmentId,
    month: YearMonth,
    text: &str,
    lines: &[DoneLine],
    at: DateTime<Utc>,
) -> Result<MonthlyReportId> {
    actor.require(Role::can_keep_sessions)?;
    Ok(app
        .store()
        .save_report_draft(&actor.audit(), commitment, month, text, lines, at)
        .await?)
}

/// Publishes the month's draft: it replaces the published version.
pub async fn publish_report(
    app: &App,
    actor: &Actor,
    commitment: CommitmentId,
    month: YearMonth,
    at: DateTime<Utc>,
) -> Result<MonthlyReportId> {
    actor.require(Role::can_keep_sessions)?;
    Ok(app
        .store()
        .publish_report(&actor.audit(), commitment, month, at)
        .await?)
}

/// Adds a progress note to a commitment, dated as it was written.
pub async fn add_progress_note(
    app: &App,
    actor: &Actor,
    commitment: CommitmentId,
    noted_on: NaiveDate,
    title: &str,
    body: &str,
) -> Result<ProgressNoteId> {
    actor.require(Role::can_keep_sessions)?;
    Ok(app
        .store()
        .add_progress_note(&actor.audit(), commitment, noted_on, title, body)
        .await?)
}

/// Records the session where a quarter's results were presented (replacing an earlier
/// record for the same quarter).
pub async fn present_quarter(
    app: &App,
    actor: &Actor,
    plan: PlanId,
    quarter: Quarter,
    session: SessionId,
) -> Result<()> {
    actor.require(Role::can_keep_sessions)?;
    Ok(app
        .store()
        .present_quarter(&actor.audit(), plan, quarter, session)
        .await?)
}
