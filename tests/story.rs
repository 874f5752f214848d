//! The layout as the story goes, and narration, recorded with the real
//! binary and read back from the replayed screen (avt): panes opened,
//! closed, resized and zoomed; captions, the keys pressed and chapter
//! titles in the status line; the active pane's border.

mod common;

use common::*;

fn record(scene: &str) -> Cast {
    let dir = temp_dir();
    let (out, output) = record_scene(dir.path(), scene, &["--deterministic"]);
    assert_ok(&output);
    Cast::read(&out)
}

/// The status line's text.
fn status(screen: &Screen, cols: usize, rows: usize) -> String {
    screen.text(rows - 1, 0, cols)
}

const THREE: &str = "[terminal]\ncols = 60\nrows = 20\n\
    [[pane]]\nname = \"a\"\nprompt = \"a$ \"\n\
    [[pane]]\nname = \"b\"\nprompt = \"b$ \"\n\
    [[pane]]\nname = \"c\"\nprompt = \"c$ \"\n";

#[test]
fn a_pane_opened_closed_resized_and_zoomed_is_drawn_where_the_layout_puts_it() {
    let scene = format!(
        "{THREE}\
         [[step]]\npane = \"a\"\ntype = \"first\"\npause = \"1s\"\n\
         [[step]]\npane = \"c\"\nopen = {{ pane = \"b\", side = \"below\", size = 5 }}\npause = \"1s\"\n\
         [[step]]\ntype = \"in c\"\npause = \"1s\"\n\
         [[step]]\npane = \"a\"\nresize = {{ cols = 20 }}\npause = \"1s\"\n\
         [[step]]\npane = \"b\"\nzoom = true\npause = \"1s\"\n\
         [[step]]\nzoom = false\npause = \"1s\"\n\
         [[step]]\npane = \"b\"\nclose = true\npause = \"1s\"\n"
    );
    let cast = record(&scene);
    // At the start: a and b side by side (30 | 29), c not on screen.
    let start = cast.screen_at(0.5);
    assert_eq!(start.text(0, 0, 30), "a$ first");
    assert_eq!(start.text(0, 31, 60), "b$");
    assert!(!status(&start, 60, 20).contains("c"), "{}", start.dump());
    // c opened below b: 13 rows of b, a border, 5 rows of c.
    let opened = cast.screen_at(cast.time_of("c$"));
    assert_eq!(opened.text(14, 31, 60), "c$", "{}", opened.dump());
    assert_eq!(opened.rows[13][30], '├');
    assert!(status(&opened, 60, 20).contains("2:c*"));
    let typed = cast.screen_at(2.9);
    assert_eq!(typed.text(14, 31, 60), "c$ in c");
    // a made 20 columns wide: its border moves to column 20.
    let resized = cast.screen_at(4.2);
    assert_eq!(resized.rows[0][20], '│', "{}", resized.dump());
    assert_eq!(resized.text(0, 21, 60), "b$");
    assert_eq!(resized.text(14, 21, 60), "c$ in c");
    // b zoomed: it alone fills the area, flagged Z.
    let zoomed = cast.screen_at(5.2);
    assert_eq!(zoomed.text(0, 0, 60), "b$", "{}", zoomed.dump());
    assert!(zoomed.lines(0, 60, 1..19).is_empty(), "{}", zoomed.dump());
    assert!(status(&zoomed, 60, 20).contains("1:b*Z"));
    // Unzoomed, then b closed: c takes its cells, and the status line
    // names a and c.
    let end = cast.final_screen();
    assert_eq!(end.text(0, 0, 20), "a$ first", "{}", end.dump());
    assert_eq!(end.text(0, 21, 60), "c$ in c", "{}", end.dump());
    let names = status(&end, 60, 20);
    assert!(
        names.contains("0:a") && names.contains("2:c") && !names.contains("1:b"),
        "{names}"
    );
}

#[test]
fn a_program_whose_pane_is_resized_learns_its_new_size() {
    // The program prints its terminal's size whenever it changes.
    let script = "trap 'stty size' WINCH; stty size; while :; do sleep 0.05; done";
    let scene = format!(
        "{THREE}\
         [[step]]\npane = \"a\"\nrun = {script:?}\nexpect_exit = \"any\"\nwait = \"19 20\"\n\
         [[step]]\nresize = {{ cols = 0.25 }}\nwait = \"19 15\"\n\
         [[step]]\nzoom = true\nwait = \"19 60\"\n\
         [[step]]\nkeys = \"Ctrl-C\"\n"
    );
    let cast = record(&scene);
    let output = cast.output();
    let (first, second, third) = (
        output.find("19 20").unwrap(),
        output.find("19 15").unwrap(),
        output.find("19 60").unwrap(),
    );
    assert!(first < second && second < third);
}

#[test]
fn captions_show_in_the_status_line_until_the_next_one() {
    let scene = "[terminal]\ncols = 80\nrows = 10\n\
        [[pane]]\nname = \"client\"\n[[pane]]\nname = \"server\"\n\
        [[step]]\ncaption = \"client initiates the connection\"\npause = \"1s\"\n\
        [[step]]\ncaption = \"server replies\"\npause = \"1s\"\n\
        [[step]]\ncaption = \"\"\npause = \"1s\"\n";
    let cast = record(scene);
    let first = cast.screen_at(0.5);
    let line = status(&first, 80, 10);
    assert!(line.contains("client initiates the connection"), "{line}");
    // Centred on the row, in the caption's style.
    let col = first.rows[9]
        .iter()
        .collect::<String>()
        .find("client initiates")
        .unwrap();
    assert_eq!(col, (80 - 31) / 2);
    let (fg, bg, attrs) = first.pen(9, col);
    assert_eq!(
        (fg, bg, attrs[0]),
        (Some(avt::Color::Indexed(7)), Some(avt::Color::Indexed(4)), true)
    );
    let second = status(&cast.screen_at(1.5), 80, 10);
    assert!(
        second.contains("server replies") && !second.contains("client initiates"),
        "{second}"
    );
    let gone = status(&cast.final_screen(), 80, 10);
    assert!(!gone.contains("server replies"), "{gone}");
}

#[test]
fn a_caption_needs_a_status_line() {
    let dir = temp_dir();
    let scene = "[terminal]\nstatus = false\n[[pane]]\nname = \"a\"\n[[step]]\ncaption = \"hello\"\n";
    let (_, output) = record_scene(dir.path(), scene, &[]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("captions are shown in the status line"));
}

#[test]
fn show_keys_puts_the_keys_pressed_in_the_status_line_for_a_moment() {
    let steps = "[[step]]\nrun = \"cat\"\nexpect_exit = 130\n\
        [[step]]\ntype = \"hi\\n\"\npause = \"2s\"\n\
        [[step]]\nkeys = [\"Up\", \"Ctrl-C\"]\npause = \"2s\"\n";
    let on = record(&format!(
        "[terminal]\nshow_keys = true\n[[pane]]\nname = \"a\"\n{steps}"
    ));
    let shows = |text: &str| {
        on.events
            .iter()
            .map(|e| e.0)
            .find(|&t| status(&on.screen_at(t), 100, 36).contains(text))
    };
    assert!(shows("[hi Enter ]").is_some());
    let pressed = shows("[Up Ctrl-C]").expect("the keys shown");
    assert!(shows("[Up]").is_some_and(|t| t < pressed));
    // Gone a second after the step.
    let later = status(&on.screen_at(pressed + 1.6), 100, 36);
    assert!(!later.contains('['), "{later}");
    // Off by default.
    let off = record(&format!("[[pane]]\nname = \"a\"\n{steps}"));
    assert!(!off.output().contains("Ctrl-C]"));
}

#[test]
fn markers_become_chapter_titles_when_the_status_line_asks() {
    let scene = "[terminal]\nstatus_text = \"{chapter}\"\n[[pane]]\nname = \"a\"\n\
        [[step]]\nmarker = \"Starting the server\"\n[[step]]\npause = \"1s\"\n\
        [[step]]\nmarker = \"The client connects\"\n[[step]]\npause = \"1s\"\n";
    let cast = record(scene);
    assert!(status(&cast.screen_at(0.5), 100, 36).ends_with("Starting the server"));
    assert!(status(&cast.final_screen(), 100, 36).ends_with("The client connects"));
    let markers: Vec<&str> = cast
        .events
        .iter()
        .filter(|e| e.1 == "m")
        .map(|e| e.2.as_str())
        .collect();
    assert_eq!(markers, ["Starting the server", "The client connects"]);
}

#[test]
fn the_active_panes_border_is_drawn_in_the_active_colour() {
    // Two panes side by side: as in tmux, the top half of the divider is
    // the left pane's, the bottom half the right one's.
    let scene = "[terminal]\ncols = 40\nrows = 12\nactive_border_style = \"red\"\nborder_style = \"blue\"\n\
        [[pane]]\nname = \"l\"\n[[pane]]\nname = \"r\"\n\
        [[step]]\npane = \"l\"\ntype = \"x\"\npause = \"1s\"\n\
        [[step]]\npane = \"r\"\ntype = \"y\"\npause = \"1s\"\n";
    let cast = record(scene);
    let fg = |screen: &Screen, row: usize| screen.pen(row, 20).0;
    let (red, blue) = (Some(avt::Color::Indexed(1)), Some(avt::Color::Indexed(4)));
    let left = cast.screen_at(0.5);
    assert_eq!(
        (fg(&left, 0), fg(&left, 5), fg(&left, 6), fg(&left, 10)),
        (red, red, blue, blue)
    );
    let right = cast.final_screen();
    assert_eq!(
        (fg(&right, 0), fg(&right, 5), fg(&right, 6), fg(&right, 10)),
        (blue, blue, red, red)
    );
}

#[test]
fn pane_titles_go_on_the_border_line_as_tmux_draws_them() {
    let scene = "[terminal]\ncols = 60\nrows = 12\npane_titles = \"top\"\n\
        [[pane]]\nname = \"server\"\ntitle = \"the server\"\nprompt = \"$ \"\n\
        [[pane]]\nname = \"client\"\nprompt = \"$ \"\n\
        [[step]]\npane = \"server\"\ntype = \"x\"\npause = \"1s\"\n";
    let cast = record(scene);
    let end = cast.final_screen();
    // Row 0 is the line the titles are on: from two cells in, the pane's
    // number (reversed when active) and its title.
    // Left pane: columns 0 to 29, the divider at 30, the right pane 31 on.
    let left = format!("──0 \"the server\"{}", "─".repeat(30 - 16));
    let right = format!("┬──1 \"client\"{}", "─".repeat(29 - 12));
    assert_eq!(end.text(0, 0, 30), left, "{}", end.dump());
    assert_eq!(end.text(0, 30, 60), right, "{}", end.dump());
    assert!(end.pen(0, 2).2[4], "the active pane's number is reversed");
    assert!(!end.pen(0, 33).2[4]);
    // The panes start below it.
    assert_eq!(end.text(1, 0, 30), "$ x");
    assert_eq!(end.text(1, 31, 60), "$");
    assert_eq!(end.rows[1][30], '│');
}
