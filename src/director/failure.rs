//! Why a recording failed, told in the scene's terms.
//!
//! In: a [`Fault`] raised while the panes run (a problem, a command that
//! ended as its step did not expect, a private value about to be shown, a
//! write that failed), and which step was running. Out: a [`RecordError`]
//! naming the step, its line and its pane, and what the pane showed.

use std::os::unix::process::ExitStatusExt;
use std::process::ExitStatus;
use std::time::Duration;

use crate::director::pane::{Job, Pane};
use crate::privacy::Kind;
use crate::scene::{ExpectExit, Scene};
use crate::signals;

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

/// What went wrong, before it is told whose it is.
#[derive(Debug)]
pub(super) enum Fault {
    /// A problem of the step that is running (between steps: of the pane
    /// in focus).
    Problem(String),
    /// A problem of the step with this index: a command it started ended
    /// in a way it did not expect, maybe steps later.
    OfStep {
        step: usize,
        problem: String,
    },
    /// A problem of a pane before any step ran (its shell).
    OfPane {
        pane: usize,
        problem: String,
    },
    Write(std::io::Error),
}

impl From<std::io::Error> for Fault {
    fn from(e: std::io::Error) -> Self {
        Fault::Write(e)
    }
}

impl Fault {
    /// Tells the failure in the scene's terms. `running` is the index of
    /// the step that was running (`None`: before the first step or after
    /// the last), `focus` the pane in focus.
    pub fn shape(self, scene: &Scene, running: Option<usize>, focus: usize) -> RecordError {
        let (step, problem) = match self {
            Fault::Write(e) => return RecordError::Write(e),
            Fault::OfPane { pane, problem } => {
                return RecordError::Pane {
                    pane: scene.panes[pane].name.clone(),
                    problem,
                };
            }
            Fault::Problem(problem) => (running, problem),
            Fault::OfStep { step, problem } => (Some(step), problem),
        };
        match step.and_then(|i| Some((i, scene.steps.get(i)?))) {
            Some((i, step)) => RecordError::Step {
                number: i + 1,
                kind: step.action.kind(),
                line: step.line,
                pane: scene.panes[step.pane].name.clone(),
                problem,
            },
            None => RecordError::Pane {
                pane: scene.panes[focus].name.clone(),
                problem,
            },
        }
    }
}

/// How a pane's program ended.
pub(super) enum Ended {
    Status(i32),
    Signal(i32),
    Other(String),
}

impl Ended {
    /// How a program that was waited for ended.
    pub fn of(status: &std::io::Result<ExitStatus>) -> Self {
        match status {
            Ok(s) => match (s.code(), s.signal()) {
                (Some(c), _) => Ended::Status(c),
                (None, Some(sig)) => Ended::Signal(sig),
                (None, None) => Ended::Other("ended abnormally".into()),
            },
            Err(e) => Ended::Other(format!("could not be waited for: {e}")),
        }
    }

    /// The status a shell would give: 128 + the signal for a signal.
    fn code(&self) -> Option<i32> {
        match self {
            Ended::Status(c) => Some(*c),
            Ended::Signal(sig) => Some(128 + sig),
            Ended::Other(_) => None,
        }
    }
}

/// Fails the step that started `job` in `pane` (a terminal `cols` wide)
/// unless it expects how the job ended. The first line says what happened
/// and what the program last said (`address already in use`); a signal is
/// named, with the `expect_exit` that would accept it.
pub(super) fn check_exit(pane: &Pane<'_>, cols: u16, mut job: Job, ended: Ended) -> Result<(), Fault> {
    let code = ended.code();
    if code.is_some_and(|c| job.expect.accepts(c)) {
        return Ok(());
    }
    // bash reports a command a signal killed as 128 + the signal.
    let signal = match ended {
        Ended::Signal(sig) => Some(sig),
        Ended::Status(c) if pane.has_shell() && (129..=128 + 64).contains(&c) => Some(c - 128),
        _ => None,
    };
    let how = match (&ended, signal) {
        (Ended::Status(c), Some(sig)) => format!("ended with status {c}: killed by {}", signals::describe(sig)),
        (_, Some(sig)) => format!("was killed by {}", signals::describe(sig)),
        (Ended::Status(c), None) => format!("exited with status {c}"),
        (Ended::Other(what), None) => what.clone(),
        (Ended::Signal(_), None) => unreachable!("a signal death has its signal"),
    };
    let said = pane
        .last_output_line(job.said.make_contiguous(), cols)
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
    let problem = format!("`{}` {how}{want}{}", job.command, pane.last_lines());
    Err(Fault::OfStep {
        step: job.step,
        problem,
    })
}

/// Why a frame was not written: where the value would show and its kind,
/// never the value itself (the message may end up in a public CI log).
pub(super) fn private_on_screen(place: &str, kind: Kind, time: Duration) -> String {
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
