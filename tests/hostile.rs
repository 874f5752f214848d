//! Whatever a program prints stays in its pane: sequences that would reach
//! the viewer's terminal (clipboard, title, cwd and host reports, queries,
//! input modes) never reach the cast; private values never appear; absurd
//! input gives a clear error or a correct recording.

mod common;

use common::*;

fn record(scene: &str) -> (Cast, String) {
    let dir = temp_dir();
    let (out, output) = record_scene(dir.path(), scene, &[]);
    assert_ok(&output);
    let text = std::fs::read_to_string(&out).unwrap();
    (Cast::read(&out), text)
}

const PANES: &str = "[[pane]]\nname = \"hostile\"\nprompt = \"$ \"\n[[pane]]\nname = \"calm\"\nprompt = \"% \"\n";

/// Records `steps`, then the hostile pane running `script` to its end.
fn record_script(steps: &str, script: &str) -> (Cast, String) {
    let scene =
        format!("{PANES}{steps}[[step]]\npane = \"hostile\"\nrun = \"sh script.sh\"\n[[step]]\nwait.exit = true\n");
    record_with_script(&scene, script)
}

#[test]
fn escape_sequences_a_program_prints_never_reach_the_cast() {
    let script = concat!(
        "printf '\\033]52;c;c2VjcmV0\\007'\n", // clipboard write
        "printf '\\033]0;window title\\007\\033]2;other title\\033\\\\'\n", // titles
        "printf '\\033]7;file://secret-host/secret/dir\\007'\n", // cwd report
        "printf '\\033]1337;CurrentDir=/secret\\007'\n", // iTerm2
        "printf '\\033[c\\033[6n\\033[>c\\033]11;?\\007'\n", // queries
        "printf '\\033[?2004h\\033[?1000h\\033[?1006h\\033[?1049h'\n", // modes, alternate screen
        "printf '\\033Pq#0;2;0;0;0#1!14@\\033\\\\'\n", // DCS (sixel)
        "printf 'visible \\033[2J\\033[H\\033[1;1r\\033[999;999H\\033[K end\\n'\n",
        "printf '\\033[?1049l'\n",
        "echo done-hostile\n",
    );
    let (recording, cast) = record_script("[[step]]\npane = \"calm\"\ntype = \"untouched\"\n", script);
    let data = recording.output();
    for forbidden in [
        "\x1b]52",
        "c2VjcmV0",
        "\x1b]0;",
        "\x1b]2;",
        "window title",
        "\x1b]7;",
        "secret-host",
        "\x1b]1337",
        "/secret",
        "\x1b[c",
        "\x1b[6n",
        "\x1b[>c",
        "\x1b]11",
        "\x1b[?2004h",
        "\x1b[?1000h",
        "\x1b[?1006h",
        "\x1b[?1049h",
        "\x1bP",
        "\x1b[1;1r",
    ] {
        assert!(!data.contains(forbidden), "the cast carries {forbidden:?}");
    }
    assert!(!cast.contains("secret"));
    let screen = recording.final_screen();
    // The calm pane and the divider are as they were.
    assert_eq!(screen.text(0, 51, 100), "% untouched");
    assert!((0..35).all(|r| screen.rows[r][50] == '│'));
    assert!(
        screen.lines(0, 50, 0..35).contains(&"done-hostile".to_string()),
        "{}",
        screen.dump()
    );
    // The queries were printed in line mode: a terminal's answers would
    // only be echoed there as junk.
    assert!(!screen.dump().contains("^["), "{}", screen.dump());
}

#[test]
fn an_emoji_selector_in_the_bottom_right_corner_records() {
    // A check mark with U+FE0F in the last column of the pane's bottom row,
    // then the cell printed over from the row above (it scrolled up):
    // vt100 0.18 panics on this unless the selector is left out.
    let script = concat!(
        "printf '\\033[999;999H\\342\\234\\224\\357\\270\\217'\n",
        "printf '\\033[A\\033[999C,'\n",
        "echo done-selector\n",
    );
    let (cast, _) = record_script("", script);
    assert!(!cast.output().contains('\u{fe0f}'));
    let screen = cast.final_screen();
    assert!((0..35).all(|r| screen.rows[r][50] == '│'), "{}", screen.dump());
    // The comma ends the row above the check mark, and the echo, wrapping
    // from there, begins the check mark's row.
    let lines = screen.lines(0, 50, 0..35);
    let mark = lines.iter().position(|l| l.ends_with('\u{2714}'));
    assert!(
        mark.is_some_and(|r| r > 0 && lines[r - 1].ends_with(',')),
        "{}",
        screen.dump()
    );
    assert!(
        mark.is_some_and(|r| lines[r].starts_with("done-selector")),
        "{}",
        screen.dump()
    );
}

#[test]
fn a_pane_narrower_than_its_prompt_still_records() {
    let scene = "[terminal]\ncols = 21\nrows = 8\n[[pane]]\nname = \"a\"\nprompt = \"[director@demo tcp]$ \"\n\
        [[pane]]\nname = \"b\"\nprompt = \"$ \"\n[[step]]\npane = \"a\"\nrun = \"echo ok\"\n[[step]]\nwait.exit = true\n";
    let (cast, _) = record(scene);
    let screen = cast.final_screen();
    // 21 columns: 10 + divider + 10; the prompt wraps inside its pane.
    assert!((0..7).all(|r| screen.rows[r][10] == '│'), "{}", screen.dump());
    assert_eq!(screen.text(0, 0, 10), "[director@");
    assert!(
        screen.lines(0, 10, 0..7).contains(&"ok".to_string()),
        "{}",
        screen.dump()
    );
}

#[test]
fn absurd_terminal_sizes_are_scene_errors() {
    for (cols, rows) in [(0, 36), (10000, 36), (100, 0), (100, 100000)] {
        let dir = temp_dir();
        let scene = format!("[terminal]\ncols = {cols}\nrows = {rows}\n[[pane]]\nname = \"a\"\n");
        let (out, output) = record_scene(dir.path(), &scene, &[]);
        assert_eq!(output.status.code(), Some(2), "{cols}x{rows}");
        assert!(String::from_utf8_lossy(&output.stderr).contains("out of range"));
        assert!(!out.exists());
    }
}

#[test]
fn a_huge_scene_file_is_refused_before_parsing() {
    let dir = temp_dir();
    let path = dir.path().join("huge.toml");
    std::fs::write(&path, format!("[[pane]]\nname = \"a\"\n# {}\n", "x".repeat(2 << 20))).unwrap();
    let output = run(&[
        "record",
        path.to_str().unwrap(),
        dir.path().join("o.cast").to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("a scene may be at most 1048576"));
}

#[test]
fn a_pathological_regex_waits_in_linear_time() {
    // (a+)+x takes exponential time in a backtracking engine on "aaaa…b",
    // and can never match here (nothing on screen has an x after an a).
    let scene = "[[pane]]\nname = \"a\"\n[[step]]\nrun = \"printf 'a%.0s' $(seq 1 3000); echo b; sleep 10\"\n\
        [[step]]\nwait.regex = \"(a+)+x\"\ntimeout = \"2s\"\n";
    let dir = temp_dir();
    let started = std::time::Instant::now();
    let (_, output) = record_scene(dir.path(), scene, &[]);
    // The text never matches: the wait times out rather than hanging.
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("timed out after 2s"));
    assert!(started.elapsed() < std::time::Duration::from_secs(30));
}

#[test]
fn megabyte_lines_and_output_without_newlines_record_correctly() {
    let scene = "[[pane]]\nname = \"a\"\nprompt = \"$ \"\n\
        [[step]]\nrun = \"head -c 5000000 /dev/zero | tr '\\\\0' x; echo; echo after\"\n[[step]]\nwait.exit = true\ntimeout = \"60s\"\n";
    let (cast, text) = record(scene);
    let lines = cast.final_screen().lines(0, 100, 0..35);
    assert_eq!(lines[lines.len() - 2..], ["after", "$"]);
    // Five megabytes of output made a cast of a few kilobytes of frames.
    assert!(text.len() < 200_000, "cast is {} bytes", text.len());
}
