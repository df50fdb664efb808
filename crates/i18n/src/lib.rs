//! abierto's interface texts, Spanish (es-MX) first and English complete, read from the TOML
//! catalogs in `locales/` and compiled into the binary. The web pages, the API's error
//! messages and the documents and datasets the platform writes in Spanish all take their
//! words from here, so an official term is written once. A missing English text falls back to
//! Spanish, and a missing key shows itself rather than an empty string.

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
    use abierto_domain::ErrorCode;
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

    /// Every file under `dir` (a folder of the workspace's crates), at any depth.
    fn files_under(dir: &str) -> Vec<std::path::PathBuf> {
        let mut found = Vec::new();
        let mut pending = vec![std::path::PathBuf::from(format!(
            "{}/../{dir}",
            env!("CARGO_MANIFEST_DIR")
        ))];
        while let Some(dir) = pending.pop() {
            let Ok(entries) = std::fs::read_dir(&dir) else {
                continue;
            };
            for entry in entries.flatten() {
                let path = entry.path();
                if path.is_dir() {
                    pending.push(path);
                } else {
                    found.push(path);
                }
            }
        }
        found
    }

    #[test]
    fn every_key_used_by_templates_and_code_exists() {
        let i18n = catalogs();
        let mut missing = Vec::new();
        let files = ["web/templates", "web/src", "app/src"]
            .into_iter()
            .flat_map(files_under);
        for path in files {
            let text = std::fs::read_to_string(&path).unwrap_or_default();
            for marker in ["t(\"", "text_key: \""] {
                for (at, _) in text.match_indices(marker) {
                    // `t(` itself, not the end of `get(` or `fmt(`.
                    let whole_word = text[..at]
                        .chars()
                        .next_back()
                        .is_none_or(|c| !c.is_alphanumeric() && c != '_');
                    let rest = &text[at + marker.len()..];
                    let key = rest.split('"').next().unwrap_or_default();
                    if whole_word && key.contains('.') && !key.contains('{') && !i18n.has(key) {
                        missing.push(format!("{}: {key}", path.display()));
                    }
                }
            }
        }
        assert!(missing.is_empty(), "keys without a text: {missing:?}");
    }

    /// Every stable error code (the one `ErrorCode` enum) has its Spanish and its English
    /// message, and the catalogs word no code the enum lacks.
    #[test]
    fn every_error_code_has_its_two_messages() {
        let i18n = catalogs();
        let mut missing = Vec::new();
        for code in ErrorCode::ALL {
            let key = code.message_key();
            for (lang, catalog) in [("es", &i18n.es), ("en", &i18n.en)] {
                if catalog.get(&key).is_none_or(|text| text.trim().is_empty()) {
                    missing.push(format!("{lang}: {key}"));
                }
            }
        }
        assert!(missing.is_empty(), "codes without a message: {missing:?}");

        // Texts of the error page itself, not codes.
        let page_texts = ["title", "not_found_title", "back_home", "conflict_email"];
        let stray: Vec<&String> = i18n
            .es
            .keys()
            .chain(i18n.en.keys())
            .filter_map(|key| key.strip_prefix("error.").map(|code| (key, code)))
            .filter(|(_, code)| !page_texts.contains(code) && ErrorCode::parse(code).is_none())
            .map(|(key, _)| key)
            .collect();
        assert!(stray.is_empty(), "messages for no code: {stray:?}");
    }

    #[test]
    fn falls_back_to_spanish_then_to_the_key() {
        let i18n = catalogs();
        assert_eq!(i18n.text(Lang::Es, "nav.plan"), "Plan de Acción");
        assert_eq!(i18n.text(Lang::En, "nav.plan"), "Action Plan");
        assert_eq!(i18n.text(Lang::En, "no.such.key"), "no.such.key");
    }
}
