//! Fuzzes the compositor's containment invariants (`screen::verify`): the
//! input is split into chunks at 0xFF bytes and fed to one pane of a
//! three-pane layout; the layout and the pane are chosen by the first byte.

#![no_main]

use director::geometry::Size;
use director::screen::layout::Split;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&choice, rest)) = data.split_first() else { return };
    let (size, split) = match choice % 3 {
        0 => (Size::new(100, 36), Split::Columns),
        1 => (Size::new(31, 12), Split::Columns),
        _ => (Size::new(40, 30), Split::Rows),
    };
    let hostile = usize::from(choice / 3 % 3);
    let chunks: Vec<Vec<u8>> = rest.split(|b| *b == 0xff).take(64).map(<[u8]>::to_vec).collect();
    if let Err(violation) = director::screen::verify::containment(size, split, hostile, &chunks) {
        panic!("{violation}");
    }
});
