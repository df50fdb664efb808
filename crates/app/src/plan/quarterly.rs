//! The numbered quarterly report of a plan (informe trimestral): for each commitment, month
//! by month, what was planned and what was done, with the figures read from the programs'
//! records beside the ones reported; then the quarter's complementary actions, trainings and
//! sessions. Built once here for the page, the API and the documents.

use abierto_documents::plan_reports::{
    done_text, figure_text, figures_and_text, join_es, same_measure, short_date_es,
    CommitmentSection, DoneFigure, Figure, Fulfilment, MonthRow, OutreachGroup, OutreachRow,
    QuarterlyReport, TrainingRow,
};
use abierto_domain::ids::PlanId;
use abierto_domain::indicators::Measure;
use abierto_domain::plan::{ordinal_es, Quarter, YearMonth};
use abierto_domain::programs::OutreachKind;
use abierto_domain::{ErrorCode, ValidationError};
use abierto_store::{Commitment, DoneLine, MonthlyReport, ReportState, ScheduleEntry, Span};

use super::view::{evidence_link, planned_text, records_link, session_line};
use crate::{App, Error};

/// The quarterly report of a plan, numbered from the plan's first quarter.
pub async fn quarterly_report(
    app: &App,
    id: PlanId,
    quarter: Quarter,
) -> Result<QuarterlyReport, Error> {
    let plan = app.store().plan(id).await?;
    let body = app.store().body(plan.body).await?;
    let number = quarter
        .number_since(plan.period.start)
        .filter(|_| quarter.first_day() <= plan.period.end)
        .ok_or(ValidationError::new(
            "quarter",
            ErrorCode::QuarterOutsidePlan,
        ))?;
    let title = format!(
        "{} informe trimestral de actividades del periodo {} del {}",
        ordinal_es(number),
        quarter.label_es(),
        body.name
    );
    let published = app
        .store()
        .monthly_reports(id, ReportState::Published)
        .await?;
    let mut sections = Vec::new();
    for (index, commitment) in app.store().commitments(id).await?.iter().enumerate() {
        let section = commitment_section(app, index + 1, commitment, quarter, &published).await?;
        sections.extend(section);
    }

    let span = Span {
        from: quarter.first_day(),
        to: quarter.last_day(),
    };
    let trainings = trainings(app, span).await?;
    let mut trained_units: Vec<String> = Vec::new();
    for unit in trainings.iter().flat_map(|t| t.units.iter()) {
        if !trained_units.contains(unit) {
            trained_units.push(unit.clone());
        }
    }
    let presented = match app.store().presentation(id, quarter).await? {
        Some(session) => Some(app.store().session(session).await?),
        None => None,
    };
    // The sessions held in the quarter before the one it was presented in.
    let sessions = app
        .store()
        .sessions(Some(plan.body))
        .await?
        .iter()
        .filter(|s| quarter.contains(s.held_on))
        .filter(|s| presented.as_ref().is_none_or(|p| s.held_on < p.held_on))
        .map(session_line)
        .collect();
    let range = |path: &str| format!("/programas/{path}?desde={}&hasta={}", span.from, span.to);
    Ok(QuarterlyReport {
        plan_id: id.get(),
        quarter: quarter.to_string(),
        number,
        title,
        commitments: sections,
        outreach: outreach_groups(app, span).await?,
        outreach_link: range("acciones-complementarias"),
        people_trained: trainings.iter().map(|t| t.people_trained).sum(),
        trainings,
        trained_units,
        trainings_link: range("capacitaciones"),
        sessions,
        presented_in: presented.as_ref().map(session_line),
    })
}

/// A commitment's part of the report: its months with something planned or done, and the
/// quarter's totals of what adds up. `None` when the quarter has neither.
async fn commitment_section(
    app: &App,
    number: usize,
    commitment: &Commitment,
    quarter: Quarter,
    published: &[MonthlyReport],
) -> Result<Option<CommitmentSection>, Error> {
    let schedule = app.store().schedule(commitment.id).await?;
    let mut months = Vec::new();
    let mut totals: Vec<(String, i64)> = Vec::new();
    for month in quarter.months() {
        let planned = schedule.iter().find(|e| e.month == month);
        let done = published
            .iter()
            .find(|r| r.commitment == commitment.id && r.month == month);
        if planned.is_none() && done.is_none() {
            continue;
        }
        let row = month_row(app, month, planned, done).await?;
        for figure in &row.done {
            if !figure.additive {
                continue;
            }
            match totals
                .iter_mut()
                .find(|(m, _)| same_measure(m, &figure.done.measure))
            {
                Some((_, n)) => *n += figure.done.quantity,
                None => totals.push((figure.done.measure.clone(), figure.done.quantity)),
            }
        }
        months.push(row.into_month_row());
    }
    if months.is_empty() {
        return Ok(None);
    }
    let summary = (!totals.is_empty()).then(|| {
        let parts: Vec<String> = totals.iter().map(|(m, n)| figure_text(m, *n)).collect();
        format!(
            "Del periodo que se informa, se reportaron {}.",
            join_es(&parts)
        )
    });
    Ok(Some(CommitmentSection {
        number,
        title: commitment.title.clone(),
        unit: commitment.unit_name.clone(),
        summary,
        months,
    }))
}

/// A figure done in a month, and whether it adds up over the quarter (a count of works in a
/// stage does not: it is a state, not a flow).
struct CountedFigure {
    done: DoneFigure,
    additive: bool,
}

/// A month of a commitment while its figures are still being added up.
struct MonthInProgress {
    row: MonthRow,
    done: Vec<CountedFigure>,
}

impl MonthInProgress {
    fn into_month_row(self) -> MonthRow {
        MonthRow {
            done: self.done.into_iter().map(|f| f.done).collect(),
            ..self.row
        }
    }
}

/// One month of a commitment: planned against done, each figure read from the records when
/// its line names a source, and how much of each planned figure was fulfilled.
async fn month_row(
    app: &App,
    month: YearMonth,
    planned: Option<&ScheduleEntry>,
    done: Option<&MonthlyReport>,
) -> Result<MonthInProgress, Error> {
    let planned_figures: Vec<Figure> = planned
        .map(|e| {
            e.planned
                .iter()
                .map(|q| Figure {
                    measure: q.measure.clone(),
                    quantity: q.quantity,
                })
                .collect()
        })
        .unwrap_or_default();
    let mut done_figures = Vec::new();
    for line in done.map(|r| r.lines.as_slice()).unwrap_or_default() {
        done_figures.push(done_figure(app, month, line).await?);
    }
    let done_text = figures_and_text(
        done_figures.iter().map(|f| f.done.text.clone()).collect(),
        done.map(|r| r.text.as_str()).unwrap_or_default(),
    );
    let fulfilment = planned_figures
        .iter()
        .map(|p| fulfilment(p, &done_figures))
        .collect();
    Ok(MonthInProgress {
        row: MonthRow {
            month: month.to_string(),
            month_name: month.name_es(),
            planned_text: planned.map(planned_text).unwrap_or_default(),
            planned: planned_figures,
            done_text,
            done: Vec::new(),
            done_note: done.map(|r| r.text.trim().to_owned()).unwrap_or_default(),
            fulfilment,
            evidence: done
                .map(|r| r.evidence.iter().map(evidence_link).collect())
                .unwrap_or_default(),
        },
        done: done_figures,
    })
}

/// A line of a monthly report, with the value its source gives for the month when it names
/// one.
async fn done_figure(app: &App, month: YearMonth, line: &DoneLine) -> Result<CountedFigure, Error> {
    let (records_value, records_link) = match line.source {
        Some(measure) => {
            let span = Span {
                from: month.first_day(),
                to: month.last_day(),
            };
            let value = app.store().measure(measure, span, month.last_day()).await? as i64;
            (
                Some(value),
                Some(records_link(measure, span, month.last_day())),
            )
        }
        None => (None, None),
    };
    Ok(CountedFigure {
        additive: !matches!(line.source, Some(Measure::WorksInStage(_))),
        done: DoneFigure {
            measure: line.measure.clone(),
            quantity: line.quantity,
            dates: line.dates.clone(),
            note: line.note.clone(),
            text: done_text(&line.measure, line.quantity, &line.dates, &line.note),
            source: line.source.map(Measure::key),
            records_value,
            records_link,
        },
    })
}

/// How much of a planned figure the month's figures of the same measure fulfilled.
fn fulfilment(planned: &Figure, done: &[CountedFigure]) -> Fulfilment {
    let done: i64 = done
        .iter()
        .filter(|d| same_measure(&d.done.measure, &planned.measure))
        .map(|d| d.done.quantity)
        .sum();
    Fulfilment {
        measure: planned.measure.clone(),
        planned: planned.quantity,
        done,
        percent: if planned.quantity > 0 {
            done as f64 / planned.quantity as f64 * 100.0
        } else {
            100.0
        },
    }
}

/// The quarter's complementary actions, grouped by kind in the order of the kinds.
async fn outreach_groups(app: &App, span: Span) -> Result<Vec<OutreachGroup>, Error> {
    let mut groups: Vec<OutreachGroup> = Vec::new();
    for activity in app.store().outreach(span).await? {
        let row = OutreachRow {
            held_on: activity.held_on,
            date: short_date_es(activity.held_on),
            place: activity.place.clone(),
            audience: activity.audience.clone(),
            description: activity.description.clone(),
        };
        match groups.iter_mut().find(|g| g.kind == activity.kind.key()) {
            Some(group) => group.rows.push(row),
            None => groups.push(OutreachGroup {
                kind: activity.kind.key().to_owned(),
                label: activity.kind.label_es().to_owned(),
                rows: vec![row],
            }),
        }
    }
    groups.sort_by_key(|g| {
        OutreachKind::parse(&g.kind)
            .map(|k| k as usize)
            .unwrap_or(usize::MAX)
    });
    Ok(groups)
}

/// The quarter's trainings of public servants.
async fn trainings(app: &App, span: Span) -> Result<Vec<TrainingRow>, Error> {
    Ok(app
        .store()
        .trainings(span)
        .await?
        .into_iter()
        .map(|t| TrainingRow {
            held_on: t.held_on,
            title: t.title,
            people_trained: t.people_trained,
            units: t.units,
        })
        .collect())
}
