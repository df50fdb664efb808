//! Turning a spreadsheet (XLSX, its first sheet) or a JSON list of records into the CSV the
//! validator and the datastore read. The original file is kept by the caller; the CSV is what
//! gets checked, so a finding's row and column are those of the sheet or the list.
//!
//! Both read the upload from memory (it is already there) and write the CSV as they go. A
//! sheet is read cell by cell; a JSON list is read twice, once to learn every field name and
//! once to write the rows, so neither holds the whole table.

use abierto_domain::ErrorCode;
use std::io::{Cursor, Write};

use calamine::{DataRef, Reader, Xlsx};
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
/// (`#DIV/0!`), which the check then reports.
pub fn xlsx_to_csv(bytes: &[u8], out: impl Write) -> Result<(), ConvertError> {
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
    let mut width = 0usize;
    loop {
        let cell = cells
            .next_cell()
            .map_err(|e| ConvertError::Workbook(e.to_string()))?;
        let position = cell.as_ref().map(|c| c.get_position());
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
                }
                let used = row.iter().rposition(|v| !v.is_empty()).map_or(0, |i| i + 1);
                row.resize(width.max(used), String::new());
                writer.write_record(&row).map_err(write_error)?;
                last_written = Some(index);
            }
            row.clear();
        }
        let Some(cell) = cell else { break };
        let (r, c) = cell.get_position();
        row_index = Some(r);
        let column = c as usize;
        if row.len() <= column {
            row.resize(column + 1, String::new());
        }
        row[column] = cell_text(cell.get_value());
    }
    writer
        .into_inner()
        .map_err(|e| ConvertError::Write(e.to_string()))?;
    Ok(())
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

    fn csv_of(
        convert: impl Fn(&[u8], &mut Vec<u8>) -> Result<(), ConvertError>,
        input: &[u8],
    ) -> String {
        let mut out = Vec::new();
        convert(input, &mut out).unwrap();
        String::from_utf8(out).unwrap()
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
