//! The writer the director records into: each event's time retimed, then
//! encoded in the chosen version.
//!
//! In: a [`Header`], then events at recorded times. Out: a cast's bytes on
//! any `Write`. The writer only composes a [`Retimer`] with an encoder; the
//! formats live in `v2` and `v3`.

use std::io::{self, Write};
use std::time::Duration;

use super::v2::V2Encoder;
use super::v3::V3Encoder;
use super::{Code, Data, Event, Header, Retime, Retimer, Version};

/// Writes a cast: its header at once, then events as they come.
pub struct Writer<W: Write> {
    out: W,
    retimer: Retimer,
    encoder: Encoder,
}

enum Encoder {
    V2(V2Encoder),
    V3(V3Encoder),
}

impl<W: Write> Writer<W> {
    /// Writes the header and returns a writer for the events.
    pub fn new(mut out: W, header: &Header, format: Version, retime: Retime) -> io::Result<Self> {
        let encoder = match format {
            Version::V2 => {
                let mut encoder = V2Encoder;
                encoder.header(&mut out, header)?;
                Encoder::V2(encoder)
            }
            Version::V3 => {
                let mut encoder = V3Encoder::default();
                encoder.header(&mut out, header)?;
                Encoder::V3(encoder)
            }
        };
        Ok(Self {
            out,
            retimer: Retimer::new(retime),
            encoder,
        })
    }

    /// Writes an event at recording time `time` (clamped to never decrease).
    pub fn event(&mut self, time: Duration, code: Code, data: &str) -> io::Result<()> {
        self.event_as(time, code, Data::Text(data))
    }

    fn event_as(&mut self, time: Duration, code: Code, data: Data) -> io::Result<()> {
        let time = self.retimer.map(time);
        match &mut self.encoder {
            Encoder::V2(encoder) => encoder.event(&mut self.out, time, code, data),
            Encoder::V3(encoder) => encoder.event(&mut self.out, time, code, data),
        }
    }

    /// Writes an event of the model, as [`Writer::event`] does; returns
    /// its time as written.
    pub fn write(&mut self, event: &Event) -> io::Result<Duration> {
        self.write_as(event, None)
    }

    /// Writes an event as [`Writer::write`] does, its data as `json` (the
    /// JSON string it was read from) when given.
    pub fn write_as(&mut self, event: &Event, json: Option<&[u8]>) -> io::Result<Duration> {
        let code = event.data.code();
        match json {
            Some(json) => self.event_as(event.time, code, Data::Json(json))?,
            None => self.event_as(event.time, code, Data::Text(&event.data.text()))?,
        }
        Ok(self.retimer.last_written())
    }

    /// The output written so far, flushed.
    pub fn flushed(&mut self) -> io::Result<&mut W> {
        self.out.flush()?;
        Ok(&mut self.out)
    }

    /// The last event's time as recorded (before retiming).
    pub fn last_time(&self) -> Duration {
        self.retimer.last_recorded()
    }

    /// Ends the file as it is (an edit writes the exit event it read, if
    /// any) and returns the output.
    pub fn close(mut self) -> io::Result<W> {
        self.out.flush()?;
        Ok(self.out)
    }

    /// Ends the file (v3: with the exit event) and returns the output.
    pub fn finish(mut self, exit_status: i32) -> io::Result<W> {
        match &mut self.encoder {
            Encoder::V2(_) => {}
            Encoder::V3(encoder) => encoder.exit(&mut self.out, exit_status)?,
        }
        self.out.flush()?;
        Ok(self.out)
    }
}

#[cfg(test)]
mod tests {
    use super::super::check;
    use super::super::tests::header;
    use super::*;

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

    #[test]
    fn v3_writes_its_exit_event_with_no_interval() {
        let mut w = Writer::new(Vec::new(), &header(), Version::V3, Retime::default()).unwrap();
        w.event(Duration::from_millis(1_500), Code::Output, "a").unwrap();
        assert_eq!(w.last_time(), Duration::from_millis(1_500));
        let cast = String::from_utf8(w.finish(130).unwrap()).unwrap();
        let lines: Vec<&str> = cast.lines().collect();
        assert_eq!(
            lines[0],
            r#"{"version":3,"term":{"cols":100,"rows":36,"type":"xterm-256color"},"timestamp":1700000000,"title":"TCP \"demo\"","env":{"SHELL":"/bin/sh"}}"#
        );
        assert_eq!(&lines[1..], [r#"[1.500000, "o", "a"]"#, r#"[0.000000, "x", "130"]"#]);
    }
}
