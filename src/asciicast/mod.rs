//! The asciicast model shared by the writers and the checker, and the
//! writer that encodes a recording's events as v2 or v3.
//!
//! Times stay `Duration`s until an encoder writes them as seconds.

pub mod check;
pub mod read;
pub mod v2;
pub mod v3;

use std::io::{self, Write};
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
    /// Players shorten pauses longer than this.
    pub idle_time_limit: Option<Duration>,
    /// Extra header fields (`director`'s own: the scene's content hash).
    pub extra: Option<serde_json::Value>,
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
    /// v3 only: the recorded session's exit status.
    Exit,
}

impl Code {
    pub fn as_str(self) -> &'static str {
        match self {
            Code::Output => "o",
            Code::Marker => "m",
            Code::Exit => "x",
        }
    }
}

/// The asciicast version to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Version {
    /// asciicast v2: absolute times (every player and tool reads it).
    #[default]
    V2,
    /// asciicast v3: intervals, a `term` object and an exit event.
    V3,
}

/// Compresses the timeline as it is written: pauses capped at `max_pause`,
/// then everything played `speed` times faster.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Retime {
    pub speed: f64,
    pub max_pause: Option<Duration>,
}

impl Default for Retime {
    fn default() -> Self {
        Self {
            speed: 1.0,
            max_pause: None,
        }
    }
}

/// Formats a duration as seconds with microsecond precision, as asciinema does.
pub fn seconds(d: Duration) -> String {
    format!("{}.{:06}", d.as_secs(), d.subsec_micros())
}

/// Writes one event line, `[time, "code", "data"]`: the time is absolute
/// in v2 and an interval in v3.
fn write_event_line(out: &mut impl Write, time: Duration, code: Code, data: &str) -> io::Result<()> {
    write!(out, "[{}, \"{}\", ", seconds(time), code.as_str())?;
    serde_json::to_writer(&mut *out, data)?;
    out.write_all(b"]\n")
}

/// Encodes events as asciicast v2 or v3.
pub struct Writer<W: Write> {
    out: W,
    format: Version,
    retime: Retime,
    /// The last event's time as recorded (clamped to never decrease).
    last_in: Duration,
    /// The last event's time as written, after retiming.
    last_out: Duration,
    /// v3: the sum of the intervals written so far, in microseconds.
    written_us: u128,
}

impl<W: Write> Writer<W> {
    /// Writes the header and returns a writer for the events.
    pub fn new(mut out: W, header: &Header, format: Version, retime: Retime) -> io::Result<Self> {
        match format {
            Version::V2 => v2::write_header(&mut out, header)?,
            Version::V3 => v3::write_header(&mut out, header)?,
        }
        Ok(Self {
            out,
            format,
            retime,
            last_in: Duration::ZERO,
            last_out: Duration::ZERO,
            written_us: 0,
        })
    }

    /// Writes an event at recording time `time` (clamped to never decrease).
    pub fn event(&mut self, time: Duration, code: Code, data: &str) -> io::Result<()> {
        let time = time.max(self.last_in);
        let mut gap = time - self.last_in;
        if let Some(max) = self.retime.max_pause {
            gap = gap.min(max);
        }
        self.last_in = time;
        self.last_out += gap.div_f64(self.retime.speed);
        match self.format {
            Version::V2 => write_event_line(&mut self.out, self.last_out, code, data),
            Version::V3 => {
                // Error diffusion: each interval is the rounded absolute time
                // minus what was written before, so rounding never adds up
                // and the intervals sum to the true end time.
                let target = (self.last_out.as_nanos() + 500) / 1000;
                let interval = Duration::from_micros((target - self.written_us) as u64);
                self.written_us = target;
                write_event_line(&mut self.out, interval, code, data)
            }
        }
    }

    /// The last event's time as recorded (before retiming).
    pub fn last_time(&self) -> Duration {
        self.last_in
    }

    /// Ends the file (v3: with the exit event) and returns the output.
    pub fn finish(mut self, exit_status: i32) -> io::Result<W> {
        if self.format == Version::V3 {
            let at = self.last_in;
            self.event(at, Code::Exit, &exit_status.to_string())?;
        }
        self.out.flush()?;
        Ok(self.out)
    }
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
            extra: None,
        }
    }

    fn write(format: Version, retime: Retime, times_us: &[u64]) -> String {
        let mut w = Writer::new(Vec::new(), &header(), format, retime).unwrap();
        for t in times_us {
            w.event(Duration::from_nanos(t * 1000 + 400), Code::Output, "x")
                .unwrap();
        }
        String::from_utf8(w.finish(0).unwrap()).unwrap()
    }

    /// The time field of every event line.
    fn times_of(cast: &str) -> Vec<f64> {
        cast.lines()
            .skip(1)
            .map(|l| {
                serde_json::from_str::<serde_json::Value>(l).unwrap()[0]
                    .as_f64()
                    .unwrap()
            })
            .collect()
    }

    #[test]
    fn seconds_keep_microseconds() {
        assert_eq!(seconds(Duration::from_micros(1_500_001)), "1.500001");
        assert_eq!(seconds(Duration::ZERO), "0.000000");
        assert_eq!(seconds(Duration::from_nanos(999)), "0.000000");
    }

    #[test]
    fn v3_intervals_sum_to_the_v2_end_time() {
        // Times whose intervals would each round the same way.
        let times: Vec<u64> = (1..=1000).map(|i| i * 1_001 + i % 7).collect();
        let v2 = write(Version::V2, Retime::default(), &times);
        let v3 = write(Version::V3, Retime::default(), &times);
        let last_v2 = *times_of(&v2).last().unwrap();
        let sum_v3: f64 = times_of(&v3).iter().sum();
        assert!(
            (last_v2 - sum_v3).abs() < 1e-6,
            "v2 ends at {last_v2}, v3 intervals sum to {sum_v3}"
        );
        assert!(v3.lines().last().unwrap().ends_with(r#""x", "0"]"#));
        let summary = check::check(v3.as_bytes()).unwrap();
        assert_eq!((summary.version, summary.outputs), (3, 1000));
    }

    #[test]
    fn retiming_caps_pauses_and_speeds_up() {
        let retime = Retime {
            speed: 2.0,
            max_pause: Some(Duration::from_secs(1)),
        };
        let v2 = write(Version::V2, retime, &[1_000_000, 6_000_000, 6_500_000]);
        let times = times_of(&v2);
        // 1 s → 0.5; a 5 s pause capped at 1 s → +0.5; 0.5 s → +0.25.
        assert_eq!(times, [0.5, 1.0, 1.25]);
    }
}
