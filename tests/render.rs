//! `director render` through the real binary: each form from its
//! extension, the film's timing, the GIF's structure (decoded by the gif
//! crate), PNG stills, themes, safety of OUT, and casts other tools wrote
//! (`tests/casts`). What the pictures show in a browser and to OCR is
//! checked end to end by `tests/e2e/pictures.py`.

mod common;

use std::path::{Path, PathBuf};

use common::*;

/// Runs `director render OUT CAST ARGS` and returns OUT's bytes.
fn render(out: &Path, cast: &Path, args: &[&str]) -> Vec<u8> {
    let mut all = vec!["render", out.to_str().unwrap(), cast.to_str().unwrap()];
    all.extend_from_slice(args);
    assert_ok(&run(&all));
    std::fs::read(out).unwrap()
}

/// A v2 cast of `cols`x`rows` with `events` as (time, output).
fn casts() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/casts")
}

/// A GIF's frames: (left, top, width, height, delay) each, its size, its
/// palette's length and whether it loops.
struct Gif {
    frames: Vec<(u16, u16, u16, u16, u16)>,
    size: (u16, u16),
    palette: Vec<u8>,
    looping: bool,
}

fn decode_gif(bytes: &[u8]) -> Gif {
    let mut options = gif::DecodeOptions::new();
    options.set_color_output(gif::ColorOutput::Indexed);
    let mut decoder = options.read_info(bytes).expect("a GIF");
    let mut frames = Vec::new();
    while let Some(f) = decoder.read_next_frame().expect("a frame") {
        frames.push((f.left, f.top, f.width, f.height, f.delay));
    }
    Gif {
        size: (decoder.width(), decoder.height()),
        palette: decoder.global_palette().unwrap_or_default().to_vec(),
        looping: decoder.repeat() == gif::Repeat::Infinite,
        frames,
    }
}

/// The film used below: a prompt, typing, then a pause.
fn typing(dir: &Path) -> PathBuf {
    let mut events = vec![(0.0, "\x1b[?25l$ ")];
    let word = ["e", "c", "h", "o"];
    for (i, c) in word.iter().enumerate() {
        events.push((0.5 + 0.1 * i as f64, c));
    }
    events.push((1.0, "\r\nhello\r\n$ "));
    events.push((3.0, "\x1b[1;31mred\x1b[m"));
    write_cast(dir, "typing.cast", (40, 10), &events)
}

#[test]
fn the_form_follows_the_extension() {
    let dir = temp_dir();
    let cast = typing(dir.path());
    let svg = String::from_utf8(render(&dir.path().join("a.svg"), &cast, &[])).unwrap();
    assert!(svg.starts_with("<svg") && svg.contains("@keyframes") && !svg.contains("<script"));
    assert_eq!(&render(&dir.path().join("a.gif"), &cast, &[])[..6], b"GIF89a");
    assert_eq!(
        &render(&dir.path().join("a.png"), &cast, &[])[..8],
        b"\x89PNG\r\n\x1a\n"
    );
    let still = String::from_utf8(render(&dir.path().join("s.svg"), &cast, &["--at", "2s"])).unwrap();
    assert!(!still.contains("@keyframes"));
    assert_eq!(svg::rows(&still, 0)[..2], ["$ echo", "hello"]);
    // The animated SVG's frames, in order: each new screen once.
    let frames: Vec<String> = (0..6).map(|k| svg::rows(&svg, k)[..2].join("/")).collect();
    assert_eq!(frames, ["$/", "$ e/", "$ ec/", "$ ech/", "$ echo/", "$ echo/hello"]);
    assert_eq!(svg::rows(&svg, 6)[2], "$ red");

    for (args, says) in [
        (vec!["x.jpg"], "no picture extension"),
        (vec!["x.gif", "--at", "1s"], "a GIF is the whole film"),
        (vec!["x.svg", "--theme", "nope"], "unknown theme \"nope\""),
        (vec!["x.svg", "--speed", "0"], "is not a speed"),
        (vec!["x.svg", "--from-marker", "nope"], "has no marker \"nope\""),
        (
            vec!["x.svg", "--from", "2s", "--to", "1s"],
            "the part asked for is empty",
        ),
    ] {
        let out = dir.path().join(args[0]);
        let mut all = vec!["render", out.to_str().unwrap(), cast.to_str().unwrap()];
        all.extend_from_slice(&args[1..]);
        let o = run(&all);
        assert!(!o.status.success() && !out.exists(), "{args:?}");
        assert!(stderr(&o).contains(says), "{args:?}: {}", stderr(&o));
    }
}

#[test]
fn the_gif_holds_changed_rectangles_with_delays_that_add_up() {
    let dir = temp_dir();
    let cast = typing(dir.path());
    let gif = decode_gif(&render(
        &dir.path().join("a.gif"),
        &cast,
        &["--idle-time-limit", "none"],
    ));
    // 3 s of cast and the 2 s hold, in hundredths.
    let delays: Vec<u16> = gif.frames.iter().map(|f| f.4).collect();
    assert_eq!(delays, [50, 10, 10, 10, 20, 200, 200]);
    assert!(gif.looping);
    let (w, h) = gif.size;
    assert_eq!(gif.frames[0], (0, 0, w, h, 50), "the first frame is whole");
    // Typing a letter changes two cells: the letter and the cursor's.
    for f in &gif.frames[1..5] {
        assert!(f.2 <= 2 * 8 && f.3 == 17, "{f:?}");
    }
    // The palette: the colours used and their shades, the background first.
    assert!(gif.palette.len() <= 3 * 16, "{}", gif.palette.len());
    assert_eq!(gif.palette[..3], [0x12, 0x13, 0x14]);
    let once = decode_gif(&render(
        &dir.path().join("b.gif"),
        &cast,
        &["--no-loop", "--hold", "0s"],
    ));
    assert!(!once.looping);
    // Without a hold, the last frame still shows for a frame (at 30 a second).
    assert_eq!(once.frames.iter().map(|f| u32::from(f.4)).sum::<u32>(), 303);
}

#[test]
fn time_options_retime_and_cut_the_film() {
    let dir = temp_dir();
    let cast = typing(dir.path());
    let length = |args: &[&str]| {
        let svg = String::from_utf8(render(&dir.path().join("t.svg"), &cast, args)).unwrap();
        let at = svg.find("animation:m ").unwrap() + "animation:m ".len();
        svg[at..].split('s').next().unwrap().parse::<f64>().unwrap()
    };
    assert_eq!(length(&[]), 5.0);
    assert_eq!(length(&["--speed", "2"]), 3.5);
    assert_eq!(length(&["--idle-time-limit", "1s", "--hold", "0.5s"]), 2.5);
    assert_eq!(length(&["--from", "1s", "--to", "2.5s", "--hold", "1s"]), 2.5);
    // A cut starts on the screen of its moment.
    let svg = String::from_utf8(render(&dir.path().join("c.svg"), &cast, &["--from", "1.5s"])).unwrap();
    assert_eq!(svg::rows(&svg, 0)[..3], ["$ echo", "hello", "$"]);
}

#[test]
fn fast_output_is_capped_at_the_frame_rate() {
    let dir = temp_dir();
    // 2000 lines, one every millisecond.
    let lines: Vec<String> = (1..=2000).map(|i| format!("{i}\r\n")).collect();
    let events: Vec<(f64, &str)> = lines
        .iter()
        .enumerate()
        .map(|(i, l)| (i as f64 / 1000.0, l.as_str()))
        .collect();
    let cast = write_cast(dir.path(), "fast.cast", (20, 5), &events);
    let gif = decode_gif(&render(
        &dir.path().join("f.gif"),
        &cast,
        &["--fps-cap", "10", "--hold", "0s"],
    ));
    assert!(
        gif.frames.len() <= 21,
        "{} frames for 2 s at 10 a second",
        gif.frames.len()
    );
    assert!(gif.frames.iter().all(|f| f.4 >= 10), "{:?}", gif.frames);
    let svg = String::from_utf8(render(&dir.path().join("f.svg"), &cast, &["--fps-cap", "10"])).unwrap();
    assert!(svg.matches("translateX").count() <= 22);
    // The last frame is the screen at the end.
    let last = svg::frames(&svg) - 1;
    assert_eq!(svg::rows(&svg, last), ["1997", "1998", "1999", "2000", ""]);
}

#[test]
fn png_stills_have_the_themes_colours_and_the_fonts_size() {
    let dir = temp_dir();
    let cast = typing(dir.path());
    let decode = |bytes: &[u8]| {
        let mut reader = png::Decoder::new(std::io::Cursor::new(bytes.to_vec()))
            .read_info()
            .unwrap();
        let mut data = vec![0; reader.output_buffer_size().unwrap()];
        let info = reader.next_frame(&mut data).unwrap();
        (info.width, info.height, data)
    };
    let (w, h, data) = decode(&render(
        &dir.path().join("p.png"),
        &cast,
        &["--theme", "solarized-dark"],
    ));
    // 40x10 cells of 8x17 pixels, 12 pixels of padding.
    assert_eq!((w, h), (40 * 8 + 24, 10 * 17 + 24));
    assert_eq!(data[..3], [0x00, 0x2b, 0x36], "solarized-dark's background");
    let (w, h, _) = decode(&render(
        &dir.path().join("q.png"),
        &cast,
        &["--font-size", "28", "--padding", "0"],
    ));
    assert_eq!((w, h), (40 * 17, 10 * 34));
    // A theme file as in a cast header.
    let theme = dir.path().join("theme.json");
    std::fs::write(&theme, r##"{"fg": "#ffffff", "bg": "#102030", "palette": "#000000:#ff0000:#00ff00:#ffff00:#0000ff:#ff00ff:#00ffff:#ffffff"}"##).unwrap();
    let (_, _, data) = decode(&render(
        &dir.path().join("r.png"),
        &cast,
        &["--theme", theme.to_str().unwrap()],
    ));
    assert_eq!(data[..3], [0x10, 0x20, 0x30]);
}

#[test]
fn out_is_written_whole_and_only_over_a_picture_of_its_kind() {
    let dir = temp_dir();
    let cast = typing(dir.path());
    let notes = dir.path().join("notes.svg");
    std::fs::write(&notes, "my notes\n").unwrap();
    let o = run(&["render", notes.to_str().unwrap(), cast.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("is not an SVG picture") && stderr(&o).contains("--force"),
        "{}",
        stderr(&o)
    );
    assert_eq!(std::fs::read_to_string(&notes).unwrap(), "my notes\n");
    render(&notes, &cast, &["--force"]);
    // A picture of the kind is replaced; another kind is not.
    let gif = dir.path().join("a.gif");
    render(&gif, &cast, &[]);
    render(&gif, &cast, &["--fps-cap", "5"]);
    let png_as_gif = dir.path().join("b.gif");
    std::fs::write(&png_as_gif, render(&dir.path().join("c.png"), &cast, &[])).unwrap();
    assert_eq!(
        run(&["render", png_as_gif.to_str().unwrap(), cast.to_str().unwrap()])
            .status
            .code(),
        Some(2)
    );
    // The cast itself, through a link named like a picture, never.
    let link = dir.path().join("cast.svg");
    std::os::unix::fs::symlink(&cast, &link).unwrap();
    let o = run(&["render", link.to_str().unwrap(), cast.to_str().unwrap(), "--force"]);
    assert!(stderr(&o).contains("is the cast itself"), "{}", stderr(&o));
    assert!(
        std::fs::read_to_string(&cast)
            .unwrap()
            .starts_with("{\"height\":10,\"version\":2")
    );
    // An unreadable cast leaves no file behind.
    let out = dir.path().join("none.svg");
    assert_eq!(
        run(&["render", out.to_str().unwrap(), "/nonexistent.cast"])
            .status
            .code(),
        Some(1)
    );
    assert!(!out.exists());
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn casts_other_tools_wrote_render_in_every_form() {
    let dir = temp_dir();
    for name in ["asciinema-v3.cast", "resize-v2.cast", "split-v2.cast"] {
        let cast = casts().join(name);
        for ext in ["svg", "gif", "png"] {
            let bytes = render(&dir.path().join(format!("{name}.{ext}")), &cast, &[]);
            assert!(bytes.len() > 100, "{name}.{ext}");
        }
        let gif = decode_gif(&std::fs::read(dir.path().join(format!("{name}.gif"))).unwrap());
        assert!(gif.frames.len() >= 2, "{name}");
    }
    let still = |name: &str| {
        let out = dir.path().join(format!("{name}-still.svg"));
        svg::rows(
            &String::from_utf8(render(&out, &casts().join(name), &["--still"])).unwrap(),
            0,
        )
    };
    // Output split inside escape sequences, CRLF and characters is drawn
    // as if it came whole: colours, a cursor move, é, wide characters.
    let split = still("split-v2.cast");
    assert_eq!(split[1..3], ["red text", "bold green"]);
    assert_eq!(split[4], "         at row 5 col 10");
    assert_eq!(split[5], "cafe\u{301} ok");
    assert_eq!(split[6], "wide: 世界 done");
    assert_eq!(split[8..11], ["┌──────┐", "│ 世界 │ box", "└──────┘"]);
    // After a resize the picture is the larger size, and the last row shows.
    let resized = still("resize-v2.cast");
    assert_eq!(resized.len(), 20);
    assert!(resized[19].starts_with("row 20: the last row"), "{resized:?}");
    assert_eq!(resized[6].len(), 80);
    // The animated SVG of the resized cast is as large as its largest screen.
    let svg = std::fs::read_to_string(dir.path().join("resize-v2.cast.svg")).unwrap();
    assert!(svg.contains(r#"width="696" height="364""#), "{}", &svg[..200]);
}

#[test]
fn a_stop_signal_leaves_no_picture_and_no_temporary_file() {
    let dir = temp_dir();
    // Long enough to be drawing when the signal comes: full screens of colour.
    let screens = colour_screens(2000, "");
    let events: Vec<(f64, &str)> = screens
        .iter()
        .enumerate()
        .map(|(i, s)| (i as f64 * 0.05, s.as_str()))
        .collect();
    let cast = write_cast(dir.path(), "big.cast", (100, 36), &events);
    let out = dir.path().join("big.gif");
    let child = director()
        .args(["render", out.to_str().unwrap(), cast.to_str().unwrap()])
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    stop_leaves_only(child, std::time::Duration::from_millis(700), dir.path(), "big.cast");
}
