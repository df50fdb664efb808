//! A municipality's colours, checked against WCAG AA so that a configured palette can never
//! make the interface unreadable.

use crate::ErrorCode;
use crate::ValidationError;

/// An sRGB colour written `#rrggbb`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Colour {
    r: u8,
    g: u8,
    b: u8,
}

/// WCAG 2.x AA minimum for normal text.
pub const AA_NORMAL_TEXT: f64 = 4.5;

impl Colour {
    pub const WHITE: Colour = Colour {
        r: 255,
        g: 255,
        b: 255,
    };

    pub fn parse(raw: &str) -> Result<Colour, ValidationError> {
        let invalid = ValidationError::new("colour", ErrorCode::InvalidColour);
        let hex = raw.trim().strip_prefix('#').ok_or(invalid.clone())?;
        if hex.len() != 6 || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
            return Err(invalid);
        }
        let channel =
            |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).map_err(|_| invalid.clone());
        Ok(Colour {
            r: channel(0)?,
            g: channel(2)?,
            b: channel(4)?,
        })
    }

    /// A colour on which white text meets AA: what the header and buttons use.
    pub fn parse_for_white_text(raw: &str) -> Result<Colour, ValidationError> {
        let colour = Colour::parse(raw)?;
        if colour.contrast_with(Colour::WHITE) < AA_NORMAL_TEXT {
            return Err(ValidationError::new(
                "colour",
                ErrorCode::ColourContrastTooLow,
            ));
        }
        Ok(colour)
    }

    pub fn to_hex(self) -> String {
        format!("#{:02x}{:02x}{:02x}", self.r, self.g, self.b)
    }

    fn relative_luminance(self) -> f64 {
        let linear = |c: u8| {
            let s = f64::from(c) / 255.0;
            if s <= 0.04045 {
                s / 12.92
            } else {
                ((s + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * linear(self.r) + 0.7152 * linear(self.g) + 0.0722 * linear(self.b)
    }

    /// WCAG contrast ratio, from 1 (none) to 21 (black on white).
    pub fn contrast_with(self, other: Colour) -> f64 {
        let (a, b) = (self.relative_luminance(), other.relative_luminance());
        let (hi, lo) = if a > b { (a, b) } else { (b, a) };
        (hi + 0.05) / (lo + 0.05)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_hex_and_refuses_the_rest() {
        assert_eq!(
            Colour::parse("#0b5d3b").map(Colour::to_hex),
            Ok("#0b5d3b".to_owned())
        );
        for bad in ["0b5d3b", "#0b5d3", "#0b5d3bz", "#gggggg", "", "#0b5d3b00"] {
            assert_eq!(
                Colour::parse(bad).map_err(|e| e.code().as_str()),
                Err("invalid_colour"),
                "{bad}"
            );
        }
    }

    #[test]
    fn contrast_matches_wcag_reference_values() {
        let black = Colour { r: 0, g: 0, b: 0 };
        assert!((black.contrast_with(Colour::WHITE) - 21.0).abs() < 0.01);
        // #767676 on white is the classic lightest AA grey (4.54:1).
        let grey = Colour::parse("#767676").unwrap_or(black);
        assert!((grey.contrast_with(Colour::WHITE) - 4.54).abs() < 0.01);
    }

    #[test]
    fn refuses_colours_too_light_for_white_text() {
        assert!(Colour::parse_for_white_text("#0b5d3b").is_ok());
        assert_eq!(
            Colour::parse_for_white_text("#ffcc00").map_err(|e| e.code().as_str()),
            Err("colour_contrast_too_low")
        );
    }
}
