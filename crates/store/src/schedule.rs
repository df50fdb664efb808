//! The monthly schedule of a commitment (acciones para realizar) and the reports filed
//! against it (acciones realizadas): a reporting unit edits a draft, the secretariat publishes
//! it, and the public reads only the published version — which stays online while a new draft
//! is being prepared.

use abierto_domain::governance::Period;
use abierto_domain::ids::{CommitmentId, EvidenceId, MonthlyReportId, PlanId};
use abierto_domain::indicators::Measure;
use abierto_domain::plan::{check_month_in_period, YearMonth};
use abierto_domain::ErrorCode;
use abierto_domain::ValidationError;
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::{AnyConnection, Row};

use crate::audit::{record, Actor, AuditAction};
use crate::audit_subject::AuditSubject;
use crate::rows::{from_iso, from_unix, to_iso, to_unix};
use crate::write::Write;
use crate::{Store, StoreError};

/// "3 intervenciones": a quantity of a named measure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quantity {
    pub measure: String,
    pub quantity: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScheduleEntry {
    pub commitment: CommitmentId,
    pub month: YearMonth,
    pub text: String,
    pub planned: Vec<Quantity>,
}

/// One figure of what was done: "2 intervenciones con fecha 13 y 27 de julio".
#[derive(Debug, Clone, PartialEq)]
pub struct DoneLine {
    pub measure: String,
    pub quantity: i64,
    pub dates: Vec<NaiveDate>,
    pub note: String,
    /// The records measure behind the figure, when the records hold it.
    pub source: Option<Measure>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportState {
    Draft,
    Published,
}

impl ReportState {
    pub fn key(self) -> &'static str {
        match self {
            ReportState::Draft => "draft",
            ReportState::Published => "published",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct ReportEvidence {
    pub evidence: EvidenceId,
    pub filename: String,
    pub content_type: String,
    pub description: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct MonthlyReport {
    pub id: MonthlyReportId,
    pub commitment: CommitmentId,
    pub month: YearMonth,
    pub state: ReportState,
    pub text: String,
    pub lines: Vec<DoneLine>,
    pub evidence: Vec<ReportEvidence>,
    pub updated_at: DateTime<Utc>,
    pub published_at: Option<DateTime<Utc>>,
}

/// A file already written to disk under its SHA-256.
#[derive(Debug, Clone)]
pub struct NewEvidence {
    pub filename: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub sha256: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Evidence {
    pub id: EvidenceId,
    pub filename: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub sha256: String,
    /// Whether the public may read it: it backs a goal's reading or a published report.
    pub public: bool,
    /// The commitment whose draft report holds it, for the reporting unit's access.
    pub draft_of: Option<CommitmentId>,
}

impl Store {
    /// Sets what is planned for a commitment in a month (replacing what was there).
    pub async fn set_schedule_entry(
        &self,
        actor: &Actor,
        entry: &ScheduleEntry,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        check_month(&mut tx, entry.commitment, entry.month).await?;
        sqlx::query("DELETE FROM schedule_entries WHERE commitment_id = $1 AND month = $2")
            .bind(entry.commitment.get())
            .bind(entry.month.to_string())
            .execute(&mut *tx)
            .await?;
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO schedule_entries (commitment_id, month, text) VALUES ($1, $2, $3) RETURNING id",
        )
        .bind(entry.commitment.get())
        .bind(entry.month.to_string())
        .bind(entry.text.trim())
        .fetch_one(&mut *tx)
        .await?;
        for (position, planned) in entry.planned.iter().enumerate() {
            sqlx::query(
                "INSERT INTO planned_quantities (entry_id, position, measure, quantity) VALUES ($1, $2, $3, $4)",
            )
            .bind(id)
            .bind(position as i64 + 1)
            .bind(planned.measure.trim())
            .bind(planned.quantity)
            .execute(&mut *tx)
            .await?;
        }
        record(
            &mut tx,
            actor,
            AuditAction::ScheduleSet,
            AuditSubject::Commitment(entry.commitment),
            &entry.month.to_string(),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// A commitment's schedule, month by month.
    pub async fn schedule(
        &self,
        commitment: CommitmentId,
    ) -> Result<Vec<ScheduleEntry>, StoreError> {
        // One query: each entry once per planned quantity (or once with none), in order.
        let rows = sqlx::query(
            "SELECT e.id, e.month, e.text, q.measure, q.quantity FROM schedule_entries e \
             LEFT JOIN planned_quantities q ON q.entry_id = e.id \
             WHERE e.commitment_id = $1 ORDER BY e.month, q.position",
        )
        .bind(commitment.get())
        .fetch_all(&self.pool)
        .await?;
        let mut out: Vec<ScheduleEntry> = Vec::new();
        let mut last_id = None;
        for row in &rows {
            let id: i64 = row.try_get("id")?;
            if last_id != Some(id) {
                last_id = Some(id);
                out.push(ScheduleEntry {
                    commitment,
                    month: YearMonth::parse(row.try_get::<String, _>("month")?.as_str())?,
                    text: row.try_get("text")?,
                    planned: Vec::new(),
                });
            }
            let measure: Option<String> = row.try_get("measure")?;
            if let (Some(measure), Some(entry)) = (measure, out.last_mut()) {
                entry.planned.push(Quantity {
                    measure,
                    quantity: row.try_get("quantity")?,
                });
            }
        }
        Ok(out)
    }

    /// Saves the draft of what was done in a month, creating it (from the published version's
    /// evidence, if any) when there is none.
    pub async fn save_report_draft(
        &self,
        actor: &Actor,
        commitment: CommitmentId,
        month: YearMonth,
        text: &str,
        lines: &[DoneLine],
        at: DateTime<Utc>,
    ) -> Result<MonthlyReportId, StoreError> {
        let mut tx = self.begin_write().await?;
        check_month(&mut tx, commitment, month).await?;
        let id = draft_id(&mut tx, actor, commitment, month, at).await?;
        sqlx::query(
            "UPDATE monthly_reports SET text = $2, updated_at = $3, updated_by = $4 WHERE id = $1",
        )
        .bind(id)
        .bind(text.trim())
        .bind(to_unix(at))
        .bind(actor.user.map(|u| u.get()))
        .execute(&mut *tx)
        .await?;
        sqlx::query("DELETE FROM report_lines WHERE report_id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        for (position, line) in lines.iter().enumerate() {
            if line.quantity < 0 {
                return Err(StoreError::Refused(ValidationError::new(
                    "quantity",
                    ErrorCode::QuantityNegative,
                )));
            }
            let dates: Vec<String> = line.dates.iter().map(|d| to_iso(*d)).collect();
            sqlx::query(
                "INSERT INTO report_lines (report_id, position, measure, quantity, dates, note, source) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(id)
            .bind(position as i64 + 1)
            .bind(line.measure.trim())
            .bind(line.quantity)
            .bind(dates.join(","))
            .bind(line.note.trim())
            .bind(line.source.map(Measure::key))
            .execute(&mut *tx)
            .await?;
        }
        record(
            &mut tx,
            actor,
            AuditAction::ReportDraft,
            AuditSubject::Commitment(commitment),
            &month.to_string(),
        )
        .await?;
        tx.commit().await?;
        Ok(MonthlyReportId::new(id))
    }

    /// Keeps a file as evidence; the caller has written it to disk under its hash.
    pub async fn add_evidence(
        &self,
        actor: &Actor,
        new: &NewEvidence,
        at: DateTime<Utc>,
    ) -> Result<EvidenceId, StoreError> {
        let mut tx = self.begin_write().await?;
        let id = insert_evidence(&mut tx, actor, new, at).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Keeps a file as evidence of the month's draft (creating the draft if needed), in one
    /// transaction: a refused month leaves no file record behind.
    pub async fn add_report_evidence(
        &self,
        actor: &Actor,
        commitment: CommitmentId,
        month: YearMonth,
        new: &NewEvidence,
        description: &str,
        at: DateTime<Utc>,
    ) -> Result<EvidenceId, StoreError> {
        let mut tx = self.begin_write().await?;
        check_month(&mut tx, commitment, month).await?;
        let evidence = insert_evidence(&mut tx, actor, new, at).await?;
        let id = draft_id(&mut tx, actor, commitment, month, at).await?;
        sqlx::query(
            "INSERT INTO report_evidence (report_id, evidence_id, description) VALUES ($1, $2, $3)",
        )
        .bind(id)
        .bind(evidence.get())
        .bind(description.trim())
        .execute(&mut *tx)
        .await?;
        record(
            &mut tx,
            actor,
            AuditAction::ReportEvidence,
            AuditSubject::Commitment(commitment),
            &format!("{month} evidence:{evidence}"),
        )
        .await?;
        tx.commit().await?;
        Ok(evidence)
    }

    /// Takes a file off the month's draft (the published version keeps what it had).
    pub async fn detach_report_evidence(
        &self,
        actor: &Actor,
        commitment: CommitmentId,
        month: YearMonth,
        evidence: EvidenceId,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        let removed = sqlx::query(
            "DELETE FROM report_evidence WHERE evidence_id = $1 AND report_id IN \
             (SELECT id FROM monthly_reports WHERE commitment_id = $2 AND month = $3 AND state = 'draft')",
        )
        .bind(evidence.get())
        .bind(commitment.get())
        .bind(month.to_string())
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if removed == 0 {
            return Err(StoreError::NotFound);
        }
        record(
            &mut tx,
            actor,
            AuditAction::ReportEvidenceRemoved,
            AuditSubject::Commitment(commitment),
            &format!("{month} evidence:{evidence}"),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Publishes the month's draft: it replaces the published version.
    pub async fn publish_report(
        &self,
        actor: &Actor,
        commitment: CommitmentId,
        month: YearMonth,
        at: DateTime<Utc>,
    ) -> Result<MonthlyReportId, StoreError> {
        let mut tx = self.begin_write().await?;
        let draft: Option<(i64,)> = sqlx::query_as(
            "SELECT id FROM monthly_reports WHERE commitment_id = $1 AND month = $2 AND state = 'draft'",
        )
        .bind(commitment.get())
        .bind(month.to_string())
        .fetch_optional(&mut *tx)
        .await?;
        let Some((id,)) = draft else {
            return Err(StoreError::Refused(ValidationError::new(
                "month",
                ErrorCode::NoDraftToPublish,
            )));
        };
        sqlx::query(
            "DELETE FROM monthly_reports WHERE commitment_id = $1 AND month = $2 AND state = 'published'",
        )
        .bind(commitment.get())
        .bind(month.to_string())
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "UPDATE monthly_reports SET state = 'published', published_at = $2 WHERE id = $1",
        )
        .bind(id)
        .bind(to_unix(at))
        .execute(&mut *tx)
        .await?;
        record(
            &mut tx,
            actor,
            AuditAction::ReportPublish,
            AuditSubject::Commitment(commitment),
            &month.to_string(),
        )
        .await?;
        tx.commit().await?;
        Ok(MonthlyReportId::new(id))
    }

    /// The reports of a plan's commitments in one state, by commitment and month.
    pub async fn monthly_reports(
        &self,
        plan: PlanId,
        state: ReportState,
    ) -> Result<Vec<MonthlyReport>, StoreError> {
        let rows = sqlx::query(
            "SELECT r.id, r.commitment_id, r.month, r.state, r.text, r.updated_at, r.published_at \
             FROM monthly_reports r JOIN commitments c ON c.id = r.commitment_id \
             WHERE c.plan_id = $1 AND r.state = $2 ORDER BY c.position, r.month",
        )
        .bind(plan.get())
        .bind(state.key())
        .fetch_all(&self.pool)
        .await?;
        let mut out = Vec::with_capacity(rows.len());
        for row in &rows {
            out.push(MonthlyReport {
                id: MonthlyReportId::new(row.try_get("id")?),
                commitment: CommitmentId::new(row.try_get("commitment_id")?),
                month: YearMonth::parse(row.try_get::<String, _>("month")?.as_str())?,
                state,
                text: row.try_get("text")?,
                lines: Vec::new(),
                evidence: Vec::new(),
                updated_at: from_unix(row.try_get("updated_at")?)?,
                published_at: row
                    .try_get::<Option<i64>, _>("published_at")?
                    .map(from_unix)
                    .transpose()?,
            });
        }
        let find =
            |out: &mut Vec<MonthlyReport>, id: i64| out.iter_mut().position(|r| r.id.get() == id);
        // The lines and the evidence of every report of the plan, in two queries.
        let lines = sqlx::query(
            "SELECT l.report_id, l.measure, l.quantity, l.dates, l.note, l.source FROM report_lines l \
             JOIN monthly_reports r ON r.id = l.report_id JOIN commitments c ON c.id = r.commitment_id \
             WHERE c.plan_id = $1 AND r.state = $2 ORDER BY l.report_id, l.position",
        )
        .bind(plan.get())
        .bind(state.key())
        .fetch_all(&self.pool)
        .await?;
        for row in &lines {
            let dates: String = row.try_get("dates")?;
            let line = DoneLine {
                measure: row.try_get("measure")?,
                quantity: row.try_get("quantity")?,
                dates: dates
                    .split(',')
                    .filter(|d| !d.is_empty())
                    .map(from_iso)
                    .collect::<Result<_, _>>()?,
                note: row.try_get("note")?,
                source: row
                    .try_get::<Option<String>, _>("source")?
                    .map(|raw| Measure::parse(&raw))
                    .transpose()?,
            };
            if let Some(index) = find(&mut out, row.try_get("report_id")?) {
                out[index].lines.push(line);
            }
        }
        let evidence = sqlx::query(
            "SELECT re.report_id, e.id, e.filename, e.content_type, re.description FROM report_evidence re \
             JOIN evidence e ON e.id = re.evidence_id JOIN monthly_reports r ON r.id = re.report_id \
             JOIN commitments c ON c.id = r.commitment_id \
             WHERE c.plan_id = $1 AND r.state = $2 ORDER BY re.report_id, e.id",
        )
        .bind(plan.get())
        .bind(state.key())
        .fetch_all(&self.pool)
        .await?;
        for row in &evidence {
            let item = ReportEvidence {
                evidence: EvidenceId::new(row.try_get("id")?),
                filename: row.try_get("filename")?,
                content_type: row.try_get("content_type")?,
                description: row.try_get("description")?,
            };
            if let Some(index) = find(&mut out, row.try_get("report_id")?) {
                out[index].evidence.push(item);
            }
        }
        Ok(out)
    }

    /// An evidence file's description and who may read it.
    pub async fn evidence(&self, id: EvidenceId) -> Result<Evidence, StoreError> {
        let row = sqlx::query(
            "SELECT e.id, e.filename, e.content_type, e.size_bytes, e.sha256, \
             (SELECT COUNT(*) FROM goal_readings g WHERE g.evidence_id = e.id) \
             + (SELECT COUNT(*) FROM report_evidence re JOIN monthly_reports r ON r.id = re.report_id \
                WHERE re.evidence_id = e.id AND r.state = 'published') AS public_links, \
             (SELECT MIN(r.commitment_id) FROM report_evidence re JOIN monthly_reports r ON r.id = re.report_id \
                WHERE re.evidence_id = e.id AND r.state = 'draft') AS draft_of \
             FROM evidence e WHERE e.id = $1",
        )
        .bind(id.get())
        .fetch_one(&self.pool)
        .await?;
        Ok(Evidence {
            id,
            filename: row.try_get("filename")?,
            content_type: row.try_get("content_type")?,
            size_bytes: row.try_get("size_bytes")?,
            sha256: row.try_get("sha256")?,
            public: row.try_get::<i64, _>("public_links")? > 0,
            draft_of: row
                .try_get::<Option<i64>, _>("draft_of")?
                .map(CommitmentId::new),
        })
    }
}

pub(crate) async fn insert_evidence(
    conn: &mut Write,
    actor: &Actor,
    new: &NewEvidence,
    at: DateTime<Utc>,
) -> Result<EvidenceId, StoreError> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO evidence (filename, content_type, size_bytes, sha256, uploaded_at) \
         VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(&new.filename)
    .bind(&new.content_type)
    .bind(new.size_bytes)
    .bind(&new.sha256)
    .bind(to_unix(at))
    .fetch_one(&mut **conn)
    .await?;
    let detail = format!("{} {}", new.filename, new.sha256);
    record(
        conn,
        actor,
        AuditAction::EvidenceAdd,
        AuditSubject::Evidence(EvidenceId::new(id)),
        &detail,
    )
    .await?;
    Ok(EvidenceId::new(id))
}

/// Refuses a month outside the commitment's plan period.
async fn check_month(
    conn: &mut AnyConnection,
    commitment: CommitmentId,
    month: YearMonth,
) -> Result<(), StoreError> {
    let (start, end): (String, String) = sqlx::query_as(
        "SELECT p.period_start, p.period_end FROM commitments c JOIN plans p ON p.id = c.plan_id \
         WHERE c.id = $1",
    )
    .bind(commitment.get())
    .fetch_one(&mut *conn)
    .await?;
    let period = Period::new(from_iso(&start)?, from_iso(&end)?)?;
    check_month_in_period(month, &period).map_err(StoreError::Refused)
}

/// The id of the month's draft, created when missing; a new draft carries over the
/// published version's evidence.
async fn draft_id(
    conn: &mut AnyConnection,
    actor: &Actor,
    commitment: CommitmentId,
    month: YearMonth,
    at: DateTime<Utc>,
) -> Result<i64, StoreError> {
    let existing: Option<(i64,)> = sqlx::query_as(
        "SELECT id FROM monthly_reports WHERE commitment_id = $1 AND month = $2 AND state = 'draft'",
    )
    .bind(commitment.get())
    .bind(month.to_string())
    .fetch_optional(&mut *conn)
    .await?;
    if let Some((id,)) = existing {
        return Ok(id);
    }
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO monthly_reports (commitment_id, month, state, text, updated_at, updated_by) \
         VALUES ($1, $2, 'draft', '', $3, $4) RETURNING id",
    )
    .bind(commitment.get())
    .bind(month.to_string())
    .bind(to_unix(at))
    .bind(actor.user.map(|u| u.get()))
    .fetch_one(&mut *conn)
    .await?;
    sqlx::query(
        "INSERT INTO report_evidence (report_id, evidence_id, description) \
         SELECT $1, re.evidence_id, re.description FROM report_evidence re \
         JOIN monthly_reports r ON r.id = re.report_id \
         WHERE r.commitment_id = $2 AND r.month = $3 AND r.state = 'published'",
    )
    .bind(id)
    .bind(commitment.get())
    .bind(month.to_string())
    .execute(&mut *conn)
    .await?;
    Ok(id)
}
