//! Property tests of the compositor's invariants: whatever bytes one pane
//! receives (text, C0 controls, CSI, OSC, DCS, alternate screen, scroll
//! regions, wide and combining characters, invalid UTF-8), after every
//! frame (a) every other pane's cells, the dividers and the status line are
//! exactly as before, (b) the frames replayed into a fresh emulator of the
//! full screen give the composed screen, (c) every frame is a valid
//! asciicast event (valid UTF-8 in valid JSON).

use director::asciicast::{Code, Format, Header, Retime, Writer};
use director::geometry::Size;
use director::term::compositor::{Chrome, Compositor, PaneView, emulator};
use director::term::layout::{Layout, Split};
use director::term::style::Style;
use proptest::prelude::*;

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

fn chrome() -> Chrome {
    Chrome {
        divider_style: Style::parse("green").unwrap(),
        status_style: Style::parse("black on green").unwrap(),
        status_left: " 0:hostile* 1:calm 2:also-calm".into(),
        status_right: "\"containment\" 12:00 27-Nov-26 ".into(),
    }
}

/// Every cell outside `rect` as (contents, attributes), row by row.
fn outside(screen: &vt100::Screen, rect: director::geometry::Rect, size: Size) -> Vec<(u16, u16, String, Style)> {
    let mut cells = Vec::new();
    for row in 0..size.rows {
        for col in 0..size.cols {
            if !rect.contains(col, row) {
                let cell = screen.cell(row, col).unwrap();
                cells.push((row, col, cell.contents().to_string(), Style::of_cell(cell)));
            }
        }
    }
    cells
}

fn check(size: Size, split: Split, hostile: usize, chunks: Vec<Vec<u8>>) -> Result<(), TestCaseError> {
    let layout = Layout::split(size, 3, split, true).unwrap();
    let rect = layout.panes[hostile];
    let mut panes: Vec<vt100::Parser> = layout.panes.iter().map(|r| emulator(r.size)).collect();
    for (i, p) in panes.iter_mut().enumerate() {
        if i != hostile {
            p.process(format!("\x1b[1;3{i}mcalm pane {i}\x1b[0m\r\nwide 世界 and é\r\n").as_bytes());
        }
    }
    let mut compositor = Compositor::new(layout);
    let mut replay = emulator(size);
    let header = Header {
        size,
        timestamp: None,
        title: None,
        term: "xterm-256color".into(),
        shell: "/bin/sh".into(),
        theme: None,
        idle_time_limit: None,
        extra: None,
    };
    let mut writer = Writer::new(Vec::new(), &header, Format::V2, Retime::default()).unwrap();
    let mut frame = |panes: &[vt100::Parser], compositor: &mut Compositor, replay: &mut vt100::Parser, t: u64| {
        let views: Vec<PaneView<'_>> = panes.iter().map(|p| PaneView { screen: p.screen() }).collect();
        let diff = compositor.frame(&views, &chrome(), Some(hostile));
        replay.process(diff.as_bytes());
        writer
            .event(std::time::Duration::from_millis(t), Code::Output, &diff)
            .unwrap();
    };
    frame(&panes, &mut compositor, &mut replay, 0);
    let before = outside(compositor.screen(), rect, size);
    for (t, chunk) in chunks.iter().enumerate() {
        panes[hostile].process(chunk);
        frame(&panes, &mut compositor, &mut replay, t as u64 + 1);
        // (a) nothing outside the hostile pane changed.
        prop_assert_eq!(
            outside(compositor.screen(), rect, size),
            before.clone(),
            "after {:?}",
            String::from_utf8_lossy(chunk)
        );
        // (b) the frames replayed give the composed screen, cursor included.
        prop_assert_eq!(
            replay.screen().contents_formatted(),
            compositor.screen().contents_formatted()
        );
        prop_assert_eq!(replay.screen().cursor_position(), compositor.screen().cursor_position());
        prop_assert_eq!(replay.screen().hide_cursor(), compositor.screen().hide_cursor());
    }
    // (c) every event is valid JSON holding valid UTF-8.
    let bytes = writer.finish(0).unwrap();
    let text = String::from_utf8(bytes).map_err(|e| TestCaseError::fail(e.to_string()))?;
    for line in text.lines().skip(1) {
        let event: serde_json::Value = serde_json::from_str(line).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert!(event[2].is_string());
    }
    prop_assert!(director::asciicast::check::check(text.as_bytes()).is_ok());
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

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
}
