//! Failure is a clear message and an untouched OUT, never a half-written file.

mod common;

use std::path::Path;

use common::*;

const PANE: &str = "[[pane]]\nname = \"main\"\nprompt = \"$ \"\n";
/// A cast from an earlier run, which a failed run must leave as it was.
const PREVIOUS: &str = "{\"version\":2,\"width\":80,\"height\":24}\n[0.5, \"o\", \"previous cast\"]\n";

fn stderr(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Records `scene` over an existing OUT and returns the output; asserts OUT
/// kept its bytes and no temporary file was left beside it.
fn record_over_existing(dir: &Path, scene: &str) -> std::process::Output {
    let out = dir.join("out.cast");
    std::fs::write(&out, PREVIOUS).unwrap();
    let (_, output) = record_scene(dir, scene, &[]);
    assert_eq!(std::fs::read_to_string(&out).unwrap(), PREVIOUS, "OUT was touched");
    let leftovers: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");
    output
}

#[test]
fn a_bad_scene_exits_2_with_file_line_and_column() {
    let dir = temp_dir();
    let scene = format!("{PANE}[[step]]\npane = \"mian\"\npause = \"1 fortnight\"\n");
    let output = record_over_existing(dir.path(), &scene);
    assert_eq!(output.status.code(), Some(2));
    let err = stderr(&output);
    let file = dir.path().join("scene.toml");
    assert!(err.contains(&format!("{}:5:8", file.display())), "{err}");
    assert!(
        err.contains("unknown pane \"mian\" (did you mean \"main\"?): the panes are main"),
        "{err}"
    );
    assert!(err.contains(&format!("{}:6:9", file.display())), "{err}");
    assert!(err.contains("pane = \"mian\"\n  |        ^^^^^^"), "{err}");
    assert!(err.contains("2 errors in"), "{err}");
}

#[test]
fn a_toml_syntax_error_exits_2_with_its_place() {
    let dir = temp_dir();
    let output = record_over_existing(dir.path(), &format!("{PANE}[[step]]\nrun = \"unterminated\n"));
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("scene.toml:5:"), "{}", stderr(&output));
}

#[test]
fn an_unexpected_exit_status_names_step_pane_and_status() {
    let dir = temp_dir();
    let scene = format!("{PANE}[[step]]\nrun = \"echo oops >&2; exit 3\"\n[[step]]\nwait.exit = true\n");
    let output = record_over_existing(dir.path(), &scene);
    assert_eq!(output.status.code(), Some(1));
    let err = stderr(&output);
    assert!(err.contains("step 1 (run, line 4) in pane \"main\""), "{err}");
    assert!(err.contains("exited with status 3, expected 0"), "{err}");
    assert!(err.contains("oops"), "the pane's last lines are shown: {err}");
}

#[test]
fn command_not_found_fails_the_step() {
    let dir = temp_dir();
    let scene = format!("{PANE}[[step]]\nrun = \"no-such-command-anywhere\"\n[[step]]\nwait.exit = true\n");
    let output = record_over_existing(dir.path(), &scene);
    assert_eq!(output.status.code(), Some(1));
    let err = stderr(&output);
    assert!(err.contains("exited with status 127"), "{err}");
    assert!(err.contains("not found"), "{err}");
}

#[test]
fn expect_exit_any_accepts_failure() {
    let dir = temp_dir();
    let scene = format!("{PANE}[[step]]\nrun = \"exit 4\"\nexpect_exit = \"any\"\n[[step]]\nwait.exit = true\n");
    let (out, output) = record_scene(dir.path(), &scene, &[]);
    assert_ok(&output);
    assert!(
        Cast::read(&out)
            .final_screen()
            .lines(0, 100, 0..35)
            .ends_with(&["$".to_string()])
    );
}

#[test]
fn a_wait_that_times_out_names_what_it_waited_for() {
    let dir = temp_dir();
    let scene = format!("{PANE}[[step]]\nrun = \"sleep 30\"\n[[step]]\nwait = \"never\"\ntimeout = \"300ms\"\n");
    let started = std::time::Instant::now();
    let output = record_over_existing(dir.path(), &scene);
    assert_eq!(output.status.code(), Some(1));
    let err = stderr(&output);
    assert!(err.contains("step 2 (wait, line 6) in pane \"main\""), "{err}");
    assert!(
        err.contains("timed out after 300ms waiting for the text \"never\""),
        "{err}"
    );
    // The sleeping program was killed rather than waited for.
    assert!(started.elapsed().as_secs() < 20);
}

#[test]
fn a_wait_for_text_fails_at_once_when_the_program_has_exited() {
    let dir = temp_dir();
    let scene = format!("{PANE}[[step]]\nrun = \"true\"\n[[step]]\nwait.exit = true\n[[step]]\nwait = \"never\"\n");
    let output = record_over_existing(dir.path(), &scene);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("no program is running"), "{}", stderr(&output));
}

#[test]
fn run_in_a_busy_pane_is_an_error() {
    let dir = temp_dir();
    let scene = format!("{PANE}[[step]]\nrun = \"sleep 30\"\n[[step]]\nrun = \"echo hi\"\n");
    let output = record_over_existing(dir.path(), &scene);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("still running `sleep 30` (started by step 1)"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn a_missing_scene_file_is_a_usage_error() {
    let dir = temp_dir();
    let out = dir.path().join("out.cast");
    let output = run(&["record", "/nonexistent/scene.toml", out.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("cannot read scene /nonexistent/scene.toml"));
    assert!(!out.exists());
}

#[test]
fn a_missing_output_folder_is_refused_before_recording() {
    let output = run(&["record", "--set", "addr=127.0.0.1:1", "/nonexistent-dir/out.cast"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("cannot write /nonexistent-dir/out.cast: the folder /nonexistent-dir does not exist"),
        "{}",
        stderr(&output)
    );
}
