//! `director record [SCENE] OUT`: record a scene into an asciicast file.
//!
//! The cast is written to a temporary file beside OUT and renamed into
//! place only when the whole recording succeeded, so a failed or
//! interrupted run never leaves a half-written file or clobbers the last
//! good one.

use std::ffi::OsString;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use super::exit;
use crate::asciicast::{Header, v2};
use crate::director::{Director, Options, RecordError, Stats};
use crate::privacy::machine_redactions;
use crate::scene::{self, Format, LoadError, Scene};

const LONG_ABOUT: &str = "\
Record a scene (or the built-in TCP demo) into an asciicast v2 file.

SCENE is a TOML file (or JSON, for names ending in .json); `director schema`
prints its JSON Schema and the README documents every key. Without SCENE,
director records its built-in TCP demo (the same text as recordings/tcp.toml).

The cast is written to a temporary file beside OUT and renamed into place only
when the recording succeeded: a failed or interrupted run leaves OUT as it was.
The recording machine's user name, host name and home directory are replaced
in everything the programs print.";

const AFTER_HELP: &str = "\
Examples:
  director record out.cast                             the built-in TCP demo
  director record --set addr=127.0.0.1:5001 out.cast   ...on another port
  director record recordings/colours.toml colours.cast a scene file
  director record recordings/tcp.toml - > tcp.cast     to standard output

Exit codes: 0 recorded; 1 a program failed, a wait timed out, or OUT could not
be written; 2 the scene or the command line is invalid; 130/143 stopped by
SIGINT/SIGTERM (programs killed, nothing written).";

/// Arguments of `director record`.
#[derive(Debug, clap::Args)]
#[command(override_usage = "director record [OPTIONS] [SCENE] <OUT>", long_about = LONG_ABOUT, after_help = AFTER_HELP)]
pub struct Args {
    /// The scene file (TOML or JSON), then the output file. With one path,
    /// the built-in TCP demo is recorded into it. OUT may be `-` for
    /// standard output.
    #[arg(value_name = "SCENE|OUT", required = true, num_args = 1..=2)]
    pub paths: Vec<PathBuf>,
    /// Set a scene variable, overriding `[vars]` (repeatable), e.g.
    /// `--set addr=127.0.0.1:5001`.
    #[arg(long = "set", value_name = "KEY=VALUE", value_parser = parse_var)]
    pub set: Vec<(String, String)>,
    /// Print nothing on success.
    #[arg(short, long)]
    pub quiet: bool,
}

fn parse_var(text: &str) -> Result<(String, String), String> {
    let (k, v) = text
        .split_once('=')
        .ok_or_else(|| format!("\"{text}\" is not KEY=VALUE"))?;
    if k.is_empty() {
        return Err(format!("\"{text}\" has an empty KEY"));
    }
    Ok((k.to_string(), v.to_string()))
}

pub fn run(args: Args) -> ExitCode {
    let (scene_path, out) = match args.paths.as_slice() {
        [out] => (None, out.clone()),
        [scene, out] => (Some(scene.clone()), out.clone()),
        _ => unreachable!("clap takes one or two paths"),
    };
    let loaded = match &scene_path {
        Some(path) => scene::parse_file(path, &args.set),
        None => scene::parse(
            scene::BUILTIN_NAME,
            scene::BUILTIN_TCP,
            Format::Toml,
            Path::new("."),
            &args.set,
        )
        .map_err(LoadError::from),
    };
    let scene = match loaded {
        Ok(scene) => scene,
        Err(LoadError::Scene(e)) => {
            eprintln!("{e}");
            return ExitCode::from(exit::USAGE);
        }
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(exit::USAGE);
        }
    };
    let wall = Instant::now();
    let result = if out.as_os_str() == "-" {
        record(&scene, Vec::new()).and_then(|(bytes, stats)| {
            let mut stdout = std::io::stdout().lock();
            stdout
                .write_all(&bytes)
                .and_then(|_| stdout.flush())
                .map_err(Failure::from)?;
            Ok(stats)
        })
    } else {
        record_to_file(&scene, &out)
    };
    match result {
        Ok(stats) => {
            if !args.quiet {
                eprintln!(
                    "recorded {}: {}, {:.3} s, {} events, in {:.2} s",
                    out.display(),
                    scene.size,
                    stats.duration.as_secs_f64(),
                    stats.events,
                    wall.elapsed().as_secs_f64()
                );
            }
            ExitCode::from(exit::OK)
        }
        Err(Failure::Signal(name, code)) => {
            eprintln!("error: stopped by {name}; every program was killed and nothing was written");
            ExitCode::from(code)
        }
        Err(Failure::Record(e)) => {
            super::report(&e);
            ExitCode::from(exit::FAILED)
        }
        Err(Failure::Output(what, e)) => {
            eprintln!("error: {what}: {e}");
            ExitCode::from(exit::FAILED)
        }
    }
}

enum Failure {
    Record(RecordError),
    Signal(&'static str, u8),
    Output(String, std::io::Error),
}

impl From<std::io::Error> for Failure {
    fn from(e: std::io::Error) -> Self {
        Failure::Output("cannot write to standard output".into(), e)
    }
}

fn record_to_file(scene: &Scene, out: &Path) -> Result<Stats, Failure> {
    let dir = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let name = out
        .file_name()
        .map_or_else(|| "cast".into(), |n| n.to_string_lossy().into_owned());
    let temp = tempfile::Builder::new()
        .prefix(&format!(".{name}."))
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(|e| Failure::Output(format!("cannot create a temporary file in {}", dir.display()), e))?;
    let (writer, stats) = record(scene, BufWriter::new(temp))?;
    let temp = writer
        .into_inner()
        .map_err(|e| Failure::Output(format!("cannot write {}", out.display()), e.into_error()))?;
    let finish = || -> std::io::Result<()> {
        // Temporary files are private (0600); a cast is meant to be shared.
        std::os::unix::fs::PermissionsExt::set_mode(&mut temp.as_file().metadata()?.permissions(), 0o644);
        temp.as_file()
            .set_permissions(std::os::unix::fs::PermissionsExt::from_mode(0o644))?;
        temp.as_file().sync_all()
    };
    finish().map_err(|e| Failure::Output(format!("cannot write {}", out.display()), e))?;
    temp.persist(out)
        .map_err(|e| Failure::Output(format!("cannot rename the cast into {}", out.display()), e.error))?;
    Ok(stats)
}

/// Records `scene` into `sink`, stopping cleanly on SIGINT or SIGTERM.
fn record<W: Write>(scene: &Scene, sink: W) -> Result<(W, Stats), Failure> {
    let start = match std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
    {
        Some(epoch) => chrono::DateTime::from_timestamp(epoch, 0),
        None => Some(chrono::Utc::now()),
    };
    let header = Header {
        size: scene.size,
        timestamp: start.map(|t| t.timestamp()),
        title: scene.title.clone(),
        term: scene.term.clone(),
        shell: "/bin/sh".into(),
        theme: scene.theme.clone(),
    };
    let writer = v2::Writer::new(sink, &header).map_err(|e| Failure::Record(RecordError::Write(e)))?;
    let options = Options {
        redactions: machine_redactions(),
        env: program_env(),
        start_time: start,
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Failure::Output("cannot start the async runtime".into(), e))?;
    runtime.block_on(async {
        use tokio::signal::unix::{SignalKind, signal};
        let mut sigint =
            signal(SignalKind::interrupt()).map_err(|e| Failure::Output("cannot handle SIGINT".into(), e))?;
        let mut sigterm =
            signal(SignalKind::terminate()).map_err(|e| Failure::Output("cannot handle SIGTERM".into(), e))?;
        // Dropping the director (on a signal) kills every pane's process group.
        tokio::select! {
            result = Director::new(scene, options, writer).run() => result.map_err(Failure::Record),
            _ = sigint.recv() => Err(Failure::Signal("SIGINT", exit::INTERRUPTED)),
            _ = sigterm.recv() => Err(Failure::Signal("SIGTERM", exit::TERMINATED)),
        }
    })
}

/// `PATH` leading first to the running binary, so that `director …` typed
/// in a scene runs this very build.
fn program_env() -> Vec<(OsString, OsString)> {
    let mut dirs: Vec<PathBuf> = Vec::new();
    if let Some(dir) = std::env::current_exe()
        .ok()
        .and_then(|p| p.parent().map(Path::to_path_buf))
    {
        dirs.push(dir);
    }
    if let Some(path) = std::env::var_os("PATH") {
        dirs.extend(std::env::split_paths(&path));
    }
    match std::env::join_paths(dirs) {
        Ok(path) => vec![("PATH".into(), path)],
        Err(_) => Vec::new(),
    }
}
