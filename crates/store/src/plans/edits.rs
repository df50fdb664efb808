//! Creating and editing plans, commitments and goals one at a time, as the secretariat's forms and
//! the API do: a new row needs a key (external id) no other row has, an edit keeps the key,
//! and weights change together so that a plan's weights always sum to 1.

use abierto_domain::ids::{CommitmentId, GoalId, PlanId, UnitId};
use abierto_domain::plan::check_weight;
use abierto_domain::ErrorCode;
use abierto_domain::ValidationError;
use sqlx::AnyConnection;

use super::rules::{check_goal_dates, check_plan_rules, check_plan_weights};
use super::writes::{
    by_external_id, save_commitment, save_goal, save_plan, update_goal_row, update_plan_row,
};
use super::{NewCommitment, NewGoal, NewPlan};
use crate::audit::{record, Actor, AuditAction};
use crate::audit_subject::AuditSubject;
use crate::{Store, StoreError};

/// What an edit may change of a commitment; its plan, key and weight stay.
#[derive(Debug, Clone)]
pub struct CommitmentEdit {
    pub title: String,
    pub description: String,
    pub unit: Option<UnitId>,
}

fn refused(field: &'static str, code: ErrorCode) -> StoreError {
    StoreError::Refused(ValidationError::new(field, code))
}

impl Store {
    /// Creates a plan; refused when another plan has its key.
    pub async fn create_plan(&self, actor: &Actor, new: &NewPlan) -> Result<PlanId, StoreError> {
        let mut tx = self.begin_write().await?;
        key_is_free(&mut tx, "plans", new.external_id.as_deref()).await?;
        let id = save_plan(&mut tx, new).await?.id();
        record(
            &mut tx,
            actor,
            AuditAction::PlanCreate,
            AuditSubject::Plan(id),
            &new.title,
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Changes a plan's title, body, period and approving session; its key stays.
    pub async fn edit_plan(
        &self,
        actor: &Actor,
        id: PlanId,
        changes: &NewPlan,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        check_plan_rules(&mut tx, Some(id), changes).await?;
        update_plan_row(&mut tx, id, changes).await?;
        record(
            &mut tx,
            actor,
            AuditAction::PlanEdit,
            AuditSubject::Plan(id),
            &changes.title,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Adds a commitment to a plan, setting the other commitments' weights in the same
    /// change (`reweigh`), so that a weighted plan can take a new axis; refused when another
    /// commitment has its key or the weights do not then sum to 1.
    pub async fn create_commitment(
        &self,
        actor: &Actor,
        new: &NewCommitment,
        reweigh: &[(CommitmentId, Option<f64>)],
    ) -> Result<CommitmentId, StoreError> {
        let mut tx = self.begin_write().await?;
        sqlx::query("SELECT id FROM plans WHERE id = $1")
            .bind(new.plan.get())
            .fetch_one(&mut *tx)
            .await?;
        key_is_free(&mut tx, "commitments", new.external_id.as_deref()).await?;
        if let Some(weight) = new.weight {
            check_weight(weight).map_err(StoreError::Refused)?;
        }
        let id = save_commitment(&mut tx, new).await?.id();
        set_weights(&mut tx, new.plan, reweigh).await?;
        check_plan_weights(&mut tx, new.plan).await?;
        record(
            &mut tx,
            actor,
            AuditAction::CommitmentCreate,
            AuditSubject::Commitment(id),
            &new.title,
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Changes a commitment's title, description and responsible unit.
    pub async fn edit_commitment(
        &self,
        actor: &Actor,
        id: CommitmentId,
        changes: &CommitmentEdit,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        let updated = sqlx::query(
            "UPDATE commitments SET title = $2, description = $3, unit_id = $4 WHERE id = $1",
        )
        .bind(id.get())
        .bind(changes.title.trim())
        .bind(changes.description.trim())
        .bind(changes.unit.map(UnitId::get))
        .execute(&mut *tx)
        .await?;
        if updated.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        record(
            &mut tx,
            actor,
            AuditAction::CommitmentEdit,
            AuditSubject::Commitment(id),
            &changes.title,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Adds a goal to a commitment; refused when another goal has its key.
    pub async fn create_goal(&self, actor: &Actor, new: &NewGoal) -> Result<GoalId, StoreError> {
        let mut tx = self.begin_write().await?;
        sqlx::query("SELECT id FROM commitments WHERE id = $1")
            .bind(new.commitment.get())
            .fetch_one(&mut *tx)
            .await?;
        key_is_free(&mut tx, "goals", new.external_id.as_deref()).await?;
        let id = save_goal(&mut tx, new).await?.id();
        record(
            &mut tx,
            actor,
            AuditAction::GoalCreate,
            AuditSubject::Goal(id),
            &new.statement,
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Changes a goal's statement, indicator, measured span, window and due date; its key
    /// stays, and so does its commitment.
    pub async fn edit_goal(
        &self,
        actor: &Actor,
        id: GoalId,
        changes: &NewGoal,
    ) -> Result<(), StoreError> {
        check_goal_dates(changes)?;
        let mut tx = self.begin_write().await?;
        let (commitment,): (i64,) = sqlx::query_as("SELECT commitment_id FROM goals WHERE id = $1")
            .bind(id.get())
            .fetch_one(&mut *tx)
            .await?;
        let kept = NewGoal {
            commitment: CommitmentId::new(commitment),
            ..changes.clone()
        };
        update_goal_row(&mut tx, id, &kept).await?;
        record(
            &mut tx,
            actor,
            AuditAction::GoalEdit,
            AuditSubject::Goal(id),
            &changes.statement,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Sets the weights of a plan's commitments together; a commitment left out keeps its
    /// weight. Refused unless every commitment then has a weight and they sum to 1, or none
    /// has one.
    pub async fn set_weights(
        &self,
        actor: &Actor,
        plan: PlanId,
        weights: &[(CommitmentId, Option<f64>)],
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        sqlx::query("SELECT id FROM plans WHERE id = $1")
            .bind(plan.get())
            .fetch_one(&mut *tx)
            .await?;
        set_weights(&mut tx, plan, weights).await?;
        check_plan_weights(&mut tx, plan).await?;
        let detail = weights
            .iter()
            .map(|(c, w)| match w {
                Some(w) => format!("{c}={w}"),
                None => format!("{c}=—"),
            })
            .collect::<Vec<_>>()
            .join(" ");
        record(
            &mut tx,
            actor,
            AuditAction::PlanWeights,
            AuditSubject::Plan(plan),
            &detail,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}

async fn key_is_free(
    conn: &mut AnyConnection,
    table: &str,
    key: Option<&str>,
) -> Result<(), StoreError> {
    let key = key.map(str::trim).filter(|k| !k.is_empty());
    let Some(key) = key else {
        return Err(refused("external_id", ErrorCode::KeyRequired));
    };
    match by_external_id(conn, table, Some(key)).await? {
        Some(_) => Err(refused("external_id", ErrorCode::KeyTaken)),
        None => Ok(()),
    }
}

async fn set_weights(
    conn: &mut AnyConnection,
    plan: PlanId,
    weights: &[(CommitmentId, Option<f64>)],
) -> Result<(), StoreError> {
    for (commitment, weight) in weights {
        if let Some(weight) = weight {
            check_weight(*weight).map_err(StoreError::Refused)?;
        }
        // Not kept prepared, for the same reason as in `save_commitment`: a missing weight
        // would fix the statement's parameter type to `real` on PostgreSQL.
        let updated =
            sqlx::query("UPDATE commitments SET weight = $3 WHERE id = $1 AND plan_id = $2")
                .persistent(false)
                .bind(commitment.get())
                .bind(plan.get())
                .bind(*weight)
                .execute(&mut *conn)
                .await?;
        if updated.rows_affected() == 0 {
            return Err(refused("weight", ErrorCode::UnknownCommitment));
        }
    }
    Ok(())
}
