//! A screen as a flat grid of cells: what every picture form draws.
//!
//! In: the emulator's screen after a cast's events up to some moment. Out: a
//! [`Grid`] that owns its cells, so that frames can be kept, compared
//! (identical frames are merged, unchanged rows are not drawn again) and
//! drawn by the SVG writer and the rasterizer alike. The cursor, when the
//! screen shows it, is part of the grid: its cell is drawn in inverse, as
//! asciinema-player draws a block cursor.

use crate::screen::style::Style;

/// One cell: its character (with any combining marks), its width and style.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cell {
    /// The character drawn; a space for an empty cell, [`CONTINUATION`]
    /// for the second half of a wide character.
    pub ch: char,
    /// Combining marks drawn over `ch` (rare: kept out of line).
    pub marks: Option<Box<str>>,
    /// Columns the character takes: 1, or 2 for a wide character (whose
    /// next cell is its second half).
    pub wide: bool,
    pub style: Style,
}

/// The `ch` of a wide character's second half, which draws nothing.
pub const CONTINUATION: char = '\0';

impl Cell {
    /// An empty cell in `style` (only its background shows).
    fn empty(style: Style) -> Self {
        Self {
            ch: ' ',
            marks: None,
            wide: false,
            style,
        }
    }

    /// The second half of a wide character.
    pub fn is_continuation(&self) -> bool {
        self.ch == CONTINUATION
    }

    /// A space in the default style, with nothing to draw.
    pub fn is_blank(&self) -> bool {
        self.ch == ' ' && self.style == Style::default()
    }

    /// The text drawn in the cell: its character and marks (`""` for a
    /// second half).
    pub fn push_to(&self, out: &mut String) {
        if !self.is_continuation() {
            out.push(self.ch);
        }
        if let Some(marks) = &self.marks {
            out.push_str(marks);
        }
    }
}

/// A screen's cells, row by row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grid {
    pub rows: u16,
    pub cols: u16,
    cells: Vec<Cell>,
}

impl Grid {
    /// The cells of `screen`, with the cursor's cell inverted when the
    /// screen shows it.
    pub fn of_screen(screen: &vt100::Screen) -> Self {
        let (rows, cols) = screen.size();
        let (rows, cols) = (rows.get(), cols.get());
        let mut cells = Vec::with_capacity(usize::from(rows) * usize::from(cols));
        for row in 0..rows {
            for col in 0..cols {
                let cell = screen.cell(row, col);
                cells.push(match cell {
                    Some(c) if c.is_wide_continuation() => Cell {
                        ch: CONTINUATION,
                        ..Cell::empty(Style::of_cell(c))
                    },
                    Some(c) if c.has_contents() => {
                        let mut chars = c.contents().chars();
                        let ch = chars.next().unwrap_or(' ');
                        let rest = chars.as_str();
                        Cell {
                            // A control character a cast could leave in a
                            // cell is drawn as nothing.
                            ch: if ch < ' ' { ' ' } else { ch },
                            marks: (!rest.is_empty()).then(|| rest.into()),
                            // A wide character in the last column has no
                            // room for its second half: it takes one cell.
                            wide: c.is_wide() && col + 1 < cols,
                            style: Style::of_cell(c),
                        }
                    }
                    Some(c) => Cell::empty(Style::of_cell(c)),
                    None => Cell::empty(Style::default()),
                });
            }
        }
        let mut grid = Self { rows, cols, cells };
        grid.settle_wide();
        if !screen.hide_cursor() {
            let (row, col) = screen.cursor_position();
            grid.show_cursor(row, col);
        }
        grid
    }

    /// A continuation cell whose wide character is gone (overwritten by a
    /// narrow one) is drawn as a space, and a wide character whose second
    /// half was overwritten takes one column: each cell then belongs to
    /// exactly one character.
    fn settle_wide(&mut self) {
        let cols = usize::from(self.cols);
        for row in self.cells.chunks_mut(cols) {
            for col in 0..cols {
                let continues = col > 0 && row[col - 1].wide;
                if row[col].is_continuation() && !continues {
                    row[col].ch = ' ';
                }
                if row[col].wide && !row.get(col + 1).is_some_and(Cell::is_continuation) {
                    row[col].wide = false;
                }
            }
        }
    }

    /// Inverts the cell at the cursor (a wide character's first half when
    /// the cursor is on its second).
    fn show_cursor(&mut self, row: u16, col: u16) {
        if row >= self.rows || col >= self.cols {
            return;
        }
        let mut i = usize::from(row) * usize::from(self.cols) + usize::from(col);
        if self.cells[i].is_continuation() && col > 0 {
            i -= 1;
        }
        let style = &mut self.cells[i].style;
        style.inverse = !style.inverse;
        // An empty cell's style is the default: the block shows.
    }

    /// The cells of row `row`.
    pub fn row(&self, row: u16) -> &[Cell] {
        let cols = usize::from(self.cols);
        let start = usize::from(row) * cols;
        &self.cells[start..start + cols]
    }

    /// Whether row `row` has nothing to draw but the background.
    pub fn row_is_blank(&self, row: u16) -> bool {
        self.row(row).iter().all(Cell::is_blank)
    }

    /// The rows as text, trailing spaces trimmed (for tests and checks).
    pub fn text(&self) -> Vec<String> {
        (0..self.rows)
            .map(|r| {
                let mut text = String::new();
                for cell in self.row(r) {
                    cell.push_to(&mut text);
                }
                text.trim_end().to_string()
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grid(rows: u16, cols: u16, output: &str) -> Grid {
        let mut p = vt100::Parser::new(rows.try_into().unwrap(), cols.try_into().unwrap(), 0);
        p.process(output.as_bytes());
        Grid::of_screen(p.screen())
    }

    #[test]
    fn cells_hold_characters_wide_halves_and_styles() {
        let g = grid(2, 8, "\x1b[?25la\x1b[1;31m世\x1b[0mb\r\ne\u{301}");
        let row = g.row(0);
        assert_eq!((row[0].ch, row[0].wide), ('a', false));
        assert_eq!((row[1].ch, row[1].wide, row[1].style.bold), ('世', true, true));
        assert!(row[2].is_continuation());
        assert_eq!(row[3].ch, 'b');
        assert!(row[4].is_blank());
        assert_eq!(g.text(), ["a世b", "e\u{301}"]);
        assert!(!g.row_is_blank(1) && g.row(1)[1].is_blank());
        assert_eq!(g.row(1)[0].marks.as_deref(), Some("\u{301}"));
    }

    #[test]
    fn the_visible_cursor_is_an_inverted_cell() {
        let shown = grid(2, 4, "ab");
        assert!(shown.row(0)[2].style.inverse, "the cursor after \"ab\"");
        assert!(!shown.row(0)[1].style.inverse);
        let hidden = grid(2, 4, "ab\x1b[?25l");
        assert!(!hidden.row(0)[2].style.inverse);
        assert_ne!(shown, hidden);
        // On a wide character's second half: its first half shows it.
        let wide = grid(1, 4, "\x1b[?25l世\x1b[1;2H\x1b[?25h");
        assert!(wide.row(0)[0].style.inverse);
    }

    #[test]
    fn a_wide_character_cut_by_a_narrow_one_leaves_single_cells() {
        let g = grid(1, 6, "\x1b[?25l世界\x1b[1;2Hx");
        let row = g.row(0);
        // vt100 may keep the cut halves; each cell still belongs to one character.
        for (i, cell) in row.iter().enumerate() {
            if cell.is_continuation() {
                assert!(i > 0 && row[i - 1].wide, "cell {i}: {row:?}");
            }
            if cell.wide {
                assert!(row[i + 1].is_continuation(), "cell {i}: {row:?}");
            }
        }
        assert_eq!(row[1].ch, 'x');
    }
}
