//! Typing as a cast shows it: an output event that echoes one keystroke
//! puts one printable character under the cursor and moves the cursor one
//! cell right, with nothing else (a shell echoing a key, or tmux redrawing
//! the cell around it); a command ends when, after keystrokes, the cursor
//! leaves the row (Enter). Read off the screen, so it works in any shell,
//! inside tmux or not.
//!
//! In: each output event, in order, fed through [`Typing::feed`]. Out:
//! what the event was ([`Seen`]); [`Bounds`] finds the start of the first
//! command and of the trailing `exit`s for `--trim`; [`Pace`] gives the
//! keys a steady pace (`--typing`).

use std::time::Duration;

use crate::asciicast::{Event, EventData};
use crate::geometry::Size;
use crate::screen::emulator::parser;

/// An echo longer than this is a program's output, not a keystroke.
const MAX_ECHO: usize = 96;

/// What an output event did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Seen {
    /// Echoed one typed character.
    Key(char),
    /// Ended the command typed so far (its text).
    Enter(String),
    Other,
}

/// Follows a cast's screen to tell typing from output.
pub struct Typing {
    term: vt100::Parser,
    typed: String,
}

impl Typing {
    pub fn new(size: Size) -> Self {
        Self {
            term: parser(size),
            typed: String::new(),
        }
    }

    /// Feeds one event's output; what it was.
    pub fn feed(&mut self, data: &EventData) -> Seen {
        let EventData::Output(text) = data else {
            super::follow(&mut self.term, data);
            return Seen::Other;
        };
        let (row, col) = self.term.screen().cursor_position();
        let blank = self.term.screen().cell(row, col).is_none_or(|c| !c.has_contents());
        self.term.process(text.as_bytes());
        let (after_row, after_col) = self.term.screen().cursor_position();
        if text.len() <= MAX_ECHO && blank && after_row == row && after_col == col + 1 {
            let typed = self.term.screen().cell(row, col).map(|c| c.contents().to_string());
            // A space is typing only inside a command.
            let key = |c: &char| {
                if *c == ' ' {
                    !self.typed.is_empty()
                } else {
                    !c.is_control()
                }
            };
            if let Some(c) = typed.and_then(|t| t.chars().next()).filter(key) {
                self.typed.push(c);
                return Seen::Key(c);
            }
        }
        if after_row != row && !self.typed.is_empty() {
            return Seen::Enter(std::mem::take(&mut self.typed));
        }
        Seen::Other
    }
}

/// Where `--trim` cuts, found event by event: the first keystroke (an
/// input event if the cast recorded them), and the first keystroke of the
/// trailing commands that only leave (`exit`, `logout`), if any.
pub struct Bounds {
    typing: Typing,
    first: Option<Duration>,
    command_start: Option<Duration>,
    leaving: Option<Duration>,
}

impl Bounds {
    pub fn new(size: Size) -> Self {
        Self {
            typing: Typing::new(size),
            first: None,
            command_start: None,
            leaving: None,
        }
    }

    pub fn observe(&mut self, event: &Event) {
        if let EventData::Input(_) = &event.data {
            self.first.get_or_insert(event.time);
            return;
        }
        match self.typing.feed(&event.data) {
            Seen::Key(_) => {
                self.first.get_or_insert(event.time);
                self.command_start.get_or_insert(event.time);
            }
            Seen::Enter(text) => {
                let start = self.command_start.take().unwrap_or(event.time);
                if matches!(text.trim(), "exit" | "logout") {
                    self.leaving.get_or_insert(start);
                } else {
                    self.leaving = None;
                }
            }
            Seen::Other => {}
        }
    }

    /// The first keystroke and where the leaving starts.
    pub fn found(&self) -> (Option<Duration>, Option<Duration>) {
        (self.first, self.leaving)
    }
}

/// Typed keys at a steady pace: the first of a run keeps its time, each
/// next comes `pace` later, and what follows the run moves with it.
pub(super) struct Pace {
    pace: Duration,
    /// The new time of the run's first key and how many keys so far.
    run: Option<(Duration, u32)>,
    /// How far later (or earlier) events now come, in nanoseconds.
    shift: i128,
}

impl Pace {
    pub fn new(pace: Duration) -> Self {
        Self {
            pace,
            run: None,
            shift: 0,
        }
    }

    /// The new time of an event at `at`, a keystroke or not.
    pub fn time(&mut self, at: Duration, key: bool) -> Duration {
        let shifted = |t: Duration, shift: i128| Duration::from_nanos((t.as_nanos() as i128 + shift).max(0) as u64);
        if !key {
            self.run = None;
            return shifted(at, self.shift);
        }
        let (start, count) = *self.run.get_or_insert((shifted(at, self.shift), 0));
        let new = start + self.pace * count;
        self.run = Some((start, count + 1));
        self.shift = new.as_nanos() as i128 - at.as_nanos() as i128;
        new
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn out(ms: u64, text: &str) -> Event {
        Event {
            time: Duration::from_millis(ms),
            data: EventData::Output(text.into()),
        }
    }

    #[test]
    fn keystrokes_and_commands_are_read_off_the_screen() {
        let mut t = Typing::new(Size::new(30, 5));
        let seen: Vec<Seen> = [
            "$ ",
            "l",
            "s",
            "\r\n",
            "a.txt\r\n$ ",
            "\x1b[?25l\x1b[3;3He\x1b[?25h",
            "\r\n",
        ]
        .iter()
        .map(|o| t.feed(&EventData::Output(o.to_string())))
        .collect();
        assert_eq!(
            seen,
            [
                Seen::Other,
                Seen::Key('l'),
                Seen::Key('s'),
                Seen::Enter("ls".into()),
                Seen::Other,
                Seen::Key('e'),
                Seen::Enter("e".into()),
            ]
        );
    }

    #[test]
    fn trim_bounds_are_the_first_key_and_the_trailing_exits() {
        let events = vec![
            out(0, "starting tmux...\r\n$ "),
            out(1000, "e"),
            out(1100, "c"),
            out(1200, "\r\nc: not found\r\n$ "),
            out(2000, "x"),
            out(2100, "\r\n$ "),
            out(3000, "e"),
            out(3100, "x"),
            out(3200, "i"),
            out(3300, "t"),
            out(3400, "\r\n[exited]\r\n$ "),
            out(4000, "l"),
            out(4100, "o"),
            out(4200, "g"),
            out(4300, "o"),
            out(4400, "u"),
            out(4500, "t"),
            out(4600, "\r\n"),
        ];
        let mut bounds = Bounds::new(Size::new(30, 10));
        events.iter().for_each(|e| bounds.observe(e));
        let (first, leaving) = bounds.found();
        assert_eq!(first, Some(Duration::from_millis(1000)));
        assert_eq!(leaving, Some(Duration::from_millis(3000)));
    }
}
