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

/// Living processes whose command line holds `mark`.
fn survivors(mark: &str) -> Vec<(i32, String)> {
    living_processes()
        .into_iter()
        .map(|p| (p.pid, String::from_utf8_lossy(&p.cmdline).replace('\0', " ")))
        .filter(|(_, cmdline)| cmdline.contains(mark))
        .collect()
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

/// Runs `director ARGS` until `detached` processes carry `mark`, then
/// sends `signal`; returns director's exit code, its stderr and how long it
/// took to end after the signal.
fn run_then_stop(args: &[&str], mark: &str, detached: usize, signal: Signal) -> (Option<i32>, String, Duration) {
    let mut child = director()
        .args(args)
        .stdin(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    await_running(mark, detached, &mut child);
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

/// A test per command and signal.
macro_rules! stopped_by {
    ($($test:ident: $command:ident, $signal:expr, $name:literal, $code:literal;)*) => {
        $(#[test]
        fn $test() {
            $command($signal, $name, $code);
        })*
    };
}

stopped_by! {
    record_stopped_by_sigint: record_stopped_by, Signal::INT, "SIGINT", 130;
    record_stopped_by_sigterm: record_stopped_by, Signal::TERM, "SIGTERM", 143;
    record_stopped_by_sighup: record_stopped_by, Signal::HUP, "SIGHUP", 129;
    record_stopped_by_sigquit: record_stopped_by, Signal::QUIT, "SIGQUIT", 131;
    build_stopped_by_sigint: build_stopped_by, Signal::INT, "SIGINT", 130;
    build_stopped_by_sigterm: build_stopped_by, Signal::TERM, "SIGTERM", 143;
    build_stopped_by_sighup: build_stopped_by, Signal::HUP, "SIGHUP", 129;
    build_stopped_by_sigquit: build_stopped_by, Signal::QUIT, "SIGQUIT", 131;
}

fn record_stopped_by(signal: Signal, name: &str, code: i32) {
    let mark = format!("stop-record-{name}-{}", std::process::id());
    let dir = temp_dir();
    let d = dir.path();
    std::fs::write(d.join("stubborn.sh"), STUBBORN).unwrap();
    std::fs::write(d.join("scene.toml"), scene(&mark)).unwrap();
    let out = d.join("out.cast");
    std::fs::write(&out, PREVIOUS).unwrap();
    let scene = d.join("scene.toml");
    let args = ["record", scene.to_str().unwrap(), out.to_str().unwrap()];
    let (status, err, _) = run_then_stop(&args, &mark, 2, signal);
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
    let (status, err, took) = run_then_stop(&["build", "-j", "2", d.to_str().unwrap()], &mark, 4, signal);
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
