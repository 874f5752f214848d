//! Validation of asciicast recordings, format versions 2 and 3.
//!
//! This module owns one question: "is this byte buffer a well-formed asciicast
//! file that asciinema's tools will load?". [`check`] reads a whole recording
//! from memory, checks the header and every event line against the published
//! specs (<https://docs.asciinema.org/manual/asciicast/v2/> and
//! <https://docs.asciinema.org/manual/asciicast/v3/>) and returns either a
//! [`Summary`] of the recording or the first problem, located by its 1-based
//! line number. It never rewrites, repairs or plays a recording.
//!
//! Where the specs are silent, asciinema's own reader (the `asciinema` crate's
//! `asciicast::v2` / `asciicast::v3` parsers) is treated as the reference,
//! because a file it refuses is useless to anyone we hand it to:
//!
//! - Empty lines after the header are skipped in both versions, so a final
//!   newline and blank lines between events are fine. Neither spec mentions
//!   them, but asciinema's reader skips them in v2 and v3 alike. A line holding
//!   only spaces is *not* empty and is rejected, as asciinema does.
//! - A `\r` before the `\n` is ignored (CRLF files), as Rust's line reader
//!   that asciinema uses does.
//! - Lines starting with `#` are comments in v3 only; in v2 they are errors.
//! - `null` in an optional header field counts as absent, as with asciinema's
//!   `Option` fields.
//! - Terminal sizes (header and resize events) must be 1..=65535, because
//!   asciinema stores them as `u16` and refuses larger values.
//! - v2 `timestamp` may be an integer or a float (the current v2 spec revision
//!   says "Integer or float"); v3 says integer, so a float is an error there.
//! - Unknown event codes are rejected. This is stricter than the specs, which
//!   tell *players* to ignore codes they do not understand; a validator for
//!   recordings we produce is more useful flagging a typo than excusing it.
//! - Event times are kept to the microsecond, asciinema's own precision.

use std::fmt;
use std::time::Duration;

use serde_json::{Map, Number, Value};

/// Largest terminal dimension asciinema accepts (it reads sizes as `u16`).
const MAX_SIZE: u32 = u16::MAX as u32;

/// What a valid recording contains, as reported by [`check`].
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    /// asciicast format version: 2 or 3.
    pub version: u8,
    /// Initial terminal width in columns, from the header; resize events do
    /// not change it.
    pub cols: u32,
    /// Initial terminal height in rows, from the header.
    pub rows: u32,
    /// Number of events of every code. Comment and empty lines are not events.
    pub events: usize,
    /// Number of output (`"o"`) events.
    pub outputs: usize,
    /// Number of marker (`"m"`) events.
    pub markers: usize,
    /// Time of the last event since the start of the recording: the last
    /// event's time in v2, the sum of all intervals in v3. Zero when there are
    /// no events.
    pub duration: Duration,
}

impl fmt::Display for Summary {
    /// One line, e.g.
    /// `asciicast v2, 100x36, 412 events (380 output, 2 markers), 7.930 s`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Integer rounding, so the shown milliseconds never disagree with the
        // microsecond value by float noise.
        let millis = (self.duration.as_micros() + 500) / 1000;
        write!(
            f,
            "asciicast v{}, {}x{}, {} {} ({} output, {} {}), {}.{:03} s",
            self.version,
            self.cols,
            self.rows,
            self.events,
            plural(self.events, "event", "events"),
            self.outputs,
            self.markers,
            plural(self.markers, "marker", "markers"),
            millis / 1000,
            millis % 1000,
        )
    }
}

fn plural(count: usize, one: &'static str, many: &'static str) -> &'static str {
    if count == 1 { one } else { many }
}

/// The first problem found in a recording.
///
/// Displays as `line {line}: {message}`, e.g.
/// `line 3: event time 1.2 is less than the previous event's 1.5`.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("line {line}: {message}")]
pub struct CheckError {
    /// 1-based line number of the offending line; problems with the header or
    /// with an empty file are reported on line 1.
    pub line: usize,
    /// What is wrong, in words meant for a person fixing the file.
    pub message: String,
}

/// Validates an asciicast v2 or v3 recording held in memory.
///
/// Returns a [`Summary`] when every line is valid, otherwise the first
/// problem in file order (see [`CheckError`]).
pub fn check(input: &[u8]) -> Result<Summary, CheckError> {
    if input.is_empty() {
        return Err(CheckError {
            line: 1,
            message: "file is empty; expected a JSON header object on line 1".to_string(),
        });
    }

    // `split` always yields at least one item, even for input without '\n'.
    let mut lines = input.split(|&byte| byte == b'\n').zip(1..);
    let header_bytes = lines.next().map_or(&[][..], |(bytes, _)| bytes);
    let header_text = line_text(header_bytes, 1)?;
    let header = parse_header(header_text, input).map_err(|message| CheckError { line: 1, message })?;

    let mut stream = EventStream::new(header.version);
    for (bytes, line) in lines {
        let text = line_text(bytes, line)?;
        if text.is_empty() {
            continue;
        }
        stream.push(text).map_err(|message| CheckError { line, message })?;
    }

    Ok(Summary {
        version: header.version.number(),
        cols: header.cols,
        rows: header.rows,
        events: stream.events,
        outputs: stream.outputs,
        markers: stream.markers,
        duration: stream.elapsed,
    })
}

/// Whether `line` (a file's first line) is a valid asciicast v2 or v3
/// header: what tells a cast from any other file before overwriting it.
pub fn is_header(line: &[u8]) -> bool {
    line_text(line, 1).is_ok_and(|text| parse_header(text, line).is_ok())
}

/// Decodes one line, dropping a CRLF's `\r`.
fn line_text(bytes: &[u8], line: usize) -> Result<&str, CheckError> {
    let bytes = bytes.strip_suffix(b"\r").unwrap_or(bytes);
    std::str::from_utf8(bytes).map_err(|error| CheckError {
        line,
        message: format!(
            "not valid UTF-8: invalid byte sequence at byte {} of the line",
            error.valid_up_to() + 1
        ),
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Version {
    V2,
    V3,
}

impl Version {
    fn number(self) -> u8 {
        match self {
            Version::V2 => 2,
            Version::V3 => 3,
        }
    }
}

struct Header {
    version: Version,
    cols: u32,
    rows: u32,
}

/// Checks line 1; `whole` is the entire file, only consulted to explain a
/// failure better.
fn parse_header(text: &str, whole: &[u8]) -> Result<Header, String> {
    if text.is_empty() {
        return Err("header line is empty; expected a JSON object".to_string());
    }
    if text.starts_with('\u{feff}') {
        return Err("header starts with a UTF-8 byte order mark, which asciicast readers reject".to_string());
    }
    if text.starts_with('#') {
        return Err("the first line must be the JSON header object, not a comment".to_string());
    }

    let value: Value = serde_json::from_str(text).map_err(|error| {
        // A pretty-printed v1 file fails here on its lone "{"; saying what it
        // is beats a bare JSON error.
        if declares_version(whole, 1) {
            "this is an asciicast v1 file (a single JSON document); only v2 and v3 are supported".to_string()
        } else {
            format!("header is not valid JSON: {}", describe_json_error(&error))
        }
    })?;
    let Value::Object(map) = &value else {
        return Err(format!("header must be a JSON object, found {}", kind(&value)));
    };
    let header = Fields { map, prefix: "" };

    let version = match map.get("version") {
        None => return Err("header is missing required field \"version\"".to_string()),
        Some(value) => match value.as_u64() {
            Some(2) => Version::V2,
            Some(3) => Version::V3,
            Some(1) => {
                return Err("asciicast v1 is not supported; only versions 2 and 3 are".to_string());
            }
            _ => {
                return Err(format!(
                    "header field \"version\" must be 2 or 3, found {}",
                    show(value)
                ));
            }
        },
    };

    match version {
        Version::V2 => {
            let cols = header.size("width")?;
            let rows = header.size("height")?;
            header.timestamp("timestamp", true)?;
            header.non_negative_number("duration")?;
            header.non_negative_number("idle_time_limit")?;
            header.string("command")?;
            header.string("title")?;
            header.env("env")?;
            header.theme("theme")?;
            Ok(Header { version, cols, rows })
        }
        Version::V3 => {
            let term = header.required_object("term", "an object with \"cols\" and \"rows\"")?;
            let term = Fields {
                map: term,
                prefix: "term.",
            };
            let cols = term.size("cols")?;
            let rows = term.size("rows")?;
            term.string("type")?;
            term.string("version")?;
            term.theme("theme")?;
            header.timestamp("timestamp", false)?;
            header.non_negative_number("idle_time_limit")?;
            header.string("command")?;
            header.string("title")?;
            header.env("env")?;
            header.tags("tags")?;
            Ok(Header { version, cols, rows })
        }
    }
}

fn declares_version(whole: &[u8], version: u64) -> bool {
    serde_json::from_slice::<Value>(whole)
        .ok()
        .and_then(|value| value.get("version").and_then(Value::as_u64))
        == Some(version)
}

/// A header object under check; `prefix` locates nested objects in messages
/// (`term.cols`), so the user can find the field without guessing.
struct Fields<'a> {
    map: &'a Map<String, Value>,
    prefix: &'static str,
}

impl<'a> Fields<'a> {
    fn name(&self, key: &str) -> String {
        format!("{}{}", self.prefix, key)
    }

    fn optional(&self, key: &str) -> Option<&'a Value> {
        self.map.get(key).filter(|value| !value.is_null())
    }

    fn missing(&self, key: &str) -> String {
        format!("header is missing required field \"{}\"", self.name(key))
    }

    fn wrong(&self, key: &str, expected: &str, found: &Value) -> String {
        format!(
            "header field \"{}\" must be {expected}, found {}",
            self.name(key),
            show(found)
        )
    }

    fn required_object(&self, key: &str, expected: &str) -> Result<&'a Map<String, Value>, String> {
        match self.map.get(key) {
            None => Err(self.missing(key)),
            Some(Value::Object(map)) => Ok(map),
            Some(other) => Err(self.wrong(key, expected, other)),
        }
    }

    /// A required terminal dimension.
    fn size(&self, key: &str) -> Result<u32, String> {
        let value = self.map.get(key).ok_or_else(|| self.missing(key))?;
        let size = value
            .as_u64()
            .filter(|&n| n > 0)
            .ok_or_else(|| self.wrong(key, "a positive integer", value))?;
        u32::try_from(size)
            .ok()
            .filter(|&n| n <= MAX_SIZE)
            .ok_or_else(|| self.wrong(key, &format!("at most {MAX_SIZE}"), value))
    }

    fn string(&self, key: &str) -> Result<(), String> {
        match self.optional(key) {
            None | Some(Value::String(_)) => Ok(()),
            Some(other) => Err(self.wrong(key, "a string", other)),
        }
    }

    fn non_negative_number(&self, key: &str) -> Result<(), String> {
        match self.optional(key) {
            None => Ok(()),
            Some(value) if value.as_f64().is_some_and(|n| n >= 0.0) => Ok(()),
            Some(other) => Err(self.wrong(key, "a non-negative number", other)),
        }
    }

    fn timestamp(&self, key: &str, allow_float: bool) -> Result<(), String> {
        let Some(value) = self.optional(key) else {
            return Ok(());
        };
        let valid = if allow_float {
            value.as_f64().is_some_and(|n| n >= 0.0)
        } else {
            value.as_u64().is_some()
        };
        if valid {
            Ok(())
        } else if allow_float {
            Err(self.wrong(key, "a non-negative number (unix seconds)", value))
        } else {
            Err(self.wrong(key, "a non-negative integer (unix seconds)", value))
        }
    }

    fn env(&self, key: &str) -> Result<(), String> {
        let Some(value) = self.optional(key) else {
            return Ok(());
        };
        let Value::Object(vars) = value else {
            return Err(self.wrong(key, "an object of string values", value));
        };
        match vars.iter().find(|(_, value)| !value.is_string()) {
            None => Ok(()),
            Some((var, value)) => Err(format!(
                "header field \"{}\" value for {} must be a string, found {}",
                self.name(key),
                show_str(var),
                show(value)
            )),
        }
    }

    fn tags(&self, key: &str) -> Result<(), String> {
        let Some(value) = self.optional(key) else {
            return Ok(());
        };
        let Value::Array(tags) = value else {
            return Err(self.wrong(key, "an array of strings", value));
        };
        match tags.iter().position(|tag| !tag.is_string()) {
            None => Ok(()),
            Some(index) => Err(format!(
                "header field \"{}\" element {} must be a string, found {}",
                self.name(key),
                index + 1,
                show(&tags[index])
            )),
        }
    }

    fn theme(&self, key: &str) -> Result<(), String> {
        let Some(value) = self.optional(key) else {
            return Ok(());
        };
        let Value::Object(map) = value else {
            return Err(self.wrong(key, "an object with \"fg\", \"bg\" and \"palette\"", value));
        };
        let theme = self.name(key);
        for part in ["fg", "bg"] {
            let name = format!("{theme}.{part}");
            match map.get(part) {
                None => return Err(format!("header is missing required field \"{name}\"")),
                Some(Value::String(colour)) if is_colour(colour) => {}
                Some(other) => {
                    return Err(format!(
                        "header field \"{name}\" must be a \"#rrggbb\" colour, found {}",
                        show(other)
                    ));
                }
            }
        }

        let name = format!("{theme}.palette");
        let palette = match map.get("palette") {
            None => return Err(format!("header is missing required field \"{name}\"")),
            Some(Value::String(palette)) => palette,
            Some(other) => {
                return Err(format!(
                    "header field \"{name}\" must be a string of 8 or 16 \"#rrggbb\" colours separated by \":\", found {}",
                    show(other)
                ));
            }
        };
        let colours: Vec<&str> = palette.split(':').collect();
        if let Some(index) = colours.iter().position(|colour| !is_colour(colour)) {
            return Err(format!(
                "header field \"{name}\" colour {} must be \"#rrggbb\", found {}",
                index + 1,
                show_str(colours[index])
            ));
        }
        if colours.len() != 8 && colours.len() != 16 {
            return Err(format!(
                "header field \"{name}\" must hold 8 or 16 colours, found {}",
                colours.len()
            ));
        }
        Ok(())
    }
}

fn is_colour(text: &str) -> bool {
    text.strip_prefix('#')
        .is_some_and(|hex| hex.len() == 6 && hex.bytes().all(|b| b.is_ascii_hexdigit()))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Code {
    Output,
    Input,
    Marker,
    Resize,
    Exit,
}

impl Code {
    fn parse(code: &str, version: Version) -> Result<Code, String> {
        match (code, version) {
            ("o", _) => Ok(Code::Output),
            ("i", _) => Ok(Code::Input),
            ("m", _) => Ok(Code::Marker),
            ("r", _) => Ok(Code::Resize),
            ("x", Version::V3) => Ok(Code::Exit),
            ("x", Version::V2) => Err(
                "event code \"x\" (exit) exists only in asciicast v3; v2 allows \"o\", \"i\", \"m\", \"r\"".to_string(),
            ),
            (other, Version::V2) => Err(format!(
                "unknown event code {} (asciicast v2 allows \"o\", \"i\", \"m\", \"r\")",
                show_str(other)
            )),
            (other, Version::V3) => Err(format!(
                "unknown event code {} (asciicast v3 allows \"o\", \"i\", \"m\", \"r\", \"x\")",
                show_str(other)
            )),
        }
    }
}

/// Running state over the event lines.
struct EventStream {
    version: Version,
    events: usize,
    outputs: usize,
    markers: usize,
    /// Time of the latest event since the start of the recording.
    elapsed: Duration,
    /// The previous v2 event's time as written, so an ordering error quotes
    /// the file rather than a re-rounded number.
    previous_time: Option<String>,
}

impl EventStream {
    fn new(version: Version) -> Self {
        EventStream {
            version,
            events: 0,
            outputs: 0,
            markers: 0,
            elapsed: Duration::ZERO,
            previous_time: None,
        }
    }

    /// Checks one non-empty line after the header.
    fn push(&mut self, text: &str) -> Result<(), String> {
        if text.starts_with('#') {
            return match self.version {
                Version::V3 => Ok(()),
                Version::V2 => Err("comment lines (starting with \"#\") are allowed only in asciicast v3".to_string()),
            };
        }

        let value: Value = serde_json::from_str(text)
            .map_err(|error| format!("event is not valid JSON: {}", describe_json_error(&error)))?;
        let Value::Array(items) = &value else {
            return Err(format!(
                "event must be a JSON array [time, code, data], found {}",
                kind(&value)
            ));
        };
        let [time, code, data] = items.as_slice() else {
            return Err(format!(
                "event must have exactly 3 elements [time, code, data], found {}",
                items.len()
            ));
        };

        let what = match self.version {
            Version::V2 => "time",
            Version::V3 => "interval",
        };
        let Value::Number(number) = time else {
            return Err(format!("event {what} must be a number, found {}", show(time)));
        };
        let at = to_duration(number, what)?;

        let Value::String(code) = code else {
            return Err(format!("event code must be a string, found {}", show(code)));
        };
        let code = Code::parse(code, self.version)?;

        let Value::String(data) = data else {
            return Err(format!("event data must be a string, found {}", show(data)));
        };
        match code {
            Code::Resize => check_resize(data)?,
            Code::Exit => check_exit(data)?,
            Code::Output | Code::Input | Code::Marker => {}
        }

        match self.version {
            Version::V2 => {
                if at < self.elapsed {
                    let previous = self.previous_time.as_deref().unwrap_or("0");
                    return Err(format!(
                        "event time {number} is less than the previous event's {previous}"
                    ));
                }
                self.elapsed = at;
                self.previous_time = Some(number.to_string());
            }
            Version::V3 => {
                self.elapsed = self
                    .elapsed
                    .checked_add(at)
                    .ok_or_else(|| format!("event interval {number} makes the total duration overflow"))?;
            }
        }

        self.events += 1;
        match code {
            Code::Output => self.outputs += 1,
            Code::Marker => self.markers += 1,
            Code::Input | Code::Resize | Code::Exit => {}
        }
        Ok(())
    }
}

/// The only place a JSON time becomes a float; from here on times are whole
/// microseconds, so v3's running sum cannot drift the way adding floats does.
fn to_duration(number: &Number, what: &str) -> Result<Duration, String> {
    let seconds = number
        .as_f64()
        .ok_or_else(|| format!("event {what} {number} is not a representable number"))?;
    if seconds < 0.0 {
        return Err(format!("event {what} {number} is negative; it must be >= 0"));
    }
    let micros = (seconds * 1_000_000.0).round();
    // `u64::MAX as f64` is 2^64, so anything below it converts exactly.
    if !micros.is_finite() || micros >= u64::MAX as f64 {
        return Err(format!("event {what} {number} is too large"));
    }
    Ok(Duration::from_micros(micros as u64))
}

fn check_resize(data: &str) -> Result<(), String> {
    let valid = data
        .split_once('x')
        .is_some_and(|(cols, rows)| is_size(cols) && is_size(rows));
    if valid {
        Ok(())
    } else {
        Err(format!(
            "resize event data must be \"COLSxROWS\" with integers from 1 to {MAX_SIZE}, found {}",
            show_str(data)
        ))
    }
}

/// Digits only: `str::parse` would also take "+80", which no writer produces.
fn is_size(text: &str) -> bool {
    !text.is_empty()
        && text.bytes().all(|b| b.is_ascii_digit())
        && text.parse::<u32>().is_ok_and(|n| (1..=MAX_SIZE).contains(&n))
}

fn check_exit(data: &str) -> Result<(), String> {
    let digits = data.strip_prefix('-').unwrap_or(data);
    let valid = !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) && data.parse::<i32>().is_ok();
    if valid {
        Ok(())
    } else {
        Err(format!(
            "exit event data must be a decimal integer exit status, found {}",
            show_str(data)
        ))
    }
}

/// serde_json's message minus its "at line 1 column N" tail: inside a single
/// line, its own line count would contradict the file line we report.
fn describe_json_error(error: &serde_json::Error) -> String {
    let full = error.to_string();
    let reason = full
        .rsplit_once(" at line ")
        .map_or(full.as_str(), |(reason, _)| reason);
    format!("{reason} at column {}", error.column())
}

fn kind(value: &Value) -> &'static str {
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
fn show(value: &Value) -> String {
    const LIMIT: usize = 40;
    let text = value.to_string();
    if text.chars().count() <= LIMIT {
        text
    } else {
        let cut: String = text.chars().take(LIMIT).collect();
        format!("{cut}…")
    }
}

fn show_str(text: &str) -> String {
    show(&Value::String(text.to_string()))
}

#[cfg(test)]
mod tests;
