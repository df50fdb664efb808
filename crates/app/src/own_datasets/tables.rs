//! The rows of each dataset the platform publishes about itself, read from the store as the
//! public pages read them. Only what the public pages already show goes in, and of the
//! calls only totals: never a proponent, an applicant or a private note.

use std::collections::HashMap;

use abierto_domain::calls::{call_status, SubmissionStatus};
use abierto_domain::lang::Lang;
use abierto_domain::sessions::{quorum, session_title_es};
use abierto_store::Span;
use chrono::{DateTime, NaiveDate, Utc};

use super::definitions::{DatasetDefinition, Records};
use crate::plan::view::{goal_history, plan_summary};
use crate::sessions::SessionView;
use crate::{App, Error};

/// A dataset's tables, in the order of its definition, and the days its records cover.
pub struct Generated {
    pub tables: Vec<Vec<Vec<String>>>,
    pub coverage: Option<(NaiveDate, NaiveDate)>,
}

/// Every record's day, widening the coverage.
#[derive(Default)]
struct Coverage(Option<(NaiveDate, NaiveDate)>);

impl Coverage {
    fn add(&mut self, day: NaiveDate) {
        self.0 = Some(match self.0 {
            Some((from, to)) => (from.min(day), to.max(day)),
            None => (day, day),
        });
    }
}

/// The rows of `dataset` as the records stand on `today`.
pub async fn generate(
    app: &App,
    dataset: &DatasetDefinition,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<Generated, Error> {
    match dataset.records {
        Records::PlanGoals => plan_goals(app, today).await,
        Records::Sessions => sessions(app).await,
        Records::Agreements => agreements(app).await,
        Records::Works => works(app).await,
        Records::Calls => calls(app, now).await,
    }
}

fn text(value: impl Into<String>) -> String {
    value.into()
}

fn number(value: f64) -> String {
    let rounded = (value * 100.0).round() / 100.0;
    format!("{rounded}")
}

fn optional<T>(value: Option<T>, show: impl Fn(T) -> String) -> String {
    value.map(show).unwrap_or_default()
}

fn label(app: &App, key: String) -> String {
    app.texts().text(Lang::Es, &key).to_owned()
}

async fn plan_goals(app: &App, today: NaiveDate) -> Result<Generated, Error> {
    let mut goals = Vec::new();
    let mut months = Vec::new();
    let mut coverage = Coverage::default();
    for plan in app.store().plans().await? {
        coverage.add(plan.period.start);
        coverage.add(plan.period.end);
        let summary = plan_summary(app, plan.id, today).await?;
        for commitment in &summary.commitments {
            for goal in &commitment.goals {
                let reading = &goal.indicator.reading;
                goals.push(vec![
                    goal.id.to_string(),
                    text(&plan.title),
                    text(&commitment.title),
                    commitment.unit.clone().unwrap_or_default(),
                    text(&goal.statement),
                    text(&goal.indicator_text),
                    label(app, format!("plan_forms.kind_{}", reading.kind.key())),
                    number(reading.numerator),
                    optional(reading.denominator, number),
                    optional(reading.value, number),
                    number(reading.target),
                    goal.due_on.to_string(),
                    number(goal.progress_percent),
                    text(&goal.status_label),
                    reading.as_of.to_string(),
                ]);
            }
        }
        for goal in app.store().goals_of_plan(plan.id).await? {
            for point in goal_history(app, &plan, &goal, today).await? {
                months.push(vec![
                    goal.id.to_string(),
                    point.as_of.to_string(),
                    optional(point.value, number),
                    number(point.progress_percent),
                ]);
            }
        }
    }
    Ok(Generated {
        tables: vec![goals, months],
        coverage: coverage.0,
    })
}

async fn sessions(app: &App) -> Result<Generated, Error> {
    let bodies: HashMap<_, _> = app
        .store()
        .bodies()
        .await?
        .into_iter()
        .map(|b| (b.id, b.name))
        .collect();
    let mut sessions = app.store().sessions(None).await?;
    sessions.sort_by_key(|s| (s.held_on, s.id));
    let mut coverage = Coverage::default();
    let (mut rows, mut items) = (Vec::new(), Vec::new());
    for session in sessions {
        coverage.add(session.held_on);
        let view = SessionView::load(app, session.id).await?;
        let record = &view.record;
        let recorded = !record.attendance.is_empty();
        let quorum = quorum(&view.voting_seats(), &view.present_memberships());
        let when_recorded = |value: String| if recorded { value } else { String::new() };
        rows.push(vec![
            session.id.to_string(),
            bodies.get(&session.body).cloned().unwrap_or_default(),
            session_title_es(session.number, session.kind),
            text(session.kind.title_es()),
            session.number.to_string(),
            session.held_on.to_string(),
            text(&session.scheduled_time),
            text(&session.place),
            session.started_at.clone().unwrap_or_default(),
            session.ended_at.clone().unwrap_or_default(),
            when_recorded(record.attendance.len().to_string()),
            when_recorded(quorum.present.to_string()),
            quorum.required.to_string(),
            when_recorded(quorum.reached.to_string()),
        ]);
        for item in &record.agenda {
            let vote = record.votes.iter().find(|v| v.item == item.id);
            let count = vote.and_then(|v| v.result.count);
            items.push(vec![
                session.id.to_string(),
                item.position.to_string(),
                label(app, format!("agenda_kind.{}", item.kind.key())),
                text(&item.title),
                optional(count, |c| c.in_favour.to_string()),
                optional(count, |c| c.against.to_string()),
                optional(count, |c| c.abstentions.to_string()),
                optional(vote, |v| {
                    label(app, format!("vote.{}", v.result.outcome.key()))
                }),
            ]);
        }
    }
    Ok(Generated {
        tables: vec![rows, items],
        coverage: coverage.0,
    })
}

/// Every day a program record may carry (the store compares ISO dates as text).
fn all_days() -> Span {
    Span {
        from: NaiveDate::from_ymd_opt(1900, 1, 1).unwrap_or_default(),
        to: NaiveDate::from_ymd_opt(9999, 12, 31).unwrap_or_default(),
    }
}

async fn agreements(app: &App) -> Result<Generated, Error> {
    let events: HashMap<_, _> = app
        .store()
        .events(all_days())
        .await?
        .into_iter()
        .map(|e| (e.id, (e.held_on, e.neighbourhood)))
        .collect();
    let mut coverage = Coverage::default();
    let mut rows = Vec::new();
    for agreement in app.store().agreements(all_days()).await? {
        coverage.add(agreement.created_on);
        let event = agreement.event.and_then(|id| events.get(&id));
        rows.push(vec![
            agreement.id.to_string(),
            optional(event, |(day, _)| day.to_string()),
            optional(event, |(_, place)| place.clone()),
            text(&agreement.description),
            agreement.unit_name.clone().unwrap_or_default(),
            text(agreement.status.label_es()),
            agreement.created_on.to_string(),
            optional(agreement.concluded_on, |d| d.to_string()),
        ]);
    }
    Ok(Generated {
        tables: vec![rows],
        coverage: coverage.0,
    })
}

async fn works(app: &App) -> Result<Generated, Error> {
    let mut coverage = Coverage::default();
    let (mut rows, mut stages) = (Vec::new(), Vec::new());
    for work in app.store().works().await? {
        let current = work.history.last();
        rows.push(vec![
            work.id.to_string(),
            text(&work.name),
            text(&work.neighbourhood),
            optional(current, |(stage, _, _)| text(stage.label_es())),
            optional(current, |(_, day, _)| day.to_string()),
        ]);
        for (index, (stage, day, reason)) in work.history.iter().enumerate() {
            coverage.add(*day);
            stages.push(vec![
                work.id.to_string(),
                (index + 1).to_string(),
                text(stage.label_es()),
                day.to_string(),
                text(reason),
            ]);
        }
    }
    Ok(Generated {
        tables: vec![rows, stages],
        coverage: coverage.0,
    })
}

async fn calls(app: &App, now: DateTime<Utc>) -> Result<Generated, Error> {
    let mut calls = app.store().calls(false).await?;
    calls.sort_by_key(|c| (c.window.opens_at, c.id));
    let mut coverage = Coverage::default();
    let mut rows = Vec::new();
    let instant = |at: DateTime<Utc>| at.format("%Y-%m-%dT%H:%M:%SZ").to_string();
    for call in calls {
        coverage.add(call.window.opens_at.date_naive());
        coverage.add(call.window.closes_at.date_naive());
        let submissions = app.store().submissions_of(call.id).await?;
        let count = |wanted: &[SubmissionStatus]| {
            submissions
                .iter()
                .filter(|s| wanted.contains(&s.status))
                .count()
                .to_string()
        };
        let status = call_status(call.state, &call.window, now);
        rows.push(vec![
            call.id.to_string(),
            label(app, format!("call_kind.{}", call.kind.key())),
            text(&call.title),
            instant(call.window.opens_at),
            instant(call.window.closes_at),
            text(status.label_es()),
            submissions.len().to_string(),
            count(&[SubmissionStatus::Received, SubmissionStatus::UnderReview]),
            count(&[SubmissionStatus::Accepted]),
            count(&[SubmissionStatus::Rejected]),
        ]);
    }
    Ok(Generated {
        tables: vec![rows],
        coverage: coverage.0,
    })
}
