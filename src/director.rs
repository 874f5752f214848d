//! Runs a scene: executes its steps against the panes, turns what the panes
//! show into frames on the virtual clock, and hands them to the writer.
//!
//! One task owns every emulator and the clock; programs' output arrives
//! through a bounded channel, so a flood from one program applies
//! backpressure to it instead of growing memory.

use std::ffi::OsString;
use std::io::Write;
use std::time::Duration;

use tokio::sync::mpsc;
use tokio::time::Instant;

use crate::asciicast::{Code, v2};
use crate::geometry::Rect;
use crate::privacy::{Redaction, Redactor};
use crate::scene::{Action, ExpectExit, Scene, Step, Until};
use crate::term::compositor::{Chrome, Compositor, PaneView, emulator};
use crate::term::layout::Layout;
use crate::term::pty::{Launch, Program, Report};
use crate::term::style::Style;
use crate::timeline::Clock;

/// Reports in flight from all panes; beyond this, readers wait.
const CHANNEL: usize = 64;
/// How long typing into a running program waits for its echo before the
/// next key, so echoes land between keystrokes rather than after them all.
const ECHO_WAIT: Duration = Duration::from_millis(50);

/// Settings of one recording that do not come from the scene.
#[derive(Debug, Clone, Default)]
pub struct Options {
    pub redactions: Vec<Redaction>,
    /// Extra environment for every program (`PATH` leading to this binary).
    pub env: Vec<(OsString, OsString)>,
    /// Shown in the status line's clock (UTC).
    pub start_time: Option<chrono::DateTime<chrono::Utc>>,
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

struct Running {
    program: Program,
    /// Index of the step that started it, for messages.
    step: usize,
    command: String,
    expect: ExpectExit,
}

struct Pane {
    rect: Rect,
    term: vt100::Parser,
    redactor: Redactor,
    running: Option<Running>,
}

/// Records one scene into an asciicast v2 writer.
pub struct Director<'s, W: Write> {
    scene: &'s Scene,
    options: Options,
    panes: Vec<Pane>,
    compositor: Compositor,
    chrome: Chrome,
    clock: Clock,
    writer: v2::Writer<W>,
    events: usize,
    tx: mpsc::Sender<Report>,
    rx: mpsc::Receiver<Report>,
    /// Cast time of the first change not yet emitted.
    pending: Option<Duration>,
    flush_at: Option<Instant>,
    focus: usize,
    step: usize,
}

impl<'s, W: Write> Director<'s, W> {
    /// Prepares a recording. The scene must be validated (its layout fits).
    pub fn new(scene: &'s Scene, options: Options, writer: v2::Writer<W>) -> Self {
        let layout = Layout::split(scene.size, scene.panes.len(), scene.split, scene.status)
            .expect("a validated scene's layout fits");
        let panes = layout
            .panes
            .iter()
            .map(|rect| Pane {
                rect: *rect,
                term: emulator(rect.size),
                redactor: Redactor::new(options.redactions.clone()),
                running: None,
            })
            .collect();
        let (tx, rx) = mpsc::channel(CHANNEL);
        let chrome = Chrome {
            divider_style: Style::parse("green").unwrap_or_default(),
            status_style: Style::parse("black on green").unwrap_or_default(),
            status_left: String::new(),
            status_right: status_right(scene, options.start_time),
        };
        Self {
            scene,
            options,
            panes,
            compositor: Compositor::new(layout),
            chrome,
            clock: Clock::start(),
            writer,
            events: 0,
            tx,
            rx,
            pending: None,
            flush_at: None,
            focus: 0,
            step: 0,
        }
    }

    /// Runs every step, then writes the final frame. Programs still running
    /// at the end are killed.
    pub async fn run(mut self) -> Result<(W, Stats), RecordError> {
        for i in 0..self.panes.len() {
            self.prompt(i);
        }
        self.set_focus(self.scene.steps.first().map_or(0, |s| s.pane));
        self.flush()?;
        for (i, step) in self.scene.steps.iter().enumerate() {
            self.step = i;
            self.set_focus(step.pane);
            self.execute(step).await?;
        }
        self.pump()?;
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
            pane.running = None;
        }
        Ok((self.writer.finish()?, stats))
    }

    async fn execute(&mut self, step: &Step) -> Result<(), RecordError> {
        match &step.action {
            Action::Pause(d) => {
                self.pump()?;
                self.flush()?;
                self.clock.advance(*d);
            }
            Action::Type { text, delay } => {
                for ch in text.chars() {
                    self.keystroke(step.pane, ch, *delay).await?;
                }
            }
            Action::Run {
                command,
                delay,
                enter_delay,
                expect_exit,
            } => {
                if let Some(running) = &self.panes[step.pane].running {
                    let problem = format!(
                        "the pane is still running `{}` (started by step {})",
                        running.command,
                        running.step + 1
                    );
                    return Err(self.fail(problem));
                }
                for ch in command.chars() {
                    self.keystroke(step.pane, ch, *delay).await?;
                }
                self.clock.advance(enter_delay.saturating_sub(*delay));
                self.pump()?;
                self.flush()?;
                self.panes[step.pane].term.process(b"\r\n");
                self.changed();
                self.flush()?;
                self.start(step.pane, command, *expect_exit)?;
            }
            Action::Wait { until, timeout } => self.wait(step.pane, until, *timeout).await?,
        }
        Ok(())
    }

    fn start(&mut self, pane: usize, command: &str, expect: ExpectExit) -> Result<(), RecordError> {
        let spec = &self.scene.panes[pane];
        let mut env: Vec<(OsString, OsString)> = vec![
            ("TERM".into(), self.scene.term.clone().into()),
            ("SHELL".into(), "/bin/sh".into()),
        ];
        env.extend(self.options.env.iter().cloned());
        env.extend(spec.env.iter().map(|(k, v)| (k.into(), v.into())));
        let launch = Launch {
            command: command.to_string(),
            size: self.panes[pane].rect.size,
            env,
            cwd: spec.cwd.clone(),
        };
        match Program::spawn(pane, &launch, self.tx.clone()) {
            Ok(program) => {
                let step = self.step;
                self.panes[pane].running = Some(Running {
                    program,
                    step,
                    command: command.to_string(),
                    expect,
                });
                Ok(())
            }
            Err(e) => Err(self.fail(format!("cannot start `{command}`: {e}"))),
        }
    }

    async fn wait(&mut self, pane: usize, until: &Until, timeout: Duration) -> Result<(), RecordError> {
        let deadline = Instant::now() + timeout;
        loop {
            self.pump()?;
            let p = &self.panes[pane];
            let met = match until {
                Until::Exit => p.running.is_none(),
                Until::Text(t) => p.term.screen().contents().contains(t.as_str()),
                Until::Regex(r) => r.is_match(&p.term.screen().contents()),
            };
            if met {
                return Ok(());
            }
            if p.running.is_none() {
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
        let flush_at = self.flush_at.unwrap_or(deadline);
        tokio::select! {
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

    async fn keystroke(&mut self, pane: usize, ch: char, delay: Duration) -> Result<(), RecordError> {
        self.pump()?;
        self.flush()?;
        if let Some(running) = &mut self.panes[pane].running {
            let mut buf = [0u8; 4];
            let key = if ch == '\n' { "\r" } else { ch.encode_utf8(&mut buf) };
            if let Err(e) = running.program.write(key.as_bytes()).await {
                return Err(self.fail(format!("cannot type into the program: {e}")));
            }
            // Let the echo arrive so it is stamped at this keystroke.
            let deadline = Instant::now() + ECHO_WAIT;
            while self.pending.is_none() && self.idle(deadline).await? {}
            self.flush()?;
        } else {
            if ch == '\n' {
                self.panes[pane].term.process(b"\r\n");
                self.prompt(pane);
            } else {
                let mut buf = [0u8; 4];
                self.panes[pane].term.process(ch.encode_utf8(&mut buf).as_bytes());
            }
            self.changed();
            self.flush()?;
        }
        self.clock.advance(delay);
        Ok(())
    }

    /// Handles every report already waiting.
    fn pump(&mut self) -> Result<(), RecordError> {
        while let Ok(report) = self.rx.try_recv() {
            self.handle(report)?;
        }
        Ok(())
    }

    fn handle(&mut self, report: Report) -> Result<(), RecordError> {
        match report {
            Report::Output { pane, bytes } => {
                let p = &mut self.panes[pane];
                let shown = p.redactor.feed(&bytes);
                p.term.process(&shown);
                self.changed();
            }
            Report::Exited { pane, status } => {
                let p = &mut self.panes[pane];
                let rest = p.redactor.finish();
                p.term.process(&rest);
                let Some(running) = p.running.take() else { return Ok(()) };
                let code = status.as_ref().ok().and_then(|s| s.code());
                if !running.expect.accepts(code) {
                    let how = match &status {
                        Ok(s) => match (s.code(), std::os::unix::process::ExitStatusExt::signal(s)) {
                            (Some(c), _) => format!("exited with status {c}"),
                            (None, Some(sig)) => format!("was killed by signal {sig}"),
                            (None, None) => "ended abnormally".to_string(),
                        },
                        Err(e) => format!("could not be waited for: {e}"),
                    };
                    let want = match running.expect {
                        ExpectExit::Code(c) => format!(", expected {c}"),
                        ExpectExit::Any => String::new(),
                    };
                    self.step = running.step;
                    let problem = format!("`{}` {how}{want}{}", running.command, self.last_lines(pane));
                    return Err(self.fail(problem));
                }
                self.prompt(pane);
                self.changed();
            }
        }
        Ok(())
    }

    /// Draws the pane's prompt, on a fresh line if the cursor is not at the
    /// start of one (a program's output may not end with a newline).
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
        let left: Vec<String> = self
            .scene
            .panes
            .iter()
            .enumerate()
            .map(|(i, p)| format!("{i}:{}{}", p.name, if i == pane { "*" } else { "" }))
            .collect();
        let left = format!(" {}", left.join(" "));
        if left != self.chrome.status_left || pane != self.focus {
            self.chrome.status_left = left;
            self.focus = pane;
            self.changed();
        }
    }

    /// Notes that the picture changed; the frame is emitted at the latest
    /// one frame interval later, stamped with the time of this change.
    fn changed(&mut self) {
        if self.pending.is_none() {
            self.pending = Some(self.clock.now());
            self.flush_at = Some(Instant::now() + self.scene.frame_interval);
        }
    }

    fn flush(&mut self) -> Result<(), RecordError> {
        let Some(time) = self.pending.take() else { return Ok(()) };
        self.flush_at = None;
        let views: Vec<PaneView<'_>> = self
            .panes
            .iter()
            .map(|p| PaneView {
                screen: p.term.screen(),
            })
            .collect();
        let diff = self.compositor.frame(&views, &self.chrome, Some(self.focus));
        if !diff.is_empty() {
            self.emit(time, Code::Output, &diff)?;
        }
        Ok(())
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
        let step = &self.scene.steps[self.step.min(self.scene.steps.len().saturating_sub(1))];
        RecordError::Step {
            number: self.step + 1,
            kind: step.action.kind(),
            line: step.line,
            pane: self.scene.panes[step.pane].name.clone(),
            problem,
        }
    }
}

fn status_right(scene: &Scene, start: Option<chrono::DateTime<chrono::Utc>>) -> String {
    let clock = start.map(|t| t.format("%H:%M %d-%b-%y").to_string());
    let parts: Vec<String> = [scene.title.as_ref().map(|t| format!("\"{t}\"")), clock]
        .into_iter()
        .flatten()
        .collect();
    format!("{} ", parts.join(" "))
}
