//! An import's report as people and API clients read it: each problem with its row, column,
//! stable code and the message in the reader's language.

use abierto_app::imports::{ImportKind, ImportMode, ImportReport};
use abierto_domain::ErrorCode;
use serde::Serialize;

use crate::page::PageContext;

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ImportResult {
    /// `plans`, `commitments`, `goals`, `agreements` or `work_stages`.
    pub kind: String,
    pub mode: ImportMode,
    /// Data rows read.
    pub rows: usize,
    pub created: usize,
    pub updated: usize,
    pub rejected: usize,
    /// Whether anything was written. In `all_or_nothing` mode, false whenever a row has a
    /// problem.
    pub applied: bool,
    pub problems: Vec<ImportProblem>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ImportProblem {
    /// Spreadsheet numbering: the header is row 1.
    pub row: usize,
    pub field: Option<String>,
    pub code: ErrorCode,
    pub message: String,
}

pub fn worded(report: ImportReport, ctx: &PageContext) -> ImportResult {
    ImportResult {
        kind: report.kind.to_owned(),
        mode: report.mode,
        rows: report.rows,
        created: report.created,
        updated: report.updated,
        rejected: report.rejected,
        applied: report.applied,
        problems: report
            .problems
            .into_iter()
            .map(|p| ImportProblem {
                row: p.row,
                message: ctx.t(&p.code.message_key()).to_owned(),
                field: p.field,
                code: p.code,
            })
            .collect(),
    }
}

/// A kind of file and its columns, for the import form's instructions.
pub struct KindHelp {
    pub key: &'static str,
    pub label_key: String,
    pub columns: Vec<ColumnHelp>,
}

/// One column of a kind of file: its Spanish name (the template's), the English one also
/// accepted, whether it is required, and the catalog key of what it holds.
pub struct ColumnHelp {
    pub spanish: &'static str,
    pub english: &'static str,
    pub required: bool,
    pub hint_key: String,
}

pub fn kinds_help() -> Vec<KindHelp> {
    ImportKind::ALL
        .into_iter()
        .map(|kind| {
            let (required, optional) = kind.columns();
            let column = |english: &&'static str, required: bool| ColumnHelp {
                spanish: abierto_app::imports::spanish_name(english),
                english,
                required,
                hint_key: format!("import_column.{}_{english}", kind.key()),
            };
            KindHelp {
                key: kind.key(),
                label_key: format!("imports.kind_{}", kind.key()),
                columns: required
                    .iter()
                    .map(|c| column(c, true))
                    .chain(optional.iter().map(|c| column(c, false)))
                    .collect(),
            }
        })
        .collect()
}
