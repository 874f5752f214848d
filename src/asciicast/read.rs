//! The reader: an asciicast v2 or v3 file's bytes to its [`Header`] and
//! [`Event`]s in one pass, each line held to the published specs
//! (<https://docs.asciinema.org/manual/asciicast/v2/> and
//! <https://docs.asciinema.org/manual/asciicast/v3/>) as it is read.
//!
//! In: a whole file in memory ([`read`]), or a file's first bytes
//! ([`read_header`]). Out: a [`Recording`] with absolute event times, or
//! the first problem located by its 1-based line ([`CheckError`]). It never
//! rewrites, repairs or plays a recording. [`check`](super::check) is this
//! reader's verdict, so whatever `check` accepts reads, and whatever it
//! refuses does not.
//!
//! Where the specs are silent, asciinema's own reader (the `asciinema`
//! crate's `asciicast::v2` / `asciicast::v3` parsers) is treated as the
//! reference, because a file it refuses is useless to anyone we hand it to:
//!
//! - Empty lines after the header are skipped in both versions, so a final
//!   newline and blank lines between events are fine. Neither spec mentions
//!   them, but asciinema's reader skips them in v2 and v3 alike. A line holding
//!   only spaces is *not* empty and is rejected, as asciinema does.
//! - A `\r` before the `\n` is ignored (CRLF files), as Rust's line reader
//!   that asciinema uses does.
//! - Lines starting with `#` are comments in v3 only; in v2 they are errors.
//! - `null` in an optional header field counts as absent, as with asciinema's
//!   `Option` fields.
//! - Terminal sizes (header and resize events) must be 1..=65535, because
//!   asciinema stores them as `u16` and refuses larger values.
//! - v2 `timestamp` may be an integer or a float (the current v2 spec revision
//!   says "Integer or float"); v3 says integer, so a float is an error there.
//! - Unknown event codes are rejected. This is stricter than the specs, which
//!   tell *players* to ignore codes they do not understand; a validator for
//!   recordings we produce is more useful flagging a typo than excusing it.
//! - Event times are kept to the microsecond, asciinema's own precision.

mod describe;
mod event;
mod header;
mod json;

use super::{Event, Header, Version};

/// Largest terminal dimension asciinema accepts (it reads sizes as `u16`).
const MAX_SIZE: u32 = u16::MAX as u32;

/// A recording as read from a file.
#[derive(Debug, Clone, PartialEq)]
pub struct Recording {
    pub version: Version,
    pub header: Header,
    /// Every event, in file order, at its absolute time.
    pub events: Vec<Event>,
}

/// The first problem found in a recording.
///
/// Displays as `line {line}: {message}`, e.g.
/// `line 3: event time 1.2 is less than the previous event's 1.5`.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("line {line}: {message}")]
pub struct CheckError {
    /// 1-based line number of the offending line; problems with the header or
    /// with an empty file are reported on line 1.
    pub line: usize,
    /// What is wrong, in words meant for a person fixing the file.
    pub message: String,
}

/// Reads an asciicast v2 or v3 recording held in memory; the error is the
/// first problem in file order.
pub fn read(input: &[u8]) -> Result<Recording, CheckError> {
    // `split` always yields at least one item, even for input without '\n'.
    let mut lines = input.split(|&byte| byte == b'\n').zip(1..);
    let header_bytes = lines.next().map_or(&[][..], |(bytes, _)| bytes);
    let (version, header) = header_line(header_bytes, input)?;

    let mut stream = event::Events::new(version);
    let mut events = Vec::new();
    for (bytes, line) in lines {
        let text = line_text(bytes, line)?;
        if text.is_empty() {
            continue;
        }
        let event = stream.line(text).map_err(|message| CheckError { line, message })?;
        events.extend(event);
    }
    Ok(Recording {
        version,
        header,
        events,
    })
}

/// A recording read line by line, for files too large to hold: the header
/// at once, then each event as it is asked for, held to the same rules as
/// [`read`]. After the first error it yields nothing more.
pub struct Stream<R> {
    input: R,
    line: usize,
    version: Version,
    header: Header,
    events: event::Events,
    buf: Vec<u8>,
    done: bool,
    /// Bytes read so far.
    read: u64,
}

impl<R: std::io::BufRead> Stream<R> {
    /// Reads the header line of `input`.
    pub fn new(mut input: R) -> Result<Self, CheckError> {
        let mut buf = Vec::new();
        input.read_until(b'\n', &mut buf).map_err(|e| CheckError {
            line: 1,
            message: format!("cannot read: {e}"),
        })?;
        let first = buf.strip_suffix(b"\n").unwrap_or(&buf);
        let (version, header) = header_line(first, &buf)?;
        Ok(Self {
            input,
            line: 1,
            version,
            header,
            events: event::Events::new(version),
            read: buf.len() as u64,
            buf,
            done: false,
        })
    }

    pub fn version(&self) -> Version {
        self.version
    }

    pub fn header(&self) -> &Header {
        &self.header
    }

    /// The line the last event came from.
    pub fn line(&self) -> usize {
        self.line
    }

    /// How many bytes of the input were read so far.
    pub fn bytes_read(&self) -> u64 {
        self.read
    }

    /// The last event's data as the file writes it: a JSON string, its
    /// quotes and escapes as they are.
    pub fn raw_data(&self) -> Option<&[u8]> {
        self.buf.get(self.events.raw.clone()?)
    }
}

impl<R: std::io::BufRead> Iterator for Stream<R> {
    type Item = Result<Event, CheckError>;

    fn next(&mut self) -> Option<Self::Item> {
        while !self.done {
            self.buf.clear();
            self.line += 1;
            let line = self.line;
            let failed = |message: String| Some(Err(CheckError { line, message }));
            match self.input.read_until(b'\n', &mut self.buf) {
                Ok(0) => self.done = true,
                Err(e) => {
                    self.done = true;
                    return failed(format!("cannot read: {e}"));
                }
                Ok(n) => {
                    self.read += n as u64;
                    let bytes = self.buf.strip_suffix(b"\n").unwrap_or(&self.buf);
                    let text = match line_text(bytes, line) {
                        Ok(text) => text,
                        Err(e) => {
                            self.done = true;
                            return Some(Err(e));
                        }
                    };
                    if text.is_empty() {
                        continue;
                    }
                    match self.events.line(text) {
                        Ok(Some(event)) => return Some(Ok(event)),
                        Ok(None) => {}
                        Err(message) => {
                            self.done = true;
                            return failed(message);
                        }
                    }
                }
            }
        }
        None
    }
}

/// Reads only the header: the first line of `start`, a file's first bytes
/// (the whole line, or as much of it as was read). Cheap enough to ask of
/// every file in a folder.
pub fn read_header(start: &[u8]) -> Result<Header, CheckError> {
    let first = start.split(|&byte| byte == b'\n').next().unwrap_or_default();
    header_line(first, start).map(|(_, header)| header)
}

/// Whether `line` (a file's first line) is a valid asciicast v2 or v3
/// header: what tells a cast from any other file before overwriting it.
pub fn is_header(line: &[u8]) -> bool {
    read_header(line).is_ok()
}

/// Reads line 1; `whole` is all the input there is, only consulted to
/// explain a failure better.
fn header_line(bytes: &[u8], whole: &[u8]) -> Result<(Version, Header), CheckError> {
    if whole.is_empty() {
        return Err(CheckError {
            line: 1,
            message: "file is empty; expected a JSON header object on line 1".to_string(),
        });
    }
    let text = line_text(bytes, 1)?;
    header::parse(text, whole).map_err(|message| CheckError { line: 1, message })
}

/// Decodes one line, dropping a CRLF's `\r`.
fn line_text(bytes: &[u8], line: usize) -> Result<&str, CheckError> {
    let bytes = bytes.strip_suffix(b"\r").unwrap_or(bytes);
    std::str::from_utf8(bytes).map_err(|error| CheckError {
        line,
        message: format!(
            "not valid UTF-8: invalid byte sequence at byte {} of the line",
            error.valid_up_to() + 1
        ),
    })
}

#[cfg(test)]
mod tests;
