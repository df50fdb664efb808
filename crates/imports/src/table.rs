//! Reading a CSV file into named cells, refusing what cannot be read reliably: bytes that are
//! not UTF-8, a header with unknown, repeated, blank or missing columns, rows of the wrong
//! length. Rows are numbered as a spreadsheet shows them: the header is row 1.

use abierto_domain::ErrorCode;
use std::collections::HashMap;

use crate::report::RowProblem;

/// The columns a kind of file has.
pub struct Columns {
    pub required: &'static [&'static str],
    pub optional: &'static [&'static str],
}

impl Columns {
    fn knows(&self, name: &str) -> bool {
        self.required.contains(&name) || self.optional.contains(&name)
    }
}

/// The most rows one file may hold.
pub const MAX_ROWS: usize = 20_000;

/// One data row: its number and its cells by column name (trimmed).
pub struct Row {
    pub number: usize,
    cells: HashMap<String, String>,
}

impl Row {
    /// Whether the file has this column. A column left out keeps what is stored; a column
    /// present but blank clears it.
    pub fn has(&self, column: &str) -> bool {
        self.cells.contains_key(column)
    }

    /// The cell, empty when blank or absent.
    pub fn get(&self, column: &str) -> &str {
        self.cells
            .get(column)
            .map(String::as_str)
            .unwrap_or_default()
    }

    /// The cell, or `value_required` when blank.
    pub fn required(&self, column: &'static str) -> Result<&str, RowProblem> {
        let value = self.get(column);
        if value.is_empty() {
            Err(RowProblem::at(
                self.number,
                column,
                ErrorCode::ValueRequired,
            ))
        } else {
            Ok(value)
        }
    }

    /// The cell when not blank.
    pub fn optional(&self, column: &str) -> Option<&str> {
        Some(self.get(column)).filter(|v| !v.is_empty())
    }
}

/// A file read: its rows, and whether its header was written in Spanish (problems then name
/// the columns as the file does).
pub struct Table {
    pub rows: Vec<Row>,
    pub spanish: bool,
}

/// Reads the file; a file-level fault comes back as the problems that explain it. Columns may
/// be named in English (`external_id`) or in Spanish (`clave`, «Fecha de creación»), and the
/// values of closed vocabularies given in Spanish words.
pub fn read(bytes: &[u8], columns: &Columns) -> Result<Table, Vec<RowProblem>> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if let Err(err) = std::str::from_utf8(bytes) {
        let line = bytes[..err.valid_up_to()]
            .iter()
            .filter(|b| **b == b'\n')
            .count()
            + 1;
        return Err(vec![RowProblem::at(line, "", ErrorCode::CsvBadEncoding)]);
    }
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter(bytes))
        .from_reader(bytes);
    let mut records = reader.records();
    let header = match records.next() {
        Some(Ok(header)) => header,
        Some(Err(_)) => return Err(vec![RowProblem::at(1, "", ErrorCode::CsvUnreadable)]),
        None => return Err(vec![RowProblem::at(1, "", ErrorCode::CsvEmpty)]),
    };
    let mut spanish = false;
    let names: Vec<String> = header
        .iter()
        .map(|h| {
            let folded = crate::spanish::fold(h);
            if columns.knows(&folded) {
                return folded;
            }
            match crate::spanish::internal_name(&folded) {
                Some(internal) => {
                    spanish = true;
                    internal.to_owned()
                }
                None => folded,
            }
        })
        .collect();
    let mut problems = header_problems(&names, columns);
    if !problems.is_empty() {
        if spanish {
            crate::spanish::rename_fields(&mut problems);
        }
        return Err(problems);
    }
    let mut rows = Vec::new();
    for (index, record) in records.enumerate() {
        let number = index + 2;
        let record = match record {
            Ok(record) => record,
            Err(_) => {
                problems.push(RowProblem::at(number, "", ErrorCode::CsvUnreadable));
                continue;
            }
        };
        if record.iter().all(|cell| cell.trim().is_empty()) {
            continue;
        }
        if rows.len() == MAX_ROWS {
            return Err(vec![RowProblem::at(number, "", ErrorCode::CsvTooManyRows)]);
        }
        if record.len() != names.len() {
            problems.push(RowProblem::at(number, "", ErrorCode::CsvRowLength));
            continue;
        }
        let cells = names
            .iter()
            .zip(record.iter())
            .map(|(name, cell)| {
                let cell = cell.trim();
                let value = crate::spanish::value_key(name, cell).unwrap_or(cell);
                (name.clone(), value.to_owned())
            })
            .collect();
        rows.push(Row { number, cells });
    }
    if rows.is_empty() && problems.is_empty() {
        return Err(vec![RowProblem::at(2, "", ErrorCode::CsvEmpty)]);
    }
    // Rows that cannot be read are faults of the file as a whole: the columns would not line up.
    if problems.is_empty() {
        Ok(Table { rows, spanish })
    } else {
        Err(problems)
    }
}

fn header_problems(names: &[String], columns: &Columns) -> Vec<RowProblem> {
    let mut problems = Vec::new();
    for (i, name) in names.iter().enumerate() {
        if name.is_empty() {
            problems.push(RowProblem::at(1, "", ErrorCode::CsvBlankColumn));
        } else if names[..i].contains(name) {
            problems.push(RowProblem::at(1, name, ErrorCode::CsvDuplicateColumn));
        } else if !columns.knows(name) {
            problems.push(RowProblem::at(1, name, ErrorCode::CsvUnknownColumn));
        }
    }
    for required in columns.required {
        if !names.iter().any(|n| n == required) {
            problems.push(RowProblem::at(1, required, ErrorCode::CsvMissingColumn));
        }
    }
    problems
}

/// Spreadsheets set to Spanish save CSV with semicolons; a header with semicolons and no comma
/// is read that way.
fn delimiter(bytes: &[u8]) -> u8 {
    let first_line = bytes.split(|b| *b == b'\n').next().unwrap_or_default();
    if first_line.contains(&b';') && !first_line.contains(&b',') {
        b';'
    } else {
        b','
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const COLUMNS: Columns = Columns {
        required: &["external_id", "title"],
        optional: &["weight"],
    };

    fn codes(result: Result<Table, Vec<RowProblem>>) -> Vec<(usize, String, &'static str)> {
        match result {
            Ok(_) => Vec::new(),
            Err(problems) => problems
                .into_iter()
                .map(|p| (p.row, p.field.unwrap_or_default(), p.code.as_str()))
                .collect(),
        }
    }

    #[test]
    fn reads_cells_by_column_with_the_header_as_row_one() {
        let rows = match read(
            "\u{feff}External ID,title,weight\nmbh, Mi Barrio Habla ,0.5\n,,\npp,Presupuesto,\n"
                .as_bytes(),
            &COLUMNS,
        ) {
            Ok(table) => table.rows,
            Err(p) => panic!("{p:?}"),
        };
        assert_eq!(rows.len(), 2, "the blank row is skipped");
        assert_eq!(rows[0].number, 2);
        assert_eq!(rows[0].get("title"), "Mi Barrio Habla");
        assert_eq!(rows[1].number, 4);
        assert_eq!(rows[1].optional("weight"), None);
        assert_eq!(
            rows[1].required("weight").map_err(|p| p.code.as_str()),
            Err("value_required")
        );
    }

    #[test]
    fn a_header_in_spanish_reads_as_the_english_one_and_names_its_faults_in_spanish() {
        let table = match read("Clave;Título\nmbh;Mi Barrio Habla\n".as_bytes(), &COLUMNS) {
            Ok(table) => table,
            Err(p) => panic!("{p:?}"),
        };
        assert!(table.spanish);
        assert_eq!(table.rows[0].get("external_id"), "mbh");
        assert_eq!(table.rows[0].get("title"), "Mi Barrio Habla");
        assert_eq!(
            codes(read("titulo\nMi Barrio Habla\n".as_bytes(), &COLUMNS)),
            [(1, "clave".to_owned(), "csv_missing_column")]
        );
    }

    #[test]
    fn semicolons_are_read_when_the_header_uses_them() {
        let rows = read(b"external_id;title\nmbh;Mi Barrio Habla, 2025\n", &COLUMNS)
            .map(|t| t.rows)
            .unwrap_or_default();
        assert_eq!(rows[0].get("title"), "Mi Barrio Habla, 2025");
    }

    #[test]
    fn file_faults_are_named() {
        assert_eq!(
            codes(read(b"external_id,title\nmbh,Se\xf1or\n", &COLUMNS)),
            vec![(2, String::new(), "csv_bad_encoding")]
        );
        assert_eq!(
            codes(read(b"external_id,title,color,title\n", &COLUMNS)),
            vec![
                (1, "color".to_owned(), "csv_unknown_column"),
                (1, "title".to_owned(), "csv_duplicate_column"),
            ]
        );
        assert_eq!(
            codes(read(b"title\nMi Barrio Habla\n", &COLUMNS)),
            vec![(1, "external_id".to_owned(), "csv_missing_column")]
        );
        assert_eq!(
            codes(read(
                b"external_id,title\nmbh,Mi Barrio Habla,extra\n",
                &COLUMNS
            )),
            vec![(2, String::new(), "csv_row_length")]
        );
        assert_eq!(
            codes(read(b"", &COLUMNS)),
            vec![(1, String::new(), "csv_empty")]
        );
        assert_eq!(
            codes(read(b"external_id,title\n", &COLUMNS)),
            vec![(2, String::new(), "csv_empty")]
        );
    }
}
