//! Snapshot tests of scene errors: every malformed scene in
//! `tests/scenes/invalid/` (`NN-what.toml` or `NN-what.json`, one mistake an
//! author makes per file, a few combining several) is given to
//! `director record SCENE OUT`, which must exit with code 2, print exactly
//! the snapshot `NN-what.stderr` beside the scene, point at a line and column
//! of the scene, and leave OUT and its folder untouched.
//!
//! The scene path is passed relative to the project root, so the snapshots
//! hold no machine paths. All mismatches are collected and reported together,
//! each with an expected/actual diff, so one run shows every broken snapshot.
//!
//! Set `UPDATE_SNAPSHOTS=1` to write the actual stderr into the snapshot files
//! instead of comparing: `UPDATE_SNAPSHOTS=1 cargo test --test invalid_scenes`
//! is the documented way to regenerate them (then read the diff before
//! committing it).
//!
//! Scenes of one 20 KB line are written by the test itself rather than kept
//! in the corpus, where their snapshots would be unreadable.

use std::fmt::Write as _;
use std::path::Path;
use std::process::{Command, Stdio};

/// The corpus, relative to the project root.
const SCENE_DIR: &str = "tests/scenes/invalid";
/// Fewer scenes than this means the corpus was lost, not that all is well.
const MIN_SCENES: usize = 30;
/// What OUT holds before each run; a failed record must leave it alone.
const PREVIOUS_OUT: &[u8] = b"previous recording \x00\xff must survive a failed record\n";
const OUT_NAME: &str = "out.cast";

#[test]
fn invalid_scenes_match_their_stderr_snapshots() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = root.join(SCENE_DIR);
    let update = std::env::var("UPDATE_SNAPSHOTS").is_ok_and(|v| v == "1");

    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|entry| {
            entry
                .expect("directory entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    files.sort();
    let scenes: Vec<&String> = files.iter().filter(|f| is_scene(f)).collect();
    assert!(
        scenes.len() >= MIN_SCENES,
        "only {} scene files in {SCENE_DIR}, expected at least {MIN_SCENES}",
        scenes.len()
    );

    let mut failures: Vec<String> = Vec::new();
    // A snapshot whose scene is gone would otherwise rot unnoticed.
    for file in &files {
        if let Some(stem) = file.strip_suffix(".stderr")
            && !scenes
                .iter()
                .any(|s| s.rsplit_once('.').is_some_and(|(s, _)| s == stem))
        {
            failures.push(format!("{SCENE_DIR}/{file}: snapshot without a scene (delete it)"));
        }
    }

    for name in &scenes {
        let problems = check_scene(root, name, update);
        if !problems.is_empty() {
            failures.push(format!("{SCENE_DIR}/{name}:\n{}", problems.join("\n")));
        }
    }

    assert!(
        failures.is_empty(),
        "{} of {} invalid scenes failed (regenerate snapshots with UPDATE_SNAPSHOTS=1 once the output is right):\n\n{}",
        failures.len(),
        scenes.len(),
        failures.join("\n\n")
    );
}

/// A one-line scene of about 20 KB (minified or generated JSON, a TOML line
/// holding a long string) is echoed as a window around the error, with the
/// caret under the offending text, not as the whole line.
#[test]
fn a_20_kb_line_is_shown_cut_around_the_error() {
    // Each `{"kN":[` opens two levels, so the 129th, one past the limit,
    // is the `{` of "k64"; a unique name shows where the caret points.
    let nested: String = (0..2500).map(|n| format!("{{\"k{n}\":[")).collect();
    let padding = "z".repeat(20_000);
    for (name, text, at) in [
        ("deep.json", format!("{nested}\n"), "{\"k64\":["),
        ("long.toml", format!("title = \"{padding}\" oops = 1\n"), "oops = 1"),
    ] {
        assert!(text.len() >= 20_000 && text.lines().count() == 1);
        let temp = tempfile::tempdir().expect("temporary directory");
        let scene = temp.path().join(name);
        std::fs::write(&scene, &text).expect("write the scene");
        let output = Command::new(env!("CARGO_BIN_EXE_director"))
            .arg("record")
            .arg(&scene)
            .arg(temp.path().join(OUT_NAME))
            .stdin(Stdio::null())
            .output()
            .expect("director runs");
        let stderr = String::from_utf8(output.stderr).expect("stderr is UTF-8");
        assert_eq!(output.status.code(), Some(2), "{name}: {stderr}");
        assert!(
            stderr.lines().all(|l| l.len() < 300),
            "{name}: a line of {} bytes:\n{stderr}",
            stderr.lines().map(str::len).max().unwrap_or(0)
        );
        let lines: Vec<&str> = stderr.lines().collect();
        let source = lines
            .iter()
            .position(|l| l.starts_with("1 | "))
            .expect("the source line");
        let shown = &lines[source]["1 | ".len()..];
        let carets = lines[source + 1].strip_prefix("  | ").expect("the caret line");
        assert!(shown.starts_with('…'), "{name}: the start is cut:\n{stderr}");
        // Every character here is one column wide, the ellipsis included.
        let column = carets.len() - carets.trim_start().len();
        let under: String = shown.chars().skip(column).collect();
        assert!(carets.trim_start().starts_with('^'), "{name}:\n{stderr}");
        assert!(
            under.starts_with(at),
            "{name}: the caret points at {:?}, not {at:?}:\n{stderr}",
            under.chars().take(12).collect::<String>()
        );
    }
}

fn is_scene(file: &str) -> bool {
    Path::new(file)
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e == "toml" || e == "json")
}

/// Runs `director record` on one scene and returns what is wrong, if anything.
fn check_scene(root: &Path, name: &str, update: bool) -> Vec<String> {
    let mut problems = Vec::new();
    let scene = format!("{SCENE_DIR}/{name}");
    let temp = tempfile::tempdir().expect("temporary directory");
    let out = temp.path().join(OUT_NAME);
    std::fs::write(&out, PREVIOUS_OUT).expect("pre-fill OUT");

    let output = Command::new(env!("CARGO_BIN_EXE_director"))
        .current_dir(root)
        .arg("record")
        .arg(&scene)
        .arg(&out)
        .stdin(Stdio::null())
        .output()
        .expect("director runs");

    if output.status.code() != Some(2) {
        problems.push(format!("  exit status {}, expected code 2", output.status));
    }
    let stderr = match String::from_utf8(output.stderr) {
        Ok(s) => s,
        Err(e) => {
            problems.push("  stderr is not UTF-8".to_string());
            String::from_utf8_lossy(e.as_bytes()).into_owned()
        }
    };
    if !output.stdout.is_empty() {
        problems.push(format!(
            "  stdout is not empty: {:?}",
            String::from_utf8_lossy(&output.stdout)
        ));
    }
    if !has_location(&stderr, &scene) {
        problems.push(format!("  stderr names no place `{scene}:LINE:COL`"));
    }
    match std::fs::read(&out) {
        Ok(bytes) if bytes == PREVIOUS_OUT => {}
        Ok(_) => problems.push(format!(
            "  OUT was overwritten: {OUT_NAME} no longer holds its original bytes"
        )),
        Err(e) => problems.push(format!("  OUT is gone: {e}")),
    }
    let mut others: Vec<String> = std::fs::read_dir(temp.path())
        .expect("read the temporary directory")
        .map(|e| e.expect("directory entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n != OUT_NAME)
        .collect();
    if !others.is_empty() {
        others.sort();
        problems.push(format!("  files appeared beside OUT: {}", others.join(", ")));
    }

    let stem = name.rsplit_once('.').map_or(name, |(stem, _)| stem);
    let snapshot = root.join(SCENE_DIR).join(format!("{stem}.stderr"));
    if update {
        if std::fs::read(&snapshot).ok().as_deref() != Some(stderr.as_bytes()) {
            std::fs::write(&snapshot, &stderr).unwrap_or_else(|e| panic!("cannot write {}: {e}", snapshot.display()));
        }
    } else {
        match std::fs::read(&snapshot) {
            Ok(expected) if expected == stderr.as_bytes() => {}
            Ok(expected) => {
                let expected = String::from_utf8_lossy(&expected);
                problems.push(format!(
                    "  stderr differs from {SCENE_DIR}/{stem}.stderr (- expected, + actual):\n{}",
                    diff(&expected, &stderr)
                ));
            }
            Err(e) => problems.push(format!(
                "  cannot read the snapshot {SCENE_DIR}/{stem}.stderr ({e}); the actual stderr is:\n{}",
                indent(&stderr)
            )),
        }
    }
    problems
}

/// Whether `stderr` contains `SCENE:LINE:COL` with numbers for both.
fn has_location(stderr: &str, scene: &str) -> bool {
    let prefix = format!("{scene}:");
    stderr.match_indices(&prefix).any(|(at, _)| {
        let rest = &stderr[at + prefix.len()..];
        let line_digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        let after_line = &rest[line_digits..];
        line_digits > 0
            && after_line.starts_with(':')
            && after_line[1..].bytes().take_while(u8::is_ascii_digit).count() > 0
    })
}

fn indent(text: &str) -> String {
    text.split_inclusive('\n')
        .map(|l| format!("    | {}", show(l)))
        .collect()
}

/// A line for display: its own line break dropped, invisible differences
/// (a carriage return, a missing final newline) spelled out.
fn show(line: &str) -> String {
    let (body, newline) = match line.strip_suffix('\n') {
        Some(body) => (body, true),
        None => (line, false),
    };
    let mut s = body.replace('\r', "\\r");
    if !newline {
        s.push_str("⟨no newline at end⟩");
    }
    s.push('\n');
    s
}

/// A line diff of `expected` and `actual` (longest common subsequence):
/// `-` lines only expected, `+` lines only actual, ` ` lines in both.
fn diff(expected: &str, actual: &str) -> String {
    let a: Vec<&str> = expected.split_inclusive('\n').collect();
    let b: Vec<&str> = actual.split_inclusive('\n').collect();
    // common[i][j]: length of the longest common subsequence of a[i..] and b[j..].
    let mut common = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            common[i][j] = if a[i] == b[j] {
                common[i + 1][j + 1] + 1
            } else {
                common[i + 1][j].max(common[i][j + 1])
            };
        }
    }
    let mut out = String::new();
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        if i < a.len() && j < b.len() && a[i] == b[j] {
            let _ = write!(out, "    {}", show(a[i]));
            i += 1;
            j += 1;
        } else if i < a.len() && (j == b.len() || common[i + 1][j] >= common[i][j + 1]) {
            let _ = write!(out, "  - {}", show(a[i]));
            i += 1;
        } else {
            let _ = write!(out, "  + {}", show(b[j]));
            j += 1;
        }
    }
    out
}
