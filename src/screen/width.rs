//! Characters whose width every player agrees on, and the form in which
//! the others are drawn.
//!
//! In: a cell's contents as a pane's emulator made it (one character of
//! non-zero width, perhaps with zero-width ones appended) and its width
//! there. Out: what the compositor draws in its place.
//!
//! A pane's emulator (vt100, with unicode-width's tables) and a player
//! (tmux with the C library's tables, asciinema-player's own, or another)
//! may count a character's columns differently: emoji sequences joined by
//! U+200D, regional-indicator pairs, skin-tone modifiers, format and other
//! default-ignorable characters (U+00AD, U+200B, U+2060, variation
//! selectors, tags), unassigned and private-use code points, and characters
//! newer than a player's tables. What a player then draws after such a
//! character lands in the wrong column. So the compositor draws only
//! characters whose width is settled: those assigned by Unicode 9.0 (2016,
//! when emoji became wide), with their marks. Everything else is drawn in
//! a settled form of the same width: a regional indicator as the capital
//! letter it stands for, other characters as `?` (one column; vt100 drops
//! U+FFFD) or U+3013, the geta mark (two columns), and zero-width characters other than marks are left out.
//! Characters of ambiguous East Asian width (é, │) are drawn as they are:
//! every player draws them one column wide unless set to a CJK width.

use std::borrow::Cow;
use std::sync::OnceLock;

/// Stands for a character one column wide whose width is disputed.
pub const NARROW: char = '?';
/// Stands for a character two columns wide whose width is disputed.
pub const WIDE: char = '\u{3013}';

/// A character that starts a cell and whose width every player agrees on:
/// assigned by Unicode 9.0, not a mark, control, format, private-use,
/// default-ignorable character, regional indicator or emoji modifier.
const BASE: &str =
    r"[\p{Age=9.0}--[\p{M}\p{C}\p{Zl}\p{Zp}\p{Default_Ignorable_Code_Point}\p{Regional_Indicator}\p{Emoji_Modifier}]]";

fn base() -> &'static regex::Regex {
    static BASE_RE: OnceLock<regex::Regex> = OnceLock::new();
    BASE_RE.get_or_init(|| regex::Regex::new(&format!("^{BASE}$")).expect("a valid pattern"))
}

/// Whether `ch` starts a cell with a width every player agrees on, as
/// unicode-width gives it.
pub fn settled(ch: char) -> bool {
    ch.is_ascii_graphic() || ch == ' ' || settled_cell(ch.encode_utf8(&mut [0; 4]))
}

fn settled_cell(contents: &str) -> bool {
    base().is_match(contents)
}

/// What to draw for a cell whose `contents` a pane's emulator shows
/// `wide` (two columns) or not: the contents when their width is settled,
/// else a settled form of the same width.
pub fn drawn(contents: &str, wide: bool) -> Cow<'_, str> {
    if contents.is_ascii() || settled_cell(contents) {
        return Cow::Borrowed(contents);
    }
    let base = contents.chars().next().unwrap_or(' ');
    let mut out = String::with_capacity(4);
    if settled(base) && width(base) == if wide { 2 } else { 1 } {
        out.push(base);
    } else if !wide && ('\u{1f1e6}'..='\u{1f1ff}').contains(&base) {
        // A regional indicator: the letter it stands for.
        out.push(char::from(b'A' + (u32::from(base) - 0x1f1e6) as u8));
    } else {
        out.push(if wide { WIDE } else { NARROW });
    }
    Cow::Owned(out)
}

fn width(ch: char) -> usize {
    unicode_width::UnicodeWidthChar::width(ch).unwrap_or(0)
}

/// `text` (chrome such as the status line) with every character whose
/// width is disputed drawn in its settled form, and zero-width characters
/// left out.
pub fn settle(text: &str) -> Cow<'_, str> {
    if text.is_ascii() || text.chars().all(settled) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match width(ch) {
            0 => {}
            w => out.push_str(&drawn(ch.encode_utf8(&mut [0; 4]), w == 2)),
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settled_characters_pass_as_they_are() {
        for s in ["a", "é", "±", "世", "│", "😀", "👨", "🏳", "〓"] {
            let wide = width(s.chars().next().unwrap()) == 2;
            assert_eq!(drawn(s, wide), s, "{s:?}");
            assert!(settled(s.chars().next().unwrap()));
        }
    }

    #[test]
    fn disputed_characters_get_a_settled_form_of_the_same_width() {
        let cases = [
            // A ZWJ sequence's parts, as vt100 keeps them: the joiner goes.
            ("👨\u{200d}", true, "👨"),
            ("🏳\u{200d}", false, "🏳"),
            ("\u{1f1fa}", false, "U"),
            ("\u{1fae8}", true, "\u{3013}"),
            ("\u{ad}", false, "?"),
            ("a\u{ad}", false, "a"),
            ("\u{378}", false, "?"),
            ("\u{e0b0}", false, "?"),
            ("\u{1f3fb}", true, "\u{3013}"),
            ("a\u{200b}\u{2060}\u{e0067}\u{fe0e}", false, "a"),
            ("e\u{301}\u{200d}", false, "e"),
            ("1\u{20e3}", false, "1"),
        ];
        for (contents, wide, want) in cases {
            assert_eq!(drawn(contents, wide), want, "{contents:?}");
        }
        assert_eq!(settle("ok 👨\u{200d}💻 \u{1fae8}\u{ad}!"), "ok 👨💻 \u{3013}!");
        assert!(matches!(settle("plain │ é"), Cow::Borrowed(_)));
    }
}
