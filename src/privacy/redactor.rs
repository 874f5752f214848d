//! Replaces private values in one pane's output as it streams, before the
//! bytes reach the pane's emulator.
//!
//! In: the chunks a pane's program writes, as they are read. Out: the same
//! bytes with every whole-word private value replaced by its stand-in and
//! the scene's `[privacy] redact` rules applied to whole lines; a tail
//! whose fate the next read decides is held back until then.

use std::borrow::Cow;

use super::identity::Identity;
use super::word::{char_before, open_escape};
use crate::scene::Redact;

/// A partial line longer than this is redacted without waiting for its end.
const MAX_HELD_LINE: usize = 64 * 1024;

/// A streaming replacement over one pane's output. A value split across
/// two reads is still found: a tail that could begin one, or a value whose
/// word boundary the next byte decides, is held back until the next read.
/// With line patterns, the unfinished last line is held back too, until its
/// newline (or `\r`) comes or [`Redactor::release`].
#[derive(Debug, Clone, Default)]
pub struct Redactor {
    identity: Identity,
    /// The scene's `[privacy] redact` rules, applied to whole lines.
    lines: Vec<Redact>,
    /// Bytes read but not shown yet, waiting for the next read.
    held: Vec<u8>,
    /// The last character before `held`, for the word boundary.
    before: Option<char>,
    /// How many values and line patterns were replaced so far.
    replaced: usize,
}

impl Redactor {
    /// A redactor for one pane, holding nothing yet.
    pub fn new(identity: Identity, lines: Vec<Redact>) -> Self {
        Self {
            identity,
            lines,
            held: Vec::new(),
            before: None,
            replaced: 0,
        }
    }

    /// How many private values and line patterns were replaced so far.
    pub fn replaced(&self) -> usize {
        self.replaced
    }

    /// Whether bytes are held back, waiting for more.
    pub fn holding(&self) -> bool {
        !self.held.is_empty()
    }

    /// The bytes held back, waiting for more.
    pub fn held(&self) -> &[u8] {
        &self.held
    }

    /// Feeds a chunk; returns what can be shown now.
    pub fn feed<'c>(&mut self, chunk: &'c [u8]) -> Cow<'c, [u8]> {
        if self.identity.is_empty() && self.lines.is_empty() {
            return Cow::Borrowed(chunk);
        }
        // Most reads hold nothing to replace: show them as they are.
        if self.held.is_empty() && self.lines.is_empty() {
            let (found, hold) = self.identity.scan(chunk, self.before, true);
            if found.is_empty() && hold.is_none() && open_escape(chunk).is_none() {
                self.before = char_before(chunk, chunk.len()).or(self.before);
                return Cow::Borrowed(chunk);
            }
        }
        self.held.extend_from_slice(chunk);
        let mut data = std::mem::take(&mut self.held);
        let mut more = true;
        if !self.lines.is_empty() {
            // A line redrawn with `\r` (a progress bar) ends there.
            let complete = data
                .iter()
                .rposition(|b| matches!(b, b'\n' | b'\r'))
                .map_or(0, |i| i + 1);
            if data.len() - complete < MAX_HELD_LINE {
                self.held = data.split_off(complete);
                // What follows is held whole: the boundary is known.
                more = self.held.is_empty();
            }
        }
        let out = self.replace(&data, more);
        Cow::Owned(self.apply_lines(out))
    }

    /// Releases whatever is held back (when the program went quiet or ended).
    pub fn release(&mut self) -> Vec<u8> {
        let data = std::mem::take(&mut self.held);
        let out = self.replace(&data, false);
        self.apply_lines(out)
    }

    /// Replaces the private values in `data`; with `more`, a tail whose
    /// fate the next bytes decide is held back (prepended to `held`).
    fn replace(&mut self, data: &[u8], more: bool) -> Vec<u8> {
        let before = self.before;
        let (found, hold) = self.identity.scan(data, before, more);
        let mut end = hold.unwrap_or(data.len());
        // An escape sequence the next bytes finish is held whole: what
        // comes after it starts a word, as after any sequence.
        if more && let Some(esc) = open_escape(data) {
            end = end.min(esc);
        }
        let mut out = Vec::with_capacity(end + 16);
        let mut last = 0;
        for (start, form) in found.into_iter().filter(|(s, _)| *s < end) {
            self.replaced += 1;
            out.extend_from_slice(&data[last..start]);
            out.extend_from_slice(&form.replace);
            last = start + form.find.len();
        }
        out.extend_from_slice(&data[last..end]);
        if end < data.len() {
            let mut held = data[end..].to_vec();
            held.extend_from_slice(&self.held);
            self.held = held;
        }
        // What is held (this tail, or the unfinished line after `data`)
        // comes next, after the character before `end`.
        self.before = char_before(data, end).or(before);
        out
    }

    /// Applies the scene's line rules, in order, to `data`.
    fn apply_lines(&mut self, mut data: Vec<u8>) -> Vec<u8> {
        for rule in &self.lines {
            let matches = rule.regex.find_iter(&data).count();
            if matches > 0 {
                self.replaced += matches;
                data = rule.regex.replace_all(&data, rule.replace.as_bytes()).into_owned();
            }
        }
        data
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::privacy::fixtures::{alice, identity_of};

    impl Redactor {
        fn feed_vec(&mut self, chunk: &[u8]) -> Vec<u8> {
            self.feed(chunk).into_owned()
        }
    }

    fn redactor() -> Redactor {
        Redactor::new(identity_of(&alice()), Vec::new())
    }

    fn port_rule() -> Redact {
        Redact {
            regex: regex::bytes::Regex::new(r"127\.0\.0\.1:\d+").unwrap(),
            replace: "127.0.0.1:54321".into(),
        }
    }

    /// Feeds `input` cut at `cut`, then releases.
    fn feed_cut(r: &mut Redactor, input: &[u8], cut: usize) -> Vec<u8> {
        let mut o = r.feed_vec(&input[..cut]);
        o.extend(r.feed_vec(&input[cut..]));
        o.extend(r.release());
        o
    }

    fn redacted(input: &str) -> String {
        String::from_utf8(feed_cut(&mut redactor(), input.as_bytes(), input.len())).unwrap()
    }

    #[test]
    fn only_whole_words_are_replaced() {
        assert_eq!(
            redacted("alice chalice alice_x alice-x alice2 (alice) alice.txt alice@vm:~$ "),
            "director chalice alice_x alice-x alice2 (director) director.txt director@demo:~$ "
        );
        // Host names in any case, never inside another word or host name.
        assert_eq!(
            redacted("VM vm.example.org Vm.Example.Org jvm /boot/vmlinuz vm-2 vm."),
            "demo demo demo jvm /boot/vmlinuz vm-2 demo."
        );
    }

    #[test]
    fn the_home_directory_is_a_path_prefix_in_every_spelling() {
        assert_eq!(
            redacted("/home/alice /home/alice/x /home/alicex /home/alice.old /home/alice-2 cd /home/alice;"),
            // `alice` is still a word of its own in `alice.old`.
            "/home/director /home/director/x /home/alicex /home/director.old /home/alice-2 cd /home/director;"
        );
        assert_eq!(
            redacted("{\"cwd\":\"\\/home\\/alice\\/src\"} file:///x?p=%2Fhome%2Falice%2Fa&q=%2fhome%2falice"),
            "{\"cwd\":\"\\/home\\/director\\/src\"} file:///x?p=%2Fhome%2Fdirector%2Fa&q=%2fhome%2fdirector"
        );
    }

    /// (A cut inside the colour change before a name too.)
    #[test]
    fn every_split_point_gives_the_same_result() {
        let input =
            "alice@vm:/home/alice$ chalice alic alice\r\nConnected by 127.0.0.1:40312\r\nalicex é alice\r\n\x1b[01;32malice\x1b[00m:~$ ".as_bytes();
        let make = || Redactor::new(identity_of(&alice()), vec![port_rule()]);
        let whole = feed_cut(&mut make(), input, input.len());
        assert_eq!(
            String::from_utf8(whole.clone()).unwrap(),
            "director@demo:/home/director$ chalice alic director\r\nConnected by 127.0.0.1:54321\r\nalicex é director\r\n\x1b[01;32mdirector\x1b[00m:~$ "
        );
        for cut in 0..=input.len() {
            assert_eq!(feed_cut(&mut make(), input, cut), whole, "cut at {cut}");
            assert_eq!(
                feed_cut(&mut redactor(), input, cut),
                feed_cut(&mut redactor(), input, input.len()),
                "no line rules, cut at {cut}"
            );
        }
    }

    #[test]
    fn a_name_at_the_end_of_a_read_waits_for_its_boundary() {
        let mut r = redactor();
        assert_eq!(r.feed_vec(b"hi alice"), b"hi ");
        assert!(r.holding());
        assert_eq!(r.feed_vec(b"x!"), b"alicex!");
        assert_eq!(r.feed_vec(b"hi al"), b"hi ");
        assert_eq!(r.feed_vec(b"ice!"), b"director!");
        // A word that cannot start a name is not held.
        assert_eq!(r.feed_vec(b"chal"), b"chal");
        assert!(!r.holding());
        assert_eq!(r.feed_vec(b" al"), b" ");
        assert_eq!(r.release(), b"al");
    }

    #[test]
    fn line_patterns_hold_only_the_unfinished_line() {
        let mut r = Redactor::new(Identity::default(), vec![port_rule()]);
        assert_eq!(r.feed_vec(b"a\r\nConnected by 127.0.0.1:4"), b"a\r\n");
        assert!(r.holding());
        assert_eq!(r.feed_vec(b"0312\r\nnext"), b"Connected by 127.0.0.1:54321\r\n");
        assert_eq!(r.release(), b"next");
        // A line redrawn with \r shows each drawing whole.
        assert_eq!(
            r.feed_vec(b"\r 10% 127.0.0.1:1\r 20% 127.0.0.1:2"),
            b"\r 10% 127.0.0.1:54321\r"
        );
        assert_eq!(r.release(), b" 20% 127.0.0.1:54321");
        // A line that never ends is not held forever.
        let long = vec![b'x'; MAX_HELD_LINE + 1];
        assert_eq!(r.feed_vec(&long).len(), long.len());
    }
}
