//! The scene: what to record, parsed and validated into typed values.
//!
//! Scene text (TOML or JSON) flows in; a validated [`Scene`] flows out to
//! the director, or a [`SceneError`] naming every problem with its line,
//! column and a caret. In three steps, each in its own room:
//!
//! - parse: the text becomes a format-neutral tree of values with their
//!   byte spans ([`node`] for the tree and TOML, `json` for JSON);
//! - validate: the tree becomes the [`Scene`] model (`validate`, one file
//!   per part of the scene, reading values through `reader`);
//! - `load` ties the two together for a file or a text: [`parse_file`],
//!   [`parse`].
//!
//! Nothing downstream re-parses strings: durations are `Duration`s, regexes
//! are compiled, keys are bytes, pane references are indices, typing rhythm
//! is a precomputed schedule, and the layout is worked out.

pub mod diagnostic;
pub mod duration;
mod json;
pub mod keys;
mod load;
mod model;
pub mod node;
mod reader;
pub mod theme;
pub mod typing;
mod validate;
mod vars;

pub use diagnostic::{Diagnostic, SceneError};
pub use load::{LoadError, MAX_SCENE_BYTES, Syntax, parse, parse_file};
pub use model::{Action, ExpectExit, Inherit, PaneSpec, Privacy, Redact, Scene, StatusLine, Step, Until};
pub use validate::{KNOWN_KEYS, VERSION};

/// The JSON Schema of the scene model (`director schema`).
pub const SCHEMA: &str = include_str!("schema.json");

/// The built-in TCP demo scene (the same text as `recordings/tcp.toml`).
pub const BUILTIN_TCP: &str = include_str!("../../recordings/tcp.toml");
/// The name the built-in scene goes by in messages.
pub const BUILTIN_NAME: &str = "<built-in tcp scene>";
