//! Pictures of a cast: the still frame (SVG or PNG) and the whole
//! recording as an animated SVG or GIF, from any asciicast v2 or v3.
//!
//! In: a recording as read ([`crate::asciicast::read`]), a [`Timing`] and
//! a [`Look`]. Out: the picture's bytes; writing them is the caller's job.
//! The pipeline: [`film`] replays the cast through the emulator and
//! samples it into [`Frame`]s of [`grid`]s (each exactly the screen at
//! its moment); [`colours`] resolves the theme and each cell's pen;
//! [`svg`] and [`raster`] (then [`gif`] and [`png`]) draw them.

pub mod colours;
pub mod film;
pub mod gif;
pub mod grid;
pub mod png;
pub mod raster;
mod shapes;
pub mod svg;
mod xml;

pub use colours::Colours;
pub use film::{Film, Frame, Timing};
pub use grid::Grid;

/// How a picture looks, whatever its form.
#[derive(Debug, Clone, PartialEq)]
pub struct Look {
    pub colours: Colours,
    /// The font size in pixels.
    pub font_size: f64,
    /// The margin around the screen, in pixels.
    pub padding: u32,
    /// A window's title bar with this title, when set.
    pub window: Option<String>,
    /// The SVG's `<title>`.
    pub title: Option<String>,
}

impl Default for Look {
    fn default() -> Self {
        Self {
            colours: Colours::default(),
            font_size: 14.0,
            padding: 12,
            window: None,
            title: None,
        }
    }
}
