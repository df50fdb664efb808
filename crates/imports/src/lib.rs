//! CSV imports into abierto: the action plan's plans, commitments and goals, and the programs'
//! records (Mi Barrio Habla agreements, Presupuesto Participativo works' stage changes).
//!
//! A file is read (UTF-8, a known header), each row is checked against the domain's rules and
//! against what is stored (references by external id, weights, stage order), and then written
//! in one transaction. By default nothing goes in unless every row is valid; in row-level mode
//! the valid rows go in and the others are reported. Either way the report names each problem
//! by row (the header is row 1), column and stable code, and nothing already stored is lost: a
//! re-import updates the rows with the same external id instead of duplicating them.

mod plan_rows;
mod program_rows;
mod report;
pub mod spanish;
mod table;

use abierto_domain::ErrorCode;
use abierto_domain::ValidationError;
use abierto_store::{Actor, ImportBatch, Store, StoreError};

pub use report::{ImportMode, ImportReport, RowProblem};
pub use table::MAX_ROWS;

/// What a file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportKind {
    Plans,
    Commitments,
    Goals,
    Agreements,
    WorkStages,
}

impl ImportKind {
    pub const ALL: [ImportKind; 5] = [
        ImportKind::Plans,
        ImportKind::Commitments,
        ImportKind::Goals,
        ImportKind::Agreements,
        ImportKind::WorkStages,
    ];

    pub fn key(self) -> &'static str {
        match self {
            ImportKind::Plans => "plans",
            ImportKind::Commitments => "commitments",
            ImportKind::Goals => "goals",
            ImportKind::Agreements => "agreements",
            ImportKind::WorkStages => "work_stages",
        }
    }

    pub fn parse(raw: &str) -> Result<ImportKind, ValidationError> {
        ImportKind::ALL
            .into_iter()
            .find(|k| k.key() == raw.trim())
            .ok_or(ValidationError::new("kind", ErrorCode::InvalidImportKind))
    }

    /// The file's columns: (required, optional).
    pub fn columns(self) -> (&'static [&'static str], &'static [&'static str]) {
        let columns = self.spec();
        (columns.required, columns.optional)
    }

    fn spec(self) -> &'static table::Columns {
        match self {
            ImportKind::Plans => &plan_rows::PLAN_COLUMNS,
            ImportKind::Commitments => &plan_rows::COMMITMENT_COLUMNS,
            ImportKind::Goals => &plan_rows::GOAL_COLUMNS,
            ImportKind::Agreements => &program_rows::AGREEMENT_COLUMNS,
            ImportKind::WorkStages => &program_rows::STAGE_COLUMNS,
        }
    }
}

/// The checked rows of a file: the batch to write, each row's number, and the problems.
pub(crate) struct Checked {
    pub batch: ImportBatch,
    pub numbers: Vec<usize>,
    pub problems: Vec<RowProblem>,
}

/// Reads, checks and (when the mode allows) writes a file. A database failure is the only
/// error; every fault of the file is in the report.
pub async fn import(
    store: &Store,
    actor: &Actor,
    kind: ImportKind,
    mode: ImportMode,
    bytes: &[u8],
) -> Result<ImportReport, StoreError> {
    let mut report = ImportReport {
        kind: kind.key(),
        mode,
        rows: 0,
        created: 0,
        updated: 0,
        rejected: 0,
        applied: false,
        problems: Vec::new(),
    };
    let table::Table { rows, spanish } = match table::read(bytes, kind.spec()) {
        Ok(table) => table,
        Err(problems) => {
            report.problems = problems;
            return Ok(report);
        }
    };
    report.rows = rows.len();
    let checked = match kind {
        ImportKind::Plans => plan_rows::plans(store, &rows).await?,
        ImportKind::Commitments => plan_rows::commitments(store, &rows).await?,
        ImportKind::Goals => plan_rows::goals(store, &rows).await?,
        ImportKind::Agreements => program_rows::agreements(store, &rows).await?,
        ImportKind::WorkStages => program_rows::stage_changes(store, &rows).await?,
    };
    let mut rejected: Vec<usize> = checked.problems.iter().map(|p| p.row).collect();
    rejected.sort_unstable();
    rejected.dedup();
    report.rejected = rejected.len();
    report.problems = checked.problems;
    // A file in Spanish hears of its columns by the names it gave them.
    if spanish {
        spanish::rename_fields(&mut report.problems);
    }
    let nothing_to_write = checked.numbers.is_empty();
    if nothing_to_write || (mode == ImportMode::AllOrNothing && report.rejected > 0) {
        return Ok(report);
    }
    match store.import_batch(actor, &checked.batch).await {
        Ok(outcome) => {
            report.created = outcome.created;
            report.updated = outcome.updated;
            report.applied = true;
        }
        Err(refused) => match refused.error {
            StoreError::Refused(rule) => {
                let row = checked.numbers.get(refused.index).copied().unwrap_or(1);
                report.problems.push(RowProblem::refused(row, &rule));
                report.problems.sort_by_key(|p| p.row);
                report.rejected += 1;
            }
            other => return Err(other),
        },
    }
    Ok(report)
}

/// Collects the rows that parse, and the problems of the others.
pub(crate) fn split<T>(
    results: Vec<(usize, Result<T, RowProblem>)>,
) -> (Vec<(usize, T)>, Vec<RowProblem>) {
    let mut good = Vec::new();
    let mut problems = Vec::new();
    for (number, result) in results {
        match result {
            Ok(value) => good.push((number, value)),
            Err(problem) => problems.push(problem),
        }
    }
    (good, problems)
}

/// Refuses the second and later rows with an external id already seen in the file.
pub(crate) fn drop_repeated_ids<T>(
    good: Vec<(usize, T)>,
    external_id: impl Fn(&T) -> &str,
    problems: &mut Vec<RowProblem>,
) -> Vec<(usize, T)> {
    let mut seen = std::collections::HashSet::new();
    good.into_iter()
        .filter(|(number, row)| {
            let fresh = seen.insert(external_id(row).to_owned());
            if !fresh {
                problems.push(RowProblem::at(
                    *number,
                    "external_id",
                    ErrorCode::DuplicateExternalId,
                ));
            }
            fresh
        })
        .collect()
}

/// A date cell.
pub(crate) fn date(
    row: &table::Row,
    column: &'static str,
) -> Result<Option<chrono::NaiveDate>, RowProblem> {
    row.optional(column)
        .map(|raw| {
            abierto_domain::dates::parse_date(raw)
                .map_err(|_| RowProblem::at(row.number, column, ErrorCode::InvalidDate))
        })
        .transpose()
}

/// A date cell that must be filled.
pub(crate) fn required_date(
    row: &table::Row,
    column: &'static str,
) -> Result<chrono::NaiveDate, RowProblem> {
    date(row, column)?.ok_or(RowProblem::at(row.number, column, ErrorCode::ValueRequired))
}

pub(crate) use abierto_domain::municipality::same_name;

/// The row's `unit` cell as a Unidad Responsable: none when blank, `unknown_unit` when no unit
/// has that name.
pub(crate) fn unit_cell(
    row: &table::Row,
    units: &[abierto_domain::municipality::Unit],
) -> Result<Option<abierto_domain::ids::UnitId>, RowProblem> {
    row.optional("unit")
        .map(|name| {
            abierto_domain::municipality::Unit::find_named(units, name)
                .map(|u| u.id)
                .ok_or(RowProblem::at(row.number, "unit", ErrorCode::UnknownUnit))
        })
        .transpose()
}

/// A column's value: what the row says, or — when the file leaves the column out — what is
/// stored for the record the row updates.
pub(crate) fn or_stored<T>(
    row: &table::Row,
    column: &str,
    stored: Option<T>,
    parse: impl FnOnce() -> Result<T, RowProblem>,
) -> Result<T, RowProblem> {
    match stored {
        Some(value) if !row.has(column) => Ok(value),
        _ => parse(),
    }
}

/// Sorts the problems by row, then puts the parts of a checked file together.
pub(crate) fn checked<T>(
    good: Vec<(usize, T)>,
    mut problems: Vec<RowProblem>,
    batch: impl FnOnce(Vec<T>) -> ImportBatch,
) -> Checked {
    problems.sort_by_key(|p| p.row);
    let (numbers, rows): (Vec<usize>, Vec<T>) = good.into_iter().unzip();
    Checked {
        batch: batch(rows),
        numbers,
        problems,
    }
}
