//! Text attributes: parsing the scene's style names and writing SGR sequences.

use std::fmt::Write as _;

/// A colour as the emulator reports it.
pub use vt100::Color;

/// The attributes of one cell (what an SGR sequence sets).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Style {
    pub fg: Color,
    pub bg: Color,
    pub bold: bool,
    pub dim: bool,
    pub italic: bool,
    pub underline: bool,
    pub inverse: bool,
}

impl Style {
    /// The attributes of an emulator cell. An erased cell (nothing
    /// written in it) has the background it was erased with and nothing
    /// else, as in tmux and xterm: the emulator keeps the whole pen, so a
    /// line erased while underline or inverse was on would show a bar.
    pub fn of_cell(cell: &vt100::Cell) -> Self {
        if !cell.has_contents() {
            return Self {
                bg: cell.bgcolor(),
                ..Self::default()
            };
        }
        Self {
            fg: cell.fgcolor(),
            bg: cell.bgcolor(),
            bold: cell.bold(),
            dim: cell.dim(),
            italic: cell.italic(),
            underline: cell.underline(),
            inverse: cell.inverse(),
        }
    }

    /// Parses a style such as `"bold green"`, `"black on green"`,
    /// `"underline #17a88b"` or `"none"`.
    pub fn parse(text: &str) -> Result<Self, String> {
        let mut style = Self::default();
        let mut words = text.split_whitespace().peekable();
        while let Some(word) = words.next() {
            match word {
                "none" | "plain" => {}
                "bold" => style.bold = true,
                "dim" => style.dim = true,
                "italic" => style.italic = true,
                "underline" => style.underline = true,
                "inverse" | "reverse" => style.inverse = true,
                "on" => {
                    let bg = words.next().ok_or("\"on\" must be followed by a colour")?;
                    style.bg = parse_color(bg)?;
                }
                colour => style.fg = parse_color(colour)?,
            }
        }
        Ok(style)
    }

    /// Writes the SGR sequence that sets exactly these attributes, starting
    /// from a reset so the result does not depend on what came before.
    pub fn write_sgr(&self, out: &mut String) {
        out.push_str("\x1b[0");
        for (on, code) in [
            (self.bold, ";1"),
            (self.dim, ";2"),
            (self.italic, ";3"),
            (self.underline, ";4"),
            (self.inverse, ";7"),
        ] {
            if on {
                out.push_str(code);
            }
        }
        write_color(out, self.fg, 30, 90, 38);
        write_color(out, self.bg, 40, 100, 48);
        out.push('m');
    }

    /// The SGR sequence as a new string.
    pub fn sgr(&self) -> String {
        let mut s = String::new();
        self.write_sgr(&mut s);
        s
    }
}

fn write_color(out: &mut String, color: Color, base: u8, bright: u8, extended: u8) {
    // Writing to a String cannot fail.
    let _ = match color {
        Color::Default => Ok(()),
        Color::Idx(i) if i < 8 => write!(out, ";{}", base + i),
        Color::Idx(i) if i < 16 => write!(out, ";{}", bright + i - 8),
        Color::Idx(i) => write!(out, ";{extended};5;{i}"),
        Color::Rgb(r, g, b) => write!(out, ";{extended};2;{r};{g};{b}"),
    };
}

const NAMES: [&str; 8] = ["black", "red", "green", "yellow", "blue", "magenta", "cyan", "white"];

fn parse_color(word: &str) -> Result<Color, String> {
    if let Some(i) = NAMES.iter().position(|n| *n == word) {
        return Ok(Color::Idx(i as u8));
    }
    if let Some(i) = word
        .strip_prefix("bright-")
        .and_then(|name| NAMES.iter().position(|n| *n == name))
    {
        return Ok(Color::Idx(i as u8 + 8));
    }
    if let Some(hex) = word.strip_prefix('#')
        && hex.len() == 6
        && hex.bytes().all(|b| b.is_ascii_hexdigit())
    {
        let byte = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).unwrap_or(0);
        return Ok(Color::Rgb(byte(0), byte(2), byte(4)));
    }
    if let Ok(i) = word.parse::<u8>() {
        return Ok(Color::Idx(i));
    }
    Err(format!(
        "unknown style word \"{word}\": expected bold, dim, italic, underline, inverse, none, \"on COLOUR\", \
         or a colour (black, red, green, yellow, blue, magenta, cyan, white, bright-NAME, 0-255, #rrggbb)"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_words_and_colours() {
        let s = Style::parse("bold green").unwrap();
        assert!(s.bold && !s.dim);
        assert_eq!(s.fg, Color::Idx(2));
        let s = Style::parse("black on green").unwrap();
        assert_eq!((s.fg, s.bg), (Color::Idx(0), Color::Idx(2)));
        assert_eq!(Style::parse("#17a88b").unwrap().fg, Color::Rgb(0x17, 0xa8, 0x8b));
        assert_eq!(Style::parse("bright-blue on 200").unwrap().bg, Color::Idx(200));
        assert_eq!(Style::parse("none").unwrap(), Style::default());
        assert!(Style::parse("blod").unwrap_err().contains("\"blod\""));
        assert!(Style::parse("red on").is_err());
    }

    #[test]
    fn sgr_round_trips_through_the_emulator() {
        for text in [
            "bold green",
            "black on green",
            "italic underline #102030 on bright-cyan",
            "inverse 123 on 7",
            "dim",
        ] {
            let style = Style::parse(text).unwrap();
            let mut p = vt100::Parser::new(2.try_into().unwrap(), 4.try_into().unwrap(), 0);
            p.process(format!("\x1b[1;31m{}x", style.sgr()).as_bytes());
            assert_eq!(Style::of_cell(p.screen().cell(0, 0).unwrap()), style, "{text}");
        }
    }
}
