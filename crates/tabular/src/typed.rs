//! Reading a checked table's rows as typed values, to load them somewhere else (a database
//! table for row queries). The rows are read with the same reader the validator uses, so the
//! delimiter and the numbering agree with the findings; a cell that does not read as its
//! field's type stops the reading, since only a table without findings should be loaded.

use std::io::Read;

use crate::cast::{Cell, FieldReader, Value};
use crate::rows::{encoding_note, Next, RowSource};
use crate::schema::{SchemaError, TableSchema};

/// Why a table could not be read to the end.
#[derive(Debug, thiserror::Error)]
pub enum TypedError {
    #[error("schema: {0}")]
    Schema(#[from] SchemaError),
    #[error("the file cannot be read: {0}")]
    Unreadable(String),
    #[error("row {row}, field {field}: the cell is not of the field's type")]
    WrongType { row: u64, field: usize },
}

/// The rows after the header, each one value (or blank) per field of the schema.
pub struct TypedRows<R: Read> {
    rows: RowSource<R>,
    readers: Vec<FieldReader>,
    pending: Vec<Option<Value<'static>>>,
}

/// Opens a table for typed reading; the header is read and passed over.
pub fn typed_rows<R: Read>(source: R, schema: &TableSchema) -> Result<TypedRows<R>, TypedError> {
    let readers = schema
        .fields
        .iter()
        .map(|field| FieldReader::compile(field, &schema.missing_values))
        .collect::<Result<Vec<_>, _>>()?;
    let mut rows = RowSource::open(source).map_err(|e| TypedError::Unreadable(e.to_string()))?;
    match rows.header() {
        Ok(_) => {}
        Err(next) => return Err(stop_error(next, 1)),
    }
    Ok(TypedRows {
        rows,
        readers,
        pending: Vec::new(),
    })
}

fn stop_error(next: Next, row: u64) -> TypedError {
    match next {
        Next::Encoding { field } => TypedError::Unreadable(encoding_note(field, row)),
        Next::Unreadable(note) => TypedError::Unreadable(note),
        Next::Record | Next::Blank | Next::End => TypedError::Unreadable("unexpected".into()),
    }
}

impl<R: Read> Iterator for TypedRows<R> {
    type Item = Result<Vec<Option<Value<'static>>>, TypedError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            match self.rows.next_row() {
                Next::Record => break,
                Next::Blank => continue,
                Next::End => return None,
                other => return Some(Err(stop_error(other, self.rows.row_number))),
            }
        }
        let record = &self.rows.record;
        self.pending.clear();
        for (i, reader) in self.readers.iter().enumerate() {
            match reader.read(record.get(i)) {
                Cell::Blank => self.pending.push(None),
                Cell::Value(value) => self.pending.push(Some(value.into_owned())),
                Cell::WrongType => {
                    return Some(Err(TypedError::WrongType {
                        row: self.rows.row_number,
                        field: i + 1,
                    }))
                }
            }
        }
        Some(Ok(std::mem::take(&mut self.pending)))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

    use super::*;
    use crate::schema::{Field, FieldType};

    fn schema() -> TableSchema {
        TableSchema::new(vec![
            Field::new("id", FieldType::Integer),
            Field::new("fecha", FieldType::Date),
            Field::new("nombre", FieldType::String),
        ])
    }

    #[test]
    fn rows_come_typed_with_blanks_as_none_and_blank_lines_passed_over() {
        let csv = "id;fecha;nombre\n1;2026-03-17;Centro\n\n2;;\n";
        let rows: Vec<_> = typed_rows(csv.as_bytes(), &schema())
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0][0], Some(Value::Integer(1)));
        assert_eq!(
            rows[0][1],
            Some(Value::Date(
                chrono::NaiveDate::from_ymd_opt(2026, 3, 17).unwrap()
            ))
        );
        assert_eq!(rows[0][2], Some(Value::Text("Centro".into())));
        assert_eq!(rows[1], vec![Some(Value::Integer(2)), None, None]);
    }

    #[test]
    fn a_cell_of_the_wrong_type_stops_the_reading_naming_row_and_field() {
        let csv = "id,fecha,nombre\n1,2026-03-17,a\nx,2026-03-18,b\n";
        let result: Result<Vec<_>, _> = typed_rows(csv.as_bytes(), &schema()).unwrap().collect();
        match result {
            Err(TypedError::WrongType { row, field }) => assert_eq!((row, field), (3, 1)),
            other => panic!("expected a type error, got {other:?}"),
        }
    }
}
