//! asciicast v3 encoding: a JSON header with a `term` object, then one
//! `[interval, code, data]` line per event, each interval the time since
//! the previous event.

use std::io::{self, Write};

use serde::Serialize;

use super::{Header, Theme};

#[derive(Serialize)]
struct HeaderV3<'a> {
    version: u8,
    term: Term<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    timestamp: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    idle_time_limit: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    title: Option<&'a str>,
    env: Env<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    director: Option<&'a serde_json::Value>,
}

#[derive(Serialize)]
struct Term<'a> {
    cols: u16,
    rows: u16,
    #[serde(rename = "type")]
    kind: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    theme: Option<&'a Theme>,
}

#[derive(Serialize)]
#[serde(rename_all = "UPPERCASE")]
struct Env<'a> {
    shell: &'a str,
}

pub fn write_header(out: &mut impl Write, header: &Header) -> io::Result<()> {
    let h = HeaderV3 {
        version: 3,
        term: Term {
            cols: header.size.cols,
            rows: header.size.rows,
            kind: &header.term,
            theme: header.theme.as_ref(),
        },
        timestamp: header.timestamp,
        idle_time_limit: header.idle_time_limit.map(|d| d.as_secs_f64()),
        title: header.title.as_deref(),
        env: Env { shell: &header.shell },
        director: header.extra.as_ref(),
    };
    serde_json::to_writer(&mut *out, &h)?;
    out.write_all(b"\n")
}
