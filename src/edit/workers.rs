//! The threads an edit runs beside its own, so that a large cast streams
//! at the speed of its slowest part rather than of all parts together:
//! replaying what is written (the scrub's check, [`OnScreen`]), and
//! following the original for the redraws after cuts. Each takes events in
//! batches through a bounded channel, so memory stays bounded whichever is
//! slowest. (Reading the cast stays on the edit's own thread: a thread
//! that parses hands every event's text to another, and freeing it there
//! cost more than the parsing saved.)

use std::sync::mpsc::{Receiver, sync_channel};
use std::thread::{Scope, ScopedJoinHandle};
use std::time::Duration;

use super::follow;
use super::onscreen::OnScreen;
use super::pipe::{Pipe, QUEUE, Seen, Written, copy_into, data_len, spawn};
use super::relay::{Relay, Rest, Split};
use crate::asciicast::EventData;
use crate::geometry::Size;
use crate::privacy::Identity;
use crate::screen::emulator::parser;

/// Batches on their way to a check that a relay takes over from: the edit
/// runs this far ahead of it, to reach the relay's part early (at most
/// about 16 MiB of text).
const RELAY_QUEUE: usize = 64;

/// What a check's thread ends with: the first private value it saw, or
/// else its screen, to go on from.
pub(super) type Checked = Result<OnScreen, Seen>;

/// The written cast replayed on a thread of its own, the screen searched
/// after each output event; it stops at the first private value it sees.
/// A long cast is checked in two parts at once: see [`Relay`].
pub(super) struct Check<'s> {
    pipe: Pipe<Written>,
    handle: ScopedJoinHandle<'s, Checked>,
    relay: Option<Relay<'s>>,
    /// The first event the relay checks, once it does.
    relayed: Option<usize>,
}

impl<'s> Check<'s> {
    /// A check of a cast at `size`; with `split`, a relay takes over the
    /// part from `split.from` on.
    pub fn spawn(scope: &'s Scope<'s, '_>, size: Size, identity: &'s Identity, split: Option<Split>) -> Self {
        let (pipe, outlet) = Pipe::<Written>::new(if split.is_some() { RELAY_QUEUE } else { QUEUE });
        // A thread of its own, a compiled search of its own: threads that
        // share a regex take turns for its caches.
        let own = identity.clone();
        // The relay starts from this check's screen after its first batch:
        // the modes a cast sets once, at its start, are set there too.
        let (seed, seeded) = sync_channel(1);
        let mut seed = split.map(|_| seed);
        let handle = spawn(scope, "check", move || {
            let identity = &own;
            let mut screen = OnScreen::new(size);
            for batch in &outlet.rx {
                if crate::signals::received().is_some() {
                    // The edit stops: what is left needs no check.
                    break;
                }
                for written in &batch {
                    screen.feed(&written.data);
                    if !written.search {
                        continue;
                    }
                    if let Some((row, kind)) = screen.find(identity) {
                        return Err(Seen {
                            event: written.event,
                            time: written.time,
                            row,
                            kind,
                        });
                    }
                }
                if let Some(seed) = seed.take() {
                    let _ = seed.send(screen.dump());
                }
                outlet.spent(batch);
            }
            Ok(screen)
        });
        Self {
            pipe,
            handle,
            relay: split.map(|split| Relay::spawn(scope, size, identity, split, seeded)),
            relayed: None,
        }
    }

    /// Replays the written event number `event`, at `time` (as written),
    /// `read` bytes into the input; false once the check has seen a
    /// private value (and takes no more).
    pub fn push(&mut self, event: usize, time: Duration, data: EventData, search: bool, read: u64) -> bool {
        let bytes = data_len(&data);
        // The data goes on as it is; the relay's warm-up takes a copy.
        let written = |data: EventData, warm: bool| Written {
            event,
            time,
            data,
            search,
            warm,
        };
        let Some(relay) = &mut self.relay else {
            return self.pipe.push(bytes, |_| written(data, false));
        };
        if self.relayed.is_none() && read >= relay.split.from {
            // The relay checks the rest: this check ends before it.
            self.relayed = Some(event);
            self.pipe.close();
        }
        if self.relayed.is_some() {
            return relay.pipe.push(bytes, |_| written(data, false));
        }
        if read >= relay.split.warm
            && !relay
                .pipe
                .push(bytes, |spent| written(copy_into(spent.map(|w| w.data), &data), true))
        {
            return false;
        }
        self.pipe.push(bytes, |_| written(data, false))
    }

    /// Waits for the check of everything pushed: the private value seen;
    /// or, when the relay's screen turned out not to be this check's where
    /// it took over, what is left to check.
    pub fn finish(mut self) -> Result<Option<Seen>, Rest> {
        self.pipe.close();
        let checked = self.handle.join().expect("the check does not panic");
        let relay = self.relay.map(Relay::finish);
        let screen = match checked {
            Err(seen) => return Ok(Some(seen)),
            Ok(screen) => screen,
        };
        match (self.relayed, relay) {
            (Some(from), Some(relayed)) => relayed.after(screen, from),
            _ => Ok(None),
        }
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
        let (pipe, outlet) = Pipe::<ToOriginal>::new(QUEUE);
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
        self.pipe.push(data_len(data), |spent| {
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
        self.pipe.push(0, |_| ToOriginal::Redraw);
        self.pipe.send();
        self.replies.recv().ok()
    }
}
