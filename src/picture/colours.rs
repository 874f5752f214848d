//! The colours a picture is drawn in: a theme's (the cast's, a preset's or
//! asciinema's defaults) resolved to RGB, and each cell's pen in them.
//!
//! SVG and raster draw the same pen for the same cell: inverse swaps the
//! colours, dim mixes the text colour 60% into the background, and a space
//! that is not underlined has no text colour at all ([`Pen::is_blank_ink`]).

use crate::asciicast::Theme;
use crate::screen::style::{Color, Style};

/// A colour as red, green and blue.
pub type Rgb = [u8; 3];

/// asciinema's default colours (the `asciinema` preset): what a cast
/// without a theme plays in.
const DEFAULT_THEME: (&str, &str, &str) = (
    "#cccccc",
    "#121314",
    "#000000:#dd3c69:#4ebf22:#ddaf3c:#26b0d7:#b954e1:#54e1b9:#d9d9d9:\
     #4d4d4d:#dd3c69:#4ebf22:#ddaf3c:#26b0d7:#b954e1:#54e1b9:#ffffff",
);

/// A theme's colours.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Colours {
    pub fg: Rgb,
    pub bg: Rgb,
    pub palette: [Rgb; 16],
}

/// `#rrggbb` as RGB.
pub fn parse_hex(text: &str) -> Option<Rgb> {
    let hex = text.strip_prefix('#').filter(|h| h.len() == 6 && h.is_ascii())?;
    let byte = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).ok();
    Some([byte(0)?, byte(2)?, byte(4)?])
}

/// RGB as `#rrggbb`.
pub fn hex([r, g, b]: Rgb) -> String {
    format!("#{r:02x}{g:02x}{b:02x}")
}

impl Default for Colours {
    fn default() -> Self {
        let (fg, bg, palette) = DEFAULT_THEME;
        Self::of_theme(&Theme {
            fg: fg.into(),
            bg: bg.into(),
            palette: palette.into(),
        })
    }
}

impl Colours {
    /// A theme's colours; a colour that is not `#rrggbb` keeps asciinema's
    /// default, and an 8-colour palette repeats for the bright colours.
    pub fn of_theme(theme: &Theme) -> Self {
        let defaults = (DEFAULT_THEME.0, DEFAULT_THEME.1, DEFAULT_THEME.2.split(':'));
        let fallback = |c: &str| parse_hex(c).unwrap_or([0, 0, 0]);
        let mut palette: [Rgb; 16] = [[0; 3]; 16];
        for (slot, c) in palette.iter_mut().zip(defaults.2) {
            *slot = fallback(c);
        }
        let given: Vec<&str> = theme.palette.split(':').collect();
        for (i, c) in given.iter().enumerate().take(16) {
            if let Some(rgb) = parse_hex(c) {
                palette[i] = rgb;
                if given.len() == 8 {
                    palette[i + 8] = rgb;
                }
            }
        }
        Self {
            fg: parse_hex(&theme.fg).unwrap_or_else(|| fallback(defaults.0)),
            bg: parse_hex(&theme.bg).unwrap_or_else(|| fallback(defaults.1)),
            palette,
        }
    }

    /// The colour `c`; `default` for the terminal's default colour.
    pub fn colour(&self, c: Color, default: Rgb) -> Rgb {
        match c {
            Color::Default => default,
            Color::Idx(i) if i < 16 => self.palette[usize::from(i)],
            Color::Idx(i) if i < 232 => {
                // The 6x6x6 cube.
                let i = i - 16;
                let level = |v: u8| if v == 0 { 0 } else { 55 + 40 * v };
                [level(i / 36), level(i / 6 % 6), level(i % 6)]
            }
            Color::Idx(i) => {
                let v = 8 + 10 * (i - 232);
                [v, v, v]
            }
            Color::Rgb(r, g, b) => [r, g, b],
        }
    }

    /// What a cell in `style` is drawn with.
    pub fn pen(&self, style: &Style) -> Pen {
        let (mut fg, mut bg) = (self.colour(style.fg, self.fg), self.colour(style.bg, self.bg));
        if style.inverse {
            std::mem::swap(&mut fg, &mut bg);
        }
        if style.dim {
            fg = mix(fg, bg, 0.6);
        }
        Pen {
            fg,
            bg,
            bold: style.bold,
            italic: style.italic,
            underline: style.underline,
        }
    }
}

/// `a` weighted `w` against `b`.
pub fn mix(a: Rgb, b: Rgb, w: f64) -> Rgb {
    let m = |x: u8, y: u8| (f64::from(x) * w + f64::from(y) * (1.0 - w)).round() as u8;
    [m(a[0], b[0]), m(a[1], b[1]), m(a[2], b[2])]
}

/// A cell as drawn: its colours after inverse and dim, and its text's
/// attributes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Pen {
    pub fg: Rgb,
    pub bg: Rgb,
    pub bold: bool,
    pub italic: bool,
    pub underline: bool,
}

impl Pen {
    /// Whether the character `ch` in this pen leaves no ink: a space (or
    /// nothing) without an underline.
    pub fn is_blank_ink(&self, ch: char) -> bool {
        (ch == ' ' || ch == super::grid::CONTINUATION) && !self.underline
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn themes_resolve_with_defaults_for_what_they_lack() {
        let eight = Colours::of_theme(&Theme {
            fg: "#17a88b".into(),
            bg: "nope".into(),
            palette: ["#010203"; 8].join(":"),
        });
        assert_eq!(eight.fg, [0x17, 0xa8, 0x8b]);
        assert_eq!(eight.bg, Colours::default().bg);
        assert_eq!(eight.palette[9], [1, 2, 3], "bright colours repeat an 8-colour palette");
        let c = Colours::default();
        assert_eq!(c.colour(Color::Idx(196), c.fg), [255, 0, 0]);
        assert_eq!(c.colour(Color::Idx(232), c.fg), [8, 8, 8]);
        assert_eq!(hex(c.colour(Color::Rgb(1, 2, 255), c.fg)), "#0102ff");
    }

    #[test]
    fn pens_fold_inverse_and_dim() {
        let c = Colours::default();
        let inverse = c.pen(&Style {
            inverse: true,
            ..Style::default()
        });
        assert_eq!((inverse.fg, inverse.bg), (c.bg, c.fg));
        let dim = c.pen(&Style {
            dim: true,
            fg: Color::Rgb(200, 0, 0),
            bg: Color::Rgb(0, 0, 100),
            ..Style::default()
        });
        assert_eq!(dim.fg, [120, 0, 40]);
        assert!(dim.is_blank_ink(' ') && !dim.is_blank_ink('x'));
    }
}
