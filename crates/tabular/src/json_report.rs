//! A report in the shape of frictionless' own JSON report (`frictionless validate --json`), so
//! that tools written for frictionless read ours: `valid`, `stats`, and one table task with its
//! labels, stats and errors, each error with `type`, `title`, `message`, `tags`, `note` and its
//! `rowNumber`, `fieldNumber`, `fieldName`, `cell` or `label`.

use serde_json::{json, Map, Value as Json};

use crate::finding::{ErrorCode, Finding, Report};

/// The report as frictionless writes it. `place` is the file's path or name.
pub fn frictionless_json(report: &Report, place: &str, seconds: f64) -> Json {
    let errors: Vec<Json> = report.findings.iter().map(error_json).collect();
    let total = report.total();
    let name = std::path::Path::new(place)
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or(place);
    json!({
        "valid": report.valid,
        "stats": {"tasks": 1, "errors": total, "warnings": 0, "seconds": seconds},
        "warnings": [],
        "errors": [],
        "tasks": [{
            "name": name,
            "type": "table",
            "valid": report.valid,
            "place": place,
            "labels": report.labels,
            "stats": {
                "errors": total,
                "warnings": 0,
                "seconds": seconds,
                "bytes": report.bytes,
                "fields": report.schema.fields.len().max(report.labels.len()),
                "rows": report.rows,
            },
            "warnings": if report.truncated {
                vec![format!("reached error limit: {}", report.findings.len())]
            } else {
                Vec::new()
            },
            "errors": errors,
        }],
    })
}

fn error_json(finding: &Finding) -> Json {
    let code = finding.code;
    let mut map = Map::new();
    map.insert("type".into(), json!(code.key()));
    map.insert("title".into(), json!(code.title()));
    map.insert("message".into(), json!(message(finding)));
    map.insert("tags".into(), json!(code.tags()));
    map.insert("note".into(), json!(finding.note));
    let is_label = code.tags().contains(&"#label");
    if !code.is_file_level() {
        if !is_label {
            map.insert("rowNumber".into(), json!(finding.row));
        }
        if let Some(field) = finding.field {
            map.insert("fieldNumber".into(), json!(field));
            map.insert(
                "fieldName".into(),
                json!(finding.field_name.clone().unwrap_or_default()),
            );
        }
        let text = json!(finding.cell.clone().unwrap_or_default());
        if is_label {
            map.insert("label".into(), text);
        } else if finding.field.is_some() {
            map.insert("cell".into(), text);
        }
    }
    Json::Object(map)
}

/// Frictionless' message for the finding, from its templates.
pub fn message(f: &Finding) -> String {
    let row = f.row.unwrap_or_default();
    let field = f.field.unwrap_or_default();
    let name = f.field_name.as_deref().unwrap_or_default();
    let cell = f.cell.as_deref().unwrap_or_default();
    let note = &f.note;
    match f.code {
        ErrorCode::SourceError => format!("The data source has not supported or has inconsistent contents: {note}"),
        ErrorCode::EncodingError => format!("The data source could not be successfully decoded: {note}"),
        ErrorCode::BlankLabel => format!("Label in the header in field at position \"{field}\" is blank"),
        ErrorCode::DuplicateLabel => format!(
            "Label \"{cell}\" in the header at position \"{field}\" is duplicated to a label: {note}"
        ),
        ErrorCode::MissingLabel => format!(
            "There is a missing label in the header's field \"{name}\" at position \"{field}\""
        ),
        ErrorCode::ExtraLabel => format!("There is an extra label \"{cell}\" in header at position \"{field}\""),
        ErrorCode::IncorrectLabel => format!(
            "Label \"{cell}\" in field {name} at position \"{field}\" does not match the field name in the schema"
        ),
        ErrorCode::BlankRow => format!("Row at position \"{row}\" is completely blank"),
        ErrorCode::ExtraCell => format!("Row at position \"{row}\" has an extra value in field at position \"{field}\""),
        ErrorCode::MissingCell => format!(
            "Row at position \"{row}\" has a missing cell in field \"{name}\" at position \"{field}\""
        ),
        ErrorCode::TypeError => format!(
            "Type error in the cell \"{cell}\" in row \"{row}\" and field \"{name}\" at position \"{field}\": {note}"
        ),
        ErrorCode::ConstraintError => format!(
            "The cell \"{cell}\" in row at position \"{row}\" and field \"{name}\" at position \"{field}\" does not conform to a constraint: {note}"
        ),
        ErrorCode::UniqueError => format!(
            "Row at position \"{row}\" has unique constraint violation in field \"{name}\" at position \"{field}\": {note}"
        ),
        ErrorCode::PrimaryKey => format!(
            "Row at position \"{row}\" violates the primary key: {note}"
        ),
        ErrorCode::FormulaWithoutValue => format!(
            "The cell \"{cell}\" in row at position \"{row}\" and field \"{name}\" at position \"{field}\" holds a formula without a calculated value: {note}"
        ),
    }
}
