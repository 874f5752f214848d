//! `director check`, `director demo` and the help texts, through the real binary.

mod common;

use common::*;

#[test]
fn check_accepts_a_valid_cast_and_rejects_a_broken_one_with_its_line() {
    let dir = temp_dir();
    let good = dir.path().join("good.cast");
    std::fs::write(
        &good,
        "{\"version\":2,\"width\":80,\"height\":24}\n[0.5, \"o\", \"hi\"]\n[1.25, \"m\", \"\"]\n",
    )
    .unwrap();
    let output = run(&["check", good.to_str().unwrap()]);
    assert_ok(&output);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("asciicast v2, 80x24, 2 events"), "{stdout}");
    assert!(stdout.contains("1.250 s"), "{stdout}");

    let bad = dir.path().join("bad.cast");
    std::fs::write(
        &bad,
        "{\"version\":2,\"width\":80,\"height\":24}\n[0.5, \"o\", \"hi\"]\n[0.25, \"o\", \"back\"]\n",
    )
    .unwrap();
    let output = run(&["check", bad.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("line 3:"), "{stderr}");

    let missing = run(&["check", "/nonexistent.cast"]);
    assert_eq!(missing.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("cannot read /nonexistent.cast"));
}

#[test]
fn demo_server_reports_a_taken_port() {
    let holder = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = holder.local_addr().unwrap().to_string();
    let output = run(&["demo", "server", "--addr", &addr]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(&format!("cannot listen on {addr}")) && stderr.contains("address already in use"),
        "{stderr}"
    );
}

#[test]
fn demo_client_reports_nothing_listening() {
    let addr = format!("127.0.0.1:{}", free_port());
    let output = run(&["demo", "client", "--addr", &addr]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains(&format!("cannot connect to {addr}")), "{stderr}");
}

#[test]
fn demo_peers_talk_through_the_binary_and_read_their_address_from_the_environment() {
    let addr = format!("127.0.0.1:{}", free_port());
    let server = director()
        .args(["demo", "server", "--hold", "100ms"])
        .env("DIRECTOR_DEMO_ADDR", &addr)
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // The client retries are the test's, not the program's: the server needs a moment to bind.
    let mut client = None;
    for _ in 0..50 {
        let output = director()
            .args(["demo", "client"])
            .env("DIRECTOR_DEMO_ADDR", &addr)
            .output()
            .unwrap();
        if output.status.success() {
            client = Some(output);
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let client = client.expect("the client connected");
    let server = server.wait_with_output().unwrap();
    assert!(server.status.success());
    assert_eq!(
        String::from_utf8_lossy(&client.stdout).lines().collect::<Vec<_>>(),
        [
            "Connected to server.",
            "Message sent.",
            "Received: Hello, client!",
            "Connection closed."
        ]
    );
    let server_out = String::from_utf8_lossy(&server.stdout);
    let lines: Vec<&str> = server_out.lines().collect();
    assert_eq!(lines[0], format!("Server listening on {addr}"));
    assert!(lines[1].starts_with("Connected by 127.0.0.1:"));
    assert_eq!(
        lines[2..],
        [
            "Received: Hello, server!",
            "Connection open. Waiting...",
            "Closing connection."
        ]
    );
}

#[test]
fn help_documents_subcommands_and_exit_codes() {
    let output = run(&["--help"]);
    assert_ok(&output);
    let help = String::from_utf8_lossy(&output.stdout);
    for needle in ["record", "check", "demo", "Exit codes:", "130", "nothing was recorded"] {
        assert!(help.contains(needle), "--help lacks {needle:?}:\n{help}");
    }
    let record = String::from_utf8_lossy(&run(&["record", "--help"]).stdout).into_owned();
    assert!(
        record.contains("director record [OPTIONS] [SCENE] <OUT>") && record.contains("--set"),
        "{record}"
    );
    let version = run(&["--version"]);
    assert!(String::from_utf8_lossy(&version.stdout).starts_with("director "));
}

/// The rows a still SVG shows.
fn svg_rows(svg: &str) -> Vec<String> {
    common::svg::rows(svg, 0)
}

/// The text content of each element of `svg` that `pick` picks; panics
/// with the parser's error if `svg` is not well-formed XML.
fn svg_texts(svg: &str, pick: impl Fn(&roxmltree::Node) -> bool) -> Vec<String> {
    let doc = roxmltree::Document::parse(svg).unwrap_or_else(|e| panic!("not well-formed XML: {e}\n{svg}"));
    doc.descendants()
        .filter(|n| pick(n))
        .map(|n| {
            n.descendants()
                .filter(|t| t.is_text())
                .filter_map(|t| t.text())
                .collect()
        })
        .collect()
}

#[test]
fn render_draws_the_replayed_screen_at_the_end_a_time_or_a_marker() {
    let dir = temp_dir();
    let scene = "[[pane]]\nname = \"a\"\nprompt = \"$ \"\n[[step]]\npause = \"1s\"\n[[step]]\ntype = \"<first> & \\\"quoted\\\"\"\n[[step]]\nmarker = \"middle\"\n\
        [[step]]\npause = \"1s\"\n[[step]]\ntype = \" second\"\n";
    let (cast, output) = record_scene(dir.path(), scene, &[]);
    assert_ok(&output);
    let svg_at = |extra: &[&str]| {
        let out = dir.path().join("frame.svg");
        let mut args = vec!["render", out.to_str().unwrap(), cast.to_str().unwrap()];
        args.extend_from_slice(extra);
        assert_ok(&run(&args));
        svg_rows(&std::fs::read_to_string(&out).unwrap())
    };
    let screen = Cast::read(&cast).final_screen();
    let last = svg_at(&["--still"]);
    assert_eq!(last.len(), 36);
    for (i, row) in last.iter().enumerate() {
        assert_eq!(row.trim_end(), screen.text(i, 0, 100), "row {}", i + 1);
    }
    assert_eq!(last[0].trim_end(), "$ <first> & \"quoted\" second");
    assert_eq!(svg_at(&["--marker", "middle"])[0].trim_end(), "$ <first> & \"quoted\"");
    assert_eq!(svg_at(&["--at", "0.5s"])[0].trim_end(), "$");
    let missing = run(&[
        "render",
        dir.path().join("x.svg").to_str().unwrap(),
        cast.to_str().unwrap(),
        "--marker",
        "nope",
    ]);
    assert_eq!(missing.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("has no marker \"nope\"; its markers: [\"middle\"]"));
}

#[test]
fn render_writes_well_formed_xml_whatever_the_cast_holds() {
    // A program may print anything: noncharacters, stray control bytes, a
    // window title that holds them. XML 1.0 forbids U+FFFE, U+FFFF and most
    // C0 controls even as references; one of them anywhere and a browser
    // shows an error instead of the picture.
    let dir = temp_dir();
    let cast = dir.path().join("odd.cast");
    let header = serde_json::json!({
        "version": 2,
        "width": 12,
        "height": 3,
        "title": "odd \u{1}\u{8}\u{1b}\u{1f}\u{FFFE}\u{FFFF} <&\"> \u{7f}\u{D7FF}\u{E000}\u{10FFFF}",
    });
    let events = [
        serde_json::json!([0.1, "o", "a\u{FFFE}b\u{FFFF}c\u{1}\u{1f}\u{7f}d<&>\r\n"]),
        serde_json::json!([
            0.2,
            "o",
            "\u{1b}]0;\u{FFFE}\u{7}e\u{301}\u{FFFF}\u{FFFE}\u{10FFFF}\u{E000}"
        ]),
    ];
    let lines: Vec<String> = std::iter::once(&header).chain(&events).map(|v| v.to_string()).collect();
    std::fs::write(&cast, lines.join("\n") + "\n").unwrap();
    let out = dir.path().join("odd.svg");
    assert_ok(&run(&[
        "render",
        "--still",
        out.to_str().unwrap(),
        cast.to_str().unwrap(),
    ]));
    let svg = std::fs::read_to_string(&out).unwrap();

    let rows = svg_rows(&svg);
    assert_eq!(rows.len(), 3);
    // Each forbidden character stands in its cell as U+FFFD: the columns
    // after it stay where the terminal has them.
    assert_eq!(rows[0], "a\u{FFFD}b\u{FFFD}cd<&>");
    assert_eq!(rows[1], "e\u{301}\u{FFFD}\u{FFFD}\u{10FFFF}\u{E000}");
    assert_eq!(
        svg_texts(&svg, |n| n.has_tag_name("title")),
        ["odd \u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD} <&\"> \u{7f}\u{D7FF}\u{E000}\u{10FFFF}"]
    );
}

/// Runs `director ARGS` with stderr (and stdout) on a real terminal, via
/// util-linux `script`, and returns what the terminal showed.
fn on_a_terminal(args: &str, env: &[(&str, &str)]) -> String {
    let command = format!("{} {args}", env!("CARGO_BIN_EXE_director"));
    let mut cmd = std::process::Command::new("script");
    cmd.args(["-qfec", &command, "/dev/null"]);
    for (k, v) in env {
        cmd.env(k, v);
    }
    String::from_utf8_lossy(&cmd.output().expect("script(1) runs").stdout).into_owned()
}

#[test]
fn progress_is_shown_on_a_terminal_and_only_there() {
    let dir = temp_dir();
    let out = dir.path().join("p.cast");
    let addr = format!("--set addr=127.0.0.1:{}", free_port());
    let shown = on_a_terminal(&format!("record {addr} {}", out.display()), &[]);
    assert!(shown.contains("step 2/8 (run in server)"), "{shown:?}");
    assert!(shown.contains("step 5/8 (run in client)"), "{shown:?}");
    assert!(shown.contains("recorded "), "{shown:?}");
    let quiet = on_a_terminal(&format!("record --quiet {addr} {}", out.display()), &[]);
    assert!(!quiet.contains("step "), "--quiet showed {quiet:?}");
    // Not a terminal: no progress, only the summary.
    let piped = run(&[
        "record",
        "--set",
        &format!("addr=127.0.0.1:{}", free_port()),
        out.to_str().unwrap(),
    ]);
    let stderr = String::from_utf8_lossy(&piped.stderr);
    assert!(!stderr.contains("step ") && !stderr.contains('\r'), "{stderr:?}");
    assert!(stderr.starts_with("recorded "));
}

#[test]
fn errors_are_red_on_a_terminal_unless_no_color() {
    let coloured = on_a_terminal("record /nonexistent/scene.toml out.cast", &[]);
    assert!(
        coloured.contains("\x1b[1;31merror:\x1b[0m cannot read scene"),
        "{coloured:?}"
    );
    let plain = on_a_terminal("record /nonexistent/scene.toml out.cast", &[("NO_COLOR", "1")]);
    assert!(
        plain.contains("error: cannot read scene") && !plain.contains("\x1b["),
        "{plain:?}"
    );
    let piped = run(&["record", "/nonexistent/scene.toml", "out.cast"]);
    assert!(String::from_utf8_lossy(&piped.stderr).starts_with("error: cannot read scene"));
}

#[test]
fn completions_and_man_page_come_from_the_cli_definition() {
    for (shell, needle) in [
        ("bash", "_director()"),
        ("zsh", "#compdef director"),
        ("fish", "complete -c director"),
    ] {
        let out = run(&["completions", shell]);
        assert_ok(&out);
        let script = String::from_utf8_lossy(&out.stdout);
        assert!(script.contains(needle), "{shell}: {script}");
        for sub in ["record", "build", "check", "render", "schema"] {
            assert!(script.contains(sub), "{shell} completion lacks {sub}");
        }
    }
    let man = run(&["man"]);
    assert_ok(&man);
    let page = String::from_utf8_lossy(&man.stdout);
    assert!(page.contains(".TH director 1"), "{page}");
    assert!(page.contains("record") && page.contains("Exit codes"), "{page}");
}
