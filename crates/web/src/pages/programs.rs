//! The programs' records behind the plan's figures, public and without personal data:
//! Mi Barrio Habla events and agreements, Presupuesto Participativo works by stage on a day,
//! Pregunta León, outreach activities and trainings — each as a page and as a streamed CSV.

use abierto_domain::programs::{stage_on, WorkStage};
use abierto_domain::sessions::parse_date;
use abierto_domain::ValidationError;
use abierto_store::Span;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use chrono::{Datelike, NaiveDate, Utc};
use serde::Deserialize;

use super::downloads::{csv_line, stream};
use super::render;
use crate::page::PageContext;
use crate::{AppError, AppState};

pub fn router() -> Router<AppState> {
    Router::new().route("/programas/{slug}", get(records))
}

#[derive(Deserialize)]
struct RecordsQuery {
    desde: Option<String>,
    hasta: Option<String>,
    fecha: Option<String>,
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
}

struct Table {
    title: &'static str,
    summary: Vec<String>,
    headers: Vec<&'static str>,
    rows: Vec<Vec<String>>,
}

fn day(field: &'static str, raw: Option<&str>) -> Result<Option<NaiveDate>, AppError> {
    match raw.map(str::trim).filter(|r| !r.is_empty()) {
        Some(raw) => {
            Ok(Some(parse_date(raw).map_err(|_| {
                ValidationError::new(field, "invalid_date")
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
    let (slug, as_csv) = match slug.strip_suffix(".csv") {
        Some(stem) => (stem.to_owned(), true),
        None => (slug, false),
    };
    let today = Utc::now().date_naive();
    let to = day("hasta", query.hasta.as_deref())?
        .or(day("fecha", query.fecha.as_deref())?)
        .unwrap_or(today);
    let from = day("desde", query.desde.as_deref())?
        .unwrap_or_else(|| NaiveDate::from_ymd_opt(to.year(), 1, 1).unwrap_or(to));
    if to < from {
        return Err(ValidationError::new("hasta", "span_ends_before_start").into());
    }
    let span = Span { from, to };
    let table = table(&state, &slug, span).await?;
    let by_day = slug == "presupuesto-participativo";
    if as_csv {
        let mut chunks = vec![csv_line(table.headers.iter().map(|h| (*h).to_owned()))];
        chunks.extend(table.rows.into_iter().map(csv_line));
        return Ok(stream(
            chunks,
            "text/csv; charset=utf-8",
            &format!("{slug}.csv"),
        ));
    }
    let query_string = if by_day {
        format!("fecha={to}")
    } else {
        format!("desde={from}&hasta={to}")
    };
    render(&RecordsPage {
        ctx,
        csv_link: format!("/programas/{slug}.csv?{query_string}"),
        slug,
        title: table.title.to_owned(),
        by_day,
        from: from.to_string(),
        to: to.to_string(),
        summary: table.summary,
        headers: table.headers.iter().map(|h| (*h).to_owned()).collect(),
        rows: table.rows,
    })
}

async fn table(state: &AppState, slug: &str, span: Span) -> Result<Table, AppError> {
    let store = &state.store;
    Ok(match slug {
        "mi-barrio-habla" => {
            let events = store.events(span).await?;
            let agreements = store.agreements(span).await?;
            let concluded = agreements
                .iter()
                .filter(|a| a.concluded_on.is_some_and(|d| d <= span.to))
                .count();
            Table {
                title: "Mi Barrio Habla",
                summary: vec![
                    format!("{} eventos (intervenciones)", events.len()),
                    format!("{} acuerdos de mejora generados", agreements.len()),
                    format!("{concluded} acuerdos concluidos al {}", span.to),
                ],
                headers: vec![
                    "Clave",
                    "Fecha del acuerdo",
                    "Acuerdo",
                    "Unidad responsable",
                    "Estado",
                    "Fecha de conclusión",
                ],
                rows: agreements
                    .into_iter()
                    .map(|a| {
                        vec![
                            a.external_id.unwrap_or_else(|| a.id.to_string()),
                            a.created_on.to_string(),
                            a.description,
                            a.unit_name.unwrap_or_default(),
                            a.status.label_es().to_owned(),
                            a.concluded_on.map(|d| d.to_string()).unwrap_or_default(),
                        ]
                    })
                    .collect(),
            }
        }
        "presupuesto-participativo" => {
            let works = store.works().await?;
            let mut counts: Vec<(WorkStage, usize)> =
                WorkStage::ALL.iter().map(|s| (*s, 0)).collect();
            let mut rows = Vec::new();
            for work in works {
                let history: Vec<(WorkStage, NaiveDate)> =
                    work.history.iter().map(|(s, d, _)| (*s, *d)).collect();
                let Some(stage) = stage_on(&history, span.to) else {
                    continue;
                };
                if let Some(entry) = counts.iter_mut().find(|(s, _)| *s == stage) {
                    entry.1 += 1;
                }
                let since = history
                    .iter()
                    .rev()
                    .find(|(_, d)| *d <= span.to)
                    .map(|(_, d)| d.to_string())
                    .unwrap_or_default();
                rows.push(vec![
                    work.external_id.unwrap_or_else(|| work.id.to_string()),
                    work.name,
                    stage.label_es().to_owned(),
                    since,
                ]);
            }
            Table {
                title: "Presupuesto Participativo",
                summary: counts
                    .into_iter()
                    .map(|(stage, n)| format!("{}: {n}", stage.label_es()))
                    .collect(),
                headers: vec!["Clave", "Obra", "Etapa", "Desde"],
                rows,
            }
        }
        "pregunta-leon" => {
            let inquiries = store.inquiries(span).await?;
            let interventions = inquiries
                .iter()
                .filter(|i| i.kind == abierto_domain::programs::InquiryKind::Intervention)
                .count();
            Table {
                title: "Pregunta León",
                summary: vec![
                    format!("{interventions} intervenciones"),
                    format!("{} asesorías", inquiries.len() - interventions),
                ],
                headers: vec!["Fecha", "Tipo", "Canal", "Lugar"],
                rows: inquiries
                    .into_iter()
                    .map(|i| {
                        vec![
                            i.held_on.to_string(),
                            i.kind.label_es().to_owned(),
                            i.channel
                                .map(|c| c.label_es().to_owned())
                                .unwrap_or_default(),
                            i.place,
                        ]
                    })
                    .collect(),
            }
        }
        "acciones-complementarias" => {
            let outreach = store.outreach(span).await?;
            Table {
                title: "Acciones Complementarias",
                summary: vec![format!("{} acciones", outreach.len())],
                headers: vec!["Fecha", "Tipo", "Lugar", "Público", "Temas", "Descripción"],
                rows: outreach
                    .into_iter()
                    .map(|o| {
                        vec![
                            o.held_on.to_string(),
                            o.kind.label_es().to_owned(),
                            o.place,
                            o.audience,
                            o.topics
                                .iter()
                                .map(|t| t.label_es())
                                .collect::<Vec<_>>()
                                .join(", "),
                            o.description,
                        ]
                    })
                    .collect(),
            }
        }
        "capacitaciones" => {
            let trainings = store.trainings(span).await?;
            let people: i64 = trainings.iter().map(|t| t.people_trained).sum();
            Table {
                title: "Capacitaciones",
                summary: vec![format!("{people} personas servidoras públicas capacitadas")],
                headers: vec!["Fecha", "Capacitación", "Personas capacitadas", "Unidades"],
                rows: trainings
                    .into_iter()
                    .map(|t| {
                        vec![
                            t.held_on.to_string(),
                            t.title,
                            t.people_trained.to_string(),
                            t.units.join("; "),
                        ]
                    })
                    .collect(),
            }
        }
        _ => return Err(AppError::NotFound),
    })
}
