//! A format-neutral tree of scene values, each with its byte span in the
//! source, so that validation can point at the line of any value whether
//! the scene was written in TOML or JSON.
//!
//! TOML text flows in through [`from_toml`] (JSON through the `json`
//! module, which builds the same tree); the tree flows out to validation,
//! or every syntax error with its span.

use std::ops::Range;

use super::diagnostic::Diagnostic;

/// A value and where it stands in the source.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub span: Range<usize>,
    pub value: Value,
}

impl Node {
    /// An array's items, or the value itself as the only item: for keys
    /// that take one value or a list of them.
    pub fn items(&self) -> Vec<&Node> {
        match &self.value {
            Value::Array(items) => items.iter().collect(),
            _ => vec![self],
        }
    }
}

/// A table key and where it stands.
#[derive(Debug, Clone, PartialEq)]
pub struct TableKey {
    pub name: String,
    pub span: Range<usize>,
}

/// The kinds of value a scene can hold.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Str(String),
    Int(i64),
    Float(f64),
    Bool(bool),
    Array(Vec<Node>),
    /// Entries in source order.
    Table(Vec<(TableKey, Node)>),
    /// A value the scene model has no use for (a TOML datetime, a JSON null),
    /// named for messages.
    Other(&'static str),
}

impl Value {
    /// The kind of value, for "expected X, found Y" messages.
    pub fn kind(&self) -> &'static str {
        match self {
            Value::Str(_) => "a string",
            Value::Int(_) => "an integer",
            Value::Float(_) => "a float",
            Value::Bool(_) => "a boolean",
            Value::Array(_) => "an array",
            Value::Table(_) => "a table",
            Value::Other(what) => what,
        }
    }
}

/// Parses a TOML document; every syntax error is reported, not only the first.
pub fn from_toml(text: &str) -> Result<Node, Vec<Diagnostic>> {
    let (table, errors) = toml::de::DeTable::parse_recoverable(text);
    if !errors.is_empty() {
        return Err(errors
            .iter()
            .map(|e| Diagnostic::new(e.message().trim_end().to_string(), e.span().unwrap_or(0..0)))
            .collect());
    }
    let span = table.span();
    Ok(Node {
        span,
        value: toml_table(table.get_ref()),
    })
}

fn toml_table(table: &toml::de::DeTable<'_>) -> Value {
    let mut entries: Vec<(TableKey, Node)> = table
        .iter()
        .map(|(k, v)| {
            (
                TableKey {
                    name: k.get_ref().to_string(),
                    span: k.span(),
                },
                toml_node(v),
            )
        })
        .collect();
    entries.sort_by_key(|(k, _)| k.span.start);
    Value::Table(entries)
}

fn toml_node(node: &toml::Spanned<toml::de::DeValue<'_>>) -> Node {
    use toml::de::DeValue;
    let value = match node.get_ref() {
        DeValue::String(s) => Value::Str(s.to_string()),
        DeValue::Integer(i) => {
            let digits: String = i.as_str().chars().filter(|c| *c != '_').collect();
            let digits = digits
                .trim_start_matches("0x")
                .trim_start_matches("0o")
                .trim_start_matches("0b");
            match i64::from_str_radix(digits, i.radix()) {
                Ok(n) => Value::Int(n),
                Err(_) => Value::Other("an integer out of range"),
            }
        }
        DeValue::Float(f) => {
            let text: String = f.as_str().chars().filter(|c| *c != '_').collect();
            match text.trim_start_matches('+') {
                "inf" => Value::Float(f64::INFINITY),
                "-inf" => Value::Float(f64::NEG_INFINITY),
                "nan" | "-nan" => Value::Float(f64::NAN),
                t => t.parse().map_or(Value::Other("a malformed float"), Value::Float),
            }
        }
        DeValue::Boolean(b) => Value::Bool(*b),
        DeValue::Datetime(_) => Value::Other("a date-time"),
        DeValue::Array(items) => Value::Array(items.iter().map(toml_node).collect()),
        DeValue::Table(t) => toml_table(t),
    };
    Node {
        span: node.span(),
        value,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(node: &Node) -> &[(TableKey, Node)] {
        match &node.value {
            Value::Table(t) => t,
            other => panic!("not a table: {other:?}"),
        }
    }

    #[test]
    fn toml_values_keep_their_spans_and_order() {
        let text = "b = 0x10\na = [1.5, true]\n[[step]]\nrun = \"x\"\n[when]\nd = 1979-05-27\n";
        let root = from_toml(text).unwrap();
        let t = table(&root);
        let names: Vec<&str> = t.iter().map(|(k, _)| k.name.as_str()).collect();
        assert_eq!(names, ["b", "a", "step", "when"]);
        assert_eq!(t[0].1.value, Value::Int(16));
        assert_eq!(&text[t[0].1.span.clone()], "0x10");
        let Value::Array(items) = &t[1].1.value else { panic!() };
        assert_eq!(items[0].value, Value::Float(1.5));
        assert_eq!(&text[items[1].span.clone()], "true");
        let Value::Array(steps) = &t[2].1.value else { panic!() };
        let run = &table(&steps[0])[0];
        assert_eq!((run.0.name.as_str(), &text[run.1.span.clone()]), ("run", "\"x\""));
        assert_eq!(table(&t[3].1)[0].1.value.kind(), "a date-time");
    }

    #[test]
    fn toml_syntax_errors_are_all_reported() {
        let errs = from_toml("a = \nb = \"open\nc = 1\n").unwrap_err();
        assert!(!errs.is_empty());
        assert!(errs.iter().all(|e| !e.message.is_empty()));
    }
}
