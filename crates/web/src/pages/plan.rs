//! The public dashboard of the action plan: progress at a glance with server-drawn SVG bars,
//! filters by axis and status, a goal's page with its indicator history as a chart, the
//! quarterly report and the goal-tracking table as pages, and streamed CSV / JSON exports.

use crate::csrf::GuardedRouter;
use abierto_documents::plan_reports::{
    percent_text, quarterly_markdown, GoalTracking, QuarterlyReport, SessionLine,
};
use abierto_domain::ids::{GoalId, PlanId};
use abierto_domain::indicators::{GoalStatus, IndicatorKind, Reading};
use abierto_domain::plan::Quarter;
use askama::Template;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::Deserialize;

use super::downloads::{csv_line, stream};
use super::render;
use crate::id_path::IdPath;
use crate::page::PageContext;
use crate::{AppError, AppState};
use abierto_app::plan::quarterly::quarterly_report;
use abierto_app::plan::view::{
    as_of, goal_detail, goal_tracking, plan_summary, session_line, GoalSummary, HistoryPoint,
};

pub fn router() -> GuardedRouter {
    GuardedRouter::new()
        .route("/plan-de-accion", get(plan_list))
        .route("/plan-de-accion/{id}", get(dashboard))
        .route("/plan-de-accion/{id}/metas.csv", get(goals_csv))
        .route("/plan-de-accion/{id}/metas.json", get(goals_json))
        .route("/plan-de-accion/{id}/seguimiento", get(tracking))
        .route("/plan-de-accion/{id}/informes/{quarter}", get(report))
        .route("/metas/{id}", get(goal))
}

/// A progress bar drawn on the server: its filled width out of 100.
pub struct Bar {
    pub width: String,
    pub label: String,
}

impl Bar {
    pub fn of(percent: Option<f64>) -> Bar {
        let value = percent.unwrap_or(0.0).clamp(0.0, 100.0);
        Bar {
            width: format!("{value:.1}"),
            label: percent.map(percent_text).unwrap_or_else(|| "—".to_owned()),
        }
    }
}

/// A plan as the list of plans shows it.
struct PlanRow {
    id: i64,
    title: String,
    start: chrono::NaiveDate,
    end: chrono::NaiveDate,
    /// `plan_stage.upcoming`, `plan_stage.current` or `plan_stage.concluded`.
    stage_key: &'static str,
    approved_in: Option<SessionLine>,
    bar: Bar,
}

#[derive(Template)]
#[template(path = "plan_list.html")]
struct PlanList {
    ctx: PageContext,
    plans: Vec<PlanRow>,
}

/// Every action plan, the newest first, with its period, whether it is under way, the
/// session that approved it and its progress today.
async fn plan_list(State(state): State<AppState>, ctx: PageContext) -> Result<Response, AppError> {
    let today = state.app.clock().today();
    let mut plans = Vec::new();
    for plan in abierto_app::plan::plans(&state.app).await? {
        let summary = plan_summary(&state.app, plan.id, today).await?;
        let approved_in = match plan.approved_in {
            Some(session) => Some(session_line(
                &abierto_app::sessions::session(&state.app, session).await?,
            )),
            None => None,
        };
        let stage_key = if today < plan.period.start {
            "plan_stage.upcoming"
        } else if today > plan.period.end {
            "plan_stage.concluded"
        } else {
            "plan_stage.current"
        };
        plans.push(PlanRow {
            id: plan.id.get(),
            title: plan.title,
            start: plan.period.start,
            end: plan.period.end,
            stage_key,
            approved_in,
            bar: Bar::of(summary.progress_percent),
        });
    }
    render(&PlanList { ctx, plans })
}

#[derive(Deserialize)]
struct DashboardQuery {
    eje: Option<String>,
    estatus: Option<String>,
    fecha: Option<String>,
}

struct GoalRow {
    goal: GoalSummary,
    bar: Bar,
    /// The indicator's value as computed ("404 / 449 = 90%"), beside its target ("80%"):
    /// the bar shows progress capped at 100, this the truth.
    value: String,
    target: String,
}

/// The catalog key of a goal status's label (`goal_status.met`), in the page's language.
fn status_key(status: GoalStatus) -> String {
    format!("goal_status.{}", status.key())
}

/// An indicator's value, with the records it comes from for a ratio, and its target.
fn value_and_target(reading: &Reading) -> (String, String) {
    let percentage = reading.kind.is_percentage();
    let value = match (reading.value, reading.denominator) {
        (Some(v), Some(d)) if reading.kind == IndicatorKind::RecordRatio => {
            format!("{:.0} / {d:.0} = {}", reading.numerator, percent_text(v))
        }
        (Some(v), _) if percentage => percent_text(v),
        (Some(v), _) => format!("{v:.0}"),
        (None, _) => "—".to_owned(),
    };
    let target = if percentage {
        percent_text(reading.target)
    } else {
        format!("{:.0}", reading.target)
    };
    (value, target)
}

struct CommitmentBlock {
    id: i64,
    title: String,
    unit: String,
    bar: Bar,
    goals: Vec<GoalRow>,
    notes: Vec<(chrono::NaiveDate, String, String)>,
}

#[derive(Template)]
#[template(path = "plan.html")]
struct DashboardPage {
    ctx: PageContext,
    id: PlanId,
    title: String,
    as_of: chrono::NaiveDate,
    bar: Bar,
    axes: Vec<(i64, String, bool)>,
    /// Each status: its key in addresses, the key of its label, whether it is chosen.
    statuses: Vec<(&'static str, String, bool)>,
    commitments: Vec<CommitmentBlock>,
    quarters: Vec<String>,
    plans: Vec<(i64, String, bool)>,
    /// The goals of each status, by the key of the status's label.
    counts: Vec<(String, usize)>,
    /// The session that approved the plan, when recorded.
    approved_in: Option<SessionLine>,
}

async fn dashboard(
    State(state): State<AppState>,
    ctx: PageContext,
    IdPath(id): IdPath<PlanId>,
    Query(query): Query<DashboardQuery>,
) -> Result<Response, AppError> {
    let day = as_of(&state.app, query.fecha.as_deref())?;
    let summary = plan_summary(&state.app, id, day).await?;
    let axis: Option<i64> = query.eje.as_deref().and_then(|e| e.parse().ok());
    let status = query
        .estatus
        .as_deref()
        .filter(|s| !s.is_empty())
        .and_then(|s| GoalStatus::parse(s).ok());
    let mut counts: Vec<(String, usize)> = GoalStatus::ALL
        .iter()
        .map(|s| (status_key(*s), 0))
        .collect();
    for goal in summary.commitments.iter().flat_map(|c| c.goals.iter()) {
        if let Some(index) = GoalStatus::ALL.iter().position(|s| *s == goal.status) {
            counts[index].1 += 1;
        }
    }
    let commitments = summary
        .commitments
        .iter()
        .filter(|c| axis.is_none_or(|a| a == c.id.get()))
        .map(|c| CommitmentBlock {
            id: c.id.get(),
            title: c.title.clone(),
            unit: c.unit.clone().unwrap_or_default(),
            bar: Bar::of(c.progress_percent),
            goals: c
                .goals
                .iter()
                .filter(|g| status.is_none_or(|s| s == g.status))
                .map(|g| {
                    let (value, target) = value_and_target(&g.indicator.reading);
                    GoalRow {
                        bar: Bar::of(Some(g.progress_percent)),
                        value,
                        target,
                        goal: g.clone(),
                    }
                })
                .collect(),
            notes: c
                .notes
                .iter()
                .map(|n| (n.noted_on, n.title.clone(), n.body.clone()))
                .collect(),
        })
        .filter(|c| status.is_none() || !c.goals.is_empty())
        .collect();
    let plan = abierto_app::plan::plan(&state.app, id).await?;
    let approved_in = match plan.approved_in {
        Some(session) => Some(session_line(
            &abierto_app::sessions::session(&state.app, session).await?,
        )),
        None => None,
    };
    let mut quarters: Vec<String> = Vec::new();
    for report in abierto_app::plan::published_reports(&state.app, id).await? {
        let quarter = Quarter::of(report.month.first_day()).to_string();
        if !quarters.contains(&quarter) {
            quarters.push(quarter);
        }
    }
    quarters.sort();
    let plans = abierto_app::plan::plans(&state.app)
        .await?
        .into_iter()
        .map(|p| (p.id.get(), p.title, p.id == id))
        .collect();
    render(&DashboardPage {
        ctx,
        id,
        title: plan.title,
        as_of: day,
        bar: Bar::of(summary.progress_percent),
        axes: summary
            .commitments
            .iter()
            .map(|c| (c.id.get(), c.title.clone(), axis == Some(c.id.get())))
            .collect(),
        statuses: GoalStatus::ALL
            .iter()
            .map(|s| (s.key(), status_key(*s), status == Some(*s)))
            .collect(),
        commitments,
        quarters,
        plans,
        counts,
        approved_in,
    })
}

#[derive(Template)]
#[template(path = "goal.html")]
struct GoalPage {
    ctx: PageContext,
    goal: GoalSummary,
    bar: Bar,
    chart: Chart,
    history: Vec<HistoryPoint>,
    value: String,
}

/// A line chart of an indicator's history, drawn as SVG on the server.
struct Chart {
    points: String,
    target_y: String,
    width: u32,
    height: u32,
    first: String,
    last: String,
    max_label: String,
}

fn chart(history: &[HistoryPoint], target: f64, is_percentage: bool) -> Chart {
    let (width, height) = (600u32, 200u32);
    let max = if is_percentage {
        100.0
    } else {
        history
            .iter()
            .filter_map(|p| p.value)
            .fold(target, f64::max)
            .max(1.0)
    };
    let steps = history.len().saturating_sub(1).max(1) as f64;
    let points: Vec<String> = history
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let x = i as f64 / steps * f64::from(width);
            let y = f64::from(height) - p.value.unwrap_or(0.0).min(max) / max * f64::from(height);
            format!("{x:.1},{y:.1}")
        })
        .collect();
    Chart {
        points: points.join(" "),
        target_y: format!(
            "{:.1}",
            f64::from(height) - target.min(max) / max * f64::from(height)
        ),
        width,
        height,
        first: history
            .first()
            .map(|p| p.as_of.to_string())
            .unwrap_or_default(),
        last: history
            .last()
            .map(|p| p.as_of.to_string())
            .unwrap_or_default(),
        max_label: if is_percentage {
            "100%".to_owned()
        } else {
            format!("{max:.0}")
        },
    }
}

async fn goal(
    State(state): State<AppState>,
    ctx: PageContext,
    IdPath(id): IdPath<GoalId>,
    Query(query): Query<DashboardQuery>,
) -> Result<Response, AppError> {
    let day = as_of(&state.app, query.fecha.as_deref())?;
    let detail = goal_detail(&state.app, id, day).await?;
    let reading = &detail.goal.indicator.reading;
    let is_percentage = reading.kind.is_percentage();
    let value = match reading.value {
        Some(v) if is_percentage => percent_text(v),
        Some(v) => format!("{v:.0}"),
        None => "—".to_owned(),
    };
    render(&GoalPage {
        ctx,
        bar: Bar::of(Some(detail.goal.progress_percent)),
        chart: chart(&detail.history, reading.target, is_percentage),
        history: detail.history,
        value,
        goal: detail.goal,
    })
}

#[derive(Deserialize)]
struct TrackingQuery {
    trimestre: Option<String>,
    formato: Option<String>,
}

#[derive(Template)]
#[template(path = "plan_tracking.html")]
struct TrackingPage {
    ctx: PageContext,
    id: PlanId,
    table: GoalTracking,
    as_of: String,
    quarter: String,
}

async fn tracking(
    State(state): State<AppState>,
    ctx: PageContext,
    IdPath(id): IdPath<PlanId>,
    Query(query): Query<TrackingQuery>,
) -> Result<Response, AppError> {
    let quarter = query
        .trimestre
        .as_deref()
        .filter(|q| !q.trim().is_empty())
        .map(Quarter::parse)
        .transpose()?;
    let table = goal_tracking(&state.app, id, quarter, state.app.clock().today()).await?;
    if query.formato.as_deref() == Some("md") {
        return Ok(markdown(
            abierto_documents::plan_reports::tracking_markdown(&table),
        ));
    }
    let as_of = ctx.date(table.as_of);
    render(&TrackingPage {
        ctx,
        id,
        as_of,
        quarter: quarter.map(|q| q.to_string()).unwrap_or_default(),
        table,
    })
}

#[derive(Template)]
#[template(path = "plan_report.html")]
struct ReportPage {
    ctx: PageContext,
    id: PlanId,
    report: QuarterlyReport,
}

async fn report(
    State(state): State<AppState>,
    ctx: PageContext,
    Path((id, quarter)): Path<(String, String)>,
    Query(query): Query<TrackingQuery>,
) -> Result<Response, AppError> {
    let id: PlanId = id.parse().map_err(|_| AppError::NotFound)?;
    let quarter = Quarter::parse(&quarter)?;
    let report = quarterly_report(&state.app, id, quarter).await?;
    if query.formato.as_deref() == Some("md") {
        return Ok(markdown(quarterly_markdown(&report)));
    }
    render(&ReportPage { ctx, id, report })
}

fn markdown(text: String) -> Response {
    ([(CONTENT_TYPE, "text/markdown; charset=utf-8")], text).into_response()
}

/// Columns of the goals export; no personal data.
const GOAL_COLUMNS: [&str; 13] = [
    "meta_id",
    "eje",
    "meta",
    "indicador",
    "tipo_indicador",
    "numerador",
    "denominador",
    "valor",
    "meta_valor",
    "fecha_cumplimiento",
    "avance",
    "estatus",
    "fecha_lectura",
];

async fn goals_csv(
    State(state): State<AppState>,
    IdPath(id): IdPath<PlanId>,
    Query(query): Query<DashboardQuery>,
) -> Result<Response, AppError> {
    let day = as_of(&state.app, query.fecha.as_deref())?;
    let summary = plan_summary(&state.app, id, day).await?;
    let mut rows = vec![csv_line(GOAL_COLUMNS.iter().map(|c| c.to_string()))];
    for goal in summary.commitments.iter().flat_map(|c| c.goals.iter()) {
        let r = &goal.indicator.reading;
        rows.push(csv_line([
            goal.id.to_string(),
            goal.axis.clone(),
            goal.statement.clone(),
            goal.indicator_text.clone(),
            r.kind.key().to_owned(),
            format!("{}", r.numerator),
            r.denominator.map(|d| d.to_string()).unwrap_or_default(),
            r.value.map(|v| format!("{v:.2}")).unwrap_or_default(),
            format!("{}", r.target),
            goal.due_on.to_string(),
            format!("{:.2}", goal.progress_percent),
            goal.status.key().to_owned(),
            r.as_of.to_string(),
        ]));
    }
    Ok(stream(
        rows,
        "text/csv; charset=utf-8",
        &format!("metas-plan-{id}.csv"),
    ))
}

async fn goals_json(
    State(state): State<AppState>,
    IdPath(id): IdPath<PlanId>,
    Query(query): Query<DashboardQuery>,
) -> Result<Response, AppError> {
    let day = as_of(&state.app, query.fecha.as_deref())?;
    let summary = plan_summary(&state.app, id, day).await?;
    let goals: Vec<&GoalSummary> = summary
        .commitments
        .iter()
        .flat_map(|c| c.goals.iter())
        .collect();
    // One goal per chunk, inside a JSON array.
    let mut chunks = vec![Bytes::from_static(b"[")];
    for (index, goal) in goals.iter().enumerate() {
        let mut text = if index == 0 {
            String::new()
        } else {
            ",".to_owned()
        };
        text.push_str(&serde_json::to_string(goal).map_err(|e| AppError::Internal(e.to_string()))?);
        chunks.push(Bytes::from(text));
    }
    chunks.push(Bytes::from_static(b"]"));
    Ok(stream(
        chunks,
        "application/json",
        &format!("metas-plan-{id}.json"),
    ))
}
