//! JSON scene files: a small RFC 8259 parser that keeps the byte span of
//! every value and key, so that validation errors in a JSON scene point at
//! line and column just as they do for TOML. A general-purpose JSON library
//! is not used here because it throws those positions away.

use std::collections::HashSet;
use std::ops::Range;

use super::diagnostic::Diagnostic;
use super::node::{Node, TableKey, Value};

/// Arrays and objects are parsed recursively, so this bound is what keeps
/// hostile input from overflowing the stack.
const MAX_DEPTH: usize = 128;

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
    let mut parser = Parser {
        text,
        bytes: text.as_bytes(),
        pos: 0,
        errors: Vec::new(),
    };
    if text.starts_with('\u{feff}') {
        parser.pos = '\u{feff}'.len_utf8();
    }
    let result = parser.document();
    let mut errors = parser.errors;
    match result {
        Ok(node) if errors.is_empty() => Ok(node),
        Ok(_) => Err(errors),
        Err(e) => {
            errors.push(e);
            Err(errors)
        }
    }
}

/// Outside string contents, `pos` only ever moves past ASCII bytes or whole
/// characters, so it always sits on a char boundary and slicing `text` at it
/// cannot panic.
struct Parser<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
    /// Problems that do not derail parsing (duplicate keys), kept so that
    /// they are reported along with anything found later.
    errors: Vec<Diagnostic>,
}

impl Parser<'_> {
    fn document(&mut self) -> Result<Node, Diagnostic> {
        let node = self.value(0)?;
        self.skip_whitespace();
        if self.pos < self.bytes.len() {
            let span = self.char_span(self.pos);
            return Err(Diagnostic::new("trailing characters after the JSON value", span));
        }
        Ok(node)
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn peek_is_digit(&self) -> bool {
        self.peek().is_some_and(|b| b.is_ascii_digit())
    }

    fn skip_whitespace(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.pos += 1;
        }
    }

    fn skip_digits(&mut self) {
        while self.peek_is_digit() {
            self.pos += 1;
        }
    }

    fn char_at(&self, at: usize) -> Option<char> {
        self.text.get(at..).and_then(|rest| rest.chars().next())
    }

    /// The span of the whole character at `at`, so a caret under a multi-byte
    /// character covers all of it; empty at the end of input.
    fn char_span(&self, at: usize) -> Range<usize> {
        let at = at.min(self.text.len());
        at..at + self.char_at(at).map_or(0, char::len_utf8)
    }

    /// "expected X, found Y" about the character at the current position.
    fn expected(&self, what: &str) -> Diagnostic {
        match self.char_at(self.pos) {
            Some(c) => Diagnostic::new(
                format!("expected {what}, found {}", describe(c)),
                self.char_span(self.pos),
            ),
            None => {
                let end = self.text.len();
                Diagnostic::new(format!("unexpected end of input: expected {what}"), end..end)
            }
        }
    }

    /// `depth` is the number of arrays and objects enclosing the value.
    fn value(&mut self, depth: usize) -> Result<Node, Diagnostic> {
        self.skip_whitespace();
        let start = self.pos;
        match self.peek() {
            Some(b'{') => self.object(depth + 1),
            Some(b'[') => self.array(depth + 1),
            Some(b'"') => {
                let s = self.string()?;
                Ok(Node {
                    span: start..self.pos,
                    value: Value::Str(s),
                })
            }
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(b't') => self.literal("true", Value::Bool(true)),
            Some(b'f') => self.literal("false", Value::Bool(false)),
            Some(b'n') => self.literal("null", Value::Other("null")),
            _ => Err(self.expected("a value")),
        }
    }

    fn enter(&self, depth: usize) -> Result<(), Diagnostic> {
        if depth > MAX_DEPTH {
            return Err(Diagnostic::new(
                format!("nesting deeper than {MAX_DEPTH} levels"),
                self.pos..self.pos + 1,
            ));
        }
        Ok(())
    }

    fn object(&mut self, depth: usize) -> Result<Node, Diagnostic> {
        self.enter(depth)?;
        let start = self.pos;
        self.pos += 1;
        let mut entries: Vec<(TableKey, Node)> = Vec::new();
        let mut seen = HashSet::new();
        self.skip_whitespace();
        if self.peek() == Some(b'}') {
            self.pos += 1;
            return Ok(Node {
                span: start..self.pos,
                value: Value::Table(entries),
            });
        }
        let mut key_expected = "a string key or '}'";
        loop {
            self.skip_whitespace();
            if self.peek() != Some(b'"') {
                return Err(self.expected(key_expected));
            }
            let key_start = self.pos;
            let name = self.string()?;
            let key = TableKey {
                name,
                span: key_start..self.pos,
            };
            // Pushed before the value is parsed so that the diagnostics stay
            // in source order if the value turns out to be malformed.
            if !seen.insert(key.name.clone()) {
                self.errors.push(Diagnostic::new(
                    format!("duplicate key {:?}", key.name),
                    key.span.clone(),
                ));
            }
            self.skip_whitespace();
            if self.peek() != Some(b':') {
                return Err(self.expected("':' after an object key"));
            }
            self.pos += 1;
            let node = self.value(depth)?;
            entries.push((key, node));
            self.skip_whitespace();
            match self.peek() {
                Some(b',') => {
                    self.pos += 1;
                    key_expected = "a string key after ','";
                }
                Some(b'}') => {
                    self.pos += 1;
                    return Ok(Node {
                        span: start..self.pos,
                        value: Value::Table(entries),
                    });
                }
                _ => return Err(self.expected("',' or '}' after an object entry")),
            }
        }
    }

    fn array(&mut self, depth: usize) -> Result<Node, Diagnostic> {
        self.enter(depth)?;
        let start = self.pos;
        self.pos += 1;
        let mut items = Vec::new();
        self.skip_whitespace();
        if self.peek() == Some(b']') {
            self.pos += 1;
            return Ok(Node {
                span: start..self.pos,
                value: Value::Array(items),
            });
        }
        loop {
            items.push(self.value(depth)?);
            self.skip_whitespace();
            match self.peek() {
                Some(b',') => {
                    self.pos += 1;
                    self.skip_whitespace();
                    // A trailing comma deserves a better word than the
                    // generic "expected a value, found ']'".
                    if self.peek() == Some(b']') {
                        return Err(self.expected("a value after ','"));
                    }
                }
                Some(b']') => {
                    self.pos += 1;
                    return Ok(Node {
                        span: start..self.pos,
                        value: Value::Array(items),
                    });
                }
                _ => return Err(self.expected("',' or ']' after an array element")),
            }
        }
    }

    fn literal(&mut self, word: &str, value: Value) -> Result<Node, Diagnostic> {
        let start = self.pos;
        for &want in word.as_bytes() {
            if self.peek() != Some(want) {
                return Err(self.expected(&format!("`{word}`")));
            }
            self.pos += 1;
        }
        Ok(Node {
            span: start..self.pos,
            value,
        })
    }

    fn number(&mut self) -> Result<Node, Diagnostic> {
        let start = self.pos;
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        match self.peek() {
            Some(b'0') => {
                self.pos += 1;
                if self.peek_is_digit() {
                    return Err(Diagnostic::new(
                        "numbers may not have leading zeros",
                        self.pos - 1..self.pos,
                    ));
                }
            }
            Some(b'1'..=b'9') => self.skip_digits(),
            _ => return Err(self.expected("a digit after '-'")),
        }
        let mut integral = true;
        if self.peek() == Some(b'.') {
            integral = false;
            self.pos += 1;
            if !self.peek_is_digit() {
                return Err(self.expected("a digit after the decimal point"));
            }
            self.skip_digits();
        }
        if let Some(b'e' | b'E') = self.peek() {
            integral = false;
            self.pos += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.pos += 1;
            }
            if !self.peek_is_digit() {
                return Err(self.expected("a digit in the exponent"));
            }
            self.skip_digits();
        }
        let span = start..self.pos;
        let source = &self.text[span.clone()];
        if integral && let Ok(n) = source.parse::<i64>() {
            return Ok(Node {
                span,
                value: Value::Int(n),
            });
        }
        // The grammar checked above is a subset of what `f64::from_str`
        // accepts, so only overflow to infinity can go wrong here; a scene has
        // no use for an infinite number, and passing one on would surprise.
        match source.parse::<f64>() {
            Ok(f) if f.is_finite() => Ok(Node {
                span,
                value: Value::Float(f),
            }),
            _ => Err(Diagnostic::new("number out of range", span)),
        }
    }

    /// Parses a string whose opening quote is at the current position.
    fn string(&mut self) -> Result<String, Diagnostic> {
        let open = self.pos;
        self.pos += 1;
        let mut out = String::new();
        loop {
            // Copy unescaped runs whole; they end only at ASCII bytes, which
            // are never inside a multi-byte character, so the slice is safe.
            let run = self.pos;
            while let Some(&b) = self.bytes.get(self.pos)
                && b != b'"'
                && b != b'\\'
                && b >= 0x20
            {
                self.pos += 1;
            }
            out.push_str(&self.text[run..self.pos]);
            match self.peek() {
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(out);
                }
                Some(b'\\') => self.escape(&mut out)?,
                Some(b'\n' | b'\r') => {
                    return Err(Diagnostic::new(
                        "line break inside a string: close the string with '\"' or write the line break as \\n",
                        self.pos..self.pos + 1,
                    ));
                }
                Some(b) => {
                    return Err(Diagnostic::new(
                        format!("control character U+{b:04X} inside a string must be escaped"),
                        self.pos..self.pos + 1,
                    ));
                }
                None => {
                    return Err(Diagnostic::new(
                        "unterminated string: expected a closing '\"', found end of input",
                        open..open + 1,
                    ));
                }
            }
        }
    }

    /// Decodes the escape whose backslash is at the current position.
    fn escape(&mut self, out: &mut String) -> Result<(), Diagnostic> {
        let start = self.pos;
        self.pos += 1;
        let c = match self.peek() {
            Some(b'"') => '"',
            Some(b'\\') => '\\',
            Some(b'/') => '/',
            Some(b'b') => '\u{8}',
            Some(b'f') => '\u{c}',
            Some(b'n') => '\n',
            Some(b'r') => '\r',
            Some(b't') => '\t',
            Some(b'u') => {
                self.pos += 1;
                return self.unicode_escape(start, out);
            }
            Some(_) => {
                let after = self.char_at(self.pos).unwrap_or('?');
                return Err(Diagnostic::new(
                    format!(
                        "invalid escape '\\{}' in a string (JSON allows \\\" \\\\ \\/ \\b \\f \\n \\r \\t and \\uXXXX)",
                        after.escape_debug()
                    ),
                    start..self.char_span(self.pos).end,
                ));
            }
            None => return Err(self.expected("an escape character after '\\'")),
        };
        self.pos += 1;
        out.push(c);
        Ok(())
    }

    /// Decodes a `\uXXXX` escape (started at `start`, the backslash) and, for
    /// a high surrogate, the low-surrogate escape that must follow it.
    fn unicode_escape(&mut self, start: usize, out: &mut String) -> Result<(), Diagnostic> {
        let first = self.hex4()?;
        let code = match first {
            0xD800..=0xDBFF => {
                if self.bytes.get(self.pos..self.pos + 2) != Some(b"\\u".as_slice()) {
                    return Err(self.lone_surrogate(start, "high"));
                }
                self.pos += 2;
                let second = self.hex4()?;
                if !(0xDC00..=0xDFFF).contains(&second) {
                    return Err(self.lone_surrogate(start, "high"));
                }
                0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
            }
            0xDC00..=0xDFFF => return Err(self.lone_surrogate(start, "low")),
            _ => first,
        };
        // Every value reaching here is a scalar value, but a diagnostic is
        // still better than an unwrap should that reasoning ever be broken.
        let c = char::from_u32(code).ok_or_else(|| self.lone_surrogate(start, "invalid"))?;
        out.push(c);
        Ok(())
    }

    fn hex4(&mut self) -> Result<u32, Diagnostic> {
        let mut code = 0;
        for _ in 0..4 {
            let digit = match self.peek() {
                Some(b @ b'0'..=b'9') => b - b'0',
                Some(b @ b'a'..=b'f') => b - b'a' + 10,
                Some(b @ b'A'..=b'F') => b - b'A' + 10,
                _ => return Err(self.expected("a hex digit in a '\\u' escape")),
            };
            code = code * 16 + u32::from(digit);
            self.pos += 1;
        }
        Ok(code)
    }

    fn lone_surrogate(&self, start: usize, which: &str) -> Diagnostic {
        let span = start..(start + 6).min(self.text.len());
        let escape = self.text.get(span.clone()).unwrap_or("\\u");
        let why = match which {
            "high" => "it must be followed by a low surrogate escape \\uDC00 to \\uDFFF",
            "low" => "it must follow a high surrogate escape \\uD800 to \\uDBFF",
            _ => "it is not a Unicode scalar value",
        };
        Diagnostic::new(format!("lone {which} surrogate '{escape}' in a string: {why}"), span)
    }
}

/// A character as quoted in messages, with invisible ones spelled out.
fn describe(c: char) -> String {
    match c {
        '"' => "'\"'".to_string(),
        c => format!("'{}'", c.escape_debug()),
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
