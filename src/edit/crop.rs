//! A cast shown at another size: a window of its screen (`--size`, from
//! the top-left; `--fit`, the area the recording used), re-encoded frame
//! by frame.
//!
//! In: each event of the cast. Out: the output that draws the window's
//! cells as they change: the cast is replayed at its own size, the window
//! copied onto a screen of the new size, and the difference written by the
//! compositor's encoder ([`crate::screen::emit`]), each cell reached by an
//! absolute move. Every cell of the window is kept, in its colours.

use crate::asciicast::EventData;
use crate::geometry::Size;
use crate::screen::emit::{Shown, diff};
use crate::screen::emulator::parser;

/// A window of the screen: its top-left cell and size.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub col: u16,
    pub row: u16,
    pub size: Size,
}

/// Re-encodes a cast's output for its window.
pub struct Crop {
    window: Window,
    whole: vt100::Parser,
    part: vt100::Parser,
    shown: Shown,
    placed: bool,
}

impl Crop {
    pub fn new(window: Window, size: Size) -> Self {
        let part = parser(window.size);
        Self {
            shown: Shown::of(part.screen()),
            window,
            whole: parser(size),
            part,
            placed: false,
        }
    }

    /// The event for the window: output that draws what changed in it, or
    /// nothing (a resize only changes the cast behind the window).
    pub fn event(&mut self, data: EventData) -> Option<EventData> {
        match data {
            EventData::Output(_) | EventData::Resize(_) => {
                super::follow(&mut self.whole, &data);
                let out = self.redraw();
                (!out.is_empty()).then_some(EventData::Output(out))
            }
            other => Some(other),
        }
    }

    /// Copies the window onto the small screen and writes the difference.
    fn redraw(&mut self) -> String {
        let Window { col, row, size } = self.window;
        let screen = self.whole.screen();
        let mut paint = String::from("\x1b[?25l");
        for (r, line) in screen
            .rows_formatted(col, size.cols)
            .enumerate()
            .skip(usize::from(row))
            .take(usize::from(size.rows))
        {
            paint.push_str(&format!("\x1b[{};1H\x1b[0m\x1b[2K{line}", r - usize::from(row) + 1));
        }
        let (cr, cc) = screen.cursor_position();
        let inside = (row..row + size.rows).contains(&cr) && (col..col + size.cols).contains(&cc);
        paint.push_str("\x1b[0m");
        if inside {
            paint.push_str(&format!("\x1b[{};{}H", cr - row + 1, cc - col + 1));
            if !screen.hide_cursor() {
                paint.push_str("\x1b[?25h");
            }
        }
        self.part.process(paint.as_bytes());
        let mut out = String::new();
        let dirty = vec![(0, size.cols); usize::from(size.rows)];
        let starts = vec![vec![0]; usize::from(size.rows)];
        diff(
            &mut out,
            &mut self.shown,
            self.part.screen(),
            self.placed,
            &dirty,
            &starts,
        );
        self.placed = true;
        out
    }
}

/// The smallest window that holds every cell a cast ever drew (a
/// character or a colour) and every place its cursor showed.
pub struct Used {
    term: vt100::Parser,
    /// (top, left, bottom, right), inclusive.
    bounds: Option<(u16, u16, u16, u16)>,
}

impl Used {
    pub fn new(size: Size) -> Self {
        Self {
            term: parser(size),
            bounds: None,
        }
    }

    pub fn observe(&mut self, data: &EventData) {
        super::follow(&mut self.term, data);
        if !matches!(data, EventData::Output(_)) {
            return;
        }
        let screen = self.term.screen();
        let (rows, cols) = (screen.size().0.get(), screen.size().1.get());
        let mut grow = |r: u16, c: u16| {
            self.bounds = Some(match self.bounds {
                None => (r, c, r, c),
                Some((t, l, b, rr)) => (t.min(r), l.min(c), b.max(r), rr.max(c)),
            });
        };
        for r in 0..rows {
            for c in 0..cols {
                if let Some(cell) = screen.cell(r, c)
                    && (cell.has_contents() || cell.bgcolor() != vt100::Color::Default)
                {
                    grow(r, c);
                    grow(r, c + u16::from(cell.is_wide()));
                }
            }
        }
        if !screen.hide_cursor() {
            let (r, c) = screen.cursor_position();
            grow(r, c.min(cols - 1));
        }
    }

    /// The window the cast used (its whole screen's first cell if none).
    pub fn window(&self) -> Window {
        let (t, l, b, r) = self.bounds.unwrap_or((0, 0, 0, 0));
        Window {
            col: l,
            row: t,
            size: Size::new(r - l + 1, b - t + 1),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn out(text: &str) -> EventData {
        EventData::Output(text.into())
    }

    /// The rows of a `size` screen after `outputs`.
    fn replay(size: Size, outputs: &[EventData]) -> Vec<String> {
        let mut p = parser(size);
        for o in outputs {
            if let EventData::Output(t) = o {
                p.process(t.as_bytes());
            }
        }
        p.screen().rows(0, size.cols).collect()
    }

    #[test]
    fn a_window_keeps_its_cells_and_the_used_area_is_found() {
        let events = [
            out("\x1b[3;5H\x1b[31mred\x1b[m and more"),
            out("\x1b[5;5H世界 \x1b[44m  \x1b[m"),
            out("\x1b[4;6Hx\x1b[?25l"),
        ];
        let size = Size::new(40, 10);
        let mut used = Used::new(size);
        events.iter().for_each(|e| used.observe(e));
        let window = used.window();
        // To the cursor after "more" on the first row.
        assert_eq!(
            window,
            Window {
                col: 4,
                row: 2,
                size: Size::new(13, 3)
            }
        );
        let mut crop = Crop::new(window, size);
        let cropped: Vec<EventData> = events.iter().cloned().filter_map(|e| crop.event(e)).collect();
        let whole = replay(size, &events);
        let part = replay(window.size, &cropped);
        for r in 0..3 {
            let want: String = whole[r + 2].chars().skip(4).collect();
            assert_eq!(part[r].trim_end(), want.trim_end(), "row {r}");
        }
        assert_eq!(part[0], "red and more");
    }
}
