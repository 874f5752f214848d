//! One module per subcommand; each turns parsed arguments into an exit code.

pub mod build;
pub mod check;
pub mod demo;
pub mod record;
pub mod render;

/// Exit codes, as documented in `director --help`.
pub mod exit {
    pub const OK: u8 = 0;
    /// The recording or check failed (a program misbehaved, a file is invalid).
    pub const FAILED: u8 = 1;
    /// The scene or the command line is invalid; nothing was recorded.
    pub const USAGE: u8 = 2;
    /// Stopped by SIGINT (Ctrl-C).
    pub const INTERRUPTED: u8 = 130;
    /// Stopped by SIGTERM.
    pub const TERMINATED: u8 = 143;
}

/// Prints an error and its causes, one per line, without a backtrace.
pub fn report(error: &(dyn std::error::Error + 'static)) {
    eprintln!("error: {error}");
    let mut source = error.source();
    while let Some(cause) = source {
        eprintln!("  caused by: {cause}");
        source = cause.source();
    }
}
