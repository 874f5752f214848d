//! The layout as a tree, as tmux keeps it: each cell a pane or a run of
//! cells side by side or stacked, one border cell apart, every cell with
//! its size.
//!
//! In: what the presets, the splits and the layout's changes build. Out:
//! the tree [`super::Layout`] places its rectangles and dividers from, and
//! paths to a pane's cell.

use super::{Split, Titles};

/// A cell of the layout tree: its size, and a pane or a split of cells.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Node {
    pub cols: u16,
    pub rows: u16,
    pub kind: Kind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Kind {
    /// The scene's pane of this index.
    Pane(usize),
    /// Children side by side (`Columns`) or stacked (`Rows`), one border
    /// cell apart.
    Split(Split, Vec<Node>),
}

impl Node {
    /// A pane's cell (numbered later, by [`Node::number`], when built in
    /// the panes' order).
    pub fn pane(cols: u16, rows: u16) -> Self {
        Self {
            cols,
            rows,
            kind: Kind::Pane(0),
        }
    }

    /// Numbers the panes in the order they are placed, from `next`.
    pub fn number(&mut self, next: &mut usize) {
        match &mut self.kind {
            Kind::Pane(i) => {
                *i = *next;
                *next += 1;
            }
            Kind::Split(_, children) => children.iter_mut().for_each(|c| c.number(next)),
        }
    }

    /// A cell of `cols` x `rows` split into `main` and `others`.
    pub fn split(split: Split, cols: u16, rows: u16, main: Node, others: Node) -> Self {
        Self {
            cols,
            rows,
            kind: Kind::Split(split, vec![main, others]),
        }
    }

    /// Grows (or shrinks) the cell by `by` across `split`'s direction
    /// (`Rows`: taller), as tmux's resize of a cell does: a split across
    /// the same direction gives it to its last child, one the other way
    /// to every child.
    pub fn adjust(&mut self, split: Split, by: u16) {
        match split {
            Split::Columns => self.cols += by,
            Split::Rows => self.rows += by,
        }
        if let Kind::Split(own, children) = &mut self.kind {
            if *own == split {
                if let Some(last) = children.last_mut() {
                    last.adjust(split, by);
                }
            } else {
                for child in children {
                    child.adjust(split, by);
                }
            }
        }
    }
}

pub(super) fn set_len(node: &mut Node, dir: Split, len: u16) {
    match dir {
        Split::Columns => node.cols = len,
        Split::Rows => node.rows = len,
    }
}

/// The child indices leading to pane `pane`'s cell.
pub(super) fn find(node: &Node, pane: usize) -> Option<Vec<usize>> {
    match &node.kind {
        Kind::Pane(i) => (*i == pane).then(Vec::new),
        Kind::Split(_, children) => children.iter().enumerate().find_map(|(i, child)| {
            let mut path = find(child, pane)?;
            path.insert(0, i);
            Some(path)
        }),
    }
}

pub(super) fn at<'n>(node: &'n mut Node, path: &[usize]) -> &'n mut Node {
    let Some((&i, rest)) = path.split_first() else {
        return node;
    };
    match &mut node.kind {
        Kind::Split(_, children) => at(&mut children[i], rest),
        Kind::Pane(_) => unreachable!("a path from `find` leads through splits"),
    }
}

/// Where a cell is: whether it reaches the top and the bottom of the area,
/// and so whether its panes give a row to a title line.
#[derive(Debug, Clone, Copy)]
pub(super) struct Edge {
    titles: Titles,
    top: bool,
    bottom: bool,
}

impl Edge {
    /// The whole area.
    pub fn area(titles: Titles) -> Self {
        Self {
            titles,
            top: true,
            bottom: true,
        }
    }

    /// Child `i` of `n` of a cell here split by `split`.
    pub fn child(self, split: Split, i: usize, n: usize) -> Self {
        match split {
            Split::Rows => Self {
                top: self.top && i == 0,
                bottom: self.bottom && i + 1 == n,
                ..self
            },
            Split::Columns => self,
        }
    }

    /// The cell at `path` from `root`, which is at `self`.
    pub fn down(self, root: &Node, path: &[usize]) -> Self {
        let mut edge = self;
        let mut node = root;
        for &i in path {
            let Kind::Split(split, children) = &node.kind else {
                break;
            };
            edge = edge.child(*split, i, children.len());
            node = &children[i];
        }
        edge
    }

    /// Whether a pane here gives a row to its title line.
    pub fn titled(self) -> bool {
        matches!(
            (self.titles, self.top, self.bottom),
            (Titles::Top, true, _) | (Titles::Bottom, _, true)
        )
    }
}
