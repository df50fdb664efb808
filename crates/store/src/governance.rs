//! Bodies, people and memberships: who sits in which órgano colegiado, and since when.

use abierto_domain::governance::{
    Body, BodyKind, Gender, Membership, MembershipKind, Period, Person, SpecialRole, Tenure,
};
use abierto_domain::ids::{BodyId, MembershipId, PersonId};
use sqlx::any::AnyRow;
use sqlx::FromRow;
use sqlx::{AnyConnection, Row};

use crate::audit::{record, Actor, AuditAction};
use crate::audit_subject::AuditSubject;
use crate::rows::{from_iso, to_iso};
use crate::{Store, StoreError};

#[derive(Debug, Clone)]
pub struct NewBody {
    pub name: String,
    pub short_name: String,
    pub kind: BodyKind,
    pub period: Period,
}

#[derive(Debug, Clone)]
pub struct NewPerson {
    pub honorific: String,
    pub full_name: String,
    pub gender: Gender,
}

#[derive(Debug, Clone)]
pub struct NewMembership {
    pub body: BodyId,
    pub person: PersonId,
    pub kind: MembershipKind,
    pub cargo: String,
    pub special_role: Option<SpecialRole>,
    pub substitute_for: Option<MembershipId>,
    pub tenure: Tenure,
    pub grounds: String,
    pub has_vote: bool,
}

impl Store {
    /// Creates a body; a taken name is `Conflict { field: "name" }`.
    pub async fn create_body(&self, actor: &Actor, new: &NewBody) -> Result<BodyId, StoreError> {
        let mut tx = self.begin_write().await?;
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO bodies (name, short_name, kind, period_start, period_end) \
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(&new.name)
        .bind(&new.short_name)
        .bind(new.kind.key())
        .bind(to_iso(new.period.start))
        .bind(to_iso(new.period.end))
        .fetch_one(&mut *tx)
        .await?;
        record(
            &mut tx,
            actor,
            AuditAction::BodyCreate,
            AuditSubject::Body(BodyId::new(id)),
            &new.name,
        )
        .await?;
        tx.commit().await?;
        Ok(BodyId::new(id))
    }

    /// Every body, the most recent period first.
    pub async fn bodies(&self) -> Result<Vec<Body>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, name, short_name, kind, period_start, period_end FROM bodies \
             ORDER BY period_start DESC, name",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(body_from_row).collect()
    }

    pub async fn body(&self, id: BodyId) -> Result<Body, StoreError> {
        let row = sqlx::query(
            "SELECT id, name, short_name, kind, period_start, period_end FROM bodies WHERE id = $1",
        )
        .bind(id.get())
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref()
            .map(body_from_row)
            .transpose()?
            .ok_or(StoreError::NotFound)
    }

    /// How many memberships each body has (bodies without any are absent).
    pub async fn member_counts(&self) -> Result<Vec<(BodyId, i64)>, StoreError> {
        let rows: Vec<(i64, i64)> =
            sqlx::query_as("SELECT body_id, COUNT(*) FROM memberships GROUP BY body_id")
                .fetch_all(&self.pool)
                .await?;
        Ok(rows
            .into_iter()
            .map(|(body, count)| (BodyId::new(body), count))
            .collect())
    }

    pub async fn create_person(
        &self,
        actor: &Actor,
        new: &NewPerson,
    ) -> Result<PersonId, StoreError> {
        let mut tx = self.begin_write().await?;
        let id = insert_person(&mut tx, new).await?;
        record(
            &mut tx,
            actor,
            AuditAction::PersonCreate,
            AuditSubject::Person(PersonId::new(id)),
            &new.full_name,
        )
        .await?;
        tx.commit().await?;
        Ok(PersonId::new(id))
    }

    pub async fn people(&self) -> Result<Vec<Person>, StoreError> {
        let rows =
            sqlx::query("SELECT id, honorific, full_name, gender FROM people ORDER BY full_name")
                .fetch_all(&self.pool)
                .await?;
        rows.iter().map(person_from_row).collect()
    }

    /// Seats a person in a body. A missing body, person or titular is `MissingReference`.
    pub async fn create_membership(
        &self,
        actor: &Actor,
        new: &NewMembership,
    ) -> Result<MembershipId, StoreError> {
        let mut tx = self.begin_write().await?;
        let id = insert_membership(&mut tx, new, new.person).await?;
        let detail = format!("body:{} person:{}", new.body, new.person);
        record(
            &mut tx,
            actor,
            AuditAction::MembershipCreate,
            AuditSubject::Membership(MembershipId::new(id)),
            &detail,
        )
        .await?;
        tx.commit().await?;
        Ok(MembershipId::new(id))
    }

    /// A body's memberships with their people, titulars before their substitutes.
    pub async fn memberships_of(
        &self,
        body: BodyId,
    ) -> Result<Vec<(Membership, Person)>, StoreError> {
        let rows = sqlx::query(
            "SELECT m.id, m.body_id, m.person_id, m.kind, m.cargo, m.special_role, m.substitute_for, \
             m.starts_on, m.ends_on, m.grounds, m.has_vote, p.honorific, p.full_name, p.gender \
             FROM memberships m JOIN people p ON p.id = m.person_id \
             WHERE m.body_id = $1 ORDER BY m.kind, m.substitute_for IS NOT NULL, m.id",
        )
        .bind(body.get())
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                let person = Person {
                    id: PersonId::new(row.try_get("person_id")?),
                    honorific: row.try_get("honorific")?,
                    full_name: row.try_get("full_name")?,
                    gender: Gender::parse(row.try_get::<String, _>("gender")?.as_str())?,
                };
                Ok((membership_from_row(row)?, person))
            })
            .collect()
    }
}

impl Store {
    /// Registers a person and seats them in one transaction: both or neither. The
    /// membership's `person` is replaced by the new person's id.
    pub async fn seat_new_person(
        &self,
        actor: &Actor,
        person: &NewPerson,
        membership: &NewMembership,
    ) -> Result<(PersonId, MembershipId), StoreError> {
        let mut tx = self.begin_write().await?;
        let person_id = insert_person(&mut tx, person).await?;
        let id = insert_membership(&mut tx, membership, PersonId::new(person_id)).await?;
        let detail = format!(
            "body:{} person:{person_id} {}",
            membership.body, person.full_name
        );
        record(
            &mut tx,
            actor,
            AuditAction::MembershipCreate,
            AuditSubject::Membership(MembershipId::new(id)),
            &detail,
        )
        .await?;
        tx.commit().await?;
        Ok((PersonId::new(person_id), MembershipId::new(id)))
    }

    /// Every seat a person holds or held, in any body.
    pub async fn memberships_of_person(
        &self,
        person: PersonId,
    ) -> Result<Vec<Membership>, StoreError> {
        let rows = sqlx::query(
            "SELECT m.id, m.body_id, m.person_id, m.kind, m.cargo, m.special_role, m.substitute_for, \
             m.starts_on, m.ends_on, m.grounds, m.has_vote FROM memberships m WHERE m.person_id = $1 ORDER BY m.starts_on",
        )
        .bind(person.get())
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(membership_from_row).collect()
    }

    pub async fn person(&self, id: PersonId) -> Result<Person, StoreError> {
        let row = sqlx::query("SELECT id, honorific, full_name, gender FROM people WHERE id = $1")
            .bind(id.get())
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound)?;
        person_from_row(&row)
    }
}

pub(crate) async fn insert_person(
    conn: &mut AnyConnection,
    new: &NewPerson,
) -> Result<i64, StoreError> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO people (honorific, full_name, gender) VALUES ($1, $2, $3) RETURNING id",
    )
    .bind(&new.honorific)
    .bind(&new.full_name)
    .bind(new.gender.key())
    .fetch_one(&mut *conn)
    .await?;
    Ok(id)
}

/// Inserts `new` for `person` (which differs from `new.person` when just registered).
pub(crate) async fn insert_membership(
    conn: &mut AnyConnection,
    new: &NewMembership,
    person: PersonId,
) -> Result<i64, StoreError> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO memberships (body_id, person_id, kind, cargo, special_role, substitute_for, \
         starts_on, ends_on, grounds, has_vote) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
    )
    .bind(new.body.get())
    .bind(person.get())
    .bind(new.kind.key())
    .bind(&new.cargo)
    .bind(new.special_role.map(SpecialRole::key))
    .bind(new.substitute_for.map(MembershipId::get))
    .bind(to_iso(new.tenure.starts_on))
    .bind(new.tenure.ends_on.map(to_iso))
    .bind(&new.grounds)
    .bind(i64::from(new.has_vote))
    .fetch_one(&mut *conn)
    .await?;
    Ok(id)
}

#[derive(FromRow)]
struct BodyRow {
    id: i64,
    name: String,
    short_name: String,
    kind: String,
    period_start: String,
    period_end: String,
}

fn body_from_row(row: &AnyRow) -> Result<Body, StoreError> {
    let row = BodyRow::from_row(row)?;
    Ok(Body {
        id: BodyId::new(row.id),
        name: row.name,
        short_name: row.short_name,
        kind: BodyKind::parse(&row.kind)?,
        period: Period::new(from_iso(&row.period_start)?, from_iso(&row.period_end)?)?,
    })
}

#[derive(FromRow)]
struct PersonRow {
    id: i64,
    honorific: String,
    full_name: String,
    gender: String,
}

fn person_from_row(row: &AnyRow) -> Result<Person, StoreError> {
    let row = PersonRow::from_row(row)?;
    Ok(Person {
        id: PersonId::new(row.id),
        honorific: row.honorific,
        full_name: row.full_name,
        gender: Gender::parse(&row.gender)?,
    })
}

#[derive(FromRow)]
struct MembershipRow {
    id: i64,
    body_id: i64,
    person_id: i64,
    kind: String,
    cargo: String,
    special_role: Option<String>,
    substitute_for: Option<i64>,
    starts_on: String,
    ends_on: Option<String>,
    grounds: String,
    /// 0 or 1: both databases store the flag as an integer.
    has_vote: i64,
}

fn membership_from_row(row: &AnyRow) -> Result<Membership, StoreError> {
    let row = MembershipRow::from_row(row)?;
    Ok(Membership {
        id: MembershipId::new(row.id),
        body: BodyId::new(row.body_id),
        person: PersonId::new(row.person_id),
        kind: MembershipKind::parse(&row.kind)?,
        cargo: row.cargo,
        special_role: row
            .special_role
            .as_deref()
            .map(SpecialRole::parse)
            .transpose()?,
        substitute_for: row.substitute_for.map(MembershipId::new),
        tenure: Tenure::new(
            from_iso(&row.starts_on)?,
            row.ends_on.as_deref().map(from_iso).transpose()?,
        )?,
        grounds: row.grounds,
        has_vote: row.has_vote != 0,
    })
}
