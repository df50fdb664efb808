//! The bylaws (lineamientos) of a body: articles that change only through an amendment
//! approved by a vote in a session, in force from the day after; the consolidated text at any
//! date; and the references between articles ("fracción IX del artículo 17"), which must
//! point at an article and fracción that exist.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;

use crate::findings::{Finding, FindingKind};
use crate::ids::{AgendaItemId, AmendmentId, BodyId};
use crate::ErrorCode;
use crate::ValidationError;

/// One text of one article, in force from a date until the next version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ArticleVersion {
    /// The article's number: the 25 of "Artículo 25".
    pub article: i64,
    pub text: String,
    pub in_force_from: NaiveDate,
    /// The amendment that gave it this text; `None` for the text as first adopted.
    pub amendment: Option<AmendmentId>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AmendmentStatus {
    Proposed,
    Approved,
    Rejected,
}

impl AmendmentStatus {
    pub fn key(self) -> &'static str {
        match self {
            AmendmentStatus::Proposed => "proposed",
            AmendmentStatus::Approved => "approved",
            AmendmentStatus::Rejected => "rejected",
        }
    }

    pub fn parse(raw: &str) -> Result<AmendmentStatus, ValidationError> {
        match raw {
            "proposed" => Ok(AmendmentStatus::Proposed),
            "approved" => Ok(AmendmentStatus::Approved),
            "rejected" => Ok(AmendmentStatus::Rejected),
            _ => Err(ValidationError::new(
                "status",
                ErrorCode::InvalidAmendmentStatus,
            )),
        }
    }
}

/// A proposal of new text for one or more articles.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Amendment {
    pub id: AmendmentId,
    pub body: BodyId,
    pub title: String,
    /// The agenda item (type proposal) whose vote decides it.
    pub item: Option<AgendaItemId>,
    pub status: AmendmentStatus,
    pub approved_on: Option<NaiveDate>,
    pub in_force_from: Option<NaiveDate>,
    pub changes: Vec<ArticleChange>,
}

/// The new text an amendment gives an article.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ArticleChange {
    pub article: i64,
    pub text: String,
}

/// The bylaws enter into force the day after their approval (transitorio primero).
pub fn in_force_from(approved_on: NaiveDate) -> NaiveDate {
    approved_on.succ_opt().unwrap_or(approved_on)
}

/// Checks a proposed change: a positive article number and some text.
pub fn check_change(change: &ArticleChange) -> Result<(), ValidationError> {
    if change.article < 1 {
        return Err(ValidationError::new("article", ErrorCode::InvalidArticle));
    }
    if change.text.trim().is_empty() {
        return Err(ValidationError::new("text", ErrorCode::TextRequired));
    }
    Ok(())
}

/// The text of every article in force on `at`.
pub fn consolidated(versions: &[ArticleVersion], at: NaiveDate) -> BTreeMap<i64, &ArticleVersion> {
    let mut current: BTreeMap<i64, &ArticleVersion> = BTreeMap::new();
    for version in versions.iter().filter(|v| v.in_force_from <= at) {
        let newer = current
            .get(&version.article)
            .is_none_or(|c| c.in_force_from <= version.in_force_from);
        if newer {
            current.insert(version.article, version);
        }
    }
    current
}

/// The fracciones of an article: lines that open with a Roman numeral and a period ("IX.").
pub fn fracciones(text: &str) -> Vec<String> {
    text.lines()
        .filter_map(|line| {
            let (numeral, _) = line.trim_start().split_once('.')?;
            is_roman(numeral).then(|| numeral.to_owned())
        })
        .collect()
}

fn is_roman(word: &str) -> bool {
    !word.is_empty() && word.chars().all(|c| "IVXLC".contains(c))
}

/// The words that qualify a cited párrafo ("párrafo segundo").
const ORDINALS: [&str; 11] = [
    "primero", "segundo", "tercero", "cuarto", "quinto", "sexto", "séptimo", "octavo", "noveno",
    "décimo", "único",
];

/// A reference from one text to an article, and perhaps one of its fracciones.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Reference {
    pub article: i64,
    pub fraccion: Option<String>,
}

/// The references a text makes: "fracción IX del artículo 17", "artículo 4 fracción II",
/// "artículos 7 párrafo segundo y 8 párrafo quinto".
pub fn references(text: &str) -> Vec<Reference> {
    let words: Vec<String> = text
        .split_whitespace()
        .map(|w| {
            w.trim_matches(|c: char| !c.is_alphanumeric())
                .to_lowercase()
        })
        .collect();
    let number = |i: usize| words.get(i).and_then(|w| w.parse::<i64>().ok());
    let roman_at = |i: usize| {
        words
            .get(i)
            .map(|w| w.to_uppercase())
            .filter(|w| is_roman(w))
    };
    let mut found = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let word = words[i].as_str();
        if word == "fracción" {
            // "fracción IX del artículo 17"
            if let (Some(fraccion), Some("del"), Some("artículo"), Some(article)) = (
                roman_at(i + 1),
                words.get(i + 2).map(String::as_str),
                words.get(i + 3).map(String::as_str),
                number(i + 4),
            ) {
                found.push(Reference {
                    article,
                    fraccion: Some(fraccion),
                });
                i += 5;
                continue;
            }
        }
        if word == "artículo" || word == "artículos" {
            let mut j = i + 1;
            // Every number in the list: "artículos 7 párrafo segundo y 8 párrafo quinto".
            while j < words.len() {
                if let Some(article) = number(j) {
                    let fraccion = (words.get(j + 1).map(String::as_str) == Some("fracción"))
                        .then(|| roman_at(j + 2))
                        .flatten();
                    found.push(Reference { article, fraccion });
                    j += 1;
                } else if matches!(words[j].as_str(), "y" | "párrafo" | "fracción")
                    || ORDINALS.contains(&words[j].as_str())
                    || is_roman(&words[j].to_uppercase())
                {
                    j += 1;
                } else {
                    break;
                }
                if word == "artículo" && j > i + 3 {
                    break;
                }
            }
            i = j.max(i + 1);
            continue;
        }
        i += 1;
    }
    found
}

/// References in `text` (cited as `source`) to an article or fracción that `articles` lacks.
pub fn broken_references(
    source: &str,
    text: &str,
    articles: &BTreeMap<i64, &ArticleVersion>,
) -> Vec<Finding> {
    references(text)
        .into_iter()
        .filter(|r| match articles.get(&r.article) {
            None => true,
            Some(version) => r
                .fraccion
                .as_ref()
                .is_some_and(|f| !fracciones(&version.text).contains(f)),
        })
        .map(|r| Finding {
            kind: FindingKind::BrokenReference,
            item: Some(source.to_owned()),
            detail: match r.fraccion {
                Some(f) => format!("fracción {f} del artículo {}", r.article),
                None => format!("artículo {}", r.article),
            },
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    fn version(article: i64, text: &str, from: NaiveDate) -> ArticleVersion {
        ArticleVersion {
            article,
            text: text.into(),
            in_force_from: from,
            amendment: None,
        }
    }

    #[test]
    fn an_amendment_is_in_force_the_day_after_approval() {
        assert_eq!(in_force_from(day(2024, 9, 13)), day(2024, 9, 14));
        assert_eq!(in_force_from(day(2024, 12, 31)), day(2025, 1, 1));
    }

    #[test]
    fn the_consolidated_text_depends_on_the_date() {
        let versions = vec![
            version(4, "dos años", day(2022, 1, 1)),
            version(25, "artículo 18", day(2022, 1, 1)),
            version(25, "artículo 17", day(2024, 9, 14)),
        ];
        let before = consolidated(&versions, day(2024, 9, 13));
        assert_eq!(before[&25].text, "artículo 18");
        let after = consolidated(&versions, day(2024, 9, 14));
        assert_eq!(after[&25].text, "artículo 17");
        assert_eq!(after[&4].text, "dos años");
        assert!(consolidated(&versions, day(2021, 1, 1)).is_empty());
    }

    #[test]
    fn references_are_read_in_the_bylaws_style() {
        assert_eq!(
            references(
                "la atribución señalada en la fracción IX del artículo 17 de estos Lineamientos."
            ),
            vec![Reference {
                article: 17,
                fraccion: Some("IX".into())
            }]
        );
        assert_eq!(
            references("en términos de los artículos 4 fracción II y 5 párrafo tercero"),
            vec![
                Reference {
                    article: 4,
                    fraccion: Some("II".into())
                },
                Reference {
                    article: 5,
                    fraccion: None
                },
            ]
        );
        assert_eq!(
            references("según lo establecido en el artículo 4 fracción I de los Lineamientos"),
            vec![Reference {
                article: 4,
                fraccion: Some("I".into())
            }]
        );
        assert!(references("sin referencias").is_empty());
    }

    #[test]
    fn a_reference_to_a_missing_article_or_fraccion_is_a_finding() {
        let versions = vec![
            version(
                17,
                "Son atribuciones:\nI. Sesionar.\nII. Aprobar.",
                day(2022, 1, 1),
            ),
            version(25, "fracción IX del artículo 17", day(2022, 1, 1)),
        ];
        let articles = consolidated(&versions, day(2024, 1, 1));
        let found = broken_references("artículo 25", &articles[&25].text, &articles);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].detail, "fracción IX del artículo 17");
        assert_eq!(found[0].item.as_deref(), Some("artículo 25"));
        assert!(broken_references("x", "fracción II del artículo 17", &articles).is_empty());
        assert_eq!(
            broken_references("x", "artículo 30", &articles)[0].detail,
            "artículo 30"
        );
        assert_eq!(
            fracciones("Son:\nI. Uno.\n  II. Dos.\nTexto."),
            vec!["I", "II"]
        );
    }

    #[test]
    fn a_change_needs_an_article_and_text() {
        let ok = ArticleChange {
            article: 4,
            text: "texto".into(),
        };
        assert_eq!(check_change(&ok), Ok(()));
        let empty = ArticleChange {
            article: 4,
            text: " ".into(),
        };
        assert_eq!(
            check_change(&empty).map_err(|e| e.code().as_str()),
            Err("text_required")
        );
        let zero = ArticleChange {
            article: 0,
            text: "x".into(),
        };
        assert_eq!(
            check_change(&zero).map_err(|e| e.code().as_str()),
            Err("invalid_article")
        );
        assert_eq!(
            AmendmentStatus::parse("approved"),
            Ok(AmendmentStatus::Approved)
        );
    }
}
