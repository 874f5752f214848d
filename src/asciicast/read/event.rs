//! The event lines: each `[time, code, data]` held to the specs' rules and
//! read into an [`Event`] at its absolute time, in one step.
//!
//! In: the non-empty lines after the header, in order. Out: an [`Event`]
//! (or nothing, for a v3 comment), or what is wrong with the line.

use std::ops::Range;
use std::time::Duration;

use serde_json::value::RawValue;
use serde_json::{Number, Value};

use super::super::{Code, Event, EventData, Version};
use super::describe::{json_error, kind, show, show_str};
use super::{MAX_SIZE, json};
use crate::geometry::Size;

/// Running state over the event lines.
pub(super) struct Events {
    version: Version,
    /// Time of the latest event since the start of the recording.
    elapsed: Duration,
    /// The previous v2 event's time as written, so an ordering error quotes
    /// the file rather than a re-rounded number.
    previous_time: Option<Number>,
    /// Where the last event's data stands in its line, a JSON string as
    /// written (unless the line was of an unusual shape).
    pub raw: Option<Range<usize>>,
}

/// An event line of the usual shape, read straight into its parts (the
/// data as the line holds it, decoded by [`json::decode`]); any other line
/// is read again as a JSON value, to say what is wrong with it.
#[derive(serde::Deserialize)]
struct Plain<'a>(
    Number,
    #[serde(borrow)] std::borrow::Cow<'a, str>,
    #[serde(borrow)] &'a RawValue,
);

impl Events {
    pub(super) fn new(version: Version) -> Self {
        Events {
            version,
            elapsed: Duration::ZERO,
            previous_time: None,
            raw: None,
        }
    }

    /// Reads one non-empty line after the header: `None` for a comment.
    pub(super) fn line(&mut self, text: &str) -> Result<Option<Event>, String> {
        if text.starts_with('#') {
            return match self.version {
                Version::V3 => Ok(None),
                Version::V2 => Err("comment lines (starting with \"#\") are allowed only in asciicast v3".to_string()),
            };
        }

        self.raw = None;
        if let Ok(Plain(time, code, raw)) = serde_json::from_str(text)
            && let Ok(data) = json::decode(raw.get())
        {
            let start = raw.get().as_ptr() as usize - text.as_ptr() as usize;
            self.raw = Some(start..start + raw.get().len());
            return self.event(&time, &code, data).map(Some);
        }
        let value: Value =
            serde_json::from_str(text).map_err(|error| format!("event is not valid JSON: {}", json_error(&error)))?;
        let items = match value {
            Value::Array(items) => items,
            other => {
                return Err(format!(
                    "event must be a JSON array [time, code, data], found {}",
                    kind(&other)
                ));
            }
        };
        let count = items.len();
        let Ok([time, code, data]) = <[Value; 3]>::try_from(items) else {
            return Err(format!(
                "event must have exactly 3 elements [time, code, data], found {count}"
            ));
        };

        let Value::Number(number) = &time else {
            return Err(format!("event {} must be a number, found {}", self.what(), show(&time)));
        };
        let Value::String(code) = &code else {
            return Err(format!("event code must be a string, found {}", show(&code)));
        };
        let data = match data {
            Value::String(data) => data,
            other => return Err(format!("event data must be a string, found {}", show(&other))),
        };
        self.event(number, code, data).map(Some)
    }

    /// What an event's number is called in this version.
    fn what(&self) -> &'static str {
        match self.version {
            Version::V2 => "time",
            Version::V3 => "interval",
        }
    }

    /// The event of a line with a number, a code and a string.
    fn event(&mut self, number: &Number, code: &str, data: String) -> Result<Event, String> {
        let at = to_duration(number, self.what())?;
        let code = parse_code(code, self.version)?;
        let data = match code {
            Code::Output => EventData::Output(data),
            Code::Input => EventData::Input(data),
            Code::Marker => EventData::Marker(data),
            Code::Resize => EventData::Resize(parse_resize(&data)?),
            Code::Exit => EventData::Exit(parse_exit(&data)?),
        };

        match self.version {
            Version::V2 => {
                if at < self.elapsed {
                    let previous = self.previous_time.as_ref().map_or("0".to_string(), Number::to_string);
                    return Err(format!(
                        "event time {number} is less than the previous event's {previous}"
                    ));
                }
                self.elapsed = at;
                self.previous_time = Some(number.clone());
            }
            Version::V3 => {
                self.elapsed = self
                    .elapsed
                    .checked_add(at)
                    .ok_or_else(|| format!("event interval {number} makes the total duration overflow"))?;
            }
        }
        Ok(Event {
            time: self.elapsed,
            data,
        })
    }
}

/// An event's code, if `version` has it. Unknown codes are refused (see
/// the reader's rules), "x" with the version that lacks it named.
fn parse_code(code: &str, version: Version) -> Result<Code, String> {
    match (Code::parse(code), version) {
        (Some(Code::Exit), Version::V2) => {
            Err("event code \"x\" (exit) exists only in asciicast v3; v2 allows \"o\", \"i\", \"m\", \"r\"".to_string())
        }
        (Some(code), _) => Ok(code),
        (None, Version::V2) => Err(format!(
            "unknown event code {} (asciicast v2 allows \"o\", \"i\", \"m\", \"r\")",
            show_str(code)
        )),
        (None, Version::V3) => Err(format!(
            "unknown event code {} (asciicast v3 allows \"o\", \"i\", \"m\", \"r\", \"x\")",
            show_str(code)
        )),
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

/// A resize event's `COLSxROWS`.
fn parse_resize(data: &str) -> Result<Size, String> {
    data.split_once('x')
        .and_then(|(cols, rows)| Some(Size::new(dimension(cols)?, dimension(rows)?)))
        .ok_or_else(|| {
            format!(
                "resize event data must be \"COLSxROWS\" with integers from 1 to {MAX_SIZE}, found {}",
                show_str(data)
            )
        })
}

/// Digits only: `str::parse` would also take "+80", which no writer produces.
fn dimension(text: &str) -> Option<u16> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse::<u16>().ok().filter(|&n| n >= 1)
}

/// An exit event's status, in decimal.
fn parse_exit(data: &str) -> Result<i32, String> {
    let digits = data.strip_prefix('-').unwrap_or(data);
    let status = if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        data.parse::<i32>().ok()
    } else {
        None
    };
    status.ok_or_else(|| {
        format!(
            "exit event data must be a decimal integer exit status, found {}",
            show_str(data)
        )
    })
}
