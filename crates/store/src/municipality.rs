//! The one municipality an installation serves.

use abierto_domain::branding::Colour;
use abierto_domain::local_time::parse_zone;
use abierto_domain::municipality::Municipality;
use sqlx::Row;

use crate::audit::{record, Actor, AuditAction};
use crate::audit_subject::AuditSubject;
use crate::{Store, StoreError};

impl Store {
    pub async fn municipality(&self) -> Result<Option<Municipality>, StoreError> {
        let row = sqlx::query(
            "SELECT name, state, official_name, time_zone, primary_colour, accent_colour FROM municipality WHERE id = 1",
        )
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else { return Ok(None) };
        Ok(Some(Municipality {
            name: row.try_get("name")?,
            state: row.try_get("state")?,
            official_name: row.try_get("official_name")?,
            time_zone: parse_zone(row.try_get::<String, _>("time_zone")?.as_str())?,
            primary_colour: Colour::parse(row.try_get::<String, _>("primary_colour")?.as_str())?,
            accent_colour: Colour::parse(row.try_get::<String, _>("accent_colour")?.as_str())?,
        }))
    }

    /// Creates or replaces the municipality's record.
    pub async fn save_municipality(
        &self,
        actor: &Actor,
        m: &Municipality,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO municipality (id, name, state, official_name, time_zone, primary_colour, accent_colour) \
             VALUES (1, $1, $2, $3, $4, $5, $6) \
             ON CONFLICT (id) DO UPDATE SET name = excluded.name, state = excluded.state, \
             official_name = excluded.official_name, time_zone = excluded.time_zone, \
             primary_colour = excluded.primary_colour, accent_colour = excluded.accent_colour",
        )
        .bind(&m.name)
        .bind(&m.state)
        .bind(&m.official_name)
        .bind(m.time_zone.name())
        .bind(m.primary_colour.to_hex())
        .bind(m.accent_colour.to_hex())
        .execute(&mut *tx)
        .await?;
        record(
            &mut tx,
            actor,
            AuditAction::MunicipalitySave,
            AuditSubject::Municipality,
            &m.official_name,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}
