//! Presupuesto Participativo: the works voted by the neighbourhoods and their dated stages,
//! each change checked against the work's last stage.

use abierto_domain::ids::WorkId;
use abierto_domain::programs::{check_stage_change, WorkStage};
use abierto_domain::ErrorCode;
use chrono::NaiveDate;
use sqlx::{AnyConnection, Row};

use super::Work;
use crate::audit::{record, Actor, AuditAction};
use crate::audit_subject::AuditSubject;
use crate::rows::{from_iso, to_iso};
use crate::{Store, StoreError};

impl Store {
    /// Registers a work with its stages so far (at least one), oldest first.
    pub async fn add_work(
        &self,
        actor: &Actor,
        external_id: Option<&str>,
        name: &str,
        neighbourhood: &str,
        history: &[(WorkStage, NaiveDate)],
    ) -> Result<WorkId, StoreError> {
        if history.is_empty() {
            return Err(StoreError::Refused(abierto_domain::ValidationError::new(
                "stage",
                ErrorCode::StageRequired,
            )));
        }
        let mut tx = self.begin_write().await?;
        let id = insert_work(&mut tx, external_id, name, neighbourhood).await?;
        for (stage, on) in history {
            change_stage(&mut tx, id, *stage, *on, "").await?;
        }
        record(
            &mut tx,
            actor,
            AuditAction::PpWork,
            AuditSubject::Work(id),
            name,
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Moves a work to another stage; going back needs a reason.
    pub async fn change_work_stage(
        &self,
        actor: &Actor,
        work: WorkId,
        stage: WorkStage,
        on: NaiveDate,
        reason: &str,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        change_stage(&mut tx, work, stage, on, reason).await?;
        let detail = format!("{} {}", stage.key(), to_iso(on));
        record(
            &mut tx,
            actor,
            AuditAction::PpStage,
            AuditSubject::Work(work),
            &detail,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Every work with its history.
    pub async fn works(&self) -> Result<Vec<Work>, StoreError> {
        let works =
            sqlx::query("SELECT id, external_id, name, neighbourhood FROM works ORDER BY id")
                .fetch_all(&self.pool)
                .await?;
        let stages = sqlx::query(
            "SELECT work_id, stage, changed_on, reason FROM work_stages ORDER BY work_id, changed_on, id",
        )
        .fetch_all(&self.pool)
        .await?;
        let mut out: Vec<Work> = works
            .iter()
            .map(|row| {
                Ok(Work {
                    id: WorkId::new(row.try_get("id")?),
                    external_id: row.try_get("external_id")?,
                    name: row.try_get("name")?,
                    neighbourhood: row.try_get("neighbourhood")?,
                    history: Vec::new(),
                })
            })
            .collect::<Result<_, StoreError>>()?;
        for row in &stages {
            let work = WorkId::new(row.try_get("work_id")?);
            let entry = (
                WorkStage::parse(row.try_get::<String, _>("stage")?.as_str())?,
                from_iso(row.try_get::<String, _>("changed_on")?.as_str())?,
                row.try_get::<String, _>("reason")?,
            );
            if let Ok(index) = out.binary_search_by_key(&work, |w| w.id) {
                out[index].history.push(entry);
            }
        }
        Ok(out)
    }

    /// How many works were in `stage` on `day`, from their dated history.
    pub async fn works_in_stage(
        &self,
        stage: WorkStage,
        day: NaiveDate,
    ) -> Result<i64, StoreError> {
        let (n,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM work_stages ws WHERE ws.stage = $1 AND ws.id = \
             (SELECT w2.id FROM work_stages w2 WHERE w2.work_id = ws.work_id AND w2.changed_on <= $2 \
              ORDER BY w2.changed_on DESC, w2.id DESC LIMIT 1)",
        )
        .bind(stage.key())
        .bind(to_iso(day))
        .fetch_one(&self.pool)
        .await?;
        Ok(n)
    }
}

pub(crate) async fn insert_work(
    conn: &mut AnyConnection,
    external_id: Option<&str>,
    name: &str,
    neighbourhood: &str,
) -> Result<WorkId, StoreError> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO works (external_id, name, neighbourhood) VALUES ($1, $2, $3) RETURNING id",
    )
    .bind(external_id)
    .bind(name.trim())
    .bind(neighbourhood.trim())
    .fetch_one(&mut *conn)
    .await?;
    Ok(WorkId::new(id))
}

/// Appends a stage change after checking it against the work's last one.
pub(crate) async fn change_stage(
    conn: &mut AnyConnection,
    work: WorkId,
    stage: WorkStage,
    on: NaiveDate,
    reason: &str,
) -> Result<(), StoreError> {
    let exists: Option<(i64,)> = sqlx::query_as("SELECT id FROM works WHERE id = $1")
        .bind(work.get())
        .fetch_optional(&mut *conn)
        .await?;
    if exists.is_none() {
        return Err(StoreError::NotFound);
    }
    let last: Option<(String, String)> = sqlx::query_as(
        "SELECT stage, changed_on FROM work_stages WHERE work_id = $1 \
         ORDER BY changed_on DESC, id DESC LIMIT 1",
    )
    .bind(work.get())
    .fetch_optional(&mut *conn)
    .await?;
    let last = match last {
        Some((stage, day)) => Some((WorkStage::parse(&stage)?, from_iso(&day)?)),
        None => None,
    };
    check_stage_change(last, stage, on, reason).map_err(StoreError::Refused)?;
    sqlx::query(
        "INSERT INTO work_stages (work_id, stage, changed_on, reason) VALUES ($1, $2, $3, $4)",
    )
    .bind(work.get())
    .bind(stage.key())
    .bind(to_iso(on))
    .bind(reason.trim())
    .execute(&mut *conn)
    .await?;
    Ok(())
}
