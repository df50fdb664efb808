//! Plans, commitments and goals from CSV. Each row names what it belongs to by the other's
//! external id (a commitment its plan, a goal its commitment) or by name (a plan's body, a
//! commitment's unit), so a file can be prepared in a spreadsheet without knowing any
//! internal number. A column left out of the file keeps what is stored for the rows it
//! updates; a column present but blank clears it.

use std::collections::HashSet;

use abierto_domain::governance::Period;
use abierto_domain::ids::{CommitmentId, PlanId, SessionId};
use abierto_domain::indicators::{IndicatorKind, IndicatorSpec, Measure};
use abierto_domain::plan::{check_weights, parse_weight};
use abierto_domain::ErrorCode;
use abierto_store::{
    Commitment, Goal, ImportBatch, NewCommitment, NewGoal, NewPlan, Plan, Store, StoreError,
};

use crate::table::{Columns, Row};
use crate::{
    checked, date, drop_repeated_ids, or_stored, required_date, same_name, split, unit_cell,
    Checked, RowProblem,
};

pub const PLAN_COLUMNS: Columns = Columns {
    required: &["external_id", "title", "body", "period_start", "period_end"],
    optional: &["approved_in"],
};

pub const COMMITMENT_COLUMNS: Columns = Columns {
    required: &["external_id", "plan", "title"],
    optional: &["description", "unit", "weight"],
};

pub const GOAL_COLUMNS: Columns = Columns {
    required: &[
        "external_id",
        "commitment",
        "statement",
        "kind",
        "target",
        "due_on",
    ],
    optional: &[
        "indicator",
        "numerator",
        "denominator",
        "measured_from",
        "measured_to",
        "window_start",
    ],
};

pub async fn plans(store: &Store, rows: &[Row]) -> Result<Checked, StoreError> {
    let bodies = store.bodies().await?;
    let stored = store.plans().await?;
    let mut results = Vec::with_capacity(rows.len());
    for row in rows {
        let result: Result<Result<NewPlan, StoreError>, RowProblem> = async {
            let body_name = row.required("body")?;
            let body = bodies
                .iter()
                .find(|b| same_name(&b.short_name, body_name) || same_name(&b.name, body_name))
                .ok_or(RowProblem::at(row.number, "body", ErrorCode::UnknownBody))?;
            let period = Period::new(
                required_date(row, "period_start")?,
                required_date(row, "period_end")?,
            )
            .map_err(|e| RowProblem::refused(row.number, &e))?;
            let kept = stored
                .iter()
                .find(|p| p.external_id.as_deref() == row.optional("external_id"))
                .filter(|_| !row.has("approved_in"));
            let approved_in = match kept.map(|p| p.approved_in) {
                Some(kept) => kept,
                None => match row.optional("approved_in") {
                    None => None,
                    Some(raw) => {
                        let unknown =
                            RowProblem::at(row.number, "approved_in", ErrorCode::UnknownSession);
                        let id: SessionId = raw.parse().map_err(|_| unknown.clone())?;
                        match store.session(id).await {
                            Ok(session) if session.body == body.id => Some(id),
                            Ok(_) | Err(StoreError::NotFound) => return Err(unknown),
                            Err(other) => return Ok(Err(other)),
                        }
                    }
                },
            };
            Ok(Ok(NewPlan {
                external_id: Some(row.required("external_id")?.to_owned()),
                title: row.required("title")?.to_owned(),
                body: body.id,
                period,
                approved_in,
            }))
        }
        .await;
        results.push((row.number, flatten(result)?));
    }
    let (good, mut problems) = split(results);
    let good = drop_repeated_ids(good, external_id_of_plan, &mut problems);
    Ok(checked(good, problems, ImportBatch::Plans))
}

fn external_id_of_plan(plan: &NewPlan) -> &str {
    plan.external_id.as_deref().unwrap_or_default()
}

/// A row's result, with a database failure met while checking it kept apart.
fn flatten<T>(
    result: Result<Result<T, StoreError>, RowProblem>,
) -> Result<Result<T, RowProblem>, StoreError> {
    match result {
        Ok(Ok(value)) => Ok(Ok(value)),
        Ok(Err(store)) => Err(store),
        Err(problem) => Ok(Err(problem)),
    }
}

pub async fn commitments(store: &Store, rows: &[Row]) -> Result<Checked, StoreError> {
    let plans = store.plans().await?;
    let units = store.units().await?;
    let mut stored: Vec<Commitment> = Vec::new();
    for plan in &plans {
        stored.extend(store.commitments(plan.id).await?);
    }
    let results = rows
        .iter()
        .map(|row| {
            let result = (|| {
                let plan = find_plan(&plans, row)?;
                let kept = stored
                    .iter()
                    .find(|c| c.external_id.as_deref() == row.optional("external_id"));
                let unit = or_stored(row, "unit", kept.map(|c| c.unit), || unit_cell(row, &units))?;
                Ok(NewCommitment {
                    external_id: Some(row.required("external_id")?.to_owned()),
                    plan: plan.id,
                    title: row.required("title")?.to_owned(),
                    description: or_stored(
                        row,
                        "description",
                        kept.map(|c| c.description.clone()),
                        || Ok(row.get("description").to_owned()),
                    )?,
                    unit,
                    weight: or_stored(row, "weight", kept.map(|c| c.weight), || {
                        parse_weight(row.get("weight"))
                            .map_err(|e| RowProblem::refused(row.number, &e))
                    })?,
                })
            })();
            (row.number, result)
        })
        .collect();
    let (good, mut problems) = split(results);
    let good = drop_repeated_ids(
        good,
        |c: &NewCommitment| c.external_id.as_deref().unwrap_or_default(),
        &mut problems,
    );
    let good = check_plan_weights(store, good, &mut problems).await?;
    Ok(checked(good, problems, ImportBatch::Commitments))
}

fn find_plan<'a>(plans: &'a [Plan], row: &Row) -> Result<&'a Plan, RowProblem> {
    let wanted = row.required("plan")?;
    plans
        .iter()
        .find(|p| p.external_id.as_deref() == Some(wanted))
        .ok_or(RowProblem::at(row.number, "plan", ErrorCode::UnknownPlan))
}

/// Each plan's weights as they would be after the import: all or none, summing to 1. A plan
/// whose weights would not add up refuses every row of the file that touches it.
async fn check_plan_weights(
    store: &Store,
    good: Vec<(usize, NewCommitment)>,
    problems: &mut Vec<RowProblem>,
) -> Result<Vec<(usize, NewCommitment)>, StoreError> {
    let in_file: HashSet<String> = good
        .iter()
        .filter_map(|(_, c)| c.external_id.clone())
        .collect();
    let touched: Vec<PlanId> = {
        let mut plans: Vec<PlanId> = good.iter().map(|(_, c)| c.plan).collect();
        plans.sort_by_key(|p| p.get());
        plans.dedup();
        plans
    };
    let mut refused: HashSet<i64> = HashSet::new();
    for plan in touched {
        let stored: Vec<Commitment> = store.commitments(plan).await?;
        let mut weights: Vec<Option<f64>> = stored
            .iter()
            .filter(|c| {
                !c.external_id
                    .as_ref()
                    .is_some_and(|id| in_file.contains(id))
            })
            .map(|c| c.weight)
            .collect();
        weights.extend(
            good.iter()
                .filter(|(_, c)| c.plan == plan)
                .map(|(_, c)| c.weight),
        );
        if let Err(rule) = check_weights(&weights) {
            refused.insert(plan.get());
            for (number, _) in good.iter().filter(|(_, c)| c.plan == plan) {
                problems.push(RowProblem::refused(*number, &rule));
            }
        }
    }
    Ok(good
        .into_iter()
        .filter(|(_, c)| !refused.contains(&c.plan.get()))
        .collect())
}

pub async fn goals(store: &Store, rows: &[Row]) -> Result<Checked, StoreError> {
    let mut commitments: Vec<(Commitment, Period)> = Vec::new();
    let mut stored: Vec<Goal> = Vec::new();
    for plan in store.plans().await? {
        for commitment in store.commitments(plan.id).await? {
            commitments.push((commitment, plan.period));
        }
        stored.extend(store.goals_of_plan(plan.id).await?);
    }
    let results = rows
        .iter()
        .map(|row| {
            let kept = stored
                .iter()
                .find(|g| g.external_id.as_deref() == row.optional("external_id"));
            (row.number, goal(row, &commitments, kept))
        })
        .collect();
    let (good, mut problems) = split(results);
    let good = drop_repeated_ids(
        good,
        |g: &NewGoal| g.external_id.as_deref().unwrap_or_default(),
        &mut problems,
    );
    Ok(checked(good, problems, ImportBatch::Goals))
}

fn goal(
    row: &Row,
    commitments: &[(Commitment, Period)],
    kept: Option<&Goal>,
) -> Result<NewGoal, RowProblem> {
    let n = row.number;
    let wanted = row.required("commitment")?;
    let (commitment, plan_period): (CommitmentId, Period) = commitments
        .iter()
        .find(|(c, _)| c.external_id.as_deref() == Some(wanted))
        .map(|(c, period)| (c.id, *period))
        .ok_or(RowProblem::at(
            n,
            "commitment",
            ErrorCode::UnknownCommitment,
        ))?;
    let kind = IndicatorKind::parse(row.required("kind")?).map_err(|e| at_column(n, "kind", &e))?;
    let measure = |column: &'static str, stored: Option<Option<Measure>>| {
        or_stored(row, column, stored, || {
            row.optional(column)
                .map(Measure::parse)
                .transpose()
                .map_err(|e| at_column(n, column, &e))
        })
    };
    let target = row
        .required("target")?
        .replace(',', ".")
        .parse::<f64>()
        .map_err(|_| RowProblem::at(n, "target", ErrorCode::InvalidTarget))?;
    let numerator = measure("numerator", kept.map(|g| g.spec.numerator))?;
    let denominator = measure("denominator", kept.map(|g| g.spec.denominator))?;
    let spec = IndicatorSpec::new(kind, numerator, denominator, target)
        .map_err(|e| RowProblem::refused(n, &e))?;
    // Unless the file says otherwise, a goal measures the records of its plan's period.
    let measured_default = kept.map_or(plan_period, |g| g.measured);
    let measured = Period::new(
        or_stored(
            row,
            "measured_from",
            kept.map(|g| Some(g.measured.start)),
            || date(row, "measured_from"),
        )?
        .unwrap_or(measured_default.start),
        or_stored(
            row,
            "measured_to",
            kept.map(|g| Some(g.measured.end)),
            || date(row, "measured_to"),
        )?
        .unwrap_or(measured_default.end),
    )
    .map_err(|e| RowProblem::refused(n, &e))?;
    let window_start = or_stored(row, "window_start", kept.map(|g| g.window_start), || {
        date(row, "window_start")
    })?;
    let due_on = required_date(row, "due_on")?;
    if window_start.is_some_and(|start| due_on < start) {
        return Err(RowProblem::at(n, "due_on", ErrorCode::DueBeforeWindow));
    }
    Ok(NewGoal {
        external_id: Some(row.required("external_id")?.to_owned()),
        commitment,
        statement: row.required("statement")?.to_owned(),
        indicator: or_stored(row, "indicator", kept.map(|g| g.indicator.clone()), || {
            Ok(row.get("indicator").to_owned())
        })?,
        spec,
        measured,
        window_start,
        due_on,
    })
}

/// A domain refusal reported at the column the value came from.
fn at_column(row: usize, column: &str, rule: &abierto_domain::ValidationError) -> RowProblem {
    RowProblem::at(row, column, rule.code())
}
