//! Word-level differences between an article's current text and the text an amendment
//! proposes, for the side-by-side "Quedando:" view.

use serde::Serialize;
use similar::{ChangeTag, TextDiff};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Mark {
    Same,
    Removed,
    Added,
}

/// A run of text and whether it is kept, removed or added.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Piece {
    pub mark: Mark,
    pub text: String,
}

/// The old text (kept and removed pieces) and the new text (kept and added pieces).
pub fn side_by_side(old: &str, new: &str) -> (Vec<Piece>, Vec<Piece>) {
    let diff = TextDiff::from_words(old, new);
    let (mut left, mut right) = (Vec::new(), Vec::new());
    for change in diff.iter_all_changes() {
        let text = change.value().to_owned();
        match change.tag() {
            ChangeTag::Equal => {
                push(&mut left, Mark::Same, &text);
                push(&mut right, Mark::Same, &text);
            }
            ChangeTag::Delete => push(&mut left, Mark::Removed, &text),
            ChangeTag::Insert => push(&mut right, Mark::Added, &text),
        }
    }
    (left, right)
}

/// Appends, merging with the previous piece when it has the same mark.
fn push(pieces: &mut Vec<Piece>, mark: Mark, text: &str) {
    match pieces.last_mut() {
        Some(last) if last.mark == mark => last.text.push_str(text),
        _ => pieces.push(Piece {
            mark,
            text: text.to_owned(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(pieces: &[Piece]) -> String {
        pieces
            .iter()
            .map(|p| match p.mark {
                Mark::Same => p.text.clone(),
                Mark::Removed => format!("[-{}-]", p.text),
                Mark::Added => format!("{{+{}+}}", p.text),
            })
            .collect()
    }

    #[test]
    fn marks_the_changed_words_on_each_side() {
        let (old, new) = side_by_side(
            "la fracción IX del artículo 18 de estos Lineamientos.",
            "la fracción IX del artículo 17 de estos Lineamientos.",
        );
        assert_eq!(
            render(&old),
            "la fracción IX del artículo [-18-] de estos Lineamientos."
        );
        assert_eq!(
            render(&new),
            "la fracción IX del artículo {+17+} de estos Lineamientos."
        );
        let (old, new) = side_by_side("igual", "igual");
        assert_eq!(
            (render(&old), render(&new)),
            ("igual".into(), "igual".into())
        );
    }
}
