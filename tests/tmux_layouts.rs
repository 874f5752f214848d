//! tmux's named layouts: for each preset and 2 to 6 panes, the pane
//! rectangles director computes equal the ones real tmux gives after
//! `select-layout` in a window of the same size.

mod common;

use common::tmux::Tmux;
use director::geometry::{Rect, Size};
use director::screen::layout::{Layout, Preset};

/// The panes of a tmux window of `size` with `n` panes after
/// `select-layout name`, with `options` set first.
fn in_tmux(size: Size, n: usize, name: &str, options: &str) -> Vec<Rect> {
    let tmux = Tmux::with_config(&format!("set -g status off\n{options}"));
    let (cols, rows) = (size.cols.to_string(), size.rows.to_string());
    tmux.run(&["new-session", "-d", "-x", &cols, "-y", &rows, "sleep 600"]);
    for _ in 1..n {
        // Tiled between splits, so that small windows keep room for more.
        tmux.run(&["split-window", "-d", "sleep 600"]);
        tmux.run(&["select-layout", "tiled"]);
    }
    tmux.run(&["select-layout", name]);
    let window = tmux.run(&["display", "-p", "#{window_width}x#{window_height}"]);
    assert_eq!(
        window.trim(),
        format!("{}x{}", size.cols, size.rows),
        "tmux resized the window"
    );
    tmux.run(&[
        "list-panes",
        "-F",
        "#{pane_left} #{pane_top} #{pane_width} #{pane_height}",
    ])
    .lines()
    .map(|line| {
        let v: Vec<u16> = line.split(' ').map(|x| x.parse().unwrap()).collect();
        Rect::new(v[0], v[1], Size::new(v[2], v[3]))
    })
    .collect()
}

fn check(size: Size, name: &str, preset: Preset, options: &str) {
    for n in 2..=6 {
        let ours = Layout::preset(size, n, preset, false)
            .unwrap_or_else(|e| panic!("{name}, {n} panes in {size}: {e}"))
            .panes;
        let theirs = in_tmux(size, n, name, options);
        assert_eq!(ours, theirs, "{name}, {n} panes in {size}");
    }
}

#[test]
fn every_preset_places_panes_as_tmux_does() {
    for size in [Size::new(100, 35), Size::new(80, 23), Size::new(161, 47)] {
        for name in Preset::NAMES {
            check(size, name, Preset::named(name).unwrap(), "");
        }
    }
}

#[test]
fn the_main_pane_takes_the_size_asked_or_what_leaves_the_others_a_cell() {
    let size = Size::new(90, 30);
    check(
        size,
        "main-vertical",
        Preset::MainVertical { main: 30 },
        "set -g main-pane-width 30\n",
    );
    check(
        size,
        "main-horizontal",
        Preset::MainHorizontal { main: 7 },
        "set -g main-pane-height 7\n",
    );
    // Wider than the window: the others keep one column.
    check(
        Size::new(60, 20),
        "main-vertical",
        Preset::MainVertical { main: 80 },
        "",
    );
}
