//! A program's records as the page shows them and the download gives them: the page in its
//! language (headers, vocabularies and long dates), the CSV in Spanish with ISO dates, as the
//! open data the secretariat publishes.

use abierto_app::programs::Span;
use abierto_domain::dates::long_date;
use abierto_domain::lang::Lang;
use abierto_domain::programs::{stage_on, WorkStage};
use chrono::NaiveDate;

use crate::{AppError, AppState};

/// Who reads the table.
#[derive(Debug, Clone, Copy)]
pub(super) enum Audience {
    Page(Lang),
    /// The CSV download: Spanish headers and words, ISO dates.
    Download,
}

pub(super) struct Table {
    pub title: &'static str,
    pub summary: Vec<String>,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

/// The words of a table for its audience.
struct Words<'a> {
    state: &'a AppState,
    audience: Audience,
}

impl Words<'_> {
    fn lang(&self) -> Lang {
        match self.audience {
            Audience::Page(lang) => lang,
            Audience::Download => Lang::Es,
        }
    }

    fn text(&self, key: &str) -> String {
        self.state.i18n.text(self.lang(), key).to_owned()
    }

    fn all(&self, keys: &[&str]) -> Vec<String> {
        keys.iter().map(|k| self.text(k)).collect()
    }

    /// "12 eventos (intervenciones)".
    fn count(&self, n: usize, key: &str) -> String {
        format!("{n} {}", self.text(key))
    }

    fn date(&self, day: NaiveDate) -> String {
        match self.audience {
            Audience::Page(lang) => long_date(day, lang),
            Audience::Download => day.to_string(),
        }
    }

    fn vocab(&self, spanish: &str, vocabulary: &str, key: &str) -> String {
        vocab_word(self.state, self.lang(), spanish, vocabulary, key)
    }
}

/// A vocabulary's word: the official Spanish term, or its English on an English page.
pub(super) fn vocab_word(
    state: &AppState,
    lang: Lang,
    spanish: &str,
    vocabulary: &str,
    key: &str,
) -> String {
    match lang {
        Lang::Es => spanish.to_owned(),
        Lang::En => state
            .i18n
            .text(lang, &format!("{vocabulary}.{key}"))
            .to_owned(),
    }
}

/// A program's records as a table for `audience`: the page in its language, or the download.
pub(super) async fn table(
    state: &AppState,
    slug: &str,
    span: Span,
    audience: Audience,
) -> Result<Table, AppError> {
    let words = Words { state, audience };
    Ok(match slug {
        "mi-barrio-habla" => {
            let events = abierto_app::programs::events(&state.app, span).await?;
            let agreements = abierto_app::programs::agreements(&state.app, span).await?;
            let concluded = agreements
                .iter()
                .filter(|a| a.concluded_on.is_some_and(|d| d <= span.to))
                .count();
            Table {
                title: "Mi Barrio Habla",
                summary: vec![
                    words.count(events.len(), "programs_table.events_summary"),
                    words.count(agreements.len(), "programs_table.agreements_summary"),
                    format!(
                        "{} {}",
                        words.count(concluded, "programs_table.concluded_summary"),
                        words.date(span.to)
                    ),
                ],
                headers: words.all(&[
                    "programs_table.key",
                    "programs_table.agreed_on",
                    "programs_table.agreement",
                    "programs_table.unit",
                    "programs_table.status",
                    "programs_table.concluded_on",
                ]),
                rows: agreements
                    .into_iter()
                    .map(|a| {
                        vec![
                            a.external_id.unwrap_or_else(|| a.id.to_string()),
                            words.date(a.created_on),
                            a.description,
                            a.unit_name.unwrap_or_default(),
                            words.vocab(a.status.label_es(), "agreement_status", a.status.key()),
                            a.concluded_on.map(|d| words.date(d)).unwrap_or_default(),
                        ]
                    })
                    .collect(),
            }
        }
        "presupuesto-participativo" => {
            let works = abierto_app::programs::works(&state.app).await?;
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
                    .map(|(_, d)| words.date(*d))
                    .unwrap_or_default();
                rows.push(vec![
                    work.external_id.unwrap_or_else(|| work.id.to_string()),
                    work.name,
                    words.vocab(stage.label_es(), "work_stage", stage.key()),
                    since,
                ]);
            }
            Table {
                title: "Presupuesto Participativo",
                summary: counts
                    .into_iter()
                    .map(|(stage, n)| {
                        format!(
                            "{}: {n}",
                            words.vocab(stage.label_es(), "work_stage", stage.key())
                        )
                    })
                    .collect(),
                headers: words.all(&[
                    "programs_table.key",
                    "programs_table.work",
                    "programs_table.stage",
                    "programs_table.since",
                ]),
                rows,
            }
        }
        "pregunta-leon" => {
            let inquiries = abierto_app::programs::inquiries(&state.app, span).await?;
            let interventions = inquiries
                .iter()
                .filter(|i| i.kind == abierto_domain::programs::InquiryKind::Intervention)
                .count();
            Table {
                title: "Pregunta León",
                summary: vec![
                    words.count(interventions, "programs_table.interventions_summary"),
                    words.count(
                        inquiries.len() - interventions,
                        "programs_table.advisories_summary",
                    ),
                ],
                headers: words.all(&[
                    "programs_table.date",
                    "programs_table.kind",
                    "programs_table.channel",
                    "programs_table.place",
                ]),
                rows: inquiries
                    .into_iter()
                    .map(|i| {
                        vec![
                            words.date(i.held_on),
                            words.vocab(i.kind.label_es(), "inquiry_kind", i.kind.key()),
                            i.channel
                                .map(|c| words.vocab(c.label_es(), "inquiry_channel", c.key()))
                                .unwrap_or_default(),
                            i.place,
                        ]
                    })
                    .collect(),
            }
        }
        "acciones-complementarias" => {
            let outreach = abierto_app::programs::outreach(&state.app, span).await?;
            Table {
                title: "Acciones Complementarias",
                summary: vec![words.count(outreach.len(), "programs_table.outreach_summary")],
                headers: words.all(&[
                    "programs_table.date",
                    "programs_table.kind",
                    "programs_table.place",
                    "programs_table.audience",
                    "programs_table.topics",
                    "programs_table.description",
                ]),
                rows: outreach
                    .into_iter()
                    .map(|o| {
                        vec![
                            words.date(o.held_on),
                            words.vocab(o.kind.label_es(), "outreach_kind", o.kind.key()),
                            o.place,
                            o.audience,
                            o.topics
                                .iter()
                                .map(|t| words.vocab(t.label_es(), "topic", t.key()))
                                .collect::<Vec<_>>()
                                .join(", "),
                            o.description,
                        ]
                    })
                    .collect(),
            }
        }
        "capacitaciones" => {
            let trainings = abierto_app::programs::trainings(&state.app, span).await?;
            let people: i64 = trainings.iter().map(|t| t.people_trained).sum();
            Table {
                title: "Capacitaciones",
                summary: vec![words.count(people as usize, "programs_table.trained_summary")],
                headers: words.all(&[
                    "programs_table.date",
                    "programs_table.training",
                    "programs_table.people_trained",
                    "programs_table.units",
                ]),
                rows: trainings
                    .into_iter()
                    .map(|t| {
                        vec![
                            words.date(t.held_on),
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
