//! How open data's values are shown and exported: a datastore cell as text or JSON, and a
//! Table Schema as the rows of a table.

use abierto_store::CellValue;
use abierto_tabular::TableSchema;

/// A cell as text: blanks empty, numbers as written by Rust (`2.5`, `10`).
pub fn cell_text(value: &CellValue) -> String {
    match value {
        CellValue::Null => String::new(),
        CellValue::Int(n) => n.to_string(),
        CellValue::Float(n) => n.to_string(),
        CellValue::Text(t) => t.clone(),
        CellValue::Bool(b) => b.to_string(),
    }
}

/// A cell as JSON: numbers as numbers, booleans as booleans, blanks as null.
pub fn cell_json(value: &CellValue) -> serde_json::Value {
    match value {
        CellValue::Null => serde_json::Value::Null,
        CellValue::Int(n) => (*n).into(),
        CellValue::Float(n) => serde_json::Number::from_f64(*n)
            .map(serde_json::Value::Number)
            .unwrap_or(serde_json::Value::Null),
        CellValue::Text(t) => t.clone().into(),
        CellValue::Bool(b) => (*b).into(),
    }
}

/// One field of a schema as the pages list it.
pub struct SchemaRow {
    pub name: String,
    /// The catalog key of the type's name (`field_type.integer`).
    pub type_key: String,
    pub format: String,
    pub required: bool,
    pub unique: bool,
    pub primary_key: bool,
}

pub fn schema_rows(schema: &TableSchema) -> Vec<SchemaRow> {
    schema
        .fields
        .iter()
        .map(|f| SchemaRow {
            name: f.name.clone(),
            type_key: format!("field_type.{}", f.field_type.key()),
            format: f.format.clone(),
            required: f.constraints.required,
            unique: f.constraints.unique,
            primary_key: schema.primary_key.contains(&f.name),
        })
        .collect()
}
