//! A still frame as PNG, from the same rasterizer as the GIF (with every
//! level of coverage: a PNG has no palette to fit).

use std::io::Write;

use super::Look;
use super::grid::Grid;
use super::raster::Painter;
use crate::geometry::Size;

/// Writes the PNG of `grid` (on a canvas of `size`) to `out`.
pub fn write(grid: &Grid, size: Size, look: &Look, out: impl Write) -> std::io::Result<()> {
    let mut painter = Painter::new(look, size, 256);
    painter.paint(grid);
    let canvas = &painter.canvas;
    let too_big = |_| std::io::Error::other("the picture is too large for a PNG");
    let (w, h) = (
        u32::try_from(canvas.width).map_err(too_big)?,
        u32::try_from(canvas.height).map_err(too_big)?,
    );
    let mut encoder = png::Encoder::new(out, w, h);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header().map_err(std::io::Error::other)?;
    let data: Vec<u8> = canvas.pixels.iter().flatten().copied().collect();
    writer.write_image_data(&data).map_err(std::io::Error::other)?;
    writer.finish().map_err(std::io::Error::other)
}
