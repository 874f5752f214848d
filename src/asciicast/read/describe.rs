//! How the reader's messages show JSON: values shortened, kinds named, and
//! serde_json's errors located by column within the line.
//!
//! In: a JSON value or error. Out: words for a message.

use serde_json::Value;

/// serde_json's message minus its "at line 1 column N" tail: inside a single
/// line, its own line count would contradict the file line we report.
pub(super) fn json_error(error: &serde_json::Error) -> String {
    let full = error.to_string();
    let reason = full
        .rsplit_once(" at line ")
        .map_or(full.as_str(), |(reason, _)| reason);
    format!("{reason} at column {}", error.column())
}

pub(super) fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// A value as JSON, shortened so one bad field cannot flood the message.
pub(super) fn show(value: &Value) -> String {
    const LIMIT: usize = 40;
    let text = value.to_string();
    if text.chars().count() <= LIMIT {
        text
    } else {
        let cut: String = text.chars().take(LIMIT).collect();
        format!("{cut}…")
    }
}

pub(super) fn show_str(text: &str) -> String {
    show(&Value::String(text.to_string()))
}
