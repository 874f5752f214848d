//! The panes' programs: each in its own pseudo-terminal and process group,
//! with an environment drawn from director's own, and reaped so that none
//! outlives a recording.

pub mod environment;
pub mod pty;
pub mod reaper;
pub mod tree;
