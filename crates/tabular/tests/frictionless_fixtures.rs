//! Every fixture under `tests/fixtures` is validated and its findings compared with what
//! frictionless-py reported for the same file (`<name>.expected.json`, written by
//! `regenerate.py`): the same codes, on the same rows and fields, in the same order within
//! each row. Where frictionless inferred the schema, the inferred names and types must match.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};

use abierto_tabular::{validate, ErrorCode, Report, TableSchema, ValidateOptions};
use serde_json::Value;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// `(type, row, field)` as frictionless writes them: label and file errors carry no row.
type Expected = (String, Option<u64>, Option<u64>);

fn expected(path: &Path) -> Vec<Expected> {
    let text = std::fs::read_to_string(path).expect("expected findings");
    let items: Vec<Value> = serde_json::from_str(&text).expect("a JSON list");
    items
        .iter()
        .map(|item| {
            (
                item["type"].as_str().expect("type").to_owned(),
                item["rowNumber"].as_u64(),
                item["fieldNumber"].as_u64(),
            )
        })
        .collect()
}

fn found(report: &Report) -> Vec<Expected> {
    report
        .findings
        .iter()
        .map(|f| {
            let label = f.code.tags().contains(&"#label");
            let row = if label || f.code.is_file_level() {
                None
            } else {
                f.row
            };
            let field = if f.code.is_file_level() {
                None
            } else {
                f.field.map(u64::from)
            };
            (f.code.key().to_owned(), row, field)
        })
        .collect()
}

/// Frictionless orders a row's unique and key errors by when it first looked at those cells;
/// abierto puts them after the row's cell errors. Rows stay in order; within a row, both
/// lists are compared sorted.
fn by_row(mut findings: Vec<Expected>) -> Vec<Expected> {
    findings.sort_by(|a, b| {
        let row = |e: &Expected| e.1.unwrap_or(0);
        row(a).cmp(&row(b)).then_with(|| a.cmp(b))
    });
    findings
}

fn cases() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(fixtures())
        .expect("fixtures directory")
        .filter_map(|e| e.ok())
        .filter_map(|e| e.file_name().to_str().map(String::from))
        .filter_map(|n| n.strip_suffix(".csv").map(String::from))
        .collect();
    names.sort();
    names
}

fn run(name: &str) -> Report {
    let dir = fixtures();
    let schema_path = dir.join(format!("{name}.schema.json"));
    let schema = schema_path.exists().then(|| {
        TableSchema::from_json(&std::fs::read_to_string(&schema_path).expect("schema"))
            .unwrap_or_else(|e| panic!("{name}: {e}"))
    });
    let file = std::fs::File::open(dir.join(format!("{name}.csv"))).expect("fixture");
    let options = ValidateOptions {
        schema,
        limit_findings: None,
        ..ValidateOptions::default()
    };
    validate(file, &options)
}

#[test]
fn findings_match_frictionless_for_every_fixture() {
    let names = cases();
    assert!(names.len() >= 30, "the fixtures are missing: {names:?}");
    let mut failures = Vec::new();
    for name in &names {
        let report = run(name);
        let want = expected(&fixtures().join(format!("{name}.expected.json")));
        let got = found(&report);
        if by_row(got.clone()) != by_row(want.clone()) {
            failures.push(format!(
                "{name}:\n  frictionless {want:?}\n  abierto      {got:?}"
            ));
        }
        assert_eq!(report.valid, want.is_empty(), "{name}: validity");
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_listed_code_is_covered_by_a_fixture() {
    let mut seen = std::collections::BTreeSet::new();
    for name in cases() {
        for (code, _, _) in expected(&fixtures().join(format!("{name}.expected.json"))) {
            seen.insert(code);
        }
    }
    // A formula without its value is abierto's own finding, made while a workbook is turned
    // into CSV (Frictionless reads the cell as blank); the converter's tests show it.
    let frictionless_codes = ErrorCode::ALL
        .into_iter()
        .filter(|c| *c != ErrorCode::FormulaWithoutValue);
    for code in frictionless_codes {
        assert!(seen.contains(code.key()), "no fixture shows {}", code.key());
    }
}

#[test]
fn inferred_schemas_match_frictionless() {
    for name in cases() {
        let path = fixtures().join(format!("{name}.inferred.json"));
        if !path.exists() {
            continue;
        }
        let want: Value =
            serde_json::from_str(&std::fs::read_to_string(&path).expect("inferred")).expect("json");
        let want: Vec<(String, String)> = want["fields"]
            .as_array()
            .expect("fields")
            .iter()
            .map(|f| {
                (
                    f["name"].as_str().expect("name").to_owned(),
                    f["type"].as_str().expect("type").to_owned(),
                )
            })
            .collect();
        let report = run(&name);
        let got: Vec<(String, String)> = report
            .schema
            .fields
            .iter()
            .map(|f| (f.name.clone(), f.field_type.key().to_owned()))
            .collect();
        assert_eq!(got, want, "{name}");
    }
}
