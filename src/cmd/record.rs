//! `director record [SCENE] OUT`: record a scene into an asciicast file,
//! through [`crate::record()`].
//!
//! Where the cast goes is checked before anything is recorded
//! ([`crate::output`]): a failed or interrupted run never leaves a
//! half-written file, never clobbers the last good cast, and no run
//! overwrites a file that is not a cast.

use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::error::{Error, Usage};
use crate::output::Output;
use crate::process::reaper;
use crate::record::{Extras, Settings, record};
use crate::scene::{self, Scene, Syntax};
use crate::signals;

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

pub fn run(args: Args) -> Result<(), Error> {
    // First of all: from here on, every way of stopping ends the same way.
    signals::watch().map_err(|e| Error::io("cannot watch for signals", e))?;
    let (scene_path, out) = match args.paths.as_slice() {
        [out] => {
            if looks_like_a_scene(out) {
                return Err(Usage::SceneAsOut(out.clone()).into());
            }
            (None, out.clone())
        }
        [scene, out] => (Some(scene.clone()), out.clone()),
        _ => unreachable!("clap takes one or two paths"),
    };
    let scene = load(scene_path.as_deref(), &args.settings.set)?;
    let output = Output::prepare(&out, args.force, scene_path.as_deref())?;
    let wall = Instant::now();
    // Whatever the programs leave behind (a daemon that detached) is ours
    // to clean up, on success as on failure.
    let _ = reaper::adopt_orphans();
    let extras = Extras {
        progress: (!args.quiet && std::io::IsTerminal::is_terminal(&std::io::stderr()))
            .then(|| format!("recording {}", out.display())),
        stamp: None,
    };
    let result = record(&scene, &args.settings, &extras, output);
    if extras.progress.is_some() && result.is_err() {
        // The progress line, not the message's start.
        eprint!("\r\x1b[K");
    }
    reaper::end_descendants(reaper::GRACE, reaper::Find::Walk);
    let stats = result?;
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
    Ok(())
}

/// With one path, it is OUT and the built-in demo is recorded into it; a
/// user who meant it as the scene would lose the scene. A path that is
/// named like a scene, or holds one, is refused.
fn looks_like_a_scene(out: &Path) -> bool {
    let named = out
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("toml") || e.eq_ignore_ascii_case("json"));
    named || holds_a_scene(out)
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

/// Loads a scene file, or without one the built-in scene.
fn load(path: Option<&Path>, set: &[(String, String)]) -> Result<Scene, Error> {
    let scene = match path {
        Some(path) => scene::parse_file(path, set)?,
        None => scene::parse(
            scene::BUILTIN_NAME,
            scene::BUILTIN_TCP,
            Syntax::Toml,
            Path::new("."),
            set,
        )
        .map_err(scene::LoadError::from)?,
    };
    Ok(scene)
}
