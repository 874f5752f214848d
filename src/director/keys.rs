//! How a key reaches a pane: at director's own prompt it is echoed; to a
//! running program it goes through the terminal once the program is ready
//! for it, and its echo is stamped with the key's time.
//!
//! In: a key, its pane and its cast time, from the `type`, `run` and `keys`
//! steps. Out: the bytes written to the program, and the frames of its
//! response (through the [`Stage`]).

use std::io::Write;
use std::time::Duration;

use tokio::time::Instant;

use crate::director::failure::Fault;
use crate::director::frames::Echo;
use crate::director::stage::Stage;
use crate::scene::keys::Key;

/// The longest a key that signals (Ctrl-C) waits for its program to be
/// still.
const STILL_MAX: Duration = Duration::from_millis(500);
/// The most real time input waits for a command to catch up with cast time.
const CATCH_UP_MAX: Duration = Duration::from_secs(1);

impl<W: Write> Stage<'_, W> {
    /// Presses the key for `rest[0]` of a text the scene types. While the
    /// key or the one after it goes on with a word, the word at the cursor
    /// has not ended: its beginnings on screen (`vm` on the way to
    /// `vmlinuz`) are no one's name, and the scene's text was checked whole
    /// before recording ([`crate::privacy::check_scene`]).
    pub async fn type_key(&mut self, pane: usize, key: Key, rest: &[char], at: Duration) -> Result<(), Fault> {
        self.panes[pane].in_word = rest.iter().take(2).any(|c| crate::privacy::continues_word(*c));
        let pressed = self.press(pane, key, at).await;
        self.panes[pane].in_word = false;
        pressed
    }

    /// Presses one key in a pane at cast time `at`: into the program or
    /// shell through its terminal, or, at director's own prompt, echoed.
    pub async fn press(&mut self, pane: usize, key: Key, at: Duration) -> Result<(), Fault> {
        self.sync()?;
        if self.panes[pane].process.is_some() {
            self.catch_up(pane).await?;
            if key.signals() {
                self.await_still(pane).await?;
            }
            // What the program printed so far shows before its echo.
            if self.panes[pane].held_until().is_some() {
                self.release_held(true);
                self.flush()?;
            }
            let bytes = key.bytes(self.panes[pane].term.screen().application_cursor());
            self.frames.clock_mut().input(pane);
            self.write_to(pane, &bytes).await?;
            self.panes[pane].escape_at = (key == Key::Escape).then(Instant::now);
            // Let the echo arrive, stamped with this keystroke's time.
            return self.settle(pane, Echo::of(at)).await;
        }
        let new_prompt = self.panes[pane].key_at_prompt(key).map_err(Fault::Problem)?;
        self.frames.changed_at(at);
        if new_prompt {
            self.prompt(pane);
        }
        self.flush()
    }

    /// Before input reaches a running command, lets it live in real time as
    /// long as it has in cast time (up to `CATCH_UP_MAX`): a scene that
    /// pauses before pressing Ctrl-C means the program to be running by
    /// then, not still starting. The clock stands still meanwhile: that time
    /// is already in the cast.
    async fn catch_up(&mut self, pane: usize) -> Result<(), Fault> {
        let Some(job) = &self.panes[pane].job else {
            return Ok(());
        };
        let owed = self.frames.now().saturating_sub(job.cast_start).min(CATCH_UP_MAX);
        let until = job.real_start + owed;
        if Instant::now() >= until {
            return Ok(());
        }
        let frozen = self.frames.clock().is_frozen();
        self.frames.clock_mut().freeze();
        while self.panes[pane].job.is_some() && self.idle(until).await? {}
        if !frozen {
            self.frames.clock_mut().thaw();
        }
        Ok(())
    }

    /// Before a key that signals (Ctrl-C): waits until the pane has been
    /// quiet for `QUIET` and no process of its foreground group is running
    /// (up to `STILL_MAX`). A person presses Ctrl-C at a program that is
    /// waiting, not the instant its line appears; a script is then between
    /// printing and forking its next command, where the signal can find the
    /// shell but not the child, and the prompt comes a whole `sleep` later,
    /// on some runs only. The wait is real time the cast does not see when
    /// deterministic, and the program's own time when live.
    async fn await_still(&mut self, pane: usize) -> Result<(), Fault> {
        self.poll_until(STILL_MAX, |stage| stage.panes[pane].is_waiting()).await
    }

    /// Writes `bytes` to the pane's program, if one runs.
    pub async fn write_to(&mut self, pane: usize, bytes: &[u8]) -> Result<(), Fault> {
        self.panes[pane].last_input = Some(Instant::now());
        let Some(program) = &mut self.panes[pane].process else {
            return Ok(());
        };
        if let Err(e) = program.write(bytes).await {
            return Err(Fault::Problem(format!("cannot type into the program: {e}")));
        }
        Ok(())
    }
}
