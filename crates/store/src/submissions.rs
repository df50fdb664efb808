//! What citizens submit to calls, and the personal data behind it.
//!
//! A submission gets the next folio of its call inside the transaction that stores it, so
//! folios are unique and gapless per call however many arrive at once; a repeated post of the
//! same form (same secret) answers the folio already given. The proponent's personal data is
//! kept in its own table, read only through functions that log the reader, and erased on
//! request while the idea stays.

use std::collections::HashMap;

use abierto_domain::calls::{check_evaluation, check_receiving, folio, SubmissionStatus};
use abierto_domain::ids::{CallId, EvidenceId, SubmissionId, UserId};
use abierto_domain::ErrorCode;
use abierto_domain::ValidationError;
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use sqlx::any::AnyRow;
use sqlx::FromRow;
use sqlx::Row;

use crate::audit::{record, Actor, AuditAction};
use crate::audit_subject::AuditSubject;
use crate::calls::call_in;
use crate::rows::{from_iso, from_unix, to_iso, to_unix};
use crate::schedule::{insert_evidence, NewEvidence};
use crate::{Store, StoreError};

/// The proponent's personal data.
#[derive(Debug, Clone, PartialEq)]
pub struct Proponent {
    pub full_name: String,
    pub email: String,
    pub phone: String,
    pub neighbourhood: String,
    /// Asked by youth calls only.
    pub born_on: Option<NaiveDate>,
    pub consented_at: DateTime<Utc>,
}

#[derive(Debug, Clone)]
pub struct NewSubmission {
    pub call: CallId,
    pub title: String,
    pub problem: String,
    pub proposal: String,
    pub area: String,
    pub proponent: Proponent,
    /// SHA-256 of the secret that opens the status page (the server's, never the client's).
    pub token_hash: String,
    /// SHA-256 of the client's idempotency key, when it sent one.
    pub idempotency_hash: Option<String>,
    /// SHA-256 of what was sent: a repeat must send the same to count as one.
    pub request_hash: String,
    pub files: Vec<NewEvidence>,
}

/// What a submission answers: its folio, and whether this post repeated an earlier one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Receipt {
    pub id: SubmissionId,
    pub folio: String,
    pub repeated: bool,
}

/// A submission without personal data: what staff list and what the proponent reads.
#[derive(Debug, Clone, PartialEq)]
pub struct Submission {
    pub id: SubmissionId,
    pub call: CallId,
    pub number: i64,
    pub folio: String,
    pub title: String,
    pub problem: String,
    pub proposal: String,
    pub area: String,
    pub status: SubmissionStatus,
    /// The evaluation's reasons, which the proponent reads.
    pub reasons: String,
    pub submitted_at: DateTime<Utc>,
    pub decided_at: Option<DateTime<Utc>>,
    pub erased_at: Option<DateTime<Utc>>,
    pub files: Vec<EvidenceId>,
}

/// A secretariat note on a submission, never shown to the proponent or the public.
#[derive(Debug, Clone, PartialEq)]
pub struct SubmissionNote {
    pub author: Option<UserId>,
    pub body: String,
    pub at: DateTime<Utc>,
}

/// An accepted idea of the Banco de Acciones, as the public reads it.
#[derive(Debug, Clone, PartialEq)]
pub struct BankEntry {
    pub submission: Submission,
    pub call_title: String,
    /// The titles of the action plan's commitments that grew out of the idea.
    pub commitments: Vec<String>,
}

const SUBMISSION_COLUMNS: &str = "id, call_id, number, folio, title, problem, proposal, area, \
    status, reasons, submitted_at, decided_at, erased_at";

fn refused(field: &'static str, code: ErrorCode) -> StoreError {
    StoreError::Refused(ValidationError::new(field, code))
}

impl Store {
    /// Stores a submission with the call's next folio, if the call receives at `at`.
    pub async fn submit(
        &self,
        actor: &Actor,
        new: &NewSubmission,
        at: DateTime<Utc>,
    ) -> Result<Receipt, StoreError> {
        let mut tx = self.begin_write().await?;
        if let Some(key) = &new.idempotency_hash {
            let earlier: Option<(i64, String, i64, Option<String>)> = sqlx::query_as(
                "SELECT id, folio, call_id, request_hash FROM submissions \
                 WHERE idempotency_hash = $1",
            )
            .bind(key)
            .fetch_optional(&mut *tx)
            .await?;
            if let Some((id, folio, call, request_hash)) = earlier {
                // The same key with other content (or to another call) is no repeat; what
                // holds only the key learns nothing and changes nothing.
                let same_request = request_hash.as_deref() == Some(new.request_hash.as_str());
                if call != new.call.get() || !same_request {
                    return Err(refused("idempotency_key", ErrorCode::SubmissionTokenReused));
                }
                // The repeat's receipt is the one the proponent sees: its secret replaces the
                // first one, which nobody may have read.
                let id = SubmissionId::new(id);
                sqlx::query("UPDATE submissions SET token_hash = $1 WHERE id = $2")
                    .bind(&new.token_hash)
                    .bind(id.get())
                    .execute(&mut *tx)
                    .await?;
                let detail = format!("{folio} (envío repetido; clave de consulta renovada)");
                let subject = AuditSubject::Submission(id);
                record(
                    &mut tx,
                    actor,
                    AuditAction::SubmissionReceive,
                    subject,
                    &detail,
                )
                .await?;
                tx.commit().await?;
                return Ok(Receipt {
                    id,
                    folio,
                    repeated: true,
                });
            }
        }
        let call = call_in(&mut tx, new.call).await?;
        check_receiving(call.state, &call.window, at).map_err(StoreError::Refused)?;
        let (number,): (i64,) = sqlx::query_as(
            "UPDATE calls SET next_number = next_number + 1 WHERE id = $1 \
             RETURNING next_number - 1",
        )
        .bind(new.call.get())
        .fetch_one(&mut *tx)
        .await?;
        let folio = folio(call.kind, call.window.opens_at.year(), number);
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO submissions (call_id, number, folio, token_hash, idempotency_hash, \
             request_hash, title, problem, proposal, area, submitted_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
        )
        .bind(new.call.get())
        .bind(number)
        .bind(&folio)
        .bind(&new.token_hash)
        .bind(new.idempotency_hash.as_deref())
        .bind(&new.request_hash)
        .bind(new.title.trim())
        .bind(new.problem.trim())
        .bind(new.proposal.trim())
        .bind(new.area.trim())
        .bind(to_unix(at))
        .fetch_one(&mut *tx)
        .await?;
        let person = &new.proponent;
        sqlx::query(
            "INSERT INTO proponents (submission_id, full_name, email, phone, neighbourhood, \
             born_on, consented_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(id)
        .bind(person.full_name.trim())
        .bind(person.email.trim())
        .bind(person.phone.trim())
        .bind(person.neighbourhood.trim())
        .bind(person.born_on.map(to_iso))
        .bind(to_unix(person.consented_at))
        .execute(&mut *tx)
        .await?;
        for file in &new.files {
            let evidence = insert_evidence(&mut tx, actor, file, at).await?;
            sqlx::query(
                "INSERT INTO submission_files (submission_id, evidence_id) VALUES ($1, $2)",
            )
            .bind(id)
            .bind(evidence.get())
            .execute(&mut *tx)
            .await?;
        }
        // The audit names the folio only: the log is not a second copy of personal data.
        record(
            &mut tx,
            actor,
            AuditAction::SubmissionReceive,
            AuditSubject::Submission(SubmissionId::new(id)),
            &folio,
        )
        .await?;
        tx.commit().await?;
        Ok(Receipt {
            id: SubmissionId::new(id),
            folio,
            repeated: false,
        })
    }

    /// A submission by folio, with the hash of its secret for the caller to compare.
    pub async fn submission_by_folio(
        &self,
        folio: &str,
    ) -> Result<Option<(Submission, String)>, StoreError> {
        let sql =
            format!("SELECT {SUBMISSION_COLUMNS}, token_hash FROM submissions WHERE folio = $1");
        let row = sqlx::query(&sql)
            .bind(folio.trim())
            .fetch_optional(&self.pool)
            .await?;
        match row {
            Some(row) => {
                let hash: String = row.try_get("token_hash")?;
                let submission = self.with_files(submission_from_row(&row)?).await?;
                Ok(Some((submission, hash)))
            }
            None => Ok(None),
        }
    }

    pub async fn submission(&self, id: SubmissionId) -> Result<Submission, StoreError> {
        let sql = format!("SELECT {SUBMISSION_COLUMNS} FROM submissions WHERE id = $1");
        let row = sqlx::query(&sql)
            .bind(id.get())
            .fetch_one(&self.pool)
            .await?;
        self.with_files(submission_from_row(&row)?).await
    }

    /// A call's submissions by folio number, without personal data.
    pub async fn submissions_of(&self, call: CallId) -> Result<Vec<Submission>, StoreError> {
        let sql = format!(
            "SELECT {SUBMISSION_COLUMNS} FROM submissions WHERE call_id = $1 ORDER BY number"
        );
        let rows = sqlx::query(&sql)
            .bind(call.get())
            .fetch_all(&self.pool)
            .await?;
        let mut files = self
            .files_where(
                "SELECT id FROM submissions WHERE call_id = $1",
                Some(call.get()),
            )
            .await?;
        rows.iter()
            .map(|row| with_files_from(submission_from_row(row)?, &mut files))
            .collect()
    }

    /// The files of the submissions `ids` selects (a subquery, taking `$1` when `bind` is
    /// given), in one query.
    async fn files_where(
        &self,
        ids: &str,
        bind: Option<i64>,
    ) -> Result<HashMap<i64, Vec<EvidenceId>>, StoreError> {
        let sql = format!(
            "SELECT submission_id, evidence_id FROM submission_files \
             WHERE submission_id IN ({ids}) ORDER BY submission_id, evidence_id"
        );
        let query = sqlx::query_as::<_, (i64, i64)>(&sql);
        let query = match bind {
            Some(value) => query.bind(value),
            None => query,
        };
        let rows = query.fetch_all(&self.pool).await?;
        let mut files: HashMap<i64, Vec<EvidenceId>> = HashMap::new();
        for (submission, evidence) in rows {
            files
                .entry(submission)
                .or_default()
                .push(EvidenceId::new(evidence));
        }
        Ok(files)
    }

    async fn with_files(&self, mut submission: Submission) -> Result<Submission, StoreError> {
        let files: Vec<(i64,)> = sqlx::query_as(
            "SELECT evidence_id FROM submission_files WHERE submission_id = $1 ORDER BY evidence_id",
        )
        .bind(submission.id.get())
        .fetch_all(&self.pool)
        .await?;
        submission.files = files.into_iter().map(|(id,)| EvidenceId::new(id)).collect();
        Ok(submission)
    }

    /// The proponent's personal data, for the secretariat: every read is logged with the
    /// reader and its purpose. `None` once erased.
    pub async fn read_proponent(
        &self,
        actor: &Actor,
        submission: SubmissionId,
        purpose: &str,
    ) -> Result<Option<Proponent>, StoreError> {
        let mut tx = self.begin_write().await?;
        let row = sqlx::query(
            "SELECT full_name, email, phone, neighbourhood, born_on, consented_at \
             FROM proponents WHERE submission_id = $1",
        )
        .bind(submission.get())
        .fetch_optional(&mut *tx)
        .await?;
        let proponent = row.as_ref().map(proponent_from_row).transpose()?;
        record(
            &mut tx,
            actor,
            AuditAction::ProponentRead,
            AuditSubject::Submission(submission),
            purpose,
        )
        .await?;
        tx.commit().await?;
        Ok(proponent)
    }

    /// Erases a proponent's personal data at their request (derechos ARCO); the idea stays,
    /// anonymised, without its attachments, which may hold personal data too. Logged.
    /// Answers the SHA-256 of the attachments' contents no other record keeps, for the caller
    /// to delete from disk.
    pub async fn erase_proponent(
        &self,
        actor: &Actor,
        submission: SubmissionId,
        at: DateTime<Utc>,
    ) -> Result<Vec<String>, StoreError> {
        let mut tx = self.begin_write().await?;
        let (erased,): (Option<i64>,) =
            sqlx::query_as("SELECT erased_at FROM submissions WHERE id = $1")
                .bind(submission.get())
                .fetch_one(&mut *tx)
                .await?;
        if erased.is_some() {
            return Err(refused("submission", ErrorCode::PersonalDataAlreadyErased));
        }
        sqlx::query("UPDATE submissions SET erased_at = $2 WHERE id = $1")
            .bind(submission.get())
            .bind(to_unix(at))
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM proponents WHERE submission_id = $1")
            .bind(submission.get())
            .execute(&mut *tx)
            .await?;
        let attached: Vec<(i64, String)> = sqlx::query_as(
            "SELECT e.id, e.sha256 FROM submission_files f JOIN evidence e ON e.id = f.evidence_id \
             WHERE f.submission_id = $1",
        )
        .bind(submission.get())
        .fetch_all(&mut *tx)
        .await?;
        sqlx::query("DELETE FROM submission_files WHERE submission_id = $1")
            .bind(submission.get())
            .execute(&mut *tx)
            .await?;
        let mut orphaned = Vec::new();
        for (evidence, sha256) in attached {
            sqlx::query("DELETE FROM evidence WHERE id = $1")
                .bind(evidence)
                .execute(&mut *tx)
                .await?;
            let (kept,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM evidence WHERE sha256 = $1")
                .bind(&sha256)
                .fetch_one(&mut *tx)
                .await?;
            if kept == 0 && !orphaned.contains(&sha256) {
                orphaned.push(sha256);
            }
        }
        record(
            &mut tx,
            actor,
            AuditAction::ProponentErase,
            AuditSubject::Submission(submission),
            "",
        )
        .await?;
        tx.commit().await?;
        Ok(orphaned)
    }

    /// Moves a submission through its evaluation; a decision carries the reasons the
    /// proponent reads.
    pub async fn evaluate_submission(
        &self,
        actor: &Actor,
        submission: SubmissionId,
        to: SubmissionStatus,
        reasons: &str,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        let (status,): (String,) = sqlx::query_as("SELECT status FROM submissions WHERE id = $1")
            .bind(submission.get())
            .fetch_one(&mut *tx)
            .await?;
        let from = SubmissionStatus::parse(&status)?;
        check_evaluation(from, to, reasons).map_err(StoreError::Refused)?;
        sqlx::query(
            "UPDATE submissions SET status = $2, reasons = $3, decided_at = $4 WHERE id = $1",
        )
        .bind(submission.get())
        .bind(to.key())
        .bind(reasons.trim())
        .bind(to.is_decided().then(|| to_unix(at)))
        .execute(&mut *tx)
        .await?;
        record(
            &mut tx,
            actor,
            AuditAction::SubmissionEvaluate,
            AuditSubject::Submission(submission),
            to.key(),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn add_submission_note(
        &self,
        actor: &Actor,
        submission: SubmissionId,
        body: &str,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        if body.trim().is_empty() {
            return Err(refused("body", ErrorCode::TextRequired));
        }
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO submission_notes (submission_id, author_user_id, body, at) \
             VALUES ($1, $2, $3, $4)",
        )
        .bind(submission.get())
        .bind(actor.user.map(UserId::get))
        .bind(body.trim())
        .bind(to_unix(at))
        .execute(&mut *tx)
        .await?;
        record(
            &mut tx,
            actor,
            AuditAction::SubmissionNote,
            AuditSubject::Submission(submission),
            "",
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn submission_notes(
        &self,
        submission: SubmissionId,
    ) -> Result<Vec<SubmissionNote>, StoreError> {
        sqlx::query(
            "SELECT author_user_id, body, at FROM submission_notes WHERE submission_id = $1 \
             ORDER BY at, id",
        )
        .bind(submission.get())
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|row| {
            Ok(SubmissionNote {
                author: row
                    .try_get::<Option<i64>, _>("author_user_id")?
                    .map(UserId::new),
                body: row.try_get("body")?,
                at: from_unix(row.try_get("at")?)?,
            })
        })
        .collect()
    }

    /// The Banco de Acciones: every accepted idea, newest decision first.
    pub async fn action_bank(&self) -> Result<Vec<BankEntry>, StoreError> {
        let sql = format!(
            "SELECT {}, c.title AS call_title FROM submissions s JOIN calls c ON c.id = s.call_id \
             WHERE s.status = 'accepted' AND c.kind = 'ideas' ORDER BY s.decided_at DESC, s.id DESC",
            SUBMISSION_COLUMNS
                .split(", ")
                .map(|c| format!("s.{c}"))
                .collect::<Vec<_>>()
                .join(", ")
        );
        let rows = sqlx::query(&sql).fetch_all(&self.pool).await?;
        let mut files = self
            .files_where("SELECT id FROM submissions WHERE status = 'accepted'", None)
            .await?;
        let origins = self.commitment_origins().await?;
        rows.iter()
            .map(|row| {
                let submission = with_files_from(submission_from_row(row)?, &mut files)?;
                Ok(BankEntry {
                    commitments: origins
                        .iter()
                        .filter(|o| o.submission == submission.id)
                        .map(|o| o.commitment_title.clone())
                        .collect(),
                    submission,
                    call_title: row.try_get("call_title")?,
                })
            })
            .collect()
    }

    /// Counts a client's submissions since `since`, after recording this one at `at`.
    pub async fn count_submission_attempt(
        &self,
        client: &str,
        at: DateTime<Utc>,
        since: DateTime<Utc>,
    ) -> Result<i64, StoreError> {
        let mut tx = self.begin_write().await?;
        sqlx::query("INSERT INTO submission_attempts (client, at) VALUES ($1, $2)")
            .bind(client)
            .bind(to_unix(at))
            .execute(&mut *tx)
            .await?;
        let (count,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM submission_attempts WHERE client = $1 AND at >= $2",
        )
        .bind(client)
        .bind(to_unix(since))
        .fetch_one(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(count)
    }

    /// Forgets submission attempts older than `before`.
    pub async fn purge_submission_attempts(&self, before: DateTime<Utc>) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM submission_attempts WHERE at < $1")
            .bind(to_unix(before))
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}

fn with_files_from(
    mut submission: Submission,
    files: &mut HashMap<i64, Vec<EvidenceId>>,
) -> Result<Submission, StoreError> {
    submission.files = files.remove(&submission.id.get()).unwrap_or_default();
    Ok(submission)
}

#[derive(FromRow)]
struct SubmissionRow {
    id: i64,
    call_id: i64,
    number: i64,
    folio: String,
    title: String,
    problem: String,
    proposal: String,
    area: String,
    status: String,
    reasons: String,
    submitted_at: i64,
    decided_at: Option<i64>,
    erased_at: Option<i64>,
}

fn submission_from_row(row: &AnyRow) -> Result<Submission, StoreError> {
    let row = SubmissionRow::from_row(row)?;
    let instant = |secs: Option<i64>| secs.map(from_unix).transpose();
    Ok(Submission {
        id: SubmissionId::new(row.id),
        call: CallId::new(row.call_id),
        number: row.number,
        folio: row.folio,
        title: row.title,
        problem: row.problem,
        proposal: row.proposal,
        area: row.area,
        status: SubmissionStatus::parse(&row.status)?,
        reasons: row.reasons,
        submitted_at: from_unix(row.submitted_at)?,
        decided_at: instant(row.decided_at)?,
        erased_at: instant(row.erased_at)?,
        files: Vec::new(),
    })
}

#[derive(FromRow)]
struct ProponentRow {
    full_name: String,
    email: String,
    phone: String,
    neighbourhood: String,
    born_on: Option<String>,
    consented_at: i64,
}

fn proponent_from_row(row: &AnyRow) -> Result<Proponent, StoreError> {
    let row = ProponentRow::from_row(row)?;
    Ok(Proponent {
        full_name: row.full_name,
        email: row.email,
        phone: row.phone,
        neighbourhood: row.neighbourhood,
        born_on: row.born_on.as_deref().map(from_iso).transpose()?,
        consented_at: from_unix(row.consented_at)?,
    })
}
