//! U+FE0F, VARIATION SELECTOR-16, is left out of what panes print.
//!
//! It asks for the character before it to be drawn as an emoji, which
//! some terminals make two columns wide after the fact and others (the
//! players among them) do not, so a pane's picture would depend on who
//! plays the cast. And vt100 0.18 widens the character in place: one in the
//! last column of the bottom row then stays "wide" without a second half,
//! and printing over it later panics inside the crate. Without the
//! selector the character keeps its ordinary width everywhere.

use std::borrow::Cow;

const VS16: &[u8] = "\u{fe0f}".as_bytes();

/// Drops U+FE0F from a byte stream that may split it between writes.
#[derive(Debug, Default)]
pub struct DropVs16 {
    /// The end of the last write, if it could be the start of U+FE0F.
    carry: Vec<u8>,
}

impl DropVs16 {
    /// The bytes without U+FE0F. An end that could be the start of one is
    /// held back until the next write.
    pub fn filter<'a>(&mut self, bytes: &'a [u8]) -> Cow<'a, [u8]> {
        if self.carry.is_empty() && memchr::memchr(VS16[0], bytes).is_none() {
            return Cow::Borrowed(bytes);
        }
        let mut all = std::mem::take(&mut self.carry);
        all.extend_from_slice(bytes);
        let mut out = Vec::with_capacity(all.len());
        let mut rest = &all[..];
        while let Some(i) = memchr::memchr(VS16[0], rest) {
            out.extend_from_slice(&rest[..i]);
            let tail = &rest[i..];
            if tail.starts_with(VS16) {
                rest = &tail[VS16.len()..];
            } else if VS16.starts_with(tail) {
                // Perhaps the start of one: wait for the next write.
                self.carry = tail.to_vec();
                return Cow::Owned(out);
            } else {
                out.push(tail[0]);
                rest = &tail[1..];
            }
        }
        out.extend_from_slice(rest);
        Cow::Owned(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn through(writes: &[&[u8]]) -> Vec<u8> {
        let mut f = DropVs16::default();
        writes.iter().flat_map(|w| f.filter(w).into_owned()).collect()
    }

    #[test]
    fn the_selector_is_dropped_wherever_writes_split_it() {
        let text = "ok \u{2714}\u{fe0f} done \u{2764}\u{fe0f}\u{fe0f}!".as_bytes();
        let want = "ok \u{2714} done \u{2764}!".as_bytes();
        assert_eq!(through(&[text]), want);
        for i in 0..=text.len() {
            for j in i..=text.len() {
                assert_eq!(
                    through(&[&text[..i], &text[i..j], &text[j..]]),
                    want,
                    "split at {i}, {j}"
                );
            }
        }
    }

    #[test]
    fn other_characters_sharing_its_first_bytes_pass() {
        // U+FE0E (text presentation), U+FE00, U+F8FF and a lone 0xEF.
        let text = "a\u{fe0e}b\u{fe00}c\u{f8ff}".as_bytes();
        assert_eq!(through(&[text]), text);
        assert_eq!(through(&[b"x\xef", b"y"]), b"x\xefy");
        assert_eq!(through(&[b"x\xef\xb8", b"\x80"]), "x\u{fe00}".as_bytes());
        assert!(matches!(DropVs16::default().filter(b"plain"), Cow::Borrowed(_)));
    }

    #[test]
    fn vt100_survives_a_selector_in_the_bottom_right_corner() {
        // The last column of the bottom row, U+FE0F, then the cell printed
        // over (it scrolled up a row): vt100 0.18 panics fed all of it.
        let bytes = b"\x1b[19;19H2\xef\xb8\x8f\x1b[18;19H,";
        let unfiltered = std::panic::catch_unwind(|| {
            let mut p = vt100::Parser::new(19.try_into().unwrap(), 19.try_into().unwrap(), 0);
            p.process(bytes);
        });
        assert!(
            unfiltered.is_err(),
            "vt100 no longer panics here: this filter may be unneeded"
        );
        let mut p = vt100::Parser::new(19.try_into().unwrap(), 19.try_into().unwrap(), 0);
        p.process(&DropVs16::default().filter(bytes));
        assert_eq!(p.screen().cell(17, 18).unwrap().contents(), ",");
    }
}
