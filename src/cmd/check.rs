//! `director check FILE`: validate an asciicast v2 or v3 file.

use std::path::PathBuf;
use std::process::ExitCode;

use super::exit;
use crate::asciicast::check::check;

/// Arguments of `director check`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The asciicast file to validate (`-` for standard input).
    pub file: PathBuf,
}

pub fn run(args: Args) -> ExitCode {
    let name = args.file.display().to_string();
    let bytes = if name == "-" {
        let mut buf = Vec::new();
        std::io::Read::read_to_end(&mut std::io::stdin(), &mut buf).map(|_| buf)
    } else {
        std::fs::read(&args.file)
    };
    let bytes = match bytes {
        Ok(b) => b,
        Err(e) => {
            super::error(format!("cannot read {name}: {e}"));
            return ExitCode::from(exit::FAILED);
        }
    };
    match check(&bytes) {
        Ok(summary) => {
            println!("{name}: {summary}");
            ExitCode::from(exit::OK)
        }
        Err(e) => {
            super::error(format!("{name}: {e}"));
            ExitCode::from(exit::FAILED)
        }
    }
}
