//! Findings: inconsistencies in a session's record and its acta that a reader should see.
//! New records are refused before they could create one; historical records, loaded as they
//! were written, show them instead.

use chrono::NaiveDate;
use serde::Serialize;

use crate::sessions::roman;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum FindingKind {
    /// An acta approved in a session held before the session it records.
    MinutesApprovedBeforeSession,
    /// A person's name written differently from their registered name.
    NameWrittenTwoWays,
    /// Someone on the hoja de firmas who is not on the attendance list.
    SignerNotPresent,
    /// The minutes say "se anexa …" but no file is attached to the item.
    AnnexMissing,
    /// A bylaws reference to an article or fracción that does not exist.
    BrokenReference,
}

impl FindingKind {
    pub fn key(self) -> &'static str {
        match self {
            FindingKind::MinutesApprovedBeforeSession => "minutes_approved_before_session",
            FindingKind::NameWrittenTwoWays => "name_written_two_ways",
            FindingKind::SignerNotPresent => "signer_not_present",
            FindingKind::AnnexMissing => "annex_missing",
            FindingKind::BrokenReference => "broken_reference",
        }
    }
}

/// One inconsistency, with the values that show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Finding {
    pub kind: FindingKind,
    /// The agenda item it concerns ("III"), when it concerns one.
    pub item: Option<String>,
    /// The facts, as recorded: names, dates, the annex announced.
    pub detail: String,
}

/// An approval of an acta: the session that voted it (date) and the session it records (date).
#[derive(Debug, Clone)]
pub struct ApprovalFact {
    /// Agenda position of the approving item.
    pub position: i64,
    pub approved_on: NaiveDate,
    pub title_of: String,
    pub held_on: NaiveDate,
}

pub fn approvals_before_session(approvals: &[ApprovalFact]) -> Vec<Finding> {
    approvals
        .iter()
        .filter(|a| a.approved_on <= a.held_on)
        .map(|a| Finding {
            kind: FindingKind::MinutesApprovedBeforeSession,
            item: Some(roman(a.position)),
            detail: format!(
                "{} ({}) aprobada el {}",
                a.title_of,
                a.held_on.format("%Y-%m-%d"),
                a.approved_on.format("%Y-%m-%d")
            ),
        })
        .collect()
}

/// Registered names and how the record wrote them: `(registered, written)`.
pub fn names_written_two_ways(names: &[(String, String)]) -> Vec<Finding> {
    names
        .iter()
        .filter(|(registered, written)| normalise(registered) != normalise(written))
        .map(|(registered, written)| Finding {
            kind: FindingKind::NameWrittenTwoWays,
            item: None,
            detail: format!("«{written}» / «{registered}»"),
        })
        .collect()
}

/// Signers by name, each with whether they are on the attendance list.
pub fn signers_not_present(signers: &[(String, bool)]) -> Vec<Finding> {
    signers
        .iter()
        .filter(|(_, present)| !present)
        .map(|(name, _)| Finding {
            kind: FindingKind::SignerNotPresent,
            item: None,
            detail: name.clone(),
        })
        .collect()
}

/// Items by position, with what the minutes say is annexed and how many files are attached.
pub fn annexes_missing(items: &[(i64, String, usize)]) -> Vec<Finding> {
    items
        .iter()
        .filter(|(_, note, attached)| !note.trim().is_empty() && *attached == 0)
        .map(|(position, note, _)| Finding {
            kind: FindingKind::AnnexMissing,
            item: Some(roman(*position)),
            detail: note.clone(),
        })
        .collect()
}

/// Case, accents aside, spacing and the final period do not make two names different.
fn normalise(name: &str) -> String {
    name.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .trim_end_matches('.')
        .to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2024, m, d).unwrap_or_default()
    }

    #[test]
    fn an_acta_approved_before_its_session_is_found() {
        let found = approvals_before_session(&[
            ApprovalFact {
                position: 3,
                approved_on: day(9, 13),
                title_of: "3ª Sesión Ordinaria".into(),
                held_on: day(10, 3),
            },
            ApprovalFact {
                position: 3,
                approved_on: day(8, 15),
                title_of: "2ª Sesión Ordinaria".into(),
                held_on: day(6, 21),
            },
        ]);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].item.as_deref(), Some("III"));
        assert!(found[0].detail.contains("2024-10-03"));
        assert!(found[0].detail.contains("2024-09-13"));
    }

    #[test]
    fn a_name_written_two_ways_is_found_but_not_spacing() {
        let found = names_written_two_ways(&[
            (
                "María de la Luz Hernández Martínez".into(),
                "María de Luz Hernández Martínez".into(),
            ),
            (
                "Alma Delia López Orozco".into(),
                "Alma Delia  López Orozco.".into(),
            ),
        ]);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].kind, FindingKind::NameWrittenTwoWays);
        assert!(found[0].detail.contains("María de Luz"));
    }

    #[test]
    fn absent_signers_and_missing_annexes_are_found() {
        let found = signers_not_present(&[
            ("Carlos de Jesús Torres Barrientos".into(), false),
            ("Alma Delia López Orozco".into(), true),
        ]);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].detail, "Carlos de Jesús Torres Barrientos");
        let found = annexes_missing(&[
            (4, "propuesta de modificación".into(), 0),
            (5, "informe de actividades".into(), 1),
            (6, String::new(), 0),
        ]);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].item.as_deref(), Some("IV"));
        assert_eq!(found[0].kind.key(), "annex_missing");
    }
}
