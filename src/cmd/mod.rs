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
    /// (Stopped by a signal: 128 + the signal, see [`crate::signals::Stop`].)
    pub const USAGE: u8 = 2;
}

/// Whether director's own messages on stderr may be coloured: stderr is a
/// terminal and `NO_COLOR` is unset or empty.
pub fn color() -> bool {
    use std::io::IsTerminal;
    std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

fn error_prefix() -> &'static str {
    if color() { "\x1b[1;31merror:\x1b[0m " } else { "error: " }
}

/// Prints `error: MESSAGE` on stderr (the prefix in red on a terminal).
pub fn error(message: impl std::fmt::Display) {
    eprintln!("{}{message}", error_prefix());
}

/// Prints a scene's diagnostics, their `error:` lines coloured on a terminal.
pub fn scene_error(e: &crate::scene::SceneError) {
    let text = e.to_string();
    let text = if color() {
        text.replace("\nerror: ", &format!("\n{}", error_prefix()))
    } else {
        text
    };
    let text = text
        .strip_prefix("error: ")
        .map_or(text.clone(), |rest| format!("{}{rest}", error_prefix()));
    eprintln!("{text}");
}

/// Writes `bytes` to stdout. A reader that went away (`| head`) is not an
/// error worth a message.
pub fn write_stdout(bytes: &[u8]) -> std::process::ExitCode {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(bytes).and_then(|_| stdout.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            error(format!("cannot write to standard output: {e}"));
            std::process::ExitCode::from(exit::FAILED)
        }
        _ => std::process::ExitCode::from(exit::OK),
    }
}

/// Prints an error and its causes, one per line, without a backtrace.
pub fn report(error: &(dyn std::error::Error + 'static)) {
    self::error(error);
    let mut source = error.source();
    while let Some(cause) = source {
        eprintln!("  caused by: {cause}");
        source = cause.source();
    }
}
