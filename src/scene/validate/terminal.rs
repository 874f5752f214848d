//! The recorded terminal: `[terminal]` (size, `TERM`, title, theme, status
//! line, frame rate) and `layout` in, their settings out; and, once the
//! panes are known, the [`Layout`] that places them, or why it cannot.

use std::ops::Range;
use std::time::Duration;

use super::panes::Panes;
use crate::asciicast::Theme;
use crate::geometry::Size;
use crate::scene::model::Look;
use crate::scene::node::{Node, Value};
use crate::scene::reader::Reader;
use crate::scene::theme;
use crate::screen::layout::{Layout, LayoutError, Preset, Split, SplitOf, Titles};
use crate::screen::style::Style;

pub const TERMINAL_KEYS: &[&str] = &[
    "cols",
    "rows",
    "term",
    "title",
    "theme",
    "status",
    "status_text",
    "fps",
    "border_style",
    "active_border_style",
    "caption_style",
    "show_keys",
    "pane_titles",
];
pub const THEME_KEYS: &[&str] = &["preset", "fg", "bg", "palette"];

/// Terminal sizes beyond these are surely mistakes, and would make every
/// frame needlessly expensive.
const MAX_COLS: i64 = 1000;
const MAX_ROWS: i64 = 500;

/// `[terminal]` settings with their defaults.
pub struct Terminal {
    pub cols: u16,
    pub rows: u16,
    cols_span: Option<Range<usize>>,
    rows_span: Option<Range<usize>>,
    pub term: String,
    pub title: Option<String>,
    pub theme: Option<Theme>,
    pub status: bool,
    pub status_text: Option<String>,
    pub frame_interval: Duration,
    pub look: Look,
    /// Where the panes' titles go.
    pub titles: Titles,
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
            look: Look::default(),
            titles: Titles::Off,
        }
    }
}

/// `[terminal]` over the defaults.
pub fn terminal(r: &mut Reader, node: &Node) -> Terminal {
    let mut out = Terminal::default();
    let Some(mut t) = r.table(node, "[terminal]") else {
        return out;
    };
    if let Some(n) = t.take("cols") {
        out.cols_span = Some(n.span.clone());
        out.cols = r.int(n, 1..=MAX_COLS).map_or(out.cols, |cols| cols as u16);
    }
    if let Some(n) = t.take("rows") {
        out.rows_span = Some(n.span.clone());
        out.rows = r.int(n, 1..=MAX_ROWS).map_or(out.rows, |rows| rows as u16);
    }
    if let Some(n) = t.take("term")
        && let Some(term) = r.text(n)
    {
        if term.is_empty() || !term.chars().all(|c| c.is_ascii_graphic()) {
            r.error(
                "term must be a terminal type name such as \"xterm-256color\"",
                n.span.clone(),
            );
        } else {
            out.term = term;
        }
    }
    if let Some(n) = t.take("title") {
        out.title = r.text(n);
    }
    if let Some(n) = t.take("theme") {
        out.theme = player_theme(r, n);
    }
    if let Some(n) = t.take("status") {
        out.status = r.bool(n).unwrap_or(true);
    }
    if let Some(n) = t.take("status_text") {
        out.status_text = r.text(n);
    }
    if let Some(n) = t.take("fps")
        && let Some(fps) = r.number(n, 1.0..=1000.0)
    {
        out.frame_interval = Duration::from_secs_f64(1.0 / fps);
    }
    for (key, slot) in [
        ("border_style", &mut out.look.border),
        ("active_border_style", &mut out.look.active_border),
        ("caption_style", &mut out.look.caption),
    ] {
        if let Some(n) = t.take(key)
            && let Some(text) = r.raw_text(n)
        {
            match Style::parse(&text) {
                Ok(style) => *slot = style,
                Err(e) => r.error(e, n.span.clone()),
            }
        }
    }
    if let Some(n) = t.take("pane_titles")
        && let Some(text) = r.raw_text(n)
    {
        out.titles = match text.as_str() {
            "top" => Titles::Top,
            "bottom" => Titles::Bottom,
            "off" => Titles::Off,
            other => {
                let msg = format!("unknown pane_titles \"{other}\": expected \"top\", \"bottom\" or \"off\"");
                r.error(msg, n.span.clone());
                Titles::Off
            }
        };
    }
    if let Some(n) = t.take("show_keys") {
        out.look.show_keys = r.bool(n).unwrap_or(false);
    }
    t.finish(r, TERMINAL_KEYS);
    out
}

/// How the panes share the screen: one run of them, or a tmux preset.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Arrangement {
    Split(Split),
    Preset(Preset),
}

impl Default for Arrangement {
    fn default() -> Self {
        Self::Split(Split::Columns)
    }
}

pub const LAYOUT_KEYS: &[&str] = &["preset", "main"];

/// `layout = "columns"` (side by side), `"rows"` (stacked), a tmux preset
/// (`"main-vertical"`), or `{ preset = "main-vertical", main = 60 }`.
pub fn arrangement(r: &mut Reader, node: &Node) -> Arrangement {
    let (name_node, main) = match &node.value {
        Value::Str(_) => (Some(node), None),
        _ => {
            let Some(mut t) = r.table(node, "the layout") else {
                return Arrangement::default();
            };
            let (preset, main) = (t.take("preset"), t.take("main"));
            let span = t.span.clone();
            t.finish(r, LAYOUT_KEYS);
            if preset.is_none() {
                r.error("a layout table needs a preset, such as \"main-vertical\"", span);
            }
            (preset, main)
        }
    };
    let Some(name_node) = name_node else {
        return Arrangement::default();
    };
    let name = r.raw_text(name_node);
    let arrangement = match name.as_deref() {
        Some("columns" | "left-right") if main.is_none() => Arrangement::Split(Split::Columns),
        Some("rows" | "top-bottom") if main.is_none() => Arrangement::Split(Split::Rows),
        Some(other) => match Preset::named(other) {
            Some(preset) => Arrangement::Preset(preset),
            None => {
                let msg = format!(
                    "unknown layout \"{other}\": expected \"columns\" (side by side), \"rows\" (stacked) or one of tmux's: {}",
                    Preset::NAMES.join(", ")
                );
                r.error(msg, name_node.span.clone());
                return Arrangement::default();
            }
        },
        None => return Arrangement::default(),
    };
    let Some(main) = main else {
        return arrangement;
    };
    let cells = r.int(main, 1..=MAX_COLS).map(|m| m as u16);
    match (arrangement, cells) {
        (Arrangement::Preset(Preset::MainVertical { .. }), Some(main)) => {
            Arrangement::Preset(Preset::MainVertical { main })
        }
        (Arrangement::Preset(Preset::MainHorizontal { .. }), Some(main)) => {
            Arrangement::Preset(Preset::MainHorizontal { main })
        }
        (_, None) => arrangement,
        _ => {
            r.error(
                "main (the main pane's size) applies to \"main-vertical\" and \"main-horizontal\"",
                main.span.clone(),
            );
            arrangement
        }
    }
}

/// Places the panes on screen from the start (those `later` does not
/// mark: a step opens them), or reports why they do not fit where the
/// mistake probably is. `None` when there are no panes, or none from the
/// start (reported by the caller, which knows the steps).
pub fn layout(
    r: &mut Reader,
    terminal: &Terminal,
    arrangement: Option<&Node>,
    panes: &Panes,
    later: &[bool],
) -> Option<Layout> {
    let total = panes.specs.len();
    let open: Vec<usize> = (0..total)
        .filter(|&i| !later.get(i).copied().unwrap_or(false))
        .collect();
    for i in (0..total).filter(|i| !open.contains(i)) {
        if let Some(span) = panes.split_spans[i].clone().or(panes.size_spans[i].clone()) {
            r.error(
                "this pane is opened by a step, whose open says where it goes: leave out its split and size here",
                span,
            );
        }
    }
    if open.is_empty() {
        return None;
    }
    let placed = initial(r, terminal, arrangement, panes, &open)?;
    Some(placed.numbered(&open, total).with_titles(terminal.titles))
}

/// The layout of the panes `open` (the scene's panes on screen from the
/// start), numbered among themselves.
fn initial(
    r: &mut Reader,
    terminal: &Terminal,
    arrangement: Option<&Node>,
    panes: &Panes,
    open: &[usize],
) -> Option<Layout> {
    let size = Size::new(terminal.cols, terminal.rows);
    let sizes: Vec<_> = open.iter().map(|&i| panes.specs[i].size).collect();
    if let Some(first) = panes.split_spans.iter().flatten().next() {
        if let Some(node) = arrangement {
            r.error(
                "the panes' splits make the layout: leave out layout, or the panes' split",
                node.span.clone(),
            );
        }
        for (split, size) in panes.split_spans.iter().zip(&panes.size_spans) {
            if let (Some(_), Some(size)) = (split, size) {
                r.error(
                    "a split pane's size goes in its split: split = { side = \"right\", size = 40 }",
                    size.clone(),
                );
            }
        }
        let mut splits = Vec::with_capacity(open.len());
        for &i in open {
            let split = panes.splits[i].and_then(|split| {
                let Some(of) = open.iter().position(|&p| p == split.pane) else {
                    r.error(
                        "the pane split here is opened later by a step: split a pane on screen from the start",
                        panes.split_spans[i].clone().unwrap_or(0..0),
                    );
                    return None;
                };
                Some(SplitOf { pane: of, ..split })
            });
            splits.push(split);
        }
        return match Layout::splits(size, &splits, terminal.status) {
            Ok(layout) => Some(layout),
            Err(e) => {
                let span = match e {
                    LayoutError::NoRoomToSplit { pane } => open.get(pane).and_then(|&i| panes.split_spans[i].clone()),
                    _ => None,
                };
                r.error(e.to_string(), span.unwrap_or_else(|| first.clone()));
                None
            }
        };
    }
    let arrangement = arrangement.map(|n| self::arrangement(r, n)).unwrap_or_default();
    let (placed, split) = match arrangement {
        Arrangement::Split(split) => (Layout::sized(size, &sizes, split, terminal.status), split),
        Arrangement::Preset(preset) => {
            if let Some(span) = panes.size_spans.iter().flatten().next() {
                r.error(
                    "a pane's size applies to the \"columns\" and \"rows\" layouts: a tmux preset sizes its panes itself",
                    span.clone(),
                );
            }
            // With titles, the stacked panes are spread around the row the
            // title line takes, as the preset is made again with them.
            let placed = Layout::preset(size, open.len(), preset, terminal.status)
                .and_then(|layout| layout.with_titles(terminal.titles).select(preset));
            (placed, Split::Rows)
        }
    };
    let error = match placed {
        Ok(layout) => return Some(layout),
        Err(e) => e,
    };
    let span = match error {
        LayoutError::Oversized { .. } => panes.size_spans.iter().flatten().next().cloned(),
        _ => {
            // Point at the dimension that ran out: rows when even one row
            // per pane (and the status line) does not fit.
            let n = open.len() as u16;
            let rows_needed = u16::from(terminal.status) + if split == Split::Rows { 2 * n - 1 } else { 1 };
            let span = if terminal.rows < rows_needed {
                &terminal.rows_span
            } else {
                &terminal.cols_span
            };
            span.clone()
                .or(terminal.cols_span.clone())
                .or(terminal.rows_span.clone())
        }
    };
    r.error(error.to_string(), span.unwrap_or(0..0));
    None
}

/// A preset name, or a table of `preset` or `fg`, `bg` and `palette`.
fn player_theme(r: &mut Reader, node: &Node) -> Option<Theme> {
    if let Value::Str(name) = &node.value {
        return named_preset(r, name, node.span.clone());
    }
    let mut t = r.table(node, "the theme")?;
    let preset = t.take("preset");
    let (fg, bg, palette) = (t.take("fg"), t.take("bg"), t.take("palette"));
    let span = t.span.clone();
    t.finish(r, THEME_KEYS);
    let mut theme = match preset {
        Some(p) => r.raw_text(p).and_then(|name| named_preset(r, &name, p.span.clone())),
        None if fg.is_some() && bg.is_some() && palette.is_some() => Some(Theme::default()),
        None => {
            r.error("a theme needs a preset, or all of fg, bg and palette", span);
            None
        }
    };
    // The fields are checked even when the preset failed, so that one
    // pass reports them too.
    let mut fields = theme.clone().unwrap_or_default();
    for (field, node) in [(&mut fields.fg, fg), (&mut fields.bg, bg)] {
        let Some(node) = node else { continue };
        match r.raw_text(node) {
            Some(c) if theme::is_color(&c) => *field = c,
            Some(c) => r.error(format!("\"{c}\" is not a #rrggbb colour"), node.span.clone()),
            None => {}
        }
    }
    if let Some(node) = palette {
        let joined = match &node.value {
            Value::Array(items) => items
                .iter()
                .map(|i| r.raw_text(i))
                .collect::<Option<Vec<_>>>()
                .map(|v| v.join(":")),
            _ => r.raw_text(node),
        };
        if let Some(joined) = joined {
            match theme::check_palette(&joined) {
                Ok(()) => fields.palette = joined,
                Err(e) => r.error(e, node.span.clone()),
            }
        }
    }
    if let Some(theme) = &mut theme {
        *theme = fields;
    }
    theme
}

/// The preset `name`, or why there is none.
fn named_preset(r: &mut Reader, name: &str, span: Range<usize>) -> Option<Theme> {
    let found = theme::preset(name);
    if found.is_none() {
        let names = theme::preset_names().join(", ");
        r.error(
            format!("unknown theme preset \"{name}\": the presets are {names}"),
            span,
        );
    }
    found
}
