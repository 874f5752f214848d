//! A pane's terminal emulator: vt100, fed lazily, with what the compositor
//! needs to redraw little.
//!
//! In: what a pane's program prints (redacted). Out: the pane's screen, and
//! for the compositor a [`PaneView`] that says what changed.
//!
//! Output is kept until someone looks at the screen (a frame, a wait, a
//! key that depends on the terminal's modes), then fed in one go: a program
//! that floods its pane is emulated about once a frame, and the lines that
//! scroll away unseen meanwhile are left out ([`flood`]). Small writes, like
//! the echo of a key, are fed at once, and when one moved the cursor along
//! a single row the emulator says so, so that only that row is drawn again.
//!
//! What vt100 lacks and tmux does ([`modes`]) is done around it, and a
//! program's queries are answered ([`replies`]): a read that holds a query
//! is fed at once, and the answers wait in [`Emulator::take_replies`] for
//! the director to write them to the program.

use std::cell::{Ref, RefCell};

use crate::geometry::Size;
use crate::screen::flood;
use crate::screen::modes::{self, Action, Scanner, TabStops};
use crate::screen::replies::{self, Colours, Facts};
use crate::screen::vs16::DropVs16;

/// Writes up to this long are fed at once (when nothing is kept).
const AT_ONCE: usize = 64;
/// Kept output is fed when it grows this long, whoever looks.
const KEEP_MAX: usize = 1 << 20;

pub struct Emulator {
    inner: RefCell<Inner>,
    vs16: DropVs16,
    generation: u64,
    changes: Changes,
    scanner: Scanner,
    /// The actions of the read at hand (kept for its capacity).
    actions: Vec<Action>,
    colours: Colours,
    /// Answers not taken yet.
    replies: Vec<u8>,
}

struct Inner {
    parser: vt100::Parser,
    /// Output not fed yet.
    kept: Vec<u8>,
    /// Whether the parser is certainly in its ground state before `kept`
    /// ([`flood::ground_after`]).
    ground: bool,
    tabs: TabStops,
    /// Every byte is fed at once, none left out.
    plain: bool,
}

impl Inner {
    fn feed(&mut self, bytes: &[u8]) {
        match self.plain {
            true => {
                self.parser.process(bytes);
                self.ground = flood::ground_after(self.ground, bytes);
            }
            false => feed(&mut self.parser, &mut self.ground, bytes),
        }
    }

    fn feed_kept(&mut self) {
        let Inner {
            parser, kept, ground, ..
        } = self;
        if !kept.is_empty() {
            feed(parser, ground, kept);
            kept.clear();
        }
    }
}

fn feed(parser: &mut vt100::Parser, ground: &mut bool, bytes: &[u8]) {
    flood::feed(parser, *ground, bytes);
    *ground = flood::ground_after(*ground, bytes);
}

/// Feeds a read that needs [`modes`] actions, now and in order, for the
/// answers depend on the screen. Kept out of the usual path.
#[cold]
#[inline(never)]
fn run_actions(inner: &mut Inner, bytes: &[u8], actions: &[Action], colours: &Colours, replies: &mut Vec<u8>) {
    inner.feed_kept();
    modes::run(&mut inner.parser, &mut inner.tabs, bytes, actions, |query, screen| {
        let facts = Facts {
            cursor: screen.cursor_position(),
            size: (screen.size().0.get(), screen.size().1.get()),
        };
        replies::answer(query, &facts, colours, replies);
    });
    inner.ground = flood::ground_after(inner.ground, bytes);
}

/// What the compositor needs from one pane for one frame: its screen, and
/// what changed since it last looked.
pub struct PaneView<'a> {
    pub screen: &'a vt100::Screen,
    /// A number that grows whenever the screen changes
    /// ([`Emulator`]): an
    /// unchanged pane is not drawn again. `None`: always look at every row.
    /// Views of one pane must come from one emulator.
    pub generation: Option<u64>,
    /// Which rows changed lately, when the emulator knows.
    pub changes: Option<Changes>,
}

/// The screen differs from the one at generation `since` in `row` at most
/// (`None`: in no row).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Changes {
    pub since: u64,
    pub row: Option<u16>,
}

impl Changes {
    /// The screen is the one at generation `since`.
    pub fn none_since(since: u64) -> Self {
        Self { since, row: None }
    }
}

impl<'a> PaneView<'a> {
    /// A view that is looked at whole.
    pub fn of(screen: &'a vt100::Screen) -> Self {
        Self {
            screen,
            generation: None,
            changes: None,
        }
    }
}

/// A plain vt100 parser of `size` without scrollback: the full screen's,
/// or one that is fed every byte at once.
pub fn parser(size: Size) -> vt100::Parser {
    // Sizes are validated non-zero when the layout is made; 1 is a safe floor.
    let rows = std::num::NonZeroU16::new(size.rows.max(1)).unwrap_or(std::num::NonZeroU16::MIN);
    let cols = std::num::NonZeroU16::new(size.cols.max(1)).unwrap_or(std::num::NonZeroU16::MIN);
    vt100::Parser::new(rows, cols, 0)
}

impl Emulator {
    pub fn new(size: Size) -> Self {
        Self {
            inner: RefCell::new(Inner {
                parser: parser(size),
                kept: Vec::new(),
                ground: true,
                tabs: TabStops::default(),
                plain: false,
            }),
            vs16: DropVs16::default(),
            generation: 0,
            changes: Changes::none_since(0),
            scanner: Scanner::default(),
            actions: Vec::new(),
            colours: Colours::default(),
            replies: Vec::new(),
        }
    }

    /// This emulator, still empty, keeping `lines` lines that scroll off
    /// the top of its main screen, which growing it brings back, as tmux's
    /// history does. A pane that may grow keeps as many as it may grow by.
    pub fn with_history(self, lines: usize) -> Self {
        {
            let mut inner = self.inner.borrow_mut();
            let (rows, cols) = inner.parser.screen().size();
            inner.parser = vt100::Parser::new(rows, cols, lines);
        }
        self
    }

    /// An emulator that feeds every byte at once and leaves none out: the
    /// reference that the lazy one is checked against.
    pub fn plain(size: Size) -> Self {
        let emulator = Self::new(size);
        emulator.inner.borrow_mut().plain = true;
        emulator
    }

    /// The colours that `OSC 10;?` and `OSC 11;?` are answered with.
    pub fn set_colours(&mut self, colours: Colours) {
        self.colours = colours;
    }

    /// The answers to the queries in the output taken so far, in order,
    /// for the program: write them to it after the output they answer.
    pub fn take_replies(&mut self) -> Vec<u8> {
        std::mem::take(&mut self.replies)
    }

    /// Takes pane output. The screen shows it whenever it is looked at.
    pub fn process(&mut self, bytes: &[u8]) {
        self.generation += 1;
        let bytes = &*self.vs16.filter(bytes);
        let inner = self.inner.get_mut();
        self.actions.clear();
        self.scanner.scan(bytes, &mut self.actions);
        if !self.actions.is_empty() {
            run_actions(inner, bytes, &self.actions, &self.colours, &mut self.replies);
            self.changes = Changes::none_since(self.generation);
            return;
        }
        if !inner.plain && (!inner.kept.is_empty() || bytes.len() > AT_ONCE) {
            inner.kept.extend_from_slice(bytes);
            if inner.kept.len() >= KEEP_MAX {
                inner.feed_kept();
            }
            self.changes = Changes::none_since(self.generation);
            return;
        }
        let ground = inner.ground;
        let before = inner.parser.screen().cursor_position();
        inner.feed(bytes);
        let after = inner.parser.screen().cursor_position();
        // Printable ASCII printed in the ground state that moved the cursor
        // right by its length, without wrapping, changed its row alone; and
        // with an earlier change to the same row (or none), still one row.
        let one_row = ground
            && !bytes.is_empty()
            && bytes.iter().all(|b| (0x20..=0x7e).contains(b))
            && after.0 == before.0
            && usize::from(after.1) == usize::from(before.1) + bytes.len()
            && self.changes.row.is_none_or(|row| row == before.0);
        self.changes = match one_row {
            true => Changes {
                row: Some(before.0),
                ..self.changes
            },
            false => Changes::none_since(self.generation),
        };
    }

    /// Gives the screen a new size, as tmux does a pane's: rows taken away
    /// go first from below the cursor, then from the top into the history;
    /// rows added come from the history (see [`Emulator::with_history`]);
    /// a new width cuts or pads each row and resets the tab stops.
    pub fn resize(&mut self, size: Size) {
        let inner = self.inner.get_mut();
        inner.feed_kept();
        let (rows, cols) = inner.parser.screen().size();
        if (rows.get(), cols.get()) == (size.rows, size.cols) {
            return;
        }
        if cols.get() != size.cols {
            inner.tabs = TabStops::default();
        }
        let nonzero = |n: u16| std::num::NonZeroU16::new(n).unwrap_or(std::num::NonZeroU16::MIN);
        inner.parser.set_size(nonzero(size.rows), nonzero(size.cols));
        self.generation += 1;
        self.changes = Changes::none_since(self.generation);
    }

    /// Counts the output taken: the screen may have changed when it did.
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// The screen, with all output fed.
    pub fn screen(&self) -> Ref<'_, vt100::Screen> {
        self.inner.borrow_mut().feed_kept();
        Ref::map(self.inner.borrow(), |inner| inner.parser.screen())
    }

    /// The screen for the compositor, with all output fed.
    pub fn view(&mut self) -> PaneView<'_> {
        let inner = self.inner.get_mut();
        inner.feed_kept();
        PaneView {
            screen: inner.parser.screen(),
            generation: Some(self.generation),
            changes: Some(self.changes),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kept_output_shows_whenever_the_screen_is_looked_at() {
        let size = Size::new(30, 5);
        let (mut lazy, mut plain) = (Emulator::new(size), parser(size));
        for i in 0..300 {
            let chunk = format!("\x1b[3{}mline {i} of a flood\x1b[0m\r\n", i % 8).repeat(3);
            lazy.process(chunk.as_bytes());
            plain.process(chunk.as_bytes());
            if i % 50 == 0 {
                assert_eq!(lazy.screen().contents_formatted(), plain.screen().contents_formatted());
            }
        }
        assert!(lazy.inner.borrow().kept.len() > 1000, "a flood is kept until looked at");
        let view = lazy.view();
        assert_eq!(view.changes.unwrap().row, None);
        assert_eq!(view.screen.contents_formatted(), plain.screen().contents_formatted());
        assert!(lazy.inner.borrow().kept.is_empty());
        // A key's echo is fed at once, and changes one row.
        lazy.process(b"x");
        assert!(lazy.inner.borrow().kept.is_empty());
        assert_eq!(lazy.view().changes.unwrap().row, Some(4));
    }
}
