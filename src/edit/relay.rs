//! A long check in two parts at once. The check replays every event of
//! the written cast in avt, one character at a time: on a long cast it is
//! the slowest part of an edit. Its second part cannot start before the
//! first ends, since each frame depends on all output before it — but
//! what a terminal shows rarely depends on output long past. So a relay
//! starts from the first check's screen after its first batch (the modes
//! a cast sets once, at its start, come with it), plays the events from a
//! little before the last two fifths ([`Split`]) up to them without
//! searching, and from there on checks them as the first check would,
//! while that one checks the rest.
//!
//! Whether the relay's frames are the cast's is then proved, not assumed:
//! where it took over, its replay must be in the very state of the first
//! check's ([`State`]: every cell, mode, cursor and parser state). Same
//! state, same output: same frames. When the states differ (a mode set
//! after the first batch and never again, a screen left under a
//! full-screen program), the relay's findings are dropped and the first check goes on
//! from where it stopped, reading the rest back from what was written.

use std::io::BufRead;
use std::sync::mpsc::Receiver;
use std::thread::{Scope, ScopedJoinHandle};

use super::EditError;
use super::onscreen::{OnScreen, State};
use super::pipe::{Outlet, Pipe, QUEUE, Seen, Written, spawn};
use crate::asciicast::EventData;
use crate::asciicast::read::Stream;
use crate::geometry::Size;
use crate::privacy::Identity;

/// Casts smaller than this are checked in one go: a relay would gain
/// little.
const MIN_TOTAL: u64 = 4 << 20;
/// The most input a relay plays before it takes over.
const MAX_WARM: u64 = 4 << 20;

/// Where a relay starts and takes over, in bytes of input read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Split {
    /// It plays the events from here on.
    pub warm: u64,
    /// It checks the events from here on; the first check stops here.
    pub from: u64,
}

impl Split {
    /// For casts of `total` bytes, if worth it: the relay checks the last
    /// two fifths, after playing a twentieth of the input (at most 4 MiB)
    /// before them. (It starts only when the edit reaches its part, while
    /// the first check starts at once: the smaller part makes both end
    /// together.)
    pub fn of(total: Option<u64>) -> Option<Self> {
        let total = total.filter(|&t| t >= MIN_TOTAL)?;
        let warm = (total / 20).min(MAX_WARM);
        let from = total / 5 * 3;
        Some(Self {
            warm: from - warm,
            from,
        })
    }
}

/// What a relay saw: the first private value after it took over, and its
/// state when it did.
pub(super) struct Relayed {
    seen: Option<Seen>,
    state: Option<State>,
}

/// The relay's thread.
pub(super) struct Relay<'s> {
    pub split: Split,
    pub pipe: Pipe<Written>,
    handle: ScopedJoinHandle<'s, Relayed>,
}

impl<'s> Relay<'s> {
    /// A relay for a cast at `size`, which starts from the screen that
    /// `seed` brings (written out as avt writes a terminal out), if any.
    pub fn spawn(
        scope: &'s Scope<'s, '_>,
        size: Size,
        identity: &'s Identity,
        split: Split,
        seed: Receiver<String>,
    ) -> Self {
        let (pipe, outlet) = Pipe::<Written>::new(QUEUE);
        // Its own compiled search, as the check's: see `Check::spawn`.
        let identity = identity.clone();
        let handle = spawn(scope, "relay", move || {
            let mut screen = OnScreen::new(size);
            if let Ok(dump) = seed.recv() {
                screen.feed(&EventData::Output(dump));
            }
            run(&outlet, screen, &identity)
        });
        Self { split, pipe, handle }
    }

    pub fn finish(mut self) -> Relayed {
        self.pipe.close();
        self.handle.join().expect("the relay does not panic")
    }
}

/// Plays what comes, searching from the first event it checks; after the
/// first private value, only takes the batches (the edit goes on in case
/// the relay's frames turn out not to be the cast's).
fn run(outlet: &Outlet<Written>, mut screen: OnScreen, identity: &Identity) -> Relayed {
    let mut relayed = Relayed {
        seen: None,
        state: None,
    };
    for batch in &outlet.rx {
        if crate::signals::received().is_some() {
            break;
        }
        for written in &batch {
            if relayed.seen.is_some() {
                break;
            }
            if !written.warm && relayed.state.is_none() {
                relayed.state = Some(screen.state());
            }
            screen.feed(&written.data);
            if written.warm || !written.search {
                continue;
            }
            relayed.seen = screen.find(identity).map(|(row, kind)| Seen {
                event: written.event,
                time: written.time,
                row,
                kind,
            });
        }
        outlet.spent(batch);
    }
    relayed
}

impl Relayed {
    /// The relay's findings, if it took over in the state of `screen`,
    /// the first check's where it stopped before event `from`; or else
    /// what is left to check.
    pub fn after(self, screen: OnScreen, from: usize) -> Result<Option<Seen>, Rest> {
        match self.state {
            Some(state) if state == screen.state() => Ok(self.seen),
            _ => Err(Rest {
                screen: Box::new(screen),
                from,
            }),
        }
    }
}

/// The check to finish: the written events from number `from` on, played
/// on `screen`.
pub struct Rest {
    screen: Box<OnScreen>,
    from: usize,
}

impl Rest {
    /// Checks the events of `written` (the cast as written) from number
    /// `from` on: the first private value seen, as the first check would
    /// have seen it.
    pub fn check(mut self, written: impl BufRead, identity: &Identity) -> Result<Option<Seen>, EditError> {
        let stream = Stream::new(written).map_err(EditError::Cast)?;
        for (index, event) in stream.enumerate() {
            if let Some(stop) = crate::signals::received() {
                return Err(EditError::Stopped(stop));
            }
            let event = event.map_err(EditError::Cast)?;
            let number = index + 1;
            if number < self.from {
                continue;
            }
            self.screen.feed(&event.data);
            if !matches!(event.data, EventData::Output(_)) {
                continue;
            }
            if let Some((row, kind)) = self.screen.find(identity) {
                return Ok(Some(Seen {
                    event: number,
                    time: event.time,
                    row,
                    kind,
                }));
            }
        }
        Ok(None)
    }
}

#[cfg(test)]
mod tests {
    use super::super::onscreen::tests::{event, identity};
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]
        /// A replay started late, in the same state as the whole replay
        /// where it takes over (which saw nothing so far), shows the same
        /// frames from there on: the same private value on the same row
        /// after every event, or none.
        /// (The late replay starts on a fresh screen; a reset in its first
        /// events brings it to the same state more often.)
        #[test]
        fn a_relay_in_the_same_state_sees_what_the_whole_replay_sees(
            cols in 3u16..14, rows in 2u16..8,
            events in prop::collection::vec(event(), 2..40),
            (warm, from) in (0usize..40, 0usize..40).prop_map(|(a, b)| (a.min(b), a.max(b))),
            reset in any::<bool>(),
        ) {
            let identity = identity();
            let size = Size::new(cols, rows);
            let (warm, from) = (warm.min(events.len()), from.min(events.len()));
            let mut whole = OnScreen::new(size);
            for data in &events[..from] {
                whole.feed(data);
                if whole.find(&identity).is_some() {
                    // The first check stops there: no relay's findings count.
                    return Ok(());
                }
            }
            let mut relay = OnScreen::new(size);
            if reset {
                relay.feed(&EventData::Output("\x1bc".into()));
            }
            for data in &events[warm..from] {
                relay.feed(data);
            }
            if relay.state() != whole.state() {
                return Ok(());
            }
            for (i, data) in events[from..].iter().enumerate() {
                whole.feed(data);
                relay.feed(data);
                let seen = whole.find(&identity);
                prop_assert_eq!(relay.find(&identity), seen, "after event {}", from + i);
                if seen.is_some() {
                    break;
                }
            }
        }
    }

    #[test]
    fn a_split_shares_a_large_cast_and_leaves_a_small_one_whole() {
        assert_eq!(Split::of(None), None);
        assert_eq!(Split::of(Some(MIN_TOTAL - 1)), None);
        let split = Split::of(Some(50_000_000)).expect("a split of 50 MB");
        assert_eq!((split.warm, split.from), (27_500_000, 30_000_000));
        let large = Split::of(Some(1 << 30)).expect("a split of 1 GiB");
        assert_eq!(large.from - large.warm, MAX_WARM);
    }
}
