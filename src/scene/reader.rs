//! Typed reading of a [`Node`] tree: nodes in, typed values (strings with
//! `{NAME}` substituted, numbers in range, durations, tables taken key by
//! key) out. Every problem becomes a diagnostic with the value's place, and
//! reading goes on, so one pass finds every error.

use std::collections::BTreeMap;
use std::ops::Range;
use std::time::Duration;

use super::diagnostic::Diagnostic;
use super::duration;
use super::node::{Node, TableKey, Value};
use super::vars::substitute;

/// Reads values out of nodes for validation: collects every problem found,
/// and knows the scene's variables for substitution.
#[derive(Debug, Default)]
pub struct Reader {
    pub errors: Vec<Diagnostic>,
    pub vars: BTreeMap<String, String>,
}

/// A table being read: keys are taken one by one, and [`Table::finish`]
/// reports the ones nobody took.
pub struct Table<'n> {
    pub span: Range<usize>,
    entries: &'n [(TableKey, Node)],
    used: Vec<bool>,
    what: &'static str,
}

impl Reader {
    /// Reports a problem at `span`.
    pub fn error(&mut self, message: impl Into<String>, span: Range<usize>) {
        self.errors.push(Diagnostic::new(message, span));
    }

    /// Reports that `node` is not `what`, naming what it is.
    pub fn expected(&mut self, what: &str, node: &Node) {
        let message = match node.value {
            Value::Other(too_large @ "an integer out of range") => format!("{too_large}: integers are 64-bit"),
            ref other => format!("expected {what}, found {}", other.kind()),
        };
        self.error(message, node.span.clone());
    }

    /// Opens `node` as a table named `what` in messages.
    pub fn table<'n>(&mut self, node: &'n Node, what: &'static str) -> Option<Table<'n>> {
        match &node.value {
            Value::Table(entries) => Some(Table {
                span: node.span.clone(),
                entries,
                used: vec![false; entries.len()],
                what,
            }),
            _ => {
                self.expected(&format!("a table for {what}"), node);
                None
            }
        }
    }

    /// A string, with `{NAME}` variables substituted.
    pub fn text(&mut self, node: &Node) -> Option<String> {
        self.raw_text(node).map(|s| substitute(&s, &self.vars))
    }

    /// A string as written.
    pub fn raw_text(&mut self, node: &Node) -> Option<String> {
        match &node.value {
            Value::Str(s) => Some(s.clone()),
            _ => {
                self.expected("a string", node);
                None
            }
        }
    }

    pub fn bool(&mut self, node: &Node) -> Option<bool> {
        match node.value {
            Value::Bool(b) => Some(b),
            _ => {
                self.expected("true or false", node);
                None
            }
        }
    }

    /// An integer within `range`.
    pub fn int(&mut self, node: &Node, range: std::ops::RangeInclusive<i64>) -> Option<i64> {
        match node.value {
            Value::Int(n) if range.contains(&n) => Some(n),
            Value::Int(n) => {
                self.error(
                    format!("{n} is out of range ({} to {})", range.start(), range.end()),
                    node.span.clone(),
                );
                None
            }
            _ => {
                self.expected("an integer", node);
                None
            }
        }
    }

    /// A number (integer or float) within `range`.
    pub fn number(&mut self, node: &Node, range: std::ops::RangeInclusive<f64>) -> Option<f64> {
        let n = match node.value {
            Value::Int(n) => n as f64,
            Value::Float(f) => f,
            _ => {
                self.expected("a number", node);
                return None;
            }
        };
        if range.contains(&n) {
            Some(n)
        } else {
            self.error(
                format!("{n} is out of range ({} to {})", range.start(), range.end()),
                node.span.clone(),
            );
            None
        }
    }

    /// `"80ms"`, `"1.5s"`, or a number of seconds.
    pub fn duration(&mut self, node: &Node) -> Option<Duration> {
        let parsed = match &node.value {
            Value::Str(s) => duration::parse(&substitute(s, &self.vars)),
            Value::Int(n) => duration::seconds(*n as f64),
            Value::Float(f) => duration::seconds(*f),
            _ => {
                self.expected("a duration such as \"80ms\" or \"1.5s\"", node);
                return None;
            }
        };
        parsed.map_err(|e| self.error(e, node.span.clone())).ok()
    }

    /// A regex compiled by `build` (which sets the regex crate's limits)
    /// from the string `node`, with `{NAME}` variables substituted.
    pub fn regex<R>(&mut self, node: &Node, build: impl FnOnce(&str) -> Result<R, regex::Error>) -> Option<R> {
        let pattern = self.text(node)?;
        match build(&pattern) {
            Ok(regex) => Some(regex),
            Err(e) => {
                // The last line of the crate's message says what is wrong.
                let last = e.to_string().lines().last().unwrap_or("invalid").trim().to_string();
                let msg = last.strip_prefix("error: ").unwrap_or(&last);
                self.error(format!("bad regex: {msg}"), node.span.clone());
                None
            }
        }
    }

    /// A table of strings (environment, variables), in source order.
    pub fn string_map(&mut self, node: &Node, substitute_values: bool) -> Vec<(TableKey, String)> {
        let Value::Table(entries) = &node.value else {
            self.expected("a table of strings", node);
            return Vec::new();
        };
        let mut out = Vec::with_capacity(entries.len());
        for (key, value) in entries {
            let text = if substitute_values {
                self.text(value)
            } else {
                self.raw_text(value)
            };
            if let Some(text) = text {
                out.push((key.clone(), text));
            }
        }
        out
    }
}

impl<'n> Table<'n> {
    /// Takes the value of `key`, if present.
    pub fn take(&mut self, key: &str) -> Option<&'n Node> {
        let i = self.entries.iter().position(|(k, _)| k.name == key)?;
        self.used[i] = true;
        Some(&self.entries[i].1)
    }

    /// Takes a required key, reporting its absence at the table.
    pub fn require(&mut self, reader: &mut Reader, key: &str) -> Option<&'n Node> {
        let node = self.take(key);
        if node.is_none() {
            reader.error(
                format!("{} needs `{key}`", self.what),
                self.span.start..self.span.start + 1,
            );
        }
        node
    }

    /// Whether `key` is present (without taking it).
    pub fn has(&self, key: &str) -> bool {
        self.entries.iter().any(|(k, _)| k.name == key)
    }

    /// The key's own span, for messages about the key rather than its value.
    pub fn key_span(&self, key: &str) -> Option<Range<usize>> {
        self.entries
            .iter()
            .find(|(k, _)| k.name == key)
            .map(|(k, _)| k.span.clone())
    }

    /// The keys not taken yet.
    pub fn unused(&self) -> impl Iterator<Item = &str> {
        self.entries
            .iter()
            .zip(&self.used)
            .filter(|(_, used)| !**used)
            .map(|((k, _), _)| k.name.as_str())
    }

    /// Takes every key in `known`, so that [`Table::finish`] reports only
    /// the truly unknown ones.
    pub fn take_known(&mut self, known: &[&str]) {
        for ((key, _), used) in self.entries.iter().zip(self.used.iter_mut()) {
            if known.contains(&key.name.as_str()) {
                *used = true;
            }
        }
    }

    /// Reports every key not taken, suggesting the closest known one.
    pub fn finish(self, reader: &mut Reader, known: &[&str]) {
        for ((key, _), used) in self.entries.iter().zip(&self.used) {
            if *used {
                continue;
            }
            let hint = match closest(&key.name, known) {
                Some(near) => format!(" (did you mean `{near}`?)"),
                None => format!("; expected one of: {}", known.join(", ")),
            };
            reader.error(
                format!("unknown key `{}` in {}{hint}", key.name, self.what),
                key.span.clone(),
            );
        }
    }
}

/// The known word within edit distance 2 of `word`, if any.
pub fn closest<'k>(word: &str, known: &[&'k str]) -> Option<&'k str> {
    known
        .iter()
        .map(|k| (edit_distance(word, k), *k))
        .filter(|(d, _)| *d <= 2)
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let next = (row[j + 1] + 1).min(row[j] + 1).min(diagonal + usize::from(ca != *cb));
            diagonal = row[j + 1];
            row[j + 1] = next;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_near_keys_only() {
        assert_eq!(closest("promt", &["prompt", "pane"]), Some("prompt"));
        assert_eq!(closest("colour", &["cols", "rows"]), None);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "ab"), 2);
    }
}
