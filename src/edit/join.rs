//! Casts of one size played one after another as one stream of events,
//! each later cast's times moved past the one before, with a marker at
//! each join.

use std::io::BufRead;
use std::time::Duration;

use super::EditError;
use crate::asciicast::read::Stream;
use crate::asciicast::{Event, EventData, Header, Version};

/// The first cast's header and version, then the events of all.
pub struct Joined<R> {
    pub header: Header,
    pub version: Version,
    /// The streams after the first, each with the label of its marker.
    rest: std::vec::IntoIter<(String, Stream<R>)>,
    current: Stream<R>,
    /// The current stream's label, if it is not the first.
    label: Option<String>,
    /// Added to the current stream's times.
    offset: Duration,
    /// The last time given.
    last: Duration,
    /// Whether the last event given is the marker at a join.
    at_join: bool,
    /// The bytes of the streams done.
    done: u64,
    /// The size of all the casts, when they are files: how far an edit
    /// has come.
    pub total: Option<u64>,
}

impl<R: BufRead> Joined<R> {
    /// The casts `first` and `rest` (with their labels), which must all
    /// be of the first one's size.
    pub fn new(first: R, rest: Vec<(String, R)>) -> Result<Self, EditError> {
        let current = Stream::new(first).map_err(EditError::Cast)?;
        let header = current.header().clone();
        let mut streams = Vec::new();
        for (label, input) in rest {
            let stream = Stream::new(input).map_err(EditError::Cast)?;
            let size = stream.header().size;
            if size != header.size {
                return Err(EditError::Join {
                    label,
                    size: size.to_string(),
                    first: header.size.to_string(),
                });
            }
            streams.push((label, stream));
        }
        Ok(Self {
            version: current.version(),
            header,
            rest: streams.into_iter(),
            current,
            label: None,
            offset: Duration::ZERO,
            last: Duration::ZERO,
            at_join: false,
            done: 0,
            total: None,
        })
    }

    /// How many bytes of the casts were read so far.
    pub fn bytes_read(&self) -> u64 {
        self.done + self.current.bytes_read()
    }

    /// The last event's data as its cast wrote it: see
    /// [`Stream::raw_data`] (none for the marker at a join).
    pub fn raw_data(&self) -> Option<&[u8]> {
        (!self.at_join).then(|| self.current.raw_data()).flatten()
    }
}

impl<R: BufRead> Iterator for Joined<R> {
    type Item = Result<Event, EditError>;

    fn next(&mut self) -> Option<Self::Item> {
        self.at_join = false;
        match self.current.next() {
            Some(Ok(mut event)) => {
                event.time += self.offset;
                self.last = self.last.max(event.time);
                Some(Ok(event))
            }
            Some(Err(mut e)) => {
                if let Some(label) = &self.label {
                    e.message = format!("{label}: {}", e.message);
                }
                Some(Err(EditError::Cast(e)))
            }
            None => {
                let (label, next) = self.rest.next()?;
                self.done += self.current.bytes_read();
                self.current = next;
                self.label = Some(label.clone());
                self.offset = self.last;
                self.at_join = true;
                // The marker at the join, then the next cast's events.
                Some(Ok(Event {
                    time: self.last,
                    data: EventData::Marker(label),
                }))
            }
        }
    }
}
