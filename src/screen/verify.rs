//! The compositor's containment invariants, checked over a sequence of
//! frames: for property tests and the fuzz target (test support, no IO).
//!
//! In: a screen size, a split, the pane that receives hostile output, and
//! that output in chunks. Out: the first invariant a frame broke, if any.

use std::time::Duration;

use crate::asciicast::{Code, Header, Retime, Version, Writer};
use crate::geometry::{Rect, Size};
use crate::screen::compositor::{Chrome, Compositor};
use crate::screen::emulator::Emulator;
use crate::screen::emulator::{PaneView, parser};
use crate::screen::layout::Layout;
use crate::screen::style::Style;
use crate::screen::width;

/// Feeds `chunks` one by one into pane `hostile` of a three-pane layout and
/// checks after every frame that (a) nothing outside that pane changed —
/// the other panes' cells, the dividers, the status line — (b) the frames
/// replayed into a fresh emulator of the full screen give the composed
/// screen and cursor, (c) the frames make a cast that `check` accepts
/// (valid UTF-8 in valid JSON), (d) the pane's emulator, which leaves out
/// flooded lines ([`crate::screen::flood`]), shows what a plain emulator fed
/// every byte shows, and (e) the composed screen, drawn a changed row at a
/// time, is the one a fresh compositor draws whole, (f) the frames print
/// no character whose width players dispute ([`crate::screen::width`]),
/// and (g) in tests, replayed into avt (asciinema-player's emulator), they
/// show the same characters outside the pane. Returns the first violation.
pub fn containment(layout: Layout, hostile: usize, chunks: &[Vec<u8>]) -> Result<(), String> {
    let story: Vec<(Option<Layout>, &[u8])> = chunks.iter().map(|c| (None, c.as_slice())).collect();
    contained_through(layout, hostile, &story)
}

/// [`containment`] through a story: before its chunk, a step may change
/// the layout (the panes then take their new sizes, as in a recording),
/// and the cells outside the pane are compared from the new layout's
/// first frame on.
pub fn contained_through(layout: Layout, hostile: usize, story: &[(Option<Layout>, &[u8])]) -> Result<(), String> {
    let size = layout.screen;
    let mut rect = layout.panes[hostile];
    // The director's own emulators: unchanged panes are skipped as in a recording.
    let history = usize::from(size.rows);
    let mut panes: Vec<Emulator> = layout
        .panes
        .iter()
        .map(|r| Emulator::new(r.size).with_history(history))
        .collect();
    for (i, p) in panes.iter_mut().enumerate().filter(|(i, _)| *i != hostile) {
        p.process(format!("\x1b[1;3{i}mcalm pane {i}\x1b[0m\r\nwide 世界 and é\r\n").as_bytes());
    }
    let chrome = Chrome {
        divider_style: Style {
            fg: vt100::Color::Idx(2),
            ..Style::default()
        },
        status_style: Style {
            fg: vt100::Color::Idx(0),
            bg: vt100::Color::Idx(2),
            ..Style::default()
        },
        status_left: " 0:one 1:two 2:three*".into(),
        status_right: "\"containment\" 12:00 27-Nov-26 ".into(),
        // The hostile pane's border in the active colour, and a caption:
        // neither may be drawn over either.
        active_border_style: Style {
            fg: vt100::Color::Idx(10),
            ..Style::default()
        },
        active: Some(hostile),
        caption: "a caption".into(),
        titles: ["one", "two", "three", "four", "five", "six"]
            .map(String::from)
            .to_vec(),
        caption_style: Style {
            bold: true,
            ..Style::default()
        },
    };
    let header = Header {
        size,
        timestamp: None,
        title: None,
        term: "xterm-256color".into(),
        shell: "/bin/sh".into(),
        theme: None,
        idle_time_limit: None,
        director: None,
    };
    let mut writer = Writer::new(Vec::new(), &header, Version::V2, Retime::default()).map_err(|e| e.to_string())?;
    let mut compositor = Compositor::new(layout);
    let mut replay = parser(size);
    #[cfg(test)]
    let mut player =
        avt::Terminal::new(usize::from(size.cols), usize::from(size.rows)).map_err(|e| format!("{e:?}"))?;
    let mut plain = Emulator::plain(rect.size).with_history(history);
    let mut before = None;
    let start: (Option<Layout>, &[u8]) = (None, &[]);
    for (t, (change, chunk)) in std::iter::once(&start).chain(story).enumerate() {
        if let Some(next) = change {
            for (p, pane) in panes.iter_mut().enumerate().filter(|(p, _)| next.is_shown(*p)) {
                pane.resize(next.panes[p].size);
                if p == hostile {
                    plain.resize(next.panes[p].size);
                }
            }
            rect = next.panes[hostile];
            compositor.set_layout(next.clone());
            before = None;
        }
        let chunk: &[u8] = chunk;
        panes[hostile].process(chunk);
        plain.process(chunk);
        if panes[hostile].screen().state_formatted() != plain.screen().state_formatted() {
            let shown = String::from_utf8_lossy(chunk);
            return Err(format!("the pane differs from a plain emulator's after {shown:?}"));
        }
        let views: Vec<PaneView<'_>> = panes.iter_mut().map(Emulator::view).collect();
        let diff = compositor.frame(&views, &chrome, Some(hostile));
        replay.process(diff.as_bytes());
        if let Some(ch) = diff.chars().find(|ch| !ch.is_ascii() && !width::settled(*ch)) {
            return Err(format!("a frame prints {ch:?}, whose width players dispute"));
        }
        #[cfg(test)]
        {
            player.feed(diff.as_str());
            if let Some(cell) = player_differs(&player, compositor.screen(), rect, size) {
                let shown = String::from_utf8_lossy(chunk);
                return Err(format!("avt shows {cell:?} otherwise after {shown:?}"));
            }
        }
        writer
            .event(Duration::from_millis(t as u64), Code::Output, &diff)
            .map_err(|e| e.to_string())?;
        let now = outside(compositor.screen(), rect, size);
        let shown = || String::from_utf8_lossy(chunk).into_owned();
        match &before {
            None => before = Some(now),
            Some(b) if *b != now => {
                let first = b.iter().zip(&now).find(|(x, y)| x != y);
                return Err(format!(
                    "a cell outside the pane changed after {:?}: {first:?}",
                    shown()
                ));
            }
            Some(_) => {}
        }
        let (r, c) = (replay.screen(), compositor.screen());
        if r.contents_formatted() != c.contents_formatted() {
            return Err(format!(
                "the replayed frames differ from the composed screen after {:?}",
                shown()
            ));
        }
        if r.cursor_position() != c.cursor_position() || r.hide_cursor() != c.hide_cursor() {
            return Err(format!("the replayed cursor differs after {:?}", shown()));
        }
        let screens: Vec<_> = panes.iter().map(Emulator::screen).collect();
        let whole: Vec<PaneView<'_>> = screens.iter().map(|s| PaneView::of(s)).collect();
        let mut fresh = Compositor::new(compositor.layout().clone());
        fresh.frame(&whole, &chrome, Some(hostile));
        if picture(fresh.screen()) != picture(c) {
            return Err(format!(
                "the composed screen differs from one drawn whole after {:?}",
                shown()
            ));
        }
    }
    let bytes = writer.finish(0).map_err(|e| e.to_string())?;
    crate::asciicast::check::check(&bytes)
        .map(|_| ())
        .map_err(|e| format!("the frames are not a valid cast: {e}"))
}

/// What a screen shows: its rows (text and attributes) and its cursor,
/// whose position matters only when it is shown.
pub fn picture(screen: &vt100::Screen) -> (Vec<String>, Option<(u16, u16)>) {
    let rows = screen.rows_formatted(0, screen.size().1.get()).collect();
    (rows, (!screen.hide_cursor()).then(|| screen.cursor_position()))
}

/// Every cell outside `rect`: position, contents and attributes.
fn outside(screen: &vt100::Screen, rect: Rect, size: Size) -> Vec<(u16, u16, String, Style)> {
    let mut cells = Vec::new();
    for row in 0..size.rows {
        for col in (0..size.cols).filter(|c| !rect.contains(*c, row)) {
            if let Some(cell) = screen.cell(row, col) {
                cells.push((row, col, cell.contents().to_string(), Style::of_cell(cell)));
            }
        }
    }
    cells
}

/// The first cell outside `rect` whose character avt (fed the frames)
/// shows otherwise than the composed screen: (row, col, composed, avt's).
#[cfg(test)]
fn player_differs(
    player: &avt::Terminal,
    screen: &vt100::Screen,
    rect: Rect,
    size: Size,
) -> Option<(u16, u16, char, char)> {
    let lines: Vec<&avt::Line> = player.screen().visible_lines().collect();
    for row in 0..size.rows {
        let line = lines.get(usize::from(row))?;
        for col in (0..size.cols).filter(|c| !rect.contains(*c, row)) {
            let Some(cell) = screen.cell(row, col) else { continue };
            if cell.is_wide_continuation() {
                continue;
            }
            let want = cell.contents().chars().next().unwrap_or(' ');
            let got = line.cells().get(usize::from(col)).map_or('\0', |c| c.char());
            if want != got {
                return Some((row, col, want, got));
            }
        }
    }
    None
}
