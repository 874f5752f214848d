//! Splits the screen into pane rectangles, dividers and a status line.
//!
//! In: the screen's size, the size each pane asks for, the split and
//! whether there is a status line. Out: a [`Layout`], a value the
//! compositor can be given anew during a recording
//! ([`Compositor::set_layout`](crate::screen::compositor::Compositor::set_layout)).
//!
//! Pure arithmetic: the compositor draws what this computes, and the PTYs
//! are sized from it, so a program always sees exactly its pane's size.

mod change;
mod preset;
mod split;
mod tree;

pub use preset::Preset;
pub use split::{Side, SplitOf};

use crate::geometry::{Rect, Size};
use tree::{Kind, Node};

/// How panes share the screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Split {
    /// Panes side by side, separated by vertical dividers (`│`).
    #[default]
    Columns,
    /// Panes stacked, separated by horizontal dividers (`─`).
    Rows,
}

/// Where each pane's title goes, as tmux's `pane-border-status`: on the
/// border line above it (a pane at the top of the screen gives its first
/// row for one) or below it (a pane at the bottom gives its last).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Titles {
    #[default]
    Off,
    Top,
    Bottom,
}

/// How much of the screen a pane asks for, along the split.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum PaneSize {
    /// A fraction (0 to 1) of the room left after the dividers.
    Fraction(f64),
    /// An exact number of columns (or rows, when stacked).
    Cells(u16),
}

/// A divider line between two panes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Divider {
    /// A vertical line at `col`, from `row` for `len` rows.
    Vertical { col: u16, row: u16, len: u16 },
    /// A horizontal line at `row`, from `col` for `len` columns.
    Horizontal { row: u16, col: u16, len: u16 },
}

impl Divider {
    /// The line between panes split by `split`: at column (or row) `at`,
    /// from row (or column) `from`, `len` cells long.
    fn between(split: Split, at: u16, from: u16, len: u16) -> Self {
        match split {
            Split::Columns => Self::Vertical {
                col: at,
                row: from,
                len,
            },
            Split::Rows => Self::Horizontal {
                row: at,
                col: from,
                len,
            },
        }
    }
}

/// Where everything goes on the screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layout {
    pub screen: Size,
    pub panes: Vec<Rect>,
    pub dividers: Vec<Divider>,
    /// The 0-based row of the status line, if there is one.
    pub status_row: Option<u16>,
    /// The panes on screen as tmux keeps them: a tree of splits.
    tree: Node,
    /// The panes on screen in tmux's order (a new pane comes after the
    /// one it split), which a preset places them in.
    order: Vec<usize>,
    /// The pane zoomed to the whole area, if one is.
    zoomed: Option<usize>,
    /// Where the panes' titles go.
    titles: Titles,
}

/// Why a layout cannot be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LayoutError {
    #[error("a scene needs at least one pane")]
    NoPanes,
    #[error(
        "{panes} pane(s) do not fit in a {screen} terminal: each needs a column and a row, each divider one more, the status line a row"
    )]
    TooSmall { panes: usize, screen: Size },
    #[error("no room to split here: the pane split needs three cells along the split (two panes and a border)")]
    NoRoomToSplit { pane: usize },
    #[error("the last pane on screen cannot be closed")]
    LastPane,
    #[error("the pane is not open here")]
    NotOpen { pane: usize },
    #[error("the pane sizes ask for {asked} cells, but only {room} are free after the dividers")]
    Oversized { asked: u32, room: u16 },
}

impl Layout {
    /// Splits `screen` into `panes` equal parts (the first parts take the
    /// remainder, as tmux does), one divider between each neighbouring pair,
    /// and the last row for the status line when `status` is set.
    pub fn split(screen: Size, panes: usize, split: Split, status: bool) -> Result<Self, LayoutError> {
        Self::sized(screen, &vec![None; panes], split, status)
    }

    /// Like [`Layout::split`], with a size per pane: sized panes get what
    /// they ask for, the others share the rest equally.
    pub fn sized(screen: Size, sizes: &[Option<PaneSize>], split: Split, status: bool) -> Result<Self, LayoutError> {
        let panes = sizes.len();
        if panes == 0 {
            return Err(LayoutError::NoPanes);
        }
        let too_small = LayoutError::TooSmall { panes, screen };
        let area_rows = screen.rows.checked_sub(u16::from(status)).ok_or(too_small.clone())?;
        let n = u16::try_from(panes).map_err(|_| too_small.clone())?;
        let along = match split {
            Split::Columns => screen.cols,
            Split::Rows => area_rows,
        };
        let across = match split {
            Split::Columns => area_rows,
            Split::Rows => screen.cols,
        };
        let usable = along
            .checked_sub(n - 1)
            .filter(|u| *u >= n && across > 0)
            .ok_or(too_small.clone())?;
        let lengths = lengths(usable, sizes)?;
        if lengths.contains(&0) {
            return Err(too_small);
        }

        let area = Size::new(screen.cols, area_rows);
        let cell = |len: u16| match split {
            Split::Columns => Node::pane(len, across),
            Split::Rows => Node::pane(across, len),
        };
        let mut tree = match lengths.as_slice() {
            [_] => Node::pane(area.cols, area.rows),
            _ => Node {
                cols: area.cols,
                rows: area.rows,
                kind: Kind::Split(split, lengths.into_iter().map(cell).collect()),
            },
        };
        tree.number(&mut 0);
        Ok(Self::of_tree(screen, panes, tree, status))
    }
}

impl Layout {
    /// tmux's layout `preset` for `panes` panes on `screen`, the last row
    /// kept for the status line when `status` is set: the rectangles tmux's
    /// `select-layout` gives in a window of that size.
    pub fn preset(screen: Size, panes: usize, preset: Preset, status: bool) -> Result<Self, LayoutError> {
        if panes == 0 {
            return Err(LayoutError::NoPanes);
        }
        let too_small = LayoutError::TooSmall { panes, screen };
        let rows = screen.rows.checked_sub(u16::from(status)).ok_or(too_small.clone())?;
        let n = u16::try_from(panes).map_err(|_| too_small.clone())?;
        let tree = preset::tree(preset, n, screen.cols, rows, Titles::Off).ok_or(too_small)?;
        Ok(Self::of_tree(screen, panes, tree, status))
    }

    /// The panes made one by one as a tmux user makes them, each after the
    /// first by its split of an earlier pane (`splits[0]` is ignored; a
    /// missing split puts the pane right of the one before), on `screen`
    /// less the status line.
    pub fn splits(screen: Size, splits: &[Option<SplitOf>], status: bool) -> Result<Self, LayoutError> {
        let panes = splits.len();
        if panes == 0 {
            return Err(LayoutError::NoPanes);
        }
        let too_small = LayoutError::TooSmall { panes, screen };
        let rows = screen.rows.checked_sub(u16::from(status)).ok_or(too_small.clone())?;
        if rows == 0 || screen.cols == 0 {
            return Err(too_small);
        }
        let tree = split::tree(screen.cols, rows, splits).map_err(|pane| LayoutError::NoRoomToSplit { pane })?;
        let mut layout = Self::of_tree(screen, panes, tree, status);
        layout.order = split::order(splits);
        Ok(layout)
    }

    /// The layout of `tree`'s `panes` panes on `screen`, in their order.
    fn of_tree(screen: Size, panes: usize, tree: Node, status: bool) -> Self {
        let mut layout = Self {
            screen,
            panes: Vec::new(),
            dividers: Vec::new(),
            status_row: status.then(|| screen.rows - 1),
            order: (0..panes).collect(),
            tree,
            zoomed: None,
            titles: Titles::Off,
        };
        layout.place_all(panes);
        layout
    }

    /// This layout with the panes' titles on their border lines: a pane
    /// at the top of the screen (`Top`) or at the bottom (`Bottom`) gives
    /// up a row for its own, as in tmux.
    pub fn with_titles(mut self, titles: Titles) -> Self {
        self.titles = titles;
        self.place_all(self.panes.len());
        self
    }

    /// Where the panes' titles go.
    pub fn titles(&self) -> Titles {
        self.titles
    }

    /// Where `pane`'s title is drawn: its row, first column and width
    /// (tmux's: from two cells in, four cells short of the pane's width).
    pub fn title_place(&self, pane: usize) -> Option<(u16, u16, u16)> {
        let rect = self.panes.get(pane).filter(|r| r.size.cols > 0)?;
        let row = match self.titles {
            Titles::Off => return None,
            Titles::Top => rect.row.checked_sub(1)?,
            Titles::Bottom => rect.row + rect.size.rows,
        };
        Some((row, rect.col + 2, rect.size.cols.saturating_sub(4)))
    }

    /// Works the rectangles and dividers out from the tree, for `panes`
    /// panes: one zoomed takes the whole area and hides the others, and a
    /// pane not on screen has an empty rectangle.
    fn place_all(&mut self, panes: usize) {
        self.panes = vec![Rect::new(0, 0, Size::new(0, 0)); panes];
        self.dividers.clear();
        match self.zoomed {
            Some(pane) => self.panes[pane] = Rect::new(0, 0, Size::new(self.tree.cols, self.tree.rows)),
            None => {
                let tree = std::mem::replace(&mut self.tree, Node::pane(0, 0));
                self.place(&tree, 0, 0);
                self.tree = tree;
            }
        }
        // A pane at the edge the titles go on gives a row to the border
        // line that holds its title; the others' is the divider there.
        let area_rows = self.tree.rows;
        // (A cell of one row leaves its pane none, as in tmux.)
        for rect in self.panes.iter_mut().filter(|r| r.size.cols > 0 && r.size.rows > 0) {
            let line = match self.titles {
                Titles::Top if rect.row == 0 => {
                    rect.row += 1;
                    0
                }
                Titles::Bottom if rect.row + rect.size.rows == area_rows => rect.row + rect.size.rows - 1,
                _ => continue,
            };
            rect.size.rows -= 1;
            self.dividers.push(Divider::Horizontal {
                row: line,
                col: rect.col,
                len: rect.size.cols,
            });
        }
    }

    /// Places `node` with its top left cell at (`col`, `row`): its panes in
    /// order, and a divider between each two neighbours.
    fn place(&mut self, node: &Node, col: u16, row: u16) {
        match &node.kind {
            Kind::Pane(i) => {
                if let Some(rect) = self.panes.get_mut(*i) {
                    *rect = Rect::new(col, row, Size::new(node.cols, node.rows));
                }
            }
            Kind::Split(split, children) => {
                let (mut c, mut r) = (col, row);
                for (i, child) in children.iter().enumerate() {
                    if i > 0 {
                        let (at, from, len) = match split {
                            Split::Columns => (&mut c, row, node.rows),
                            Split::Rows => (&mut r, col, node.cols),
                        };
                        self.dividers.push(Divider::between(*split, *at, from, len));
                        *at += 1;
                    }
                    self.place(child, c, r);
                    match split {
                        Split::Columns => c += child.cols,
                        Split::Rows => r += child.rows,
                    }
                }
            }
        }
    }

    /// Every cell of the dividers with the line-drawing character tmux
    /// draws there: `│` and `─`, and where lines meet, the junction
    /// (`├ ┤ ┬ ┴ ┼`) their neighbours make. The screen's edge counts as a
    /// line, as in tmux, so a divider meets it straight.
    pub fn borders(&self) -> Vec<(u16, u16, char)> {
        let rows = self.status_row.unwrap_or(self.screen.rows);
        let cols = self.screen.cols;
        let mut cells: Vec<(u16, u16)> = Vec::new();
        for divider in &self.dividers {
            match *divider {
                Divider::Vertical { col, row, len } => cells.extend((row..row + len).map(|r| (r, col))),
                Divider::Horizontal { row, col, len } => cells.extend((col..col + len).map(|c| (row, c))),
            }
        }
        cells.sort_unstable();
        cells.dedup();
        let border = |row: u16, col: u16| cells.binary_search(&(row, col)).is_ok();
        cells
            .iter()
            .map(|&(row, col)| {
                // The screen's edge continues a line that runs into it,
                // and ends one that runs along it.
                let left = col > 0 && border(row, col - 1);
                let right = col + 1 < cols && border(row, col + 1);
                let up = row > 0 && border(row - 1, col);
                let down = row + 1 < rows && border(row + 1, col);
                let (left, right, up, down) = (
                    left || (col == 0 && !(up || down)),
                    right || (col + 1 >= cols && !(up || down)),
                    up || (row == 0 && !(left || right)),
                    down || (row + 1 >= rows && !(left || right)),
                );
                let glyph = match (left, right, up, down) {
                    (true, true, true, true) => '┼',
                    (true, true, true, false) => '┴',
                    (true, true, false, true) => '┬',
                    (false, true, true, true) => '├',
                    (true, false, true, true) => '┤',
                    (true, false, true, false) => '┘',
                    (true, false, false, true) => '┐',
                    (false, true, true, false) => '└',
                    (false, true, false, true) => '┌',
                    (_, _, true, _) | (_, _, _, true) => '│',
                    _ => '─',
                };
                (row, col, glyph)
            })
            .collect()
    }
}

/// Lengths along the split: asked sizes first, the rest shared equally
/// (earlier panes take the remainder).
fn lengths(usable: u16, sizes: &[Option<PaneSize>]) -> Result<Vec<u16>, LayoutError> {
    let asked: Vec<Option<u32>> = sizes
        .iter()
        .map(|s| {
            s.map(|s| match s {
                PaneSize::Cells(c) => u32::from(c),
                PaneSize::Fraction(f) => (f * f64::from(usable)).floor() as u32,
            })
        })
        .collect();
    let fixed: u32 = asked.iter().flatten().sum();
    let free_panes = asked.iter().filter(|a| a.is_none()).count() as u32;
    if fixed + free_panes > u32::from(usable) {
        return Err(LayoutError::Oversized {
            asked: fixed,
            room: usable,
        });
    }
    let rest = u32::from(usable) - fixed;
    let mut lengths: Vec<u32> = Vec::with_capacity(sizes.len());
    let mut k = 0;
    for a in &asked {
        lengths.push(match a {
            Some(a) => *a,
            None => {
                k += 1;
                rest / free_panes + u32::from(k <= rest % free_panes)
            }
        });
    }
    // Fractions round down; with no free pane to take the cells left over,
    // they go one each to the first panes (as tmux gives the left pane the
    // odd column).
    let total: u32 = lengths.iter().sum();
    let count = lengths.len();
    for i in 0..(u32::from(usable) - total.min(u32::from(usable))) as usize {
        lengths[i % count] += 1;
    }
    Ok(lengths.into_iter().map(|l| l as u16).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reference_geometry_is_tmux_like() {
        // DESIGN.md: left pane columns 1-50, divider 51, right 52-100, status row 36.
        let l = Layout::split(Size::new(100, 36), 2, Split::Columns, true).unwrap();
        assert_eq!(l.panes[0], Rect::new(0, 0, Size::new(50, 35)));
        assert_eq!(l.panes[1], Rect::new(51, 0, Size::new(49, 35)));
        assert_eq!(
            l.dividers,
            vec![Divider::Vertical {
                col: 50,
                row: 0,
                len: 35
            }]
        );
        assert_eq!(l.status_row, Some(35));
    }

    #[test]
    fn borders_join_as_tmux_draws_them() {
        let glyph =
            |l: &Layout, row: u16, col: u16| l.borders().into_iter().find(|b| (b.0, b.1) == (row, col)).map(|b| b.2);
        // A main pane of 9 columns, two stacked beside it.
        let l = Layout::preset(Size::new(20, 7), 3, Preset::MainVertical { main: 9 }, false).unwrap();
        assert_eq!(l.panes[1], Rect::new(10, 0, Size::new(10, 3)));
        assert_eq!(glyph(&l, 3, 9), Some('├'));
        assert_eq!(glyph(&l, 0, 9), Some('│'));
        assert_eq!(glyph(&l, 6, 9), Some('│'));
        assert_eq!(glyph(&l, 3, 10), Some('─'));
        assert_eq!(glyph(&l, 3, 19), Some('─'));
        // Four tiles meet in a cross; the status row ends the lines.
        let l = Layout::preset(Size::new(21, 8), 4, Preset::Tiled, true).unwrap();
        assert_eq!(glyph(&l, 3, 10), Some('┼'));
        assert_eq!(glyph(&l, 6, 10), Some('│'));
        // The reference picture keeps its plain divider.
        let l = Layout::split(Size::new(100, 36), 2, Split::Columns, true).unwrap();
        assert!(l.borders().iter().all(|b| b.1 == 50 && b.2 == '│'));
        assert_eq!(l.borders().len(), 35);
    }

    #[test]
    fn the_active_border_is_tmuxs() {
        // Two side by side: the divider's top half is the left pane's
        // (rows 0 to 17 of 35), the rest the right one's.
        let l = Layout::split(Size::new(100, 36), 2, Split::Columns, true).unwrap();
        let (left, right) = (l.border_of(0), l.border_of(1));
        assert!(left(17, 50) && !left(18, 50));
        assert!(!right(17, 50) && right(18, 50));
        // Three: every border cell around the pane, corners included.
        let l = Layout::preset(Size::new(20, 7), 3, Preset::MainVertical { main: 9 }, false).unwrap();
        let around = |p: usize| -> Vec<(u16, u16)> {
            l.borders()
                .into_iter()
                .filter(|&(r, c, _)| l.border_of(p)(r, c))
                .map(|(r, c, _)| (r, c))
                .collect()
        };
        assert_eq!(around(0).len(), 7, "the main pane's whole right border");
        let top_right: Vec<(u16, u16)> = (0..=3).map(|r| (r, 9)).chain((10..20).map(|c| (3, c))).collect();
        let mut got = around(1);
        got.sort_unstable();
        let mut want = top_right;
        want.sort_unstable();
        assert_eq!(got, want);
    }

    #[test]
    fn rows_split_and_no_status() {
        let l = Layout::split(Size::new(80, 24), 3, Split::Rows, false).unwrap();
        // 24 rows - 2 dividers = 22 = 8 + 7 + 7
        let heights: Vec<u16> = l.panes.iter().map(|r| r.size.rows).collect();
        assert_eq!(heights, vec![8, 7, 7]);
        assert_eq!(l.panes[1].row, 9);
        assert_eq!(l.panes[2].row, 17);
        assert_eq!(l.status_row, None);
        assert!(l.panes.iter().all(|r| r.size.cols == 80));
    }

    #[test]
    fn panes_and_dividers_tile_the_screen_exactly() {
        for (cols, rows, n, split) in [
            (100, 36, 2, Split::Columns),
            (31, 9, 4, Split::Columns),
            (20, 30, 5, Split::Rows),
        ] {
            let l = Layout::split(Size::new(cols, rows), n, split, true).unwrap();
            for r in 0..rows - 1 {
                for c in 0..cols {
                    let in_panes = l.panes.iter().filter(|p| p.contains(c, r)).count();
                    let on_divider = l.dividers.iter().any(|d| match *d {
                        Divider::Vertical { col, row, len } => c == col && r >= row && r < row + len,
                        Divider::Horizontal { row, col, len } => r == row && c >= col && c < col + len,
                    });
                    assert_eq!(
                        in_panes + usize::from(on_divider),
                        1,
                        "cell {c},{r} of {cols}x{rows}/{n}"
                    );
                }
            }
        }
    }

    #[test]
    fn sized_panes_get_what_they_ask_for() {
        let screen = Size::new(100, 36);
        let l = Layout::sized(screen, &[Some(PaneSize::Cells(30)), None, None], Split::Columns, true).unwrap();
        let widths: Vec<u16> = l.panes.iter().map(|r| r.size.cols).collect();
        assert_eq!(widths, [30, 34, 34]);
        let l = Layout::sized(
            screen,
            &[Some(PaneSize::Fraction(0.25)), Some(PaneSize::Fraction(0.75))],
            Split::Columns,
            false,
        )
        .unwrap();
        let widths: Vec<u16> = l.panes.iter().map(|r| r.size.cols).collect();
        assert_eq!(widths, [25, 74]);
        let half = Some(PaneSize::Fraction(0.5));
        let l = Layout::sized(screen, &[half, half], Split::Columns, true).unwrap();
        assert_eq!(l, Layout::split(screen, 2, Split::Columns, true).unwrap());
        let l = Layout::sized(screen, &[Some(PaneSize::Fraction(0.3)), None], Split::Rows, true).unwrap();
        let heights: Vec<u16> = l.panes.iter().map(|r| r.size.rows).collect();
        assert_eq!(heights, [10, 24]);
        assert_eq!(
            Layout::sized(screen, &[Some(PaneSize::Cells(99)), None], Split::Columns, true),
            Err(LayoutError::Oversized { asked: 99, room: 99 })
        );
    }

    #[test]
    fn too_small_is_an_error() {
        assert_eq!(
            Layout::split(Size::new(100, 36), 0, Split::Columns, true),
            Err(LayoutError::NoPanes)
        );
        assert!(Layout::split(Size::new(4, 10), 3, Split::Columns, true).is_err());
        assert!(Layout::split(Size::new(10, 1), 1, Split::Columns, true).is_err());
        assert!(Layout::split(Size::new(5, 10), 3, Split::Columns, true).is_ok());
    }
}
