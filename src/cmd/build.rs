//! `director build [DIR]`: re-record every scene in a folder whose cast is
//! stale, in parallel; `--check` only reports them (for CI).
//!
//! A cast is stale when its header's content hash differs from the scene's
//! now. The hash covers the scene file, the files in its panes' working
//! folders (the scripts it runs), files its commands name, the recording
//! settings and director's version.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Mutex;
use std::time::Instant;

use sha2::{Digest, Sha256};

use super::exit;
use super::record::{Failure, Settings, load, record_to};
use crate::output::Output;
use crate::scene::{Action, Scene};
use crate::signals;
use crate::term::reaper;

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
    /// Only report stale casts; exit 1 if there is one.
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
        let hash = content_hash(&scene_path, &scene, &args.settings);
        let cast_path = scene_path.with_extension("cast");
        entries.push(Entry {
            scene_path,
            cast_path,
            scene,
            hash,
        });
    }
    if invalid {
        return ExitCode::from(exit::USAGE);
    }
    let stale: Vec<&Entry> = entries
        .iter()
        .filter(|e| cast_hash(&e.cast_path).as_deref() != Some(&e.hash))
        .collect();
    if args.check {
        for e in &stale {
            println!(
                "stale: {} (re-record with `director build {}`)",
                e.cast_path.display(),
                args.dir.display()
            );
        }
        if !args.quiet || !stale.is_empty() {
            eprintln!("{} of {} casts stale", stale.len(), entries.len());
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
    reaper::end_descendants(reaper::GRACE);
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
                    let extra = serde_json::json!({ "hash": entry.hash });
                    let result = Output::prepare(&entry.cast_path, args.force, Some(&entry.scene_path))
                        .map_err(Failure::Output)
                        .and_then(|output| record_to(&entry.scene, &args.settings, Some(extra), output));
                    match result {
                        Ok(stats) if !args.quiet => eprintln!(
                            "rebuilt {}: {:.3} s, {} events, in {:.2} s",
                            entry.cast_path.display(),
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

/// The hash a cast's header holds, if it has one.
fn cast_hash(cast: &Path) -> Option<String> {
    let file = std::fs::File::open(cast).ok()?;
    let mut first = String::new();
    std::io::BufRead::read_line(&mut std::io::BufReader::new(file), &mut first).ok()?;
    let header: serde_json::Value = serde_json::from_str(&first).ok()?;
    header["director"]["hash"].as_str().map(str::to_string)
}

/// What a cast depends on: director's version, the settings, the scene
/// file, and the files its panes' folders hold or its commands name.
fn content_hash(scene_path: &Path, scene: &Scene, settings: &Settings) -> String {
    let mut hasher = Sha256::new();
    let mut field = |name: &str, bytes: &[u8]| {
        hasher.update((name.len() as u64).to_le_bytes());
        hasher.update(name.as_bytes());
        hasher.update((bytes.len() as u64).to_le_bytes());
        hasher.update(bytes);
    };
    field("director", env!("CARGO_PKG_VERSION").as_bytes());
    field(
        "settings",
        format!(
            "{:?}",
            (
                &settings.set,
                settings.deterministic,
                settings.grid,
                settings.realtime,
                settings.format,
                settings.speed,
                settings.max_pause
            )
        )
        .as_bytes(),
    );
    field("scene", &std::fs::read(scene_path).unwrap_or_default());
    // Named relative to the scene's folder: the same wherever it is run from.
    let root = scene_root(scene_path);
    for file in referenced_files(scene_path, scene) {
        let name = root.as_deref().and_then(|r| file.strip_prefix(r).ok()).unwrap_or(&file);
        field(&name.to_string_lossy(), &std::fs::read(&file).unwrap_or_default());
    }
    let digest = hasher.finalize();
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    format!("sha256:{hex}")
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
