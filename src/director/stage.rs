//! The event loop: the panes at play and the frames they make.
//!
//! In: reports from the panes' programs (what they print, how they end)
//! through one bounded channel, so that a flood from one program applies
//! backpressure to it instead of growing memory; deadlines from the steps.
//! Out: each pane's screen kept up to date, held-back output released on
//! time, frames cut by [`Frames`], and a [`Fault`] when a command ends
//! as its step did not expect or a frame would show a private value.

use std::io::Write;
use std::time::Duration;

use tokio::sync::mpsc;
use tokio::time::Instant;

use crate::director::failure::{self, Ended, Fault, private_on_screen};
use crate::director::frames::{Echo, Frames, Screens, Stats};
use crate::director::marks::{self, Mark};
use crate::director::pane::{Job, Pane, QUIET};
use crate::privacy::Identity;
use crate::process::pty::{Launch, Program, Report};
use crate::screen::emulator::PaneView;
use crate::screen::layout::Layout;

/// Reports in flight from all panes; beyond this, readers wait.
const CHANNEL: usize = 64;
/// How long typing into a running program waits for its echo before the
/// next key, so echoes land between keystrokes rather than after them all.
const ECHO_WAIT: Duration = Duration::from_millis(50);
const SETTLE_MAX: Duration = Duration::from_millis(100);
/// The longest a key waits for its program to be done with it.
const RESPONSE_MAX: Duration = Duration::from_secs(1);
/// How often a program working on its input is looked at.
const RESPONSE_POLL: Duration = Duration::from_millis(1);

/// The panes, their programs' reports, and the frames they make.
pub(super) struct Stage<'s, W: Write> {
    pub panes: Vec<Pane<'s>>,
    pub frames: Frames<W>,
    /// The recording machine's private values, which no frame may show.
    identity: Identity,
    tx: mpsc::Sender<Report>,
    rx: mpsc::Receiver<Report>,
}

impl<'s, W: Write> Stage<'s, W> {
    /// The stage of `panes`, whose frames no private value of `identity`
    /// reaches.
    pub fn new(panes: Vec<Pane<'s>>, frames: Frames<W>, identity: Identity) -> Self {
        let (tx, rx) = mpsc::channel(CHANNEL);
        Self {
            panes,
            frames,
            identity,
            tx,
            rx,
        }
    }

    /// Starts a program in `pane`, reporting here.
    pub fn spawn(&mut self, pane: usize, launch: &Launch) -> std::io::Result<()> {
        let program = Program::spawn(pane, launch, self.tx.clone())?;
        self.panes[pane].process = Some(program);
        Ok(())
    }

    /// Draws director's prompt in `pane` (one without a shell).
    pub fn prompt(&mut self, pane: usize) {
        self.panes[pane].draw_prompt();
        self.frames.changed();
    }

    /// The frames, and the panes as they see them.
    fn parts(&mut self) -> (&mut Frames<W>, Shown<'_, 's>) {
        let shown = Shown {
            panes: &mut self.panes,
            identity: &self.identity,
        };
        (&mut self.frames, shown)
    }

    /// Cuts the pending frame.
    pub fn flush(&mut self) -> Result<(), Fault> {
        let (frames, mut shown) = self.parts();
        frames.cut(&mut shown)
    }

    /// Brings the cast up to date: handles every report already waiting,
    /// then cuts the pending frame.
    pub fn sync(&mut self) -> Result<(), Fault> {
        self.pump()?;
        self.flush()
    }

    /// Writes frames again ([`Frames::show`]).
    pub fn show(&mut self) -> Result<(), Fault> {
        self.pump()?;
        self.frames.show();
        self.flush()
    }

    /// Shows what the redactors held back, for panes whose time has come
    /// (or all, with `force`).
    pub fn release_held(&mut self, force: bool) {
        let now = Instant::now();
        for pane in 0..self.panes.len() {
            if self.panes[pane].held_until().is_some_and(|when| force || when <= now) {
                self.release_pane(pane);
            }
        }
    }

    /// Shows what `pane`'s redactor holds, at the time it came (never
    /// before what is already pending or written).
    fn release_pane(&mut self, pane: usize) {
        if let Some(at) = self.panes[pane].release_held() {
            let at = self.frames.no_earlier(at);
            self.frames.changed_at(at);
        }
    }

    /// Waits for one report (handling it) or a frame deadline; returns false
    /// when `deadline` passes first.
    pub async fn idle(&mut self, deadline: Instant) -> Result<bool, Fault> {
        self.idle_with(deadline, &mut Echo::default()).await
    }

    /// Answers the queries of every pane's program.
    async fn answer(&mut self) {
        for pane in &mut self.panes {
            pane.answer().await;
        }
    }

    /// [`Stage::idle`] while the response to a key is awaited.
    async fn idle_with(&mut self, deadline: Instant, echo: &mut Echo) -> Result<bool, Fault> {
        // Queries handled by `pump` are answered before waiting on.
        self.answer().await;
        let releases = self.panes.iter().filter_map(Pane::held_until);
        let (release_at, last_release) = (releases.clone().min(), releases.max());
        // A live frame waits for what is held (for a while at most: see
        // `pane`), so that held output is drawn in the frame of the time
        // it came.
        let due = self.frames.due();
        let flush_at = match (due, last_release) {
            (Some(f), Some(r)) => f.max(r),
            (f, _) => f.unwrap_or(deadline),
        };
        tokio::select! {
            _ = tokio::time::sleep_until(release_at.unwrap_or(deadline)), if release_at.is_some() => {
                self.release_held(false);
                Ok(true)
            }
            report = self.rx.recv() => {
                // The stage holds a sender, so the channel never closes.
                if let Some(report) = report {
                    self.handle(report, echo)?;
                }
                self.answer().await;
                Ok(true)
            }
            _ = tokio::time::sleep_until(flush_at), if due.is_some() => {
                self.flush()?;
                Ok(true)
            }
            // A program working on its input is looked at until it waits:
            // its response ends there.
            _ = tokio::time::sleep(RESPONSE_POLL), if self.any_responding() => {
                self.note_responses();
                Ok(true)
            }
            _ = tokio::time::sleep_until(deadline) => Ok(false),
        }
    }

    fn any_responding(&self) -> bool {
        (0..self.panes.len()).any(|p| self.frames.clock().responding(p))
    }

    /// Ends the response of each pane whose program has done what its
    /// last input asked.
    fn note_responses(&mut self) {
        for pane in 0..self.panes.len() {
            if self.frames.clock().responding(pane) && self.panes[pane].has_responded() {
                self.frames.clock_mut().responded(pane);
            }
        }
    }

    /// Handles every report already waiting.
    pub fn pump(&mut self) -> Result<(), Fault> {
        while let Ok(report) = self.rx.try_recv() {
            self.handle(report, &mut Echo::default())?;
            // A flood can keep the channel full for seconds: frames are
            // still cut on time.
            if self.frames.is_due(Instant::now()) {
                self.flush()?;
            }
        }
        Ok(())
    }

    /// Waits for the response to input in `pane` (an echo, a redrawn
    /// line): until the program waits again (up to `RESPONSE_MAX`) and has
    /// gone quiet, so that it is stamped at the keystroke (`echo`) rather
    /// than after the clock has moved on.
    pub async fn settle(&mut self, pane: usize, mut echo: Echo) -> Result<(), Fault> {
        let start = Instant::now();
        while !self.frames.is_pending() && self.idle_with(start + ECHO_WAIT, &mut echo).await? {}
        // A program slow to respond (a loaded machine, a file synced) is
        // given until it waits again, so that its response is not taken
        // for the next key's.
        let cap = start + RESPONSE_MAX;
        while self.frames.clock().responding(pane) && self.idle_with(cap, &mut echo).await? {}
        if self.frames.is_pending() {
            let cap = start + SETTLE_MAX;
            while self.idle_with((Instant::now() + QUIET).min(cap), &mut echo).await? {}
        }
        let (frames, mut shown) = self.parts();
        frames.key_settled(&mut shown)
    }

    fn handle(&mut self, report: Report, echo: &mut Echo) -> Result<(), Fault> {
        match report {
            Report::Output { pane, bytes } => self.output(pane, &bytes, *echo),
            Report::Exited { pane, status } => self.exited(pane, Ended::of(&status), echo),
        }
    }

    fn output(&mut self, pane: usize, bytes: &[u8], echo: Echo) -> Result<(), Fault> {
        let marks = self.panes[pane].scan_marks(bytes);
        // Each mark takes effect where it stands in the read.
        for (range, marks) in marks::parts(bytes, marks) {
            if marks.iter().any(|m| matches!(m, Mark::CommandDone(_))) {
                // What the shell prints after its command, up to its
                // prompt, is stamped as the command's end.
                self.frames.clock_mut().ending(pane);
            }
            self.shown_at(pane, &bytes[range], echo, marks)?;
        }
        Ok(())
    }

    /// Stamps and shows what `pane`'s program printed, then acts on the
    /// prompt `marks` found in it.
    fn shown_at(&mut self, pane: usize, bytes: &[u8], echo: Echo, marks: Vec<Mark>) -> Result<(), Fault> {
        let (frames, mut shown) = self.parts();
        let at = frames.stamp_output(pane, echo, &mut shown)?;
        self.panes[pane].feed(bytes, at);
        self.frames.changed_at(at);
        for mark in marks {
            match mark {
                Mark::CommandDone(status) => self.panes[pane].command_done(status),
                Mark::CommandStart => self.frames.clock_mut().started(pane),
                // The prompt is drawn and bash reads input: the command (if
                // any) is over, typing may begin, and nothing will finish
                // the prompt's line before.
                Mark::PromptEnd => {
                    self.frames.clock_mut().prompt_drawn(pane);
                    self.release_pane(pane);
                    let status = self.panes[pane].prompt_drawn();
                    if let Some(job) = self.panes[pane].job.take() {
                        self.check_exit(pane, job, Ended::Status(status))?;
                    }
                }
            }
        }
        Ok(())
    }

    fn exited(&mut self, pane: usize, ended: Ended, echo: &mut Echo) -> Result<(), Fault> {
        let (frames, mut shown) = self.parts();
        let at = frames.stamp_exit(pane, *echo, &mut shown)?;
        self.panes[pane].ended();
        if let Some(job) = self.panes[pane].job.take() {
            self.check_exit(pane, job, ended)?;
        }
        if !self.panes[pane].has_shell() {
            self.panes[pane].draw_prompt();
            self.frames.changed_by(echo);
        }
        self.frames.changed_at(at);
        Ok(())
    }

    fn check_exit(&self, pane: usize, job: Job, ended: Ended) -> Result<(), Fault> {
        let cols = self.frames.rect(pane).size.cols;
        failure::check_exit(&self.panes[pane], cols, job, ended)
    }

    /// Ends the recording: what is held back is shown at the time it came,
    /// the last picture is held for the scripted time after it, programs
    /// still running are killed and the cast is finished.
    pub fn finish(mut self) -> Result<(W, Stats), Fault> {
        self.pump()?;
        self.release_held(true);
        if self.frames.is_hidden() {
            self.show()?;
        }
        self.flush()?;
        let stats = self.frames.hold_last_picture()?;
        for pane in &mut self.panes {
            pane.process = None;
        }
        Ok((self.frames.finish()?, stats))
    }
}

/// The panes as a frame sees them, and the values no frame may show.
struct Shown<'a, 's> {
    panes: &'a mut [Pane<'s>],
    identity: &'a Identity,
}

impl Screens for Shown<'_, '_> {
    fn views(&mut self) -> Vec<PaneView<'_>> {
        self.panes.iter_mut().map(|p| p.term.view()).collect()
    }

    fn release_held(&mut self, except: Option<usize>) {
        for (i, pane) in self.panes.iter_mut().enumerate() {
            if Some(i) != except {
                pane.release_held();
            }
        }
    }

    /// Fails the recording if the frame about to be written at `time`
    /// shows a private value in a pane (as its rows read, a wrapped line
    /// joined). Panes are checked when they changed. The status line is
    /// the scene's text (pane names, title, status text) and a clock,
    /// checked once before recording ([`crate::privacy::check_scene`]).
    fn vet(&mut self, time: Duration, layout: &Layout) -> Result<(), Fault> {
        if self.identity.is_empty() {
            return Ok(());
        }
        for (i, pane) in self.panes.iter_mut().enumerate() {
            if let Some((row, kind)) = pane.find_private(self.identity) {
                let screen_row = usize::from(layout.panes[i].row) + row + 1;
                let place = format!("pane \"{}\" (screen row {screen_row})", pane.spec.name);
                return Err(Fault::Problem(private_on_screen(&place, kind, time)));
            }
        }
        Ok(())
    }
}
