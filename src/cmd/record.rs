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
use std::time::{Duration, Instant};

use super::exit;
use crate::asciicast::{self, Header, Retime, Writer};
use crate::director::{Director, Options, RecordError, Stats};
use crate::privacy::machine_redactions;
use crate::scene::{self, Format, LoadError, Scene};
use crate::term::reaper;
use crate::timeline::Mode;

const LONG_ABOUT: &str = "\
Record a scene (or the built-in TCP demo) into an asciicast file.

SCENE is a TOML file (or JSON, for names ending in .json); `director schema`
prints its JSON Schema and the README documents every key. Without SCENE,
director records its built-in TCP demo (the same text as recordings/tcp.toml).

The cast is written to a temporary file beside OUT and renamed into place only
when the recording succeeded: a failed or interrupted run leaves OUT as it was.
The recording machine's user name, host name and home directory are replaced
in everything the programs print.

Time: typing and pauses advance a virtual clock, so recording takes as long
as the programs need. --deterministic makes the cast depend on the scene
alone (same scene, same bytes); --realtime sleeps for every scripted delay
instead, for programs that react to the wall clock.";

const AFTER_HELP: &str = "\
Examples:
  director record out.cast                             the built-in TCP demo
  director record --set addr=127.0.0.1:5001 out.cast   ...on another port
  director record recordings/colours.toml colours.cast a scene file
  director record --deterministic --format v3 recordings/tcp.toml tcp.cast
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
    #[command(flatten)]
    pub settings: Settings,
    /// Print nothing on success.
    #[arg(short, long)]
    pub quiet: bool,
}

/// How to record, from the command line (shared by `record` and `build`).
#[derive(Debug, Clone, Default, clap::Args)]
pub struct Settings {
    /// Set a scene variable, overriding `[vars]` (repeatable), e.g.
    /// `--set addr=127.0.0.1:5001`.
    #[arg(long = "set", value_name = "KEY=VALUE", value_parser = parse_var)]
    pub set: Vec<(String, String)>,
    /// Same scene, same bytes: cast time comes from the script, real gaps
    /// between a program's outputs are rounded to the grid, the header's
    /// timestamp and the status clock come from SOURCE_DATE_EPOCH (or are
    /// left out). Also `deterministic = true` in the scene.
    #[arg(long)]
    pub deterministic: bool,
    /// The grid for --deterministic (default: the scene's `grid`, or 50ms).
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    pub grid: Option<Duration>,
    /// Sleep for every scripted delay (keystrokes, pauses) instead of
    /// advancing the clock: for programs that react to the wall clock.
    /// Recording then takes as long as the cast plays.
    #[arg(long, conflicts_with = "deterministic")]
    pub realtime: bool,
    /// The asciicast version to write.
    #[arg(long, value_enum, default_value_t = asciicast::Format::V2)]
    pub format: asciicast::Format,
    /// Play the cast this many times faster (applied as it is written).
    #[arg(long, value_name = "FACTOR", default_value_t = 1.0, value_parser = parse_speed)]
    pub speed: f64,
    /// Shorten every pause longer than this to this (applied as written).
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    pub max_pause: Option<Duration>,
    /// Progress on stderr under this label (set when stderr is a terminal).
    #[arg(skip)]
    pub progress: Option<String>,
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

fn parse_duration(text: &str) -> Result<Duration, String> {
    scene::duration::parse(text)
}

fn parse_speed(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(s) if (0.01..=100.0).contains(&s) => Ok(s),
        _ => Err(format!("\"{text}\" is not a speed between 0.01 and 100")),
    }
}

pub fn run(args: Args) -> ExitCode {
    let (scene_path, out) = match args.paths.as_slice() {
        [out] => (None, out.clone()),
        [scene, out] => (Some(scene.clone()), out.clone()),
        _ => unreachable!("clap takes one or two paths"),
    };
    let scene = match load(scene_path.as_deref(), &args.settings.set) {
        Ok(scene) => scene,
        Err(code) => return code,
    };
    let wall = Instant::now();
    // Whatever the programs leave behind (a daemon that detached) is ours
    // to clean up, on success as on failure.
    let _ = reaper::adopt_orphans();
    let progress = (!args.quiet && std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .then(|| format!("recording {}", out.display()));
    let settings = Settings {
        progress,
        ..args.settings.clone()
    };
    let result = if out.as_os_str() == "-" {
        record(&scene, &settings, None, Vec::new()).and_then(|(bytes, stats)| {
            let mut stdout = std::io::stdout().lock();
            stdout
                .write_all(&bytes)
                .and_then(|_| stdout.flush())
                .map_err(Failure::from)?;
            Ok(stats)
        })
    } else {
        record_to_file(&scene, &settings, None, &out)
    };
    reaper::kill_descendants();
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
        Err(failure) => failure.report(),
    }
}

/// Loads a scene file, or the built-in scene; on error prints it and gives
/// the exit code.
pub fn load(path: Option<&Path>, set: &[(String, String)]) -> Result<Scene, ExitCode> {
    let loaded = match path {
        Some(path) => scene::parse_file(path, set),
        None => scene::parse(
            scene::BUILTIN_NAME,
            scene::BUILTIN_TCP,
            Format::Toml,
            Path::new("."),
            set,
        )
        .map_err(LoadError::from),
    };
    loaded.map_err(|e| {
        match e {
            LoadError::Scene(e) => super::scene_error(&e),
            e => super::error(format!("{e}")),
        }
        ExitCode::from(exit::USAGE)
    })
}

/// Why a recording did not produce a cast.
#[derive(Debug)]
pub enum Failure {
    Record(RecordError),
    Signal(&'static str, u8),
    Output(String, std::io::Error),
}

impl Failure {
    /// Prints the failure and gives the exit code.
    pub fn report(self) -> ExitCode {
        match self {
            Failure::Signal(name, code) => {
                super::error(format!(
                    "stopped by {name}; every program was killed and nothing was written"
                ));
                ExitCode::from(code)
            }
            Failure::Record(e) => {
                super::report(&e);
                ExitCode::from(exit::FAILED)
            }
            Failure::Output(what, e) => {
                super::error(format!("{what}: {e}"));
                ExitCode::from(exit::FAILED)
            }
        }
    }
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Failure::Record(e) => write!(f, "{e}"),
            Failure::Signal(name, _) => write!(f, "stopped by {name}"),
            Failure::Output(what, e) => write!(f, "{what}: {e}"),
        }
    }
}

impl From<std::io::Error> for Failure {
    fn from(e: std::io::Error) -> Self {
        Failure::Output("cannot write to standard output".into(), e)
    }
}

/// Records `scene` into a temporary file beside `out`, renamed into place
/// on success. `extra` goes into the header (`director build`'s hash and inputs).
pub fn record_to_file(
    scene: &Scene,
    settings: &Settings,
    extra: Option<serde_json::Value>,
    out: &Path,
) -> Result<Stats, Failure> {
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
    let (writer, stats) = record(scene, settings, extra, BufWriter::new(temp))?;
    let temp = writer
        .into_inner()
        .map_err(|e| Failure::Output(format!("cannot write {}", out.display()), e.into_error()))?;
    let finish = || -> std::io::Result<()> {
        // Temporary files are private (0600); a cast is meant to be shared.
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
pub fn record<W: Write>(
    scene: &Scene,
    settings: &Settings,
    extra: Option<serde_json::Value>,
    sink: W,
) -> Result<(W, Stats), Failure> {
    let deterministic = settings.deterministic || scene.deterministic;
    if deterministic && settings.realtime {
        let e = std::io::Error::other("--realtime cannot record a deterministic scene");
        return Err(Failure::Output("conflicting settings".into(), e));
    }
    let epoch = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok());
    let start = match (epoch, deterministic) {
        (Some(epoch), _) => chrono::DateTime::from_timestamp(epoch, 0),
        // Deterministic without SOURCE_DATE_EPOCH: no time at all.
        (None, true) => None,
        (None, false) => Some(chrono::Utc::now()),
    };
    let header = Header {
        size: scene.size,
        timestamp: start.map(|t| t.timestamp()),
        title: scene.title.clone(),
        term: scene.term.clone(),
        shell: "/bin/sh".into(),
        theme: scene.theme.clone(),
        idle_time_limit: scene.idle_time_limit,
        extra,
    };
    let retime = Retime {
        speed: settings.speed,
        max_pause: settings.max_pause,
    };
    let writer =
        Writer::new(sink, &header, settings.format, retime).map_err(|e| Failure::Record(RecordError::Write(e)))?;
    let mode = match deterministic {
        true => Mode::Deterministic {
            grid: settings.grid.unwrap_or(scene.grid),
        },
        false => Mode::Live,
    };
    let options = Options {
        redactions: machine_redactions(&scene.privacy),
        env: program_env(),
        start_time: start,
        mode,
        realtime: settings.realtime,
        progress: settings.progress.clone(),
    };
    // This thread runs the director and the panes' readers (a LocalSet):
    // handing each read to another thread cost a wake-up per read. The one
    // worker thread waits on the I/O driver and wakes this one. Compared
    // with a current-thread runtime, which waits on the driver itself, a
    // flooding program writes faster: reads come a little later and larger,
    // and it is switched out less often. `seq 1 1000000` took 316 ms against
    // 359 (medians of 60 alternating runs), and the slow tail shrank most.
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .map_err(|e| Failure::Output("cannot start the async runtime".into(), e))?;
    let local = tokio::task::LocalSet::new();
    runtime.block_on(local.run_until(async {
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
    }))
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
