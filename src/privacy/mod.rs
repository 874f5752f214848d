//! Keeps the recording machine's identity, and whatever else a scene
//! declares, out of the cast — without rewriting what programs print.
//!
//! In: the scene's `[privacy]` settings and this machine's accounts and
//! host name. Out: an [`Identity`] that finds private values as whole
//! words, a [`Redactor`] per pane that replaces them in the output bytes,
//! and the place of any private value in the scene or on a screen.
//!
//! Three layers:
//!
//! - [`identity`] decides what is private ([`Facts`] read from the
//!   machine, turned into [`Private`] values): the user name, the host
//!   name and the home directory, unless they identify nobody (a system
//!   account such as `root`, a generic image account such as `runner`,
//!   `localhost`).
//! - [`Redactor`] replaces them in each pane's output bytes before the
//!   bytes reach the pane's emulator: whole words only (`chroot` stays
//!   `chroot` when the user is `root`… or anyone), host names in any case,
//!   the home directory as a path prefix, also JSON-escaped and URL-encoded.
//!   The scene's `[privacy] redact` rules apply to whole lines.
//! - [`Identity::find_on_screen`] checks what the viewer will see: a
//!   program can assemble a name on screen from pieces (cursor moves,
//!   backspaces, `\r`, a pause in the middle), which no byte filter can
//!   see. The director runs it on every frame before writing it, and a
//!   private value on screen stops the recording: a cast is never written
//!   with one. [`check_scene`] does the same for the scene's own words
//!   before anything runs.
//!
//! One file per idea: `private` (the kinds of private value and their
//! stand-ins), `facts` (what the machine says, and which of it is
//! private), `word` (where a word begins and ends in raw bytes),
//! `identity` (the values compiled into a whole-word search, in bytes and
//! on screen), `redactor` (the streaming replacement) and `scene_check`
//! (the scene's own words).

mod facts;
mod identity;
mod private;
mod redactor;
mod scene_check;
mod word;

#[cfg(test)]
mod fixtures;

pub use facts::{Account, Facts, identity, private_values};
pub use identity::Identity;
pub use private::{HOME_STAND_IN, HOST_STAND_IN, Kind, Private, USER_STAND_IN};
pub use redactor::Redactor;
pub use scene_check::check_scene;
pub use word::continues_word;
