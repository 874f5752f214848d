//! Keeps the recording machine's identity, and whatever else a scene
//! declares, out of the cast.
//!
//! The user name, host name and home directory are replaced in every byte a
//! pane's program prints, and the scene's `[privacy] redact` patterns in
//! every line, before the bytes reach the pane's emulator, so they never
//! appear on screen and cannot reach the file.

use std::borrow::Cow;

use crate::scene::{Privacy, Redact};

/// A partial line longer than this is redacted without waiting for its end.
const MAX_HELD_LINE: usize = 64 * 1024;

/// One literal to hide and what to show instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redaction {
    pub find: Vec<u8>,
    pub replace: Vec<u8>,
}

/// The default redactions for this machine: home directory first (it usually
/// contains the user name), then host name, then user name. Values shorter
/// than 2 bytes are skipped: replacing a single letter would garble all output.
pub fn machine_redactions(privacy: &Privacy) -> Vec<Redaction> {
    let mut list = Vec::new();
    let mut add = |find: Option<String>, replace: &str| {
        if let Some(find) = find.filter(|f| f.len() >= 2 && f != replace)
            && !list.iter().any(|r: &Redaction| r.find == find.as_bytes())
        {
            list.push(Redaction {
                find: find.into_bytes(),
                replace: replace.as_bytes().to_vec(),
            });
        }
    };
    // The account's own entry counts as well as the environment, which
    // may lack USER (cron, containers) or carry a stale HOME.
    let account = account();
    if privacy.home {
        let homes = [std::env::var("HOME").ok(), account.as_ref().map(|a| a.1.clone())];
        for home in homes.into_iter().flatten().filter(|h| h != "/") {
            add(Some(home), "/home/director");
        }
    }
    if privacy.host {
        add(host_name(), "demo");
    }
    if privacy.user {
        let users = [
            std::env::var("USER").ok(),
            std::env::var("LOGNAME").ok(),
            account.map(|a| a.0),
        ];
        for user in users.into_iter().flatten() {
            add(Some(user), "director");
        }
    }
    list
}

fn host_name() -> Option<String> {
    let name = rustix::system::uname();
    let name = name.nodename().to_str().ok()?.trim().to_string();
    (!name.is_empty()).then_some(name)
}

/// The name and home directory of the account director runs as, from
/// `/etc/passwd`.
fn account() -> Option<(String, String)> {
    let uid = rustix::process::getuid().as_raw().to_string();
    let passwd = std::fs::read_to_string("/etc/passwd").ok()?;
    passwd.lines().find_map(|line| {
        let fields: Vec<&str> = line.split(':').collect();
        (fields.len() >= 6 && fields[2] == uid).then(|| (fields[0].to_string(), fields[5].to_string()))
    })
}

/// A streaming find-and-replace over a pane's output. A literal split
/// across two reads is still found: the tail that could begin a match is
/// held back until the next read. With line patterns, the unfinished last
/// line is held back too, until its newline comes or [`Redactor::release`].
#[derive(Debug, Clone, Default)]
pub struct Redactor {
    rules: Vec<Redaction>,
    /// All the literals at once, earlier rules first: one linear scan
    /// (vectorised by the regex engine) instead of a comparison per byte.
    finder: Option<regex::bytes::Regex>,
    lines: Vec<Redact>,
    held: Vec<u8>,
}

impl Redactor {
    pub fn new(rules: Vec<Redaction>, lines: Vec<Redact>) -> Self {
        let alternatives: Vec<String> = rules
            .iter()
            .map(|r| regex::escape(&String::from_utf8_lossy(&r.find)))
            .collect();
        let finder = (!rules.is_empty())
            .then(|| regex::bytes::Regex::new(&alternatives.join("|")))
            .and_then(Result::ok);
        Self {
            rules,
            finder,
            lines,
            held: Vec::new(),
        }
    }

    /// Whether bytes are held back, waiting for more.
    pub fn holding(&self) -> bool {
        !self.held.is_empty()
    }

    /// Feeds a chunk; returns what can be shown now.
    pub fn feed<'c>(&mut self, chunk: &'c [u8]) -> Cow<'c, [u8]> {
        if self.rules.is_empty() && self.lines.is_empty() {
            return Cow::Borrowed(chunk);
        }
        // Most reads hold nothing to replace: show them as they are.
        if self.held.is_empty()
            && self.lines.is_empty()
            && self.finder.as_ref().is_some_and(|f| !f.is_match(chunk))
            && !self
                .rules
                .iter()
                .any(|r| (1..r.find.len().min(chunk.len() + 1)).any(|k| r.find.starts_with(&chunk[chunk.len() - k..])))
        {
            return Cow::Borrowed(chunk);
        }
        self.held.extend_from_slice(chunk);
        let mut data = std::mem::take(&mut self.held);
        if !self.lines.is_empty() {
            let complete = data.iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1);
            if data.len() - complete < MAX_HELD_LINE {
                self.held = data.split_off(complete);
            }
        }
        let keep_partial = self.held.is_empty();
        let out = self.literals(&data, keep_partial);
        Cow::Owned(self.apply_lines(out))
    }

    /// Releases whatever is held back (when the program went quiet or ended).
    pub fn release(&mut self) -> Vec<u8> {
        let data = std::mem::take(&mut self.held);
        let out = self.literals(&data, false);
        self.apply_lines(out)
    }

    /// Replaces the literals; with `keep_partial`, a tail that could begin
    /// a match is held back instead of shown.
    fn literals(&mut self, data: &[u8], keep_partial: bool) -> Vec<u8> {
        let Some(finder) = &self.finder else {
            return data.to_vec();
        };
        let mut out = Vec::with_capacity(data.len());
        let mut last = 0;
        for m in finder.find_iter(data) {
            out.extend_from_slice(&data[last..m.start()]);
            let rule = self.rules.iter().find(|r| r.find == m.as_bytes());
            out.extend_from_slice(rule.map_or(m.as_bytes(), |r| &r.replace));
            last = m.end();
        }
        let mut end = data.len();
        if keep_partial {
            // The end of this read may be the start of a match: the longest
            // such tail after the last match waits for the next read.
            let longest = self.rules.iter().map(|r| r.find.len()).max().unwrap_or(0);
            let tail = (1..longest.min(data.len() - last + 1))
                .rev()
                .find(|k| self.rules.iter().any(|r| r.find.starts_with(&data[data.len() - k..])));
            if let Some(k) = tail {
                end = data.len() - k;
                self.held.extend_from_slice(&data[end..]);
            }
        }
        out.extend_from_slice(&data[last..end]);
        out
    }

    fn apply_lines(&self, mut data: Vec<u8>) -> Vec<u8> {
        for rule in &self.lines {
            if let std::borrow::Cow::Owned(replaced) = rule.regex.replace_all(&data, rule.replace.as_bytes()) {
                data = replaced;
            }
        }
        data
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    impl Redactor {
        fn feed_vec(&mut self, chunk: &[u8]) -> Vec<u8> {
            self.feed(chunk).into_owned()
        }
    }

    fn literals() -> Vec<Redaction> {
        vec![
            Redaction {
                find: b"/home/alice".to_vec(),
                replace: b"/home/director".to_vec(),
            },
            Redaction {
                find: b"alice".to_vec(),
                replace: b"director".to_vec(),
            },
        ]
    }

    fn redactor() -> Redactor {
        Redactor::new(literals(), Vec::new())
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

    #[test]
    fn replaces_whole_and_split_matches() {
        let mut r = redactor();
        assert_eq!(
            r.feed_vec(b"user alice in /home/alice/x\r\n"),
            b"user director in /home/director/x\r\n"
        );
        let mut out = r.feed_vec(b"hi ali");
        assert_eq!(out, b"hi ");
        assert!(r.holding());
        out.extend(r.feed_vec(b"ce!"));
        assert_eq!(out, b"hi director!");
        let mut out = r.feed_vec(b"/ho");
        out.extend(r.feed_vec(b"me/al"));
        out.extend(r.feed_vec(b"x"));
        assert_eq!(out, b"/home/alx");
    }

    #[test]
    fn release_shows_a_partial_match() {
        let mut r = redactor();
        assert_eq!(r.feed_vec(b"al"), b"");
        assert_eq!(r.release(), b"al");
        assert!(!r.holding());
    }

    #[test]
    fn every_split_point_gives_the_same_result() {
        let input = b"alice@/home/alice: alic alice\r\nConnected by 127.0.0.1:40312\r\nalice".as_slice();
        let make = || Redactor::new(literals(), vec![port_rule()]);
        let whole = feed_cut(&mut make(), input, input.len());
        assert_eq!(
            whole,
            b"director@/home/director: alic director\r\nConnected by 127.0.0.1:54321\r\ndirector".as_slice()
        );
        for cut in 0..input.len() {
            assert_eq!(feed_cut(&mut make(), input, cut), whole, "cut at {cut}");
        }
    }

    #[test]
    fn line_patterns_hold_only_the_unfinished_line() {
        let mut r = Redactor::new(Vec::new(), vec![port_rule()]);
        assert_eq!(r.feed_vec(b"a\r\nConnected by 127.0.0.1:4"), b"a\r\n");
        assert!(r.holding());
        assert_eq!(r.feed_vec(b"0312\r\nnext"), b"Connected by 127.0.0.1:54321\r\n");
        assert_eq!(r.release(), b"next");
        // A line that never ends is not held forever.
        let long = vec![b'x'; MAX_HELD_LINE + 1];
        assert_eq!(r.feed_vec(&long).len(), long.len());
    }

    #[test]
    fn the_account_is_found_without_the_environment() {
        let (name, home) = account().expect("this account is in /etc/passwd");
        assert!(!name.is_empty() && home.starts_with('/'));
        let rules = machine_redactions(&Privacy::default());
        assert!(rules.iter().any(|r| r.find == name.as_bytes() || name.len() < 2));
    }

    #[test]
    fn machine_redactions_follow_the_privacy_switches() {
        let host = host_name()
            .filter(|h| h.len() >= 2)
            .expect("this machine has a host name");
        let all = machine_redactions(&Privacy::default());
        assert!(all.iter().any(|r| r.find == host.as_bytes()));
        assert!(all.iter().all(|r| r.find.len() >= 2));
        let no_host = machine_redactions(&Privacy {
            host: false,
            ..Privacy::default()
        });
        assert!(
            !no_host
                .iter()
                .any(|r| r.find == host.as_bytes() && r.replace == b"demo")
        );
    }
}
