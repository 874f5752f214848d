//! Runs a scene: executes its steps against the panes, turns what the panes
//! show into frames on the virtual clock, and hands them to the writer.
//!
//! One task owns every emulator and the clock; programs' output arrives
//! through a bounded channel, so a flood from one program applies
//! backpressure to it instead of growing memory.

mod marks;

use std::collections::VecDeque;
use std::ffi::OsString;
use std::io::Write;
use std::os::unix::process::ExitStatusExt;
use std::time::Duration;

use tokio::sync::mpsc;
use tokio::time::Instant;

use crate::asciicast::{Code, Writer};
use crate::director::marks::{Mark, PromptMarks};
use crate::geometry::Rect;
use crate::privacy::{Identity, Kind, Redactor};
use crate::process::environment::{self, DirectorEnv};
use crate::process::pty::{Launch, Program, Report};
use crate::scene::keys::Key;
use crate::scene::{Action, ExpectExit, Scene, Step, Until};
use crate::screen::compositor::{Chrome, Compositor};
use crate::screen::emulator::Emulator;
use crate::screen::emulator::PaneView;
use crate::screen::layout::Layout;
use crate::screen::style::Style;
use crate::signals;
use crate::timeline::{Clock, Mode};

/// Reports in flight from all panes; beyond this, readers wait.
const CHANNEL: usize = 64;
/// How long typing into a running program waits for its echo before the
/// next key, so echoes land between keystrokes rather than after them all.
const ECHO_WAIT: Duration = Duration::from_millis(50);
/// After the first response to a key, output counts as part of it until the
/// program has been quiet this long (or `SETTLE_MAX` has passed).
const QUIET: Duration = Duration::from_millis(5);
const SETTLE_MAX: Duration = Duration::from_millis(100);
/// The longest a key that signals (Ctrl-C) waits for its program to be
/// still, and how often it looks.
const STILL_MAX: Duration = Duration::from_millis(500);
const STILL_POLL: Duration = Duration::from_millis(1);
/// How long output held back for redaction (an unfinished line, or a name
/// whose end the next read decides) waits for the rest before it is shown
/// anyway: a line printed in pieces with a pause between them is still
/// one line to a `[privacy] redact` rule. It keeps its arrival time in the
/// cast: a live frame waits for it, and every step, a shell's prompt and
/// the end release it at once.
const HOLD: Duration = Duration::from_millis(500);
/// The most real time input waits for a command to catch up with cast time.
const CATCH_UP_MAX: Duration = Duration::from_secs(1);
/// How long a shell may take to show its first prompt.
const SHELL_START: Duration = Duration::from_secs(10);

/// Settings of one recording that do not come from the scene.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The recording machine's private values, kept out of every frame.
    pub identity: Identity,
    /// Director's own environment, which the programs' environments are
    /// drawn from.
    pub env: DirectorEnv,
    /// Shown in the status line's clock (UTC).
    pub start_time: Option<chrono::DateTime<chrono::Utc>>,
    /// Live or deterministic time.
    pub mode: Mode,
    /// Sleep for scripted delays instead of advancing the clock.
    pub realtime: bool,
    /// Show progress on stderr (a terminal) under this label.
    pub progress: Option<String>,
}

/// Why a recording failed.
#[derive(Debug, thiserror::Error)]
pub enum RecordError {
    #[error("step {number} ({kind}, line {line}) in pane \"{pane}\": {problem}")]
    Step {
        number: usize,
        kind: &'static str,
        line: usize,
        pane: String,
        problem: String,
    },
    #[error("pane \"{pane}\": {problem}")]
    Pane { pane: String, problem: String },
    #[error("cannot write the cast")]
    Write(#[from] std::io::Error),
}

/// What a finished recording measured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stats {
    /// Cast time of the last event.
    pub duration: Duration,
    pub events: usize,
}

/// A command a step started, until it ends.
struct Job {
    /// Index of the step that started it, for messages.
    step: usize,
    command: String,
    expect: ExpectExit,
    /// When it started, in cast time and in real time.
    cast_start: Duration,
    real_start: Instant,
    /// The end of what it printed (as shown), for the message if it fails.
    said: VecDeque<u8>,
}

/// How much of a command's output is kept for its failure message.
const SAID_MAX: usize = 4096;

struct Pane {
    rect: Rect,
    term: Emulator,
    redactor: Redactor,
    marks: PromptMarks,
    /// The running program: the step's `sh -c`, or the pane's shell.
    process: Option<Program>,
    job: Option<Job>,
    shell: bool,
    /// Prompts a shell has shown (marks seen).
    prompts: usize,
    /// The status of the shell's last command, until its prompt is drawn.
    last_status: Option<i32>,
    /// When to show output the redactor holds back (an unfinished line),
    /// and the cast time it arrived at: set when holding begins.
    release: Option<(Instant, Duration)>,
    /// The emulator's generation when its screen was last checked for
    /// private values.
    checked: Option<u64>,
    /// When the program's last output was read.
    last_read: Option<Instant>,
}

impl Pane {
    /// Whether a program (not only a shell at its prompt) is running.
    fn busy(&self) -> bool {
        self.job.is_some()
    }
}

/// Records one scene into an asciicast v2 writer.
pub struct Director<'s, W: Write> {
    scene: &'s Scene,
    options: Options,
    panes: Vec<Pane>,
    compositor: Compositor,
    chrome: Chrome,
    clock: Clock,
    writer: Writer<W>,
    events: usize,
    tx: mpsc::Sender<Report>,
    rx: mpsc::Receiver<Report>,
    /// Cast time of the first change not yet emitted.
    pending: Option<Duration>,
    flush_at: Option<Instant>,
    focus: usize,
    hidden: bool,
    /// The stamp for the next change: a keystroke's time, for its echo.
    stamp_next: Option<Duration>,
    /// The pane where a step is typing a word that the next key goes on
    /// with: the word at its cursor has not ended yet.
    typing_word: Option<usize>,
    step: Option<usize>,
}

impl<'s, W: Write> Director<'s, W> {
    /// Prepares a recording. The scene must be validated (its layout fits).
    pub fn new(scene: &'s Scene, options: Options, writer: Writer<W>) -> Self {
        let sizes: Vec<_> = scene.panes.iter().map(|p| p.size).collect();
        let layout = Layout::sized(scene.size, &sizes, scene.split, scene.status.is_some())
            .expect("a validated scene's layout fits");
        let panes = layout
            .panes
            .iter()
            .zip(&scene.panes)
            .map(|(rect, spec)| Pane {
                rect: *rect,
                term: Emulator::new(rect.size),
                redactor: Redactor::new(options.identity.clone(), scene.privacy.redact.clone()),
                release: None,
                checked: None,
                last_read: None,
                marks: PromptMarks::default(),
                process: None,
                job: None,
                shell: spec.shell.is_some(),
                prompts: 0,
                last_status: None,
            })
            .collect();
        let (tx, rx) = mpsc::channel(CHANNEL);
        let chrome = Chrome {
            divider_style: Style::parse("green").unwrap_or_default(),
            status_style: Style::parse("black on green").unwrap_or_default(),
            status_left: String::new(),
            status_right: status_right(scene, options.start_time),
        };
        let focus = scene.steps.iter().find(|s| s.action.is_input()).map_or(0, |s| s.pane);
        Self {
            scene,
            clock: Clock::with_mode(options.mode),
            options,
            panes,
            compositor: Compositor::new(layout),
            chrome,
            writer,
            events: 0,
            tx,
            rx,
            pending: None,
            flush_at: None,
            focus,
            hidden: false,
            stamp_next: None,
            typing_word: None,
            step: None,
        }
    }

    /// Starts the panes, runs every step, then writes the final frame.
    /// Programs still running at the end are killed.
    pub async fn run(mut self) -> Result<(W, Stats), RecordError> {
        self.start_panes().await?;
        self.set_focus(self.focus);
        self.changed();
        self.flush()?;
        let started = Instant::now();
        for (i, step) in self.scene.steps.iter().enumerate() {
            self.step = Some(i);
            self.show_progress(i, step, started);
            self.execute(step).await?;
        }
        if self.options.progress.is_some() {
            // Clear the progress line.
            eprint!("\r\x1b[K");
        }
        self.step = None;
        self.pump()?;
        // What a redactor still holds is shown at the time it came.
        self.release_held(true)?;
        if self.hidden {
            self.show()?;
        }
        self.flush()?;
        // Hold the last picture for the scripted time after the last change.
        let end = self.clock.now();
        if end > self.writer.last_time() {
            self.emit(end, Code::Output, "")?;
        }
        let stats = Stats {
            duration: self.writer.last_time(),
            events: self.events,
        };
        for pane in &mut self.panes {
            pane.process = None;
        }
        Ok((self.writer.finish(0)?, stats))
    }

    /// Draws the director prompts and starts the shells, waiting (off the
    /// clock) for each shell's first prompt.
    async fn start_panes(&mut self) -> Result<(), RecordError> {
        self.clock.freeze();
        for i in 0..self.panes.len() {
            match &self.scene.panes[i].shell {
                None => self.prompt(i),
                Some(shell) => {
                    let launch = self.launch(
                        i,
                        shell.clone(),
                        vec!["--noprofile".into(), "--norc".into(), "-i".into()],
                    );
                    let program = Program::spawn(i, &launch, self.tx.clone())
                        .map_err(|e| self.pane_error(i, format!("cannot start the shell `{shell}`: {e}")))?;
                    self.panes[i].process = Some(program);
                }
            }
        }
        let deadline = Instant::now() + SHELL_START;
        while let Some(i) = (0..self.panes.len()).find(|i| self.panes[*i].shell && self.panes[*i].prompts == 0) {
            if self.panes[i].process.is_none() {
                return Err(self.pane_error(
                    i,
                    format!("the shell exited before its first prompt{}", self.last_lines(i)),
                ));
            }
            if !self.idle(deadline).await? {
                let problem = format!(
                    "the shell showed no prompt within {SHELL_START:?}{}",
                    self.last_lines(i)
                );
                return Err(self.pane_error(i, problem));
            }
        }
        self.clock.thaw();
        Ok(())
    }

    /// One line on stderr, rewritten at each step: which step, in which
    /// pane, how long the recording has taken so far.
    fn show_progress(&self, i: usize, step: &Step, started: Instant) {
        let Some(label) = &self.options.progress else { return };
        eprint!(
            "\r\x1b[K{label}: step {}/{} ({} in {}), {:.1} s",
            i + 1,
            self.scene.steps.len(),
            step.action.kind(),
            self.scene.panes[step.pane].name,
            started.elapsed().as_secs_f64()
        );
    }

    fn launch(&self, pane: usize, program: String, args: Vec<String>) -> Launch {
        let spec = &self.scene.panes[pane];
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
            own.push(("HISTFILE".into(), "".into()));
        }
        Launch {
            program,
            args,
            size: self.panes[pane].rect.size,
            env: environment::build(&self.options.env, &spec.inherit, own, &spec.env, &self.scene.term),
            cwd: spec.cwd.clone(),
        }
    }

    async fn execute(&mut self, step: &Step) -> Result<(), RecordError> {
        let pane = step.pane;
        // Output held for redaction is shown at the time it came, before
        // a step moves the clock on.
        self.pump()?;
        self.release_held(true)?;
        if step.action.is_input() {
            self.flush()?;
            self.set_focus(pane);
        }
        match &step.action {
            Action::Pause(d) => {
                self.pump()?;
                self.flush()?;
                let until = self.clock.now() + *d;
                self.reach(until).await?;
            }
            Action::Type { text, rhythm } => {
                let mut at = self.clock.now();
                let chars: Vec<char> = text.chars().collect();
                for (k, (ch, pause)) in chars.iter().zip(rhythm).enumerate() {
                    self.reach(at).await?;
                    let key = if *ch == '\n' { Key::Enter } else { Key::Char(*ch) };
                    self.type_key(pane, key, &chars[k..], at).await?;
                    at += *pause;
                }
                self.reach(at).await?;
            }
            Action::Keys { keys, delay } => {
                let mut at = self.clock.now();
                for key in keys {
                    self.reach(at).await?;
                    self.press(pane, *key, at).await?;
                    at += *delay;
                }
                self.reach(at).await?;
            }
            Action::Run {
                command,
                rhythm,
                enter_delay,
                expect_exit,
            } => {
                if let Some(job) = &self.panes[pane].job {
                    let problem = format!(
                        "the pane is still running `{}` (started by step {})",
                        job.command,
                        job.step + 1
                    );
                    return Err(self.fail(problem));
                }
                if self.panes[pane].shell && self.panes[pane].process.is_none() {
                    return Err(self.fail("the pane's shell has exited".into()));
                }
                let mut at = self.clock.now();
                let count = rhythm.len();
                let chars: Vec<char> = command.chars().collect();
                for (k, (ch, pause)) in chars.iter().zip(rhythm).enumerate() {
                    self.reach(at).await?;
                    self.type_key(pane, Key::Char(*ch), &chars[k..], at).await?;
                    // The beat before Enter replaces the last keystroke's pause.
                    at += if k + 1 == count { *enter_delay } else { *pause };
                }
                self.reach(at).await?;
                let step = self.step.unwrap_or(0);
                let job = Job {
                    step,
                    command: command.clone(),
                    expect: *expect_exit,
                    cast_start: at,
                    real_start: Instant::now(),
                    said: VecDeque::new(),
                };
                if self.panes[pane].shell {
                    self.panes[pane].job = Some(job);
                    self.press(pane, Key::Enter, at).await?;
                } else {
                    self.pump()?;
                    self.flush()?;
                    self.panes[pane].term.process(b"\r\n");
                    // Not emitted yet: the program's first output joins
                    // Enter's frame when it comes at once.
                    self.changed_at(at);
                    let launch = self.launch(pane, "/bin/sh".into(), vec!["-c".into(), command.clone()]);
                    self.clock.input(pane);
                    let program = Program::spawn(pane, &launch, self.tx.clone())
                        .map_err(|e| self.fail(format!("cannot start `{command}`: {e}")))?;
                    self.panes[pane].process = Some(program);
                    self.panes[pane].job = Some(job);
                }
            }
            Action::Wait { until, timeout } => self.wait(pane, until, *timeout).await?,
            Action::Marker(label) => {
                self.pump()?;
                self.flush()?;
                if !self.hidden {
                    let now = self.clock.now();
                    self.writer.event(now, Code::Marker, label)?;
                    self.events += 1;
                }
            }
            Action::Clear => {
                self.pump()?;
                self.flush()?;
                let p = &mut self.panes[pane];
                p.term.process(b"\x1b[0m\x1b[H\x1b[2J\x1b[3J");
                let (shell_at_prompt, idle) = (p.shell && !p.busy(), p.process.is_none());
                self.changed();
                if shell_at_prompt {
                    // Ctrl-L: readline redraws the prompt and the line being edited.
                    self.write_to(pane, b"\x0c").await?;
                    self.settle().await?;
                } else if idle {
                    self.prompt(pane);
                }
                self.flush()?;
            }
            Action::Focus => self.set_focus(pane),
            Action::Hide => {
                self.pump()?;
                self.flush()?;
                self.hidden = true;
                self.clock.freeze();
            }
            Action::Show => self.show()?,
        }
        Ok(())
    }

    fn show(&mut self) -> Result<(), RecordError> {
        self.pump()?;
        self.clock.thaw();
        self.hidden = false;
        self.changed();
        self.flush()
    }

    /// Presses the key for `rest[0]` of a text the scene types. While the
    /// key or the one after it goes on with a word, the word at the cursor
    /// has not ended: its beginnings on screen (`vm` on the way to
    /// `vmlinuz`) are no one's name, and the scene's text was checked whole
    /// before recording ([`crate::privacy::check_scene`]).
    async fn type_key(&mut self, pane: usize, key: Key, rest: &[char], at: Duration) -> Result<(), RecordError> {
        let in_word = rest.iter().take(2).any(|c| crate::privacy::continues_word(*c));
        self.typing_word = in_word.then_some(pane);
        let pressed = self.press(pane, key, at).await;
        self.typing_word = None;
        pressed
    }

    /// Presses one key in a pane at cast time `at`: into the program or
    /// shell through its terminal, or, at director's own prompt, echoed.
    async fn press(&mut self, pane: usize, key: Key, at: Duration) -> Result<(), RecordError> {
        self.pump()?;
        self.flush()?;
        if self.panes[pane].process.is_some() {
            self.catch_up(pane).await?;
            if key.signals() {
                self.await_still(pane).await?;
            }
            // What the program printed so far shows before its echo.
            if self.panes[pane].release.is_some() {
                self.release_held(true)?;
                self.flush()?;
            }
            let bytes = key.bytes(self.panes[pane].term.screen().application_cursor());
            self.clock.input(pane);
            self.write_to(pane, &bytes).await?;
            // Let the echo arrive, stamped with this keystroke's time.
            self.stamp_next = Some(at);
            self.settle().await?;
            self.stamp_next = None;
            return Ok(());
        }
        let prompt_width = display_width(&self.scene.panes[pane].prompt);
        let term = &mut self.panes[pane].term;
        let new_prompt = match key {
            Key::Char(c) => {
                let mut buf = [0u8; 4];
                term.process(c.encode_utf8(&mut buf).as_bytes());
                false
            }
            Key::Enter => {
                term.process(b"\r\n");
                true
            }
            Key::Ctrl('c') => {
                term.process(b"^C\r\n");
                true
            }
            Key::Backspace => {
                if term.screen().cursor_position().1 > prompt_width {
                    term.process(b"\x08\x1b[K");
                }
                false
            }
            other => {
                let problem = format!("{other:?} does nothing at director's prompt: no program is running in the pane");
                return Err(self.fail(problem));
            }
        };
        self.changed_at(at);
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
    async fn catch_up(&mut self, pane: usize) -> Result<(), RecordError> {
        let Some(job) = &self.panes[pane].job else {
            return Ok(());
        };
        let owed = self.clock.now().saturating_sub(job.cast_start).min(CATCH_UP_MAX);
        let until = job.real_start + owed;
        if Instant::now() >= until {
            return Ok(());
        }
        let frozen = self.clock.is_frozen();
        self.clock.freeze();
        while self.panes[pane].job.is_some() && self.idle(until).await? {}
        if !frozen {
            self.clock.thaw();
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
    async fn await_still(&mut self, pane: usize) -> Result<(), RecordError> {
        let cap = Instant::now() + STILL_MAX;
        loop {
            self.pump()?;
            let p = &self.panes[pane];
            let Some(program) = &p.process else {
                return Ok(());
            };
            let quiet = p.last_read.is_none_or(|t| t.elapsed() >= QUIET);
            if (quiet && program.foreground_running() != Some(true)) || Instant::now() >= cap {
                return Ok(());
            }
            self.idle((Instant::now() + STILL_POLL).min(cap)).await?;
        }
    }

    async fn write_to(&mut self, pane: usize, bytes: &[u8]) -> Result<(), RecordError> {
        let Some(program) = &mut self.panes[pane].process else {
            return Ok(());
        };
        if let Err(e) = program.write(bytes).await {
            return Err(self.fail(format!("cannot type into the program: {e}")));
        }
        Ok(())
    }

    /// Waits briefly for the response to input (an echo, a redrawn line)
    /// and until it has gone quiet, so that it is stamped at the keystroke
    /// rather than after the clock has moved on.
    async fn settle(&mut self) -> Result<(), RecordError> {
        let start = Instant::now();
        while self.pending.is_none() && self.idle(start + ECHO_WAIT).await? {}
        if self.pending.is_some() {
            let cap = start + SETTLE_MAX;
            while self.idle((Instant::now() + QUIET).min(cap)).await? {}
        }
        // Deterministic frames are cut by cast time alone: output of this
        // key's time that comes later still joins the frame.
        if self.deterministic() { Ok(()) } else { self.flush() }
    }

    async fn wait(&mut self, pane: usize, until: &Until, timeout: Duration) -> Result<(), RecordError> {
        let deadline = Instant::now() + timeout;
        loop {
            self.pump()?;
            let p = &self.panes[pane];
            let met = match until {
                Until::Exit => !p.busy(),
                Until::Text(t) => p.term.screen().contents().contains(t.as_str()),
                Until::Regex(r) => r.is_match(&p.term.screen().contents()),
            };
            if met {
                return Ok(());
            }
            if p.process.is_none() {
                let problem = format!(
                    "no program is running, so {until} can never appear{}",
                    self.last_lines(pane)
                );
                return Err(self.fail(problem));
            }
            if !self.idle(deadline).await? {
                let problem = format!(
                    "timed out after {timeout:?} waiting for {until}{}",
                    self.last_lines(pane)
                );
                return Err(self.fail(problem));
            }
        }
    }

    /// Waits for one report (handling it) or a frame deadline; returns false
    /// when `deadline` passes first.
    async fn idle(&mut self, deadline: Instant) -> Result<bool, RecordError> {
        let releases = self.panes.iter().filter_map(|p| p.release.map(|r| r.0));
        let (release_at, last_release) = (releases.clone().min(), releases.max());
        // A live frame waits for what is held (at most `HOLD`), so that
        // held output is drawn in the frame of the time it came.
        let flush_at = match (self.flush_at, last_release) {
            (Some(f), Some(r)) => f.max(r),
            (f, _) => f.unwrap_or(deadline),
        };
        tokio::select! {
            _ = tokio::time::sleep_until(release_at.unwrap_or(deadline)), if release_at.is_some() => {
                self.release_held(false)?;
                Ok(true)
            }
            report = self.rx.recv() => {
                // The director holds a sender, so the channel never closes.
                if let Some(report) = report {
                    self.handle(report)?;
                }
                Ok(true)
            }
            _ = tokio::time::sleep_until(flush_at), if self.flush_at.is_some() => {
                self.flush()?;
                Ok(true)
            }
            _ = tokio::time::sleep_until(deadline) => Ok(false),
        }
    }

    /// Handles every report already waiting.
    fn pump(&mut self) -> Result<(), RecordError> {
        while let Ok(report) = self.rx.try_recv() {
            self.handle(report)?;
            // A flood can keep the channel full for seconds: frames are
            // still cut on time.
            if self.flush_at.is_some_and(|t| Instant::now() >= t) {
                self.flush()?;
            }
        }
        Ok(())
    }

    fn handle(&mut self, report: Report) -> Result<(), RecordError> {
        match report {
            Report::Output { pane, bytes } => {
                let at = self.stamp(pane)?;
                let p = &mut self.panes[pane];
                p.last_read = Some(Instant::now());
                let marks = if p.shell { p.marks.scan(&bytes) } else { Vec::new() };
                let shown = p.redactor.feed(&bytes);
                p.term.process(&shown);
                if let Some(job) = &mut p.job {
                    // Only the end is kept: a flood costs a copy of its tail.
                    job.said.extend(&shown[shown.len().saturating_sub(SAID_MAX)..]);
                    let excess = job.said.len().saturating_sub(SAID_MAX);
                    job.said.drain(..excess);
                }
                // What is held back for redaction waits at most `HOLD` from
                // when holding began, and keeps the time it came.
                if !p.redactor.holding() {
                    p.release = None;
                } else if p.release.is_none() {
                    p.release = Some((Instant::now() + HOLD, at));
                }
                self.changed_at(at);
                for mark in marks {
                    match mark {
                        Mark::CommandDone(status) => self.panes[pane].last_status = Some(status),
                        // The prompt is drawn and bash reads input: the
                        // command (if any) is over, typing may begin, and
                        // nothing will finish the prompt's line before.
                        Mark::PromptEnd => {
                            self.release_pane(pane);
                            self.panes[pane].prompts += 1;
                            let status = self.panes[pane].last_status.take().unwrap_or(0);
                            if let Some(job) = self.panes[pane].job.take() {
                                self.check_exit(pane, job, Ended::Status(status))?;
                            }
                        }
                    }
                }
            }
            Report::Exited { pane, status } => {
                let at = self.stamp_exit(pane)?;
                let p = &mut self.panes[pane];
                let rest = p.redactor.release();
                p.release = None;
                p.term.process(&rest);
                p.process = None;
                let ended = match &status {
                    Ok(s) => match (s.code(), s.signal()) {
                        (Some(c), _) => Ended::Status(c),
                        (None, Some(sig)) => Ended::Signal(sig),
                        (None, None) => Ended::Other("ended abnormally".into()),
                    },
                    Err(e) => Ended::Other(format!("could not be waited for: {e}")),
                };
                if let Some(job) = self.panes[pane].job.take() {
                    self.check_exit(pane, job, ended)?;
                }
                if !self.panes[pane].shell {
                    self.prompt(pane);
                }
                self.changed_at(at);
            }
        }
        Ok(())
    }

    /// The cast time of output from `pane` arriving now. When deterministic,
    /// a pending frame of an earlier time is emitted first, before the
    /// output changes any screen: frames are cut by cast time alone.
    fn stamp(&mut self, pane: usize) -> Result<Duration, RecordError> {
        let floor = self.pending.unwrap_or_else(|| self.writer.last_time());
        let t = self.clock.stamp(pane, std::time::Instant::now(), floor);
        self.begin_change(t, Some(pane))
    }

    fn stamp_exit(&mut self, pane: usize) -> Result<Duration, RecordError> {
        let floor = self.pending.unwrap_or_else(|| self.writer.last_time());
        let t = self.clock.stamp_exit(pane, std::time::Instant::now(), floor);
        self.begin_change(t, None)
    }

    /// `t` for a change about to come from `from`. When deterministic and a
    /// frame of another time is pending, it is cut first, with what the
    /// other panes hold for redaction (`from`'s own held line is about to
    /// be continued).
    fn begin_change(&mut self, t: Duration, from: Option<usize>) -> Result<Duration, RecordError> {
        // An echo of a key is stamped with the key, however late it comes.
        let t = self.stamp_next.map_or(t, |key| key.min(t));
        if self.deterministic() && self.pending.is_some_and(|p| p != t) {
            for pane in (0..self.panes.len()).filter(|p| Some(*p) != from) {
                self.release_pane(pane);
            }
            self.flush()?;
        }
        Ok(t)
    }

    fn deterministic(&self) -> bool {
        matches!(self.clock.mode(), Mode::Deterministic { .. })
    }

    /// Shows what the redactors held back, for panes whose time has come
    /// (or all, with `force`).
    fn release_held(&mut self, force: bool) -> Result<(), RecordError> {
        let now = Instant::now();
        for pane in 0..self.panes.len() {
            if self.panes[pane].release.is_some_and(|(when, _)| force || when <= now) {
                self.release_pane(pane);
            }
        }
        Ok(())
    }

    /// Shows what `pane`'s redactor holds, at the time it came (never
    /// before what is already pending or written).
    fn release_pane(&mut self, pane: usize) {
        let Some((_, at)) = self.panes[pane].release.take() else {
            return;
        };
        let at = at.max(self.pending.unwrap_or(at)).max(self.writer.last_time());
        let p = &mut self.panes[pane];
        let bytes = p.redactor.release();
        p.term.process(&bytes);
        self.changed_at(at);
    }

    /// Moves cast time to `t`: at once, or with `--realtime` by waiting
    /// (handling output meanwhile).
    async fn reach(&mut self, t: Duration) -> Result<(), RecordError> {
        if self.options.realtime && !self.clock.is_frozen() {
            let wait = t.saturating_sub(self.clock.now());
            let deadline = Instant::now() + wait;
            while self.idle(deadline).await? {}
        }
        self.clock.reach(t);
        Ok(())
    }

    /// Fails the step that started `job` unless it expects how it ended.
    /// The first line says what happened and what the program last said
    /// (`address already in use`); a signal is named, with the
    /// `expect_exit` that would accept it.
    fn check_exit(&mut self, pane: usize, mut job: Job, ended: Ended) -> Result<(), RecordError> {
        let code = ended.code();
        if code.is_some_and(|c| job.expect.accepts(c)) {
            return Ok(());
        }
        // bash reports a command a signal killed as 128 + the signal.
        let signal = match ended {
            Ended::Signal(sig) => Some(sig),
            Ended::Status(c) if self.panes[pane].shell && (129..=128 + 64).contains(&c) => Some(c - 128),
            _ => None,
        };
        let how = match (&ended, signal) {
            (Ended::Status(c), Some(sig)) => format!("ended with status {c}: killed by {}", signals::describe(sig)),
            (_, Some(sig)) => format!("was killed by {}", signals::describe(sig)),
            (Ended::Status(c), None) => format!("exited with status {c}"),
            (Ended::Other(what), None) => what.clone(),
            (Ended::Signal(_), None) => unreachable!("a signal death has its signal"),
        };
        let said = self
            .last_output_line(pane, job.said.make_contiguous())
            .map(|line| format!(": {line}"))
            .unwrap_or_default();
        // A signal is often what the scene meant (Ctrl-C): say how to
        // accept it; a status, what was expected.
        let want = match (job.expect, signal, code) {
            (ExpectExit::Code(_), Some(_), Some(got)) => {
                format!("{said}; add expect_exit = {got} to the step if that is expected")
            }
            (ExpectExit::Code(c), _, _) => format!(", expected {c}{said}"),
            (ExpectExit::Any, _, _) => said,
        };
        self.step = Some(job.step);
        let problem = format!("`{}` {how}{want}{}", job.command, self.last_lines(pane));
        Err(self.fail(problem))
    }

    /// What a failed command said last (`said`, as a terminal of the
    /// pane's width shows it), cut to fit a message's first line: its last
    /// line that reads like a complaint (`error: cannot listen …`, not the
    /// `caused by` under it), else its last line. Prompt lines and the
    /// terminal's echo of Ctrl-C (`^C`) are not its words.
    fn last_output_line(&self, pane: usize, said: &[u8]) -> Option<String> {
        const MAX: usize = 120;
        const COMPLAINTS: &[&str] = &[
            "error",
            "fail",
            "panic",
            "cannot",
            "can't",
            "unable",
            "denied",
            "not found",
            "no such",
            "refused",
            "invalid",
        ];
        let prompt = self.scene.panes[pane].prompt.trim_end();
        let size = self.panes[pane].rect.size;
        let mut term = crate::screen::emulator::parser(crate::geometry::Size::new(size.cols, 16));
        term.process(said);
        let contents = term.screen().contents();
        let echo = |l: &str| l.len().is_multiple_of(2) && l.as_bytes().chunks(2).all(|c| c[0] == b'^');
        let lines: Vec<&str> = contents
            .lines()
            .map(str::trim_end)
            .filter(|l| {
                let t = l.trim_start();
                !t.is_empty() && !echo(t) && (prompt.is_empty() || !t.starts_with(prompt))
            })
            .collect();
        let complains = |l: &str| {
            let lower = l.to_lowercase();
            COMPLAINTS.iter().any(|w| lower.contains(w))
        };
        // An indented line continues the one above (a cause, a trace).
        let indented = |l: &str| l.starts_with(char::is_whitespace);
        let line = lines
            .iter()
            .rev()
            .find(|l| complains(l) && !indented(l))
            .or_else(|| lines.iter().rev().find(|l| complains(l)))
            .or(lines.last())?
            .trim_start();
        Some(match line.char_indices().nth(MAX) {
            Some((cut, _)) => format!("{}…", &line[..cut]),
            None => line.to_string(),
        })
    }

    /// Draws director's prompt in a pane without a shell, on a fresh line if
    /// the cursor is not at the start of one (output may lack a final newline).
    fn prompt(&mut self, pane: usize) {
        let spec = &self.scene.panes[pane];
        let term = &mut self.panes[pane].term;
        if term.screen().cursor_position().1 != 0 {
            term.process(b"\r\n");
        }
        let mut text = spec.prompt_style.sgr();
        text.push_str(&spec.prompt);
        text.push_str("\x1b[0m");
        term.process(text.as_bytes());
        self.changed();
    }

    fn set_focus(&mut self, pane: usize) {
        let names: Vec<String> = self
            .scene
            .panes
            .iter()
            .enumerate()
            .map(|(i, p)| format!("{i}:{}{}", p.name, if i == pane { "*" } else { "" }))
            .collect();
        let left = format!(" {}", names.join(" "));
        if left != self.chrome.status_left || pane != self.focus {
            self.chrome.status_left = left;
            self.focus = pane;
            self.changed();
        }
    }

    /// Notes that the picture changed; the frame is emitted at the latest
    /// one frame interval later, stamped with the time of this change.
    fn changed(&mut self) {
        let at = self.stamp_next.take().unwrap_or_else(|| self.clock.now());
        self.changed_at(at);
    }

    fn changed_at(&mut self, at: Duration) {
        if self.pending.is_none() {
            self.pending = Some(at);
            // Deterministic frames are cut by cast time, not by a timer.
            if !self.deterministic() {
                self.flush_at = Some(Instant::now() + self.scene.frame_interval);
            }
        }
    }

    fn flush(&mut self) -> Result<(), RecordError> {
        let Some(time) = self.pending.take() else { return Ok(()) };
        self.flush_at = None;
        if self.hidden {
            return Ok(());
        }
        let views: Vec<PaneView<'_>> = self.panes.iter_mut().map(|p| p.term.view()).collect();
        let diff = self.compositor.frame(&views, &self.chrome, Some(self.focus));
        if !diff.is_empty() {
            self.check_private(time)?;
            self.emit(time, Code::Output, &diff)?;
        }
        Ok(())
    }

    /// Fails the recording if the frame about to be written at `time`
    /// shows a private value in a pane (as its rows read, a wrapped line
    /// joined). Panes are checked when they changed. The status line is
    /// the scene's text (pane names, title, status text) and a clock,
    /// checked once before recording ([`crate::privacy::check_scene`]).
    fn check_private(&mut self, time: Duration) -> Result<(), RecordError> {
        let identity = &self.options.identity;
        if identity.is_empty() {
            return Ok(());
        }
        let mut found = None;
        for (i, pane) in self.panes.iter_mut().enumerate() {
            let generation = pane.term.generation();
            if pane.checked == Some(generation) {
                continue;
            }
            pane.checked = Some(generation);
            let word_goes_on = self.typing_word == Some(i);
            if let Some((row, kind)) = identity.find_on_screen(&pane.term.screen(), word_goes_on) {
                let name = &self.scene.panes[i].name;
                let screen_row = usize::from(pane.rect.row) + row + 1;
                found = Some((format!("pane \"{name}\" (screen row {screen_row})"), kind));
                break;
            }
        }
        match found {
            None => Ok(()),
            Some((place, kind)) => Err(self.fail(private_on_screen(&place, kind, time))),
        }
    }

    fn emit(&mut self, time: Duration, code: Code, data: &str) -> Result<(), RecordError> {
        self.writer.event(time, code, data)?;
        self.events += 1;
        Ok(())
    }

    /// The pane's last few non-empty lines, to show with an error.
    fn last_lines(&self, pane: usize) -> String {
        let contents = self.panes[pane].term.screen().contents();
        let lines: Vec<&str> = contents.lines().map(str::trim_end).filter(|l| !l.is_empty()).collect();
        let tail = &lines[lines.len().saturating_sub(5)..];
        if tail.is_empty() {
            return String::new();
        }
        format!(
            "\n  the pane shows:\n{}",
            tail.iter().map(|l| format!("    {l}")).collect::<Vec<_>>().join("\n")
        )
    }

    fn fail(&self, problem: String) -> RecordError {
        match self.step.and_then(|i| Some((i, self.scene.steps.get(i)?))) {
            Some((i, step)) => RecordError::Step {
                number: i + 1,
                kind: step.action.kind(),
                line: step.line,
                pane: self.scene.panes[step.pane].name.clone(),
                problem,
            },
            None => RecordError::Pane {
                pane: self.scene.panes[self.focus].name.clone(),
                problem,
            },
        }
    }

    fn pane_error(&self, pane: usize, problem: String) -> RecordError {
        RecordError::Pane {
            pane: self.scene.panes[pane].name.clone(),
            problem,
        }
    }
}

/// How a pane's program ended.
enum Ended {
    Status(i32),
    Signal(i32),
    Other(String),
}

impl Ended {
    /// The status a shell would give: 128 + the signal for a signal.
    fn code(&self) -> Option<i32> {
        match self {
            Ended::Status(c) => Some(*c),
            Ended::Signal(sig) => Some(128 + sig),
            Ended::Other(_) => None,
        }
    }
}

/// Why a frame was not written: where the value would show and its kind,
/// never the value itself (the message may end up in a public CI log).
fn private_on_screen(place: &str, kind: Kind, time: Duration) -> String {
    format!(
        "{place} would show the recording machine's {what} at {t:.3} s, though every copy the \
         program printed in one piece was replaced: it assembled the {what} on screen from pieces \
         (cursor moves, backspaces, \\r, or a pause inside it). Nothing was written.\n  \
         Hide a piece it prints with a rule such as\n    \
         [privacy]\n    redact = [{{ regex = \"<a piece of the {what}>\", replace = \"{stand_in}\" }}]\n  \
         or publish it with `{key} = false` in [privacy]",
        what = kind.describe(),
        t = time.as_secs_f64(),
        stand_in = kind.stand_in(),
        key = kind.key(),
    )
}

fn status_right(scene: &Scene, start: Option<chrono::DateTime<chrono::Utc>>) -> String {
    let Some(status) = &scene.status else {
        return String::new();
    };
    let clock = start
        .map(|t| t.format("%H:%M %d-%b-%y").to_string())
        .unwrap_or_default();
    let text = status
        .right
        .replace("{title}", scene.title.as_deref().unwrap_or(""))
        .replace("{clock}", &clock);
    format!("{} ", text.trim_end())
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
