//! `director build`: re-records exactly the scenes whose content changed;
//! `--check` fails on a stale cast.

mod common;

use std::path::Path;

use common::*;

fn scene(word: &str) -> String {
    format!(
        "deterministic = true\n[[pane]]\nname = \"a\"\nprompt = \"$ \"\n[[step]]\nrun = \"sh say.sh {word}\"\n[[step]]\nwait.exit = true\n"
    )
}

fn build(dir: &Path, extra: &[&str]) -> std::process::Output {
    let mut args = vec!["build", dir.to_str().unwrap()];
    args.extend_from_slice(extra);
    run(&args)
}

fn stderr(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn build_rebuilds_what_changed_and_nothing_else() {
    let dir = temp_dir();
    let d = dir.path();
    std::fs::write(d.join("one.toml"), scene("one")).unwrap();
    std::fs::write(d.join("two.toml"), scene("two")).unwrap();
    std::fs::write(d.join("say.sh"), "echo \"said $1\"\n").unwrap();

    // Nothing recorded yet: both are stale, and --check says so.
    let check = build(d, &["--check"]);
    assert_eq!(check.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&check.stdout).contains("one.cast"));

    let first = build(d, &[]);
    assert_ok(&first);
    assert!(stderr(&first).contains("rebuilt 2 of 2 casts"), "{}", stderr(&first));
    assert_eq!(
        Cast::read(&d.join("one.cast")).final_screen().text(1, 0, 100),
        "said one"
    );
    let header = Cast::read(&d.join("two.cast")).header;
    assert!(header["director"]["hash"].as_str().unwrap().starts_with("sha256:"));
    assert_ok(&build(d, &["--check"]));

    // Unchanged: nothing is recorded, no cast is touched.
    let before = std::fs::metadata(d.join("one.cast")).unwrap().modified().unwrap();
    let again = build(d, &[]);
    assert_ok(&again);
    assert!(stderr(&again).contains("2 casts up to date"), "{}", stderr(&again));
    assert_eq!(
        std::fs::metadata(d.join("one.cast")).unwrap().modified().unwrap(),
        before
    );

    // Editing one scene rebuilds exactly that one.
    std::fs::write(d.join("two.toml"), scene("deux")).unwrap();
    assert_eq!(build(d, &["--check"]).status.code(), Some(1));
    let edited = build(d, &[]);
    assert_ok(&edited);
    assert!(stderr(&edited).contains("rebuilt 1 of 2 casts"), "{}", stderr(&edited));
    assert!(stderr(&edited).contains("two.cast") && !stderr(&edited).contains("one.cast"));
    assert_eq!(
        std::fs::metadata(d.join("one.cast")).unwrap().modified().unwrap(),
        before
    );
    assert_eq!(
        Cast::read(&d.join("two.cast")).final_screen().text(1, 0, 100),
        "said deux"
    );

    // A script the scenes run is part of what they depend on.
    std::fs::write(d.join("say.sh"), "echo \"told $1\"\n").unwrap();
    let check = build(d, &["--check"]);
    assert_eq!(check.status.code(), Some(1));
    assert!(stderr(&check).contains("2 of 2 casts stale"), "{}", stderr(&check));
}

/// A scene whose pane works in `lib/`, so every file there is an input.
fn scene_in_lib(word: &str) -> String {
    format!(
        "deterministic = true\n[[pane]]\nname = \"a\"\ncwd = \"lib\"\nprompt = \"$ \"\n[[step]]\nrun = \"sh say.sh {word}\"\n[[step]]\nwait.exit = true\n"
    )
}

/// What `build --check` says of `one.cast` in `dir`, which must be stale:
/// the text after `stale: …/one.cast: `.
fn why_stale(dir: &Path, extra: &[&str]) -> String {
    let mut args = vec!["--check"];
    args.extend_from_slice(extra);
    let check = build(dir, &args);
    let stdout = String::from_utf8_lossy(&check.stdout).into_owned();
    assert_eq!(check.status.code(), Some(1), "{stdout}{}", stderr(&check));
    let prefix = format!("stale: {}: ", dir.join("one.cast").display());
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 1, "one line per stale cast: {stdout}");
    lines[0]
        .strip_prefix(&prefix)
        .unwrap_or_else(|| panic!("{stdout}"))
        .to_string()
}

/// Rewrites the `director` object of a cast's header.
fn edit_header(cast: &Path, edit: impl FnOnce(&mut serde_json::Value)) {
    let text = std::fs::read_to_string(cast).unwrap();
    let (first, rest) = text.split_once('\n').unwrap();
    let mut header: serde_json::Value = serde_json::from_str(first).unwrap();
    edit(&mut header["director"]);
    std::fs::write(cast, format!("{header}\n{rest}")).unwrap();
}

#[test]
fn check_says_why_each_cast_is_stale() {
    let dir = temp_dir();
    let d = dir.path();
    std::fs::create_dir(d.join("lib")).unwrap();
    std::fs::write(d.join("lib/say.sh"), "echo \"said $1\"\n").unwrap();
    std::fs::write(d.join("one.toml"), scene_in_lib("one")).unwrap();
    let cast = d.join("one.cast");

    assert_eq!(why_stale(d, &[]), "missing");
    let recorded = run(&["record", d.join("one.toml").to_str().unwrap(), cast.to_str().unwrap()]);
    assert_ok(&recorded);
    assert_eq!(why_stale(d, &[]), "not made by build");
    let first = build(d, &[]);
    assert_ok(&first);
    assert!(
        stderr(&first).contains("one.cast (not made by build): "),
        "{}",
        stderr(&first)
    );
    assert_ok(&build(d, &["--check"]));

    // The header records what the cast was made from.
    let inputs = Cast::read(&cast).header["director"]["inputs"].clone();
    assert_eq!(inputs["director"], env!("CARGO_PKG_VERSION"));
    assert!(inputs["scene"].as_str().unwrap().starts_with("sha256:"), "{inputs}");
    assert!(
        inputs["settings"]["--set"].as_str().unwrap().starts_with("sha256:"),
        "{inputs}"
    );
    let files: Vec<&String> = inputs["files"].as_object().unwrap().keys().collect();
    assert_eq!(files, ["lib/say.sh"], "{inputs}");

    // One input at a time, put back before the next.
    std::fs::write(d.join("one.toml"), scene_in_lib("uno")).unwrap();
    assert_eq!(why_stale(d, &[]), "scene changed");
    std::fs::write(d.join("lib/say.sh"), "echo \"told $1\"\n").unwrap();
    assert_eq!(why_stale(d, &[]), "scene changed, lib/say.sh changed");
    std::fs::write(d.join("one.toml"), scene_in_lib("one")).unwrap();
    assert_eq!(why_stale(d, &[]), "lib/say.sh changed");
    std::fs::write(d.join("lib/say.sh"), "echo \"said $1\"\n").unwrap();
    assert_ok(&build(d, &["--check"]));

    assert_eq!(why_stale(d, &["--set", "who=me"]), "settings changed (--set)");
    assert_eq!(why_stale(d, &["--deterministic"]), "settings changed (--deterministic)");
    assert_eq!(
        why_stale(d, &["--speed", "2", "--format", "v3"]),
        "settings changed (--format, --speed)"
    );

    std::fs::write(d.join("lib/notes.txt"), "a note\n").unwrap();
    assert_eq!(why_stale(d, &[]), "lib/notes.txt is new");
    let rebuilt = build(d, &[]);
    assert_ok(&rebuilt);
    assert!(
        stderr(&rebuilt).contains("one.cast (lib/notes.txt is new): "),
        "{}",
        stderr(&rebuilt)
    );
    std::fs::remove_file(d.join("lib/notes.txt")).unwrap();
    assert_eq!(why_stale(d, &[]), "lib/notes.txt was removed");
    assert_ok(&build(d, &[]));
    assert_ok(&build(d, &["--check"]));

    // Another version of director: its hash differs, and so does the
    // version it records.
    edit_header(&cast, |director| {
        director["hash"] = "sha256:made-elsewhere".into();
        director["inputs"]["director"] = "0.0.1".into();
    });
    assert_eq!(
        why_stale(d, &[]),
        format!("made by director 0.0.1, this is {}", env!("CARGO_PKG_VERSION"))
    );
    // A director from before the inputs were recorded.
    edit_header(&cast, |director| {
        director.as_object_mut().unwrap().remove("inputs");
    });
    assert_eq!(why_stale(d, &[]), "made by an older director (no record of its inputs)");
}

#[test]
fn a_failing_scene_fails_the_build_and_keeps_its_old_cast() {
    let dir = temp_dir();
    let d = dir.path();
    std::fs::write(
        d.join("bad.toml"),
        "[[pane]]\nname = \"a\"\n[[step]]\nrun = \"exit 3\"\n[[step]]\nwait.exit = true\n",
    )
    .unwrap();
    let old = "{\"version\":2,\"width\":80,\"height\":24}\n[0.5, \"o\", \"old\"]\n";
    std::fs::write(d.join("bad.cast"), old).unwrap();
    let output = build(d, &["-j", "1"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("bad.toml") && stderr(&output).contains("exited with status 3"),
        "{}",
        stderr(&output)
    );
    assert_eq!(std::fs::read_to_string(d.join("bad.cast")).unwrap(), old);
}

#[test]
fn an_empty_folder_is_a_usage_error() {
    let dir = temp_dir();
    let output = build(dir.path(), &[]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("no scenes"));
}

#[test]
fn the_committed_recordings_are_up_to_date() {
    let recordings = Path::new(env!("CARGO_MANIFEST_DIR")).join("recordings");
    let output = build(&recordings, &["--check"]);
    assert!(
        output.status.success(),
        "re-record with `cargo run --release -- build`:\n{}{}",
        String::from_utf8_lossy(&output.stdout),
        stderr(&output)
    );
}
