//! One module per subcommand: each takes its parsed arguments, does the
//! work (through [`crate::record()`] and [`crate::build()`] for the two
//! that record) and returns `Ok(())` or the [`Error`] that `main` prints
//! and exits with. None prints an error itself.

pub mod build;
pub mod check;
pub mod demo;
pub mod edit;
pub mod part;
pub mod record;
pub mod render;

use crate::error::Error;

/// Writes `bytes` to stdout. A reader that went away (`| head`) is not an
/// error worth a message.
pub fn write_stdout(bytes: &[u8]) -> Result<(), Error> {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(bytes).and_then(|_| stdout.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(Error::io("cannot write to standard output", e)),
        _ => Ok(()),
    }
}
