//! vim, less and htop, recorded in a director pane, end on the picture a
//! tmux pane of the same size shows after the same keys: the same text in
//! every cell, and the same colours and attributes, both read by avt.
//!
//! Each program runs with the same environment on both sides (`env -i`),
//! in a folder of the test's own; a step waits for the program to be
//! ready before the keys, and the picture is taken once it has settled.
//! tmux's picture is read with `capture-pane -p -e -N`, which gives no
//! attributes for the blank cells past a row's last written one: those
//! are compared by text, and must not be underlined or inverse, which a
//! cell tmux erased never is.

mod common;

use std::path::Path;
use std::time::{Duration, Instant};

use common::tmux::Tmux;
use common::*;

const COLS: usize = 80;
const ROWS: usize = 24;

/// A key pressed, or text typed.
#[derive(Clone, Copy)]
enum Input {
    Text(&'static str),
    /// A key, by director's name and by tmux's.
    Key(&'static str, &'static str),
}

use Input::{Key, Text};

struct Case {
    /// The program's command line, run in the case's folder.
    program: &'static str,
    /// What the program shows once it is ready for keys.
    ready: &'static str,
    inputs: &'static [Input],
    /// A change of the program's pane size after the keys: the program
    /// then starts in the left half, a second pane on its right.
    change: Option<Change>,
}

/// How the program's pane changes size after the keys.
#[derive(Clone, Copy)]
enum Change {
    /// Made this many columns wide (`resize-pane -x`).
    Resize(u16),
    /// Zoomed to the whole window (`resize-pane -Z`).
    Zoom,
}

impl Change {
    /// How many columns of the program's pane are compared.
    fn cols(change: Option<Change>) -> usize {
        match change {
            Some(Change::Resize(cols)) => usize::from(cols),
            Some(Change::Zoom) | None => COLS,
        }
    }
}

/// The command line both sides run: the program with the same
/// environment, whoever runs it.
fn command(dir: &Path, program: &str) -> String {
    format!(
        "env -i HOME='{}' PATH=/usr/local/bin:/usr/bin:/bin TERM=xterm-256color LANG=C.UTF-8 {program}",
        dir.display()
    )
}

/// The picture of `case` recorded by director.
fn in_director(dir: &Path, case: &Case) -> Screen {
    let side = match case.change {
        Some(_) => "[[pane]]\nname = \"side\"\n",
        None => "",
    };
    let mut scene = format!(
        "[terminal]\ncols = {COLS}\nrows = {ROWS}\nstatus = false\n\
         [[pane]]\nname = \"p\"\nprompt = \"$ \"\ncwd = {:?}\n{side}\
         [[step]]\npane = \"p\"\nrun = {:?}\n[[step]]\nwait = {:?}\ntimeout = \"10s\"\n",
        dir,
        command(dir, case.program),
        case.ready
    );
    for input in case.inputs {
        match input {
            Text(text) => scene.push_str(&format!("[[step]]\ntype = {text:?}\n")),
            Key(key, _) => scene.push_str(&format!("[[step]]\nkeys = {key:?}\n")),
        }
    }
    match case.change {
        Some(Change::Resize(cols)) => scene.push_str(&format!("[[step]]\nresize = {{ cols = {cols} }}\n")),
        Some(Change::Zoom) => scene.push_str("[[step]]\nzoom = true\n"),
        None => {}
    }
    scene.push_str("[[step]]\npause = \"1s\"\n");
    let (out, output) = record_scene(dir, &scene, &[]);
    assert_ok(&output);
    Cast::read(&out).final_screen()
}

/// The picture of `case` in a tmux pane, and how many cells of each row
/// the capture covers.
fn in_tmux(dir: &Path, case: &Case) -> (Screen, Vec<usize>) {
    // A pane of director's default colours, which tmux then reports to
    // a program that asks (vim picks its colours by the background's).
    let tmux = Tmux::with_config("set -g window-style 'fg=#cccccc,bg=#121314'\n");
    let rows = ROWS.to_string();
    let command = command(dir, case.program);
    tmux.run(&[
        "new-session",
        "-d",
        "-x",
        &COLS.to_string(),
        "-y",
        &rows,
        "-c",
        &dir.display().to_string(),
        &command,
    ]);
    let first = tmux.run(&["display", "-p", "#{pane_id}"]).trim().to_string();
    if case.change.is_some() {
        tmux.run(&["split-window", "-h", "-d", "sleep 600"]);
    }
    let capture = || tmux.run(&["capture-pane", "-p", "-e", "-N", "-t", &first]);
    let start = Instant::now();
    while !capture().contains(case.ready) {
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "tmux: never ready:\n{}",
            capture()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    for input in case.inputs {
        match input {
            Text(text) => tmux.run(&["send-keys", "-l", text]),
            Key(_, key) => tmux.run(&["send-keys", key]),
        };
        std::thread::sleep(Duration::from_millis(300));
    }
    if case.change.is_some() {
        // A program that has just drawn may not yet watch for a new size
        // (htop misses a SIGWINCH in its first moments and redraws only at
        // its next refresh): let it settle, as director's steps do.
        std::thread::sleep(Duration::from_millis(500));
    }
    match case.change {
        Some(Change::Resize(cols)) => tmux.run(&["resize-pane", "-t", &first, "-x", &cols.to_string()]),
        Some(Change::Zoom) => tmux.run(&["resize-pane", "-Z", "-t", &first]),
        None => String::new(),
    };
    std::thread::sleep(Duration::from_secs(1));
    let capture = capture();
    let sgr = regex::Regex::new("\x1b\\[[0-9;:]*m").unwrap();
    let mut replay = String::new();
    let mut covered = Vec::new();
    for (row, line) in capture.lines().enumerate().take(ROWS) {
        // The capture's colours and attributes carry from a row to the next.
        replay.push_str(&format!("\x1b[{};1H{line}", row + 1));
        covered.push(unicode_width::UnicodeWidthStr::width(
            sgr.replace_all(line, "").as_ref(),
        ));
    }
    (Screen::of(COLS, ROWS, &replay), covered)
}

/// Where director's picture of `case` differs from tmux's.
fn differences(case: &Case, setup: impl Fn(&Path)) -> Vec<String> {
    let (ours, theirs) = (temp_dir(), temp_dir());
    setup(ours.path());
    setup(theirs.path());
    let pane = in_director(ours.path(), case);
    let (tmux, covered) = in_tmux(theirs.path(), case);
    let mut found = Vec::new();
    for row in 0..ROWS {
        for col in 0..Change::cols(case.change) {
            let (t, p) = (tmux.rows[row][col], pane.rows[row][col]);
            let attrs = col < covered.get(row).copied().unwrap_or(0);
            // Past the capture, tmux's cells hold a background at most (it
            // erases with the background alone): no underline, no inverse.
            let [_, _, _, underline, inverse] = pane.pen(row, col).2;
            let bar = !attrs && (underline || inverse);
            if t != p || bar || (attrs && tmux.pen(row, col) != pane.pen(row, col)) {
                found.push(format!(
                    "cell {row},{col}: tmux {t:?} {:?}, pane {p:?} {:?}",
                    tmux.pen(row, col),
                    pane.pen(row, col)
                ));
            }
        }
    }
    if !found.is_empty() {
        found.truncate(10);
        found.insert(0, format!("tmux:\n{}\npane:\n{}", tmux.dump(), pane.dump()));
    }
    found
}

fn assert_same(case: &Case, setup: impl Fn(&Path)) {
    let found = differences(case, setup);
    assert!(found.is_empty(), "{}: {}", case.program, found.join("\n"));
}

#[test]
fn vim_editing_a_python_file() {
    let code: String = (1..=30)
        .map(|i| format!("def f{i}(x):\n    return x * {i}  # a comment\n"))
        .collect();
    assert_same(
        &Case {
            program: "vim -u DEFAULTS -i NONE -n code.py",
            ready: "code.py",
            inputs: &[
                Text("12G"),
                Text("o"),
                Text("    print('a line typed in insert mode, long enough to wrap past the edge of the pane')"),
                Key("Esc", "Escape"),
                Text(":set number\n"),
                Text("3dd"),
                Text("/comment\n"),
            ],
            change: None,
        },
        |dir| std::fs::write(dir.join("code.py"), &code).unwrap(),
    );
}

#[test]
fn vim_redraws_at_its_new_size_when_its_pane_is_resized_and_zoomed() {
    let code: String = (1..=40)
        .map(|i| format!("def f{i}(x):\n    return x * {i}  # a comment long enough to wrap at forty columns\n"))
        .collect();
    for change in [Change::Resize(60), Change::Resize(25), Change::Zoom] {
        assert_same(
            &Case {
                program: "vim -u DEFAULTS -i NONE -n code.py",
                // Forty columns leave no room for the file's name, and vim's
                // ruler may not show: the first line of code, once drawn.
                ready: "(x):",
                inputs: &[Text("20G"), Text(":set number\n")],
                change: Some(change),
            },
            |dir| std::fs::write(dir.join("code.py"), &code).unwrap(),
        );
    }
}

#[test]
fn less_paging_and_searching_a_coloured_file() {
    let text: String = (1..=200)
        .map(|i| match i % 7 {
            0 => format!("\x1b[1;31mline {i}: bold red\x1b[0m and plain\n"),
            3 => format!("line {i}: {}\n", "a long line that goes on ".repeat(5)),
            _ => format!("line {i}: \x1b[32mgreen\x1b[0m \x1b[4munderlined\x1b[0m\n"),
        })
        .collect();
    assert_same(
        &Case {
            program: "less -R log.txt",
            ready: "line 1:",
            inputs: &[Key("Space", "Space"), Text("/bold\n"), Text("n"), Key("Down", "Down")],
            change: None,
        },
        |dir| std::fs::write(dir.join("log.txt"), &text).unwrap(),
    );
}

#[test]
fn htop_showing_one_process() {
    assert_same(
        &Case {
            program: "sh -c 'sleep 1000 & exec htop -d 100 -p $!'",
            ready: "sleep 1000",
            inputs: &[Text("F"), Key("Esc", "Escape")],
            change: None,
        },
        htop_config,
    );
}

/// htop's settings: a blank meter (the others change from run to run), no
/// user column (private where the tests run as a person), and one
/// sleeping process.
fn htop_config(dir: &Path) {
    let rc = "htop_version=3.2.2\nconfig_reader_min_version=3\nfields=46 47 49 1\n\
              hide_kernel_threads=1\nhide_userland_threads=1\nshow_program_path=0\n\
              header_margin=0\nscreen_tabs=0\ncolor_scheme=0\nenable_mouse=0\ndelay=100\n\
              hide_function_bar=0\nheader_layout=one_100\ncolumn_meters_0=Blank\ncolumn_meter_modes_0=2\n\
              tree_view=0\nsort_key=46\nsort_direction=-1\n\
              screen:Main=PERCENT_CPU PERCENT_MEM TIME Command\n.sort_key=PERCENT_CPU\n\
              .tree_view=0\n.sort_direction=-1\n";
    std::fs::create_dir_all(dir.join(".config/htop")).unwrap();
    std::fs::write(dir.join(".config/htop/htoprc"), rc).unwrap();
}

#[test]
fn htop_redraws_at_its_new_size_when_its_pane_is_resized() {
    for change in [Change::Resize(70), Change::Zoom] {
        assert_same(
            &Case {
                program: "sh -c 'sleep 1000 & exec htop -d 100 -p $!'",
                ready: "sleep 1000",
                inputs: &[],
                change: Some(change),
            },
            htop_config,
        );
    }
}

#[test]
fn lines_erased_with_underline_and_inverse_on_keep_only_their_background() {
    // tmux and xterm erase with the background colour alone; the pane's
    // emulator keeps the whole pen, which would draw underlined bars.
    assert_same(
        &Case {
            program: "sh -c 'printf \"\\033[H\\033[2J\\033[4;7;31;44mx\\033[2K\\n\\033[1;4;7mab\\033[K\\n\\033[7mcd\\033[5X\\033[0mdone\"; sleep 100'",
            ready: "done",
            inputs: &[],
            change: None,
        },
        |_| {},
    );
}
