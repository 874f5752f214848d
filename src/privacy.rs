//! Keeps the recording machine's identity, and whatever else a scene
//! declares, out of the cast — without rewriting what programs print.
//!
//! Three layers:
//!
//! - [`identity`] decides what is private: the user name, the host name
//!   and the home directory, unless they identify nobody (a system account
//!   such as `root`, a generic image account such as `runner`,
//!   `localhost`).
//! - [`Redactor`] replaces them in each pane's output bytes before the
//!   bytes reach the pane's emulator: whole words only (`chroot` stays
//!   `chroot` when the user is `root`… or anyone), host names in any case,
//!   the home directory as a path prefix, also JSON-escaped and URL-encoded.
//!   The scene's `[privacy] redact` rules apply to whole lines.
//! - [`Identity::find_in_rows`] checks what the viewer will see: a program
//!   can assemble a name on screen from pieces (cursor moves, backspaces,
//!   `\r`, a pause in the middle), which no byte filter can see. The
//!   director runs it on every frame before writing it, and a private
//!   value on screen stops the recording: a cast is never written with one.

use std::borrow::Cow;

use crate::scene::{Action, Privacy, Redact, Scene};

/// A partial line longer than this is redacted without waiting for its end.
const MAX_HELD_LINE: usize = 64 * 1024;
/// Accounts below this uid are the system's own (`root`, daemons).
const FIRST_PERSON_UID: u32 = 1000;
/// `nobody`, which some systems give a high uid.
const NOBODY_UID: u32 = 65534;
/// Accounts that images and CI runners create for everyone: their names,
/// and their homes, identify nobody, and replacing them would rewrite
/// ordinary words (`node server.js`, `/home/runner/work`).
const GENERIC_ACCOUNTS: &[&str] = &[
    "root", "admin", "app", "builder", "circleci", "debian", "dev", "docker", "ec2-user", "gitpod", "jenkins", "node",
    "nobody", "pi", "runner", "ubuntu", "user", "vagrant", "vscode",
];
/// Host names that identify no machine.
const GENERIC_HOSTS: &[&str] = &["localhost", "localhost.localdomain", "localhost6"];

/// What stands in for each kind of private value.
pub const USER_STAND_IN: &str = "director";
pub const HOST_STAND_IN: &str = "demo";
pub const HOME_STAND_IN: &str = "/home/director";

/// The kinds of private value, as messages name them (never the value).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    User,
    Host,
    Home,
}

impl Kind {
    pub fn describe(self) -> &'static str {
        match self {
            Kind::User => "user name",
            Kind::Host => "host name",
            Kind::Home => "home directory",
        }
    }

    /// What stands in for a value of this kind.
    pub fn stand_in(self) -> &'static str {
        match self {
            Kind::User => USER_STAND_IN,
            Kind::Host => HOST_STAND_IN,
            Kind::Home => HOME_STAND_IN,
        }
    }

    /// The `[privacy]` key that turns this kind off.
    pub fn key(self) -> &'static str {
        match self {
            Kind::User => "user",
            Kind::Host => "host",
            Kind::Home => "home",
        }
    }
}

/// One private value and what stands in for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Private {
    pub kind: Kind,
    pub value: String,
}

/// What the machine says about who records: the environment, the account
/// director runs as, and a way to look other names up.
#[derive(Debug, Clone, Default)]
pub struct Facts {
    /// `$USER` and `$LOGNAME`.
    pub env_users: Vec<String>,
    /// `$HOME`.
    pub env_home: Option<String>,
    /// The account director runs as: name, uid, home.
    pub account: Option<Account>,
    /// Every account in `/etc/passwd`.
    pub accounts: Vec<Account>,
    /// The kernel's node name.
    pub host: Option<String>,
}

/// An entry of `/etc/passwd`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    pub name: String,
    pub uid: u32,
    pub home: String,
}

impl Account {
    /// Whether the account is the system's or everyone's, not a person's.
    fn identifies_nobody(&self) -> bool {
        self.uid < FIRST_PERSON_UID || self.uid == NOBODY_UID || GENERIC_ACCOUNTS.contains(&self.name.as_str())
    }
}

impl Facts {
    /// Reads this machine.
    pub fn of_this_machine() -> Self {
        let accounts = read_accounts();
        let uid = rustix::process::getuid().as_raw();
        let account = accounts.iter().find(|a| a.uid == uid).cloned();
        let env_users = ["USER", "LOGNAME"]
            .iter()
            .filter_map(|k| std::env::var(k).ok())
            .collect();
        let host = {
            let name = rustix::system::uname();
            name.nodename().to_str().ok().map(|n| n.trim().to_string())
        };
        Self {
            env_users,
            env_home: std::env::var("HOME").ok(),
            account,
            accounts,
            host,
        }
    }

    fn named(&self, name: &str) -> Option<&Account> {
        self.accounts.iter().find(|a| a.name == name)
    }
}

fn read_accounts() -> Vec<Account> {
    let Ok(passwd) = std::fs::read_to_string("/etc/passwd") else {
        return Vec::new();
    };
    passwd
        .lines()
        .filter_map(|line| {
            let fields: Vec<&str> = line.split(':').collect();
            (fields.len() >= 6).then_some(())?;
            Some(Account {
                name: fields[0].to_string(),
                uid: fields[2].parse().ok()?,
                home: fields[5].to_string(),
            })
        })
        .collect()
}

/// The private values of this machine that `privacy` asks to hide.
pub fn identity(privacy: &Privacy) -> Vec<Private> {
    private_values(&Facts::of_this_machine(), privacy)
}

/// The private values `facts` show: longest first, so that a longer value
/// (a fully qualified host name) wins over one it contains.
pub fn private_values(facts: &Facts, privacy: &Privacy) -> Vec<Private> {
    let mut list: Vec<Private> = Vec::new();
    let stand_ins = [USER_STAND_IN, HOST_STAND_IN, HOME_STAND_IN];
    let mut add = |kind: Kind, value: &str| {
        let value = value.trim();
        // A single letter would garble all output.
        if value.chars().count() >= 2 && !stand_ins.contains(&value) && !list.iter().any(|p| p.value == value) {
            list.push(Private {
                kind,
                value: value.to_string(),
            });
        }
    };
    // A name identifies nobody if its account does; a name that is not an
    // account (USER set by hand) is taken as a person's.
    let nobody = |name: &str| facts.named(name).is_some_and(Account::identifies_nobody) || name == "root";
    if privacy.home {
        let own = facts.account.as_ref();
        let homes = [facts.env_home.as_deref(), own.map(|a| a.home.as_str())];
        for home in homes.into_iter().flatten() {
            let home = home.trim_end_matches('/');
            let whose = facts.accounts.iter().find(|a| a.home.trim_end_matches('/') == home);
            if !home.is_empty() && whose.is_none_or(|a| !a.identifies_nobody()) {
                add(Kind::Home, home);
            }
        }
    }
    if privacy.host
        && let Some(host) = facts.host.as_deref()
        && !GENERIC_HOSTS.contains(&host.to_ascii_lowercase().as_str())
    {
        add(Kind::Host, host);
        // `vm.example.com` is shown as `vm` in prompts.
        if let Some((short, _)) = host.split_once('.') {
            add(Kind::Host, short);
        }
    }
    if privacy.user {
        let names = facts
            .env_users
            .iter()
            .map(String::as_str)
            .chain(facts.account.as_ref().map(|a| a.name.as_str()));
        for name in names {
            if !nobody(name) {
                add(Kind::User, name);
            }
        }
    }
    list.sort_by_key(|p| std::cmp::Reverse(p.value.len()));
    list
}

/// Characters that continue a word (or a host name, or a path component):
/// a private value next to one of them is part of a longer word.
pub fn continues_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '-'
}

/// One spelling of a private value to find, and what replaces it.
#[derive(Debug, Clone)]
struct Form {
    kind: Kind,
    find: Vec<u8>,
    replace: Vec<u8>,
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

    fn matches_at(&self, data: &[u8], at: usize) -> bool {
        let end = at + self.find.len();
        end <= data.len() && self.same(&data[at..end], &self.find)
    }

    /// Whether `tail` could be the start of this form.
    fn could_start(&self, tail: &[u8]) -> bool {
        tail.len() < self.find.len() && self.same(tail, &self.find[..tail.len()])
    }

    fn same(&self, a: &[u8], b: &[u8]) -> bool {
        if self.any_case() {
            a.eq_ignore_ascii_case(b)
        } else {
            a == b
        }
    }

    fn may_follow(&self, before: Option<char>) -> bool {
        self.path() || before.is_none_or(|c| !continues_word(c))
    }

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
    longest: usize,
}

impl Identity {
    pub fn new(values: &[Private]) -> Self {
        let mut forms = Vec::new();
        for p in values {
            let replace = p.kind.stand_in();
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
        Self { forms, finder, longest }
    }

    pub fn is_empty(&self) -> bool {
        self.forms.is_empty()
    }

    /// Scans `data` (preceded by the character `before`) for whole-word
    /// occurrences. With `more` (the stream goes on), an occurrence or a
    /// possible start of one at the very end, whose word boundary the next
    /// bytes decide, is not taken: its start is returned as the place to
    /// hold back from.
    fn scan(&self, data: &[u8], before: Option<char>, more: bool) -> (Vec<(usize, &Form)>, Option<usize>) {
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
        let (found, _) = self.scan(text.as_bytes(), None, false);
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

/// The scene's own words are shown as written — typed commands and text,
/// prompts, pane names, the title, the status line, markers — and a cast
/// must not carry a private value, so a scene that holds one is refused
/// before anything runs. Says which part holds which kind.
pub fn check_scene(scene: &Scene, identity: &Identity) -> Result<(), String> {
    if identity.is_empty() {
        return Ok(());
    }
    let mut texts: Vec<(String, &str)> = Vec::new();
    if let Some(title) = &scene.title {
        texts.push((
            "the title (it is in the cast's header and the status line)".into(),
            title,
        ));
    }
    if let Some(status) = &scene.status {
        texts.push(("the status line's text".into(), &status.right));
    }
    for pane in &scene.panes {
        texts.push((format!("pane \"{}\": its name", pane.name), &pane.name));
        texts.push((format!("pane \"{}\": its prompt", pane.name), &pane.prompt));
    }
    for (i, step) in scene.steps.iter().enumerate() {
        let text = match &step.action {
            Action::Run { command, .. } => command,
            Action::Type { text, .. } => text,
            Action::Marker(label) => label,
            _ => continue,
        };
        let place = format!("step {} ({}, line {}): its text", i + 1, step.action.kind(), step.line);
        texts.push((place, text));
    }
    match texts
        .iter()
        .find_map(|(place, text)| Some((place, identity.find(text)?.1)))
    {
        None => Ok(()),
        Some((place, kind)) => Err(format!(
            "{place} holds the recording machine's {what}, which a cast must not show; nothing was recorded. \
             Write something else there, or publish it with `{key} = false` in [privacy]",
            what = kind.describe(),
            key = kind.key()
        )),
    }
}

enum Next {
    Char(char),
    /// The data ends here, or in the middle of a character.
    End,
}

fn char_at(data: &[u8], at: usize) -> Next {
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

fn char_before(data: &[u8], at: usize) -> Option<char> {
    let head = &data[..at];
    for len in 1..=4.min(head.len()) {
        if let Ok(s) = std::str::from_utf8(&head[head.len() - len..]) {
            return s.chars().next_back();
        }
    }
    // Invalid UTF-8 continues no word.
    head.last().map(|_| '\u{fffd}')
}

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

/// A streaming replacement over one pane's output. A value split across
/// two reads is still found: a tail that could begin one, or a value whose
/// word boundary the next byte decides, is held back until the next read.
/// With line patterns, the unfinished last line is held back too, until its
/// newline (or `\r`) comes or [`Redactor::release`].
#[derive(Debug, Clone, Default)]
pub struct Redactor {
    identity: Identity,
    lines: Vec<Redact>,
    held: Vec<u8>,
    /// The last character before `held`, for the word boundary.
    before: Option<char>,
}

impl Redactor {
    pub fn new(identity: Identity, lines: Vec<Redact>) -> Self {
        Self {
            identity,
            lines,
            held: Vec::new(),
            before: None,
        }
    }

    /// Whether bytes are held back, waiting for more.
    pub fn holding(&self) -> bool {
        !self.held.is_empty()
    }

    /// Feeds a chunk; returns what can be shown now.
    pub fn feed<'c>(&mut self, chunk: &'c [u8]) -> Cow<'c, [u8]> {
        if self.identity.is_empty() && self.lines.is_empty() {
            return Cow::Borrowed(chunk);
        }
        // Most reads hold nothing to replace: show them as they are.
        if self.held.is_empty() && self.lines.is_empty() {
            let (found, hold) = self.identity.scan(chunk, self.before, true);
            if found.is_empty() && hold.is_none() {
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
        let end = hold.unwrap_or(data.len());
        let mut out = Vec::with_capacity(end + 16);
        let mut last = 0;
        for (start, form) in found.into_iter().filter(|(s, _)| *s < end) {
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

    fn apply_lines(&self, mut data: Vec<u8>) -> Vec<u8> {
        for rule in &self.lines {
            if let Cow::Owned(replaced) = rule.regex.replace_all(&data, rule.replace.as_bytes()) {
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

    fn alice() -> Facts {
        let account = |name: &str, uid, home: &str| Account {
            name: name.into(),
            uid,
            home: home.into(),
        };
        Facts {
            env_users: vec!["alice".into()],
            env_home: Some("/home/alice".into()),
            account: Some(account("alice", 1000, "/home/alice")),
            accounts: vec![
                account("root", 0, "/root"),
                account("alice", 1000, "/home/alice"),
                account("runner", 1001, "/home/runner"),
            ],
            host: Some("vm.example.org".into()),
        }
    }

    fn identity_of(facts: &Facts) -> Identity {
        Identity::new(&private_values(facts, &Privacy::default()))
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
    fn a_person_is_private_a_system_or_generic_account_is_not() {
        let values = private_values(&alice(), &Privacy::default());
        let kinds: Vec<(&str, Kind)> = values.iter().map(|p| (p.value.as_str(), p.kind)).collect();
        assert_eq!(
            kinds,
            [
                ("vm.example.org", Kind::Host),
                ("/home/alice", Kind::Home),
                ("alice", Kind::User),
                ("vm", Kind::Host)
            ]
        );
        let root = Facts {
            env_users: vec!["root".into()],
            env_home: Some("/root".into()),
            account: Some(Account {
                name: "root".into(),
                uid: 0,
                home: "/root".into(),
            }),
            accounts: alice().accounts,
            host: Some("localhost".into()),
        };
        assert!(private_values(&root, &Privacy::default()).is_empty());
        let runner = Facts {
            env_users: vec!["runner".into()],
            env_home: Some("/home/runner".into()),
            account: alice().accounts.into_iter().find(|a| a.name == "runner"),
            ..alice()
        };
        let values = private_values(&runner, &Privacy::default());
        assert!(values.iter().all(|p| p.kind == Kind::Host), "{values:?}");
        // Each switch turns off its own kind only.
        let no_host = private_values(
            &alice(),
            &Privacy {
                host: false,
                ..Privacy::default()
            },
        );
        assert!(no_host.iter().all(|p| p.kind != Kind::Host) && no_host.len() == 2);
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

    #[test]
    fn every_split_point_gives_the_same_result() {
        let input =
            "alice@vm:/home/alice$ chalice alic alice\r\nConnected by 127.0.0.1:40312\r\nalicex é alice".as_bytes();
        let make = || Redactor::new(identity_of(&alice()), vec![port_rule()]);
        let whole = feed_cut(&mut make(), input, input.len());
        assert_eq!(
            String::from_utf8(whole.clone()).unwrap(),
            "director@demo:/home/director$ chalice alic director\r\nConnected by 127.0.0.1:54321\r\nalicex é director"
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

    #[test]
    fn this_machines_identity_reads() {
        let facts = Facts::of_this_machine();
        assert!(facts.accounts.iter().any(|a| a.uid == 0), "/etc/passwd has root");
        assert!(facts.host.as_deref().is_some_and(|h| !h.is_empty()));
    }
}
