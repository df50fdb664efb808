//! The action plan (PAMGA): creating and editing plans, commitments and goals; the units'
//! monthly reports; and what the dashboard, the API and the documents show of a plan — each
//! goal's indicator read live, the quarterly report and the goal-tracking table.

pub mod editing;
pub mod quarterly;
pub mod reporting;
pub mod view;

use abierto_domain::account::Role;
use abierto_domain::ids::{CommitmentId, EvidenceId, GoalId, PlanId, SubmissionId};
use abierto_domain::plan::YearMonth;
pub use abierto_store::{
    Commitment, Evidence, Goal, MonthlyReport, Origin, Plan, ReportState, ScheduleEntry,
};

use crate::files::StoredFile;
use crate::{Actor, App, Result};

/// Every plan, the newest period first.
pub async fn plans(app: &App) -> Result<Vec<Plan>> {
    Ok(app.store().plans().await?)
}

pub async fn plan(app: &App, id: PlanId) -> Result<Plan> {
    Ok(app.store().plan(id).await?)
}

/// A plan's commitments (ejes), in order.
pub async fn commitments(app: &App, plan: PlanId) -> Result<Vec<Commitment>> {
    Ok(app.store().commitments(plan).await?)
}

pub async fn commitment(app: &App, id: CommitmentId) -> Result<Commitment> {
    Ok(app.store().commitment(id).await?)
}

pub async fn goal(app: &App, id: GoalId) -> Result<Goal> {
    Ok(app.store().goal(id).await?)
}

/// Every goal of a plan, by commitment.
pub async fn goals_of_plan(app: &App, plan: PlanId) -> Result<Vec<Goal>> {
    Ok(app.store().goals_of_plan(plan).await?)
}

/// What a commitment plans month by month.
pub async fn schedule(app: &App, commitment: CommitmentId) -> Result<Vec<ScheduleEntry>> {
    Ok(app.store().schedule(commitment).await?)
}

/// The published monthly reports of a plan's commitments, which the public reads.
pub async fn published_reports(app: &App, plan: PlanId) -> Result<Vec<MonthlyReport>> {
    Ok(app
        .store()
        .monthly_reports(plan, ReportState::Published)
        .await?)
}

/// The ideas of the Banco de Acciones chosen as the origin of a commitment.
pub async fn commitment_origins(app: &App) -> Result<Vec<Origin>> {
    Ok(app.store().commitment_origins().await?)
}

/// Records that a commitment comes from an accepted idea of the Banco de Acciones, or that it
/// no longer names one; the secretariat's.
pub async fn set_commitment_origin(
    app: &App,
    actor: &Actor,
    commitment: CommitmentId,
    origin: Option<SubmissionId>,
) -> Result<()> {
    actor.require(Role::can_keep_sessions)?;
    Ok(app
        .store()
        .set_commitment_origin(&actor.audit(), commitment, origin)
        .await?)
}

/// A piece of evidence, for the public once its report is published, for the secretariat and
/// the commitment's unit while it is a draft's.
pub async fn evidence_file(app: &App, actor: &Actor, id: EvidenceId) -> Result<StoredFile> {
    let evidence = app.store().evidence(id).await?;
    // Anyone who may not read it gets the same answer as for a file that does not exist.
    let readable = evidence.public
        || actor.keeps_sessions()
        || match evidence.draft_of {
            Some(commitment) => reporting::can_report_for(app, actor, commitment)
                .await
                .is_ok(),
            None => false,
        };
    if !readable {
        return Err(crate::Error::NotFound);
    }
    app.files()
        .open_annex(&evidence.sha256, &evidence.filename, &evidence.content_type)
        .await
}

/// Takes a piece of evidence out of a month's draft.
pub async fn detach_evidence(
    app: &App,
    actor: &Actor,
    commitment: CommitmentId,
    month: YearMonth,
    evidence: EvidenceId,
) -> Result<()> {
    reporting::can_report_for(app, actor, commitment).await?;
    Ok(app
        .store()
        .detach_report_evidence(&actor.audit(), commitment, month, evidence)
        .await?)
}
