//! Fuzzes the compositor's containment invariants (`screen::verify`): the
//! input is split into chunks at 0xFF bytes and fed to one pane of a
//! layout (three panes in columns or rows, or a tmux preset); the layout
//! and the pane are chosen by the first byte.

#![no_main]

use director::geometry::Size;
use director::screen::layout::{Layout, Preset, Split};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&choice, rest)) = data.split_first() else { return };
    let layout = match choice % 5 {
        0 => Layout::split(Size::new(100, 36), 3, Split::Columns, true),
        1 => Layout::split(Size::new(31, 12), 3, Split::Columns, true),
        2 => Layout::split(Size::new(40, 30), 3, Split::Rows, true),
        3 => Layout::preset(Size::new(80, 24), 4, Preset::MainVertical { main: 40 }, true),
        _ => Layout::preset(Size::new(61, 20), 5, Preset::Tiled, true),
    };
    let Ok(layout) = layout else { return };
    let hostile = usize::from(choice / 5) % layout.panes.len();
    let chunks: Vec<Vec<u8>> = rest.split(|b| *b == 0xff).take(64).map(<[u8]>::to_vec).collect();
    if let Err(violation) = director::screen::verify::containment(layout, hostile, &chunks) {
        panic!("{violation}");
    }
});
