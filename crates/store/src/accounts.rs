//! Accounts and the units a reporting-unit account may act for.

use abierto_domain::account::{DisplayName, Email, Role, User};
use abierto_domain::ids::{PersonId, UnitId, UserId};
use abierto_domain::municipality::Unit;
use chrono::Utc;
use sqlx::any::AnyRow;
use sqlx::FromRow;
use sqlx::Row;

use crate::audit::{record, Actor, AuditAction};
use crate::audit_subject::AuditSubject;
use crate::rows::to_unix;
use crate::{Store, StoreError};

/// What it takes to create an account. The password arrives already hashed.
#[derive(Debug, Clone)]
pub struct NewUser {
    pub email: Email,
    pub name: DisplayName,
    pub role: Role,
    pub password_hash: String,
    pub person: Option<PersonId>,
    pub units: Vec<UnitId>,
}

pub(crate) const USER_COLUMNS: &str = "u.id, u.email, u.display_name, u.role, u.person_id";

/// An account as [`USER_COLUMNS`] select it.
#[derive(FromRow)]
struct UserRow {
    id: i64,
    email: String,
    display_name: String,
    role: String,
    person_id: Option<i64>,
}

pub(crate) fn user_from_row(row: &AnyRow) -> Result<User, StoreError> {
    let row = UserRow::from_row(row)?;
    Ok(User {
        id: UserId::new(row.id),
        email: Email::parse(&row.email)?,
        name: DisplayName::parse(&row.display_name)?,
        role: Role::parse(&row.role)?,
        person: row.person_id.map(PersonId::new),
    })
}

impl Store {
    /// Creates an account; a taken e-mail is `Conflict { field: "email" }`.
    pub async fn create_user(&self, actor: &Actor, new: &NewUser) -> Result<UserId, StoreError> {
        let mut tx = self.begin_write().await?;
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO users (email, display_name, role, password_hash, person_id, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(new.email.as_str())
        .bind(new.name.as_str())
        .bind(new.role.key())
        .bind(&new.password_hash)
        .bind(new.person.map(PersonId::get))
        .bind(to_unix(Utc::now()))
        .fetch_one(&mut *tx)
        .await?;
        for unit in &new.units {
            sqlx::query("INSERT INTO user_units (user_id, unit_id) VALUES ($1, $2)")
                .bind(id)
                .bind(unit.get())
                .execute(&mut *tx)
                .await?;
        }
        let detail = format!("email={} role={}", new.email.as_str(), new.role.key());
        record(
            &mut tx,
            actor,
            AuditAction::UserCreate,
            AuditSubject::User(UserId::new(id)),
            &detail,
        )
        .await?;
        tx.commit().await?;
        Ok(UserId::new(id))
    }

    pub async fn user(&self, id: UserId) -> Result<User, StoreError> {
        let sql = format!("SELECT {USER_COLUMNS} FROM users u WHERE u.id = $1");
        let row = sqlx::query(&sql)
            .bind(id.get())
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref()
            .map(user_from_row)
            .transpose()?
            .ok_or(StoreError::NotFound)
    }

    /// The enabled account with this e-mail and its password hash, for signing in.
    pub async fn credentials(&self, email: &Email) -> Result<Option<(User, String)>, StoreError> {
        let sql = format!("SELECT {USER_COLUMNS}, u.password_hash FROM users u WHERE u.email = $1 AND u.disabled_at IS NULL");
        let row = sqlx::query(&sql)
            .bind(email.as_str())
            .fetch_optional(&self.pool)
            .await?;
        match row {
            Some(row) => Ok(Some((user_from_row(&row)?, row.try_get("password_hash")?))),
            None => Ok(None),
        }
    }

    /// Every account, by e-mail.
    pub async fn users(&self) -> Result<Vec<User>, StoreError> {
        let sql = format!("SELECT {USER_COLUMNS} FROM users u ORDER BY u.email");
        let rows = sqlx::query(&sql).fetch_all(&self.pool).await?;
        rows.iter().map(user_from_row).collect()
    }

    /// Whether any account is an administrator's (a new installation has none).
    pub async fn has_administrator(&self) -> Result<bool, StoreError> {
        let row: (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM (SELECT 1 FROM users WHERE role = 'administrator' LIMIT 1) AS a",
        )
        .fetch_one(&self.pool)
        .await?;
        Ok(row.0 > 0)
    }

    /// The e-mail of each person who holds an enabled account, for convocation notices.
    pub async fn person_emails(&self) -> Result<Vec<(PersonId, String)>, StoreError> {
        let rows: Vec<(i64, String)> = sqlx::query_as(
            "SELECT person_id, email FROM users WHERE person_id IS NOT NULL AND disabled_at IS NULL ORDER BY id",
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(person, email)| (PersonId::new(person), email))
            .collect())
    }

    /// The units a (reporting-unit) account may act for.
    pub async fn user_units(&self, user: UserId) -> Result<Vec<Unit>, StoreError> {
        let rows = sqlx::query(
            "SELECT n.id, n.name FROM user_units uu JOIN units n ON n.id = uu.unit_id \
             WHERE uu.user_id = $1 ORDER BY n.name",
        )
        .bind(user.get())
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(unit_from_row).collect()
    }

    /// Creates an administrative unit; a taken name is `Conflict { field: "name" }`.
    pub async fn create_unit(&self, actor: &Actor, name: &str) -> Result<UnitId, StoreError> {
        let mut tx = self.begin_write().await?;
        let (id,): (i64,) = sqlx::query_as("INSERT INTO units (name) VALUES ($1) RETURNING id")
            .bind(name)
            .fetch_one(&mut *tx)
            .await?;
        record(
            &mut tx,
            actor,
            AuditAction::UnitCreate,
            AuditSubject::Unit(UnitId::new(id)),
            name,
        )
        .await?;
        tx.commit().await?;
        Ok(UnitId::new(id))
    }

    pub async fn units(&self) -> Result<Vec<Unit>, StoreError> {
        let rows = sqlx::query("SELECT id, name FROM units ORDER BY name")
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(unit_from_row).collect()
    }
}

fn unit_from_row(row: &AnyRow) -> Result<Unit, StoreError> {
    Ok(Unit {
        id: UnitId::new(row.try_get("id")?),
        name: row.try_get("name")?,
    })
}
