//! Floods of plain lines: the lines that scroll out of a pane within one
//! read are never seen, so they need not be emulated.
//!
//! `seq 1 1000000` prints a million lines and a pane shows 35 of them. Every
//! line costs the emulator a scroll, yet a frame is cut at most once per
//! read: the screen in between is never looked at. [`feed`] hands the
//! emulator the first line of a read, finds the row the cursor rests on,
//! and leaves out the lines that would scroll past it before the last
//! screenful. The screen afterwards is the one a full feed would give, cell
//! for cell, with the same cursor, modes and scroll region; the property
//! test below holds it to that against the plain emulator.
//!
//! The argument, for a read whose first bytes are plain (printable ASCII,
//! CR, LF, TAB, BS) and that starts in the parser's ground state:
//!
//! 1. After some LF that scrolls, the cursor rests on the bottom row of the
//!    scroll region. Plain bytes never move it off that row (CR, TAB, BS and
//!    text stay on it; LF and wrapping scroll the region) and never change
//!    the pen, the modes, the region or the rows outside it.
//! 2. So the bytes between that LF and a later CR change only the rows of
//!    the region; after the CR both feeds stand at column 0 of the same row.
//! 3. When at least as many LFs as the pane has rows follow that CR, every
//!    row of the region is scrolled out and drawn anew by the same bytes;
//!    and when as many more follow as the lines kept above the screen
//!    (its scrollback, kept when a pane may grow), those are the same too.
//!
//! Leaving out the bytes of step 2 therefore changes nothing that remains.
//! Whether an LF scrolled is seen on the screen: the row the cursor left
//! was not blank, and after the LF it is.

/// How many plain LFs a read needs before leaving lines out can pay.
const WORTH_IT: usize = 8;

/// Feeds `bytes` to `parser`, leaving out plain lines that scroll out of
/// sight before the end of `bytes`. `ground` tells whether the parser is
/// certainly in its ground state with no partial character pending
/// ([`ground_after`]); without that, everything is fed. Returns how many
/// bytes were left out.
pub fn feed(parser: &mut vt100::Parser, ground: bool, bytes: &[u8]) -> usize {
    // The lines kept above the screen must be the ones a full feed leaves
    // there, so that growing the screen brings back the same lines: they
    // count as rows.
    let screen_rows = usize::from(parser.screen().size().0.get());
    let rows = screen_rows + parser.screen().scrollback_capacity();
    if !ground || bytes.len() < (2 * rows + WORTH_IT) * 2 {
        parser.process(bytes);
        return 0;
    }
    let text = &bytes[..plain_len(bytes)];
    if memchr::memchr_iter(b'\n', text).count() < 2 * rows + WORTH_IT {
        parser.process(bytes);
        return 0;
    }
    // The first LF, or failing that the one a screenful later, must scroll.
    let mut done = 0;
    let mut rests = false;
    for nth in [1, screen_rows] {
        let Some(lf) = nth_lf(&text[done..], nth).map(|i| done + i) else {
            break;
        };
        parser.process(&text[done..lf]);
        rests = lf_scrolls(parser);
        done = lf + 1;
        if rests {
            break;
        }
    }
    match cut(text, done, rows).filter(|_| rests) {
        Some(cut) => {
            parser.process(&bytes[cut..]);
            cut - done
        }
        None => {
            parser.process(&bytes[done..]);
            0
        }
    }
}

/// Where the fed bytes resume after `done`: at a CR followed by at least
/// `rows` LFs within `text`, if there is one past `done`. What follows must
/// print a character too, for the emulator remembers the last one (for
/// REP, `CSI b`).
fn cut(text: &[u8], done: usize, rows: usize) -> Option<usize> {
    let last_lfs = memchr::memrchr_iter(b'\n', text).nth(rows - 1)?;
    let cr = done + memchr::memrchr(b'\r', text.get(done..last_lfs)?)?;
    let prints = text[cr..].iter().any(|b| (0x20..=0x7e).contains(b));
    (cr > done && prints).then_some(cr)
}

/// Feeds one LF, and tells whether it scrolled: the cursor kept its row,
/// which was not blank before and is after.
fn lf_scrolls(parser: &mut vt100::Parser) -> bool {
    let (row, _) = parser.screen().cursor_position();
    let was_blank = row_is_blank(parser.screen(), row);
    parser.process(b"\n");
    let screen = parser.screen();
    !was_blank && screen.cursor_position().0 == row && row_is_blank(screen, row)
}

/// Whether `row` holds no text. (Reading it up to the start of the next
/// row walks the rows once; a cell at a time would walk them per cell.)
fn row_is_blank(screen: &vt100::Screen, row: u16) -> bool {
    screen
        .contents_between(row, 0, row.saturating_add(1), 0)
        .trim()
        .is_empty()
}

/// Bytes that, in the ground state, only print or move the cursor within
/// the scroll region: printable ASCII, CR, LF, TAB and BS.
fn is_plain(b: u8) -> bool {
    matches!(b, 0x20..=0x7e | b'\r' | b'\n' | b'\t' | 0x08)
}

/// The length of the plain bytes `bytes` start with. Whole blocks are
/// checked without branching, which the compiler vectorises.
fn plain_len(bytes: &[u8]) -> usize {
    const BLOCK: usize = 64;
    let blocks = bytes
        .chunks_exact(BLOCK)
        .take_while(|block| block.iter().fold(true, |all, &b| all & is_plain(b)));
    let start = blocks.count() * BLOCK;
    start
        + bytes[start..]
            .iter()
            .position(|&b| !is_plain(b))
            .unwrap_or(bytes.len() - start)
}

/// The index of the `nth` LF (counting from 1) in `text`.
fn nth_lf(text: &[u8], nth: usize) -> Option<usize> {
    memchr::memchr_iter(b'\n', text).nth(nth - 1)
}

/// Whether the parser is certainly in its ground state, with no partial
/// character pending, after `bytes`, given whether it was before them.
///
/// Conservative: the ground state is known after plain text, after a
/// complete CSI or ESC sequence, after an OSC ended by BEL, and after CAN or
/// SUB. Anything else (a DCS, a sequence split across reads, a control
/// inside a sequence) counts as not known until a later one of those.
pub fn ground_after(before: bool, bytes: &[u8]) -> bool {
    const CAN: u8 = 0x18;
    const SUB: u8 = 0x1a;
    const ESC: u8 = 0x1b;
    let tail = match memchr::memrchr3(CAN, SUB, ESC, bytes) {
        None if before => bytes,
        None => return false,
        Some(i) if bytes[i] != ESC => &bytes[i + 1..],
        Some(i) => match sequence_len(&bytes[i + 1..]) {
            Some(n) => &bytes[i + 1 + n..],
            None => return false,
        },
    };
    !ends_mid_character(tail)
}

/// The length of the escape sequence that `after_esc` starts with, when it
/// is complete and returns the parser to the ground state.
fn sequence_len(after_esc: &[u8]) -> Option<usize> {
    let final_at = |from: usize, body: std::ops::RangeInclusive<u8>, last: std::ops::RangeInclusive<u8>| {
        let k = from + after_esc[from..].iter().position(|b| !body.contains(b))?;
        last.contains(&after_esc[k]).then_some(k + 1)
    };
    match after_esc.first()? {
        b'[' => final_at(1, 0x20..=0x3f, 0x40..=0x7e),
        b']' => after_esc.iter().position(|&b| b == 0x07).map(|k| k + 1),
        b'P' | b'X' | b'^' | b'_' => None,
        _ => final_at(0, 0x20..=0x2f, 0x30..=0x7e),
    }
}

/// Whether `bytes` end inside a UTF-8 sequence, which the parser would keep
/// pending for the next read.
fn ends_mid_character(bytes: &[u8]) -> bool {
    let last = &bytes[bytes.len().saturating_sub(3)..];
    last.iter()
        .rposition(|&b| b >= 0xc0)
        .is_some_and(|k| std::str::from_utf8(&last[k..]).is_err_and(|e| e.error_len().is_none()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn parser(rows: u16, cols: u16) -> vt100::Parser {
        crate::screen::emulator::parser(crate::geometry::Size { cols, rows })
    }

    /// Everything observable of a screen, and what would show later: the
    /// scroll region, modes and saved cursor are in its debug form.
    fn state(p: &vt100::Parser) -> String {
        let screen = p.screen();
        let debug = format!("{screen:?}");
        // The count of rows ever scrolled off is not state that shows.
        let debug = regex::Regex::new(r"unbounded_len: \d+")
            .unwrap()
            .replace_all(&debug, "");
        format!("{:?}\n{debug}", screen.state_formatted())
    }

    #[test]
    fn ground_is_known_after_complete_sequences_only() {
        assert!(ground_after(true, b"plain text\r\n"));
        assert!(!ground_after(false, b"plain text\r\n"));
        assert!(ground_after(false, b"\x1b[1;31mred"));
        assert!(ground_after(false, b"x\x1b[?1049h"));
        assert!(ground_after(false, b"\x1b]0;title\x07after"));
        assert!(ground_after(false, b"\x1b(B"));
        assert!(ground_after(false, b"\x1b\\"));
        assert!(ground_after(false, b"\x1bP junk \x18"));
        assert!(!ground_after(true, b"\x1b[1;3"));
        assert!(!ground_after(true, b"\x1b]0;title"));
        assert!(!ground_after(true, b"\x1bPq"));
        assert!(!ground_after(true, b"\x1b"));
        assert!(!ground_after(true, b"\x1b[1\r2m"));
        assert!(!ground_after(true, "caf\u{e9}".as_bytes().split_last().unwrap().1));
        assert!(ground_after(true, "caf\u{e9} \u{1f600}".as_bytes()));
        assert!(!ground_after(true, &"\u{1f600}".as_bytes()[..3]));
        assert!(ground_after(true, b"\xff\xc0"), "invalid bytes are replaced, not kept");
    }

    #[test]
    fn a_flood_feeds_a_fraction_and_ends_on_the_same_screen() {
        let flood: String = (1..=2000).map(|i| format!("{i}\r\n")).collect();
        let (mut full, mut fast) = (parser(35, 100), parser(35, 100));
        full.process(b"$ seq 1 2000\r\n");
        fast.process(b"$ seq 1 2000\r\n");
        full.process(flood.as_bytes());
        let left_out = feed(&mut fast, true, flood.as_bytes());
        assert_eq!(state(&fast), state(&full));
        assert!(
            fast.screen().contents().starts_with("1967\n"),
            "{}",
            fast.screen().contents()
        );
        // Fed: lines 1 to 36 (the first LF does not scroll, for the cursor
        // starts on row 2; the LF a screenful later does), then from the CR
        // that ends the last screenful but one. Left out: lines 37 to 1965,
        // and the digits of 1966.
        let lines = |range: std::ops::RangeInclusive<u32>| range.map(|i| format!("{i}\r\n").len()).sum::<usize>();
        assert_eq!(left_out, lines(37..=1965) + "1966".len());
        assert!(left_out * 100 > flood.len() * 95, "{left_out} of {}", flood.len());
    }

    #[test]
    fn a_flood_keeps_the_history_a_full_feed_keeps() {
        // A pane of 10 rows that keeps 30 lines of history, grown to 40
        // rows after the flood: the 30 lines brought back are the same.
        let flood: String = (1..=3000).map(|i| format!("{i}\r\n")).collect();
        let nonzero = |n| std::num::NonZeroU16::new(n).unwrap();
        let history = |rows| vt100::Parser::new(nonzero(rows), nonzero(20), 30);
        let (mut full, mut fast) = (history(10), history(10));
        full.process(flood.as_bytes());
        let left_out = feed(&mut fast, true, flood.as_bytes());
        assert!(left_out > flood.len() / 2, "{left_out}");
        for p in [&mut full, &mut fast] {
            p.set_size(nonzero(40), nonzero(20));
        }
        assert_eq!(state(&fast), state(&full));
        assert!(
            fast.screen().contents().starts_with("2962\n"),
            "{}",
            fast.screen().contents()
        );
    }

    #[test]
    fn a_flood_below_the_scroll_region_is_fed_whole() {
        // The cursor sits below a region: LFs do not scroll, and lines
        // overwrite one another on the last row.
        let (mut full, mut fast) = (parser(10, 20), parser(10, 20));
        full.process(b"\x1b[2;5r\x1b[10;1H");
        fast.process(b"\x1b[2;5r\x1b[10;1H");
        let flood: String = (0..200).map(|i| format!("{}\r\n", "x".repeat(200 - i))).collect();
        full.process(flood.as_bytes());
        feed(&mut fast, true, flood.as_bytes());
        assert_eq!(state(&fast), state(&full));
    }

    #[test]
    fn a_sequence_left_open_before_a_flood_is_fed_whole() {
        // CR and LF act inside a CSI, and digits are its parameters: the
        // 7 on line 3 makes the final `m` an SGR 7 (inverse), which would be
        // lost with the lines around it.
        let (mut full, mut fast) = (parser(4, 20), parser(4, 20));
        let before = b"one\r\ntwo\r\nthree\r\nfour\x1b[";
        full.process(before);
        fast.process(before);
        let flood = format!("\r\n\r\n7\r\n{}mx\r\n", "\r\n".repeat(40));
        full.process(flood.as_bytes());
        let ground = ground_after(true, before);
        assert!(!ground);
        let left_out = feed(&mut fast, ground, flood.as_bytes());
        assert_eq!(state(&fast), state(&full));
        assert_eq!(left_out, 0);
        assert!(
            full.screen().cell(2, 0).unwrap().inverse(),
            "{:?}",
            full.screen().contents()
        );
    }

    /// Bytes that leave the emulator in every kind of state: scroll regions,
    /// origin, insert and wrap modes, the alternate screen, saved cursors,
    /// sequences cut in half, partial characters.
    fn fragment() -> impl Strategy<Value = Vec<u8>> {
        prop_oneof![
            prop::sample::select(vec![
                "\x1b[3;8r",
                "\x1b[r",
                "\x1b[1;2r",
                "\x1b[?1049h",
                "\x1b[?1049l",
                "\x1b[4h",
                "\x1b[4l",
                "\x1b[?6h",
                "\x1b[?6l",
                "\x1b[?7l",
                "\x1b[?7h",
                "\x1b[5;3H",
                "\x1b[99;99H",
                "\x1b[2J",
                "\x1b[31;44m",
                "\x1b[0m",
                "\x1b]0;title",
                "\x07",
                "\x1bP1q",
                "\x1b\\",
                "\x1b[",
                "5",
                ";",
                "\x1b7",
                "\x1b8",
                "\x1bM",
                "\x1bD",
                "\x1bE",
                "\x1b[L",
                "\x1b[M",
                "\x1b[3S",
                "\x1b[2T",
                "\x18",
                "\u{e9}",
                "\u{4e16}",
                "\u{1f600}",
                "\t",
                "\x08",
                "\r",
                "\n",
                "\r\n",
                "wrap me around the edge of the pane",
                "\x1b[?25l",
                "\x1b[3g",
                "\x1bH",
                "\x1b[20l",
                "\x1b[20h",
            ])
            .prop_map(|s| s.as_bytes().to_vec()),
            Just(vec![0xe2, 0x82]),
            Just(vec![0xac]),
        ]
    }

    /// A plain line of 0 to 70 characters (panes here are 30 wide) and its
    /// ending: CRLF mostly, sometimes a bare LF or CR.
    fn plain_line() -> impl Strategy<Value = Vec<u8>> {
        let body = prop::collection::vec(prop::sample::select(b"abc 123\t\x08".to_vec()), 0..70);
        let end = prop::sample::select(vec!["\r\n", "\r\n", "\r\n", "\n", "\r"]);
        (body, end).prop_map(|(mut body, end)| {
            body.extend_from_slice(end.as_bytes());
            body
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]
        /// Whatever came before and however the bytes are split into reads,
        /// feeding with floods left out ends every read on the same screen
        /// as feeding everything.
        #[test]
        fn leaving_lines_out_never_changes_the_screen(
            rows in 2u16..12,
            before in prop::collection::vec(fragment(), 0..30),
            flood in prop::collection::vec(plain_line(), 0..120),
            after in prop::collection::vec(fragment(), 0..10),
            cuts in prop::collection::vec(0usize..4000, 0..6),
        ) {
            let mut stream: Vec<u8> = before.concat();
            stream.extend(flood.concat());
            stream.extend(after.concat());
            let mut cuts: Vec<usize> = cuts.into_iter().map(|c| c % (stream.len() + 1)).collect();
            cuts.extend([0, stream.len()]);
            cuts.sort_unstable();
            let (mut full, mut fast) = (parser(rows, 30), parser(rows, 30));
            let mut ground = true;
            for read in cuts.windows(2).map(|w| &stream[w[0]..w[1]]) {
                full.process(read);
                let left_out = feed(&mut fast, ground, read);
                prop_assert!(left_out < read.len().max(1));
                ground = ground_after(ground, read);
                prop_assert_eq!(state(&fast), state(&full));
            }
        }
    }
}
