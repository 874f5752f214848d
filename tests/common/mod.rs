//! Shared helpers for the integration tests: run the real binary, read a
//! cast, replay it in avt (asciinema-player's emulator; the recorder's
//! panes use the vt100 crate, and edit's own check searches only what each
//! event changed, where these helpers read every row).

#![allow(dead_code)]

pub mod svg;
pub mod tmux;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The `director` binary under test.
pub fn director() -> Command {
    Command::new(env!("CARGO_BIN_EXE_director"))
}

/// Runs `director ARGS` and returns its output.
pub fn run(args: &[&str]) -> Output {
    director().args(args).output().expect("director runs")
}

/// Writes a v2 cast of `cols`x`rows` with `events` (time in seconds,
/// output) as `dir/name`.
pub fn write_cast(dir: &Path, name: &str, (cols, rows): (u16, u16), events: &[(f64, &str)]) -> PathBuf {
    let path = dir.join(name);
    let mut lines = vec![serde_json::json!({"version": 2, "width": cols, "height": rows}).to_string()];
    lines.extend(events.iter().map(|(t, o)| serde_json::json!([t, "o", o]).to_string()));
    std::fs::write(&path, lines.join("\n") + "\n").unwrap();
    path
}

/// `count` full 100x36 screens of coloured letters, each starting with
/// `head` at the top left: much to draw and replay.
pub fn colour_screens(count: usize, head: &str) -> Vec<String> {
    (0..count)
        .map(|i| {
            let row: String = (0..100)
                .map(|c| format!("\x1b[38;5;{}m{}", (i + c) % 256, (b'a' + (c % 26) as u8) as char))
                .collect();
            format!("\x1b[H{head}{}", [row.as_str(); 36].join("\r\n"))
        })
        .collect()
}

/// Sends SIGTERM to `child` after `after` and checks that it stopped as a
/// stop signal asks: exit 128+15, its error on standard error, and nothing
/// left in `dir` but `kept` (no OUT, no temporary file).
pub fn stop_leaves_only(child: std::process::Child, after: std::time::Duration, dir: &Path, kept: &str) {
    std::thread::sleep(after);
    rustix::process::kill_process(rustix::process::Pid::from_child(&child), rustix::process::Signal::TERM).unwrap();
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(143), "{}", stderr(&o));
    let left: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name())
        .collect();
    assert_eq!(left, [std::ffi::OsString::from(kept)]);
}

/// A loopback port that was free a moment ago.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A fresh temporary directory.
pub fn temp_dir() -> tempfile::TempDir {
    tempfile::tempdir().expect("temp dir")
}

/// Records the built-in scene on a free port into `dir/out.cast`.
pub fn record_builtin(dir: &Path) -> (PathBuf, Output) {
    let out = dir.join("out.cast");
    let addr = format!("addr=127.0.0.1:{}", free_port());
    let output = run(&["record", "--set", &addr, out.to_str().unwrap()]);
    (out, output)
}

/// Records a scene given as text.
pub fn record_scene(dir: &Path, scene: &str, extra: &[&str]) -> (PathBuf, Output) {
    let scene_path = dir.join("scene.toml");
    std::fs::write(&scene_path, scene).unwrap();
    let out = dir.join("out.cast");
    let mut args = vec!["record", scene_path.to_str().unwrap(), out.to_str().unwrap()];
    args.extend_from_slice(extra);
    (out.clone(), run(&args))
}

/// Records a scene whose steps run `sh script.sh`, with `script` written
/// beside it (a file keeps printf's escapes and traps out of the TOML);
/// asserts success and returns the cast, parsed and as text.
pub fn record_with_script(scene: &str, script: &str) -> (Cast, String) {
    let dir = temp_dir();
    std::fs::write(dir.path().join("script.sh"), script).unwrap();
    let (out, output) = record_scene(dir.path(), scene, &[]);
    assert_ok(&output);
    (Cast::read(&out), std::fs::read_to_string(&out).unwrap())
}

/// Asserts a command succeeded, showing its stderr otherwise.
pub fn assert_ok(output: &Output) {
    assert!(
        output.status.success(),
        "exit {:?}\nstdout: {}\nstderr: {}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

/// A parsed asciicast v2 file.
pub struct Cast {
    pub header: serde_json::Value,
    pub events: Vec<(f64, String, String)>,
}

impl Cast {
    pub fn read(path: &Path) -> Self {
        Self::parse(&std::fs::read_to_string(path).expect("cast is UTF-8"))
    }

    /// A cast's text (v2, or v3 with intervals for times).
    pub fn parse(text: &str) -> Self {
        let mut lines = text.lines();
        let header = serde_json::from_str(lines.next().expect("header")).expect("header is JSON");
        let events = lines
            .map(|l| {
                let v: serde_json::Value = serde_json::from_str(l).expect("event is JSON");
                (
                    v[0].as_f64().unwrap(),
                    v[1].as_str().unwrap().to_string(),
                    v[2].as_str().unwrap().to_string(),
                )
            })
            .collect();
        Self { header, events }
    }

    pub fn size(&self) -> (usize, usize) {
        (
            self.header["width"].as_u64().unwrap() as usize,
            self.header["height"].as_u64().unwrap() as usize,
        )
    }

    /// All output data, concatenated.
    pub fn output(&self) -> String {
        self.events
            .iter()
            .filter(|e| e.1 == "o")
            .map(|e| e.2.as_str())
            .collect()
    }

    /// Time of the first output event whose data contains `needle`.
    pub fn time_of(&self, needle: &str) -> f64 {
        self.events
            .iter()
            .find(|e| e.1 == "o" && e.2.contains(needle))
            .unwrap_or_else(|| panic!("no event contains {needle:?}"))
            .0
    }

    /// The screen after replaying every output event in avt.
    pub fn final_screen(&self) -> Screen {
        let (cols, rows) = self.size();
        Screen::of(cols, rows, &self.output())
    }

    /// The screen after replaying the output events up to time `t`.
    pub fn screen_at(&self, t: f64) -> Screen {
        let (cols, rows) = self.size();
        let text: String = self
            .events
            .iter()
            .filter(|e| e.1 == "o" && e.0 <= t)
            .map(|e| e.2.as_str())
            .collect();
        Screen::of(cols, rows, &text)
    }

    /// The last event's time.
    pub fn end(&self) -> f64 {
        self.events.last().map_or(0.0, |e| e.0)
    }
}

/// A replayed screen, as rows of characters (one per cell).
pub struct Screen {
    pub rows: Vec<Vec<char>>,
    vt: avt::Terminal,
}

impl Screen {
    /// A `cols`x`rows` screen after `text`, replayed in avt.
    pub fn of(cols: usize, rows: usize, text: &str) -> Self {
        let mut vt = avt::Terminal::new(cols, rows).unwrap();
        vt.feed(text);
        let rows = vt
            .screen()
            .visible_lines()
            .map(|l| l.chars().collect::<Vec<char>>())
            .collect();
        Screen { rows, vt }
    }

    /// A cell's colours and attributes: foreground, background, then bold,
    /// faint, italic, underline, inverse.
    pub fn pen(&self, row: usize, col: usize) -> (Option<avt::Color>, Option<avt::Color>, [bool; 5]) {
        let line = self.vt.screen().visible_lines().nth(row).unwrap();
        let pen = line.cells()[col].pen();
        (
            pen.foreground(),
            pen.background(),
            [
                pen.is_bold(),
                pen.is_faint(),
                pen.is_italic(),
                pen.is_underline(),
                pen.is_inverse(),
            ],
        )
    }

    /// Text of `row` (0-based) between 0-based columns `from..to`, trailing spaces trimmed.
    pub fn text(&self, row: usize, from: usize, to: usize) -> String {
        self.rows[row][from..to]
            .iter()
            .collect::<String>()
            .trim_end()
            .to_string()
    }

    /// Non-empty lines of a column range, top to bottom.
    pub fn lines(&self, from: usize, to: usize, rows: std::ops::Range<usize>) -> Vec<String> {
        rows.map(|r| self.text(r, from, to)).filter(|l| !l.is_empty()).collect()
    }

    /// The foreground colour and boldness of a cell.
    pub fn style(&self, row: usize, col: usize) -> (Option<avt::Color>, bool) {
        let line = self.vt.screen().visible_lines().nth(row).unwrap();
        let pen = line.cells()[col].pen();
        (pen.foreground(), pen.is_bold())
    }

    /// The background colour of a cell.
    pub fn background(&self, row: usize, col: usize) -> Option<avt::Color> {
        let line = self.vt.screen().visible_lines().nth(row).unwrap();
        line.cells()[col].pen().background()
    }

    pub fn dump(&self) -> String {
        self.rows
            .iter()
            .map(|r| r.iter().collect::<String>())
            .collect::<Vec<_>>()
            .join("\n")
    }
}

/// A process of this machine, as `/proc` shows it.
pub struct Process {
    pub pid: i32,
    /// NUL-separated arguments.
    pub cmdline: Vec<u8>,
    /// NUL-separated `NAME=value` pairs.
    pub environ: Vec<u8>,
}

/// Every living (not zombie) process.
pub fn living_processes() -> Vec<Process> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let Some(pid) = entry.file_name().to_str().and_then(|n| n.parse::<i32>().ok()) else {
            continue;
        };
        let zombie = std::fs::read_to_string(format!("/proc/{pid}/stat"))
            .is_ok_and(|s| s.rsplit(')').next().is_some_and(|r| r.trim_start().starts_with('Z')));
        if !zombie {
            found.push(Process {
                pid,
                cmdline: std::fs::read(format!("/proc/{pid}/cmdline")).unwrap_or_default(),
                environ: std::fs::read(format!("/proc/{pid}/environ")).unwrap_or_default(),
            });
        }
    }
    found
}

/// What a run printed on stderr.
pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}
