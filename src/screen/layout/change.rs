//! The layout changing during a recording, as tmux changes it: a pane
//! split to make a new one (`split-window`), closed (`kill-pane`), resized
//! (`resize-pane -x`/`-y`) or zoomed to the whole area (`resize-pane -Z`),
//! and the open panes placed by a preset (`select-layout`).
//!
//! In: a [`Layout`] and the change. Out: the new layout, or why it cannot
//! be made. Each change but a zoom starts from the unzoomed layout, as in
//! tmux. `tests/tmux_layouts.rs` checks the changes against real tmux.

use super::preset::{self, Preset};
use super::split::{self, SplitOf};
use super::tree::{Edge, Kind, Node, at, find};
use super::{Layout, LayoutError, PaneSize, Split, Titles};

/// tmux's smallest pane, in cells along a resize (`PANE_MINIMUM`).
const PANE_MINIMUM: u16 = 1;

impl Layout {
    /// Whether `pane` is on screen: open, and not behind a zoomed pane.
    pub fn is_shown(&self, pane: usize) -> bool {
        self.panes.get(pane).is_some_and(|r| r.size.cols > 0)
    }

    /// Whether `pane` is open (on screen, or behind a zoomed pane).
    pub fn is_open(&self, pane: usize) -> bool {
        self.order.contains(&pane)
    }

    /// Which border cells are drawn as `pane`'s when it is the active
    /// pane, as tmux tells (`pane-border-indicators colour`): the cells
    /// around the pane; but with just two panes side by side, only the
    /// half of the divider beside the first pane's top half or the
    /// second's bottom half (stacked: the left and right halves), so that
    /// the colour says which one is active. The returned test takes a
    /// cell's row and column; the layout's shape is looked at once.
    pub fn border_of(&self, pane: usize) -> impl Fn(u16, u16) -> bool + '_ {
        let rect = self.panes.get(pane).copied().filter(|r| r.size.cols > 0);
        let shown: Vec<&crate::geometry::Rect> = self.panes.iter().filter(|r| r.size.cols > 0).collect();
        // Just two panes, side by side (`across`) or stacked; with titles
        // on the borders, tmux marks the whole line.
        let two = |across: bool| {
            self.titles == Titles::Off
                && shown.len() == 2
                && shown.iter().any(|r| if across { r.col > 0 } else { r.row > 0 })
        };
        let (beside, stacked) = (two(true), two(false));
        move |row, col| {
            let Some(rect) = rect else { return false };
            let (x, y, sx, sy) = (rect.col, rect.row, rect.size.cols, rect.size.rows);
            let (ex, ey) = (x + sx, y + sy);
            let side = match beside {
                true => (x == 0 && col == sx && row <= sy / 2) || (x != 0 && col + 1 == x && row > sy / 2),
                false => (y == 0 || row + 1 >= y) && row <= ey && ((x != 0 && col + 1 == x) || col == ex),
            };
            side || match stacked {
                true => (y == 0 && row == sy && col <= sx / 2) || (y != 0 && row + 1 == y && col > sx / 2),
                false => (x == 0 || col + 1 >= x) && col <= ex && ((y != 0 && row + 1 == y) || row == ey),
            }
        }
    }

    /// The pane zoomed to the whole area, if one is.
    pub fn zoomed(&self) -> Option<usize> {
        self.zoomed
    }

    /// This layout's pane `i` as the scene's pane `open[i]`, among `total`
    /// panes: the others are not on screen until a change opens them.
    pub fn numbered(mut self, open: &[usize], total: usize) -> Self {
        renumber(&mut self.tree, open);
        self.order = self.order.iter().map(|&i| open[i]).collect();
        self.zoomed = self.zoomed.map(|i| open[i]);
        self.place_all(total);
        self
    }

    /// Pane `pane` opened by splitting an open pane, as `split-window`
    /// does: it comes after the pane split in tmux's order (before, when it
    /// goes left or above).
    pub fn open(&self, pane: usize, split: SplitOf) -> Result<Self, LayoutError> {
        if self.is_open(pane) || !self.is_open(split.pane) {
            return Err(LayoutError::NotOpen { pane: split.pane });
        }
        let mut split = split;
        let mut next = self.unzoomed();
        if let Some(PaneSize::Fraction(f)) = split.size {
            // tmux reckons the share of the pane as it is: zoomed, or
            // short of the row its title line takes.
            let shown = if self.zoomed == Some(split.pane) { self } else { &next };
            let rect = shown.panes[split.pane];
            let whole = match split.side.split() {
                Split::Columns => rect.size.cols,
                Split::Rows => rect.size.rows,
            };
            split.size = Some(PaneSize::Cells(split::percent(whole, f)));
        }
        split::split_cell(&mut next.tree, pane, split, self.titles).ok_or(LayoutError::NoRoomToSplit { pane })?;
        let of = next.order.iter().position(|&p| p == split.pane).unwrap_or(0);
        next.order.insert(of + usize::from(!split.side.before()), pane);
        next.place_all(self.panes.len());
        Ok(next)
    }

    /// `pane` closed, as `kill-pane` does: its cell and border go to the
    /// cell before it (after it, when it is the first of its run).
    pub fn close(&self, pane: usize) -> Result<Self, LayoutError> {
        if !self.is_open(pane) {
            return Err(LayoutError::NotOpen { pane });
        }
        if self.order.len() == 1 {
            return Err(LayoutError::LastPane);
        }
        let mut next = self.unzoomed();
        let path = find(&next.tree, pane).ok_or(LayoutError::NotOpen { pane })?;
        let (&i, parent_path) = path.split_last().ok_or(LayoutError::LastPane)?;
        let edge = Edge::area(self.titles).down(&next.tree, parent_path);
        let parent = at(&mut next.tree, parent_path);
        if let Kind::Split(dir, children) = &mut parent.kind {
            let dir = *dir;
            let other = if i == 0 { 1 } else { i - 1 };
            let freed = i32::from(len(&children[i], dir)) + 1;
            let at_other = edge.child(dir, other, children.len());
            adjust(&mut children[other], dir, freed, at_other);
            children.remove(i);
            if children.len() == 1
                && let Some(only) = children.pop()
            {
                *parent = only;
            }
        }
        next.order.retain(|&p| p != pane);
        next.place_all(self.panes.len());
        Ok(next)
    }

    /// `pane` made `size` long across `dir` (`Columns`: wide; a fraction
    /// is of the area), as `resize-pane -x`/`-y` does: the cells come from
    /// its neighbours in the nearest run of that direction, as far as they
    /// have room. A pane with no such run keeps its size.
    pub fn resize(&self, pane: usize, dir: Split, size: PaneSize) -> Self {
        let cells = match size {
            PaneSize::Cells(n) => n,
            PaneSize::Fraction(f) => split::percent(len(&Node::pane(self.tree.cols, self.tree.rows), dir), f),
        };
        let mut next = self.unzoomed();
        // The height asked is the pane's: one that gives a row to its
        // title line needs a cell a row taller, as tmux reckons it.
        let titled = next.panes.get(pane).is_some_and(|r| match next.titles {
            Titles::Top => r.row == 1,
            Titles::Bottom => r.row + r.size.rows + 1 == next.tree.rows,
            Titles::Off => false,
        });
        let cells = cells.saturating_add(u16::from(titled && dir == Split::Rows));
        resize_to(&mut next.tree, pane, dir, cells, Edge::area(self.titles));
        next.place_all(self.panes.len());
        next
    }

    /// `pane` zoomed to the whole area (`Some`), or the zoom undone, as
    /// `resize-pane -Z` does; the tree is kept for when it is undone.
    pub fn zoom(&self, pane: Option<usize>) -> Result<Self, LayoutError> {
        if let Some(pane) = pane.filter(|&p| !self.is_open(p)) {
            return Err(LayoutError::NotOpen { pane });
        }
        let mut next = self.clone();
        next.zoomed = pane;
        next.place_all(self.panes.len());
        Ok(next)
    }

    /// The open panes placed by `preset`, in tmux's order, as
    /// `select-layout` does.
    pub fn select(&self, preset: Preset) -> Result<Self, LayoutError> {
        let n = self.order.len();
        let too_small = LayoutError::TooSmall {
            panes: n,
            screen: self.screen,
        };
        let count = u16::try_from(n).map_err(|_| too_small.clone())?;
        let mut tree = preset::tree(preset, count, self.tree.cols, self.tree.rows, self.titles).ok_or(too_small)?;
        renumber(&mut tree, &self.order);
        let mut next = self.unzoomed();
        next.tree = tree;
        next.place_all(self.panes.len());
        Ok(next)
    }

    fn unzoomed(&self) -> Self {
        let mut next = self.clone();
        if next.zoomed.take().is_some() {
            next.place_all(self.panes.len());
        }
        next
    }
}

/// Numbers the panes of `node` as `open` says: pane `i` becomes `open[i]`.
fn renumber(node: &mut Node, open: &[usize]) {
    match &mut node.kind {
        Kind::Pane(i) => *i = open.get(*i).copied().unwrap_or(*i),
        Kind::Split(_, children) => children.iter_mut().for_each(|c| renumber(c, open)),
    }
}

fn len(node: &Node, dir: Split) -> u16 {
    match dir {
        Split::Columns => node.cols,
        Split::Rows => node.rows,
    }
}

/// How many cells `node` (at `edge`) can give up across `dir` (tmux's
/// `layout_resize_check`): a pane down to `PANE_MINIMUM` (and a row for
/// its title line); a run that way all its cells can; a run the other way
/// what its tightest cell can.
fn spare(node: &Node, dir: Split, edge: Edge) -> u16 {
    match &node.kind {
        Kind::Pane(_) => {
            let minimum = PANE_MINIMUM + u16::from(dir == Split::Rows && edge.titled());
            len(node, dir).saturating_sub(minimum)
        }
        Kind::Split(own, children) => {
            let spares = children
                .iter()
                .enumerate()
                .map(|(i, c)| spare(c, dir, edge.child(*own, i, children.len())));
            match *own == dir {
                true => spares.sum(),
                false => spares.min().unwrap_or(0),
            }
        }
    }
}

/// Grows (or shrinks) `node` (at `edge`) by `change` across `dir`, as
/// tmux's `layout_resize_adjust` does: a run the other way changes every
/// cell; a run that way one cell at a time from the first, round and
/// round, a cell shrinking only while it has room.
fn adjust(node: &mut Node, dir: Split, change: i32, edge: Edge) {
    let grown = |n: u16| (i32::from(n) + change).clamp(0, i32::from(u16::MAX)) as u16;
    match dir {
        Split::Columns => node.cols = grown(node.cols),
        Split::Rows => node.rows = grown(node.rows),
    }
    let Kind::Split(own, children) = &mut node.kind else {
        return;
    };
    let (own, n) = (*own, children.len());
    if own != dir {
        for (i, child) in children.iter_mut().enumerate() {
            adjust(child, dir, change, edge.child(own, i, n));
        }
        return;
    }
    let mut change = change;
    while change != 0 {
        let mut changed = false;
        for (i, child) in children.iter_mut().enumerate() {
            if change == 0 {
                break;
            }
            let at = edge.child(own, i, n);
            if change > 0 {
                adjust(child, dir, 1, at);
                change -= 1;
                changed = true;
            } else if spare(child, dir, at) > 0 {
                adjust(child, dir, -1, at);
                change += 1;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
}

/// tmux's `layout_resize_pane_to`: the cell holding `pane` in the nearest
/// run across `dir` made `cells` long, by growing or shrinking it against
/// its neighbours.
fn resize_to(root: &mut Node, pane: usize, dir: Split, cells: u16, area: Edge) {
    let Some(path) = find(root, pane) else { return };
    // The nearest ancestor that runs across `dir`.
    let mut depth = path.len();
    while depth > 0 {
        if matches!(at(root, &path[..depth - 1]).kind, Kind::Split(d, _) if d == dir) {
            break;
        }
        depth -= 1;
    }
    if depth == 0 {
        return;
    }
    let edge = area.down(root, &path[..depth - 1]);
    let Kind::Split(_, children) = &mut at(root, &path[..depth - 1]).kind else {
        return;
    };
    let run = Run { dir, edge };
    let mut i = path[depth - 1];
    let last = i + 1 == children.len();
    let now = i32::from(len(&children[i], dir));
    let change = if last {
        now - i32::from(cells)
    } else {
        i32::from(cells) - now
    };
    // The last cell is resized by moving the border before it.
    if last {
        let Some(before) = i.checked_sub(1) else { return };
        i = before;
    }
    let mut needed = change;
    while needed != 0 {
        let moved = if change > 0 {
            run.grow(children, i, needed)
        } else {
            run.shrink(children, i, -needed)
        };
        if moved == 0 {
            break;
        }
        needed -= moved * change.signum();
    }
}

/// The children of a run across `dir`, the run at `edge`.
struct Run {
    dir: Split,
    edge: Edge,
}

impl Run {
    fn spare(&self, children: &[Node], k: usize) -> u16 {
        spare(&children[k], self.dir, self.edge.child(self.dir, k, children.len()))
    }

    fn adjust(&self, children: &mut [Node], k: usize, change: i32) {
        let at = self.edge.child(self.dir, k, children.len());
        adjust(&mut children[k], self.dir, change, at);
    }

    /// Cell `i` grows by up to `needed`, taken from the first cell after
    /// it that has room, else the nearest before it.
    fn grow(&self, children: &mut [Node], i: usize, needed: i32) -> i32 {
        let from = (i + 1..children.len())
            .find(|&k| self.spare(children, k) > 0)
            .or_else(|| (0..i).rev().find(|&k| self.spare(children, k) > 0));
        let Some(from) = from else { return 0 };
        let moved = i32::from(self.spare(children, from)).min(needed);
        self.adjust(children, i, moved);
        self.adjust(children, from, -moved);
        moved
    }

    /// Cell `i` (or the nearest before it with room) shrinks by up to
    /// `needed`, and the cell after `i` takes the cells.
    fn shrink(&self, children: &mut [Node], i: usize, needed: i32) -> i32 {
        let Some(from) = (0..=i).rev().find(|&k| self.spare(children, k) > 0) else {
            return 0;
        };
        if i + 1 >= children.len() {
            return 0;
        }
        let moved = i32::from(self.spare(children, from)).min(needed);
        self.adjust(children, i + 1, moved);
        self.adjust(children, from, -moved);
        moved
    }
}
