//! A static SVG of a terminal screen, in a cast's theme colours: one
//! `<text>` per row (its text content is exactly the row), a `<tspan>` per
//! run of cells in the same style, a `<rect>` behind each coloured run.
//!
//! In: a screen (`director render` replays a cast into an emulator and
//! passes its frame), the cast's theme and title. Out: the SVG document as
//! a string; writing it is the caller's job. Drawing does no IO and cannot
//! fail.
//!
//! The document is well-formed XML whatever the cast holds: every text and
//! attribute value from the cast goes through `escape`, which also stands
//! in U+FFFD for the characters XML does not allow.

use std::fmt::Write as _;

use crate::asciicast::Theme;
use crate::screen::style::{Color, Style};

/// A cell's width in SVG units, for a [`FONT_SIZE`] monospace font.
const CELL_W: f64 = 8.4;
/// A cell's height (a row's) in SVG units.
const CELL_H: f64 = 17.0;
/// The font size in SVG units.
const FONT_SIZE: f64 = 14.0;
/// The margin around the screen in SVG units.
const PAD: f64 = 12.0;

/// The text colour when the cast has no theme (asciinema's default).
const DEFAULT_FG: &str = "#cccccc";
/// The background when the cast has no theme (asciinema's default).
const DEFAULT_BG: &str = "#121314";
/// The 16 colours when the cast has no theme (asciinema's defaults).
const DEFAULT_PALETTE: [&str; 16] = [
    "#000000", "#dd3c69", "#4ebf22", "#ddaf3c", "#26b0d7", "#b954e1", "#54e1b9", "#d9d9d9", "#4d4d4d", "#dd3c69",
    "#4ebf22", "#ddaf3c", "#26b0d7", "#b954e1", "#54e1b9", "#ffffff",
];

/// Colours to draw with, each ready to go into an attribute (escaped).
struct Palette {
    /// The default text colour.
    fg: String,
    /// The default background.
    bg: String,
    /// The 16 indexed colours.
    colours: Vec<String>,
}

impl Palette {
    /// The theme's colours, or asciinema's defaults where it has none.
    fn new(theme: Option<&Theme>) -> Self {
        let mut colours: Vec<String> = DEFAULT_PALETTE.iter().map(|c| c.to_string()).collect();
        let (mut fg, mut bg) = (DEFAULT_FG.to_string(), DEFAULT_BG.to_string());
        if let Some(theme) = theme {
            // Written into attributes: escaped once here, so a colour that
            // is not `#rrggbb` (the cast check rejects those, but this
            // function does not rely on it) cannot end an attribute early.
            fg = escape(&theme.fg);
            bg = escape(&theme.bg);
            let given: Vec<String> = theme.palette.split(':').map(escape).collect();
            for (i, c) in given.iter().enumerate().take(16) {
                colours[i] = c.clone();
            }
            // An 8-colour palette: the bright ones repeat it.
            if given.len() == 8 {
                colours[8..].clone_from_slice(&given);
            }
        }
        Self { fg, bg, colours }
    }

    /// The colour `c` as `#rrggbb` (or the theme's own text), `default`
    /// for the terminal's default colour.
    fn colour(&self, c: Color, default: &str) -> String {
        match c {
            Color::Default => default.to_string(),
            Color::Idx(i) if i < 16 => self.colours[usize::from(i)].clone(),
            Color::Idx(i) if i < 232 => {
                // The 6x6x6 cube.
                let i = i - 16;
                let level = |v: u8| if v == 0 { 0 } else { 55 + 40 * v };
                format!("#{:02x}{:02x}{:02x}", level(i / 36), level(i / 6 % 6), level(i % 6))
            }
            Color::Idx(i) => {
                let v = 8 + 10 * (i - 232);
                format!("#{v:02x}{v:02x}{v:02x}")
            }
            Color::Rgb(r, g, b) => format!("#{r:02x}{g:02x}{b:02x}"),
        }
    }
}

/// Renders `screen` as an SVG document, in `theme`'s colours (asciinema's
/// defaults without one), with `title` as its `<title>`.
pub fn svg(screen: &vt100::Screen, theme: Option<&Theme>, title: Option<&str>) -> String {
    let palette = Palette::new(theme);
    let (rows, cols) = screen.size();
    let (rows, cols) = (rows.get(), cols.get());
    let width = f64::from(cols) * CELL_W + 2.0 * PAD;
    let height = f64::from(rows) * CELL_H + 2.0 * PAD;
    let mut out = String::with_capacity(64 * 1024);
    let _ = writeln!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" font-family="'DejaVu Sans Mono', 'Liberation Mono', Menlo, Consolas, monospace" font-size="{FONT_SIZE}">"#
    );
    if let Some(title) = title {
        let _ = writeln!(out, "<title>{}</title>", escape(title));
    }
    let _ = writeln!(
        out,
        r#"<rect width="100%" height="100%" rx="6" fill="{}"/>"#,
        palette.bg
    );
    let mut texts = String::new();
    for row in 0..rows {
        let y = PAD + f64::from(row) * CELL_H;
        let _ = write!(
            texts,
            r#"<text class="row" y="{:.1}" xml:space="preserve">"#,
            y + CELL_H * 0.78
        );
        let mut col = 0;
        while col < cols {
            let Some(cell) = screen.cell(row, col) else { break };
            let style = Style::of_cell(cell);
            // A run of cells in the same style.
            let start = col;
            let mut text = String::new();
            while col < cols {
                let Some(c) = screen.cell(row, col) else { break };
                if Style::of_cell(c) != style {
                    break;
                }
                text.push_str(if c.has_contents() { c.contents() } else { " " });
                col += if c.is_wide() { 2 } else { 1 };
            }
            let (mut fg, mut bg) = (
                palette.colour(style.fg, &palette.fg),
                palette.colour(style.bg, &palette.bg),
            );
            if style.inverse {
                std::mem::swap(&mut fg, &mut bg);
            }
            let x = PAD + f64::from(start) * CELL_W;
            if bg != palette.bg {
                let w = f64::from(col - start) * CELL_W;
                let _ = write!(
                    out,
                    r#"<rect x="{x:.1}" y="{y:.1}" width="{w:.1}" height="{CELL_H}" fill="{bg}"/>"#
                );
            }
            let _ = write!(texts, r#"<tspan x="{x:.1}" fill="{fg}""#);
            if style.bold {
                texts.push_str(r#" font-weight="bold""#);
            }
            if style.italic {
                texts.push_str(r#" font-style="italic""#);
            }
            if style.underline {
                texts.push_str(r#" text-decoration="underline""#);
            }
            if style.dim {
                texts.push_str(r#" opacity="0.6""#);
            }
            let _ = write!(texts, ">{}</tspan>", escape(&text));
        }
        texts.push_str("</text>\n");
    }
    out.push('\n');
    out.push_str(&texts);
    out.push_str("</svg>\n");
    out
}

/// `text` as XML character data or a double-quoted attribute value.
///
/// Characters XML 1.0 does not allow, even as references (C0 controls but
/// tab, newline and carriage return; U+FFFE and U+FFFF), would make the
/// whole document unreadable to a browser; a cast may hold them, since a
/// program can print them. Each becomes U+FFFD rather than nothing, so a
/// cell still holds one character and the row keeps its length and
/// columns. Tab, newline and carriage return are allowed but would break a
/// row (or a one-line title) in two: they become spaces.
fn escape(text: &str) -> String {
    let mut s = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => s.push_str("&amp;"),
            '<' => s.push_str("&lt;"),
            '>' => s.push_str("&gt;"),
            '"' => s.push_str("&quot;"),
            '\t' | '\n' | '\r' => s.push(' '),
            c if !is_xml_char(c) => s.push(char::REPLACEMENT_CHARACTER),
            c => s.push(c),
        }
    }
    s
}

/// XML 1.0's `Char`: `#x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] |
/// [#x10000-#x10FFFF]` (the surrogates between cannot be a Rust `char`).
fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The SVG of a `rows` x `cols` screen that was sent `output`, in a
    /// theme of `fg`, `bg` and eight times `colour`.
    fn draw(rows: u16, cols: u16, output: &str, [fg, bg, colour]: [&str; 3], title: &str) -> String {
        let mut p = vt100::Parser::new(rows.try_into().unwrap(), cols.try_into().unwrap(), 0);
        p.process(output.as_bytes());
        let palette = [colour; 8].join(":");
        let theme = Theme {
            fg: fg.into(),
            bg: bg.into(),
            palette,
        };
        svg(p.screen(), Some(&theme), Some(title))
    }

    #[test]
    fn rows_hold_the_screen_text_with_styles_and_colours() {
        let output = "\x1b[1;32mok\x1b[0m <&> 世界\r\n\x1b[41;38;5;196mred\x1b[0m";
        let svg = draw(3, 20, output, ["#17a88b", "#1e2229", "#000000"], "a <title>");
        assert!(svg.starts_with("<svg"));
        assert!(svg.contains("<title>a &lt;title&gt;</title>"));
        assert!(svg.contains(r##"fill="#1e2229""##), "theme background");
        assert!(svg.contains(r#"font-weight="bold">ok</tspan>"#));
        assert!(svg.contains("&lt;&amp;&gt; 世界"));
        // 256-colour 196 is #ff0000; background 1 comes from the palette.
        assert!(svg.contains(r##"fill="#ff0000">red</tspan>"##), "{svg}");
        assert!(svg.contains(r##"height="17" fill="#000000""##));
        assert_eq!(svg.matches(r#"<text class="row""#).count(), 3);
    }

    #[test]
    fn characters_xml_forbids_become_replacement_characters() {
        let hostile = ["\"/><x y=\"", "#000000<", "#000000&"];
        let svg = draw(
            2,
            12,
            "a\u{FFFE}b\u{FFFF}c\u{10FFFF}d",
            hostile,
            "t\u{1}\u{1b}[1m\u{FFFF}\tend",
        );
        let doc = roxmltree::Document::parse(&svg).unwrap_or_else(|e| panic!("{e}:\n{svg}"));
        let root = doc.root_element();
        // Each element's text: its text nodes, joined.
        let joined = |n: roxmltree::Node| {
            n.descendants()
                .filter_map(|t| t.is_text().then(|| t.text()).flatten())
                .collect()
        };
        let text = |name: &str| -> Vec<String> {
            root.descendants()
                .filter(|n| n.has_tag_name(name))
                .map(joined)
                .collect()
        };
        assert_eq!(text("title"), ["t\u{FFFD}\u{FFFD}[1m\u{FFFD} end"]);
        // One character per cell still: the row keeps its twelve columns.
        assert_eq!(text("text")[0], "a\u{FFFD}b\u{FFFD}c\u{10FFFF}d     ");
        assert!(root.descendants().all(|n| !n.has_tag_name("x")), "{svg}");
        assert_eq!(
            root.children()
                .filter(|n| n.is_element())
                .nth(1)
                .and_then(|r| r.attribute("fill")),
            Some("#000000<")
        );
    }

    #[test]
    fn xml_chars_are_those_of_the_xml_1_0_grammar() {
        for c in [
            '\t',
            '\n',
            '\r',
            ' ',
            '\u{D7FF}',
            '\u{E000}',
            '\u{FFFD}',
            '\u{10000}',
            '\u{10FFFF}',
        ] {
            assert!(is_xml_char(c), "{c:?}");
        }
        for c in ['\0', '\u{8}', '\u{B}', '\u{C}', '\u{1F}', '\u{FFFE}', '\u{FFFF}'] {
            assert!(!is_xml_char(c), "{c:?}");
        }
    }
}
