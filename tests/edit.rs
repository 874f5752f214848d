//! `director edit` through the real binary on casts written as other tools
//! write them: the identity scrubbed from every byte and every screen, cuts
//! that keep the picture, retiming, conversion, and OUT's safety. Screens
//! are replayed in avt, every row read (edit's own check searches only the
//! lines each event changed).

mod common;

use std::path::{Path, PathBuf};

use common::*;

/// A hand-made v2 cast as `asciinema rec` writes one of a bash in tmux:
/// titles, prompts and paths that name alice on pc42.
fn hand_cast(dir: &Path) -> PathBuf {
    let events: [(f64, &str); 9] = [
        (
            0.0,
            "\x1b]0;alice@pc42: ~\x07\x1b]7;file://pc42/home/alice\x07alice@pc42:~$ ",
        ),
        (1.0, "l"),
        (1.1, "s"),
        (1.3, "\r\n/home/alice/notes.txt\r\n"),
        (1.4, "\x1b]2;alice@pc42: ~\x1b\\alice@pc"),
        (1.45, "42:~$ "),
        (3.0, "\x1b[2J\x1b[Hcleared by a program\r\n"),
        (4.0, "\x1b[32mafter\x1b[m\r\n"),
        (9.0, "done\r\n"),
    ];
    let path = dir.join("hand.cast");
    let header = serde_json::json!({"version": 2, "width": 40, "height": 6, "timestamp": 1_700_000_000,
        "title": "alice's demo", "env": {"SHELL": "/bin/bash", "TERM": "xterm", "HOME": "/home/alice"}});
    let mut lines = vec![header.to_string()];
    lines.extend(events.iter().map(|(t, o)| serde_json::json!([t, "o", o]).to_string()));
    lines.push(serde_json::json!([5.0, "m", "alice's part"]).to_string());
    // In time order: the marker goes between the events at 4 s and 9 s.
    lines.sort_by_key(|l| {
        l.starts_with('[').then(|| {
            (serde_json::from_str::<serde_json::Value>(l).unwrap()[0]
                .as_f64()
                .unwrap()
                * 1000.0) as u64
        })
    });
    std::fs::write(&path, lines.join("\n") + "\n").unwrap();
    path
}

fn edit(args: &[&str]) -> std::process::Output {
    let mut all = vec!["edit"];
    all.extend_from_slice(args);
    run(&all)
}

#[test]
fn a_scrub_leaves_no_identity_in_any_byte_or_frame() {
    let dir = temp_dir();
    let raw = hand_cast(dir.path());
    let out = dir.path().join("clean.cast");
    let o = edit(&[raw.to_str().unwrap(), out.to_str().unwrap(), "--scrub"]);
    assert_ok(&o);
    assert!(
        stderr(&o).contains("scrubbed 5 occurrences, 3 title and path sequences"),
        "{}",
        stderr(&o)
    );
    let text = std::fs::read_to_string(&out).unwrap();
    for private in ["alice", "pc42", "1700000000", "HOME"] {
        assert!(!text.contains(private), "{private} in {text}");
    }
    assert!(
        text.contains("direc's part"),
        "the marker's label is scrubbed too: {text}"
    );
    assert_ok(&run(&["check", out.to_str().unwrap()]));
    // Every moment shows what the original does, the names replaced.
    let (original, clean) = (Cast::read(&raw), Cast::read(&out));
    let rows = |s: Screen| -> Vec<String> { s.dump().lines().map(|r| r.trim_end().to_string()).collect() };
    // (At 1.4 s the original shows "alice@pc": a piece that may begin a
    // name waits for the next, and shows with it at 1.45 s.)
    for (t, _, _) in original.events.iter().filter(|e| e.0 != 1.4) {
        let want: Vec<String> = rows(original.screen_at(*t))
            .iter()
            .map(|r| r.replace("alice", "direc").replace("pc42", "demo"))
            .collect();
        assert_eq!(rows(clean.screen_at(*t)), want, "at {t}");
    }
}

#[test]
fn a_name_the_cast_shows_only_late_is_scrubbed_from_its_start_too() {
    // Long before any prompt names bob@late, the output holds his home and
    // his name; the prompt comes after thousands of events.
    let dir = temp_dir();
    let mut lines: Vec<(f64, String)> = vec![(0.0, "ls /home/bob/src\r\nbob was here\r\n".to_string())];
    lines.extend((1..6000).map(|i| (i as f64 * 0.001, format!("line {i}\r\n"))));
    lines.push((7.0, "bob@late:~$ ".to_string()));
    let events: Vec<(f64, &str)> = lines.iter().map(|(t, o)| (*t, o.as_str())).collect();
    let raw = write_cast(dir.path(), "late.cast", (40, 6), &events);
    let out = dir.path().join("clean.cast");
    let o = edit(&[raw.to_str().unwrap(), out.to_str().unwrap(), "--scrub"]);
    assert_ok(&o);
    let text = std::fs::read_to_string(&out).unwrap();
    for private in ["bob", "late"] {
        assert!(!text.contains(private), "{private} in {}", &text[..400]);
    }
    assert!(text.contains("/home/dir/src"), "{}", &text[..400]);
    assert_ok(&run(&["check", out.to_str().unwrap()]));
    assert_eq!(
        text.lines().count(),
        lines.len() + 1,
        "every event once: {}",
        stderr(&o)
    );
}

#[test]
fn given_names_are_replaced_and_one_assembled_on_screen_is_refused() {
    let dir = temp_dir();
    let cast = dir.path().join("assembled.cast");
    let lines = [
        r#"{"version": 2, "width": 30, "height": 3}"#,
        r#"[0.1, "o", "user: xlice"]"#,
        r#"[0.2, "o", "\r\n"]"#,
        r#"[0.3, "o", "\u001b[1;7Ha"]"#,
    ];
    std::fs::write(&cast, lines.join("\n") + "\n").unwrap();
    let out = dir.path().join("out.cast");
    let o = edit(&[cast.to_str().unwrap(), out.to_str().unwrap(), "--user", "alice"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("a user name is still on screen after the edit at event 4 (0.300 s), row 1"),
        "{}",
        stderr(&o)
    );
    assert!(!out.exists(), "nothing is written");
    // A rule for the row's text fixes it.
    let o = edit(&[
        cast.to_str().unwrap(),
        out.to_str().unwrap(),
        "--user",
        "alice",
        "--redact",
        "xlice=bob",
    ]);
    assert_ok(&o);
    assert_eq!(Cast::read(&out).final_screen().text(0, 0, 30), "user: aob");
}

#[test]
fn cuts_keep_the_picture_of_every_remaining_moment() {
    let dir = temp_dir();
    let raw = hand_cast(dir.path());
    let out = dir.path().join("cut.cast");
    // The start-up before the first key, the clear at 3 s and a long pause.
    let o = edit(&[
        raw.to_str().unwrap(),
        out.to_str().unwrap(),
        "--from",
        "1s",
        "--cut",
        "2.5..3.5s",
        "--cut",
        "5s..8s",
    ]);
    assert_ok(&o);
    assert!(stderr(&o).contains("cut 5.0 s"), "{}", stderr(&o));
    let (original, cut) = (Cast::read(&raw), Cast::read(&out));
    assert_eq!(
        cut.end(),
        4.0,
        "9 s less 1 s, 1 s and 3 s: {}",
        std::fs::read_to_string(&out).unwrap()
    );
    // The first picture is the original's at 1 s; after the first cut,
    // what the program's clear left; each kept moment as the original's.
    assert_eq!(cut.screen_at(0.0).dump(), original.screen_at(1.0).dump());
    for (t, mapped) in [(1.1, 0.1), (1.45, 0.45), (3.5, 1.5), (4.0, 2.0), (9.0, 4.0)] {
        assert_eq!(
            cut.screen_at(mapped).dump(),
            original.screen_at(t).dump(),
            "at {t} (now {mapped})"
        );
    }
    assert!(cut.screen_at(1.5).dump().starts_with("cleared by a program"));
    // A marker names a range.
    let part = dir.path().join("part.cast");
    assert_ok(&edit(&[
        raw.to_str().unwrap(),
        part.to_str().unwrap(),
        "--to-marker",
        "alice's part",
    ]));
    // Up to the marker at 5 s, the marker kept.
    let part = Cast::read(&part);
    assert_eq!((part.end(), part.events.last().unwrap().1.as_str()), (5.0, "m"));
}

#[test]
fn retime_and_convert() {
    let dir = temp_dir();
    let raw = hand_cast(dir.path());
    let v3 = dir.path().join("v3.cast");
    assert_ok(&edit(&[
        raw.to_str().unwrap(),
        v3.to_str().unwrap(),
        "--format",
        "v3",
        "--idle-time-limit",
        "1s",
        "--speed",
        "2",
    ]));
    let text = std::fs::read_to_string(&v3).unwrap();
    assert!(text.starts_with("{\"version\":3"), "{text}");
    let back = dir.path().join("back.cast");
    assert_ok(&edit(&[v3.to_str().unwrap(), back.to_str().unwrap(), "--format", "v2"]));
    let (original, fast) = (Cast::read(&raw), Cast::read(&back));
    // 9 s with its pauses cut to 1 s (1, 0.1, 0.2, 0.1, 0.05, 1, 1, 1, 1 = 5.45 s), twice as fast.
    assert!((fast.end() - 2.725).abs() < 1e-6, "{}", fast.end());
    assert_eq!(fast.final_screen().dump(), original.final_screen().dump());
    // A part played at once: the typing of `ls` and its output together.
    let zero = dir.path().join("zero.cast");
    let o = edit(&[raw.to_str().unwrap(), zero.to_str().unwrap(), "--zero", "1s..1.45s"]);
    assert_ok(&o);
    assert!(stderr(&o).contains("; zeroed 0.5 s"), "{}", stderr(&o));
    let times: Vec<f64> = Cast::read(&zero)
        .events
        .iter()
        .map(|e| (e.0 * 1000.0).round() / 1000.0)
        .collect();
    assert_eq!(times, [0.0, 1.0, 1.0, 1.0, 1.0, 1.0, 2.55, 3.55, 4.55, 8.55]);
}

#[test]
fn an_event_the_edit_leaves_alone_is_written_as_it_was_read() {
    // Spelled as other writers spell JSON: upper-case and needless
    // escapes, a surrogate pair; the second event names alice.
    let dir = temp_dir();
    let raw = dir.path().join("spelled.cast");
    let kept = r#""\u001B[1mbold\u001B[m \/ caf\u00e9 \ud83d\ude00\r\n""#;
    let named = r#""\u0061lice@pc42:~$ ""#;
    let lines = [
        r#"{"version": 2, "width": 30, "height": 4}"#.to_string(),
        format!("[0.5, \"o\", {kept}]"),
        format!("[1.0, \"o\", {named}]"),
    ];
    std::fs::write(&raw, lines.join("\n") + "\n").unwrap();
    let out = dir.path().join("out.cast");
    let o = edit(&[
        raw.to_str().unwrap(),
        out.to_str().unwrap(),
        "--user",
        "alice",
        "--host",
        "pc42",
        "--speed",
        "2",
    ]);
    assert_ok(&o);
    let text = std::fs::read_to_string(&out).unwrap();
    let written: Vec<&str> = text.lines().collect();
    // Retimed, and the data as it was read, byte for byte.
    assert_eq!(written[1], format!("[0.250000, \"o\", {kept}]"));
    // The scrubbed event is written anew, without the name.
    let data: serde_json::Value = serde_json::from_str(written[2]).unwrap();
    let data = data[2].as_str().unwrap();
    assert!(!data.contains("alice") && !data.contains("pc42"), "{data}");
    assert!(!written[2].contains("\\u0061"), "{}", written[2]);
    assert_ok(&run(&["check", out.to_str().unwrap()]));
}

#[test]
fn a_typed_key_that_could_begin_a_name_is_shown_at_its_own_time() {
    // A key at a time, each echoed half a second after the last: `p` could
    // begin pc42 until the next key says otherwise.
    let dir = temp_dir();
    let raw = dir.path().join("typed.cast");
    let typed = "$ python pc42 pcx\r\n";
    let mut lines = vec![r#"{"version": 2, "width": 30, "height": 4}"#.to_string()];
    for (i, key) in typed.chars().enumerate() {
        lines.push(serde_json::json!([i as f64 * 0.5, "o", key.to_string()]).to_string());
    }
    std::fs::write(&raw, lines.join("\n") + "\n").unwrap();
    let out = dir.path().join("out.cast");
    assert_ok(&edit(&[raw.to_str().unwrap(), out.to_str().unwrap(), "--host", "pc42"]));
    let cast = Cast::read(&out);
    let text: String = cast.events.iter().map(|e| e.2.as_str()).collect();
    assert_eq!(text, "$ python demo pcx\r\n");
    // When each key of the original that is still there first shows.
    let shown_at = |at: usize| {
        let mut length = 0;
        cast.events.iter().find_map(|(time, _, data)| {
            length += data.len();
            (length > at).then_some(*time)
        })
    };
    for i in 0..typed.len() {
        // pc42's stand-in (of its length) shows once the key after it says
        // it is a whole word; every other key at its own time.
        let time = if (9..13).contains(&i) { 6.5 } else { i as f64 * 0.5 };
        assert_eq!(shown_at(i), Some(time), "key {i}");
    }
    // Held when the cast ends: out at its time all the same.
    let end = dir.path().join("end.cast");
    std::fs::write(&end, lines[..4].join("\n") + "\n").unwrap();
    assert_ok(&edit(&[end.to_str().unwrap(), out.to_str().unwrap(), "--host", "pc42"]));
    let times: Vec<(f64, String)> = Cast::read(&out).events.into_iter().map(|e| (e.0, e.2)).collect();
    assert_eq!(
        times,
        [(0.0, "$".to_string()), (0.5, " ".to_string()), (1.0, "p".to_string())]
    );
}

#[test]
fn out_is_checked_before_anything_is_read() {
    let dir = temp_dir();
    let raw = hand_cast(dir.path());
    let o = edit(&[raw.to_str().unwrap(), raw.to_str().unwrap(), "--scrub"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("is the input cast itself"), "{}", stderr(&o));
    let notes = dir.path().join("notes.txt");
    std::fs::write(&notes, "mine\n").unwrap();
    let o = edit(&[raw.to_str().unwrap(), notes.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(std::fs::read_to_string(&notes).unwrap(), "mine\n");
    let o = edit(&[
        raw.to_str().unwrap(),
        dir.path().join("x.cast").to_str().unwrap(),
        "--cut",
        "3s..1s",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("is empty"), "{}", stderr(&o));
}

#[test]
fn trim_drops_the_start_up_and_the_exits_and_typing_gets_a_steady_pace() {
    let dir = temp_dir();
    let raw = dir.path().join("tmux.cast");
    // As inside tmux: keys echoed with the cursor hidden and moved back.
    let key = |c: char, col: usize| format!("\u{1b}[?25l\u{1b}[2;{col}H{c}\u{1b}[?25h");
    let mut events = vec![
        (0.0, "\u{1b}[?1049h\u{1b}[Hstarting...\r\n".to_string()),
        (0.8, "$ ".to_string()),
        (2.0, key('l', 3)),
        (3.5, key('s', 4)),
        (3.9, "\r\nnotes.txt\r\n$ ".to_string()),
    ];
    for (i, c) in "exit".chars().enumerate() {
        events.push((5.0 + 0.2 * i as f64, key(c, 3 + i).replace("[2;", "[4;")));
    }
    events.push((6.0, "\r\n\u{1b}[?1049l[exited]\r\n".to_string()));
    let mut lines = vec![r#"{"version": 2, "width": 30, "height": 6}"#.to_string()];
    lines.extend(events.iter().map(|(t, o)| serde_json::json!([t, "o", o]).to_string()));
    std::fs::write(&raw, lines.join("\n") + "\n").unwrap();
    let out = dir.path().join("trimmed.cast");
    let o = edit(&[
        raw.to_str().unwrap(),
        out.to_str().unwrap(),
        "--trim",
        "--typing",
        "60ms",
    ]);
    assert_ok(&o);
    assert!(stderr(&o).contains("; 2 keystrokes retyped"), "{}", stderr(&o));
    let (original, trimmed) = (Cast::read(&raw), Cast::read(&out));
    // It starts on the prompt half a second before the first key, the
    // keys 60 ms apart, the output 0.4 s after the last as before, and
    // ends before "exit" is typed.
    let times: Vec<f64> = trimmed.events.iter().map(|e| (e.0 * 1000.0).round() / 1000.0).collect();
    assert_eq!(times, [0.0, 0.5, 0.56, 0.96]);
    assert_eq!(trimmed.screen_at(0.0).text(1, 0, 30), "$");
    assert_eq!(trimmed.final_screen().dump(), original.screen_at(4.9).dump());
}

#[test]
fn fit_and_size_show_the_used_area_cell_for_cell() {
    let dir = temp_dir();
    let raw = dir.path().join("wide.cast");
    // A 100x36 terminal whose program only used a 30x4 area in its middle.
    let lines = [
        r#"{"version": 2, "width": 100, "height": 36}"#,
        r#"[0.1, "o", "\u001b[?25l\u001b[10;20H\u001b[1;32mserver\u001b[m listening"]"#,
        r#"[0.5, "o", "\u001b[11;20Hclient: \u001b[44mconnected\u001b[m"]"#,
        r#"[0.9, "o", "\u001b[13;20H世界 and the end of it, col 49"]"#,
    ];
    std::fs::write(&raw, lines.join("\n") + "\n").unwrap();
    let fit = dir.path().join("fit.cast");
    assert_ok(&edit(&[raw.to_str().unwrap(), fit.to_str().unwrap(), "--fit"]));
    let (original, small) = (Cast::read(&raw), Cast::read(&fit));
    assert_eq!(small.size(), (30, 4));
    for t in [0.1, 0.5, 0.9] {
        let (big, part) = (original.screen_at(t), small.screen_at(t));
        for r in 0..3 {
            assert_eq!(part.text(r, 0, 30), big.text(r + 9, 19, 49), "row {r} at {t}");
        }
    }
    // (avt keeps a wide character once in its row: compare the row whole.)
    let row = |s: &Screen, r: usize| s.rows[r].iter().collect::<String>().trim().to_string();
    assert_eq!(row(&small.final_screen(), 3), row(&original.final_screen(), 12));
    assert_eq!(row(&small.final_screen(), 3), "世界 and the end of it, col 49");
    // Colours and attributes come along.
    let part = small.final_screen();
    assert_eq!(part.style(0, 0), original.final_screen().style(9, 19));
    assert_eq!(part.background(1, 8), original.final_screen().background(10, 27));
    // --size: the top-left window.
    let top = dir.path().join("top.cast");
    assert_ok(&edit(&[
        raw.to_str().unwrap(),
        top.to_str().unwrap(),
        "--size",
        "40x12",
    ]));
    let top = Cast::read(&top);
    assert_eq!(top.size(), (40, 12));
    assert_eq!(top.final_screen().text(9, 19, 40), "server listening");
    assert_ok(&run(&["check", dir.path().join("fit.cast").to_str().unwrap()]));
}

#[test]
fn casts_of_one_size_join_with_a_marker_at_each_join() {
    let dir = temp_dir();
    let write = |name: &str, size: (u16, u16), events: &[(f64, &str)]| {
        let path = dir.path().join(name);
        let mut lines = vec![serde_json::json!({"version": 2, "width": size.0, "height": size.1}).to_string()];
        lines.extend(events.iter().map(|(t, o)| serde_json::json!([t, "o", o]).to_string()));
        std::fs::write(&path, lines.join("\n") + "\n").unwrap();
        path
    };
    let a = write("part-one.cast", (20, 4), &[(0.5, "one\r\n"), (2.0, "two\r\n")]);
    let b = write("part-two.cast", (20, 4), &[(0.25, "three\r\n")]);
    let c = write("wide.cast", (30, 4), &[(0.1, "x")]);
    let out = dir.path().join("all.cast");
    assert_ok(&edit(&[
        a.to_str().unwrap(),
        out.to_str().unwrap(),
        "--append",
        b.to_str().unwrap(),
    ]));
    let all = Cast::read(&out);
    let events: Vec<(f64, &str, &str)> = all.events.iter().map(|e| (e.0, e.1.as_str(), e.2.as_str())).collect();
    assert_eq!(
        events,
        [
            (0.5, "o", "one\r\n"),
            (2.0, "o", "two\r\n"),
            (2.0, "m", "part-two"),
            (2.25, "o", "three\r\n")
        ]
    );
    assert_eq!(all.final_screen().lines(0, 20, 0..4), ["one", "two", "three"]);
    let o = edit(&[
        a.to_str().unwrap(),
        out.to_str().unwrap(),
        "--append",
        c.to_str().unwrap(),
        "--force",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("wide is 30x4, the first cast 20x4"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn a_stop_signal_while_checking_and_following_writes_nothing() {
    // Large enough to be mid-edit when the signal comes: full screens of
    // colour, scrubbed (the check's thread) and cut (the follower's).
    let dir = temp_dir();
    let screens = colour_screens(2000, "alice@pc42 ");
    let events: Vec<(f64, &str)> = screens
        .iter()
        .enumerate()
        .map(|(i, s)| (i as f64 * 0.05, s.as_str()))
        .collect();
    let raw = write_cast(dir.path(), "big.cast", (100, 36), &events);
    let out = dir.path().join("clean.cast");
    let child = director()
        .args(["edit", raw.to_str().unwrap(), out.to_str().unwrap()])
        .args(["--user", "alice", "--host", "pc42", "--cut", "10s..20s", "--from", "1s"])
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // The edit takes about 1.5 s.
    stop_leaves_only(child, std::time::Duration::from_millis(300), dir.path(), "big.cast");
}

#[test]
fn a_pipe_is_edited_in_one_pass_and_refused_where_two_are_needed() {
    let dir = temp_dir();
    let fifo = dir.path().join("in.fifo");
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let out = dir.path().join("out.cast");
    // Nobody writes to the pipe: an edit that would read it twice says so
    // at once rather than wait for a second writer.
    let o = edit(&[fifo.to_str().unwrap(), out.to_str().unwrap(), "--scrub"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("not a regular file"), "{}", stderr(&o));
    // One pass reads the pipe as it comes.
    let raw = hand_cast(dir.path());
    let writer = {
        let (raw, fifo) = (raw.clone(), fifo.clone());
        std::thread::spawn(move || std::fs::write(&fifo, std::fs::read(&raw).unwrap()).unwrap())
    };
    let o = edit(&[fifo.to_str().unwrap(), out.to_str().unwrap(), "--speed", "2"]);
    writer.join().unwrap();
    assert_ok(&o);
    assert_eq!(
        Cast::read(&out).events.len(),
        Cast::read(&raw).events.len(),
        "{}",
        stderr(&o)
    );
}

/// A cast of over 4 MiB: `lines` lines of plain output, `head` after a
/// tenth of them (after what the check's first batch shows the relay) and
/// `assembled` after three quarters; gives the number of that event too.
fn long_cast(dir: &Path, name: &str, head: &str, lines: usize, assembled: &str) -> (PathBuf, usize) {
    let filler: Vec<String> = (0..lines)
        .map(|i| format!("line {i:>6} of a long build log, with nothing private in it\r\n"))
        .collect();
    let (tenth, at) = (lines / 10, lines * 3 / 4);
    let mut events: Vec<(f64, &str)> = Vec::new();
    let time = |i: usize| 0.001 * i as f64;
    events.extend(filler[..tenth].iter().enumerate().map(|(i, l)| (time(i), l.as_str())));
    events.push((time(tenth), head));
    events.extend(
        filler[tenth..at]
            .iter()
            .enumerate()
            .map(|(i, l)| (time(tenth + i), l.as_str())),
    );
    events.push((time(at), assembled));
    let number = events.len();
    events.extend(filler[at..].iter().enumerate().map(|(i, l)| (time(at + i), l.as_str())));
    (write_cast(dir, name, (100, 36), &events), number)
}

/// `ali` and `ce` written apart at the right edge of the bottom row: with
/// wrapping on, the screen joins them into `alice`.
const AT_THE_EDGE: &str = "\x1b[36;98Hali\x1b[mce";
/// `ali` and `ce` written apart at the start of a row: `alice` on any
/// screen.
const AT_THE_START: &str = "\x1b[20;1Hali\x1b[mce";

#[test]
fn a_long_cast_is_checked_in_two_parts_that_agree_with_one_check() {
    let dir = temp_dir();
    let lines = 70_000;
    let (cast, number) = long_cast(dir.path(), "long.cast", "", lines, AT_THE_EDGE);
    assert!(
        std::fs::metadata(&cast).unwrap().len() > 4 << 20,
        "a cast long enough to be checked in halves"
    );
    let out = dir.path().join("out.cast");
    let refused = |cast: &Path, number: usize| {
        let o = edit(&[cast.to_str().unwrap(), out.to_str().unwrap(), "--user", "alice"]);
        assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
        let expected = format!("a user name is still on screen after the edit at event {number} (");
        assert!(stderr(&o).contains(&expected), "{}", stderr(&o));
        assert!(!out.exists(), "nothing is written");
    };
    // The name shows in the last two fifths: the relay that checks it is in
    // the whole replay's state where it takes over, and its finding counts.
    refused(&cast, number);
    // Wrapping turned off once, early: `ce` lands on the row's last cell,
    // and no frame shows the name. A relay that starts later wraps: it sees
    // the name, but its screen is not the cast's, so the first check goes
    // on from where the relay took over, reading back what was written.
    let (cast, _) = long_cast(dir.path(), "nowrap.cast", "\x1b[?7l", lines, AT_THE_EDGE);
    let o = edit(&[cast.to_str().unwrap(), out.to_str().unwrap(), "--user", "alice"]);
    assert_ok(&o);
    assert_ok(&run(&["check", out.to_str().unwrap()]));
    // The same to standard output, read back from memory.
    let o = edit(&[cast.to_str().unwrap(), "-", "--user", "alice"]);
    assert_ok(&o);
    assert_eq!(o.stdout, std::fs::read(&out).unwrap());
    // What the first check reads back, it checks.
    std::fs::remove_file(&out).unwrap();
    let (cast, number) = long_cast(dir.path(), "nowrap-start.cast", "\x1b[?7l", lines, AT_THE_START);
    refused(&cast, number);
}
