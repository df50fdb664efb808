//! Small rules of Spanish official prose used by the documents.

/// "la" or "el", for a person or a cargo of that grammatical gender.
pub fn article(feminine: bool) -> &'static str {
    if feminine {
        "la"
    } else {
        "el"
    }
}

/// "a" + "el" → "al", "de" + "el" → "del", as Spanish requires before a masculine noun phrase.
pub fn contract(preposition: &str, phrase: &str) -> String {
    match phrase.strip_prefix("el ") {
        Some(rest) if preposition == "a" => format!("al {rest}"),
        Some(rest) if preposition == "de" => format!("del {rest}"),
        _ => format!("{preposition} {phrase}"),
    }
}

/// "los artículos 4 fracción II y 5" or "el artículo 4 fracción I", after "en".
pub fn with_article(grounds: &str) -> String {
    if grounds.starts_with("artículos") {
        format!("los {grounds}")
    } else {
        format!("el {grounds}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contracts_before_masculine_phrases() {
        assert_eq!(contract("a", "el quinto informe"), "al quinto informe");
        assert_eq!(contract("de", "el Lic. Allan"), "del Lic. Allan");
        assert_eq!(contract("de", "la Mtra. María"), "de la Mtra. María");
        assert_eq!(contract("a", "los resultados"), "a los resultados");
        assert_eq!(
            with_article("artículos 4 fracción II y 5"),
            "los artículos 4 fracción II y 5"
        );
        assert_eq!(
            with_article("artículo 4 fracción I"),
            "el artículo 4 fracción I"
        );
        assert_eq!(article(true), "la");
    }
}
