//! How a command fails, and how it says so.
//!
//! In: what went wrong at any stage — a scene that does not parse, an OUT
//! that is refused, a program that failed, a stop signal — as a
//! [`Failure`]. Out: an [`Error`], one or more problems with the [`Exit`]
//! code that ends the command. Every subcommand returns one; `main` prints
//! it once ([`Error::print`]) and exits with its code. No subcommand
//! prints an error itself.

use std::fmt::{self, Write as _};
use std::io;
use std::path::PathBuf;

use crate::director::RecordError;
use crate::output::OutputError;
use crate::scene::LoadError;
use crate::scene::diagnostic::Paint;
use crate::signals::Stop;

/// How a failed command ends: the exit codes `director --help` documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// 1: the recording or the check failed (a program misbehaved, a file
    /// is invalid).
    Failed,
    /// 2: the scene, the command line or OUT is invalid; nothing was
    /// recorded.
    Usage,
    /// 128 + the signal: stopped; every program killed, nothing written.
    Stopped(Stop),
}

impl Exit {
    /// The process's exit code.
    pub fn code(self) -> u8 {
        match self {
            Exit::Failed => 1,
            Exit::Usage => 2,
            Exit::Stopped(stop) => stop.exit_code(),
        }
    }
}

/// What went wrong.
///
/// A variant whose message already holds its cause (a path and the
/// system's reason) has no [`source`](std::error::Error::source); the
/// others pass their causes on, which `main` prints as `caused by:` lines.
#[derive(Debug, thiserror::Error)]
pub enum Failure {
    /// A scene file that cannot be read or holds no valid scene.
    #[error(transparent)]
    Scene(#[from] LoadError),
    /// OUT cannot take a cast (found before recording), or the finished
    /// cast could not be put there.
    #[error("{0}")]
    Output(OutputError),
    /// A recording that failed: a program, a wait, writing the cast.
    #[error(transparent)]
    Record(#[from] RecordError),
    /// The scene itself would publish a private value.
    #[error("{0}")]
    Private(String),
    /// The command line asks for what director cannot do.
    #[error(transparent)]
    Usage(#[from] Usage),
    /// Stopped by a signal.
    #[error("stopped by {}; every program was killed and nothing was written", .0.name())]
    Stopped(Stop),
    /// Something director needed could not be done: `what`, then the
    /// system's reason.
    #[error("{what}: {error}")]
    Io { what: String, error: io::Error },
    /// A file that is not a valid asciicast: its name, then what is wrong.
    #[error("{name}: {error}")]
    Cast {
        name: String,
        error: Box<dyn std::error::Error + Send + Sync>,
    },
    /// Any other failure, with its causes.
    #[error(transparent)]
    Other(Box<dyn std::error::Error + Send + Sync>),
}

impl Failure {
    /// The exit code this failure ends a command with on its own.
    pub fn exit(&self) -> Exit {
        match self {
            Failure::Scene(_) | Failure::Usage(_) => Exit::Usage,
            Failure::Output(e) if e.before_recording() => Exit::Usage,
            Failure::Stopped(stop) => Exit::Stopped(*stop),
            Failure::Output(_)
            | Failure::Record(_)
            | Failure::Private(_)
            | Failure::Io { .. }
            | Failure::Cast { .. }
            | Failure::Other(_) => Exit::Failed,
        }
    }
}

impl From<OutputError> for Failure {
    fn from(e: OutputError) -> Self {
        Failure::Output(e)
    }
}

/// A command line that asks for something director cannot do (exit 2):
/// each says which option or argument is at fault.
#[derive(Debug, thiserror::Error)]
pub enum Usage {
    #[error("--realtime cannot record a deterministic scene (deterministic = true, or --deterministic)")]
    RealtimeDeterministic,
    /// `director record PATH` where PATH is (or is named like) a scene.
    #[error(
        "{path} looks like a scene, not an output file: with one path, director records its built-in demo into that path\n  \
         did you mean: director record {path} {cast}?",
        path = .0.display(),
        cast = .0.with_extension("cast").display()
    )]
    SceneAsOut(PathBuf),
    #[error("no scenes (*.toml, *.json) in {}", .0.display())]
    NoScenes(PathBuf),
    /// `director render` asked for a picture it cannot make.
    #[error("{0}")]
    Render(String),
    /// `--from`/`--to` or their markers name no part of the cast.
    #[error("{0}")]
    Part(String),
    /// An edit that reads its cast twice, given one that can be read once.
    #[error(
        "{} is not a regular file, and --scrub, --trim, --fit and markers read the cast twice: save it to a file first",
        .0.display()
    )]
    ReadTwice(PathBuf),
    #[error("cannot read {}: {error}", .dir.display())]
    Folder { dir: PathBuf, error: io::Error },
}

/// One thing that went wrong, and the scene it concerns when a command
/// handles several (`build`).
#[derive(Debug)]
pub struct Problem {
    pub scene: Option<PathBuf>,
    pub failure: Failure,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.scene {
            Some(scene) => write!(f, "{}: {}", scene.display(), self.failure),
            None => write!(f, "{}", self.failure),
        }
    }
}

/// Why a command did not do what it was asked, and how it ends.
#[derive(Debug)]
pub struct Error {
    pub exit: Exit,
    /// What went wrong, in the order found: one, or one per scene when a
    /// command goes on past the first (`build`).
    pub problems: Vec<Problem>,
    /// The command's closing line, printed after the problems as it is
    /// (what `build` did besides failing).
    pub summary: Option<String>,
}

impl Error {
    pub fn new(exit: Exit, problems: Vec<Problem>) -> Self {
        Self {
            exit,
            problems,
            summary: None,
        }
    }

    /// `what` could not be done, for the system's reason `error` (exit 1).
    pub fn io(what: impl Into<String>, error: io::Error) -> Self {
        Failure::Io {
            what: what.into(),
            error,
        }
        .into()
    }

    /// The same error, closed by `summary`.
    pub fn with_summary(self, summary: impl Into<String>) -> Self {
        Self {
            summary: Some(summary.into()),
            ..self
        }
    }

    /// The only failure, when there is one.
    pub fn failure(&self) -> Option<&Failure> {
        match self.problems.as_slice() {
            [problem] => Some(&problem.failure),
            _ => None,
        }
    }

    /// The error as `main` prints it: each problem after an `error:` drawn
    /// with `paint`, its causes on `  caused by:` lines, a scene's
    /// diagnostics at their places; then the summary.
    pub fn render(&self, paint: Paint) -> String {
        let mut out = String::new();
        for problem in &self.problems {
            // Writing to a String cannot fail.
            if let Failure::Scene(LoadError::Scene(e)) = &problem.failure {
                let _ = writeln!(out, "{}", e.painted(paint));
                continue;
            }
            let _ = writeln!(out, "{} {problem}", paint.error());
            let mut cause = std::error::Error::source(&problem.failure);
            while let Some(e) = cause {
                let _ = writeln!(out, "  caused by: {e}");
                cause = e.source();
            }
        }
        if let Some(summary) = &self.summary {
            let _ = writeln!(out, "{summary}");
        }
        out
    }

    /// Prints the error on stderr, coloured when stderr is a terminal and
    /// `NO_COLOR` is unset or empty.
    pub fn print(&self) {
        use std::io::IsTerminal;
        let colour = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
        let paint = if colour { Paint::Coloured } else { Paint::Plain };
        eprint!("{}", self.render(paint));
    }
}

impl<T: Into<Failure>> From<T> for Error {
    fn from(failure: T) -> Self {
        let failure = failure.into();
        Error::new(failure.exit(), vec![Problem { scene: None, failure }])
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let lines = self.problems.iter().map(|p| p.to_string()).chain(self.summary.clone());
        f.write_str(&lines.collect::<Vec<_>>().join("\n"))
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.failure().and_then(std::error::Error::source)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scene::{Diagnostic, SceneError};

    fn write_failed() -> Error {
        RecordError::Write(io::Error::other("disk full")).into()
    }

    #[test]
    fn exit_codes_are_the_documented_ones() {
        assert_eq!(Exit::Failed.code(), 1);
        assert_eq!(Exit::Usage.code(), 2);
        assert_eq!(Exit::Stopped(Stop { number: 2 }).code(), 130);
        assert_eq!(Error::from(Usage::RealtimeDeterministic).exit, Exit::Usage);
        assert_eq!(write_failed().exit, Exit::Failed);
        assert_eq!(
            Error::from(OutputError::Directory("d".into())).exit,
            Exit::Usage,
            "OUT refused before recording"
        );
        assert_eq!(
            Error::from(OutputError::Stopped("f".into())).exit,
            Exit::Failed,
            "OUT failed after recording"
        );
    }

    #[test]
    fn causes_follow_the_message_and_the_summary_closes() {
        assert_eq!(
            write_failed().render(Paint::Plain),
            "error: cannot write the cast\n  caused by: disk full\n"
        );
        let Error { problems, .. } = write_failed();
        let problems = problems
            .into_iter()
            .map(|p| Problem {
                scene: Some("a.toml".into()),
                ..p
            })
            .collect();
        let e = Error::new(Exit::Failed, problems).with_summary("rebuilt 0 of 1");
        assert_eq!(
            e.render(Paint::Coloured),
            "\x1b[1;31merror:\x1b[0m a.toml: cannot write the cast\n  caused by: disk full\nrebuilt 0 of 1\n"
        );
    }

    #[test]
    fn a_message_that_names_its_cause_is_not_followed_by_it() {
        let e = Error::from(OutputError::Unwritable {
            path: "out.cast".into(),
            source: io::Error::other("read-only"),
        });
        assert_eq!(e.render(Paint::Plain), "error: cannot write out.cast: read-only\n");
    }

    #[test]
    fn scene_diagnostics_have_each_header_painted() {
        let source = "a = 1\nb = 2\n";
        let e = Error::from(LoadError::Scene(SceneError {
            file: "s.toml".into(),
            source_text: source.into(),
            diagnostics: vec![Diagnostic::new("bad a", 0..1), Diagnostic::new("bad b", 6..7)],
        }));
        assert_eq!(e.exit, Exit::Usage);
        let plain = e.render(Paint::Plain);
        let coloured = e.render(Paint::Coloured);
        assert!(plain.starts_with("error: bad a\n"), "{plain}");
        assert_eq!(
            coloured.matches("\x1b[1;31merror:\x1b[0m bad ").count(),
            2,
            "{coloured}"
        );
        assert_eq!(coloured.replace("\x1b[1;31merror:\x1b[0m", "error:"), plain);
    }
}
