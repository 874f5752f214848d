//! Takes out of a byte stream the OSC sequences that carry who and where
//! the recording was made: window and icon titles (0, 1, 2), the working
//! directory (6, 7, and iTerm2's 1337), notifications (9, 777) and the
//! clipboard (52). A sequence split across writes is recognised whole; one
//! left unfinished at the end is dropped.

use std::borrow::Cow;

/// The OSC numbers taken out.
const TAKEN: &[u32] = &[0, 1, 2, 6, 7, 9, 52, 777, 1337];
/// An OSC longer than this is no title: it is passed on as it is.
const MAX_OSC: usize = 64 * 1024;

#[derive(Debug, Clone, Copy, PartialEq)]
enum State {
    Ground,
    /// After ESC.
    Escape,
    /// Inside `ESC ]`, the bytes so far held in `held`.
    Osc,
    /// After ESC inside an OSC (a String Terminator begins).
    OscEscape,
}

/// The streaming filter.
#[derive(Debug, Clone)]
pub struct OscFilter {
    state: State,
    held: Vec<u8>,
    /// How many sequences were taken out.
    pub removed: usize,
}

impl Default for OscFilter {
    fn default() -> Self {
        Self {
            state: State::Ground,
            held: Vec::new(),
            removed: 0,
        }
    }
}

impl OscFilter {
    /// The bytes of `chunk` without the sequences taken out; the start of a
    /// sequence that may be one is held until it ends. Output that starts
    /// no OSC, outside one, is passed on as it is.
    pub fn feed<'c>(&mut self, chunk: &'c [u8]) -> Cow<'c, [u8]> {
        let starts_osc = |esc: usize| chunk.get(esc + 1).is_none_or(|&b| b == b']');
        if self.state == State::Ground && !memchr::memchr_iter(0x1b, chunk).any(starts_osc) {
            return Cow::Borrowed(chunk);
        }
        let mut out = Vec::with_capacity(chunk.len());
        let mut i = 0;
        while i < chunk.len() {
            if self.state == State::Ground {
                // Up to the next ESC, nothing is taken out.
                let plain = memchr::memchr(0x1b, &chunk[i..]).unwrap_or(chunk.len() - i);
                out.extend_from_slice(&chunk[i..i + plain]);
                i += plain;
                if i == chunk.len() {
                    break;
                }
            }
            let b = chunk[i];
            i += 1;
            match self.state {
                State::Ground if b == 0x1b => {
                    self.state = State::Escape;
                    self.held.push(b);
                }
                State::Ground => out.push(b),
                State::Escape if b == b']' => {
                    self.state = State::Osc;
                    self.held.push(b);
                }
                State::Escape => {
                    out.append(&mut self.held);
                    self.state = State::Ground;
                    // ESC ESC: the second may begin a sequence.
                    if b == 0x1b {
                        self.state = State::Escape;
                        self.held.push(b);
                    } else {
                        out.push(b);
                    }
                }
                State::Osc | State::OscEscape => {
                    self.held.push(b);
                    let ends = b == 0x07 || (self.state == State::OscEscape && b == b'\\');
                    self.state = if b == 0x1b { State::OscEscape } else { State::Osc };
                    if ends {
                        self.end(&mut out);
                    } else if self.held.len() > MAX_OSC {
                        out.append(&mut self.held);
                        self.state = State::Ground;
                    }
                }
            }
        }
        Cow::Owned(out)
    }

    /// A finished OSC in `held`: dropped if it is one taken out.
    fn end(&mut self, out: &mut Vec<u8>) {
        let body = &self.held[2..];
        let digits = body.iter().take_while(|b| b.is_ascii_digit()).count();
        let number: Option<u32> = std::str::from_utf8(&body[..digits]).ok().and_then(|d| d.parse().ok());
        if number.is_some_and(|n| TAKEN.contains(&n)) {
            self.removed += 1;
            self.held.clear();
        } else {
            out.append(&mut self.held);
        }
        self.state = State::Ground;
    }

    /// What is held at the end of the stream: a lone ESC is passed on, an
    /// unfinished OSC is dropped (a player would never show it).
    pub fn finish(&mut self) -> Vec<u8> {
        let held = std::mem::take(&mut self.held);
        let state = std::mem::replace(&mut self.state, State::Ground);
        if state == State::Escape { held } else { Vec::new() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn filter(chunks: &[&[u8]]) -> (Vec<u8>, usize) {
        let mut f = OscFilter::default();
        let mut out: Vec<u8> = chunks.iter().flat_map(|c| f.feed(c).into_owned()).collect();
        out.extend(f.finish());
        (out, f.removed)
    }

    #[test]
    fn titles_cwd_clipboard_and_notifications_go_the_rest_stays() {
        let input = b"a\x1b]0;me@pc: ~\x07b\x1b]7;file://pc/home/me\x1b\\c\x1b]52;c;c2VjcmV0\x07\x1b]8;;http://x\x1b\\d\x1b[1mE";
        let (out, removed) = filter(&[input]);
        assert_eq!(out, b"abc\x1b]8;;http://x\x1b\\d\x1b[1mE");
        assert_eq!(removed, 3);
    }

    #[test]
    fn every_split_gives_the_same_result() {
        let input: &[u8] = b"x\x1b\x1b]2;t\x1b\\y\x1b]777;notify;a;b\x07z\x1b[0m";
        let whole = filter(&[input]);
        for i in 0..=input.len() {
            for j in i..=input.len() {
                assert_eq!(
                    filter(&[&input[..i], &input[i..j], &input[j..]]),
                    whole,
                    "split at {i}, {j}"
                );
            }
        }
        assert_eq!(whole, (b"x\x1byz\x1b[0m".to_vec(), 2));
    }
}
