//! A command line that asks for what director cannot do exits 2 with a
//! message naming the option at fault, and records nothing.

mod common;

use common::*;

const DETERMINISTIC: &str = "deterministic = true\n[[pane]]\nname = \"a\"\n[[step]]\npause = \"10ms\"\n";
const REALTIME: &str = "--realtime cannot record a deterministic scene";

#[test]
fn realtime_with_a_deterministic_scene_is_a_usage_error_in_record() {
    let dir = temp_dir();
    let (out, output) = record_scene(dir.path(), DETERMINISTIC, &["--realtime"]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.starts_with(&format!("error: {REALTIME}")), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(!out.exists());
}

#[test]
fn realtime_with_a_deterministic_scene_is_a_usage_error_in_build() {
    let dir = temp_dir();
    let d = dir.path();
    std::fs::write(d.join("live.toml"), "[[pane]]\nname = \"a\"\n").unwrap();
    std::fs::write(d.join("still.toml"), DETERMINISTIC).unwrap();
    let output = run(&["build", d.to_str().unwrap(), "--realtime"]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(
        stderr,
        format!(
            "error: {}: {REALTIME} (deterministic = true, or --deterministic)\n",
            d.join("still.toml").display()
        )
    );
    // Refused before anything was recorded: not even the scene that could be.
    assert!(!d.join("live.cast").exists() && !d.join("still.cast").exists());
}
