//! Faithful time: the picture at a marker is the one the marker was passed
//! at; a typed step after a matched wait comes a human beat later; a held
//! picture is what a person would see once the programs had their time.

mod common;

use std::path::Path;

use common::*;

/// `director render` of a still of `cast` with `extra` arguments: the
/// rows the SVG shows, one per line.
fn render(dir: &Path, cast: &Path, extra: &[&str]) -> String {
    let out = dir.join("frame.svg");
    let mut args = vec!["render", out.to_str().unwrap(), cast.to_str().unwrap()];
    args.extend_from_slice(extra);
    assert_ok(&run(&args));
    common::svg::rows(&std::fs::read_to_string(&out).unwrap(), 0).join("\n")
}

#[test]
fn render_at_a_marker_shows_nothing_written_after_it() {
    // Output written after a marker at the marker's own time (a response
    // stamped with the key that caused it) is not on screen yet at the
    // marker.
    let dir = temp_dir();
    let cast = dir.path().join("same-time.cast");
    let lines = [
        r#"{"version": 2, "width": 20, "height": 3}"#,
        r#"[0.5, "o", "before"]"#,
        r#"[1.0, "o", " marked"]"#,
        r#"[1.0, "m", "here"]"#,
        r#"[1.0, "o", "\r\nafter"]"#,
    ];
    std::fs::write(&cast, lines.join("\n") + "\n").unwrap();
    let at_marker = render(dir.path(), &cast, &["--marker", "here"]);
    assert!(at_marker.contains("before marked"), "{at_marker}");
    assert!(!at_marker.contains("after"), "{at_marker}");
    // At the marker's time, everything of that time is shown.
    assert!(render(dir.path(), &cast, &["--at", "1s"]).contains("after"));
}

#[test]
fn typing_after_a_matched_wait_comes_a_beat_later() {
    // The beat is the scene's typing delay: a person reads what they
    // waited for, then types. The program is still running then (the key
    // goes to it and its terminal echoes it), not ending as the key comes.
    let scene = "deterministic = true\n[typing]\ndelay = \"300ms\"\n\
        [[pane]]\nname = \"a\"\nprompt = \"$ \"\n\
        [[step]]\nrun = \"echo ready; sleep 5\"\n[[step]]\nwait = \"ready\"\n\
        [[step]]\ntype = \"x\"\n";
    let dir = temp_dir();
    let (out, output) = record_scene(dir.path(), scene, &[]);
    assert_ok(&output);
    let cast = Cast::read(&out);
    // The echo of `echo ready` comes a key at a time: the whole word is
    // its output.
    let (ready, typed) = (cast.time_of("ready"), cast.time_of("x"));
    let beat = ((typed - ready) * 1000.0).round();
    assert_eq!(beat, 300.0, "{:?}", cast.events);
}

#[test]
fn a_pause_after_esc_holds_the_picture_vim_draws_once_its_timeout_ran() {
    // vim waits 100 ms after Esc for the rest of an escape sequence before
    // it leaves insert mode and draws its ruler; a virtual pause must not
    // hold the picture of that wait (`-- INSERT --`, `^[`) for its length.
    let scene = "deterministic = true\n[[pane]]\nname = \"vim\"\nprompt = \"$ \"\n\
        [[step]]\nrun = \"vim -u DEFAULTS -i NONE -n note.txt\"\n[[step]]\nwait = \"[New]\"\n\
        [[step]]\nkeys = \"i\"\n[[step]]\ntype = \"hello\"\n[[step]]\nkeys = \"Esc\"\n\
        [[step]]\npause = \"2s\"\n[[step]]\nkeys = [\":\", \"q\", \"!\", \"Enter\"]\n\
        [[step]]\nwait.exit = true\n";
    let dir = temp_dir();
    let (out, output) = record_scene(dir.path(), scene, &[]);
    assert_ok(&output);
    let cast = Cast::read(&out);
    // The pause is the longest time between two events: the picture held
    // during it is the one at its middle.
    let (start, end) = cast
        .events
        .windows(2)
        .map(|w| (w[0].0, w[1].0))
        .max_by(|a, b| (a.1 - a.0).total_cmp(&(b.1 - b.0)))
        .unwrap();
    assert!(end - start >= 1.9, "{:?}", cast.events);
    let middle = format!("{}s", (start + end) / 2.0);
    let held = render(dir.path(), &out, &["--at", &middle]);
    assert!(held.contains("hello"), "{held}");
    assert!(!held.contains("INSERT") && !held.contains("^["), "{held}");
    assert!(held.contains("1,5"), "vim's normal-mode ruler: {held}");
}
