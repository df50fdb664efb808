//! Rows of a CSV stream numbered as frictionless numbers them. The CSV reader skips empty
//! lines, but frictionless counts each as a (blank) row; so the stream passes through
//! a [`BlankLineMarker`], which follows quoting as the CSV reader does and writes a marker cell
//! on every empty line outside quotes. A record holding only the marker is a blank row. The
//! marker also tells where records end, so a stream can be cut into blocks of whole records.

use std::io::{BufRead, BufReader, Read};

use csv::StringRecord;

/// What the next row is.
pub(crate) enum Next {
    /// A row with cells, now in [`RecordReader::record`].
    Record,
    /// An empty line.
    Blank,
    End,
    /// The bytes of this field (counted from 1) of the row are not UTF-8; nothing after it
    /// can be trusted.
    Encoding {
        field: usize,
    },
    /// The CSV itself cannot be read further (an I/O failure).
    Unreadable(String),
}

/// Frictionless' note on bytes that are not UTF-8.
pub(crate) fn encoding_note(field: usize, row: u64) -> String {
    format!("'utf-8' codec can't decode the bytes of field {field} in row {row}")
}

/// The cell written on an empty line: no data file holds it (it starts with two NUL bytes).
pub(crate) const BLANK_LINE: &[u8] = b"\0\0abierto:blank-line\0";

/// Adds [`BLANK_LINE`] to each empty line of a CSV stream, read piece by piece. Quoting is
/// followed as the CSV reader follows it: a quote opens a quoted field only at the start of a
/// field, and two quotes inside one stand for a quote. Only quotes and line ends are looked
/// at; the bytes between are copied in bulk.
pub(crate) struct BlankLineMarker {
    delimiter: u8,
    in_quotes: bool,
    /// The last quote seen closed a quoted field (a quote right after it reopens it).
    closed_quote: bool,
    /// The byte before the piece being marked; `None` at the start of the stream.
    before: Option<u8>,
}

impl BlankLineMarker {
    pub fn new(delimiter: u8) -> BlankLineMarker {
        BlankLineMarker {
            delimiter,
            in_quotes: false,
            closed_quote: false,
            before: None,
        }
    }

    pub fn delimiter(&self) -> u8 {
        self.delimiter
    }

    /// Appends the next piece of the stream to `out`, marked. Returns the length `out` had
    /// just after the last line end outside quotes in this piece, where a record ends.
    pub fn mark(&mut self, raw: &[u8], out: &mut Vec<u8>) -> Option<usize> {
        let from = out.len();
        out.extend_from_slice(raw);
        self.mark_appended(out, from)
    }

    /// Marks the piece of the stream just appended to `out` at `from`, as [`Self::mark`]
    /// does. A piece with no empty line (nearly all of them) is only looked at, not copied.
    pub fn mark_appended(&mut self, out: &mut Vec<u8>, from: usize) -> Option<usize> {
        let mut blanks = Vec::new();
        let record_end = self.scan(&out[from..], |line_end| blanks.push(line_end));
        if !blanks.is_empty() {
            let piece = out.split_off(from);
            let mut copied = 0;
            for line_end in &blanks {
                out.extend_from_slice(&piece[copied..*line_end]);
                out.extend_from_slice(BLANK_LINE);
                copied = *line_end;
            }
            out.extend_from_slice(&piece[copied..]);
        }
        // Every empty line ends before the last record does.
        record_end.map(|end| from + end + blanks.len() * BLANK_LINE.len())
    }

    /// Follows the quoting of the next piece of the stream, telling `blank` where each empty
    /// line outside quotes ends. Returns where the last record in the piece ends: just after
    /// its last line end outside quotes. Only quotes and line ends are looked at.
    fn scan(&mut self, raw: &[u8], mut blank: impl FnMut(usize)) -> Option<usize> {
        let mut record_end = None;
        let mut i = 0;
        while i < raw.len() {
            let found = if self.in_quotes {
                memchr::memchr(b'"', &raw[i..])
            } else {
                memchr::memchr3(b'"', b'\n', b'\r', &raw[i..])
            };
            let Some(offset) = found else {
                break;
            };
            i += offset;
            let byte = raw[i];
            let previous = if i == 0 {
                self.before
            } else {
                Some(raw[i - 1])
            };
            let after_line = matches!(previous, None | Some(b'\n') | Some(b'\r'));
            if self.in_quotes {
                self.in_quotes = false;
                self.closed_quote = true;
            } else if byte == b'"' {
                let escaped = self.closed_quote && previous == Some(b'"');
                let opens = after_line || previous == Some(self.delimiter);
                self.in_quotes = escaped || opens;
                self.closed_quote = false;
            } else {
                let completes_return = byte == b'\n' && previous == Some(b'\r');
                if after_line && !completes_return {
                    blank(i);
                }
                record_end = Some(i + 1);
            }
            i += 1;
        }
        if let Some(last) = raw.last() {
            self.before = Some(*last);
        }
        record_end
    }
}

/// A stream with its empty lines marked, counting the bytes read.
pub(crate) struct MarkBlankLines<R> {
    inner: R,
    marker: BlankLineMarker,
    raw: Vec<u8>,
    out: Vec<u8>,
    at: usize,
    bytes: u64,
}

impl<R: Read> MarkBlankLines<R> {
    fn new(inner: R, delimiter: u8) -> Self {
        MarkBlankLines {
            inner,
            marker: BlankLineMarker::new(delimiter),
            raw: vec![0; 64 * 1024],
            out: Vec::with_capacity(64 * 1024 + 1024),
            at: 0,
            bytes: 0,
        }
    }
}

impl<R: Read> Read for MarkBlankLines<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.at == self.out.len() {
            let n = self.inner.read(&mut self.raw)?;
            self.bytes += n as u64;
            self.out.clear();
            self.at = 0;
            self.marker.mark(&self.raw[..n], &mut self.out);
        }
        let n = buf.len().min(self.out.len() - self.at);
        buf[..n].copy_from_slice(&self.out[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }
}

/// The rows of a marked CSV stream, numbered from 1.
pub(crate) struct RecordReader<R: Read> {
    reader: csv::Reader<R>,
    pub record: StringRecord,
    /// The number of the row last read.
    pub row_number: u64,
}

/// A CSV stream's rows, the header being row 1.
pub(crate) type RowSource<R> = RecordReader<MarkBlankLines<BufReader<R>>>;

impl<R: Read> RowSource<R> {
    /// Opens the stream; the delimiter (comma, semicolon, tab or bar) is the one the first line
    /// uses most.
    pub fn open(source: R) -> std::io::Result<RowSource<R>> {
        let mut buffered = BufReader::with_capacity(64 * 1024, source);
        let delimiter = guess_delimiter(buffered.fill_buf()?);
        Ok(RecordReader::new(
            MarkBlankLines::new(buffered, delimiter),
            delimiter,
        ))
    }

    /// Reads the header as the first record; `Ok(None)` when the stream is empty. Empty lines
    /// before it are passed over.
    pub fn header(&mut self) -> Result<Option<StringRecord>, Next> {
        loop {
            match self.next_row() {
                Next::Record => return Ok(Some(std::mem::take(&mut self.record))),
                Next::Blank => self.row_number = 0,
                Next::End => return Ok(None),
                other => return Err(other),
            }
        }
    }
}

impl<R: Read> RecordReader<R> {
    fn new(marked: R, delimiter: u8) -> RecordReader<R> {
        let reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(delimiter)
            .buffer_capacity(64 * 1024)
            .from_reader(marked);
        RecordReader {
            reader,
            record: StringRecord::new(),
            row_number: 0,
        }
    }

    pub fn next_row(&mut self) -> Next {
        match self.reader.read_record(&mut self.record) {
            Ok(false) => Next::End,
            Ok(true) => {
                self.row_number += 1;
                if self.record.len() == 1 && self.record.as_byte_record()[0] == *BLANK_LINE {
                    Next::Blank
                } else {
                    Next::Record
                }
            }
            Err(err) => match err.kind() {
                csv::ErrorKind::Utf8 { err, .. } => {
                    self.row_number += 1;
                    Next::Encoding {
                        field: err.field() + 1,
                    }
                }
                _ => Next::Unreadable(err.to_string()),
            },
        }
    }
}

pub(crate) fn guess_delimiter(start: &[u8]) -> u8 {
    let line_end = memchr::memchr(b'\n', start).unwrap_or(start.len());
    let line = &start[..line_end];
    [b',', b';', b'\t', b'|']
        .into_iter()
        .max_by_key(|d| (line.iter().filter(|b| *b == d).count(), *d == b','))
        .unwrap_or(b',')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &[u8]) -> Vec<String> {
        let mut source = RowSource::open(text).expect("opens");
        let mut out = vec![];
        if let Ok(Some(header)) = source.header() {
            out.push(format!("1:{}", header.len()));
        }
        loop {
            match source.next_row() {
                Next::Record => out.push(format!("{}:{}", source.row_number, source.record.len())),
                Next::Blank => out.push(format!("{}:blank", source.row_number)),
                Next::End => break,
                Next::Encoding { .. } => {
                    out.push(format!("{}:encoding", source.row_number));
                    break;
                }
                Next::Unreadable(e) => panic!("{e}"),
            }
        }
        out
    }

    #[test]
    fn empty_lines_are_rows_as_frictionless_counts_them() {
        assert_eq!(
            kinds(b"a,b\n1,2\n\n3,4\n"),
            ["1:2", "2:2", "3:blank", "4:2"]
        );
        assert_eq!(kinds(b"a,b\n1,2\n\n"), ["1:2", "2:2", "3:blank"]);
        assert_eq!(kinds(b"a,b\n1,2"), ["1:2", "2:2"]);
        assert_eq!(
            kinds(b"a,b\r\n1,\"x\ny\"\r\n\r\n2,z\r\n"),
            ["1:2", "2:2", "3:blank", "4:2"]
        );
        assert_eq!(
            kinds(b"a,b\n1,2\n\n\n\n3,4\n\n"),
            ["1:2", "2:2", "3:blank", "4:blank", "5:blank", "6:2", "7:blank"]
        );
    }

    #[test]
    fn bytes_that_are_not_utf8_stop_at_their_row() {
        assert_eq!(
            kinds(b"a,b\n1,x\n2,Le\xf3n\n3,y\n"),
            ["1:2", "2:2", "3:encoding"]
        );
        assert_eq!(
            kinds(b"a,b\n1,x\n\n2,Le\xf3n\n"),
            ["1:2", "2:2", "3:blank", "4:encoding"]
        );
    }

    #[test]
    fn the_marker_tells_where_the_last_whole_record_ends() {
        let mut marker = BlankLineMarker::new(b',');
        let mut out = Vec::new();
        assert_eq!(marker.mark(b"a,b\n1,\"x\ny", &mut out), Some(4));
        assert_eq!(marker.mark(b"\"\r", &mut out), Some(out.len()));
        let cut = out.len();
        // The line feed completing the return starts no blank line; the next one does.
        assert_eq!(
            marker.mark(b"\n\n2,z", &mut out),
            Some(cut + 1 + BLANK_LINE.len() + 1)
        );
        assert_eq!(&out[cut + 1..cut + 1 + BLANK_LINE.len()], BLANK_LINE);
        assert_eq!(marker.mark(b",\"open\nquote", &mut out), None);
    }

    #[test]
    fn the_delimiter_is_the_one_the_header_uses() {
        assert_eq!(kinds(b"a;b;c\n1;2;3\n"), ["1:3", "2:3"]);
        assert_eq!(kinds(b"a\tb\n1\t2\n"), ["1:2", "2:2"]);
        assert_eq!(kinds(b"a,b\n\"1;2\",3\n"), ["1:2", "2:2"]);
    }
}
