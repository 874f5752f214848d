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
