//! Writes the difference between two composed screens as terminal output
//! that every player draws the same, whatever it thinks of a character's
//! width.
//!
//! In: the previous and the current composed screen, the rows that may
//! differ, and where each row's segments start (a pane's part of the row,
//! a divider, the status line). Out: escape sequences and text.
//!
//! Every segment's changed cells are reached by an absolute move (`CUP` to
//! its first, `CHA` within it), never by counting on the cells printed
//! before, so a player that draws a character wider or narrower than the
//! pane's emulator garbles that segment at most; and the compositor draws
//! only characters whose width is settled ([`crate::screen::width`]), so it
//! does not garble that either. Printing stops at the segment's last cell:
//! nothing is printed after a cell in the screen's last column but an
//! absolute move, so no player wraps or scrolls.

use std::fmt::Write as _;

use crate::screen::layout::{Divider, Layout};
use crate::screen::style::Style;

/// A row in which no column was drawn.
pub const CLEAN: (u16, u16) = (u16::MAX, 0);

/// For each row of the screen, the columns where its segments start, in
/// order: a change never runs on across one without an absolute move.
pub fn segment_starts(layout: &Layout) -> Vec<Vec<u16>> {
    let mut starts: Vec<Vec<u16>> = vec![vec![0]; usize::from(layout.screen.rows)];
    let mut add = |row: u16, col: u16| {
        if let Some(s) = starts.get_mut(usize::from(row)) {
            s.push(col);
        }
    };
    for rect in &layout.panes {
        for row in rect.row..rect.row + rect.size.rows {
            add(row, rect.col);
            add(row, rect.col + rect.size.cols);
        }
    }
    for divider in &layout.dividers {
        match *divider {
            Divider::Vertical { col, row, len } => {
                for r in row..row + len {
                    add(r, col);
                    add(r, col + 1);
                }
            }
            Divider::Horizontal { row, col, len } => {
                add(row, col);
                add(row, col + len);
            }
        }
    }
    for s in &mut starts {
        s.sort_unstable();
        s.dedup();
    }
    starts
}

/// The picture the last frame left in a player: every cell of the screen,
/// the cursor and whether it is hidden. Kept flat, so that a diff looks a
/// cell of the new screen up once and the old one not at all.
#[derive(Debug, Clone)]
pub struct Shown {
    cells: Vec<vt100::Cell>,
    cols: u16,
    cursor: (u16, u16),
    hidden: bool,
}

impl Shown {
    /// What a player shows of `screen`.
    pub fn of(screen: &vt100::Screen) -> Self {
        let (rows, cols) = (screen.size().0.get(), screen.size().1.get());
        let mut cells = Vec::with_capacity(usize::from(rows) * usize::from(cols));
        for row in 0..rows {
            for col in 0..cols {
                cells.extend(screen.cell(row, col).cloned());
            }
        }
        Self {
            cells,
            cols,
            cursor: screen.cursor_position(),
            hidden: screen.hide_cursor(),
        }
    }

    fn at(&self, row: u16, col: u16) -> usize {
        usize::from(row) * usize::from(self.cols) + usize::from(col)
    }
}

/// Appends to `out` what turns the picture `shown` into `now`, looking
/// only at the columns `dirty` gives for each row (`from..to`, [`CLEAN`]:
/// none), then places the cursor; `shown` becomes `now`'s picture. Writes
/// nothing when nothing visible changed. `placed`: an earlier diff placed
/// the player's cursor where `shown` has it.
pub fn diff(
    out: &mut String,
    shown: &mut Shown,
    now: &vt100::Screen,
    placed: bool,
    dirty: &[(u16, u16)],
    starts: &[Vec<u16>],
) {
    let (rows, cols) = (now.size().0.get(), now.size().1.get());
    // Every frame ends with the attributes reset.
    let mut style = Style::default();
    // Where the player's cursor is, as every player agrees: placed by the
    // last frame, then moved only by characters whose width is settled
    // (`None`: a wrap may be pending at the screen's edge).
    let mut pos = Some(shown.cursor).filter(|_| placed);
    // Whether `pos` was reached by a move rather than by printing.
    let mut fresh = placed;
    for (row, &(from, to)) in dirty.iter().enumerate().filter(|(_, d)| d.0 < d.1) {
        let row = row as u16;
        let bounds = starts.get(usize::from(row)).map_or(&[][..], Vec::as_slice);
        // The next segment's start, and whether the cursor was moved into
        // the current segment yet.
        let mut next = bounds.iter().position(|&b| b >= from).unwrap_or(bounds.len());
        let mut entered = false;
        let (mut col, to) = (from, to.min(cols));
        while col < to {
            let i = shown.at(row, col);
            let (Some(cell), Some(old)) = (now.cell(row, col), shown.cells.get_mut(i)) else {
                break;
            };
            if bounds.get(next) == Some(&col) {
                next += 1;
                entered = false;
            }
            if *cell == *old {
                col += 1;
                continue;
            }
            old.clone_from(cell);
            if cell.is_wide_continuation() {
                col += 1;
                continue;
            }
            // A segment is entered by a move, unless the cursor was just
            // put in its place by one (a typed key, say, at the cursor).
            if !(pos == Some((row, col)) && (entered || fresh)) {
                move_to(out, pos, (row, col), entered, rows);
                fresh = true;
            }
            let cell_style = Style::of_cell(cell);
            if style != cell_style {
                cell_style.write_sgr(out);
                style = cell_style;
            }
            entered = true;
            if cell.has_contents() {
                out.push_str(cell.contents());
                fresh = false;
                if cell.is_wide() {
                    // Its second half is drawn with it.
                    let i = shown.at(row, col + 1);
                    if let (Some(half), Some(old)) = (now.cell(row, col + 1), shown.cells.get_mut(i)) {
                        old.clone_from(half);
                    }
                    col += 1;
                }
                col += 1;
                pos = Some((row, col)).filter(|_| col < cols);
            } else {
                // Changed blanks of one style, within the segment: erased,
                // which moves no cursor.
                let end = bounds.get(next).copied().unwrap_or(to).min(to);
                let mut n = 1;
                while col + n < end {
                    let i = shown.at(row, col + n);
                    match (now.cell(row, col + n), shown.cells.get_mut(i)) {
                        (Some(c), Some(o)) if !c.has_contents() && *c != *o && Style::of_cell(c) == cell_style => {
                            o.clone_from(c);
                            n += 1;
                        }
                        _ => break,
                    }
                }
                let _ = write!(out, "\x1b[{n}X");
                pos = Some((row, col));
                col += n;
            }
        }
    }
    if style != Style::default() {
        out.push_str("\x1b[0m");
    }
    let (cursor, hidden) = (now.cursor_position(), now.hide_cursor());
    if pos != Some(cursor) || !placed {
        move_to(out, pos, cursor, false, rows);
    }
    if hidden != shown.hidden {
        out.push_str(if hidden { "\x1b[?25l" } else { "\x1b[?25h" });
    }
    shown.cursor = cursor;
    shown.hidden = hidden;
}

/// Moves the cursor from `pos` to `to` (row, column): within a segment
/// already entered by its column alone; to the start of the next row by
/// CR LF, as a program's own lines end (never from the bottom row, where
/// it would scroll); anywhere else by an absolute move.
fn move_to(out: &mut String, pos: Option<(u16, u16)>, to: (u16, u16), entered: bool, rows: u16) {
    match pos {
        Some((row, _)) if entered && row == to.0 => {
            let _ = write!(out, "\x1b[{}G", to.1 + 1);
        }
        Some((row, _)) if to == (row + 1, 0) && row + 1 < rows => out.push_str("\r\n"),
        _ => {
            let _ = write!(out, "\x1b[{};{}H", to.0 + 1, to.1 + 1);
        }
    }
}
