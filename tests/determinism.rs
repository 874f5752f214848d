//! Same scene, same bytes: deterministic recordings are byte-identical run
//! after run; v3 output checks and agrees with v2 on the end time;
//! `--realtime` sleeps and the default does not.

mod common;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use common::*;

fn recording(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("recordings").join(name)
}

/// Records `scene` `runs` times on one fixed free port; returns the casts' bytes.
fn record_runs(scene: Option<&Path>, runs: usize, extra: &[&str]) -> Vec<Vec<u8>> {
    let dir = temp_dir();
    let addr = format!("addr=127.0.0.1:{}", free_port());
    (0..runs)
        .map(|i| {
            let out = dir.path().join(format!("run{i}.cast"));
            let mut args = vec!["record", "--quiet", "--deterministic", "--set", &addr];
            args.extend_from_slice(extra);
            let scene = scene.map(|s| s.to_str().unwrap().to_string());
            if let Some(scene) = &scene {
                args.push(scene);
            }
            let out_arg = out.to_str().unwrap().to_string();
            args.push(&out_arg);
            let output = director().args(&args).env_remove("SOURCE_DATE_EPOCH").output().unwrap();
            assert_ok(&output);
            std::fs::read(&out).unwrap()
        })
        .collect()
}

fn assert_identical(casts: &[Vec<u8>], what: &str) {
    for (i, cast) in casts.iter().enumerate().skip(1) {
        if cast != &casts[0] {
            let a = String::from_utf8_lossy(&casts[0]);
            let b = String::from_utf8_lossy(cast);
            let first = a.lines().zip(b.lines()).position(|(x, y)| x != y);
            let line = first.map(|n| {
                format!(
                    "line {}:\n  {}\n  {}",
                    n + 1,
                    a.lines().nth(n).unwrap(),
                    b.lines().nth(n).unwrap()
                )
            });
            panic!(
                "{what}: run {} differs from run 1 at {}",
                i + 1,
                line.unwrap_or_else(|| "the end".into())
            );
        }
    }
}

#[test]
fn the_builtin_scene_records_the_same_bytes_five_times() {
    let casts = record_runs(None, 5, &[]);
    assert_identical(&casts, "built-in TCP scene");
    let text = String::from_utf8(casts[0].clone()).unwrap();
    // No wall-clock time anywhere: no timestamp, no clock in the status line.
    assert!(!text.lines().next().unwrap().contains("timestamp"));
    // The ephemeral client port is redacted by the scene.
    assert!(text.contains("Connected by 127.0.0.1:54321"));
}

#[test]
fn the_python_scene_records_the_same_bytes_five_times() {
    assert_identical(&record_runs(Some(&recording("python.toml")), 5, &[]), "Python scene");
}

#[test]
fn the_three_pane_scene_records_the_same_bytes_five_times() {
    assert_identical(
        &record_runs(Some(&recording("three-panes.toml")), 5, &[]),
        "three-pane scene",
    );
}

#[test]
fn source_date_epoch_sets_the_timestamp_and_the_status_clock() {
    let dir = temp_dir();
    let out = dir.path().join("out.cast");
    let addr = format!("addr=127.0.0.1:{}", free_port());
    let output = director()
        .args(["record", "--quiet", "--set", &addr, out.to_str().unwrap()])
        .env("SOURCE_DATE_EPOCH", "1700000000")
        .output()
        .unwrap();
    assert_ok(&output);
    let cast = Cast::read(&out);
    assert_eq!(cast.header["timestamp"], 1_700_000_000);
    // 1700000000 is 2023-11-14 22:13 UTC.
    assert!(
        cast.final_screen().text(35, 0, 100).ends_with("22:13 14-Nov-23"),
        "{}",
        cast.final_screen().text(35, 0, 100)
    );
}

fn times(text: &str) -> Vec<f64> {
    Cast::parse(text).events.iter().map(|e| e.0).collect()
}

#[test]
fn v3_output_checks_and_its_intervals_sum_to_the_v2_end() {
    let v2 = record_runs(None, 1, &[]).remove(0);
    let v3 = record_runs(None, 1, &["--format", "v3"]).remove(0);
    let (v2, v3) = (String::from_utf8(v2).unwrap(), String::from_utf8(v3).unwrap());
    let dir = temp_dir();
    let path = dir.path().join("v3.cast");
    std::fs::write(&path, &v3).unwrap();
    let check = run(&["check", path.to_str().unwrap()]);
    assert_ok(&check);
    assert!(String::from_utf8_lossy(&check.stdout).contains("asciicast v3, 100x36"));
    let header: serde_json::Value = serde_json::from_str(v3.lines().next().unwrap()).unwrap();
    assert_eq!(header["term"]["cols"], 100);
    assert_eq!(header["term"]["type"], "xterm-256color");
    assert!(
        v3.lines().last().unwrap().contains(r#""x", "0"]"#),
        "ends with the exit event"
    );
    let end_v2 = *times(&v2).last().unwrap();
    let sum_v3: f64 = times(&v3).iter().sum();
    assert!(
        (end_v2 - sum_v3).abs() < 0.001,
        "v2 ends at {end_v2}, v3 intervals sum to {sum_v3}"
    );
}

#[test]
fn speed_and_max_pause_compress_the_timeline() {
    let normal = times(&String::from_utf8(record_runs(None, 1, &[]).remove(0)).unwrap());
    let fast =
        times(&String::from_utf8(record_runs(None, 1, &["--speed", "2", "--max-pause", "0.5s"]).remove(0)).unwrap());
    assert_eq!(normal.len(), fast.len());
    for (n, f) in normal.windows(2).zip(fast.windows(2)) {
        let expected = (n[1] - n[0]).min(0.5) / 2.0;
        assert!(
            (f[1] - f[0] - expected).abs() < 2e-6,
            "gap {} became {}, not {expected}",
            n[1] - n[0],
            f[1] - f[0]
        );
    }
}

#[test]
fn realtime_sleeps_for_scripted_delays_and_the_default_does_not() {
    let scene =
        "[[pane]]\nname = \"a\"\n[[step]]\ntype = \"abcdefghij\"\ndelay = \"100ms\"\n[[step]]\npause = \"1s\"\n";
    let timed = |extra: &[&str]| {
        let dir = temp_dir();
        let started = Instant::now();
        let (out, output) = record_scene(dir.path(), scene, extra);
        assert_ok(&output);
        (started.elapsed(), Cast::read(&out).end())
    };
    let (wall, cast_end) = timed(&["--realtime"]);
    assert!(cast_end >= 2.0, "the cast holds the scripted 2 s: {cast_end}");
    assert!(
        wall >= Duration::from_secs(2),
        "--realtime took {wall:?} for 2 s of scripted delays"
    );
    let (wall, cast_end) = timed(&[]);
    assert!(cast_end >= 2.0);
    assert!(wall < Duration::from_secs(2), "the default slept: {wall:?}");
}

#[test]
fn realtime_and_deterministic_do_not_mix() {
    let output = run(&["record", "--realtime", "--deterministic", "out.cast"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("cannot be used with"));
}
