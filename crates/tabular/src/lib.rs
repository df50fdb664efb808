//! Tabular data as the Frictionless specifications describe it: a Table Schema read from JSON
//! or inferred from a sample, and a streaming validator that reports findings (hallazgos) with
//! frictionless' error codes and numbering — the header is row 1, fields count from 1.
//!
//! The validator reads a CSV once, in blocks of whole rows checked on every core and merged back
//! in row order: memory depends on the number of columns and on the values that must stay
//! unique, never on the size of the file. Everything here is pure:
//! bytes in, a report out; storing, showing and translating findings belong to other layers.

mod block_rows;
mod blocks;
pub mod cast;
pub mod convert;
pub mod finding;
pub mod infer;
pub mod json_report;
mod pattern;
mod row_check;
mod rows;
pub mod schema;
pub mod typed;
mod uniqueness;
pub mod validate;

pub use finding::{ErrorCode, Finding, FindingGroup, Report};
pub use infer::{infer_schema, suggest_primary_key};
pub use schema::{Field, FieldType, SchemaError, TableSchema};
pub use typed::{typed_rows, TypedError, TypedRows};
pub use validate::{validate, ValidateOptions};
