//! End-to-end recordings of the built-in TCP demo with the real binary, real
//! PTYs, real child processes and real sockets on 127.0.0.1.

mod common;

use common::*;

const PROMPT: &str = "[director@demo tcp]$";

#[test]
fn builtin_demo_draws_the_reference_picture() {
    let dir = temp_dir();
    let (out, output) = record_builtin(dir.path());
    assert_ok(&output);

    let check = run(&["check", out.to_str().unwrap()]);
    assert_ok(&check);
    assert!(String::from_utf8_lossy(&check.stdout).contains("asciicast v2, 100x36"));

    let cast = Cast::read(&out);
    assert_eq!(cast.size(), (100, 36));
    let screen = cast.final_screen();
    let dump = screen.dump();

    let left = screen.lines(0, 50, 0..35);
    assert_eq!(left[0], format!("{PROMPT} director demo server"), "{dump}");
    assert!(left[1].starts_with("Server listening on 127.0.0.1:"), "{dump}");
    assert!(left[2].starts_with("Connected by 127.0.0.1:"), "{dump}");
    assert_eq!(
        left[3..],
        [
            "Received: Hello, server!",
            "Connection open. Waiting...",
            "Closing connection.",
            PROMPT
        ],
        "{dump}"
    );

    for row in 0..35 {
        assert_eq!(screen.rows[row][50], '│', "divider on row {}\n{dump}", row + 1);
    }

    let right = screen.lines(51, 100, 0..35);
    assert_eq!(
        right,
        [
            format!("{PROMPT} director demo client").as_str(),
            "Connected to server.",
            "Message sent.",
            "Received: Hello, client!",
            "Connection closed.",
            PROMPT
        ],
        "{dump}"
    );

    let status = screen.text(35, 0, 100);
    assert!(status.contains("0:server") && status.contains("1:client"), "{status}");
    assert!(status.contains("TCP client and server"), "{status}");
}

#[test]
fn builtin_demo_timeline() {
    let dir = temp_dir();
    let (out, output) = record_builtin(dir.path());
    assert_ok(&output);
    let cast = Cast::read(&out);

    let times: Vec<f64> = cast.events.iter().map(|e| e.0).collect();
    assert!(times.windows(2).all(|w| w[0] <= w[1]), "times go backwards: {times:?}");

    // Each keystroke of the client command is its own event: the command's
    // characters appear one per event, in order.
    let typed: String = cast
        .events
        .iter()
        .skip_while(|e| !e.2.contains("Server listening"))
        .filter(|e| e.2.chars().count() == 1)
        .map(|e| e.2.as_str())
        .collect();
    assert!(typed.starts_with("director demo client"), "typed: {typed:?}");

    // The server holds the connection 1 s before closing (real time).
    let waiting = cast.time_of("Connection open. Waiting...");
    let closing = cast.time_of("Closing connection.");
    let gap = closing - waiting;
    assert!((0.95..1.5).contains(&gap), "gap between waiting and closing: {gap}");

    // Scripted delays are on the virtual clock and all count in the cast:
    // 40 keystrokes of 70 ms, two Enter beats of 400 ms and 3.8 s of pauses.
    let scripted = 40.0 * 0.070 + 2.0 * 0.4 - 2.0 * 0.070 + 3.8;
    let end = cast.events.last().unwrap().0;
    assert!(
        end >= scripted,
        "cast ends at {end} s, before the {scripted} s of scripted time"
    );
}

#[test]
fn cast_holds_nothing_of_the_recording_machine() {
    let dir = temp_dir();
    let (out, output) = record_builtin(dir.path());
    assert_ok(&output);
    let bytes = std::fs::read_to_string(&out).unwrap();
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .unwrap()
        .trim()
        .to_string();
    let mut secrets = vec![host];
    secrets.extend(std::env::var("USER").ok());
    secrets.extend(std::env::var("HOME").ok().filter(|h| h != "/"));
    for secret in secrets.iter().filter(|s| s.len() >= 2) {
        assert!(!bytes.contains(secret.as_str()), "the cast contains {secret:?}");
    }
    let header = &Cast::read(&out).header;
    // The built-in scene uses the blog's colours.
    assert_eq!(header["theme"]["fg"], "#17a88b");
    assert_eq!(header["theme"]["bg"], "#1e2229");
    assert_eq!(header["theme"]["palette"].as_str().unwrap().split(':').count(), 16);
    let env = header["env"].as_object().unwrap();
    assert_eq!(env.keys().collect::<Vec<_>>(), ["SHELL", "TERM"]);
}

#[test]
fn record_to_stdout() {
    let addr = format!("addr=127.0.0.1:{}", free_port());
    let output = run(&["record", "--quiet", "--set", &addr, "-"]);
    assert_ok(&output);
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.starts_with("{\"version\":2,\"width\":100,\"height\":36"));
    assert!(text.contains("Closing connection."));
    assert!(
        output.stderr.is_empty(),
        "--quiet printed {:?}",
        String::from_utf8_lossy(&output.stderr)
    );
}
