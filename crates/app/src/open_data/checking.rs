//! Checking an uploaded file: turning an XLSX or JSON upload into CSV as it is written to the
//! data directory, and validating the kept file against its Table Schema (or one inferred
//! from its first rows), on blocking threads so the server keeps answering.

use std::path::PathBuf;

use abierto_domain::opendata::ResourceFormat;
use abierto_domain::ValidationError;
use abierto_store::{CheckOutcome, FindingGroupRecord};
use abierto_tabular::convert::{self, ConvertError};
use abierto_tabular::{validate, Finding, Report, TableSchema, ValidateOptions};
use sha2::{Digest, Sha256};

use crate::files::hex;
use crate::{App, Error};

/// Findings kept in full for a version (all are counted, grouped by code and column).
const FINDINGS_KEPT: usize = 1000;

/// A table turned into CSV: the CSV's SHA-256 (its name in the data directory) and what the
/// conversion found (a sheet's formulas saved without their value).
pub(super) struct Converted {
    pub sha256: String,
    pub findings: Vec<Finding>,
}

/// Turns an XLSX or JSON upload into the CSV that is checked and loaded, on a blocking thread
/// that writes it to the data directory as it goes. A workbook that cannot be read or JSON
/// that is not a list of records is refused.
pub(super) async fn convert_to_csv(
    app: &App,
    format: ResourceFormat,
    content: &[u8],
) -> Result<Converted, Error> {
    let dir = app.files().data_dir().to_path_buf();
    let content = content.to_vec();
    tokio::task::spawn_blocking(move || {
        let failed = |e: std::io::Error| Error::Internal(format!("converted table: {e}"));
        std::fs::create_dir_all(&dir).map_err(failed)?;
        let partial = dir.join(format!("table.{:016x}.partial", rand::random::<u64>()));
        let file = std::fs::File::create(&partial).map_err(failed)?;
        let mut out = HashingWriter {
            inner: std::io::BufWriter::new(file),
            hasher: Sha256::new(),
        };
        let converted = match format {
            ResourceFormat::Xlsx => convert::xlsx_to_csv(&content, &mut out),
            _ => convert::json_to_csv(&content, &mut out).map(|()| Vec::new()),
        };
        let flushed = std::io::Write::flush(&mut out.inner);
        let findings = match converted
            .map_err(converted_error)
            .and_then(|findings| flushed.map_err(failed).map(|()| findings))
        {
            Ok(findings) => findings,
            Err(err) => {
                let _ = std::fs::remove_file(&partial);
                return Err(err);
            }
        };
        let sha256 = hex(&out.hasher.finalize());
        std::fs::rename(&partial, dir.join(&sha256)).map_err(failed)?;
        Ok(Converted { sha256, findings })
    })
    .await
    .map_err(|e| Error::Internal(format!("conversion task: {e}")))?
}

fn converted_error(err: ConvertError) -> Error {
    match err {
        ConvertError::Write(_) => Error::Internal(err.to_string()),
        refused => ValidationError::new("file", refused.code()).into(),
    }
}

/// Writes through, keeping the SHA-256 of what went by.
struct HashingWriter<W> {
    inner: W,
    hasher: Sha256,
}

impl<W: std::io::Write> std::io::Write for HashingWriter<W> {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        let written = self.inner.write(bytes)?;
        self.hasher.update(&bytes[..written]);
        Ok(written)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// What converting a kept upload found, again, for a check that reads the CSV made of it
/// before (a changed schema): a workbook's formulas without a value. Only a workbook (a zip
/// file, `PK`) has any.
pub(super) async fn conversion_findings(app: &App, original: &str) -> Result<Vec<Finding>, Error> {
    let path = app.files().data_path(original);
    tokio::task::spawn_blocking(move || {
        let content = std::fs::read(&path)
            .map_err(|e| Error::Internal(format!("data file {}: {e}", path.display())))?;
        if !content.starts_with(b"PK") {
            return Ok(Vec::new());
        }
        convert::xlsx_to_csv(&content, std::io::sink()).map_err(converted_error)
    })
    .await
    .map_err(|e| Error::Internal(format!("conversion task: {e}")))?
}

/// Checks a kept file, reading it from disk in a blocking task: against `schema`, or against
/// one inferred from its first rows (with day-first dates and a proposed primary key), with
/// the findings its conversion made (`prior`, in row order).
pub(super) async fn check_file(
    path: PathBuf,
    schema: Option<TableSchema>,
    prior: Vec<Finding>,
) -> Result<Report, Error> {
    tokio::task::spawn_blocking(move || {
        let file = std::fs::File::open(&path)
            .map_err(|e| Error::Internal(format!("data file {}: {e}", path.display())))?;
        let size_hint = file.metadata().ok().map(|m| m.len());
        Ok(validate(
            file,
            &ValidateOptions {
                local_inference: schema.is_none(),
                schema,
                limit_findings: Some(FINDINGS_KEPT),
                examples_per_group: 5,
                size_hint,
                prior_findings: prior,
            },
        ))
    })
    .await
    .map_err(|e| Error::Internal(format!("check task: {e}")))?
}

/// The report as the store keeps it: the row count and the findings by code and column.
pub(super) fn outcome(report: &Report) -> CheckOutcome {
    CheckOutcome {
        rows: report.rows as i64,
        groups: report
            .groups
            .iter()
            .map(|group| FindingGroupRecord {
                code: group.code.key().to_owned(),
                field_number: group.field.map(i64::from),
                field_name: group.field_name.clone(),
                count: group.count as i64,
                examples_json: serde_json::Value::Array(
                    group
                        .examples
                        .iter()
                        .map(|f| {
                            serde_json::json!({
                                "row": f.row,
                                "field": f.field,
                                "cell": f.cell,
                                "note": f.note,
                            })
                        })
                        .collect(),
                )
                .to_string(),
            })
            .collect(),
    }
}
