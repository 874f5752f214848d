//! `director` turns a scene script into an asciicast recording of a
//! multi-pane terminal demo.
//!
//! The pipeline: [`scene`] (parse and validate) → [`director`] (run steps on
//! the virtual [`timeline`]) → [`process`] (the panes' programs in PTYs) and
//! [`screen`] (emulators, layout, compositor) → [`asciicast`] (encode; also
//! read and check).
//!
//! The library's entries: [`record()`] records a scene into a cast,
//! [`build()`] re-records the stale casts of a folder; both fail with an
//! [`Error`] that carries its exit code ([`error`]). [`cmd`] holds one
//! module per subcommand, each a thin layer over them; [`picture`] draws a
//! cast as a still or moving picture.
//! Around it, what keeps a run safe: [`privacy`] (the machine's identity
//! out of every frame), [`output`] (where a cast may go, checked before
//! recording) and [`signals`] (every way of stopping ends the same way).

pub mod asciicast;
pub mod build;
pub mod cmd;
pub mod demo;
pub mod director;
pub mod edit;
pub mod error;
pub mod geometry;
pub mod output;
pub mod picture;
pub mod privacy;
pub mod process;
pub mod record;
pub mod scene;
pub mod screen;
pub mod signals;
pub mod timeline;

pub use build::build;
pub use error::{Error, Exit};
pub use record::{Settings, record};
