//! The streaming validator: the header against the schema's fields, then each row — its cells
//! read as their types and checked against their constraints, extra and missing cells, blank
//! rows, unique values and the primary key — as frictionless validates a table, in one pass.

use std::io::Read;

use crate::cast::{Broken, Cell, FieldReader};
use crate::finding::{Collector, ErrorCode, Finding, Report};
use crate::infer::{infer_schema, names_from_labels, suggest_primary_key, SAMPLE_ROWS};
use crate::rows::{Next, RowSource};
use crate::schema::{Field, FieldType, TableSchema};
use crate::uniqueness::{hash_value, hash_values, ColumnHashes};

/// How to validate.
#[derive(Debug, Clone)]
pub struct ValidateOptions {
    /// The schema to check against; `None` infers one from the first rows.
    pub schema: Option<TableSchema>,
    /// Inference also tries day-first dates and proposes a primary key.
    pub local_inference: bool,
    /// The most findings kept in full (all are counted); `None` keeps every one.
    pub limit_findings: Option<usize>,
    /// The examples kept for each group of code and field.
    pub examples_per_group: usize,
    /// The stream's size when known, to size the memory of unique values once.
    pub size_hint: Option<u64>,
}

impl Default for ValidateOptions {
    fn default() -> Self {
        ValidateOptions {
            schema: None,
            local_inference: false,
            limit_findings: Some(1000),
            examples_per_group: 5,
            size_hint: None,
        }
    }
}

/// Validates a CSV stream. Never fails: a file that cannot be read is itself a finding.
pub fn validate(source: impl Read + Send, options: &ValidateOptions) -> Report {
    crate::read_ahead::with_read_ahead(source, |reader| validate_stream(reader, options))
}

fn validate_stream(source: impl Read, options: &ValidateOptions) -> Report {
    let mut collector = Collector::new(options.limit_findings, options.examples_per_group);
    let fallback = options
        .schema
        .clone()
        .unwrap_or_else(|| TableSchema::new(Vec::new()));
    let finish = |collector: Collector, labels, schema, rows, bytes| {
        let (counts, groups, findings, truncated) = collector.into_groups();
        Report {
            valid: counts.is_empty(),
            rows,
            labels,
            schema,
            bytes,
            counts,
            groups,
            findings,
            truncated,
        }
    };
    let mut rows = match RowSource::open(source) {
        Ok(rows) => rows,
        Err(err) => {
            collector.push(Finding::new(ErrorCode::SourceError).with_note(err.to_string()));
            return finish(collector, Vec::new(), fallback, 0, 0);
        }
    };
    let header = match rows.header() {
        Ok(Some(header)) => header,
        Ok(None) => {
            collector.push(Finding::new(ErrorCode::SourceError).with_note("the source is empty"));
            return finish(collector, Vec::new(), fallback, 0, rows.bytes());
        }
        Err(next) => {
            push_stop(&mut collector, next, 1);
            return finish(collector, Vec::new(), fallback, 0, rows.bytes());
        }
    };
    // Frictionless trims labels: " monto " names the field `monto`.
    let labels: Vec<String> = header.iter().map(|l| l.trim().to_owned()).collect();

    // Without a schema, the first rows are read ahead to infer one, then checked like the rest.
    let mut sample = Vec::new();
    let mut stop = None;
    let schema = match &options.schema {
        Some(schema) => schema.clone(),
        None => {
            while sample.len() < SAMPLE_ROWS {
                match rows.next_row() {
                    Next::Record => {
                        sample.push(Some(rows.record.iter().map(String::from).collect()))
                    }
                    Next::Blank => sample.push(None),
                    other => {
                        stop = Some(other);
                        break;
                    }
                }
            }
            let cells: Vec<Vec<String>> = sample
                .iter()
                .map(|r| r.clone().unwrap_or_default())
                .collect();
            let mut schema = infer_schema(&labels, &cells, options.local_inference);
            if options.local_inference {
                schema.primary_key = suggest_primary_key(&schema, &cells).into_iter().collect();
            }
            schema
        }
    };

    let mut checker = match Checker::new(&labels, &schema, collector) {
        Ok(checker) => checker,
        Err(collector) => return finish(collector, labels, schema, 0, rows.bytes()),
    };
    for (offset, row) in sample.iter().enumerate() {
        let number = 2 + offset as u64;
        match row {
            Some(cells) => checker.row(number, cells.len(), |i| cells.get(i).map(String::as_str)),
            None => checker.row(number, 0, |_| None),
        }
    }
    let reserve_after = 1000;
    loop {
        let next = match stop.take() {
            Some(next) => next,
            None => rows.next_row(),
        };
        let number = rows.row_number;
        match next {
            Next::Record => {
                let record = &rows.record;
                checker.row(number, record.len(), |i| record.get(i));
            }
            Next::Blank => checker.row(number, 0, |_| None),
            Next::End => break,
            other => {
                push_stop(&mut checker.collector, other, number);
                break;
            }
        }
        if number == reserve_after {
            if let Some(size) = options.size_hint {
                let per_row = (rows.consumed() / number).max(1);
                checker.reserve((size / per_row) as usize * 11 / 10);
            }
        }
    }
    let data_rows = rows.row_number.saturating_sub(1);
    finish(checker.finish(), labels, schema, data_rows, rows.bytes())
}

fn push_stop(collector: &mut Collector, next: Next, row: u64) {
    match next {
        Next::Encoding(note) => collector.push(
            Finding::new(ErrorCode::EncodingError)
                .at_row(row)
                .with_note(note),
        ),
        Next::Unreadable(note) => {
            collector.push(Finding::new(ErrorCode::SourceError).with_note(note))
        }
        Next::Record | Next::Blank | Next::End => {}
    }
}

/// The fields each row is checked against, and what must stay unique.
struct Checker {
    collector: Collector,
    names: Vec<String>,
    readers: Vec<FieldReader>,
    /// Per field: whether its values' hashes are needed (unique or in the key).
    hashed: Vec<bool>,
    keys: Vec<KeyColumn>,
    hashes: Vec<Option<u64>>,
    key_hashes: Vec<Option<u64>>,
    found: Vec<Finding>,
    broken: Vec<Broken>,
}

/// Values that must not repeat: a unique field, or the primary key (when the key is one unique
/// field, one column serves both).
struct KeyColumn {
    fields: Vec<usize>,
    /// Report a repeat as a unique error of this field.
    unique_field: Option<usize>,
    /// Report a repeat (and an all-blank key) as a primary-key error.
    primary_key: bool,
    hashes: ColumnHashes,
}

impl Checker {
    /// Checks the header; builds the row checks. A schema that cannot be compiled gives the
    /// collector back (it was checked when read, so this does not happen in practice).
    fn new(
        labels: &[String],
        schema: &TableSchema,
        mut collector: Collector,
    ) -> Result<Checker, Collector> {
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
                    return Err(collector);
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
            keys.push(KeyColumn {
                fields,
                unique_field: shared,
                primary_key: true,
                hashes: ColumnHashes::new(),
            });
        }
        for i in (0..matched.len()).filter(|i| unique_at(*i) && Some(*i) != shared) {
            keys.push(KeyColumn {
                fields: vec![i],
                unique_field: Some(i),
                primary_key: false,
                hashes: ColumnHashes::new(),
            });
        }
        let mut hashed = vec![false; names.len()];
        for key in &keys {
            for i in &key.fields {
                hashed[*i] = true;
            }
        }
        let width = names.len();
        Ok(Checker {
            collector,
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

    fn reserve(&mut self, rows: usize) {
        for key in &mut self.keys {
            key.hashes.reserve(rows);
        }
    }

    /// The repeats, found once every row is read, as findings in row order.
    fn finish(mut self) -> Collector {
        let mut repeats = Vec::new();
        for key in &self.keys {
            for position in key.hashes.repeats() {
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
        self.collector.merge_in_row_order(repeats);
        self.collector
    }

    /// Checks one row: `len` cells, read through `cell`.
    fn row<'a>(&mut self, number: u64, len: usize, cell: impl Fn(usize) -> Option<&'a str>) {
        let width = self.readers.len();
        let mut blanks = 0;
        for index in 0..width {
            let reader = &self.readers[index];
            let source = if index < len { cell(index) } else { None };
            self.hashes[index] = None;
            match reader.read(source) {
                Cell::Blank => {
                    blanks += 1;
                    if reader.has_checks() {
                        self.broken.clear();
                        reader.broken(None, &mut self.broken);
                        self.push_broken(number, index, source.unwrap_or_default());
                    }
                }
                Cell::WrongType => {
                    let raw = source.unwrap_or_default();
                    self.found.push(
                        Finding::new(ErrorCode::TypeError)
                            .at_row(number)
                            .at_field(index + 1, &self.names[index])
                            .with_cell(raw)
                            .with_note(reader.type_note()),
                    );
                }
                Cell::Value(value) => {
                    if reader.has_checks() {
                        self.broken.clear();
                        reader.broken(Some(&value), &mut self.broken);
                        self.push_broken(number, index, source.unwrap_or_default());
                    }
                    if self.hashed[index] {
                        self.hashes[index] = Some(hash_value(&value));
                    }
                }
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
        self.check_unique(number);
        for finding in self.found.drain(..) {
            self.collector.push(finding);
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
    fn check_unique(&mut self, number: u64) {
        for key in &mut self.keys {
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
            key.hashes.push(hash);
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

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(csv: &[u8], schema: Option<&str>) -> Vec<(String, Option<u64>, Option<u32>)> {
        let options = ValidateOptions {
            schema: schema.map(|s| TableSchema::from_json(s).expect("schema")),
            ..ValidateOptions::default()
        };
        validate(csv, &options)
            .findings
            .into_iter()
            .map(|f| (f.code.key().to_owned(), f.row, f.field))
            .collect()
    }

    fn f(code: &str, row: u64, field: Option<u32>) -> (String, Option<u64>, Option<u32>) {
        (code.to_owned(), Some(row), field)
    }

    #[test]
    fn ragged_and_blank_rows() {
        let got = codes(
            b"id,name,age\n1,Ana,3\n\n2,Luis,4\n,,\n3,Eva\n4,Eva,5,6\n",
            None,
        );
        assert_eq!(
            got,
            [
                f("blank-row", 3, None),
                f("blank-row", 5, None),
                f("missing-cell", 6, Some(3)),
                f("extra-cell", 7, Some(4)),
            ]
        );
    }

    #[test]
    fn keys_and_constraints() {
        let schema = r#"{"fields": [
            {"name": "id", "type": "integer", "constraints": {"unique": true}},
            {"name": "k", "type": "string"},
            {"name": "name", "type": "string", "constraints": {"required": true, "minLength": 2}}
        ], "primaryKey": ["id"]}"#;
        let got = codes(
            b"id,k,name\n1,a,Ana\n,b,Luis\n1,a,Eva\n2,,x\n01,a,\n",
            Some(schema),
        );
        assert_eq!(
            got,
            [
                f("primary-key", 3, None),
                f("unique-error", 4, Some(1)),
                f("primary-key", 4, None),
                f("constraint-error", 5, Some(3)),
                f("constraint-error", 6, Some(3)),
                f("unique-error", 6, Some(1)),
                f("primary-key", 6, None),
            ]
        );
    }

    #[test]
    fn labels_against_the_schema() {
        let schema = r#"{"fields": [{"name": "a"}, {"name": "b"}, {"name": "c"}, {"name": "d"}]}"#;
        let got = codes(b"a,a,,x\n1,2,3,4\n", Some(schema));
        assert_eq!(
            got,
            [
                f("duplicate-label", 1, Some(2)),
                f("blank-label", 1, Some(3)),
                f("incorrect-label", 1, Some(4)),
            ]
        );
        let got = codes(b"a,b\n1,2\n", Some(schema));
        assert_eq!(
            got,
            [
                f("missing-label", 1, Some(3)),
                f("missing-label", 1, Some(4))
            ]
        );
        let got = codes(b"a,b,c,d,e\n1,2,3,4,5\n", Some(schema));
        assert_eq!(got, [f("extra-label", 1, Some(5))]);
    }

    #[test]
    fn empty_and_unreadable_sources() {
        let report = validate(&b""[..], &ValidateOptions::default());
        assert_eq!(report.count(ErrorCode::SourceError), 1);
        let report = validate(&b"a,b\n"[..], &ValidateOptions::default());
        assert!(report.valid && report.rows == 0);
        let report = validate(
            &b"a,b\n1,x\n2,Le\xf3n\n3,y\n"[..],
            &ValidateOptions::default(),
        );
        assert_eq!(report.count(ErrorCode::EncodingError), 1);
        assert_eq!(report.findings[0].row, Some(3));
    }

    #[test]
    fn counts_everything_but_keeps_only_the_limit() {
        let mut csv = String::from("n\n");
        for i in 0..50 {
            csv.push_str(if i % 2 == 0 { "x\n" } else { "1\n" });
        }
        let options = ValidateOptions {
            schema: Some(
                TableSchema::from_json(r#"{"fields": [{"name": "n", "type": "integer"}]}"#)
                    .expect("schema"),
            ),
            limit_findings: Some(10),
            examples_per_group: 3,
            ..ValidateOptions::default()
        };
        let report = validate(csv.as_bytes(), &options);
        assert_eq!(report.count(ErrorCode::TypeError), 25);
        assert_eq!(report.findings.len(), 10);
        assert!(report.truncated);
        assert_eq!(report.groups.len(), 1);
        assert_eq!(report.groups[0].count, 25);
        assert_eq!(report.groups[0].examples.len(), 3);
        assert_eq!(report.rows, 50);
    }

    #[test]
    fn repeats_found_at_the_end_take_their_place_among_the_first_findings() {
        let schema = r#"{"fields": [{"name": "id", "type": "integer"}, {"name": "n", "type": "integer"}],
            "primaryKey": "id"}"#;
        let options = ValidateOptions {
            schema: Some(TableSchema::from_json(schema).expect("schema")),
            limit_findings: Some(3),
            ..ValidateOptions::default()
        };
        let report = validate(&b"id,n\n1,x\n1,2\n2,y\n2,3\n"[..], &options);
        let kept: Vec<(&str, Option<u64>)> = report
            .findings
            .iter()
            .map(|f| (f.code.key(), f.row))
            .collect();
        assert_eq!(
            kept,
            [
                ("type-error", Some(2)),
                ("primary-key", Some(3)),
                ("type-error", Some(4))
            ]
        );
        assert!(report.truncated);
        assert_eq!(report.count(ErrorCode::PrimaryKey), 2);
        let key_group = report
            .groups
            .iter()
            .find(|g| g.code == ErrorCode::PrimaryKey)
            .expect("a group of key repeats");
        assert_eq!(key_group.examples.len(), 2);
    }
}
