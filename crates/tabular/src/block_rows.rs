//! The rows of one block, read straight from the block's bytes. Most lines hold no quote and
//! no lone carriage return: such a line is one record, cut at each delimiter where it lies,
//! with no copy. Any other line is read with the CSV crate's core reader, which follows
//! quoting. Each record is checked as UTF-8 in one call instead of field by field. Rows are
//! numbered from 1 within the block, blank rows included.

use csv_core::{ReadRecordResult, Reader, ReaderBuilder};

use crate::rows::{Next, BLANK_LINE};

/// The byte order mark some programs write at the start of a UTF-8 file.
const BOM: &[u8] = b"\xEF\xBB\xBF";

pub(crate) struct BlockRows<'a> {
    input: &'a [u8],
    at: usize,
    reader: Reader,
    /// Whether a line with no quote can be cut at the delimiter (it is one byte of ASCII).
    cuttable: bool,
    delimiter: u8,
    /// The delimiter in every byte of a word.
    delimiters: u64,
    /// The block as text, when all of it is UTF-8 (as it nearly always is).
    valid: Option<&'a str>,
    /// The last record when it is a plain line of the input, with no quote; its fields end
    /// where the delimiters lie (and at its end).
    line: Option<&'a str>,
    /// The fields of the last record read by the CSV reader, one after the other.
    text: String,
    /// Where each field of the last record ends, in `line` or in `text`.
    ends: Vec<usize>,
    fields: usize,
    /// The number of the row last read.
    pub row_number: u64,
}

impl<'a> BlockRows<'a> {
    /// Rows of marked bytes that start at a record; at the start of the stream, a byte order
    /// mark is passed over.
    pub fn new(input: &'a [u8], delimiter: u8, stream_start: bool) -> BlockRows<'a> {
        let at = if stream_start && input.starts_with(BOM) {
            BOM.len()
        } else {
            0
        };
        let mut reader = ReaderBuilder::new().delimiter(delimiter).build();
        // The reader passes over a byte order mark at the start of what it first reads; an
        // empty line read first makes it take any later one for data, as a stream reader would.
        let _ = reader.read_record(b"\n", &mut [0; 1], &mut [0; 1]);
        BlockRows {
            input,
            at,
            reader,
            cuttable: delimiter.is_ascii() && !matches!(delimiter, b'"' | b'\r' | b'\n'),
            delimiter,
            delimiters: u64::from_ne_bytes([delimiter; 8]),
            valid: std::str::from_utf8(input).ok(),
            line: None,
            text: String::with_capacity(256),
            ends: vec![0; 16],
            fields: 0,
            row_number: 0,
        }
    }

    pub fn next_row(&mut self) -> Next {
        if self.cuttable {
            if let Some(next) = self.plain_line() {
                return next;
            }
        }
        self.line = None;
        self.quoted_record()
    }

    /// The next record when it is a line with no quote nor lone carriage return, which the
    /// CSV reader would cut at each delimiter; `None` for any other line, and at the end.
    fn plain_line(&mut self) -> Option<Next> {
        let start = self.at;
        let rest = &self.input[start..];
        self.ends.clear();
        // One pass over the line, eight bytes at a time: most lines are short, and searching
        // them for each byte that matters in turn costs more than looking at each word once.
        let (mut len, mut taken) = (rest.len(), rest.len());
        let mut word_start = 0;
        'line: while word_start < rest.len() {
            let mut candidates = self.candidates(rest, word_start);
            while candidates != 0 {
                let i = word_start + (candidates.trailing_zeros() / 8) as usize;
                candidates &= candidates - 1;
                match rest[i] {
                    byte if byte == self.delimiter => self.ends.push(i),
                    b'\n' => {
                        (len, taken) = (i, i + 1);
                        break 'line;
                    }
                    b'\r' if rest.get(i + 1) == Some(&b'\n') => {
                        (len, taken) = (i, i + 2);
                        break 'line;
                    }
                    b'\r' if i + 1 == rest.len() => {
                        (len, taken) = (i, i + 1);
                        break 'line;
                    }
                    b'\r' | b'"' => return None,
                    _ => {}
                }
            }
            word_start += 8;
        }
        // An empty line is what is left of a line end cut between its two bytes.
        if len == 0 {
            return None;
        }
        let line = &rest[..len];
        self.ends.push(len);
        self.fields = self.ends.len();
        self.at += taken;
        self.row_number += 1;
        // Cut at ASCII bytes, a valid block is valid in each line and each field.
        let checked = self
            .valid
            .and_then(|all| all.get(start..start + len))
            .map_or_else(|| std::str::from_utf8(line), Ok);
        match checked {
            Ok(text) => self.line = Some(text),
            Err(err) => {
                self.line = None;
                return Some(self.encoding_error(err.valid_up_to()));
            }
        }
        if self.fields == 1 && line == BLANK_LINE {
            Some(Next::Blank)
        } else {
            Some(Next::Record)
        }
    }

    /// The bytes of the word of `rest` at `start` that may be a delimiter, a quote or a line
    /// end, as the top bit of each: every such byte is marked, and a few others may be.
    fn candidates(&self, rest: &[u8], start: usize) -> u64 {
        const ONES: u64 = u64::from_ne_bytes([0x01; 8]);
        const TOPS: u64 = u64::from_ne_bytes([0x80; 8]);
        const QUOTES: u64 = u64::from_ne_bytes([b'"'; 8]);
        // Where `x` has a zero byte, its top bit ends up set (and maybe some above it).
        let zeros = |x: u64| x.wrapping_sub(ONES) & !x & TOPS;
        let word = match rest.get(start..start + 8) {
            Some(word) => u64::from_le_bytes(word.try_into().unwrap_or([0xFF; 8])),
            None => {
                // The last bytes of the block, padded with a byte that is never marked.
                let mut bytes = [0xFF; 8];
                bytes[..rest.len() - start].copy_from_slice(&rest[start..]);
                u64::from_le_bytes(bytes)
            }
        };
        // Line ends and carriage returns are below 14; so are a few control bytes.
        let low = word.wrapping_sub(ONES * 14) & !word & TOPS;
        zeros(word ^ self.delimiters) | zeros(word ^ QUOTES) | low
    }

    /// The field (counted from 1) holding the byte at `bad` of the last record.
    fn encoding_error(&self, bad: usize) -> Next {
        let field = self.ends[..self.fields]
            .iter()
            .take_while(|end| **end <= bad)
            .count();
        Next::Encoding { field: field + 1 }
    }

    /// The next record, read by the CSV reader.
    fn quoted_record(&mut self) -> Next {
        if self.ends.len() < 16 {
            self.ends.resize(16, 0);
        }
        let mut bytes = std::mem::take(&mut self.text).into_bytes();
        let capacity = bytes.capacity().max(256);
        bytes.resize(capacity, 0);
        let (mut written, mut fields) = (0, 0);
        loop {
            let (result, read, out, ended) = self.reader.read_record(
                &self.input[self.at..],
                &mut bytes[written..],
                &mut self.ends[fields..],
            );
            self.at += read;
            written += out;
            fields += ended;
            match result {
                // The block ends: reading on with no input ends the last record.
                ReadRecordResult::InputEmpty => {}
                ReadRecordResult::OutputFull => bytes.resize(bytes.len() * 2, 0),
                ReadRecordResult::OutputEndsFull => self.ends.resize(self.ends.len() * 2, 0),
                ReadRecordResult::Record => break,
                ReadRecordResult::End => {
                    bytes.clear();
                    self.text = String::from_utf8(bytes).unwrap_or_default();
                    self.fields = 0;
                    return Next::End;
                }
            }
        }
        bytes.truncate(written);
        self.fields = fields;
        self.row_number += 1;
        match String::from_utf8(bytes) {
            Ok(text) => self.text = text,
            Err(err) => return self.encoding_error(err.utf8_error().valid_up_to()),
        }
        // Valid as a whole, a record can still cut a character between two fields.
        if let Some(field) = self.ends[..fields]
            .iter()
            .position(|end| !self.text.is_char_boundary(*end))
        {
            return Next::Encoding { field: field + 1 };
        }
        if fields == 1 && self.text.as_bytes() == BLANK_LINE {
            Next::Blank
        } else {
            Next::Record
        }
    }

    /// The number of cells of the last record.
    pub fn len(&self) -> usize {
        self.fields
    }

    /// A cell of the last record.
    pub fn cell(&self, index: usize) -> Option<&str> {
        let end = *self.ends[..self.fields].get(index)?;
        match self.line {
            Some(line) => {
                let start = if index == 0 {
                    0
                } else {
                    self.ends[index - 1] + 1
                };
                line.get(start..end)
            }
            None => {
                let start = if index == 0 { 0 } else { self.ends[index - 1] };
                self.text.get(start..end)
            }
        }
    }

    /// The cells of the last record.
    pub fn cells(&self) -> impl Iterator<Item = &str> {
        (0..self.fields).filter_map(|i| self.cell(i))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(input: &[u8]) -> Vec<String> {
        let mut rows = BlockRows::new(input, b',', true);
        let mut out = Vec::new();
        loop {
            match rows.next_row() {
                Next::Record => out.push(rows.cells().collect::<Vec<_>>().join("|")),
                Next::Blank => out.push("(blank)".into()),
                Next::End => return out,
                Next::Encoding { field } => {
                    out.push(format!("(encoding {field} at {})", rows.row_number));
                    return out;
                }
                Next::Unreadable(note) => panic!("{note}"),
            }
        }
    }

    #[test]
    fn records_come_as_the_csv_reader_gives_them() {
        let mut marked = b"\xEF\xBB\xBFa,b\r\n\"x,\"\"y\"\"\ncontinued\",2\r\n".to_vec();
        marked.extend_from_slice(BLANK_LINE);
        marked.extend_from_slice(
            b"\nlast,line,with a long third cell that outgrows the first buffer",
        );
        marked.extend_from_slice(&[b'.'; 300]);
        let got = rows(&marked);
        assert_eq!(got[0], "a|b");
        assert_eq!(got[1], "x,\"y\"\ncontinued|2");
        assert_eq!(got[2], "(blank)");
        assert!(got[3].starts_with("last|line|with a long") && got[3].ends_with("..."));
        assert_eq!(got.len(), 4);
        let many: String = (0..40).map(|i| format!("{i},")).collect();
        assert_eq!(rows(many.as_bytes())[0].split('|').count(), 41);
    }

    /// A small deterministic generator of CSV text from the bytes that matter to quoting.
    fn random_csv(seed: &mut u64, len: usize) -> String {
        const PIECES: [&str; 9] = ["a", "bc", ",", ",", "\"", "\r", "\n", "\r\n", "é"];
        (0..len)
            .map(|_| {
                *seed = seed
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                PIECES[(*seed >> 33) as usize % PIECES.len()]
            })
            .collect()
    }

    #[test]
    fn plain_and_quoted_lines_read_as_the_csv_crate_reads_them() {
        let mut seed = 7;
        for case in 0..3000 {
            let mut text = random_csv(&mut seed, 1 + case % 40);
            if case % 5 == 0 {
                text = format!("x,\"y\"\n\u{feff}{text}");
            }
            let expected: Vec<String> = csv::ReaderBuilder::new()
                .has_headers(false)
                .flexible(true)
                .from_reader(text.as_bytes())
                .records()
                .map(|r| r.expect("valid UTF-8").iter().collect::<Vec<_>>().join("|"))
                .collect();
            assert_eq!(rows(text.as_bytes()), expected, "reading {text:?}");
        }
    }

    #[test]
    fn bytes_that_are_not_utf8_name_their_field() {
        assert_eq!(rows(b"a,b\nLe\xf3n,x\n"), ["a|b", "(encoding 1 at 2)"]);
        assert_eq!(rows(b"a,b\nx,Le\xf3n\n"), ["a|b", "(encoding 2 at 2)"]);
        // A character cut by the delimiter: each side alone is not UTF-8.
        assert_eq!(rows(b"a,b\nx\xc3,\xb3\n"), ["a|b", "(encoding 1 at 2)"]);
    }
}
