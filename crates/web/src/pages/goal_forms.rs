//! The secretariat's form for a commitment's goals (metas): the statement, the indicator and
//! how it is measured — a ratio or count of program records, a milestone, a manual
//! percentage — its target, the span of records it reads, the execution window and the due
//! date (fecha establecida de cumplimiento).

use crate::csrf::GuardedRouter;
use abierto_app::plan::Goal;
use abierto_domain::ids::{CommitmentId, GoalId};
use abierto_domain::indicators::{IndicatorKind, Measure};
use abierto_domain::ErrorCode;
use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use serde::Deserialize;

use super::form::is_refusal;
use super::render;
use crate::auth::SessionKeeper;
use crate::html_form::HtmlForm;
use crate::id_path::IdPath;
use crate::page::PageContext;
use crate::{AppError, AppState};
use abierto_app::plan::editing::{self, GoalRequest};

pub fn router() -> GuardedRouter {
    GuardedRouter::new()
        .route(
            "/compromisos/{id}/metas/nueva",
            get(new_goal).post(create_goal),
        )
        .route("/metas/{id}/editar", get(goal_page).post(edit_goal))
}

/// The goal form's fields as typed.
#[derive(Default, Deserialize)]
#[serde(default)]
struct GoalForm {
    external_id: String,
    statement: String,
    indicator: String,
    kind: String,
    numerator: String,
    denominator: String,
    target: String,
    measured_from: String,
    measured_to: String,
    window_start: String,
    due_on: String,
}

impl GoalForm {
    fn of(goal: &Goal) -> GoalForm {
        let spec = &goal.spec;
        GoalForm {
            external_id: goal.external_id.clone().unwrap_or_default(),
            statement: goal.statement.clone(),
            indicator: goal.indicator.clone(),
            kind: spec.kind.key().to_owned(),
            numerator: spec.numerator.map(Measure::key).unwrap_or_default(),
            denominator: spec.denominator.map(Measure::key).unwrap_or_default(),
            target: spec.target.to_string(),
            measured_from: goal.measured.start.to_string(),
            measured_to: goal.measured.end.to_string(),
            window_start: goal.window_start.map(|d| d.to_string()).unwrap_or_default(),
            due_on: goal.due_on.to_string(),
        }
    }

    fn request(&self) -> Result<GoalRequest, AppError> {
        let optional = |value: &str| Some(value.to_owned());
        let target = self
            .target
            .trim()
            .replace(',', ".")
            .parse::<f64>()
            .map_err(|_| {
                abierto_domain::ValidationError::new("target", ErrorCode::InvalidTarget)
            })?;
        Ok(GoalRequest {
            external_id: optional(&self.external_id),
            statement: self.statement.to_owned(),
            indicator: self.indicator.to_owned(),
            kind: self.kind.to_owned(),
            numerator: optional(&self.numerator),
            denominator: optional(&self.denominator),
            target,
            measured_from: optional(&self.measured_from),
            measured_to: optional(&self.measured_to),
            window_start: optional(&self.window_start),
            due_on: self.due_on.to_owned(),
        })
    }
}

#[derive(Template)]
#[template(path = "goal_form.html")]
struct GoalFormPage {
    ctx: PageContext,
    commitment: CommitmentId,
    commitment_title: String,
    /// The goal being edited, with its key; `None` for a new one.
    editing: Option<(GoalId, String)>,
    form: GoalForm,
    /// Indicator kinds: (key, the key of its label).
    kinds: Vec<(&'static str, String)>,
    /// Every measure the records answer: (key, Spanish label).
    measures: Vec<(String, String)>,
    error_key: Option<String>,
}

async fn page(
    state: &AppState,
    ctx: PageContext,
    commitment: CommitmentId,
    editing: Option<(GoalId, String)>,
    form: GoalForm,
    error_key: Option<String>,
) -> Result<Response, AppError> {
    let commitment_title = abierto_app::plan::commitment(&state.app, commitment)
        .await?
        .title;
    let page = GoalFormPage {
        ctx,
        commitment,
        commitment_title,
        editing,
        form,
        kinds: IndicatorKind::ALL
            .iter()
            .map(|k| (k.key(), format!("plan_forms.kind_{}", k.key())))
            .collect(),
        measures: Measure::all()
            .into_iter()
            .map(|m| (m.key(), m.label_es()))
            .collect(),
        error_key,
    };
    render(&page)
}

fn saved_to(commitment: CommitmentId) -> Response {
    Redirect::to(&format!("/compromisos/{commitment}/editar?guardado=1")).into_response()
}

async fn new_goal(
    State(state): State<AppState>,
    _keeper: SessionKeeper,
    ctx: PageContext,
    IdPath(commitment): IdPath<CommitmentId>,
) -> Result<Response, AppError> {
    let form = GoalForm {
        kind: IndicatorKind::RecordRatio.key().to_owned(),
        ..GoalForm::default()
    };
    page(&state, ctx, commitment, None, form, None).await
}

async fn create_goal(
    State(state): State<AppState>,
    SessionKeeper(viewer): SessionKeeper,
    ctx: PageContext,
    IdPath(commitment): IdPath<CommitmentId>,
    HtmlForm(form): HtmlForm<GoalForm>,
) -> Result<Response, AppError> {
    let outcome = match form.request() {
        Ok(request) => editing::create_goal(&state.app, viewer.actor(), commitment, &request)
            .await
            .map_err(AppError::from),
        Err(err) => Err(err),
    };
    match outcome {
        Ok(_) => Ok(saved_to(commitment)),
        Err(err) if is_refusal(&err) => {
            let key = Some(err.report().message_key);
            let response = page(&state, ctx, commitment, None, form, key).await?;
            Ok((err.status(), response).into_response())
        }
        Err(err) => Err(err),
    }
}

async fn goal_page(
    State(state): State<AppState>,
    _keeper: SessionKeeper,
    ctx: PageContext,
    IdPath(id): IdPath<GoalId>,
) -> Result<Response, AppError> {
    let goal = abierto_app::plan::goal(&state.app, id).await?;
    let editing = Some((id, goal.external_id.clone().unwrap_or_default()));
    page(
        &state,
        ctx,
        goal.commitment,
        editing,
        GoalForm::of(&goal),
        None,
    )
    .await
}

async fn edit_goal(
    State(state): State<AppState>,
    SessionKeeper(viewer): SessionKeeper,
    ctx: PageContext,
    IdPath(id): IdPath<GoalId>,
    HtmlForm(form): HtmlForm<GoalForm>,
) -> Result<Response, AppError> {
    let goal = abierto_app::plan::goal(&state.app, id).await?;
    let outcome = match form.request() {
        Ok(request) => editing::edit_goal(&state.app, viewer.actor(), id, &request)
            .await
            .map_err(AppError::from),
        Err(err) => Err(err),
    };
    match outcome {
        Ok(()) => Ok(saved_to(goal.commitment)),
        Err(err) if is_refusal(&err) => {
            let editing = Some((id, goal.external_id.unwrap_or_default()));
            let key = Some(err.report().message_key);
            let response = page(&state, ctx, goal.commitment, editing, form, key).await?;
            Ok((err.status(), response).into_response())
        }
        Err(err) => Err(err),
    }
}
