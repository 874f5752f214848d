//! The asciicast model shared by the writers and the checker.
//!
//! Times stay `Duration`s until an encoder writes them as seconds.

pub mod check;
pub mod v2;

use std::time::Duration;

use serde::Serialize;

use crate::geometry::Size;

/// What an asciicast header says about a recording.
#[derive(Debug, Clone, PartialEq)]
pub struct Header {
    pub size: Size,
    /// Unix time of the recording's start.
    pub timestamp: Option<i64>,
    pub title: Option<String>,
    /// Environment shown to players: only `TERM` and `SHELL`.
    pub term: String,
    pub shell: String,
    pub theme: Option<Theme>,
}

/// Player colours: `#rrggbb` strings, the palette as 8 or 16 colours joined by `:`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Theme {
    pub fg: String,
    pub bg: String,
    pub palette: String,
}

/// The kind of an event, by its asciicast code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Code {
    Output,
    Marker,
}

impl Code {
    pub fn as_str(self) -> &'static str {
        match self {
            Code::Output => "o",
            Code::Marker => "m",
        }
    }
}

/// Formats a duration as seconds with microsecond precision, as asciinema does.
pub fn seconds(d: Duration) -> String {
    format!("{}.{:06}", d.as_secs(), d.subsec_micros())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seconds_keep_microseconds() {
        assert_eq!(seconds(Duration::from_micros(1_500_001)), "1.500001");
        assert_eq!(seconds(Duration::ZERO), "0.000000");
        assert_eq!(seconds(Duration::from_nanos(999)), "0.000000");
    }
}
