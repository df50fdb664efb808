//! A Table Schema (frictionless' `schema.json`): fields with a type, a format and constraints,
//! the values that mean "missing", and a primary key. It is read from JSON, refusing what the
//! validator could not honour, and written back in the same shape.

use abierto_domain::ErrorCode;
use serde::{Deserialize, Serialize};
use serde_json::Value as Json;

/// The field types of the Table Schema specification.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FieldType {
    String,
    Integer,
    Number,
    Boolean,
    Date,
    Datetime,
    Time,
    Year,
    Yearmonth,
    Duration,
    Geopoint,
    Geojson,
    Object,
    Array,
    List,
    Any,
}

impl FieldType {
    pub const ALL: [FieldType; 16] = [
        FieldType::String,
        FieldType::Integer,
        FieldType::Number,
        FieldType::Boolean,
        FieldType::Date,
        FieldType::Datetime,
        FieldType::Time,
        FieldType::Year,
        FieldType::Yearmonth,
        FieldType::Duration,
        FieldType::Geopoint,
        FieldType::Geojson,
        FieldType::Object,
        FieldType::Array,
        FieldType::List,
        FieldType::Any,
    ];

    /// The name the specification gives the type.
    pub fn key(self) -> &'static str {
        match self {
            FieldType::String => "string",
            FieldType::Integer => "integer",
            FieldType::Number => "number",
            FieldType::Boolean => "boolean",
            FieldType::Date => "date",
            FieldType::Datetime => "datetime",
            FieldType::Time => "time",
            FieldType::Year => "year",
            FieldType::Yearmonth => "yearmonth",
            FieldType::Duration => "duration",
            FieldType::Geopoint => "geopoint",
            FieldType::Geojson => "geojson",
            FieldType::Object => "object",
            FieldType::Array => "array",
            FieldType::List => "list",
            FieldType::Any => "any",
        }
    }

    pub fn parse(raw: &str) -> Option<FieldType> {
        FieldType::ALL.into_iter().find(|t| t.key() == raw)
    }

    /// The constraints the type accepts, in the order frictionless checks them (and so the
    /// order its constraint errors come in). `unique` is checked apart, for every type.
    pub fn supported_constraints(self) -> &'static [&'static str] {
        const ORDERED: &[&str] = &[
            "required",
            "minimum",
            "maximum",
            "exclusiveMinimum",
            "exclusiveMaximum",
            "enum",
        ];
        match self {
            FieldType::String => &["required", "minLength", "maxLength", "pattern", "enum"],
            FieldType::Integer
            | FieldType::Number
            | FieldType::Date
            | FieldType::Datetime
            | FieldType::Time
            | FieldType::Year
            | FieldType::Yearmonth => ORDERED,
            FieldType::Array | FieldType::Object => &["required", "minLength", "maxLength", "enum"],
            FieldType::List => &["required", "minLength", "maxLength"],
            FieldType::Boolean
            | FieldType::Duration
            | FieldType::Geopoint
            | FieldType::Geojson
            | FieldType::Any => &["required", "enum"],
        }
    }
}

/// The rules a field's values must follow.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Constraints {
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub required: bool,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub unique: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_length: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_length: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pattern: Option<String>,
    #[serde(default, rename = "enum", skip_serializing_if = "Option::is_none")]
    pub enumeration: Option<Vec<Json>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub minimum: Option<Json>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub maximum: Option<Json>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exclusive_minimum: Option<Json>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exclusive_maximum: Option<Json>,
}

impl Constraints {
    /// Whether the constraint (by its specification name) is set.
    pub fn has(&self, name: &str) -> bool {
        match name {
            "required" => self.required,
            "unique" => self.unique,
            "minLength" => self.min_length.is_some(),
            "maxLength" => self.max_length.is_some(),
            "pattern" => self.pattern.is_some(),
            "enum" => self.enumeration.is_some(),
            "minimum" => self.minimum.is_some(),
            "maximum" => self.maximum.is_some(),
            "exclusiveMinimum" => self.exclusive_minimum.is_some(),
            "exclusiveMaximum" => self.exclusive_maximum.is_some(),
            _ => false,
        }
    }

    fn names() -> [&'static str; 10] {
        [
            "required",
            "unique",
            "minLength",
            "maxLength",
            "pattern",
            "enum",
            "minimum",
            "maximum",
            "exclusiveMinimum",
            "exclusiveMaximum",
        ]
    }
}

/// One column of the table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Field {
    pub name: String,
    #[serde(rename = "type")]
    pub field_type: FieldType,
    #[serde(default = "default_format", skip_serializing_if = "is_default_format")]
    pub format: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "is_unconstrained")]
    pub constraints: Constraints,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub true_values: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub false_values: Option<Vec<String>>,
    #[serde(default = "yes", skip_serializing_if = "Clone::clone")]
    pub bare_number: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group_char: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decimal_char: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub missing_values: Option<Vec<String>>,
}

fn default_format() -> String {
    "default".to_owned()
}

fn is_default_format(format: &str) -> bool {
    format == "default"
}

fn is_unconstrained(constraints: &Constraints) -> bool {
    *constraints == Constraints::default()
}

fn yes() -> bool {
    true
}

impl Field {
    /// A field of the type with the default format and no constraints.
    pub fn new(name: impl Into<String>, field_type: FieldType) -> Field {
        Field {
            name: name.into(),
            field_type,
            format: default_format(),
            title: None,
            description: None,
            constraints: Constraints::default(),
            true_values: None,
            false_values: None,
            bare_number: true,
            group_char: None,
            decimal_char: None,
            missing_values: None,
        }
    }
}

/// The schema of a whole table.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TableSchema {
    pub fields: Vec<Field>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub primary_key: Vec<String>,
    #[serde(skip_serializing_if = "is_default_missing")]
    pub missing_values: Vec<String>,
}

fn is_default_missing(values: &[String]) -> bool {
    values.len() == 1 && values[0].is_empty()
}

/// Why a schema cannot be used. Each has a stable code for the layers that explain it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SchemaError {
    #[error("the schema is not valid JSON: {0}")]
    NotJson(String),
    #[error("the schema does not have the shape of a Table Schema: {0}")]
    Shape(String),
    #[error("the schema has no fields")]
    NoFields,
    #[error("field {position} has no name")]
    FieldWithoutName { position: usize },
    #[error("field \"{name}\" appears twice")]
    DuplicateField { name: String },
    #[error("field \"{field}\" has unknown type \"{field_type}\"")]
    UnknownType { field: String, field_type: String },
    #[error("field \"{field}\" has a format this platform does not read: \"{format}\"")]
    UnsupportedFormat { field: String, format: String },
    #[error("field \"{field}\": constraint \"{constraint}\" cannot be used: {detail}")]
    BadConstraint {
        field: String,
        constraint: String,
        detail: String,
    },
    #[error("the primary key names \"{name}\", which is not a field")]
    UnknownPrimaryKey { name: String },
}

impl SchemaError {
    /// Stable snake_case code.
    pub fn code(&self) -> ErrorCode {
        match self {
            SchemaError::NotJson(_) => ErrorCode::SchemaNotJson,
            SchemaError::Shape(_) => ErrorCode::SchemaInvalid,
            SchemaError::NoFields => ErrorCode::SchemaWithoutFields,
            SchemaError::FieldWithoutName { .. } => ErrorCode::SchemaFieldWithoutName,
            SchemaError::DuplicateField { .. } => ErrorCode::SchemaDuplicateField,
            SchemaError::UnknownType { .. } => ErrorCode::SchemaUnknownType,
            SchemaError::UnsupportedFormat { .. } => ErrorCode::SchemaUnsupportedFormat,
            SchemaError::BadConstraint { .. } => ErrorCode::SchemaBadConstraint,
            SchemaError::UnknownPrimaryKey { .. } => ErrorCode::SchemaUnknownPrimaryKey,
        }
    }

    /// What the error is about — a field and a value in «», a position, a parser's detail —
    /// to follow the translated message of [`SchemaError::code`].
    pub fn subject(&self) -> String {
        match self {
            SchemaError::NotJson(detail) | SchemaError::Shape(detail) => detail.clone(),
            SchemaError::NoFields => String::new(),
            SchemaError::FieldWithoutName { position } => position.to_string(),
            SchemaError::DuplicateField { name } | SchemaError::UnknownPrimaryKey { name } => {
                format!("«{name}»")
            }
            SchemaError::UnknownType { field, field_type } => format!("«{field}»: «{field_type}»"),
            SchemaError::UnsupportedFormat { field, format } => format!("«{field}»: «{format}»"),
            SchemaError::BadConstraint {
                field, constraint, ..
            } => format!("«{field}»: «{constraint}»"),
        }
    }
}

impl TableSchema {
    /// A schema of the fields, with no primary key and only the empty string as missing.
    pub fn new(fields: Vec<Field>) -> TableSchema {
        TableSchema {
            fields,
            primary_key: Vec::new(),
            missing_values: vec![String::new()],
        }
    }

    /// Reads a `schema.json` and checks that the validator can honour every part of it.
    pub fn from_json(text: &str) -> Result<TableSchema, SchemaError> {
        let json: Json =
            serde_json::from_str(text).map_err(|e| SchemaError::NotJson(e.to_string()))?;
        TableSchema::from_value(json)
    }

    /// Like [`TableSchema::from_json`], from parsed JSON.
    pub fn from_value(json: Json) -> Result<TableSchema, SchemaError> {
        let Json::Object(mut top) = json else {
            return Err(SchemaError::Shape("expected an object".into()));
        };
        let Some(Json::Array(raw_fields)) = top.remove("fields") else {
            return Err(SchemaError::NoFields);
        };
        let mut fields = Vec::with_capacity(raw_fields.len());
        for (index, raw) in raw_fields.into_iter().enumerate() {
            fields.push(read_field(index + 1, raw)?);
        }
        if fields.is_empty() {
            return Err(SchemaError::NoFields);
        }
        let primary_key = match top.remove("primaryKey") {
            None | Some(Json::Null) => Vec::new(),
            Some(Json::String(name)) => vec![name],
            Some(Json::Array(names)) => names
                .into_iter()
                .map(|n| match n {
                    Json::String(s) => Ok(s),
                    _ => Err(SchemaError::Shape("primaryKey must name fields".into())),
                })
                .collect::<Result<_, _>>()?,
            Some(_) => return Err(SchemaError::Shape("primaryKey must name fields".into())),
        };
        let missing_values = match top.remove("missingValues") {
            None => vec![String::new()],
            Some(value) => strings(value, "missingValues")?,
        };
        let schema = TableSchema {
            fields,
            primary_key,
            missing_values,
        };
        schema.check()?;
        Ok(schema)
    }

    /// The schema as `schema.json` text.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// The field with the name.
    pub fn field(&self, name: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.name == name)
    }

    /// Refuses duplicate names, a primary key naming no field, and constraints or formats the
    /// validator cannot apply (compiling the fields is the test).
    pub fn check(&self) -> Result<(), SchemaError> {
        for (index, field) in self.fields.iter().enumerate() {
            if field.name.trim().is_empty() {
                return Err(SchemaError::FieldWithoutName {
                    position: index + 1,
                });
            }
            if self.fields[..index].iter().any(|f| f.name == field.name) {
                return Err(SchemaError::DuplicateField {
                    name: field.name.clone(),
                });
            }
            crate::cast::FieldReader::compile(field, &self.missing_values)?;
        }
        for name in &self.primary_key {
            if self.field(name).is_none() {
                return Err(SchemaError::UnknownPrimaryKey { name: name.clone() });
            }
        }
        Ok(())
    }
}

fn read_field(position: usize, raw: Json) -> Result<Field, SchemaError> {
    let Json::Object(mut map) = raw else {
        return Err(SchemaError::Shape(format!(
            "field {position} is not an object"
        )));
    };
    let name = match map.get("name") {
        Some(Json::String(name)) if !name.trim().is_empty() => name.clone(),
        _ => return Err(SchemaError::FieldWithoutName { position }),
    };
    let type_name = match map.get("type") {
        None => "string".to_owned(),
        Some(Json::String(t)) => t.clone(),
        Some(other) => other.to_string(),
    };
    let field_type = FieldType::parse(&type_name).ok_or_else(|| SchemaError::UnknownType {
        field: name.clone(),
        field_type: type_name.clone(),
    })?;
    map.insert("type".into(), Json::String(field_type.key().into()));
    if let Some(Json::Object(constraints)) = map.get("constraints") {
        if let Some(unknown) = constraints
            .keys()
            .find(|k| !Constraints::names().contains(&k.as_str()))
        {
            return Err(SchemaError::BadConstraint {
                field: name,
                constraint: unknown.clone(),
                detail: "unknown constraint".into(),
            });
        }
    }
    serde_json::from_value(Json::Object(map))
        .map_err(|e| SchemaError::Shape(format!("field \"{name}\": {e}")))
}

fn strings(value: Json, what: &str) -> Result<Vec<String>, SchemaError> {
    let Json::Array(items) = value else {
        return Err(SchemaError::Shape(format!("{what} must be a list of text")));
    };
    items
        .into_iter()
        .map(|item| match item {
            Json::String(s) => Ok(s),
            _ => Err(SchemaError::Shape(format!("{what} must be a list of text"))),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_and_writes_back_a_schema() {
        let text = r#"{"fields": [
            {"name": "folio", "type": "integer", "constraints": {"required": true, "minimum": 1}},
            {"name": "fecha", "type": "date", "format": "%d/%m/%Y"},
            {"name": "colonia"}
        ], "primaryKey": "folio"}"#;
        let schema = TableSchema::from_json(text).expect("valid schema");
        assert_eq!(schema.fields.len(), 3);
        assert_eq!(schema.fields[2].field_type, FieldType::String);
        assert_eq!(schema.primary_key, vec!["folio".to_owned()]);
        let again = TableSchema::from_json(&schema.to_json()).expect("round trip");
        assert_eq!(again, schema);
    }

    #[test]
    fn refuses_what_cannot_be_validated() {
        let cases = [
            ("{not json", "schema_not_json"),
            ("[]", "schema_invalid"),
            (r#"{"fields": []}"#, "schema_without_fields"),
            (
                r#"{"fields": [{"type": "string"}]}"#,
                "schema_field_without_name",
            ),
            (
                r#"{"fields": [{"name": "a", "type": "texto"}]}"#,
                "schema_unknown_type",
            ),
            (
                r#"{"fields": [{"name": "a"}, {"name": "a"}]}"#,
                "schema_duplicate_field",
            ),
            (
                r#"{"fields": [{"name": "a"}], "primaryKey": ["b"]}"#,
                "schema_unknown_primary_key",
            ),
            (
                r#"{"fields": [{"name": "a", "constraints": {"pattern": "("}}]}"#,
                "schema_bad_constraint",
            ),
            (
                r#"{"fields": [{"name": "a", "type": "integer", "constraints": {"enum": ["x"]}}]}"#,
                "schema_bad_constraint",
            ),
            (
                r#"{"fields": [{"name": "a", "type": "integer", "constraints": {"pattern": "1"}}]}"#,
                "schema_bad_constraint",
            ),
            (
                r#"{"fields": [{"name": "a", "constraints": {"unico": true}}]}"#,
                "schema_bad_constraint",
            ),
            (
                r#"{"fields": [{"name": "a", "type": "string", "format": "telefono"}]}"#,
                "schema_unsupported_format",
            ),
        ];
        for (text, code) in cases {
            let err = TableSchema::from_json(text).expect_err(text);
            assert_eq!(err.code(), code, "{text}: {err}");
        }
    }
}
