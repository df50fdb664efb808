//! What an import did: how many rows it created, updated and rejected, and each problem with
//! its row (the header is row 1), its column and a stable code the web layer words in Spanish.

use abierto_domain::ErrorCode;
use serde::Serialize;

/// A fault found in a row (or in the header, row 1, or in the file's bytes).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct RowProblem {
    pub row: usize,
    /// The column at fault, when there is one.
    pub field: Option<String>,
    /// Stable code: `csv_unknown_column`, `duplicate_external_id`, `invalid_date`…
    pub code: ErrorCode,
}

impl RowProblem {
    /// A problem in `row` at `field` (empty for none).
    pub fn at(row: usize, field: &str, code: ErrorCode) -> RowProblem {
        RowProblem {
            row,
            field: Some(field.to_owned()).filter(|f| !f.is_empty()),
            code,
        }
    }

    /// A rule the domain or the store refused for this row.
    pub fn refused(row: usize, rule: &abierto_domain::ValidationError) -> RowProblem {
        RowProblem::at(row, rule.field(), rule.code())
    }
}

/// All rows or none, or every valid row with the others reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ImportMode {
    AllOrNothing,
    RowLevel,
}

impl ImportMode {
    /// `all` (the default) or `rows`.
    pub fn parse(raw: &str) -> Result<ImportMode, abierto_domain::ValidationError> {
        match raw.trim() {
            "" | "all" | "all_or_nothing" => Ok(ImportMode::AllOrNothing),
            "rows" | "row_level" => Ok(ImportMode::RowLevel),
            _ => Err(abierto_domain::ValidationError::new(
                "mode",
                ErrorCode::InvalidImportMode,
            )),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ImportReport {
    pub kind: &'static str,
    pub mode: ImportMode,
    /// Data rows read (blank rows aside).
    pub rows: usize,
    pub created: usize,
    pub updated: usize,
    pub rejected: usize,
    /// Whether anything was written.
    pub applied: bool,
    pub problems: Vec<RowProblem>,
}
