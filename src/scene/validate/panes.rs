//! Panes and what their programs get: `[[pane]]` tables, the scene's `env`
//! and `inherit` in; [`PaneSpec`]s out, each with the scene's environment
//! under its own.

use std::ops::Range;
use std::path::{Path, PathBuf};

use crate::scene::model::{Inherit, PaneSpec};
use crate::scene::node::{Node, Value};
use crate::scene::reader::{Reader, closest};
use crate::scene::vars::valid_name;
use crate::screen::layout::{PaneSize, Side, SplitOf};
use crate::screen::style::Style;

pub const PANE_KEYS: &[&str] = &[
    "name",
    "prompt",
    "prompt_style",
    "cwd",
    "env",
    "inherit",
    "shell",
    "size",
    "split",
    "title",
];

pub const SPLIT_KEYS: &[&str] = &["pane", "side", "size"];

/// Why a scene without panes is refused.
pub const NO_PANES: &str = "a scene needs at least one [[pane]] with a name";

const DEFAULT_PROMPT: &str = "[director@demo ~]$ ";
const DEFAULT_PROMPT_STYLE: &str = "bold green";

/// Why `TERM` is refused in `env` and `inherit`.
const TERM_IS_THE_SCENES: &str = "TERM is the scene's, for every program: set it with [terminal] term";

/// The panes read, and where each one's size was written, for a layout
/// that does not fit.
#[derive(Default)]
pub struct Panes {
    pub specs: Vec<PaneSpec>,
    pub size_spans: Vec<Option<Range<usize>>>,
    /// How each pane is made by splitting an earlier one, if it says.
    pub splits: Vec<Option<SplitOf>>,
    pub split_spans: Vec<Option<Range<usize>>>,
}

/// `[[pane]]` tables; each pane's `env` and `inherit` go over the scene's.
pub fn panes(r: &mut Reader, node: &Node, base: &Path, env: &[(String, String)], inherit: &Inherit) -> Panes {
    let mut panes = Panes::default();
    let Value::Array(items) = &node.value else {
        r.error(
            format!("expected an array of [[pane]] tables, found {}", node.value.kind()),
            node.span.clone(),
        );
        return panes;
    };
    if items.is_empty() {
        r.error(NO_PANES, node.span.clone());
    }
    for item in items {
        let Some(mut t) = r.table(item, "[[pane]]") else {
            continue;
        };
        let name = match t.require(r, "name") {
            Some(n) => pane_name(r, n, &panes.specs),
            None => String::new(),
        };
        let prompt = t
            .take("prompt")
            .and_then(|n| r.text(n))
            .unwrap_or_else(|| DEFAULT_PROMPT.to_string());
        let prompt_style = match t.take("prompt_style") {
            None => Style::parse(DEFAULT_PROMPT_STYLE).unwrap_or_default(),
            Some(n) => match r.raw_text(n).map(|s| Style::parse(&s)) {
                Some(Ok(style)) => style,
                Some(Err(e)) => {
                    r.error(e, n.span.clone());
                    Style::default()
                }
                None => Style::default(),
            },
        };
        // Relative to the scene's folder, which is also the default: a scene
        // runs its own scripts wherever director is started.
        let cwd = match t.take("cwd").and_then(|n| r.text(n)) {
            Some(c) => Some(base.join(PathBuf::from(c))),
            None => (!base.as_os_str().is_empty()).then(|| base.to_path_buf()),
        };
        let own_env = t.take("env").map(|n| self::env(r, n)).unwrap_or_default();
        let own_inherit = t.take("inherit").map(|n| self::inherit(r, n)).unwrap_or_default();
        let shell = t.take("shell").and_then(|n| shell(r, n));
        let title = t.take("title").and_then(|n| r.text(n));
        let size_node = t.take("size");
        panes.size_spans.push(size_node.map(|n| n.span.clone()));
        let size = size_node.and_then(|n| pane_size(r, n));
        let split_node = t.take("split");
        panes.split_spans.push(split_node.map(|n| n.span.clone()));
        let split = split_node.and_then(|n| split(r, n, &panes.specs));
        panes.splits.push(split);
        t.finish(r, PANE_KEYS);
        panes.specs.push(PaneSpec {
            name,
            prompt,
            prompt_style,
            cwd,
            inherit: inherit.clone().and(own_inherit),
            env: over(env, own_env),
            shell,
            size,
            title,
        });
    }
    panes
}

/// `split = "below"` (the pane before, split below it) or `split = { pane
/// = "server", side = "right", size = 40 }`: the earlier pane this one is
/// made from, where it goes, and how much it takes (cells, or a fraction
/// of the pane split; half by default).
fn split(r: &mut Reader, node: &Node, earlier: &[PaneSpec]) -> Option<SplitOf> {
    if earlier.is_empty() {
        r.error(
            "the first pane is the whole screen: it has no pane to split",
            node.span.clone(),
        );
        return None;
    }
    split_of(r, node, earlier.len() - 1, |r, n| {
        let name = r.raw_text(n)?;
        let found = earlier.iter().position(|p| p.name == name);
        if found.is_none() {
            let names: Vec<&str> = earlier.iter().map(|p| p.name.as_str()).collect();
            let hint = closest(&name, &names)
                .map(|c| format!(" (did you mean \"{c}\"?)"))
                .unwrap_or_default();
            r.error(
                format!(
                    "a pane splits an earlier pane: \"{name}\" is not one{hint}; earlier: {}",
                    names.join(", ")
                ),
                n.span.clone(),
            );
        }
        found
    })
}

/// A split: a side alone (`"below"`: pane `default` split), or a table of
/// the pane split (found by `pane`), the side and the size.
pub fn split_of(
    r: &mut Reader,
    node: &Node,
    default: usize,
    pane: impl FnOnce(&mut Reader, &Node) -> Option<usize>,
) -> Option<SplitOf> {
    let (pane_node, side, size) = match &node.value {
        Value::Str(_) => (None, Some(node), None),
        _ => {
            let mut t = r.table(node, "a split")?;
            let parts = (t.take("pane"), t.require(r, "side"), t.take("size"));
            t.finish(r, SPLIT_KEYS);
            parts
        }
    };
    let pane = match pane_node {
        None => Some(default),
        Some(n) => pane(r, n),
    };
    let side = side.and_then(|n| {
        let name = r.raw_text(n)?;
        let side = Side::named(&name);
        if side.is_none() {
            r.error(
                format!("unknown side \"{name}\": expected one of {}", Side::NAMES.join(", ")),
                n.span.clone(),
            );
        }
        side
    });
    let size = size.and_then(|n| pane_size(r, n));
    Some(SplitOf {
        pane: pane?,
        side: side?,
        size,
    })
}

/// A pane's name: printable, and not taken by an earlier pane.
fn pane_name(r: &mut Reader, node: &Node, earlier: &[PaneSpec]) -> String {
    match r.raw_text(node) {
        Some(name) if name.is_empty() || name.chars().any(char::is_control) => {
            r.error("a pane name must be non-empty printable text", node.span.clone());
            name
        }
        Some(name) if earlier.iter().any(|p| p.name == name) => {
            r.error(format!("pane name \"{name}\" is used twice"), node.span.clone());
            name
        }
        Some(name) => name,
        None => String::new(),
    }
}

/// `shell = "bash"` or a path to bash.
fn shell(r: &mut Reader, node: &Node) -> Option<String> {
    let shell = r.text(node)?;
    let program = Path::new(&shell).file_name().and_then(|f| f.to_str()).unwrap_or("");
    if program != "bash" {
        r.error(
            format!("unsupported shell \"{shell}\": director drives bash (shell = \"bash\" or a path to bash)"),
            node.span.clone(),
        );
    }
    Some(shell)
}

/// Cells along the split, or a fraction of the room.
pub fn pane_size(r: &mut Reader, node: &Node) -> Option<PaneSize> {
    match node.value {
        Value::Int(c) if (1..=i64::from(u16::MAX)).contains(&c) => Some(PaneSize::Cells(c as u16)),
        Value::Float(f) if f > 0.0 && f < 1.0 => Some(PaneSize::Fraction(f)),
        _ => {
            let msg = "a pane size is a number of cells (an integer, e.g. 40) or a fraction between 0 and 1 (e.g. 0.3)";
            r.error(msg, node.span.clone());
            None
        }
    }
}

/// The index of the pane `node` names, reporting an unknown name with the
/// closest known one.
pub fn pane_index(r: &mut Reader, node: &Node, panes: &[PaneSpec]) -> Option<usize> {
    let name = r.raw_text(node)?;
    let found = panes.iter().position(|p| !p.name.is_empty() && p.name == name);
    let known: Vec<&str> = panes
        .iter()
        .map(|p| p.name.as_str())
        .filter(|n| !n.is_empty())
        .collect();
    if found.is_none() && !known.is_empty() {
        let hint = match closest(&name, &known) {
            Some(near) => format!(" (did you mean \"{near}\"?)"),
            None => String::new(),
        };
        r.error(
            format!("unknown pane \"{name}\"{hint}: the panes are {}", known.join(", ")),
            node.span.clone(),
        );
    }
    found
}

/// An environment table (`[env]`, a pane's `env`), values with `{NAME}`
/// substituted.
pub fn env(r: &mut Reader, node: &Node) -> Vec<(String, String)> {
    let map = r.string_map(node, true);
    for (key, _) in &map {
        if key.name.is_empty() || key.name.contains(['=', '\0']) {
            r.error(
                format!("\"{}\" is not an environment variable name", key.name),
                key.span.clone(),
            );
        } else if key.name == "TERM" {
            r.error(TERM_IS_THE_SCENES, key.span.clone());
        }
    }
    map.into_iter().map(|(k, v)| (k.name, v)).collect()
}

/// `inherit = ["NAME", …]` or `inherit = true`.
pub fn inherit(r: &mut Reader, node: &Node) -> Inherit {
    match &node.value {
        Value::Bool(true) => Inherit::All,
        Value::Array(items) => {
            let mut names: Vec<String> = Vec::with_capacity(items.len());
            for item in items {
                let Some(name) = r.raw_text(item) else { continue };
                if !valid_name(&name) {
                    let msg = format!(
                        "\"{name}\" is not an environment variable name: letters, digits and _, not starting with a digit"
                    );
                    r.error(msg, item.span.clone());
                } else if name == "TERM" {
                    r.error(TERM_IS_THE_SCENES, item.span.clone());
                } else if !names.contains(&name) {
                    names.push(name);
                }
            }
            Inherit::Names(names)
        }
        Value::Bool(false) => {
            r.error(
                "`inherit = false` passes nothing more than the default: remove it",
                node.span.clone(),
            );
            Inherit::default()
        }
        _ => {
            r.expected(
                "a list of variable names such as [\"AWS_PROFILE\"], or true for all of director's environment",
                node,
            );
            Inherit::default()
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
