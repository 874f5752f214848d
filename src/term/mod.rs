//! Terminals: layout of the screen, the panes' PTYs and their programs'
//! environment, and the compositor that turns pane screens into one picture.

pub mod compositor;
pub mod emulator;
pub mod environment;
pub mod flood;
pub mod layout;
pub mod marks;
pub mod procs;
pub mod pty;
pub mod reaper;
pub mod style;
pub mod verify;
pub mod vs16;
