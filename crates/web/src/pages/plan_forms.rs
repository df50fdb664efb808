//! The secretariat's forms for the action plan itself: a new plan, its title, body, period
//! and approving session; its commitments (ejes) with their Unidad Responsable; and the
//! commitments' weights, set together. Every form keeps what was typed when refused.

use crate::csrf::GuardedRouter;
use abierto_app::plan::{Commitment, Plan};
use abierto_domain::ids::{BodyId, CommitmentId, PlanId, SessionId};
use askama::Template;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;

use super::form::{is_refusal, refused};
use super::render;
use crate::auth::SessionKeeper;
use crate::html_form::{self, cell, HtmlForm};
use crate::id_path::IdPath;
use crate::page::PageContext;
use crate::{AppError, AppState};
use abierto_app::plan::editing::{
    self, CommitmentEditRequest, CommitmentRequest, PlanRequest, WeightRequest, WeightsRequest,
};

pub fn router() -> GuardedRouter {
    GuardedRouter::new()
        .route("/plan-de-accion/nuevo", get(new_plan).post(create_plan))
        .route(
            "/plan-de-accion/{id}/editar",
            get(plan_page).post(edit_plan),
        )
        .route("/plan-de-accion/{id}/ponderaciones", post(set_weights))
        .route(
            "/plan-de-accion/{id}/compromisos/nuevo",
            get(new_commitment).post(create_commitment),
        )
        .route(
            "/compromisos/{id}/editar",
            get(commitment_page).post(edit_commitment),
        )
}

struct Choice {
    value: String,
    label: String,
}

/// The sessions of one body, as an `<optgroup>` of the approving-session list.
struct SessionGroup {
    body: String,
    sessions: Vec<Choice>,
}

/// A commitment's weight on a form: its id, title and the weight as typed.
struct WeightRow {
    id: i64,
    title: String,
    value: String,
}

#[derive(Default, Deserialize)]
#[serde(default)]
struct PlanForm {
    external_id: String,
    title: String,
    body: String,
    period_start: String,
    period_end: String,
    approved_in: String,
}

impl PlanForm {
    /// The form filled with what is stored.
    fn of(plan: &Plan) -> PlanForm {
        PlanForm {
            external_id: plan.external_id.clone().unwrap_or_default(),
            title: plan.title.clone(),
            body: plan.body.to_string(),
            period_start: plan.period.start.to_string(),
            period_end: plan.period.end.to_string(),
            approved_in: plan.approved_in.map(|s| s.to_string()).unwrap_or_default(),
        }
    }

    fn request(&self) -> PlanRequest {
        PlanRequest {
            external_id: Some(self.external_id.clone()),
            title: self.title.clone(),
            // An unknown or missing body is refused as `unknown_body`.
            body: self.body.trim().parse().unwrap_or(BodyId::new(0)),
            period_start: self.period_start.clone(),
            period_end: self.period_end.clone(),
            approved_in: self.approved_in.trim().parse::<SessionId>().ok(),
        }
    }
}

#[derive(Template)]
#[template(path = "plan_form.html")]
struct PlanFormPage {
    ctx: PageContext,
    /// The plan being edited, with its key; `None` for a new plan.
    editing: Option<(PlanId, String)>,
    form: PlanForm,
    bodies: Vec<Choice>,
    session_groups: Vec<SessionGroup>,
    commitments: Vec<(i64, String, String)>,
    weights: Vec<WeightRow>,
    error_key: Option<String>,
    weights_error_key: Option<String>,
    saved: bool,
}

struct PlanFormParts {
    editing: Option<(PlanId, String)>,
    form: PlanForm,
    weights: Option<Vec<WeightRow>>,
    error_key: Option<String>,
    weights_error_key: Option<String>,
    saved: bool,
}

async fn plan_form_page(
    state: &AppState,
    ctx: PageContext,
    parts: PlanFormParts,
) -> Result<PlanFormPage, AppError> {
    let bodies = abierto_app::governance::bodies(&state.app).await?;
    let mut session_groups = Vec::new();
    for body in &bodies {
        let sessions = abierto_app::sessions::sessions(&state.app, Some(body.id)).await?;
        if sessions.is_empty() {
            continue;
        }
        session_groups.push(SessionGroup {
            body: body.short_name.clone(),
            sessions: sessions
                .iter()
                .map(|s| Choice {
                    value: s.id.to_string(),
                    label: format!("{} — {}", s.title_es(), s.held_on),
                })
                .collect(),
        });
    }
    let stored = match &parts.editing {
        Some((id, _)) => abierto_app::plan::commitments(&state.app, *id).await?,
        None => Vec::new(),
    };
    let weights = parts.weights.unwrap_or_else(|| stored_weights(&stored));
    Ok(PlanFormPage {
        ctx,
        editing: parts.editing,
        form: parts.form,
        bodies: bodies
            .iter()
            .map(|b| Choice {
                value: b.id.to_string(),
                label: b.name.clone(),
            })
            .collect(),
        session_groups,
        commitments: stored
            .iter()
            .map(|c| {
                let unit = c.unit_name.clone().unwrap_or_default();
                (c.id.get(), c.title.clone(), unit)
            })
            .collect(),
        weights,
        error_key: parts.error_key,
        weights_error_key: parts.weights_error_key,
        saved: parts.saved,
    })
}

fn stored_weights(commitments: &[Commitment]) -> Vec<WeightRow> {
    commitments
        .iter()
        .map(|c| WeightRow {
            id: c.id.get(),
            title: c.title.clone(),
            value: c.weight.map(|w| w.to_string()).unwrap_or_default(),
        })
        .collect()
}

/// The weights posted by a form: one `weight_of` (commitment id) and one `weight` per row.
/// The weights of a plan's commitments as posted: one row per commitment.
#[derive(Default, Deserialize)]
#[serde(default)]
struct WeightsForm {
    weight_of: Vec<String>,
    weight: Vec<String>,
}

fn posted_weights(
    form: &WeightsForm,
    commitments: &[Commitment],
) -> (Vec<WeightRow>, Result<Vec<WeightRequest>, AppError>) {
    let (ids, values) = (&form.weight_of, &form.weight);
    let mut rows = Vec::new();
    let mut requests = Vec::new();
    let mut problem = None;
    for (i, raw_id) in ids.iter().enumerate() {
        let Some(commitment) = commitments.iter().find(|c| c.id.to_string() == *raw_id) else {
            continue;
        };
        let value = cell(values, i).to_owned();
        match abierto_domain::plan::parse_weight(&value) {
            Ok(weight) => requests.push(WeightRequest {
                commitment: commitment.id,
                weight,
            }),
            Err(e) => problem = Some(AppError::from(e)),
        }
        rows.push(WeightRow {
            id: commitment.id.get(),
            title: commitment.title.clone(),
            value,
        });
    }
    let outcome = match problem {
        Some(err) => Err(err),
        None => Ok(requests),
    };
    (rows, outcome)
}

fn saved_to(plan: PlanId) -> Response {
    Redirect::to(&format!("/plan-de-accion/{plan}/editar?guardado=1")).into_response()
}

async fn new_plan(
    State(state): State<AppState>,
    _keeper: SessionKeeper,
    ctx: PageContext,
) -> Result<Response, AppError> {
    let parts = PlanFormParts {
        editing: None,
        form: PlanForm::default(),
        weights: None,
        error_key: None,
        weights_error_key: None,
        saved: false,
    };
    render(&plan_form_page(&state, ctx, parts).await?)
}

async fn create_plan(
    State(state): State<AppState>,
    SessionKeeper(viewer): SessionKeeper,
    ctx: PageContext,
    HtmlForm(form): HtmlForm<PlanForm>,
) -> Result<Response, AppError> {
    match editing::create_plan(&state.app, viewer.actor(), &form.request())
        .await
        .map_err(AppError::from)
    {
        Ok(id) => Ok(saved_to(id)),
        Err(err) if is_refusal(&err) => {
            let parts = PlanFormParts {
                editing: None,
                form,
                weights: None,
                error_key: Some(err.report().message_key),
                weights_error_key: None,
                saved: false,
            };
            refused(&err, render(&plan_form_page(&state, ctx, parts).await?))
        }
        Err(err) => Err(err),
    }
}

#[derive(Deserialize)]
struct SavedQuery {
    guardado: Option<String>,
}

async fn plan_page(
    State(state): State<AppState>,
    _keeper: SessionKeeper,
    ctx: PageContext,
    IdPath(id): IdPath<PlanId>,
    Query(query): Query<SavedQuery>,
) -> Result<Response, AppError> {
    let plan = abierto_app::plan::plan(&state.app, id).await?;
    let parts = PlanFormParts {
        editing: Some((id, plan.external_id.clone().unwrap_or_default())),
        form: PlanForm::of(&plan),
        weights: None,
        error_key: None,
        weights_error_key: None,
        saved: query.guardado.is_some(),
    };
    render(&plan_form_page(&state, ctx, parts).await?)
}

async fn edit_plan(
    State(state): State<AppState>,
    SessionKeeper(viewer): SessionKeeper,
    ctx: PageContext,
    IdPath(id): IdPath<PlanId>,
    HtmlForm(form): HtmlForm<PlanForm>,
) -> Result<Response, AppError> {
    let plan = abierto_app::plan::plan(&state.app, id).await?;
    match editing::edit_plan(&state.app, viewer.actor(), id, &form.request())
        .await
        .map_err(AppError::from)
    {
        Ok(()) => Ok(saved_to(id)),
        Err(err) if is_refusal(&err) => {
            let parts = PlanFormParts {
                editing: Some((id, plan.external_id.unwrap_or_default())),
                form,
                weights: None,
                error_key: Some(err.report().message_key),
                weights_error_key: None,
                saved: false,
            };
            refused(&err, render(&plan_form_page(&state, ctx, parts).await?))
        }
        Err(err) => Err(err),
    }
}

async fn set_weights(
    State(state): State<AppState>,
    SessionKeeper(viewer): SessionKeeper,
    ctx: PageContext,
    IdPath(id): IdPath<PlanId>,
    raw: Bytes,
) -> Result<Response, AppError> {
    let plan = abierto_app::plan::plan(&state.app, id).await?;
    let commitments = abierto_app::plan::commitments(&state.app, id).await?;
    let (rows, weights) = posted_weights(&html_form::read(&raw)?, &commitments);
    let outcome = match weights {
        Ok(weights) => {
            let request = WeightsRequest { weights };
            editing::set_weights(&state.app, viewer.actor(), id, &request)
                .await
                .map_err(AppError::from)
        }
        Err(err) => Err(err),
    };
    match outcome {
        Ok(()) => Ok(saved_to(id)),
        Err(err) if is_refusal(&err) => {
            let parts = PlanFormParts {
                editing: Some((id, plan.external_id.clone().unwrap_or_default())),
                form: PlanForm::of(&plan),
                weights: Some(rows),
                error_key: None,
                weights_error_key: Some(err.report().message_key),
                saved: false,
            };
            refused(&err, render(&plan_form_page(&state, ctx, parts).await?))
        }
        Err(err) => Err(err),
    }
}

#[derive(Default, Deserialize)]
#[serde(default)]
struct CommitmentForm {
    external_id: String,
    title: String,
    description: String,
    unit: String,
    #[serde(rename = "new_weight")]
    weight: String,
}

#[derive(Template)]
#[template(path = "commitment_form.html")]
struct CommitmentFormPage {
    ctx: PageContext,
    plan: PlanId,
    plan_title: String,
    /// The commitment being edited, with its key; `None` for a new one.
    editing: Option<(CommitmentId, String)>,
    form: CommitmentForm,
    units: Vec<String>,
    /// The plan's other commitments' weights, set together with a new commitment's.
    weights: Vec<WeightRow>,
    /// The goals of the commitment being edited: (id, statement).
    goals: Vec<(i64, String)>,
    error_key: Option<String>,
    saved: bool,
}

async fn commitment_form_page(
    state: &AppState,
    ctx: PageContext,
    plan: PlanId,
    editing: Option<(CommitmentId, String)>,
    form: CommitmentForm,
    weights: Option<Vec<WeightRow>>,
    error_key: Option<String>,
) -> Result<CommitmentFormPage, AppError> {
    let plan_record = abierto_app::plan::plan(&state.app, plan).await?;
    let goals = match &editing {
        Some((id, _)) => abierto_app::plan::goals_of_plan(&state.app, plan)
            .await?
            .into_iter()
            .filter(|g| g.commitment == *id)
            .map(|g| (g.id.get(), g.statement))
            .collect(),
        None => Vec::new(),
    };
    let weights = match (&editing, weights) {
        (Some(_), _) => Vec::new(),
        (None, Some(rows)) => rows,
        (None, None) => stored_weights(&abierto_app::plan::commitments(&state.app, plan).await?),
    };
    Ok(CommitmentFormPage {
        ctx,
        plan,
        plan_title: plan_record.title,
        editing,
        form,
        units: abierto_app::accounts::units(&state.app)
            .await?
            .into_iter()
            .map(|u| u.name)
            .collect(),
        weights,
        goals,
        error_key,
        saved: false,
    })
}

async fn new_commitment(
    State(state): State<AppState>,
    _keeper: SessionKeeper,
    ctx: PageContext,
    IdPath(plan): IdPath<PlanId>,
) -> Result<Response, AppError> {
    let form = CommitmentForm::default();
    render(&commitment_form_page(&state, ctx, plan, None, form, None, None).await?)
}

async fn create_commitment(
    State(state): State<AppState>,
    SessionKeeper(viewer): SessionKeeper,
    ctx: PageContext,
    IdPath(plan): IdPath<PlanId>,
    raw: Bytes,
) -> Result<Response, AppError> {
    let commitments = abierto_app::plan::commitments(&state.app, plan).await?;
    let form: CommitmentForm = html_form::read(&raw)?;
    let (rows, other_weights) = posted_weights(&html_form::read(&raw)?, &commitments);
    let outcome = async {
        let request = CommitmentRequest {
            external_id: Some(form.external_id.clone()),
            title: form.title.clone(),
            description: form.description.clone(),
            unit: Some(form.unit.clone()),
            weight: abierto_domain::plan::parse_weight(&form.weight)?,
            other_weights: other_weights?,
        };
        editing::create_commitment(&state.app, viewer.actor(), plan, &request)
            .await
            .map_err(AppError::from)
    }
    .await;
    match outcome {
        Ok(_) => Ok(saved_to(plan)),
        Err(err) if is_refusal(&err) => {
            let key = Some(err.report().message_key);
            let page = commitment_form_page(&state, ctx, plan, None, form, Some(rows), key);
            refused(&err, render(&page.await?))
        }
        Err(err) => Err(err),
    }
}

async fn commitment_page(
    State(state): State<AppState>,
    _keeper: SessionKeeper,
    ctx: PageContext,
    IdPath(id): IdPath<CommitmentId>,
    Query(query): Query<SavedQuery>,
) -> Result<Response, AppError> {
    let commitment = abierto_app::plan::commitment(&state.app, id).await?;
    let form = CommitmentForm {
        external_id: String::new(),
        title: commitment.title,
        description: commitment.description,
        unit: commitment.unit_name.unwrap_or_default(),
        weight: String::new(),
    };
    let editing = Some((id, commitment.external_id.unwrap_or_default()));
    let mut page =
        commitment_form_page(&state, ctx, commitment.plan, editing, form, None, None).await?;
    page.saved = query.guardado.is_some();
    render(&page)
}

async fn edit_commitment(
    State(state): State<AppState>,
    SessionKeeper(viewer): SessionKeeper,
    ctx: PageContext,
    IdPath(id): IdPath<CommitmentId>,
    HtmlForm(form): HtmlForm<CommitmentForm>,
) -> Result<Response, AppError> {
    let commitment = abierto_app::plan::commitment(&state.app, id).await?;
    let request = CommitmentEditRequest {
        title: form.title.clone(),
        description: form.description.clone(),
        unit: Some(form.unit.clone()),
    };
    match editing::edit_commitment(&state.app, viewer.actor(), id, &request)
        .await
        .map_err(AppError::from)
    {
        Ok(()) => Ok(saved_to(commitment.plan)),
        Err(err) if is_refusal(&err) => {
            let editing = Some((id, commitment.external_id.unwrap_or_default()));
            let key = Some(err.report().message_key);
            let page = commitment_form_page(&state, ctx, commitment.plan, editing, form, None, key);
            refused(&err, render(&page.await?))
        }
        Err(err) => Err(err),
    }
}
