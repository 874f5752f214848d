//! An event's data read as the line holds it: the JSON string, quotes and
//! escapes as they are (what an edit writes again when it changes
//! nothing), and its text, decoded in one pass into a buffer of its size.
//!
//! In: a JSON string that serde_json has already held to JSON's rules (a
//! `RawValue`). Out: its text. What the fast pass does not take (a lone
//! surrogate) is left to serde_json, whose error then names the problem.

/// The text of `token`, a valid JSON string with its quotes.
pub(super) fn decode(token: &str) -> Result<String, serde_json::Error> {
    let mut text = String::with_capacity(token.len());
    match decode_into(token, &mut text) {
        Some(()) => Ok(text),
        None => serde_json::from_str(token),
    }
}

/// Appends the text of `token` to `out`; `None` for what only serde_json
/// takes apart.
fn decode_into(token: &str, out: &mut String) -> Option<()> {
    let body = token.strip_prefix('"')?.strip_suffix('"')?;
    let bytes = body.as_bytes();
    let mut from = 0;
    while let Some(found) = memchr::memchr(b'\\', &bytes[from..]) {
        let at = from + found;
        out.push_str(&body[from..at]);
        let (ch, len) = match bytes.get(at + 1)? {
            b'"' => ('"', 2),
            b'\\' => ('\\', 2),
            b'/' => ('/', 2),
            b'b' => ('\u{8}', 2),
            b'f' => ('\u{c}', 2),
            b'n' => ('\n', 2),
            b'r' => ('\r', 2),
            b't' => ('\t', 2),
            b'u' => unicode(bytes, at)?,
            _ => return None,
        };
        out.push(ch);
        from = at + len;
    }
    out.push_str(&body[from..]);
    Some(())
}

/// The character of the `\u` escape at `at` (one outside the Basic
/// Multilingual Plane is a surrogate pair: two escapes), and how many
/// bytes it takes.
fn unicode(bytes: &[u8], at: usize) -> Option<(char, usize)> {
    let hex = |i: usize| -> Option<u32> {
        let digits = bytes.get(i..i + 4)?;
        digits
            .iter()
            .try_fold(0, |n, &d| Some(n * 16 + char::from(d).to_digit(16)?))
    };
    let first = hex(at + 2)?;
    if !(0xD800..0xDC00).contains(&first) {
        // A lone low surrogate is no character: `None`.
        return Some((char::from_u32(first)?, 6));
    }
    if bytes.get(at + 6..at + 8)? != b"\\u" {
        return None;
    }
    let second = hex(at + 8)?;
    if !(0xDC00..0xE000).contains(&second) {
        return None;
    }
    let code = 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00);
    Some((char::from_u32(code)?, 12))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// `text` written as a JSON string, each character spelled one of the
    /// ways JSON allows (as itself where it may be, a short escape, `\u`
    /// in either case, a surrogate pair), as `spelling` picks.
    fn spelled(text: &str, spelling: &[u8]) -> String {
        let mut token = String::from("\"");
        for (i, ch) in text.chars().enumerate() {
            let how = spelling.get(i).copied().unwrap_or(0) % 4;
            let short = match ch {
                '"' => Some("\\\""),
                '\\' => Some("\\\\"),
                '/' => Some("\\/"),
                '\u{8}' => Some("\\b"),
                '\u{c}' => Some("\\f"),
                '\n' => Some("\\n"),
                '\r' => Some("\\r"),
                '\t' => Some("\\t"),
                _ => None,
            };
            let plain = !matches!(ch, '"' | '\\') && ch >= ' ';
            match (how, short) {
                (0, _) if plain => token.push(ch),
                (1, Some(short)) => token.push_str(short),
                _ => {
                    let mut units = [0u16; 2];
                    for unit in ch.encode_utf16(&mut units) {
                        if how == 2 {
                            token.push_str(&format!("\\u{unit:04x}"));
                        } else {
                            token.push_str(&format!("\\u{unit:04X}"));
                        }
                    }
                }
            }
        }
        token.push('"');
        token
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]
        /// Any text, however its string is spelled, reads back as itself,
        /// as serde_json reads it.
        #[test]
        fn a_string_reads_back_as_its_text(text in any::<String>(), spelling in prop::collection::vec(any::<u8>(), 0..64)) {
            let token = spelled(&text, &spelling);
            let theirs: String = serde_json::from_str(&token).expect("a valid JSON string");
            prop_assert_eq!(&theirs, &text);
            prop_assert_eq!(decode(&token).expect("decoded"), text);
        }
    }

    #[test]
    fn what_the_fast_pass_leaves_is_read_as_serde_json_reads_it() {
        // A pair in one escape's place, and one split by a letter: errors.
        for token in [r#""\ud83d""#, r#""a\ude00b""#, r#""\ud83dx\ude00""#] {
            let theirs = serde_json::from_str::<String>(token).map_err(|e| e.to_string());
            assert_eq!(decode(token).map_err(|e| e.to_string()), theirs, "{token}");
        }
        assert_eq!(decode(r#""\ud83d\ude00 \u001b[1m""#).unwrap(), "\u{1F600} \u{1b}[1m");
    }
}
