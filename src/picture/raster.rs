//! Frames as pixels: glyphs rasterized from the bundled font (DejaVu Sans
//! Mono, `assets/fonts`, licence beside it) onto an RGB canvas.
//!
//! In: a [`Look`] and the grids of a film. Out: a [`Canvas`] kept from
//! frame to frame, where [`Painter::paint`] redraws only the cells that
//! changed and says which rectangle that was (a GIF frame is that
//! rectangle). Glyphs are rasterized once per character and attributes and
//! kept as coverage masks of their cells; box drawing and blocks are drawn
//! as shapes to the cell's edges ([`super::shapes`]). Coverage can be
//! quantized to a few levels, so that a GIF's palette holds every colour
//! exactly.

use std::collections::HashMap;

use ab_glyph::{Font as _, FontRef, PxScale, ScaleFont as _};

use super::Look;
use super::colours::{Pen, Rgb};
use super::grid::{Cell, Grid};
use super::shapes::shape;
use crate::geometry::Size;

const REGULAR: &[u8] = include_bytes!("../../assets/fonts/DejaVuSansMono.ttf");
const BOLD: &[u8] = include_bytes!("../../assets/fonts/DejaVuSansMono-Bold.ttf");

/// The window bar's three dots.
pub const DOTS: [Rgb; 3] = [[0xff, 0x5f, 0x58], [0xff, 0xbd, 0x2e], [0x18, 0xc1, 0x32]];

/// A glyph's coverage of its cell (or two cells), row by row.
type Mask = Vec<u8>;

/// The fonts, the cell's size in pixels and the masks made so far.
pub struct Raster {
    /// Regular and bold; each glyph's outline is read when first drawn.
    fonts: [FontRef<'static>; 2],
    scale: PxScale,
    pub cell_w: usize,
    pub cell_h: usize,
    baseline: i32,
    /// Coverage levels kept (2 to 256).
    levels: u16,
    masks: HashMap<(char, u8), Mask>,
}

impl Raster {
    /// The rasterizer for `look`'s font size, keeping `levels` levels of
    /// coverage (256: all; 2: none but on and off).
    pub fn new(look: &Look, levels: u16) -> Self {
        // The bundled fonts are known good: a failure here is a broken build.
        let load = |bytes: &'static [u8]| FontRef::try_from_slice(bytes).expect("the bundled font");
        let fonts = [load(REGULAR), load(BOLD)];
        let px = look.font_size as f32;
        // `font_size` is the em; ab_glyph scales by the font's height.
        let em = fonts[0].units_per_em().unwrap_or(2048.0);
        let scale = PxScale::from(px * fonts[0].height_unscaled() / em);
        let scaled = fonts[0].as_scaled(scale);
        let advance = scaled.h_advance(fonts[0].glyph_id('M'));
        let cell_w = (advance.round() as usize).max(1);
        let cell_h = ((px * 1.2).round() as usize).max(2);
        let (ascent, descent) = (scaled.ascent(), scaled.descent());
        let baseline = ((cell_h as f32 - (ascent - descent)) / 2.0 + ascent).round() as i32;
        Self {
            fonts,
            scale,
            cell_w,
            cell_h,
            baseline,
            levels: levels.clamp(2, 256),
            masks: HashMap::new(),
        }
    }

    /// The coverage level `c` is kept as.
    fn quantize(&self, c: u8) -> u8 {
        if self.levels >= 256 {
            return c;
        }
        let steps = u32::from(self.levels - 1);
        let level = (u32::from(c) * steps + 127) / 255;
        (level * 255 / steps) as u8
    }

    /// The coverage levels [`Raster::quantize`] gives.
    pub fn coverages(&self) -> Vec<u8> {
        coverage_levels(self.levels)
    }

    /// The mask of `c` in a box `cells` wide, made on first use.
    fn mask(&mut self, c: char, cells: usize, bold: bool, italic: bool) -> &Mask {
        let key = (c, u8::from(bold) | u8::from(italic) << 1 | (cells as u8) << 2);
        if !self.masks.contains_key(&key) {
            let mask = self.make_mask(c, cells, bold, italic);
            self.masks.insert(key, mask);
        }
        &self.masks[&key]
    }

    fn make_mask(&self, c: char, cells: usize, bold: bool, italic: bool) -> Mask {
        let (w, h) = (self.cell_w * cells, self.cell_h);
        if let Some(cover) = shape(c, w, h) {
            return cover;
        }
        let font = &self.fonts[usize::from(bold)];
        let mut cover = vec![0u8; w * h];
        let id = font.glyph_id(c);
        let outline = (id.0 != 0)
            .then(|| font.outline_glyph(id.with_scale(self.scale)))
            .flatten();
        let Some(outline) = outline else {
            if c.is_whitespace() {
                return cover;
            }
            // Not in the font: an outline box, as terminals draw it.
            for y in 2..h.saturating_sub(2) {
                for x in 1..w.saturating_sub(1) {
                    let edge = y == 2 || y + 3 == h || x == 1 || x + 2 == w;
                    if edge {
                        cover[y * w + x] = 255;
                    }
                }
            }
            return cover;
        };
        // Centred in its box; the outline's bounds are relative to the
        // origin on the baseline.
        let advance = font.as_scaled(self.scale).h_advance(id);
        let bounds = outline.px_bounds();
        let left = ((w as f32 - advance) / 2.0).round() as i32 + bounds.min.x as i32;
        let top = self.baseline + bounds.min.y as i32;
        outline.draw(|gx, gy, v| {
            let y = top + gy as i32;
            if y < 0 || y >= h as i32 {
                return;
            }
            // Italic: rows above the baseline lean right.
            let lean = if italic {
                ((self.baseline - y) as f32 * 0.2).round() as i32
            } else {
                0
            };
            let x = left + gx as i32 + lean;
            if x < 0 || x >= w as i32 {
                return;
            }
            let i = y as usize * w + x as usize;
            cover[i] = cover[i].max((v.clamp(0.0, 1.0) * 255.0).round() as u8);
        });
        for v in &mut cover {
            *v = self.quantize(*v);
        }
        cover
    }
}

/// The coverages a rasterizer keeping `levels` levels draws with.
pub fn coverage_levels(levels: u16) -> Vec<u8> {
    let steps = u32::from(levels.clamp(2, 256) - 1);
    (0..=steps).map(|l| (l * 255 / steps) as u8).collect()
}

/// An RGB picture, row by row.
pub struct Canvas {
    pub width: usize,
    pub height: usize,
    pub pixels: Vec<Rgb>,
}

/// A rectangle of pixels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rect {
    pub x: usize,
    pub y: usize,
    pub w: usize,
    pub h: usize,
}

/// `fg` over `bg` at coverage `c`.
pub fn blend(fg: Rgb, bg: Rgb, c: u8) -> Rgb {
    let m = |f: u8, b: u8| ((u32::from(f) * u32::from(c) + u32::from(b) * (255 - u32::from(c)) + 127) / 255) as u8;
    [m(fg[0], bg[0]), m(fg[1], bg[1]), m(fg[2], bg[2])]
}

/// Draws a film's grids onto one canvas, each over the last.
pub struct Painter {
    pub raster: Raster,
    pub canvas: Canvas,
    look: Look,
    /// Where the screen's top-left cell starts.
    origin: (usize, usize),
    prev: Option<Grid>,
}

impl Painter {
    /// A canvas for a film of `size`, with its background and window bar.
    pub fn new(look: &Look, size: Size, levels: u16) -> Self {
        let raster = Raster::new(look, levels);
        let pad = look.padding as usize;
        let bar = if look.window.is_some() { raster.cell_h * 2 } else { 0 };
        let width = usize::from(size.cols) * raster.cell_w + 2 * pad;
        let height = usize::from(size.rows) * raster.cell_h + 2 * pad + bar;
        let canvas = Canvas {
            width,
            height,
            pixels: vec![look.colours.bg; width * height],
        };
        let mut painter = Self {
            raster,
            canvas,
            look: look.clone(),
            origin: (pad, pad + bar),
            prev: None,
        };
        if let Some(title) = &look.window {
            painter.window_bar(title, bar);
        }
        painter
    }

    /// The title bar: three dots and the title, centred, dimmed.
    fn window_bar(&mut self, title: &str, bar: usize) {
        let cy = bar as f32 / 2.0 + 2.0;
        for (i, colour) in DOTS.iter().enumerate() {
            let cx = 14.0 + 20.0 * i as f32;
            for y in 0..bar.min(self.canvas.height) {
                for x in 0..(cx as usize + 8).min(self.canvas.width) {
                    let (dx, dy) = (x as f32 + 0.5 - cx, y as f32 + 0.5 - cy);
                    if dx * dx + dy * dy <= 36.0 {
                        self.canvas.pixels[y * self.canvas.width + x] = *colour;
                    }
                }
            }
        }
        let colours = &self.look.colours;
        let pen = Pen {
            fg: super::colours::mix(colours.fg, colours.bg, 0.7),
            bg: colours.bg,
            bold: false,
            italic: false,
            underline: false,
        };
        let chars: Vec<char> = title.chars().filter(|c| !c.is_control()).collect();
        let room = self.canvas.width / self.raster.cell_w;
        let shown = &chars[..chars.len().min(room.saturating_sub(8))];
        let x0 = (self.canvas.width - shown.len() * self.raster.cell_w) / 2;
        let y0 = (bar + 4).saturating_sub(self.raster.cell_h) / 2;
        for (i, &c) in shown.iter().enumerate() {
            self.glyph(x0 + i * self.raster.cell_w, y0, c, None, 1, &pen);
        }
    }

    /// Draws `grid` over the last grid drawn; the rectangle that changed,
    /// if any did.
    pub fn paint(&mut self, grid: &Grid) -> Option<Rect> {
        let prev = self.prev.take().filter(|p| p.rows == grid.rows && p.cols == grid.cols);
        let mut changed: Option<(usize, usize, usize, usize)> = None;
        for r in 0..grid.rows {
            let row = grid.row(r);
            let old = prev.as_ref().map(|p| p.row(r));
            if old == Some(row) {
                continue;
            }
            for (c, cell) in row.iter().enumerate() {
                if old.is_some_and(|o| o[c] == *cell) || cell.is_continuation() {
                    continue;
                }
                self.cell(usize::from(r), c, cell);
                let span = if cell.wide { 2 } else { 1 };
                let (x0, y0) = (c, usize::from(r));
                changed = Some(match changed {
                    None => (x0, y0, x0 + span, y0 + 1),
                    Some((a, b, cc, d)) => (a.min(x0), b.min(y0), cc.max(x0 + span), d.max(y0 + 1)),
                });
            }
        }
        if prev.is_none() {
            // The first frame, or a new size: the whole canvas.
            self.blank_outside(grid);
            self.prev = Some(grid.clone());
            return Some(Rect {
                x: 0,
                y: 0,
                w: self.canvas.width,
                h: self.canvas.height,
            });
        }
        self.prev = Some(grid.clone());
        let (cw, ch) = (self.raster.cell_w, self.raster.cell_h);
        changed.map(|(c0, r0, c1, r1)| Rect {
            x: self.origin.0 + c0 * cw,
            y: self.origin.1 + r0 * ch,
            w: (c1 - c0) * cw,
            h: (r1 - r0) * ch,
        })
    }

    /// After a resize to a smaller screen, the cells outside it show the
    /// background.
    fn blank_outside(&mut self, grid: &Grid) {
        let (cw, ch) = (self.raster.cell_w, self.raster.cell_h);
        let (x0, y0) = self.origin;
        let (gw, gh) = (usize::from(grid.cols) * cw, usize::from(grid.rows) * ch);
        let bg = self.look.colours.bg;
        let pad = self.look.padding as usize;
        for y in y0..self.canvas.height.saturating_sub(pad) {
            for x in x0..self.canvas.width.saturating_sub(pad) {
                if x >= x0 + gw || y >= y0 + gh {
                    self.canvas.pixels[y * self.canvas.width + x] = bg;
                }
            }
        }
    }

    /// Draws one cell (both halves of a wide one).
    fn cell(&mut self, row: usize, col: usize, cell: &Cell) {
        let pen = self.look.colours.pen(&cell.style);
        let (cw, ch) = (self.raster.cell_w, self.raster.cell_h);
        let (x, y) = (self.origin.0 + col * cw, self.origin.1 + row * ch);
        let span = if cell.wide { 2 } else { 1 };
        self.glyph(x, y, cell.ch, cell.marks.as_deref(), span, &pen);
    }

    /// `c` (and its combining `marks`) in `pen`, in a box of `span` cells at
    /// (`x`, `y`): background, glyph and underline.
    fn glyph(&mut self, x: usize, y: usize, c: char, marks: Option<&str>, span: usize, pen: &Pen) {
        let (cw, ch) = (self.raster.cell_w, self.raster.cell_h);
        let w = cw * span;
        let mut cover = vec![0u8; w * ch];
        for c in std::iter::once(c).chain(marks.unwrap_or("").chars()) {
            if pen.is_blank_ink(c) || c == ' ' {
                continue;
            }
            let mask = self.raster.mask(c, span, pen.bold, pen.italic);
            for (i, v) in mask.iter().enumerate().take(w * ch) {
                cover[i] = cover[i].max(*v);
            }
        }
        if pen.underline {
            let line = (self.raster.baseline as usize + (ch / 12).max(1)).min(ch - 1);
            cover[line * w..(line + 1) * w].fill(255);
        }
        let width = self.canvas.width;
        for dy in 0..ch {
            let py = y + dy;
            if py >= self.canvas.height {
                break;
            }
            for dx in 0..w {
                let px = x + dx;
                if px >= width {
                    break;
                }
                let c = cover[dy * w + dx];
                self.canvas.pixels[py * width + px] = match c {
                    0 => pen.bg,
                    255 => pen.fg,
                    c => blend(pen.fg, pen.bg, c),
                };
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grid(rows: u16, cols: u16, output: &str) -> Grid {
        let mut p = vt100::Parser::new(rows.try_into().unwrap(), cols.try_into().unwrap(), 0);
        p.process(b"\x1b[?25l");
        p.process(output.as_bytes());
        Grid::of_screen(p.screen())
    }

    /// The colours of the pixels of cell (row, col).
    fn cell_pixels(p: &Painter, row: usize, col: usize) -> Vec<Rgb> {
        let (cw, ch) = (p.raster.cell_w, p.raster.cell_h);
        let (x0, y0) = (p.origin.0 + col * cw, p.origin.1 + row * ch);
        (y0..y0 + ch)
            .flat_map(|y| (x0..x0 + cw).map(move |x| (x, y)))
            .map(|(x, y)| p.canvas.pixels[y * p.canvas.width + x])
            .collect()
    }

    #[test]
    fn cells_are_drawn_in_their_colours_and_only_changes_are_redrawn() {
        let look = Look::default();
        let size = Size { cols: 6, rows: 2 };
        let mut p = Painter::new(&look, size, 4);
        assert_eq!((p.raster.cell_w, p.raster.cell_h), (8, 17));
        let first = p.paint(&grid(2, 6, "\x1b[31mA\x1b[m \x1b[44m \x1b[m")).unwrap();
        assert_eq!((first.w, first.h), (p.canvas.width, p.canvas.height));
        let red = look.colours.palette[1];
        let a = cell_pixels(&p, 0, 0);
        assert!(
            a.contains(&red) && a.contains(&look.colours.bg),
            "a red A on the background"
        );
        // Only the levels kept: each pixel is red, the background or one of two mixes.
        let levels: Vec<Rgb> = p
            .raster
            .coverages()
            .iter()
            .map(|&c| blend(red, look.colours.bg, c))
            .collect();
        assert!(a.iter().all(|px| levels.contains(px)));
        assert!(cell_pixels(&p, 0, 1).iter().all(|px| *px == look.colours.bg));
        assert!(cell_pixels(&p, 0, 2).iter().all(|px| *px == look.colours.palette[4]));
        // One cell changes: the rectangle is that cell.
        let next = p.paint(&grid(2, 6, "\x1b[31mA\x1b[m \x1b[44m \x1b[m\r\n  x")).unwrap();
        assert_eq!(
            next,
            Rect {
                x: 12 + 16,
                y: 12 + 17,
                w: 8,
                h: 17
            }
        );
        assert_eq!(p.paint(&grid(2, 6, "\x1b[31mA\x1b[m \x1b[44m \x1b[m\r\n  x")), None);
    }

    #[test]
    fn dividers_join_from_row_to_row_and_missing_glyphs_show_a_box() {
        let look = Look::default();
        let mut p = Painter::new(&look, Size { cols: 4, rows: 2 }, 256);
        p.paint(&grid(2, 4, "│世\r\n│"));
        let fg = look.colours.fg;
        let column = |row: usize| cell_pixels(&p, row, 0);
        let w = p.raster.cell_w;
        // The divider's centre column is ink on every pixel row of both cells.
        for row in 0..2 {
            let px = column(row);
            assert!((0..p.raster.cell_h).all(|y| px[y * w + w / 2] == fg), "row {row}");
        }
        // 世 is not in the font: its two cells hold a box.
        let wide: Vec<Rgb> = cell_pixels(&p, 0, 1).into_iter().chain(cell_pixels(&p, 0, 2)).collect();
        assert!(wide.contains(&fg));
    }
}
