//! Saving and reading plans, commitments and goals, one at a time or by key.

use abierto_domain::ids::{CommitmentId, GoalId, PlanId};

use super::rows::{
    commitment_from_row, goal_from_row, plan_from_row, COMMITMENT_COLUMNS, GOAL_COLUMNS,
    PLAN_COLUMNS,
};
use super::rules::check_plan_weights;
use super::writes::{save_commitment, save_goal, save_plan};
use super::{Commitment, Goal, NewCommitment, NewGoal, NewPlan, Plan, Saved};
use crate::audit::{record, Actor, AuditAction};
use crate::audit_subject::AuditSubject;
use crate::{Store, StoreError};

impl Store {
    pub async fn save_plan(
        &self,
        actor: &Actor,
        new: &NewPlan,
    ) -> Result<Saved<PlanId>, StoreError> {
        let mut tx = self.begin_write().await?;
        let saved = save_plan(&mut tx, new).await?;
        record(
            &mut tx,
            actor,
            AuditAction::PlanSave,
            AuditSubject::Plan(saved.id()),
            &new.title,
        )
        .await?;
        tx.commit().await?;
        Ok(saved)
    }

    pub async fn plans(&self) -> Result<Vec<Plan>, StoreError> {
        let sql = format!("SELECT {PLAN_COLUMNS} FROM plans ORDER BY period_start DESC, id DESC");
        sqlx::query(&sql)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(plan_from_row)
            .collect()
    }

    pub async fn plan(&self, id: PlanId) -> Result<Plan, StoreError> {
        let sql = format!("SELECT {PLAN_COLUMNS} FROM plans WHERE id = $1");
        plan_from_row(
            &sqlx::query(&sql)
                .bind(id.get())
                .fetch_one(&self.pool)
                .await?,
        )
    }

    /// Saves a commitment; refused when the plan's weights no longer sum to 1.
    pub async fn save_commitment(
        &self,
        actor: &Actor,
        new: &NewCommitment,
    ) -> Result<Saved<CommitmentId>, StoreError> {
        let mut tx = self.begin_write().await?;
        let saved = save_commitment(&mut tx, new).await?;
        check_plan_weights(&mut tx, new.plan).await?;
        record(
            &mut tx,
            actor,
            AuditAction::CommitmentSave,
            AuditSubject::Commitment(saved.id()),
            &new.title,
        )
        .await?;
        tx.commit().await?;
        Ok(saved)
    }

    pub async fn commitments(&self, plan: PlanId) -> Result<Vec<Commitment>, StoreError> {
        let sql = format!(
            "SELECT {COMMITMENT_COLUMNS} FROM commitments c LEFT JOIN units u ON u.id = c.unit_id \
             WHERE c.plan_id = $1 ORDER BY c.position, c.id"
        );
        sqlx::query(&sql)
            .bind(plan.get())
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(commitment_from_row)
            .collect()
    }

    pub async fn commitment(&self, id: CommitmentId) -> Result<Commitment, StoreError> {
        let sql = format!(
            "SELECT {COMMITMENT_COLUMNS} FROM commitments c LEFT JOIN units u ON u.id = c.unit_id \
             WHERE c.id = $1"
        );
        commitment_from_row(
            &sqlx::query(&sql)
                .bind(id.get())
                .fetch_one(&self.pool)
                .await?,
        )
    }

    pub async fn save_goal(
        &self,
        actor: &Actor,
        new: &NewGoal,
    ) -> Result<Saved<GoalId>, StoreError> {
        let mut tx = self.begin_write().await?;
        let saved = save_goal(&mut tx, new).await?;
        record(
            &mut tx,
            actor,
            AuditAction::GoalSave,
            AuditSubject::Goal(saved.id()),
            &new.statement,
        )
        .await?;
        tx.commit().await?;
        Ok(saved)
    }

    /// Every goal of a plan, by commitment and position.
    pub async fn goals_of_plan(&self, plan: PlanId) -> Result<Vec<Goal>, StoreError> {
        let sql = format!(
            "SELECT {GOAL_COLUMNS} FROM goals g JOIN commitments c ON c.id = g.commitment_id \
             WHERE c.plan_id = $1 ORDER BY c.position, c.id, g.position, g.id"
        );
        sqlx::query(&sql)
            .bind(plan.get())
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(goal_from_row)
            .collect()
    }

    pub async fn goal(&self, id: GoalId) -> Result<Goal, StoreError> {
        let sql = format!("SELECT {GOAL_COLUMNS} FROM goals g WHERE g.id = $1");
        goal_from_row(
            &sqlx::query(&sql)
                .bind(id.get())
                .fetch_one(&self.pool)
                .await?,
        )
    }
}
