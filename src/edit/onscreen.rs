//! The scrub's safety net: the edited cast replayed as its viewers see it,
//! each frame searched for a private value that no byte holds but the
//! screen assembles (cursor moves, overwrites, a colour change inside a
//! word).
//!
//! In: the written events, one by one. Out: after each, the first row
//! that shows a private value, if any.
//!
//! The replay is avt, the emulator inside asciinema-player and the
//! asciinema CLI, so a frame is what the player draws. Searching every row
//! after every event would cost more than the rest of an edit together, so
//! only the lines an event changed are searched. avt says which rows each
//! action dirtied; a scroll dirties its whole region, though its rows only
//! move, so scrolls are followed instead: the marks move with the rows,
//! and what a scroll can change is marked — the rows it brings in, and the
//! rows beside its edges, whose soft-wrapped lines it cuts. A line is
//! searched whole (its soft-wrapped rows joined), so a value split by the
//! wrap or given a word boundary by a change next to it is found; so is
//! the line below a changed row, which starts anew when the row stops
//! wrapping. The
//! property test below holds this to a search of every row after every
//! event.

use std::ops::Range;

use avt::observer::Observation;
use avt::parser::Function;
use avt::{Observer, Operation};

use crate::asciicast::EventData;
use crate::geometry::Size;
use crate::privacy::{Identity, Kind};

/// A cast's screen as the player shows it, with the rows changed since the
/// last search.
pub struct OnScreen {
    term: avt::Terminal,
    changed: Changed,
    /// The changed lines' text, and where each row starts in it (kept for
    /// their capacity).
    text: Vec<u8>,
    starts: Vec<(usize, usize)>,
    /// Whether each row wraps into the next, now.
    wraps: Vec<bool>,
}

impl OnScreen {
    pub fn new(size: Size) -> Self {
        let (cols, rows) = (usize::from(size.cols.max(1)), usize::from(size.rows.max(1)));
        Self {
            term: avt::Terminal::new(cols, rows).expect("a size of at least 1x1"),
            changed: Changed::new(rows),
            text: Vec::new(),
            starts: Vec::new(),
            wraps: Vec::new(),
        }
    }

    /// Plays an event: its output, or its new size.
    pub fn feed(&mut self, data: &EventData) {
        match data {
            EventData::Output(text) => self.term.feed_with(text.as_str(), &mut self.changed),
            EventData::Resize(size) => {
                self.term
                    .resize_with(usize::from(size.cols), usize::from(size.rows), &mut self.changed);
            }
            _ => {}
        }
    }

    /// The first row (0-based) showing a private value, among the lines
    /// changed since the last call, and its kind.
    pub fn find(&mut self, identity: &Identity) -> Option<(usize, Kind)> {
        let screen = self.term.screen();
        let wraps = &mut self.wraps;
        wraps.clear();
        wraps.extend(screen.visible_lines().map(avt::Line::is_wrapped));
        let rows = wraps.len();
        let (marks, was) = (&self.changed.rows, &self.changed.wraps);
        // A row whose wrapping changed ends or goes on into the row below
        // in another way than when it was searched: both lines changed.
        let flipped = |row: usize| was.get(row) != wraps.get(row);
        let changed =
            |row: usize| marks.get(row).copied().unwrap_or(true) || flipped(row) || (row > 0 && flipped(row - 1));
        // The changed lines, one after another (a line break ends a word
        // as a line's end does), searched at once.
        self.text.clear();
        self.starts.clear();
        let mut row = 0;
        while row < rows {
            if !changed(row) {
                row += 1;
                continue;
            }
            // The whole soft-wrapped line, from its first row.
            row = (0..row).rev().take_while(|&r| wraps[r]).last().unwrap_or(row);
            loop {
                self.starts.push((self.text.len(), row));
                let cells = screen.line(row).expect("a visible row").cells();
                // Blanks at the end of a line are no part of a word.
                let end = if wraps[row] {
                    cells.len()
                } else {
                    cells.iter().rposition(|c| c.char() != ' ').map_or(0, |i| i + 1)
                };
                // A character per cell, the second half of a wide one left
                // out (one byte for the usual ASCII).
                let text = &mut self.text;
                text.reserve(end);
                for cell in &cells[..end] {
                    let ch = cell.char();
                    if cell.width() == 0 {
                        continue;
                    } else if ch.is_ascii() {
                        text.push(ch as u8);
                    } else {
                        text.extend_from_slice(ch.encode_utf8(&mut [0; 4]).as_bytes());
                    }
                }
                row += 1;
                if !wraps[row - 1] || row == rows {
                    break;
                }
            }
            self.text.push(b'\n');
        }
        self.changed.rows.fill(false);
        self.changed.wraps.clone_from(wraps);
        if self.text.is_empty() {
            return None;
        }
        let (at, kind) = identity.find_bytes(&self.text)?;
        let (_, row) = self.starts.iter().rev().find(|&&(start, _)| start <= at)?;
        Some((*row, kind))
    }
}

/// Everything about a replay that decides what it shows from here on:
/// the terminal as avt writes it out (the parser's state, modes, cursors,
/// pen, tab stops, margins, character sets and the occupied rows), every
/// cell and wrap of both screens (blank cells keep their colours, which a
/// reflow keeps or drops), and how the last row pushed off the top
/// wrapped (the line an erase takes to history starts there). Two replays
/// in the same state show the same frames for the same output.
#[derive(Debug, PartialEq)]
pub struct State {
    dump: String,
    size: (usize, usize),
    screens: Vec<(Vec<avt::Cell>, bool)>,
    evicted_wrapped: bool,
}

impl OnScreen {
    /// The terminal written out as avt writes it: output that brings a
    /// fresh screen to this one.
    pub fn dump(&self) -> String {
        self.term.dump()
    }

    /// The replay's state, to compare with another's.
    pub fn state(&self) -> State {
        let rows = |screen: avt::Screen<'_>| {
            screen
                .visible_lines()
                .map(|line| (line.cells().to_vec(), line.is_wrapped()))
                .collect::<Vec<_>>()
        };
        let mut screens = rows(self.term.screen());
        screens.extend(rows(self.term.primary_screen()));
        State {
            dump: self.term.dump(),
            size: self.term.size(),
            screens,
            evicted_wrapped: self.changed.evicted_wrapped,
        }
    }
}

/// How the action at hand moves rows.
#[derive(Debug, Clone, Copy)]
enum Moves {
    /// Nothing: what it dirties, it changes.
    None,
    /// A scroll up (or line delete) of `n` rows in the range it dirties;
    /// `cut`: whether a line may go on from the rows leaving the top of
    /// the screen into the row that becomes its first.
    Up { n: usize, cut: bool },
    /// A scroll down (or line insert) of `n` rows in the range it dirties.
    Down(usize),
    /// Text: one row dirtied is the row written; a range is a scroll up by
    /// one (a wrap on the region's bottom row).
    Print,
}

/// Which rows changed, as avt reports them, scrolls followed.
struct Changed {
    rows: Vec<bool>,
    /// Whether each row wrapped into the next when it was last searched
    /// (moved with the rows).
    wraps: Vec<bool>,
    moves: Moves,
    /// Whether the last row pushed off the top of the primary screen
    /// wrapped into the row below it.
    evicted_wrapped: bool,
}

impl Changed {
    fn new(rows: usize) -> Self {
        Self {
            rows: vec![true; rows],
            wraps: Vec::new(),
            moves: Moves::None,
            evicted_wrapped: false,
        }
    }

    fn mark(&mut self, rows: Range<usize>) {
        let end = rows.end.min(self.rows.len());
        if rows.start < end {
            self.rows[rows.start..end].fill(true);
        }
    }

    /// The rows of `range` move up by `n`, `n` new rows below them (blank
    /// unless `written`: a wrap on the region's bottom row). A scroll cuts
    /// soft-wrapped lines at its edges: the row above the range and the
    /// last one before the new rows stop wrapping, and the range's new
    /// first row and the row below it start lines. At the top of the
    /// screen, the first row starts a line anew only if `cut`; at its
    /// bottom, the rows scrolled up keep their wrapping. A blank row holds
    /// no value: it needs no search of its own.
    fn up(&mut self, range: Range<usize>, n: usize, cut: bool, written: bool) {
        let n = n.min(range.len());
        let fresh = range.end - n..range.end;
        self.rows[range.clone()].rotate_left(n);
        if let Some(wraps) = self.wraps.get_mut(range.clone()) {
            wraps.rotate_left(n);
        }
        self.fresh(fresh.clone(), written);
        if range.start > 0 {
            self.mark(range.start - 1..range.start + 1);
        } else if cut {
            self.mark(0..1);
        }
        if range.end < self.rows.len() {
            self.mark(fresh.start.saturating_sub(1)..fresh.start);
            self.mark(range.end..range.end + 1);
        }
    }

    /// The rows of `range` move down by `n`, new blank rows above them.
    fn down(&mut self, range: Range<usize>, n: usize) {
        let n = n.min(range.len());
        let fresh = range.start..range.start + n;
        self.rows[range.clone()].rotate_right(n);
        if let Some(wraps) = self.wraps.get_mut(range.clone()) {
            wraps.rotate_right(n);
        }
        self.fresh(fresh.clone(), false);
        self.mark(fresh.start.saturating_sub(1)..fresh.start);
        self.mark(fresh.end..fresh.end + 1);
        self.mark(range.end - 1..range.end + 1);
    }

    /// New rows: marked if `written`, else blank (wrapping into nothing).
    fn fresh(&mut self, rows: Range<usize>, written: bool) {
        self.rows[rows.clone()].fill(written);
        if let Some(wraps) = self.wraps.get_mut(rows) {
            wraps.fill(false);
        }
    }
}

/// How an action other than a print moves rows.
#[inline(never)]
fn moves(context: &mut Observation<'_>, operation: &Operation) -> Moves {
    let n = |n: &u16| usize::from(*n).max(1);
    match operation {
        Operation::Function(function) => match function {
            Function::Print(_) | Function::Rep(_) => Moves::Print,
            Function::Lf | Function::Nel => Moves::Up {
                n: 1,
                cut: context.terminal().screen().line(0).is_some_and(avt::Line::is_wrapped),
            },
            Function::Su(k) | Function::Dl(k) => Moves::Up { n: n(k), cut: true },
            Function::Ri => Moves::Down(1),
            Function::Sd(k) | Function::Il(k) => Moves::Down(n(k)),
            _ => Moves::None,
        },
        Operation::Resize { .. } => Moves::None,
    }
}

impl Changed {
    /// What an action dirtied, other than a print on its row.
    #[inline(never)]
    fn dirtied(&mut self, rows: Range<usize>) {
        if rows.end > self.rows.len() || rows.is_empty() {
            self.rows.fill(true);
            self.rows.resize(self.rows.len().max(rows.end), true);
            return;
        }
        match self.moves {
            Moves::Up { n, cut } => self.up(rows, n, cut, false),
            Moves::Down(n) => self.down(rows, n),
            Moves::Print if rows.len() > 1 => self.up(rows, 1, true, true),
            Moves::Print | Moves::None => self.mark(rows),
        }
    }
}

impl Observer for Changed {
    type Output = ();

    #[inline(always)]
    fn before(&mut self, context: &mut Observation<'_>, operation: &Operation) {
        // Most actions print a character: the rest are told apart.
        if let Operation::Function(Function::Print(_)) = operation {
            self.moves = Moves::Print;
        } else {
            self.moves = moves(context, operation);
        }
    }

    fn resized(&mut self, _cols: usize, rows: usize) {
        self.rows.clear();
        self.rows.resize(rows, true);
    }

    #[inline(always)]
    fn dirty(&mut self, rows: Range<usize>) {
        // Most often, a character printed on its row.
        if rows.end == rows.start + 1
            && matches!(self.moves, Moves::Print | Moves::None)
            && let Some(row) = self.rows.get_mut(rows.start)
        {
            *row = true;
        } else {
            self.dirtied(rows);
        }
    }

    fn evicted(&mut self, _: &mut Observation<'_>, line: &avt::Line) {
        self.evicted_wrapped = line.is_wrapped();
    }

    fn end(&mut self, _: &mut Observation<'_>) {}
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use crate::privacy::Private;
    use proptest::prelude::*;

    pub(in crate::edit) fn identity() -> Identity {
        let private = |kind, value: &str| Private {
            kind,
            value: value.to_string(),
        };
        Identity::new(&[private(Kind::User, "alice"), private(Kind::Host, "pc42")])
    }

    /// The first row showing a private value, every row searched.
    fn search_all(screen: &OnScreen, identity: &Identity) -> Option<(usize, Kind)> {
        let lines = screen.term.screen().visible_lines().map(|l| (l.text(), l.is_wrapped()));
        identity.find_in_rows(lines.collect::<Vec<_>>())
    }

    /// Feeds `steps` one by one; after each, the changed lines must show
    /// what every row shows.
    fn agree(size: Size, steps: &[&str]) -> Option<(usize, Kind)> {
        let identity = identity();
        let mut screen = OnScreen::new(size);
        let mut found = None;
        for (i, step) in steps.iter().enumerate() {
            screen.feed(&EventData::Output(step.to_string()));
            found = search_all(&screen, &identity);
            assert_eq!(screen.find(&identity), found, "after step {i}: {step:?}");
        }
        found
    }

    #[test]
    fn a_scroll_that_cuts_a_wrapped_line_at_its_edges_shows_what_it_frees() {
        let size = Size::new(5, 5);
        // `alice` goes on from a row of x: no word. A scroll of the rows
        // above it (a region ending on the row before) makes it one.
        let below = ["\x1b[3;1Hxxxxxalice", "\x1b[1;3r\x1b[3;1H\n"];
        assert_eq!(agree(size, &below), Some((3, Kind::User)));
        // The same, the region's first row freed from the row above it.
        let above = ["\x1b[2;1Hxxxxxalice", "\x1b[3;5r\x1b[3;1H\x1b[L"];
        assert_eq!(agree(size, &above).map(|(_, kind)| kind), Some(Kind::User));
        // `alice` went on into a row below the region: the row after it
        // is a new blank one, going up or down.
        let before_new = ["\x1b[3;1Halicexx", "\x1b[1;3r\x1b[3;1H\n"];
        assert_eq!(agree(size, &before_new).map(|(_, kind)| kind), Some(Kind::User));
        let above_new = ["\x1b[2;1Halicexx", "\x1b[3;5r\x1b[3;1H\x1b[L"];
        assert_eq!(agree(size, &above_new).map(|(_, kind)| kind), Some(Kind::User));
        // The region's last row, moved down, no longer goes on into the
        // row below it.
        let last = ["\x1b[4;1Hxxxxxalice", "\x1b[1;4r\x1b[1;1H\x1bM"];
        assert_eq!(agree(size, &last), Some((4, Kind::User)));
    }

    fn piece() -> impl Strategy<Value = String> {
        let fixed = prop::sample::select(vec![
            "alice",
            "al",
            "ice",
            "pc",
            "42",
            "x",
            " ",
            "-",
            "é",
            "世",
            "\u{301}",
            "\r",
            "\n",
            "\r\n",
            "\x08",
            "\t",
            "\x1b[K",
            "\x1b[1K",
            "\x1b[2K",
            "\x1b[J",
            "\x1b[1J",
            "\x1b[2J",
            "\x1b[3X",
            "\x1b[2P",
            "\x1b[2@",
            "\x1b[L",
            "\x1b[2M",
            "\x1b[S",
            "\x1b[2T",
            "\x1bM",
            "\x1bD",
            "\x1bE",
            "\x1b[1m",
            "\x1b[m",
            "\x1b[?7l",
            "\x1b[?7h",
            "\x1b[4h",
            "\x1b[4l",
            "\x1b[?1049h",
            "\x1b[?1049l",
            "\x1b[?6h",
            "\x1b[?6l",
            "\x1b7",
            "\x1b8",
            "\x1bc",
            "\x1b#8",
            "\x1b(0",
            "\x1b(B",
            "\x1b[3b",
            "\x1b[Z",
            "\x1b[2I",
        ])
        .prop_map(str::to_string);
        prop_oneof![
            6 => fixed,
            1 => (1u16..9, 1u16..14).prop_map(|(r, c)| format!("\x1b[{r};{c}H")),
            1 => (1u16..9, 1u16..9).prop_map(|(t, b)| format!("\x1b[{t};{b}r")),
            1 => prop::sample::select(vec!["A", "B", "C", "D", "E", "F", "G", "d", "`"]).prop_flat_map(|f| (1u16..6).prop_map(move |n| format!("\x1b[{n}{f}"))),
        ]
    }

    pub(in crate::edit) fn event() -> impl Strategy<Value = EventData> {
        prop_oneof![
            12 => prop::collection::vec(piece(), 1..8).prop_map(|p| EventData::Output(p.concat())),
            1 => (3u16..15, 2u16..9).prop_map(|(c, r)| EventData::Resize(Size::new(c, r))),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]
        /// After every event, searching the changed lines finds what
        /// searching every row finds: the same row and kind, or nothing.
        #[test]
        fn changed_lines_find_what_every_row_shows(
            cols in 3u16..14, rows in 2u16..8,
            events in prop::collection::vec(event(), 1..30),
        ) {
            let identity = identity();
            let mut screen = OnScreen::new(Size::new(cols, rows));
            for (i, event) in events.iter().enumerate() {
                screen.feed(event);
                let all = search_all(&screen, &identity);
                let changed = screen.find(&identity);
                prop_assert_eq!(changed, all, "after event {}", i);
                if all.is_some() {
                    // A value stays on screen: the next events need not agree.
                    break;
                }
            }
        }
    }
}
