//! tmux's named layouts (`select-layout`), with tmux's geometry.
//!
//! In: the area for the panes (the screen less the status line), how many
//! panes, and which preset. Out: a tree of splits with every cell's size,
//! as tmux builds it, which [`super::Layout::preset`] turns into pane
//! rectangles and dividers.
//!
//! The arithmetic is tmux's (3.3): neighbours are one border cell apart;
//! a run of panes shares a length evenly and the last one takes what is
//! left; `main-vertical` gives the first pane `main` columns (80 unless
//! set) and stacks the others in the rest; `tiled` makes a grid of as few
//! rows and columns as hold the panes, the last pane of a row and the last
//! row taking the cells left over. `tests/tmux_layouts.rs` checks every
//! preset for 2 to 6 panes against real tmux.

use super::tree::{Kind, Node};
use super::{Split, Titles};

/// One of tmux's named layouts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Preset {
    /// Side by side, of equal widths.
    EvenHorizontal,
    /// Stacked, of equal heights.
    EvenVertical,
    /// The first pane `main` rows high across the top, the others side
    /// by side below it.
    MainHorizontal { main: u16 },
    /// The first pane `main` columns wide on the left, the others stacked
    /// on its right.
    MainVertical { main: u16 },
    /// A grid, filled row by row.
    Tiled,
}

impl Preset {
    /// tmux's default `main-pane-width`.
    pub const MAIN_WIDTH: u16 = 80;
    /// tmux's default `main-pane-height`.
    pub const MAIN_HEIGHT: u16 = 24;

    /// The names a scene writes, as tmux spells them.
    pub const NAMES: &[&str] = &[
        "even-horizontal",
        "even-vertical",
        "main-horizontal",
        "main-vertical",
        "tiled",
    ];

    /// The preset named `name`, with tmux's default main pane size.
    pub fn named(name: &str) -> Option<Self> {
        Some(match name {
            "even-horizontal" => Self::EvenHorizontal,
            "even-vertical" => Self::EvenVertical,
            "main-horizontal" => Self::MainHorizontal {
                main: Self::MAIN_HEIGHT,
            },
            "main-vertical" => Self::MainVertical { main: Self::MAIN_WIDTH },
            "tiled" => Self::Tiled,
            _ => return None,
        })
    }
}

/// `n` lengths sharing `total` with a border between each two: equal, the
/// last taking what is left. `None` when a length would be zero. With
/// `titles` (a run of stacked cells from the top of the area to its
/// bottom), the row the title line takes is set apart first and given
/// back to the first cell (titles on top) or the last (below), as tmux's
/// `layout_spread_cell` does.
fn spread(total: u16, n: u16, titles: Titles) -> Option<Vec<u16>> {
    let size = total.checked_sub(u16::from(titles != Titles::Off))?;
    let room = size.checked_sub(n.checked_sub(1)?)?;
    let each = room / n;
    if each == 0 {
        return None;
    }
    let last = size.checked_sub((each + 1) * (n - 1))?;
    let lengths = (0..n).map(|i| {
        let titled = (titles == Titles::Top && i == 0) || (titles == Titles::Bottom && i + 1 == n);
        u16::from(titled) + if i + 1 == n { last } else { each }
    });
    Some(lengths.collect())
}

/// The tree of `preset` for `n` panes in an area of `cols` x `rows`, or
/// `None` when they do not fit (a pane would have no cell).
pub(super) fn tree(preset: Preset, n: u16, cols: u16, rows: u16, titles: Titles) -> Option<Node> {
    let mut node = unnumbered(preset, n, cols, rows, titles)?;
    node.number(&mut 0);
    Some(node)
}

fn unnumbered(preset: Preset, n: u16, cols: u16, rows: u16, titles: Titles) -> Option<Node> {
    if n == 0 || cols == 0 || rows == 0 {
        return None;
    }
    if n == 1 {
        return Some(Node::pane(cols, rows));
    }
    let run = |split: Split, total: u16, count: u16, across: u16| -> Option<Node> {
        let (c, r) = match split {
            Split::Columns => (total, across),
            Split::Rows => (across, total),
        };
        // One pane is a cell of its own, not a run of one.
        if count == 1 {
            return Some(Node::pane(c, r));
        }
        // The stacked runs of the presets reach from the top of the area
        // to its bottom: their cells make room for the titles.
        let titles = if split == Split::Rows { titles } else { Titles::Off };
        let children = spread(total, count, titles)?
            .into_iter()
            .map(|len| match split {
                Split::Columns => Node::pane(len, across),
                Split::Rows => Node::pane(across, len),
            })
            .collect();
        Some(Node {
            cols: c,
            rows: r,
            kind: Kind::Split(split, children),
        })
    };
    match preset {
        Preset::EvenHorizontal => run(Split::Columns, cols, n, rows),
        Preset::EvenVertical => run(Split::Rows, rows, n, cols),
        Preset::MainVertical { main } => {
            let (main, other) = main_and_other(main, cols)?;
            let first = Node::pane(main, rows);
            Some(Node::split(
                Split::Columns,
                cols,
                rows,
                first,
                run(Split::Rows, rows, n - 1, other)?,
            ))
        }
        Preset::MainHorizontal { main } => {
            let (main, other) = main_and_other(main, rows)?;
            let first = Node::pane(cols, main);
            Some(Node::split(
                Split::Rows,
                cols,
                rows,
                first,
                run(Split::Columns, cols, n - 1, other)?,
            ))
        }
        Preset::Tiled => tiled(n, cols, rows),
    }
}

/// The main pane's length and the others' along `total`: `main` as asked
/// while the others keep a cell, else all but the others' one cell and
/// the border.
fn main_and_other(main: u16, total: u16) -> Option<(u16, u16)> {
    let main = if u32::from(main) + 2 >= u32::from(total) {
        total.checked_sub(2).filter(|m| *m > 0)?
    } else {
        main.max(1)
    };
    Some((main, total - main - 1))
}

fn tiled(n: u16, cols: u16, rows: u16) -> Option<Node> {
    let (mut across, mut down) = (1u16, 1u16);
    while across * down < n {
        down += 1;
        if across * down < n {
            across += 1;
        }
    }
    let width = (cols.checked_sub(across - 1)? / across).max(1);
    let height = (rows.checked_sub(down - 1)? / down).max(1);
    if (width + 1) * across - 1 > cols || (height + 1) * down - 1 > rows {
        return None;
    }
    let mut rows_made = Vec::new();
    let mut left = n;
    for _ in 0..down {
        if left == 0 {
            break;
        }
        if left == 1 || across == 1 {
            rows_made.push(Node::pane(cols, height));
            left -= 1;
            continue;
        }
        let k = across.min(left);
        left -= k;
        let mut row = Node {
            cols,
            rows: height,
            kind: Kind::Split(Split::Columns, (0..k).map(|_| Node::pane(width, height)).collect()),
        };
        let used = k * (width + 1) - 1;
        if cols > used
            && let Kind::Split(_, children) = &mut row.kind
            && let Some(last) = children.last_mut()
        {
            last.adjust(Split::Columns, cols - used);
        }
        rows_made.push(row);
    }
    let used = down * height + down - 1;
    if rows > used
        && let Some(last) = rows_made.last_mut()
    {
        last.adjust(Split::Rows, rows - used);
    }
    Some(Node {
        cols,
        rows,
        kind: Kind::Split(Split::Rows, rows_made),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_run_shares_evenly_and_the_last_takes_the_rest() {
        assert_eq!(spread(100, 3, Titles::Off), Some(vec![32, 32, 34]));
        assert_eq!(spread(5, 3, Titles::Off), Some(vec![1, 1, 1]));
        assert_eq!(spread(4, 3, Titles::Off), None);
        // tmux, main-vertical with pane-border-status top or bottom.
        assert_eq!(spread(35, 3, Titles::Top), Some(vec![11, 10, 12]));
        assert_eq!(spread(35, 3, Titles::Bottom), Some(vec![10, 10, 13]));
    }

    #[test]
    fn the_main_pane_leaves_the_others_a_cell() {
        assert_eq!(main_and_other(80, 100), Some((80, 19)));
        assert_eq!(main_and_other(80, 60), Some((58, 1)));
        assert_eq!(main_and_other(80, 2), None);
    }
}
