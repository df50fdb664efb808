//! Calls (convocatorias): written as drafts, published once a session's vote approved them,
//! open between two instants, closed by the clock — void when nobody answered — evaluated and
//! resolved. Their results can be proposed for the body's next session agenda.
//!
//! Submissions and the personal data behind them live in `submissions.rs`.

use abierto_domain::calls::{
    close_outcome, void_results_narrative, CallKind, CallState, Eligibility, Window,
};
use abierto_domain::ids::{AgendaItemId, AgendaProposalId, BodyId, CallId, SessionId};
use abierto_domain::ErrorCode;
use abierto_domain::ValidationError;
use chrono::{DateTime, Utc};
use sqlx::any::AnyRow;
use sqlx::FromRow;
use sqlx::{AnyConnection, Row};

use crate::audit::{record, Actor, AuditAction};
use crate::audit_subject::AuditSubject;
use crate::rows::{from_unix, to_unix};
use crate::write::Write;
use crate::{Store, StoreError};

#[derive(Debug, Clone)]
pub struct NewCall {
    pub kind: CallKind,
    pub title: String,
    pub text: String,
    pub requirements: String,
    /// The body whose session approves the call.
    pub body: BodyId,
    pub window: Window,
    /// A youth call's age range.
    pub eligibility: Option<Eligibility>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Call {
    pub id: CallId,
    pub kind: CallKind,
    pub title: String,
    pub text: String,
    pub requirements: String,
    pub body: BodyId,
    /// The agenda item whose vote approved the call, and its session.
    pub approved_by: Option<AgendaItemId>,
    pub approved_in: Option<SessionId>,
    pub window: Window,
    pub eligibility: Option<Eligibility>,
    pub state: CallState,
    pub published_at: Option<DateTime<Utc>>,
    pub closed_at: Option<DateTime<Utc>>,
    pub resolved_at: Option<DateTime<Utc>>,
    pub results_text: String,
    /// Submissions received so far.
    pub submissions: i64,
}

/// An agenda item approved by its session's vote.
#[derive(Debug, Clone, PartialEq)]
pub struct ApprovingItem {
    pub item: AgendaItemId,
    pub session: SessionId,
    pub position: i64,
    pub title: String,
}

/// An item proposed for a body's next session agenda.
#[derive(Debug, Clone, PartialEq)]
pub struct AgendaProposal {
    pub id: AgendaProposalId,
    pub body: BodyId,
    pub call: Option<CallId>,
    pub title: String,
    /// What the item's narrative says, in the minutes' wording (after "da cuenta de").
    pub narrative: String,
    pub created_at: DateTime<Utc>,
}

const CALL_COLUMNS: &str = "c.id, c.kind, c.title, c.text, c.requirements, c.body_id, \
    c.approved_by_item_id, c.opens_at, c.closes_at, c.min_age, c.max_age, c.state, \
    c.published_at, c.closed_at, c.resolved_at, c.results_text, \
    (SELECT COUNT(*) FROM submissions s WHERE s.call_id = c.id) AS submissions, \
    (SELECT i.session_id FROM agenda_items i WHERE i.id = c.approved_by_item_id) AS approved_in";

fn refused(field: &'static str, code: ErrorCode) -> StoreError {
    StoreError::Refused(ValidationError::new(field, code))
}

impl Store {
    pub async fn create_call(
        &self,
        actor: &Actor,
        new: &NewCall,
        at: DateTime<Utc>,
    ) -> Result<CallId, StoreError> {
        let mut tx = self.begin_write().await?;
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO calls (kind, title, text, requirements, body_id, opens_at, closes_at, \
             min_age, max_age, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) \
             RETURNING id",
        )
        .bind(new.kind.key())
        .bind(new.title.trim())
        .bind(new.text.trim())
        .bind(new.requirements.trim())
        .bind(new.body.get())
        .bind(to_unix(new.window.opens_at))
        .bind(to_unix(new.window.closes_at))
        .bind(new.eligibility.map(|e| i64::from(e.min_age)))
        .bind(new.eligibility.map(|e| i64::from(e.max_age)))
        .bind(to_unix(at))
        .fetch_one(&mut *tx)
        .await?;
        record(
            &mut tx,
            actor,
            AuditAction::CallCreate,
            AuditSubject::Call(CallId::new(id)),
            &new.title,
        )
        .await?;
        tx.commit().await?;
        Ok(CallId::new(id))
    }

    /// Rewrites a draft; a published call is not changed.
    pub async fn edit_call(
        &self,
        actor: &Actor,
        id: CallId,
        new: &NewCall,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        let state = call_state(&mut tx, id).await?;
        if state != CallState::Draft {
            return Err(refused("call", ErrorCode::CallAlreadyPublished));
        }
        sqlx::query(
            "UPDATE calls SET kind = $2, title = $3, text = $4, requirements = $5, body_id = $6, \
             opens_at = $7, closes_at = $8, min_age = $9, max_age = $10 WHERE id = $1",
        )
        .bind(id.get())
        .bind(new.kind.key())
        .bind(new.title.trim())
        .bind(new.text.trim())
        .bind(new.requirements.trim())
        .bind(new.body.get())
        .bind(to_unix(new.window.opens_at))
        .bind(to_unix(new.window.closes_at))
        .bind(new.eligibility.map(|e| i64::from(e.min_age)))
        .bind(new.eligibility.map(|e| i64::from(e.max_age)))
        .execute(&mut *tx)
        .await?;
        record(
            &mut tx,
            actor,
            AuditAction::CallEdit,
            AuditSubject::Call(id),
            &new.title,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Publishes a draft approved by the vote on `approved_by`, an agenda item of a session
    /// of the call's body whose vote approved it; refused otherwise, and when the call would
    /// already be closed.
    pub async fn publish_call(
        &self,
        actor: &Actor,
        id: CallId,
        approved_by: AgendaItemId,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        let call = call_in(&mut tx, id).await?;
        if call.state != CallState::Draft {
            return Err(refused("call", ErrorCode::CallAlreadyPublished));
        }
        if at >= call.window.closes_at {
            return Err(refused("closes_at", ErrorCode::CallClosesInThePast));
        }
        let vote: Option<(i64, String)> = sqlx::query_as(
            "SELECT s.body_id, v.outcome FROM agenda_items i JOIN sessions s ON s.id = i.session_id \
             JOIN votes v ON v.agenda_item_id = i.id WHERE i.id = $1",
        )
        .bind(approved_by.get())
        .fetch_optional(&mut *tx)
        .await?;
        match vote {
            Some((body, outcome)) if body == call.body.get() && outcome != "rejected" => {}
            Some((body, _)) if body != call.body.get() => {
                return Err(refused("approved_by", ErrorCode::VoteOfOtherBody))
            }
            _ => return Err(refused("approved_by", ErrorCode::CallWithoutApprovingVote)),
        }
        sqlx::query(
            "UPDATE calls SET state = 'published', approved_by_item_id = $2, published_at = $3 \
             WHERE id = $1",
        )
        .bind(id.get())
        .bind(approved_by.get())
        .bind(to_unix(at))
        .execute(&mut *tx)
        .await?;
        record(
            &mut tx,
            actor,
            AuditAction::CallPublish,
            AuditSubject::Call(id),
            &format!("agenda_item:{approved_by}"),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Calls, newest opening first; drafts only when asked for.
    pub async fn calls(&self, with_drafts: bool) -> Result<Vec<Call>, StoreError> {
        let sql = format!(
            "SELECT {CALL_COLUMNS} FROM calls c WHERE $1 OR c.state <> 'draft' \
             ORDER BY c.opens_at DESC, c.id DESC"
        );
        sqlx::query(&sql)
            .bind(with_drafts)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(call_from_row)
            .collect()
    }

    pub async fn call(&self, id: CallId) -> Result<Call, StoreError> {
        let mut conn = self.pool.acquire().await?;
        call_in(&mut conn, id).await
    }

    /// Closes every published call whose close has come: void when nobody answered (and its
    /// results are then proposed for the body's next session), under evaluation otherwise.
    /// Each call is settled by one conditional update, so two processes running this at once
    /// settle it once. Answers the calls settled, with their new state.
    pub async fn close_due_calls(
        &self,
        now: DateTime<Utc>,
    ) -> Result<Vec<(CallId, CallState)>, StoreError> {
        let due: Vec<(i64,)> = sqlx::query_as(
            "SELECT id FROM calls WHERE state = 'published' AND closes_at <= $1 ORDER BY id",
        )
        .bind(to_unix(now))
        .fetch_all(&self.pool)
        .await?;
        let mut settled = Vec::new();
        for (id,) in due {
            if let Some(state) = self.close_call(CallId::new(id), now).await? {
                settled.push((CallId::new(id), state));
            }
        }
        Ok(settled)
    }

    async fn close_call(
        &self,
        id: CallId,
        now: DateTime<Utc>,
    ) -> Result<Option<CallState>, StoreError> {
        let mut tx = self.begin_write().await?;
        let call = call_in(&mut tx, id).await?;
        let submissions = u64::try_from(call.submissions).unwrap_or(0);
        let Some(next) = close_outcome(call.state, &call.window, now, submissions) else {
            return Ok(None);
        };
        let updated = sqlx::query(
            "UPDATE calls SET state = $2, closed_at = $3 WHERE id = $1 AND state = 'published'",
        )
        .bind(id.get())
        .bind(next.key())
        .bind(to_unix(now))
        .execute(&mut *tx)
        .await?;
        if updated.rows_affected() == 0 {
            return Ok(None);
        }
        if next == CallState::Void {
            sqlx::query(
                "INSERT INTO agenda_proposals (body_id, call_id, title, narrative, created_at) \
                 VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(call.body.get())
            .bind(id.get())
            .bind(format!("Resultados de la {}", call.title))
            .bind(void_results_narrative(&call.title))
            .bind(to_unix(now))
            .execute(&mut *tx)
            .await?;
        }
        record(
            &mut tx,
            &Actor::system(),
            AuditAction::CallClose,
            AuditSubject::Call(id),
            next.key(),
        )
        .await?;
        tx.commit().await?;
        Ok(Some(next))
    }

    /// Publishes the results of a call whose submissions are all decided.
    pub async fn resolve_call(
        &self,
        actor: &Actor,
        id: CallId,
        results_text: &str,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        if call_state(&mut tx, id).await? != CallState::UnderEvaluation {
            return Err(refused("call", ErrorCode::CallNotUnderEvaluation));
        }
        let (pending,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM submissions WHERE call_id = $1 \
             AND status NOT IN ('accepted', 'rejected')",
        )
        .bind(id.get())
        .fetch_one(&mut *tx)
        .await?;
        if pending > 0 {
            return Err(refused("call", ErrorCode::SubmissionsPendingEvaluation));
        }
        sqlx::query(
            "UPDATE calls SET state = 'resolved', resolved_at = $2, results_text = $3 WHERE id = $1",
        )
        .bind(id.get())
        .bind(to_unix(at))
        .bind(results_text.trim())
        .execute(&mut *tx)
        .await?;
        record(
            &mut tx,
            actor,
            AuditAction::CallResolve,
            AuditSubject::Call(id),
            "",
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The agenda items of `body`'s sessions whose vote approved them, newest session first:
    /// what a call can be published on.
    pub async fn approving_items(&self, body: BodyId) -> Result<Vec<ApprovingItem>, StoreError> {
        sqlx::query(
            "SELECT i.id, i.session_id, i.position, i.title FROM agenda_items i \
             JOIN sessions s ON s.id = i.session_id JOIN votes v ON v.agenda_item_id = i.id \
             WHERE s.body_id = $1 AND v.outcome <> 'rejected' \
             ORDER BY s.held_on DESC, s.id DESC, i.position",
        )
        .bind(body.get())
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|row| {
            Ok(ApprovingItem {
                item: AgendaItemId::new(row.try_get("id")?),
                session: SessionId::new(row.try_get("session_id")?),
                position: row.try_get("position")?,
                title: row.try_get("title")?,
            })
        })
        .collect()
    }

    /// The agenda proposals of a body not yet taken up by a session.
    pub async fn pending_agenda_proposals(
        &self,
        body: BodyId,
    ) -> Result<Vec<AgendaProposal>, StoreError> {
        sqlx::query(
            "SELECT id, body_id, call_id, title, narrative, created_at FROM agenda_proposals \
             WHERE body_id = $1 AND taken_by_item_id IS NULL ORDER BY created_at, id",
        )
        .bind(body.get())
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|row| {
            Ok(AgendaProposal {
                id: AgendaProposalId::new(row.try_get("id")?),
                body: BodyId::new(row.try_get("body_id")?),
                call: row.try_get::<Option<i64>, _>("call_id")?.map(CallId::new),
                title: row.try_get("title")?,
                narrative: row.try_get("narrative")?,
                created_at: from_unix(row.try_get("created_at")?)?,
            })
        })
        .collect()
    }

    /// Puts a pending proposal on a session's agenda as a results item, before the closing
    /// item if there is one, and marks it taken: both or neither. The session must be of the
    /// proposal's body and its record still open to changes.
    pub async fn add_proposal_to_agenda(
        &self,
        actor: &Actor,
        proposal: AgendaProposalId,
        session: SessionId,
    ) -> Result<AgendaItemId, StoreError> {
        let mut tx = self.begin_write().await?;
        crate::minutes::ensure_editable(&mut tx, session).await?;
        let row: Option<(i64, String, String, Option<i64>)> = sqlx::query_as(
            "SELECT body_id, title, narrative, taken_by_item_id FROM agenda_proposals WHERE id = $1",
        )
        .bind(proposal.get())
        .fetch_optional(&mut *tx)
        .await?;
        let Some((body, title, narrative, None)) = row else {
            return Err(StoreError::NotFound);
        };
        let (session_body,): (i64,) = sqlx::query_as("SELECT body_id FROM sessions WHERE id = $1")
            .bind(session.get())
            .fetch_one(&mut *tx)
            .await?;
        if session_body != body {
            return Err(refused("session", ErrorCode::ProposalOfOtherBody));
        }
        let (last,): (Option<i64>,) =
            sqlx::query_as("SELECT MAX(position) FROM agenda_items WHERE session_id = $1")
                .bind(session.get())
                .fetch_one(&mut *tx)
                .await?;
        let last = last.unwrap_or(0);
        let closing: Option<(i64,)> = sqlx::query_as(
            "SELECT id FROM agenda_items WHERE session_id = $1 AND position = $2 AND kind = 'closing'",
        )
        .bind(session.get())
        .bind(last)
        .fetch_optional(&mut *tx)
        .await?;
        let position = match closing {
            Some((closing,)) => {
                sqlx::query("UPDATE agenda_items SET position = $2 WHERE id = $1")
                    .bind(closing)
                    .bind(last + 1)
                    .execute(&mut *tx)
                    .await?;
                last
            }
            None => last + 1,
        };
        let (item,): (i64,) = sqlx::query_as(
            "INSERT INTO agenda_items (session_id, position, kind, title, narrative) \
             VALUES ($1, $2, 'results', $3, $4) RETURNING id",
        )
        .bind(session.get())
        .bind(position)
        .bind(&title)
        .bind(&narrative)
        .fetch_one(&mut *tx)
        .await?;
        let item = AgendaItemId::new(item);
        mark_taken(&mut tx, actor, proposal, item).await?;
        tx.commit().await?;
        Ok(item)
    }

    /// Marks a proposal as taken up by an agenda item.
    pub async fn take_agenda_proposal(
        &self,
        actor: &Actor,
        proposal: AgendaProposalId,
        item: AgendaItemId,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        mark_taken(&mut tx, actor, proposal, item).await?;
        tx.commit().await?;
        Ok(())
    }
}

/// Marks a pending proposal as taken up by `item`, in the caller's transaction; a proposal
/// already taken, or none, is `NotFound`.
async fn mark_taken(
    conn: &mut Write,
    actor: &Actor,
    proposal: AgendaProposalId,
    item: AgendaItemId,
) -> Result<(), StoreError> {
    let updated = sqlx::query(
        "UPDATE agenda_proposals SET taken_by_item_id = $2 \
         WHERE id = $1 AND taken_by_item_id IS NULL",
    )
    .bind(proposal.get())
    .bind(item.get())
    .execute(&mut **conn)
    .await?;
    if updated.rows_affected() == 0 {
        return Err(StoreError::NotFound);
    }
    record(
        conn,
        actor,
        AuditAction::AgendaProposalTake,
        AuditSubject::AgendaProposal(proposal),
        &format!("agenda_item:{item}"),
    )
    .await
}

async fn call_state(conn: &mut AnyConnection, id: CallId) -> Result<CallState, StoreError> {
    let (state,): (String,) = sqlx::query_as("SELECT state FROM calls WHERE id = $1")
        .bind(id.get())
        .fetch_one(&mut *conn)
        .await?;
    Ok(CallState::parse(&state)?)
}

pub(crate) async fn call_in(conn: &mut AnyConnection, id: CallId) -> Result<Call, StoreError> {
    let sql = format!("SELECT {CALL_COLUMNS} FROM calls c WHERE c.id = $1");
    call_from_row(
        &sqlx::query(&sql)
            .bind(id.get())
            .fetch_one(&mut *conn)
            .await?,
    )
}

/// A call as [`CALL_COLUMNS`] select it, with its count of submissions and the session
/// that approved it.
#[derive(FromRow)]
struct CallRow {
    id: i64,
    kind: String,
    title: String,
    text: String,
    requirements: String,
    body_id: i64,
    approved_by_item_id: Option<i64>,
    approved_in: Option<i64>,
    opens_at: i64,
    closes_at: i64,
    min_age: Option<i64>,
    max_age: Option<i64>,
    state: String,
    published_at: Option<i64>,
    closed_at: Option<i64>,
    resolved_at: Option<i64>,
    results_text: String,
    submissions: i64,
}

fn call_from_row(row: &AnyRow) -> Result<Call, StoreError> {
    let row = CallRow::from_row(row)?;
    let age = |years: Option<i64>| years.and_then(|a| u32::try_from(a).ok());
    let eligibility = match (age(row.min_age), age(row.max_age)) {
        (Some(min), Some(max)) => Some(Eligibility::new(min, max)?),
        _ => None,
    };
    let instant = |secs: Option<i64>| secs.map(from_unix).transpose();
    Ok(Call {
        id: CallId::new(row.id),
        kind: CallKind::parse(&row.kind)?,
        title: row.title,
        text: row.text,
        requirements: row.requirements,
        body: BodyId::new(row.body_id),
        approved_by: row.approved_by_item_id.map(AgendaItemId::new),
        approved_in: row.approved_in.map(SessionId::new),
        window: Window::new(from_unix(row.opens_at)?, from_unix(row.closes_at)?)?,
        eligibility,
        state: CallState::parse(&row.state)?,
        published_at: instant(row.published_at)?,
        closed_at: instant(row.closed_at)?,
        resolved_at: instant(row.resolved_at)?,
        results_text: row.results_text,
        submissions: row.submissions,
    })
}
