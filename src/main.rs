//! The `director` command line: parses arguments, dispatches to `cmd`,
//! prints the error a subcommand returns (once, here) and exits with its
//! code.

use director::cmd;
use director::error::Error;

use std::process::ExitCode;

use clap::{CommandFactory, Parser, Subcommand};

const AFTER_HELP: &str = "\
Examples:
  director record out.cast                       record the built-in TCP demo
  director record recordings/tcp.toml tcp.cast   record a scene file
  director check tcp.cast                        validate an asciicast v2/v3 file
  asciinema play tcp.cast                        play it

Also: director completions SHELL, director man (a man page), NO_COLOR=1 for
plain messages. Progress is shown on stderr only when it is a terminal.

Exit codes:
  0    success
  1    the recording or check failed (a program misbehaved, a file is invalid)
  2    the scene, the command line or OUT is invalid; nothing was recorded
  129  stopped by SIGHUP (the terminal closed); programs killed, nothing written
  130  stopped by SIGINT (Ctrl-C); programs killed, nothing written
  131  stopped by SIGQUIT (Ctrl-\\); programs killed, nothing written
  143  stopped by SIGTERM; programs killed, nothing written";

/// Record multi-pane terminal demos from a scene file into asciicast files.
///
/// director runs each pane's programs in their own pseudo-terminal, types
/// their command lines, composes the panes into one tmux-like screen and
/// writes an asciicast that plays in `asciinema play` and asciinema-player.
/// Typing and pauses advance a virtual clock, so recording takes as long as
/// the programs need, not as long as the cast plays.
#[derive(Debug, Parser)]
#[command(name = "director", version, after_help = AFTER_HELP)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Record a scene (or the built-in TCP demo) into an asciicast v2 or v3 file.
    Record(cmd::record::Args),
    /// Re-record every scene in a folder whose cast is stale (or, with --check, report them).
    Build(cmd::build::Args),
    /// Validate an asciicast v2 or v3 file and print a one-line summary.
    Check(cmd::check::Args),
    /// Draw a cast as an animated SVG or GIF, or a still frame as SVG or PNG.
    Render(cmd::render::Args),
    /// Fix a cast recorded by hand: scrub the identity, cut, retime, convert.
    Edit(cmd::edit::Args),
    /// Print the JSON Schema of the scene format (for editors and validators).
    Schema,
    /// Run one side of the built-in TCP demo (used by the default scene).
    Demo(cmd::demo::Args),
    /// Print a shell completion script (e.g. `director completions bash > /etc/bash_completion.d/director`).
    Completions {
        /// The shell to complete in.
        shell: clap_complete::Shell,
    },
    /// Print director's man page (roff), e.g. `director man > director.1`.
    Man,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Record(args) => cmd::record::run(args),
        Command::Build(args) => cmd::build::run(args),
        Command::Check(args) => cmd::check::run(args),
        Command::Render(args) => cmd::render::run(args),
        Command::Edit(args) => cmd::edit::run(args),
        Command::Schema => cmd::write_stdout(director::scene::SCHEMA.as_bytes()),
        Command::Demo(args) => cmd::demo::run(args),
        Command::Completions { shell } => {
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "director", &mut script);
            cmd::write_stdout(&script)
        }
        Command::Man => {
            let mut page = Vec::new();
            match clap_mangen::Man::new(Cli::command()).render(&mut page) {
                Ok(()) => cmd::write_stdout(&page),
                Err(e) => Err(Error::io("cannot render the man page", e)),
            }
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            error.print();
            ExitCode::from(error.exit.code())
        }
    }
}
