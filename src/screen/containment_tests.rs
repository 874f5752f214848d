//! Property tests of the compositor's invariants: whatever bytes one pane
//! receives (text, C0 controls, CSI, OSC, DCS, alternate screen, scroll
//! regions, wide and combining characters, invalid UTF-8), after every
//! frame (a) every other pane's cells, the dividers and the status line are
//! exactly as before, (b) the frames replayed into a fresh emulator of the
//! full screen give the composed screen, (c) every frame is a valid
//! asciicast event (valid UTF-8 in valid JSON), (d) the pane, whose
//! emulator leaves out lines that a flood scrolls out of sight, shows what
//! a plain emulator fed every byte shows, (e) no frame prints a character
//! whose width players dispute, and avt replaying the frames shows every
//! cell outside the pane as the compositor does.

use crate::geometry::Size;
use crate::screen::layout::{Layout, PaneSize, Preset, Side, Split, SplitOf, Titles};
use crate::screen::verify::{contained_through, containment};
use proptest::prelude::*;

/// Characters whose width a pane's emulator and a player may judge
/// differently: ZWJ sequences, flags, regional-indicator pairs, skin tones,
/// keycaps, tag sequences, emoji newer than the players, format and other
/// default-ignorable characters, unassigned and private-use code points,
/// ambiguous-width characters, and a combining mark with nothing before it.
pub(crate) const DISPUTED: &[&str] = &[
    "\u{1F468}\u{200D}\u{1F469}\u{200D}\u{1F467}",
    "\u{1F468}\u{200D}\u{1F4BB}",
    "\u{1F3F3}\u{FE0F}\u{200D}\u{1F308}",
    "\u{1F3F3}\u{200D}\u{1F308}",
    "\u{1F1FA}\u{1F1F8}",
    "\u{1F1E9}",
    "\u{1F44D}\u{1F3FD}",
    "1\u{FE0F}\u{20E3}",
    "\u{1F3F4}\u{E0067}\u{E0062}\u{E0065}\u{E006E}\u{E0067}\u{E007F}",
    "\u{1FAE8}",
    "\u{1FA77}",
    "\u{00AD}",
    "\u{200B}",
    "\u{200C}",
    "\u{2060}",
    "\u{FEFF}",
    "\u{FE0E}",
    "\u{0378}",
    "\u{E0B0}",
    "\u{F0000}",
    "\u{00B1}\u{2502}\u{03B1}",
    "\u{0301}",
    "\u{115F}",
    "\u{3164}",
];

/// One piece of what a hostile program might print.
fn fragment() -> impl Strategy<Value = Vec<u8>> {
    let csi_final = prop::sample::select(b"@ABCDEFGHIJKLMPSTXZ`abcdefghilmnpqrstuxz".to_vec());
    let params = prop::collection::vec(0u16..2000, 0..4);
    prop_oneof![
        // Text: ASCII, accents, wide, combining, emoji.
        "[ -~]{1,40}".prop_map(|s| s.into_bytes()),
        prop::sample::select(vec![
            "é",
            "世界",
            "e\u{301}",
            "\u{1F600}",
            "\u{200d}",
            "ａｂｃ",
            "\u{fe0f}"
        ])
        .prop_map(|s| s.as_bytes().to_vec()),
        // Characters whose width terminals dispute.
        prop::sample::select(DISPUTED.to_vec()).prop_map(|s| s.as_bytes().to_vec()),
        // Any code point at all.
        any::<char>().prop_map(|c| c.to_string().into_bytes()),
        // C0 controls: CR, LF, BS, TAB, BEL, VT, FF, SO, SI, and the rest.
        prop::collection::vec(0u8..0x20, 1..6),
        // CSI with parameters, private or not.
        (any::<bool>(), params, csi_final).prop_map(|(private, ps, f)| {
            let ps: Vec<String> = ps.iter().map(|p| p.to_string()).collect();
            format!("\x1b[{}{}{}", if private { "?" } else { "" }, ps.join(";"), f as char).into_bytes()
        }),
        // Modes and screens.
        prop::sample::select(vec![
            "\x1b[?1049h",
            "\x1b[?1049l",
            "\x1b[?47h",
            "\x1b[?47l",
            "\x1b[?25l",
            "\x1b[?25h",
            "\x1b[?7l",
            "\x1b[?7h",
            "\x1b[?6h",
            "\x1b[?6l",
            "\x1b[?2004h",
            "\x1b[?1000h",
            "\x1b[4h",
            "\x1b[4l",
            "\x1bc",
            "\x1b7",
            "\x1b8",
            "\x1bM",
            "\x1bD",
            "\x1bE",
            "\x1b#8",
            "\x1b(0",
            "\x1b(B",
            "\x1b[3J",
            "\x1b[2J",
        ])
        .prop_map(|s| s.as_bytes().to_vec()),
        // Scroll regions.
        (0u16..40, 0u16..40).prop_map(|(a, b)| format!("\x1b[{a};{b}r").into_bytes()),
        // OSC (titles, clipboard, cwd, colours) and DCS.
        (
            "[ -~]{0,20}",
            prop::sample::select(vec![0u16, 1, 2, 4, 7, 8, 10, 11, 52, 133, 1337])
        )
            .prop_map(|(s, n)| format!("\x1b]{n};{s}\x07").into_bytes()),
        "[ -~]{0,20}".prop_map(|s| format!("\x1bP{s}\x1b\\").into_bytes()),
        // SGR: colours of every kind.
        prop::collection::vec(0u16..256, 1..6).prop_map(|ps| {
            let ps: Vec<String> = ps.iter().map(|p| p.to_string()).collect();
            format!("\x1b[{}m", ps.join(";")).into_bytes()
        }),
        // A flood: more plain lines than any pane has rows.
        prop::collection::vec("[ -~]{0,60}", 40..160).prop_map(|lines| lines.join("\r\n").into_bytes()),
        // Invalid and truncated UTF-8, stray escape bytes.
        prop::collection::vec(
            prop::sample::select(vec![0x80u8, 0xbf, 0xc3, 0xe4, 0xf0, 0xff, 0xfe, 0x1b, 0x9b, 0x90]),
            1..5
        ),
    ]
}

fn chunks() -> impl Strategy<Value = Vec<Vec<u8>>> {
    prop::collection::vec(prop::collection::vec(fragment(), 1..12).prop_map(|f| f.concat()), 1..12)
}

fn check(size: Size, split: Split, hostile: usize, chunks: Vec<Vec<u8>>) -> Result<(), TestCaseError> {
    let layout = Layout::split(size, 3, split, true).map_err(|e| TestCaseError::fail(e.to_string()))?;
    containment(layout, hostile, &chunks).map_err(TestCaseError::fail)
}

fn check_preset(
    size: Size,
    n: usize,
    preset: Preset,
    hostile: usize,
    chunks: Vec<Vec<u8>>,
) -> Result<(), TestCaseError> {
    let layout = Layout::preset(size, n, preset, true).map_err(|e| TestCaseError::fail(e.to_string()))?;
    containment(layout, hostile, &chunks).map_err(TestCaseError::fail)
}

/// A change a step may make to the layout, drawn at random: the panes it
/// names are taken modulo the scene's, and one that cannot be made (no
/// room, a pane not open) is left out.
#[derive(Debug, Clone)]
enum Change {
    Open(usize, usize, u8, Option<u16>),
    Close(usize),
    Resize(usize, bool, u16),
    Zoom(Option<usize>),
    Select(usize),
}

fn change() -> impl Strategy<Value = Change> {
    prop_oneof![
        (0usize..6, 0usize..6, 0u8..4, prop::option::of(1u16..30))
            .prop_map(|(p, of, side, size)| Change::Open(p, of, side, size)),
        (0usize..6).prop_map(Change::Close),
        (0usize..6, any::<bool>(), 1u16..100).prop_map(|(p, across, n)| Change::Resize(p, across, n)),
        prop::option::of(0usize..6).prop_map(Change::Zoom),
        (0usize..5).prop_map(Change::Select),
    ]
}

/// `change` made to `layout`, if it can be; the hostile pane stays open.
fn changed(layout: &Layout, change: &Change, hostile: usize) -> Option<Layout> {
    let sides = [Side::Right, Side::Below, Side::Left, Side::Above];
    match *change {
        Change::Open(p, of, side, size) => {
            let split = SplitOf {
                pane: of,
                side: sides[usize::from(side)],
                size: size.map(PaneSize::Cells),
            };
            layout.open(p, split).ok()
        }
        Change::Close(p) if p != hostile => layout.close(p).ok(),
        Change::Close(_) => None,
        Change::Resize(p, across, n) => {
            let dir = if across { Split::Columns } else { Split::Rows };
            layout.is_open(p).then(|| layout.resize(p, dir, PaneSize::Cells(n)))
        }
        Change::Zoom(p) => layout.zoom(p).ok(),
        Change::Select(i) => layout.select(Preset::named(Preset::NAMES[i])?).ok(),
    }
}

/// Containment of pane 1 while the layout goes through `changes`, a chunk
/// of hostile output after each.
fn check_story(size: Size, titles: Titles, changes: Vec<Change>, chunks: Vec<Vec<u8>>) -> Result<(), TestCaseError> {
    const HOSTILE: usize = 1;
    // Six panes, three of them on screen at the start.
    let start = Layout::split(size, 3, Split::Columns, true)
        .map_err(|e| TestCaseError::fail(e.to_string()))?
        .numbered(&[0, 1, 2], 6)
        .with_titles(titles);
    let mut layout = start.clone();
    let mut story: Vec<(Option<Layout>, &[u8])> = Vec::new();
    for (change, chunk) in changes.iter().zip(&chunks) {
        let next = changed(&layout, change, HOSTILE);
        if let Some(next) = &next {
            layout = next.clone();
        }
        story.push((next, chunk));
    }
    contained_through(start, HOSTILE, &story).map_err(TestCaseError::fail)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn a_pane_is_contained_while_the_layout_changes(
        titles in prop::sample::select(vec![Titles::Off, Titles::Top, Titles::Bottom]),
        changes in prop::collection::vec(change(), 1..10),
        chunks in prop::collection::vec(prop::collection::vec(fragment(), 1..6).prop_map(|f| f.concat()), 10),
    ) {
        check_story(Size::new(90, 30), titles, changes, chunks)?;
    }

    #[test]
    fn columns_middle_pane_is_contained(chunks in chunks()) {
        check(Size::new(100, 36), Split::Columns, 1, chunks)?;
    }

    #[test]
    fn columns_last_pane_is_contained(chunks in chunks()) {
        check(Size::new(61, 20), Split::Columns, 2, chunks)?;
    }

    #[test]
    fn rows_first_pane_is_contained(chunks in chunks()) {
        check(Size::new(40, 30), Split::Rows, 0, chunks)?;
    }

    #[test]
    fn a_stacked_pane_of_main_vertical_is_contained(chunks in chunks()) {
        // Dividers above, below and to its left, joined by junctions.
        check_preset(Size::new(80, 24), 4, Preset::MainVertical { main: 40 }, 2, chunks)?;
    }

    #[test]
    fn a_middle_tile_is_contained(chunks in chunks()) {
        check_preset(Size::new(61, 20), 5, Preset::Tiled, 3, chunks)?;
    }
}
