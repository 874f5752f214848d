//! Keeping a folder of casts up to date, as a library call: a folder of
//! scenes and the [`Settings`] in; a [`Plan`] (every scene, and why its
//! cast is stale, if it is), then, from [`build`], each stale cast
//! re-recorded beside its scene, or an [`Error`] with a problem per scene
//! that failed.
//!
//! How a cast is found stale — its content hash, and the inputs recorded
//! beside it that say what changed — is [`stale`]'s.

pub mod stale;

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::director::Stats;
use crate::error::{Error, Exit, Failure, Problem, Usage};
use crate::output::Output;
use crate::record::{Extras, Settings, record};
use crate::scene::{self, Scene};
use crate::signals;
use stale::{Reason, Recorded, Stamp};

/// One scene of the folder, and the state of its cast.
pub struct Entry {
    pub scene_path: PathBuf,
    /// Beside the scene, with the same name and the extension `.cast`.
    pub cast_path: PathBuf,
    pub scene: Scene,
    /// What the cast is made from now.
    pub stamp: Stamp,
    /// Why the cast is stale; empty when it is up to date.
    pub why: Vec<Reason>,
}

/// Every scene of a folder, loaded, and how its cast stands.
pub struct Plan {
    pub settings: Settings,
    /// In the order of the scenes' file names.
    pub entries: Vec<Entry>,
}

impl Plan {
    /// Loads every scene (`*.toml`, `*.json`) of `dir` with `settings` and
    /// compares each cast with what it would be made from now. Every
    /// invalid scene is a problem of the error (exit 2).
    pub fn new(dir: &Path, settings: Settings) -> Result<Plan, Error> {
        let scenes = match scene_files(dir) {
            Ok(scenes) if !scenes.is_empty() => scenes,
            Ok(_) => return Err(Usage::NoScenes(dir.to_path_buf()).into()),
            Err(error) => {
                return Err(Usage::Folder {
                    dir: dir.to_path_buf(),
                    error,
                }
                .into());
            }
        };
        let mut entries = Vec::with_capacity(scenes.len());
        let mut invalid = Vec::new();
        for scene_path in scenes {
            let scene = match scene::parse_file(&scene_path, &settings.set) {
                Ok(scene) => scene,
                Err(e) => {
                    invalid.push(Problem {
                        scene: None,
                        failure: e.into(),
                    });
                    continue;
                }
            };
            let stamp = Stamp::new(&scene_path, &scene, &settings);
            let cast_path = scene_path.with_extension("cast");
            let why = stamp.why_stale(&Recorded::read(&cast_path));
            entries.push(Entry {
                scene_path,
                cast_path,
                scene,
                stamp,
                why,
            });
        }
        if !invalid.is_empty() {
            return Err(Error::new(Exit::Usage, invalid));
        }
        Ok(Plan { settings, entries })
    }

    /// The entries whose cast is stale.
    pub fn stale(&self) -> Vec<&Entry> {
        self.entries.iter().filter(|e| !e.why.is_empty()).collect()
    }
}

/// How to re-record: how many at once, and whether a non-cast may be replaced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rebuild {
    /// How many scenes to record at once (at least one).
    pub jobs: usize,
    /// Replace a file in a cast's place even if it is not an asciicast.
    pub force: bool,
}

/// Re-records every stale cast of `plan`, up to `options.jobs` at once,
/// calling `rebuilt` with each cast made, its stats and how long it took.
///
/// Before anything is recorded, every stale scene is checked against the
/// settings and every cast's place against what it holds: a problem there
/// records nothing (exit 2). A scene that fails beside others (two scenes
/// that need the same port) is tried once more alone. A stop signal ends
/// every recording and starts no other.
pub fn build(plan: &Plan, options: &Rebuild, rebuilt: impl Fn(&Entry, Stats, Duration) + Sync) -> Result<(), Error> {
    let stale = plan.stale();
    let mut refused = Vec::new();
    for entry in &stale {
        if let Err(usage) = plan.settings.check(&entry.scene) {
            refused.push(Problem {
                scene: Some(entry.scene_path.clone()),
                failure: usage.into(),
            });
        }
        if let Err(e) = Output::prepare(&entry.cast_path, options.force, Some(&entry.scene_path)) {
            refused.push(Problem {
                scene: None,
                failure: e.into(),
            });
        }
    }
    if !refused.is_empty() {
        return Err(Error::new(Exit::Usage, refused));
    }
    let jobs = options.jobs.max(1);
    let failed = record_all(plan, &stale, options.force, jobs, &rebuilt);
    // Scenes that failed beside others may have fought over a port: once
    // more, alone (not after a stop signal, and not when the cast could not
    // be written).
    let failed: Vec<(&Entry, Error)> = match jobs {
        1 => failed,
        _ => failed
            .into_iter()
            .flat_map(|(entry, error)| match error.failure() {
                Some(Failure::Record(_)) if signals::received().is_none() => {
                    record_all(plan, &[entry], options.force, 1, &rebuilt)
                }
                _ => vec![(entry, error)],
            })
            .collect(),
    };
    if let Some(stop) = signals::received() {
        return Err(Failure::Stopped(stop).into());
    }
    if failed.is_empty() {
        return Ok(());
    }
    let problems = failed
        .into_iter()
        .flat_map(|(entry, error)| {
            error.problems.into_iter().map(|p| Problem {
                scene: Some(entry.scene_path.clone()),
                ..p
            })
        })
        .collect();
    Err(Error::new(Exit::Failed, problems))
}

/// Records `entries` with up to `jobs` at once; returns the failures.
fn record_all<'e>(
    plan: &Plan,
    entries: &[&'e Entry],
    force: bool,
    jobs: usize,
    rebuilt: &(impl Fn(&Entry, Stats, Duration) + Sync),
) -> Vec<(&'e Entry, Error)> {
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
                    let extras = Extras {
                        progress: None,
                        stamp: Some(entry.stamp.header()),
                    };
                    let result = Output::prepare(&entry.cast_path, force, Some(&entry.scene_path))
                        .map_err(Error::from)
                        .and_then(|output| record(&entry.scene, &plan.settings, &extras, output));
                    match result {
                        Ok(stats) => rebuilt(entry, stats, started.elapsed()),
                        Err(error) => {
                            if let Ok(mut f) = failures.lock() {
                                f.push((entry, error));
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
