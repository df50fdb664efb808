//! The statements that write a plan, a commitment or a goal, inside the caller's
//! transaction: the one-at-a-time saves, the edits and the imports all go through them.

use abierto_domain::ids::{CommitmentId, GoalId, PlanId, SessionId, UnitId};
use abierto_domain::indicators::Measure;
use sqlx::AnyConnection;

use super::rules::{check_goal_dates, check_plan_rules};
use super::{NewCommitment, NewGoal, NewPlan, Saved};
use crate::rows::to_iso;
use crate::StoreError;

/// Looks a row up by external id in `table`.
pub(crate) async fn by_external_id(
    conn: &mut AnyConnection,
    table: &str,
    external_id: Option<&str>,
) -> Result<Option<i64>, StoreError> {
    let Some(external_id) = external_id else {
        return Ok(None);
    };
    let sql = format!("SELECT id FROM {table} WHERE external_id = $1");
    let row: Option<(i64,)> = sqlx::query_as(&sql)
        .bind(external_id)
        .fetch_optional(&mut *conn)
        .await?;
    Ok(row.map(|(id,)| id))
}

pub(crate) async fn save_plan(
    conn: &mut AnyConnection,
    new: &NewPlan,
) -> Result<Saved<PlanId>, StoreError> {
    let existing = by_external_id(conn, "plans", new.external_id.as_deref()).await?;
    let existing = existing.map(PlanId::new);
    check_plan_rules(conn, existing, new).await?;
    let id = write_plan(conn, existing, new).await?;
    Ok(saved(existing.map(PlanId::get), id))
}

/// Writes a plan's title, body, period and approving session over the row `id`; its key
/// stays. `NotFound` when there is no such plan.
pub(crate) async fn update_plan_row(
    conn: &mut AnyConnection,
    id: PlanId,
    new: &NewPlan,
) -> Result<(), StoreError> {
    write_plan(conn, Some(id), new).await.map(|_| ())
}

/// Inserts a plan with its key, or (`existing`) updates that row keeping its key.
async fn write_plan(
    conn: &mut AnyConnection,
    existing: Option<PlanId>,
    new: &NewPlan,
) -> Result<PlanId, StoreError> {
    // $1 is the row's id for an update, the external id for an insert; the rest is shared.
    let sql = match existing {
        Some(_) => {
            "UPDATE plans SET title = $2, body_id = $3, period_start = $4, period_end = $5, \
             approved_in = $6 WHERE id = $1 RETURNING id"
        }
        None => {
            "INSERT INTO plans (external_id, title, body_id, period_start, period_end, approved_in) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id"
        }
    };
    let query = sqlx::query_as::<_, (i64,)>(sql);
    let query = match existing {
        Some(id) => query.bind(id.get()),
        None => query.bind(new.external_id.clone()),
    };
    let (id,) = query
        .bind(new.title.trim())
        .bind(new.body.get())
        .bind(to_iso(new.period.start))
        .bind(to_iso(new.period.end))
        .bind(new.approved_in.map(SessionId::get))
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(StoreError::NotFound)?;
    Ok(PlanId::new(id))
}

pub(crate) async fn save_commitment(
    conn: &mut AnyConnection,
    new: &NewCommitment,
) -> Result<Saved<CommitmentId>, StoreError> {
    let existing = by_external_id(conn, "commitments", new.external_id.as_deref()).await?;
    // $1 is the row's id for an update, the external id for an insert; the rest is shared.
    let sql = match existing {
        Some(_) => {
            "UPDATE commitments SET plan_id = $2, title = $3, description = $4, unit_id = $5, \
             weight = $6 WHERE id = $1 RETURNING id"
        }
        None => {
            "INSERT INTO commitments (external_id, plan_id, position, title, description, unit_id, weight) \
             VALUES ($1, $2, (SELECT COALESCE(MAX(position), 0) + 1 FROM commitments WHERE plan_id = $2), \
             $3, $4, $5, $6) RETURNING id"
        }
    };
    // Not kept as a prepared statement: sqlx's Any driver sends a missing weight to PostgreSQL
    // as a `real` NULL, and a statement prepared with that type then refuses a `double` weight.
    let query = sqlx::query_as::<_, (i64,)>(sql).persistent(false);
    let query = match existing {
        Some(id) => query.bind(id),
        None => query.bind(new.external_id.clone()),
    };
    let (id,) = query
        .bind(new.plan.get())
        .bind(new.title.trim())
        .bind(new.description.trim())
        .bind(new.unit.map(UnitId::get))
        .bind(new.weight)
        .fetch_one(&mut *conn)
        .await?;
    Ok(saved(existing, CommitmentId::new(id)))
}

pub(crate) async fn save_goal(
    conn: &mut AnyConnection,
    new: &NewGoal,
) -> Result<Saved<GoalId>, StoreError> {
    check_goal_dates(new)?;
    let existing = by_external_id(conn, "goals", new.external_id.as_deref()).await?;
    let id = write_goal(conn, existing.map(GoalId::new), new).await?;
    Ok(saved(existing, id))
}

/// Writes a goal's commitment, statement, indicator, measured span, window and due date over
/// the row `id`; its key stays. `NotFound` when there is no such goal.
pub(crate) async fn update_goal_row(
    conn: &mut AnyConnection,
    id: GoalId,
    new: &NewGoal,
) -> Result<(), StoreError> {
    write_goal(conn, Some(id), new).await.map(|_| ())
}

/// Inserts a goal with its key, last of its commitment, or (`existing`) updates that row
/// keeping its key and position.
async fn write_goal(
    conn: &mut AnyConnection,
    existing: Option<GoalId>,
    new: &NewGoal,
) -> Result<GoalId, StoreError> {
    let spec = &new.spec;
    // $1 is the row's id for an update, the external id for an insert; the rest is shared.
    let sql = match existing {
        Some(_) => {
            "UPDATE goals SET commitment_id = $2, statement = $3, indicator = $4, kind = $5, \
             numerator = $6, denominator = $7, target = $8, measured_from = $9, measured_to = $10, \
             window_start = $11, due_on = $12 WHERE id = $1 RETURNING id"
        }
        None => {
            "INSERT INTO goals (external_id, commitment_id, position, statement, indicator, kind, \
             numerator, denominator, target, measured_from, measured_to, window_start, due_on) \
             VALUES ($1, $2, (SELECT COALESCE(MAX(position), 0) + 1 FROM goals WHERE commitment_id = $2), \
             $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id"
        }
    };
    let query = sqlx::query_as::<_, (i64,)>(sql);
    let query = match existing {
        Some(id) => query.bind(id.get()),
        None => query.bind(new.external_id.clone()),
    };
    let (id,) = query
        .bind(new.commitment.get())
        .bind(new.statement.trim())
        .bind(new.indicator.trim())
        .bind(spec.kind.key())
        .bind(spec.numerator.map(Measure::key))
        .bind(spec.denominator.map(Measure::key))
        .bind(spec.target)
        .bind(to_iso(new.measured.start))
        .bind(to_iso(new.measured.end))
        .bind(new.window_start.map(to_iso))
        .bind(to_iso(new.due_on))
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(StoreError::NotFound)?;
    Ok(GoalId::new(id))
}

pub(crate) fn saved<T>(existing: Option<i64>, id: T) -> Saved<T> {
    match existing {
        Some(_) => Saved::Updated(id),
        None => Saved::Created(id),
    }
}
