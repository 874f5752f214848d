//! A pane shows what tmux shows, and answers what tmux answers.
//!
//! Each case's bytes are printed in a real tmux pane of a fixed size and fed
//! to the pane's emulator of the same size; the two screens are compared
//! cell by cell (text, colours and attributes) with the cursor. tmux's
//! screen is read with `capture-pane -p -e -N`, which gives no attributes
//! for the blank cells past a row's last written one: those are compared
//! by text alone.

mod common;

use std::path::Path;

use common::tmux::Tmux;

use director::geometry::Size;
use director::screen::emulator::Emulator;
use director::screen::modes::drawing;

const SIZE: Size = Size::new(20, 6);

fn quoted(path: &Path) -> String {
    format!("'{}'", path.display())
}

/// tmux's screen after `bytes`: its captured rows replayed into a vt100
/// screen, how many cells of each row the capture covers, and the cursor.
fn tmux_screen(size: Size, bytes: &[u8]) -> (vt100::Parser, Vec<u16>, (u16, u16)) {
    let tmux = Tmux::new();
    let raw = tmux.file("raw", bytes);
    tmux.pane(size, &format!("stty raw -echo; cat {}", quoted(&raw)));
    let capture = tmux.run(&["capture-pane", "-p", "-e", "-N"]);
    let cursor = tmux.run(&["display", "-p", "#{cursor_y},#{cursor_x}"]);
    let (y, x) = cursor.trim().split_once(',').unwrap();
    let mut screen = director::screen::emulator::parser(size);
    let mut covered = Vec::new();
    let mut shifted = false;
    for (row, line) in capture.lines().enumerate() {
        screen.process(format!("\x1b[{};1H\x1b[0m", row + 1).as_bytes());
        screen.process(line_drawing(line, &mut shifted).as_bytes());
        let col = screen.screen().cursor_position().1;
        covered.push(if screen.screen().cursor_position().0 as usize == row {
            col
        } else {
            size.cols
        });
    }
    (screen, covered, (y.parse().unwrap(), x.parse().unwrap()))
}

/// The capture marks line-drawing cells with SO … SI (across rows) around
/// the ASCII letters they stand for.
fn line_drawing(line: &str, shifted: &mut bool) -> String {
    line.chars()
        .filter_map(|c| match c {
            '\x0e' => (*shifted = true, None).1,
            '\x0f' => (*shifted = false, None).1,
            c if *shifted && c.is_ascii() => drawing(c as u8).or(Some(c)),
            c => Some(c),
        })
        .collect()
}

/// Where the pane's screen differs from tmux's, if it does.
fn differences(size: Size, bytes: &[u8]) -> Vec<String> {
    let (tmux, covered, tmux_cursor) = tmux_screen(size, bytes);
    let mut pane = Emulator::new(size);
    pane.process(bytes);
    let pane = pane.screen();
    let mut found = Vec::new();
    for row in 0..size.rows {
        for col in 0..size.cols {
            let (t, p) = (tmux.screen().cell(row, col).unwrap(), pane.cell(row, col).unwrap());
            let attrs = |c: &vt100::Cell| {
                (
                    c.fgcolor(),
                    c.bgcolor(),
                    c.bold(),
                    c.dim(),
                    c.italic(),
                    c.underline(),
                    c.inverse(),
                )
            };
            let compare_attrs = col < covered.get(usize::from(row)).copied().unwrap_or(0);
            let text = |c: &vt100::Cell| c.contents().replace(' ', "");
            if text(t) != text(p) || (compare_attrs && attrs(t) != attrs(p)) {
                found.push(format!(
                    "cell {row},{col}: tmux {:?} {:?}, pane {:?} {:?}",
                    t.contents(),
                    attrs(t),
                    p.contents(),
                    attrs(p)
                ));
            }
        }
    }
    let cursor = pane.cursor_position();
    if cursor != tmux_cursor {
        found.push(format!("cursor: tmux {tmux_cursor:?}, pane {cursor:?}"));
    }
    if !found.is_empty() {
        found.insert(
            0,
            format!("tmux:\n{}\npane:\n{}", tmux.screen().contents(), pane.contents()),
        );
    }
    found
}

/// Lines `1` to `n`, each on its own row.
fn numbered(n: u32) -> String {
    (1..=n).map(|i| format!("line {i}")).collect::<Vec<_>>().join("\r\n")
}

fn cases() -> Vec<(&'static str, String)> {
    let full = numbered(6);
    vec![
        (
            "autowrap off cuts a long line",
            format!("\x1b[?7l{}END\r\nnext", "x".repeat(30)),
        ),
        (
            "autowrap off keeps the cursor in the last column",
            format!("\x1b[?7l{}", "x".repeat(25)),
        ),
        ("autowrap on wraps it", format!("{}END", "x".repeat(30))),
        (
            "autowrap off, then on again",
            format!("\x1b[?7l{}\x1b[?7h\r\n{}", "a".repeat(25), "b".repeat(25)),
        ),
        ("insert mode pushes the row right", "abcdefgh\r\x1b[4hXY\x1b[4lZ".into()),
        (
            "insert mode pushes text off the edge",
            format!("{}\x1b[1;3H\x1b[4hINS\x1b[4l", "0123456789".repeat(2)),
        ),
        (
            "insert mode with a wide character",
            "abcdef\r\x1b[4h\u{4e16}\x1b[4l".into(),
        ),
        ("CSI s and CSI u", "ab\x1b[s\x1b[3;5Hmid\x1b[uZ".into()),
        (
            "CSI s keeps the pen",
            "\x1b[31m\x1b[s\x1b[0m\x1b[2;2Hplain\x1b[uR".into(),
        ),
        (
            "ESC 7 and ESC 8 keep the pen",
            "\x1b[1;32m\x1b7\x1b[0m\x1b[4;4Hx\x1b8G".into(),
        ),
        ("back-tab", "\x1b[1;15H\x1b[ZA\x1b[2;18H\x1b[2ZB".into()),
        ("back-tab at the left edge", "\x1b[1;3H\x1b[Z<".into()),
        (
            "tab stops of one's own",
            "\x1b[3g\x1b[1;4H\x1bH\x1b[1;11H\x1bH\r\ta\tb\tc".into(),
        ),
        ("a tab stop cleared", "\x1b[1;9H\x1b[g\r\ta\tb".into()),
        (
            "back-tab to a stop of one's own",
            "\x1b[3g\x1b[1;6H\x1bH\x1b[1;18H\x1b[Z*".into(),
        ),
        ("default tab stops", "a\tb\tc\r\n\td".into()),
        (
            "alternate screen, left",
            "main\x1b[?1049h\x1b[2;2Halt\x1b[?1049l!".into(),
        ),
        ("alternate screen, shown", "main\x1b[?1049h\x1b[2;2Halt".into()),
        ("scroll region", format!("\x1b[2;4r{}\x1b[r", numbered(10))),
        (
            "reverse index at a region's top",
            format!("{full}\x1b[2;4r\x1b[2;1H\x1bMnew\x1b[r"),
        ),
        ("reverse index at the screen's top", format!("{full}\x1b[H\x1bMtop")),
        (
            "origin mode",
            "\x1b[3;5r\x1b[?6h\x1b[1;1HO\x1b[10;1HP\x1b[?6l\x1b[r".into(),
        ),
        ("insert lines", format!("{full}\x1b[2;1H\x1b[2L")),
        ("delete lines", format!("{full}\x1b[2;1H\x1b[2M")),
        (
            "insert lines in a region",
            format!("{full}\x1b[2;5r\x1b[3;1H\x1b[L\x1b[r"),
        ),
        ("insert characters", "abcdefgh\x1b[1;3H\x1b[2@".into()),
        ("delete characters", "abcdefgh\x1b[1;3H\x1b[2P".into()),
        ("erase characters", "abcdefgh\x1b[1;3H\x1b[2X".into()),
        (
            "erase characters with a background",
            "abcdefgh\x1b[1;3H\x1b[44m\x1b[2X\x1b[0m".into(),
        ),
        (
            "erase in line with a background",
            "abcdefgh\x1b[1;3H\x1b[41m\x1b[K\x1b[0m".into(),
        ),
        ("erase to the line's start", "abcdefgh\x1b[1;3H\x1b[1K".into()),
        (
            "erase below with a background",
            format!("{full}\x1b[2;3H\x1b[42m\x1b[J\x1b[0m"),
        ),
        ("erase above", format!("{full}\x1b[3;3H\x1b[1J")),
        ("line drawing through G0", "\x1b(0lqqk\r\nx  x\r\nmqqj\x1b(B ok".into()),
        ("line drawing through G1", "\x1b)0\x0eqqq\x0fabc".into()),
        ("a wide character at the right edge", "\x1b[1;20H\u{4e16}x".into()),
        ("wide characters that fill a row", format!("a{}", "\u{4e16}".repeat(12))),
        (
            "SGR attributes",
            "\x1b[1mb\x1b[2md\x1b[3mi\x1b[4mu\x1b[7mr\x1b[0m \x1b[38;5;208mo\x1b[48;2;1;2;3mt\x1b[0m".into(),
        ),
        (
            "SGR attributes turned off one by one",
            "\x1b[1;4;7;31mA\x1b[22mB\x1b[24mC\x1b[27mD\x1b[39mE".into(),
        ),
        ("the cursor beyond the screen", "\x1b[99;99HX".into()),
        ("a full row, then CR", format!("{}\rZ", "y".repeat(20))),
        ("scroll up and down", format!("{full}\x1b[2S\x1b[1T")),
        ("repeat the last character", "a\x1b[3b".into()),
        ("reset after modes", "\x1b[4h\x1b[?7l\x1b(0q\x1bcafter".into()),
    ]
}

#[test]
fn a_pane_shows_what_a_tmux_pane_shows() {
    let cases = cases();
    assert!(cases.len() >= 30);
    let failed: Vec<String> = cases
        .iter()
        .filter_map(|(name, bytes)| {
            let found = differences(SIZE, bytes.as_bytes());
            (!found.is_empty()).then(|| format!("{name}:\n{}", found.join("\n")))
        })
        .collect();
    assert!(
        failed.is_empty(),
        "{} of {} differ:\n\n{}",
        failed.len(),
        cases.len(),
        failed.join("\n\n")
    );
}

/// Queries, each after some output, in the order a program sends them.
const QUERIES: &[&[u8]] = &[
    b"\x1b[5n",
    b"\x1b[6n",
    b"hello\x1b[6n",
    b"\x1b[3;7H\x1b[6n",
    b"\x1b[c",
    b"\x1b[0c",
    b"\x1b[>c",
    b"\x1b[2;1Hxxxxxxxxxxxxxxxxxxxx\x1b[6n",
    b"\x1b[?7l\x1b[4;1Hxxxxxxxxxxxxxxxxxxxxxxxx\x1b[6n",
];

/// What tmux answers to each of `QUERIES`, read by a program in its pane.
fn tmux_answers(size: Size) -> Vec<Vec<u8>> {
    let tmux = Tmux::new();
    let script: Vec<String> = QUERIES
        .iter()
        .enumerate()
        .map(|(i, query)| {
            let query = tmux.file(&format!("query{i}"), query);
            let answer = tmux.dir().join(format!("answer{i}"));
            format!(
                "cat {}; dd bs=256 count=1 of={} 2>/dev/null",
                quoted(&query),
                quoted(&answer)
            )
        })
        .collect();
    tmux.pane(size, &format!("stty raw -echo; {}", script.join("; ")));
    (0..QUERIES.len())
        .map(|i| std::fs::read(tmux.dir().join(format!("answer{i}"))).unwrap())
        .collect()
}

#[test]
fn queries_get_the_answers_tmux_gives() {
    let expected = tmux_answers(SIZE);
    let mut pane = Emulator::new(SIZE);
    for (query, expected) in QUERIES.iter().zip(&expected) {
        pane.process(query);
        let answer = pane.take_replies();
        assert_eq!(
            String::from_utf8_lossy(&answer),
            String::from_utf8_lossy(expected),
            "after {:?}",
            String::from_utf8_lossy(query)
        );
    }
}

#[test]
fn answers_come_in_order_once_however_the_output_is_cut() {
    let mut pane = Emulator::new(SIZE);
    // A flood that is kept for later, then a query cut in three reads.
    let flood = format!("{}\r\n", "word ".repeat(3)).repeat(100);
    pane.process(flood.as_bytes());
    assert_eq!(pane.take_replies(), b"");
    pane.process(b"ab\x1b[");
    pane.process(b"6");
    assert_eq!(pane.take_replies(), b"", "not before the query ends");
    pane.process(b"ncd\x1b[5n\x1b]11;?\x1b\\\x1b]10;?\x07\x1b[6n");
    assert_eq!(
        String::from_utf8(pane.take_replies()).unwrap(),
        "\x1b[6;3R\x1b[0n\x1b]11;rgb:1212/1313/1414\x1b\\\x1b]10;rgb:cccc/cccc/cccc\x07\x1b[6;5R"
    );
    assert_eq!(pane.take_replies(), b"", "taken once");
    // The size as xterm words it, rows first (tmux 3.3a gives columns first).
    pane.process(b"\x1b[18t");
    assert_eq!(pane.take_replies(), b"\x1b[8;6;20t");
    pane.process(b"\x1b[?6n\x1b[>q");
    let version = format!("\x1b[?6;5R\x1bP>|director {}\x1b\\", env!("CARGO_PKG_VERSION"));
    assert_eq!(String::from_utf8(pane.take_replies()).unwrap(), version);
}
