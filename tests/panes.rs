//! What a pane's program sees and how its output ends: real PTYs and real
//! child processes.

mod common;

use common::*;

const TWO_PANES: &str = r#"
[terminal]
term = "{term}"
[[pane]]
name = "left"
prompt = "$ "
[[pane]]
name = "right"
prompt = "$ "
"#;

fn scene(steps: &str) -> String {
    format!("[vars]\nterm = \"xterm-256color\"\n{TWO_PANES}{steps}")
}

#[test]
fn programs_see_a_terminal_of_their_pane_size_and_the_scenes_term() {
    let dir = temp_dir();
    let steps = r#"
[[step]]
pane = "left"
run = "stty size; echo T=$TERM; test -t 1 && echo tty"
[[step]]
wait.exit = true
[[step]]
pane = "right"
run = "stty size; echo T=$TERM"
[[step]]
wait.exit = true
"#;
    let (out, output) = record_scene(dir.path(), &scene(steps), &["--set", "term=vt220"]);
    assert_ok(&output);
    let screen = Cast::read(&out).final_screen();
    let left = screen.lines(0, 50, 0..35);
    let right = screen.lines(51, 100, 0..35);
    assert_eq!(left[1..4], ["35 50", "T=vt220", "tty"], "{}", screen.dump());
    assert_eq!(right[1..3], ["35 49", "T=vt220"], "{}", screen.dump());
}

#[test]
fn python_prints_line_by_line_without_pythonunbuffered() {
    let dir = temp_dir();
    let steps = r#"
[[step]]
run = "python3 -c 'import time; print(\"first\"); time.sleep(0.6); print(\"second\")'"
[[step]]
wait.exit = true
"#;
    let out = dir.path().join("out.cast");
    let scene_path = dir.path().join("scene.toml");
    std::fs::write(&scene_path, scene(steps)).unwrap();
    let output = director()
        .env_remove("PYTHONUNBUFFERED")
        .args(["record", scene_path.to_str().unwrap(), out.to_str().unwrap()])
        .output()
        .unwrap();
    assert_ok(&output);
    let cast = Cast::read(&out);
    // Block buffering would deliver both lines together at exit.
    let gap = cast.time_of("second") - cast.time_of("first");
    assert!(gap >= 0.5, "first and second {gap} s apart");
}

#[test]
fn a_grandchild_holding_the_terminal_does_not_hang_the_recording() {
    let dir = temp_dir();
    // `setsid` detaches the sleeper from the program's process group; it
    // keeps the terminal open, so end-of-file never comes.
    let steps = r#"
[[step]]
run = "setsid sleep 60 & echo started"
[[step]]
wait.exit = true
timeout = "20s"
[[step]]
pane = "right"
run = "echo after"
[[step]]
wait.exit = true
"#;
    let (out, output) = record_scene(dir.path(), &scene(steps), &[]);
    assert_ok(&output);
    let screen = Cast::read(&out).final_screen();
    assert_eq!(screen.lines(0, 50, 0..35)[1], "started");
    assert_eq!(screen.lines(51, 100, 0..35)[1], "after");
}

#[test]
fn a_program_that_ends_without_a_newline_gets_its_prompt_on_a_new_line() {
    let dir = temp_dir();
    let steps = r#"
[[step]]
run = "printf partial"
[[step]]
wait.exit = true
"#;
    let (out, output) = record_scene(dir.path(), &scene(steps), &[]);
    assert_ok(&output);
    let screen = Cast::read(&out).final_screen();
    assert_eq!(screen.lines(0, 50, 0..35), ["$ printf partial", "partial", "$"]);
}

#[test]
fn output_of_many_lines_is_coalesced_into_few_frames() {
    let dir = temp_dir();
    let steps = r#"
[[step]]
run = "seq 1 20000"
[[step]]
wait.exit = true
timeout = "30s"
"#;
    let (out, output) = record_scene(dir.path(), &scene(steps), &[]);
    assert_ok(&output);
    let cast = Cast::read(&out);
    let screen = cast.final_screen();
    let left = screen.lines(0, 50, 0..35);
    assert_eq!(left[left.len() - 2..], ["20000", "$"]);
    // One frame per 1/60 s at most: far fewer events than lines.
    let events_after_enter = cast.events.iter().filter(|e| e.0 > cast.time_of("\r\n")).count();
    let span = cast.events.last().unwrap().0 - cast.time_of("\r\n");
    assert!(
        (events_after_enter as f64) <= span * 60.0 + 5.0,
        "{events_after_enter} events in {span} s"
    );
}

#[test]
fn typing_into_a_running_program_reaches_it_through_its_terminal() {
    let dir = temp_dir();
    let steps = r#"
[[step]]
run = "read line; echo got:$line"
[[step]]
type = "hello\n"
[[step]]
wait = "got:hello"
[[step]]
wait.exit = true
"#;
    let (out, output) = record_scene(dir.path(), &scene(steps), &[]);
    assert_ok(&output);
    let screen = Cast::read(&out).final_screen();
    assert_eq!(
        screen.lines(0, 50, 0..35),
        ["$ read line; echo got:$line", "hello", "got:hello", "$"]
    );
}

#[test]
fn a_server_left_and_three_clients_stacked_right() {
    // tmux's main-vertical, with a main pane of 60 columns: the others
    // share the 39 columns right of the divider, and tmux's junctions join
    // the dividers.
    let dir = temp_dir();
    let mut scene = String::from("layout = { preset = \"main-vertical\", main = 60 }\n");
    for name in ["server", "one", "two", "three"] {
        scene.push_str(&format!("[[pane]]\nname = \"{name}\"\nprompt = \"$ \"\n"));
    }
    for name in ["server", "one", "two", "three"] {
        scene.push_str(&format!(
            "[[step]]\npane = \"{name}\"\nrun = \"stty size\"\n[[step]]\nwait.exit = true\n"
        ));
    }
    let (out, output) = record_scene(dir.path(), &scene, &[]);
    assert_ok(&output);
    let screen = Cast::read(&out).final_screen();
    let dump = screen.dump();
    // 35 rows for the panes: the three on the right are 11, 11 and 11 high.
    assert_eq!(screen.lines(0, 60, 0..35)[1], "35 60", "{dump}");
    assert_eq!(screen.lines(61, 100, 0..11)[1], "11 39", "{dump}");
    assert_eq!(screen.lines(61, 100, 12..23)[1], "11 39", "{dump}");
    assert_eq!(screen.lines(61, 100, 24..35)[1], "11 39", "{dump}");
    assert_eq!(screen.rows[0][60], '│', "{dump}");
    assert_eq!(screen.rows[11][60], '├', "{dump}");
    assert_eq!(screen.rows[23][60], '├', "{dump}");
    assert!(screen.rows[11][61..100].iter().all(|&c| c == '─'), "{dump}");
    assert_eq!(screen.rows[34][60], '│', "{dump}");
}
