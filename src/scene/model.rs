//! The validated scene model: what validation hands the director, with
//! every value parsed (durations, regexes, keys, pane indices, typing
//! rhythms) and the layout checked to fit.

use std::path::PathBuf;
use std::time::Duration;

use super::keys;
use crate::asciicast::Theme;
use crate::geometry::Size;
use crate::screen::layout::{Layout, LayoutError, PaneSize, Preset, Split, SplitOf};
use crate::screen::style::Style;

/// A validated scene.
#[derive(Debug, Clone)]
pub struct Scene {
    pub title: Option<String>,
    pub size: Size,
    /// `TERM` for every pane's program.
    pub term: String,
    /// The status line, if shown.
    pub status: Option<StatusLine>,
    /// Where each pane, divider and the status line go: `layout`, the
    /// panes' sizes or splits and `status` worked out, and known to fit.
    pub layout: Layout,
    /// Output arriving within one interval is coalesced into one event.
    pub frame_interval: Duration,
    /// Player colours for the cast header.
    pub theme: Option<Theme>,
    /// Borders, captions and keys.
    pub look: Look,
    pub panes: Vec<PaneSpec>,
    pub steps: Vec<Step>,
    /// Record reproducibly (also `--deterministic`).
    pub deterministic: bool,
    /// The grid real gaps are rounded to when deterministic.
    pub grid: Duration,
    /// The scene's typing delay: also the beat between a matched `wait`
    /// and the typing that follows it, as a person reads before typing.
    pub beat: Duration,
    /// Written into the cast header: players shorten longer pauses.
    pub idle_time_limit: Option<Duration>,
    pub privacy: Privacy,
}

/// What is hidden from the programs' output.
#[derive(Debug, Clone)]
pub struct Privacy {
    /// Replace the recording user's name, host name and home directory.
    pub user: bool,
    pub host: bool,
    pub home: bool,
    /// The scene's own replacements, applied line by line.
    pub redact: Vec<Redact>,
}

impl Default for Privacy {
    fn default() -> Self {
        Self {
            user: true,
            host: true,
            home: true,
            redact: Vec::new(),
        }
    }
}

/// A scene-declared replacement: values that differ between runs (ports,
/// PIDs, dates) or that must not be published.
#[derive(Debug, Clone)]
pub struct Redact {
    pub regex: regex::bytes::Regex,
    pub replace: String,
}

/// How the screen around the panes looks: borders, captions, keys.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Look {
    /// The dividers.
    pub border: Style,
    /// The active pane's border, as tmux tells which cells are its.
    pub active_border: Style,
    /// A caption in the status line.
    pub caption: Style,
    /// Show the keys each step presses, for a moment, in the status line.
    pub show_keys: bool,
}

impl Default for Look {
    fn default() -> Self {
        let style = |text| Style::parse(text).unwrap_or_default();
        Self {
            border: style("green"),
            active_border: style("bright-green"),
            caption: style("bold white on blue"),
            show_keys: false,
        }
    }
}

/// What the status line shows on its right; the left lists the panes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusLine {
    /// Template with `{title}`, `{clock}` and `{chapter}` (the last
    /// marker's label).
    pub right: String,
}

/// One pane of the layout.
#[derive(Debug, Clone)]
pub struct PaneSpec {
    pub name: String,
    pub prompt: String,
    pub prompt_style: Style,
    pub cwd: Option<PathBuf>,
    /// What the programs get of director's environment: the scene's
    /// `inherit` and the pane's together.
    pub inherit: Inherit,
    /// The scene's `[env]`, then the pane's `env` over it; each name once.
    pub env: Vec<(String, String)>,
    /// A real shell that reads what is typed (`bash`), or none: then each
    /// `run` starts `sh -c COMMAND` and director draws the prompt.
    pub shell: Option<String>,
    pub size: Option<PaneSize>,
    /// The title on its border line (`pane_titles`); its name if none.
    pub title: Option<String>,
}

/// Which of director's own variables a pane's programs get beyond the few
/// that every program gets (`PATH`, `HOME`, the locale…): a credential in
/// director's environment reaches a pane only when a scene asks for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Inherit {
    /// These names, when director has them (none by default).
    Names(Vec<String>),
    /// Every variable but those describing director's own terminal.
    All,
}

impl Default for Inherit {
    fn default() -> Self {
        Inherit::Names(Vec::new())
    }
}

impl Inherit {
    /// What this and `more` pass together.
    pub fn and(self, more: Inherit) -> Inherit {
        match (self, more) {
            (Inherit::Names(mut names), Inherit::Names(more)) => {
                for name in more {
                    if !names.contains(&name) {
                        names.push(name);
                    }
                }
                Inherit::Names(names)
            }
            _ => Inherit::All,
        }
    }
}

/// One scripted step, with the scene line it came from for messages.
#[derive(Debug, Clone)]
pub struct Step {
    pub line: usize,
    /// Index into [`Scene::panes`].
    pub pane: usize,
    pub action: Action,
}

/// What a step does. Each variant is one step kind of the scene; its name
/// (`Action::kind`) and the options it takes come from the one table of
/// step kinds that validation reads steps with.
#[derive(Debug, Clone)]
pub enum Action {
    /// Type text keystroke by keystroke; `rhythm[i]` is the pause after key `i`.
    Type { text: String, rhythm: Vec<Duration> },
    /// Type a command, wait a beat, press Enter and run it.
    Run {
        command: String,
        rhythm: Vec<Duration>,
        enter_delay: Duration,
        expect_exit: ExpectExit,
    },
    /// Send named keys to the pane's program, `delay` apart.
    Keys { keys: Vec<keys::Key>, delay: Duration },
    /// Wait until the pane shows something or its program exits.
    Wait { until: Until, timeout: Duration },
    /// Hold the picture.
    Pause(Duration),
    /// A chapter marker in the cast.
    Marker(String),
    /// Clear the pane's screen.
    Clear,
    /// Mark the pane active in the status line.
    Focus,
    /// Stop recording frames (setup steps still run and still draw).
    Hide,
    /// Resume recording frames.
    Show,
    /// Open the step's pane by splitting an open one; its program starts.
    Open(SplitOf),
    /// Close the step's pane; its program is hung up, as tmux's
    /// `kill-pane` does.
    Close,
    /// Resize the step's pane: columns, rows, or both (cells, or a
    /// fraction of the area under the status line).
    Resize {
        cols: Option<PaneSize>,
        rows: Option<PaneSize>,
    },
    /// Zoom the step's pane to the whole area (`true`), or undo the zoom.
    Zoom(bool),
    /// Place the open panes by a tmux preset.
    Layout(Preset),
    /// Show a caption in the status line until the next (empty: none).
    Caption(String),
}

impl Action {
    /// Whether the step types into its pane (which makes the pane active).
    pub fn is_input(&self) -> bool {
        matches!(
            self,
            Action::Type { .. } | Action::Run { .. } | Action::Keys { .. } | Action::Clear
        )
    }

    /// Whether the step changes the layout.
    pub fn changes_layout(&self) -> bool {
        matches!(
            self,
            Action::Open(_) | Action::Close | Action::Resize { .. } | Action::Zoom(_) | Action::Layout(_)
        )
    }

    /// The layout after this step in `pane`, from `layout`: the one place
    /// that says what each layout step does, for validation (which makes
    /// every change in turn) and for the director. `layout` itself for a
    /// step that changes no layout.
    pub fn next_layout(&self, layout: &Layout, pane: usize) -> Result<Layout, LayoutError> {
        match self {
            Action::Open(split) => layout.open(pane, *split),
            Action::Close => layout.close(pane),
            Action::Resize { cols, rows } => {
                let mut next = layout.clone();
                if let Some(cols) = cols {
                    next = next.resize(pane, Split::Columns, *cols);
                }
                if let Some(rows) = rows {
                    next = next.resize(pane, Split::Rows, *rows);
                }
                Ok(next)
            }
            Action::Zoom(zoom) => layout.zoom(zoom.then_some(pane)),
            Action::Layout(preset) => layout.select(*preset),
            _ => Ok(layout.clone()),
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
    /// Whether `code` (a signal death counts as 128 + signal, as in shells)
    /// is accepted.
    pub fn accepts(self, code: i32) -> bool {
        match self {
            ExpectExit::Any => true,
            ExpectExit::Code(want) => code == want,
        }
    }
}
