//! Named sizes and positions, one order everywhere: columns before rows.
//!
//! The emulator crate takes `(rows, cols)` and the test oracle `(cols, rows)`;
//! keeping both behind these types means no call site can swap them.

/// A terminal or pane size in character cells.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Size {
    pub cols: u16,
    pub rows: u16,
}

impl Size {
    pub const fn new(cols: u16, rows: u16) -> Self {
        Self { cols, rows }
    }
}

impl std::fmt::Display for Size {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}x{}", self.cols, self.rows)
    }
}

/// A rectangle on the screen; `col` and `row` are 0-based.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Rect {
    pub col: u16,
    pub row: u16,
    pub size: Size,
}

impl Rect {
    pub const fn new(col: u16, row: u16, size: Size) -> Self {
        Self { col, row, size }
    }

    /// Whether the 0-based cell `(col, row)` lies inside.
    pub fn contains(&self, col: u16, row: u16) -> bool {
        col >= self.col && row >= self.row && col - self.col < self.size.cols && row - self.row < self.size.rows
    }
}
