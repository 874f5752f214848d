//! The reader: v2 and v3 read to the same typed events, headers read back
//! as written, and a reader that agrees with `check` on every file.

use std::time::Duration;

use super::super::check::check;
use super::super::{Code, EventData, Retime, Theme, Writer};
use super::*;
use crate::geometry::Size;

const THEME: &str =
    r##"{"fg":"#ffffff","bg":"#000000","palette":"#000000:#111111:#222222:#333333:#444444:#555555:#666666:#777777"}"##;

fn v2() -> String {
    format!(
        "{{\"version\":2,\"width\":80,\"height\":24,\"title\":\"t\",\"theme\":{THEME}}}\n\
         [0.5, \"o\", \"a\"]\n[1.5, \"m\", \"here\"]\n[1.75, \"i\", \"q\"]\n[2.0, \"r\", \"90x30\"]\n"
    )
}

fn v3() -> String {
    format!(
        "{{\"version\":3,\"term\":{{\"cols\":80,\"rows\":24,\"theme\":{THEME}}},\"title\":\"t\"}}\n\
         # comments are v3's\n[0.5, \"o\", \"a\"]\n[1.0, \"m\", \"here\"]\n\n[0.25, \"i\", \"q\"]\n\
         [0.25, \"r\", \"90x30\"]\n[0, \"x\", \"-2\"]\n"
    )
}

fn at(ms: u64, data: EventData) -> Event {
    Event {
        time: Duration::from_millis(ms),
        data,
    }
}

#[test]
fn reads_v2_and_v3_alike() {
    let v2 = "{\"version\":2,\"width\":80,\"height\":24,\"title\":\"t\",\"theme\":{\"fg\":\"#ffffff\",\"bg\":\"#000000\",\"palette\":\"#000000:#111111:#222222:#333333:#444444:#555555:#666666:#777777\"}}\n[0.5, \"o\", \"a\"]\n[1.5, \"m\", \"here\"]\n";
    let v3 = "{\"version\":3,\"term\":{\"cols\":80,\"rows\":24,\"theme\":{\"fg\":\"#ffffff\",\"bg\":\"#000000\",\"palette\":\"#000000:#111111:#222222:#333333:#444444:#555555:#666666:#777777\"}},\"title\":\"t\"}\n[0.5, \"o\", \"a\"]\n[1.0, \"m\", \"here\"]\n[0, \"x\", \"0\"]\n";
    let (a, b) = (read(v2.as_bytes()).unwrap(), read(v3.as_bytes()).unwrap());
    assert_eq!(a.header.size, Size::new(80, 24));
    assert_eq!(a.events, b.events[..2]);
    assert_eq!(a.events[1].time, Duration::from_millis(1500));
    assert_eq!(a.header.theme, b.header.theme);
    assert_eq!(a.header.title.as_deref(), Some("t"));
    assert!(read(b"{\"version\":2}\n").is_err());
}

#[test]
fn v2_and_v3_read_to_the_same_events() {
    let (a, b) = (read(v2().as_bytes()).unwrap(), read(v3().as_bytes()).unwrap());
    let events = vec![
        at(500, EventData::Output("a".into())),
        at(1_500, EventData::Marker("here".into())),
        at(1_750, EventData::Input("q".into())),
        at(2_000, EventData::Resize(Size::new(90, 30))),
    ];
    assert_eq!(a.events, events);
    assert_eq!(b.events[..4], events);
    assert_eq!(
        b.events[4],
        at(2_000, EventData::Exit(-2)),
        "v3 ends with its exit status"
    );
    assert_eq!((a.version, b.version), (Version::V2, Version::V3));
    assert_eq!(a.header, b.header, "the one header, whichever version held it");
}

#[test]
fn a_resize_reads_as_a_size() {
    let cast = "{\"version\":2,\"width\":80,\"height\":24}\n[1, \"r\", \"0132x0043\"]\n";
    let recording = read(cast.as_bytes()).unwrap();
    assert_eq!(recording.events[0].data, EventData::Resize(Size::new(132, 43)));
    assert_eq!(recording.events[0].data.text(), "132x43");
}

#[test]
fn check_and_read_agree() {
    let header = "{\"version\":3,\"term\":{\"cols\":80,\"rows\":24}}";
    let files = [
        v2(),
        v3(),
        String::new(),
        format!("{header}\n[1, \"r\", \"80x\"]\n"),
        format!("{header}\n[1, \"x\", \"1.5\"]\n"),
        format!("{header}\n[1, \"q\", \"a\"]\n"),
        format!("{header}\n[-1, \"o\", \"a\"]\n"),
        "{\"version\":2,\"width\":80,\"height\":24}\n[2, \"o\", \"a\"]\n[1, \"o\", \"b\"]\n".to_string(),
        "{\"version\":2,\"width\":80,\"height\":24}\n# v2 has no comments\n".to_string(),
        "{\"version\":2,\"width\":80,\"height\":24,\"timestamp\":1.5}\n".to_string(),
        "{\"version\":2,\"width\":80,\"height\":24,\"theme\":{\"fg\":\"red\"}}\n".to_string(),
        "{\"version\":3,\"term\":{\"cols\":80,\"rows\":24},\"timestamp\":18446744073709551615}\n".to_string(),
    ];
    for file in files {
        match (check(file.as_bytes()), read(file.as_bytes())) {
            (Ok(summary), Ok(recording)) => {
                assert_eq!(summary.events, recording.events.len(), "{file}");
                assert_eq!(summary.version, recording.version.number(), "{file}");
            }
            (Err(refused), Err(unread)) => assert_eq!(refused, unread, "{file}"),
            (checked, read) => panic!("check says {checked:?} but read says {read:?} of {file:?}"),
        }
    }
}

#[test]
fn the_header_reads_back_as_written() {
    let header = Header {
        theme: Some(Theme {
            fg: "#ffffff".into(),
            bg: "#000000".into(),
            palette: "#000000:#111111:#222222:#333333:#444444:#555555:#666666:#777777".into(),
        }),
        idle_time_limit: Some(Duration::from_millis(1_500)),
        director: Some(serde_json::json!({ "hash": "sha256:h", "inputs": { "scene": "x" } })),
        ..super::super::tests::header()
    };
    for version in [Version::V2, Version::V3] {
        let mut writer = Writer::new(Vec::new(), &header, version, Retime::default()).unwrap();
        let events = [
            at(10, EventData::Output("a\u{1b}[1m\"é\"\r\n".into())),
            at(20, EventData::Resize(Size::new(90, 30))),
            at(30, EventData::Marker("m".into())),
        ];
        for event in &events {
            writer.write(event).unwrap();
        }
        let bytes = writer.finish(7).unwrap();
        let recording = read(&bytes).unwrap();
        assert_eq!(recording.header, header, "{version:?}");
        assert_eq!(recording.events[..3], events, "{version:?}");
        assert_eq!(read_header(&bytes).unwrap(), header, "{version:?}");
        if version == Version::V3 {
            assert_eq!(recording.events[3], at(30, EventData::Exit(7)));
        }
    }
}

#[test]
fn read_header_reads_only_the_first_line() {
    let start = b"{\"version\":2,\"width\":80,\"height\":24,\"director\":{\"hash\":\"sha256:h\"}}\nnot an event\n[1, \"o\", \"a";
    let header = read_header(start).unwrap();
    assert_eq!(header.size, Size::new(80, 24));
    assert_eq!(header.director.unwrap()["hash"], "sha256:h");
    assert_eq!((header.term.as_str(), header.shell.as_str()), ("", ""));
    let error = read_header(b"old\n").unwrap_err();
    assert_eq!(error.line, 1);
    assert!(error.message.contains("not valid JSON"), "{error}");
    assert!(read_header(b"").is_err());
    assert!(!is_header(b"{\"version\":2}"));
    assert!(is_header(b"{\"version\":2,\"width\":80,\"height\":24}\r"));
}

#[test]
fn the_writer_and_reader_share_codes() {
    let recording = read(v3().as_bytes()).unwrap();
    let codes: Vec<Code> = recording.events.iter().map(|e| e.data.code()).collect();
    assert_eq!(
        codes,
        [Code::Output, Code::Marker, Code::Input, Code::Resize, Code::Exit]
    );
}
