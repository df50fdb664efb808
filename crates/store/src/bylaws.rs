//! The bylaws: article versions, and amendments that become versions when the vote on their
//! agenda item passes (inside that vote's transaction).

use abierto_domain::bylaws::{
    in_force_from, Amendment, AmendmentStatus, ArticleChange, ArticleVersion,
};
use abierto_domain::ids::{AgendaItemId, AmendmentId, BodyId};
use chrono::NaiveDate;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use crate::audit::{record, Actor, AuditAction};
use crate::audit_subject::AuditSubject;
use crate::rows::{from_iso, to_iso};
use crate::{Store, StoreError};

#[derive(Debug, Clone)]
pub struct NewAmendment {
    pub body: BodyId,
    pub title: String,
    /// The session's agenda item (a proposal) whose vote decides it.
    pub item: Option<AgendaItemId>,
    pub changes: Vec<ArticleChange>,
}

impl Store {
    /// Records an article's text as adopted (not through an amendment), e.g. the bylaws as
    /// first approved.
    pub async fn adopt_article(
        &self,
        actor: &Actor,
        body: BodyId,
        article: i64,
        text: &str,
        in_force_from: NaiveDate,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO article_versions (body_id, article, text, in_force_from) VALUES ($1, $2, $3, $4)",
        )
        .bind(body.get())
        .bind(article)
        .bind(text)
        .bind(to_iso(in_force_from))
        .execute(&mut *tx)
        .await?;
        let subject = AuditSubject::Body(body);
        let detail = format!("artículo {article} desde {}", to_iso(in_force_from));
        record(&mut tx, actor, AuditAction::BylawsAdopt, subject, &detail).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Every version of every article of the body, by article and date.
    pub async fn article_versions(&self, body: BodyId) -> Result<Vec<ArticleVersion>, StoreError> {
        sqlx::query(
            "SELECT article, text, in_force_from, amendment_id FROM article_versions \
             WHERE body_id = $1 ORDER BY article, in_force_from",
        )
        .bind(body.get())
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|row| {
            Ok(ArticleVersion {
                article: row.try_get("article")?,
                text: row.try_get("text")?,
                in_force_from: from_iso(row.try_get::<String, _>("in_force_from")?.as_str())?,
                amendment: row
                    .try_get::<Option<i64>, _>("amendment_id")?
                    .map(AmendmentId::new),
            })
        })
        .collect()
    }

    /// Proposes an amendment; an item may decide only one.
    pub async fn propose_amendment(
        &self,
        actor: &Actor,
        new: &NewAmendment,
    ) -> Result<AmendmentId, StoreError> {
        let mut tx = self.begin_write().await?;
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO amendments (body_id, title, agenda_item_id, status) VALUES ($1, $2, $3, 'proposed') RETURNING id",
        )
        .bind(new.body.get())
        .bind(&new.title)
        .bind(new.item.map(AgendaItemId::get))
        .fetch_one(&mut *tx)
        .await?;
        for change in &new.changes {
            sqlx::query(
                "INSERT INTO amendment_changes (amendment_id, article, text) VALUES ($1, $2, $3)",
            )
            .bind(id)
            .bind(change.article)
            .bind(&change.text)
            .execute(&mut *tx)
            .await?;
        }
        let articles: Vec<String> = new.changes.iter().map(|c| c.article.to_string()).collect();
        let detail = format!("artículos {}", articles.join(", "));
        record(
            &mut tx,
            actor,
            AuditAction::BylawsPropose,
            AuditSubject::Amendment(AmendmentId::new(id)),
            &detail,
        )
        .await?;
        tx.commit().await?;
        Ok(AmendmentId::new(id))
    }

    /// The body's amendments, newest first, with their changes.
    pub async fn amendments(&self, body: BodyId) -> Result<Vec<Amendment>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, body_id, title, agenda_item_id, status, approved_on, in_force_from FROM amendments \
             WHERE body_id = $1 ORDER BY id DESC",
        )
        .bind(body.get())
        .fetch_all(&self.pool)
        .await?;
        let mut amendments = Vec::with_capacity(rows.len());
        for row in &rows {
            amendments.push(self.with_changes(row).await?);
        }
        Ok(amendments)
    }

    pub async fn amendment(&self, id: AmendmentId) -> Result<Amendment, StoreError> {
        let row = sqlx::query(
            "SELECT id, body_id, title, agenda_item_id, status, approved_on, in_force_from FROM amendments WHERE id = $1",
        )
        .bind(id.get())
        .fetch_optional(&self.pool)
        .await?
        .ok_or(StoreError::NotFound)?;
        self.with_changes(&row).await
    }

    async fn with_changes(&self, row: &AnyRow) -> Result<Amendment, StoreError> {
        let id: i64 = row.try_get("id")?;
        let changes = sqlx::query(
            "SELECT article, text FROM amendment_changes WHERE amendment_id = $1 ORDER BY article",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|c| {
            Ok(ArticleChange {
                article: c.try_get("article")?,
                text: c.try_get("text")?,
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
        let date = |column: &str| -> Result<Option<NaiveDate>, StoreError> {
            row.try_get::<Option<String>, _>(column)?
                .as_deref()
                .map(from_iso)
                .transpose()
        };
        Ok(Amendment {
            id: AmendmentId::new(id),
            body: BodyId::new(row.try_get("body_id")?),
            title: row.try_get("title")?,
            item: row
                .try_get::<Option<i64>, _>("agenda_item_id")?
                .map(AgendaItemId::new),
            status: AmendmentStatus::parse(row.try_get::<String, _>("status")?.as_str())?,
            approved_on: date("approved_on")?,
            in_force_from: date("in_force_from")?,
            changes,
        })
    }
}

/// Decides the amendment an item puts to the vote, in the vote's transaction: approved (its
/// texts in force from the next day) when the vote passed, rejected otherwise. An amendment
/// already decided is left as it is.
pub(crate) async fn decide_amendment(
    conn: &mut AnyConnection,
    item: AgendaItemId,
    passed: bool,
    held_on: NaiveDate,
) -> Result<(), StoreError> {
    let row: Option<(i64, i64)> = sqlx::query_as(
        "SELECT id, body_id FROM amendments WHERE agenda_item_id = $1 AND status = 'proposed'",
    )
    .bind(item.get())
    .fetch_optional(&mut *conn)
    .await?;
    let Some((id, body)) = row else {
        return Ok(());
    };
    if !passed {
        sqlx::query("UPDATE amendments SET status = 'rejected' WHERE id = $1")
            .bind(id)
            .execute(&mut *conn)
            .await?;
        return Ok(());
    }
    let from = in_force_from(held_on);
    sqlx::query(
        "UPDATE amendments SET status = 'approved', approved_on = $1, in_force_from = $2 WHERE id = $3",
    )
    .bind(to_iso(held_on))
    .bind(to_iso(from))
    .bind(id)
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "INSERT INTO article_versions (body_id, article, text, in_force_from, amendment_id) \
         SELECT $1, article, text, $2, amendment_id FROM amendment_changes WHERE amendment_id = $3",
    )
    .bind(body)
    .bind(to_iso(from))
    .bind(id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}
