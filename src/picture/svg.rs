//! Pictures as SVG: the still frame and the animated film, one drawing.
//!
//! In: a [`Film`] (or one [`Grid`]) and a [`Look`]. Out: the document as a
//! string; writing it is the caller's job, and drawing cannot fail.
//!
//! Small by construction. Each distinct row is drawn once, in `<defs>`,
//! and placed with `<use>` wherever and whenever it shows. A frame is a
//! group of those uses; one that changes few rows is the frame before it
//! (`<use>` of it) with the changed rows cleared and drawn over it, to a
//! bounded depth. The frames stand side by side in a strip behind a
//! window of the screen's size, and one CSS animation moves the strip a
//! frame's width at each frame's time: no script, no external resource,
//! one animation for the whole film. The still frame is the same document
//! with a strip of one frame and no animation, so a paused film and the
//! still of the same moment are drawn alike, pixel for pixel.
//!
//! Exact: a row's `<text>` holds the row's characters (trailing blanks
//! trimmed), each run starting at its cell's x; a run ends after a wide
//! character or one whose advance a monospace font may not keep, so the
//! next starts at its own cell. Colours are CSS classes, one per colour.
//! Every text and attribute value from the cast goes through `escape`,
//! so the document is well-formed XML whatever the cast holds.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::ops::Range;
use std::time::Duration;

use super::Look;
use super::colours::{Pen, Rgb, hex};
use super::film::{Film, Frame};
use super::grid::{Cell, Grid};
use super::xml::escape;
use crate::geometry::Size;

/// How many frames a frame may build on before one is drawn whole
/// (a bound on nested `<use>`s for the browser).
const MAX_DEPTH: usize = 12;

/// A cell's size and the text's baseline in SVG units (px).
#[derive(Debug, Clone, Copy)]
struct Metrics {
    cell_w: f64,
    cell_h: f64,
    baseline: f64,
}

impl Metrics {
    fn of(look: &Look) -> Self {
        let cell_h = (look.font_size * 1.2).round().max(1.0);
        Self {
            cell_w: look.font_size * 0.6,
            cell_h,
            baseline: (cell_h * 0.78 * 10.0).round() / 10.0,
        }
    }
}

/// The columns to clear and draw again where `new` differs from `old`;
/// `None` if the rows are equal.
///
/// The span reaches, on each side, the row's edge or a gap of two cells
/// blank before and after, and its edge lies inside that gap. So the
/// cleared rectangle's edges (at fractional x) only ever cover background,
/// no glyph that leans over a cell's edge is cut, and the span's runs of
/// text are the whole row's runs, which break at such gaps
/// ([`Writer::row_markup`]): the frame is drawn exactly as a still of it.
fn changed_span(old: &[Cell], new: &[Cell]) -> Option<Range<usize>> {
    let first = (0..new.len()).find(|&c| old[c] != new[c])?;
    let last = (0..new.len()).rfind(|&c| old[c] != new[c])?;
    let blank = |c: usize| old[c].is_blank() && new[c].is_blank();
    let mut start = first;
    while start > 0 && !(blank(start - 1) && blank(start)) {
        start -= 1;
    }
    let mut end = last + 1;
    while end < new.len() && !(blank(end - 1) && blank(end)) {
        end += 1;
    }
    Some(start..end)
}

/// A number as SVG text: at most two decimals, no trailing zeros.
fn num(v: f64) -> String {
    let s = format!("{v:.2}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" { "0".into() } else { s.into() }
}

/// A short id for the `n`th defined element.
fn id(mut n: usize) -> String {
    const FIRST: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    const REST: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    let mut s = String::new();
    s.push(char::from(FIRST[n % FIRST.len()]));
    n /= FIRST.len();
    while n > 0 {
        s.push(char::from(REST[n % REST.len()]));
        n /= REST.len();
    }
    s
}

/// Whether every monospace font of the stack draws `c` one cell wide:
/// ASCII, Latin-1, box drawing and block elements.
fn keeps_the_grid(c: char) -> bool {
    matches!(c, ' '..='~' | '\u{a0}'..='\u{ff}' | '\u{2500}'..='\u{259f}')
}

/// The film's document being built.
struct Writer<'a> {
    look: &'a Look,
    m: Metrics,
    /// Each distinct row's markup and its id.
    rows: HashMap<String, String>,
    /// Each colour's CSS class.
    classes: HashMap<Rgb, String>,
    /// Each distinct frame's markup and its id.
    drawn: HashMap<String, String>,
    defs: String,
    /// Ids given so far.
    ids: usize,
    /// The frames' ids and times.
    frames: Vec<(String, Duration)>,
    /// The last frame drawn, and how many frames it builds on.
    prev: Option<(Grid, usize)>,
    /// The strip's width per frame.
    stride: u32,
}

impl<'a> Writer<'a> {
    fn new(look: &'a Look, size: Size) -> Self {
        let m = Metrics::of(look);
        Self {
            look,
            m,
            rows: HashMap::new(),
            classes: HashMap::new(),
            drawn: HashMap::new(),
            defs: String::new(),
            ids: 0,
            frames: Vec::new(),
            prev: None,
            stride: (f64::from(size.cols) * m.cell_w).ceil() as u32,
        }
    }

    fn next_id(&mut self) -> String {
        self.ids += 1;
        id(self.ids - 1)
    }

    /// The CSS class of colour `rgb`.
    fn class(&mut self, rgb: Rgb) -> String {
        let n = self.classes.len();
        self.classes.entry(rgb).or_insert_with(|| format!("k{}", id(n))).clone()
    }

    /// The id of the cells `cols` of a row drawn at y = 0, defined on
    /// first use.
    fn row(&mut self, cells: &[Cell], cols: Range<usize>) -> String {
        let markup = self.row_markup(cells, cols);
        if let Some(id) = self.rows.get(&markup) {
            return id.clone();
        }
        let id = self.next_id();
        let _ = writeln!(self.defs, r#"<g id="{id}">{markup}</g>"#);
        self.rows.insert(markup, id.clone());
        id
    }

    /// The background rectangles and text of the cells `cols` of a row, at
    /// y = 0 and each at its column's x.
    fn row_markup(&mut self, cells: &[Cell], cols: Range<usize>) -> String {
        let colours = &self.look.colours;
        let pens: Vec<Pen> = cells.iter().map(|c| colours.pen(&c.style)).collect();
        let (w, h) = (self.m.cell_w, self.m.cell_h);
        let mut out = String::new();
        // Backgrounds: runs of one colour other than the screen's.
        let mut col = cols.start;
        while col < cols.end {
            let bg = pens[col].bg;
            let start = col;
            while col < cols.end && pens[col].bg == bg {
                col += 1;
            }
            if bg != colours.bg {
                let class = self.class(bg);
                let (x, width) = (num(start as f64 * w), num((col - start) as f64 * w));
                let _ = write!(out, r#"<rect x="{x}" width="{width}" height="{h}" class="{class}"/>"#);
            }
        }
        // Text: runs of one pen, each from its first inked cell to its
        // last; blank ink between joins any run, but a run ends at two
        // blank cells (where a changed span may begin or end) and after a
        // character that may not keep the grid.
        let inked = |col: usize| !pens[col].is_blank_ink(cells[col].ch);
        let mut text = String::new();
        let mut col = cols.start;
        while col < cols.end {
            if !inked(col) {
                col += 1;
                continue;
            }
            let (start, pen) = (col, pens[col]);
            let mut run = String::new();
            let mut kept = 0;
            while col < cols.end {
                let cell = &cells[col];
                if inked(col) && pens[col] != pen {
                    break;
                }
                if cell.is_blank() && cells.get(col + 1).is_some_and(Cell::is_blank) {
                    break;
                }
                cell.push_to(&mut run);
                col += 1;
                if inked(col - 1) {
                    kept = run.len();
                }
                if cell.wide {
                    // Its second half draws nothing; the next run starts
                    // after it.
                    col += 1;
                    break;
                }
                if !keeps_the_grid(cell.ch) {
                    break;
                }
            }
            run.truncate(kept);
            let _ = write!(text, r#"<tspan x="{}""#, num(start as f64 * w));
            let mut classes = Vec::new();
            if pen.fg != colours.fg {
                classes.push(self.class(pen.fg));
            }
            for (on, name) in [(pen.bold, "b"), (pen.italic, "i"), (pen.underline, "u")] {
                if on {
                    classes.push(name.into());
                }
            }
            if !classes.is_empty() {
                let _ = write!(text, r#" class="{}""#, classes.join(" "));
            }
            let _ = write!(text, ">{}</tspan>", escape(&run));
        }
        if !text.is_empty() {
            let _ = write!(out, r#"<text y="{}">{text}</text>"#, num(self.m.baseline));
        }
        out
    }

    /// Defines `frame`: whole, or as the frame before with the cells that
    /// changed cleared and drawn over.
    fn frame(&mut self, frame: Frame) {
        let grid = frame.grid;
        let (w, h) = (self.m.cell_w, self.m.cell_h);
        let mut body = String::new();
        let base = self
            .prev
            .as_ref()
            .filter(|(p, depth)| *depth < MAX_DEPTH && p.rows == grid.rows && p.cols == grid.cols);
        // Each changed row and its changed columns.
        let changed: Vec<(u16, Range<usize>)> = match base {
            Some((p, _)) => (0..grid.rows)
                .filter_map(|r| changed_span(p.row(r), grid.row(r)).map(|c| (r, c)))
                .collect(),
            None => Vec::new(),
        };
        let base_depth = base.map(|(_, depth)| *depth);
        let drawn_whole = (0..grid.rows).filter(|&r| !grid.row_is_blank(r)).count();
        let cols = usize::from(grid.cols);
        let depth = match base_depth {
            Some(depth) if changed.len() + 2 < drawn_whole => {
                let (prev_id, _) = self.frames.last().cloned().unwrap_or_default();
                let _ = write!(body, r##"<use href="#{prev_id}"/>"##);
                // A span of most of a row is the whole row, which other
                // frames may share.
                let changed: Vec<(u16, Range<usize>)> = changed
                    .into_iter()
                    .map(|(r, c)| if c.len() * 2 > cols { (r, 0..cols) } else { (r, c) })
                    .collect();
                // Cleared to the background: runs of whole rows as one
                // rectangle, a span as its own.
                let mut i = 0;
                while i < changed.len() {
                    let (r, span) = &changed[i];
                    let mut j = i + 1;
                    if span.len() == cols {
                        while j < changed.len() && changed[j].1.len() == cols && changed[j].0 == changed[j - 1].0 + 1 {
                            j += 1;
                        }
                    }
                    let y = num(f64::from(*r) * h);
                    let height = num((j - i) as f64 * h);
                    let (x, width) = (num(span.start as f64 * w), num(span.len() as f64 * w));
                    let _ = write!(
                        body,
                        r#"<rect x="{x}" y="{y}" width="{width}" height="{height}" class="z"/>"#
                    );
                    i = j;
                }
                for (r, span) in changed {
                    self.use_row(&mut body, &grid, r, span);
                }
                depth + 1
            }
            _ => {
                for r in 0..grid.rows {
                    self.use_row(&mut body, &grid, r, 0..cols);
                }
                0
            }
        };
        // A frame drawn before (a screen shown again) is used again.
        let id = match self.drawn.get(&body) {
            Some(id) => id.clone(),
            None => {
                let id = self.next_id();
                let _ = writeln!(self.defs, r#"<g id="{id}">{body}</g>"#);
                self.drawn.insert(body, id.clone());
                id
            }
        };
        self.frames.push((id, frame.at));
        self.prev = Some((grid, depth));
    }

    /// A `<use>` of the columns `cols` of row `r` of `grid` at its place,
    /// unless they are blank.
    fn use_row(&mut self, body: &mut String, grid: &Grid, r: u16, cols: Range<usize>) {
        let cells = grid.row(r);
        if cells[cols.clone()].iter().all(Cell::is_blank) {
            return;
        }
        let id = self.row(cells, cols);
        let y = num(f64::from(r) * self.m.cell_h);
        let _ = write!(body, r##"<use href="#{id}" y="{y}"/>"##);
    }

    /// The whole document: a still when there is one frame and no `film`
    /// (the length and whether it loops).
    fn finish(mut self, size: Size, film: Option<(Duration, bool)>) -> String {
        let look = self.look;
        let m = self.m;
        let screen_w = f64::from(size.cols) * m.cell_w;
        let screen_h = f64::from(size.rows) * m.cell_h;
        let pad = f64::from(look.padding);
        let bar = if look.window.is_some() {
            (m.cell_h * 2.0).round()
        } else {
            0.0
        };
        let width = num(screen_w + 2.0 * pad);
        let height = num(screen_h + 2.0 * pad + bar);
        let mut out = String::with_capacity(self.defs.len() + 4096);
        let _ = writeln!(
            out,
            r#"<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}">"#
        );
        if let Some(title) = &look.title {
            let _ = writeln!(out, "<title>{}</title>", escape(title));
        }
        let bg = hex(look.colours.bg);
        let _ = write!(
            out,
            "<style>text{{font-family:'DejaVu Sans Mono','Liberation Mono',Menlo,Consolas,monospace;font-size:{}px;white-space:pre;fill:{}}}.b{{font-weight:bold}}.i{{font-style:italic}}.u{{text-decoration:underline}}.z{{fill:{bg};shape-rendering:crispEdges}}",
            num(look.font_size),
            hex(look.colours.fg)
        );
        let mut classes: Vec<(&Rgb, &String)> = self.classes.iter().collect();
        classes.sort_by(|a, b| a.1.cmp(b.1));
        for (rgb, class) in classes {
            let _ = write!(out, ".{class}{{fill:{}}}", hex(*rgb));
        }
        if let Some((length, looping)) = film {
            self.keyframes(&mut out, length, looping);
        }
        out.push_str("</style>\n");
        let _ = write!(out, "<defs>\n{}</defs>\n", self.defs);
        let _ = writeln!(out, r#"<rect width="100%" height="100%" rx="6" fill="{bg}"/>"#);
        if let Some(title) = &look.window {
            window_bar(&mut out, title, bar, m);
        }
        let _ = write!(
            out,
            r#"<svg x="{}" y="{}" width="{}" height="{}"><g{}>"#,
            num(pad),
            num(pad + bar),
            num(screen_w),
            num(screen_h),
            if film.is_some() { r#" class="f""# } else { "" }
        );
        for (k, (id, _)) in self.frames.iter().enumerate() {
            if k == 0 {
                let _ = write!(out, r##"<use href="#{id}"/>"##);
            } else {
                let _ = write!(
                    out,
                    r##"<use href="#{id}" x="{}"/>"##,
                    k as u64 * u64::from(self.stride)
                );
            }
        }
        out.push_str("</g></svg>\n</svg>\n");
        out
    }

    /// The one animation: the strip moved a frame's width at each frame's
    /// time, in steps.
    fn keyframes(&mut self, out: &mut String, length: Duration, looping: bool) {
        let total = length.as_secs_f64().max(0.001);
        out.push_str("@keyframes m{");
        let mut last = String::new();
        for (k, (_, at)) in self.frames.iter().enumerate() {
            let pct = (at.as_secs_f64() / total * 100.0).min(100.0);
            let x = k as u64 * u64::from(self.stride);
            last = if x == 0 {
                "{transform:translateX(0)}".into()
            } else {
                format!("{{transform:translateX(-{x}px)}}")
            };
            let _ = write!(out, "{}%{last}", num_pct(pct));
        }
        let _ = write!(out, "100%{last}}}");
        let repeat = if looping { "infinite" } else { "1 forwards" };
        let _ = write!(out, ".f{{animation:m {}s step-end {repeat}}}", num_secs(total));
    }
}

/// A percentage to a ten-thousandth.
fn num_pct(v: f64) -> String {
    let s = format!("{v:.4}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// Seconds to the millisecond.
fn num_secs(v: f64) -> String {
    let s = format!("{v:.3}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// A window's title bar: three dots and the title, centred.
fn window_bar(out: &mut String, title: &str, bar: f64, m: Metrics) {
    let cy = num(bar / 2.0 + 2.0);
    for (i, colour) in ["#ff5f58", "#ffbd2e", "#18c132"].iter().enumerate() {
        let cx = num(14.0 + 20.0 * i as f64);
        let _ = write!(out, r#"<circle cx="{cx}" cy="{cy}" r="6" fill="{colour}"/>"#);
    }
    let _ = writeln!(
        out,
        r#"<text x="50%" y="{}" text-anchor="middle" opacity="0.7">{}</text>"#,
        num(bar / 2.0 + 2.0 + m.baseline - m.cell_h / 2.0),
        escape(title)
    );
}

/// The still SVG of one screen.
pub fn still(grid: Grid, look: &Look) -> String {
    let size = Size {
        cols: grid.cols,
        rows: grid.rows,
    };
    let mut w = Writer::new(look, size);
    w.frame(Frame {
        at: Duration::ZERO,
        grid,
    });
    w.finish(size, None)
}

/// The animated SVG of `film` and how many frames it has.
pub fn animated(film: &mut Film, looping: bool, look: &Look) -> (String, usize) {
    let size = film.size();
    let mut w = Writer::new(look, size);
    for frame in film.by_ref() {
        w.frame(frame);
    }
    let frames = w.frames.len();
    (w.finish(size, Some((film.end(), looping))), frames)
}

#[cfg(test)]
mod tests;
