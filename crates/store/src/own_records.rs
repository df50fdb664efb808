//! The publication of the platform's own records as open datasets: which publisher they appear
//! under, the contact they name, and the data officer who authorised it. The datasets
//! themselves are ordinary catalog datasets marked with the records they come from.

use abierto_domain::account::Email;
use abierto_domain::ids::{PublisherId, UserId};
use abierto_domain::ErrorCode;
use abierto_domain::ValidationError;
use chrono::{DateTime, Utc};
use sqlx::Row;

use crate::audit::{record, Actor, AuditAction};
use crate::audit_subject::AuditSubject;
use crate::rows::{from_unix, to_unix};
use crate::{Store, StoreError};

/// Under which publisher the platform's records are published, and on whose authority.
#[derive(Debug, Clone, PartialEq)]
pub struct OwnRecordsPublication {
    pub publisher: PublisherId,
    /// The publisher's unit name.
    pub publisher_name: String,
    pub contact_name: String,
    pub contact_email: String,
    /// The data officer whose authority the platform's versions carry.
    pub authorised_by: UserId,
    pub authorised_at: DateTime<Utc>,
}

impl Store {
    /// The designation, if a data officer has made one.
    pub async fn own_records_publication(
        &self,
    ) -> Result<Option<OwnRecordsPublication>, StoreError> {
        let row = sqlx::query(
            "SELECT o.publisher_id, u.name AS publisher_name, o.contact_name, o.contact_email, \
             o.authorised_by, o.authorised_at FROM own_records_publication o \
             JOIN publishers p ON p.id = o.publisher_id JOIN units u ON u.id = p.unit_id \
             WHERE o.id = 1",
        )
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else { return Ok(None) };
        Ok(Some(OwnRecordsPublication {
            publisher: PublisherId::new(row.try_get("publisher_id")?),
            publisher_name: row.try_get("publisher_name")?,
            contact_name: row.try_get("contact_name")?,
            contact_email: row.try_get("contact_email")?,
            authorised_by: UserId::new(row.try_get("authorised_by")?),
            authorised_at: from_unix(row.try_get("authorised_at")?)?,
        }))
    }

    /// Designates (or changes) the publisher of the platform's records; the datasets already
    /// generated move to it. A blank contact name or a malformed mailbox is refused.
    pub async fn designate_own_records(
        &self,
        actor: &Actor,
        publisher: PublisherId,
        contact_name: &str,
        contact_email: &str,
        authorised_by: UserId,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let contact_name = contact_name.trim();
        if contact_name.is_empty() || contact_name.chars().count() > 200 {
            return Err(StoreError::Refused(ValidationError::new(
                "contact_name",
                ErrorCode::InvalidContact,
            )));
        }
        let contact_email = Email::parse(contact_email).map_err(|_| {
            StoreError::Refused(ValidationError::new(
                "contact_email",
                ErrorCode::InvalidEmail,
            ))
        })?;
        let mut tx = self.begin_write().await?;
        let known: Option<(i64,)> = sqlx::query_as("SELECT id FROM publishers WHERE id = $1")
            .bind(publisher.get())
            .fetch_optional(&mut *tx)
            .await?;
        if known.is_none() {
            return Err(StoreError::Refused(ValidationError::new(
                "publisher",
                ErrorCode::UnknownPublisher,
            )));
        }
        sqlx::query(
            "INSERT INTO own_records_publication (id, publisher_id, contact_name, contact_email, \
             authorised_by, authorised_at) VALUES (1, $1, $2, $3, $4, $5) \
             ON CONFLICT (id) DO UPDATE SET publisher_id = excluded.publisher_id, \
             contact_name = excluded.contact_name, contact_email = excluded.contact_email, \
             authorised_by = excluded.authorised_by, authorised_at = excluded.authorised_at",
        )
        .bind(publisher.get())
        .bind(contact_name)
        .bind(contact_email.as_str())
        .bind(authorised_by.get())
        .bind(to_unix(at))
        .execute(&mut *tx)
        .await?;
        sqlx::query("UPDATE datasets SET publisher_id = $1 WHERE generated_from IS NOT NULL")
            .bind(publisher.get())
            .execute(&mut *tx)
            .await?;
        record(
            &mut tx,
            actor,
            AuditAction::OwnRecordsDesignate,
            AuditSubject::Publisher(publisher),
            contact_email.as_str(),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}
