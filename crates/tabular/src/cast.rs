//! Reading one cell as its field's type, and checking it against the field's constraints, the
//! way frictionless does: a cell that is one of the missing values is blank; a cell that does
//! not read as the type is a type error and is not checked further; a read value is checked
//! against each constraint in the type's order, each failure its own constraint error.

use std::borrow::Cow;
use std::cmp::Ordering;
use std::hash::{Hash, Hasher};

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime};
use serde_json::Value as Json;

use crate::pattern::WholeMatch;
use crate::schema::{Field, FieldType, SchemaError};

/// A cell read as its type.
#[derive(Debug, Clone, PartialEq)]
pub enum Value<'a> {
    Text(Cow<'a, str>),
    Integer(i128),
    Number(f64),
    Boolean(bool),
    Date(NaiveDate),
    Datetime(NaiveDateTime),
    Time(NaiveTime),
    Year(i32),
    Yearmonth(i32, u32),
    Geopoint(f64, f64),
    /// An object, array, GeoJSON or list: its JSON (or items) and their count.
    Structured(Cow<'a, str>, usize),
}

impl Value<'_> {
    /// The value with its text copied, free of the cell it was read from.
    pub fn into_owned(self) -> Value<'static> {
        match self {
            Value::Text(t) => Value::Text(Cow::Owned(t.into_owned())),
            Value::Structured(t, n) => Value::Structured(Cow::Owned(t.into_owned()), n),
            Value::Integer(n) => Value::Integer(n),
            Value::Number(n) => Value::Number(n),
            Value::Boolean(b) => Value::Boolean(b),
            Value::Date(d) => Value::Date(d),
            Value::Datetime(d) => Value::Datetime(d),
            Value::Time(t) => Value::Time(t),
            Value::Year(y) => Value::Year(y),
            Value::Yearmonth(y, m) => Value::Yearmonth(y, m),
            Value::Geopoint(a, b) => Value::Geopoint(a, b),
        }
    }

    fn compare(&self, other: &Value<'_>) -> Option<Ordering> {
        match (self, other) {
            (Value::Integer(a), Value::Integer(b)) => Some(a.cmp(b)),
            (Value::Number(a), Value::Number(b)) => a.partial_cmp(b),
            (Value::Date(a), Value::Date(b)) => Some(a.cmp(b)),
            (Value::Datetime(a), Value::Datetime(b)) => Some(a.cmp(b)),
            (Value::Time(a), Value::Time(b)) => Some(a.cmp(b)),
            (Value::Year(a), Value::Year(b)) => Some(a.cmp(b)),
            (Value::Yearmonth(y1, m1), Value::Yearmonth(y2, m2)) => Some((y1, m1).cmp(&(y2, m2))),
            _ => None,
        }
    }

    /// Feeds the value to a hasher so that equal values (`1` and `01` as integers) hash alike.
    pub fn hash_into(&self, state: &mut impl Hasher) {
        std::mem::discriminant(self).hash(state);
        match self {
            Value::Text(text) | Value::Structured(text, _) => text.hash(state),
            Value::Integer(n) => n.hash(state),
            Value::Number(n) => normal_bits(*n).hash(state),
            Value::Boolean(b) => b.hash(state),
            Value::Date(d) => d.hash(state),
            Value::Datetime(d) => d.hash(state),
            Value::Time(t) => t.hash(state),
            Value::Year(y) => y.hash(state),
            Value::Yearmonth(y, m) => (y, m).hash(state),
            Value::Geopoint(lon, lat) => (normal_bits(*lon), normal_bits(*lat)).hash(state),
        }
    }
}

fn normal_bits(n: f64) -> u64 {
    if n == 0.0 {
        0
    } else {
        n.to_bits()
    }
}

/// What reading a cell gave.
pub enum Cell<'a> {
    /// Blank: one of the missing values, or absent from a short row.
    Blank,
    /// Present but not of the field's type.
    WrongType,
    Value(Value<'a>),
}

/// What checking a cell gave, told in one byte: the value itself is not handed back, since
/// copying it out costs more than reading it again on the rare cell that breaks a constraint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Blank,
    /// Blank, but the field is required.
    BlankBreaks,
    WrongType,
    Passes,
    /// Read as the type, it breaks at least one constraint.
    Breaks,
}

/// A constraint ready to check, named as the specification names it.
#[derive(Debug, Clone)]
enum Check {
    Required,
    MinLength(usize),
    MaxLength(usize),
    Pattern(Box<WholeMatch>),
    Enum(Vec<Value<'static>>),
    Minimum(Value<'static>),
    Maximum(Value<'static>),
    ExclusiveMinimum(Value<'static>),
    ExclusiveMaximum(Value<'static>),
}

impl Check {
    fn name(&self) -> &'static str {
        match self {
            Check::Required => "required",
            Check::MinLength(_) => "minLength",
            Check::MaxLength(_) => "maxLength",
            Check::Pattern(_) => "pattern",
            Check::Enum(_) => "enum",
            Check::Minimum(_) => "minimum",
            Check::Maximum(_) => "maximum",
            Check::ExclusiveMinimum(_) => "exclusiveMinimum",
            Check::ExclusiveMaximum(_) => "exclusiveMaximum",
        }
    }

    #[inline]
    fn passes(&self, value: Option<&Value<'_>>) -> bool {
        let Some(value) = value else {
            return !matches!(self, Check::Required);
        };
        match self {
            Check::Required => true,
            // A text has at most as many characters as bytes: most cells are decided by
            // their byte length alone.
            Check::MinLength(min) => match value {
                Value::Text(text) if text.len() < *min => false,
                _ => length(value).is_none_or(|len| len >= *min),
            },
            Check::MaxLength(max) => match value {
                Value::Text(text) if text.len() <= *max => true,
                _ => length(value).is_none_or(|len| len <= *max),
            },
            Check::Pattern(regex) => match value {
                Value::Text(text) => regex.is_match(text),
                _ => true,
            },
            Check::Enum(allowed) => allowed.iter().any(|a| a == value),
            Check::Minimum(bound) => value.compare(bound).is_none_or(Ordering::is_ge),
            Check::Maximum(bound) => value.compare(bound).is_none_or(Ordering::is_le),
            Check::ExclusiveMinimum(bound) => value.compare(bound).is_none_or(Ordering::is_gt),
            Check::ExclusiveMaximum(bound) => value.compare(bound).is_none_or(Ordering::is_lt),
        }
    }
}

fn length(value: &Value<'_>) -> Option<usize> {
    match value {
        Value::Text(text) => Some(text.chars().count()),
        Value::Structured(_, count) => Some(*count),
        _ => None,
    }
}

/// A failed constraint: its name and the note frictionless would write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Broken {
    pub constraint: &'static str,
    pub note: String,
}

/// A field compiled for reading many cells: its type's reader and its constraints.
#[derive(Debug, Clone)]
pub struct FieldReader {
    pub field_type: FieldType,
    format: Format,
    missing_values: Vec<String>,
    true_values: Vec<String>,
    false_values: Vec<String>,
    number_style: Option<NumberStyle>,
    checks: Vec<(Check, String)>,
}

#[derive(Debug, Clone)]
enum Format {
    Default,
    Any,
    Pattern(String),
    Email,
    Uri,
    Uuid,
    Binary,
    Array,
    Object,
    Delimited(String),
}

#[derive(Debug, Clone)]
struct NumberStyle {
    bare_number: bool,
    group_char: Option<String>,
    decimal_char: String,
}

const TRUE_VALUES: [&str; 4] = ["true", "True", "TRUE", "1"];
const FALSE_VALUES: [&str; 4] = ["false", "False", "FALSE", "0"];

impl FieldReader {
    /// Prepares the field; refuses formats and constraints that cannot be applied.
    pub fn compile(field: &Field, schema_missing: &[String]) -> Result<FieldReader, SchemaError> {
        let bad_format = || SchemaError::UnsupportedFormat {
            field: field.name.clone(),
            format: field.format.clone(),
        };
        let format = match (field.field_type, field.format.as_str()) {
            (_, "default") => Format::Default,
            (FieldType::String, "email") => Format::Email,
            (FieldType::String, "uri") => Format::Uri,
            (FieldType::String, "uuid") => Format::Uuid,
            (FieldType::String, "binary") => Format::Binary,
            (FieldType::Geopoint, "array") => Format::Array,
            (FieldType::Geopoint, "object") => Format::Object,
            (FieldType::Date | FieldType::Datetime | FieldType::Time, "any") => Format::Any,
            (FieldType::Date | FieldType::Datetime | FieldType::Time, pattern)
                if pattern.contains('%') =>
            {
                Format::Pattern(pattern.to_owned())
            }
            (FieldType::List, delimiter) if delimiter.chars().count() == 1 => {
                Format::Delimited(delimiter.to_owned())
            }
            _ => return Err(bad_format()),
        };
        let number_style = match field.field_type {
            FieldType::Integer | FieldType::Number => {
                let styled = !field.bare_number
                    || field.group_char.is_some()
                    || field.decimal_char.is_some();
                styled.then(|| NumberStyle {
                    bare_number: field.bare_number,
                    group_char: field.group_char.clone(),
                    decimal_char: field.decimal_char.clone().unwrap_or_else(|| ".".into()),
                })
            }
            _ => None,
        };
        let mut reader = FieldReader {
            field_type: field.field_type,
            format,
            missing_values: field
                .missing_values
                .clone()
                .unwrap_or_else(|| schema_missing.to_vec()),
            true_values: field
                .true_values
                .clone()
                .unwrap_or_else(|| TRUE_VALUES.map(String::from).to_vec()),
            false_values: field
                .false_values
                .clone()
                .unwrap_or_else(|| FALSE_VALUES.map(String::from).to_vec()),
            number_style,
            checks: Vec::new(),
        };
        reader.checks = reader.compile_checks(field)?;
        Ok(reader)
    }

    fn compile_checks(&self, field: &Field) -> Result<Vec<(Check, String)>, SchemaError> {
        let c = &field.constraints;
        let supported = field.field_type.supported_constraints();
        let bad = |constraint: &str, detail: &str| SchemaError::BadConstraint {
            field: field.name.clone(),
            constraint: constraint.to_owned(),
            detail: detail.to_owned(),
        };
        for name in [
            "minLength",
            "maxLength",
            "pattern",
            "enum",
            "minimum",
            "maximum",
            "exclusiveMinimum",
            "exclusiveMaximum",
        ] {
            if c.has(name) && !supported.contains(&name) {
                return Err(bad(name, "not supported by the field's type"));
            }
        }
        let bound = |name: &str, raw: &Json| -> Result<Value<'static>, SchemaError> {
            self.read_json(raw)
                .ok_or_else(|| bad(name, "the value is not of the field's type"))
        };
        let mut checks = Vec::new();
        for name in supported {
            let check = match *name {
                "required" if c.required => Check::Required,
                "minLength" => match c.min_length {
                    Some(n) => Check::MinLength(n),
                    None => continue,
                },
                "maxLength" => match c.max_length {
                    Some(n) => Check::MaxLength(n),
                    None => continue,
                },
                "pattern" => match &c.pattern {
                    Some(p) => Check::Pattern(
                        WholeMatch::new(p)
                            .map(Box::new)
                            .map_err(|_| bad("pattern", "not a regular expression"))?,
                    ),
                    None => continue,
                },
                "enum" => match &c.enumeration {
                    Some(values) => Check::Enum(
                        values
                            .iter()
                            .map(|v| bound("enum", v))
                            .collect::<Result<_, _>>()?,
                    ),
                    None => continue,
                },
                "minimum" => match &c.minimum {
                    Some(v) => Check::Minimum(bound(name, v)?),
                    None => continue,
                },
                "maximum" => match &c.maximum {
                    Some(v) => Check::Maximum(bound(name, v)?),
                    None => continue,
                },
                "exclusiveMinimum" => match &c.exclusive_minimum {
                    Some(v) => Check::ExclusiveMinimum(bound(name, v)?),
                    None => continue,
                },
                "exclusiveMaximum" => match &c.exclusive_maximum {
                    Some(v) => Check::ExclusiveMaximum(bound(name, v)?),
                    None => continue,
                },
                _ => continue,
            };
            let shown = match (&check, *name) {
                (Check::Required, _) => "True".to_owned(),
                (Check::Pattern(_), _) => c.pattern.clone().unwrap_or_default(),
                (_, "enum") => python_list(c.enumeration.as_deref().unwrap_or_default()),
                (_, "minLength") => c.min_length.unwrap_or_default().to_string(),
                (_, "maxLength") => c.max_length.unwrap_or_default().to_string(),
                (_, other) => constraint_text(c, other),
            };
            checks.push((check, shown));
        }
        Ok(checks)
    }

    /// A constraint's value from the schema, read as this field's type.
    fn read_json(&self, raw: &Json) -> Option<Value<'static>> {
        let text = match raw {
            Json::String(s) => s.clone(),
            Json::Bool(b) if self.field_type == FieldType::Boolean => {
                return Some(Value::Boolean(*b))
            }
            Json::Number(n) => n.to_string(),
            other => other.to_string(),
        };
        self.read_value(&text).map(Value::into_owned)
    }

    /// Reads a cell: `None` when the row has no cell for the field.
    pub fn read<'a>(&self, cell: Option<&'a str>) -> Cell<'a> {
        match cell {
            None => Cell::Blank,
            Some(raw) if self.is_missing(raw) => Cell::Blank,
            Some(raw) => match self.read_value(raw) {
                Some(value) => Cell::Value(value),
                None => Cell::WrongType,
            },
        }
    }

    /// Reads a cell and checks it against every constraint; with `hashed`, writes its value's
    /// hash to `hash` (`None` when it has no value).
    pub fn judge(&self, cell: Option<&str>, hashed: bool, hash: &mut Option<u64>) -> Verdict {
        *hash = None;
        let Some(raw) = cell.filter(|raw| !self.is_missing(raw)) else {
            return if self.passes(None) {
                Verdict::Blank
            } else {
                Verdict::BlankBreaks
            };
        };
        // The value is looked at where it was read, never moved: see `read_value`.
        let read = self.read_value(raw);
        let Some(value) = &read else {
            return Verdict::WrongType;
        };
        if hashed {
            *hash = Some(crate::uniqueness::hash_value(value));
        }
        if self.passes(Some(value)) {
            Verdict::Passes
        } else {
            Verdict::Breaks
        }
    }

    /// Whether a present cell is one of the missing values.
    fn is_missing(&self, raw: &str) -> bool {
        self.missing_values.iter().any(|m| m == raw)
    }

    /// The constraints a cell breaks, in order; none when it is not of the type.
    pub fn broken_by(&self, cell: Option<&str>, out: &mut Vec<Broken>) {
        match self.read(cell) {
            Cell::Blank => self.broken(None, out),
            Cell::WrongType => {}
            Cell::Value(value) => self.broken(Some(&value), out),
        }
    }

    /// The constraints a read (or blank) cell breaks, in order.
    pub fn broken(&self, value: Option<&Value<'_>>, out: &mut Vec<Broken>) {
        for (check, shown) in &self.checks {
            if !check.passes(value) {
                out.push(Broken {
                    constraint: check.name(),
                    note: format!("constraint \"{}\" is \"{}\"", check.name(), shown),
                });
            }
        }
    }

    /// Whether a read (or blank) cell meets every constraint: the common case, told without
    /// writing notes.
    pub fn passes(&self, value: Option<&Value<'_>>) -> bool {
        self.checks.iter().all(|(check, _)| check.passes(value))
    }

    /// The note frictionless gives a type error: `type is "integer/default"`.
    pub fn type_note(&self) -> String {
        let format = match &self.format {
            Format::Default => "default",
            Format::Any => "any",
            Format::Pattern(p) | Format::Delimited(p) => p,
            Format::Email => "email",
            Format::Uri => "uri",
            Format::Uuid => "uuid",
            Format::Binary => "binary",
            Format::Array => "array",
            Format::Object => "object",
        };
        format!("type is \"{}/{}\"", self.field_type.key(), format)
    }

    // Inlined where the value is used, it is built in place instead of being copied out of
    // a return slot, a copy the processor stalls on once per cell.
    #[inline(always)]
    fn read_value<'a>(&self, raw: &'a str) -> Option<Value<'a>> {
        match self.field_type {
            FieldType::String => self.read_string(raw).map(|s| Value::Text(Cow::Borrowed(s))),
            FieldType::Any => Some(Value::Text(Cow::Borrowed(raw))),
            FieldType::Integer => {
                let text = self.styled_number(raw)?;
                read_integer(&text).map(Value::Integer)
            }
            FieldType::Number => {
                let text = self.styled_number(raw)?;
                read_number(&text).map(Value::Number)
            }
            FieldType::Boolean => {
                if self.true_values.iter().any(|v| v == raw) {
                    Some(Value::Boolean(true))
                } else if self.false_values.iter().any(|v| v == raw) {
                    Some(Value::Boolean(false))
                } else {
                    None
                }
            }
            FieldType::Date => self.read_date(raw).map(Value::Date),
            FieldType::Datetime => self.read_datetime(raw).map(Value::Datetime),
            FieldType::Time => self.read_time(raw).map(Value::Time),
            FieldType::Year => read_year(raw).map(Value::Year),
            FieldType::Yearmonth => read_yearmonth(raw),
            FieldType::Duration => read_duration(raw).then_some(Value::Text(Cow::Borrowed(raw))),
            FieldType::Geopoint => self.read_geopoint(raw),
            FieldType::Geojson => match serde_json::from_str::<Json>(raw).ok()? {
                Json::Object(map) if map.get("type").is_some_and(Json::is_string) => {
                    Some(Value::Structured(Cow::Borrowed(raw), map.len()))
                }
                _ => None,
            },
            FieldType::Object => match serde_json::from_str::<Json>(raw).ok()? {
                Json::Object(map) => Some(Value::Structured(Cow::Borrowed(raw), map.len())),
                _ => None,
            },
            FieldType::Array => match serde_json::from_str::<Json>(raw).ok()? {
                Json::Array(items) => Some(Value::Structured(Cow::Borrowed(raw), items.len())),
                _ => None,
            },
            FieldType::List => {
                let delimiter = match &self.format {
                    Format::Delimited(d) => d.as_str(),
                    _ => ",",
                };
                let count = if raw.is_empty() {
                    0
                } else {
                    raw.split(delimiter).count()
                };
                Some(Value::Structured(Cow::Borrowed(raw), count))
            }
        }
    }

    fn read_string<'a>(&self, raw: &'a str) -> Option<&'a str> {
        let ok = match self.format {
            Format::Email => is_email(raw),
            Format::Uri => is_uri(raw),
            Format::Uuid => is_uuid(raw),
            Format::Binary => is_base64(raw),
            _ => true,
        };
        ok.then_some(raw)
    }

    /// Applies `bareNumber`, `groupChar` and `decimalChar` to a number's text.
    fn styled_number<'a>(&self, raw: &'a str) -> Option<Cow<'a, str>> {
        let Some(style) = &self.number_style else {
            return Some(Cow::Borrowed(raw));
        };
        let mut text = raw.trim();
        if !style.bare_number {
            text = text.trim_start_matches(|c: char| !c.is_ascii_digit() && c != '-');
            text = text.trim_end_matches(|c: char| !c.is_ascii_digit());
        }
        let mut owned = text.to_owned();
        if let Some(group) = &style.group_char {
            owned = owned.replace(group.as_str(), "");
        }
        if style.decimal_char != "." {
            if owned.contains('.') {
                return None;
            }
            owned = owned.replace(style.decimal_char.as_str(), ".");
        }
        Some(Cow::Owned(owned))
    }

    fn read_date(&self, raw: &str) -> Option<NaiveDate> {
        match &self.format {
            Format::Pattern(pattern) => NaiveDate::parse_from_str(raw, pattern).ok(),
            Format::Any => ["%Y-%m-%d", "%d/%m/%Y", "%Y/%m/%d", "%d-%m-%Y"]
                .iter()
                .find_map(|p| NaiveDate::parse_from_str(raw.trim(), p).ok()),
            _ => {
                // Python's strptime with "%Y-%m-%d": four-digit year, month and day of one or
                // two digits.
                let bytes = raw.as_bytes();
                if !(8..=10).contains(&bytes.len()) || bytes[4] != b'-' {
                    return None;
                }
                let rest = &bytes[5..];
                let dash = rest.iter().position(|b| *b == b'-')?;
                let number = |digits: &[u8], most: usize| {
                    ((1..=most).contains(&digits.len()) && digits.iter().all(u8::is_ascii_digit))
                        .then(|| digits.iter().fold(0, |n, d| n * 10 + u32::from(d - b'0')))
                };
                let year = number(&bytes[..4], 4)?;
                let month = number(&rest[..dash], 2)?;
                let day = number(&rest[dash + 1..], 2)?;
                NaiveDate::from_ymd_opt(i32::try_from(year).ok()?, month, day)
            }
        }
    }

    fn read_datetime(&self, raw: &str) -> Option<NaiveDateTime> {
        match &self.format {
            Format::Pattern(pattern) => NaiveDateTime::parse_from_str(raw, pattern).ok(),
            Format::Any => read_iso_datetime(raw.trim())
                .or_else(|| NaiveDateTime::parse_from_str(raw.trim(), "%d/%m/%Y %H:%M").ok()),
            _ => {
                let bytes = raw.as_bytes();
                if bytes.len() < 19 || bytes[16] != b':' {
                    return None;
                }
                read_iso_datetime(raw)
            }
        }
    }

    fn read_time(&self, raw: &str) -> Option<NaiveTime> {
        match &self.format {
            Format::Pattern(pattern) => NaiveTime::parse_from_str(raw, pattern).ok(),
            Format::Any => ["%H:%M:%S", "%H:%M", "%I:%M %p"]
                .iter()
                .find_map(|p| NaiveTime::parse_from_str(raw.trim(), p).ok()),
            _ => NaiveTime::parse_from_str(raw, "%H:%M:%S%.f")
                .ok()
                .or_else(|| {
                    DateTime::parse_from_str(&format!("2000-01-01T{raw}"), "%Y-%m-%dT%H:%M:%S%z")
                        .ok()
                        .map(|d| d.naive_utc().time())
                }),
        }
    }

    fn read_geopoint(&self, raw: &str) -> Option<Value<'static>> {
        let (lon, lat) = match self.format {
            Format::Array => match serde_json::from_str::<Json>(raw).ok()? {
                Json::Array(items) if items.len() == 2 => {
                    (json_number(&items[0])?, json_number(&items[1])?)
                }
                _ => return None,
            },
            Format::Object => match serde_json::from_str::<Json>(raw).ok()? {
                Json::Object(map) if map.len() == 2 => {
                    (json_number(map.get("lon")?)?, json_number(map.get("lat")?)?)
                }
                _ => return None,
            },
            _ => {
                let (lon, lat) = raw.split_once(',')?;
                if lat.contains(',') {
                    return None;
                }
                (read_number(lon.trim())?, read_number(lat.trim())?)
            }
        };
        let inside = (-180.0..=180.0).contains(&lon) && (-90.0..=90.0).contains(&lat);
        inside.then_some(Value::Geopoint(lon, lat))
    }
}

fn json_number(value: &Json) -> Option<f64> {
    match value {
        Json::Number(n) => n.as_f64(),
        Json::String(s) => read_number(s.trim()),
        _ => None,
    }
}

/// Python's `int()` on a stripped string: a sign, digits, single underscores between digits.
pub fn read_integer(raw: &str) -> Option<i128> {
    // Most cells are a few plain digits: read them without the general path's checks.
    let bytes = raw.as_bytes();
    if (1..=18).contains(&bytes.len()) && bytes.iter().all(u8::is_ascii_digit) {
        let value = bytes
            .iter()
            .fold(0u64, |value, b| value * 10 + u64::from(b - b'0'));
        return Some(i128::from(value));
    }
    let text = raw.trim();
    let (negative, digits) = match text.as_bytes().first()? {
        b'-' => (true, &text[1..]),
        b'+' => (false, &text[1..]),
        _ => (false, text),
    };
    if !valid_digit_run(digits) {
        return None;
    }
    let mut value: i128 = 0;
    for b in digits.bytes().filter(u8::is_ascii_digit) {
        value = value
            .saturating_mul(10)
            .saturating_add(i128::from(b - b'0'));
    }
    Some(if negative { -value } else { value })
}

/// Digits, with single underscores between them as Python allows (`1_000`).
fn valid_digit_run(digits: &str) -> bool {
    let bytes = digits.as_bytes();
    let mut previous_underscore = true;
    for b in bytes {
        match b {
            b'0'..=b'9' => previous_underscore = false,
            b'_' if !previous_underscore => previous_underscore = true,
            _ => return false,
        }
    }
    !bytes.is_empty() && !previous_underscore
}

/// Digits with at most one point between digits, and an optional leading minus: the common
/// shape of a number cell, which both Python and Rust read alike.
fn is_plain_decimal(bytes: &[u8]) -> bool {
    let digits = bytes.strip_prefix(b"-").unwrap_or(bytes);
    let mut point = false;
    for (i, b) in digits.iter().enumerate() {
        match b {
            b'0'..=b'9' => {}
            b'.' if !point && i > 0 && i + 1 < digits.len() => point = true,
            _ => return false,
        }
    }
    !digits.is_empty()
}

/// Python's `Decimal()` on a stripped string: sign, digits with an optional point and exponent,
/// or infinity and NaN spelled as Python spells them.
pub fn read_number(raw: &str) -> Option<f64> {
    if is_plain_decimal(raw.as_bytes()) {
        return raw.parse::<f64>().ok();
    }
    let text = raw.trim();
    let unsigned = text.trim_start_matches(['+', '-']);
    if text.len() - unsigned.len() > 1 {
        return None;
    }
    for special in ["inf", "infinity", "nan", "snan"] {
        if unsigned.eq_ignore_ascii_case(special) {
            return Some(if special.ends_with("nan") {
                f64::NAN
            } else if text.starts_with('-') {
                f64::NEG_INFINITY
            } else {
                f64::INFINITY
            });
        }
    }
    let (mantissa, exponent) = match unsigned.find(['e', 'E']) {
        Some(at) => (&unsigned[..at], Some(&unsigned[at + 1..])),
        None => (unsigned, None),
    };
    let (whole, fraction) = match mantissa.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (mantissa, None),
    };
    let whole_ok = whole.is_empty() || valid_digit_run(whole);
    let fraction_ok = fraction.is_none_or(|f| f.is_empty() || valid_digit_run(f));
    let has_digits = !whole.is_empty() || fraction.is_some_and(|f| !f.is_empty());
    let exponent_ok = exponent.is_none_or(|e| {
        let digits = e.trim_start_matches(['+', '-']);
        e.len() - digits.len() <= 1 && valid_digit_run(digits)
    });
    if !(whole_ok && fraction_ok && has_digits && exponent_ok) {
        return None;
    }
    if text.contains('_') {
        text.replace('_', "").parse::<f64>().ok()
    } else {
        text.parse::<f64>().ok()
    }
}

fn read_year(raw: &str) -> Option<i32> {
    if raw.chars().count() != 4 {
        return None;
    }
    let year = read_integer(raw)?;
    (0..=9999).contains(&year).then_some(year as i32)
}

fn read_yearmonth(raw: &str) -> Option<Value<'static>> {
    let (year, month) = raw.split_once('-')?;
    if month.contains('-') {
        return None;
    }
    let year = i32::try_from(read_integer(year)?).ok()?;
    let month = u32::try_from(read_integer(month)?).ok()?;
    (1..=12)
        .contains(&month)
        .then_some(Value::Yearmonth(year, month))
}

fn read_iso_datetime(raw: &str) -> Option<NaiveDateTime> {
    if let Ok(with_offset) = DateTime::parse_from_rfc3339(raw) {
        return Some(with_offset.naive_utc());
    }
    for pattern in ["%Y-%m-%dT%H:%M:%S%.f%z", "%Y-%m-%d %H:%M:%S%.f%z"] {
        if let Ok(with_offset) = DateTime::parse_from_str(raw, pattern) {
            return Some(with_offset.naive_utc());
        }
    }
    ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%d %H:%M:%S%.f"]
        .iter()
        .find_map(|p| NaiveDateTime::parse_from_str(raw, p).ok())
}

/// An ISO 8601 duration: `P1Y2M3DT4H5M6S`, `P3W`.
fn read_duration(raw: &str) -> bool {
    let Some(body) = raw.strip_prefix('P') else {
        return false;
    };
    let (date, time) = match body.split_once('T') {
        Some((d, t)) => (d, Some(t)),
        None => (body, None),
    };
    let units_ok = |part: &str, units: &str| -> bool {
        let mut number = String::new();
        let mut seen = 0;
        let mut last_unit = None;
        for c in part.chars() {
            if c.is_ascii_digit() || c == '.' || c == ',' {
                number.push(c);
            } else if let Some(position) = units.find(c) {
                if number.is_empty() || last_unit.is_some_and(|l| l >= position) {
                    return false;
                }
                number.clear();
                last_unit = Some(position);
                seen += 1;
            } else {
                return false;
            }
        }
        number.is_empty() && (seen > 0 || part.is_empty())
    };
    let time_ok = time.is_none_or(|t| !t.is_empty() && units_ok(t, "HMS"));
    (!date.is_empty() || time.is_some()) && units_ok(date, "YMWD") && time_ok
}

fn is_email(raw: &str) -> bool {
    let Some((local, domain)) = raw.rsplit_once('@') else {
        return false;
    };
    !local.is_empty()
        && local.len() <= 64
        && !raw.chars().any(char::is_whitespace)
        && domain.contains('.')
        && !domain.starts_with(['.', '-'])
        && !domain.ends_with(['.', '-'])
        && !domain.contains("..")
        && domain
            .chars()
            .all(|c| c.is_alphanumeric() || c == '.' || c == '-')
}

fn is_uri(raw: &str) -> bool {
    let Some((scheme, rest)) = raw.split_once(':') else {
        return false;
    };
    let mut chars = scheme.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        && !rest.chars().any(|c| c.is_whitespace() || c.is_control())
}

fn is_uuid(raw: &str) -> bool {
    let bytes = raw.as_bytes();
    bytes.len() == 36
        && bytes.iter().enumerate().all(|(i, b)| match i {
            8 | 13 | 18 | 23 => *b == b'-',
            _ => b.is_ascii_hexdigit(),
        })
}

fn is_base64(raw: &str) -> bool {
    let body = raw.trim_end_matches('=');
    raw.len() - body.len() <= 2
        && raw.len().is_multiple_of(4)
        && body
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'+' || b == b'/')
}

/// A list as Python prints it, for notes like `constraint "enum" is "['a', 'b']"`.
fn python_list(values: &[Json]) -> String {
    let items: Vec<String> = values
        .iter()
        .map(|v| match v {
            Json::String(s) => format!("'{s}'"),
            Json::Bool(true) => "True".into(),
            Json::Bool(false) => "False".into(),
            other => other.to_string(),
        })
        .collect();
    format!("[{}]", items.join(", "))
}

fn constraint_text(c: &crate::schema::Constraints, name: &str) -> String {
    let value = match name {
        "minimum" => c.minimum.as_ref(),
        "maximum" => c.maximum.as_ref(),
        "exclusiveMinimum" => c.exclusive_minimum.as_ref(),
        "exclusiveMaximum" => c.exclusive_maximum.as_ref(),
        _ => None,
    };
    match value {
        Some(Json::String(s)) => s.clone(),
        Some(other) => other.to_string(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reader(json: &str) -> FieldReader {
        let field: Field = serde_json::from_str(json).expect("field");
        FieldReader::compile(&field, &[String::new()]).expect("compiles")
    }

    fn reads(reader: &FieldReader, raw: &str) -> bool {
        matches!(reader.read(Some(raw)), Cell::Value(_))
    }

    #[test]
    fn integers_read_as_python_reads_them() {
        let r = reader(r#"{"name": "n", "type": "integer"}"#);
        for ok in ["7", " 7 ", "-12", "+3", "1_000", "007"] {
            assert!(reads(&r, ok), "{ok}");
        }
        for bad in [
            "1.0", "1,000", "abc", "1__0", "_1", "--1", "+", "1e3", "1_", "",
        ] {
            assert!(!reads(&r, bad), "{bad}");
        }
        // Plain digits take a shorter path than signed, spaced or long ones; all agree.
        assert_eq!(read_integer("007"), Some(7));
        assert_eq!(
            read_integer("999999999999999999"),
            Some(999_999_999_999_999_999)
        );
        assert_eq!(
            read_integer("12345678901234567890"),
            Some(12_345_678_901_234_567_890)
        );
        assert_eq!(read_integer(" -42 "), Some(-42));
    }

    #[test]
    fn numbers_read_as_decimal_reads_them() {
        for ok in [
            "1.5", " -2 ", ".5", "5.", "1e3", "-1E-2", "NaN", "Infinity", "-inf",
        ] {
            assert!(read_number(ok).is_some(), "{ok}");
        }
        for bad in [
            "1,5", "abc", "1e", ".", "--1", "1.2.3", "e5", "0x10", "-", "",
        ] {
            assert!(read_number(bad).is_none(), "{bad}");
        }
        for (text, value) in [
            ("12.50", 12.5),
            ("-0.25", -0.25),
            ("007", 7.0),
            ("5.", 5.0),
            ("-.5", -0.5),
            ("1_000.5", 1000.5),
        ] {
            assert_eq!(read_number(text), Some(value), "{text}");
        }
        let grouped =
            reader(r#"{"name": "n", "type": "number", "groupChar": ",", "decimalChar": "."}"#);
        assert!(reads(&grouped, "1,234.5"));
        let comma = reader(r#"{"name": "n", "type": "number", "decimalChar": ","}"#);
        assert!(reads(&comma, "1234,5"));
        assert!(!reads(&comma, "1234.5"));
        let currency = reader(r#"{"name": "n", "type": "number", "bareNumber": false}"#);
        assert!(reads(&currency, "$ 150.00 MXN"));
    }

    #[test]
    fn dates_times_and_the_rest() {
        let date = reader(r#"{"name": "d", "type": "date"}"#);
        assert!(reads(&date, "2026-03-17") && reads(&date, "2026-3-7"));
        assert!(!reads(&date, "17/03/2026") && !reads(&date, "2026-02-30"));
        for bad in [
            "2026-03-1x",
            "2026-003-1",
            "2026-03-",
            "20261-3-1",
            "2026-03-17-",
            "+026-03-17",
        ] {
            assert!(!reads(&date, bad), "{bad}");
        }
        let mexican = reader(r#"{"name": "d", "type": "date", "format": "%d/%m/%Y"}"#);
        assert!(reads(&mexican, "17/03/2026") && !reads(&mexican, "2026-03-17"));
        let datetime = reader(r#"{"name": "d", "type": "datetime"}"#);
        assert!(
            reads(&datetime, "2026-03-17T10:30:00") && reads(&datetime, "2026-03-17T10:30:00Z")
        );
        assert!(reads(&datetime, "2026-03-17T10:30:00-06:00"));
        assert!(!reads(&datetime, "2026-03-17") && !reads(&datetime, "2026-03-17T10:30"));
        let year = reader(r#"{"name": "y", "type": "year"}"#);
        assert!(reads(&year, "2026") && !reads(&year, "26") && !reads(&year, "20266"));
        let boolean = reader(r#"{"name": "b", "type": "boolean"}"#);
        assert!(reads(&boolean, "TRUE") && reads(&boolean, "0") && !reads(&boolean, "sí"));
        let si = reader(
            r#"{"name": "b", "type": "boolean", "trueValues": ["sí"], "falseValues": ["no"]}"#,
        );
        assert!(reads(&si, "sí") && !reads(&si, "true"));
        let point = reader(r#"{"name": "p", "type": "geopoint"}"#);
        assert!(reads(&point, "-101.68, 21.12") && !reads(&point, "200, 10"));
        let duration = reader(r#"{"name": "p", "type": "duration"}"#);
        assert!(reads(&duration, "P1Y2M3DT4H") && reads(&duration, "PT30M"));
        assert!(!reads(&duration, "P") && !reads(&duration, "1 hora") && !reads(&duration, "PT"));
        let email = reader(r#"{"name": "e", "type": "string", "format": "email"}"#);
        assert!(reads(&email, "datos@leon.gob.mx") && !reads(&email, "datos@leon"));
        let object = reader(r#"{"name": "o", "type": "object"}"#);
        assert!(reads(&object, r#"{"a": 1}"#) && !reads(&object, "[1]"));
    }

    #[test]
    fn constraints_break_in_the_types_order_with_frictionless_notes() {
        let r = reader(
            r#"{"name": "s", "type": "string", "constraints":
                {"required": true, "minLength": 2, "pattern": "[A-Z].*", "enum": ["Ana", "Luis"]}}"#,
        );
        let mut out = Vec::new();
        let Cell::Value(value) = r.read(Some("x")) else {
            panic!("a string reads")
        };
        r.broken(Some(&value), &mut out);
        let names: Vec<_> = out.iter().map(|b| b.constraint).collect();
        assert_eq!(names, ["minLength", "pattern", "enum"]);
        assert_eq!(out[2].note, "constraint \"enum\" is \"['Ana', 'Luis']\"");
        out.clear();
        r.broken(None, &mut out);
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].note, "constraint \"required\" is \"True\"");

        let n = reader(
            r#"{"name": "n", "type": "integer", "constraints": {"minimum": 0, "maximum": 10}}"#,
        );
        let mut out = Vec::new();
        for (raw, broken) in [("5", 0), ("-1", 1), ("11", 1), ("0", 0)] {
            out.clear();
            let Cell::Value(value) = n.read(Some(raw)) else {
                panic!("reads")
            };
            n.broken(Some(&value), &mut out);
            assert_eq!(out.len(), broken, "{raw}");
        }
        assert_eq!(n.type_note(), "type is \"integer/default\"");
    }

    #[test]
    fn equal_values_hash_alike() {
        use std::collections::hash_map::DefaultHasher;
        let r = reader(r#"{"name": "n", "type": "integer"}"#);
        let hash = |raw: &str| {
            let mut h = DefaultHasher::new();
            if let Cell::Value(v) = r.read(Some(raw)) {
                v.hash_into(&mut h);
            }
            h.finish()
        };
        assert_eq!(hash("1"), hash("01"));
        assert_ne!(hash("1"), hash("2"));
    }
}
