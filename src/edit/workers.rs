//! The threads an edit runs beside its own, so that a large cast streams
//! at the speed of its slowest part rather than of all parts together:
//! replaying what is written (the scrub's check, [`OnScreen`]), and
//! following the original for the redraws after cuts. Each takes events in
//! batches through a bounded channel, so memory stays bounded whichever is
//! slowest. (Reading the cast stays on the edit's own thread: a thread
//! that parses hands every event's text to another, and freeing it there
//! cost more than the parsing saved.)

use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::thread::{Scope, ScopedJoinHandle};
use std::time::Duration;

use super::follow;
use super::onscreen::OnScreen;
use crate::asciicast::EventData;
use crate::geometry::Size;
use crate::privacy::{Identity, Kind};
use crate::screen::emulator::parser;

/// Events per batch.
const BATCH: usize = 2048;
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
struct Pipe<T> {
    tx: Option<SyncSender<Vec<T>>>,
    back: Receiver<Vec<T>>,
    batch: Vec<T>,
    /// A spent batch, its items to be filled again.
    spare: Vec<T>,
}

/// The far end of a [`Pipe`].
struct Outlet<T> {
    rx: Receiver<Vec<T>>,
    back: SyncSender<Vec<T>>,
}

impl<T> Outlet<T> {
    /// Hands a spent batch back (or drops it, when enough are on their way).
    fn spent(&self, batch: Vec<T>) {
        let _ = self.back.try_send(batch);
    }
}

impl<T: Send> Pipe<T> {
    fn new() -> (Self, Outlet<T>) {
        let (tx, rx) = sync_channel(QUEUE);
        let (back, returned) = sync_channel(QUEUE + 1);
        let pipe = Self {
            tx: Some(tx),
            back: returned,
            batch: Vec::with_capacity(BATCH),
            spare: Vec::new(),
        };
        (pipe, Outlet { rx, back })
    }

    /// Adds `fill`'s item, made from a spent one when there is one; false
    /// once the far end takes no more.
    fn push(&mut self, fill: impl FnOnce(Option<T>) -> T) -> bool {
        if self.spare.is_empty()
            && let Ok(spent) = self.back.try_recv()
        {
            self.spare = spent;
        }
        let item = fill(self.spare.pop());
        self.batch.push(item);
        self.batch.len() < BATCH || self.send()
    }

    /// Sends what is batched; false once the far end takes no more.
    fn send(&mut self) -> bool {
        let batch = std::mem::replace(&mut self.batch, Vec::with_capacity(BATCH));
        self.tx.as_ref().is_some_and(|tx| tx.send(batch).is_ok())
    }
}

/// `data`, copied into the room of a spent one where it fits.
fn copy_into(spent: Option<EventData>, data: &EventData) -> EventData {
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
    pipe: Pipe<Written>,
    handle: ScopedJoinHandle<'s, Option<Seen>>,
}

impl<'s> Check<'s> {
    pub fn spawn(scope: &'s Scope<'s, '_>, size: Size, identity: &'s Identity) -> Self {
        let (pipe, outlet) = Pipe::<Written>::new();
        let handle = spawn(scope, "check", move || {
            let mut screen = OnScreen::new(size);
            for batch in &outlet.rx {
                if crate::signals::received().is_some() {
                    // The edit stops: what is left needs no check.
                    return None;
                }
                for written in &batch {
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
                outlet.spent(batch);
            }
            None
        });
        Self { pipe, handle }
    }

    /// Replays the written event number `event`, at `time`; false once
    /// the check has seen a private value (and takes no more).
    pub fn push(&mut self, event: usize, time: Duration, data: &EventData, search: bool) -> bool {
        self.pipe.push(|spent| Written {
            event,
            time,
            data: copy_into(spent.map(|w| w.data), data),
            search,
        })
    }

    /// Waits for the check of everything pushed: the private value seen.
    pub fn finish(mut self) -> Option<Seen> {
        self.pipe.send();
        self.pipe.tx = None;
        self.handle.join().expect("the check does not panic")
    }
}

/// What the original's follower is given.
enum ToOriginal {
    Follow(EventData),
    /// Send the screen as it is now, drawn again.
    Redraw,
}

/// The original cast (scrubbed, uncut) followed on a thread of its own, so
/// that the screen at the start of a part kept after a cut can be drawn
/// again.
pub(super) struct Original {
    pipe: Pipe<ToOriginal>,
    replies: Receiver<(Size, String)>,
}

impl Original {
    pub fn spawn<'s>(scope: &'s Scope<'s, '_>, size: Size) -> Self {
        let (pipe, outlet) = Pipe::<ToOriginal>::new();
        let (reply, replies) = sync_channel(1);
        spawn(scope, "original", move || {
            let mut term = parser(size);
            for batch in &outlet.rx {
                if crate::signals::received().is_some() {
                    return;
                }
                for message in &batch {
                    match message {
                        ToOriginal::Follow(data) => follow(&mut term, data),
                        ToOriginal::Redraw => {
                            let (rows, cols) = term.screen().size();
                            let size = Size::new(cols.get(), rows.get());
                            if reply.send((size, super::redraw(term.screen()))).is_err() {
                                return;
                            }
                        }
                    }
                }
                outlet.spent(batch);
            }
        });
        Self { pipe, replies }
    }

    /// Follows an event of the original.
    pub fn follow(&mut self, data: &EventData) {
        self.pipe.push(|spent| {
            let spent = match spent {
                Some(ToOriginal::Follow(data)) => Some(data),
                _ => None,
            };
            ToOriginal::Follow(copy_into(spent, data))
        });
    }

    /// The original's size now, and the bytes that draw its screen again;
    /// nothing once a stop signal stopped the follower.
    pub fn redraw(&mut self) -> Option<(Size, String)> {
        self.pipe.push(|_| ToOriginal::Redraw);
        self.pipe.send();
        self.replies.recv().ok()
    }
}
