//! What tmux honours and vt100 does not: queries, `CSI s`/`CSI u`, back-tab
//! and tab stops, insert mode, autowrap off, the line-drawing charset, and
//! the cursor's home after setting a scroll region.
//!
//! In: a pane's output, read by read. Out: the same bytes fed to vt100,
//! with what vt100 lacks done around them, and the answers to queries.
//!
//! A [`Scanner`] follows the escape sequences across reads and lists the
//! [`Action`]s a read needs. vt100 ignores every sequence acted on here, so
//! all bytes still reach it, and an action is done right after its
//! sequence's last byte (or, for text and TAB, instead of those bytes).
//! A read with no actions, the usual one, is fed as before: the scan looks
//! only at escape bytes (`memchr`) unless one of these modes is on.

use std::ops::Range;

use crate::screen::replies::Query;

const ESC: u8 = 0x1b;
const CAN: u8 = 0x18;
const SUB: u8 = 0x1a;
const BEL: u8 = 0x07;
const SO: u8 = 0x0e;
const SI: u8 = 0x0f;
/// Longer sequences are none of the ones acted on.
const SEQ_MAX: usize = 16;

/// One thing to do while feeding a read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Answer, with the screen as it is after `at` bytes.
    Reply { at: usize, query: Query },
    /// Feed these bytes after `at` bytes.
    Inject { at: usize, bytes: &'static [u8] },
    /// `CSI n Z` after `at` bytes: back `n` tab stops.
    BackTab { at: usize, n: u16 },
    /// `ESC H` after `at` bytes: a tab stop at the cursor.
    SetTab { at: usize },
    /// `CSI g` (`all`: `CSI 3g`) after `at` bytes.
    ClearTab { at: usize, all: bool },
    /// `ESC c` after `at` bytes: the tab stops are the defaults again.
    Reset { at: usize },
    /// A TAB at this byte, with tab stops of the program's own.
    Tab { at: usize },
    /// Text printed in the modes given, instead of these bytes.
    Text { range: Range<usize>, modes: Modes },
}

/// The modes that change how text prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Modes {
    /// `CSI 4h`.
    pub insert: bool,
    /// `CSI ?7l`.
    pub nowrap: bool,
    /// The active charset is DEC line drawing.
    pub drawing: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Ground,
    Escape,
    Csi,
    Osc,
    /// DCS, SOS, PM or APC: passed over until its end.
    Str,
}

/// Follows escape sequences across reads and finds the actions they need.
#[derive(Debug)]
pub struct Scanner {
    state: State,
    /// The current sequence's bytes after its introducer (up to `SEQ_MAX`).
    seq: Vec<u8>,
    insert: bool,
    nowrap: bool,
    /// G0 and G1 are DEC line drawing; `shifted`: G1 is active (SO).
    g_drawing: [bool; 2],
    shifted: bool,
    /// The program has set or cleared a tab stop.
    custom_tabs: bool,
}

impl Default for Scanner {
    fn default() -> Self {
        Self {
            state: State::Ground,
            seq: Vec::with_capacity(SEQ_MAX),
            insert: false,
            nowrap: false,
            g_drawing: [false; 2],
            shifted: false,
            custom_tabs: false,
        }
    }
}

impl Scanner {
    fn modes(&self) -> Modes {
        Modes {
            insert: self.insert,
            nowrap: self.nowrap,
            drawing: self.g_drawing[usize::from(self.shifted)],
        }
    }

    /// Whether text and controls in the ground state need looking at.
    fn slow(&self) -> bool {
        self.insert || self.nowrap || self.g_drawing[0] || self.g_drawing[1] || self.custom_tabs
    }

    /// Appends the actions `bytes` need to `actions`, in order.
    pub fn scan(&mut self, bytes: &[u8], actions: &mut Vec<Action>) {
        let mut i = 0;
        while i < bytes.len() {
            if self.state == State::Ground {
                i = match self.slow() {
                    false => next_escape(bytes, i),
                    true => self.ground_slow(bytes, i, actions),
                };
                if i < bytes.len() && bytes[i] == ESC {
                    // Most sequences (SGR, cursor moves) ask nothing of
                    // this scanner: one that is whole in this read is
                    // stepped over at once.
                    if let Some(len) = inert_csi(&bytes[i + 1..]) {
                        i += 1 + len;
                        continue;
                    }
                    self.enter(State::Escape);
                    i += 1;
                }
                continue;
            }
            let b = bytes[i];
            i += 1;
            match (self.state, b) {
                (_, CAN | SUB) => self.state = State::Ground,
                (State::Osc, BEL) => {
                    self.osc_end(i, true, actions);
                    self.state = State::Ground;
                }
                (State::Osc, ESC) => {
                    self.osc_end(i - 1, false, actions);
                    self.enter(State::Escape);
                }
                (_, ESC) => self.enter(State::Escape),
                (State::Osc, _) => self.push(b),
                (State::Str, _) => {}
                (_, 0..=0x1f) => {} // executed inside a sequence
                (State::Escape, 0x20..=0x2f) => self.push(b),
                (State::Escape, b'[') if self.seq.is_empty() => {
                    self.enter(State::Csi);
                    i = self.csi_fast(bytes, i, actions);
                }
                (State::Escape, b']') if self.seq.is_empty() => self.enter(State::Osc),
                (State::Escape, b'P' | b'X' | b'^' | b'_') if self.seq.is_empty() => self.state = State::Str,
                (State::Escape, _) => {
                    self.escape_end(b, i, actions);
                    self.state = State::Ground;
                }
                (State::Csi, 0x40..=0x7e) => {
                    let seq = std::mem::take(&mut self.seq);
                    self.csi_end(&seq, b, i, actions);
                    self.seq = seq;
                    self.state = State::Ground;
                }
                (State::Csi, _) => self.push(b),
                (State::Ground, _) => unreachable!("ground is handled above"),
            }
        }
    }

    /// A CSI whose parameters start at `i`, read in one step when it ends
    /// within `bytes` with no control inside; returns where scanning goes on.
    fn csi_fast(&mut self, bytes: &[u8], i: usize, actions: &mut Vec<Action>) -> usize {
        let rest = &bytes[i..];
        match rest.iter().position(|b| !(0x20..=0x3f).contains(b)) {
            Some(k) if (0x40..=0x7e).contains(&rest[k]) => {
                self.csi_end(&rest[..k], rest[k], i + k + 1, actions);
                self.state = State::Ground;
                i + k + 1
            }
            _ => i,
        }
    }

    fn enter(&mut self, state: State) {
        self.state = state;
        self.seq.clear();
    }

    fn push(&mut self, b: u8) {
        if self.seq.len() <= SEQ_MAX {
            self.seq.push(b);
        }
    }

    /// Text and controls from `i` in a mode that changes how they print, up
    /// to the next ESC (or the end).
    fn ground_slow(&mut self, bytes: &[u8], mut i: usize, actions: &mut Vec<Action>) -> usize {
        while i < bytes.len() {
            let b = bytes[i];
            if b == ESC {
                break;
            }
            if b >= 0x20 && b != 0x7f {
                let end = i + bytes[i..]
                    .iter()
                    .position(|&b| b < 0x20 || b == 0x7f)
                    .unwrap_or(bytes.len() - i);
                actions.push(Action::Text {
                    range: i..end,
                    modes: self.modes(),
                });
                i = end;
                continue;
            }
            match b {
                b'\t' if self.custom_tabs => actions.push(Action::Tab { at: i }),
                SO => self.shifted = true,
                SI => self.shifted = false,
                _ => {}
            }
            i += 1;
        }
        i
    }

    fn escape_end(&mut self, last: u8, at: usize, actions: &mut Vec<Action>) {
        match (self.seq.as_slice(), last) {
            ([], b'H') => {
                self.custom_tabs = true;
                actions.push(Action::SetTab { at });
            }
            ([], b'c') => {
                *self = Self::default();
                actions.push(Action::Reset { at });
            }
            ([g @ (b'(' | b')')], _) => self.g_drawing[usize::from(*g == b')')] = last == b'0',
            _ => {}
        }
    }

    fn csi_end(&mut self, seq: &[u8], last: u8, at: usize, actions: &mut Vec<Action>) {
        if !acted_on(last) {
            return;
        }
        let (private, mut params) = match seq.first() {
            Some(&p @ (b'<'..=b'?')) => (Some(p), &seq[1..]),
            _ => (None, seq),
        };
        // DECRQM, `CSI ? Ps $ p`: is a mode set?
        let mode_request = last == b'p' && params.last() == Some(&b'$');
        if mode_request {
            params = &params[..params.len() - 1];
        } else if last == b'p' {
            return;
        }
        if params.len() > SEQ_MAX - 2 || params.iter().any(|b| !matches!(b, b'0'..=b'9' | b';')) {
            return;
        }
        let mut numbers = params.split(|&b| b == b';').map(number);
        let first = numbers.clone().next().unwrap_or(0);
        let query = |query| Action::Reply { at, query };
        let action = match (private, last) {
            (None, b'n') if first == 5 => query(Query::Status),
            (None | Some(b'?'), b'n') if first == 6 => query(Query::Cursor {
                private: private.is_some(),
            }),
            (None | Some(b'?'), b'p') if mode_request => query(Query::Mode {
                private: private.is_some(),
                mode: first,
            }),
            (None, b'c') if first == 0 => query(Query::Primary),
            (Some(b'>'), b'c') if first == 0 => query(Query::Secondary),
            (Some(b'>'), b'q') if first == 0 => query(Query::Version),
            (None, b't') if first == 18 => query(Query::Size),
            (None, b's') if params.is_empty() => Action::Inject { at, bytes: b"\x1b7" },
            (None, b'u') if params.is_empty() => Action::Inject { at, bytes: b"\x1b8" },
            // vt100 homes the cursor to the region's top; a terminal homes
            // it to the screen's (the region's in origin mode, as CUP does).
            (None, b'r') => Action::Inject { at, bytes: b"\x1b[H" },
            (None, b'Z') => Action::BackTab { at, n: first.max(1) },
            (None, b'g') if first == 0 || first == 3 => {
                self.custom_tabs = true;
                Action::ClearTab { at, all: first == 3 }
            }
            (None, b'h' | b'l') if numbers.any(|n| n == 4) => {
                self.insert = last == b'h';
                return;
            }
            (Some(b'?'), b'h' | b'l') if numbers.any(|n| n == 7) => {
                self.nowrap = last == b'l';
                return;
            }
            _ => return,
        };
        actions.push(action);
    }

    /// An OSC ends (its terminator starts at `at`; `bel`: it is BEL).
    fn osc_end(&mut self, at: usize, bel: bool, actions: &mut Vec<Action>) {
        let which = match self.seq.as_slice() {
            b"10;?" => 10,
            b"11;?" => 11,
            _ => return,
        };
        // An ST's ESC is followed by `\\`: answering at the ESC or after
        // the `\\` is the same, for a colour does not depend on the screen.
        actions.push(Action::Reply {
            at,
            query: Query::Colour { which, bel },
        });
    }
}

/// A CSI parameter's value (0 when empty), saturating.
fn number(digits: &[u8]) -> u16 {
    digits
        .iter()
        .fold(0u16, |n, &d| n.saturating_mul(10).saturating_add(u16::from(d - b'0')))
}

/// The DEC special graphics character that `b` stands for, if any.
pub fn drawing(b: u8) -> Option<char> {
    const TABLE: [char; 32] = [
        ' ', '◆', '▒', '␉', '␌', '␍', '␊', '°', '±', '␤', '␋', '┘', '┐', '┌', '└', '┼', '⎺', '⎻', '─', '⎼', '⎽', '├',
        '┤', '┴', '┬', '│', '≤', '≥', 'π', '≠', '£', '·',
    ];
    (0x5f..=0x7e).contains(&b).then(|| TABLE[usize::from(b - 0x5f)])
}

/// The program's tab stops, once it sets or clears one.
#[derive(Debug, Clone, Default)]
pub struct TabStops {
    /// `None`: every 8 columns.
    stops: Option<Vec<bool>>,
}

impl TabStops {
    fn stops(&mut self, cols: u16) -> &mut Vec<bool> {
        let stops = self
            .stops
            .get_or_insert_with(|| (0..cols).map(|c| c > 0 && c % 8 == 0).collect());
        stops.resize(usize::from(cols), false);
        stops
    }

    pub fn set(&mut self, col: u16, cols: u16) {
        if let Some(stop) = self.stops(cols).get_mut(usize::from(col)) {
            *stop = true;
        }
    }

    pub fn clear(&mut self, col: u16, cols: u16, all: bool) {
        let stops = self.stops(cols);
        match all {
            true => stops.fill(false),
            false => {
                if let Some(stop) = stops.get_mut(usize::from(col)) {
                    *stop = false;
                }
            }
        }
    }

    pub fn reset(&mut self) {
        self.stops = None;
    }

    /// The column a TAB from `col` goes to: the next stop, or the last column.
    pub fn next(&mut self, col: u16, cols: u16) -> u16 {
        let stops = self.stops(cols);
        (col + 1..cols)
            .find(|&c| stops[usize::from(c)])
            .unwrap_or(cols.saturating_sub(1))
    }

    /// The column `n` back-tabs from `col` go to: stops before it, or 0.
    pub fn back(&mut self, col: u16, cols: u16, n: u16) -> u16 {
        let stops = self.stops(cols);
        let mut col = col.min(cols.saturating_sub(1));
        for _ in 0..n {
            col = (0..col).rev().find(|&c| stops[usize::from(c)]).unwrap_or(0);
        }
        col
    }
}

/// Feeds `bytes` to `parser` doing `actions` (from [`Scanner::scan`] of
/// these bytes) on the way; `answer` is called for each query with the
/// screen as it is then.
pub fn run(
    parser: &mut vt100::Parser,
    tabs: &mut TabStops,
    bytes: &[u8],
    actions: &[Action],
    mut answer: impl FnMut(Query, &vt100::Screen),
) {
    let mut fed = 0;
    for action in actions {
        let (start, end) = match action {
            Action::Text { range, .. } => (range.start, range.end),
            Action::Tab { at } => (*at, at + 1),
            Action::Reply { at, .. }
            | Action::Inject { at, .. }
            | Action::BackTab { at, .. }
            | Action::SetTab { at }
            | Action::ClearTab { at, .. }
            | Action::Reset { at } => (*at, *at),
        };
        parser.process(&bytes[fed..start]);
        fed = end;
        let cols = parser.screen().size().1.get();
        let col = parser.screen().cursor_position().1;
        match action {
            Action::Reply { query, .. } => answer(*query, parser.screen()),
            Action::Inject { bytes, .. } => parser.process(bytes),
            Action::BackTab { n, .. } => column(parser, tabs.back(col, cols, *n)),
            Action::Tab { .. } => column(parser, tabs.next(col, cols)),
            Action::SetTab { .. } => tabs.set(col, cols),
            Action::ClearTab { all, .. } => tabs.clear(col, cols, *all),
            Action::Reset { .. } => tabs.reset(),
            Action::Text { range, modes } => print(parser, &bytes[range.clone()], *modes),
        }
    }
    parser.process(&bytes[fed..]);
}

/// Moves the cursor to `col` (0-based) on its row.
fn column(parser: &mut vt100::Parser, col: u16) {
    parser.process(format!("\x1b[{}G", col + 1).as_bytes());
}

/// Prints text (printable bytes, no controls) in `modes`.
fn print(parser: &mut vt100::Parser, text: &[u8], modes: Modes) {
    if !modes.insert && !modes.nowrap && !modes.drawing {
        parser.process(text);
        return;
    }
    let cols = parser.screen().size().1.get();
    let mut i = 0;
    while i < text.len() {
        // One character: its lead byte and continuation bytes (a stray
        // continuation byte alone).
        let len = 1 + text[i + 1..]
            .iter()
            .take(3)
            .take_while(|&&b| (0x80..0xc0).contains(&b))
            .count();
        let len = if text[i] < 0xc0 { 1 } else { len };
        let piece = &text[i..i + len];
        i += len;
        if modes.nowrap && parser.screen().cursor_position().1 + 1 >= cols {
            // Without autowrap a character at the edge overwrites the last column.
            column(parser, cols - 1);
        }
        if modes.insert {
            let width = std::str::from_utf8(piece)
                .ok()
                .and_then(|s| s.chars().next())
                .and_then(unicode_width::UnicodeWidthChar::width)
                .unwrap_or(1);
            if width > 0 {
                parser.process(format!("\x1b[{width}@").as_bytes());
            }
        }
        match drawing(piece[0]).filter(|_| modes.drawing) {
            Some(c) => parser.process(c.encode_utf8(&mut [0; 4]).as_bytes()),
            None => parser.process(piece),
        }
        if modes.nowrap && parser.screen().cursor_position().1 >= cols {
            // and the cursor stays there.
            column(parser, cols - 1);
        }
    }
}
/// The final bytes of the control sequences this scanner acts on.
const ACTED_ON: &[u8] = b"nctsuZghlrqp";

/// The length of a control sequence, after its ESC, that is whole in
/// `rest` and ends in a final byte this scanner does not act on.
fn inert_csi(rest: &[u8]) -> Option<usize> {
    let params = rest.strip_prefix(b"[")?;
    let k = params.iter().position(|b| !(0x20..=0x3f).contains(b))?;
    let last = params[k];
    ((0x40..=0x7e).contains(&last) && !acted_on(last)).then_some(k + 2)
}

/// Whether a CSI ending in `last` may be one acted on here.
fn acted_on(last: u8) -> bool {
    const TABLE: [bool; 128] = {
        let mut table = [false; 128];
        let mut k = 0;
        while k < ACTED_ON.len() {
            table[ACTED_ON[k] as usize] = true;
            k += 1;
        }
        table
    };
    TABLE.get(usize::from(last)).copied().unwrap_or(false)
}

/// Where the next ESC is from `i` on (or the end): colourful text has one
/// every few bytes, which a plain look finds sooner than `memchr` starts.
fn next_escape(bytes: &[u8], i: usize) -> usize {
    const NEAR: usize = 16;
    let near = &bytes[i..bytes.len().min(i + NEAR)];
    match near.iter().position(|&b| b == ESC) {
        Some(k) => i + k,
        None if near.len() < NEAR => bytes.len(),
        None => memchr::memchr(ESC, &bytes[i + NEAR..]).map_or(bytes.len(), |k| i + NEAR + k),
    }
}
