//! Whether a cast is stale, and why.
//!
//! In: a scene file, its [`Scene`] and the [`Settings`]; a cast's header.
//! Out: a [`Stamp`] — the content hash of what the cast is made from, and
//! a digest of each input — and the [`Reason`]s a cast's header differs
//! from it.
//!
//! A cast is stale when its header's content hash differs from the scene's
//! now. The hash covers director's version, the recording settings, the
//! scene file, the files in its panes' working folders (the scripts it
//! runs) and files its commands name.
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
//! A digest is the SHA-256 of the input's bytes; a setting's bytes are its
//! value written as [`settings_by_flag`] says, so that neither digest nor
//! hash changes unless the value does. Files are named relative to the
//! scene's folder. Settings are kept as digests, not values, because
//! `--set` may carry a secret. The `hash` alone decides whether a cast is
//! stale; `inputs` only explains a difference.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::asciicast::Version;
use crate::asciicast::read::read_header;
use crate::record::Settings;
use crate::scene::{Action, Scene};

/// Files looked at in one pane folder, at most: a folder that large is not
/// a scene's scripts.
const MAX_FILES: usize = 2000;

/// What a cast is made from: the content hash, and the inputs it covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stamp {
    pub hash: String,
    pub inputs: Inputs,
}

/// What a cast was made from: the `inputs` of its header (see the module
/// documentation).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Inputs {
    /// director's version.
    pub director: String,
    /// A digest per recording option, by its flag.
    pub settings: BTreeMap<String, String>,
    /// The scene file's digest.
    pub scene: String,
    /// The digest of each file the scene uses, by its name relative to the
    /// scene's folder.
    pub files: BTreeMap<String, String>,
}

/// What a cast's header says of how it was made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Recorded {
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
pub enum Reason {
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
pub fn explain(reasons: &[Reason]) -> String {
    reasons.iter().map(Reason::to_string).collect::<Vec<_>>().join(", ")
}

impl Recorded {
    /// What the header of the cast at `cast` says of how it was made.
    pub fn read(cast: &Path) -> Recorded {
        let file = match std::fs::File::open(cast) {
            Ok(file) => file,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Recorded::Missing,
            Err(e) => return Recorded::Unreadable(e.to_string()),
        };
        let mut first = Vec::new();
        if let Err(e) = std::io::BufRead::read_until(&mut std::io::BufReader::new(file), b'\n', &mut first) {
            return Recorded::Unreadable(e.to_string());
        }
        let stamp = read_header(&first).ok().and_then(|header| header.director);
        match stamp.as_ref().and_then(|d| d["hash"].as_str()) {
            Some(hash) => Recorded::Built {
                hash: hash.to_string(),
                inputs: stamp
                    .as_ref()
                    .and_then(|d| serde_json::from_value(d["inputs"].clone()).ok()),
            },
            None => Recorded::NotBuilt,
        }
    }
}

impl Stamp {
    /// What a cast of the scene at `scene_path` depends on: director's
    /// version, the settings, the scene file, and the files its panes'
    /// folders hold or its commands name.
    pub fn new(scene_path: &Path, scene: &Scene, settings: &Settings) -> Stamp {
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
        for (flag, value) in settings_by_flag(settings) {
            field(flag, value.as_bytes());
            inputs.settings.insert(flag.to_string(), digest(value.as_bytes()));
        }
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
        Stamp {
            hash: format!("sha256:{}", hex(&hasher.finalize())),
            inputs,
        }
    }

    /// The header's `director` object for a cast made now.
    pub fn header(&self) -> serde_json::Value {
        serde_json::json!({ "hash": self.hash, "inputs": self.inputs })
    }

    /// Why a cast recorded as `recorded` is stale; empty when it is up to
    /// date.
    pub fn why_stale(&self, recorded: &Recorded) -> Vec<Reason> {
        let now = &self.inputs;
        let (was_hash, was) = match recorded {
            Recorded::Missing => return vec![Reason::Missing],
            Recorded::Unreadable(e) => return vec![Reason::Unreadable(e.clone())],
            Recorded::NotBuilt => return vec![Reason::NotBuilt],
            Recorded::Built { hash: was_hash, inputs } => (was_hash, inputs),
        };
        if *was_hash == self.hash {
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
}

/// `sha256:` and the hex SHA-256 of `bytes`.
fn digest(bytes: &[u8]) -> String {
    format!("sha256:{}", hex(&Sha256::digest(bytes)))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Each recording option by its flag, its value written by a function of
/// its own, in the order the content hash takes them. What each writes is
/// part of every built cast's hash: changing it makes every cast stale.
pub fn settings_by_flag(settings: &Settings) -> [(&'static str, String); 7] {
    [
        ("--set", vars(&settings.set)),
        ("--deterministic", switch(settings.deterministic)),
        ("--grid", duration(settings.grid)),
        ("--realtime", switch(settings.realtime)),
        ("--format", format(settings.format)),
        ("--speed", speed(settings.speed)),
        ("--max-pause", duration(settings.max_pause)),
    ]
}

/// `--set`: the pairs in the order given, as a JSON array of `[KEY,
/// VALUE]` arrays (JSON, so that no key or value can pass for another).
fn vars(set: &[(String, String)]) -> String {
    serde_json::Value::from(set.iter().map(|(k, v)| serde_json::json!([k, v])).collect::<Vec<_>>()).to_string()
}

/// A switch: `on` or `off`.
fn switch(on: bool) -> String {
    if on { "on" } else { "off" }.to_string()
}

/// A duration in whole nanoseconds with the unit, e.g. `50000000ns`;
/// `none` when the option is not given.
fn duration(d: Option<Duration>) -> String {
    d.map_or("none".to_string(), |d| format!("{}ns", d.as_nanos()))
}

/// The asciicast version as the flag takes it: `v2` or `v3`.
fn format(version: Version) -> String {
    match version {
        Version::V2 => "v2",
        Version::V3 => "v3",
    }
    .to_string()
}

/// A speed factor as the shortest decimal that reads back as the same
/// number, e.g. `1`, `2.5`.
fn speed(factor: f64) -> String {
    factor.to_string()
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
    use super::*;

    #[test]
    fn each_setting_is_written_as_its_function_says() {
        // These bytes are part of every built cast's hash: a change here
        // makes every cast stale, so it must be one made on purpose.
        let settings = Settings {
            set: vec![("addr".into(), "127.0.0.1:5001".into()), ("a=b".into(), "\"c\"".into())],
            deterministic: true,
            grid: Some(Duration::from_millis(100)),
            realtime: false,
            format: Version::V3,
            speed: 2.5,
            max_pause: None,
        };
        assert_eq!(
            settings_by_flag(&settings),
            [
                ("--set", r#"[["addr","127.0.0.1:5001"],["a=b","\"c\""]]"#.to_string()),
                ("--deterministic", "on".into()),
                ("--grid", "100000000ns".into()),
                ("--realtime", "off".into()),
                ("--format", "v3".into()),
                ("--speed", "2.5".into()),
                ("--max-pause", "none".into()),
            ]
        );
        let defaults: Vec<String> = settings_by_flag(&Settings::default())
            .into_iter()
            .map(|(_, v)| v)
            .collect();
        assert_eq!(defaults, ["[]", "off", "none", "off", "v2", "1", "none"]);
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

    /// Why a cast recorded as `recorded` is stale for a scene whose hash is
    /// now `hash` and inputs `now`.
    fn reasons(recorded: &Recorded, hash: &str, now: &Inputs) -> Vec<Reason> {
        let stamp = Stamp {
            hash: hash.into(),
            inputs: now.clone(),
        };
        stamp.why_stale(recorded)
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
        let stamp = Stamp {
            hash: "sha256:h".into(),
            inputs: inputs(),
        };
        let mut header = serde_json::json!({ "version": 2, "width": 80, "height": 24 });
        header["director"] = stamp.header();
        std::fs::write(&cast, format!("{header}\n[0.5, \"o\", \"x\"]\n")).unwrap();
        assert_eq!(Recorded::read(&cast), built("sha256:h", Some(inputs())));
        std::fs::write(&cast, "{\"version\": 2, \"width\": 80, \"height\": 24}\n").unwrap();
        assert_eq!(Recorded::read(&cast), Recorded::NotBuilt);
        std::fs::write(&cast, "old\n").unwrap();
        assert_eq!(Recorded::read(&cast), Recorded::NotBuilt);
        assert_eq!(Recorded::read(&dir.path().join("none.cast")), Recorded::Missing);
    }
}
