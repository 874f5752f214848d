//! Validation: a scene's spanned tree in, the [`Scene`] model out, or every
//! problem found in one pass, each with the place of the value it is about.
//!
//! This file reads the scene's top level and puts the parts together; each
//! part has its file: `terminal` (the terminal, its theme, the layout),
//! `panes` (panes and their environment), `steps` (the table of step kinds
//! and a parse function per kind) and `privacy`.

mod panes;
mod privacy;
mod steps;
mod story;
mod terminal;
#[cfg(test)]
mod tests;

use std::path::Path;
use std::time::Duration;

use super::diagnostic::Diagnostic;
use super::model::{Action, Privacy, Scene, StatusLine};
use super::node::{Node, Value};
use super::reader::Reader;
use super::vars::valid_name;
use crate::geometry::Size;

/// The scene format version this build reads.
pub const VERSION: i64 = 1;

/// Wide enough for a loaded machine's scheduling noise around a program's
/// sleeps (-15 to +35 ms), fine enough for a progress bar's 50 ms updates.
const DEFAULT_GRID: Duration = Duration::from_millis(50);

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

/// The keys each table of the scene accepts, by the table's name in the
/// JSON Schema (`director schema`), which a test keeps in step with this.
pub const KNOWN_KEYS: &[(&str, &[&str])] = &[
    ("scene", TOP_KEYS),
    ("privacy", privacy::PRIVACY_KEYS),
    ("redact", privacy::REDACT_KEYS),
    ("terminal", terminal::TERMINAL_KEYS),
    ("typing", steps::TYPING_KEYS),
    ("pane", panes::PANE_KEYS),
    ("theme", terminal::THEME_KEYS),
    ("wait", steps::WAIT_KEYS),
    ("resize", steps::RESIZE_KEYS),
    ("step", steps::STEP_KEYS),
];

/// Validates the tree of a scene. `text` is its source (steps know their
/// line); relative `cwd`s are taken from `base`; `overrides` are `--set`
/// variables, which win over `[vars]`.
pub fn scene(root: &Node, text: &str, base: &Path, overrides: &[(String, String)]) -> Result<Scene, Vec<Diagnostic>> {
    let mut r = Reader::default();
    match read_scene(&mut r, root, text, base, overrides) {
        Some(scene) if r.errors.is_empty() => Ok(scene),
        _ => Err(r.errors),
    }
}

fn read_scene(r: &mut Reader, root: &Node, text: &str, base: &Path, overrides: &[(String, String)]) -> Option<Scene> {
    let mut top = r.table(root, "the scene")?;
    if let Some(n) = top.take("version") {
        version(r, n);
    }
    if let Some(n) = top.take("vars") {
        vars(r, n);
    }
    r.vars.extend(overrides.iter().cloned());

    let terminal = top
        .take("terminal")
        .map(|n| terminal::terminal(r, n))
        .unwrap_or_default();
    let arrangement = top.take("layout");
    let typing = top.take("typing").map(|n| steps::typing(r, n)).unwrap_or_default();
    let env = top.take("env").map(|n| panes::env(r, n)).unwrap_or_default();
    let inherit = top.take("inherit").map(|n| panes::inherit(r, n)).unwrap_or_default();
    let panes = match top.take("pane") {
        Some(list) => panes::panes(r, list, base, &env, &inherit),
        None => {
            let end = text.trim_end().len();
            r.error(panes::NO_PANES, end..end);
            panes::Panes::default()
        }
    };
    let steps = match top.take("step") {
        Some(list) => steps::steps(r, list, text, &panes.specs, typing),
        None => Vec::new(),
    };
    let later = story::opened_later(&steps, panes.specs.len());
    let layout = terminal::layout(r, &terminal, arrangement, &panes, &later);
    if !terminal.status
        && let Some((_, spans)) = steps.iter().find(|(s, _)| matches!(s.action, Action::Caption(_)))
    {
        r.error(
            "captions are shown in the status line, and this scene has none ([terminal] status = false)",
            spans.action.clone(),
        );
    }
    match &layout {
        Some(layout) => story::story(r, layout, &steps, &panes.specs),
        None if !panes.specs.is_empty() && later.iter().all(|&l| l) => story::none_at_start(r, &steps),
        None => {}
    }
    let steps = steps.into_iter().map(|(step, _)| step).collect();
    let deterministic = top.take("deterministic").and_then(|n| r.bool(n)).unwrap_or(false);
    let grid = top.take("grid").map_or(DEFAULT_GRID, |n| grid(r, n));
    let idle_time_limit = top.take("idle_time_limit").and_then(|n| {
        let limit = r.duration(n)?;
        if limit.is_zero() {
            r.error("an idle time limit must be more than 0", n.span.clone());
        }
        Some(limit)
    });
    let privacy = match top.take("privacy") {
        Some(n) => privacy::privacy(r, n),
        None => Privacy::default(),
    };
    top.finish(r, TOP_KEYS);

    let status = terminal.status.then(|| StatusLine {
        right: terminal.status_text.clone().unwrap_or_else(|| match terminal.title {
            Some(_) => "\"{title}\" {clock}".to_string(),
            None => "{clock}".to_string(),
        }),
    });
    Some(Scene {
        title: terminal.title,
        size: Size::new(terminal.cols, terminal.rows),
        term: terminal.term,
        status,
        layout: layout?,
        frame_interval: terminal.frame_interval,
        theme: terminal.theme,
        look: terminal.look,
        panes: panes.specs,
        steps,
        deterministic,
        grid,
        beat: typing.delay(),
        idle_time_limit,
        privacy,
    })
}

fn version(r: &mut Reader, node: &Node) {
    if let Some(version) = r.int(node, 0..=i64::MAX)
        && version != VERSION
    {
        r.error(
            format!("scene version {version} is not supported: this director reads version {VERSION}"),
            node.span.clone(),
        );
    }
}

/// `[vars]`: each name with its text, for `{NAME}` substitution.
fn vars(r: &mut Reader, node: &Node) {
    let Value::Table(entries) = &node.value else {
        r.error(
            format!("expected a table of variables, found {}", node.value.kind()),
            node.span.clone(),
        );
        return;
    };
    for (key, value) in entries {
        if !valid_name(&key.name) {
            r.error(
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
                r.error(
                    format!("expected a string or number, found {}", other.kind()),
                    value.span.clone(),
                );
                None
            }
        };
        if let Some(text) = text {
            r.vars.insert(key.name.clone(), text);
        }
    }
}

fn grid(r: &mut Reader, node: &Node) -> Duration {
    match r.duration(node) {
        Some(g) if g >= Duration::from_millis(1) && g <= Duration::from_secs(1) => g,
        Some(_) => {
            r.error("the grid is between 1ms and 1s", node.span.clone());
            DEFAULT_GRID
        }
        None => DEFAULT_GRID,
    }
}
