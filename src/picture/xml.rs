//! Text from a cast made safe for an XML document: every character data
//! and attribute value of a picture goes through [`escape`], so the
//! document is well-formed whatever a program printed.

/// `text` as XML character data or a double-quoted attribute value.
///
/// Characters XML 1.0 does not allow, even as references (C0 controls but
/// tab, newline and carriage return; U+FFFE and U+FFFF), would make the
/// whole document unreadable to a browser; a cast may hold them, since a
/// program can print them. Each becomes U+FFFD rather than nothing, so a
/// cell still holds one character and the row keeps its length and
/// columns. Tab, newline and carriage return are allowed but would break a
/// row (or a one-line title) in two: they become spaces.
pub fn escape(text: &str) -> String {
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
