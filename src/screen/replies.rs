//! The terminal's answers to a program's queries: what tmux answers, for a
//! pane of the pane's size and the scene's colours.
//!
//! In: a [`Query`] found in the output ([`crate::screen::modes`]) and the
//! screen as it stands right after the bytes before it. Out: the bytes the
//! terminal sends back, which the director writes to the program.

use crate::asciicast::Theme;

/// A question a program asks its terminal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Query {
    /// DSR, `CSI 5n`: is the terminal well?
    Status,
    /// CPR, `CSI 6n` (`private`: DECXCPR, `CSI ?6n`): where is the cursor?
    Cursor { private: bool },
    /// DA1, `CSI c`: which features?
    Primary,
    /// DA2, `CSI > c`: which terminal and version?
    Secondary,
    /// XTVERSION, `CSI > q`: the terminal's name and version.
    Version,
    /// `CSI 18t`: the text area's size in characters.
    Size,
    /// DECRQM, `CSI ? Ps $ p` (`private`) or `CSI Ps $ p`: is mode `Ps`
    /// set? tmux 3.3 does not answer; a program that waits for the answer
    /// (vim, as it exits) would wait on a timer whose length depends on
    /// the wall clock. The answer is "not recognised", which is true of
    /// the modes a pane keeps no state for and harmless for the others.
    Mode { private: bool, mode: u16 },
    /// `OSC 10;?` (`which` 10, the foreground) or `OSC 11;?` (11, the
    /// background), ended by BEL (`bel`) or ST; the answer ends the same way.
    Colour { which: u8, bel: bool },
}

/// An RGB colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rgb(pub u8, pub u8, pub u8);

impl Rgb {
    /// A `#rrggbb` colour.
    pub fn parse(text: &str) -> Option<Self> {
        let hex = text.strip_prefix('#').filter(|h| h.len() == 6 && h.is_ascii())?;
        let byte = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).ok();
        Some(Self(byte(0)?, byte(2)?, byte(4)?))
    }
}

/// The default foreground and background a pane reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Colours {
    pub fg: Rgb,
    pub bg: Rgb,
}

impl Default for Colours {
    /// The player's own default theme's, in which a cast without a theme
    /// is shown.
    fn default() -> Self {
        Self {
            fg: Rgb(0xcc, 0xcc, 0xcc),
            bg: Rgb(0x12, 0x13, 0x14),
        }
    }
}

impl Colours {
    /// A scene's theme's colours; the defaults where it has none (or a
    /// colour does not parse, which validation rules out).
    pub fn of(theme: Option<&Theme>) -> Self {
        let default = Self::default();
        let Some(theme) = theme else { return default };
        Self {
            fg: Rgb::parse(&theme.fg).unwrap_or(default.fg),
            bg: Rgb::parse(&theme.bg).unwrap_or(default.bg),
        }
    }
}

/// The screen's facts an answer depends on.
pub struct Facts {
    /// The cursor, 0-based `(row, col)` as vt100 gives it.
    pub cursor: (u16, u16),
    /// `(rows, cols)`.
    pub size: (u16, u16),
}

/// Appends the answer to `query` to `out`, as tmux words it.
pub fn answer(query: Query, facts: &Facts, colours: &Colours, out: &mut Vec<u8>) {
    use std::io::Write;
    let (rows, cols) = facts.size;
    // After printing in the last column the cursor stands one past it, in
    // vt100 as in tmux, which reports it there.
    let (row, col) = (facts.cursor.0 + 1, facts.cursor.1 + 1);
    let _ = match query {
        Query::Status => write!(out, "\x1b[0n"),
        Query::Cursor { private: false } => write!(out, "\x1b[{row};{col}R"),
        Query::Cursor { private: true } => write!(out, "\x1b[?{row};{col}R"),
        Query::Primary => write!(out, "\x1b[?1;2c"),
        Query::Secondary => write!(out, "\x1b[>84;0;0c"),
        Query::Version => write!(out, "\x1bP>|director {}\x1b\\", env!("CARGO_PKG_VERSION")),
        Query::Size => write!(out, "\x1b[8;{rows};{cols}t"),
        Query::Mode { private, mode } => write!(out, "\x1b[{}{mode};0$y", if private { "?" } else { "" }),
        Query::Colour { which, bel } => {
            let Rgb(r, g, b) = if which == 10 { colours.fg } else { colours.bg };
            let end = if bel { "\x07" } else { "\x1b\\" };
            write!(
                out,
                "\x1b]{which};rgb:{r:02x}{r:02x}/{g:02x}{g:02x}/{b:02x}{b:02x}{end}"
            )
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colours_come_from_the_theme_or_the_players_defaults() {
        let theme = Theme {
            fg: "#17a88b".into(),
            bg: "#1e2229".into(),
            palette: String::new(),
        };
        let facts = Facts {
            cursor: (0, 0),
            size: (24, 80),
        };
        let mut out = Vec::new();
        answer(
            Query::Colour { which: 11, bel: false },
            &facts,
            &Colours::of(Some(&theme)),
            &mut out,
        );
        assert_eq!(out, b"\x1b]11;rgb:1e1e/2222/2929\x1b\\");
        out.clear();
        answer(
            Query::Colour { which: 10, bel: true },
            &facts,
            &Colours::of(None),
            &mut out,
        );
        assert_eq!(out, b"\x1b]10;rgb:cccc/cccc/cccc\x07");
    }
}
