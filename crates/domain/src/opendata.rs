//! The municipal open-data portal's vocabulary: publishers (dependencias) and their datasets
//! (conjuntos de datos) with the metadata DCAT and CKAN expect, the resources a dataset
//! offers, and the steps a resource's version takes from upload to publication.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::account::Email;
use crate::ErrorCode;
use crate::ValidationError;

/// A CKAN name: what a dataset or publisher is called in URLs and in the Action API.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(transparent)]
pub struct Slug(String);

impl Slug {
    /// Lower-case letters, digits, `-` and `_`, 2 to 100 characters, as CKAN requires.
    pub fn parse(raw: &str) -> Result<Slug, ValidationError> {
        let value = raw.trim();
        let ok = (2..=100).contains(&value.len())
            && value
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_');
        if ok {
            Ok(Slug(value.to_owned()))
        } else {
            Err(ValidationError::new("name", ErrorCode::InvalidSlug))
        }
    }

    /// A slug made from a title: accents dropped, spaces and punctuation as `-`.
    pub fn from_title(title: &str) -> Slug {
        let mut out = String::new();
        for c in fold(title).chars() {
            let plain = if c.is_ascii_alphanumeric() { c } else { '-' };
            if plain != '-' || !out.ends_with('-') {
                out.push(plain);
            }
        }
        let mut trimmed: String = out.trim_matches('-').chars().take(100).collect();
        while trimmed.len() < 2 {
            trimmed.push('x');
        }
        Slug(trimmed.trim_end_matches('-').to_owned())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Lower case without Spanish accents, so `informacion` finds «Información».
pub fn fold(text: &str) -> String {
    text.to_lowercase()
        .chars()
        .map(|c| match c {
            'á' | 'à' | 'ä' | 'â' => 'a',
            'é' | 'è' | 'ë' | 'ê' => 'e',
            'í' | 'ì' | 'ï' | 'î' => 'i',
            'ó' | 'ò' | 'ö' | 'ô' => 'o',
            'ú' | 'ù' | 'ü' | 'û' => 'u',
            'ñ' => 'n',
            c => c,
        })
        .collect()
}

/// The EU data themes DCAT-AP uses (the portal's facet "tema").
pub const THEMES: [&str; 13] = [
    "GOVE", "SOCI", "EDUC", "HEAL", "ENVI", "TRAN", "ECON", "JUST", "REGI", "AGRI", "ENER", "TECH",
    "INTR",
];

/// The licenses a dataset may carry; CC-BY-4.0 unless the publisher chooses otherwise.
/// The most columns a table may have: the datastore keeps each as a column of a database
/// table, and PostgreSQL allows 1,600 (SQLite 2,000), a few of which the datastore needs.
pub const MAX_TABLE_COLUMNS: usize = 1500;

pub const LICENSES: [&str; 4] = ["CC-BY-4.0", "CC-BY-SA-4.0", "CC0-1.0", "ODbL-1.0"];

/// A licence's canonical address, as DCAT and schema.org link it.
pub fn license_url(license: &str) -> &'static str {
    match license {
        "CC-BY-SA-4.0" => "https://creativecommons.org/licenses/by-sa/4.0/",
        "CC0-1.0" => "https://creativecommons.org/publicdomain/zero/1.0/",
        "ODbL-1.0" => "https://opendatacommons.org/licenses/odbl/1-0/",
        _ => "https://creativecommons.org/licenses/by/4.0/",
    }
}

/// Update frequencies (periodicidad), from the EU frequency vocabulary.
pub const FREQUENCIES: [&str; 8] = [
    "DAILY",
    "WEEKLY",
    "MONTHLY",
    "QUARTERLY",
    "ANNUAL",
    "IRREG",
    "UPDATE_CONT",
    "NEVER",
];

/// What describes a dataset, checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct DatasetMetadata {
    pub title: String,
    pub description: String,
    pub keywords: Vec<String>,
    /// One of [`THEMES`].
    pub theme: String,
    /// One of [`LICENSES`].
    pub license: String,
    /// One of [`FREQUENCIES`].
    pub frequency: String,
    pub temporal_start: Option<NaiveDate>,
    pub temporal_end: Option<NaiveDate>,
    pub spatial: String,
    /// An office's name and mailbox (never a citizen's).
    pub contact_name: String,
    pub contact_email: String,
}

impl DatasetMetadata {
    /// Checks every part: a title, known theme, license and frequency, a coverage that does not
    /// end before it starts, a contact mailbox, and at most 20 keywords of up to 60 characters.
    pub fn check(mut self) -> Result<DatasetMetadata, ValidationError> {
        self.title = self.title.trim().to_owned();
        self.description = self.description.trim().to_owned();
        self.spatial = self.spatial.trim().to_owned();
        self.contact_name = self.contact_name.trim().to_owned();
        if self.title.is_empty() || self.title.chars().count() > 200 {
            return Err(ValidationError::new("title", ErrorCode::InvalidTitle));
        }
        if self.description.chars().count() > 10_000 {
            return Err(ValidationError::new("description", ErrorCode::TextTooLong));
        }
        let mut keywords: Vec<String> = Vec::new();
        for keyword in &self.keywords {
            let keyword = keyword.trim().to_lowercase();
            if keyword.is_empty() || keywords.contains(&keyword) {
                continue;
            }
            if keyword.chars().count() > 60 {
                return Err(ValidationError::new("keywords", ErrorCode::InvalidKeyword));
            }
            keywords.push(keyword);
        }
        if keywords.len() > 20 {
            return Err(ValidationError::new("keywords", ErrorCode::TooManyKeywords));
        }
        self.keywords = keywords;
        if !THEMES.contains(&self.theme.as_str()) {
            return Err(ValidationError::new("theme", ErrorCode::UnknownTheme));
        }
        if !LICENSES.contains(&self.license.as_str()) {
            return Err(ValidationError::new("license", ErrorCode::UnknownLicense));
        }
        if !FREQUENCIES.contains(&self.frequency.as_str()) {
            return Err(ValidationError::new(
                "frequency",
                ErrorCode::UnknownFrequency,
            ));
        }
        if let (Some(start), Some(end)) = (self.temporal_start, self.temporal_end) {
            if end < start {
                return Err(ValidationError::new(
                    "temporal_end",
                    ErrorCode::CoverageEndsBeforeStart,
                ));
            }
        }
        if self.contact_name.is_empty() || self.contact_name.chars().count() > 200 {
            return Err(ValidationError::new(
                "contact_name",
                ErrorCode::InvalidContact,
            ));
        }
        self.contact_email = Email::parse(&self.contact_email)
            .map_err(|_| ValidationError::new("contact_email", ErrorCode::InvalidEmail))?
            .as_str()
            .to_owned();
        if self.spatial.chars().count() > 200 {
            return Err(ValidationError::new("spatial", ErrorCode::TextTooLong));
        }
        Ok(self)
    }
}

/// The kinds of file a resource holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum ResourceFormat {
    Csv,
    Xlsx,
    Json,
}

impl ResourceFormat {
    pub const ALL: [ResourceFormat; 3] = [
        ResourceFormat::Csv,
        ResourceFormat::Xlsx,
        ResourceFormat::Json,
    ];

    pub fn key(self) -> &'static str {
        match self {
            ResourceFormat::Csv => "csv",
            ResourceFormat::Xlsx => "xlsx",
            ResourceFormat::Json => "json",
        }
    }

    /// As CKAN and DCAT show it.
    pub fn label(self) -> &'static str {
        match self {
            ResourceFormat::Csv => "CSV",
            ResourceFormat::Xlsx => "XLSX",
            ResourceFormat::Json => "JSON",
        }
    }

    pub fn media_type(self) -> &'static str {
        match self {
            ResourceFormat::Csv => "text/csv",
            ResourceFormat::Xlsx => {
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
            ResourceFormat::Json => "application/json",
        }
    }

    pub fn parse(raw: &str) -> Result<ResourceFormat, ValidationError> {
        let raw = raw.trim().to_ascii_lowercase();
        ResourceFormat::ALL
            .into_iter()
            .find(|f| f.key() == raw)
            .ok_or(ValidationError::new("format", ErrorCode::UnknownFormat))
    }

    /// The format a file's name says.
    pub fn from_file_name(name: &str) -> Result<ResourceFormat, ValidationError> {
        let extension = name.rsplit_once('.').map(|(_, e)| e).unwrap_or_default();
        ResourceFormat::parse(extension)
            .map_err(|_| ValidationError::new("file", ErrorCode::UnsupportedDataFile))
    }
}

/// Checks an uploaded data file: a name, some bytes, no more than `max_bytes`, and a format
/// abierto can check: CSV, XLSX or JSON (`unsupported_data_file` for anything else). Gives
/// the format and the name without any folder, quotes or control characters.
pub fn check_data_file(
    filename: &str,
    content_len: usize,
    max_bytes: usize,
) -> Result<(ResourceFormat, String), ValidationError> {
    let name = crate::annexes::clean_filename(filename);
    if name.is_empty() {
        return Err(ValidationError::new("file", ErrorCode::DataFileMissing));
    }
    if content_len == 0 {
        return Err(ValidationError::new("file", ErrorCode::DataFileEmpty));
    }
    if content_len > max_bytes {
        return Err(ValidationError::new("file", ErrorCode::DataFileTooLarge));
    }
    let format = ResourceFormat::from_file_name(&name.to_ascii_lowercase())?;
    Ok((format, name))
}

/// Where a resource's version stands. A new version walks the same steps while the published
/// one stays online; publishing it supersedes the one before.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum VersionStatus {
    /// Uploaded; not checked yet.
    Draft,
    /// Being checked against its schema.
    Validating,
    /// Checked: findings to fix (hallazgos por corregir).
    Findings,
    /// Checked: no findings; waits for a data officer.
    Valid,
    /// Approved by a data officer; publication follows.
    Approved,
    /// Online: downloadable and loaded into the datastore.
    Published,
    /// Was published; a later version replaced it.
    Superseded,
}

impl VersionStatus {
    pub const ALL: [VersionStatus; 7] = [
        VersionStatus::Draft,
        VersionStatus::Validating,
        VersionStatus::Findings,
        VersionStatus::Valid,
        VersionStatus::Approved,
        VersionStatus::Published,
        VersionStatus::Superseded,
    ];

    pub fn key(self) -> &'static str {
        match self {
            VersionStatus::Draft => "draft",
            VersionStatus::Validating => "validating",
            VersionStatus::Findings => "findings",
            VersionStatus::Valid => "valid",
            VersionStatus::Approved => "approved",
            VersionStatus::Published => "published",
            VersionStatus::Superseded => "superseded",
        }
    }

    pub fn parse(raw: &str) -> Result<VersionStatus, ValidationError> {
        VersionStatus::ALL
            .into_iter()
            .find(|s| s.key() == raw)
            .ok_or(ValidationError::new("status", ErrorCode::InvalidStatus))
    }

    /// The publisher may still change the file's schema (which checks it again).
    pub fn is_editable(self) -> bool {
        matches!(
            self,
            VersionStatus::Draft | VersionStatus::Findings | VersionStatus::Valid
        )
    }

    /// Checks the step from `self` to `next`.
    pub fn step_to(self, next: VersionStatus) -> Result<VersionStatus, ValidationError> {
        use VersionStatus::*;
        let allowed = matches!(
            (self, next),
            (Draft | Findings | Valid, Validating)
                | (Validating, Findings | Valid)
                | (Valid, Approved)
                | (Approved, Published)
                | (Published, Superseded)
        );
        if allowed {
            Ok(next)
        } else {
            Err(ValidationError::new(
                "status",
                ErrorCode::VersionStepNotAllowed,
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_data_file_needs_a_name_bytes_a_known_format_and_to_fit_the_limit() {
        use super::{check_data_file, ResourceFormat};
        let code = |r: Result<_, crate::ValidationError>| r.map_err(|e| e.code().as_str());
        assert_eq!(
            code(check_data_file("C:\\datos\\Visitas.CSV", 10, 100)),
            Ok((ResourceFormat::Csv, "Visitas.CSV".to_owned()))
        );
        assert_eq!(code(check_data_file("", 10, 100)), Err("data_file_missing"));
        assert_eq!(
            code(check_data_file("a.csv", 0, 100)),
            Err("data_file_empty")
        );
        assert_eq!(
            code(check_data_file("a.csv", 101, 100)),
            Err("data_file_too_large")
        );
        assert_eq!(
            code(check_data_file("a.pdf", 10, 100)),
            Err("unsupported_data_file")
        );
        assert_eq!(
            code(check_data_file("Apoyos.xlsx", 10, 100)),
            Ok((ResourceFormat::Xlsx, "Apoyos.xlsx".to_owned()))
        );
        assert_eq!(
            code(check_data_file("apoyos.JSON", 10, 100)),
            Ok((ResourceFormat::Json, "apoyos.JSON".to_owned()))
        );
    }

    use super::*;

    fn metadata() -> DatasetMetadata {
        DatasetMetadata {
            title: " Visitas a centros comunitarios ".into(),
            description: "Visitas registradas por centro y mes.".into(),
            keywords: vec![
                "Centros".into(),
                "centros".into(),
                " ".into(),
                "visitas".into(),
            ],
            theme: "SOCI".into(),
            license: "CC-BY-4.0".into(),
            frequency: "MONTHLY".into(),
            temporal_start: NaiveDate::from_ymd_opt(2025, 1, 1),
            temporal_end: NaiveDate::from_ymd_opt(2025, 12, 31),
            spatial: "León, Guanajuato".into(),
            contact_name: "Unidad de Transparencia".into(),
            contact_email: "Transparencia@Leon.gob.mx".into(),
        }
    }

    #[test]
    fn metadata_is_trimmed_and_keywords_deduplicated() {
        let checked = metadata().check().expect("valid");
        assert_eq!(checked.title, "Visitas a centros comunitarios");
        assert_eq!(checked.keywords, vec!["centros", "visitas"]);
        assert_eq!(checked.contact_email, "transparencia@leon.gob.mx");
    }

    #[test]
    fn metadata_refuses_each_bad_part() {
        type Change = Box<dyn Fn(&mut DatasetMetadata)>;
        let cases: Vec<(Change, &str)> = vec![
            (Box::new(|m| m.title = "  ".into()), "invalid_title"),
            (Box::new(|m| m.theme = "DEPORTE".into()), "unknown_theme"),
            (Box::new(|m| m.license = "MIT".into()), "unknown_license"),
            (
                Box::new(|m| m.frequency = "a veces".into()),
                "unknown_frequency",
            ),
            (
                Box::new(|m| m.temporal_end = NaiveDate::from_ymd_opt(2024, 1, 1)),
                "coverage_ends_before_start",
            ),
            (
                Box::new(|m| m.contact_email = "nadie".into()),
                "invalid_email",
            ),
            (
                Box::new(|m| m.keywords = (0..21).map(|i| format!("k{i}")).collect()),
                "too_many_keywords",
            ),
        ];
        for (change, code) in cases {
            let mut m = metadata();
            change(&mut m);
            assert_eq!(m.check().expect_err(code).code(), code);
        }
    }

    #[test]
    fn slugs_follow_ckan() {
        assert!(Slug::parse("visitas-centros_2025").is_ok());
        for bad in ["a", "Visitas", "con espacio", "ñandú", &"x".repeat(101)] {
            assert!(Slug::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(
            Slug::from_title("Acuerdos de «Mi Barrio Habla», 2025").as_str(),
            "acuerdos-de-mi-barrio-habla-2025"
        );
    }

    #[test]
    fn versions_walk_the_workflow_only_forward() {
        use VersionStatus::*;
        assert!(Draft.step_to(Validating).is_ok());
        assert!(Validating.step_to(Valid).is_ok());
        assert!(Valid.step_to(Approved).is_ok());
        assert!(Approved.step_to(Published).is_ok());
        assert!(Findings.step_to(Approved).is_err());
        assert!(Published.step_to(Validating).is_err());
        assert!(Draft.step_to(Published).is_err());
    }
}
