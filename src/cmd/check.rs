//! `director check FILE`: validate an asciicast v2 or v3 file.

use std::path::PathBuf;

use crate::asciicast::check::check;
use crate::error::{Error, Failure};

/// Arguments of `director check`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The asciicast file to validate (`-` for standard input).
    pub file: PathBuf,
}

pub fn run(args: Args) -> Result<(), Error> {
    let name = args.file.display().to_string();
    let bytes = if name == "-" {
        let mut buf = Vec::new();
        std::io::Read::read_to_end(&mut std::io::stdin(), &mut buf).map(|_| buf)
    } else {
        std::fs::read(&args.file)
    };
    let bytes = bytes.map_err(|e| Error::io(format!("cannot read {name}"), e))?;
    match check(&bytes) {
        Ok(summary) => {
            println!("{name}: {summary}");
            Ok(())
        }
        Err(e) => Err(Failure::Cast { name, error: e.into() }.into()),
    }
}
