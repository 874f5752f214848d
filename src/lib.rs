//! `director` turns a scene script into an asciicast recording of a
//! multi-pane terminal demo.
//!
//! The pipeline: [`scene`] (parse and validate) → [`director`] (run steps on
//! the virtual [`timeline`]) → [`term`] (PTYs, emulators, compositor) →
//! [`asciicast`] (encode). [`cmd`] holds one module per subcommand.
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
pub mod render;
pub mod scene;
pub mod signals;
pub mod term;
pub mod timeline;
