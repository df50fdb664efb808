//! The municipality an installation serves, and the records that describe its people and units.

use crate::branding::Colour;
use crate::ids::UnitId;
use crate::local_time::Tz;

/// The municipality this installation runs for (one per installation).
#[derive(Debug, Clone, PartialEq)]
pub struct Municipality {
    /// Short name used in headings, e.g. "León".
    pub name: String,
    /// The state it belongs to, e.g. "Guanajuato".
    pub state: String,
    /// Name used in official texts, e.g. "Municipio de León, Guanajuato".
    pub official_name: String,
    /// The IANA time zone its dates and deadlines are read in, e.g. `America/Mexico_City`.
    pub time_zone: Tz,
    /// Header and button colour; white text on it meets WCAG AA.
    pub primary_colour: Colour,
    /// Accent colour for links and focus rings on white; meets WCAG AA on white.
    pub accent_colour: Colour,
}

/// An administrative unit (dirección, unidad) that can be responsible for commitments.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct Unit {
    pub id: UnitId,
    pub name: String,
}

impl Unit {
    /// Whether `name` names this unit. One rule for every place a unit is named by hand (a
    /// form, an imported row, the command line): surrounding spaces and letter case — accented
    /// letters included — do not count.
    pub fn is_named(&self, name: &str) -> bool {
        same_name(&self.name, name)
    }

    /// The unit among `units` that `name` names.
    pub fn find_named<'a>(units: &'a [Unit], name: &str) -> Option<&'a Unit> {
        units.iter().find(|u| u.is_named(name))
    }
}

/// Whether two names are the same, regardless of letter case and surrounding spaces.
pub fn same_name(a: &str, b: &str) -> bool {
    a.trim().to_lowercase() == b.trim().to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit(name: &str) -> Unit {
        Unit {
            id: UnitId::new(1),
            name: name.into(),
        }
    }

    #[test]
    fn a_unit_is_named_regardless_of_letter_case_and_spaces_but_not_of_accents() {
        let u = unit("Dirección de Economía");
        assert!(u.is_named("Dirección de Economía"));
        assert!(u.is_named("  DIRECCIÓN DE ECONOMÍA "));
        assert!(!u.is_named("Direccion de Economia"));
        assert!(!u.is_named("Dirección"));
    }

    #[test]
    fn find_named_picks_the_unit_or_none() {
        let units = [unit("Tesorería"), unit("Contraloría")];
        assert_eq!(
            Unit::find_named(&units, "contraloría").map(|u| &u.name),
            Some(&units[1].name)
        );
        assert!(Unit::find_named(&units, "Obras").is_none());
    }
}
