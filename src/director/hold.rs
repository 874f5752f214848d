//! Before a picture is held: the programs get the real time they need.
//!
//! Cast time is virtual: a `pause` moves it on at once. A program that
//! answers a key after a timer of its own (vim waits 100 ms after Esc to
//! tell it from the start of an escape sequence) would answer after the
//! picture was held, and the cast would show the half-drawn screen for
//! the whole pause. So before a pause, a marker, the end of the recording
//! and the match of a `wait`, each pane is given real time until it is
//! still: it has answered its last input, has been quiet for `QUIET`, and
//! no process of its foreground group is running. A program that is
//! waiting costs nothing; the wait is bounded. A program that a shell
//! started a moment ago is given the rest of its start-up instant: what
//! it draws then is stamped at its start whenever it is read. After Esc, a program waits
//! on a timer to see whether more of a sequence follows, which `/proc`
//! cannot tell from waiting for input: the pane is given `ESCAPE_WAIT`.
//!
//! In: the panes, a bound. Out: their output handled meanwhile, stamped
//! on the clock as any output is.

use std::io::Write;
use std::time::Duration;

use tokio::time::Instant;

use crate::director::failure::Fault;
use crate::director::stage::Stage;

/// How often stillness is looked at.
const POLL: Duration = Duration::from_millis(1);
/// The longest a marker or the end of the recording waits for the panes.
pub(super) const HOLD_MAX: Duration = Duration::from_secs(1);

impl<W: Write> Stage<'_, W> {
    /// Waits, up to `bound` of real time, until every pane is still.
    pub async fn await_panes_still(&mut self, bound: Duration) -> Result<(), Fault> {
        self.await_still_in(0..self.panes.len(), bound).await
    }

    /// Waits, up to `bound` of real time, until each of `panes` is still.
    pub async fn await_still_in(
        &mut self,
        panes: impl Iterator<Item = usize> + Clone,
        bound: Duration,
    ) -> Result<(), Fault> {
        self.poll_until(bound, |stage| {
            let clock = stage.frames.clock();
            panes
                .clone()
                .all(|p| stage.panes[p].is_still() && !clock.starting_up(p))
        })
        .await
    }

    /// Handles the panes' output until `done` holds, looking every
    /// `POLL`, for `bound` of real time at most.
    pub async fn poll_until(&mut self, bound: Duration, done: impl Fn(&Self) -> bool) -> Result<(), Fault> {
        let cap = Instant::now() + bound;
        loop {
            self.pump()?;
            if done(self) || Instant::now() >= cap {
                return Ok(());
            }
            self.idle((Instant::now() + POLL).min(cap)).await?;
        }
    }
}
