//! Scene text → [`Scene`]: parse TOML or JSON into a spanned tree, then
//! validate every table and value, collecting all problems in one pass.

use std::ops::Range;
use std::path::{Path, PathBuf};
use std::time::Duration;

use super::diagnostic::{Diagnostic, SceneError, line_col};
use super::keys::Key;
use super::node::{self, Node, Value};
use super::reader::{Reader, Table};
use super::vars::{substitute, valid_name};
use super::{Action, ExpectExit, Inherit, PaneSpec, Privacy, Redact, Scene, StatusLine, Step, Until, theme};
use crate::asciicast::Theme;
use crate::geometry::Size;
use crate::screen::layout::{Layout, LayoutError, PaneSize, Split};
use crate::screen::style::Style;

/// The scene format version this build reads.
pub const VERSION: i64 = 1;

/// A scene file larger than this is refused before parsing.
pub const MAX_SCENE_BYTES: u64 = 1024 * 1024;

const DEFAULT_PROMPT: &str = "[director@demo ~]$ ";
const DEFAULT_PROMPT_STYLE: &str = "bold green";
const DEFAULT_TYPE_DELAY: Duration = Duration::from_millis(70);
const DEFAULT_ENTER_DELAY: Duration = Duration::from_millis(400);
const DEFAULT_KEYS_DELAY: Duration = Duration::from_millis(250);
const DEFAULT_WAIT_TIMEOUT: Duration = Duration::from_secs(10);
/// Wide enough for a loaded machine's scheduling noise around a program's
/// sleeps (-15 to +35 ms), fine enough for a progress bar's 50 ms updates.
const DEFAULT_GRID: Duration = Duration::from_millis(50);
/// Terminal sizes beyond these are surely mistakes, and would make every
/// frame needlessly expensive.
const MAX_COLS: i64 = 1000;
const MAX_ROWS: i64 = 500;

/// Why `TERM` is refused in `env` and `inherit`.
const TERM_IS_THE_SCENES: &str = "TERM is the scene's, for every program: set it with [terminal] term";

const TOP_KEYS: &[&str] = &[
    "version",
    "deterministic",
    "grid",
    "idle_time_limit",
    "vars",
    "env",
    "inherit",
    "terminal",
    "layout",
    "typing",
    "privacy",
    "pane",
    "step",
];
const PRIVACY_KEYS: &[&str] = &["user", "host", "home", "redact"];
const REDACT_KEYS: &[&str] = &["regex", "replace"];
const TERMINAL_KEYS: &[&str] = &["cols", "rows", "term", "title", "theme", "status", "status_text", "fps"];
const TYPING_KEYS: &[&str] = &["delay", "jitter", "seed", "enter_delay"];
const PANE_KEYS: &[&str] = &[
    "name",
    "prompt",
    "prompt_style",
    "cwd",
    "env",
    "inherit",
    "shell",
    "size",
];
const THEME_KEYS: &[&str] = &["preset", "fg", "bg", "palette"];
const WAIT_KEYS: &[&str] = &["text", "regex", "exit"];
const ACTIONS: &[&str] = &[
    "run", "type", "keys", "wait", "pause", "marker", "clear", "focus", "hide", "show",
];
const STEP_KEYS: &[&str] = &[
    "pane",
    "run",
    "type",
    "keys",
    "wait",
    "pause",
    "marker",
    "clear",
    "focus",
    "hide",
    "show",
    "delay",
    "jitter",
    "seed",
    "enter_delay",
    "timeout",
    "expect_exit",
];

/// The keys each table of the scene accepts, by the table's name in the
/// JSON Schema (`director schema`), which a test keeps in step with this.
pub const KNOWN_KEYS: &[(&str, &[&str])] = &[
    ("scene", TOP_KEYS),
    ("privacy", PRIVACY_KEYS),
    ("redact", REDACT_KEYS),
    ("terminal", TERMINAL_KEYS),
    ("typing", TYPING_KEYS),
    ("pane", PANE_KEYS),
    ("theme", THEME_KEYS),
    ("wait", WAIT_KEYS),
    ("step", STEP_KEYS),
];

/// The language a scene is written in: TOML or JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Syntax {
    Toml,
    Json,
}

impl Syntax {
    /// JSON for `.json` files, TOML otherwise.
    pub fn of(path: &Path) -> Self {
        match path.extension().and_then(|e| e.to_str()) {
            Some(ext) if ext.eq_ignore_ascii_case("json") => Syntax::Json,
            _ => Syntax::Toml,
        }
    }
}

/// Why a scene file could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("cannot read scene {path}: {reason}")]
    Read { path: String, reason: String },
    #[error(transparent)]
    Scene(#[from] SceneError),
}

/// Reads, parses and validates a scene file; relative `cwd`s are taken from
/// the file's folder.
pub fn parse_file(path: &Path, overrides: &[(String, String)]) -> Result<Scene, LoadError> {
    let fail = |reason: String| LoadError::Read {
        path: path.display().to_string(),
        reason,
    };
    let len = std::fs::metadata(path).map_err(|e| fail(e.to_string()))?.len();
    if len > MAX_SCENE_BYTES {
        return Err(fail(format!(
            "the file is {len} bytes; a scene may be at most {MAX_SCENE_BYTES}"
        )));
    }
    let bytes = std::fs::read(path).map_err(|e| fail(e.to_string()))?;
    let text = String::from_utf8(bytes)
        .map_err(|e| fail(format!("not UTF-8 text (at byte {})", e.utf8_error().valid_up_to())))?;
    let base = path.parent().unwrap_or(Path::new(""));
    Ok(parse(
        &path.display().to_string(),
        &text,
        Syntax::of(path),
        base,
        overrides,
    )?)
}

/// Parses and validates scene `text`. `name` names the source in messages;
/// `overrides` are `--set` variables, which win over `[vars]`.
pub fn parse(
    name: &str,
    text: &str,
    format: Syntax,
    base: &Path,
    overrides: &[(String, String)],
) -> Result<Scene, SceneError> {
    let fail = |mut diagnostics: Vec<Diagnostic>| {
        diagnostics.sort_by_key(|d| d.span.start);
        SceneError {
            file: name.to_string(),
            source_text: text.to_string(),
            diagnostics,
        }
    };
    let root = match format {
        Syntax::Toml => node::from_toml(text),
        Syntax::Json => node::from_json(text),
    }
    .map_err(fail)?;
    let mut v = Validator {
        ctx: Reader::default(),
        text,
        base,
    };
    let scene = v.scene(&root, overrides);
    match scene {
        Some(scene) if v.ctx.errors.is_empty() => Ok(scene),
        _ => Err(fail(v.ctx.errors)),
    }
}

struct Validator<'t> {
    ctx: Reader,
    text: &'t str,
    base: &'t Path,
}

/// Typing settings: the scene's `[typing]`, or a step's overrides.
#[derive(Clone, Copy)]
struct Typing {
    delay: Duration,
    jitter: f64,
    seed: u64,
    enter_delay: Duration,
}

impl Validator<'_> {
    fn scene(&mut self, root: &Node, overrides: &[(String, String)]) -> Option<Scene> {
        let mut top = self.ctx.table(root, "the scene")?;
        if let Some(v) = top.take("version")
            && let Some(version) = self.ctx.int(v, 0..=i64::MAX)
            && version != VERSION
        {
            self.ctx.error(
                format!("scene version {version} is not supported: this director reads version {VERSION}"),
                v.span.clone(),
            );
        }
        if let Some(vars) = top.take("vars") {
            self.vars(vars);
        }
        self.ctx.vars.extend(overrides.iter().cloned());

        let mut terminal = Terminal::default();
        if let Some(t) = top.take("terminal") {
            self.terminal(t, &mut terminal);
        }
        let split = match top.take("layout") {
            None => Split::Columns,
            Some(node) => match self.ctx.raw_text(node).as_deref() {
                Some("columns" | "left-right") => Split::Columns,
                Some("rows" | "top-bottom") => Split::Rows,
                Some(other) => {
                    let msg = format!(
                        "unknown layout \"{other}\": expected \"columns\" (side by side) or \"rows\" (stacked)"
                    );
                    self.ctx.error(msg, node.span.clone());
                    Split::Columns
                }
                None => Split::Columns,
            },
        };
        let typing = match top.take("typing") {
            Some(t) => self.typing(t),
            None => Typing {
                delay: DEFAULT_TYPE_DELAY,
                jitter: 0.0,
                seed: 0,
                enter_delay: DEFAULT_ENTER_DELAY,
            },
        };
        let env = top.take("env").map(|n| self.env(n)).unwrap_or_default();
        let inherit = top.take("inherit").map(|n| self.inherit(n)).unwrap_or_default();
        let (mut panes, size_spans) = match top.take("pane") {
            Some(list) => self.panes(list),
            None => {
                let end = self.text.trim_end().len();
                self.ctx
                    .error("a scene needs at least one [[pane]] with a name", end..end);
                (Vec::new(), Vec::new())
            }
        };
        // A pane's own settings go over the scene's.
        for pane in &mut panes {
            pane.inherit = inherit.clone().and(std::mem::take(&mut pane.inherit));
            pane.env = over(&env, std::mem::take(&mut pane.env));
        }
        let size = Size::new(terminal.cols, terminal.rows);
        if !panes.is_empty() {
            let sizes: Vec<Option<PaneSize>> = panes.iter().map(|p| p.size).collect();
            match Layout::sized(size, &sizes, split, terminal.status) {
                Ok(_) => {}
                Err(e @ LayoutError::Oversized { .. }) => {
                    let span = size_spans.iter().flatten().next().cloned().unwrap_or(0..0);
                    self.ctx.error(e.to_string(), span);
                }
                Err(e) => {
                    // Point at the dimension that ran out: rows when even one
                    // row per pane (and the status line) does not fit.
                    let n = panes.len() as u16;
                    let rows_needed = u16::from(terminal.status) + if split == Split::Rows { 2 * n - 1 } else { 1 };
                    let span = if terminal.rows < rows_needed {
                        &terminal.rows_span
                    } else {
                        &terminal.cols_span
                    };
                    let span = span
                        .clone()
                        .or(terminal.cols_span.clone())
                        .or(terminal.rows_span.clone());
                    self.ctx.error(e.to_string(), span.unwrap_or(0..0));
                }
            }
        }
        let steps = match top.take("step") {
            Some(list) => self.steps(list, &panes, typing),
            None => Vec::new(),
        };
        let deterministic = top
            .take("deterministic")
            .and_then(|n| self.ctx.bool(n))
            .unwrap_or(false);
        let grid = match top.take("grid") {
            None => DEFAULT_GRID,
            Some(n) => match self.ctx.duration(n) {
                Some(g) if g >= Duration::from_millis(1) && g <= Duration::from_secs(1) => g,
                Some(_) => {
                    self.ctx.error("the grid is between 1ms and 1s", n.span.clone());
                    DEFAULT_GRID
                }
                None => DEFAULT_GRID,
            },
        };
        let idle_time_limit = top.take("idle_time_limit").and_then(|n| {
            let limit = self.ctx.duration(n)?;
            if limit.is_zero() {
                self.ctx.error("an idle time limit must be more than 0", n.span.clone());
            }
            Some(limit)
        });
        let privacy = match top.take("privacy") {
            Some(n) => self.privacy(n),
            None => Privacy::default(),
        };
        top.finish(&mut self.ctx, TOP_KEYS);

        let status = terminal.status.then(|| StatusLine {
            right: terminal.status_text.clone().unwrap_or_else(|| match terminal.title {
                Some(_) => "\"{title}\" {clock}".to_string(),
                None => "{clock}".to_string(),
            }),
        });
        Some(Scene {
            title: terminal.title,
            size,
            term: terminal.term,
            status,
            split,
            frame_interval: terminal.frame_interval,
            theme: terminal.theme,
            panes,
            steps,
            deterministic,
            grid,
            idle_time_limit,
            privacy,
        })
    }

    fn privacy(&mut self, node: &Node) -> Privacy {
        let mut privacy = Privacy::default();
        let Some(mut t) = self.ctx.table(node, "[privacy]") else {
            return privacy;
        };
        for (key, field) in [
            ("user", &mut privacy.user),
            ("host", &mut privacy.host),
            ("home", &mut privacy.home),
        ] {
            if let Some(n) = t.take(key) {
                *field = self.ctx.bool(n).unwrap_or(true);
            }
        }
        if let Some(list) = t.take("redact") {
            let items: Vec<&Node> = match &list.value {
                Value::Array(items) => items.iter().collect(),
                _ => vec![list],
            };
            for item in items {
                let Some(mut r) = self.ctx.table(item, "a redaction") else {
                    continue;
                };
                let regex = r.require(&mut self.ctx, "regex");
                let replace = r.require(&mut self.ctx, "replace").and_then(|n| self.ctx.text(n));
                r.finish(&mut self.ctx, REDACT_KEYS);
                let Some(node) = regex else { continue };
                let Some(pattern) = self.ctx.text(node) else { continue };
                match regex::bytes::RegexBuilder::new(&pattern).size_limit(1 << 20).build() {
                    Ok(re) if re.is_match(b"") => self.ctx.error(
                        "this regex matches empty text: it would redact everything",
                        node.span.clone(),
                    ),
                    Ok(re) => {
                        if let Some(replace) = replace {
                            privacy.redact.push(Redact { regex: re, replace });
                        }
                    }
                    Err(e) => {
                        let last = e.to_string().lines().last().unwrap_or("invalid").trim().to_string();
                        let msg = last.strip_prefix("error: ").unwrap_or(&last).to_string();
                        self.ctx.error(format!("bad regex: {msg}"), node.span.clone());
                    }
                }
            }
        }
        t.finish(&mut self.ctx, PRIVACY_KEYS);
        privacy
    }

    fn vars(&mut self, node: &Node) {
        let Value::Table(entries) = &node.value else {
            self.ctx.error(
                format!("expected a table of variables, found {}", node.value.kind()),
                node.span.clone(),
            );
            return;
        };
        for (key, value) in entries {
            if !valid_name(&key.name) {
                self.ctx.error(
                    format!("variable name \"{}\" must be letters, digits and _", key.name),
                    key.span.clone(),
                );
            }
            // Numbers are accepted as their text: `port = 5000`.
            let text = match &value.value {
                Value::Str(s) => Some(s.clone()),
                Value::Int(n) => Some(n.to_string()),
                Value::Float(f) => Some(f.to_string()),
                Value::Bool(b) => Some(b.to_string()),
                other => {
                    self.ctx.error(
                        format!("expected a string or number, found {}", other.kind()),
                        value.span.clone(),
                    );
                    None
                }
            };
            if let Some(text) = text {
                self.ctx.vars.insert(key.name.clone(), text);
            }
        }
    }

    fn terminal(&mut self, node: &Node, out: &mut Terminal) {
        let Some(mut t) = self.ctx.table(node, "[terminal]") else {
            return;
        };
        if let Some(n) = t.take("cols") {
            out.cols_span = Some(n.span.clone());
            out.cols = self.ctx.int(n, 1..=MAX_COLS).map_or(out.cols, |c| c as u16);
        }
        if let Some(n) = t.take("rows") {
            out.rows_span = Some(n.span.clone());
            out.rows = self.ctx.int(n, 1..=MAX_ROWS).map_or(out.rows, |r| r as u16);
        }
        if let Some(n) = t.take("term")
            && let Some(term) = self.ctx.text(n)
        {
            if term.is_empty() || !term.chars().all(|c| c.is_ascii_graphic()) {
                self.ctx.error(
                    "term must be a terminal type name such as \"xterm-256color\"",
                    n.span.clone(),
                );
            } else {
                out.term = term;
            }
        }
        if let Some(n) = t.take("title") {
            out.title = self.ctx.text(n);
        }
        if let Some(n) = t.take("theme") {
            out.theme = self.theme(n);
        }
        if let Some(n) = t.take("status") {
            out.status = self.ctx.bool(n).unwrap_or(true);
        }
        if let Some(n) = t.take("status_text") {
            out.status_text = self.ctx.text(n);
        }
        if let Some(n) = t.take("fps")
            && let Some(fps) = self.ctx.number(n, 1.0..=1000.0)
        {
            out.frame_interval = Duration::from_secs_f64(1.0 / fps);
        }
        t.finish(&mut self.ctx, TERMINAL_KEYS);
    }

    fn theme(&mut self, node: &Node) -> Option<Theme> {
        let named = |v: &mut Self, name: &str, span: Range<usize>| {
            let found = theme::preset(name);
            if found.is_none() {
                let names = theme::preset_names().join(", ");
                v.ctx.error(
                    format!("unknown theme preset \"{name}\": the presets are {names}"),
                    span,
                );
            }
            found
        };
        if let Value::Str(name) = &node.value {
            return named(self, name, node.span.clone());
        }
        let mut t = self.ctx.table(node, "the theme")?;
        let preset = t.take("preset");
        let (fg, bg, palette) = (t.take("fg"), t.take("bg"), t.take("palette"));
        let span = t.span.clone();
        t.finish(&mut self.ctx, THEME_KEYS);
        let mut theme = match preset {
            Some(p) => self.ctx.raw_text(p).and_then(|name| named(self, &name, p.span.clone())),
            None if fg.is_some() && bg.is_some() && palette.is_some() => Some(Theme::default()),
            None => {
                self.ctx
                    .error("a theme needs a preset, or all of fg, bg and palette", span);
                None
            }
        };
        // The fields are checked even when the preset failed, so that one
        // pass reports them too.
        let mut fields = theme.clone().unwrap_or_default();
        for (field, node) in [(&mut fields.fg, fg), (&mut fields.bg, bg)] {
            let Some(node) = node else { continue };
            match self.ctx.raw_text(node) {
                Some(c) if theme::is_color(&c) => *field = c,
                Some(c) => self
                    .ctx
                    .error(format!("\"{c}\" is not a #rrggbb colour"), node.span.clone()),
                None => {}
            }
        }
        if let Some(node) = palette {
            let joined = match &node.value {
                Value::Array(items) => items
                    .iter()
                    .map(|i| self.ctx.raw_text(i))
                    .collect::<Option<Vec<_>>>()
                    .map(|v| v.join(":")),
                _ => self.ctx.raw_text(node),
            };
            if let Some(joined) = joined {
                match theme::check_palette(&joined) {
                    Ok(()) => fields.palette = joined,
                    Err(e) => self.ctx.error(e, node.span.clone()),
                }
            }
        }
        if let Some(theme) = &mut theme {
            *theme = fields;
        }
        theme
    }

    fn typing(&mut self, node: &Node) -> Typing {
        let mut typing = Typing {
            delay: DEFAULT_TYPE_DELAY,
            jitter: 0.0,
            seed: 0,
            enter_delay: DEFAULT_ENTER_DELAY,
        };
        if let Some(mut t) = self.ctx.table(node, "[typing]") {
            typing = self.typing_keys(&mut t, typing);
            t.finish(&mut self.ctx, TYPING_KEYS);
        }
        typing
    }

    /// Reads `delay`, `jitter`, `seed` and `enter_delay` from a table over `base`.
    fn typing_keys(&mut self, t: &mut Table<'_>, base: Typing) -> Typing {
        let mut typing = base;
        if let Some(n) = t.take("delay") {
            typing.delay = self.ctx.duration(n).unwrap_or(typing.delay);
        }
        if let Some(n) = t.take("jitter") {
            typing.jitter = self.ctx.number(n, 0.0..=1.0).unwrap_or(typing.jitter);
        }
        if let Some(n) = t.take("seed") {
            match n.value {
                Value::Int(seed) if seed >= 0 => typing.seed = seed as u64,
                Value::Int(_) => self.ctx.error("a seed is a whole number, 0 or more", n.span.clone()),
                _ => {
                    self.ctx.int(n, 0..=0);
                }
            }
        }
        if let Some(n) = t.take("enter_delay") {
            typing.enter_delay = self.ctx.duration(n).unwrap_or(typing.enter_delay);
        }
        typing
    }

    fn panes(&mut self, node: &Node) -> (Vec<PaneSpec>, Vec<Option<Range<usize>>>) {
        let Value::Array(items) = &node.value else {
            self.ctx.error(
                format!("expected an array of [[pane]] tables, found {}", node.value.kind()),
                node.span.clone(),
            );
            return (Vec::new(), Vec::new());
        };
        let mut panes: Vec<PaneSpec> = Vec::with_capacity(items.len());
        let mut size_spans = Vec::with_capacity(items.len());
        for item in items {
            let Some(mut t) = self.ctx.table(item, "[[pane]]") else {
                continue;
            };
            let name = match t.require(&mut self.ctx, "name") {
                Some(n) => match self.ctx.raw_text(n) {
                    Some(name) if name.is_empty() || name.chars().any(char::is_control) => {
                        self.ctx
                            .error("a pane name must be non-empty printable text", n.span.clone());
                        name
                    }
                    Some(name) if panes.iter().any(|p| p.name == name) => {
                        self.ctx
                            .error(format!("pane name \"{name}\" is used twice"), n.span.clone());
                        name
                    }
                    Some(name) => name,
                    None => String::new(),
                },
                None => String::new(),
            };
            let prompt = t
                .take("prompt")
                .and_then(|n| self.ctx.text(n))
                .unwrap_or_else(|| DEFAULT_PROMPT.to_string());
            let prompt_style = match t.take("prompt_style") {
                None => Style::parse(DEFAULT_PROMPT_STYLE).unwrap_or_default(),
                Some(n) => match self.ctx.raw_text(n).map(|s| Style::parse(&s)) {
                    Some(Ok(style)) => style,
                    Some(Err(e)) => {
                        self.ctx.error(e, n.span.clone());
                        Style::default()
                    }
                    None => Style::default(),
                },
            };
            // Relative to the scene's folder, which is also the default: a scene
            // runs its own scripts wherever director is started.
            let cwd = match t.take("cwd").and_then(|n| self.ctx.text(n)) {
                Some(c) => Some(self.base.join(PathBuf::from(c))),
                None => (!self.base.as_os_str().is_empty()).then(|| self.base.to_path_buf()),
            };
            let env = t.take("env").map(|n| self.env(n)).unwrap_or_default();
            let inherit = t.take("inherit").map(|n| self.inherit(n)).unwrap_or_default();
            let shell = t.take("shell").and_then(|n| {
                let shell = self.ctx.text(n)?;
                let program = Path::new(&shell).file_name().and_then(|f| f.to_str()).unwrap_or("");
                if program != "bash" {
                    self.ctx.error(
                        format!(
                            "unsupported shell \"{shell}\": director drives bash (shell = \"bash\" or a path to bash)"
                        ),
                        n.span.clone(),
                    );
                }
                Some(shell)
            });
            let size_node = t.take("size");
            size_spans.push(size_node.map(|n| n.span.clone()));
            let size = size_node.and_then(|n| match n.value {
                Value::Int(c) if (1..=i64::from(u16::MAX)).contains(&c) => Some(PaneSize::Cells(c as u16)),
                Value::Float(f) if f > 0.0 && f < 1.0 => Some(PaneSize::Fraction(f)),
                _ => {
                    let msg = "a pane size is a number of cells (an integer, e.g. 40) or a fraction between 0 and 1 (e.g. 0.3)";
                    self.ctx.error(msg, n.span.clone());
                    None
                }
            });
            t.finish(&mut self.ctx, PANE_KEYS);
            panes.push(PaneSpec {
                name,
                prompt,
                prompt_style,
                cwd,
                inherit,
                env,
                shell,
                size,
            });
        }
        (panes, size_spans)
    }

    /// An environment table (`[env]`, a pane's `env`), values with `{NAME}`
    /// substituted.
    fn env(&mut self, node: &Node) -> Vec<(String, String)> {
        let map = self.ctx.string_map(node, true);
        for (key, _) in &map {
            if key.name.is_empty() || key.name.contains(['=', '\0']) {
                self.ctx.error(
                    format!("\"{}\" is not an environment variable name", key.name),
                    key.span.clone(),
                );
            } else if key.name == "TERM" {
                self.ctx.error(TERM_IS_THE_SCENES, key.span.clone());
            }
        }
        map.into_iter().map(|(k, v)| (k.name, v)).collect()
    }

    /// `inherit = ["NAME", …]` or `inherit = true`.
    fn inherit(&mut self, node: &Node) -> Inherit {
        match &node.value {
            Value::Bool(true) => Inherit::All,
            Value::Array(items) => {
                let mut names: Vec<String> = Vec::with_capacity(items.len());
                for item in items {
                    let Some(name) = self.ctx.raw_text(item) else { continue };
                    if !valid_name(&name) {
                        let msg = format!(
                            "\"{name}\" is not an environment variable name: letters, digits and _, not starting with a digit"
                        );
                        self.ctx.error(msg, item.span.clone());
                    } else if name == "TERM" {
                        self.ctx.error(TERM_IS_THE_SCENES, item.span.clone());
                    } else if !names.contains(&name) {
                        names.push(name);
                    }
                }
                Inherit::Names(names)
            }
            Value::Bool(false) => {
                self.ctx.error(
                    "`inherit = false` passes nothing more than the default: remove it",
                    node.span.clone(),
                );
                Inherit::default()
            }
            _ => {
                self.ctx.expected(
                    "a list of variable names such as [\"AWS_PROFILE\"], or true for all of director's environment",
                    node,
                );
                Inherit::default()
            }
        }
    }

    fn steps(&mut self, node: &Node, panes: &[PaneSpec], typing: Typing) -> Vec<Step> {
        let Value::Array(items) = &node.value else {
            self.ctx.error(
                format!("expected an array of [[step]] tables, found {}", node.value.kind()),
                node.span.clone(),
            );
            return Vec::new();
        };
        let mut steps = Vec::with_capacity(items.len());
        let mut current = 0;
        for (index, item) in items.iter().enumerate() {
            if let Some(step) = self.step(item, index, panes, &mut current, typing) {
                steps.push(step);
            }
        }
        steps
    }

    fn pane_index(&mut self, node: &Node, panes: &[PaneSpec]) -> Option<usize> {
        let name = self.ctx.raw_text(node)?;
        let found = panes.iter().position(|p| !p.name.is_empty() && p.name == name);
        let known: Vec<&str> = panes
            .iter()
            .map(|p| p.name.as_str())
            .filter(|n| !n.is_empty())
            .collect();
        if found.is_none() && !known.is_empty() {
            let hint = match super::reader::closest(&name, &known) {
                Some(near) => format!(" (did you mean \"{near}\"?)"),
                None => String::new(),
            };
            self.ctx.error(
                format!("unknown pane \"{name}\"{hint}: the panes are {}", known.join(", ")),
                node.span.clone(),
            );
        }
        found
    }

    fn step(
        &mut self,
        item: &Node,
        index: usize,
        panes: &[PaneSpec],
        current: &mut usize,
        typing: Typing,
    ) -> Option<Step> {
        let mut t = self.ctx.table(item, "[[step]]")?;
        let line = line_col(self.text, item.span.start).0;
        if let Some(n) = t.take("pane")
            && let Some(i) = self.pane_index(n, panes)
        {
            *current = i;
        }
        let present: Vec<&str> = ACTIONS.iter().copied().filter(|a| t.has(a)).collect();
        let kind = match present.as_slice() {
            [kind] => *kind,
            [] => {
                // A misspelt action ("rnu") is reported by `finish` with its
                // suggestion; saying "no action" too would only add noise.
                if !t.unused().any(|k| super::reader::closest(k, ACTIONS).is_some()) {
                    let msg = format!("this step has no action: give one of {}", ACTIONS.join(", "));
                    self.ctx.error(msg, t.span.start..t.span.start + 1);
                }
                t.take_known(STEP_KEYS);
                t.finish(&mut self.ctx, STEP_KEYS);
                return None;
            }
            [_, second, ..] => {
                let msg = format!(
                    "this step has more than one action ({}): give exactly one",
                    present.join(", ")
                );
                self.ctx.error(msg, t.key_span(second).unwrap_or(t.span.clone()));
                t.take_known(STEP_KEYS);
                t.finish(&mut self.ctx, STEP_KEYS);
                return None;
            }
        };
        let allowed: &[&str] = match kind {
            "type" => &["delay", "jitter", "seed"],
            "run" => &["delay", "jitter", "seed", "enter_delay", "expect_exit"],
            "keys" => &["delay"],
            "wait" => &["timeout"],
            _ => &[],
        };
        for option in ["delay", "jitter", "seed", "enter_delay", "timeout", "expect_exit"] {
            if !allowed.contains(&option)
                && let Some(span) = t.key_span(option)
            {
                t.take(option);
                self.ctx
                    .error(format!("`{option}` does not apply to a {kind} step"), span);
            }
        }
        // Each step types with its own rhythm unless it names a seed.
        let step_typing = Typing {
            seed: typing.seed.wrapping_add(index as u64),
            ..typing
        };
        let node = t.take(kind).expect("the action key is present");
        // Every option is read before the action is judged, so that one
        // pass reports every problem of the step.
        let action = match kind {
            "run" | "type" => {
                let text = self.ctx.text(node);
                let typing = self.typing_keys(&mut t, step_typing);
                let expect_exit = t
                    .take("expect_exit")
                    .map_or(ExpectExit::Code(0), |n| self.expect_exit(n));
                text.map(|text| {
                    let rhythm =
                        super::typing::schedule(text.chars().count(), typing.delay, typing.jitter, typing.seed);
                    if kind == "type" {
                        if text.is_empty() {
                            self.ctx.error("there is nothing to type", node.span.clone());
                        }
                        Action::Type { text, rhythm }
                    } else {
                        if text.trim().is_empty() || text.contains(['\n', '\r']) {
                            self.ctx
                                .error("a run command must be one non-empty line", node.span.clone());
                        }
                        Action::Run {
                            command: text,
                            rhythm,
                            enter_delay: typing.enter_delay,
                            expect_exit,
                        }
                    }
                })
            }
            "keys" => {
                let names: Vec<&Node> = match &node.value {
                    Value::Array(items) => items.iter().collect(),
                    _ => vec![node],
                };
                let mut keys = Vec::with_capacity(names.len());
                for n in names {
                    match self.ctx.raw_text(n).map(|s| Key::parse(&s)) {
                        Some(Ok(key)) => keys.push(key),
                        Some(Err(e)) => self.ctx.error(e, n.span.clone()),
                        None => {}
                    }
                }
                if matches!(&node.value, Value::Array(a) if a.is_empty()) {
                    self.ctx.error("keys needs at least one key", node.span.clone());
                }
                let delay = t
                    .take("delay")
                    .and_then(|n| self.ctx.duration(n))
                    .unwrap_or(DEFAULT_KEYS_DELAY);
                Some(Action::Keys { keys, delay })
            }
            "wait" => {
                let until = self.until(node);
                let timeout = t
                    .take("timeout")
                    .and_then(|n| self.ctx.duration(n))
                    .unwrap_or(DEFAULT_WAIT_TIMEOUT);
                until.map(|until| Action::Wait { until, timeout })
            }
            "pause" => self.ctx.duration(node).map(Action::Pause),
            "marker" => self.ctx.text(node).map(Action::Marker),
            "focus" => self.pane_index(node, panes).map(|i| {
                *current = i;
                Action::Focus
            }),
            _ => match self.ctx.bool(node) {
                // clear, hide, show: a flag that must be true.
                Some(true) => Some(match kind {
                    "clear" => Action::Clear,
                    "hide" => Action::Hide,
                    _ => Action::Show,
                }),
                Some(false) => {
                    self.ctx.error(
                        format!("`{kind} = false` does nothing: remove the step"),
                        node.span.clone(),
                    );
                    None
                }
                None => None,
            },
        };
        t.finish(&mut self.ctx, STEP_KEYS);
        Some(Step {
            line,
            pane: *current,
            action: action?,
        })
    }

    fn expect_exit(&mut self, node: &Node) -> ExpectExit {
        match &node.value {
            Value::Int(c) if (0..=255).contains(c) => ExpectExit::Code(*c as i32),
            Value::Str(s) if s == "any" => ExpectExit::Any,
            _ => {
                self.ctx
                    .error("expect_exit is an exit status (0 to 255) or \"any\"", node.span.clone());
                ExpectExit::Any
            }
        }
    }

    fn until(&mut self, node: &Node) -> Option<Until> {
        if let Value::Str(text) = &node.value {
            if text.is_empty() {
                self.ctx.error("wait text must not be empty", node.span.clone());
                return None;
            }
            return Some(Until::Text(substitute(text, &self.ctx.vars)));
        }
        let mut t = self.ctx.table(node, "wait")?;
        let (text, regex, exit) = (t.take("text"), t.take("regex"), t.take("exit"));
        t.finish(&mut self.ctx, WAIT_KEYS);
        match (text, regex, exit) {
            (Some(n), None, None) => match self.ctx.text(n)? {
                s if s.is_empty() => {
                    self.ctx.error("wait text must not be empty", n.span.clone());
                    None
                }
                s => Some(Until::Text(s)),
            },
            (None, Some(n), None) => {
                let pattern = self.ctx.text(n)?;
                // The regex crate runs in linear time: a scene cannot hang
                // director with a catastrophic pattern.
                match regex::RegexBuilder::new(&pattern).size_limit(1 << 20).build() {
                    Ok(re) => Some(Until::Regex(re)),
                    Err(e) => {
                        let last = e.to_string().lines().last().unwrap_or("invalid").trim().to_string();
                        let msg = last.strip_prefix("error: ").unwrap_or(&last).to_string();
                        self.ctx.error(format!("bad regex: {msg}"), n.span.clone());
                        None
                    }
                }
            }
            (None, None, Some(n)) => match self.ctx.bool(n)? {
                true => Some(Until::Exit),
                false => {
                    self.ctx
                        .error("`exit = false` waits for nothing: use exit = true", n.span.clone());
                    None
                }
            },
            _ => {
                self.ctx.error(
                    "wait needs exactly one of: text = \"...\", regex = \"...\", exit = true",
                    node.span.clone(),
                );
                None
            }
        }
    }
}

/// `env` over `base`: each name once, `env`'s value winning, in first-seen
/// order.
fn over(base: &[(String, String)], env: Vec<(String, String)>) -> Vec<(String, String)> {
    let mut out = base.to_vec();
    for (name, value) in env {
        match out.iter_mut().find(|(n, _)| *n == name) {
            Some(entry) => entry.1 = value,
            None => out.push((name, value)),
        }
    }
    out
}

/// `[terminal]` settings with their defaults.
struct Terminal {
    cols: u16,
    rows: u16,
    cols_span: Option<Range<usize>>,
    rows_span: Option<Range<usize>>,
    term: String,
    title: Option<String>,
    theme: Option<Theme>,
    status: bool,
    status_text: Option<String>,
    frame_interval: Duration,
}

impl Default for Terminal {
    fn default() -> Self {
        Self {
            cols: 100,
            rows: 36,
            cols_span: None,
            rows_span: None,
            term: "xterm-256color".into(),
            title: None,
            theme: None,
            status: true,
            status_text: None,
            frame_interval: Duration::from_secs(1) / 60,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scene::BUILTIN_TCP;

    fn toml(text: &str) -> Result<Scene, SceneError> {
        parse("t.toml", text, Syntax::Toml, Path::new("/base"), &[])
    }

    fn errors(text: &str) -> Vec<String> {
        match toml(text) {
            Ok(_) => vec![],
            Err(e) => e.diagnostics.iter().map(|d| d.message.clone()).collect(),
        }
    }

    #[test]
    fn builtin_scene_parses_to_the_reference_layout() {
        let s = parse("tcp.toml", BUILTIN_TCP, Syntax::Toml, Path::new(""), &[]).unwrap();
        assert_eq!(s.size, Size::new(100, 36));
        assert_eq!(
            s.panes.iter().map(|p| p.name.as_str()).collect::<Vec<_>>(),
            ["server", "client"]
        );
        assert!(s.status.is_some());
        assert!(
            s.steps
                .iter()
                .any(|st| matches!(&st.action, Action::Run { command, .. } if command == "director demo server"))
        );
        assert!(
            s.panes
                .iter()
                .all(|p| p.env.contains(&("DIRECTOR_DEMO_ADDR".into(), "127.0.0.1:5000".into())))
        );
    }

    #[test]
    fn set_overrides_vars() {
        let s = parse(
            "tcp.toml",
            BUILTIN_TCP,
            Syntax::Toml,
            Path::new(""),
            &[("addr".into(), "127.0.0.1:6001".into())],
        )
        .unwrap();
        assert!(
            s.panes[0]
                .env
                .contains(&("DIRECTOR_DEMO_ADDR".into(), "127.0.0.1:6001".into()))
        );
    }

    #[test]
    fn steps_take_the_previous_pane_and_parse_values() {
        let s = toml(
            r#"
[vars]
port = 5000
[[pane]]
name = "a"
cwd = "sub"
size = 0.3
[[pane]]
name = "b"
shell = "/bin/bash"
[[step]]
pane = "b"
type = "hi {port}"
delay = "10ms"
[[step]]
wait = { regex = "h." }
timeout = 2
[[step]]
run = "false"
expect_exit = "any"
[[step]]
pane = "a"
wait.exit = true
[[step]]
keys = ["Ctrl-C", "Up"]
[[step]]
focus = "b"
[[step]]
marker = "end"
[[step]]
hide = true
"#,
        )
        .unwrap();
        let panes: Vec<usize> = s.steps.iter().map(|s| s.pane).collect();
        assert_eq!(panes, [1, 1, 1, 0, 0, 1, 1, 1]);
        assert!(
            matches!(&s.steps[0].action, Action::Type { text, rhythm } if text == "hi 5000" && rhythm == &vec![Duration::from_millis(10); 7])
        );
        assert!(
            matches!(&s.steps[1].action, Action::Wait { until: Until::Regex(r), timeout } if r.as_str() == "h." && *timeout == Duration::from_secs(2))
        );
        assert!(matches!(
            s.steps[2].action,
            Action::Run {
                expect_exit: ExpectExit::Any,
                ..
            }
        ));
        assert!(matches!(s.steps[3].action, Action::Wait { until: Until::Exit, .. }));
        assert!(matches!(&s.steps[4].action, Action::Keys { keys, .. } if keys == &[Key::Ctrl('c'), Key::Up]));
        assert!(matches!(&s.steps[6].action, Action::Marker(m) if m == "end"));
        assert!(matches!(s.steps[7].action, Action::Hide));
        assert_eq!(s.panes[0].cwd.as_deref(), Some(Path::new("/base/sub")));
        assert_eq!(s.panes[0].size, Some(PaneSize::Fraction(0.3)));
        assert_eq!(s.panes[1].shell.as_deref(), Some("/bin/bash"));
        assert_eq!(s.steps[0].line, 11);
    }

    #[test]
    fn json_scenes_read_the_same_model() {
        let text = r#"{"terminal": {"cols": 80, "rows": 24, "title": "J"},
  "pane": [{"name": "a"}],
  "step": [{"run": "echo hi"}, {"wait": {"exit": true}}, {"pane": "b", "pause": "1s"}]}"#;
        let e = parse("t.json", text, Syntax::Json, Path::new(""), &[]).unwrap_err();
        assert_eq!(e.diagnostics.len(), 1);
        assert!(e.diagnostics[0].message.contains("unknown pane \"b\""));
        assert_eq!(line_col(text, e.diagnostics[0].span.start), (3, 67));
        let ok = text.replace("\"pane\": \"b\", ", "");
        let s = parse("t.json", &ok, Syntax::Json, Path::new(""), &[]).unwrap();
        assert_eq!(
            (s.size, s.title.as_deref(), s.steps.len()),
            (Size::new(80, 24), Some("J"), 3)
        );
    }

    #[test]
    fn same_seed_same_rhythm_different_seed_different_rhythm() {
        let scene = |seed: u32| {
            toml(&format!(
                "[typing]\njitter = 0.5\nseed = {seed}\n[[pane]]\nname = \"a\"\n[[step]]\ntype = \"hello world\"\n"
            ))
            .unwrap()
        };
        let rhythm = |s: &Scene| match &s.steps[0].action {
            Action::Type { rhythm, .. } => rhythm.clone(),
            _ => unreachable!(),
        };
        assert_eq!(rhythm(&scene(1)), rhythm(&scene(1)));
        assert_ne!(rhythm(&scene(1)), rhythm(&scene(2)));
    }

    #[test]
    fn collects_every_validation_error() {
        let errs = errors(
            r#"
[terminal]
cols = 0
colour = "red"
layout = "diagonal"
[[pane]]
name = "a"
prompt_style = "blod"
[[step]]
pane = "nope"
pause = "1 parsec"
[[step]]
wait = { regex = "(" }
[[step]]
run = "x"
timeout = "1s"
[[step]]
"#,
        );
        let joined = errs.join("\n");
        for want in [
            "0 is out of range",
            "unknown key `colour` in [terminal]",
            "unknown key `layout` in [terminal]",
            "blod",
            "unknown pane \"nope\"",
            "unknown unit",
            "bad regex",
            "`timeout` does not apply to a run step",
            "has no action",
        ] {
            assert!(joined.contains(want), "missing {want:?} in {joined}");
        }
    }

    #[test]
    fn scene_env_and_inherit_reach_every_pane_under_its_own() {
        let s = toml(
            r#"
inherit = ["AWS_PROFILE"]
[vars]
region = "eu-west-1"
[env]
REGION = "{region}"
GREETING = "from the scene"
[[pane]]
name = "a"
env = { GREETING = "from the pane" }
inherit = ["EDITOR", "AWS_PROFILE"]
[[pane]]
name = "b"
inherit = true
"#,
        )
        .unwrap();
        let pair = |k: &str, v: &str| (k.to_string(), v.to_string());
        assert_eq!(
            s.panes[0].env,
            [pair("REGION", "eu-west-1"), pair("GREETING", "from the pane")]
        );
        assert_eq!(
            s.panes[0].inherit,
            Inherit::Names(vec!["AWS_PROFILE".into(), "EDITOR".into()])
        );
        assert_eq!(
            s.panes[1].env,
            [pair("REGION", "eu-west-1"), pair("GREETING", "from the scene")]
        );
        assert_eq!(s.panes[1].inherit, Inherit::All);
        let bare = toml("[[pane]]\nname = \"a\"\n").unwrap();
        assert_eq!(
            (bare.panes[0].inherit.clone(), bare.panes[0].env.len()),
            (Inherit::default(), 0)
        );
    }

    #[test]
    fn env_and_inherit_errors_point_at_the_value() {
        let text = r#"inherit = ["AWS-PROFILE", "TERM", 3, "2FA"]
[env]
TERM = "vt100"
[[pane]]
name = "a"
inherit = false
[[pane]]
name = "b"
inherit = "HOME"
"#;
        let e = toml(text).unwrap_err();
        let found: Vec<(&str, (usize, usize))> = e
            .diagnostics
            .iter()
            .map(|d| (d.message.as_str(), line_col(text, d.span.start)))
            .collect();
        let name = |n: &str| {
            format!("\"{n}\" is not an environment variable name: letters, digits and _, not starting with a digit")
        };
        let term = "TERM is the scene's, for every program: set it with [terminal] term";
        assert_eq!(
            found,
            [
                (name("AWS-PROFILE").as_str(), (1, 12)),
                (term, (1, 27)),
                ("expected a string, found an integer", (1, 35)),
                (name("2FA").as_str(), (1, 38)),
                (term, (3, 1)),
                (
                    "`inherit = false` passes nothing more than the default: remove it",
                    (6, 11)
                ),
                (
                    "expected a list of variable names such as [\"AWS_PROFILE\"], or true for all of director's environment, found a string",
                    (9, 11)
                ),
            ]
        );
        assert!(e.to_string().contains(" --> t.toml:1:12\n"), "{e}");
    }

    #[test]
    fn unknown_keys_suggest_the_near_one() {
        let errs = errors("[[pane]]\nname = \"a\"\npromt = \"$ \"\n");
        assert_eq!(errs, ["unknown key `promt` in [[pane]] (did you mean `prompt`?)"]);
    }
}
