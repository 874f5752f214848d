//! The layout changing as the story goes, against real tmux: random
//! sequences of splits, closes, resizes, zooms and presets, done both by
//! director's [`Layout`] and by tmux (`split-window`, `kill-pane`,
//! `resize-pane -x/-y/-Z`, `select-layout`), give the same pane rectangles
//! after every change.

mod common;

use common::tmux::Tmux;
use director::geometry::{Rect, Size};
use director::screen::layout::{Layout, PaneSize, Preset, Side, Split, SplitOf, Titles};

/// A small generator of its own, so that a failure names its seed.
struct Dice(u64);

impl Dice {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

/// One change, as director makes it and as tmux is told it.
#[derive(Debug)]
enum Change {
    Open(usize, SplitOf),
    Close(usize),
    Resize(usize, Split, u16),
    Zoom(Option<usize>),
    Select(&'static str),
}

/// The pane rectangles tmux shows: the zoomed pane's alone when zoomed.
fn listed(tmux: &Tmux, ids: &[Option<String>]) -> (Vec<Option<Rect>>, bool) {
    let zoomed = tmux.run(&["display", "-p", "#{window_zoomed_flag}"]).trim() == "1";
    let out = tmux.run(&[
        "list-panes",
        "-F",
        "#{pane_id} #{pane_left} #{pane_top} #{pane_width} #{pane_height} #{window_zoomed_flag} #{pane_active}",
    ]);
    let rects = ids
        .iter()
        .map(|id| {
            let id = id.as_ref()?;
            let line = out.lines().find(|l| l.starts_with(&format!("{id} ")))?;
            let v: Vec<u16> = line.split(' ').skip(1).map(|x| x.parse().unwrap()).collect();
            // A zoomed window shows its active pane only.
            (!zoomed || v[5] == 1).then(|| Rect::new(v[0], v[1], Size::new(v[2], v[3])))
        })
        .collect();
    (rects, zoomed)
}

fn ours(layout: &Layout, n: usize) -> Vec<Option<Rect>> {
    (0..n).map(|p| layout.is_shown(p).then(|| layout.panes[p])).collect()
}

/// A change that may be made to `layout` with `next` the next unused pane.
fn pick(dice: &mut Dice, layout: &Layout, next: usize, size: Size) -> Change {
    let open: Vec<usize> = (0..next).filter(|&p| layout.is_open(p)).collect();
    let any = |dice: &mut Dice| open[dice.below(open.len())];
    match dice.below(10) {
        0..=3 => {
            let side = [Side::Right, Side::Below, Side::Left, Side::Above][dice.below(4)];
            let size = match dice.below(3) {
                0 => None,
                1 => Some(PaneSize::Cells(1 + dice.below(12) as u16)),
                _ => Some(PaneSize::Fraction([0.25, 0.3, 0.5, 0.66][dice.below(4)])),
            };
            let pane = any(dice);
            Change::Open(next, SplitOf { pane, side, size })
        }
        4 if open.len() > 1 => Change::Close(any(dice)),
        5 | 6 => {
            let (dir, most) = match dice.below(2) {
                0 => (Split::Columns, size.cols),
                _ => (Split::Rows, size.rows),
            };
            Change::Resize(any(dice), dir, 1 + dice.below(usize::from(most)) as u16)
        }
        7 if layout.zoomed().is_some() => Change::Zoom(None),
        7 if open.len() > 1 => Change::Zoom(Some(any(dice))),
        _ => Change::Select(Preset::NAMES[dice.below(Preset::NAMES.len())]),
    }
}

/// Makes `change` in tmux; returns the new pane's id for an open.
fn in_tmux(tmux: &Tmux, ids: &[Option<String>], change: &Change, zoomed: Option<usize>) -> Option<String> {
    let id = |p: usize| ids[p].clone().unwrap();
    match change {
        Change::Open(_, split) => return Some(tmux.split(&id(split.pane), *split)),
        Change::Close(p) => tmux.run(&["kill-pane", "-t", &id(*p)]),
        Change::Resize(p, dir, n) => {
            let flag = if *dir == Split::Columns { "-x" } else { "-y" };
            tmux.run(&["resize-pane", "-t", &id(*p), flag, &n.to_string()])
        }
        Change::Zoom(Some(p)) => tmux.run(&["resize-pane", "-Z", "-t", &id(*p)]),
        Change::Zoom(None) => tmux.run(&["resize-pane", "-Z", "-t", &id(zoomed.unwrap())]),
        Change::Select(name) => tmux.run(&["select-layout", name]),
    };
    None
}

fn apply(layout: &Layout, change: &Change) -> Option<Layout> {
    match change {
        Change::Open(pane, split) => layout.open(*pane, *split).ok(),
        Change::Close(p) => layout.close(*p).ok(),
        Change::Resize(p, dir, n) => Some(layout.resize(*p, *dir, PaneSize::Cells(*n))),
        Change::Zoom(p) => layout.zoom(*p).ok(),
        Change::Select(name) => layout.select(Preset::named(name).unwrap()).ok(),
    }
}

#[test]
fn splits_closes_resizes_zooms_and_presets_change_the_layout_as_in_tmux() {
    stories(Titles::Off, 1..=90);
}

#[test]
fn with_titles_on_the_borders_too() {
    // tmux's pane-border-status: a pane at the top (or bottom) gives a row
    // to the line its title is on, and needs one more to be split.
    stories(Titles::Top, 1..=24);
    stories(Titles::Bottom, 25..=48);
}

fn stories(titles: Titles, seeds: std::ops::RangeInclusive<u64>) {
    const PANES: usize = 12;
    let sizes = [Size::new(100, 35), Size::new(61, 20), Size::new(37, 11)];
    for (seed, size) in seeds.zip(sizes.into_iter().cycle()) {
        let status = match titles {
            Titles::Off => "off",
            Titles::Top => "top",
            Titles::Bottom => "bottom",
        };
        let tmux = Tmux::with_config(&format!("set -g status off\nset -g pane-border-status {status}\n"));
        let (cols, rows) = (size.cols.to_string(), size.rows.to_string());
        tmux.run(&["new-session", "-d", "-x", &cols, "-y", &rows, "sleep 600"]);
        let mut ids: Vec<Option<String>> = vec![None; PANES];
        ids[0] = Some(tmux.run(&["display", "-p", "#{pane_id}"]).trim().to_string());
        let mut layout = Layout::splits(size, &[None], false)
            .unwrap()
            .numbered(&[0], PANES)
            .with_titles(titles);
        let mut dice = Dice(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1);
        let mut next = 1;
        let mut story = Vec::new();
        while story.len() < 14 {
            let change = pick(&mut dice, &layout, next, size);
            if matches!(change, Change::Open(..)) && next == PANES {
                continue;
            }
            // A change director refuses (no room to split, too many
            // panes for a preset) is not made in tmux either.
            let Some(changed) = apply(&layout, &change) else {
                continue;
            };
            if let Some(id) = in_tmux(&tmux, &ids, &change, layout.zoomed()) {
                ids[next] = Some(id);
                next += 1;
            }
            if let Change::Close(p) = change {
                ids[p] = None;
            }
            story.push(format!("{change:?}"));
            layout = changed;
            let (theirs, zoomed) = listed(&tmux, &ids);
            assert_eq!(
                (ours(&layout, PANES), layout.zoomed().is_some()),
                (theirs, zoomed),
                "seed {seed}, {size}, titles {status}, after {story:#?}"
            );
        }
    }
}
