//! Runs a scene: what each step does to its pane, one step after another.
//!
//! In: a validated [`Scene`], the [`Options`] of this recording and the
//! cast's [`Writer`]. Out: the written cast and what it measured
//! ([`Stats`]), or a [`RecordError`] naming the step that failed.
//!
//! The steps are here. Beside them: `stage`, the event loop that feeds each
//! pane (`pane`) what its program prints; `frames`, which cuts what the
//! panes show into cast events on the virtual clock; `keys`, how a key
//! reaches a pane; `failure`, what went wrong in the scene's terms; and
//! `marks`, the prompt marks of a shell.

mod arrange;
mod failure;
mod frames;
mod hold;
mod keys;
mod marks;
mod pane;
mod stage;

use std::io::Write;
use std::time::Duration;

use tokio::time::Instant;

use crate::asciicast::Writer;
use crate::director::failure::Fault;
use crate::director::frames::{Echo, Frames};
use crate::director::hold::HOLD_MAX;
use crate::director::pane::{Job, Pane};
use crate::director::stage::Stage;
use crate::privacy::{Identity, Redactor};
use crate::process::environment::DirectorEnv;
use crate::process::pty::Launch;
use crate::scene::keys::Key;
use crate::scene::{Action, ExpectExit, Scene, Step, Until};
use crate::screen::compositor::Chrome;
use crate::screen::emulator::Emulator;
use crate::screen::layout::Titles;
use crate::screen::replies::Colours;
use crate::screen::style::Style;
use crate::timeline::{Clock, Mode};

pub use failure::RecordError;
pub use frames::Stats;

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

/// How long the keys a step pressed stay in the status line.
const KEYS_SHOWN: Duration = Duration::from_secs(1);
/// The most of them shown, in characters (the latest ones).
const KEYS_MAX: usize = 32;

/// Records one scene into an asciicast writer.
pub struct Director<'s, W: Write> {
    scene: &'s Scene,
    options: Options,
    stage: Stage<'s, W>,
    /// The keys shown in the status line (`show_keys`), and until when.
    keys: Option<(String, Option<Duration>)>,
}

impl<'s, W: Write> Director<'s, W> {
    /// Prepares a recording of a validated scene, in the layout its
    /// validation worked out.
    pub fn new(scene: &'s Scene, options: Options, writer: Writer<W>) -> Self {
        let layout = scene.layout.clone();
        let panes = (0..scene.panes.len())
            .map(|i| new_pane(scene, &options, i, layout.panes[i].size))
            .collect();
        let chrome = Chrome {
            divider_style: scene.look.border,
            active_border_style: scene.look.active_border,
            status_style: Style::parse("black on green").unwrap_or_default(),
            status_right: status_right(scene, options.start_time, ""),
            caption_style: scene.look.caption,
            titles: match scene.layout.titles() {
                Titles::Off => Vec::new(),
                _ => scene
                    .panes
                    .iter()
                    .map(|p| p.title.clone().unwrap_or_else(|| p.name.clone()))
                    .collect(),
            },
            ..Chrome::default()
        };
        let first_input = scene.steps.iter().find(|s| s.action.is_input()).map(|s| s.pane);
        let focus = first_input
            .filter(|&p| layout.is_shown(p))
            .or_else(|| (0..scene.panes.len()).find(|&p| layout.is_shown(p)))
            .unwrap_or(0);
        let clock = Clock::with_mode(options.mode);
        let frames = Frames::new(writer, layout, chrome, focus, clock, scene.frame_interval);
        let stage = Stage::new(panes, frames, options.identity.clone());
        Self {
            scene,
            options,
            stage,
            keys: None,
        }
    }

    /// Starts the panes, runs every step, then writes the final frame.
    /// Programs still running at the end are killed.
    pub async fn run(mut self) -> Result<(W, Stats), RecordError> {
        let scene = self.scene;
        self.start().await.map_err(|f| self.shape(f, None))?;
        let started = Instant::now();
        for (i, step) in scene.steps.iter().enumerate() {
            self.show_progress(i, step, started);
            self.execute(i, step).await.map_err(|f| self.shape(f, Some(i)))?;
        }
        // The last picture is held too.
        let still = self.stage.await_panes_still(HOLD_MAX).await;
        still.map_err(|f| self.shape(f, None))?;
        if self.options.progress.is_some() {
            // Clear the progress line.
            eprint!("\r\x1b[K");
        }
        let focus = self.stage.frames.focus();
        self.stage.finish().map_err(|f| f.shape(scene, None, focus))
    }

    /// Tells a failure in the scene's terms; `running` is the index of the
    /// step that was running.
    fn shape(&self, failure: Fault, running: Option<usize>) -> RecordError {
        failure.shape(self.scene, running, self.stage.frames.focus())
    }

    /// Starts the panes on screen and draws the first frame.
    async fn start(&mut self) -> Result<(), Fault> {
        let layout = self.stage.frames.layout();
        let open: Vec<usize> = (0..self.stage.panes.len()).filter(|&p| layout.is_open(p)).collect();
        self.start_panes(&open).await?;
        self.set_focus(self.stage.frames.focus());
        self.stage.frames.changed();
        self.stage.flush()
    }

    /// A pane of the scene, empty, of `size`, with nothing running yet.
    fn fresh_pane(&self, pane: usize, size: crate::geometry::Size) -> Pane<'s> {
        new_pane(self.scene, &self.options, pane, size)
    }

    /// Draws the director prompts and starts the shells of `panes`, waiting
    /// (off the clock) for each shell's first prompt.
    async fn start_panes(&mut self, panes: &[usize]) -> Result<(), Fault> {
        let frozen = self.stage.frames.clock().is_frozen();
        self.stage.frames.clock_mut().freeze();
        for &i in panes {
            match &self.scene.panes[i].shell {
                None => self.stage.prompt(i),
                Some(shell) => {
                    let args = vec!["--noprofile".into(), "--norc".into(), "-i".into()];
                    let launch = self.launch(i, shell.clone(), args);
                    self.stage.spawn(i, &launch).map_err(|e| Fault::OfPane {
                        pane: i,
                        problem: format!("cannot start the shell `{shell}`: {e}"),
                    })?;
                }
            }
        }
        let deadline = Instant::now() + SHELL_START;
        let waiting = |stage: &Stage<'_, W>| {
            let first_prompt = |&&p: &&usize| stage.panes[p].has_shell() && stage.panes[p].prompts == 0;
            panes.iter().find(first_prompt).copied()
        };
        while let Some(i) = waiting(&self.stage) {
            if self.stage.panes[i].process.is_none() {
                let problem = format!(
                    "the shell exited before its first prompt{}",
                    self.stage.panes[i].last_lines()
                );
                return Err(Fault::OfPane { pane: i, problem });
            }
            if !self.stage.idle(deadline).await? {
                let problem = format!(
                    "the shell showed no prompt within {SHELL_START:?}{}",
                    self.stage.panes[i].last_lines()
                );
                return Err(Fault::OfPane { pane: i, problem });
            }
        }
        if !frozen {
            self.stage.frames.clock_mut().thaw();
        }
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

    /// How to start `program` in `pane`, in a terminal of the pane's size.
    fn launch(&self, pane: usize, program: String, args: Vec<String>) -> Launch {
        let size = self.stage.frames.rect(pane).size;
        self.stage.panes[pane].launch(program, args, size, &self.options.env, &self.scene.term)
    }

    /// Marks `pane` active: its cursor is shown, its name starred. The
    /// status line names the panes open, a zoomed one flagged `Z`.
    fn set_focus(&mut self, pane: usize) {
        let layout = self.stage.frames.layout();
        let names: Vec<String> = self
            .scene
            .panes
            .iter()
            .enumerate()
            .filter(|(i, _)| layout.is_open(*i))
            .map(|(i, p)| {
                let active = if i == pane { "*" } else { "" };
                let zoomed = if layout.zoomed() == Some(i) { "Z" } else { "" };
                format!("{i}:{}{active}{zoomed}", p.name)
            })
            .collect();
        let mut left = format!(" {}", names.join(" "));
        if let Some((keys, _)) = &self.keys {
            left.push_str(&format!("  [{keys}]"));
        }
        self.stage.frames.set_focus(pane, left);
        self.stage.frames.set_chrome(|chrome| chrome.active = Some(pane));
    }

    /// Shows `keys` (pressed by the step at hand) in the status line, or
    /// nothing; `until`: when they go, once the step is over.
    fn show_keys(&mut self, keys: Option<String>) {
        if !self.scene.look.show_keys {
            return;
        }
        self.keys = keys.map(|k| {
            let count = k.chars().count();
            let tail = match count > KEYS_MAX {
                true => format!("…{}", k.chars().skip(count - KEYS_MAX + 1).collect::<String>()),
                false => k,
            };
            (tail, None)
        });
        self.set_focus(self.stage.frames.focus());
    }
}

/// What each kind of step does.
impl<W: Write> Director<'_, W> {
    /// Runs step `index`.
    async fn execute(&mut self, index: usize, step: &Step) -> Result<(), Fault> {
        let pane = step.pane;
        // Output held for redaction is shown at the time it came, before
        // a step moves the clock on.
        self.stage.pump()?;
        self.stage.release_held(true);
        if self.follows_a_wait(index) {
            // A person reads what they waited for before typing on.
            let at = self.stage.frames.now() + self.scene.beat;
            self.reach(at).await?;
        }
        if let Some((_, Some(until))) = self.keys
            && until <= self.stage.frames.now()
        {
            self.stage.sync()?;
            self.show_keys(None);
        }
        if step.action.is_input() {
            self.stage.flush()?;
            self.set_focus(pane);
        }
        match &step.action {
            Action::Pause(d) => {
                let until = self.stage.frames.now() + *d;
                // The pause's own time lets the programs finish answering.
                self.stage.await_panes_still(*d).await?;
                self.stage.sync()?;
                self.reach(until).await?;
            }
            Action::Type { text, rhythm } => {
                self.show_keys(Some(text.replace('\n', " Enter ")));
                let mut at = self.stage.frames.now();
                let chars: Vec<char> = text.chars().collect();
                for (k, (ch, pause)) in chars.iter().zip(rhythm).enumerate() {
                    self.reach(at).await?;
                    let key = if *ch == '\n' { Key::Enter } else { Key::Char(*ch) };
                    self.stage.type_key(pane, key, &chars[k..], at).await?;
                    at += *pause;
                }
                self.reach(at).await?;
            }
            Action::Keys { keys, delay } => {
                let mut at = self.stage.frames.now();
                for (k, key) in keys.iter().enumerate() {
                    self.reach(at).await?;
                    // What the last key drew is in the frame before.
                    self.stage.sync()?;
                    let pressed: Vec<String> = keys[..=k].iter().map(Key::to_string).collect();
                    self.show_keys(Some(pressed.join(" ")));
                    self.stage.press(pane, *key, at).await?;
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
                self.run_command(index, pane, command, rhythm, *enter_delay, *expect_exit)
                    .await?;
            }
            Action::Wait { until, timeout } => self.wait(pane, until, *timeout).await?,
            Action::Marker(label) => {
                self.stage.await_panes_still(HOLD_MAX).await?;
                self.stage.sync()?;
                self.stage.frames.marker(label)?;
                // A chapter title, when the status line shows `{chapter}`.
                let right = status_right(self.scene, self.options.start_time, label);
                self.stage.frames.set_chrome(|chrome| chrome.status_right = right);
                self.stage.flush()?;
            }
            Action::Caption(text) => {
                self.stage.sync()?;
                self.stage.frames.set_chrome(|chrome| chrome.caption = text.clone());
                self.stage.flush()?;
            }
            Action::Clear => self.clear(pane).await?,
            Action::Focus => self.set_focus(pane),
            Action::Hide => {
                self.stage.sync()?;
                self.stage.frames.hide();
            }
            Action::Show => self.stage.show()?,
            Action::Open(_) | Action::Close | Action::Resize { .. } | Action::Zoom(_) | Action::Layout(_) => {
                self.change_layout(pane, &step.action).await?
            }
        }
        if let Some((_, until)) = &mut self.keys
            && until.is_none()
        {
            *until = Some(self.stage.frames.now() + KEYS_SHOWN);
        }
        Ok(())
    }

    /// Whether step `index` types (`type`, `run`, `keys`) right after a
    /// `wait`.
    fn follows_a_wait(&self, index: usize) -> bool {
        let steps = &self.scene.steps;
        let typing = matches!(
            steps[index].action,
            Action::Type { .. } | Action::Run { .. } | Action::Keys { .. }
        );
        typing && index > 0 && matches!(steps[index - 1].action, Action::Wait { .. })
    }

    /// A `run` step: types `command` at the pane's prompt with `rhythm`
    /// (the pause after each key; the beat before Enter replaces the
    /// last), presses Enter, and starts it (in the pane's shell, or as
    /// `sh -c`).
    async fn run_command(
        &mut self,
        index: usize,
        pane: usize,
        command: &str,
        rhythm: &[Duration],
        enter_delay: Duration,
        expect: ExpectExit,
    ) -> Result<(), Fault> {
        let p = &self.stage.panes[pane];
        if let Some(job) = &p.job {
            let problem = format!(
                "the pane is still running `{}` (started by step {})",
                job.command,
                job.step + 1
            );
            return Err(Fault::Problem(problem));
        }
        if p.has_shell() && p.process.is_none() {
            return Err(Fault::Problem("the pane's shell has exited".into()));
        }
        let mut at = self.stage.frames.now();
        let count = rhythm.len();
        let chars: Vec<char> = command.chars().collect();
        for (k, (ch, pause)) in chars.iter().zip(rhythm).enumerate() {
            self.reach(at).await?;
            self.stage.type_key(pane, Key::Char(*ch), &chars[k..], at).await?;
            // The beat before Enter replaces the last keystroke's pause.
            at += if k + 1 == count { enter_delay } else { *pause };
        }
        self.reach(at).await?;
        let job = Job::new(index, command.to_string(), expect, at);
        if self.stage.panes[pane].has_shell() {
            self.stage.panes[pane].job = Some(job);
            return self.stage.press(pane, Key::Enter, at).await;
        }
        self.stage.sync()?;
        self.stage.panes[pane].term.process(b"\r\n");
        // Not emitted yet: the program's first output joins Enter's frame
        // when it comes at once.
        self.stage.frames.changed_at(at);
        let launch = self.launch(pane, "/bin/sh".into(), vec!["-c".into(), command.to_string()]);
        self.stage.frames.clock_mut().input(pane);
        self.stage
            .spawn(pane, &launch)
            .map_err(|e| Fault::Problem(format!("cannot start `{command}`: {e}")))?;
        self.stage.panes[pane].job = Some(job);
        Ok(())
    }

    /// A `clear` step: empties the pane's screen, and has its prompt drawn
    /// again.
    async fn clear(&mut self, pane: usize) -> Result<(), Fault> {
        self.stage.sync()?;
        let p = &mut self.stage.panes[pane];
        p.term.process(b"\x1b[0m\x1b[H\x1b[2J\x1b[3J");
        let (shell_at_prompt, idle) = (p.has_shell() && !p.busy(), p.process.is_none());
        self.stage.frames.changed();
        if shell_at_prompt {
            // Ctrl-L: readline redraws the prompt and the line being edited.
            self.stage.write_to(pane, b"\x0c").await?;
            self.stage.settle(pane, Echo::NONE).await?;
        } else if idle {
            self.stage.prompt(pane);
        }
        self.stage.flush()
    }

    /// A `wait` step: until the pane shows what it waits for, or its
    /// program ends, within `timeout` of real time.
    async fn wait(&mut self, pane: usize, until: &Until, timeout: Duration) -> Result<(), Fault> {
        let deadline = Instant::now() + timeout;
        let mut settled = false;
        loop {
            self.stage.pump()?;
            let p = &self.stage.panes[pane];
            let met = match until {
                Until::Exit => !p.busy(),
                Until::Text(t) => p.term.screen().contents().contains(t.as_str()),
                Until::Regex(r) => r.is_match(&p.term.screen().contents()),
            };
            // A match is taken once the pane is still, so that where it
            // falls in a redraw never depends on how the reads were cut.
            if met && self.stage.panes[pane].process.is_some() && !settled {
                self.stage.await_still_in(std::iter::once(pane), HOLD_MAX).await?;
                settled = true;
                continue;
            }
            if met {
                return Ok(());
            }
            settled = false;
            if p.process.is_none() {
                let problem = format!("no program is running, so {until} can never appear{}", p.last_lines());
                return Err(Fault::Problem(problem));
            }
            if !self.stage.idle(deadline).await? {
                let problem = format!(
                    "timed out after {timeout:?} waiting for {until}{}",
                    self.stage.panes[pane].last_lines()
                );
                return Err(Fault::Problem(problem));
            }
        }
    }

    /// Moves cast time to `t`: at once, or with `--realtime` by waiting
    /// (handling output meanwhile). Keys shown whose time ends before go
    /// then.
    async fn reach(&mut self, t: Duration) -> Result<(), Fault> {
        if let Some((_, Some(until))) = self.keys
            && until <= t
        {
            self.advance(until).await?;
            self.stage.sync()?;
            self.show_keys(None);
            self.stage.flush()?;
        }
        self.advance(t).await
    }

    /// Moves cast time to `t` ([`Director::reach`]).
    async fn advance(&mut self, t: Duration) -> Result<(), Fault> {
        if self.options.realtime && !self.stage.frames.clock().is_frozen() {
            let wait = t.saturating_sub(self.stage.frames.now());
            let deadline = Instant::now() + wait;
            while self.stage.idle(deadline).await? {}
        }
        self.stage.frames.clock_mut().reach(t);
        Ok(())
    }
}

/// Pane `i` of `scene`, empty, of `size`, behind its own redactor.
fn new_pane<'s>(scene: &'s Scene, options: &Options, i: usize, size: crate::geometry::Size) -> Pane<'s> {
    let redactor = Redactor::new(options.identity.clone(), scene.privacy.redact.clone());
    let mut term = Emulator::new(size);
    if scene.steps.iter().any(|s| s.action.changes_layout()) {
        // A pane that may grow keeps the lines it may bring back.
        let area = scene.layout.status_row.unwrap_or(scene.size.rows);
        term = term.with_history(usize::from(area));
    }
    term.set_colours(Colours::of(scene.theme.as_ref()));
    Pane::new(&scene.panes[i], term, redactor)
}

/// The right of the status line: the scene's template with the title,
/// the clock and the chapter (the last marker's label).
fn status_right(scene: &Scene, start: Option<chrono::DateTime<chrono::Utc>>, chapter: &str) -> String {
    let Some(status) = &scene.status else {
        return String::new();
    };
    let clock = start
        .map(|t| t.format("%H:%M %d-%b-%y").to_string())
        .unwrap_or_default();
    let text = status
        .right
        .replace("{title}", scene.title.as_deref().unwrap_or(""))
        .replace("{clock}", &clock)
        .replace("{chapter}", chapter);
    format!("{} ", text.trim_end())
}
