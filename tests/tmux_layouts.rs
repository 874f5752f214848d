//! tmux's named layouts: for each preset and 2 to 6 panes, the pane
//! rectangles director computes equal the ones real tmux gives after
//! `select-layout` in a window of the same size.

mod common;

use common::tmux::Tmux;
use director::geometry::{Rect, Size};
use director::screen::layout::{Layout, PaneSize, Preset, Side, SplitOf, Titles};

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
    check_titled(size, name, preset, options, Titles::Off);
}

fn check_titled(size: Size, name: &str, preset: Preset, options: &str, titles: Titles) {
    for n in 2..=6 {
        let placed = Layout::preset(size, n, preset, false)
            .unwrap_or_else(|e| panic!("{name}, {n} panes in {size}: {e}"))
            .with_titles(titles);
        // With titles, a preset spreads its stacked panes around the row
        // the title line takes.
        let ours = placed.select(preset).unwrap().panes;
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
fn every_preset_places_panes_as_tmux_does_with_titles_on_the_borders() {
    for (titles, status) in [(Titles::Top, "top"), (Titles::Bottom, "bottom")] {
        let options = format!("set -g pane-border-status {status}\n");
        for size in [Size::new(100, 35), Size::new(80, 23)] {
            for name in Preset::NAMES {
                check_titled(size, name, Preset::named(name).unwrap(), &options, titles);
            }
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

/// tmux's panes after `new-session` and one `split-window` per pane after
/// the first, as `splits` says, in the scene's order.
fn split_in_tmux(size: Size, splits: &[Option<SplitOf>]) -> Vec<Rect> {
    let tmux = Tmux::with_config("set -g status off\n");
    let (cols, rows) = (size.cols.to_string(), size.rows.to_string());
    tmux.run(&["new-session", "-d", "-x", &cols, "-y", &rows, "sleep 600"]);
    let mut ids = vec![tmux.run(&["display", "-p", "#{pane_id}"]).trim().to_string()];
    for split in splits.iter().skip(1) {
        let split = split.unwrap();
        let id = tmux.split(&ids[split.pane], split);
        ids.push(id);
    }
    let listed = tmux.run(&[
        "list-panes",
        "-F",
        "#{pane_id} #{pane_left} #{pane_top} #{pane_width} #{pane_height}",
    ]);
    ids.iter()
        .map(|id| {
            let line = listed.lines().find(|l| l.starts_with(&format!("{id} "))).unwrap();
            let v: Vec<u16> = line.split(' ').skip(1).map(|x| x.parse().unwrap()).collect();
            Rect::new(v[0], v[1], Size::new(v[2], v[3]))
        })
        .collect()
}

#[test]
fn panes_made_by_splitting_earlier_panes_are_where_tmux_puts_them() {
    let of = |pane, side, size| Some(SplitOf { pane, side, size });
    let cases: Vec<Vec<Option<SplitOf>>> = vec![
        // A server on the left, three clients stacked on the right.
        vec![
            None,
            of(0, Side::Right, None),
            of(1, Side::Below, None),
            of(2, Side::Below, None),
        ],
        vec![
            None,
            of(0, Side::Below, Some(PaneSize::Cells(8))),
            of(0, Side::Right, Some(PaneSize::Fraction(0.3))),
            of(1, Side::Left, None),
            of(2, Side::Above, Some(PaneSize::Cells(3))),
        ],
        vec![
            None,
            of(0, Side::Right, Some(PaneSize::Cells(30))),
            of(1, Side::Right, None),
            of(0, Side::Below, None),
            of(3, Side::Right, Some(PaneSize::Fraction(0.29))),
            of(4, Side::Left, Some(PaneSize::Fraction(0.5))),
        ],
    ];
    for size in [Size::new(100, 35), Size::new(77, 23)] {
        for splits in &cases {
            let ours = Layout::splits(size, splits, false).unwrap().panes;
            assert_eq!(ours, split_in_tmux(size, splits), "{splits:?} in {size}");
        }
    }
}
