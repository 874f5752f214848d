//! `check`: is this byte buffer an asciicast v2 or v3 file that asciinema's
//! tools will load?
//!
//! In: a whole file in memory. Out: a one-line [`Summary`] of the recording,
//! or the first problem located by its 1-based line ([`CheckError`]). The
//! verdict is the reader's ([`read`]): the rules a file is held to, and why,
//! are listed there, so a file `check` accepts always reads and one it
//! refuses never does.

use std::fmt;
use std::time::Duration;

use super::EventData;
pub use super::read::{CheckError, is_header};
use super::read::{Recording, read};

/// What a valid recording contains, as reported by [`check`].
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    /// asciicast format version: 2 or 3.
    pub version: u8,
    /// Initial terminal width in columns, from the header; resize events do
    /// not change it.
    pub cols: u32,
    /// Initial terminal height in rows, from the header.
    pub rows: u32,
    /// Number of events of every code. Comment and empty lines are not events.
    pub events: usize,
    /// Number of output (`"o"`) events.
    pub outputs: usize,
    /// Number of marker (`"m"`) events.
    pub markers: usize,
    /// Time of the last event since the start of the recording: the last
    /// event's time in v2, the sum of all intervals in v3. Zero when there are
    /// no events.
    pub duration: Duration,
}

impl fmt::Display for Summary {
    /// One line, e.g.
    /// `asciicast v2, 100x36, 412 events (380 output, 2 markers), 7.930 s`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Integer rounding, so the shown milliseconds never disagree with the
        // microsecond value by float noise.
        let millis = (self.duration.as_micros() + 500) / 1000;
        write!(
            f,
            "asciicast v{}, {}x{}, {} {} ({} output, {} {}), {}.{:03} s",
            self.version,
            self.cols,
            self.rows,
            self.events,
            plural(self.events, "event", "events"),
            self.outputs,
            self.markers,
            plural(self.markers, "marker", "markers"),
            millis / 1000,
            millis % 1000,
        )
    }
}

fn plural(count: usize, one: &'static str, many: &'static str) -> &'static str {
    if count == 1 { one } else { many }
}

/// Validates an asciicast v2 or v3 recording held in memory.
///
/// Returns a [`Summary`] when every line is valid, otherwise the first
/// problem in file order (see [`CheckError`]).
pub fn check(input: &[u8]) -> Result<Summary, CheckError> {
    read(input).map(|recording| Summary::of(&recording))
}

impl Summary {
    fn of(recording: &Recording) -> Summary {
        let count = |kind: fn(&EventData) -> bool| recording.events.iter().filter(|e| kind(&e.data)).count();
        Summary {
            version: recording.version.number(),
            cols: recording.header.size.cols.into(),
            rows: recording.header.size.rows.into(),
            events: recording.events.len(),
            outputs: count(|data| matches!(data, EventData::Output(_))),
            markers: count(|data| matches!(data, EventData::Marker(_))),
            // Event times never decrease, so the last is the latest.
            duration: recording.events.last().map_or(Duration::ZERO, |e| e.time),
        }
    }
}

#[cfg(test)]
mod tests;
