//! The film as an animated GIF: no ffmpeg, no browser.
//!
//! In: a way to make the film (it is played twice: once to learn which
//! colours it uses, once to draw it) and a [`Look`]. Out: the GIF's bytes
//! and what went into them. The palette is built from the colours the
//! frames use, with two shades between each text colour and its
//! background for smooth glyph edges; it holds every colour exactly when
//! they fit in 256, else fewer shades, else the 256 most used and the
//! nearest of them for the rest. Each frame is only the rectangle that
//! changed, and its delay is the time to the next frame in hundredths,
//! rounded so that the delays add up to the film's length.

use std::collections::HashMap;
use std::io::Write;
use std::time::Duration;

use super::Look;
use super::colours::Rgb;
use super::film::Film;
use super::raster::{DOTS, Painter, Rect, blend, coverage_levels};

/// GitHub's image proxy refuses larger images.
pub const GITHUB_LIMIT: u64 = 5 * 1024 * 1024;

/// The most frames a second a GIF shows: browsers play a delay under two
/// hundredths as a tenth of a second.
pub const MAX_FPS: u32 = 50;

/// What a GIF holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stats {
    pub frames: usize,
    pub colours: usize,
    /// Whether every colour drawn is in the palette (else the nearest
    /// of the 256 most used stands in).
    pub exact: bool,
}

/// The palette: each colour's index.
struct Palette {
    colours: Vec<Rgb>,
    index: HashMap<Rgb, u8>,
    exact: bool,
}

impl Palette {
    /// The palette of `used` (each colour pair a cell is drawn in, with
    /// how many cells) and the fixed colours of the picture.
    /// The palette and the coverage levels glyphs are drawn with.
    fn new(used: &HashMap<(Rgb, Rgb), usize>, fixed: &[Rgb]) -> (Self, u16) {
        for levels in [4u16, 3, 2] {
            let mut colours: Vec<Rgb> = fixed.to_vec();
            let mut seen: std::collections::HashSet<Rgb> = colours.iter().copied().collect();
            let mut pairs: Vec<(&(Rgb, Rgb), &usize)> = used.iter().collect();
            pairs.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
            for ((fg, bg), _) in pairs {
                for c in coverage_levels(levels) {
                    let rgb = blend(*fg, *bg, c);
                    if seen.insert(rgb) {
                        colours.push(rgb);
                    }
                }
            }
            if colours.len() <= 256 {
                let index = colours.iter().enumerate().map(|(i, c)| (*c, i as u8)).collect();
                return (
                    Self {
                        colours,
                        index,
                        exact: true,
                    },
                    levels,
                );
            }
        }
        // Too many colours even without shades: the most used 256.
        let mut count: HashMap<Rgb, usize> = HashMap::new();
        for ((fg, bg), n) in used {
            *count.entry(*fg).or_default() += n;
            *count.entry(*bg).or_default() += n;
        }
        let mut ranked: Vec<(Rgb, usize)> = count.into_iter().collect();
        ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        let mut colours: Vec<Rgb> = fixed.to_vec();
        colours.extend(ranked.into_iter().map(|(c, _)| c).filter(|c| !fixed.contains(c)));
        colours.truncate(256);
        let index = colours.iter().enumerate().map(|(i, c)| (*c, i as u8)).collect();
        let palette = Self {
            colours,
            index,
            exact: false,
        };
        (palette, 2)
    }

    /// The index of `rgb`, or of the nearest colour (remembered).
    fn of(&mut self, rgb: Rgb) -> u8 {
        if let Some(&i) = self.index.get(&rgb) {
            return i;
        }
        let distance = |c: &Rgb| -> u32 {
            (0..3)
                .map(|k| (i32::from(c[k]) - i32::from(rgb[k])).pow(2) as u32)
                .sum()
        };
        let nearest = (0..self.colours.len())
            .min_by_key(|&i| distance(&self.colours[i]))
            .unwrap_or(0) as u8;
        self.index.insert(rgb, nearest);
        nearest
    }
}

/// Hundredths of a second, rounded.
fn centis(t: Duration) -> u64 {
    (t.as_micros() as u64 + 5_000) / 10_000
}

/// Writes the GIF of the film `make` makes to `out`.
pub fn write<'a>(make: impl Fn() -> Film<'a>, looping: bool, look: &Look, out: impl Write) -> std::io::Result<Stats> {
    // The first pass: the colour pairs cells are drawn in.
    let mut used: HashMap<(Rgb, Rgb), usize> = HashMap::new();
    for frame in make() {
        for r in 0..frame.grid.rows {
            for cell in frame.grid.row(r) {
                let pen = look.colours.pen(&cell.style);
                let fg = if pen.is_blank_ink(cell.ch) { pen.bg } else { pen.fg };
                *used.entry((fg, pen.bg)).or_default() += 1;
            }
        }
    }
    let mut fixed = vec![look.colours.bg];
    if look.window.is_some() {
        fixed.extend(DOTS);
        let title = super::colours::mix(look.colours.fg, look.colours.bg, 0.7);
        used.entry((title, look.colours.bg)).or_insert(1);
    }
    let (mut palette, levels) = Palette::new(&used, &fixed);
    let mut film = make();
    let mut painter = Painter::new(look, film.size(), levels);
    let (width, height) = (painter.canvas.width, painter.canvas.height);
    let too_big = |_| std::io::Error::other("the picture is larger than a GIF allows (65535 pixels a side)");
    let mut flat: Vec<u8> = palette.colours.iter().flatten().copied().collect();
    // A GIF's colour table has a power of two entries, at least two.
    flat.resize(3 * palette.colours.len().next_power_of_two().max(2), 0);
    let mut encoder = gif::Encoder::new(
        out,
        u16::try_from(width).map_err(too_big)?,
        u16::try_from(height).map_err(too_big)?,
        &flat,
    )
    .map_err(std::io::Error::other)?;
    if looping {
        encoder
            .set_repeat(gif::Repeat::Infinite)
            .map_err(std::io::Error::other)?;
    }
    // Each frame is written when the next one's time gives its delay.
    let mut pending: Option<(Duration, Rect, Vec<u8>)> = None;
    let mut frames = 0;
    let flush = |pending: Option<(Duration, Rect, Vec<u8>)>, until: Duration, encoder: &mut gif::Encoder<_>| {
        if let Some((at, rect, pixels)) = pending {
            let delay = centis(until).saturating_sub(centis(at));
            let frame = gif::Frame {
                delay: u16::try_from(delay).unwrap_or(u16::MAX),
                dispose: gif::DisposalMethod::Keep,
                left: rect.x as u16,
                top: rect.y as u16,
                width: rect.w as u16,
                height: rect.h as u16,
                buffer: pixels.into(),
                ..gif::Frame::default()
            };
            encoder.write_frame(&frame).map_err(std::io::Error::other)?;
        }
        Ok::<(), std::io::Error>(())
    };
    for frame in film.by_ref() {
        let Some(rect) = painter.paint(&frame.grid) else {
            continue;
        };
        let mut pixels = Vec::with_capacity(rect.w * rect.h);
        let mut last: Option<(Rgb, u8)> = None;
        for y in rect.y..rect.y + rect.h {
            for &rgb in &painter.canvas.pixels[y * width + rect.x..y * width + rect.x + rect.w] {
                let i = match last {
                    Some((c, i)) if c == rgb => i,
                    _ => palette.of(rgb),
                };
                last = Some((rgb, i));
                pixels.push(i);
            }
        }
        flush(pending.take(), frame.at, &mut encoder)?;
        pending = Some((frame.at, rect, pixels));
        frames += 1;
    }
    flush(pending, film.end(), &mut encoder)?;
    encoder.into_inner().map_err(std::io::Error::other)?.flush()?;
    Ok(Stats {
        frames,
        colours: palette.colours.len(),
        exact: palette.exact,
    })
}
