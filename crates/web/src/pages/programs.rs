//! The programs' records behind the plan's figures, public and without personal data:
//! Mi Barrio Habla events and agreements, Presupuesto Participativo works by stage on a day,
//! Pregunta León, outreach activities and trainings — each as a page and as a streamed CSV.
//! The secretariat adds records from the same page, one form per kind of record.

use crate::csrf::GuardedRouter;
use abierto_app::programs::Span;
use abierto_domain::dates::{long_date, parse_date};
use abierto_domain::ids::WorkId;
use abierto_domain::lang::Lang;
use abierto_domain::plan::parse_quantity;
use abierto_domain::programs::{
    AgreementStatus, InquiryChannel, InquiryKind, OutreachKind, Topic, WorkStage,
};
use abierto_domain::ErrorCode;
use abierto_domain::ValidationError;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use chrono::{Datelike, NaiveDate};
use serde::Deserialize;

use super::downloads::{csv_line, stream};
use super::form::is_refusal;
use super::program_tables::{table, vocab_word, Audience};
use super::render;
use crate::auth::SessionKeeper;
use crate::html_form::HtmlForm;
use crate::page::PageContext;
use crate::{AppError, AppState};
use abierto_app::programs::records::{
    self, AgreementRequest, EventRequest, InquiryRequest, OutreachRequest, StageRequest,
    TrainingRequest,
};

pub fn router() -> GuardedRouter {
    GuardedRouter::new()
        .route("/programas/{slug}", get(records))
        .route("/programas/{slug}/registros", post(add_record))
}

#[derive(Deserialize, Default)]
struct RecordsQuery {
    desde: Option<String>,
    hasta: Option<String>,
    fecha: Option<String>,
    hecho: Option<String>,
}

/// A value a select or a checkbox offers.
struct Choice {
    key: String,
    label: String,
}

/// The options of a vocabulary's select, worded in the page's language.
struct Vocabulary<'a> {
    state: &'a AppState,
    lang: Lang,
}

impl Vocabulary<'_> {
    fn choices<T: Copy>(
        &self,
        all: &[T],
        vocabulary: &str,
        key: fn(T) -> &'static str,
        label: fn(T) -> &'static str,
    ) -> Vec<Choice> {
        all.iter()
            .map(|v| Choice {
                key: key(*v).to_owned(),
                label: vocab_word(self.state, self.lang, label(*v), vocabulary, key(*v)),
            })
            .collect()
    }
}

/// What the secretariat's forms offer to choose from.
struct Editor {
    units: Vec<String>,
    events: Vec<Choice>,
    works: Vec<Choice>,
    stages: Vec<Choice>,
    statuses: Vec<Choice>,
    inquiry_kinds: Vec<Choice>,
    channels: Vec<Choice>,
    outreach_kinds: Vec<Choice>,
    topics: Vec<Choice>,
}

async fn editor(state: &AppState, span: Span, lang: Lang) -> Result<Editor, AppError> {
    let works = abierto_app::programs::works(&state.app).await?;
    let words = Vocabulary { state, lang };
    Ok(Editor {
        units: abierto_app::accounts::units(&state.app)
            .await?
            .into_iter()
            .map(|u| u.name)
            .collect(),
        events: abierto_app::programs::events(&state.app, span)
            .await?
            .into_iter()
            .map(|e| Choice {
                key: e.id.to_string(),
                label: format!("{} — {}", long_date(e.held_on, lang), e.neighbourhood),
            })
            .collect(),
        works: works
            .into_iter()
            .map(|w| Choice {
                key: w.id.to_string(),
                label: format!(
                    "{} — {} ({})",
                    w.external_id.unwrap_or_default(),
                    w.name,
                    w.history
                        .last()
                        .map(|(s, _, _)| vocab_word(
                            state,
                            lang,
                            s.label_es(),
                            "work_stage",
                            s.key()
                        ))
                        .unwrap_or_default()
                ),
            })
            .collect(),
        stages: words.choices(
            WorkStage::ALL,
            "work_stage",
            WorkStage::key,
            WorkStage::label_es,
        ),
        statuses: words.choices(
            AgreementStatus::ALL,
            "agreement_status",
            AgreementStatus::key,
            AgreementStatus::label_es,
        ),
        inquiry_kinds: words.choices(
            InquiryKind::ALL,
            "inquiry_kind",
            InquiryKind::key,
            InquiryKind::label_es,
        ),
        channels: words.choices(
            InquiryChannel::ALL,
            "inquiry_channel",
            InquiryChannel::key,
            InquiryChannel::label_es,
        ),
        outreach_kinds: words.choices(
            OutreachKind::ALL,
            "outreach_kind",
            OutreachKind::key,
            OutreachKind::label_es,
        ),
        topics: words.choices(Topic::ALL, "topic", Topic::key, Topic::label_es),
    })
}

#[derive(Template)]
#[template(path = "programs.html")]
struct RecordsPage {
    ctx: PageContext,
    slug: String,
    title: String,
    by_day: bool,
    from: String,
    to: String,
    summary: Vec<String>,
    headers: Vec<String>,
    rows: Vec<Vec<String>>,
    csv_link: String,
    editor: Option<Editor>,
    notice: bool,
    error_key: Option<String>,
}

fn day(field: &'static str, raw: Option<&str>) -> Result<Option<NaiveDate>, AppError> {
    match raw.map(str::trim).filter(|r| !r.is_empty()) {
        Some(raw) => {
            Ok(Some(parse_date(raw).map_err(|_| {
                ValidationError::new(field, ErrorCode::InvalidDate)
            })?))
        }
        None => Ok(None),
    }
}

async fn records(
    State(state): State<AppState>,
    ctx: PageContext,
    Path(slug): Path<String>,
    Query(query): Query<RecordsQuery>,
) -> Result<Response, AppError> {
    match slug.strip_suffix(".csv") {
        Some(stem) => {
            let (span, _) = span_of(stem, &query, state.app.clock().today())?;
            let table = table(&state, stem, span, Audience::Download).await?;
            let mut chunks = vec![csv_line(table.headers.iter().cloned())];
            chunks.extend(table.rows.into_iter().map(csv_line));
            Ok(stream(
                chunks,
                "text/csv; charset=utf-8",
                &format!("{stem}.csv"),
            ))
        }
        None => render(&records_page(&state, ctx, slug, &query, None).await?),
    }
}

/// The span a page or download reads: `desde`/`hasta`, or the day `fecha` (works by stage).
fn span_of(slug: &str, query: &RecordsQuery, today: NaiveDate) -> Result<(Span, bool), AppError> {
    let to = day("hasta", query.hasta.as_deref())?
        .or(day("fecha", query.fecha.as_deref())?)
        .unwrap_or(today);
    let from = day("desde", query.desde.as_deref())?
        .unwrap_or_else(|| NaiveDate::from_ymd_opt(to.year(), 1, 1).unwrap_or(to));
    if to < from {
        return Err(ValidationError::new("hasta", ErrorCode::SpanEndsBeforeStart).into());
    }
    Ok((Span { from, to }, slug == "presupuesto-participativo"))
}

async fn records_page(
    state: &AppState,
    ctx: PageContext,
    slug: String,
    query: &RecordsQuery,
    error_key: Option<String>,
) -> Result<RecordsPage, AppError> {
    let (span, by_day) = span_of(&slug, query, state.app.clock().today())?;
    let table = table(state, &slug, span, Audience::Page(ctx.lang)).await?;
    let query_string = if by_day {
        format!("fecha={}", span.to)
    } else {
        format!("desde={}&hasta={}", span.from, span.to)
    };
    let editor = if ctx.keeps_sessions() {
        Some(editor(state, span, ctx.lang).await?)
    } else {
        None
    };
    Ok(RecordsPage {
        csv_link: format!("/programas/{slug}.csv?{query_string}"),
        slug,
        title: table.title.to_owned(),
        by_day,
        from: span.from.to_string(),
        to: span.to.to_string(),
        summary: table.summary,
        headers: table.headers,
        rows: table.rows,
        editor,
        notice: query.hecho.is_some() && error_key.is_none(),
        error_key,
        ctx,
    })
}

/// The program page's record forms, one struct for all: `record` says which form was sent
/// (an event or an agreement of Mi Barrio Habla); a field a form lacks stays empty.
#[derive(Default, Deserialize)]
#[serde(default)]
struct RecordForm {
    audience: String,
    changed_on: String,
    channel: String,
    concluded_on: String,
    created_on: String,
    description: String,
    event: String,
    external_id: String,
    held_on: String,
    kind: String,
    neighbourhood: String,
    people_trained: String,
    place: String,
    reason: String,
    record: String,
    stage: String,
    status: String,
    title: String,
    topics: Vec<String>,
    unit: String,
    units: Vec<String>,
    work: String,
}

/// Adds one record from the program page's form.
async fn add_record(
    State(state): State<AppState>,
    SessionKeeper(viewer): SessionKeeper,
    ctx: PageContext,
    Path(slug): Path<String>,
    HtmlForm(form): HtmlForm<RecordForm>,
) -> Result<Response, AppError> {
    let (app, actor) = (&state.app, viewer.actor());
    let optional = |value: &str| Some(value.to_owned()).filter(|v| !v.trim().is_empty());
    let result: Result<(), AppError> = match (slug.as_str(), form.record.as_str()) {
        ("mi-barrio-habla", "event") => {
            let request = EventRequest {
                held_on: form.held_on.clone(),
                neighbourhood: form.neighbourhood.clone(),
                external_id: optional(&form.external_id),
            };
            records::add_event(app, actor, &request)
                .await
                .map(drop)
                .map_err(AppError::from)
        }
        ("mi-barrio-habla", "agreement") => {
            let request = AgreementRequest {
                external_id: optional(&form.external_id),
                event: form.event.as_str().parse().ok(),
                description: form.description.clone(),
                unit: optional(&form.unit),
                status: form.status.clone(),
                created_on: form.created_on.clone(),
                concluded_on: optional(&form.concluded_on),
            };
            records::save_agreement(app, actor, &request)
                .await
                .map(drop)
                .map_err(AppError::from)
        }
        ("presupuesto-participativo", _) => match form.work.as_str().parse::<WorkId>() {
            Ok(work) => {
                let request = StageRequest {
                    stage: form.stage.clone(),
                    changed_on: form.changed_on.clone(),
                    reason: form.reason.clone(),
                };
                records::change_stage(app, actor, work, &request)
                    .await
                    .map_err(AppError::from)
            }
            Err(_) => Err(ValidationError::new("work", ErrorCode::UnknownWork).into()),
        },
        ("pregunta-leon", _) => {
            let request = InquiryRequest {
                kind: form.kind.clone(),
                channel: optional(&form.channel),
                held_on: form.held_on.clone(),
                place: form.place.clone(),
            };
            records::add_inquiry(app, actor, &request)
                .await
                .map(drop)
                .map_err(AppError::from)
        }
        ("acciones-complementarias", _) => {
            let request = OutreachRequest {
                kind: form.kind.clone(),
                held_on: form.held_on.clone(),
                place: form.place.clone(),
                audience: form.audience.clone(),
                topics: form.topics.join(","),
                description: form.description.clone(),
            };
            records::add_outreach(app, actor, &request)
                .await
                .map(drop)
                .map_err(AppError::from)
        }
        ("capacitaciones", _) => match parse_quantity(form.people_trained.as_str()) {
            Ok(people) => {
                let request = TrainingRequest {
                    held_on: form.held_on.clone(),
                    title: form.title.clone(),
                    people_trained: people,
                    units: form.units.clone(),
                };
                records::add_training(app, actor, &request)
                    .await
                    .map(drop)
                    .map_err(AppError::from)
            }
            Err(rule) => Err(rule.into()),
        },
        _ => Err(AppError::NotFound),
    };
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/programas/{slug}?hecho=registro")).into_response()),
        Err(err) if is_refusal(&err) => {
            let status = err.status();
            let key = err.report().message_key;
            let page = records_page(&state, ctx, slug, &RecordsQuery::default(), Some(key)).await?;
            Ok((status, render(&page)?).into_response())
        }
        Err(err) => Err(err),
    }
}
