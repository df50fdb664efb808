//! Instants as the municipality's people write and read them: a call opens "el 1 de marzo a
//! las 9:00" in León, not at a UTC second. Instants are kept in UTC; forms and pages speak the
//! municipality's IANA time zone (America/Mexico_City for León), daylight saving included
//! wherever that zone has it.

use chrono::{DateTime, LocalResult, NaiveDateTime, TimeZone, Utc};
pub use chrono_tz::Tz;

use crate::ErrorCode;
use crate::ValidationError;

/// The zone of an installation whose municipality is not recorded yet: central Mexico's.
pub const DEFAULT_ZONE: Tz = Tz::America__Mexico_City;

/// The municipality's zone; an unknown name is refused.
pub fn parse_zone(name: &str) -> Result<Tz, ValidationError> {
    name.trim()
        .parse::<Tz>()
        .map_err(|_| ValidationError::new("time_zone", ErrorCode::UnknownTimeZone))
}

/// A local date and time as an HTML `datetime-local` input sends it (`2026-03-01T09:00`,
/// seconds optional, a space accepted for the `T`) read in `zone`. A time skipped by a
/// daylight-saving change is refused; a repeated one is the earlier of the two.
pub fn local_to_utc(
    field: &'static str,
    raw: &str,
    zone: Tz,
) -> Result<DateTime<Utc>, ValidationError> {
    let text = raw.trim().replace(' ', "T");
    let naive = NaiveDateTime::parse_from_str(&text, "%Y-%m-%dT%H:%M")
        .or_else(|_| NaiveDateTime::parse_from_str(&text, "%Y-%m-%dT%H:%M:%S"))
        .map_err(|_| ValidationError::new(field, ErrorCode::InvalidLocalDatetime))?;
    match zone.from_local_datetime(&naive) {
        LocalResult::Single(at) => Ok(at.with_timezone(&Utc)),
        LocalResult::Ambiguous(earlier, _) => Ok(earlier.with_timezone(&Utc)),
        LocalResult::None => Err(ValidationError::new(field, ErrorCode::NonexistentLocalTime)),
    }
}

/// The instant in `zone`, as a `datetime-local` input shows it (`2026-03-01T09:00`).
pub fn input_value(at: DateTime<Utc>, zone: Tz) -> String {
    at.with_timezone(&zone).format("%Y-%m-%dT%H:%M").to_string()
}

/// The instant in `zone` for reading: "01/03/2026 09:00".
pub fn display(at: DateTime<Utc>, zone: Tz) -> String {
    at.with_timezone(&zone).format("%d/%m/%Y %H:%M").to_string()
}

/// The instant in `zone` as public pages write it, in the page's language: "1 de marzo de
/// 2026, 09:00 h" or "1 March 2026, 09:00".
pub fn display_long(at: DateTime<Utc>, zone: Tz, lang: crate::lang::Lang) -> String {
    let local = at.with_timezone(&zone);
    let day = crate::dates::long_date(local.date_naive(), lang);
    let time = local.format("%H:%M");
    match lang {
        crate::lang::Lang::Es => format!("{day}, {time} h"),
        crate::lang::Lang::En => format!("{day}, {time}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn zone(name: &str) -> Tz {
        parse_zone(name).unwrap()
    }

    #[test]
    fn public_pages_write_an_instant_in_full_in_their_language() {
        let at = local_to_utc("at", "2026-03-01T09:00", zone("America/Mexico_City")).unwrap();
        let mx = zone("America/Mexico_City");
        assert_eq!(
            display_long(at, mx, crate::lang::Lang::Es),
            "1 de marzo de 2026, 09:00 h"
        );
        assert_eq!(
            display_long(at, mx, crate::lang::Lang::En),
            "1 March 2026, 09:00"
        );
    }

    #[test]
    fn mexico_city_is_six_hours_behind_utc_all_year_since_2022() {
        let leon = zone("America/Mexico_City");
        for (local, utc) in [
            ("2026-03-01T09:00", "2026-03-01T15:00:00Z"),
            ("2026-07-01T09:00", "2026-07-01T15:00:00Z"),
            ("2026-12-31T23:59:59", "2027-01-01T05:59:59Z"),
        ] {
            let at = local_to_utc("opens_at", local, leon).unwrap();
            assert_eq!(at, utc.parse::<DateTime<Utc>>().unwrap(), "{local}");
        }
        // Before 2022 the zone kept summer time: the same wall time was five hours behind.
        let summer_2021 = local_to_utc("opens_at", "2021-07-01 09:00", leon).unwrap();
        assert_eq!(summer_2021.to_rfc3339(), "2021-07-01T14:00:00+00:00");
    }

    #[test]
    fn the_round_trip_through_a_form_keeps_the_minute() {
        let leon = zone("America/Mexico_City");
        let at = local_to_utc("closes_at", "2026-11-30T18:30", leon).unwrap();
        assert_eq!(input_value(at, leon), "2026-11-30T18:30");
        assert_eq!(display(at, leon), "30/11/2026 18:30");
    }

    #[test]
    fn a_skipped_time_is_refused_and_a_repeated_one_is_the_earlier() {
        let tijuana = zone("America/Tijuana");
        let skipped = local_to_utc("opens_at", "2026-03-08T02:30", tijuana).unwrap_err();
        assert_eq!(skipped.code(), "nonexistent_local_time");
        let repeated = local_to_utc("opens_at", "2026-11-01T01:30", tijuana).unwrap();
        assert_eq!(repeated.to_rfc3339(), "2026-11-01T08:30:00+00:00");
    }

    #[test]
    fn malformed_input_and_unknown_zones_are_refused() {
        let leon = zone("America/Mexico_City");
        for raw in [
            "",
            "mañana",
            "2026-02-30T10:00",
            "2026-03-01",
            "2026-03-01T25:00",
        ] {
            let err = local_to_utc("opens_at", raw, leon).unwrap_err();
            assert_eq!(err.code(), "invalid_local_datetime", "{raw:?}");
        }
        assert_eq!(
            parse_zone("America/León").unwrap_err().code(),
            "unknown_time_zone"
        );
        assert_eq!(parse_zone(DEFAULT_ZONE.name()), Ok(DEFAULT_ZONE));
    }
}
