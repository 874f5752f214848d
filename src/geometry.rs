//! Named sizes and positions, one order everywhere: columns before rows.
//!
//! In and out: plain values, no IO. The scene gives the terminal's
//! [`Size`], the layout cuts it into each pane's [`Rect`], and the PTYs,
//! emulators and cast headers take their sizes from these. The emulator
//! (vt100) and the PTY take `(rows, cols)` and the test oracle (avt)
//! `(cols, rows)`; converting only where those crates are called means no
//! call site can swap them.

/// A terminal or pane size in character cells.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Size {
    /// Width, in columns.
    pub cols: u16,
    /// Height, in rows.
    pub rows: u16,
}

impl Size {
    /// A size of `cols` columns by `rows` rows (shown as `COLSxROWS`).
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
    /// The leftmost column.
    pub col: u16,
    /// The top row.
    pub row: u16,
    /// Its width and height.
    pub size: Size,
}

impl Rect {
    /// The rectangle of `size` whose top left cell is `(col, row)`.
    pub const fn new(col: u16, row: u16, size: Size) -> Self {
        Self { col, row, size }
    }

    /// Whether the 0-based cell `(col, row)` lies inside.
    pub fn contains(&self, col: u16, row: u16) -> bool {
        col >= self.col && row >= self.row && col - self.col < self.size.cols && row - self.row < self.size.rows
    }
}
