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

/// The character that ends just before byte `at` of `data`, if any.
pub(super) fn char_before(data: &[u8], at: usize) -> Option<char> {
    let head = &data[..at];
    for len in 1..=4.min(head.len()) {
        if let Ok(s) = std::str::from_utf8(&head[head.len() - len..]) {
            return s.chars().next_back();
        }
    }
    // Invalid UTF-8 continues no word.
    head.last().map(|_| '\u{fffd}')
}
