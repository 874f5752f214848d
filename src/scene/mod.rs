//! The scene: what to record, parsed and validated into typed values.
//!
//! Nothing downstream re-parses strings: durations are `Duration`s, regexes
//! are compiled, pane references are indices.

pub mod diagnostic;
pub mod duration;
mod parse;
pub mod theme;
mod vars;

use std::path::PathBuf;
use std::time::Duration;

pub use diagnostic::{Diagnostic, SceneError};
pub use parse::parse;

use crate::geometry::Size;
use crate::term::layout::Split;
use crate::term::style::Style;

/// The built-in TCP demo scene (the same text as `recordings/tcp.toml`).
pub const BUILTIN_TCP: &str = include_str!("../../recordings/tcp.toml");
/// The name the built-in scene goes by in messages.
pub const BUILTIN_NAME: &str = "<built-in tcp scene>";

/// A validated scene.
#[derive(Debug, Clone)]
pub struct Scene {
    pub title: Option<String>,
    pub size: Size,
    /// `TERM` for every pane's program.
    pub term: String,
    pub status: bool,
    pub split: Split,
    /// Output arriving within one interval is coalesced into one event.
    pub frame_interval: Duration,
    /// Player colours for the cast header.
    pub theme: Option<crate::asciicast::Theme>,
    pub panes: Vec<PaneSpec>,
    pub steps: Vec<Step>,
}

/// One pane of the layout.
#[derive(Debug, Clone)]
pub struct PaneSpec {
    pub name: String,
    pub prompt: String,
    pub prompt_style: Style,
    pub cwd: Option<PathBuf>,
    pub env: Vec<(String, String)>,
}

/// One scripted step, with the scene line it came from for messages.
#[derive(Debug, Clone)]
pub struct Step {
    pub line: usize,
    /// Index into [`Scene::panes`].
    pub pane: usize,
    pub action: Action,
}

/// What a step does.
#[derive(Debug, Clone)]
pub enum Action {
    /// Type text keystroke by keystroke.
    Type { text: String, delay: Duration },
    /// Type a command, wait a beat, press Enter and start it as `sh -c COMMAND`.
    Run {
        command: String,
        delay: Duration,
        enter_delay: Duration,
        expect_exit: ExpectExit,
    },
    /// Wait until the pane shows something or its program exits.
    Wait { until: Until, timeout: Duration },
    /// Hold the picture.
    Pause(Duration),
}

impl Action {
    /// The step's kind as the scene spells it.
    pub fn kind(&self) -> &'static str {
        match self {
            Action::Type { .. } => "type",
            Action::Run { .. } => "run",
            Action::Wait { .. } => "wait",
            Action::Pause(_) => "pause",
        }
    }
}

/// What a `wait` step waits for.
#[derive(Debug, Clone)]
pub enum Until {
    Text(String),
    Regex(regex::Regex),
    Exit,
}

impl std::fmt::Display for Until {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Until::Text(t) => write!(f, "the text {t:?}"),
            Until::Regex(r) => write!(f, "the regex /{}/", r.as_str()),
            Until::Exit => f.write_str("its program to exit"),
        }
    }
}

/// Which exit status a `run` step accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExpectExit {
    Code(i32),
    Any,
}

impl ExpectExit {
    pub fn accepts(self, code: Option<i32>) -> bool {
        match self {
            ExpectExit::Any => true,
            ExpectExit::Code(want) => code == Some(want),
        }
    }
}
