//! Batches of events for the threads an edit runs beside its own: each
//! takes them through a bounded channel, so memory stays bounded whichever
//! thread is slowest, and hands spent batches back to be filled again.

use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::thread::{Scope, ScopedJoinHandle};
use std::time::Duration;

use crate::asciicast::EventData;
use crate::privacy::Kind;

/// Events per batch, at most.
const BATCH: usize = 2048;
/// The text of a batch, at most (about: the event that passes it ends it).
const BATCH_BYTES: usize = 256 << 10;
/// Batches on their way to a thread.
pub(super) const QUEUE: usize = 8;

/// Runs `f` on a thread of its own, named `name` (as profilers show it).
pub(super) fn spawn<'s, T: Send + 's>(
    scope: &'s Scope<'s, '_>,
    name: &str,
    f: impl FnOnce() -> T + Send + 's,
) -> ScopedJoinHandle<'s, T> {
    std::thread::Builder::new()
        .name(name.to_string())
        .spawn_scoped(scope, f)
        .expect("a thread can be started")
}

/// A private value seen on screen: after which written event, when, on
/// which row (0-based), of which kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Seen {
    pub event: usize,
    pub time: Duration,
    pub row: usize,
    pub kind: Kind,
}

/// Batches sent to a thread of their own through a bounded channel; spent
/// batches come back to be filled again, so that little is allocated, and
/// what this thread allocates this thread frees (glibc's allocator makes
/// freeing another thread's memory dear).
pub(super) struct Pipe<T> {
    tx: Option<SyncSender<Vec<T>>>,
    back: Receiver<Vec<T>>,
    batch: Vec<T>,
    /// The text in `batch`.
    bytes: usize,
    /// A spent batch, its items to be filled again.
    spare: Vec<T>,
    /// Spent batches emptied, to batch in again.
    empty: Vec<Vec<T>>,
}

/// The far end of a [`Pipe`].
pub(super) struct Outlet<T> {
    pub rx: Receiver<Vec<T>>,
    back: SyncSender<Vec<T>>,
}

impl<T> Outlet<T> {
    /// Hands a spent batch back (or drops it, when enough are on their way).
    pub fn spent(&self, batch: Vec<T>) {
        let _ = self.back.try_send(batch);
    }
}

impl<T: Send> Pipe<T> {
    /// A pipe that holds up to `queue` batches on their way.
    pub fn new(queue: usize) -> (Self, Outlet<T>) {
        let (tx, rx) = sync_channel(queue);
        let (back, returned) = sync_channel(queue + 1);
        let pipe = Self {
            tx: Some(tx),
            back: returned,
            batch: Vec::with_capacity(BATCH),
            bytes: 0,
            spare: Vec::new(),
            empty: Vec::new(),
        };
        (pipe, Outlet { rx, back })
    }

    /// Adds `fill`'s item of `bytes` of text, made from a spent one when
    /// there is one; false once the far end takes no more.
    pub fn push(&mut self, bytes: usize, fill: impl FnOnce(Option<T>) -> T) -> bool {
        if self.spare.is_empty()
            && let Ok(spent) = self.back.try_recv()
        {
            let emptied = std::mem::replace(&mut self.spare, spent);
            if emptied.capacity() >= BATCH {
                self.empty.push(emptied);
            }
        }
        let item = fill(self.spare.pop());
        self.batch.push(item);
        self.bytes += bytes;
        (self.batch.len() < BATCH && self.bytes < BATCH_BYTES) || self.send()
    }

    /// Sends what is batched; false once the far end takes no more.
    pub fn send(&mut self) -> bool {
        self.bytes = 0;
        let next = self.empty.pop().unwrap_or_else(|| Vec::with_capacity(BATCH));
        let batch = std::mem::replace(&mut self.batch, next);
        self.tx.as_ref().is_some_and(|tx| tx.send(batch).is_ok())
    }

    /// Sends what is batched, and then nothing more: the far end's loop
    /// ends.
    pub fn close(&mut self) {
        self.send();
        self.tx = None;
    }
}

/// The text an event carries.
pub(super) fn data_len(data: &EventData) -> usize {
    match data {
        EventData::Output(text) | EventData::Input(text) | EventData::Marker(text) => text.len(),
        _ => 0,
    }
}

/// `data`, copied into the room of a spent one where it fits.
pub(super) fn copy_into(spent: Option<EventData>, data: &EventData) -> EventData {
    match (spent, data) {
        (Some(EventData::Output(mut text)), EventData::Output(new)) => {
            text.clear();
            text.push_str(new);
            EventData::Output(text)
        }
        _ => data.clone(),
    }
}

/// An event as written, for the check.
pub(super) struct Written {
    pub event: usize,
    pub time: Duration,
    pub data: EventData,
    /// Search the screen after it.
    pub search: bool,
    /// Only played, to bring a relay's screen to where the cast is.
    pub warm: bool,
}
