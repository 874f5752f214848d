//! Composes the panes, dividers and status line into one screen and emits
//! the difference from the previous frame as terminal output.
//!
//! In: the [`Layout`] (which a recording may change), each pane's screen
//! ([`PaneView`]), the [`Chrome`] and the pane whose cursor shows. Out: the
//! escape sequences that turn the previous frame into this one.
//!
//! Each frame is drawn cell by cell into an in-memory emulator of the full
//! screen, and what is emitted is that screen's diff against the previous
//! frame ([`crate::screen::emit`]). A pane's own escape sequences
//! never reach the output: only its cells do, each character in a form
//! whose width every player agrees on ([`crate::screen::width`]),
//! so nothing a program prints can draw outside its rectangle.

use std::fmt::Write as _;

use unicode_width::UnicodeWidthStr;

use crate::geometry::Rect;
use crate::screen::emit;
use crate::screen::emulator::{Changes, PaneView, parser};
use crate::screen::layout::Layout;
use crate::screen::style::Style;
use crate::screen::width;

/// The parts of the picture that are not panes.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Chrome {
    pub divider_style: Style,
    /// The border of the active pane, as tmux tells which cells are its.
    pub active_border_style: Style,
    /// The active pane, whose border is drawn in the active style.
    pub active: Option<usize>,
    pub status_style: Style,
    /// Left-aligned status text (pane names).
    pub status_left: String,
    /// Right-aligned status text (title, clock).
    pub status_right: String,
    /// A caption centred between the left and right status texts.
    pub caption: String,
    pub caption_style: Style,
    /// Each pane's title, drawn on its border line when the layout has
    /// titles.
    pub titles: Vec<String>,
}

/// Turns pane screens into a stream of screen diffs.
pub struct Compositor {
    layout: Layout,
    screen: vt100::Parser,
    /// What the last frame left in a player.
    shown: emit::Shown,
    draw: String,
    /// What was drawn last: each pane's, and the chrome.
    drawn: Vec<Drawn>,
    drawn_chrome: Option<Chrome>,
    /// The columns drawn this frame in each row, `from..to`: only they can
    /// differ.
    dirty: Vec<(u16, u16)>,
    /// Whether a frame has placed the player's cursor.
    placed: bool,
    /// The dividers' cells and characters ([`Layout::borders`]).
    borders: Vec<(u16, u16, char)>,
    /// Where each row's segments start ([`emit::segment_starts`]).
    starts: Vec<Vec<u16>>,
}

/// A pane as last drawn: its generation, and each row as vt100 formats it
/// (text with its attributes; `None`: not known), so that only rows that
/// changed are drawn.
#[derive(Default)]
struct Drawn {
    generation: Option<u64>,
    rows: Vec<Option<String>>,
}

impl Compositor {
    /// A compositor of `layout`, whose first frame draws everything.
    pub fn new(layout: Layout) -> Self {
        let screen = parser(layout.screen);
        let shown = emit::Shown::of(screen.screen());
        Self {
            dirty: vec![emit::CLEAN; usize::from(layout.screen.rows)],
            starts: emit::segment_starts(&layout),
            borders: layout.borders(),
            placed: false,
            layout,
            screen,
            shown,
            draw: String::with_capacity(64 * 1024),
            drawn: Vec::new(),
            drawn_chrome: None,
        }
    }

    /// Where everything goes now.
    pub fn layout(&self) -> &Layout {
        &self.layout
    }

    /// Takes a new layout of the same screen (panes split, closed, resized
    /// or zoomed): the next frame draws every pane, divider and the status
    /// line afresh, each pane's screen in its new rectangle. As a layout
    /// tiles the screen, that covers every cell, provided the panes'
    /// screens have their new rectangles' sizes by then.
    pub fn set_layout(&mut self, layout: Layout) {
        debug_assert_eq!(layout.screen, self.layout.screen, "a layout divides the same screen");
        self.starts = emit::segment_starts(&layout);
        self.borders = layout.borders();
        self.layout = layout;
        self.drawn.clear();
        self.drawn_chrome = None;
    }

    /// The composed screen of the last frame.
    pub fn screen(&self) -> &vt100::Screen {
        self.screen.screen()
    }

    /// Draws a frame and returns the escape sequences that turn the previous
    /// frame into it (empty when nothing visible changed). `cursor` is the
    /// index of the pane whose cursor is shown.
    pub fn frame(&mut self, panes: &[PaneView<'_>], chrome: &Chrome, cursor: Option<usize>) -> String {
        self.draw.clear();
        self.dirty.fill(emit::CLEAN);
        let dirty = &mut self.dirty;
        self.drawn.resize_with(panes.len(), Drawn::default);
        for ((rect, pane), drawn) in self.layout.panes.iter().zip(panes).zip(&mut self.drawn) {
            // Drawing is most of a frame's cost: a pane that did not change,
            // and a row that did not, keep their cells on the composed screen
            // from the last frame. (Reading a cell walks the rows; formatting
            // the rows reads each row once.)
            if pane.generation.is_some() && pane.generation == drawn.generation {
                continue;
            }
            // A pane not on screen (not open yet, closed, or behind a
            // zoomed one) is not drawn.
            if rect.size.rows == 0 || rect.size.cols == 0 {
                continue;
            }
            match pane.changes {
                // Only one row can differ from what was drawn.
                Some(Changes { since, row }) if drawn.generation.is_some_and(|g| g >= since) => {
                    if let Some(r) = row {
                        draw_row(&mut self.draw, dirty, *rect, pane.screen, r);
                        if let Some(last) = drawn.rows.get_mut(usize::from(r)) {
                            *last = None;
                        }
                    }
                }
                _ => {
                    let cols = pane.screen.size().1.get();
                    drawn.rows.resize(usize::from(rect.size.rows), None);
                    let mut rows = pane.screen.rows_formatted(0, cols);
                    let top = rows.next();
                    if top.is_some() && drawn.rows[0] != top {
                        // The top row changed: the pane most likely scrolled
                        // or was redrawn, and every row differs. Draw them
                        // all rather than compare them.
                        for r in 0..rect.size.rows {
                            draw_row(&mut self.draw, dirty, *rect, pane.screen, r);
                        }
                        drawn.rows.fill(None);
                        drawn.rows[0] = top;
                    } else {
                        for (r, (row, last)) in top.into_iter().chain(rows).zip(&mut drawn.rows).enumerate() {
                            if last.as_ref() != Some(&row) {
                                draw_row(&mut self.draw, dirty, *rect, pane.screen, r as u16);
                                *last = Some(row);
                            }
                        }
                    }
                }
            }
            drawn.generation = pane.generation;
        }
        if self.drawn_chrome.as_ref() != Some(chrome) {
            let styles = [&chrome.divider_style, &chrome.active_border_style];
            let of = chrome.active.map(|p| self.layout.border_of(p));
            let active = |row, col| of.as_ref().is_some_and(|of| of(row, col));
            draw_borders(&mut self.draw, dirty, &self.borders, styles, active);
            for (pane, title) in chrome.titles.iter().enumerate() {
                if let Some(place) = self.layout.title_place(pane) {
                    draw_title(&mut self.draw, dirty, place, pane, title, chrome);
                }
            }
            if let Some(row) = self.layout.status_row {
                draw_status(&mut self.draw, dirty, row, self.layout.screen.cols, chrome);
            }
            self.drawn_chrome = Some(chrome.clone());
        }
        let visible = cursor
            .and_then(|i| Some((self.layout.panes.get(i)?, panes.get(i)?)))
            .filter(|(rect, pane)| rect.size.rows > 0 && !pane.screen.hide_cursor());
        match visible {
            Some((rect, pane)) => {
                let (row, col) = pane.screen.cursor_position();
                // vt100 reports col == width while a wrap is pending.
                let col = col.min(rect.size.cols.saturating_sub(1));
                let row = row.min(rect.size.rows.saturating_sub(1));
                let _ = write!(
                    self.draw,
                    "\x1b[{};{}H\x1b[?25h",
                    rect.row + row + 1,
                    rect.col + col + 1
                );
            }
            // A hidden cursor waits in the corner, not after the last cell
            // drawn (perhaps in the screen's last column, wrap pending).
            None => self.draw.push_str("\x1b[?25l\x1b[H"),
        }
        self.screen.process(self.draw.as_bytes());
        let mut diff = String::new();
        emit::diff(
            &mut diff,
            &mut self.shown,
            self.screen.screen(),
            self.placed,
            &self.dirty,
            &self.starts,
        );
        self.placed = true;
        diff
    }
}

fn move_to(out: &mut String, col: u16, row: u16) {
    let _ = write!(out, "\x1b[{};{}H", row + 1, col + 1);
}

/// Draws row `r` of a pane's screen into its place on the full screen.
fn draw_row(out: &mut String, dirty: &mut [(u16, u16)], rect: Rect, screen: &vt100::Screen, r: u16) {
    mark(dirty, rect.row + r, rect.col, rect.col + rect.size.cols);
    move_to(out, rect.col, rect.row + r);
    let mut current: Option<Style> = None;
    // Blank cells are erased rather than filled with spaces, so they stay
    // equal to a fresh terminal's and cost nothing in the diff.
    let mut blanks = 0u16;
    let mut c = 0;
    while c < rect.size.cols {
        let Some(cell) = screen.cell(r, c) else { break };
        let style = Style::of_cell(cell);
        if current != Some(style) {
            flush_blanks(out, &mut blanks);
            style.write_sgr(out);
            current = Some(style);
        }
        // A wide character at the pane's last column cannot be shown
        // without spilling into the neighbour: leave it blank.
        let fits = !cell.is_wide() || c + 1 < rect.size.cols;
        if cell.has_contents() && fits {
            flush_blanks(out, &mut blanks);
            out.push_str(&width::drawn(cell.contents(), cell.is_wide()));
        } else {
            blanks += 1;
        }
        c += if cell.is_wide() && fits { 2 } else { 1 };
    }
    flush_blanks(out, &mut blanks);
    out.push_str("\x1b[0m");
}

fn flush_blanks(out: &mut String, blanks: &mut u16) {
    if *blanks > 0 {
        let _ = write!(out, "\x1b[{n}X\x1b[{n}C", n = *blanks);
        *blanks = 0;
    }
}

fn mark(dirty: &mut [(u16, u16)], row: u16, from: u16, to: u16) {
    if let Some(d) = dirty.get_mut(usize::from(row)) {
        *d = (d.0.min(from), d.1.max(to));
    }
}

/// Draws the dividers' cells, each with its line or junction character,
/// in `styles[1]` where `active` says the cell borders the active pane,
/// else in `styles[0]`.
fn draw_borders(
    out: &mut String,
    dirty: &mut [(u16, u16)],
    borders: &[(u16, u16, char)],
    styles: [&Style; 2],
    active: impl Fn(u16, u16) -> bool,
) {
    let mut next = None;
    let mut current = None;
    for &(row, col, glyph) in borders {
        let style = styles[usize::from(active(row, col))];
        if current != Some(style) {
            style.write_sgr(out);
            current = Some(style);
        }
        if next != Some((row, col)) {
            move_to(out, col, row);
        }
        mark(dirty, row, col, col + 1);
        out.push(glyph);
        next = Some((row, col + 1));
    }
    out.push_str("\x1b[0m");
}

/// Draws `pane`'s title at `place` (row, column, width) as tmux's default
/// `pane-border-format` does: its number (reversed when active) and its
/// title in quotes, in its border's style.
fn draw_title(
    out: &mut String,
    dirty: &mut [(u16, u16)],
    place: (u16, u16, u16),
    pane: usize,
    title: &str,
    chrome: &Chrome,
) {
    let (row, col, width) = place;
    let active = chrome.active == Some(pane);
    let style = if active {
        chrome.active_border_style
    } else {
        chrome.divider_style
    };
    let number = pane.to_string();
    let quoted = format!(" \"{title}\"");
    let text = width::settle(&quoted);
    let number = truncate(&number, usize::from(width));
    let text = truncate(&text, usize::from(width).saturating_sub(number.len()));
    if number.is_empty() {
        return;
    }
    mark(dirty, row, col, col + (number.len() + text.width()) as u16);
    move_to(out, col, row);
    Style {
        inverse: active,
        ..style
    }
    .write_sgr(out);
    out.push_str(number);
    style.write_sgr(out);
    out.push_str(text);
    out.push_str("\x1b[0m");
}

fn draw_status(out: &mut String, dirty: &mut [(u16, u16)], row: u16, cols: u16, chrome: &Chrome) {
    mark(dirty, row, 0, cols);
    let width = usize::from(cols);
    let (right, left) = (width::settle(&chrome.status_right), width::settle(&chrome.status_left));
    let right = truncate(&right, width);
    let left = truncate(&left, width.saturating_sub(right.width() + 1));
    let gap = width - left.width() - right.width();
    move_to(out, 0, row);
    chrome.status_style.write_sgr(out);
    out.push_str(left);
    // The caption, centred on the row (so that it stays put while the
    // texts beside it change), moved or cut to leave them a space.
    let caption = width::settle(&chrome.caption);
    let caption = truncate(&caption, gap.saturating_sub(2));
    if caption.is_empty() {
        out.extend(std::iter::repeat_n(' ', gap));
    } else {
        let centred = (width - caption.width()) / 2;
        let (first, last) = (left.width() + 1, width - right.width() - 1 - caption.width());
        let before = centred.clamp(first, last) - left.width();
        out.extend(std::iter::repeat_n(' ', before));
        chrome.caption_style.write_sgr(out);
        out.push_str(caption);
        chrome.status_style.write_sgr(out);
        out.extend(std::iter::repeat_n(' ', gap - before - caption.width()));
    }
    out.push_str(right);
    out.push_str("\x1b[0m");
}

/// The longest prefix of `text` that fits in `width` columns.
fn truncate(text: &str, width: usize) -> &str {
    let mut used = 0;
    for (i, ch) in text.char_indices() {
        used += unicode_width::UnicodeWidthChar::width(ch).unwrap_or(0);
        if used > width {
            return &text[..i];
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geometry::Size;
    use crate::screen::emulator::Emulator;
    use crate::screen::layout::{PaneSize, Split};
    use crate::screen::verify::picture;

    fn chrome() -> Chrome {
        Chrome {
            divider_style: Style::parse("green").unwrap(),
            status_style: Style::parse("black on green").unwrap(),
            status_left: "[demo] 0:server* 1:client".into(),
            status_right: "\"TCP\" 12:00 27-Nov-26".into(),
            ..Chrome::default()
        }
    }

    fn setup() -> (Compositor, Vec<vt100::Parser>) {
        let layout = Layout::split(Size::new(100, 36), 2, Split::Columns, true).unwrap();
        let panes = layout.panes.iter().map(|r| parser(r.size)).collect();
        (Compositor::new(layout), panes)
    }

    fn frame(c: &mut Compositor, panes: &[vt100::Parser], cursor: usize) -> String {
        let views: Vec<PaneView<'_>> = panes.iter().map(|p| PaneView::of(p.screen())).collect();
        c.frame(&views, &chrome(), Some(cursor))
    }

    fn row_text(screen: &vt100::Screen, row: u16) -> String {
        (0..screen.size().1.get())
            .map(|c| match screen.cell(row, c).map(|x| x.contents()) {
                Some("") | None => " ".to_string(),
                Some(s) => s.to_string(),
            })
            .collect()
    }

    /// Everything but the left pane: divider, right pane and status line.
    fn outside_left_pane(screen: &vt100::Screen) -> Vec<String> {
        let mut rows: Vec<String> = (0..35)
            .map(|r| row_text(screen, r).chars().skip(50).collect())
            .collect();
        rows.push(row_text(screen, 35));
        rows
    }

    #[test]
    fn draws_reference_picture() {
        let (mut c, mut panes) = setup();
        panes[0].process(b"left side\r\nline two");
        panes[1].process(b"right side");
        frame(&mut c, &panes, 1);
        let s = c.screen();
        let top = row_text(s, 0);
        assert!(top.starts_with("left side"));
        assert_eq!(top.chars().nth(50), Some('│'));
        assert_eq!(
            &top[top.char_indices().nth(51).unwrap().0..],
            format!("{:<49}", "right side")
        );
        assert!(row_text(s, 35).starts_with("[demo] 0:server* 1:client"));
        assert!(row_text(s, 35).ends_with("\"TCP\" 12:00 27-Nov-26"));
        assert_eq!(s.cell(35, 0).unwrap().bgcolor(), vt100::Color::Idx(2));
        assert_eq!(s.cursor_position(), (0, 61));
    }

    #[test]
    fn hostile_pane_output_stays_inside_its_pane() {
        let (mut c, mut panes) = setup();
        let mut replay = parser(Size::new(100, 36));
        panes[1].process(b"client text");
        replay.process(frame(&mut c, &panes, 0).as_bytes());
        let before = outside_left_pane(c.screen());
        let hostile: &[&[u8]] = &[
            b"\x1b[2J\x1b[H\x1b[K",
            b"\x1b[?1049h\x1b[1;1Halt screen\x1b[999;999Hcorner",
            b"\x1b[5;10r\x1b[10;1H\n\n\n\n\x1b[r",
            "wide 世界 chars at the edge: 0123456789012345678901234567890123456789世".as_bytes(),
            b"\x1b]0;title\x07\x1b]52;c;aGVsbG8=\x07\x1b[?2004h\x1b[?1000h",
            b"\xff\xfe invalid \xe4\xb8",
            b"\x1b[41m red background to the end of the line\x1b[K\r\n",
        ];
        for bytes in hostile {
            panes[0].process(bytes);
            replay.process(frame(&mut c, &panes, 0).as_bytes());
            let after = outside_left_pane(c.screen());
            assert_eq!(after, before, "after {:?}", String::from_utf8_lossy(bytes));
            assert_eq!(replay.screen().contents_formatted(), c.screen().contents_formatted());
        }
    }

    #[test]
    fn unchanged_frame_emits_nothing_and_diffs_are_small() {
        let (mut c, mut panes) = setup();
        let first = frame(&mut c, &panes, 0);
        assert!(!first.is_empty());
        assert_eq!(frame(&mut c, &panes, 0), "");
        panes[0].process(b"x");
        let diff = frame(&mut c, &panes, 0);
        assert!(diff.contains('x') && diff.len() < 40, "{diff:?}");
    }

    #[test]
    fn only_changed_rows_are_drawn_and_a_row_drawn_alone_is_read_again() {
        let layout = Layout::split(Size::new(40, 6), 1, Split::Columns, false).unwrap();
        let mut c = Compositor::new(layout.clone());
        let mut pane = Emulator::new(layout.panes[0].size);
        let draw = |c: &mut Compositor, pane: &mut Emulator| c.frame(&[pane.view()], &chrome(), Some(0));
        pane.process(b"one\r\ntwo\r\nabc");
        draw(&mut c, &mut pane);
        // Typing changes one row, and the emulator knows which.
        pane.process(b"X");
        assert_eq!(pane.view().changes.unwrap().row, Some(2));
        let diff = draw(&mut c, &mut pane);
        assert!(diff.contains('X') && !diff.contains("one"), "{diff:?}");
        assert_eq!(row_text(c.screen(), 2).trim_end(), "abcX");
        // Rubbing the X out with an escape sequence brings the row back to
        // what it was when every row was last read: it is drawn all the same.
        pane.process(b"\x08\x1b[K");
        assert_eq!(pane.view().changes.unwrap().row, None);
        draw(&mut c, &mut pane);
        assert_eq!(row_text(c.screen(), 2).trim_end(), "abc");
        // A fresh compositor draws the same picture.
        let mut fresh = Compositor::new(layout);
        fresh.frame(&[PaneView::of(&pane.screen())], &chrome(), Some(0));
        assert_eq!(fresh.screen().contents_formatted(), c.screen().contents_formatted());
    }

    #[test]
    fn a_new_layout_redraws_the_whole_screen() {
        let screen = Size::new(100, 36);
        let mut c = Compositor::new(Layout::split(screen, 2, Split::Columns, true).unwrap());
        let mut panes: Vec<Emulator> = c.layout().panes.iter().map(|r| Emulator::new(r.size)).collect();
        panes[0].process("left side\r\n\x1b[41mred\x1b[0m 世界".as_bytes());
        panes[1].process(b"right side");
        let mut replay = parser(screen);
        // Each frame is replayed, and the composed screen compared with the
        // replay and with a fresh compositor's, drawn whole.
        let mut frame = |c: &mut Compositor, panes: &mut [Emulator]| {
            let views: Vec<PaneView<'_>> = panes.iter_mut().map(Emulator::view).collect();
            replay.process(c.frame(&views, &chrome(), Some(0)).as_bytes());
            assert_eq!(replay.screen().contents_formatted(), c.screen().contents_formatted());
            assert_eq!(picture(replay.screen()), picture(c.screen()));
            let screens: Vec<_> = panes.iter().map(Emulator::screen).collect();
            let whole: Vec<PaneView<'_>> = screens.iter().map(|s| PaneView::of(s)).collect();
            let mut fresh = Compositor::new(c.layout().clone());
            fresh.frame(&whole, &chrome(), Some(0));
            assert_eq!(picture(fresh.screen()), picture(c.screen()));
        };
        frame(&mut c, &mut panes);

        // The same panes swapped: the right one (49 wide) moves to the left.
        // Neither changed, and both are drawn at their new places.
        let mut swapped = Layout::sized(screen, &[Some(PaneSize::Cells(49)), None], Split::Columns, true).unwrap();
        swapped.panes.swap(0, 1);
        c.set_layout(swapped);
        frame(&mut c, &mut panes);
        let top = row_text(c.screen(), 0);
        assert_eq!(
            top.chars().take(50).collect::<String>(),
            format!("{:<49}│", "right side")
        );
        assert_eq!(top.chars().skip(50).collect::<String>(), format!("{:<50}", "left side"));
        assert_eq!(c.screen().cursor_position(), (1, 58));

        // Stacked, the panes sized anew (as a resize would leave them),
        // with a wide character where the divider was.
        c.set_layout(Layout::split(screen, 2, Split::Rows, true).unwrap());
        let mut panes: Vec<Emulator> = c.layout().panes.iter().map(|r| Emulator::new(r.size)).collect();
        panes[0].process(format!("{}世界 top", " ".repeat(49)).as_bytes());
        panes[1].process(b"bottom");
        frame(&mut c, &mut panes);
        assert_eq!(row_text(c.screen(), 17).chars().next(), Some('─'));
        assert!(row_text(c.screen(), 18).starts_with("bottom"));
        // (A wide character's second cell reads as a blank.)
        assert_eq!(
            row_text(c.screen(), 0).trim_end(),
            format!("{}世 界  top", " ".repeat(49))
        );
    }

    #[test]
    fn truncates_by_display_width() {
        assert_eq!(truncate("abc", 2), "ab");
        assert_eq!(truncate("世界x", 3), "世");
        assert_eq!(truncate("ok", 10), "ok");
    }
}
