//! The secretariat's sessions: convocation with automatic numbering, the agenda, attendance,
//! actual times, votes and motions.

use abierto_domain::conduct::{Ballot, BallotChoice};
use abierto_domain::ids::{AgendaItemId, BodyId, MembershipId, MotionId, SessionId};
use abierto_domain::sessions::{
    AgendaItem, AgendaItemKind, Attendance, Motion, MotionOutcome, Session, SessionKind, Vote,
    VoteCount, VoteOutcome, VoteResult,
};
use chrono::{Datelike, NaiveDate};
use sqlx::any::AnyRow;
use sqlx::FromRow;
use sqlx::Row;

use crate::audit::{record, Actor, AuditAction};
use crate::audit_subject::AuditSubject;
use crate::bylaws::decide_amendment;
use crate::minutes::{approve, ensure_editable, FrozenMinutes};
use crate::rows::{from_iso, to_iso};
use crate::{Store, StoreError};

#[derive(Debug, Clone)]
pub struct NewSession {
    pub body: BodyId,
    pub kind: SessionKind,
    /// `None` numbers it after the last session of its kind in the body and year.
    pub number: Option<i64>,
    pub held_on: NaiveDate,
    pub scheduled_time: String,
    pub place: String,
    pub legal_basis: String,
    /// The session's own name ("Sesión de Abanderamiento…"); empty for a numbered one.
    pub name: String,
}

#[derive(Debug, Clone)]
pub struct NewAgendaItem {
    pub kind: AgendaItemKind,
    pub title: String,
    pub presenter: Option<MembershipId>,
    pub narrative: String,
    pub annex_note: String,
    pub minutes_of: Option<SessionId>,
}

#[derive(Debug, Clone)]
pub struct NewMotion {
    pub proposer: Option<MembershipId>,
    pub text: String,
    pub outcome: MotionOutcome,
}

/// A session with everything recorded under it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionRecord {
    pub session: Session,
    pub agenda: Vec<AgendaItem>,
    pub attendance: Vec<Attendance>,
    pub votes: Vec<Vote>,
    /// Votes taken by person, by item.
    pub ballots: Vec<(AgendaItemId, Ballot)>,
    pub motions: Vec<Motion>,
}

const SESSION_COLUMNS: &str =
    "id, body_id, kind, number, held_on, scheduled_time, place, legal_basis, started_at, ended_at, \
     name";
/// Aliased so that they can be selected beside a session's own `id` and `kind`.
const ITEM_COLUMNS: &str =
    "i.id AS item_id, i.session_id, i.position, i.kind AS item_kind, i.title, \
     i.presenter_membership_id, i.narrative, i.annex_note, i.minutes_of_session_id";

impl Store {
    /// Convenes a session. A number already used by the body for that kind and year is
    /// `Conflict { field: "number" }`.
    pub async fn create_session(
        &self,
        actor: &Actor,
        new: &NewSession,
    ) -> Result<SessionId, StoreError> {
        let year = i64::from(new.held_on.year());
        let mut tx = self.begin_write().await?;
        // Numbering reads the last number and writes the next: writers must take turns.
        // SQLite's BEGIN IMMEDIATE already serialises them; PostgreSQL locks the body's row.
        if self.backend == crate::Backend::Postgres {
            sqlx::query("SELECT id FROM bodies WHERE id = $1 FOR UPDATE")
                .bind(new.body.get())
                .fetch_optional(&mut *tx)
                .await?;
        }
        let number = match new.number {
            Some(number) => number,
            None => {
                let (last,): (Option<i64>,) = sqlx::query_as(
                    "SELECT MAX(number) FROM sessions WHERE body_id = $1 AND kind = $2 AND year = $3",
                )
                .bind(new.body.get())
                .bind(new.kind.key())
                .bind(year)
                .fetch_one(&mut *tx)
                .await?;
                last.unwrap_or(0) + 1
            }
        };
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO sessions (body_id, kind, year, number, held_on, scheduled_time, place, \
             legal_basis, name) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
        )
        .bind(new.body.get())
        .bind(new.kind.key())
        .bind(year)
        .bind(number)
        .bind(to_iso(new.held_on))
        .bind(&new.scheduled_time)
        .bind(&new.place)
        .bind(&new.legal_basis)
        .bind(new.name.trim())
        .fetch_one(&mut *tx)
        .await?;
        let detail = format!("{} {number} {}", new.kind.key(), to_iso(new.held_on));
        record(
            &mut tx,
            actor,
            AuditAction::SessionCreate,
            AuditSubject::Session(SessionId::new(id)),
            &detail,
        )
        .await?;
        tx.commit().await?;
        Ok(SessionId::new(id))
    }

    /// Replaces the agenda with `items`, numbered from I in the order given.
    pub async fn set_agenda(
        &self,
        actor: &Actor,
        session: SessionId,
        items: &[NewAgendaItem],
    ) -> Result<Vec<AgendaItemId>, StoreError> {
        let mut tx = self.begin_write().await?;
        ensure_editable(&mut tx, session).await?;
        sqlx::query("DELETE FROM agenda_items WHERE session_id = $1")
            .bind(session.get())
            .execute(&mut *tx)
            .await?;
        let mut ids = Vec::with_capacity(items.len());
        for (index, item) in items.iter().enumerate() {
            let (id,): (i64,) = sqlx::query_as(
                "INSERT INTO agenda_items (session_id, position, kind, title, presenter_membership_id, narrative, \
                 annex_note, minutes_of_session_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
            )
            .bind(session.get())
            .bind(index as i64 + 1)
            .bind(item.kind.key())
            .bind(&item.title)
            .bind(item.presenter.map(MembershipId::get))
            .bind(&item.narrative)
            .bind(&item.annex_note)
            .bind(item.minutes_of.map(SessionId::get))
            .fetch_one(&mut *tx)
            .await?;
            ids.push(AgendaItemId::new(id));
        }
        record(
            &mut tx,
            actor,
            AuditAction::SessionAgenda,
            AuditSubject::Session(session),
            &format!("{} puntos", items.len()),
        )
        .await?;
        tx.commit().await?;
        Ok(ids)
    }

    /// Replaces the attendance list.
    pub async fn record_attendance(
        &self,
        actor: &Actor,
        session: SessionId,
        present: &[Attendance],
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        ensure_editable(&mut tx, session).await?;
        sqlx::query("DELETE FROM attendance WHERE session_id = $1")
            .bind(session.get())
            .execute(&mut *tx)
            .await?;
        for (index, entry) in present.iter().enumerate() {
            sqlx::query(
                "INSERT INTO attendance (session_id, membership_id, position, written_name) VALUES ($1, $2, $3, $4)",
            )
            .bind(session.get())
            .bind(entry.membership.get())
            .bind(index as i64 + 1)
            .bind(entry.written_name.clone())
                .execute(&mut *tx)
                .await?;
        }
        record(
            &mut tx,
            actor,
            AuditAction::SessionAttendance,
            AuditSubject::Session(session),
            &format!("{} presentes", present.len()),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Records the actual start and end times ("13:14", "13:46").
    pub async fn record_times(
        &self,
        actor: &Actor,
        session: SessionId,
        started_at: Option<&str>,
        ended_at: Option<&str>,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        ensure_editable(&mut tx, session).await?;
        let done = sqlx::query("UPDATE sessions SET started_at = $1, ended_at = $2 WHERE id = $3")
            .bind(started_at.map(str::to_owned))
            .bind(ended_at.map(str::to_owned))
            .bind(session.get())
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        let detail = format!("{}-{}", started_at.unwrap_or(""), ended_at.unwrap_or(""));
        record(
            &mut tx,
            actor,
            AuditAction::SessionTimes,
            AuditSubject::Session(session),
            &detail,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Records (or corrects) the vote on an item. When the item approves an earlier acta and
    /// the vote passed, `approves` is that acta as frozen, stored in the same transaction; an
    /// amendment the item puts to the vote is decided in it too.
    pub async fn record_vote(
        &self,
        actor: &Actor,
        item: AgendaItemId,
        result: VoteResult,
        reported_by: Option<MembershipId>,
        approves: Option<&FrozenMinutes>,
    ) -> Result<(), StoreError> {
        self.record_vote_by_person(actor, item, result, reported_by, approves, &[])
            .await
    }

    /// As [`Store::record_vote`], keeping how each member voted (replacing earlier ballots).
    pub async fn record_vote_by_person(
        &self,
        actor: &Actor,
        item: AgendaItemId,
        result: VoteResult,
        reported_by: Option<MembershipId>,
        approves: Option<&FrozenMinutes>,
        ballots: &[Ballot],
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        let session = item_session(&mut tx, item).await?;
        ensure_editable(&mut tx, session).await?;
        sqlx::query("DELETE FROM vote_ballots WHERE agenda_item_id = $1")
            .bind(item.get())
            .execute(&mut *tx)
            .await?;
        for ballot in ballots {
            sqlx::query(
                "INSERT INTO vote_ballots (agenda_item_id, membership_id, choice) VALUES ($1, $2, $3)",
            )
            .bind(item.get())
            .bind(ballot.membership.get())
            .bind(ballot.choice.key())
            .execute(&mut *tx)
            .await?;
        }
        if let Some(frozen) = approves.filter(|_| result.outcome.passed()) {
            approve(&mut tx, item, frozen).await?;
        }
        let (held_on,): (String,) = sqlx::query_as("SELECT held_on FROM sessions WHERE id = $1")
            .bind(session.get())
            .fetch_one(&mut *tx)
            .await?;
        decide_amendment(&mut tx, item, result.outcome.passed(), from_iso(&held_on)?).await?;
        sqlx::query(
            "INSERT INTO votes (agenda_item_id, in_favour, against, abstentions, outcome, reported_by_membership_id) \
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (agenda_item_id) DO UPDATE SET in_favour = excluded.in_favour, \
             against = excluded.against, abstentions = excluded.abstentions, outcome = excluded.outcome, \
             reported_by_membership_id = excluded.reported_by_membership_id",
        )
        .bind(item.get())
        .bind(result.count.map(|c| c.in_favour))
        .bind(result.count.map(|c| c.against))
        .bind(result.count.map(|c| c.abstentions))
        .bind(result.outcome.key())
        .bind(reported_by.map(MembershipId::get))
        .execute(&mut *tx)
        .await?;
        let detail = match result.count {
            Some(c) => format!(
                "{}/{}/{} {}",
                c.in_favour,
                c.against,
                c.abstentions,
                result.outcome.key()
            ),
            None => result.outcome.key().to_owned(),
        };
        record(
            &mut tx,
            actor,
            AuditAction::SessionVote,
            AuditSubject::AgendaItem(item),
            &detail,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn record_motion(
        &self,
        actor: &Actor,
        item: AgendaItemId,
        motion: &NewMotion,
    ) -> Result<MotionId, StoreError> {
        let mut tx = self.begin_write().await?;
        let session = item_session(&mut tx, item).await?;
        ensure_editable(&mut tx, session).await?;
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO motions (agenda_item_id, proposer_membership_id, text, outcome) VALUES ($1, $2, $3, $4) RETURNING id",
        )
        .bind(item.get())
        .bind(motion.proposer.map(MembershipId::get))
        .bind(&motion.text)
        .bind(motion.outcome.key())
        .fetch_one(&mut *tx)
        .await?;
        record(
            &mut tx,
            actor,
            AuditAction::SessionMotion,
            AuditSubject::AgendaItem(item),
            motion.outcome.key(),
        )
        .await?;
        tx.commit().await?;
        Ok(MotionId::new(id))
    }

    /// Sessions, newest first; of one body when given.
    pub async fn sessions(&self, body: Option<BodyId>) -> Result<Vec<Session>, StoreError> {
        let order = "ORDER BY held_on DESC, id DESC";
        let rows = match body {
            Some(body) => {
                let sql =
                    format!("SELECT {SESSION_COLUMNS} FROM sessions WHERE body_id = $1 {order}");
                sqlx::query(&sql)
                    .bind(body.get())
                    .fetch_all(&self.pool)
                    .await?
            }
            None => {
                let sql = format!("SELECT {SESSION_COLUMNS} FROM sessions {order}");
                sqlx::query(&sql).fetch_all(&self.pool).await?
            }
        };
        rows.iter().map(session_from_row).collect()
    }

    pub async fn session(&self, id: SessionId) -> Result<Session, StoreError> {
        let sql = format!("SELECT {SESSION_COLUMNS} FROM sessions WHERE id = $1");
        let row = sqlx::query(&sql)
            .bind(id.get())
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref()
            .map(session_from_row)
            .transpose()?
            .ok_or(StoreError::NotFound)
    }

    /// Every agenda item of every session, by session and position (for feeds that list them
    /// all without a query per session).
    pub async fn all_agenda_items(&self) -> Result<Vec<AgendaItem>, StoreError> {
        let sql =
            format!("SELECT {ITEM_COLUMNS} FROM agenda_items i ORDER BY i.session_id, i.position");
        sqlx::query(&sql)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(item_from_row)
            .collect()
    }

    /// A session with its agenda, attendance, votes and motions.
    pub async fn session_record(&self, id: SessionId) -> Result<SessionRecord, StoreError> {
        let session = self.session(id).await?;
        let sql = format!(
            "SELECT {ITEM_COLUMNS} FROM agenda_items i WHERE i.session_id = $1 ORDER BY i.position"
        );
        let agenda = sqlx::query(&sql)
            .bind(id.get())
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(item_from_row)
            .collect::<Result<Vec<_>, _>>()?;
        let attendance = sqlx::query(
            "SELECT membership_id, written_name FROM attendance WHERE session_id = $1 ORDER BY position",
        )
        .bind(id.get())
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|row| {
            Ok(Attendance {
                membership: MembershipId::new(row.try_get("membership_id")?),
                written_name: row.try_get("written_name")?,
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
        let votes = sqlx::query(
            "SELECT v.agenda_item_id, v.in_favour, v.against, v.abstentions, v.outcome, v.reported_by_membership_id \
             FROM votes v JOIN agenda_items i ON i.id = v.agenda_item_id WHERE i.session_id = $1 ORDER BY i.position",
        )
        .bind(id.get())
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(vote_from_row)
        .collect::<Result<Vec<_>, _>>()?;
        let motions = sqlx::query(
            "SELECT m.id, m.agenda_item_id, m.proposer_membership_id, m.text, m.outcome \
             FROM motions m JOIN agenda_items i ON i.id = m.agenda_item_id WHERE i.session_id = $1 ORDER BY i.position, m.id",
        )
        .bind(id.get())
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|row| {
            Ok(Motion {
                id: MotionId::new(row.try_get("id")?),
                item: AgendaItemId::new(row.try_get("agenda_item_id")?),
                proposer: row.try_get::<Option<i64>, _>("proposer_membership_id")?.map(MembershipId::new),
                text: row.try_get("text")?,
                outcome: MotionOutcome::parse(row.try_get::<String, _>("outcome")?.as_str())?,
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
        let ballots = sqlx::query(
            "SELECT b.agenda_item_id, b.membership_id, b.choice FROM vote_ballots b \
             JOIN agenda_items i ON i.id = b.agenda_item_id WHERE i.session_id = $1 \
             ORDER BY i.position, b.membership_id",
        )
        .bind(id.get())
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|row| {
            Ok((
                AgendaItemId::new(row.try_get("agenda_item_id")?),
                Ballot {
                    membership: MembershipId::new(row.try_get("membership_id")?),
                    choice: BallotChoice::parse(row.try_get::<String, _>("choice")?.as_str())?,
                },
            ))
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
        Ok(SessionRecord {
            session,
            agenda,
            attendance,
            votes,
            ballots,
            motions,
        })
    }

    /// The agenda items of other sessions that put this session's acta to the vote, with the
    /// session they belong to and their vote, earliest first.
    pub async fn minutes_approvals(
        &self,
        of: SessionId,
    ) -> Result<Vec<(Session, AgendaItem, Option<Vote>)>, StoreError> {
        let sql = format!(
            "SELECT s.id, s.body_id, s.kind, s.number, s.held_on, s.scheduled_time, s.place, s.legal_basis, \
             s.started_at, s.ended_at, s.name, {ITEM_COLUMNS}, \
             v.agenda_item_id, v.in_favour, v.against, v.abstentions, v.outcome, v.reported_by_membership_id \
             FROM agenda_items i JOIN sessions s ON s.id = i.session_id \
             LEFT JOIN votes v ON v.agenda_item_id = i.id \
             WHERE i.minutes_of_session_id = $1 ORDER BY s.held_on, s.id"
        );
        let rows = sqlx::query(&sql)
            .bind(of.get())
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|row| {
                let item = item_from_row(row)?;
                let vote = match row.try_get::<Option<i64>, _>("agenda_item_id")? {
                    Some(_) => Some(vote_from_row(row)?),
                    None => None,
                };
                Ok((session_from_row(row)?, item, vote))
            })
            .collect()
    }
}

/// The session an agenda item belongs to.
pub(crate) async fn item_session(
    conn: &mut sqlx::AnyConnection,
    item: AgendaItemId,
) -> Result<SessionId, StoreError> {
    let (id,): (i64,) = sqlx::query_as("SELECT session_id FROM agenda_items WHERE id = $1")
        .bind(item.get())
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(StoreError::NotFound)?;
    Ok(SessionId::new(id))
}

/// A session as `sessions` holds it, read by column name.
#[derive(FromRow)]
struct SessionRow {
    id: i64,
    body_id: i64,
    kind: String,
    number: i64,
    held_on: String,
    scheduled_time: String,
    place: String,
    legal_basis: String,
    started_at: Option<String>,
    ended_at: Option<String>,
    name: String,
}

fn session_from_row(row: &AnyRow) -> Result<Session, StoreError> {
    let row = SessionRow::from_row(row)?;
    Ok(Session {
        id: SessionId::new(row.id),
        body: BodyId::new(row.body_id),
        kind: SessionKind::parse(&row.kind)?,
        number: row.number,
        held_on: from_iso(&row.held_on)?,
        scheduled_time: row.scheduled_time,
        place: row.place,
        legal_basis: row.legal_basis,
        started_at: row.started_at,
        ended_at: row.ended_at,
        name: row.name,
    })
}

/// An agenda item as the item queries select it (`item_id`, `item_kind` beside the session's
/// own columns).
#[derive(FromRow)]
struct AgendaItemRow {
    item_id: i64,
    session_id: i64,
    position: i64,
    item_kind: String,
    title: String,
    presenter_membership_id: Option<i64>,
    narrative: String,
    annex_note: String,
    minutes_of_session_id: Option<i64>,
}

fn item_from_row(row: &AnyRow) -> Result<AgendaItem, StoreError> {
    let row = AgendaItemRow::from_row(row)?;
    Ok(AgendaItem {
        id: AgendaItemId::new(row.item_id),
        session: SessionId::new(row.session_id),
        position: row.position,
        kind: AgendaItemKind::parse(&row.item_kind)?,
        title: row.title,
        presenter: row.presenter_membership_id.map(MembershipId::new),
        narrative: row.narrative,
        annex_note: row.annex_note,
        minutes_of: row.minutes_of_session_id.map(SessionId::new),
    })
}

fn vote_from_row(row: &AnyRow) -> Result<Vote, StoreError> {
    let count = match row.try_get::<Option<i64>, _>("in_favour")? {
        Some(in_favour) => Some(VoteCount::new(
            in_favour,
            row.try_get::<Option<i64>, _>("against")?
                .unwrap_or_default(),
            row.try_get::<Option<i64>, _>("abstentions")?
                .unwrap_or_default(),
        )?),
        None => None,
    };
    Ok(Vote {
        item: AgendaItemId::new(row.try_get("agenda_item_id")?),
        result: VoteResult {
            count,
            outcome: VoteOutcome::parse(row.try_get::<String, _>("outcome")?.as_str())?,
        },
        reported_by: row
            .try_get::<Option<i64>, _>("reported_by_membership_id")?
            .map(MembershipId::new),
    })
}
