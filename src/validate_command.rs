//! `abierto validate FILE.csv [--schema schema.json] [--json]`: checks a CSV file against a
//! Table Schema (or the one inferred from it) without a server or a database, and prints the
//! findings — a summary in Spanish by default, frictionless' JSON report with `--json`.

use std::fmt::Write as _;
use std::path::Path;
use std::time::Instant;

use abierto_domain::lang::Lang;
use abierto_i18n::I18n;
use abierto_tabular::json_report::frictionless_json;
use abierto_tabular::{validate, Report, TableSchema, ValidateOptions};

/// What the command ends with: the text to print, and whether the file is valid.
pub struct Outcome {
    pub output: String,
    pub valid: bool,
}

/// Why the command could not validate at all.
#[derive(Debug, thiserror::Error)]
pub enum CommandError {
    #[error("no se puede leer «{path}»: {source}")]
    Unreadable {
        path: String,
        source: std::io::Error,
    },
    #[error("el esquema «{path}» no sirve. {message} ({subject})")]
    Schema {
        path: String,
        message: String,
        subject: String,
    },
}

/// Validates the file. `limit` is the most findings listed in full; 0 lists them all.
pub fn run(
    file: &Path,
    schema: Option<&Path>,
    json: bool,
    limit: usize,
) -> Result<Outcome, CommandError> {
    let unreadable = |path: &Path| {
        let path = path.display().to_string();
        move |source| CommandError::Unreadable { path, source }
    };
    let schema = match schema {
        None => None,
        Some(path) => {
            let text = std::fs::read_to_string(path).map_err(unreadable(path))?;
            Some(
                TableSchema::from_json(&text).map_err(|err| CommandError::Schema {
                    path: path.display().to_string(),
                    message: spanish(I18n::load().ok().as_ref(), &format!("error.{}", err.code())),
                    subject: err.subject(),
                })?,
            )
        }
    };
    let opened = std::fs::File::open(file).map_err(unreadable(file))?;
    let size = opened.metadata().ok().map(|m| m.len());
    let options = ValidateOptions {
        schema,
        limit_findings: (limit > 0).then_some(limit),
        size_hint: size,
        ..ValidateOptions::default()
    };
    let started = Instant::now();
    let report = validate(opened, &options);
    let seconds = started.elapsed().as_secs_f64();
    let place = file.display().to_string();
    let output = if json {
        let value = frictionless_json(&report, &place, (seconds * 1000.0).round() / 1000.0);
        serde_json::to_string_pretty(&value).unwrap_or_default()
    } else {
        summary(&report, &place)
    };
    Ok(Outcome {
        output,
        valid: report.valid,
    })
}

/// The Spanish text of an interface key (the key itself if the catalogs could not be read).
fn spanish(texts: Option<&I18n>, key: &str) -> String {
    match texts {
        Some(texts) => texts.text(Lang::Es, key).to_owned(),
        None => key.to_owned(),
    }
}

/// The findings grouped by code and field, in Spanish, with the first examples of each.
fn summary(report: &Report, place: &str) -> String {
    let texts = I18n::load().ok();
    let text = |key: String| spanish(texts.as_ref(), &key);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{place}: {} filas de datos, {} columnas",
        report.rows,
        report.labels.len()
    );
    if report.valid {
        let _ = writeln!(out, "Resultado: VÁLIDO, sin hallazgos.");
        return out;
    }
    let _ = writeln!(out, "Resultado: NO VÁLIDO, {} hallazgos.", report.total());
    for (code, count) in &report.counts {
        let _ = writeln!(
            out,
            "\n{} ({}): {count}",
            text(format!("data_finding.{}", code.key())),
            code.key()
        );
        let _ = writeln!(
            out,
            "  {}",
            text(format!("data_finding_hint.{}", code.key()))
        );
        for group in report.groups.iter().filter(|g| g.code == *code) {
            let place = match (group.field, &group.field_name) {
                (Some(n), Some(name)) => format!("columna {n} «{name}»"),
                (Some(n), None) => format!("columna {n}"),
                _ => "filas".to_owned(),
            };
            let examples: Vec<String> = group
                .examples
                .iter()
                .map(|f| match (&f.row, &f.cell) {
                    (Some(row), Some(cell)) => format!("fila {row}: «{cell}»"),
                    (Some(row), None) => format!("fila {row}"),
                    _ => f.note.clone(),
                })
                .collect();
            let _ = writeln!(
                out,
                "  - {place}: {} — {}",
                group.count,
                examples.join("; ")
            );
        }
    }
    out
}
