//! `director record [SCENE] OUT`: record a scene into an asciicast file.
//!
//! Where the cast goes is checked before anything is recorded
//! ([`crate::output`]): a failed or interrupted run never leaves a
//! half-written file, never clobbers the last good cast, and no run
//! overwrites a file that is not a cast.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use super::exit;
use crate::asciicast::{self, Header, Retime, Writer};
use crate::director::{Director, Options, RecordError, Stats};
use crate::output::{Output, OutputError};
use crate::privacy::{self, Identity};
use crate::process::environment::DirectorEnv;
use crate::process::reaper;
use crate::scene::{self, LoadError, Scene, Syntax};
use crate::signals::{self, Stop};
use crate::timeline::Mode;

const LONG_ABOUT: &str = "\
Record a scene (or the built-in TCP demo) into an asciicast file.

SCENE is a TOML file (or JSON, for names ending in .json); `director schema`
prints its JSON Schema and the README documents every key. Without SCENE,
director records its built-in TCP demo (the same text as recordings/tcp.toml).

OUT is checked before anything is recorded. A regular file (or a symlink to
one) is replaced atomically, and only when the recording succeeded: a failed or
interrupted run leaves OUT as it was. An existing file that is not an
asciicast is never overwritten without --force. Standard output (`-`,
/dev/stdout), a device, a FIFO or a socket is written in place once the
recording succeeded. A directory, or a folder that does not exist or cannot be
written, is refused at once.

The recording machine's user name, host name and home directory are replaced
in everything the programs print, as whole words; a frame that still shows one
stops the recording. The programs get a minimal environment (PATH, HOME, USER,
LOGNAME, SHELL, TERM, the locale, TZ, SOURCE_DATE_EPOCH), not director's whole
one: a scene passes more with `inherit`.

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

Exit codes: 0 recorded; 1 a program failed, a wait timed out, a private value
reached the screen, or OUT could not be written; 2 the scene, the command line
or OUT is invalid (nothing was recorded); 129/130/131/143 stopped by
SIGHUP/SIGINT/SIGQUIT/SIGTERM (programs killed, nothing written).";

/// Arguments of `director record`.
#[derive(Debug, clap::Args)]
#[command(override_usage = "director record [OPTIONS] [SCENE] <OUT>", long_about = LONG_ABOUT, after_help = AFTER_HELP)]
pub struct Args {
    /// The scene file (TOML or JSON), then the output file. With one path,
    /// the built-in TCP demo is recorded into it (a path that names or
    /// holds a scene is refused). OUT may be `-` for standard output.
    #[arg(value_name = "SCENE|OUT", required = true, num_args = 1..=2)]
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub settings: Settings,
    /// Replace OUT even if it is a regular file that is not an asciicast
    /// (never the scene file itself).
    #[arg(long)]
    pub force: bool,
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
    #[arg(long, value_enum, default_value_t = asciicast::Version::V2)]
    pub format: asciicast::Version,
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
    // First of all: from here on, every way of stopping ends the same way.
    if let Err(e) = signals::watch() {
        super::error(format!("cannot watch for signals: {e}"));
        return ExitCode::from(exit::FAILED);
    }
    let (scene_path, out) = match args.paths.as_slice() {
        [out] => {
            if let Some(problem) = scene_given_as_out(out) {
                super::error(problem);
                return ExitCode::from(exit::USAGE);
            }
            (None, out.clone())
        }
        [scene, out] => (Some(scene.clone()), out.clone()),
        _ => unreachable!("clap takes one or two paths"),
    };
    let scene = match load(scene_path.as_deref(), &args.settings.set) {
        Ok(scene) => scene,
        Err(code) => return code,
    };
    let output = match Output::prepare(&out, args.force, scene_path.as_deref()) {
        Ok(output) => output,
        Err(e) => return Failure::Output(e).report(),
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
    let result = record_to(&scene, &settings, None, output);
    if settings.progress.is_some() && result.is_err() {
        // The progress line, not the message's start.
        eprint!("\r\x1b[K");
    }
    reaper::end_descendants(reaper::GRACE, reaper::Find::Walk);
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

/// With one path, it is OUT and the built-in demo is recorded into it; a
/// user who meant it as the scene would lose the scene. A path that is
/// named like a scene, or holds one, is refused.
fn scene_given_as_out(out: &Path) -> Option<String> {
    let named = out
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("toml") || e.eq_ignore_ascii_case("json"));
    if !named && !holds_a_scene(out) {
        return None;
    }
    Some(format!(
        "{path} looks like a scene, not an output file: with one path, director records its built-in demo into that path\n  \
         did you mean: director record {path} {cast}?",
        path = out.display(),
        cast = out.with_extension("cast").display()
    ))
}

/// Whether a file is a TOML or JSON table with a scene's `pane` or `step`.
fn holds_a_scene(path: &Path) -> bool {
    let Ok(meta) = std::fs::metadata(path) else {
        return false;
    };
    if !meta.is_file() || meta.len() > scene::MAX_SCENE_BYTES {
        return false;
    }
    let Ok(text) = std::fs::read_to_string(path) else {
        return false;
    };
    let scene_keys = |has: &dyn Fn(&str) -> bool| has("pane") || has("step");
    if let Ok(table) = text.parse::<toml::Table>() {
        return scene_keys(&|k| table.contains_key(k));
    }
    match serde_json::from_str::<serde_json::Value>(&text) {
        Ok(serde_json::Value::Object(map)) => scene_keys(&|k| map.contains_key(k)),
        _ => false,
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
            Syntax::Toml,
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
    /// Stopped by a signal: every program killed, nothing written.
    Signal(Stop),
    Output(OutputError),
    /// The settings contradict each other or the scene (exit 2).
    Usage(String),
    /// The scene itself would publish a private value (exit 1).
    Private(String),
    /// director itself could not run (exit 1).
    Setup(String, std::io::Error),
}

impl Failure {
    /// Prints the failure and gives the exit code.
    pub fn report(self) -> ExitCode {
        match &self {
            Failure::Record(e) => super::report(e),
            other => super::error(other),
        }
        ExitCode::from(self.exit_code())
    }

    /// The exit code, as documented in `--help`.
    pub fn exit_code(&self) -> u8 {
        match self {
            Failure::Signal(stop) => stop.exit_code(),
            Failure::Output(e) if e.before_recording() => exit::USAGE,
            Failure::Usage(_) => exit::USAGE,
            Failure::Record(_) | Failure::Output(_) | Failure::Private(_) | Failure::Setup(..) => exit::FAILED,
        }
    }
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Failure::Record(e) => write!(f, "{e}"),
            Failure::Signal(stop) => write!(
                f,
                "stopped by {}; every program was killed and nothing was written",
                stop.name()
            ),
            Failure::Output(e) => write!(f, "{e}"),
            Failure::Usage(what) | Failure::Private(what) => f.write_str(what),
            Failure::Setup(what, e) => write!(f, "{what}: {e}"),
        }
    }
}

/// Records `scene` into `output`, which is put in place only if the
/// recording succeeded and no stop signal came. `extra` goes into the
/// header (`director build`'s hash and inputs).
pub fn record_to(
    scene: &Scene,
    settings: &Settings,
    extra: Option<serde_json::Value>,
    mut output: Output,
) -> Result<Stats, Failure> {
    let sink = output.sink();
    let (sink, stats) = record(scene, settings, extra, sink)?;
    if let Some(stop) = signals::received() {
        return Err(Failure::Signal(stop));
    }
    output.commit(sink).map_err(|e| match (&e, signals::received()) {
        // A signal ended the wait for a FIFO's reader: stopped like any other.
        (OutputError::Stopped(_), Some(stop)) => Failure::Signal(stop),
        _ => Failure::Output(e),
    })?;
    Ok(stats)
}

/// Records `scene` into `sink`, stopping cleanly on a stop signal
/// (SIGINT, SIGTERM, SIGHUP, SIGQUIT, once [`signals::watch`] is on).
pub fn record<W: Write>(
    scene: &Scene,
    settings: &Settings,
    extra: Option<serde_json::Value>,
    sink: W,
) -> Result<(W, Stats), Failure> {
    let deterministic = settings.deterministic || scene.deterministic;
    if deterministic && settings.realtime {
        return Err(Failure::Usage(
            "--realtime cannot record a deterministic scene (deterministic = true, or --deterministic)".into(),
        ));
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
    let identity = Identity::new(&privacy::identity(&scene.privacy));
    privacy::check_scene(scene, &identity).map_err(Failure::Private)?;
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
        identity,
        env: DirectorEnv::current(),
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
        .map_err(|e| Failure::Setup("cannot start the async runtime".into(), e))?;
    let local = tokio::task::LocalSet::new();
    runtime.block_on(local.run_until(async {
        // Dropping the director (on a signal) tells every pane's process
        // group to end; `reaper::end_descendants` sees to the rest.
        tokio::select! {
            result = Director::new(scene, options, writer).run() => result.map_err(Failure::Record),
            stop = signals::stopped() => Err(Failure::Signal(stop)),
        }
    }))
}
