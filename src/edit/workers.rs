//! The threads an edit runs beside its own, so that a large cast streams
//! at the speed of its slowest part rather than of all parts together:
//! reading and parsing the cast, replaying what is written (the scrub's
//! check, [`OnScreen`]), and following the original for the redraws after
//! cuts. Each takes events in batches through a bounded channel, so memory
//! stays bounded whichever is slowest.

use std::io::BufRead;
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::thread::{Scope, ScopedJoinHandle};
use std::time::Duration;

use super::onscreen::OnScreen;
use super::{EditError, Joined, follow};
use crate::asciicast::{Event, EventData};
use crate::geometry::Size;
use crate::privacy::{Identity, Kind};
use crate::screen::emulator::parser;

/// Events per batch.
const BATCH: usize = 256;
/// Batches on their way to a thread.
const QUEUE: usize = 8;

/// Runs `f` on a thread of its own, named `name` (as profilers show it).
fn spawn<'s, T: Send + 's>(
    scope: &'s Scope<'s, '_>,
    name: &str,
    f: impl FnOnce() -> T + Send + 's,
) -> ScopedJoinHandle<'s, T> {
    std::thread::Builder::new()
        .name(name.to_string())
        .spawn_scoped(scope, f)
        .expect("a thread can be started")
}

/// Reads `stream` on a thread of its own: its events, in batches, in order.
pub(super) fn read<'s, R: BufRead + Send + 's>(
    scope: &'s Scope<'s, '_>,
    mut stream: Joined<R>,
) -> Receiver<Vec<Result<Event, EditError>>> {
    let (tx, rx) = sync_channel(QUEUE);
    spawn(scope, "read", move || {
        loop {
            let batch: Vec<_> = stream.by_ref().take(BATCH).collect();
            let last = batch.len() < BATCH || batch.last().is_some_and(Result::is_err);
            if batch.is_empty() || tx.send(batch).is_err() || last {
                return;
            }
        }
    });
    rx
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

/// An event as written, for the check.
struct Written {
    event: usize,
    time: Duration,
    data: EventData,
    /// Search the screen after it.
    search: bool,
}

/// The written cast replayed on a thread of its own, the screen searched
/// after each output event; it stops at the first private value it sees.
pub(super) struct Check<'s> {
    tx: Option<SyncSender<Vec<Written>>>,
    batch: Vec<Written>,
    handle: ScopedJoinHandle<'s, Option<Seen>>,
}

impl<'s> Check<'s> {
    pub fn spawn(scope: &'s Scope<'s, '_>, size: Size, identity: &'s Identity) -> Self {
        let (tx, rx) = sync_channel::<Vec<Written>>(QUEUE);
        let handle = spawn(scope, "check", move || {
            let mut screen = OnScreen::new(size);
            for batch in rx {
                for written in batch {
                    screen.feed(&written.data);
                    if !written.search {
                        continue;
                    }
                    if let Some((row, kind)) = screen.find(identity) {
                        return Some(Seen {
                            event: written.event,
                            time: written.time,
                            row,
                            kind,
                        });
                    }
                }
            }
            None
        });
        Self {
            tx: Some(tx),
            batch: Vec::with_capacity(BATCH),
            handle,
        }
    }

    /// Replays the written event number `event`, at `time`; false once
    /// the check has seen a private value (and takes no more).
    pub fn push(&mut self, event: usize, time: Duration, data: &EventData, search: bool) -> bool {
        self.batch.push(Written {
            event,
            time,
            data: data.clone(),
            search,
        });
        if self.batch.len() < BATCH {
            return true;
        }
        self.send()
    }

    fn send(&mut self) -> bool {
        let batch = std::mem::replace(&mut self.batch, Vec::with_capacity(BATCH));
        self.tx.as_ref().is_some_and(|tx| tx.send(batch).is_ok())
    }

    /// Waits for the check of everything pushed: the private value seen.
    pub fn finish(mut self) -> Option<Seen> {
        self.send();
        self.tx = None;
        self.handle.join().expect("the check does not panic")
    }
}

/// What the original's follower is asked to do.
enum ToOriginal {
    Follow(Vec<EventData>),
    /// Send the screen as it is now, drawn again.
    Redraw,
}

/// The original cast (scrubbed, uncut) followed on a thread of its own, so
/// that the screen at the start of a part kept after a cut can be drawn
/// again.
pub(super) struct Original {
    tx: SyncSender<ToOriginal>,
    batch: Vec<EventData>,
    replies: Receiver<(Size, String)>,
}

impl Original {
    pub fn spawn<'s>(scope: &'s Scope<'s, '_>, size: Size) -> Self {
        let (tx, rx) = sync_channel::<ToOriginal>(QUEUE);
        let (reply, replies) = sync_channel(1);
        spawn(scope, "original", move || {
            let mut term = parser(size);
            for message in rx {
                match message {
                    ToOriginal::Follow(batch) => batch.iter().for_each(|data| follow(&mut term, data)),
                    ToOriginal::Redraw => {
                        let (rows, cols) = term.screen().size();
                        let size = Size::new(cols.get(), rows.get());
                        if reply.send((size, super::redraw(term.screen()))).is_err() {
                            return;
                        }
                    }
                }
            }
        });
        Self {
            tx,
            batch: Vec::with_capacity(BATCH),
            replies,
        }
    }

    /// Follows an event of the original.
    pub fn follow(&mut self, data: &EventData) {
        self.batch.push(data.clone());
        if self.batch.len() >= BATCH {
            self.send();
        }
    }

    fn send(&mut self) {
        let batch = std::mem::replace(&mut self.batch, Vec::with_capacity(BATCH));
        // The follower only ends when this side does.
        let _ = self.tx.send(ToOriginal::Follow(batch));
    }

    /// The original's size now, and the bytes that draw its screen again.
    pub fn redraw(&mut self) -> (Size, String) {
        self.send();
        let _ = self.tx.send(ToOriginal::Redraw);
        self.replies.recv().expect("the follower answers while this side lives")
    }
}
