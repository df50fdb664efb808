//! Findings (hallazgos): what is wrong in a table, with frictionless' error codes, and the
//! report of a whole validation — counts by code, groups by code and field with their first
//! examples, and the first findings in full.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::schema::TableSchema;

/// Frictionless' error types this validator reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ErrorCode {
    SourceError,
    EncodingError,
    BlankLabel,
    DuplicateLabel,
    MissingLabel,
    ExtraLabel,
    IncorrectLabel,
    BlankRow,
    ExtraCell,
    MissingCell,
    TypeError,
    ConstraintError,
    UniqueError,
    PrimaryKey,
    /// A spreadsheet cell holding a formula that was never calculated (saved by a program
    /// that does not compute formulas): its value is unknown, not empty. abierto's own code;
    /// Frictionless reads such a cell as blank.
    FormulaWithoutValue,
}

impl ErrorCode {
    pub const ALL: [ErrorCode; 15] = [
        ErrorCode::SourceError,
        ErrorCode::EncodingError,
        ErrorCode::BlankLabel,
        ErrorCode::DuplicateLabel,
        ErrorCode::MissingLabel,
        ErrorCode::ExtraLabel,
        ErrorCode::IncorrectLabel,
        ErrorCode::BlankRow,
        ErrorCode::ExtraCell,
        ErrorCode::MissingCell,
        ErrorCode::TypeError,
        ErrorCode::ConstraintError,
        ErrorCode::UniqueError,
        ErrorCode::PrimaryKey,
        ErrorCode::FormulaWithoutValue,
    ];

    /// The code as frictionless writes it (`type-error`).
    pub fn key(self) -> &'static str {
        match self {
            ErrorCode::SourceError => "source-error",
            ErrorCode::EncodingError => "encoding-error",
            ErrorCode::BlankLabel => "blank-label",
            ErrorCode::DuplicateLabel => "duplicate-label",
            ErrorCode::MissingLabel => "missing-label",
            ErrorCode::ExtraLabel => "extra-label",
            ErrorCode::IncorrectLabel => "incorrect-label",
            ErrorCode::BlankRow => "blank-row",
            ErrorCode::ExtraCell => "extra-cell",
            ErrorCode::MissingCell => "missing-cell",
            ErrorCode::TypeError => "type-error",
            ErrorCode::ConstraintError => "constraint-error",
            ErrorCode::UniqueError => "unique-error",
            ErrorCode::PrimaryKey => "primary-key",
            ErrorCode::FormulaWithoutValue => "formula-without-value",
        }
    }

    pub fn parse(raw: &str) -> Option<ErrorCode> {
        ErrorCode::ALL.into_iter().find(|c| c.key() == raw)
    }

    /// Frictionless' title for the code.
    pub fn title(self) -> &'static str {
        match self {
            ErrorCode::SourceError => "Source Error",
            ErrorCode::EncodingError => "Encoding Error",
            ErrorCode::BlankLabel => "Blank Label",
            ErrorCode::DuplicateLabel => "Duplicate Label",
            ErrorCode::MissingLabel => "Missing Label",
            ErrorCode::ExtraLabel => "Extra Label",
            ErrorCode::IncorrectLabel => "Incorrect Label",
            ErrorCode::BlankRow => "Blank Row",
            ErrorCode::ExtraCell => "Extra Cell",
            ErrorCode::MissingCell => "Missing Cell",
            ErrorCode::TypeError => "Type Error",
            ErrorCode::ConstraintError => "Constraint Error",
            ErrorCode::UniqueError => "Unique Error",
            ErrorCode::PrimaryKey => "PrimaryKey Error",
            ErrorCode::FormulaWithoutValue => "Formula Without Value",
        }
    }

    /// Frictionless' tags: where in the table the error lives.
    pub fn tags(self) -> &'static [&'static str] {
        match self {
            ErrorCode::SourceError | ErrorCode::EncodingError => &["#file"],
            ErrorCode::BlankLabel
            | ErrorCode::DuplicateLabel
            | ErrorCode::MissingLabel
            | ErrorCode::ExtraLabel
            | ErrorCode::IncorrectLabel => &["#table", "#header", "#label"],
            ErrorCode::BlankRow | ErrorCode::PrimaryKey => &["#table", "#row"],
            _ => &["#table", "#row", "#cell"],
        }
    }

    /// Whether the whole file could not be read (nothing after it was checked).
    pub fn is_file_level(self) -> bool {
        matches!(self, ErrorCode::SourceError | ErrorCode::EncodingError)
    }
}

/// One finding. Rows count as a spreadsheet shows them (the header is row 1); fields from 1.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub code: ErrorCode,
    pub row: Option<u64>,
    pub field: Option<u32>,
    pub field_name: Option<String>,
    /// The cell (or label) as read, shortened to at most [`EXAMPLE_CHARS`] characters.
    pub cell: Option<String>,
    /// Frictionless' note: which constraint, which type, which earlier row.
    pub note: String,
}

/// The longest cell text a finding keeps.
pub const EXAMPLE_CHARS: usize = 120;

impl Finding {
    pub(crate) fn new(code: ErrorCode) -> Finding {
        Finding {
            code,
            row: None,
            field: None,
            field_name: None,
            cell: None,
            note: String::new(),
        }
    }

    pub(crate) fn at_row(mut self, row: u64) -> Finding {
        self.row = Some(row);
        self
    }

    pub(crate) fn at_field(mut self, number: usize, name: &str) -> Finding {
        self.field = u32::try_from(number).ok();
        self.field_name = (!name.is_empty()).then(|| name.to_owned());
        self
    }

    pub(crate) fn with_cell(mut self, cell: &str) -> Finding {
        self.cell = Some(shorten(cell));
        self
    }

    pub(crate) fn with_note(mut self, note: impl Into<String>) -> Finding {
        self.note = note.into();
        self
    }
}

fn shorten(text: &str) -> String {
    match text.char_indices().nth(EXAMPLE_CHARS) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_owned(),
    }
}

/// The findings of one code in one field (or in no field: rows, the file).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FindingGroup {
    pub code: ErrorCode,
    pub field: Option<u32>,
    pub field_name: Option<String>,
    pub count: u64,
    /// The first findings of the group, in the order they were found.
    pub examples: Vec<Finding>,
}

/// What a validation found.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    pub valid: bool,
    /// Data rows read (the header not counted).
    pub rows: u64,
    /// The header as read.
    pub labels: Vec<String>,
    /// The schema the data was checked against: the one given, or the one inferred.
    pub schema: TableSchema,
    pub bytes: u64,
    /// Every finding counted by code, however many were kept.
    pub counts: BTreeMap<ErrorCode, u64>,
    pub groups: Vec<FindingGroup>,
    /// The first findings in full, up to the limit asked for.
    pub findings: Vec<Finding>,
    /// Whether findings beyond the limit were counted but not kept.
    pub truncated: bool,
}

impl Report {
    /// All findings counted.
    pub fn total(&self) -> u64 {
        self.counts.values().sum()
    }

    /// How many findings of the code.
    pub fn count(&self, code: ErrorCode) -> u64 {
        self.counts.get(&code).copied().unwrap_or_default()
    }
}

/// Gathers findings as they come, keeping counts, groups and the first ones.
pub(crate) struct Collector {
    limit: Option<usize>,
    examples_per_group: usize,
    pub counts: BTreeMap<ErrorCode, u64>,
    groups: BTreeMap<(ErrorCode, Option<u32>), FindingGroup>,
    pub findings: Vec<Finding>,
    pub truncated: bool,
}

impl Collector {
    pub fn new(limit: Option<usize>, examples_per_group: usize) -> Collector {
        Collector {
            limit,
            examples_per_group,
            counts: BTreeMap::new(),
            groups: BTreeMap::new(),
            findings: Vec::new(),
            truncated: false,
        }
    }

    pub fn push(&mut self, finding: Finding) {
        self.tally(&finding);
        if self.limit.is_none_or(|limit| self.findings.len() < limit) {
            self.findings.push(finding);
        } else {
            self.truncated = true;
        }
    }

    /// Counts the finding, in its code and in its group (keeping it as an example while the
    /// group has few).
    fn tally(&mut self, finding: &Finding) {
        *self.counts.entry(finding.code).or_default() += 1;
        let group = self
            .groups
            .entry((finding.code, finding.field))
            .or_insert_with(|| FindingGroup {
                code: finding.code,
                field: finding.field,
                field_name: finding.field_name.clone(),
                count: 0,
                examples: Vec::new(),
            });
        group.count += 1;
        if group.examples.len() < self.examples_per_group {
            group.examples.push(finding.clone());
        }
    }

    /// Adds what another collector gathered over the rows that follow those seen so far:
    /// its rows, numbered from 1, come after row `rows_before`. The findings kept in full and
    /// the groups' examples stay the first ones in row order.
    pub fn absorb(&mut self, later: Collector, rows_before: u64) {
        let shifted = |mut finding: Finding| {
            if let Some(row) = &mut finding.row {
                *row += rows_before;
            }
            finding
        };
        for (code, count) in later.counts {
            *self.counts.entry(code).or_default() += count;
        }
        for (key, group) in later.groups {
            let mine = self.groups.entry(key).or_insert_with(|| FindingGroup {
                code: group.code,
                field: group.field,
                field_name: group.field_name.clone(),
                count: 0,
                examples: Vec::new(),
            });
            mine.count += group.count;
            let room = self.examples_per_group.saturating_sub(mine.examples.len());
            mine.examples
                .extend(group.examples.into_iter().take(room).map(shifted));
        }
        for finding in later.findings {
            if self.limit.is_none_or(|limit| self.findings.len() < limit) {
                self.findings.push(shifted(finding));
            } else {
                self.truncated = true;
                break;
            }
        }
        self.truncated |= later.truncated;
    }

    /// Adds findings that were found after the stream (repeated values), sorted by row, so
    /// that the findings kept in full are still the first ones of the file.
    pub fn merge_in_row_order(&mut self, later: Vec<Finding>) {
        let streamed = std::mem::take(&mut self.findings);
        let kept_before = streamed.len();
        let limit = self.limit;
        for finding in &later {
            self.tally(finding);
        }
        let total = kept_before + later.len();
        let mut merged = Vec::with_capacity(limit.unwrap_or(total).min(total));
        let mut streamed = streamed.into_iter().peekable();
        let mut later = later.into_iter().peekable();
        while limit.is_none_or(|l| merged.len() < l) {
            let take_later = match (streamed.peek(), later.peek()) {
                (Some(a), Some(b)) => b.row < a.row,
                (None, Some(_)) => true,
                (_, None) => false,
            };
            let next = if take_later {
                later.next()
            } else {
                streamed.next()
            };
            match next {
                Some(finding) => merged.push(finding),
                None => break,
            }
        }
        if streamed.next().is_some() || later.next().is_some() {
            self.truncated = true;
        }
        self.findings = merged;
    }

    pub fn into_groups(
        self,
    ) -> (
        BTreeMap<ErrorCode, u64>,
        Vec<FindingGroup>,
        Vec<Finding>,
        bool,
    ) {
        let groups = self.groups.into_values().collect();
        (self.counts, groups, self.findings, self.truncated)
    }
}
