//! Keeps the recording machine's identity out of the cast.
//!
//! The user name, host name and home directory are replaced in every byte a
//! pane's program prints, before the bytes reach the pane's emulator, so
//! they never appear on screen and cannot reach the file.

/// One literal to hide and what to show instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redaction {
    pub find: Vec<u8>,
    pub replace: Vec<u8>,
}

/// The default redactions for this machine: home directory first (it usually
/// contains the user name), then host name, then user name. Values shorter
/// than 2 bytes are skipped: replacing a single letter would garble all output.
pub fn machine_redactions() -> Vec<Redaction> {
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
    add(std::env::var("HOME").ok().filter(|h| h != "/"), "/home/director");
    add(host_name(), "demo");
    add(user_name(), "director");
    list
}

fn host_name() -> Option<String> {
    let name = rustix::system::uname();
    let name = name.nodename().to_str().ok()?.trim().to_string();
    (!name.is_empty()).then_some(name)
}

fn user_name() -> Option<String> {
    std::env::var("USER")
        .or_else(|_| std::env::var("LOGNAME"))
        .ok()
        .filter(|u| !u.is_empty())
}

/// A streaming find-and-replace over a pane's output. A match split across
/// two reads is still found: the tail that could begin a match is held back
/// until the next read (or [`Redactor::finish`]).
#[derive(Debug, Clone, Default)]
pub struct Redactor {
    rules: Vec<Redaction>,
    held: Vec<u8>,
}

impl Redactor {
    pub fn new(rules: Vec<Redaction>) -> Self {
        Self {
            rules,
            held: Vec::new(),
        }
    }

    /// Feeds a chunk; returns what can be shown now.
    pub fn feed(&mut self, chunk: &[u8]) -> Vec<u8> {
        if self.rules.is_empty() {
            return chunk.to_vec();
        }
        self.held.extend_from_slice(chunk);
        let data = std::mem::take(&mut self.held);
        let mut out = Vec::with_capacity(data.len());
        let mut i = 0;
        'scan: while i < data.len() {
            for rule in &self.rules {
                let rest = &data[i..];
                if rest.starts_with(&rule.find) {
                    out.extend_from_slice(&rule.replace);
                    i += rule.find.len();
                    continue 'scan;
                }
                if rule.find.starts_with(rest) {
                    // The end of this read may be the start of a match.
                    self.held.extend_from_slice(rest);
                    break 'scan;
                }
            }
            out.push(data[i]);
            i += 1;
        }
        out
    }

    /// Releases whatever is held back (at the end of the stream).
    pub fn finish(&mut self) -> Vec<u8> {
        std::mem::take(&mut self.held)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn redactor() -> Redactor {
        Redactor::new(vec![
            Redaction {
                find: b"/home/alice".to_vec(),
                replace: b"/home/director".to_vec(),
            },
            Redaction {
                find: b"alice".to_vec(),
                replace: b"director".to_vec(),
            },
        ])
    }

    #[test]
    fn replaces_whole_and_split_matches() {
        let mut r = redactor();
        assert_eq!(
            r.feed(b"user alice in /home/alice/x\r\n"),
            b"user director in /home/director/x\r\n"
        );
        let mut out = r.feed(b"hi ali");
        assert_eq!(out, b"hi ");
        out.extend(r.feed(b"ce!"));
        assert_eq!(out, b"hi director!");
        let mut out = r.feed(b"/ho");
        out.extend(r.feed(b"me/al"));
        out.extend(r.feed(b"x"));
        assert_eq!(out, b"/home/alx");
    }

    #[test]
    fn finish_releases_a_partial_match() {
        let mut r = redactor();
        assert_eq!(r.feed(b"al"), b"");
        assert_eq!(r.finish(), b"al");
    }

    #[test]
    fn every_split_point_gives_the_same_result() {
        let input = b"alice@/home/alice: alic alice".as_slice();
        let whole = {
            let mut r = redactor();
            let mut o = r.feed(input);
            o.extend(r.finish());
            o
        };
        assert_eq!(whole, b"director@/home/director: alic director");
        for cut in 0..input.len() {
            let mut r = redactor();
            let mut o = r.feed(&input[..cut]);
            o.extend(r.feed(&input[cut..]));
            o.extend(r.finish());
            assert_eq!(o, whole, "cut at {cut}");
        }
    }

    #[test]
    fn machine_redactions_cover_this_machine() {
        let rules = machine_redactions();
        if let Some(host) = host_name().filter(|h| h.len() >= 2) {
            assert!(rules.iter().any(|r| r.find == host.as_bytes()));
        }
        assert!(rules.iter().all(|r| r.find.len() >= 2));
    }
}
