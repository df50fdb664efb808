//! The action plan's documents: the numbered quarterly report (informe trimestral) with its
//! month tables of planned versus done, and the goal-tracking table (seguimiento de metas)
//! with its footnotes — as view models the web layer fills from the records, plus their
//! Markdown.

use abierto_domain::dates::long_date_es;
use abierto_domain::dates::month_name_es;
use chrono::{Datelike, NaiveDate};
use serde::Serialize;

/// A link to the records that produce a figure.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Figure {
    pub measure: String,
    pub quantity: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct DoneFigure {
    pub measure: String,
    pub quantity: i64,
    pub dates: Vec<NaiveDate>,
    pub note: String,
    /// "2 intervenciones con fecha 13 y 27 de julio".
    pub text: String,
    /// The records measure behind the figure (`events`, `works_in_stage:contracted`…).
    pub source: Option<String>,
    /// What the records give for the same month, to check the figure against.
    pub records_value: Option<i64>,
    /// Where those records are listed.
    pub records_link: Option<String>,
}

/// A file published as evidence of a month's report (a photo, a list of attendance).
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct EvidenceLink {
    pub filename: String,
    pub description: String,
    /// `/evidencias/{id}`.
    pub link: String,
}

/// How much of a planned quantity was done.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Fulfilment {
    pub measure: String,
    pub planned: i64,
    pub done: i64,
    pub percent: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct MonthRow {
    /// `2024-07`.
    pub month: String,
    /// "Julio".
    pub month_name: String,
    pub planned_text: String,
    pub planned: Vec<Figure>,
    pub done_text: String,
    pub done: Vec<DoneFigure>,
    /// The unit's own words besides its figures (part of `done_text`).
    pub done_note: String,
    pub fulfilment: Vec<Fulfilment>,
    pub evidence: Vec<EvidenceLink>,
}

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct CommitmentSection {
    pub number: usize,
    pub title: String,
    pub unit: Option<String>,
    /// "Del periodo que se informa, se reportaron 3 intervenciones y 69 acuerdos de mejora."
    pub summary: Option<String>,
    pub months: Vec<MonthRow>,
}

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct OutreachRow {
    pub held_on: NaiveDate,
    /// "04 de julio".
    pub date: String,
    pub place: String,
    pub audience: String,
    pub description: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct OutreachGroup {
    pub kind: String,
    pub label: String,
    pub rows: Vec<OutreachRow>,
}

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct TrainingRow {
    pub held_on: NaiveDate,
    pub title: String,
    pub people_trained: i64,
    pub units: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct SessionLine {
    pub id: i64,
    pub title: String,
    pub held_on: NaiveDate,
    pub link: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct QuarterlyReport {
    pub plan_id: i64,
    /// `2024-Q3`.
    pub quarter: String,
    /// 5 for the fifth report of the body's period.
    pub number: u32,
    pub title: String,
    pub commitments: Vec<CommitmentSection>,
    pub outreach: Vec<OutreachGroup>,
    pub outreach_link: String,
    pub trainings: Vec<TrainingRow>,
    pub people_trained: i64,
    pub trained_units: Vec<String>,
    pub trainings_link: String,
    /// Sessions of the body held in the quarter (before the presentation, when recorded).
    pub sessions: Vec<SessionLine>,
    pub presented_in: Option<SessionLine>,
}

/// "13 y 27 de julio", "24 de agosto", "30 de agosto y 2 de septiembre".
pub fn dates_es(dates: &[NaiveDate]) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut index = 0;
    while index < dates.len() {
        let month = (dates[index].year(), dates[index].month());
        let mut days = Vec::new();
        while index < dates.len() && (dates[index].year(), dates[index].month()) == month {
            days.push(dates[index].day().to_string());
            index += 1;
        }
        parts.push(format!("{} de {}", join_es(&days), month_name_es(month.1)));
    }
    join_es(&parts)
}

/// "a", "a y b", "a, b y c".
pub fn join_es(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} y {}", rest.join(", "), last),
    }
}

/// The measure's name for a quantity of one: "intervenciones" → "intervención".
pub fn for_quantity(measure: &str, quantity: i64) -> String {
    if quantity != 1 {
        return measure.to_owned();
    }
    let (first, rest) = measure.split_once(' ').unwrap_or((measure, ""));
    let singular = if let Some(stem) = first.strip_suffix("ciones") {
        format!("{stem}ción")
    } else if let Some(stem) = first.strip_suffix('s') {
        stem.to_owned()
    } else {
        first.to_owned()
    };
    if rest.is_empty() {
        singular
    } else {
        format!("{singular} {rest}")
    }
}

/// "3 intervenciones", "1 intervención".
pub fn figure_text(measure: &str, quantity: i64) -> String {
    format!("{quantity} {}", for_quantity(measure, quantity))
}

/// "2 intervenciones con fecha 13 y 27 de julio", "13 asesorías (2 en Miércoles Ciudadano…)".
pub fn done_text(measure: &str, quantity: i64, dates: &[NaiveDate], note: &str) -> String {
    let mut text = figure_text(measure, quantity);
    if !dates.is_empty() {
        text.push_str(" con fecha ");
        text.push_str(&dates_es(dates));
    }
    if !note.trim().is_empty() {
        text.push_str(&format!(" ({})", note.trim()));
    }
    text
}

/// Whether two measure names mean the same (singular or plural, with or without accents).
pub fn same_measure(a: &str, b: &str) -> bool {
    fn key(text: &str) -> String {
        for_quantity(&text.trim().to_lowercase(), 1)
            .chars()
            .map(|c| match c {
                'á' => 'a',
                'é' => 'e',
                'í' => 'i',
                'ó' => 'o',
                'ú' | 'ü' => 'u',
                other => other,
            })
            .collect()
    }
    key(a) == key(b)
}

/// "04 de julio", as the outreach table writes dates.
pub fn short_date_es(day: NaiveDate) -> String {
    format!("{:02} de {}", day.day(), month_name_es(day.month()))
}

/// The report as Markdown, in the order and wording of the printed report.
/// A report cell's figures, then its free text: "3 intervenciones; 1 estrategia de difusión".
pub fn figures_and_text(mut figures: Vec<String>, text: &str) -> String {
    if !text.trim().is_empty() {
        figures.push(text.trim().to_owned());
    }
    figures.join("; ")
}

/// The done cell with its evidence files as links: "…; evidencia: [obra.jpg](/evidencias/3)".
fn with_evidence(done: &str, evidence: &[EvidenceLink]) -> String {
    if evidence.is_empty() {
        return done.to_owned();
    }
    let links: Vec<String> = evidence
        .iter()
        .map(|e| format!("[{}]({})", e.filename.replace(['[', ']'], ""), e.link))
        .collect();
    format!("{done}; evidencia: {}", links.join(", "))
}

pub fn quarterly_markdown(report: &QuarterlyReport) -> String {
    let mut md = format!("# {}\n\n", report.title);
    md.push_str(
        "Reporte de actividades de las Unidades Responsables de los Programas con enfoque de Gobierno Abierto.\n\n",
    );
    for c in &report.commitments {
        md.push_str(&format!("## Compromiso {}. {}.\n\n", c.number, c.title));
        if let Some(unit) = &c.unit {
            md.push_str(&format!("Unidad Responsable: {unit}.\n\n"));
        }
        if let Some(summary) = &c.summary {
            md.push_str(summary);
            md.push_str("\n\n");
        }
        md.push_str("| Mes | Acciones para realizar | Acciones realizadas |\n|---|---|---|\n");
        for m in &c.months {
            md.push_str(&format!(
                "| {} | {} | {} |\n",
                m.month_name,
                cell(&m.planned_text),
                cell(&with_evidence(&m.done_text, &m.evidence))
            ));
        }
        md.push('\n');
    }
    if !report.outreach.is_empty() {
        md.push_str("## Acciones Complementarias\n\n");
        for group in &report.outreach {
            md.push_str(&format!("### {}\n\n", group.label));
            md.push_str("| Fecha | Lugar | Descripción |\n|---|---|---|\n");
            for row in &group.rows {
                md.push_str(&format!(
                    "| {} | {} | {} |\n",
                    row.date,
                    cell(&row.place),
                    cell(&row.description)
                ));
            }
            md.push('\n');
        }
    }
    if !report.trainings.is_empty() {
        md.push_str("## Capacitaciones\n\n");
        md.push_str(&format!(
            "En el periodo que se informa participaron {}, resultando en un total de {} personas servidoras públicas capacitadas.\n\n",
            join_es(&report.trained_units),
            report.people_trained
        ));
    }
    if !report.sessions.is_empty() {
        md.push_str("## Sesiones del periodo\n\n");
        for s in &report.sessions {
            md.push_str(&format!("- {}, {}.\n", s.title, long_date_es(s.held_on)));
        }
        md.push('\n');
    }
    if let Some(s) = &report.presented_in {
        md.push_str(&format!(
            "Presentado en la {} del {}.\n",
            s.title,
            long_date_es(s.held_on)
        ));
    }
    md
}

/// One row of the goal-tracking table.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct TrackingRow {
    pub goal_id: i64,
    /// Eje.
    pub axis: String,
    /// Meta, with its footnote marker.
    pub statement: String,
    pub indicator: String,
    /// Fecha establecida de cumplimiento: "Diciembre 2025".
    pub due: String,
    /// Avance: "100%".
    pub progress: String,
    pub progress_percent: f64,
    pub status: String,
    pub status_label: String,
    pub marker: String,
    pub footnote: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct GoalTracking {
    pub plan_id: i64,
    pub title: String,
    pub as_of: NaiveDate,
    pub presented_in: Option<SessionLine>,
    pub rows: Vec<TrackingRow>,
}

/// "90%": a percentage as the reports print it, rounded to the unit.
pub fn percent_text(value: f64) -> String {
    format!("{}%", value.round() as i64)
}

/// The footnote of a Mi Barrio Habla ratio, in seed 003's words.
pub fn agreements_footnote(
    events: i64,
    period: &str,
    agreements: i64,
    concluded: i64,
    percent: f64,
) -> String {
    format!(
        "Durante los {events} eventos realizados {period} del programa Mi Barrio Habla, se establecieron un total de {agreements} acuerdos, de los cuales {concluded} han sido concluidos, lo que representa el {} de acuerdos atendidos.",
        percent_text(percent)
    )
}

/// "en 2025" for a calendar year, otherwise "del 1 de marzo de 2026 al 31 de julio de 2026".
pub fn span_es(from: NaiveDate, to: NaiveDate) -> String {
    let whole_year = from.month() == 1
        && from.day() == 1
        && to.month() == 12
        && to.day() == 31
        && from.year() == to.year();
    if whole_year {
        format!("en {}", from.year())
    } else {
        format!("del {} al {}", long_date_es(from), long_date_es(to))
    }
}

pub fn tracking_markdown(table: &GoalTracking) -> String {
    let mut md = format!("# {}\n\n", table.title);
    if let Some(s) = &table.presented_in {
        md.push_str(&format!(
            "Los siguientes resultados fueron presentados en la {} del {}.\n\n",
            s.title,
            long_date_es(s.held_on)
        ));
    } else {
        md.push_str(&format!("Resultados al {}.\n\n", long_date_es(table.as_of)));
    }
    md.push_str("| Eje | Meta | Indicador | Fecha establecida de cumplimiento | Avance | Estatus |\n|---|---|---|---|---|---|\n");
    for row in &table.rows {
        md.push_str(&format!(
            "| {} | {}{} | {} | {} | {} | {} |\n",
            cell(&row.axis),
            cell(&row.statement),
            row.marker.replace('*', "\\*"),
            cell(&row.indicator),
            row.due,
            row.progress,
            row.status_label
        ));
    }
    md.push('\n');
    for row in table.rows.iter().filter(|r| !r.footnote.is_empty()) {
        md.push_str(&format!(
            "{} {}\n\n",
            row.marker.replace('*', "\\*"),
            row.footnote
        ));
    }
    md
}

fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn done_figures_read_as_the_report_writes_them() {
        assert_eq!(
            done_text("intervenciones", 2, &[d(2024, 7, 13), d(2024, 7, 27)], ""),
            "2 intervenciones con fecha 13 y 27 de julio"
        );
        assert_eq!(
            done_text("intervenciones", 1, &[d(2024, 8, 24)], ""),
            "1 intervención con fecha 24 de agosto"
        );
        assert_eq!(
            done_text(
                "asesorías",
                13,
                &[],
                "2 en Miércoles Ciudadano y 11 de forma directa en oficinas de la UT"
            ),
            "13 asesorías (2 en Miércoles Ciudadano y 11 de forma directa en oficinas de la UT)"
        );
        assert_eq!(figure_text("acuerdos de mejora", 1), "1 acuerdo de mejora");
        assert_eq!(
            figure_text("estrategia de difusión", 1),
            "1 estrategia de difusión"
        );
        assert_eq!(
            dates_es(&[d(2024, 8, 30), d(2024, 9, 2), d(2024, 9, 9)]),
            "30 de agosto y 2 y 9 de septiembre"
        );
        assert_eq!(short_date_es(d(2024, 7, 4)), "04 de julio");
    }

    #[test]
    fn measures_match_in_singular_and_plural() {
        assert!(same_measure("intervenciones", "intervención"));
        assert!(same_measure("Asesorías", "asesoria"));
        assert!(same_measure("acuerdos de mejora", "acuerdo de mejora"));
        assert!(!same_measure("intervenciones", "asesorías"));
    }

    #[test]
    fn footnotes_speak_the_seed_s_words() {
        assert_eq!(
            agreements_footnote(21, &span_es(d(2025, 1, 1), d(2025, 12, 31)), 449, 404, 89.98),
            "Durante los 21 eventos realizados en 2025 del programa Mi Barrio Habla, se establecieron un total de 449 acuerdos, de los cuales 404 han sido concluidos, lo que representa el 90% de acuerdos atendidos."
        );
        assert_eq!(
            span_es(d(2026, 3, 1), d(2026, 7, 31)),
            "del 1 de marzo de 2026 al 31 de julio de 2026"
        );
    }
}
