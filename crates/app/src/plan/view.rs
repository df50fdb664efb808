//! Everything shown about an action plan, computed live from the store and shared by the
//! dashboard pages and the API: each goal's indicator with the inputs that produced it, its
//! progress and status, the plan's roll-up, the quarterly report and the goal-tracking table.

use abierto_documents::plan_reports::{
    agreements_footnote, figure_text, figures_and_text, percent_text, span_es, EvidenceLink,
    GoalTracking, SessionLine, TrackingRow,
};
use abierto_domain::dates::long_date_es;
use abierto_domain::dates::parse_date;
use abierto_domain::ids::{CommitmentId, GoalId, PlanId};
use abierto_domain::indicators::{
    goal_status, GoalStatus, GoalWindow, IndicatorKind, Measure, Reading,
};
use abierto_domain::plan::{month_year_es, roll_up, Quarter, YearMonth};
use abierto_domain::sessions::Session;
use abierto_domain::ErrorCode;
use abierto_domain::ValidationError;
use abierto_store::{Commitment, Goal, Plan, ProgressNote, ReportEvidence, ScheduleEntry, Span};
use chrono::NaiveDate;
use serde::Serialize;

use crate::{App, Error};

/// A goal as the dashboard and the API show it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct GoalSummary {
    pub id: GoalId,
    pub commitment_id: CommitmentId,
    /// The commitment's title (Eje).
    pub axis: String,
    pub statement: String,
    /// The indicator as the plan words it.
    pub indicator_text: String,
    pub due_on: NaiveDate,
    /// "Diciembre 2025".
    pub due: String,
    pub window_start: Option<NaiveDate>,
    pub progress_percent: f64,
    pub status: GoalStatus,
    pub status_label: String,
    pub indicator: IndicatorView,
    /// The evidence in words, generated from the records.
    pub footnote: String,
    /// Where the records behind the figure are listed.
    pub records_link: Option<String>,
}

/// An indicator's reading with what it measures.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct IndicatorView {
    #[serde(flatten)]
    pub reading: Reading,
    pub numerator_measure: Option<String>,
    pub denominator_measure: Option<String>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CommitmentSummary {
    pub id: CommitmentId,
    pub title: String,
    pub description: String,
    pub unit: Option<String>,
    pub weight: Option<f64>,
    /// Mean of its goals' progress; none without goals.
    pub progress_percent: Option<f64>,
    pub goals: Vec<GoalSummary>,
    pub notes: Vec<NoteView>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct NoteView {
    pub noted_on: NaiveDate,
    pub title: String,
    pub body: String,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PlanSummary {
    pub id: PlanId,
    pub title: String,
    pub body_id: i64,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    pub approved_in: Option<i64>,
    pub as_of: NaiveDate,
    /// Weighted by the commitments' weights when they have them, otherwise their mean.
    pub progress_percent: Option<f64>,
    pub commitments: Vec<CommitmentSummary>,
}

/// A point of a goal's indicator history.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct HistoryPoint {
    pub as_of: NaiveDate,
    pub value: Option<f64>,
    pub progress_percent: f64,
}

/// A goal summarised on `as_of`.
pub async fn goal_summary(
    app: &App,
    plan: &Plan,
    commitment: &Commitment,
    goal: &Goal,
    as_of: NaiveDate,
) -> Result<GoalSummary, Error> {
    let reading = app.store().read_goal(goal, as_of).await?;
    let progress = reading.progress_percent();
    // A goal due before its plan starts (a slip in the plan) is read over its due day alone.
    let starts_on = goal
        .window_start
        .unwrap_or(plan.period.start)
        .min(goal.due_on);
    let window = GoalWindow::new(starts_on, goal.due_on)?;
    let status = goal_status(progress, &window, as_of);
    let footnote = footnote(app, goal, &reading).await?;
    let span = Span {
        from: goal.measured.start,
        to: goal.measured.end,
    };
    let records_link = goal.spec.numerator.map(|m| records_link(m, span, as_of));
    Ok(GoalSummary {
        id: goal.id,
        commitment_id: commitment.id,
        axis: commitment.title.clone(),
        statement: goal.statement.clone(),
        indicator_text: goal.indicator.clone(),
        due_on: goal.due_on,
        due: month_year_es(goal.due_on),
        window_start: goal.window_start,
        progress_percent: progress,
        status,
        status_label: status.label_es().to_owned(),
        indicator: IndicatorView {
            reading,
            numerator_measure: goal.spec.numerator.map(Measure::key),
            denominator_measure: goal.spec.denominator.map(Measure::key),
        },
        footnote,
        records_link,
    })
}

/// The link to the records a measure counts over `span` as read on `as_of`: works by their
/// stage on that day, other records dated within the span.
pub(super) fn records_link(measure: Measure, span: Span, as_of: NaiveDate) -> String {
    let slug = measure.program_slug();
    match measure {
        Measure::WorksInStage(_) => format!("/programas/{slug}?fecha={as_of}"),
        _ => format!(
            "/programas/{slug}?desde={}&hasta={}",
            span.from,
            span.to.min(as_of)
        ),
    }
}

/// The evidence of a reading in words: for records, what they count; for milestones and
/// manual readings, the note that accredits the latest one.
async fn footnote(app: &App, goal: &Goal, reading: &Reading) -> Result<String, Error> {
    let spec = &goal.spec;
    let span = Span {
        from: goal.measured.start,
        to: goal.measured.end,
    };
    Ok(match spec.kind {
        IndicatorKind::RecordRatio => {
            let denominator = reading.denominator.unwrap_or_default() as i64;
            let numerator = reading.numerator as i64;
            let percent = reading.value.unwrap_or_default();
            if spec.numerator == Some(Measure::AgreementsConcluded)
                && spec.denominator == Some(Measure::Agreements)
            {
                let events = app
                    .store()
                    .measure(Measure::Events, span, reading.as_of)
                    .await? as i64;
                agreements_footnote(
                    events,
                    &span_es(span.from, span.to),
                    denominator,
                    numerator,
                    percent,
                )
            } else {
                let label = |m: Option<Measure>| m.map(Measure::label_es).unwrap_or_default();
                format!(
                    "{numerator} {} de {denominator} {} {}, al {}: {}.",
                    label(spec.numerator),
                    label(spec.denominator),
                    span_es(span.from, span.to),
                    long_date_es(reading.as_of),
                    percent_text(percent)
                )
            }
        }
        IndicatorKind::Count => format!(
            "{} {} {}, al {}.",
            reading.numerator as i64,
            spec.numerator.map(Measure::label_es).unwrap_or_default(),
            span_es(span.from, span.to),
            long_date_es(reading.as_of)
        ),
        IndicatorKind::Milestone | IndicatorKind::ManualPercentage => app
            .store()
            .goal_readings(goal.id)
            .await?
            .into_iter()
            .rev()
            .find(|r| r.read_on <= reading.as_of)
            .map(|r| r.note)
            .unwrap_or_default(),
    })
}

/// The plan on `as_of`: every commitment and goal with progress and status.
pub async fn plan_summary(app: &App, id: PlanId, as_of: NaiveDate) -> Result<PlanSummary, Error> {
    let plan = app.store().plan(id).await?;
    let commitments = app.store().commitments(id).await?;
    let goals = app.store().goals_of_plan(id).await?;
    let notes: Vec<ProgressNote> = app.store().progress_notes(id).await?;
    let mut out = Vec::with_capacity(commitments.len());
    for c in &commitments {
        let mut summaries = Vec::new();
        for goal in goals.iter().filter(|g| g.commitment == c.id) {
            summaries.push(goal_summary(app, &plan, c, goal, as_of).await?);
        }
        let progress = roll_up(
            &summaries
                .iter()
                .map(|g| (None, Some(g.progress_percent)))
                .collect::<Vec<_>>(),
        );
        out.push(CommitmentSummary {
            id: c.id,
            title: c.title.clone(),
            description: c.description.clone(),
            unit: c.unit_name.clone(),
            weight: c.weight,
            progress_percent: progress,
            goals: summaries,
            notes: notes
                .iter()
                .filter(|n| n.commitment == c.id && n.noted_on <= as_of)
                .map(|n| NoteView {
                    noted_on: n.noted_on,
                    title: n.title.clone(),
                    body: n.body.clone(),
                })
                .collect(),
        });
    }
    let progress = roll_up(
        &out.iter()
            .map(|c| (c.weight, c.progress_percent))
            .collect::<Vec<_>>(),
    );
    Ok(PlanSummary {
        id,
        title: plan.title.clone(),
        body_id: plan.body.get(),
        period_start: plan.period.start,
        period_end: plan.period.end,
        approved_in: plan.approved_in.map(|s| s.get()),
        as_of,
        progress_percent: progress,
        commitments: out,
    })
}

/// A goal's indicator at the end of each month from the start of its window (or of the
/// records it counts) to `as_of`.
pub async fn goal_history(
    app: &App,
    plan: &Plan,
    goal: &Goal,
    as_of: NaiveDate,
) -> Result<Vec<HistoryPoint>, Error> {
    let start = goal
        .window_start
        .unwrap_or(goal.measured.start)
        .min(goal.measured.start)
        .max(plan.period.start);
    let mut points = Vec::new();
    for month in YearMonth::of(start).through(YearMonth::of(as_of)) {
        let day = month.last_day().min(as_of);
        let reading = app.store().read_goal(goal, day).await?;
        points.push(HistoryPoint {
            as_of: day,
            value: reading.value,
            progress_percent: reading.progress_percent(),
        });
        if points.len() >= 120 {
            break;
        }
    }
    Ok(points)
}

/// The day of reading given by a query (`2026-03-27`), today when omitted.
pub fn as_of(app: &App, raw: Option<&str>) -> Result<NaiveDate, Error> {
    match raw.map(str::trim).filter(|r| !r.is_empty()) {
        Some(raw) => {
            Ok(parse_date(raw)
                .map_err(|_| ValidationError::new("as_of", ErrorCode::InvalidDate))?)
        }
        None => Ok(app.clock().today()),
    }
}

/// A goal with its indicator history.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct GoalDetail {
    #[serde(flatten)]
    pub goal: GoalSummary,
    pub history: Vec<HistoryPoint>,
}

pub async fn goal_detail(app: &App, id: GoalId, day: NaiveDate) -> Result<GoalDetail, Error> {
    let goal = app.store().goal(id).await?;
    let commitment = app.store().commitment(goal.commitment).await?;
    let plan = app.store().plan(commitment.plan).await?;
    Ok(GoalDetail {
        goal: goal_summary(app, &plan, &commitment, &goal, day).await?,
        history: goal_history(app, &plan, &goal, day).await?,
    })
}

pub fn session_line(session: &Session) -> SessionLine {
    SessionLine {
        id: session.id.get(),
        title: session.title_es(),
        held_on: session.held_on,
        link: format!("/sesiones/{}", session.id),
    }
}

/// What a month's schedule plans, in words: "3 intervenciones; 61 acuerdos de mejora; …".
pub fn planned_text(entry: &ScheduleEntry) -> String {
    figures_and_text(
        entry
            .planned
            .iter()
            .map(|q| figure_text(&q.measure, q.quantity))
            .collect(),
        &entry.text,
    )
}

pub fn evidence_link(evidence: &ReportEvidence) -> EvidenceLink {
    EvidenceLink {
        filename: evidence.filename.clone(),
        description: evidence.description.clone(),
        link: format!("/evidencias/{}", evidence.evidence),
    }
}

/// The goal-tracking table: on the day of the session the quarter was presented in, when
/// given, otherwise on `as_of`.
pub async fn goal_tracking(
    app: &App,
    id: PlanId,
    quarter: Option<Quarter>,
    as_of: NaiveDate,
) -> Result<GoalTracking, Error> {
    let presented = match quarter {
        Some(q) => match app.store().presentation(id, q).await? {
            Some(session) => Some(app.store().session(session).await?),
            None => None,
        },
        None => None,
    };
    let as_of = match (&presented, quarter) {
        (Some(session), _) => session.held_on,
        (None, Some(q)) => q.last_day().min(as_of),
        (None, None) => as_of,
    };
    let summary = plan_summary(app, id, as_of).await?;
    let mut rows = Vec::new();
    let mut footnotes = 0;
    for goal in summary.commitments.iter().flat_map(|c| c.goals.iter()) {
        let marker = if goal.footnote.is_empty() {
            String::new()
        } else {
            footnotes += 1;
            "*".repeat(footnotes)
        };
        rows.push(TrackingRow {
            goal_id: goal.id.get(),
            axis: goal.axis.clone(),
            statement: goal.statement.clone(),
            indicator: goal.indicator_text.clone(),
            due: goal.due.clone(),
            progress: percent_text(goal.progress_percent),
            progress_percent: goal.progress_percent,
            status: goal.status.key().to_owned(),
            status_label: goal.status_label.clone(),
            marker,
            footnote: goal.footnote.clone(),
        });
    }
    Ok(GoalTracking {
        plan_id: id.get(),
        title: format!("Seguimiento de metas del {}", summary.title),
        as_of,
        presented_in: presented.as_ref().map(session_line),
        rows,
    })
}
