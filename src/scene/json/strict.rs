//! RFC 8259 on jsonc-parser's tokens: JSON text in, nothing or the first
//! syntax error (after any duplicate keys before it) out.
//!
//! The crate's strict options still let through other whitespace than
//! JSON's four, raw control characters in strings and numbers with leading
//! zeros (`01` scans as two numbers), and its parser nests up to 512 levels
//! by recursion. This walk over its scanner's tokens refuses those, bounds
//! the nesting without recursing, and says what the grammar expected where
//! it stopped, in the same words wherever the mistake is.

use std::collections::HashSet;
use std::ops::Range;

use jsonc_parser::errors::{ParseError, ParseErrorKind};
use jsonc_parser::tokens::Token;
use jsonc_parser::{ParseOptions, ParseStringErrorKind, Scanner, ScannerOptions};

use crate::scene::diagnostic::Diagnostic;

/// Arrays and objects deeper than this are refused, before the crate's
/// recursive parser sees them.
const MAX_DEPTH: usize = 128;

/// Every extension of JSON the crate knows, off: scenes are RFC 8259.
pub const OPTIONS: ParseOptions = ParseOptions {
    allow_comments: false,
    allow_loose_object_property_names: false,
    allow_trailing_commas: false,
    allow_missing_commas: false,
    allow_single_quoted_strings: false,
    allow_hexadecimal_numbers: false,
    allow_unary_plus_numbers: false,
    allow_bare_decimal_point_numbers: false,
    allow_non_finite_numbers: false,
    allow_extended_string_escapes: false,
};

/// The scanner's share of the parser's options: every extension off.
const SCANNER: ScannerOptions = ScannerOptions {
    allow_single_quoted_strings: OPTIONS.allow_single_quoted_strings,
    allow_hexadecimal_numbers: OPTIONS.allow_hexadecimal_numbers,
    allow_unary_plus_numbers: OPTIONS.allow_unary_plus_numbers,
    allow_bare_decimal_point_numbers: OPTIONS.allow_bare_decimal_point_numbers,
    allow_non_finite_numbers: OPTIONS.allow_non_finite_numbers,
    allow_extended_string_escapes: OPTIONS.allow_extended_string_escapes,
};

/// Checks `text` (without a byte order mark) as strict JSON.
pub fn check(text: &str) -> Result<(), Vec<Diagnostic>> {
    let mut walk = Walk {
        text,
        open: Vec::new(),
        want: Want::Value,
        duplicates: Vec::new(),
    };
    let result = walk.run();
    let mut problems = walk.duplicates;
    problems.extend(result.err());
    if problems.is_empty() { Ok(()) } else { Err(problems) }
}

/// What the grammar lets come next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Want {
    /// The document's value or an object entry's.
    Value,
    /// An array's first element, or its `]`.
    FirstElement,
    /// An array element after `,`.
    NextElement,
    /// An object's first key, or its `}`.
    FirstKey,
    /// An object key after `,`.
    NextKey,
    Colon,
    /// `,` or the closing bracket after an entry or element; nothing after
    /// the document's value.
    Separator,
}

/// An array or object being read; an object knows its keys so far.
enum Open {
    Array,
    Object(HashSet<String>),
}

struct Walk<'t> {
    text: &'t str,
    open: Vec<Open>,
    want: Want,
    duplicates: Vec<Diagnostic>,
}

impl Walk<'_> {
    fn run(&mut self) -> Result<(), Diagnostic> {
        let mut scanner = Scanner::new(self.text, &SCANNER);
        let mut end = 0;
        loop {
            let scanned = scanner.scan();
            let start = scanner.token_start();
            self.whitespace(end..start)?;
            match scanned {
                Ok(Some(token)) => {
                    end = scanner.token_end();
                    self.token(token, start..end)?;
                }
                Ok(None) if self.want == Want::Separator && self.open.is_empty() => return Ok(()),
                Ok(None) => return Err(self.unexpected(self.text.len())),
                Err(e) => return Err(self.scan_error(start, &e)),
            }
        }
    }

    /// Between tokens only JSON's whitespace; the scanner skips more.
    fn whitespace(&self, gap: Range<usize>) -> Result<(), Diagnostic> {
        match self.text[gap.clone()].find(|c| !matches!(c, ' ' | '\t' | '\n' | '\r')) {
            Some(i) => Err(self.unexpected(gap.start + i)),
            None => Ok(()),
        }
    }

    fn token(&mut self, token: Token<'_>, span: Range<usize>) -> Result<(), Diagnostic> {
        let in_array = matches!(self.open.last(), Some(Open::Array));
        let in_object = matches!(self.open.last(), Some(Open::Object(_)));
        match (self.want, token) {
            (Want::FirstElement | Want::Separator, Token::CloseBracket) if in_array => self.close(),
            (Want::FirstKey | Want::Separator, Token::CloseBrace) if in_object => self.close(),
            (Want::NextElement, Token::CloseBracket) => {
                return Err(expected(self.text, "a value after ','", span.start));
            }
            (Want::Separator, Token::Comma) if in_array => self.want = Want::NextElement,
            (Want::Separator, Token::Comma) if in_object => self.want = Want::NextKey,
            (Want::Colon, Token::Colon) => self.want = Want::Value,
            (Want::FirstKey | Want::NextKey, Token::String(name)) => {
                self.string(span.clone())?;
                if let Some(Open::Object(keys)) = self.open.last_mut()
                    && !keys.insert(name.to_string())
                {
                    self.duplicates
                        .push(Diagnostic::new(format!("duplicate key {name:?}"), span));
                }
                self.want = Want::Colon;
            }
            (Want::Value | Want::FirstElement | Want::NextElement, token) => self.value(token, span)?,
            _ => return Err(self.unexpected(span.start)),
        }
        Ok(())
    }

    fn value(&mut self, token: Token<'_>, span: Range<usize>) -> Result<(), Diagnostic> {
        match token {
            Token::OpenBrace | Token::OpenBracket if self.open.len() >= MAX_DEPTH => {
                return Err(Diagnostic::new(
                    format!("nesting deeper than {MAX_DEPTH} levels"),
                    span.start..span.start + 1,
                ));
            }
            Token::OpenBrace => {
                self.open.push(Open::Object(HashSet::new()));
                self.want = Want::FirstKey;
                return Ok(());
            }
            Token::OpenBracket => {
                self.open.push(Open::Array);
                self.want = Want::FirstElement;
                return Ok(());
            }
            Token::String(_) => self.string(span)?,
            Token::Number(_) => {
                let end = self.number(span.start)?;
                if end != span.end {
                    self.want = Want::Separator;
                    return Err(self.unexpected(end));
                }
            }
            Token::Boolean(_) | Token::Null => {}
            Token::Word(_) => return Err(self.word(span.start)),
            _ => return Err(self.unexpected(span.start)),
        }
        self.want = Want::Separator;
        Ok(())
    }

    fn close(&mut self) {
        self.open.pop();
        self.want = Want::Separator;
    }

    /// What the grammar wanted at `at` and did not find there.
    fn unexpected(&self, at: usize) -> Diagnostic {
        let what = match self.want {
            Want::Value | Want::FirstElement | Want::NextElement => "a value",
            Want::FirstKey => "a string key or '}'",
            Want::NextKey => "a string key after ','",
            Want::Colon => "':' after an object key",
            Want::Separator => match self.open.last() {
                Some(Open::Object(_)) => "',' or '}' after an object entry",
                Some(Open::Array) => "',' or ']' after an array element",
                None => {
                    let span = char_span(self.text, at);
                    return Diagnostic::new("trailing characters after the JSON value", span);
                }
            },
        };
        expected(self.text, what, at)
    }

    /// The scanner's error for the token at `start`, in the grammar's words.
    fn scan_error(&mut self, start: usize, error: &ParseError) -> Diagnostic {
        let wants_value = matches!(self.want, Want::Value | Want::FirstElement | Want::NextElement);
        let wants_key = matches!(self.want, Want::FirstKey | Want::NextKey);
        match self.text[start..].chars().next() {
            Some('"') if wants_value || wants_key => self.string_error(start, error),
            Some('-' | '0'..='9') if wants_value => match self.number(start) {
                Err(problem) => problem,
                Ok(end) => {
                    self.want = Want::Separator;
                    self.unexpected(end)
                }
            },
            Some('t' | 'f' | 'n') if wants_value => self.word(start),
            _ => self.unexpected(start),
        }
    }

    /// A word where a value belongs: a misspelt `true`, `false` or `null`
    /// is reported at its first wrong character.
    fn word(&mut self, at: usize) -> Diagnostic {
        let literal = match self.text.as_bytes()[at] {
            b't' => "true",
            b'f' => "false",
            b'n' => "null",
            _ => return self.unexpected(at),
        };
        for (i, want) in literal.bytes().enumerate() {
            if self.text.as_bytes().get(at + i) != Some(&want) {
                return expected(self.text, &format!("`{literal}`"), at + i);
            }
        }
        self.want = Want::Separator;
        self.unexpected(at + literal.len())
    }

    /// Checks the number at `at` as RFC 8259 writes it; returns its end.
    fn number(&self, at: usize) -> Result<usize, Diagnostic> {
        let bytes = self.text.as_bytes();
        let digit = |i: usize| bytes.get(i).is_some_and(u8::is_ascii_digit);
        let digits_from = |mut i: usize| {
            while digit(i) {
                i += 1;
            }
            i
        };
        let mut pos = at + usize::from(bytes[at] == b'-');
        match bytes.get(pos) {
            Some(b'0') if digit(pos + 1) => {
                return Err(Diagnostic::new("numbers may not have leading zeros", pos..pos + 1));
            }
            Some(b'0') => pos += 1,
            Some(b'1'..=b'9') => pos = digits_from(pos),
            _ => return Err(expected(self.text, "a digit after '-'", pos)),
        }
        let mut integral = true;
        if bytes.get(pos) == Some(&b'.') {
            integral = false;
            if !digit(pos + 1) {
                return Err(expected(self.text, "a digit after the decimal point", pos + 1));
            }
            pos = digits_from(pos + 1);
        }
        if let Some(b'e' | b'E') = bytes.get(pos) {
            integral = false;
            pos += 1 + usize::from(matches!(bytes.get(pos + 1), Some(b'+' | b'-')));
            if !digit(pos) {
                return Err(expected(self.text, "a digit in the exponent", pos));
            }
            pos = digits_from(pos);
        }
        let source = &self.text[at..pos];
        if integral && source.parse::<i64>().is_ok() {
            return Ok(pos);
        }
        // A scene has no use for an infinite number, and passing one on
        // would surprise.
        match source.parse::<f64>() {
            Ok(f) if f.is_finite() => Ok(pos),
            _ => Err(Diagnostic::new("number out of range", at..pos)),
        }
    }

    /// A string the scanner took may still hold raw control characters.
    fn string(&self, span: Range<usize>) -> Result<(), Diagnostic> {
        match control(self.text, span.start + 1..span.end - 1) {
            Some(problem) => Err(problem),
            None => Ok(()),
        }
    }

    /// The scanner's error for the string opened at `open`.
    fn string_error(&self, open: usize, error: &ParseError) -> Diagnostic {
        let ParseErrorKind::String(kind) = error.kind() else {
            return self.unexpected(open);
        };
        // The escape that failed, or the opening quote of an unterminated string.
        let at = error.range().start;
        let read = match kind {
            ParseStringErrorKind::UnterminatedStringLiteral => open + 1..self.text.len(),
            _ => open + 1..at.max(open + 1),
        };
        if let Some(problem) = control(self.text, read) {
            return problem;
        }
        match kind {
            ParseStringErrorKind::UnterminatedStringLiteral if ends_in_escape(&self.text[open + 1..]) => {
                expected(self.text, "an escape character after '\\'", self.text.len())
            }
            ParseStringErrorKind::UnterminatedStringLiteral => Diagnostic::new(
                "unterminated string: expected a closing '\"', found end of input",
                open..open + 1,
            ),
            ParseStringErrorKind::ExpectedFourHexDigits | ParseStringErrorKind::ExpectedTwoHexDigits => {
                self.hex_error(at)
            }
            ParseStringErrorKind::InvalidUnicodeEscapeSequence(_) => lone_surrogate(self.text, at),
            _ => {
                let after = self.text[at + 1..].chars().next().unwrap_or('?');
                Diagnostic::new(
                    format!(
                        "invalid escape '\\{}' in a string (JSON allows \\\" \\\\ \\/ \\b \\f \\n \\r \\t and \\uXXXX)",
                        after.escape_debug()
                    ),
                    at..char_span(self.text, at + 1).end,
                )
            }
        }
    }

    /// The first character that is not a hex digit in the `\u` escape at
    /// `at`, or in the low half of a surrogate pair that follows it.
    fn hex_error(&self, at: usize) -> Diagnostic {
        let bytes = self.text.as_bytes();
        let mut pos = at + 2;
        for _ in 0..2 {
            for _ in 0..4 {
                if !bytes.get(pos).is_some_and(u8::is_ascii_hexdigit) {
                    return expected(self.text, "a hex digit in a '\\u' escape", pos);
                }
                pos += 1;
            }
            if bytes.get(pos..pos + 2) != Some(b"\\u".as_slice()) {
                break;
            }
            pos += 2;
        }
        lone_surrogate(self.text, at)
    }
}

/// A raw control character in `text[range]`, which a string must escape.
fn control(text: &str, range: Range<usize>) -> Option<Diagnostic> {
    let i = text.get(range.clone())?.bytes().position(|b| b < 0x20)?;
    let at = range.start + i;
    Some(match text.as_bytes()[at] {
        b'\n' | b'\r' => Diagnostic::new(
            "line break inside a string: close the string with '\"' or write the line break as \\n",
            at..at + 1,
        ),
        b => Diagnostic::new(
            format!("control character U+{b:04X} inside a string must be escaped"),
            at..at + 1,
        ),
    })
}

/// Whether string contents end inside an escape: after a backslash that is
/// not itself escaped.
fn ends_in_escape(contents: &str) -> bool {
    contents.bytes().fold(false, |escaping, b| !escaping && b == b'\\')
}

/// The surrogate escape at `at` that has no partner.
fn lone_surrogate(text: &str, at: usize) -> Diagnostic {
    let span = at..(at + 6).min(text.len());
    let escape = text.get(span.clone()).unwrap_or("\\u");
    let code = escape.get(2..).and_then(|hex| u32::from_str_radix(hex, 16).ok());
    let (which, why) = match code {
        Some(0xD800..=0xDBFF) => (
            "high",
            "it must be followed by a low surrogate escape \\uDC00 to \\uDFFF",
        ),
        Some(0xDC00..=0xDFFF) => ("low", "it must follow a high surrogate escape \\uD800 to \\uDBFF"),
        _ => ("invalid", "it is not a Unicode scalar value"),
    };
    Diagnostic::new(format!("lone {which} surrogate '{escape}' in a string: {why}"), span)
}

/// "expected X, found Y" about the character at `at`.
fn expected(text: &str, what: &str, at: usize) -> Diagnostic {
    match text.get(at..).and_then(|rest| rest.chars().next()) {
        Some(c) => Diagnostic::new(format!("expected {what}, found {}", describe(c)), char_span(text, at)),
        None => Diagnostic::new(
            format!("unexpected end of input: expected {what}"),
            text.len()..text.len(),
        ),
    }
}

/// The span of the whole character at `at`, so a caret under a multi-byte
/// character covers all of it; empty at the end of input.
fn char_span(text: &str, at: usize) -> Range<usize> {
    let at = at.min(text.len());
    at..at
        + text
            .get(at..)
            .and_then(|rest| rest.chars().next())
            .map_or(0, char::len_utf8)
}

/// A character as quoted in messages, with invisible ones spelled out.
fn describe(c: char) -> String {
    match c {
        '"' => "'\"'".to_string(),
        c => format!("'{}'", c.escape_debug()),
    }
}
