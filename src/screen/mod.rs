//! What the viewer sees: each pane's terminal emulator, the layout of the
//! screen, and the compositor that turns the panes into one picture.

pub mod compositor;
pub mod emit;
pub mod emulator;
pub mod flood;
pub mod layout;
pub mod modes;
pub mod replies;
pub mod style;
#[cfg(any(test, feature = "fuzzing"))]
pub mod verify;
pub mod vs16;
pub mod width;

#[cfg(test)]
mod containment_tests;
