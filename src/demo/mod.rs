//! The demo: León's data from `demo/leon.toml`, loaded into an empty database through the
//! app's record of the past (`abierto_app::past_record`) and, for the open-data files, the
//! portal's own publishing procedure. Every value goes through the domain's rules, so a slip
//! in the file is refused with the entry that carries it instead of being stored.

mod calls;
pub mod open_data;
mod plans;
mod sessions;

use std::collections::HashMap;

use abierto_app::past_record::{
    self,
    governance::{NewBody, NewMembership, NewPerson, NewUser},
};
use abierto_app::{Actor, App};
use abierto_domain::account::{DisplayName, Email, Password, Role};
use abierto_domain::branding::Colour;
use abierto_domain::governance::{BodyKind, Gender, MembershipKind, Period, SpecialRole, Tenure};
use abierto_domain::ids::{BodyId, MembershipId, PersonId, UnitId};
use abierto_domain::municipality::Municipality;
use anyhow::{anyhow, Context};
use chrono::NaiveDate;
use serde::Deserialize;

/// The demo file shipped with abierto.
pub const LEON: &str = include_str!("../../demo/leon.toml");

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DemoData {
    pub municipality: MunicipalityEntry,
    #[serde(default)]
    pub units: Vec<String>,
    #[serde(default)]
    pub bodies: Vec<BodyEntry>,
    #[serde(default)]
    pub people: Vec<PersonEntry>,
    #[serde(default)]
    pub memberships: Vec<MembershipEntry>,
    #[serde(default)]
    pub accounts: Vec<AccountEntry>,
    #[serde(default)]
    pub bylaws: Vec<BylawEntry>,
    #[serde(default)]
    pub sessions: Vec<sessions::SessionEntry>,
    #[serde(default)]
    pub plans: Vec<plans::PlanEntry>,
    #[serde(default)]
    pub programs: plans::ProgramRecords,
    #[serde(default)]
    pub calls: Vec<calls::CallEntry>,
    #[serde(default)]
    pub publishers: Vec<open_data::PublisherEntry>,
    #[serde(default)]
    pub datasets: Vec<open_data::DatasetEntry>,
    pub own_records: Option<open_data::OwnRecordsEntry>,
}

/// An article of a body's bylaws as first adopted.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BylawEntry {
    pub body: String,
    pub article: i64,
    pub in_force_from: String,
    pub text: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MunicipalityEntry {
    pub name: String,
    pub state: String,
    pub official_name: String,
    pub time_zone: String,
    pub primary_colour: String,
    pub accent_colour: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BodyEntry {
    pub key: String,
    pub name: String,
    pub short_name: String,
    pub kind: String,
    pub period_start: String,
    pub period_end: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PersonEntry {
    pub key: String,
    pub honorific: String,
    pub full_name: String,
    pub gender: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MembershipEntry {
    pub key: Option<String>,
    pub body: String,
    pub person: String,
    pub kind: String,
    #[serde(default)]
    pub cargo: String,
    pub special_role: Option<String>,
    pub substitute_for: Option<String>,
    pub starts_on: String,
    pub ends_on: Option<String>,
    #[serde(default)]
    pub grounds: String,
    #[serde(default = "yes")]
    pub has_vote: bool,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccountEntry {
    pub email: String,
    pub name: String,
    pub role: String,
    pub password: String,
    pub person: Option<String>,
    #[serde(default)]
    pub units: Vec<String>,
}

impl DemoData {
    pub fn parse(text: &str) -> anyhow::Result<DemoData> {
        toml::from_str(text).context("el archivo de demostración no es válido")
    }
}

fn date(field: &str, raw: &str) -> anyhow::Result<NaiveDate> {
    NaiveDate::parse_from_str(raw, "%Y-%m-%d")
        .with_context(|| format!("{field}: «{raw}» no es una fecha AAAA-MM-DD"))
}

fn lookup<T: Copy>(map: &HashMap<String, T>, what: &str, key: &str) -> anyhow::Result<T> {
    map.get(key)
        .copied()
        .ok_or_else(|| anyhow!("{what} «{key}» no está definido en el archivo"))
}

/// Loads everything into `store` as the system actor.
pub async fn load(app: &App, data: &DemoData) -> anyhow::Result<()> {
    let actor = Actor::system();
    let m = &data.municipality;
    let municipality = Municipality {
        name: m.name.clone(),
        state: m.state.clone(),
        official_name: m.official_name.clone(),
        time_zone: m
            .time_zone
            .parse()
            .map_err(|_| anyhow::anyhow!("zona horaria desconocida: {}", m.time_zone))?,
        primary_colour: Colour::parse_for_white_text(&m.primary_colour)
            .context("municipality.primary_colour")?,
        accent_colour: Colour::parse_for_white_text(&m.accent_colour)
            .context("municipality.accent_colour")?,
    };
    past_record::governance::save_municipality(app, &actor, &municipality).await?;

    let mut units: HashMap<String, UnitId> = HashMap::new();
    for name in &data.units {
        units.insert(
            name.clone(),
            past_record::governance::create_unit(app, &actor, name)
                .await
                .with_context(|| format!("unidad «{name}»"))?,
        );
    }

    let mut bodies: HashMap<String, BodyId> = HashMap::new();
    for b in &data.bodies {
        let context = || format!("órgano «{}»", b.key);
        let new = NewBody {
            name: b.name.clone(),
            short_name: b.short_name.clone(),
            kind: BodyKind::parse(&b.kind).with_context(context)?,
            period: Period::new(
                date("period_start", &b.period_start)?,
                date("period_end", &b.period_end)?,
            )
            .with_context(context)?,
        };
        bodies.insert(
            b.key.clone(),
            past_record::governance::create_body(app, &actor, &new)
                .await
                .with_context(context)?,
        );
    }

    let mut people: HashMap<String, PersonId> = HashMap::new();
    for p in &data.people {
        let new = NewPerson {
            honorific: p.honorific.clone(),
            full_name: p.full_name.clone(),
            gender: Gender::parse(&p.gender).with_context(|| format!("persona «{}»", p.key))?,
        };
        people.insert(
            p.key.clone(),
            past_record::governance::create_person(app, &actor, &new).await?,
        );
    }

    let mut seats: HashMap<String, MembershipId> = HashMap::new();
    for (index, s) in data.memberships.iter().enumerate() {
        let context = || format!("membresía #{} ({})", index + 1, s.person);
        let ends_on = s
            .ends_on
            .as_deref()
            .map(|d| date("ends_on", d))
            .transpose()?;
        let new = NewMembership {
            body: lookup(&bodies, "el órgano", &s.body)?,
            person: lookup(&people, "la persona", &s.person)?,
            kind: MembershipKind::parse(&s.kind).with_context(context)?,
            cargo: s.cargo.clone(),
            special_role: s
                .special_role
                .as_deref()
                .map(SpecialRole::parse)
                .transpose()
                .with_context(context)?,
            substitute_for: s
                .substitute_for
                .as_deref()
                .map(|k| lookup(&seats, "la membresía", k))
                .transpose()?,
            tenure: Tenure::new(date("starts_on", &s.starts_on)?, ends_on).with_context(context)?,
            grounds: s.grounds.clone(),
            has_vote: s.has_vote,
        };
        let id = past_record::governance::create_membership(app, &actor, &new)
            .await
            .with_context(context)?;
        if let Some(key) = &s.key {
            seats.insert(key.clone(), id);
        }
    }

    for a in &data.accounts {
        let context = || format!("cuenta «{}»", a.email);
        let new = NewUser {
            email: Email::parse(&a.email).with_context(context)?,
            name: DisplayName::parse(&a.name).with_context(context)?,
            role: Role::parse(&a.role).with_context(context)?,
            password_hash: Password::parse(&a.password)
                .and_then(|p| p.hash())
                .with_context(context)?,
            person: a
                .person
                .as_deref()
                .map(|k| lookup(&people, "la persona", k))
                .transpose()?,
            units: a
                .units
                .iter()
                .map(|u| lookup(&units, "la unidad", u))
                .collect::<anyhow::Result<_>>()?,
        };
        past_record::governance::create_user(app, &actor, &new)
            .await
            .with_context(context)?;
    }

    for article in &data.bylaws {
        let context = || format!("artículo {} de los lineamientos", article.article);
        let body = *bodies
            .get(&article.body)
            .ok_or_else(|| anyhow::anyhow!("«{}» no está definido en el archivo", article.body))?;
        let from =
            abierto_domain::dates::parse_date(&article.in_force_from).with_context(context)?;
        past_record::governance::adopt_article(
            app,
            &actor,
            body,
            article.article,
            article.text.trim(),
            from,
        )
        .await
        .with_context(context)?;
    }

    open_data::load(app, &data.publishers, &data.datasets, &units).await?;
    let sessions = sessions::load(app, &data.sessions, &bodies, &people).await?;
    plans::load_records(app, &data.programs, &units).await?;
    plans::load(app, &data.plans, &bodies, &sessions, &units).await?;
    calls::load(app, &data.calls, &bodies, &sessions, &m.time_zone).await
}

/// Uploads, checks and publishes the demo datasets' files, keeping them where `config` says,
/// through the same procedure the portal's pages follow.
pub async fn load_data_files(app: &App, data: &DemoData) -> anyhow::Result<()> {
    open_data::load_files(app, &data.datasets).await?;
    if let Some(entry) = &data.own_records {
        open_data::publish_own_records(app, entry).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_file_parses_with_one_account_per_role() {
        let data = DemoData::parse(LEON).expect("demo file");
        assert_eq!(data.municipality.name, "León");
        let kinds: Vec<_> = data.bodies.iter().map(|b| b.kind.as_str()).collect();
        assert_eq!(
            kinds,
            [
                "secretariat",
                "secretariat",
                "selection_committee",
                "youth_council"
            ]
        );
        assert_eq!(data.calls.len(), 2);
        // The fourteen people of the 2024 acta, and the placeholders of the later bodies, each
        // saying it is one.
        let (named, illustrative): (Vec<_>, Vec<_>) = data
            .people
            .iter()
            .partition(|p| !p.full_name.contains("(ilustrativ"));
        assert_eq!(named.len(), 14);
        assert_eq!(illustrative.len(), 18);
        let mut roles: Vec<_> = data.accounts.iter().map(|a| a.role.as_str()).collect();
        roles.sort_unstable();
        let mut expected: Vec<_> = Role::ALL.iter().map(|r| r.key()).collect();
        expected.sort_unstable();
        assert_eq!(roles, expected);
    }

    #[test]
    fn unknown_fields_are_refused() {
        let text = format!("{LEON}\n[extra]\nx = 1\n");
        assert!(DemoData::parse(&text).is_err());
    }
}
