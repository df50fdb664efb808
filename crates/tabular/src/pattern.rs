//! The `pattern` constraint: a cell must match the field's regular expression as a whole.
//! Most patterns in data schemas are small, so they are compiled once into a DFA that is
//! walked byte by byte, a table lookup each, with no search set-up per cell; a pattern whose
//! DFA would be large, or that needs what a DFA cannot do, is matched by the regex engine.

use regex::Regex;
use regex_automata::dfa::{dense, Automaton, StartKind};
use regex_automata::util::primitives::StateID;
use regex_automata::util::start;
use regex_automata::Anchored;

/// The most memory a pattern's DFA may take; each checking thread holds a copy.
const DFA_LIMIT: usize = 256 * 1024;

#[derive(Debug, Clone)]
pub(crate) struct WholeMatch {
    regex: Regex,
    /// The DFA and its state at the start of a cell, when the pattern compiles to one.
    dfa: Option<(dense::DFA<Vec<u32>>, StateID)>,
}

impl WholeMatch {
    pub fn new(pattern: &str) -> Result<WholeMatch, regex::Error> {
        let whole = format!("^(?:{pattern})$");
        let regex = Regex::new(&whole)?;
        let dfa = dense::Builder::new()
            .configure(
                dense::Config::new()
                    .start_kind(StartKind::Anchored)
                    .dfa_size_limit(Some(DFA_LIMIT))
                    .determinize_size_limit(Some(DFA_LIMIT)),
            )
            .build(&whole)
            .ok()
            .and_then(|dfa| {
                let start = dfa
                    .start_state(&start::Config::new().anchored(Anchored::Yes))
                    .ok()?;
                Some((dfa, start))
            });
        Ok(WholeMatch { regex, dfa })
    }

    pub fn is_match(&self, text: &str) -> bool {
        let Some((dfa, start)) = &self.dfa else {
            return self.regex.is_match(text);
        };
        let mut state = *start;
        for byte in text.as_bytes() {
            state = dfa.next_state(state, *byte);
            if dfa.is_special_state(state) {
                if dfa.is_dead_state(state) {
                    return false;
                }
                if dfa.is_quit_state(state) {
                    return self.regex.is_match(text);
                }
            }
        }
        dfa.is_match_state(dfa.next_eoi_state(state))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_as_the_regex_engine_does() {
        let patterns = [
            r"[a-z0-9._-]+@[a-z0-9.-]+\.[a-z]{2,}",
            r"\d{5}",
            r"[A-Z]{4}\d{6}[HM][A-Z]{5}[0-9A-Z]\d",
            r"\w+( \w+)*",
            r"a|ab|abc",
            r"(\d+\.)?\d+",
            // Unicode word boundaries: no DFA, the regex engine answers.
            r"\bLeón\b.*",
            "",
        ];
        let cells = [
            "",
            "ana@leon.gob.mx",
            "ana@leon.gob.m",
            "Ana@leon.gob.mx",
            "37000",
            "370000",
            "GOLA800101HGTNPR09",
            "León Guanajuato",
            "León ",
            "ab",
            "abcd",
            "3.14",
            "3.",
            "niño",
        ];
        for pattern in patterns {
            let whole = WholeMatch::new(pattern).expect("compiles");
            let regex = Regex::new(&format!("^(?:{pattern})$")).expect("compiles");
            for cell in cells {
                assert_eq!(
                    whole.is_match(cell),
                    regex.is_match(cell),
                    "{pattern:?} on {cell:?}"
                );
            }
        }
        assert!(WholeMatch::new(r"[a-z0-9._-]+@[a-z0-9.-]+\.[a-z]{2,}")
            .expect("compiles")
            .dfa
            .is_some());
        assert!(WholeMatch::new(r"\bLeón\b.*")
            .expect("compiles")
            .dfa
            .is_none());
        assert!(WholeMatch::new("(unclosed").is_err());
    }
}
