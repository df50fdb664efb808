//! Checking the rows of a block: each cell read as its field's type and checked against its
//! constraints, extra and missing cells, blank rows, and the hashes of the values that must
//! stay unique, gathered in row order so that repeats can be found once every block is in.
//! Several threads check blocks at once, each with a copy of the [`RowChecker`]; rows are
//! numbered from 1 within their block.

use crate::block_rows::BlockRows;
use crate::blocks::Block;
use crate::cast::{Broken, FieldReader, Verdict};
use crate::finding::{Collector, ErrorCode, Finding};
use crate::infer::names_from_labels;
use crate::rows::Next;
use crate::schema::{Field, FieldType, TableSchema};
use crate::uniqueness::{hash_values, ColumnHashes};

/// What checking one block gave.
pub(crate) struct Checked {
    pub index: usize,
    /// The block's rows, counting the one the reading stopped at.
    pub rows: u64,
    /// The block's size, to foresee how many rows the stream holds.
    pub bytes: usize,
    pub collector: Collector,
    /// One hash per row for each key, in the order of [`RowChecker::new_hashes`].
    pub hashes: Vec<ColumnHashes>,
    /// Why the reading stopped before the block's end (at its last row).
    pub stop: Option<Next>,
}

/// The fields each row is checked against, and what must stay unique.
#[derive(Clone)]
pub(crate) struct RowChecker {
    names: Vec<String>,
    readers: Vec<FieldReader>,
    /// Per field: whether its values' hashes are needed (unique or in the key).
    hashed: Vec<bool>,
    keys: Vec<Key>,
    /// The current row's hashes, per field.
    hashes: Vec<Option<u64>>,
    key_hashes: Vec<Option<u64>>,
    found: Vec<Finding>,
    broken: Vec<Broken>,
}

/// Values that must not repeat: a unique field, or the primary key (when the key is one unique
/// field, one column serves both).
#[derive(Clone)]
struct Key {
    fields: Vec<usize>,
    /// Report a repeat as a unique error of this field.
    unique_field: Option<usize>,
    /// Report a repeat (and an all-blank key) as a primary-key error.
    primary_key: bool,
}

impl RowChecker {
    /// Checks the header into `collector`; builds the row checks. `None` when the schema
    /// cannot be compiled, which is a finding (it was checked when read, so this does not
    /// happen in practice).
    pub fn new(
        labels: &[String],
        schema: &TableSchema,
        collector: &mut Collector,
    ) -> Option<RowChecker> {
        for finding in label_findings(labels, &schema.fields) {
            collector.push(finding);
        }
        let matched: Vec<Option<&Field>> =
            (0..labels.len()).map(|i| schema.fields.get(i)).collect();
        let names = names_from_labels(
            &matched
                .iter()
                .zip(labels)
                .map(|(field, label)| field.map_or(label.clone(), |f| f.name.clone()))
                .collect::<Vec<_>>(),
        );
        let mut readers = Vec::with_capacity(names.len());
        for (field, name) in matched.iter().zip(&names) {
            let any = Field::new(name.clone(), FieldType::Any);
            match FieldReader::compile(field.unwrap_or(&any), &schema.missing_values) {
                Ok(reader) => readers.push(reader),
                Err(err) => {
                    collector.push(Finding::new(ErrorCode::SourceError).with_note(err.to_string()));
                    return None;
                }
            }
        }
        let position = |name: &str| {
            matched
                .iter()
                .position(|f| f.is_some_and(|f| f.name == name))
        };
        let unique_at = |i: usize| matched[i].is_some_and(|f| f.constraints.unique);
        let key: Option<Vec<usize>> = schema.primary_key.iter().map(|n| position(n)).collect();
        let mut keys = Vec::new();
        let mut shared = None;
        if let Some(fields) = key.filter(|k| !k.is_empty()) {
            if fields.len() == 1 && unique_at(fields[0]) {
                shared = Some(fields[0]);
            }
            keys.push(Key {
                fields,
                unique_field: shared,
                primary_key: true,
            });
        }
        for i in (0..matched.len()).filter(|i| unique_at(*i) && Some(*i) != shared) {
            keys.push(Key {
                fields: vec![i],
                unique_field: Some(i),
                primary_key: false,
            });
        }
        let mut hashed = vec![false; names.len()];
        for key in &keys {
            for i in &key.fields {
                hashed[*i] = true;
            }
        }
        let width = names.len();
        Some(RowChecker {
            names,
            readers,
            hashed,
            keys,
            hashes: vec![None; width],
            key_hashes: Vec::new(),
            found: Vec::new(),
            broken: Vec::new(),
        })
    }

    /// Empty columns of hashes, one per key, for the rows to come.
    pub fn new_hashes(&self) -> Vec<ColumnHashes> {
        self.keys.iter().map(|_| ColumnHashes::new()).collect()
    }

    /// Checks the rows of a block; findings go to a collector of the block's own.
    pub fn check_block(&mut self, block: &Block, limit: Option<usize>, examples: usize) -> Checked {
        let mut collector = Collector::new(limit, examples);
        let mut hashes = self.new_hashes();
        let mut stop = None;
        let bytes = match &block.bytes {
            Ok(bytes) => bytes.as_slice(),
            Err(note) => {
                stop = Some(Next::Unreadable(note.clone()));
                &[]
            }
        };
        let mut rows = BlockRows::new(bytes, block.delimiter, block.index == 0);
        for _ in 0..block.skip {
            rows.next_row();
        }
        rows.row_number = 0;
        while stop.is_none() {
            match rows.next_row() {
                Next::Record => {
                    let record = &rows;
                    self.row(
                        rows.row_number,
                        record.len(),
                        |i| record.cell(i),
                        &mut collector,
                        &mut hashes,
                    );
                }
                Next::Blank => self.row(rows.row_number, 0, |_| None, &mut collector, &mut hashes),
                Next::End => break,
                other => stop = Some(other),
            }
        }
        Checked {
            index: block.index,
            rows: rows.row_number,
            bytes: bytes.len(),
            collector,
            hashes,
            stop,
        }
    }

    /// The rows that repeat an earlier row's unique values or key, given every row's hashes,
    /// in row order. The first data row is row 2.
    pub fn repeats(&self, hashes: &[ColumnHashes]) -> Vec<Finding> {
        let mut repeats = Vec::new();
        for (key, column) in self.keys.iter().zip(hashes) {
            for position in column.repeats() {
                let row = 2 + position as u64;
                if let Some(field) = key.unique_field {
                    repeats.push(
                        Finding::new(ErrorCode::UniqueError)
                            .at_row(row)
                            .at_field(field + 1, &self.names[field])
                            .with_note("the same value as in an earlier row"),
                    );
                }
                if key.primary_key {
                    repeats.push(
                        Finding::new(ErrorCode::PrimaryKey)
                            .at_row(row)
                            .with_note("the same values as in an earlier row"),
                    );
                }
            }
        }
        repeats.sort_by_key(|f| (f.row, f.code, f.field));
        repeats
    }

    /// Checks one row: `len` cells, read through `cell`.
    fn row<'a>(
        &mut self,
        number: u64,
        len: usize,
        cell: impl Fn(usize) -> Option<&'a str>,
        collector: &mut Collector,
        hashes: &mut [ColumnHashes],
    ) {
        let width = self.readers.len();
        let mut blanks = 0;
        for index in 0..width {
            let reader = &self.readers[index];
            let source = if index < len { cell(index) } else { None };
            let breaks = match reader.judge(source, self.hashed[index], &mut self.hashes[index]) {
                Verdict::Blank => {
                    blanks += 1;
                    false
                }
                Verdict::BlankBreaks => {
                    blanks += 1;
                    true
                }
                Verdict::WrongType => {
                    self.found.push(
                        Finding::new(ErrorCode::TypeError)
                            .at_row(number)
                            .at_field(index + 1, &self.names[index])
                            .with_cell(source.unwrap_or_default())
                            .with_note(reader.type_note()),
                    );
                    // A cell not of the type is not checked against the constraints.
                    false
                }
                Verdict::Passes => false,
                Verdict::Breaks => true,
            };
            if breaks {
                self.broken.clear();
                reader.broken_by(source, &mut self.broken);
                self.push_broken(number, index, source.unwrap_or_default());
            }
        }
        for index in width..len {
            self.found.push(
                Finding::new(ErrorCode::ExtraCell)
                    .at_row(number)
                    .at_field(index + 1, "")
                    .with_cell(cell(index).unwrap_or_default()),
            );
        }
        for index in len..width {
            self.found.push(
                Finding::new(ErrorCode::MissingCell)
                    .at_row(number)
                    .at_field(index + 1, &self.names[index]),
            );
        }
        if blanks == width {
            self.found.clear();
            self.found
                .push(Finding::new(ErrorCode::BlankRow).at_row(number));
        }
        self.check_unique(number, hashes);
        for finding in self.found.drain(..) {
            collector.push(finding);
        }
    }

    fn push_broken(&mut self, number: u64, index: usize, raw: &str) {
        for broken in self.broken.drain(..) {
            self.found.push(
                Finding::new(ErrorCode::ConstraintError)
                    .at_row(number)
                    .at_field(index + 1, &self.names[index])
                    .with_cell(raw)
                    .with_note(broken.note),
            );
        }
    }

    /// Records the row's values that must not repeat (repeats are found at the end); a key
    /// whose cells are all blank is a finding now.
    fn check_unique(&mut self, number: u64, hashes: &mut [ColumnHashes]) {
        for (key, column) in self.keys.iter().zip(hashes) {
            let hash = if let [field] = key.fields[..] {
                self.hashes[field]
            } else {
                self.key_hashes.clear();
                self.key_hashes
                    .extend(key.fields.iter().map(|i| self.hashes[*i]));
                (!self.key_hashes.iter().all(Option::is_none))
                    .then(|| hash_values(&self.key_hashes))
            };
            if key.primary_key && hash.is_none() {
                self.found.push(
                    Finding::new(ErrorCode::PrimaryKey)
                        .at_row(number)
                        .with_note("cells composing the primary keys are all \"None\""),
                );
            }
            column.push(hash);
        }
    }
}

/// The header against the fields, matched by position: labels beyond the fields, fields beyond
/// the labels, then each position's blank, repeated or different label.
fn label_findings(labels: &[String], fields: &[Field]) -> Vec<Finding> {
    let mut found = Vec::new();
    for (number, label) in labels.iter().enumerate().skip(fields.len()) {
        found.push(
            Finding::new(ErrorCode::ExtraLabel)
                .at_row(1)
                .at_field(number + 1, "")
                .with_cell(label),
        );
    }
    for (offset, field) in fields.iter().skip(labels.len()).enumerate() {
        found.push(
            Finding::new(ErrorCode::MissingLabel)
                .at_row(1)
                .at_field(labels.len() + offset + 1, &field.name),
        );
    }
    for (index, (field, label)) in fields.iter().zip(labels).enumerate() {
        let number = index + 1;
        if label.is_empty() {
            found.push(
                Finding::new(ErrorCode::BlankLabel)
                    .at_row(1)
                    .at_field(number, &field.name),
            );
            continue;
        }
        let earlier: Vec<String> = labels[..index]
            .iter()
            .enumerate()
            .filter(|(_, l)| *l == label)
            .map(|(i, _)| (i + 1).to_string())
            .collect();
        if !earlier.is_empty() {
            found.push(
                Finding::new(ErrorCode::DuplicateLabel)
                    .at_row(1)
                    .at_field(number, &field.name)
                    .with_cell(label)
                    .with_note(format!("at position \"{}\"", earlier.join(", "))),
            );
        } else if *label != field.name {
            found.push(
                Finding::new(ErrorCode::IncorrectLabel)
                    .at_row(1)
                    .at_field(number, &field.name)
                    .with_cell(label),
            );
        }
    }
    found
}
