//! Writing an imported file's rows in one transaction: plans, commitments and goals saved by
//! external id (a re-import updates, never duplicates), agreements likewise, and works' stage
//! changes appended to their history. Rows arrive already checked; the rules a concurrent
//! write could break (weights, stage order) are checked again here, and the first refusal
//! rolls the whole batch back and names the row that caused it.

use std::collections::BTreeSet;

use abierto_domain::ids::PlanId;
use abierto_domain::programs::WorkStage;
use abierto_domain::ErrorCode;
use abierto_domain::ValidationError;
use chrono::NaiveDate;
use sqlx::AnyConnection;

use crate::audit::{record, Actor, AuditAction, AuditSubject};
use crate::plans::{
    by_external_id, check_plan_weights, save_commitment, save_goal, save_plan, Saved,
};
use crate::programs::{change_stage, insert_work, save_agreement};
use crate::{NewAgreement, NewCommitment, NewGoal, NewPlan, Store, StoreError};

/// A stage change of a work named by its external id. A work not yet registered is created
/// with `name` and `neighbourhood` (a name is then required).
#[derive(Debug, Clone, PartialEq)]
pub struct StageChangeRow {
    pub work: String,
    pub name: Option<String>,
    pub neighbourhood: String,
    pub stage: WorkStage,
    pub on: NaiveDate,
    pub reason: String,
}

/// The rows of one imported file, all of one kind.
#[derive(Debug, Clone)]
pub enum ImportBatch {
    Plans(Vec<NewPlan>),
    Commitments(Vec<NewCommitment>),
    Goals(Vec<NewGoal>),
    Agreements(Vec<NewAgreement>),
    StageChanges(Vec<StageChangeRow>),
}

impl ImportBatch {
    fn key(&self) -> &'static str {
        match self {
            ImportBatch::Plans(_) => "plans",
            ImportBatch::Commitments(_) => "commitments",
            ImportBatch::Goals(_) => "goals",
            ImportBatch::Agreements(_) => "agreements",
            ImportBatch::StageChanges(_) => "work_stages",
        }
    }

    fn audit_action(&self) -> AuditAction {
        match self {
            ImportBatch::Plans(_) => AuditAction::ImportPlans,
            ImportBatch::Commitments(_) => AuditAction::ImportCommitments,
            ImportBatch::Goals(_) => AuditAction::ImportGoals,
            ImportBatch::Agreements(_) => AuditAction::ImportAgreements,
            ImportBatch::StageChanges(_) => AuditAction::ImportWorkStages,
        }
    }
}

/// How many rows created a record and how many updated one.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BatchOutcome {
    pub created: usize,
    pub updated: usize,
}

impl BatchOutcome {
    fn count<T>(&mut self, saved: &Saved<T>) {
        match saved {
            Saved::Created(_) => self.created += 1,
            Saved::Updated(_) => self.updated += 1,
        }
    }
}

/// A batch refused: which row (0-based, in the batch) and why. Nothing was written.
#[derive(Debug)]
pub struct BatchRefused {
    pub index: usize,
    pub error: StoreError,
}

impl Store {
    /// Writes every row of the batch, or none.
    pub async fn import_batch(
        &self,
        actor: &Actor,
        batch: &ImportBatch,
    ) -> Result<BatchOutcome, BatchRefused> {
        let failed = |error: StoreError| BatchRefused { index: 0, error };
        let mut tx = self.begin_write().await.map_err(failed)?;
        let outcome = write_rows(&mut tx, batch).await?;
        let detail = format!(
            "{} creados, {} actualizados",
            outcome.created, outcome.updated
        );
        record(
            &mut tx,
            actor,
            batch.audit_action(),
            AuditSubject::Batch(batch.key()),
            &detail,
        )
        .await
        .map_err(failed)?;
        tx.commit().await.map_err(failed)?;
        Ok(outcome)
    }
}

async fn write_rows(
    conn: &mut AnyConnection,
    batch: &ImportBatch,
) -> Result<BatchOutcome, BatchRefused> {
    let at = |index: usize| move |error: StoreError| BatchRefused { index, error };
    let mut outcome = BatchOutcome::default();
    match batch {
        ImportBatch::Plans(rows) => {
            for (i, row) in rows.iter().enumerate() {
                outcome.count(&save_plan(conn, row).await.map_err(at(i))?);
            }
        }
        ImportBatch::Commitments(rows) => {
            // Weights are checked once every row is in, for each plan a row touched (including
            // the plan a commitment was moved away from).
            let mut plans: Vec<(PlanId, usize)> = Vec::new();
            for (i, row) in rows.iter().enumerate() {
                if let Some(before) = previous_plan(conn, row).await.map_err(at(i))? {
                    plans.push((before, i));
                }
                outcome.count(&save_commitment(conn, row).await.map_err(at(i))?);
                plans.push((row.plan, i));
            }
            let mut checked = BTreeSet::new();
            for (plan, i) in plans.iter().rev() {
                if checked.insert(plan.get()) {
                    check_plan_weights(conn, *plan).await.map_err(at(*i))?;
                }
            }
        }
        ImportBatch::Goals(rows) => {
            for (i, row) in rows.iter().enumerate() {
                outcome.count(&save_goal(conn, row).await.map_err(at(i))?);
            }
        }
        ImportBatch::Agreements(rows) => {
            for (i, row) in rows.iter().enumerate() {
                outcome.count(&save_agreement(conn, row).await.map_err(at(i))?);
            }
        }
        ImportBatch::StageChanges(rows) => {
            for (i, row) in rows.iter().enumerate() {
                let work = match by_external_id(conn, "works", Some(&row.work))
                    .await
                    .map_err(at(i))?
                {
                    Some(id) => abierto_domain::ids::WorkId::new(id),
                    None => {
                        let Some(name) = row.name.as_deref().filter(|n| !n.trim().is_empty())
                        else {
                            return Err(BatchRefused {
                                index: i,
                                error: StoreError::Refused(ValidationError::new(
                                    "work",
                                    ErrorCode::UnknownWork,
                                )),
                            });
                        };
                        insert_work(conn, Some(&row.work), name, &row.neighbourhood)
                            .await
                            .map_err(at(i))?
                    }
                };
                change_stage(conn, work, row.stage, row.on, &row.reason)
                    .await
                    .map_err(at(i))?;
                outcome.created += 1;
            }
        }
    }
    Ok(outcome)
}

/// The plan a stored commitment with this row's external id belongs to now.
async fn previous_plan(
    conn: &mut AnyConnection,
    row: &NewCommitment,
) -> Result<Option<PlanId>, StoreError> {
    let Some(id) = by_external_id(conn, "commitments", row.external_id.as_deref()).await? else {
        return Ok(None);
    };
    let (plan,): (i64,) = sqlx::query_as("SELECT plan_id FROM commitments WHERE id = $1")
        .bind(id)
        .fetch_one(&mut *conn)
        .await?;
    Ok(Some(PlanId::new(plan)))
}
