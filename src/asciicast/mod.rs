//! The asciicast model, one for every use: a [`Header`] and a stream of
//! [`Event`]s, which the writer encodes, the reader decodes, `check`
//! summarizes and `render` replays.
//!
//! In: a recording's header and its events, each at an absolute time since
//! the start (from the director, or from a file). Out: `.cast` bytes in
//! asciicast v2 or v3 ([`Writer`]), or a file read back into the same
//! model ([`read::read`]), or a one-line [`check::Summary`].
//!
//! - `v2` and `v3`: each version's header form (serde) and encoder.
//! - `retime`: speed and the pause cap, mapping recorded times to the
//!   times written; the encoders know nothing of them.
//! - `writer`: retiming composed with an encoder, for the director.
//! - [`mod@read`]: bytes to a header and events in one pass, holding each
//!   line to the specs' rules.
//! - [`check`]: the reader's verdict on a file, as a summary or the first
//!   bad line.
//!
//! Times stay `Duration`s until an encoder writes them as seconds.

pub mod check;
pub mod read;
mod retime;
mod v2;
mod v3;
mod writer;

use std::borrow::Cow;
use std::io::{self, Write};
use std::time::Duration;

use serde::{Deserialize, Deserializer, Serialize};

use crate::geometry::Size;

pub use retime::{Retime, Retimer};
pub use writer::Writer;

/// What an asciicast header says about a recording, whatever its version.
#[derive(Debug, Clone, PartialEq)]
pub struct Header {
    pub size: Size,
    /// Unix time of the recording's start.
    pub timestamp: Option<i64>,
    pub title: Option<String>,
    /// Environment shown to players: only `TERM` and `SHELL` (empty when a
    /// file read back does not name them).
    pub term: String,
    pub shell: String,
    pub theme: Option<Theme>,
    /// Players shorten pauses longer than this.
    pub idle_time_limit: Option<Duration>,
    /// The header's own `director` field: the scene's
    /// content hash and inputs, as `director build` writes them.
    pub director: Option<serde_json::Value>,
}

/// Player colours: `#rrggbb` strings, the palette as 8 or 16 colours joined by `:`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Theme {
    pub fg: String,
    pub bg: String,
    pub palette: String,
}

/// An asciicast format version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Version {
    /// asciicast v2: absolute times (every player and tool reads it).
    #[default]
    V2,
    /// asciicast v3: intervals, a `term` object and an exit event.
    V3,
}

impl Version {
    /// The number a header's `version` field holds.
    pub fn number(self) -> u8 {
        match self {
            Version::V2 => 2,
            Version::V3 => 3,
        }
    }
}

/// One event: what happened, at an absolute time since the recording's
/// start (v3's intervals are summed on reading and taken apart on writing).
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    pub time: Duration,
    pub data: EventData,
}

/// What an event carries, typed by its kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EventData {
    /// Bytes the terminal printed (`"o"`).
    Output(String),
    /// Keys typed into the terminal (`"i"`).
    Input(String),
    /// A chapter marker with its label (`"m"`).
    Marker(String),
    /// The terminal's new size (`"r"`, written `COLSxROWS`).
    Resize(Size),
    /// v3 only: the recorded session's exit status (`"x"`).
    Exit(i32),
}

impl EventData {
    /// The event's kind, as its code.
    pub fn code(&self) -> Code {
        match self {
            EventData::Output(_) => Code::Output,
            EventData::Input(_) => Code::Input,
            EventData::Marker(_) => Code::Marker,
            EventData::Resize(_) => Code::Resize,
            EventData::Exit(_) => Code::Exit,
        }
    }

    /// The data as a cast holds it: text as is, a size as `COLSxROWS`, a
    /// status in decimal.
    pub fn text(&self) -> Cow<'_, str> {
        match self {
            EventData::Output(text) | EventData::Input(text) | EventData::Marker(text) => Cow::Borrowed(text),
            EventData::Resize(size) => Cow::Owned(size.to_string()),
            EventData::Exit(status) => Cow::Owned(status.to_string()),
        }
    }
}

/// An event's kind, by its one-letter asciicast code: what [`Writer::event`]
/// takes, so the director can write text it already holds without copying it
/// into an [`EventData`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Code {
    Output,
    Input,
    Marker,
    Resize,
    /// v3 only: the recorded session's exit status.
    Exit,
}

impl Code {
    /// The code as written in an event line.
    pub fn as_str(self) -> &'static str {
        match self {
            Code::Output => "o",
            Code::Input => "i",
            Code::Marker => "m",
            Code::Resize => "r",
            Code::Exit => "x",
        }
    }

    /// The kind an event line's code names, in any version.
    pub fn parse(code: &str) -> Option<Code> {
        [Code::Output, Code::Input, Code::Marker, Code::Resize, Code::Exit]
            .into_iter()
            .find(|kind| kind.as_str() == code)
    }
}

/// Formats a duration as seconds with microsecond precision, as asciinema does.
pub fn seconds(d: Duration) -> String {
    format!("{}.{:06}", d.as_secs(), d.subsec_micros())
}

/// Writes a duration as [`seconds`] formats it, without formatting
/// machinery (a large cast writes one per event).
fn write_seconds(out: &mut impl Write, d: Duration) -> io::Result<()> {
    // Written from the last digit back: the microseconds, the point, the
    // seconds.
    let mut text = [0u8; 28];
    let mut at = text.len();
    let (mut micros, mut secs) = (d.subsec_micros(), d.as_secs());
    for _ in 0..6 {
        at -= 1;
        text[at] = b'0' + (micros % 10) as u8;
        micros /= 10;
    }
    at -= 1;
    text[at] = b'.';
    loop {
        at -= 1;
        text[at] = b'0' + (secs % 10) as u8;
        secs /= 10;
        if secs == 0 {
            break;
        }
    }
    out.write_all(&text[at..])
}

/// An event's data as it is to be written.
#[derive(Debug, Clone, Copy)]
pub enum Data<'a> {
    /// Text, written as a JSON string.
    Text(&'a str),
    /// A JSON string as a cast wrote it (quotes and escapes as they are),
    /// written again as it is.
    Json(&'a [u8]),
}

/// Writes one event line, `[time, "code", "data"]`: the time is absolute
/// in v2 and an interval in v3.
fn write_event_line(out: &mut impl Write, time: Duration, code: Code, data: Data) -> io::Result<()> {
    out.write_all(b"[")?;
    write_seconds(out, time)?;
    out.write_all(b", \"")?;
    out.write_all(code.as_str().as_bytes())?;
    out.write_all(b"\", ")?;
    match data {
        Data::Text(text) => serde_json::to_writer(&mut *out, text)?,
        Data::Json(string) => out.write_all(string)?,
    }
    out.write_all(b"]\n")
}

/// The header's `env`: v2 names `TERM` and `SHELL`, v3 only `SHELL` (its
/// terminal type is `term.type`). Other variables are read past.
#[derive(Serialize, Deserialize, Default)]
#[serde(rename_all = "UPPERCASE")]
struct Env {
    #[serde(skip_serializing_if = "Option::is_none")]
    term: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    shell: Option<String>,
}

impl Env {
    /// The variables that are set (a cast read without them writes none).
    fn of(term: &str, shell: &str) -> Option<Self> {
        let set = |v: &str| (!v.is_empty()).then(|| v.to_string());
        let env = Env {
            term: set(term),
            shell: set(shell),
        };
        (env.term.is_some() || env.shell.is_some()).then_some(env)
    }
}

/// Reads a header's `timestamp`, which v2 allows as a float: whole seconds
/// are enough, and a value too large for `i64` saturates rather than fails
/// (the reader's rules have already accepted it).
fn deserialize_timestamp<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<i64>, D::Error> {
    let number = Option::<serde_json::Number>::deserialize(deserializer)?;
    Ok(number.map(|n| match (n.as_i64(), n.as_u64()) {
        (Some(i), _) => i,
        (None, Some(_)) => i64::MAX,
        // `as` saturates, and drops the fraction.
        (None, None) => n.as_f64().unwrap_or(0.0) as i64,
    }))
}

/// Reads a header's `idle_time_limit` in seconds (already checked to be a
/// non-negative number); a limit too large for a `Duration` is no limit lower.
fn idle_time_limit(seconds: Option<f64>) -> Option<Duration> {
    seconds.map(|s| Duration::try_from_secs_f64(s).unwrap_or(Duration::MAX))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A header for writer tests.
    pub(crate) fn header() -> Header {
        Header {
            size: Size::new(100, 36),
            timestamp: Some(1_700_000_000),
            title: Some("TCP \"demo\"".into()),
            term: "xterm-256color".into(),
            shell: "/bin/sh".into(),
            theme: None,
            idle_time_limit: None,
            director: None,
        }
    }

    #[test]
    fn seconds_keep_microseconds() {
        assert_eq!(seconds(Duration::from_micros(1_500_001)), "1.500001");
        assert_eq!(seconds(Duration::ZERO), "0.000000");
        assert_eq!(seconds(Duration::from_nanos(999)), "0.000000");
        for d in [0, 1, 999_999, 1_000_000, 1_500_001, 54_785_123_456, u64::MAX / 1000].map(Duration::from_micros) {
            let mut written = Vec::new();
            write_seconds(&mut written, d).unwrap();
            assert_eq!(String::from_utf8(written).unwrap(), seconds(d));
        }
        let mut written = Vec::new();
        write_seconds(&mut written, Duration::MAX).unwrap();
        assert_eq!(String::from_utf8(written).unwrap(), seconds(Duration::MAX));
    }

    #[test]
    fn codes_and_data_round_trip() {
        for data in [
            EventData::Output("a".into()),
            EventData::Input("b".into()),
            EventData::Marker("c".into()),
            EventData::Resize(Size::new(90, 30)),
            EventData::Exit(-1),
        ] {
            assert_eq!(Code::parse(data.code().as_str()), Some(data.code()));
        }
        assert_eq!(EventData::Resize(Size::new(90, 30)).text(), "90x30");
        assert_eq!(EventData::Exit(130).text(), "130");
        assert_eq!(Code::parse("z"), None);
    }
}
