//! Whether a pane's program waits, is still or has responded to its input,
//! and the answers to its queries that it reads: what the hold and the
//! clock ask of a pane.

use std::time::Duration;

use tokio::time::Instant;

use super::Pane;
use crate::timeline::RESPONSE;

/// A program that has printed nothing for this long may be waiting.
pub(in crate::director) const QUIET: Duration = Duration::from_millis(5);
/// How long a program may wait after Esc for the rest of an escape
/// sequence before it acts on Esc alone (vim's `ttimeoutlen` is 100 ms),
/// with room for a loaded machine.
const ESCAPE_WAIT: Duration = Duration::from_millis(250);

/// The most answers to queries kept for a program that does not read
/// them.
const UNANSWERED_MAX: usize = 64 * 1024;

impl Pane<'_> {
    /// Writes to the program what the pane's terminal answers to the
    /// queries it printed (cursor position, device attributes, colours),
    /// in the order asked, as far as its terminal takes them now: a
    /// program that asks without reading never makes director wait, and
    /// answers beyond `UNANSWERED_MAX` are lost, as a terminal's would be.
    ///
    /// Only a program that reads keys one by one gets them: it is how
    /// every program that waits for an answer reads it. In a line-mode
    /// terminal an answer would only be echoed as junk (`^[[2;1R`) or
    /// become part of the next line typed, and a shell back at its prompt
    /// would take it as keys pressed, so those answers are dropped. A
    /// program that has gone cannot be answered.
    pub async fn answer(&mut self) {
        let replies = self.term.take_replies();
        if replies.is_empty() && self.unanswered.is_empty() {
            return;
        }
        let reads_keys = self
            .process
            .as_ref()
            .is_some_and(|program| program.reads_keys(!self.has_shell()));
        if !reads_keys {
            self.unanswered.clear();
            return;
        }
        let room = UNANSWERED_MAX.saturating_sub(self.unanswered.len());
        self.unanswered.extend_from_slice(&replies[..replies.len().min(room)]);
        let Some(program) = self.process.as_mut().filter(|_| !self.unanswered.is_empty()) else {
            return;
        };
        // Counted before the write: a run after it is the program's turn to
        // read the answers.
        let turns = program.foreground_turns();
        let written = program.write_now(&self.unanswered).await.unwrap_or(usize::MAX);
        if written > 0 {
            self.answered_at_turns.set(turns);
        }
        self.unanswered.drain(..written.min(self.unanswered.len()));
    }

    /// Whether the program has had its turn to read the answers last
    /// written to it (or none were, or that cannot be told).
    pub fn answers_read(&self) -> bool {
        let read = match (&self.process, self.answered_at_turns.get()) {
            (Some(program), Some(turns)) => program.foreground_turns() != Some(turns),
            _ => true,
        };
        if read {
            self.answered_at_turns.set(None);
        }
        read
    }

    /// Whether the program waits: it has had its turn to read the answers
    /// to its queries, it has been quiet for `QUIET`, none of its
    /// foreground processes runs (or nothing runs there), and then nothing
    /// it printed waits to be read — in that order, so that what a program
    /// printed just before it went to sleep is seen.
    pub fn is_waiting(&self) -> bool {
        self.process.as_ref().is_none_or(|program| {
            self.answers_read()
                && self.last_read.is_none_or(|t| t.elapsed() >= QUIET)
                && program.foreground_running() != Some(true)
                && !program.unread_output()
        })
    }

    /// Whether the program is done for now: it waits, has answered its last
    /// input and has had its escape timeout.
    pub fn is_still(&self) -> bool {
        self.process.is_none() || self.settled(None)
    }

    /// Whether the program has done what its last input asked: it waits,
    /// has had its escape timeout, and has answered the input or had
    /// `RESPONSE` to (a key may draw nothing).
    pub fn has_responded(&self) -> bool {
        self.settled(Some(RESPONSE))
    }

    /// Waiting, past the escape timeout, and the last input answered (or
    /// `grace` past it).
    fn settled(&self, grace: Option<Duration>) -> bool {
        let graced = |input: Instant| grace.is_some_and(|g| input.elapsed() >= g);
        let answered = match (self.last_input, self.last_read) {
            (Some(input), Some(read)) => read > input || graced(input),
            (Some(input), None) => graced(input),
            (None, _) => true,
        };
        let escaped = self.escape_at.is_none_or(|t| t.elapsed() >= ESCAPE_WAIT);
        // A new size asks for a redraw that a program may not make (a
        // server printing nothing): it has `RESPONSE` to begin one.
        let redrawn = self
            .resized_at
            .is_none_or(|at| self.last_read.is_some_and(|read| read > at) || at.elapsed() >= RESPONSE);
        answered && escaped && redrawn && self.is_waiting()
    }
}
