//! Interface texts, Spanish first and English available, read from the TOML catalogs in
//! `locales/` (compiled into the binary). A missing English text falls back to Spanish.

use std::collections::HashMap;

use abierto_domain::lang::Lang;

#[derive(Debug, thiserror::Error)]
#[error("locale catalog {lang} is not valid TOML: {source}")]
pub struct CatalogError {
    lang: &'static str,
    #[source]
    source: toml::de::Error,
}

pub struct I18n {
    es: HashMap<String, String>,
    en: HashMap<String, String>,
}

const ES: &str = include_str!("../locales/es.toml");
const EN: &str = include_str!("../locales/en.toml");

impl I18n {
    pub fn load() -> Result<I18n, CatalogError> {
        Ok(I18n {
            es: parse("es", ES)?,
            en: parse("en", EN)?,
        })
    }

    /// The text for `key` in `lang`; the Spanish text when English lacks it; the key itself
    /// (visible, so a missing text is noticed) when both lack it.
    pub fn text<'a>(&'a self, lang: Lang, key: &'a str) -> &'a str {
        let catalog = match lang {
            Lang::Es => &self.es,
            Lang::En => &self.en,
        };
        catalog
            .get(key)
            .or_else(|| self.es.get(key))
            .map(String::as_str)
            .unwrap_or(key)
    }

    pub fn has(&self, key: &str) -> bool {
        self.es.contains_key(key)
    }
}

fn parse(lang: &'static str, source: &str) -> Result<HashMap<String, String>, CatalogError> {
    let table: toml::Table =
        toml::from_str(source).map_err(|source| CatalogError { lang, source })?;
    let mut flat = HashMap::new();
    flatten("", &table, &mut flat);
    Ok(flat)
}

fn flatten(prefix: &str, table: &toml::Table, out: &mut HashMap<String, String>) {
    for (key, value) in table {
        let full = if prefix.is_empty() {
            key.clone()
        } else {
            format!("{prefix}.{key}")
        };
        match value {
            toml::Value::Table(inner) => flatten(&full, inner, out),
            toml::Value::String(text) => {
                out.insert(full, text.clone());
            }
            other => {
                out.insert(full, other.to_string());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    fn catalogs() -> I18n {
        I18n::load().expect("catalogs parse")
    }

    #[test]
    fn both_catalogs_have_the_same_keys() {
        let i18n = catalogs();
        let es: BTreeSet<_> = i18n.es.keys().collect();
        let en: BTreeSet<_> = i18n.en.keys().collect();
        assert_eq!(
            es.difference(&en).collect::<Vec<_>>(),
            Vec::<&&String>::new(),
            "missing in en.toml"
        );
        assert_eq!(
            en.difference(&es).collect::<Vec<_>>(),
            Vec::<&&String>::new(),
            "missing in es.toml"
        );
    }

    #[test]
    fn every_key_used_by_templates_and_code_exists() {
        let i18n = catalogs();
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/");
        let mut missing = Vec::new();
        for dir in ["templates", "src", "src/pages", "src/api", "src/workflows"] {
            let Ok(entries) = std::fs::read_dir(format!("{root}{dir}")) else {
                continue;
            };
            for entry in entries.flatten() {
                let text = std::fs::read_to_string(entry.path()).unwrap_or_default();
                for marker in ["t(\"", "text_key: \""] {
                    for piece in text.split(marker).skip(1) {
                        let key = piece.split('"').next().unwrap_or_default();
                        if key.contains('.') && !key.contains('{') && !i18n.has(key) {
                            missing.push(format!("{}: {key}", entry.path().display()));
                        }
                    }
                }
            }
        }
        assert!(missing.is_empty(), "keys without a text: {missing:?}");
    }

    /// Every stable error code raised by the domain, the store or this crate has a message.
    #[test]
    fn every_error_code_has_a_message() {
        let i18n = catalogs();
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
        let mut missing = Vec::new();
        for dir in [
            "domain/src",
            "store/src",
            "web/src",
            "web/src/api",
            "web/src/workflows",
            "imports/src",
        ] {
            let Ok(entries) = std::fs::read_dir(format!("{root}/{dir}")) else {
                continue;
            };
            for entry in entries.flatten() {
                let text = std::fs::read_to_string(entry.path()).unwrap_or_default();
                let compact: String = text.split_whitespace().collect();
                for marker in [
                    "ValidationError::new(",
                    "refuse(",
                    "refused(",
                    "RowProblem::at(",
                ] {
                    for piece in compact.split(marker).skip(1) {
                        let args = piece
                            .split(')')
                            .next()
                            .unwrap_or_default()
                            .trim_end_matches(',');
                        let Some(code) = args.rsplit(',').next() else {
                            continue;
                        };
                        let quoted = code.starts_with('"');
                        let code = code.trim_matches('"');
                        let is_code = quoted
                            && !code.is_empty()
                            && code.chars().all(|c| c.is_ascii_lowercase() || c == '_');
                        if is_code && !i18n.has(&format!("error.{code}")) {
                            missing.push(format!("{}: {code}", entry.path().display()));
                        }
                    }
                }
            }
        }
        assert!(missing.is_empty(), "codes without a message: {missing:?}");
    }

    #[test]
    fn falls_back_to_spanish_then_to_the_key() {
        let i18n = catalogs();
        assert_eq!(i18n.text(Lang::Es, "nav.plan"), "Plan de Acción");
        assert_eq!(i18n.text(Lang::En, "nav.plan"), "Action Plan");
        assert_eq!(i18n.text(Lang::En, "no.such.key"), "no.such.key");
    }
}
