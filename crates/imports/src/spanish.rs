//! The Spanish a file may be written in: each column's Spanish name (`clave` for
//! `external_id`), and the Spanish words for the values of closed vocabularies
//! (`proporción de registros` for `record_ratio`, a work stage's name as the reports write
//! it). Headers are compared without case or accents; the English names stay accepted.

use crate::ImportKind;

/// Each column's internal name and the Spanish name templates use.
const HEADERS: [(&str, &str); 28] = [
    ("external_id", "clave"),
    ("title", "titulo"),
    ("body", "organo"),
    ("period_start", "inicio_del_periodo"),
    ("period_end", "fin_del_periodo"),
    ("approved_in", "sesion_de_aprobacion"),
    ("plan", "plan"),
    ("description", "descripcion"),
    ("unit", "unidad_responsable"),
    ("weight", "ponderacion"),
    ("commitment", "compromiso"),
    ("statement", "meta"),
    ("kind", "tipo_de_indicador"),
    ("target", "valor_meta"),
    ("due_on", "fecha_de_cumplimiento"),
    ("indicator", "indicador"),
    ("numerator", "numerador"),
    ("denominator", "denominador"),
    ("measured_from", "registros_desde"),
    ("measured_to", "registros_hasta"),
    ("window_start", "inicio_de_la_ventana"),
    ("status", "estatus"),
    ("created_on", "fecha_de_creacion"),
    ("concluded_on", "fecha_de_conclusion"),
    ("event", "evento"),
    ("work", "obra"),
    ("stage", "etapa"),
    ("changed_on", "fecha_del_cambio"),
];

/// Columns whose Spanish names are not in [`HEADERS`] because two kinds share them
/// differently: a stage change's `name`, `neighbourhood` and `reason`.
const MORE_HEADERS: [(&str, &str); 3] = [
    ("name", "nombre_de_la_obra"),
    ("neighbourhood", "colonia"),
    ("reason", "motivo"),
];

fn all_headers() -> impl Iterator<Item = &'static (&'static str, &'static str)> {
    HEADERS.iter().chain(MORE_HEADERS.iter())
}

/// Lower case, spaces as `_`, and the accents of Spanish dropped: «Fecha de creación» is
/// `fecha_de_creacion`.
pub(crate) fn fold(text: &str) -> String {
    text.trim()
        .to_lowercase()
        .chars()
        .map(|c| match c {
            'á' | 'à' | 'ä' => 'a',
            'é' | 'è' | 'ë' => 'e',
            'í' | 'ì' | 'ï' => 'i',
            'ó' | 'ò' | 'ö' => 'o',
            'ú' | 'ù' | 'ü' => 'u',
            'ñ' => 'n',
            ' ' | '-' => '_',
            other => other,
        })
        .collect()
}

/// The internal name of a column written in Spanish, if it is one.
pub(crate) fn internal_name(folded: &str) -> Option<&'static str> {
    all_headers()
        .find(|(_, spanish)| *spanish == folded)
        .map(|(english, _)| *english)
}

/// The Spanish name of a column.
pub fn spanish_name(internal: &str) -> &str {
    all_headers()
        .find(|(english, _)| *english == internal)
        .map_or(internal, |(_, spanish)| spanish)
}

/// Names each problem's column as a file written in Spanish named it.
pub(crate) fn rename_fields(problems: &mut [crate::RowProblem]) {
    for problem in problems {
        if let Some(field) = &mut problem.field {
            *field = spanish_name(field).to_owned();
        }
    }
}

/// The value of a closed vocabulary given in Spanish, as its key: the words a person writes
/// (`hito`, «Obra entregada», `en seguimiento`) for `milestone`, `delivered`, `open`.
pub(crate) fn value_key(column: &str, raw: &str) -> Option<&'static str> {
    let folded = fold(raw).replace('_', " ");
    let words: &[(&str, &str)] = match column {
        "kind" => &[
            ("proporcion de registros", "record_ratio"),
            ("conteo de registros", "count"),
            ("hito", "milestone"),
            ("porcentaje manual", "manual_percentage"),
        ],
        "status" => &[("en seguimiento", "open"), ("concluido", "concluded")],
        "stage" => &[
            ("obra ganadora", "winner"),
            ("en elaboracion de proyecto ejecutivo", "executive_project"),
            ("proyecto ejecutivo concluido", "executive_project_done"),
            (
                "en proceso de integracion de presupuesto",
                "budget_integration",
            ),
            ("obra contratada", "contracted"),
            ("en ejecucion", "in_execution"),
            ("obra entregada", "delivered"),
        ],
        _ => &[],
    };
    words
        .iter()
        .find(|(spanish, _)| *spanish == folded)
        .map(|(_, key)| *key)
}

/// The template of a kind of file: its columns in Spanish, required ones first, as the first
/// line of a UTF-8 CSV (with the mark spreadsheets need to read its accents).
pub fn template(kind: ImportKind) -> String {
    let (required, optional) = kind.columns();
    let names: Vec<&str> = required
        .iter()
        .chain(optional)
        .map(|c| spanish_name(c))
        .collect();
    format!("\u{feff}{}\r\n", names.join(","))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spanish_headers_are_read_without_case_or_accents() {
        assert_eq!(
            internal_name(&fold("Fecha de Creación")),
            Some("created_on")
        );
        assert_eq!(internal_name(&fold("CLAVE")), Some("external_id"));
        assert_eq!(internal_name(&fold("external_id")), None);
        assert_eq!(spanish_name("due_on"), "fecha_de_cumplimiento");
    }

    #[test]
    fn spanish_values_name_the_vocabulary_keys() {
        assert_eq!(
            value_key("kind", "Proporción de registros"),
            Some("record_ratio")
        );
        assert_eq!(value_key("stage", "Obra entregada"), Some("delivered"));
        assert_eq!(value_key("status", "en_seguimiento"), Some("open"));
        assert_eq!(value_key("stage", "terminada"), None);
    }

    #[test]
    fn every_column_of_every_kind_has_its_spanish_name_once() {
        let mut seen = std::collections::HashSet::new();
        for (_, spanish) in all_headers() {
            assert!(seen.insert(*spanish), "{spanish} twice");
        }
        for kind in ImportKind::ALL {
            let (required, optional) = kind.columns();
            for column in required.iter().chain(optional) {
                assert!(
                    all_headers().any(|(english, _)| english == column),
                    "{column} has no Spanish name"
                );
            }
            let template = template(kind);
            assert!(template.starts_with('\u{feff}') && template.ends_with("\r\n"));
        }
    }
}
