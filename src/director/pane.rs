//! One pane of a recording: its terminal emulator, the redactor in front of
//! it, the prompt marks of its shell, the program it runs and the command a
//! step started there.
//!
//! In: the scene's pane (name, prompt, shell, environment), the bytes its
//! program prints, keys typed at director's own prompt. Out: the screen a
//! frame shows, how to start a program in the pane ([`Launch`]), and what a
//! failure message quotes from the pane (its last lines, what a failed
//! command said last).

use std::collections::VecDeque;
use std::ffi::OsString;
use std::time::Duration;

use tokio::time::Instant;

use crate::director::marks::{self, Mark, PromptMarks};
use crate::geometry::Size;
use crate::privacy::{Identity, Kind, Redactor};
use crate::process::environment::{self, DirectorEnv};
use crate::process::pty::{Launch, Program};
use crate::scene::keys::Key;
use crate::scene::{ExpectExit, PaneSpec};
use crate::screen::emulator::Emulator;
use crate::screen::style::Style;

/// How long output held back for redaction (an unfinished line, or a name
/// whose end the next read decides) waits for the rest before it is shown
/// anyway: a line printed in pieces with a pause between them is still
/// one line to a `[privacy] redact` rule. It keeps its arrival time in the
/// cast: a live frame waits for it, and every step, a shell's prompt and
/// the end release it at once.
const HOLD: Duration = Duration::from_millis(500);
/// How much of a command's output is kept for its failure message.
const SAID_MAX: usize = 4096;

mod waiting;
mod words;

pub(super) use waiting::QUIET;

/// A command a step started, until it ends.
pub(super) struct Job {
    /// Index of the step that started it, for messages.
    pub step: usize,
    pub command: String,
    pub expect: ExpectExit,
    /// When it started, in cast time and in real time.
    pub cast_start: Duration,
    pub real_start: Instant,
    /// The end of what it printed (as shown), for the message if it fails.
    pub said: VecDeque<u8>,
}

impl Job {
    /// A command that step `step` starts now, at cast time `at`.
    pub fn new(step: usize, command: String, expect: ExpectExit, at: Duration) -> Self {
        Self {
            step,
            command,
            expect,
            cast_start: at,
            real_start: Instant::now(),
            said: VecDeque::new(),
        }
    }
}

/// A pane: what it shows and what runs in it.
pub(super) struct Pane<'s> {
    /// The scene's pane: name, prompt, shell, environment.
    pub spec: &'s PaneSpec,
    pub term: Emulator,
    redactor: Redactor,
    marks: PromptMarks,
    /// The running program: the step's `sh -c`, or the pane's shell.
    pub process: Option<Program>,
    pub job: Option<Job>,
    /// Prompts a shell has shown (marks seen).
    pub prompts: usize,
    /// The status of the shell's last command, until its prompt is drawn.
    last_status: Option<i32>,
    /// When to show output the redactor holds back (an unfinished line),
    /// and the cast time it arrived at: set when holding begins.
    held: Option<(Instant, Duration)>,
    /// The emulator's generation when its screen was last checked for
    /// private values.
    checked: Option<u64>,
    /// When the program's last output was read.
    pub last_read: Option<Instant>,
    /// When input was last written to the program.
    pub last_input: Option<Instant>,
    /// When the pane last changed size (its program was told).
    pub resized_at: Option<Instant>,
    /// When Esc was last pressed, if it was the last key.
    pub escape_at: Option<Instant>,
    /// A step is typing a word here that its next key goes on with: the
    /// word at the cursor has not ended yet.
    pub in_word: bool,
    /// Answers to the program's queries its terminal has not taken yet.
    unanswered: Vec<u8>,
    /// How many times the foreground processes had run when answers were
    /// last written: until that changes, the program has not read them.
    /// Forgotten once it has, so that later looks read no `/proc`.
    answered_at_turns: std::cell::Cell<Option<u64>>,
}

impl<'s> Pane<'s> {
    /// The scene's pane `spec`, showing `term` (an empty screen) behind
    /// `redactor`, and nothing running yet.
    pub fn new(spec: &'s PaneSpec, term: Emulator, redactor: Redactor) -> Self {
        Self {
            spec,
            term,
            redactor,
            marks: PromptMarks::default(),
            process: None,
            job: None,
            prompts: 0,
            last_status: None,
            held: None,
            checked: None,
            last_read: None,
            last_input: None,
            resized_at: None,
            escape_at: None,
            in_word: false,
            unanswered: Vec::new(),
            answered_at_turns: std::cell::Cell::new(None),
        }
    }

    /// Whether the pane runs a shell (bash) rather than director's prompt.
    pub fn has_shell(&self) -> bool {
        self.spec.shell.is_some()
    }

    /// Whether a program (not only a shell at its prompt) is running.
    pub fn busy(&self) -> bool {
        self.job.is_some()
    }

    /// How to start `program` in this pane, in a terminal of `size`: in
    /// the pane's folder, with the pane's environment, and for a shell,
    /// with the scene's prompt and a mark after each command.
    pub fn launch(&self, program: String, args: Vec<String>, size: Size, env: &DirectorEnv, term: &str) -> Launch {
        let spec = self.spec;
        let mut own: Vec<(OsString, OsString)> = vec![(
            "SHELL".into(),
            spec.shell.clone().unwrap_or_else(|| "/bin/sh".into()).into(),
        )];
        if spec.shell.is_some() {
            own.push(("PS1".into(), bash_prompt(&spec.prompt, &spec.prompt_style).into()));
            // The mark tells director each command's exit status; with
            // promptvars off, PS1 shows `$` and friends as written.
            let mark = "printf '\\033]133;D;%s\\007' \"$?\"; shopt -u promptvars";
            own.push(("PROMPT_COMMAND".into(), mark.into()));
            // And this one that the command starts: its start-up is timed
            // from here.
            own.push((
                "PS0".into(),
                String::from_utf8_lossy(marks::COMMAND_START).into_owned().into(),
            ));
            own.push(("HISTFILE".into(), "".into()));
        }
        Launch {
            program,
            args,
            size,
            env: environment::build(env, &spec.inherit, own, &spec.env, term),
            cwd: spec.cwd.clone(),
        }
    }

    /// The shell's prompt marks in what the program printed (read in
    /// order: each read is scanned once, before it is fed).
    pub fn scan_marks(&mut self, bytes: &[u8]) -> Vec<Mark> {
        if self.has_shell() {
            self.marks.scan(bytes)
        } else {
            Vec::new()
        }
    }

    /// Takes what the program printed, read at cast time `at`: through the
    /// redactor onto the screen, and into the running command's last words.
    pub fn feed(&mut self, bytes: &[u8], at: Duration) {
        self.last_read = Some(Instant::now());
        let shown = self.redactor.feed(bytes);
        self.term.process(&shown);
        if let Some(job) = &mut self.job {
            // Only the end is kept: a flood costs a copy of its tail.
            job.said.extend(&shown[shown.len().saturating_sub(SAID_MAX)..]);
            let excess = job.said.len().saturating_sub(SAID_MAX);
            job.said.drain(..excess);
        }
        // What is held back for redaction waits at most `HOLD` from when
        // holding began, and keeps the time it came.
        if !self.redactor.holding() {
            self.held = None;
        } else if self.held.is_none() {
            self.held = Some((Instant::now() + HOLD, at));
        }
    }

    /// Notes a mark that a command finished with `status`.
    pub fn command_done(&mut self, status: i32) {
        self.last_status = Some(status);
    }

    /// Counts a prompt drawn by the shell; returns the status of the
    /// command it ends (0 when none was reported).
    pub fn prompt_drawn(&mut self) -> i32 {
        self.prompts += 1;
        self.last_status.take().unwrap_or(0)
    }

    /// When output held back for redaction is due to be shown anyway.
    pub fn held_until(&self) -> Option<Instant> {
        self.held.map(|(when, _)| when)
    }

    /// Shows what the redactor holds back, if anything; returns the cast
    /// time it arrived at.
    pub fn release_held(&mut self) -> Option<Duration> {
        let (_, at) = self.held.take()?;
        let bytes = self.redactor.release();
        self.term.process(&bytes);
        Some(at)
    }

    /// The program ended: what the redactor still holds is shown.
    pub fn ended(&mut self) {
        let rest = self.redactor.release();
        self.held = None;
        self.term.process(&rest);
        self.process = None;
    }

    /// Shows what director itself draws in the pane (its prompt, the echo
    /// of a key at it): no program asked anything, so whatever the
    /// terminal would answer to it (an escape sequence typed as text) is
    /// answered to no one.
    fn draw_own(&mut self, bytes: &[u8]) {
        self.term.process(bytes);
        drop(self.term.take_replies());
    }

    /// Draws director's prompt in a pane without a shell, on a fresh line if
    /// the cursor is not at the start of one (output may lack a final newline).
    pub fn draw_prompt(&mut self) {
        if self.term.screen().cursor_position().1 != 0 {
            self.draw_own(b"\r\n");
        }
        let mut text = self.spec.prompt_style.sgr();
        text.push_str(&self.spec.prompt);
        text.push_str("\x1b[0m");
        self.draw_own(text.as_bytes());
    }

    /// Echoes a key pressed at director's own prompt (no program runs).
    /// Returns whether the line is done and a new prompt is due, or why the
    /// key does nothing there.
    pub fn key_at_prompt(&mut self, key: Key) -> Result<bool, String> {
        let prompt_width = display_width(&self.spec.prompt);
        match key {
            Key::Char(c) => {
                let mut buf = [0u8; 4];
                self.draw_own(c.encode_utf8(&mut buf).as_bytes());
                Ok(false)
            }
            Key::Enter => {
                self.draw_own(b"\r\n");
                Ok(true)
            }
            Key::Ctrl('c') => {
                self.draw_own(b"^C\r\n");
                Ok(true)
            }
            Key::Backspace => {
                if self.term.screen().cursor_position().1 > prompt_width {
                    self.draw_own(b"\x08\x1b[K");
                }
                Ok(false)
            }
            other => Err(format!(
                "{other:?} does nothing at director's prompt: no program is running in the pane"
            )),
        }
    }

    /// A private value on the screen, if it changed since it was last
    /// looked at: the pane's row and the value's kind.
    pub fn find_private(&mut self, identity: &Identity) -> Option<(usize, Kind)> {
        let generation = self.term.generation();
        if self.checked == Some(generation) {
            return None;
        }
        self.checked = Some(generation);
        identity.find_on_screen(&self.term.screen(), self.in_word)
    }
}

/// The prompt as bash's `PS1`: styled, with backslashes doubled so bash's
/// prompt escapes (`\u`, `\h`: the real user and host) cannot apply.
fn bash_prompt(prompt: &str, style: &Style) -> String {
    let text = prompt.replace('\\', "\\\\");
    // The closing mark tells director that the prompt is drawn.
    format!("\\[{}\\]{text}\\[\x1b[0m\x1b]133;B\x07\\]", style.sgr())
}

fn display_width(text: &str) -> u16 {
    unicode_width::UnicodeWidthStr::width(text).min(u16::MAX as usize) as u16
}
