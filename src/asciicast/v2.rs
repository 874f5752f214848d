//! asciicast v2 encoding: a JSON header line, then one `[time, code, data]`
//! line per event with absolute times.

use std::io::{self, Write};

use serde::Serialize;

use super::{Header, Theme};

#[derive(Serialize)]
struct HeaderV2<'a> {
    version: u8,
    width: u16,
    height: u16,
    #[serde(skip_serializing_if = "Option::is_none")]
    timestamp: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    idle_time_limit: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    title: Option<&'a str>,
    env: Env<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    theme: Option<&'a Theme>,
    #[serde(skip_serializing_if = "Option::is_none")]
    director: Option<&'a serde_json::Value>,
}

#[derive(Serialize)]
#[serde(rename_all = "UPPERCASE")]
struct Env<'a> {
    term: &'a str,
    shell: &'a str,
}

pub fn write_header(out: &mut impl Write, header: &Header) -> io::Result<()> {
    let h = HeaderV2 {
        version: 2,
        width: header.size.cols,
        height: header.size.rows,
        timestamp: header.timestamp,
        idle_time_limit: header.idle_time_limit.map(|d| d.as_secs_f64()),
        title: header.title.as_deref(),
        env: Env {
            term: &header.term,
            shell: &header.shell,
        },
        theme: header.theme.as_ref(),
        director: header.extra.as_ref(),
    };
    serde_json::to_writer(&mut *out, &h)?;
    out.write_all(b"\n")
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
