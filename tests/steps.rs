//! Every step kind and scene setting, recorded with the real binary and
//! checked on the replayed screen (avt) or on the cast's events.

mod common;

use common::*;

/// Records a scene text (TOML) and returns the cast, asserting success.
fn record(scene: &str) -> Cast {
    record_with(scene, &[])
}

fn record_with(scene: &str, extra: &[&str]) -> Cast {
    let dir = temp_dir();
    let (out, output) = record_scene(dir.path(), scene, extra);
    assert_ok(&output);
    Cast::read(&out)
}

const ONE: &str = "[[pane]]\nname = \"a\"\nprompt = \"$ \"\n";
const TWO: &str = "[[pane]]\nname = \"a\"\nprompt = \"$ \"\n[[pane]]\nname = \"b\"\nprompt = \"% \"\n";

#[test]
fn type_echoes_at_the_prompt_one_event_per_key() {
    let cast = record(&format!("{ONE}[[step]]\ntype = \"héllo\"\ndelay = \"100ms\"\n"));
    let keys: Vec<&(f64, String, String)> = cast.events.iter().filter(|e| e.2.chars().count() == 1).collect();
    assert_eq!(keys.iter().map(|e| e.2.as_str()).collect::<String>(), "héllo");
    for pair in keys.windows(2) {
        let gap = pair[1].0 - pair[0].0;
        assert!((gap - 0.1).abs() < 0.0015, "keys {gap} s apart, not 100 ms");
    }
    assert_eq!(cast.final_screen().text(0, 0, 100), "$ héllo");
}

fn key_gaps(cast: &Cast) -> Vec<f64> {
    let keys: Vec<f64> = cast
        .events
        .iter()
        .filter(|e| e.2.chars().count() == 1)
        .map(|e| e.0)
        .collect();
    keys.windows(2).map(|w| ((w[1] - w[0]) * 1000.0).round()).collect()
}

#[test]
fn typing_rhythm_follows_the_seed() {
    let scene = |seed: u32| format!("[typing]\njitter = 0.5\n{ONE}[[step]]\ntype = \"abcdefghij\"\nseed = {seed}\n");
    let first = key_gaps(&record(&scene(3)));
    let again = key_gaps(&record(&scene(3)));
    let other = key_gaps(&record(&scene(4)));
    assert_eq!(first.len(), 9);
    assert_eq!(first, again, "same seed, same rhythm");
    assert_ne!(first, other, "another seed, another rhythm");
    assert!(
        first.iter().any(|g| (*g - first[0]).abs() > 2.0),
        "jitter varies the gaps: {first:?}"
    );
}

#[test]
fn run_starts_the_typed_command_after_the_enter_beat() {
    let cast = record(&format!(
        "{ONE}[[step]]\nrun = \"echo ran\"\nenter_delay = \"600ms\"\n[[step]]\nwait.exit = true\n"
    ));
    let last_key = cast.events.iter().find(|e| e.2 == "n").unwrap().0;
    let enter = cast.time_of("\r\n");
    assert!(
        (enter - last_key - 0.6).abs() < 0.002,
        "Enter {enter} after last key {last_key}"
    );
    assert_eq!(cast.final_screen().lines(0, 100, 0..35), ["$ echo ran", "ran", "$"]);
}

#[test]
fn keys_reach_the_program_and_ctrl_c_interrupts_it() {
    let scene = format!(
        "{ONE}[[step]]\nrun = \"sleep 30\"\nexpect_exit = 130\n[[step]]\npause = \"300ms\"\n\
         [[step]]\nkeys = [\"Ctrl-C\"]\n[[step]]\nwait.exit = true\ntimeout = \"5s\"\n"
    );
    let cast = record(&scene);
    assert_eq!(cast.final_screen().lines(0, 100, 0..35), ["$ sleep 30", "^C", "$"]);
}

/// Ctrl-C scripted the instant a line appears reaches the program once it
/// waits, as a person's would: here after a busy stretch, when it sleeps.
/// Sent at once, it would land in the counting loop and the trap would run
/// before "settled" was printed.
#[test]
fn ctrl_c_waits_until_the_program_is_still() {
    let script = "trap 'echo caught; exit 130' INT\necho ready\n\
        i=0; while [ $i -lt 20000 ]; do i=$((i + 1)); done\necho settled\nsleep 30\n";
    let scene = format!(
        "{ONE}[[step]]\nrun = \"sh script.sh\"\nexpect_exit = 130\n[[step]]\nwait = \"ready\"\n\
         [[step]]\nkeys = [\"Ctrl-C\"]\n[[step]]\nwait.exit = true\ntimeout = \"5s\"\n"
    );
    let screen = record_with_script(&scene, script).0.final_screen();
    assert_eq!(
        screen.lines(0, 100, 0..35),
        ["$ sh script.sh", "ready", "settled", "^Ccaught", "$"],
        "{}",
        screen.dump()
    );
}

#[test]
fn keys_edit_a_line_in_a_bash_pane() {
    let scene = "[[pane]]\nname = \"sh\"\nshell = \"bash\"\nprompt = \"$ \"\n\
        [[step]]\nrun = \"echo first\"\n[[step]]\nwait.exit = true\n\
        [[step]]\nkeys = [\"Up\", \"Backspace\", \"Backspace\", \"Backspace\", \"Backspace\", \"Backspace\", \"t\", \"w\", \"o\", \"Enter\"]\ndelay = \"50ms\"\n\
        [[step]]\nwait = \"\\ntwo\"\n[[step]]\nwait.regex = \"two\\\\s+\\\\$ $\"\n";
    let screen = record(scene).final_screen();
    assert_eq!(
        screen.lines(0, 100, 0..35),
        ["$ echo first", "first", "$ echo two", "two", "$"],
        "{}",
        screen.dump()
    );
}

#[test]
fn a_bash_pane_runs_pipes_cd_and_job_control() {
    let scene = "[[pane]]\nname = \"sh\"\nshell = \"bash\"\nprompt = \"[director@demo $PWD \\\\u]$ \"\n\
        [[step]]\nrun = \"cd / && pwd | tr a-z A-Z\"\n[[step]]\nwait.exit = true\n\
        [[step]]\nrun = \"sleep 5 &\"\n[[step]]\nwait.exit = true\n\
        [[step]]\nrun = \"jobs\"\n[[step]]\nwait.exit = true\n\
        [[step]]\nrun = \"false\"\nexpect_exit = 1\n[[step]]\nwait.exit = true\n";
    let screen = record(scene).final_screen();
    let lines = screen.lines(0, 100, 0..35);
    let prompt = "[director@demo $PWD \\u]$";
    assert_eq!(
        lines[0],
        format!("{prompt} cd / && pwd | tr a-z A-Z"),
        "{}",
        screen.dump()
    );
    assert_eq!(lines[1], "/", "pwd after cd");
    let job = lines[3]
        .strip_prefix("[1] ")
        .unwrap_or_else(|| panic!("job line: {}", screen.dump()));
    assert!(job.chars().all(|c| c.is_ascii_digit()), "{job}");
    assert!(
        lines[5].contains("Running") && lines[5].contains("sleep 5 &"),
        "{}",
        screen.dump()
    );
    assert_eq!(lines.last().unwrap(), prompt);
}

#[test]
fn a_bash_command_with_an_unexpected_status_fails_the_recording() {
    let dir = temp_dir();
    let scene =
        "[[pane]]\nname = \"sh\"\nshell = \"bash\"\n[[step]]\nrun = \"ls /nonexistent\"\n[[step]]\nwait.exit = true\n";
    let (_, output) = record_scene(dir.path(), scene, &[]);
    assert_eq!(output.status.code(), Some(1));
    let err = String::from_utf8_lossy(&output.stderr);
    assert!(
        err.contains("step 1 (run, line 4) in pane \"sh\": `ls /nonexistent` exited with status 2"),
        "{err}"
    );
}

#[test]
fn wait_for_a_regex() {
    let scene = format!(
        "{ONE}[[step]]\nrun = \"sleep 0.2; echo code=42\"\n[[step]]\nwait.regex = \"code=\\\\d+\"\n[[step]]\nwait.exit = true\n"
    );
    assert_eq!(record(&scene).final_screen().text(1, 0, 100), "code=42");
}

#[test]
fn pause_holds_the_picture_for_its_length() {
    let cast = record(&format!(
        "{ONE}[[step]]\ntype = \"x\"\n[[step]]\npause = \"2.5s\"\n[[step]]\ntype = \"y\"\n"
    ));
    let gap = cast.time_of("y") - cast.time_of("x");
    assert!((gap - 2.5 - 0.07).abs() < 0.002, "x to y: {gap}");
}

#[test]
fn marker_writes_an_m_event_at_its_time() {
    let cast = record(&format!(
        "{ONE}[[step]]\npause = \"1s\"\n[[step]]\nmarker = \"Chapter {{n}}\"\n"
    ));
    let markers: Vec<&(f64, String, String)> = cast.events.iter().filter(|e| e.1 == "m").collect();
    assert_eq!(markers.len(), 1);
    assert_eq!(markers[0].2, "Chapter {n}");
    assert!((markers[0].0 - 1.0).abs() < 0.05);
}

#[test]
fn clear_empties_the_pane_and_keeps_the_other() {
    let scene = format!(
        "{TWO}[[step]]\npane = \"a\"\nrun = \"seq 1 5\"\n[[step]]\nwait.exit = true\n\
         [[step]]\npane = \"b\"\ntype = \"kept\"\n[[step]]\npane = \"a\"\nclear = true\n"
    );
    let screen = record(&scene).final_screen();
    assert_eq!(screen.lines(0, 50, 0..35), ["$"]);
    assert_eq!(screen.lines(51, 100, 0..35), ["% kept"]);
}

#[test]
fn focus_marks_the_active_pane_in_the_status_line() {
    let cast = record(&format!(
        "{TWO}[[step]]\npane = \"a\"\ntype = \"x\"\n[[step]]\nfocus = \"b\"\n"
    ));
    let status = cast.final_screen().text(35, 0, 100);
    assert!(status.starts_with(" 0:a 1:b*"), "{status}");
}

#[test]
fn hidden_steps_draw_but_are_not_recorded() {
    let scene = format!(
        "{ONE}[[step]]\nhide = true\n[[step]]\nrun = \"echo setup; sleep 1\"\n[[step]]\nwait.exit = true\n\
         [[step]]\npause = \"5s\"\n[[step]]\nshow = true\n[[step]]\ntype = \"visible\"\n"
    );
    let cast = record(&scene);
    // No keystroke of the hidden steps is an event of its own...
    let keys: String = cast
        .events
        .iter()
        .filter(|e| e.2.chars().count() == 1)
        .map(|e| e.2.as_str())
        .collect();
    assert_eq!(keys, "visible", "typing while hidden was recorded");
    // ...and their time does not count: neither the 1 s sleep nor the 5 s pause.
    assert!(cast.end() < 1.5, "cast ends at {}", cast.end());
    // The picture is right when recording resumes.
    let lines = cast.final_screen().lines(0, 100, 0..35);
    assert_eq!(lines, ["$ echo setup; sleep 1", "setup", "$ visible"]);
}

#[test]
fn rows_layout_with_sizes_and_no_status_line() {
    let scene = "layout = \"rows\"\n[terminal]\ncols = 40\nrows = 20\nstatus = false\n\
        [[pane]]\nname = \"top\"\nprompt = \"$ \"\nsize = 5\n[[pane]]\nname = \"bottom\"\nprompt = \"$ \"\n\
        [[step]]\npane = \"top\"\nrun = \"stty size\"\n[[step]]\nwait.exit = true\n\
        [[step]]\npane = \"bottom\"\nrun = \"stty size\"\n[[step]]\nwait.exit = true\n";
    let cast = record(scene);
    assert_eq!(cast.size(), (40, 20));
    let screen = cast.final_screen();
    assert_eq!(screen.text(1, 0, 40), "5 40");
    assert_eq!(screen.text(5, 0, 40), "─".repeat(40));
    assert_eq!(screen.text(6, 0, 40), "$ stty size");
    // 20 rows - 5 - 1 divider, no status line.
    assert_eq!(screen.text(7, 0, 40), "14 40");
}

#[test]
fn three_columns_with_a_fractional_size() {
    let scene = "[[pane]]\nname = \"a\"\nsize = 0.5\n[[pane]]\nname = \"b\"\n[[pane]]\nname = \"c\"\n\
        [[step]]\npane = \"c\"\nrun = \"stty size\"\n[[step]]\nwait.exit = true\n";
    let screen = record(scene).final_screen();
    // 100 - 2 dividers = 98: a gets half, 49; b and c share 49, b first takes the odd column.
    assert_eq!(screen.rows[0][49], '│', "{}", screen.dump());
    assert_eq!(screen.rows[0][75], '│', "{}", screen.dump());
    assert_eq!(screen.text(2, 76, 100), "35 24", "{}", screen.dump());
}

#[test]
fn status_text_and_title() {
    let scene = format!("[terminal]\ntitle = \"My demo\"\nstatus_text = \"<{{title}}>\"\n{ONE}");
    let cast = record(&scene);
    assert_eq!(cast.header["title"], "My demo");
    let status = cast.final_screen().text(35, 0, 100);
    assert!(status.ends_with("<My demo>"), "{status:?}");
}

#[test]
fn prompt_style_colours_the_prompt() {
    let scene = "[[pane]]\nname = \"a\"\nprompt = \"> \"\nprompt_style = \"bold #17a88b\"\n[[step]]\ntype = \"x\"\n";
    let screen = record(scene).final_screen();
    let (fg, bold) = screen.style(0, 0);
    assert_eq!(fg, Some(avt::Color::rgb(0x17, 0xa8, 0x8b)));
    assert!(bold);
    // What is typed after the prompt is plain.
    assert_eq!(screen.style(0, 2), (None, false));
    // The status line is black on green.
    assert_eq!(screen.background(35, 0), Some(avt::Color::Indexed(2)));
}

#[test]
fn cwd_env_and_vars() {
    let dir = temp_dir();
    std::fs::create_dir(dir.path().join("work")).unwrap();
    let scene = "[vars]\ngreeting = \"hello\"\n[[pane]]\nname = \"a\"\ncwd = \"work\"\nenv = { GREETING = \"{greeting}\" }\n\
        [[step]]\nrun = \"basename $PWD; echo $GREETING {who}\"\n[[step]]\nwait.exit = true\n";
    let (out, output) = record_scene(dir.path(), scene, &["--set", "who=world"]);
    assert_ok(&output);
    let lines = Cast::read(&out).final_screen().lines(0, 100, 0..35);
    assert_eq!(lines[1..3], ["work", "hello world"]);
}

#[test]
fn fps_bounds_the_number_of_frames() {
    let scene = |fps: u32| {
        format!(
            "[terminal]\nfps = {fps}\n{ONE}[[step]]\nrun = \"for i in $(seq 1 40); do echo $i; sleep 0.02; done\"\n[[step]]\nwait.exit = true\n"
        )
    };
    let slow = record(&scene(5));
    let fast = record(&scene(100));
    let count = |c: &Cast| c.events.iter().filter(|e| e.0 > c.time_of("\r\n")).count();
    assert!(
        count(&slow) * 3 < count(&fast),
        "5 fps: {} frames, 100 fps: {}",
        count(&slow),
        count(&fast)
    );
    assert_eq!(slow.final_screen().lines(0, 100, 0..35).last().unwrap(), "$");
}

#[test]
fn json_scenes_record_like_toml() {
    let dir = temp_dir();
    let scene = r#"{"terminal": {"cols": 60, "rows": 10},
        "pane": [{"name": "a", "prompt": "$ "}],
        "step": [{"run": "echo from json"}, {"wait": {"exit": true}}]}"#;
    let path = dir.path().join("scene.json");
    std::fs::write(&path, scene).unwrap();
    let out = dir.path().join("out.cast");
    assert_ok(&run(&["record", path.to_str().unwrap(), out.to_str().unwrap()]));
    let cast = Cast::read(&out);
    assert_eq!(cast.size(), (60, 10));
    assert_eq!(cast.final_screen().text(1, 0, 60), "from json");
}
