//! The streaming validator: the header against the schema's fields, then each row — its cells
//! read as their types and checked against their constraints, extra and missing cells, blank
//! rows, unique values and the primary key — as frictionless validates a table, in one pass.
//!
//! One thread reads the stream and cuts it into blocks of whole records; the header (and,
//! without a schema, a sample to infer one) is read from the first blocks; then as many threads
//! as the machine has cores check blocks at once, and their findings are merged back in row
//! order, so the report is the one a single pass would give.

use std::collections::{BTreeMap, VecDeque};
use std::io::Read;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{channel, sync_channel, Receiver, Sender};
use std::sync::Mutex;

use crate::block_rows::BlockRows;
use crate::blocks::{split_blocks, Block, BlockQueue, WAITING};
use crate::finding::{Collector, ErrorCode, Finding, Report};
use crate::infer::{infer_schema, suggest_primary_key, SAMPLE_ROWS};
use crate::row_check::{Checked, RowChecker};
use crate::rows::{encoding_note, Next};
use crate::schema::TableSchema;
use crate::uniqueness::ColumnHashes;

/// The most threads that check blocks at once.
const MOST_CHECKERS: usize = 4;

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
    /// Findings known before the rows are read, in row order (a spreadsheet's formulas
    /// without a value, found as it was turned into CSV): reported with the others.
    pub prior_findings: Vec<Finding>,
}

impl Default for ValidateOptions {
    fn default() -> Self {
        ValidateOptions {
            schema: None,
            local_inference: false,
            limit_findings: Some(1000),
            examples_per_group: 5,
            size_hint: None,
            prior_findings: Vec::new(),
        }
    }
}

/// Validates a CSV stream. Never fails: a file that cannot be read is itself a finding.
pub fn validate(source: impl Read + Send, options: &ValidateOptions) -> Report {
    let stop = AtomicBool::new(false);
    let (send_block, incoming) = sync_channel(WAITING);
    let (give_back, spent) = channel();
    std::thread::scope(|scope| {
        let stop = &stop;
        let reading = scope.spawn(move || split_blocks(source, send_block, spent, stop));
        let mut report = validate_blocks(incoming, &give_back, options, stop);
        stop.store(true, Ordering::Relaxed);
        report.bytes = reading.join().unwrap_or_default();
        report
    })
}

/// The report without its byte count, which the reading thread gives at its end.
fn validate_blocks(
    incoming: Receiver<Block>,
    give_back: &Sender<Vec<u8>>,
    options: &ValidateOptions,
    stop: &AtomicBool,
) -> Report {
    let mut collector = Collector::new(options.limit_findings, options.examples_per_group);
    let finish = |mut collector: Collector, labels, schema, rows| {
        collector.merge_in_row_order(options.prior_findings.clone());
        let (counts, groups, findings, truncated) = collector.into_groups();
        Report {
            valid: counts.is_empty(),
            rows,
            labels,
            schema,
            bytes: 0,
            counts,
            groups,
            findings,
            truncated,
        }
    };
    let fallback = || {
        options
            .schema
            .clone()
            .unwrap_or_else(|| TableSchema::new(Vec::new()))
    };
    let preface = match read_preface(&incoming, options.schema.is_none()) {
        Ok(preface) => preface,
        Err(next) => {
            match next {
                Next::End => collector
                    .push(Finding::new(ErrorCode::SourceError).with_note("the source is empty")),
                other => push_stop(&mut collector, other, 1),
            }
            return finish(collector, Vec::new(), fallback(), 0);
        }
    };
    let labels = preface.labels;
    let schema = match &options.schema {
        Some(schema) => schema.clone(),
        None => {
            let mut schema = infer_schema(&labels, &preface.sample, options.local_inference);
            if options.local_inference {
                schema.primary_key = suggest_primary_key(&schema, &preface.sample)
                    .into_iter()
                    .collect();
            }
            schema
        }
    };
    let Some(checker) = RowChecker::new(&labels, &schema, &mut collector) else {
        return finish(collector, labels, schema, 0);
    };
    let first = preface.blocks.front().map_or(0, |b| b.index);
    let queue = Mutex::new(BlockQueue {
        read_ahead: preface.blocks,
        incoming,
    });
    let (send_checked, checked) = channel::<Checked>();
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, MOST_CHECKERS);
    let mut merge = Merge {
        next: first,
        early: BTreeMap::new(),
        last_row: 1,
        collector,
        hashes: checker.new_hashes(),
        size_hint: options.size_hint,
        stopped: false,
    };
    std::thread::scope(|scope| {
        for _ in 0..threads {
            let (mut checker, send_checked, queue) =
                (checker.clone(), send_checked.clone(), &queue);
            scope.spawn(move || {
                while !stop.load(Ordering::Relaxed) {
                    let Some(block) = queue.lock().ok().and_then(|mut q| q.next()) else {
                        break;
                    };
                    let checked = checker.check_block(
                        &block,
                        options.limit_findings,
                        options.examples_per_group,
                    );
                    if let Ok(buffer) = block.bytes {
                        let _ = give_back.send(buffer);
                    }
                    if send_checked.send(checked).is_err() {
                        break;
                    }
                }
            });
        }
        drop(send_checked);
        for block in checked {
            merge.add(block);
            if merge.stopped {
                stop.store(true, Ordering::Relaxed);
                break;
            }
        }
    });
    let repeats = checker.repeats(&merge.hashes);
    merge.collector.merge_in_row_order(repeats);
    finish(merge.collector, labels, schema, merge.last_row - 1)
}

/// What is read before the rows are checked.
struct Preface {
    /// The header, trimmed.
    labels: Vec<String>,
    /// The rows read to infer a schema (blank rows as no cells).
    sample: Vec<Vec<String>>,
    /// The blocks read so far, from the header's; its `skip` passes over the header.
    blocks: VecDeque<Block>,
}

/// Finds the header (empty lines before it are passed over) and, when asked, reads the sample
/// that follows it. Fails with what stopped the reading: `Next::End` for an empty stream.
fn read_preface(incoming: &Receiver<Block>, sample: bool) -> Result<Preface, Next> {
    let mut labels = None;
    let mut blocks = VecDeque::new();
    while labels.is_none() {
        let Ok(mut block) = incoming.recv() else {
            return Err(Next::End);
        };
        let bytes = block
            .bytes
            .as_ref()
            .map_err(|e| Next::Unreadable(e.clone()))?;
        let mut rows = BlockRows::new(bytes, block.delimiter, block.index == 0);
        let mut skip = 0;
        loop {
            match rows.next_row() {
                Next::Record => {
                    // Frictionless trims labels: " monto " names the field `monto`.
                    labels = Some(rows.cells().map(|l| l.trim().to_owned()).collect());
                    skip += 1;
                    break;
                }
                Next::Blank => skip += 1,
                Next::End => break,
                Next::Encoding { field } => return Err(Next::Encoding { field }),
                Next::Unreadable(note) => return Err(Next::Unreadable(note)),
            }
        }
        if labels.is_some() {
            block.skip = skip;
            blocks.push_back(block);
        }
    }
    let mut rows = Vec::new();
    let mut at = 0;
    while sample && rows.len() < SAMPLE_ROWS {
        if at == blocks.len() {
            match incoming.recv() {
                Ok(block) => blocks.push_back(block),
                Err(_) => break,
            }
        }
        let block: &Block = &blocks[at];
        at += 1;
        let Ok(bytes) = &block.bytes else { break };
        let mut reader = BlockRows::new(bytes, block.delimiter, block.index == 0);
        for _ in 0..block.skip {
            reader.next_row();
        }
        let ended = loop {
            if rows.len() == SAMPLE_ROWS {
                break false;
            }
            match reader.next_row() {
                Next::Record => rows.push(reader.cells().map(String::from).collect()),
                Next::Blank => rows.push(Vec::new()),
                Next::End => break false,
                Next::Encoding { .. } | Next::Unreadable(_) => break true,
            }
        };
        if ended {
            break;
        }
    }
    Ok(Preface {
        labels: labels.unwrap_or_default(),
        sample: rows,
        blocks,
    })
}

/// The checked blocks put back in stream order, as they come.
struct Merge {
    /// The block to merge next.
    next: usize,
    /// Blocks checked before an earlier one.
    early: BTreeMap<usize, Checked>,
    /// The number of the last row merged (the header is row 1).
    last_row: u64,
    collector: Collector,
    hashes: Vec<ColumnHashes>,
    size_hint: Option<u64>,
    /// A block stopped the reading: nothing after it counts.
    stopped: bool,
}

impl Merge {
    fn add(&mut self, checked: Checked) {
        self.early.insert(checked.index, checked);
        while !self.stopped {
            let Some(checked) = self.early.remove(&self.next) else {
                break;
            };
            self.next += 1;
            self.absorb(checked);
        }
    }

    fn absorb(&mut self, checked: Checked) {
        if let Some(size) = self.size_hint.filter(|_| checked.rows > 0) {
            // Room for every row's hashes at once, foreseen from the first block.
            let per_row = (checked.bytes as u64 / checked.rows).max(1);
            for column in &mut self.hashes {
                column.reserve((size / per_row) as usize * 11 / 10);
            }
            self.size_hint = None;
        }
        self.collector.absorb(checked.collector, self.last_row);
        for (column, block) in self.hashes.iter_mut().zip(checked.hashes) {
            column.append(block);
        }
        if let Some(next) = checked.stop {
            push_stop(&mut self.collector, next, self.last_row + checked.rows);
            self.stopped = true;
        }
        self.last_row += checked.rows;
    }
}

fn push_stop(collector: &mut Collector, next: Next, row: u64) {
    match next {
        Next::Encoding { field } => collector.push(
            Finding::new(ErrorCode::EncodingError)
                .at_row(row)
                .with_note(encoding_note(field, row)),
        ),
        Next::Unreadable(note) => {
            collector.push(Finding::new(ErrorCode::SourceError).with_note(note))
        }
        Next::Record | Next::Blank | Next::End => {}
    }
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

    /// A table of several blocks: quoted line ends, CRLF, empty lines, type errors and repeated
    /// keys at known rows; returns the bytes and the findings a single pass gives, in order.
    type Expected = Vec<(String, Option<u64>, Option<u32>)>;

    fn many_blocks(rows: u64) -> (Vec<u8>, Expected, u64) {
        let mut csv = b"id,n,nota\r\n".to_vec();
        let mut expected = Vec::new();
        let mut row = 1;
        for i in 1..=rows {
            if i % 1231 == 0 {
                csv.extend_from_slice(b"\r\n");
                row += 1;
                expected.push(f("blank-row", row, None));
                expected.push(f("primary-key", row, None));
            }
            row += 1;
            let id = if i % 5003 == 0 { 1 } else { i };
            let n = if i % 997 == 0 {
                "x".to_owned()
            } else {
                i.to_string()
            };
            let note = format!("\"línea {i},\r\ncon \"\"comillas\"\"\"");
            csv.extend_from_slice(format!("{id},{n},{note}\r\n").as_bytes());
            if i % 997 == 0 {
                expected.push(f("type-error", row, Some(2)));
            }
            if i % 5003 == 0 {
                expected.push(f("primary-key", row, None));
            }
        }
        (csv, expected, row - 1)
    }

    const KEYED: &str = r#"{"fields": [{"name": "id", "type": "integer"},
        {"name": "n", "type": "integer"}, {"name": "nota"}], "primaryKey": "id"}"#;

    fn keyed(limit: Option<usize>) -> ValidateOptions {
        ValidateOptions {
            schema: Some(TableSchema::from_json(KEYED).expect("schema")),
            limit_findings: limit,
            ..ValidateOptions::default()
        }
    }

    #[test]
    fn blocks_checked_at_once_give_the_report_of_a_single_pass() {
        let (csv, expected, data_rows) = many_blocks(60_000);
        assert!(
            csv.len() > 4 * 512 * 1024,
            "several blocks ({} bytes)",
            csv.len()
        );
        let report = validate(&csv[..], &keyed(None));
        let got: Expected = report
            .findings
            .iter()
            .map(|f| (f.code.key().to_owned(), f.row, f.field))
            .collect();
        assert_eq!(got, expected);
        assert_eq!(report.rows, data_rows);
        assert_eq!(report.bytes, csv.len() as u64);
        let type_errors = report
            .groups
            .iter()
            .find(|g| g.code == ErrorCode::TypeError)
            .expect("a group of type errors");
        let first: Vec<Option<u64>> = expected
            .iter()
            .filter(|e| e.0 == "type-error")
            .take(5)
            .map(|e| e.1)
            .collect();
        let examples: Vec<Option<u64>> = type_errors.examples.iter().map(|e| e.row).collect();
        assert_eq!(examples, first);
        assert_eq!(type_errors.examples[0].cell.as_deref(), Some("x"));

        // With a limit, the findings kept are still the first ones.
        let limited = validate(&csv[..], &keyed(Some(7)));
        assert_eq!(limited.findings, report.findings[..7]);
        assert!(limited.truncated);
        assert_eq!(limited.counts, report.counts);
    }

    #[test]
    fn bytes_that_are_not_utf8_in_a_later_block_end_the_report_at_their_row() {
        let (mut csv, expected, _) = many_blocks(40_000);
        // The start of a record three quarters in: a line end followed by a digit (the
        // second line of a note starts with a letter).
        let at = csv.len() * 3 / 4;
        let line_start = at
            + csv[at..]
                .windows(3)
                .position(|w| w[..2] == *b"\r\n" && w[2].is_ascii_digit())
                .expect("a record")
            + 2;
        let lines_before = csv[..line_start]
            .split(|b| *b == b'\n')
            .filter(|line| !line.starts_with(b"con "))
            .count() as u64
            - 1;
        let row = lines_before + 1;
        csv.splice(line_start..line_start, b"\xff".iter().copied());
        let report = validate(&csv[..], &keyed(None));
        let last = report.findings.last().expect("findings");
        assert_eq!(last.code, ErrorCode::EncodingError);
        assert_eq!(last.row, Some(row));
        assert_eq!(report.rows, row - 1);
        let before: Expected = expected.into_iter().filter(|e| e.1 < Some(row)).collect();
        let got: Expected = report.findings[..report.findings.len() - 1]
            .iter()
            .map(|f| (f.code.key().to_owned(), f.row, f.field))
            .collect();
        assert_eq!(got, before);
    }

    /// A stream that gives its bytes, then fails.
    struct FailingAfter(Vec<u8>, usize);

    impl Read for FailingAfter {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            if self.1 == self.0.len() {
                return Err(std::io::Error::other("the disk went away"));
            }
            let n = buf.len().min(self.0.len() - self.1);
            buf[..n].copy_from_slice(&self.0[self.1..self.1 + n]);
            self.1 += n;
            Ok(n)
        }
    }

    #[test]
    fn a_stream_that_fails_midway_is_a_source_error_after_the_rows_it_gave() {
        let (csv, expected, data_rows) = many_blocks(30_000);
        let report = validate(FailingAfter(csv.clone(), 0), &keyed(None));
        let source = report.findings.last().expect("findings");
        assert_eq!(source.code, ErrorCode::SourceError);
        assert!(
            source.note.contains("the disk went away"),
            "{}",
            source.note
        );
        assert_eq!(report.rows, data_rows);
        assert_eq!(
            report.count(ErrorCode::TypeError),
            expected.iter().filter(|e| e.0 == "type-error").count() as u64
        );
    }
}
