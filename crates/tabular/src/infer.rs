//! Inferring a schema from the header and a sample of rows, as frictionless' detector does:
//! each column takes the first candidate type that at least 90% of its non-blank sampled cells
//! read as. On top of that, a publisher's upload may ask for the formats Mexican files use
//! (dates as 17/03/2026) and a candidate primary key.

use crate::cast::{Cell, FieldReader};
use crate::schema::{Field, FieldType, TableSchema};

/// How many data rows frictionless samples.
pub const SAMPLE_ROWS: usize = 100;
const CONFIDENCE: f64 = 0.9;

/// The candidates in frictionless' order, and where a local format is tried.
fn candidates(local_formats: bool) -> Vec<Field> {
    let mut fields: Vec<Field> = [
        FieldType::Yearmonth,
        FieldType::Geopoint,
        FieldType::Duration,
        FieldType::Geojson,
        FieldType::Object,
        FieldType::Array,
        FieldType::Datetime,
        FieldType::Time,
        FieldType::Date,
        FieldType::Integer,
        FieldType::Number,
        FieldType::Boolean,
        FieldType::Year,
    ]
    .into_iter()
    .map(|t| Field::new("shared", t))
    .collect();
    if local_formats {
        let mut day_first = Field::new("shared", FieldType::Date);
        day_first.format = "%d/%m/%Y".into();
        fields.push(day_first);
    }
    fields.push(Field::new("shared", FieldType::String));
    fields
}

/// Field names from the labels: a blank label becomes `field3`, a repeated one `name2`.
pub fn names_from_labels(labels: &[String]) -> Vec<String> {
    let mut names: Vec<String> = Vec::with_capacity(labels.len());
    for (index, label) in labels.iter().enumerate() {
        let base = if label.is_empty() {
            format!("field{}", index + 1)
        } else {
            label.clone()
        };
        let mut name = base.clone();
        let mut suffix = 2;
        while names.contains(&name) {
            name = format!("{base}{suffix}");
            suffix += 1;
        }
        names.push(name);
    }
    names
}

/// The schema the labels and sample suggest. With `local_formats`, day-first dates are tried
/// before text.
pub fn infer_schema(labels: &[String], sample: &[Vec<String>], local_formats: bool) -> TableSchema {
    let names = names_from_labels(labels);
    if sample.is_empty() {
        return TableSchema::new(
            names
                .into_iter()
                .map(|n| Field::new(n, FieldType::Any))
                .collect(),
        );
    }
    let missing = vec![String::new()];
    let candidates = candidates(local_formats);
    let readers: Vec<FieldReader> = candidates
        .iter()
        .filter_map(|c| FieldReader::compile(c, &missing).ok())
        .collect();
    let rows = sample.len() as f64;
    let threshold = rows * (CONFIDENCE - 1.0);
    let fields = names
        .into_iter()
        .enumerate()
        .map(|(index, name)| {
            let mut scores = vec![0.0_f64; readers.len()];
            let mut max_score = rows;
            for row in sample {
                let source = row.get(index).map(String::as_str);
                let is_missing = source == Some("");
                if is_missing {
                    max_score -= 1.0;
                }
                for (k, reader) in readers.iter().enumerate() {
                    if scores[k] < threshold {
                        continue;
                    }
                    if !is_missing {
                        let read = !matches!(reader.read(source), Cell::WrongType);
                        scores[k] += if read { 1.0 } else { -1.0 };
                    }
                    if max_score > 0.0 && scores[k] >= max_score * CONFIDENCE {
                        let mut field = candidates[k].clone();
                        field.name = name;
                        return field;
                    }
                }
            }
            Field::new(name, FieldType::Any)
        })
        .collect();
    TableSchema::new(fields)
}

/// A column fit to be the primary key, judged on the sample: its name says it identifies
/// (id, folio, clave, cve…), it is an integer or text, and no sampled cell is blank or repeated.
pub fn suggest_primary_key(schema: &TableSchema, sample: &[Vec<String>]) -> Option<String> {
    if sample.is_empty() {
        return None;
    }
    schema
        .fields
        .iter()
        .enumerate()
        .filter(|(_, f)| matches!(f.field_type, FieldType::Integer | FieldType::String))
        .filter(|(_, f)| names_an_identifier(&f.name))
        .find(|(index, _)| {
            let mut seen = std::collections::HashSet::new();
            sample.iter().all(|row| {
                row.get(*index)
                    .is_some_and(|cell| !cell.trim().is_empty() && seen.insert(cell.as_str()))
            })
        })
        .map(|(_, f)| f.name.clone())
}

fn names_an_identifier(name: &str) -> bool {
    let lower = name.to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    words.iter().any(|w| {
        matches!(
            *w,
            "id" | "folio" | "clave" | "cve" | "identificador" | "uuid"
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(text: &[&str]) -> Vec<Vec<String>> {
        text.iter()
            .map(|r| r.split(',').map(String::from).collect())
            .collect()
    }

    #[test]
    fn infers_types_like_frictionless() {
        let labels: Vec<String> = [
            "folio", "fecha", "visitas", "monto", "activo", "centro", "", "folio",
        ]
        .map(String::from)
        .to_vec();
        let sample = rows(&[
            "1,2026-03-17,12,10.5,true,Los Castillos,a,x",
            "2,2026-03-18,,3,false,San Juan de Abajo,b,y",
            "3,2026-03-19,7,2.25,TRUE,Las Joyas,c,z",
        ]);
        let schema = infer_schema(&labels, &sample, false);
        let got: Vec<(&str, &str)> = schema
            .fields
            .iter()
            .map(|f| (f.name.as_str(), f.field_type.key()))
            .collect();
        assert_eq!(
            got,
            [
                ("folio", "integer"),
                ("fecha", "date"),
                ("visitas", "integer"),
                ("monto", "number"),
                ("activo", "boolean"),
                ("centro", "string"),
                ("field7", "string"),
                ("folio2", "string"),
            ]
        );
        assert_eq!(suggest_primary_key(&schema, &sample), Some("folio".into()));
    }

    #[test]
    fn local_formats_read_day_first_dates() {
        let labels = vec!["fecha".to_owned()];
        let sample = rows(&["17/03/2026", "18/03/2026"]);
        assert_eq!(
            infer_schema(&labels, &sample, false).fields[0].field_type,
            FieldType::String
        );
        let local = infer_schema(&labels, &sample, true);
        assert_eq!(local.fields[0].field_type, FieldType::Date);
        assert_eq!(local.fields[0].format, "%d/%m/%Y");
    }

    #[test]
    fn no_key_is_suggested_when_a_value_repeats() {
        let labels = vec!["clave".to_owned(), "nombre".to_owned()];
        let sample = rows(&["A1,x", "A1,y"]);
        let schema = infer_schema(&labels, &sample, false);
        assert_eq!(suggest_primary_key(&schema, &sample), None);
    }
}
