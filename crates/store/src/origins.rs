//! An idea of the Banco de Acciones as the origin of a commitment of an action plan: the
//! thread from what a citizen proposed to what the municipality committed to.

use abierto_domain::calls::SubmissionStatus;
use abierto_domain::ids::{CommitmentId, SubmissionId};
use abierto_domain::ErrorCode;
use abierto_domain::ValidationError;

use crate::audit::{record, Actor, AuditAction};
use crate::audit_subject::AuditSubject;
use crate::{Store, StoreError};

/// A commitment that grew out of an accepted idea.
#[derive(Debug, Clone, PartialEq)]
pub struct Origin {
    pub commitment: CommitmentId,
    pub commitment_title: String,
    pub submission: SubmissionId,
    pub folio: String,
    pub idea_title: String,
}

impl Store {
    /// Names the accepted idea a commitment comes from, or clears it with `None`. Only an
    /// idea in the Banco de Acciones can be an origin.
    pub async fn set_commitment_origin(
        &self,
        actor: &Actor,
        commitment: CommitmentId,
        origin: Option<SubmissionId>,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        let (exists,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM commitments WHERE id = $1")
            .bind(commitment.get())
            .fetch_one(&mut *tx)
            .await?;
        if exists == 0 {
            return Err(StoreError::NotFound);
        }
        if let Some(idea) = origin {
            let found: Option<(String, String)> = sqlx::query_as(
                "SELECT s.status, c.kind FROM submissions s JOIN calls c ON c.id = s.call_id \
                 WHERE s.id = $1",
            )
            .bind(idea.get())
            .fetch_optional(&mut *tx)
            .await?;
            let in_bank = matches!(&found, Some((status, kind))
                if SubmissionStatus::parse(status)? == SubmissionStatus::Accepted && kind == "ideas");
            if !in_bank {
                return Err(StoreError::Refused(ValidationError::new(
                    "origin",
                    ErrorCode::OriginNotInActionBank,
                )));
            }
        }
        sqlx::query("UPDATE commitments SET origin_submission_id = $2 WHERE id = $1")
            .bind(commitment.get())
            .bind(origin.map(SubmissionId::get))
            .execute(&mut *tx)
            .await?;
        let detail = origin
            .map(|s| format!("submission:{s}"))
            .unwrap_or_default();
        record(
            &mut tx,
            actor,
            AuditAction::CommitmentOrigin,
            AuditSubject::Commitment(commitment),
            &detail,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Every commitment that grew out of an idea of the Banco de Acciones.
    pub async fn commitment_origins(&self) -> Result<Vec<Origin>, StoreError> {
        let rows: Vec<(i64, String, i64, String, String)> = sqlx::query_as(
            "SELECT m.id, m.title, s.id, s.folio, s.title FROM commitments m \
             JOIN submissions s ON s.id = m.origin_submission_id ORDER BY m.id",
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(
                |(commitment, commitment_title, submission, folio, idea_title)| Origin {
                    commitment: CommitmentId::new(commitment),
                    commitment_title,
                    submission: SubmissionId::new(submission),
                    folio,
                    idea_title,
                },
            )
            .collect())
    }
}
