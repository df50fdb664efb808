//! Turning a spreadsheet (XLSX, its first sheet) or a JSON list of records into the CSV the
//! validator and the datastore read. The original file is kept by the caller; the CSV is what
//! gets checked, so a finding's row and column are those of the sheet or the list.
//!
//! Both read the upload from memory (it is already there) and write the CSV as they go. A
//! sheet is read cell by cell; a JSON list is read twice, once to learn every field name and
//! once to write the rows, so neither holds the whole table.

use abierto_domain::ErrorCode;
use std::io::{Cursor, Write};

use calamine::{DataRef, Reader, Xlsx, XlsxFormulaMetadata};

use crate::finding::{ErrorCode as FindingCode, Finding};
use serde::de::{DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer};
use serde_json::Value;

/// Why a file could not be turned into CSV. Each has a stable code for the layers above.
#[derive(Debug, thiserror::Error)]
pub enum ConvertError {
    #[error("the workbook cannot be read: {0}")]
    Workbook(String),
    #[error("the workbook has no sheet")]
    NoSheet,
    #[error("the JSON is not a list of records: {0}")]
    NotRecords(String),
    #[error("writing the CSV failed: {0}")]
    Write(String),
}

impl ConvertError {
    pub fn code(&self) -> ErrorCode {
        match self {
            ConvertError::Workbook(_) => ErrorCode::UnreadableWorkbook,
            ConvertError::NoSheet => ErrorCode::WorkbookWithoutSheets,
            ConvertError::NotRecords(_) => ErrorCode::JsonNotRecords,
            ConvertError::Write(_) => ErrorCode::ConversionFailed,
        }
    }
}

fn write_error(e: csv::Error) -> ConvertError {
    ConvertError::Write(e.to_string())
}

/// Writes the first sheet of an XLSX workbook as CSV: its first row with a value is the
/// header; rows with no value between two that have one stay as blank rows. Dates are
/// written in ISO 8601, whole numbers without decimals, and an error cell as its text
/// (`#DIV/0!`), which the check then reports. A formula saved without its calculated value
/// is written blank and given back as a `formula-without-value` finding at its CSV row and
/// column, for the check to report with the rest (its value is unknown, not empty).
pub fn xlsx_to_csv(bytes: &[u8], out: impl Write) -> Result<Vec<Finding>, ConvertError> {
    let mut workbook =
        Xlsx::new(Cursor::new(bytes)).map_err(|e| ConvertError::Workbook(e.to_string()))?;
    let sheet = workbook
        .sheet_names()
        .first()
        .cloned()
        .ok_or(ConvertError::NoSheet)?;
    let mut cells = workbook
        .worksheet_cells_reader(&sheet)
        .map_err(|e| ConvertError::Workbook(e.to_string()))?;
    let mut writer = csv::WriterBuilder::new().flexible(true).from_writer(out);
    let mut row: Vec<String> = Vec::new();
    let mut row_index: Option<u32> = None;
    let mut last_written: Option<u32> = None;
    let mut first_written: Option<u32> = None;
    let mut width = 0usize;
    let mut header: Vec<String> = Vec::new();
    // Formulas without a value, as (sheet row, column, formula), until the header is known.
    let mut uncalculated: Vec<(u32, u32, String)> = Vec::new();
    loop {
        let record = cells
            .next_cell_with_formula_metadata()
            .map_err(|e| ConvertError::Workbook(e.to_string()))?;
        let position = record.as_ref().map(|c| c.pos);
        if row_index.is_some() && position.map(|(r, _)| r) != row_index {
            // The row is complete: write it unless it holds no value.
            if row.iter().any(|v| !v.is_empty()) {
                let index = row_index.unwrap_or_default();
                if let Some(last) = last_written {
                    for _ in last + 1..index {
                        writer.write_record(vec![""; width]).map_err(write_error)?;
                    }
                } else {
                    width = row.iter().rposition(|v| !v.is_empty()).map_or(0, |i| i + 1);
                    header = row.clone();
                    first_written = Some(index);
                }
                let used = row.iter().rposition(|v| !v.is_empty()).map_or(0, |i| i + 1);
                row.resize(width.max(used), String::new());
                writer.write_record(&row).map_err(write_error)?;
                last_written = Some(index);
            }
            row.clear();
        }
        let Some(record) = record else { break };
        let (r, c) = record.pos;
        row_index = Some(r);
        let column = c as usize;
        if row.len() <= column {
            row.resize(column + 1, String::new());
        }
        if let (DataRef::Empty, Some(formula)) = (&record.value, &record.formula) {
            let text = match formula {
                XlsxFormulaMetadata::Normal { formula }
                | XlsxFormulaMetadata::Shared { formula, .. } => {
                    format!("={formula}")
                }
                _ => String::new(),
            };
            uncalculated.push((r, c, text));
        }
        row[column] = cell_text(&record.value);
    }
    writer
        .into_inner()
        .map_err(|e| ConvertError::Write(e.to_string()))?;
    Ok(formula_findings(uncalculated, first_written, &header))
}

/// The formulas without a value as findings, at the row and column of the CSV (whose first
/// row is the sheet's row `header_row`).
fn formula_findings(
    uncalculated: Vec<(u32, u32, String)>,
    header_row: Option<u32>,
    header: &[String],
) -> Vec<Finding> {
    let Some(header_row) = header_row else {
        return Vec::new();
    };
    uncalculated
        .into_iter()
        .filter(|(r, _, _)| *r > header_row)
        .map(|(r, c, formula)| {
            let column = c as usize;
            let name = header.get(column).map(String::as_str).unwrap_or_default();
            let finding = Finding::new(FindingCode::FormulaWithoutValue)
                .at_row(u64::from(r - header_row) + 1)
                .at_field(column + 1, name)
                .with_note("the formula was saved without its calculated value");
            if formula.is_empty() {
                finding
            } else {
                finding.with_cell(&formula)
            }
        })
        .collect()
}

/// A sheet cell as CSV text.
fn cell_text(value: &DataRef<'_>) -> String {
    match value {
        DataRef::Int(n) => n.to_string(),
        DataRef::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        DataRef::Float(f) => f.to_string(),
        DataRef::String(s) => s.clone(),
        DataRef::SharedString(s) => (*s).to_owned(),
        DataRef::Bool(b) => b.to_string(),
        DataRef::DateTime(d) => match d.as_datetime() {
            Some(at) if d.is_datetime() && at.time() == chrono::NaiveTime::MIN => {
                at.date().format("%Y-%m-%d").to_string()
            }
            Some(at) if d.is_datetime() => at.format("%Y-%m-%dT%H:%M:%S").to_string(),
            _ => d.as_f64().to_string(),
        },
        DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => s.clone(),
        DataRef::Error(e) => e.to_string(),
        DataRef::Empty => String::new(),
    }
}

/// Writes a JSON list of records (`[{"folio": 1, "colonia": "Piletas"}, …]`) as CSV: the
/// header is every field name in the order first seen; a record without a field leaves the
/// cell blank; numbers and booleans as written, a nested list or object as its JSON text.
pub fn json_to_csv(bytes: &[u8], out: impl Write) -> Result<(), ConvertError> {
    let mut names: Vec<String> = Vec::new();
    each_record(bytes, |record| {
        for (name, _) in &record.0 {
            if !names.contains(name) {
                names.push(name.clone());
            }
        }
        Ok(())
    })?;
    if names.is_empty() {
        return Err(ConvertError::NotRecords("no record has fields".to_owned()));
    }
    let mut writer = csv::Writer::from_writer(out);
    writer.write_record(&names).map_err(write_error)?;
    each_record(bytes, |record| {
        let row = names.iter().map(|name| match record.get(name) {
            None | Some(Value::Null) => String::new(),
            Some(Value::String(s)) => s.clone(),
            Some(other) => other.to_string(),
        });
        writer.write_record(row).map_err(write_error)
    })?;
    writer
        .into_inner()
        .map_err(|e| ConvertError::Write(e.to_string()))?;
    Ok(())
}

/// Calls `each` with every record of the list, one at a time.
fn each_record(
    bytes: &[u8],
    each: impl FnMut(Record) -> Result<(), ConvertError>,
) -> Result<(), ConvertError> {
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let mut failure = None;
    let read = RecordList {
        each,
        failure: &mut failure,
    }
    .deserialize(&mut deserializer)
    .and_then(|()| deserializer.end());
    if let Some(failure) = failure {
        return Err(failure);
    }
    read.map_err(|e| ConvertError::NotRecords(e.to_string()))
}

/// A record with its fields in the order written.
struct Record(Vec<(String, Value)>);

impl Record {
    fn get(&self, name: &str) -> Option<&Value> {
        self.0.iter().find(|(n, _)| n == name).map(|(_, v)| v)
    }
}

impl<'de> Deserialize<'de> for Record {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Record, D::Error> {
        struct Fields;
        impl<'de> Visitor<'de> for Fields {
            type Value = Record;

            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a record: an object of fields")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Record, A::Error> {
                let mut fields: Vec<(String, Value)> = Vec::new();
                while let Some((name, value)) = map.next_entry::<String, Value>()? {
                    match fields.iter_mut().find(|(n, _)| *n == name) {
                        Some(field) => field.1 = value,
                        None => fields.push((name, value)),
                    }
                }
                Ok(Record(fields))
            }
        }
        deserializer.deserialize_map(Fields)
    }
}

struct RecordList<'f, F> {
    each: F,
    failure: &'f mut Option<ConvertError>,
}

impl<'de, F> DeserializeSeed<'de> for RecordList<'_, F>
where
    F: FnMut(Record) -> Result<(), ConvertError>,
{
    type Value = ();

    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_seq(self)
    }
}

impl<'de, F> Visitor<'de> for RecordList<'_, F>
where
    F: FnMut(Record) -> Result<(), ConvertError>,
{
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a list of records, one object a row")
    }

    fn visit_seq<A: SeqAccess<'de>>(mut self, mut seq: A) -> Result<(), A::Error> {
        while let Some(record) = seq.next_element::<Record>()? {
            if let Err(err) = (self.each)(record) {
                *self.failure = Some(err);
                return Err(serde::de::Error::custom("stopped"));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};

    fn csv_of<T>(
        convert: impl Fn(&[u8], &mut Vec<u8>) -> Result<T, ConvertError>,
        input: &[u8],
    ) -> String {
        let mut out = Vec::new();
        convert(input, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    /// The workbook with every cached value `marker` removed from its sheets, as a program
    /// that does not calculate formulas saves them: `<f>` with no `<v>`.
    fn without_cached_values(xlsx: &[u8], marker: &str) -> Vec<u8> {
        let mut archive = zip::ZipArchive::new(Cursor::new(xlsx)).unwrap();
        let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for i in 0..archive.len() {
            let mut entry = archive.by_index(i).unwrap();
            let name = entry.name().unwrap().into_owned();
            let mut content = Vec::new();
            std::io::Read::read_to_end(&mut entry, &mut content).unwrap();
            if name.starts_with("xl/worksheets/") {
                let xml = String::from_utf8(content).unwrap();
                assert!(xml.contains(marker), "{xml}");
                content = xml.replace(&format!("<v>{marker}</v>"), "").into_bytes();
            }
            out.start_file(name, zip::write::SimpleFileOptions::default())
                .unwrap();
            out.write_all(&content).unwrap();
        }
        out.finish().unwrap().into_inner()
    }

    #[test]
    fn a_formula_saved_without_its_value_is_a_finding_at_its_row_and_column() {
        let mut book = Workbook::new();
        let sheet = book.add_worksheet();
        sheet.set_formula_result_default("SIN-CALCULAR");
        for (col, name) in ["folio", "monto", "doble"].iter().enumerate() {
            sheet.write_string(0, col as u16, *name).unwrap();
        }
        sheet.write_number(1, 0, 1).unwrap();
        sheet.write_number(1, 1, 10).unwrap();
        sheet.write_formula(1, 2, "=B2*2").unwrap();
        sheet.write_number(2, 0, 2).unwrap();
        sheet.write_number(2, 1, 20).unwrap();
        let calculated = rust_xlsxwriter::Formula::new("=B3*2").set_result("40");
        sheet.write_formula(2, 2, calculated).unwrap();
        let xlsx = without_cached_values(&book.save_to_buffer().unwrap(), "SIN-CALCULAR");

        let mut csv = Vec::new();
        let findings = xlsx_to_csv(&xlsx, &mut csv).unwrap();
        assert_eq!(
            String::from_utf8(csv).unwrap(),
            "folio,monto,doble\n1,10,\n2,20,40\n"
        );
        assert_eq!(findings.len(), 1, "{findings:?}");
        let finding = &findings[0];
        assert_eq!(finding.code, FindingCode::FormulaWithoutValue);
        assert_eq!((finding.row, finding.field), (Some(2), Some(3)));
        assert_eq!(finding.field_name.as_deref(), Some("doble"));
        assert_eq!(finding.cell.as_deref(), Some("=B2*2"));

        // The check reports it with the rest: the table is not valid.
        let report = crate::validate(
            &b"folio,monto,doble\n1,10,\n2,20,40\n"[..],
            &crate::ValidateOptions {
                prior_findings: findings,
                ..Default::default()
            },
        );
        assert!(!report.valid);
        assert_eq!(report.count(FindingCode::FormulaWithoutValue), 1);
    }

    fn workbook() -> Vec<u8> {
        let mut book = Workbook::new();
        let sheet = book.add_worksheet();
        let date = Format::new().set_num_format("dd/mm/yyyy");
        for (col, name) in ["folio", "fecha", "colonia", "monto", "pagado"]
            .iter()
            .enumerate()
        {
            sheet.write_string(0, col as u16, *name).unwrap();
        }
        sheet.write_number(1, 0, 1).unwrap();
        let day = ExcelDateTime::from_ymd(2026, 3, 17).unwrap();
        sheet.write_datetime_with_format(1, 1, &day, &date).unwrap();
        sheet.write_string(1, 2, "Las Joyas").unwrap();
        sheet.write_number(1, 3, 1500.5).unwrap();
        sheet.write_boolean(1, 4, true).unwrap();
        // Row 3 left empty; row 4 misses its date and amount.
        sheet.write_number(3, 0, 2).unwrap();
        sheet.write_string(3, 2, "Piletas").unwrap();
        sheet.write_number(3, 3, 2000).unwrap();
        sheet.write_boolean(3, 4, false).unwrap();
        let second = book.add_worksheet();
        second.write_string(0, 0, "ignorada").unwrap();
        book.save_to_buffer().unwrap()
    }

    #[test]
    fn the_first_sheet_becomes_csv_with_iso_dates_and_its_blank_rows() {
        let csv = csv_of(|i, o| xlsx_to_csv(i, o), &workbook());
        assert_eq!(
            csv,
            "folio,fecha,colonia,monto,pagado\n1,2026-03-17,Las Joyas,1500.5,true\n,,,,\n2,,Piletas,2000,false\n"
        );
    }

    #[test]
    fn a_file_that_is_not_a_workbook_is_refused() {
        let err = xlsx_to_csv(b"folio,fecha\n1,2\n", Vec::new()).unwrap_err();
        assert_eq!(err.code(), "unreadable_workbook");
    }

    #[test]
    fn a_list_of_records_becomes_csv_with_every_field() {
        let json = br#"[{"folio": 1, "colonia": "Las Joyas", "monto": 1500.5},
                        {"folio": 2, "pagado": true, "colonia": null, "extra": {"a": [1]}}]"#;
        assert_eq!(
            csv_of(|i, o| json_to_csv(i, o), json),
            "folio,colonia,monto,pagado,extra\n1,Las Joyas,1500.5,,\n2,,,true,\"{\"\"a\"\":[1]}\"\n"
        );
    }

    #[test]
    fn json_that_is_not_a_list_of_records_is_refused() {
        for bad in [
            &br#"{"folio": 1}"#[..],
            br#"[1, 2]"#,
            br#"[{"folio": 1}"#,
            br#"[{"folio": 1}] trailing"#,
            br#"[]"#,
            br#"[{}]"#,
        ] {
            let err = json_to_csv(bad, Vec::new()).unwrap_err();
            assert_eq!(
                err.code(),
                "json_not_records",
                "{}",
                String::from_utf8_lossy(bad)
            );
        }
    }
}
