//! `director build [DIR]`: re-record every scene in a folder whose cast is
//! stale, in parallel; `--check` only reports them (for CI), each with why.
//!
//! A cast is stale when its header's content hash differs from the scene's
//! now. The hash covers the scene file, the files in its panes' working
//! folders (the scripts it runs), files its commands name, the recording
//! settings and director's version.
//!
//! Beside the hash, the header keeps a digest of each of those inputs, so
//! that a stale cast can say which one changed:
//!
//! ```json
//! "director": {
//!   "hash": "sha256:…",
//!   "inputs": {
//!     "director": "0.1.0",
//!     "settings": {"--deterministic": "sha256:…", "--format": "sha256:…", "--set": "sha256:…", …},
//!     "scene": "sha256:…",
//!     "files": {"python/client.py": "sha256:…", "python/server.py": "sha256:…"}
//!   }
//! }
//! ```
//!
//! A digest is the SHA-256 of the input's bytes (of a setting, of its value
//! written with `{:?}`); files are named relative to the scene's folder.
//! Settings are kept as digests, not values, because `--set` may carry a
//! secret. The `hash` alone decides whether a cast is stale, and is
//! computed as it was before `inputs` existed, so casts made then stay up
//! to date; `inputs` only explains a difference.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Mutex;
use std::time::Instant;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::exit;
use super::record::{Failure, Settings, load, record_to};
use crate::output::Output;
use crate::process::reaper;
use crate::scene::{Action, Scene};
use crate::signals;

/// Files looked at in one pane folder, at most: a folder that large is not
/// a scene's scripts.
const MAX_FILES: usize = 2000;

/// Arguments of `director build`.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  director build                  re-record what changed in recordings/
  director build --check          exit 1 if any cast is stale (for CI)
  director build -j 1 talks/      one at a time, in talks/

A cast is stale when anything it was made from changed since: its scene,
the files in its panes' folders or named by its commands, the recording
options, or director's version. Each stale cast is named with why, e.g.
  stale: recordings/colours.cast: scene changed, scripts/ticker.sh changed
Other reasons: FILE is new, FILE was removed (FILE relative to the scene's
folder), settings changed (--set, ...), made by director VERSION, missing,
not made by build (e.g. made by `director record`), made by an older
director (no record of its inputs).

A scene that fails while others record beside it (two scenes that need the
same port, say) is tried again alone once the others are done. A file in the
place of a cast that is not a cast is never overwritten without --force.
SIGINT, SIGTERM, SIGHUP or SIGQUIT stops every recording at once: programs
killed, no temporary file left, no cast touched.

Exit codes: 0 everything is up to date (or was rebuilt); 1 a recording
failed, or with --check a cast is stale; 2 a scene is invalid, or a cast's
place holds another file; 129/130/131/143 stopped by a signal.")]
pub struct Args {
    /// The folder of scenes (*.toml, *.json); each cast is written beside
    /// its scene, with the same name and the extension `.cast`.
    #[arg(default_value = "recordings")]
    pub dir: PathBuf,
    /// Only report stale casts, each with why; exit 1 if there is one.
    #[arg(long)]
    pub check: bool,
    /// How many scenes to record at once (default: the number of CPUs).
    #[arg(short, long, value_name = "N")]
    pub jobs: Option<usize>,
    #[command(flatten)]
    pub settings: Settings,
    /// Replace a file in a cast's place even if it is not an asciicast.
    #[arg(long)]
    pub force: bool,
    /// Print only failures and stale casts.
    #[arg(short, long)]
    pub quiet: bool,
}

/// One scene of the folder.
struct Entry {
    scene_path: PathBuf,
    cast_path: PathBuf,
    scene: Scene,
    hash: String,
    inputs: Inputs,
    /// Why its cast is stale; empty when it is up to date.
    why: Vec<Reason>,
}

/// What a cast was made from: the `inputs` of its header (see the module
/// documentation).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
struct Inputs {
    /// director's version.
    director: String,
    /// A digest per recording option, by its flag.
    settings: BTreeMap<String, String>,
    /// The scene file's digest.
    scene: String,
    /// The digest of each file the scene uses, by its name relative to the
    /// scene's folder.
    files: BTreeMap<String, String>,
}

/// What a cast's header says of how it was made.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Recorded {
    Missing,
    Unreadable(String),
    /// No build hash: `director record` made it, or it is no cast at all.
    NotBuilt,
    Built {
        hash: String,
        inputs: Option<Inputs>,
    },
}

/// Why a cast is stale.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Reason {
    Missing,
    Unreadable(String),
    NotBuilt,
    /// Its hash differs and its header records no inputs to compare.
    NoInputs,
    /// Made by this other version of director.
    Version(String),
    /// These recording options differ, by flag.
    Settings(Vec<String>),
    Scene,
    FileChanged(String),
    FileNew(String),
    FileRemoved(String),
    /// Its hash differs though every input it records is the same (a
    /// header edited by hand, or a change in how the hash is made).
    Unexplained,
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Reason::Missing => write!(f, "missing"),
            Reason::Unreadable(e) => write!(f, "cannot be read ({e})"),
            Reason::NotBuilt => write!(f, "not made by build"),
            Reason::NoInputs => write!(f, "made by an older director (no record of its inputs)"),
            Reason::Version(was) => write!(f, "made by director {was}, this is {}", env!("CARGO_PKG_VERSION")),
            Reason::Settings(flags) => write!(f, "settings changed ({})", flags.join(", ")),
            Reason::Scene => write!(f, "scene changed"),
            Reason::FileChanged(name) => write!(f, "{name} changed"),
            Reason::FileNew(name) => write!(f, "{name} is new"),
            Reason::FileRemoved(name) => write!(f, "{name} was removed"),
            Reason::Unexplained => write!(f, "its hash differs, though none of the inputs it records does"),
        }
    }
}

/// `reasons` as one line.
fn explain(reasons: &[Reason]) -> String {
    reasons.iter().map(Reason::to_string).collect::<Vec<_>>().join(", ")
}

pub fn run(args: Args) -> ExitCode {
    if let Err(e) = signals::watch() {
        super::error(format!("cannot watch for signals: {e}"));
        return ExitCode::from(exit::FAILED);
    }
    let started = Instant::now();
    let scenes = match scene_files(&args.dir) {
        Ok(scenes) if !scenes.is_empty() => scenes,
        Ok(_) => {
            super::error(format!("no scenes (*.toml, *.json) in {}", args.dir.display()));
            return ExitCode::from(exit::USAGE);
        }
        Err(e) => {
            super::error(format!("cannot read {}: {e}", args.dir.display()));
            return ExitCode::from(exit::USAGE);
        }
    };
    let mut entries = Vec::with_capacity(scenes.len());
    let mut invalid = false;
    for scene_path in scenes {
        let Ok(scene) = load(Some(&scene_path), &args.settings.set) else {
            invalid = true;
            continue;
        };
        let (hash, inputs) = content_hash(&scene_path, &scene, &args.settings);
        let cast_path = scene_path.with_extension("cast");
        let why = reasons(&recorded(&cast_path), &hash, &inputs);
        entries.push(Entry {
            scene_path,
            cast_path,
            scene,
            hash,
            inputs,
            why,
        });
    }
    if invalid {
        return ExitCode::from(exit::USAGE);
    }
    let stale: Vec<&Entry> = entries.iter().filter(|e| !e.why.is_empty()).collect();
    if args.check {
        for e in &stale {
            println!("stale: {}: {}", e.cast_path.display(), explain(&e.why));
        }
        if !stale.is_empty() {
            eprintln!(
                "{} of {} casts stale (re-record with `director build {}`)",
                stale.len(),
                entries.len(),
                args.dir.display()
            );
        } else if !args.quiet {
            eprintln!("0 of {} casts stale", entries.len());
        }
        return ExitCode::from(if stale.is_empty() { exit::OK } else { exit::FAILED });
    }
    if stale.is_empty() {
        if !args.quiet {
            eprintln!(
                "{} casts up to date ({:.2} s)",
                entries.len(),
                started.elapsed().as_secs_f64()
            );
        }
        return ExitCode::from(exit::OK);
    }
    // Every cast's place is checked before anything is recorded.
    let mut blocked = false;
    for e in &stale {
        if let Err(problem) = Output::prepare(&e.cast_path, args.force, Some(&e.scene_path)) {
            super::error(problem);
            blocked = true;
        }
    }
    if blocked {
        return ExitCode::from(exit::USAGE);
    }
    let jobs = args
        .jobs
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
        .max(1);
    let _ = reaper::adopt_orphans();
    let failed = record_all(&stale, &args, jobs);
    // Scenes that failed beside others may have fought over a port: once
    // more, alone (not after a stop signal, and not when the cast could not
    // be written).
    let failed: Vec<(&Entry, Failure)> = match jobs {
        1 => failed,
        _ => failed
            .into_iter()
            .flat_map(|(e, failure)| match failure {
                Failure::Record(_) if signals::received().is_none() => record_all(&[e], &args, 1),
                other => vec![(e, other)],
            })
            .collect(),
    };
    reaper::end_descendants(reaper::GRACE, reaper::Find::Scan);
    if let Some(stop) = signals::received() {
        return Failure::Signal(stop).report();
    }
    for (entry, failure) in &failed {
        super::error(format!("{}: {failure}", entry.scene_path.display()));
    }
    if !args.quiet {
        eprintln!(
            "rebuilt {} of {} casts ({} failed) in {:.2} s",
            stale.len() - failed.len(),
            entries.len(),
            failed.len(),
            started.elapsed().as_secs_f64()
        );
    }
    ExitCode::from(if failed.is_empty() { exit::OK } else { exit::FAILED })
}

/// Records `entries` with up to `jobs` at once; returns the failures. A
/// stop signal ends every recording and starts no other.
fn record_all<'e>(entries: &[&'e Entry], args: &Args, jobs: usize) -> Vec<(&'e Entry, Failure)> {
    let queue = Mutex::new(entries.iter().copied());
    let failures = Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for _ in 0..jobs.min(entries.len()) {
            scope.spawn(|| {
                while let Some(entry) = queue.lock().map(|mut q| q.next()).unwrap_or(None) {
                    if signals::received().is_some() {
                        break;
                    }
                    let started = Instant::now();
                    let extra = serde_json::json!({ "hash": entry.hash, "inputs": entry.inputs });
                    let result = Output::prepare(&entry.cast_path, args.force, Some(&entry.scene_path))
                        .map_err(Failure::Output)
                        .and_then(|output| record_to(&entry.scene, &args.settings, Some(extra), output));
                    match result {
                        Ok(stats) if !args.quiet => eprintln!(
                            "rebuilt {} ({}): {:.3} s, {} events, in {:.2} s",
                            entry.cast_path.display(),
                            explain(&entry.why),
                            stats.duration.as_secs_f64(),
                            stats.events,
                            started.elapsed().as_secs_f64()
                        ),
                        Ok(_) => {}
                        Err(failure) => {
                            if let Ok(mut f) = failures.lock() {
                                f.push((entry, failure));
                            }
                        }
                    }
                }
            });
        }
    });
    failures.into_inner().unwrap_or_default()
}

/// The scene files of a folder, sorted.
fn scene_files(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut scenes: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file() && matches!(p.extension().and_then(|e| e.to_str()), Some("toml" | "json")))
        .collect();
    scenes.sort();
    Ok(scenes)
}

/// What the header of the cast at `cast` says of how it was made.
fn recorded(cast: &Path) -> Recorded {
    let file = match std::fs::File::open(cast) {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Recorded::Missing,
        Err(e) => return Recorded::Unreadable(e.to_string()),
    };
    let mut first = String::new();
    if let Err(e) = std::io::BufRead::read_line(&mut std::io::BufReader::new(file), &mut first) {
        return Recorded::Unreadable(e.to_string());
    }
    let Ok(header) = serde_json::from_str::<serde_json::Value>(&first) else {
        return Recorded::NotBuilt;
    };
    match header["director"]["hash"].as_str() {
        Some(hash) => Recorded::Built {
            hash: hash.to_string(),
            inputs: serde_json::from_value(header["director"]["inputs"].clone()).ok(),
        },
        None => Recorded::NotBuilt,
    }
}

/// Why a cast recorded as `recorded` is stale for a scene whose hash is now
/// `hash` and inputs `now`; empty when it is up to date.
fn reasons(recorded: &Recorded, hash: &str, now: &Inputs) -> Vec<Reason> {
    let (was_hash, was) = match recorded {
        Recorded::Missing => return vec![Reason::Missing],
        Recorded::Unreadable(e) => return vec![Reason::Unreadable(e.clone())],
        Recorded::NotBuilt => return vec![Reason::NotBuilt],
        Recorded::Built { hash: was_hash, inputs } => (was_hash, inputs),
    };
    if was_hash == hash {
        return Vec::new();
    }
    let Some(was) = was else {
        return vec![Reason::NoInputs];
    };
    let mut why = Vec::new();
    if was.director != now.director {
        why.push(Reason::Version(was.director.clone()));
    }
    let flags: BTreeSet<&String> = was.settings.keys().chain(now.settings.keys()).collect();
    let changed: Vec<String> = flags
        .into_iter()
        .filter(|flag| was.settings.get(*flag) != now.settings.get(*flag))
        .cloned()
        .collect();
    if !changed.is_empty() {
        why.push(Reason::Settings(changed));
    }
    if was.scene != now.scene {
        why.push(Reason::Scene);
    }
    let names: BTreeSet<&String> = was.files.keys().chain(now.files.keys()).collect();
    for name in names {
        match (was.files.get(name), now.files.get(name)) {
            (Some(a), Some(b)) if a != b => why.push(Reason::FileChanged(name.clone())),
            (None, Some(_)) => why.push(Reason::FileNew(name.clone())),
            (Some(_), None) => why.push(Reason::FileRemoved(name.clone())),
            _ => {}
        }
    }
    if why.is_empty() {
        why.push(Reason::Unexplained);
    }
    why
}

/// `sha256:` and the hex SHA-256 of `bytes`.
fn digest(bytes: &[u8]) -> String {
    let hex: String = Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect();
    format!("sha256:{hex}")
}

/// Each recording option by its flag, written with `{:?}`, in the order
/// the content hash takes them.
fn settings_by_flag(settings: &Settings) -> [(&'static str, String); 7] {
    [
        ("--set", format!("{:?}", settings.set)),
        ("--deterministic", format!("{:?}", settings.deterministic)),
        ("--grid", format!("{:?}", settings.grid)),
        ("--realtime", format!("{:?}", settings.realtime)),
        ("--format", format!("{:?}", settings.format)),
        ("--speed", format!("{:?}", settings.speed)),
        ("--max-pause", format!("{:?}", settings.max_pause)),
    ]
}

/// What a cast depends on: director's version, the settings, the scene
/// file, and the files its panes' folders hold or its commands name. Returns
/// the content hash of them all and the digest of each.
fn content_hash(scene_path: &Path, scene: &Scene, settings: &Settings) -> (String, Inputs) {
    let mut hasher = Sha256::new();
    let mut field = |name: &str, bytes: &[u8]| {
        hasher.update((name.len() as u64).to_le_bytes());
        hasher.update(name.as_bytes());
        hasher.update((bytes.len() as u64).to_le_bytes());
        hasher.update(bytes);
    };
    let mut inputs = Inputs {
        director: env!("CARGO_PKG_VERSION").to_string(),
        ..Inputs::default()
    };
    field("director", inputs.director.as_bytes());
    let by_flag = settings_by_flag(settings);
    // The settings as one tuple written with `{:?}`, as the hash has always
    // taken them.
    let values: Vec<&str> = by_flag.iter().map(|(_, v)| v.as_str()).collect();
    field("settings", format!("({})", values.join(", ")).as_bytes());
    inputs.settings = by_flag
        .iter()
        .map(|(flag, value)| (flag.to_string(), digest(value.as_bytes())))
        .collect();
    let scene_bytes = std::fs::read(scene_path).unwrap_or_default();
    field("scene", &scene_bytes);
    inputs.scene = digest(&scene_bytes);
    // Named relative to the scene's folder: the same wherever it is run from.
    let root = scene_root(scene_path);
    for file in referenced_files(scene_path, scene) {
        let name = root.as_deref().and_then(|r| file.strip_prefix(r).ok()).unwrap_or(&file);
        let name = name.to_string_lossy();
        let bytes = std::fs::read(&file).unwrap_or_default();
        field(&name, &bytes);
        inputs.files.insert(name.into_owned(), digest(&bytes));
    }
    let hex: String = hasher.finalize().iter().map(|b| format!("{b:02x}")).collect();
    (format!("sha256:{hex}"), inputs)
}

/// Files under the scene's folder that the scene uses: everything in its
/// panes' working folders, and files its commands name.
fn referenced_files(scene_path: &Path, scene: &Scene) -> BTreeSet<PathBuf> {
    let Some(root) = scene_root(scene_path) else {
        return BTreeSet::new();
    };
    let mut files = BTreeSet::new();
    let cwds: Vec<PathBuf> = scene
        .panes
        .iter()
        .filter_map(|p| p.cwd.as_ref())
        .filter_map(|c| c.canonicalize().ok())
        .collect();
    for cwd in cwds.iter().filter(|c| c.starts_with(&root) && **c != root) {
        collect(cwd, &mut files);
    }
    let mut bases = vec![root.clone()];
    bases.extend(cwds.iter().filter(|c| c.starts_with(&root)).cloned());
    for step in &scene.steps {
        let Action::Run { command, .. } = &step.action else {
            continue;
        };
        for word in command.split(|c: char| c.is_whitespace() || "'\";|&<>()".contains(c)) {
            if word.is_empty() {
                continue;
            }
            for base in &bases {
                if let Ok(path) = base.join(word).canonicalize()
                    && path.starts_with(&root)
                    && path.is_file()
                {
                    files.insert(path);
                }
            }
        }
    }
    files.retain(|f| f.extension().is_none_or(|e| e != "cast"));
    files
}

/// The scene's folder, canonical.
fn scene_root(scene_path: &Path) -> Option<PathBuf> {
    let root = scene_path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    root.canonicalize().ok()
}

/// Every regular file under `dir` (not hidden ones), up to [`MAX_FILES`].
fn collect(dir: &Path, files: &mut BTreeSet<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        if files.len() >= MAX_FILES {
            return;
        }
        let path = entry.path();
        if entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        match entry.file_type() {
            Ok(t) if t.is_dir() => collect(&path, files),
            Ok(t) if t.is_file() => {
                files.insert(path);
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[test]
    fn the_settings_are_hashed_as_one_tuple_as_before() {
        // Casts made before the inputs were recorded hold a hash of the
        // settings tuple written with `{:?}`; joining the flags' values
        // must give the same bytes, or every such cast turns stale.
        let settings = Settings {
            set: vec![("addr".into(), "127.0.0.1:5001".into())],
            deterministic: true,
            grid: Some(Duration::from_millis(100)),
            realtime: false,
            format: crate::asciicast::Version::V3,
            speed: 2.5,
            max_pause: None,
            progress: Some("not hashed".into()),
        };
        let values: Vec<String> = settings_by_flag(&settings).into_iter().map(|(_, v)| v).collect();
        let tuple = (
            &settings.set,
            settings.deterministic,
            settings.grid,
            settings.realtime,
            settings.format,
            settings.speed,
            settings.max_pause,
        );
        assert_eq!(format!("({})", values.join(", ")), format!("{tuple:?}"));
    }

    fn inputs() -> Inputs {
        Inputs {
            director: "0.1.0".into(),
            settings: [("--set", "sha256:s"), ("--speed", "sha256:1")]
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .into(),
            scene: "sha256:scene".into(),
            files: [("a.sh", "sha256:a"), ("b.sh", "sha256:b")]
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .into(),
        }
    }

    fn built(hash: &str, inputs: Option<Inputs>) -> Recorded {
        Recorded::Built {
            hash: hash.into(),
            inputs,
        }
    }

    #[test]
    fn a_cast_with_the_same_hash_is_up_to_date_whatever_it_records() {
        assert_eq!(reasons(&built("h", Some(inputs())), "h", &inputs()), []);
        assert_eq!(reasons(&built("h", None), "h", &inputs()), []);
    }

    #[test]
    fn a_cast_without_a_build_hash_says_so() {
        assert_eq!(reasons(&Recorded::Missing, "h", &inputs()), [Reason::Missing]);
        assert_eq!(reasons(&Recorded::NotBuilt, "h", &inputs()), [Reason::NotBuilt]);
        assert_eq!(reasons(&built("old", None), "h", &inputs()), [Reason::NoInputs]);
    }

    #[test]
    fn every_changed_input_is_named_in_order() {
        let mut now = inputs();
        now.director = "0.2.0".into();
        now.settings.insert("--speed".into(), "sha256:2".into());
        now.settings.insert("--grid".into(), "sha256:g".into());
        now.scene = "sha256:other".into();
        now.files.remove("a.sh");
        now.files.insert("b.sh".into(), "sha256:b2".into());
        now.files.insert("c.sh".into(), "sha256:c".into());
        let why = reasons(&built("old", Some(inputs())), "new", &now);
        assert_eq!(
            explain(&why),
            format!(
                "made by director 0.1.0, this is {}, settings changed (--grid, --speed), scene changed, \
                 a.sh was removed, b.sh changed, c.sh is new",
                env!("CARGO_PKG_VERSION")
            )
        );
    }

    #[test]
    fn a_hash_that_no_recorded_input_explains_is_reported_as_such() {
        assert_eq!(
            reasons(&built("old", Some(inputs())), "new", &inputs()),
            [Reason::Unexplained]
        );
    }

    #[test]
    fn the_header_reads_back_what_build_writes() {
        let dir = tempfile::tempdir().unwrap();
        let cast = dir.path().join("x.cast");
        let header = serde_json::json!({
            "version": 2, "width": 80, "height": 24,
            "director": { "hash": "sha256:h", "inputs": inputs() },
        });
        std::fs::write(&cast, format!("{header}\n[0.5, \"o\", \"x\"]\n")).unwrap();
        assert_eq!(recorded(&cast), built("sha256:h", Some(inputs())));
        std::fs::write(&cast, "{\"version\": 2, \"width\": 80, \"height\": 24}\n").unwrap();
        assert_eq!(recorded(&cast), Recorded::NotBuilt);
        std::fs::write(&cast, "old\n").unwrap();
        assert_eq!(recorded(&cast), Recorded::NotBuilt);
        assert_eq!(recorded(&dir.path().join("none.cast")), Recorded::Missing);
    }
}
