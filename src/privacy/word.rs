//! Where a word begins and ends, in bytes that a read may have cut in the
//! middle of a character.
//!
//! In: a byte slice and an offset. Out: the character just before or at
//! that offset (or that the data ends there), and whether it continues a
//! word. Invalid UTF-8 continues no word.

/// Characters that continue a word (or a host name, or a path component):
/// a private value next to one of them is part of a longer word.
pub fn continues_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '-'
}

/// Whether `head` ends with a whole escape sequence: `ESC [` parameters
/// and a final byte, `ESC` and a charset (`ESC ( B`), or `ESC` and one
/// byte.
fn ends_escape(head: &[u8]) -> bool {
    let Some(&last) = head.last() else { return false };
    if !(0x30..=0x7e).contains(&last) {
        return false;
    }
    let from = head.len().saturating_sub(64);
    let Some(esc) = memchr::memrchr(0x1b, &head[from..]) else {
        return false;
    };
    match &head[from + esc + 1..] {
        [_] => true,
        [b'(' | b')' | b'*' | b'+', _] => true,
        [b'[', middle @ .., _] => last >= 0x40 && middle.iter().all(|b| (0x20..=0x3f).contains(b)),
        _ => false,
    }
}

/// Where `data` ends inside an escape sequence begun but not finished
/// (`ESC`, `ESC [ 1`, `ESC (`): the offset of its `ESC`. A read may end
/// there; the next one's first bytes are still the sequence's.
pub(super) fn open_escape(data: &[u8]) -> Option<usize> {
    let from = data.len().saturating_sub(64);
    let esc = from + memchr::memrchr(0x1b, &data[from..])?;
    let open = match &data[esc + 1..] {
        [] | [b'(' | b')' | b'*' | b'+'] => true,
        [b'[', rest @ ..] => rest.iter().all(|b| (0x20..=0x3f).contains(b)),
        _ => false,
    };
    open.then_some(esc)
}

/// The character at an offset of bytes, or that the bytes end first.
pub(super) enum Next {
    Char(char),
    /// The data ends here, or in the middle of a character.
    End,
}

/// The character that starts at byte `at` of `data`.
pub(super) fn char_at(data: &[u8], at: usize) -> Next {
    let rest = &data[at.min(data.len())..];
    let Some(&first) = rest.first() else { return Next::End };
    if first.is_ascii() {
        return Next::Char(char::from(first));
    }
    let len = match first {
        0xc0..=0xdf => 2,
        0xe0..=0xef => 3,
        0xf0..=0xf7 => 4,
        // Not the start of a character: no word goes on through it.
        _ => return Next::Char('\u{fffd}'),
    };
    match rest.get(..len).map(std::str::from_utf8) {
        None => Next::End,
        Some(Ok(s)) => Next::Char(s.chars().next().unwrap_or('\u{fffd}')),
        Some(Err(_)) => Next::Char('\u{fffd}'),
    }
}

/// The character that ends just before byte `at` of `data`, if any. The
/// last byte of an escape sequence (`m` of `ESC [ 1 m`) is no character
/// of the text: a space stands for it, so a name printed right after a
/// colour change still begins a word.
pub(super) fn char_before(data: &[u8], at: usize) -> Option<char> {
    let head = &data[..at];
    if ends_escape(head) {
        return Some(' ');
    }
    for len in 1..=4.min(head.len()) {
        if let Ok(s) = std::str::from_utf8(&head[head.len() - len..]) {
            return s.chars().next_back();
        }
    }
    // Invalid UTF-8 continues no word.
    head.last().map(|_| '\u{fffd}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_escape_sequence_ends_no_word() {
        for text in [
            &b"x\x1b[1m"[..],
            b"\x1b[?1049l",
            b"\x1b[H",
            b"\x1b(B",
            b"\x1b7",
            b"\x1bM",
            b"\x1b[38;5;208m",
        ] {
            assert_eq!(char_before(text, text.len()), Some(' '), "{text:?}");
        }
        for (text, c) in [
            (&b"malice"[..1], 'm'),
            (b"[1m", 'm'),
            (b"\x1b]0;m", 'm'),
            (b"\x1b[1;2", '2'),
        ] {
            assert_eq!(char_before(text, text.len()), Some(c), "{text:?}");
        }
    }
}
