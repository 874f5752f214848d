//! asciicast v3: a JSON header with a `term` object, then one
//! `[interval, code, data]` line per event, each interval the time since
//! the previous event, and an exit event at the end.
//!
//! In: a [`Header`] and written times (already retimed, absolute). Out: the
//! header line and event lines. Reading back: [`HeaderV3`] is also the form
//! the reader deserializes once the header has passed the specs' rules.

use std::io::{self, Write};
use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::{Code, Data, Env, Header, Theme, deserialize_timestamp, idle_time_limit, write_event_line};
use crate::geometry::Size;

/// The v3 header as its JSON object, fields in the order written.
#[derive(Serialize, Deserialize)]
pub(super) struct HeaderV3 {
    version: u8,
    term: Term,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "deserialize_timestamp"
    )]
    timestamp: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    idle_time_limit: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    env: Option<Env>,
    #[serde(skip_serializing_if = "Option::is_none")]
    director: Option<serde_json::Value>,
}

#[derive(Serialize, Deserialize)]
struct Term {
    cols: u16,
    rows: u16,
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    kind: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    theme: Option<Theme>,
}

impl From<&Header> for HeaderV3 {
    fn from(header: &Header) -> Self {
        HeaderV3 {
            version: 3,
            term: Term {
                cols: header.size.cols,
                rows: header.size.rows,
                kind: (!header.term.is_empty()).then(|| header.term.clone()),
                theme: header.theme.clone(),
            },
            timestamp: header.timestamp,
            idle_time_limit: header.idle_time_limit.map(|d| d.as_secs_f64()),
            title: header.title.clone(),
            env: Env::of("", &header.shell),
            director: header.director.clone(),
        }
    }
}

impl From<HeaderV3> for Header {
    fn from(h: HeaderV3) -> Self {
        Header {
            size: Size::new(h.term.cols, h.term.rows),
            timestamp: h.timestamp,
            title: h.title,
            term: h.term.kind.unwrap_or_default(),
            shell: h.env.and_then(|env| env.shell).unwrap_or_default(),
            theme: h.term.theme,
            idle_time_limit: idle_time_limit(h.idle_time_limit),
            director: h.director,
        }
    }
}

/// Encodes a recording as v3, turning absolute times into intervals.
#[derive(Debug, Default)]
pub(super) struct V3Encoder {
    /// The sum of the intervals written so far, in microseconds.
    written_us: u128,
}

impl V3Encoder {
    pub(super) fn header(&mut self, out: &mut impl Write, header: &Header) -> io::Result<()> {
        serde_json::to_writer(&mut *out, &HeaderV3::from(header))?;
        out.write_all(b"\n")
    }

    /// Writes an event at written time `time` (never earlier than the
    /// previous event's) as the interval since the previous event.
    pub(super) fn event(&mut self, out: &mut impl Write, time: Duration, code: Code, data: Data) -> io::Result<()> {
        // Error diffusion: each interval is the rounded absolute time minus
        // what was written before, so rounding never adds up and the
        // intervals sum to the true end time.
        let target = (time.as_nanos() + 500) / 1000;
        let interval = Duration::from_micros((target - self.written_us) as u64);
        self.written_us = target;
        write_event_line(out, interval, code, data)
    }

    /// Writes the exit event: the session ends with its last event.
    pub(super) fn exit(&mut self, out: &mut impl Write, status: i32) -> io::Result<()> {
        write_event_line(out, Duration::ZERO, Code::Exit, Data::Text(&status.to_string()))
    }
}
