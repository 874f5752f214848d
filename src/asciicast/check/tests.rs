//! The checker against the specs: summaries of valid v2 and v3 files, and
//! for each broken one the line it names and the words of its message.

use super::*;

const THEME16: &str = r##"{"fg": "#d0d0d0", "bg": "#212121", "palette": "#151515:#ac4142:#7e8e50:#e5b567:#6c99bb:#9f4e85:#7dd6cf:#d0d0d0:#505050:#ac4142:#7e8e50:#e5b567:#6c99bb:#9f4e85:#7dd6cf:#f5f5f5"}"##;
const THEME8: &str = r##"{"fg": "#d0d0d0", "bg": "#212121", "palette": "#151515:#ac4142:#7e8e50:#e5b567:#6c99bb:#9f4e85:#7dd6cf:#d0d0d0"}"##;

const V2_HEADER: &str = r#"{"version": 2, "width": 80, "height": 24}"#;
const V3_HEADER: &str = r#"{"version": 3, "term": {"cols": 80, "rows": 24}}"#;

fn valid_v2() -> String {
    format!(
        concat!(
            r#"{{"version": 2, "width": 100, "height": 36, "timestamp": 1504467315, "duration": 6.5, "idle_time_limit": 2, "command": "/bin/zsh", "title": "Demo", "env": {{"TERM": "xterm-256color", "SHELL": "/bin/zsh"}}, "theme": {}, "x-custom": [1, 2]}}"#,
            "\n",
            r#"[0.248848, "o", "\u001b[1;31mHello \u001b[32mWorld!\u001b[0m\n"]"#,
            "\n",
            r#"[1.001376, "o", "That was ok\rThis is better."]"#,
            "\n",
            r#"[1.5, "m", ""]"#,
            "\n",
            r#"[1.5, "i", "q"]"#,
            "\n",
            r#"[4.05, "r", "80x24"]"#,
            "\n",
            r#"[6.541828, "o", "Bye!"]"#,
            "\n",
        ),
        THEME16
    )
}

fn valid_v3() -> String {
    format!(
        concat!(
            r#"{{"version": 3, "term": {{"cols": 80, "rows": 24, "type": "xterm-256color", "version": "VTE(7802)", "theme": {}}}, "timestamp": 1504467315, "idle_time_limit": 2, "command": "/bin/bash", "title": "Demo", "env": {{"SHELL": "/bin/zsh"}}, "tags": ["demo", "tutorial"]}}"#,
            "\n",
            "# event stream follows the header\n",
            r#"[0.248, "o", "Hello"]"#,
            "\n",
            r#"[1.001, "o", "That was ok"]"#,
            "\n",
            r#"[3.500, "m", "chapter"]"#,
            "\n",
            r#"[0.143, "o", "Now... "]"#,
            "\n",
            "# terminal window resized to 90 cols and 30 rows\n",
            r#"[2.050, "r", "90x30"]"#,
            "\n",
            r#"[1.541, "o", "Bye!"]"#,
            "\n",
            r#"[0.887, "x", "0"]"#,
            "\n",
        ),
        THEME8
    )
}

fn err(input: impl AsRef<[u8]>) -> CheckError {
    match check(input.as_ref()) {
        Ok(summary) => panic!("expected an error, got {summary:?}"),
        Err(error) => error,
    }
}

/// Asserts the line number and that every key word appears in the message.
fn assert_err(input: impl AsRef<[u8]>, line: usize, words: &[&str]) {
    let error = err(input);
    assert_eq!(error.line, line, "wrong line in: {error}");
    for word in words {
        assert!(error.message.contains(word), "{word:?} missing from: {error}");
    }
}

fn v2(events: &str) -> String {
    format!("{V2_HEADER}\n{events}")
}

fn v3(events: &str) -> String {
    format!("{V3_HEADER}\n{events}")
}

fn v2_header_with(fields: &str) -> String {
    format!("{{\"version\": 2, \"width\": 80, \"height\": 24, {fields}}}\n")
}

#[test]
fn valid_v2_summary() {
    let summary = check(valid_v2().as_bytes()).unwrap();
    assert_eq!(
        summary,
        Summary {
            version: 2,
            cols: 100,
            rows: 36,
            events: 6,
            outputs: 3,
            markers: 1,
            duration: Duration::from_micros(6_541_828),
        }
    );
}

#[test]
fn valid_v3_summary() {
    let summary = check(valid_v3().as_bytes()).unwrap();
    assert_eq!(
        summary,
        Summary {
            version: 3,
            cols: 80,
            rows: 24,
            events: 7,
            outputs: 4,
            markers: 1,
            duration: Duration::from_millis(9_370),
        }
    );
}

#[test]
fn display_is_one_line() {
    let summary = Summary {
        version: 2,
        cols: 100,
        rows: 36,
        events: 412,
        outputs: 380,
        markers: 2,
        duration: Duration::from_micros(7_929_600),
    };
    assert_eq!(
        summary.to_string(),
        "asciicast v2, 100x36, 412 events (380 output, 2 markers), 7.930 s"
    );
    let single = Summary {
        version: 3,
        cols: 80,
        rows: 24,
        events: 1,
        outputs: 1,
        markers: 1,
        duration: Duration::from_millis(12_005),
    };
    assert_eq!(
        single.to_string(),
        "asciicast v3, 80x24, 1 event (1 output, 1 marker), 12.005 s"
    );
}

#[test]
fn v3_intervals_sum_without_float_drift() {
    // Ten 0.1 s intervals added as f64 give 0.9999999999999999.
    let events = "[0.1, \"o\", \"x\"]\n".repeat(10);
    let summary = check(v3(&events).as_bytes()).unwrap();
    assert_eq!(summary.duration, Duration::from_secs(1));
    assert_eq!(summary.events, 10);
}

#[test]
fn header_only_has_zero_duration() {
    let summary = check(V2_HEADER.as_bytes()).unwrap();
    assert_eq!(summary.events, 0);
    assert_eq!(summary.duration, Duration::ZERO);
}

#[test]
fn blank_lines_and_crlf_are_accepted() {
    let input = format!("{V2_HEADER}\r\n[1, \"o\", \"a\"]\r\n\r\n\n[2, \"o\", \"b\"]\r\n\n");
    let summary = check(input.as_bytes()).unwrap();
    assert_eq!(summary.events, 2);
    assert_eq!(summary.duration, Duration::from_secs(2));
}

#[test]
fn null_optional_fields_count_as_absent() {
    let input = v2_header_with(r#""title": null, "env": null, "theme": null"#);
    assert!(check(input.as_bytes()).is_ok());
}

#[test]
fn v2_float_timestamp_allowed_but_not_v3() {
    assert!(check(v2_header_with(r#""timestamp": 1504467315.5"#).as_bytes()).is_ok());
    let input = r#"{"version": 3, "term": {"cols": 80, "rows": 24}, "timestamp": 1.5}"#;
    assert_err(input, 1, &["\"timestamp\"", "integer", "1.5"]);
}

#[test]
fn empty_file_is_line_1() {
    assert_err("", 1, &["empty"]);
    assert_err("\n[1, \"o\", \"a\"]\n", 1, &["header", "empty"]);
}

#[test]
fn header_not_json() {
    assert_err("{\"version\": 2,\n", 1, &["header", "not valid JSON"]);
    assert_err("hello\n", 1, &["not valid JSON", "column"]);
}

#[test]
fn header_not_object() {
    assert_err(
        "[0.1, \"o\", \"a\"]\n",
        1,
        &["header must be a JSON object", "an array"],
    );
}

#[test]
fn header_bad_version() {
    assert_err(r#"{"width": 80, "height": 24}"#, 1, &["missing", "\"version\""]);
    assert_err(
        r#"{"version": 4, "width": 80, "height": 24}"#,
        1,
        &["\"version\"", "2 or 3", "found 4"],
    );
    assert_err(r#"{"version": "2"}"#, 1, &["\"version\"", "found \"2\""]);
}

#[test]
fn v1_file_is_named() {
    let v1 = "{\n  \"version\": 1,\n  \"width\": 80,\n  \"height\": 24,\n  \"stdout\": []\n}\n";
    assert_err(v1, 1, &["v1"]);
}

#[test]
fn v2_missing_width() {
    assert_err(r#"{"version": 2, "height": 24}"#, 1, &["missing", "\"width\""]);
}

#[test]
fn v2_width_wrong_type_exact_message() {
    let error = err(r#"{"version": 2, "width": "abc", "height": 24}"#);
    assert_eq!(
        error.to_string(),
        r#"line 1: header field "width" must be a positive integer, found "abc""#
    );
}

#[test]
fn v2_bad_dimensions() {
    assert_err(
        r#"{"version": 2, "width": 80, "height": 0}"#,
        1,
        &["\"height\"", "positive integer", "found 0"],
    );
    assert_err(
        r#"{"version": 2, "width": 80.0, "height": 24}"#,
        1,
        &["\"width\"", "positive integer"],
    );
    assert_err(
        r#"{"version": 2, "width": 70000, "height": 24}"#,
        1,
        &["\"width\"", "at most 65535"],
    );
}

#[test]
fn v2_known_fields_wrong_types() {
    assert_err(v2_header_with(r#""title": 5"#), 1, &["\"title\"", "string", "found 5"]);
    assert_err(v2_header_with(r#""command": ["ls"]"#), 1, &["\"command\"", "string"]);
    assert_err(
        v2_header_with(r#""idle_time_limit": "2""#),
        1,
        &["\"idle_time_limit\"", "number"],
    );
    assert_err(
        v2_header_with(r#""duration": -1"#),
        1,
        &["\"duration\"", "non-negative"],
    );
    assert_err(v2_header_with(r#""timestamp": "now""#), 1, &["\"timestamp\""]);
    assert_err(v2_header_with(r#""env": ["SHELL"]"#), 1, &["\"env\"", "object"]);
    assert_err(
        v2_header_with(r#""env": {"SHELL": 3}"#),
        1,
        &["\"env\"", "\"SHELL\"", "string", "found 3"],
    );
}

#[test]
fn unknown_header_fields_are_allowed() {
    assert!(check(v2_header_with(r#""tags": 5, "whatever": {"a": 1}"#).as_bytes()).is_ok());
}

#[test]
fn theme_is_checked() {
    assert_err(
        v2_header_with(r##""theme": {"fg": "red", "bg": "#000000", "palette": ""}"##),
        1,
        &["\"theme.fg\"", "#rrggbb", "\"red\""],
    );
    assert_err(
        v2_header_with(r##""theme": {"fg": "#ffffff", "palette": ""}"##),
        1,
        &["missing", "\"theme.bg\""],
    );
    let seven = "#000000:#111111:#222222:#333333:#444444:#555555:#666666";
    assert_err(
        v2_header_with(&format!(
            r##""theme": {{"fg": "#ffffff", "bg": "#000000", "palette": "{seven}"}}"##
        )),
        1,
        &["\"theme.palette\"", "8 or 16", "found 7"],
    );
    let bad_entry = "#000000:#111111:#zz2222:#333333:#444444:#555555:#666666:#777777";
    assert_err(
        v2_header_with(&format!(
            r##""theme": {{"fg": "#ffffff", "bg": "#000000", "palette": "{bad_entry}"}}"##
        )),
        1,
        &["\"theme.palette\"", "colour 3", "\"#zz2222\""],
    );
    let input = r##"{"version": 3, "term": {"cols": 80, "rows": 24, "theme": {"fg": "#fff", "bg": "#000000", "palette": ""}}}"##;
    assert_err(input, 1, &["\"term.theme.fg\"", "\"#fff\""]);
}

#[test]
fn v3_missing_term() {
    assert_err(
        r#"{"version": 3, "width": 80, "height": 24}"#,
        1,
        &["missing", "\"term\""],
    );
    assert_err(r#"{"version": 3, "term": [80, 24]}"#, 1, &["\"term\"", "object"]);
}

#[test]
fn v3_bad_term_fields() {
    assert_err(
        r#"{"version": 3, "term": {"cols": 80}}"#,
        1,
        &["missing", "\"term.rows\""],
    );
    assert_err(
        r#"{"version": 3, "term": {"cols": -80, "rows": 24}}"#,
        1,
        &["\"term.cols\"", "positive integer", "found -80"],
    );
    assert_err(
        r#"{"version": 3, "term": {"cols": 80, "rows": 24, "type": 256}}"#,
        1,
        &["\"term.type\"", "string"],
    );
}

#[test]
fn v3_tags_must_be_strings() {
    assert_err(
        r#"{"version": 3, "term": {"cols": 80, "rows": 24}, "tags": ["demo", 3]}"#,
        1,
        &["\"tags\"", "element 2", "string"],
    );
    assert_err(
        r#"{"version": 3, "term": {"cols": 80, "rows": 24}, "tags": "demo"}"#,
        1,
        &["\"tags\"", "array of strings"],
    );
}

#[test]
fn v3_header_cannot_be_a_comment() {
    assert_err(format!("# comment\n{V3_HEADER}\n"), 1, &["comment"]);
}

#[test]
fn v2_time_must_not_decrease_exact_message() {
    let error = err(v2("[1.5, \"o\", \"a\"]\n[1.2, \"o\", \"b\"]\n"));
    assert_eq!(
        error.to_string(),
        "line 3: event time 1.2 is less than the previous event's 1.5"
    );
}

#[test]
fn v3_negative_interval() {
    assert_err(
        v3("[1.0, \"o\", \"a\"]\n[-0.5, \"o\", \"b\"]\n"),
        3,
        &["interval", "-0.5", "negative"],
    );
    assert_err(v2("[-1, \"o\", \"a\"]\n"), 2, &["time", "-1", "negative"]);
}

#[test]
fn v3_smaller_intervals_are_fine() {
    // Intervals, not absolute times: a smaller number later is normal.
    let summary = check(v3("[2.0, \"o\", \"a\"]\n[0.5, \"o\", \"b\"]\n").as_bytes()).unwrap();
    assert_eq!(summary.duration, Duration::from_millis(2_500));
}

#[test]
fn event_not_json() {
    assert_err(v2("[1.0, \"o\", \"a\"]\n[1.0, \"o\", \"b\"\n"), 3, &["not valid JSON"]);
    assert_err(v2("[1.0, \"o\", \"a\"] trailing\n"), 2, &["not valid JSON", "trailing"]);
}

#[test]
fn event_wrong_arity() {
    assert_err(v2("[1.0, \"o\"]\n"), 2, &["exactly 3 elements", "found 2"]);
    assert_err(
        v3("[1.0, \"o\", \"a\", \"b\"]\n"),
        2,
        &["exactly 3 elements", "found 4"],
    );
    assert_err(v2("{\"time\": 1}\n"), 2, &["JSON array", "an object"]);
}

#[test]
fn event_element_types() {
    assert_err(v2("[\"1.0\", \"o\", \"a\"]\n"), 2, &["time", "number", "\"1.0\""]);
    assert_err(v3("[1.0, 111, \"a\"]\n"), 2, &["code", "string"]);
    assert_err(v3("[1.0, \"o\", null]\n"), 2, &["data", "string", "null"]);
}

#[test]
fn unknown_event_code() {
    assert_err(v2("[1.0, \"z\", \"a\"]\n"), 2, &["unknown event code", "\"z\""]);
    assert_err(v3("[1.0, \"\", \"a\"]\n"), 2, &["unknown event code", "\"\""]);
    assert_err(v2("[1.0, \"x\", \"0\"]\n"), 2, &["\"x\"", "only in asciicast v3"]);
}

#[test]
fn bad_resize() {
    for data in ["80x", "0x24", "80by24", "+80x24", "80x24x1", "70000x24", ""] {
        assert_err(v3(&format!("[1.0, \"r\", \"{data}\"]\n")), 2, &["resize", "COLSxROWS"]);
    }
}

#[test]
fn exit_status() {
    assert!(check(v3("[1.0, \"x\", \"-1\"]\n").as_bytes()).is_ok());
    assert!(check(v3("[1.0, \"x\", \"130\"]\n").as_bytes()).is_ok());
    for data in ["abc", "", "1.5", " 0", "-"] {
        assert_err(v3(&format!("[1.0, \"x\", \"{data}\"]\n")), 2, &["exit", "integer"]);
    }
}

#[test]
fn bad_utf8_in_line_4() {
    let mut input = v2("[1.0, \"o\", \"a\"]\n[2.0, \"o\", \"b\"]\n").into_bytes();
    input.extend_from_slice(b"[3.0, \"o\", \"\xff\"]\n");
    assert_err(input, 4, &["UTF-8", "byte 13"]);
}

#[test]
fn comments_only_in_v3() {
    assert_err(v2("[1.0, \"o\", \"a\"]\n# note\n"), 3, &["comment", "v3"]);
    let summary = check(v3("# note\n[1.0, \"o\", \"a\"]\n#\n").as_bytes()).unwrap();
    assert_eq!(summary.events, 1);
}

#[test]
fn whitespace_only_line_is_not_blank() {
    assert_err(v2("[1.0, \"o\", \"a\"]\n   \n"), 3, &["not valid JSON"]);
}

#[test]
fn first_problem_wins_with_real_line_numbers() {
    // Comments and blank lines still count towards line numbers.
    let input = v3("# c\n\n[1.0, \"o\", \"a\"]\n[1.0, \"q\", \"a\"]\n[-1, \"o\", \"a\"]\n");
    assert_err(input, 5, &["unknown event code", "\"q\""]);
}

#[test]
fn byte_order_mark_is_named() {
    assert_err(format!("\u{feff}{V2_HEADER}\n"), 1, &["byte order mark"]);
}
