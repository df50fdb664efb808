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
