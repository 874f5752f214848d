//! Every way of stopping `record` and `build` — SIGINT, SIGTERM, SIGHUP,
//! SIGQUIT — ends the same way: every process of every pane gone (programs
//! that ignore SIGHUP and SIGTERM, and the ones they detached with setsid,
//! included), no temporary file, OUT byte for byte as before, exit 128 +
//! the signal.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use common::*;
use rustix::process::Signal;

/// A cast from an earlier run, which an interrupted run must leave as it was.
const PREVIOUS: &[u8] = b"{\"version\":2,\"width\":80,\"height\":24}\n[0.1, \"o\", \"the previous cast\"]\n";

/// Ignores the signals that end a terminal's programs, detaches a second
/// stubborn process into its own session, and runs until killed. Both
/// carry the mark (`$1`) in their command lines.
const STUBBORN: &str = r#"trap '' HUP TERM INT QUIT
setsid sh -c 'trap "" HUP TERM INT QUIT; while :; do sleep 1; done' "$1-detached" &
echo stubborn-ready
while :; do sleep 1; done
"#;

fn scene(mark: &str) -> String {
    format!(
        "[[pane]]\nname = \"a\"\nprompt = \"$ \"\n[[pane]]\nname = \"b\"\nprompt = \"$ \"\n\
         [[step]]\npane = \"a\"\nrun = \"sh stubborn.sh {mark}-a\"\n\
         [[step]]\npane = \"b\"\nrun = \"sh stubborn.sh {mark}-b\"\n\
         [[step]]\nwait.exit = true\ntimeout = \"120s\"\n"
    )
}

/// Living (not zombie) processes whose command line holds `mark`.
fn survivors(mark: &str) -> Vec<(i32, String)> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let Some(pid) = entry.file_name().to_str().and_then(|n| n.parse::<i32>().ok()) else {
            continue;
        };
        let zombie = std::fs::read_to_string(format!("/proc/{pid}/stat"))
            .is_ok_and(|s| s.rsplit(')').next().is_some_and(|r| r.trim_start().starts_with('Z')));
        let cmdline = std::fs::read(format!("/proc/{pid}/cmdline")).unwrap_or_default();
        let cmdline = String::from_utf8_lossy(&cmdline).replace('\0', " ");
        if !zombie && cmdline.contains(mark) {
            found.push((pid, cmdline));
        }
    }
    found
}

/// Waits until `n` detached processes carry `mark`: every pane's program
/// is running and has detached its second one.
fn await_running(mark: &str, n: usize, child: &mut Child) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while survivors(mark).iter().filter(|(_, c)| c.contains("-detached")).count() < n {
        assert!(
            Instant::now() < deadline,
            "the scene did not start: {:?}",
            survivors(mark)
        );
        assert!(child.try_wait().unwrap().is_none(), "director ended before the signal");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Sends `signal` to director and returns its exit code, its stderr and
/// how long it took to end.
fn stop(child: &mut Child, signal: Signal) -> (Option<i32>, String, Duration) {
    let pid = rustix::process::Pid::from_raw(child.id() as i32).unwrap();
    let sent = Instant::now();
    rustix::process::kill_process(pid, signal).unwrap();
    let status = child.wait().unwrap();
    let took = sent.elapsed();
    let mut err = String::new();
    std::io::Read::read_to_string(child.stderr.as_mut().unwrap(), &mut err).unwrap();
    (status.code(), err, took)
}

fn assert_no_survivors(mark: &str) {
    let left = survivors(mark);
    assert!(left.is_empty(), "processes of the scene survived: {left:?}");
}

/// The names in a folder, sorted.
fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

const SIGNALS: [(Signal, &str, i32); 4] = [
    (Signal::INT, "SIGINT", 130),
    (Signal::TERM, "SIGTERM", 143),
    (Signal::HUP, "SIGHUP", 129),
    (Signal::QUIT, "SIGQUIT", 131),
];

fn record_stopped_by(signal: Signal, name: &str, code: i32) {
    let mark = format!("stop-record-{name}-{}", std::process::id());
    let dir = temp_dir();
    let d = dir.path();
    std::fs::write(d.join("stubborn.sh"), STUBBORN).unwrap();
    std::fs::write(d.join("scene.toml"), scene(&mark)).unwrap();
    let out = d.join("out.cast");
    std::fs::write(&out, PREVIOUS).unwrap();
    let mut child = director()
        .args(["record", d.join("scene.toml").to_str().unwrap(), out.to_str().unwrap()])
        .stdin(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    await_running(&mark, 2, &mut child);
    let (status, err, _) = stop(&mut child, signal);
    assert_eq!(status, Some(code), "{err}");
    assert!(
        err.contains(&format!(
            "stopped by {name}; every program was killed and nothing was written"
        )),
        "{err}"
    );
    assert_no_survivors(&mark);
    assert_eq!(std::fs::read(&out).unwrap(), PREVIOUS, "OUT changed");
    assert_eq!(
        names(d),
        ["out.cast", "scene.toml", "stubborn.sh"],
        "a stray file was left"
    );
}

#[test]
fn record_stopped_by_sigint() {
    let (signal, name, code) = SIGNALS[0];
    record_stopped_by(signal, name, code);
}

#[test]
fn record_stopped_by_sigterm() {
    let (signal, name, code) = SIGNALS[1];
    record_stopped_by(signal, name, code);
}

#[test]
fn record_stopped_by_sighup() {
    let (signal, name, code) = SIGNALS[2];
    record_stopped_by(signal, name, code);
}

#[test]
fn record_stopped_by_sigquit() {
    let (signal, name, code) = SIGNALS[3];
    record_stopped_by(signal, name, code);
}

/// Two scenes recording at once (`-j 2`), each with a stale cast.
fn build_stopped_by(signal: Signal, name: &str, code: i32) {
    let mark = format!("stop-build-{name}-{}", std::process::id());
    let dir = temp_dir();
    let d = dir.path();
    std::fs::write(d.join("stubborn.sh"), STUBBORN).unwrap();
    let casts: Vec<PathBuf> = ["one", "two"]
        .iter()
        .map(|n| {
            std::fs::write(d.join(format!("{n}.toml")), scene(&format!("{mark}-{n}"))).unwrap();
            let cast = d.join(format!("{n}.cast"));
            std::fs::write(&cast, PREVIOUS).unwrap();
            cast
        })
        .collect();
    let before = names(d);
    let mut child = director()
        .args(["build", "-j", "2", d.to_str().unwrap()])
        .stdin(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    await_running(&mark, 4, &mut child);
    let (status, err, took) = stop(&mut child, signal);
    assert_eq!(status, Some(code), "{err}");
    assert!(err.contains(&format!("stopped by {name}")), "{err}");
    // The build's own promise is a second; this bound leaves room for a
    // loaded machine without letting a build that waits for its scenes'
    // timeouts (two minutes) pass.
    assert!(took < Duration::from_secs(10), "the build took {took:?} to stop");
    assert_no_survivors(&mark);
    for cast in &casts {
        assert_eq!(std::fs::read(cast).unwrap(), PREVIOUS, "{} changed", cast.display());
    }
    assert_eq!(names(d), before, "a stray file was left");
}

#[test]
fn build_stopped_by_sigint() {
    let (signal, name, code) = SIGNALS[0];
    build_stopped_by(signal, name, code);
}

#[test]
fn build_stopped_by_sigterm() {
    let (signal, name, code) = SIGNALS[1];
    build_stopped_by(signal, name, code);
}

#[test]
fn build_stopped_by_sighup() {
    let (signal, name, code) = SIGNALS[2];
    build_stopped_by(signal, name, code);
}

#[test]
fn build_stopped_by_sigquit() {
    let (signal, name, code) = SIGNALS[3];
    build_stopped_by(signal, name, code);
}
