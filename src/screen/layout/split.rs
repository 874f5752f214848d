//! A layout made as a tmux user makes one: each pane after the first
//! splits an earlier pane, beside it or below it (tmux's `split-window -t
//! PANE -h|-v [-b] [-l SIZE]`), with tmux's arithmetic.
//!
//! In: the area for the panes and, for each pane after the first, the
//! split that makes it. Out: the tree of splits ([`Node`]), or the index of
//! the first pane that does not fit.
//!
//! A split halves the pane it splits (the new pane gets the smaller half
//! when the length is odd), or gives the new pane the size asked: cells,
//! or a fraction of the pane split. A pane split in the direction its
//! neighbours already run in joins them; otherwise the two become a new
//! split of their own. `tests/tmux_layouts.rs` checks sequences of splits
//! against real tmux.

use super::tree::{Edge, Kind, Node, at, find, set_len};
use super::{PaneSize, Split, Titles};

/// Where a new pane goes beside the pane it splits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Right,
    Below,
    Left,
    Above,
}

impl Side {
    /// The names a scene writes.
    pub const NAMES: &[&str] = &["right", "below", "left", "above"];

    pub fn named(name: &str) -> Option<Self> {
        Some(match name {
            "right" => Self::Right,
            "below" => Self::Below,
            "left" => Self::Left,
            "above" => Self::Above,
            _ => return None,
        })
    }

    pub(super) fn split(self) -> Split {
        match self {
            Self::Right | Self::Left => Split::Columns,
            Self::Below | Self::Above => Split::Rows,
        }
    }

    /// Whether the new pane comes before the one split (`-b`).
    pub(super) fn before(self) -> bool {
        matches!(self, Self::Left | Self::Above)
    }
}

/// How a pane is made: by splitting pane `pane` (an earlier one), the new
/// pane going to `side`, `size` long (half by default).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SplitOf {
    pub pane: usize,
    pub side: Side,
    pub size: Option<PaneSize>,
}

/// The share `f` of `along` cells in whole percent, as tmux's `-l 30%`
/// counts.
pub(super) fn percent(along: u16, f: f64) -> u16 {
    (u32::from(along) * (f * 100.0).round() as u32 / 100) as u16
}

/// The panes made by `splits` in tmux's order: a new pane comes after the
/// pane it split, or before it when it goes left or above.
pub(super) fn order(splits: &[Option<SplitOf>]) -> Vec<usize> {
    let mut order = vec![0];
    for (k, split) in splits.iter().enumerate().skip(1) {
        let (of, before) = split.map_or((k - 1, false), |s| (s.pane, s.side.before()));
        let at = order
            .iter()
            .position(|&p| p == of)
            .map_or(order.len(), |i| i + usize::from(!before));
        order.insert(at, k);
    }
    order
}

/// The tree for panes made by `splits` (`splits[0]` is the first pane's and
/// is ignored) in an area of `cols` x `rows`; `Err(k)`: pane `k` does not
/// fit where it splits.
pub(super) fn tree(cols: u16, rows: u16, splits: &[Option<SplitOf>]) -> Result<Node, usize> {
    let mut root = Node {
        cols,
        rows,
        kind: Kind::Pane(0),
    };
    for (k, split) in splits.iter().enumerate().skip(1) {
        let split = split.unwrap_or(SplitOf {
            pane: k - 1,
            side: Side::Right,
            size: None,
        });
        split_cell(&mut root, k, split, Titles::Off).ok_or(k)?;
    }
    Ok(root)
}

/// Splits pane `split.pane`'s cell in `root` to make pane `made` beside it,
/// as tmux's `split-window` does; `None` when the pane is not in the tree
/// or has no room for two panes and a border (and its title line, with
/// `titles`).
pub(super) fn split_cell(root: &mut Node, made: usize, split: SplitOf, titles: Titles) -> Option<()> {
    let path = find(root, split.pane)?;
    // A pane that gives a row to its title line needs one more to split.
    let titled = Edge::area(titles).down(root, &path).titled();
    let (cols, rows) = {
        let leaf = at(root, &path);
        (leaf.cols, leaf.rows)
    };
    let dir = split.side.split();
    let along = match dir {
        Split::Columns => cols,
        Split::Rows => rows,
    };
    // Two panes of a cell each and the border between them.
    if along < 3 + u16::from(titled && dir == Split::Rows) {
        return None;
    }
    let asked = split.size.map(|size| match size {
        PaneSize::Cells(n) => n,
        PaneSize::Fraction(f) => percent(along, f),
    });
    // `second`: the bottom or right one's length, as tmux works it out.
    let second = match asked {
        None => along.div_ceil(2) - 1,
        // tmux counts `along - n - 1` unsigned: a size past the pane
        // wraps round, and the pane split keeps all but a cell.
        Some(n) if split.side.before() => {
            let left = u32::from(along).checked_sub(u32::from(n) + 1);
            left.map_or(along - 2, |left| left as u16)
        }
        Some(n) => n,
    }
    .clamp(1, along - 2);
    let first = along - 1 - second;
    let (old_len, new_len) = if split.side.before() {
        (second, first)
    } else {
        (first, second)
    };
    let mut new = Node {
        cols,
        rows,
        kind: Kind::Pane(made),
    };
    set_len(&mut new, dir, new_len);
    if let Some((&last, parent_path)) = path.split_last()
        && let Kind::Split(parent_dir, children) = &mut at(root, parent_path).kind
        && *parent_dir == dir
    {
        set_len(&mut children[last], dir, old_len);
        children.insert(if split.side.before() { last } else { last + 1 }, new);
        return Some(());
    }
    let leaf = at(root, &path);
    let mut old = leaf.clone();
    set_len(&mut old, dir, old_len);
    let children = if split.side.before() {
        vec![new, old]
    } else {
        vec![old, new]
    };
    *leaf = Node {
        cols,
        rows,
        kind: Kind::Split(dir, children),
    };
    Some(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn of(pane: usize, side: Side, size: Option<PaneSize>) -> Option<SplitOf> {
        Some(SplitOf { pane, side, size })
    }

    #[test]
    fn a_split_halves_the_pane_and_joins_neighbours_running_its_way() {
        // 100 columns: 50 | 49, as the reference picture.
        let t = tree(100, 35, &[None, of(0, Side::Right, None)]).unwrap();
        let Kind::Split(Split::Columns, children) = &t.kind else {
            panic!("{t:?}")
        };
        assert_eq!((children[0].cols, children[1].cols), (50, 49));
        // Splitting the right one to the right again joins the run.
        let t = tree(100, 35, &[None, of(0, Side::Right, None), of(1, Side::Right, None)]).unwrap();
        let Kind::Split(Split::Columns, children) = &t.kind else {
            panic!("{t:?}")
        };
        assert_eq!(children.iter().map(|c| c.cols).collect::<Vec<_>>(), [50, 24, 24]);
        // Below makes a new split of its own.
        let t = tree(100, 35, &[None, of(0, Side::Below, Some(PaneSize::Cells(10)))]).unwrap();
        let Kind::Split(Split::Rows, children) = &t.kind else {
            panic!("{t:?}")
        };
        assert_eq!((children[0].rows, children[1].rows), (24, 10));
        // A pane too small to split.
        assert_eq!(tree(2, 5, &[None, of(0, Side::Right, None)]), Err(1));
    }
}
