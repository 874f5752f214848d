//! What a scrub replaces: the user, host and home given, and those the
//! cast shows by itself — `user@host` in a window title (OSC 0/1/2) or a
//! prompt (`user@host:~$`, `[user@host dir]$`), the host of a working
//! directory report (OSC 7), and the user's home in a path.

use std::collections::BTreeSet;

use regex::Regex;

use crate::asciicast::{EventData, Header};
use crate::privacy::{Facts, Identity, Private, Redactor, private_values};
use crate::scene::{Privacy, Redact};

/// The values to replace and the `--redact` rules.
#[derive(Debug, Clone, Default)]
pub struct Scrub {
    pub privates: Vec<Private>,
    pub redact: Vec<Redact>,
}

/// What a cast shows of who recorded it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Found {
    pub users: BTreeSet<String>,
    pub hosts: BTreeSet<String>,
    pub homes: BTreeSet<String>,
}

impl Found {
    /// Adds what `other` found.
    pub fn merge(&mut self, other: Found) {
        self.users.extend(other.users);
        self.hosts.extend(other.hosts);
        self.homes.extend(other.homes);
    }

    /// Looks for identities in a cast's output, event by event.
    #[cfg(test)]
    pub fn in_events<'a>(events: impl Iterator<Item = &'a EventData>) -> Self {
        let mut finder = Finder::new();
        events.for_each(|data| finder.feed(data));
        finder.found()
    }
}

/// Adds `value` to `set` (a value seen again costs no copy).
fn add(set: &mut BTreeSet<String>, value: &str) {
    if !set.contains(value) {
        set.insert(value.to_string());
    }
}

/// Looks for identities in a cast's output as it streams by (a prompt
/// split across events is found too: the end of each is kept).
pub struct Finder {
    title: Regex,
    prompt: Regex,
    cwd: Regex,
    home: Regex,
    found: Found,
    /// The end of the output so far, where a prompt may go on.
    window: String,
    /// Users' homes seen: (user, home).
    homes: BTreeSet<(String, String)>,
    /// What each pattern needs: `@`, an OSC 7, a home in /home or /Users.
    needles: [memchr::memmem::Finder<'static>; 4],
}

impl Default for Finder {
    fn default() -> Self {
        Self::new()
    }
}

impl Finder {
    pub fn new() -> Self {
        Self {
            title: Regex::new(r"\x1b\][012];([a-z_][a-z0-9_.-]{0,31})@([A-Za-z0-9][A-Za-z0-9.-]{0,252})[: ]").unwrap(),
            prompt: Regex::new(
                // After a space, a bracket or a colour change, and before `:`
                // and a path (colour changes between, as in Debian's prompt).
                r"(?:^|[\s\[]|\x1b\[[0-9;]*m)([a-z_][a-z0-9_.-]{0,31})@([A-Za-z0-9][A-Za-z0-9.-]{0,252})(?:\x1b\[[0-9;]*m)*(?::(?:\x1b\[[0-9;]*m)*[~/]| [~/A-Za-z0-9._-]*\])",
            )
            .unwrap(),
            cwd: Regex::new(r"\x1b\]7;file://([A-Za-z0-9][A-Za-z0-9.-]{0,252})/").unwrap(),
            home: Regex::new(r"(/home/|/Users/)([a-z_][a-z0-9_.-]{0,31})\b").unwrap(),
            found: Found::default(),
            window: String::new(),
            homes: BTreeSet::new(),
            needles: ["@", "\x1b]7;", "/home/", "/Users/"].map(memchr::memmem::Finder::new),
        }
    }

    /// Looks at an event.
    pub fn feed(&mut self, data: &EventData) {
        let EventData::Output(text) = data else { return };
        let window = &mut self.window;
        window.push_str(text);
        // Most output holds none of what the patterns need: a look for it
        // costs far less than the patterns.
        let holds = |needle: &memchr::memmem::Finder| needle.find(window.as_bytes()).is_some();
        let [at, cwd, home, users] = &self.needles;
        if holds(at) {
            for re in [&self.title, &self.prompt] {
                for c in re.captures_iter(window) {
                    add(&mut self.found.users, &c[1]);
                    add(&mut self.found.hosts, &c[2]);
                }
            }
        }
        if holds(cwd) {
            for c in self.cwd.captures_iter(window) {
                add(&mut self.found.hosts, &c[1]);
            }
        }
        if holds(home) || holds(users) {
            for c in self.home.captures_iter(window) {
                let (user, path) = (&c[2], c.get(0).map_or("", |m| m.as_str()));
                if !self.homes.iter().any(|(u, p)| u == user && p == path) {
                    self.homes.insert((user.to_string(), path.to_string()));
                }
            }
        }
        // Keep the end: a prompt may go on in the next event. No pattern
        // matches across a line's end (the one before a prompt is where
        // it may start): the last line is kept, from its line end. Of a
        // long line, the last 512 bytes are kept, from just after a space
        // or a control character, so that its start (`^`) is where a word
        // may start.
        let tail = window.len().saturating_sub(512);
        let cut = match memchr::memrchr2(b'\n', b'\r', &window.as_bytes()[tail..]) {
            Some(end) => tail + end,
            None => {
                let mut keep = tail;
                while !window.is_char_boundary(keep) {
                    keep += 1;
                }
                window[keep..]
                    .char_indices()
                    .find(|&(_, c)| c.is_whitespace() || c.is_control())
                    .map_or(window.len(), |(i, c)| keep + i + c.len_utf8())
            }
        };
        window.drain(..cut);
    }

    /// What the output showed.
    pub fn found(self) -> Found {
        let mut found = self.found;
        // A home counts when it is a found user's.
        for (user, path) in self.homes {
            if found.users.contains(&user) {
                found.homes.insert(path);
            }
        }
        found
    }
}

impl Scrub {
    /// The values of `given` and `found`, as the recorder's own privacy
    /// rules take them (a system account such as `root` and `localhost`
    /// identify nobody; a short host name goes with its long one).
    pub fn new(given: &Found, found: &Found, redact: Vec<Redact>) -> Self {
        let mut privates: Vec<Private> = Vec::new();
        let users: Vec<String> = given.users.iter().chain(&found.users).cloned().collect();
        let hosts: Vec<&String> = given.hosts.iter().chain(&found.hosts).collect();
        let homes: Vec<&String> = given.homes.iter().chain(&found.homes).collect();
        let rounds = hosts.len().max(homes.len()).max(1);
        for i in 0..rounds {
            let facts = Facts {
                env_users: users.clone(),
                env_home: homes.get(i).map(|h| h.to_string()),
                host: hosts.get(i).map(|h| h.to_string()),
                ..Facts::default()
            };
            for p in private_values(&facts, &Privacy::default()) {
                if !privates.contains(&p) {
                    privates.push(p);
                }
            }
        }
        // Longest first, so a longer value wins over one it contains.
        privates.sort_by_key(|p| std::cmp::Reverse(p.value.len()));
        Self { privates, redact }
    }

    /// The header without what identifies the recording: its start time,
    /// and the private values in its title.
    pub fn header(&self, header: &mut Header, identity: &Identity) {
        header.timestamp = None;
        if let Some(title) = &header.title {
            header.title = Some(text(identity, title));
        }
    }
}

/// `value` with every private value replaced.
pub fn text(identity: &Identity, value: &str) -> String {
    let mut redactor = Redactor::new(identity.clone(), Vec::new());
    let mut out = redactor.feed(value.as_bytes()).into_owned();
    out.extend(redactor.release());
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(outputs: &[&str]) -> Found {
        let events: Vec<EventData> = outputs.iter().map(|o| EventData::Output(o.to_string())).collect();
        Found::in_events(events.iter())
    }

    #[test]
    fn identities_are_found_in_titles_prompts_and_paths() {
        let f = found(&[
            "\x1b]0;alice@pc42: ~/src\x07alice@pc4",
            "2:~/src$ ls /home/alice/x /home/bob/y\r\n[carol@box tmp]$ mail me@example.com",
        ]);
        assert_eq!(f.users.iter().collect::<Vec<_>>(), ["alice", "carol"]);
        assert_eq!(f.hosts.iter().collect::<Vec<_>>(), ["box", "pc42"]);
        assert_eq!(f.homes.iter().collect::<Vec<_>>(), ["/home/alice"]);
        let cwd = found(&["\x1b]7;file://laptop.lan/tmp\x07"]);
        assert!(cwd.hosts.contains("laptop.lan"));
    }

    #[test]
    fn a_long_output_yields_no_pieces_of_a_name() {
        // Prompts far apart, each in its own event, cut anywhere.
        let mut outputs = Vec::new();
        for i in 0..200 {
            let junk = "x".repeat(i * 7 % 600);
            outputs.push(format!("{junk}\x1b[01;32malice@pc42\x1b[00m:\x1b[01;34m~\x1b[00m$ "));
        }
        let refs: Vec<&str> = outputs.iter().map(String::as_str).collect();
        let f = found(&refs);
        assert_eq!(f.users.iter().collect::<Vec<_>>(), ["alice"]);
        assert_eq!(f.hosts.iter().collect::<Vec<_>>(), ["pc42"]);
    }

    #[test]
    fn a_prompt_is_found_wherever_the_events_cut_it() {
        // Line ends before, between and inside what the patterns need
        // (a bracketed prompt holds a space).
        let text = "make\r\nok\n[carol@box tmp]$ ls\r\n\x1b]0;dave@web: ~\x07\x1b[01;32malice@pc42\x1b[00m:~$ x";
        for i in 0..=text.len() {
            for j in (i..=text.len()).step_by(3) {
                if !(text.is_char_boundary(i) && text.is_char_boundary(j)) {
                    continue;
                }
                let f = found(&[&text[..i], &text[i..j], &text[j..]]);
                let users: Vec<&String> = f.users.iter().collect();
                assert_eq!(users, ["alice", "carol", "dave"], "cut at {i} and {j}");
                let hosts: Vec<&String> = f.hosts.iter().collect();
                assert_eq!(hosts, ["box", "pc42", "web"], "cut at {i} and {j}");
            }
        }
    }

    #[test]
    fn values_are_taken_as_the_recorder_takes_them() {
        let mut f = found(&["\x1b]0;alice@pc42.example.com: ~\x07root@pc42:~#"]);
        f.homes.insert("/home/alice".into());
        let s = Scrub::new(&Found::default(), &f, Vec::new());
        let values: Vec<&str> = s.privates.iter().map(|p| p.value.as_str()).collect();
        assert!(
            values.contains(&"pc42.example.com") && values.contains(&"pc42"),
            "{values:?}"
        );
        assert!(
            values.contains(&"alice") && values.contains(&"/home/alice"),
            "{values:?}"
        );
        assert!(!values.contains(&"root"), "root identifies nobody: {values:?}");
        let identity = Identity::new(&s.privates);
        assert_eq!(
            text(&identity, "alice@pc42 in /home/alice/x"),
            "director@demo in /home/director/x"
        );
    }
}
