//! A reference point for benchmark B2: runs a command through `/bin/sh -c`
//! in a pseudo-terminal of 100x36, as a recorder does, and reads its output
//! with plain blocking reads, keeping nothing. It does the least work a
//! reader can, yet a flooding program is not fastest under it: a reader
//! that takes every few hundred bytes as they arrive makes the writer's
//! side of the terminal cost more than one that takes them a few KiB at a
//! time, so B2's wall time depends on the reader's pace, not its work.
//!
//! Usage: `cargo run --release --example bare_reader -- 'seq 1 1000000'`
//! prints the bytes and reads taken, on standard error.

use std::io::Read;
use std::process::ExitCode;

fn main() -> ExitCode {
    let Some(command) = std::env::args().nth(1) else {
        eprintln!("usage: bare_reader COMMAND");
        return ExitCode::from(2);
    };
    match run(&command) {
        Ok((bytes, reads)) => {
            eprintln!("{bytes} bytes in {reads} reads");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("bare_reader: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run(command: &str) -> Result<(u64, u64), Box<dyn std::error::Error>> {
    let (mut pty, pts) = pty_process::blocking::open()?;
    pty.resize(pty_process::Size::new(36, 100))?;
    let mut child = pty_process::blocking::Command::new("/bin/sh")
        .arg("-c")
        .arg(command)
        .spawn(pts)?;
    let mut buf = vec![0u8; 64 * 1024];
    let (mut bytes, mut reads) = (0u64, 0u64);
    loop {
        match pty.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => {
                bytes += n as u64;
                reads += 1;
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            // EIO: every holder of the terminal's other end is gone.
            Err(_) => break,
        }
    }
    let status = child.wait()?;
    if !status.success() {
        return Err(format!("`{command}` ended with {status}").into());
    }
    Ok((bytes, reads))
}
