//! The demo's action plans and the programs' records behind their figures: commitments,
//! goals, the monthly schedule and what was reported done, hand-typed readings, progress
//! notes, and the Mi Barrio Habla, Presupuesto Participativo, Pregunta León, outreach and
//! training records.

use std::collections::HashMap;

use abierto_app::past_record;
use abierto_app::past_record::plans::{
    DoneLine, GoalReading, NewCommitment, NewGoal, NewPlan, Quantity, ScheduleEntry,
};
use abierto_app::past_record::programs::{NewAgreement, PastOutreach};
use abierto_app::{Actor, App};
use abierto_domain::dates::parse_date;
use abierto_domain::governance::Period;
use abierto_domain::ids::{BodyId, SessionId, UnitId};
use abierto_domain::indicators::{IndicatorKind, IndicatorSpec, Measure};
use abierto_domain::plan::{Quarter, YearMonth};
use abierto_domain::programs::{
    parse_topics, AgreementStatus, InquiryChannel, InquiryKind, OutreachKind, WorkStage,
};
use anyhow::{anyhow, Context};
use chrono::{Duration, NaiveDate, Utc};
use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanEntry {
    pub key: String,
    pub title: String,
    pub body: String,
    pub period_start: String,
    pub period_end: String,
    pub approved_in: Option<String>,
    /// Quarters whose results were presented, with the session (by key).
    #[serde(default)]
    pub presented: Vec<Presentation>,
    #[serde(default)]
    pub commitments: Vec<CommitmentEntry>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Presentation {
    pub quarter: String,
    pub session: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CommitmentEntry {
    pub key: String,
    pub title: String,
    #[serde(default)]
    pub description: String,
    pub unit: Option<String>,
    #[serde(default)]
    pub goals: Vec<GoalEntry>,
    #[serde(default)]
    pub schedule: Vec<ScheduleRow>,
    #[serde(default)]
    pub reports: Vec<ReportRow>,
    #[serde(default)]
    pub notes: Vec<NoteEntry>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GoalEntry {
    pub key: String,
    pub statement: String,
    #[serde(default)]
    pub indicator: String,
    pub kind: String,
    pub numerator: Option<String>,
    pub denominator: Option<String>,
    pub target: f64,
    pub measured_from: String,
    pub measured_to: String,
    pub window_start: Option<String>,
    pub due_on: String,
    #[serde(default)]
    pub readings: Vec<ReadingEntry>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReadingEntry {
    pub read_on: String,
    pub value: f64,
    pub note: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScheduleRow {
    pub month: String,
    #[serde(default)]
    pub text: String,
    #[serde(default)]
    pub planned: Vec<PlannedEntry>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlannedEntry {
    pub measure: String,
    pub quantity: i64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportRow {
    pub month: String,
    #[serde(default)]
    pub text: String,
    #[serde(default)]
    pub lines: Vec<LineEntry>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LineEntry {
    pub measure: String,
    pub quantity: i64,
    #[serde(default)]
    pub dates: Vec<String>,
    #[serde(default)]
    pub note: String,
    pub source: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoteEntry {
    pub noted_on: String,
    pub title: String,
    #[serde(default)]
    pub body: String,
}

/// The programs' records, in compact form: an event gives its number of agreements and how
/// many are concluded; a group of works shares one history of stages.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProgramRecords {
    #[serde(default)]
    pub events: Vec<EventEntry>,
    #[serde(default)]
    pub work_groups: Vec<WorkGroup>,
    #[serde(default)]
    pub inquiries: Vec<InquiryEntry>,
    #[serde(default)]
    pub outreach: Vec<OutreachEntry>,
    #[serde(default)]
    pub trainings: Vec<TrainingEntry>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventEntry {
    pub held_on: String,
    pub neighbourhood: String,
    pub agreements: u32,
    #[serde(default)]
    pub concluded: u32,
    /// Days from the event to the conclusion of its concluded agreements.
    #[serde(default)]
    pub concluded_after_days: i64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WorkGroup {
    pub count: u32,
    pub name: String,
    /// `[stage, day]` pairs, oldest first.
    pub history: Vec<(String, String)>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InquiryEntry {
    pub kind: String,
    pub channel: Option<String>,
    pub held_on: String,
    #[serde(default = "one")]
    pub count: u32,
    #[serde(default)]
    pub place: String,
}

fn one() -> u32 {
    1
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OutreachEntry {
    pub kind: String,
    pub held_on: String,
    pub place: String,
    #[serde(default)]
    pub audience: String,
    #[serde(default)]
    pub topics: String,
    #[serde(default)]
    pub description: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrainingEntry {
    pub held_on: String,
    pub title: String,
    pub people_trained: i64,
    pub units: Vec<String>,
}

fn day(field: &str, raw: &str) -> anyhow::Result<NaiveDate> {
    parse_date(raw).with_context(|| format!("{field}: «{raw}»"))
}

fn find<T: Copy>(map: &HashMap<String, T>, what: &str, key: &str) -> anyhow::Result<T> {
    map.get(key)
        .copied()
        .ok_or_else(|| anyhow!("{what} «{key}» no está definido en el archivo"))
}

fn measure(raw: Option<&str>) -> anyhow::Result<Option<Measure>> {
    raw.map(|m| Measure::parse(m).with_context(|| format!("medida «{m}»")))
        .transpose()
}

pub async fn load_records(
    app: &App,
    records: &ProgramRecords,
    units: &HashMap<String, UnitId>,
) -> anyhow::Result<()> {
    let actor = Actor::system();
    for (index, e) in records.events.iter().enumerate() {
        let held_on = day("events.held_on", &e.held_on)?;
        let event =
            past_record::programs::add_event(app, &actor, None, held_on, &e.neighbourhood).await?;
        let batch: Vec<NewAgreement> = (1..=e.agreements)
            .map(|n| {
                let concluded = n <= e.concluded;
                NewAgreement {
                    external_id: Some(format!("MBH-{held_on}-{n:02}")),
                    event: Some(event),
                    description: format!(
                        "Acuerdo de mejora {n} de la intervención en {}",
                        e.neighbourhood
                    ),
                    unit: None,
                    status: if concluded {
                        AgreementStatus::Concluded
                    } else {
                        AgreementStatus::Open
                    },
                    created_on: held_on,
                    concluded_on: concluded
                        .then(|| held_on + Duration::days(e.concluded_after_days)),
                }
            })
            .collect();
        past_record::programs::save_agreements(app, &actor, &batch)
            .await
            .with_context(|| format!("evento #{}", index + 1))?;
    }
    let mut number = 0;
    for group in &records.work_groups {
        let history = group
            .history
            .iter()
            .map(|(stage, on)| Ok((WorkStage::parse(stage)?, day("history", on)?)))
            .collect::<anyhow::Result<Vec<_>>>()?;
        for _ in 0..group.count {
            number += 1;
            let external = format!("PP-2024-{number:03}");
            past_record::programs::add_work(
                app,
                &actor,
                Some(&external),
                &format!("{} {number:03}", group.name),
                "",
                &history,
            )
            .await
            .with_context(|| format!("obra {external}"))?;
        }
    }
    for i in &records.inquiries {
        let kind = InquiryKind::parse(&i.kind)?;
        let channel = i
            .channel
            .as_deref()
            .map(InquiryChannel::parse)
            .transpose()?;
        let held_on = day("inquiries.held_on", &i.held_on)?;
        for _ in 0..i.count {
            past_record::programs::add_inquiry(app, &actor, kind, channel, held_on, &i.place)
                .await?;
        }
    }
    for o in &records.outreach {
        let topics = parse_topics(&o.topics)?;
        let outreach = PastOutreach {
            kind: OutreachKind::parse(&o.kind)?,
            held_on: day("outreach.held_on", &o.held_on)?,
            place: &o.place,
            audience: &o.audience,
            topics: &topics,
            description: &o.description,
        };
        past_record::programs::add_outreach(app, &actor, &outreach).await?;
    }
    for t in &records.trainings {
        let units = t
            .units
            .iter()
            .map(|u| find(units, "la unidad", u))
            .collect::<anyhow::Result<Vec<_>>>()?;
        past_record::programs::add_training(
            app,
            &actor,
            day("trainings.held_on", &t.held_on)?,
            &t.title,
            t.people_trained,
            &units,
        )
        .await?;
    }
    Ok(())
}

pub async fn load(
    app: &App,
    plans: &[PlanEntry],
    bodies: &HashMap<String, BodyId>,
    sessions: &HashMap<String, SessionId>,
    units: &HashMap<String, UnitId>,
) -> anyhow::Result<()> {
    let actor = Actor::system();
    let now = Utc::now();
    for p in plans {
        let context = || format!("plan «{}»", p.key);
        let plan = past_record::plans::save_plan(
            app,
            &actor,
            &NewPlan {
                external_id: Some(p.key.clone()),
                title: p.title.clone(),
                body: find(bodies, "el órgano", &p.body)?,
                period: Period::new(
                    day("period_start", &p.period_start)?,
                    day("period_end", &p.period_end)?,
                )
                .with_context(context)?,
                approved_in: p
                    .approved_in
                    .as_deref()
                    .map(|k| find(sessions, "la sesión", k))
                    .transpose()?,
            },
        )
        .await
        .with_context(context)?
        .id();
        for presented in &p.presented {
            let quarter = Quarter::parse(&presented.quarter).with_context(context)?;
            let session = find(sessions, "la sesión", &presented.session)?;
            past_record::plans::present_quarter(app, &actor, plan, quarter, session).await?;
        }
        for c in &p.commitments {
            let context = || format!("compromiso «{}»", c.key);
            let commitment = past_record::plans::save_commitment(
                app,
                &actor,
                &NewCommitment {
                    external_id: Some(c.key.clone()),
                    plan,
                    title: c.title.clone(),
                    description: c.description.clone(),
                    unit: c
                        .unit
                        .as_deref()
                        .map(|u| find(units, "la unidad", u))
                        .transpose()?,
                    weight: None,
                },
            )
            .await
            .with_context(context)?
            .id();
            for g in &c.goals {
                let context = || format!("meta «{}»", g.key);
                let spec = IndicatorSpec::new(
                    IndicatorKind::parse(&g.kind).with_context(context)?,
                    measure(g.numerator.as_deref())?,
                    measure(g.denominator.as_deref())?,
                    g.target,
                )
                .with_context(context)?;
                let goal = past_record::plans::save_goal(
                    app,
                    &actor,
                    &NewGoal {
                        external_id: Some(g.key.clone()),
                        commitment,
                        statement: g.statement.clone(),
                        indicator: g.indicator.clone(),
                        spec,
                        measured: Period::new(
                            day("measured_from", &g.measured_from)?,
                            day("measured_to", &g.measured_to)?,
                        )
                        .with_context(context)?,
                        window_start: g
                            .window_start
                            .as_deref()
                            .map(|d| day("window_start", d))
                            .transpose()?,
                        due_on: day("due_on", &g.due_on)?,
                    },
                )
                .await
                .with_context(context)?
                .id();
                for r in &g.readings {
                    past_record::plans::add_goal_reading(
                        app,
                        &actor,
                        &GoalReading {
                            goal,
                            read_on: day("read_on", &r.read_on)?,
                            value: r.value,
                            note: r.note.clone(),
                            evidence: None,
                        },
                        now,
                    )
                    .await
                    .with_context(context)?;
                }
            }
            for row in &c.schedule {
                past_record::plans::set_schedule_entry(
                    app,
                    &actor,
                    &ScheduleEntry {
                        commitment,
                        month: YearMonth::parse(&row.month).with_context(context)?,
                        text: row.text.clone(),
                        planned: row
                            .planned
                            .iter()
                            .map(|q| Quantity {
                                measure: q.measure.clone(),
                                quantity: q.quantity,
                            })
                            .collect(),
                    },
                )
                .await
                .with_context(context)?;
            }
            for row in &c.reports {
                let month = YearMonth::parse(&row.month).with_context(context)?;
                let lines = row
                    .lines
                    .iter()
                    .map(|l| {
                        Ok(DoneLine {
                            measure: l.measure.clone(),
                            quantity: l.quantity,
                            dates: l
                                .dates
                                .iter()
                                .map(|d| day("dates", d))
                                .collect::<anyhow::Result<_>>()?,
                            note: l.note.clone(),
                            source: measure(l.source.as_deref())?,
                        })
                    })
                    .collect::<anyhow::Result<Vec<_>>>()?;
                past_record::plans::save_report_draft(
                    app, &actor, commitment, month, &row.text, &lines, now,
                )
                .await
                .with_context(context)?;
                past_record::plans::publish_report(app, &actor, commitment, month, now)
                    .await
                    .with_context(context)?;
            }
            for note in &c.notes {
                past_record::plans::add_progress_note(
                    app,
                    &actor,
                    commitment,
                    day("noted_on", &note.noted_on)?,
                    &note.title,
                    &note.body,
                )
                .await?;
            }
        }
    }
    Ok(())
}
