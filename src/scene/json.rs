//! JSON scene files: text in, the spanned [`Node`] tree that a TOML scene
//! also becomes out, or every problem found with its place.
//!
//! jsonc-parser reads the text into an AST that keeps the byte range of
//! every value and property name, with all of its extensions (comments,
//! trailing commas, single quotes…) switched off. What its options cannot
//! switch off, and the nesting bound, are checked on its tokens first by
//! [`strict::check`], which also words every syntax error as "expected X,
//! found Y".

mod strict;

use jsonc_parser::CollectOptions;
use jsonc_parser::ast;
use jsonc_parser::common::Ranged;

use super::diagnostic::Diagnostic;
use super::node::{Node, TableKey, Value};

/// Parses a JSON document (RFC 8259) into a spanned tree.
///
/// Spans are byte ranges into `text`; those of strings and keys include the
/// quotes, those of arrays and objects their brackets. Objects become
/// [`Value::Table`] with entries in source order, integers that fit an `i64`
/// become [`Value::Int`], other numbers [`Value::Float`] and `null`
/// `Value::Other("null")`. A leading UTF-8 byte order mark is skipped.
///
/// Only the first syntax error is reported, since after one there is no
/// reliable place to resume; duplicate keys seen before it are reported too.
pub fn from_json(text: &str) -> Result<Node, Vec<Diagnostic>> {
    let offset = if text.starts_with('\u{feff}') {
        '\u{feff}'.len_utf8()
    } else {
        0
    };
    let body = &text[offset..];
    let place = |mut d: Diagnostic| {
        d.span = d.span.start + offset..d.span.end + offset;
        d
    };
    strict::check(body).map_err(|problems| problems.into_iter().map(place).collect::<Vec<_>>())?;
    // The check accepts only what the strict parser accepts, so neither
    // failure below is expected; they are reported rather than unwrapped.
    let parsed = jsonc_parser::parse_to_ast(body, &CollectOptions::default(), &strict::OPTIONS).map_err(|e| {
        let range = e.range();
        vec![place(Diagnostic::new(e.kind().to_string(), range.start..range.end))]
    })?;
    match parsed.value {
        Some(value) => Ok(node(&value, offset)),
        None => Err(vec![Diagnostic::new(
            "unexpected end of input: expected a value",
            text.len()..text.len(),
        )]),
    }
}

/// The tree of an AST value whose ranges are counted from `offset`.
fn node(value: &ast::Value<'_>, offset: usize) -> Node {
    let span = |r: &dyn Ranged| r.start() + offset..r.end() + offset;
    let converted = match value {
        ast::Value::StringLit(s) => Value::Str(s.value.to_string()),
        ast::Value::NumberLit(n) => number(n.value),
        ast::Value::BooleanLit(b) => Value::Bool(b.value),
        ast::Value::NullKeyword(_) => Value::Other("null"),
        ast::Value::Array(a) => Value::Array(a.elements.iter().map(|e| node(e, offset)).collect()),
        ast::Value::Object(o) => Value::Table(
            o.properties
                .iter()
                .map(|p| {
                    let key = TableKey {
                        name: p.name.clone().into_string(),
                        span: span(&p.name),
                    };
                    (key, node(&p.value, offset))
                })
                .collect(),
        ),
    };
    Node {
        span: span(value),
        value: converted,
    }
}

/// An integer that fits an `i64`, else a float; [`strict::check`] has
/// refused numbers beyond a float's range.
fn number(source: &str) -> Value {
    let integral = !source.contains(['.', 'e', 'E']);
    match source.parse::<i64>() {
        Ok(n) if integral => Value::Int(n),
        _ => source
            .parse::<f64>()
            .map_or(Value::Other("a malformed number"), Value::Float),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Node {
        from_json(text).unwrap_or_else(|e| panic!("{text:?} failed: {e:?}"))
    }

    fn table(node: &Node) -> &[(TableKey, Node)] {
        match &node.value {
            Value::Table(t) => t,
            other => panic!("not a table: {other:?}"),
        }
    }

    fn array(node: &Node) -> &[Node] {
        match &node.value {
            Value::Array(a) => a,
            other => panic!("not an array: {other:?}"),
        }
    }

    /// The first diagnostic's message and span start.
    fn error(text: &str) -> (String, usize) {
        let errors = from_json(text).expect_err(text);
        (errors[0].message.clone(), errors[0].span.start)
    }

    #[test]
    fn spans_of_nested_values_and_keys_cover_their_source() {
        let text =
            "{\n  \"title\": \"démo\",\n  \"steps\": [ {\"run\" : \"ls\"}, [1, 2.5] , true, null ],\n  \"x\": {}\n}";
        let root = parse(text);
        assert_eq!(root.span, 0..text.len());
        let t = table(&root);
        assert_eq!(&text[t[0].0.span.clone()], "\"title\"");
        assert_eq!(&text[t[0].1.span.clone()], "\"démo\"");
        assert_eq!(t[0].1.value, Value::Str("démo".into()));
        assert_eq!(&text[t[1].0.span.clone()], "\"steps\"");
        assert_eq!(
            &text[t[1].1.span.clone()],
            "[ {\"run\" : \"ls\"}, [1, 2.5] , true, null ]"
        );
        let steps = array(&t[1].1);
        assert_eq!(&text[steps[0].span.clone()], "{\"run\" : \"ls\"}");
        let run = &table(&steps[0])[0];
        assert_eq!((&text[run.0.span.clone()], run.0.name.as_str()), ("\"run\"", "run"));
        assert_eq!(&text[run.1.span.clone()], "\"ls\"");
        assert_eq!(&text[steps[1].span.clone()], "[1, 2.5]");
        assert_eq!(&text[array(&steps[1])[1].span.clone()], "2.5");
        assert_eq!(
            (&text[steps[2].span.clone()], &steps[2].value),
            ("true", &Value::Bool(true))
        );
        assert_eq!((&text[steps[3].span.clone()], steps[3].value.kind()), ("null", "null"));
        assert_eq!(&text[t[2].1.span.clone()], "{}");
        assert_eq!(t[2].1.value, Value::Table(vec![]));
    }

    #[test]
    fn keys_keep_source_order() {
        let root = parse(r#"{"zeta": 1, "alpha": 2, "mid": 3, "b": 4}"#);
        let names: Vec<&str> = table(&root).iter().map(|(k, _)| k.name.as_str()).collect();
        assert_eq!(names, ["zeta", "alpha", "mid", "b"]);
    }

    #[test]
    fn integers_that_fit_are_ints_and_the_rest_floats() {
        let cases = [
            ("1", Value::Int(1)),
            ("-0", Value::Int(0)),
            ("-9223372036854775808", Value::Int(i64::MIN)),
            ("9223372036854775807", Value::Int(i64::MAX)),
            ("1.0", Value::Float(1.0)),
            ("1e3", Value::Float(1000.0)),
            ("-2.5E-1", Value::Float(-0.25)),
            ("0e+0", Value::Float(0.0)),
            ("12345678901234567890", Value::Float(12345678901234567890.0)),
            ("9223372036854775808", Value::Float(9223372036854775808.0)),
        ];
        for (text, want) in cases {
            let node = parse(text);
            assert_eq!(node.value, want, "{text}");
            assert_eq!(node.span, 0..text.len(), "{text}");
        }
    }

    #[test]
    fn escapes_decode_including_surrogate_pairs() {
        let text = r#"["\"\\\/\b\f\n\r\t", "\u00e9\u20AC", "\ud83d\ude00", "a\u0000b", "é\n€"]"#;
        let root = parse(text);
        let strings: Vec<&Value> = array(&root).iter().map(|n| &n.value).collect();
        assert_eq!(
            strings,
            [
                &Value::Str("\"\\/\u{8}\u{c}\n\r\t".into()),
                &Value::Str("é€".into()),
                &Value::Str("😀".into()),
                &Value::Str("a\0b".into()),
                &Value::Str("é\n€".into()),
            ]
        );
        assert_eq!(&text[array(&root)[2].span.clone()], r#""\ud83d\ude00""#);
    }

    #[test]
    fn syntax_errors_name_what_was_expected_and_found_where() {
        let cases: &[(&str, &str, usize)] = &[
            (
                r#"{"a": 1 "b": 2}"#,
                "expected ',' or '}' after an object entry, found '\"'",
                8,
            ),
            ("", "unexpected end of input: expected a value", 0),
            (" \n ", "unexpected end of input: expected a value", 3),
            (
                "[1, 2",
                "unexpected end of input: expected ',' or ']' after an array element",
                5,
            ),
            ("[1 2]", "expected ',' or ']' after an array element, found '2'", 3),
            ("1 2", "trailing characters after the JSON value", 2),
            ("{} x", "trailing characters after the JSON value", 3),
            ("01", "numbers may not have leading zeros", 0),
            ("[-012]", "numbers may not have leading zeros", 2),
            ("[1,]", "expected a value after ',', found ']'", 3),
            (r#"{"a": 1,}"#, "expected a string key after ',', found '}'", 8),
            ("{a: 1}", "expected a string key or '}', found 'a'", 1),
            (r#"{"a" 1}"#, "expected ':' after an object key, found '1'", 5),
            (r#"{"a":}"#, "expected a value, found '}'", 5),
            ("-x", "expected a digit after '-', found 'x'", 1),
            (
                "1.",
                "unexpected end of input: expected a digit after the decimal point",
                2,
            ),
            ("1.e5", "expected a digit after the decimal point, found 'e'", 2),
            ("1e+", "unexpected end of input: expected a digit in the exponent", 3),
            ("+1", "expected a value, found '+'", 0),
            (".5", "expected a value, found '.'", 0),
            ("tru", "unexpected end of input: expected `true`", 3),
            ("[trUe]", "expected `true`, found 'U'", 3),
            ("nil", "expected `null`, found 'i'", 1),
            ("'a'", "expected a value, found '\\''", 0),
            ("[\u{feff}1]", "expected a value, found '\\u{feff}'", 1),
            ("1e400", "number out of range", 0),
            (
                "\"abc",
                "unterminated string: expected a closing '\"', found end of input",
                0,
            ),
            (
                "\"abc\\",
                "unexpected end of input: expected an escape character after '\\'",
                5,
            ),
        ];
        for &(text, message, start) in cases {
            assert_eq!(error(text), (message.to_string(), start), "{text:?}");
        }
    }

    #[test]
    fn error_spans_cover_whole_multibyte_characters() {
        let errors = from_json("[1, é]").unwrap_err();
        assert_eq!(errors[0].message, "expected a value, found 'é'");
        assert_eq!(errors[0].span, 4..6);
        let errors = from_json("{\"a\": 1}€").unwrap_err();
        assert_eq!(errors[0].span, 8..11);
    }

    #[test]
    fn string_errors_point_at_the_offending_escape_or_character() {
        let errors = from_json(r#"["ok", "a\qb"]"#).unwrap_err();
        assert!(
            errors[0].message.starts_with("invalid escape '\\q'"),
            "{}",
            errors[0].message
        );
        assert_eq!(errors[0].span, 9..11);
        let errors = from_json("\"\\é\"").unwrap_err();
        assert_eq!(errors[0].span, 1..4);

        assert_eq!(
            error(r#""\u12G4""#),
            ("expected a hex digit in a '\\u' escape, found 'G'".into(), 5)
        );
        assert_eq!(error(r#""\u12""#).1, 5);

        for (text, span) in [
            (r#""\ud83d""#, 1..7),
            (r#""x\ude00""#, 2..8),
            (r#""\ud83dx""#, 1..7),
            (r#""\ud83d\u0041""#, 1..7),
            (r#""\ud83d\ud83d""#, 1..7),
        ] {
            let errors = from_json(text).unwrap_err();
            assert!(errors[0].message.starts_with("lone "), "{text}: {}", errors[0].message);
            assert_eq!(errors[0].span, span, "{text}");
        }
        let (message, start) = error(r#""\ude00""#);
        assert_eq!((message.starts_with("lone low surrogate '\\ude00'"), start), (true, 1));

        let (message, start) = error("\"ab\ncd\"");
        assert!(message.starts_with("line break inside a string"), "{message}");
        assert_eq!(start, 3);
        assert_eq!(
            error("\"a\u{1}\""),
            ("control character U+0001 inside a string must be escaped".into(), 2)
        );
        assert_eq!(error("\"\t\"").1, 1);
        // DEL is not a control character as far as RFC 8259 is concerned.
        assert_eq!(parse("\"\u{7f}\"").value, Value::Str("\u{7f}".into()));
    }

    #[test]
    fn duplicate_keys_are_reported_at_the_second_key() {
        let text = r#"{"name": 1, "x": {"name": 2}, "name": 3, "x": 4}"#;
        let errors = from_json(text).unwrap_err();
        let found: Vec<(&str, &str)> = errors
            .iter()
            .map(|e| (e.message.as_str(), &text[e.span.clone()]))
            .collect();
        assert_eq!(
            found,
            [("duplicate key \"name\"", "\"name\""), ("duplicate key \"x\"", "\"x\"")]
        );
        assert_eq!(errors[0].span.start, text.rfind("\"name\"").unwrap());

        // Keys are compared after unescaping.
        let errors = from_json(r#"{"a": 1, "\u0061": 2, "b": }"#).unwrap_err();
        assert_eq!(errors[0].message, "duplicate key \"a\"");
        assert_eq!(errors[0].span.start, 9);
        assert_eq!(errors[1].message, "expected a value, found '}'");
    }

    #[test]
    fn nesting_is_limited_to_128_levels() {
        let ok = format!("{}{}", "[".repeat(128), "]".repeat(128));
        assert!(from_json(&ok).is_ok());
        let objects = format!("{}1{}", "{\"a\":".repeat(128), "}".repeat(128));
        assert!(from_json(&objects).is_ok());

        let deep = format!("{}{}", "[".repeat(129), "]".repeat(129));
        assert_eq!(error(&deep), ("nesting deeper than 128 levels".into(), 128));
        let mixed = format!("{}{{}}{}", "[{\"k\":".repeat(64), "}]".repeat(64));
        assert_eq!(
            error(&mixed),
            ("nesting deeper than 128 levels".into(), mixed.find("{}").unwrap())
        );
        // Far deeper than any stack would take, were depth not bounded.
        assert_eq!(error(&"[".repeat(1_000_000)).0, "nesting deeper than 128 levels");
    }

    #[test]
    fn a_leading_bom_is_skipped() {
        let text = "\u{feff} {\"a\": 1}";
        let root = parse(text);
        assert_eq!(&text[root.span.clone()], "{\"a\": 1}");
        assert_eq!(
            error("\u{feff}"),
            ("unexpected end of input: expected a value".into(), 3)
        );
        assert_eq!(error("\u{feff}\u{feff}1").1, 3);
    }

    #[test]
    fn only_json_whitespace_is_skipped() {
        assert_eq!(
            parse(" \t\r\n[ \t\r\n1 \t\r\n] \t\r\n").value,
            Value::Array(vec![Node {
                span: 9..10,
                value: Value::Int(1)
            }])
        );
        assert_eq!(error("[1,\u{a0}2]"), ("expected a value, found '\\u{a0}'".into(), 3));
        assert_eq!(error("\u{b}1").1, 0);
    }

    const SAMPLE: &str = "\u{feff}{\"title\": \"Démo 😀\", \"n\": [-0, 1.5e-3, 12345678901234567890, true, false, null],\r\n\t\"esc\": \"\\u00e9\\ud83d\\ude00\\n\", \"deep\": {\"x\": [[{}], []]}}";

    /// Error spans must be usable for slicing and line/column rendering.
    fn assert_sane(text: &str, result: &Result<Node, Vec<Diagnostic>>) {
        if let Err(errors) = result {
            assert!(!errors.is_empty());
            for e in errors {
                assert!(
                    e.span.start <= e.span.end && e.span.end <= text.len(),
                    "{text:?}: {e:?}"
                );
                assert!(text.get(e.span.clone()).is_some(), "{text:?}: {e:?} splits a character");
                assert!(!e.message.is_empty());
            }
        }
    }

    #[test]
    fn every_strict_prefix_fails_cleanly() {
        assert!(from_json(SAMPLE).is_ok());
        for (end, _) in SAMPLE.char_indices() {
            let prefix = &SAMPLE[..end];
            let result = from_json(prefix);
            assert!(result.is_err(), "prefix {prefix:?} parsed");
            assert_sane(prefix, &result);
        }
    }

    #[test]
    fn mutations_never_panic() {
        let inserts = [
            '"', '\\', '{', '}', '[', ']', ',', ':', '0', '-', 'e', '.', 'u', 'é', '😀', '\n', '\0',
        ];
        let boundaries: Vec<usize> = SAMPLE.char_indices().map(|(i, _)| i).chain([SAMPLE.len()]).collect();
        for pair in boundaries.windows(2) {
            let (at, next) = (pair[0], pair[1]);
            let removed = format!("{}{}", &SAMPLE[..at], &SAMPLE[next..]);
            assert_sane(&removed, &from_json(&removed));
            for c in inserts {
                let replaced = format!("{}{c}{}", &SAMPLE[..at], &SAMPLE[next..]);
                assert_sane(&replaced, &from_json(&replaced));
                let inserted = format!("{}{c}{}", &SAMPLE[..at], &SAMPLE[at..]);
                assert_sane(&inserted, &from_json(&inserted));
            }
        }
    }
}
