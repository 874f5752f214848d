//! Faithful time: the picture at a marker is the one the marker was passed
//! at; a typed step after a matched wait comes a human beat later; a held
//! picture is what a person would see once the programs had their time.

mod common;

use std::path::Path;

use common::*;

/// `director render` of `cast` with `extra` arguments: the SVG's text.
fn render(dir: &Path, cast: &Path, extra: &[&str]) -> String {
    let out = dir.join("frame.svg");
    let mut args = vec!["render", out.to_str().unwrap(), cast.to_str().unwrap()];
    args.extend_from_slice(extra);
    assert_ok(&run(&args));
    std::fs::read_to_string(&out).unwrap()
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
