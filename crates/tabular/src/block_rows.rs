//! The rows of one block, read with the CSV crate's core reader straight from the block's
//! bytes: no copy into a reader's buffer, and each record checked as UTF-8 in one call instead
//! of field by field. Rows are numbered from 1 within the block, blank rows included.

use csv_core::{ReadRecordResult, Reader, ReaderBuilder};

use crate::rows::{Next, BLANK_LINE};

/// The byte order mark some programs write at the start of a UTF-8 file.
const BOM: &[u8] = b"\xEF\xBB\xBF";

pub(crate) struct BlockRows<'a> {
    input: &'a [u8],
    at: usize,
    reader: Reader,
    /// The fields of the last record, one after the other.
    text: String,
    /// Where each field of the last record ends in `text`.
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
        BlockRows {
            input,
            at,
            reader: ReaderBuilder::new().delimiter(delimiter).build(),
            text: String::with_capacity(256),
            ends: vec![0; 16],
            fields: 0,
            row_number: 0,
        }
    }

    pub fn next_row(&mut self) -> Next {
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
            Err(err) => {
                let bad = err.utf8_error().valid_up_to();
                let field = self.ends[..fields]
                    .iter()
                    .take_while(|end| **end <= bad)
                    .count();
                return Next::Encoding { field: field + 1 };
            }
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
        let start = if index == 0 { 0 } else { self.ends[index - 1] };
        self.text.get(start..end)
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

    #[test]
    fn bytes_that_are_not_utf8_name_their_field() {
        assert_eq!(rows(b"a,b\nLe\xf3n,x\n"), ["a|b", "(encoding 1 at 2)"]);
        assert_eq!(rows(b"a,b\nx,Le\xf3n\n"), ["a|b", "(encoding 2 at 2)"]);
        // A character cut by the delimiter: each side alone is not UTF-8.
        assert_eq!(rows(b"a,b\nx\xc3,\xb3\n"), ["a|b", "(encoding 1 at 2)"]);
    }
}
