//! `director` turns a scene script into an asciicast recording of a
//! multi-pane terminal demo.
//!
//! The pipeline: [`scene`] (parse and validate) → [`director`] (run steps on
//! the virtual [`timeline`]) → [`process`] (the panes' programs in PTYs) and
//! [`screen`] (emulators, layout, compositor) → [`asciicast`] (encode).
//! [`cmd`] holds one module per subcommand; [`svg`] draws a screen as a
//! picture.
//! Around it, what keeps a run safe: [`privacy`] (the machine's identity
//! out of every frame), [`output`] (where a cast may go, checked before
//! recording) and [`signals`] (every way of stopping ends the same way).

pub mod asciicast;
pub mod cmd;
pub mod demo;
pub mod director;
pub mod geometry;
pub mod output;
pub mod privacy;
pub mod process;
pub mod scene;
pub mod screen;
pub mod signals;
pub mod svg;
pub mod timeline;
