//! Monthly reports against the action plan, as forms that work without JavaScript. A reporting
//! unit (for its own units' commitments) or the secretariat files what was done in a month —
//! figures with their dates, notes and the records behind them, free text, evidence files —
//! as a draft; the secretariat publishes it. The public reads published versions only, and a
//! new draft leaves the published one online until it replaces it.
//!
//! Every form posts to its own route; success redirects back (303) with a notice, and a
//! refused value shows the form again, as it was typed, with the Spanish message.

use crate::csrf::GuardedRouter;
use abierto_app::plan::{Commitment, MonthlyReport, ReportState};
use abierto_documents::plan_reports::done_text;
use abierto_domain::account::Role;
use abierto_domain::annexes::accepted_extensions;
use abierto_domain::ids::{CommitmentId, EvidenceId, PlanId};
use abierto_domain::indicators::Measure;
use abierto_domain::plan::{check_month_in_period, YearMonth};
use askama::Template;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Multipart, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;

use super::form::is_refusal;
use super::render;
use crate::auth::Viewer;
use crate::html_form::{self, cell};
use crate::id_path::{IdPath, ReportPath};
use crate::multipart_form::{read_upload_form, EvidenceNote};
use crate::page::PageContext;
use crate::{AppError, AppState};
use abierto_app::plan::reporting::{self, can_report_for, DraftRequest, LineRequest};
use abierto_app::plan::view::planned_text;
use abierto_app::FileUpload;

pub fn router(upload_limit: usize) -> GuardedRouter {
    GuardedRouter::new()
        .route("/reportes", get(index))
        .route("/reportes/{commitment}", get(months))
        .route(
            "/reportes/{commitment}/{month}",
            get(month).post(save_draft),
        )
        .route(
            "/reportes/{commitment}/{month}/evidencias",
            post(add_evidence).layer(DefaultBodyLimit::max(upload_limit)),
        )
        .route(
            "/reportes/{commitment}/{month}/evidencias/quitar",
            post(remove_evidence),
        )
        .route("/reportes/{commitment}/{month}/publicar", post(publish))
}

// --- The commitments one may report on -------------------------------------------------------

struct CommitmentLink {
    id: CommitmentId,
    title: String,
    unit: String,
}

struct PlanGroup {
    id: PlanId,
    title: String,
    commitments: Vec<CommitmentLink>,
}

#[derive(Template)]
#[template(path = "reports_index.html")]
struct IndexPage {
    ctx: PageContext,
    plans: Vec<PlanGroup>,
}

async fn index(
    State(state): State<AppState>,
    viewer: Viewer,
    ctx: PageContext,
) -> Result<Response, AppError> {
    let plans = reporting::reportable(&state.app, viewer.actor())
        .await?
        .into_iter()
        .map(|(plan, commitments)| PlanGroup {
            id: plan.id,
            title: plan.title,
            commitments: commitments
                .into_iter()
                .map(|c| CommitmentLink {
                    id: c.id,
                    title: c.title,
                    unit: c.unit_name.unwrap_or_default(),
                })
                .collect(),
        })
        .collect();
    render(&IndexPage { ctx, plans })
}

// --- A commitment's months ---------------------------------------------------------------------

struct MonthLine {
    month: YearMonth,
    label: String,
    planned: String,
    published: bool,
    draft: bool,
}

#[derive(Template)]
#[template(path = "reports_commitment.html")]
struct CommitmentPage {
    ctx: PageContext,
    commitment: Commitment,
    plan_title: String,
    months: Vec<MonthLine>,
}

async fn months(
    State(state): State<AppState>,
    viewer: Viewer,
    ctx: PageContext,
    IdPath(id): IdPath<CommitmentId>,
) -> Result<Response, AppError> {
    let commitment = can_report_for(&state.app, viewer.actor(), id).await?;
    let plan = abierto_app::plan::plan(&state.app, commitment.plan).await?;
    let schedule = abierto_app::plan::schedule(&state.app, id).await?;
    let published = reporting::reports(
        &state.app,
        viewer.actor(),
        &commitment,
        ReportState::Published,
    )
    .await?;
    let drafts =
        reporting::reports(&state.app, viewer.actor(), &commitment, ReportState::Draft).await?;
    let months = YearMonth::of(plan.period.start)
        .through(YearMonth::of(plan.period.end))
        .into_iter()
        .map(|month| MonthLine {
            month,
            label: format!("{} {}", month.name_es(), month.year()),
            planned: schedule
                .iter()
                .find(|e| e.month == month)
                .map(planned_text)
                .unwrap_or_default(),
            published: published.iter().any(|r| r.month == month),
            draft: drafts.iter().any(|r| r.month == month),
        })
        .collect();
    render(&CommitmentPage {
        ctx,
        commitment,
        plan_title: plan.title,
        months,
    })
}

// --- One month: the draft, its evidence, its publication -------------------------------------

/// One figure row of the form, as stored or as typed.
struct LineRow {
    index: usize,
    measure: String,
    quantity: String,
    dates: String,
    note: String,
    source: String,
}

impl LineRow {
    fn blank(index: usize) -> LineRow {
        LineRow {
            index,
            measure: String::new(),
            quantity: String::new(),
            dates: String::new(),
            note: String::new(),
            source: String::new(),
        }
    }
}

struct SourceOption {
    key: String,
    label: String,
}

struct EvidenceRow {
    id: EvidenceId,
    filename: String,
    description: String,
}

/// A refusal to show on the form: its message, and the figure row it came from.
struct Refusal {
    message_key: String,
    row: Option<usize>,
}

#[derive(Template)]
#[template(path = "report_month.html")]
struct MonthPage {
    ctx: PageContext,
    commitment: Commitment,
    month: YearMonth,
    label: String,
    planned: String,
    published: Option<Vec<String>>,
    published_evidence: Vec<EvidenceRow>,
    has_draft: bool,
    text: String,
    rows: Vec<LineRow>,
    sources: Vec<SourceOption>,
    draft_evidence: Vec<EvidenceRow>,
    can_publish: bool,
    accepted: String,
    max_mb: usize,
    notice_key: Option<String>,
    refusal: Option<Refusal>,
}

/// Blank rows offered under the filled ones for new figures.
const BLANK_ROWS: usize = 2;

const NOTICES: [&str; 4] = ["draft", "evidence", "evidence_removed", "published"];

#[derive(Deserialize)]
struct DoneQuery {
    hecho: Option<String>,
}

/// What the form shows when nothing was just typed: the draft, or else the published
/// version to start from, or else the planned measures with their quantities left blank.
struct Typed {
    text: String,
    rows: Vec<LineRow>,
}

async fn month_page(
    state: &AppState,
    viewer: &Viewer,
    ctx: PageContext,
    (id, month): (CommitmentId, YearMonth),
    typed: Option<Typed>,
    refusal: Option<Refusal>,
    notice: Option<String>,
) -> Result<MonthPage, AppError> {
    let commitment = can_report_for(&state.app, viewer.actor(), id).await?;
    let plan = abierto_app::plan::plan(&state.app, commitment.plan).await?;
    if check_month_in_period(month, &plan.period).is_err() {
        return Err(AppError::NotFound);
    }
    let entry = abierto_app::plan::schedule(&state.app, id)
        .await?
        .into_iter()
        .find(|e| e.month == month);
    let find = |reports: Vec<MonthlyReport>| reports.into_iter().find(|r| r.month == month);
    let published = find(
        reporting::reports(
            &state.app,
            viewer.actor(),
            &commitment,
            ReportState::Published,
        )
        .await?,
    );
    let draft = find(
        reporting::reports(&state.app, viewer.actor(), &commitment, ReportState::Draft).await?,
    );
    let evidence_rows = |report: &Option<MonthlyReport>| -> Vec<EvidenceRow> {
        report
            .iter()
            .flat_map(|r| r.evidence.iter())
            .map(|e| EvidenceRow {
                id: e.evidence,
                filename: e.filename.clone(),
                description: e.description.clone(),
            })
            .collect()
    };
    let typed = typed.unwrap_or_else(|| {
        let start_from = draft.as_ref().or(published.as_ref());
        let rows: Vec<LineRow> = match (start_from, &entry) {
            (Some(report), _) => report
                .lines
                .iter()
                .enumerate()
                .map(|(i, l)| LineRow {
                    index: i + 1,
                    measure: l.measure.clone(),
                    quantity: l.quantity.to_string(),
                    dates: l
                        .dates
                        .iter()
                        .map(|d| d.to_string())
                        .collect::<Vec<_>>()
                        .join(", "),
                    note: l.note.clone(),
                    source: l.source.map(Measure::key).unwrap_or_default(),
                })
                .collect(),
            (None, Some(entry)) => entry
                .planned
                .iter()
                .enumerate()
                .map(|(i, q)| LineRow {
                    measure: q.measure.clone(),
                    ..LineRow::blank(i + 1)
                })
                .collect(),
            (None, None) => Vec::new(),
        };
        Typed {
            text: start_from.map(|r| r.text.clone()).unwrap_or_default(),
            rows,
        }
    });
    let mut rows = typed.rows;
    let filled = rows.len();
    rows.extend((filled + 1..=filled + BLANK_ROWS).map(LineRow::blank));
    let can_publish = viewer.keeps_sessions();
    Ok(MonthPage {
        label: format!("{} {}", month.name_es(), month.year()),
        planned: entry.as_ref().map(planned_text).unwrap_or_default(),
        published: published.as_ref().map(|r| {
            let mut lines: Vec<String> = r
                .lines
                .iter()
                .map(|l| done_text(&l.measure, l.quantity, &l.dates, &l.note))
                .collect();
            if !r.text.trim().is_empty() {
                lines.push(r.text.clone());
            }
            lines
        }),
        published_evidence: evidence_rows(&published),
        has_draft: draft.is_some(),
        draft_evidence: evidence_rows(&draft),
        text: typed.text,
        rows,
        sources: Measure::all()
            .into_iter()
            .map(|m| SourceOption {
                key: m.key(),
                label: m.label_es(),
            })
            .collect(),
        can_publish,
        accepted: accepted_extensions()
            .iter()
            .map(|e| format!(".{e}"))
            .collect::<Vec<_>>()
            .join(","),
        max_mb: state.app.settings().max_annex_bytes.div_ceil(1024 * 1024),
        notice_key: notice
            .filter(|n| NOTICES.contains(&n.as_str()))
            .map(|n| format!("reports.done_{n}")),
        refusal,
        ctx,
        commitment,
        month,
    })
}

async fn month(
    State(state): State<AppState>,
    viewer: Viewer,
    ctx: PageContext,
    ReportPath(id, month): ReportPath,
    Query(done): Query<DoneQuery>,
) -> Result<Response, AppError> {
    render(&month_page(&state, &viewer, ctx, (id, month), None, None, done.hecho).await?)
}

/// Redirects back with a notice, or shows the form again with the refusal's message.
async fn after(
    state: &AppState,
    viewer: &Viewer,
    ctx: PageContext,
    (id, month): (CommitmentId, YearMonth),
    done: &str,
    result: Result<(), (AppError, Option<usize>)>,
    typed: Option<Typed>,
) -> Result<Response, AppError> {
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/reportes/{id}/{month}?hecho={done}")).into_response()),
        Err((err, row)) if is_refusal(&err) => {
            let status = err.status();
            let refusal = Refusal {
                message_key: err.report().message_key,
                row,
            };
            let page =
                month_page(state, viewer, ctx, (id, month), typed, Some(refusal), None).await?;
            Ok((status, render(&page)?).into_response())
        }
        Err((err, _)) => Err(err),
    }
}

/// A month's draft as posted: its text and one value of each field per line.
#[derive(Default, Deserialize)]
#[serde(default)]
struct DraftForm {
    text: String,
    measure: Vec<String>,
    quantity: Vec<String>,
    dates: Vec<String>,
    note: Vec<String>,
    source: Vec<String>,
}

async fn save_draft(
    State(state): State<AppState>,
    viewer: Viewer,
    ctx: PageContext,
    ReportPath(id, month): ReportPath,
    body: Bytes,
) -> Result<Response, AppError> {
    can_report_for(&state.app, viewer.actor(), id).await?;
    // Read only once the person may report for the commitment.
    let form: DraftForm = html_form::read(&body)?;
    let rows: Vec<LineRow> = (0..form.measure.len())
        .map(|i| LineRow {
            index: i + 1,
            measure: cell(&form.measure, i).to_owned(),
            quantity: cell(&form.quantity, i).to_owned(),
            dates: cell(&form.dates, i).to_owned(),
            note: cell(&form.note, i).to_owned(),
            source: cell(&form.source, i).to_owned(),
        })
        // A row with neither a measure nor a quantity is one of the blank rows offered.
        .filter(|r| !(r.measure.trim().is_empty() && r.quantity.trim().is_empty()))
        .collect();
    let request = DraftRequest {
        text: form.text,
        lines: rows
            .iter()
            .map(|r| LineRequest {
                measure: r.measure.clone(),
                quantity: serde_json::Value::String(r.quantity.clone()),
                dates: r
                    .dates
                    .split([',', ';', ' '])
                    .filter(|d| !d.trim().is_empty())
                    .map(str::to_owned)
                    .collect(),
                note: r.note.clone(),
                source: Some(r.source.clone()),
            })
            .collect(),
    };
    // The first faulty row is named on the form, counted as the person sees it.
    let faulty_row = request
        .lines
        .iter()
        .position(|l| reporting::parse_line(l).is_err())
        .map(|i| rows[i].index);
    let result = reporting::file_draft(&state.app, viewer.actor(), id, month, &request)
        .await
        .map_err(|e| (e.into(), faulty_row));
    let typed = Typed {
        text: request.text.clone(),
        rows,
    };
    after(
        &state,
        &viewer,
        ctx,
        (id, month),
        "draft",
        result,
        Some(typed),
    )
    .await
}

async fn add_evidence(
    State(state): State<AppState>,
    viewer: Viewer,
    ctx: PageContext,
    ReportPath(id, month): ReportPath,
    multipart: Multipart,
) -> Result<Response, AppError> {
    can_report_for(&state.app, viewer.actor(), id).await?;
    let posted = read_upload_form(multipart)
        .await
        .and_then(|form| Ok((form.fields::<EvidenceNote>()?, form)));
    let result = match posted {
        Ok((note, form)) => {
            let upload = FileUpload {
                filename: &form.filename,
                content: &form.content,
            };
            reporting::add_evidence(
                &state.app,
                viewer.actor(),
                id,
                month,
                &upload,
                &note.description,
            )
            .await
            .map(drop)
            .map_err(AppError::from)
        }
        Err(err) => Err(err),
    };
    let result = result.map_err(|e| (e, None));
    after(&state, &viewer, ctx, (id, month), "evidence", result, None).await
}

#[derive(Default, Deserialize)]
#[serde(default)]
struct EvidenceForm {
    evidence: String,
}

async fn remove_evidence(
    State(state): State<AppState>,
    viewer: Viewer,
    ctx: PageContext,
    ReportPath(id, month): ReportPath,
    body: Bytes,
) -> Result<Response, AppError> {
    can_report_for(&state.app, viewer.actor(), id).await?;
    let form: EvidenceForm = html_form::read(&body)?;
    let evidence: EvidenceId = form.evidence.parse().map_err(|_| AppError::NotFound)?;
    let result =
        abierto_app::plan::detach_evidence(&state.app, viewer.actor(), id, month, evidence)
            .await
            .map_err(|e| (e.into(), None));
    after(
        &state,
        &viewer,
        ctx,
        (id, month),
        "evidence_removed",
        result,
        None,
    )
    .await
}

async fn publish(
    State(state): State<AppState>,
    viewer: Viewer,
    ctx: PageContext,
    ReportPath(id, month): ReportPath,
) -> Result<Response, AppError> {
    viewer.require(Role::can_keep_sessions)?;
    abierto_app::plan::commitment(&state.app, id).await?;
    let result = reporting::publish(&state.app, viewer.actor(), id, month)
        .await
        .map_err(|e| (e.into(), None));
    after(&state, &viewer, ctx, (id, month), "published", result, None).await
}
