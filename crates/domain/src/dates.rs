//! Dates as the secretariat's documents write them in Spanish — «13 de septiembre de 2024»,
//! «julio» — as the English pages write them (“13 September 2024”), and as forms and files
//! give them (`2024-09-13`). The one place month names are written.

use chrono::{Datelike, NaiveDate};

use crate::lang::Lang;
use crate::ErrorCode;
use crate::ValidationError;

const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

const MONTHS_ES: [&str; 12] = [
    "enero",
    "febrero",
    "marzo",
    "abril",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "septiembre",
    "octubre",
    "noviembre",
    "diciembre",
];

/// "julio", the month's Spanish name in lower case (1 = enero); empty outside 1–12.
pub fn month_name_es(month: u32) -> &'static str {
    month
        .checked_sub(1)
        .and_then(|i| MONTHS_ES.get(i as usize))
        .copied()
        .unwrap_or_default()
}

/// "13 de septiembre de 2024", as the minutes write dates.
pub fn long_date_es(day: NaiveDate) -> String {
    format!(
        "{} de {} de {}",
        day.day(),
        month_name_es(day.month()),
        day.year()
    )
}

/// "septiembre de 2024", as the calendar heads a month.
pub fn month_of_year_es(day: NaiveDate) -> String {
    format!("{} de {}", month_name_es(day.month()), day.year())
}

/// The month's name in `lang`: "julio" (lower case, as Spanish writes it) or "July".
pub fn month_name(month: u32, lang: Lang) -> &'static str {
    match lang {
        Lang::Es => month_name_es(month),
        Lang::En => month
            .checked_sub(1)
            .and_then(|i| MONTHS_EN.get(i as usize))
            .copied()
            .unwrap_or_default(),
    }
}

/// The long date of a page in `lang`: "13 de septiembre de 2024", "13 September 2024".
pub fn long_date(day: NaiveDate, lang: Lang) -> String {
    match lang {
        Lang::Es => long_date_es(day),
        Lang::En => format!(
            "{} {} {}",
            day.day(),
            month_name(day.month(), lang),
            day.year()
        ),
    }
}

/// A month of a year in `lang`: "septiembre de 2024", "September 2024".
pub fn month_of_year(day: NaiveDate, lang: Lang) -> String {
    match lang {
        Lang::Es => month_of_year_es(day),
        Lang::En => format!("{} {}", month_name(day.month(), lang), day.year()),
    }
}

/// A date written "2024-09-13".
pub fn parse_date(raw: &str) -> Result<NaiveDate, ValidationError> {
    NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d")
        .map_err(|_| ValidationError::new("date", ErrorCode::InvalidDate))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn months_are_named_in_spanish_from_enero_to_diciembre() {
        assert_eq!(month_name_es(1), "enero");
        assert_eq!(month_name_es(9), "septiembre");
        assert_eq!(month_name_es(12), "diciembre");
        assert_eq!(month_name_es(0), "");
        assert_eq!(month_name_es(13), "");
    }

    #[test]
    fn dates_read_as_the_documents_write_them() {
        assert_eq!(long_date_es(day(2024, 9, 13)), "13 de septiembre de 2024");
        assert_eq!(long_date_es(day(2025, 1, 1)), "1 de enero de 2025");
        assert_eq!(month_of_year_es(day(2024, 7, 31)), "julio de 2024");
    }

    #[test]
    fn english_pages_write_the_long_date_their_way() {
        assert_eq!(long_date(day(2024, 9, 13), Lang::En), "13 September 2024");
        assert_eq!(
            long_date(day(2024, 9, 13), Lang::Es),
            "13 de septiembre de 2024"
        );
        assert_eq!(month_of_year(day(2024, 7, 31), Lang::En), "July 2024");
        assert_eq!(month_name(12, Lang::En), "December");
        assert_eq!(month_name(13, Lang::En), "");
    }

    #[test]
    fn a_date_is_read_only_as_yyyy_mm_dd() {
        assert_eq!(parse_date(" 2024-09-13 "), Ok(day(2024, 9, 13)));
        for bad in ["13/09/2024", "2024-02-30", "", "2024-9"] {
            assert_eq!(parse_date(bad).unwrap_err().code(), "invalid_date", "{bad}");
        }
    }
}
