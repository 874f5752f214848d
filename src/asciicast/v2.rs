//! asciicast v2: a JSON header line with `width`, `height` and `env`, then
//! one `[time, code, data]` line per event with absolute times.
//!
//! In: a [`Header`] and written times (already retimed). Out: the header
//! line and event lines. Reading back: [`HeaderV2`] is also the form the
//! reader deserializes once the header has passed the specs' rules.

use std::io::{self, Write};
use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::{Code, Data, Env, Header, Theme, deserialize_timestamp, idle_time_limit, write_event_line};
use crate::geometry::Size;

/// The v2 header as its JSON object, fields in the order written.
#[derive(Serialize, Deserialize)]
pub(super) struct HeaderV2 {
    version: u8,
    width: u16,
    height: u16,
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
    theme: Option<Theme>,
    #[serde(skip_serializing_if = "Option::is_none")]
    director: Option<serde_json::Value>,
}

impl From<&Header> for HeaderV2 {
    fn from(header: &Header) -> Self {
        HeaderV2 {
            version: 2,
            width: header.size.cols,
            height: header.size.rows,
            timestamp: header.timestamp,
            idle_time_limit: header.idle_time_limit.map(|d| d.as_secs_f64()),
            title: header.title.clone(),
            env: Env::of(&header.term, &header.shell),
            theme: header.theme.clone(),
            director: header.director.clone(),
        }
    }
}

impl From<HeaderV2> for Header {
    fn from(h: HeaderV2) -> Self {
        let env = h.env.unwrap_or_default();
        Header {
            size: Size::new(h.width, h.height),
            timestamp: h.timestamp,
            title: h.title,
            term: env.term.unwrap_or_default(),
            shell: env.shell.unwrap_or_default(),
            theme: h.theme,
            idle_time_limit: idle_time_limit(h.idle_time_limit),
            director: h.director,
        }
    }
}

/// Encodes a recording as v2: each event line carries its absolute time.
#[derive(Debug, Default)]
pub(super) struct V2Encoder;

impl V2Encoder {
    pub(super) fn header(&mut self, out: &mut impl Write, header: &Header) -> io::Result<()> {
        serde_json::to_writer(&mut *out, &HeaderV2::from(header))?;
        out.write_all(b"\n")
    }

    /// Writes an event at written time `time`.
    pub(super) fn event(&mut self, out: &mut impl Write, time: Duration, code: Code, data: Data) -> io::Result<()> {
        write_event_line(out, time, code, data)
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::super::{Code, Retime, Version, Writer};
    use super::*;

    #[test]
    fn writes_header_and_events_that_check_accepts() {
        let header = Header {
            idle_time_limit: Some(Duration::from_millis(1500)),
            ..super::super::tests::header()
        };
        let mut w = Writer::new(Vec::new(), &header, Version::V2, Retime::default()).unwrap();
        w.event(Duration::from_millis(10), Code::Output, "a\u{1b}[1m\"é\"\r\n")
            .unwrap();
        w.event(Duration::from_millis(5), Code::Marker, "chapter").unwrap();
        let bytes = w.finish(0).unwrap();
        let text = String::from_utf8(bytes.clone()).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(
            lines[0],
            r#"{"version":2,"width":100,"height":36,"timestamp":1700000000,"idle_time_limit":1.5,"title":"TCP \"demo\"","env":{"TERM":"xterm-256color","SHELL":"/bin/sh"}}"#
        );
        assert_eq!(lines[1], r#"[0.010000, "o", "a\u001b[1m\"é\"\r\n"]"#);
        // An event stamped earlier than its predecessor is moved up to it.
        assert_eq!(lines[2], r#"[0.010000, "m", "chapter"]"#);
        assert_eq!(lines.len(), 3, "v2 has no exit event");
        let summary = crate::asciicast::check::check(&bytes).unwrap();
        assert_eq!((summary.version, summary.events, summary.markers), (2, 2, 1));
    }
}
