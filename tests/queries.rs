//! A program in a pane that asks its terminal something gets the answer a
//! terminal of the pane's size and theme gives, in order with its output,
//! through its own PTY: it does not wait for a timeout.

mod common;

use common::*;

/// Asks in raw mode, reads the answer up to its final byte, prints it.
/// The query and the answer's last byte come in hex, so that the command
/// line the scene types holds no escape of its own.
const ASK: &str = r#"import os, sys, termios, tty
query, end = bytes.fromhex(sys.argv[1]), bytes.fromhex(sys.argv[2])
old = termios.tcgetattr(0)
tty.setraw(0)
os.write(1, query)
answer = b''
while not answer.endswith(end):
    answer += os.read(0, 1)
termios.tcsetattr(0, termios.TCSADRAIN, old)
print('answer', repr(answer.decode()))
"#;

/// Says whether anything waits on its input. Raw mode: an answer without a
/// newline is readable at once.
const PEEK: &str = "import select, termios, tty\nold = termios.tcgetattr(0)\ntty.setraw(0, termios.TCSANOW)\nready = select.select([0], [], [], 0.5)[0]\ntermios.tcsetattr(0, termios.TCSADRAIN, old)\nprint('stdin', 'has input' if ready else 'is empty')\n";

fn scene(query: &str, end: &str, theme: &str) -> String {
    format!(
        "[terminal]\ncols = 100\nrows = 12\nstatus = false\n{theme}\n\
         [[pane]]\nname = \"asks\"\nprompt = \"$ \"\n\
         [[step]]\nrun = \"python3 ask.py '{query}' '{end}'\"\n\
         [[step]]\nwait = {{ text = \"answer\" }}\ntimeout = \"5s\"\n"
    )
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn answer(query: &[u8], end: u8, theme: &str) -> String {
    let (query, end) = (hex(query), hex(&[end]));
    let dir = temp_dir();
    std::fs::write(dir.path().join("ask.py"), ASK).unwrap();
    let scene = scene(&query, &end, theme).replace("[[pane]]\n", &format!("[[pane]]\ncwd = {:?}\n", dir.path()));
    let (out, output) = record_scene(dir.path(), &scene, &[]);
    assert_ok(&output);
    let screen = Cast::read(&out).final_screen();
    let row = (0..12)
        .map(|r| screen.text(r, 0, 100))
        .find(|l| l.starts_with("answer"))
        .unwrap_or_else(|| panic!("no answer on screen:\n{}", screen.dump()));
    row.trim_end().to_string()
}

#[test]
fn the_cursor_position_is_where_the_query_left_it() {
    // The command line is row 1; the query is printed at the start of row 2.
    assert_eq!(answer(b"\x1b[6n", b'R', ""), r"answer '\x1b[2;1R'");
}

#[test]
fn device_attributes_are_answered() {
    assert_eq!(answer(b"\x1b[c", b'c', ""), r"answer '\x1b[?1;2c'");
}

#[test]
fn a_mode_request_is_answered_not_recognised() {
    // tmux 3.3 leaves DECRQM unanswered, and vim waits on it as it exits.
    assert_eq!(answer(b"\x1b[?12$p", b'y', ""), r"answer '\x1b[?12;0$y'");
    assert_eq!(answer(b"\x1b[4$p", b'y', ""), r"answer '\x1b[4;0$y'");
}

#[test]
fn the_background_colour_is_the_scenes_theme() {
    let theme = "theme = { fg = \"#102030\", bg = \"#a0b0c0\", palette = \"#000000:#111111:#222222:#333333:#444444:#555555:#666666:#777777\" }";
    assert_eq!(
        answer(b"\x1b]11;?\x07", 0x07, theme),
        r"answer '\x1b]11;rgb:a0a0/b0b0/c0c0\x07'"
    );
}

#[test]
fn a_query_typed_at_directors_own_prompt_is_answered_to_no_one() {
    // The escape typed at the prompt draws as a query would; the program
    // started next must not read an answer it never asked for.
    let dir = temp_dir();
    std::fs::write(dir.path().join("peek.py"), PEEK).unwrap();
    std::fs::write(dir.path().join("ask.py"), ASK).unwrap();
    let scene = format!(
        "[terminal]\ncols = 80\nrows = 8\nstatus = false\n\
         [[pane]]\nname = \"p\"\nprompt = \"$ \"\ncwd = {:?}\n\
         [[step]]\ntype = \"\\u001b[c\\n\"\n\
         [[step]]\nrun = \"python3 peek.py\"\n\
         [[step]]\nwait = {{ text = \"stdin\" }}\n",
        dir.path()
    );
    let (out, output) = record_scene(dir.path(), &scene, &[]);
    assert_ok(&output);
    let screen = Cast::read(&out).final_screen();
    let text = screen.dump();
    assert!(text.contains("stdin is empty"), "{text}");
}

#[test]
fn a_program_that_asks_without_reading_never_stops_the_recording() {
    // In raw mode a terminal's input queue fills and then blocks the
    // writer: answers must not wait for a program that never reads them.
    let dir = temp_dir();
    let flood = "import os, tty\ntty.setraw(0)\nfor _ in range(100):\n    os.write(1, b'\\x1b[6n' * 5000)\nos.write(1, b'\\r\\ndone\\r\\n')\n";
    std::fs::write(dir.path().join("flood.py"), flood).unwrap();
    let scene = format!(
        "[[pane]]\nname = \"q\"\ncwd = {:?}\n[[step]]\nrun = \"python3 flood.py\"\n\
         [[step]]\nwait = {{ exit = true }}\ntimeout = \"20s\"\n",
        dir.path()
    );
    std::fs::write(dir.path().join("scene.toml"), scene).unwrap();
    let out = dir.path().join("out.cast");
    // A recording that hangs is cut off here, so that it fails.
    let output = std::process::Command::new("timeout")
        .args(["60", env!("CARGO_BIN_EXE_director"), "record"])
        .arg(dir.path().join("scene.toml"))
        .arg(&out)
        .output()
        .unwrap();
    assert_ok(&output);
    assert!(Cast::read(&out).final_screen().dump().contains("done"));
}

/// Records `steps` in a bash pane of an 80x8 terminal, with `ask.py` and
/// `peek.py` (says whether anything waits on its input) in its folder; the
/// final screen.
fn in_shell(steps: &str) -> String {
    let dir = temp_dir();
    std::fs::write(dir.path().join("peek.py"), PEEK).unwrap();
    std::fs::write(dir.path().join("ask.py"), ASK).unwrap();
    let scene = format!(
        "[terminal]\ncols = 80\nrows = 8\nstatus = false\n\
         [[pane]]\nname = \"p\"\nprompt = \"$ \"\nshell = \"bash\"\ncwd = {:?}\n{steps}",
        dir.path()
    );
    let (out, output) = record_scene(dir.path(), &scene, &[]);
    assert_ok(&output);
    Cast::read(&out).final_screen().dump()
}

#[test]
fn a_shell_job_in_raw_mode_is_answered() {
    let steps = format!(
        "[[step]]\nrun = \"python3 ask.py {} {}\"\n[[step]]\nwait = {{ text = \"answer\" }}\ntimeout = \"5s\"\n",
        hex(b"\x1b[6n"),
        hex(b"R")
    );
    let text = in_shell(&steps);
    assert!(text.contains(r"answer '\x1b[2;1R'"), "{text}");
}

#[test]
fn a_query_printed_in_line_mode_is_not_answered_into_the_shell() {
    // A terminal would answer, and the line discipline would echo the
    // answer as junk or hand it to the shell's next prompt as keys.
    let steps = "[[step]]\nrun = \"printf '\\\\033[6n\\\\033[c\\\\033]11;?\\\\007'; echo asked\"\n\
                 [[step]]\nwait = { text = \"asked\" }\n\
                 [[step]]\nrun = \"python3 peek.py\"\n\
                 [[step]]\nwait = { text = \"stdin\" }\n";
    for _ in 0..3 {
        let text = in_shell(steps);
        assert!(text.contains("stdin is empty"), "{text}");
        assert!(!text.contains("^["), "{text}");
        assert!(!text.contains("1R"), "{text}");
    }
}
