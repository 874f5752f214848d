//! asciicast v2 encoder: a JSON header line, then one `[time, code, data]`
//! line per event with absolute times.

use std::io::{self, Write};
use std::time::Duration;

use serde::Serialize;

use super::{Code, Header, Theme, seconds};

#[derive(Serialize)]
struct HeaderV2<'a> {
    version: u8,
    width: u16,
    height: u16,
    #[serde(skip_serializing_if = "Option::is_none")]
    timestamp: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    title: Option<&'a str>,
    env: Env<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    theme: Option<&'a Theme>,
}

#[derive(Serialize)]
#[serde(rename_all = "UPPERCASE")]
struct Env<'a> {
    term: &'a str,
    shell: &'a str,
}

/// Writes an asciicast v2 stream. Event times are clamped to be
/// non-decreasing, which the format requires.
pub struct Writer<W: Write> {
    out: W,
    last: Duration,
}

impl<W: Write> Writer<W> {
    /// Writes the header and returns a writer for the events.
    pub fn new(mut out: W, header: &Header) -> io::Result<Self> {
        let h = HeaderV2 {
            version: 2,
            width: header.size.cols,
            height: header.size.rows,
            timestamp: header.timestamp,
            title: header.title.as_deref(),
            env: Env {
                term: &header.term,
                shell: &header.shell,
            },
            theme: header.theme.as_ref(),
        };
        serde_json::to_writer(&mut out, &h)?;
        out.write_all(b"\n")?;
        Ok(Self {
            out,
            last: Duration::ZERO,
        })
    }

    pub fn event(&mut self, time: Duration, code: Code, data: &str) -> io::Result<()> {
        self.last = self.last.max(time);
        write!(self.out, "[{}, \"{}\", ", seconds(self.last), code.as_str())?;
        serde_json::to_writer(&mut self.out, data)?;
        self.out.write_all(b"]\n")
    }

    /// The time of the last event written.
    pub fn last_time(&self) -> Duration {
        self.last
    }

    pub fn finish(mut self) -> io::Result<W> {
        self.out.flush()?;
        Ok(self.out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geometry::Size;

    #[test]
    fn writes_header_and_events_that_check_accepts() {
        let header = Header {
            size: Size::new(100, 36),
            timestamp: Some(1_700_000_000),
            title: Some("TCP \"demo\"".into()),
            term: "xterm-256color".into(),
            shell: "/bin/sh".into(),
            theme: None,
        };
        let mut w = Writer::new(Vec::new(), &header).unwrap();
        w.event(Duration::from_millis(10), Code::Output, "a\u{1b}[1m\"é\"\r\n")
            .unwrap();
        w.event(Duration::from_millis(5), Code::Marker, "chapter").unwrap();
        let bytes = w.finish().unwrap();
        let text = String::from_utf8(bytes.clone()).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(
            lines[0],
            r#"{"version":2,"width":100,"height":36,"timestamp":1700000000,"title":"TCP \"demo\"","env":{"TERM":"xterm-256color","SHELL":"/bin/sh"}}"#
        );
        assert_eq!(lines[1], r#"[0.010000, "o", "a\u001b[1m\"é\"\r\n"]"#);
        // An event stamped earlier than its predecessor is moved up to it.
        assert_eq!(lines[2], r#"[0.010000, "m", "chapter"]"#);
        let summary = crate::asciicast::check::check(&bytes).unwrap();
        assert_eq!((summary.version, summary.events, summary.markers), (2, 2, 1));
    }
}
