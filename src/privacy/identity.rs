//! The private values compiled into one whole-word search, over bytes as
//! they stream and over the text a viewer reads on a screen.
//!
//! In: the [`Private`] values, and then bytes, text, rows or a
//! [`vt100::Screen`] to search. Out: where a private value stands as a
//! whole word (and which spelling it is, with its replacement, for the
//! redactor), or where it shows on screen. Each value is searched in the
//! spellings it can take: as written, and a home directory also
//! JSON-escaped and URL-encoded.

use super::private::{Kind, Private};
use super::word::{Next, char_at, char_before, continues_word};

/// One spelling of a private value to find, and what replaces it.
#[derive(Debug, Clone)]
pub(super) struct Form {
    kind: Kind,
    /// The spelling to find.
    pub(super) find: Vec<u8>,
    /// What replaces it.
    pub(super) replace: Vec<u8>,
}

impl Form {
    /// Host names are case-insensitive.
    fn any_case(&self) -> bool {
        self.kind == Kind::Host
    }

    /// A home is a path prefix: it may follow anything, and may not run
    /// into a longer path component (`/home/alice2`, `/home/alice.old`).
    fn path(&self) -> bool {
        self.kind == Kind::Home
    }

    /// Whether this form stands at byte `at` of `data`.
    fn matches_at(&self, data: &[u8], at: usize) -> bool {
        let end = at + self.find.len();
        end <= data.len() && self.same(&data[at..end], &self.find)
    }

    /// Whether `tail` could be the start of this form.
    fn could_start(&self, tail: &[u8]) -> bool {
        tail.len() < self.find.len() && self.same(tail, &self.find[..tail.len()])
    }

    /// Whether two spellings are the same, in any case for a host name.
    fn same(&self, a: &[u8], b: &[u8]) -> bool {
        if self.any_case() {
            a.eq_ignore_ascii_case(b)
        } else {
            a == b
        }
    }

    /// Whether the form may start after the character `before` (`None`:
    /// at the start of the text) and still be a word of its own.
    fn may_follow(&self, before: Option<char>) -> bool {
        self.path() || before.is_none_or(|c| !continues_word(c))
    }

    /// Whether the form may end before the character `after` and still be
    /// a word (or a path prefix) of its own.
    fn may_precede(&self, after: char) -> bool {
        !(continues_word(after) || (self.path() && after == '.'))
    }
}

/// The private values, compiled: finds them as whole words in bytes and in
/// screen text.
#[derive(Debug, Clone, Default)]
pub struct Identity {
    /// Longest first.
    forms: Vec<Form>,
    /// Every form at once: candidates, checked against the word rules.
    finder: Option<regex::bytes::Regex>,
    /// The length of the longest form: how far back from the end of a
    /// read a value may start.
    longest: usize,
    /// The bytes a form may start with.
    first: FirstBytes,
}

/// A set of bytes.
#[derive(Debug, Clone)]
struct FirstBytes([bool; 256]);

impl Default for FirstBytes {
    fn default() -> Self {
        Self([false; 256])
    }
}

impl Identity {
    /// Compiles `values` into the spellings to find, longest first, so
    /// that a longer value wins over one it contains.
    pub fn new(values: &[Private]) -> Self {
        Self::compile(values, false)
    }

    /// As [`Identity::new`], each value replaced by a stand-in of its own
    /// length (`direc` for `alice`, `demo` for `pc42`): for output whose
    /// layout was made for the values (a cast recorded in tmux, where a
    /// longer name would push the pane's text over its border).
    pub fn same_length(values: &[Private]) -> Self {
        Self::compile(values, true)
    }

    fn compile(values: &[Private], fit: bool) -> Self {
        let mut forms = Vec::new();
        for p in values {
            let stand_in = p.kind.stand_in();
            let fitted = fitted(stand_in, p.value.chars().count());
            let replace = if fit { fitted.as_str() } else { stand_in };
            let mut add = |find: String, replace: String| {
                forms.push(Form {
                    kind: p.kind,
                    find: find.into_bytes(),
                    replace: replace.into_bytes(),
                })
            };
            add(p.value.clone(), replace.to_string());
            if p.kind == Kind::Home {
                // As JSON writes it, and as a URL does.
                add(p.value.replace('/', "\\/"), replace.replace('/', "\\/"));
                add(percent_encoded(&p.value, true), percent_encoded(replace, true));
                add(percent_encoded(&p.value, false), percent_encoded(replace, false));
            }
        }
        forms.sort_by_key(|f| std::cmp::Reverse(f.find.len()));
        forms.dedup_by(|a, b| a.find == b.find);
        let alternatives: Vec<String> = forms
            .iter()
            .map(|f| {
                let literal = regex::escape(&String::from_utf8_lossy(&f.find));
                if f.any_case() {
                    format!("(?i:{literal})")
                } else {
                    literal
                }
            })
            .collect();
        let finder = (!forms.is_empty())
            .then(|| regex::bytes::Regex::new(&alternatives.join("|")))
            .and_then(Result::ok);
        let longest = forms.iter().map(|f| f.find.len()).max().unwrap_or(0);
        let mut first = FirstBytes::default();
        for form in &forms {
            if let Some(&b) = form.find.first() {
                first.0[usize::from(b)] = true;
                if form.any_case() {
                    first.0[usize::from(b.to_ascii_lowercase())] = true;
                    first.0[usize::from(b.to_ascii_uppercase())] = true;
                }
            }
        }
        Self {
            forms,
            finder,
            longest,
            first,
        }
    }

    /// Whether there is nothing private to find.
    pub fn is_empty(&self) -> bool {
        self.forms.is_empty()
    }

    /// Scans `data` (preceded by the character `before`) for whole-word
    /// occurrences: each one's start and spelling, in order. With `more` (the stream goes on), an occurrence or a
    /// possible start of one at the very end, whose word boundary the next
    /// bytes decide, is not taken: its start is returned as the place to
    /// hold back from.
    pub(super) fn scan(&self, data: &[u8], before: Option<char>, more: bool) -> (Vec<(usize, &Form)>, Option<usize>) {
        let mut found = Vec::new();
        let Some(finder) = &self.finder else {
            return (found, None);
        };
        let mut pos = 0;
        while let Some(m) = finder.find_at(data, pos) {
            let start = m.start();
            let prev = if start == 0 { before } else { char_before(data, start) };
            let mut taken = None;
            for form in self
                .forms
                .iter()
                .filter(|f| f.matches_at(data, start) && f.may_follow(prev))
            {
                match char_at(data, start + form.find.len()) {
                    Next::Char(c) if form.may_precede(c) => {
                        taken = Some(form);
                        break;
                    }
                    Next::Char(_) => {}
                    Next::End if !more => {
                        taken = Some(form);
                        break;
                    }
                    Next::End => return (found, Some(start)),
                }
            }
            match taken {
                Some(form) => {
                    found.push((start, form));
                    pos = start + form.find.len();
                }
                None => pos = start + 1,
            }
            if pos >= data.len() {
                break;
            }
        }
        if !more {
            return (found, None);
        }
        // A possible start of a value at the end waits for the next bytes.
        let done = found.last().map_or(0, |(s, f)| s + f.find.len());
        let from = data.len().saturating_sub(self.longest).max(done);
        let hold = (from..data.len()).find(|&p| {
            if !self.first.0[usize::from(data[p])] {
                return false;
            }
            let prev = if p == 0 { before } else { char_before(data, p) };
            self.forms
                .iter()
                .any(|f| f.could_start(&data[p..]) && f.may_follow(prev))
        });
        (found, hold)
    }

    /// The first private value in screen text, as whole words: the byte
    /// offset and kind.
    pub fn find(&self, text: &str) -> Option<(usize, Kind)> {
        self.find_bytes(text.as_bytes())
    }

    /// [`Identity::find`] in UTF-8 text as bytes.
    pub fn find_bytes(&self, text: &[u8]) -> Option<(usize, Kind)> {
        let (found, _) = self.scan(text, None, false);
        found.first().map(|(at, form)| (*at, form.kind))
    }

    /// The first private value on a terminal screen, as its rows read (a
    /// soft-wrapped line joined): the row (0-based) and kind. With
    /// `word_goes_on`, the text at the cursor is still being written (a
    /// scene is typing a word there): the word there has not ended, and
    /// `vm` on the way to `vmlinuz` is no one's name.
    pub fn find_on_screen(&self, screen: &vt100::Screen, word_goes_on: bool) -> Option<(usize, Kind)> {
        // Most frames hold nothing like a private value: one search of the
        // screen's text (wrapped lines joined) says so.
        let finder = self.finder.as_ref()?;
        if !finder.is_match(screen.contents().as_bytes()) {
            return None;
        }
        let (rows, cols) = (screen.size().0.get(), screen.size().1.get());
        let cursor = word_goes_on.then(|| screen.cursor_position());
        let rows = (0..rows).map(|row| {
            let mut text = String::with_capacity(usize::from(cols));
            for col in 0..cols {
                let cell = screen.cell(row, col);
                if cell.is_some_and(vt100::Cell::is_wide_continuation) {
                    continue;
                }
                match cell.filter(|c| c.has_contents()) {
                    _ if cursor == Some((row, col)) => text.push('_'),
                    Some(cell) => text.push_str(cell.contents()),
                    None => text.push(' '),
                }
            }
            (text, screen.row_wrapped(row))
        });
        self.find_in_rows(rows)
    }

    /// The first private value in a screen given as its rows (and whether
    /// each row wraps into the next, so that a value split by the wrap is
    /// seen): the row index and kind.
    pub fn find_in_rows(&self, rows: impl IntoIterator<Item = (String, bool)>) -> Option<(usize, Kind)> {
        if self.is_empty() {
            return None;
        }
        let mut line = String::new();
        // Where each row of the current line starts in it.
        let mut starts: Vec<(usize, usize)> = Vec::new();
        for (index, (text, wraps)) in rows.into_iter().enumerate() {
            starts.push((line.len(), index));
            line.push_str(&text);
            if wraps {
                continue;
            }
            if let Some((at, kind)) = self.find(&line) {
                let row = starts.iter().rev().find(|(s, _)| *s <= at).map_or(index, |(_, r)| *r);
                return Some((row, kind));
            }
            line.clear();
            starts.clear();
        }
        let (at, kind) = self.find(&line)?;
        let row = starts.iter().rev().find(|(s, _)| *s <= at).map(|(_, r)| *r)?;
        Some((row, kind))
    }
}

/// `stand_in` cut or repeated to `len` characters.
fn fitted(stand_in: &str, len: usize) -> String {
    stand_in.chars().cycle().take(len).collect()
}

/// `text` as a URL writes it, with upper- or lower-case hex digits.
fn percent_encoded(text: &str, upper: bool) -> String {
    let mut out = String::with_capacity(text.len() * 3);
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(char::from(b));
        } else if upper {
            out.push_str(&format!("%{b:02X}"));
        } else {
            out.push_str(&format!("%{b:02x}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::privacy::fixtures::{alice, identity_of};

    #[test]
    fn same_length_stand_ins_keep_the_layout() {
        let values = [
            Private {
                kind: Kind::User,
                value: "alice".into(),
            },
            Private {
                kind: Kind::Host,
                value: "workstation".into(),
            },
            Private {
                kind: Kind::Home,
                value: "/home/alice".into(),
            },
        ];
        let identity = Identity::same_length(&values);
        let mut redactor = crate::privacy::Redactor::new(identity, Vec::new());
        let mut out = redactor.feed(b"alice@workstation:/home/alice/x$ ").into_owned();
        out.extend(redactor.release());
        assert_eq!(String::from_utf8(out).unwrap(), "direc@demodemodem:/home/direc/x$ ");
    }

    #[test]
    fn rows_are_searched_as_the_viewer_reads_them() {
        let identity = identity_of(&alice());
        let rows = |texts: &[(&str, bool)]| texts.iter().map(|(t, w)| (t.to_string(), *w)).collect::<Vec<_>>();
        assert_eq!(
            identity.find_in_rows(rows(&[("ok", false), ("chroot jvm", false)])),
            None
        );
        assert_eq!(
            identity.find_in_rows(rows(&[("ok", false), ("user alice", false)])),
            Some((1, Kind::User))
        );
        // Split by a soft wrap: the viewer still reads it.
        assert_eq!(
            identity.find_in_rows(rows(&[("ok", false), ("xx v", true), ("m.example.org", false)])),
            Some((1, Kind::Host))
        );
        assert_eq!(identity.find("at /home/alice/x"), Some((3, Kind::Home)));
    }
}
