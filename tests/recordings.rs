//! The scenes in `recordings/`: each validates against `director schema`
//! (a valid JSON Schema that agrees with the parser on which keys exist),
//! parses, and has a valid cast beside it; the Python one records correctly.

mod common;

use std::collections::BTreeSet;
use std::path::Path;

use common::*;

fn schema() -> serde_json::Value {
    let output = run(&["schema"]);
    assert_ok(&output);
    serde_json::from_slice(&output.stdout).expect("the schema is JSON")
}

/// A scene file as a JSON value (TOML is converted).
fn scene_value(path: &Path) -> serde_json::Value {
    let text = std::fs::read_to_string(path).unwrap();
    match path.extension().and_then(|e| e.to_str()) {
        Some("json") => serde_json::from_str(&text).unwrap(),
        _ => toml::from_str(&text).unwrap(),
    }
}

fn recordings() -> Vec<std::path::PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("recordings");
    let mut scenes: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| matches!(p.extension().and_then(|e| e.to_str()), Some("toml" | "json")))
        .collect();
    scenes.sort();
    scenes
}

#[test]
fn every_recording_validates_against_the_schema() {
    let validator = jsonschema::validator_for(&schema()).expect("a valid JSON Schema");
    let scenes = recordings();
    assert!(!scenes.is_empty());
    for path in scenes {
        let value = scene_value(&path);
        let errors: Vec<String> = validator
            .iter_errors(&value)
            .map(|e| format!("{e} at {}", e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{}: {errors:#?}", path.display());
    }
}

#[test]
fn the_schema_rejects_what_the_parser_rejects() {
    let validator = jsonschema::validator_for(&schema()).unwrap();
    let bad: &[serde_json::Value] = &[
        serde_json::json!({"pane": [{"name": "a"}], "stp": []}),
        serde_json::json!({"pane": [{"name": "a", "promt": "$ "}]}),
        serde_json::json!({"pane": [{"name": "a"}], "step": [{"run": "x", "type": "y"}]}),
        serde_json::json!({"pane": [{"name": "a"}], "step": [{"pause": "1 parsec"}]}),
        serde_json::json!({"pane": [{"name": "a"}], "step": [{"keys": ["Hyper"]}]}),
        serde_json::json!({"pane": [{"name": "a"}], "terminal": {"cols": 0}}),
        serde_json::json!({"pane": [{"name": "a", "shell": "zsh"}]}),
        serde_json::json!({"pane": []}),
        serde_json::json!({"pane": [{"name": "a"}], "inherit": ["AWS-PROFILE"]}),
        serde_json::json!({"pane": [{"name": "a", "inherit": false}]}),
        serde_json::json!({"pane": [{"name": "a", "inherit": ["TERM"]}]}),
        serde_json::json!({"pane": [{"name": "a"}], "env": {"TERM": "vt100"}}),
        serde_json::json!({"pane": [{"name": "a", "env": {"A=B": "1"}}]}),
        serde_json::json!({"pane": [{"name": "a"}], "step": [{"run": "x", "marker": "m"}]}),
        serde_json::json!({"pane": [{"name": "a"}], "step": [{"focus": "a", "pause": "1s"}]}),
        serde_json::json!({"pane": [{"name": "a"}], "step": [{"run": "x", "keys": "y", "wait": "z"}]}),
        serde_json::json!({"layout": "grid", "pane": [{"name": "a"}]}),
        serde_json::json!({"pane": [{"name": "a"}, {"name": "b", "split": {"side": "under"}}]}),
    ];
    for value in bad {
        assert!(!validator.is_valid(value), "the schema accepts {value}");
    }
    let good = serde_json::json!({"pane": [{"name": "a", "size": 0.5}], "step": [{"keys": ["Ctrl-C", "Up", "y"]}, {"wait": {"exit": true}}]});
    assert!(validator.is_valid(&good));
    // An action and what follows it, in one step; tmux's layouts and splits.
    let followed = serde_json::json!({"layout": {"preset": "main-vertical", "main": 60}, "pane": [{"name": "a"}],
        "step": [{"run": "make", "wait": {"exit": true}, "timeout": "1m", "pause": "1s"}, {"type": "q", "pause": "1s"}, {"wait": "x", "pause": "1s"}]});
    assert!(validator.is_valid(&followed));
    let split = serde_json::json!({"pane": [{"name": "a"}, {"name": "b", "split": "below"},
        {"name": "c", "split": {"pane": "a", "side": "right", "size": 0.3}}]});
    assert!(validator.is_valid(&split));
    let env = serde_json::json!({"inherit": ["AWS_PROFILE"], "env": {"REGION": "eu"},
        "pane": [{"name": "a", "inherit": true, "env": {"REGION": "us"}}]});
    assert!(validator.is_valid(&env));
}

/// The property names of each table in the schema.
fn schema_keys(schema: &serde_json::Value) -> Vec<(&'static str, BTreeSet<String>)> {
    let names =
        |v: &serde_json::Value| -> BTreeSet<String> { v["properties"].as_object().unwrap().keys().cloned().collect() };
    let props = &schema["properties"];
    vec![
        ("scene", names(schema)),
        ("privacy", names(&props["privacy"])),
        ("redact", names(&props["privacy"]["properties"]["redact"]["items"])),
        ("terminal", names(&props["terminal"])),
        ("typing", names(&props["typing"])),
        ("pane", names(&props["pane"]["items"])),
        ("theme", names(&props["terminal"]["properties"]["theme"]["oneOf"][1])),
        (
            "wait",
            names(&schema["$defs"]["step"]["properties"]["wait"]["oneOf"][1]),
        ),
        ("step", names(&schema["$defs"]["step"])),
    ]
}

#[test]
fn the_schema_and_the_parser_know_the_same_keys() {
    let schema = schema();
    for (table, keys) in schema_keys(&schema) {
        let parser: BTreeSet<String> = director::scene::KNOWN_KEYS
            .iter()
            .find(|(name, _)| *name == table)
            .unwrap_or_else(|| panic!("the parser has no key list for {table}"))
            .1
            .iter()
            .map(|k| k.to_string())
            .collect();
        assert_eq!(keys, parser, "keys of {table}");
    }
}

#[test]
fn every_recording_parses_and_has_a_valid_cast_beside_it() {
    for path in recordings() {
        director::scene::parse_file(&path, &[]).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let cast = path.with_extension("cast");
        let output = run(&["check", cast.to_str().unwrap()]);
        assert_ok(&output);
    }
}

#[test]
fn the_python_scene_records_line_by_line_without_pythonunbuffered() {
    let dir = temp_dir();
    let scene = Path::new(env!("CARGO_MANIFEST_DIR")).join("recordings/python.toml");
    let out = dir.path().join("python.cast");
    let addr = format!("addr=127.0.0.1:{}", free_port());
    let output = director()
        .env_remove("PYTHONUNBUFFERED")
        .args(["record", "--set", &addr, scene.to_str().unwrap(), out.to_str().unwrap()])
        .output()
        .unwrap();
    assert_ok(&output);
    let cast = Cast::read(&out);
    // Each line arrives when printed: the server's last line comes a second
    // after the one before it, not together with it at exit.
    let gap = cast.time_of("Closing connection.") - cast.time_of("Connection open. Waiting...");
    assert!((0.95..1.5).contains(&gap), "{gap}");
    let screen = cast.final_screen();
    let left = screen.lines(0, 50, 0..35);
    assert_eq!(left[0], "[director@demo python]$ python3 server.py");
    assert!(left[1].starts_with("Server listening on 127.0.0.1:"));
    assert_eq!(
        left[3..6],
        [
            "Received: Hello, server!",
            "Connection open. Waiting...",
            "Closing connection."
        ]
    );
    let right = screen.lines(51, 100, 0..35);
    assert_eq!(
        right[..5],
        [
            "[director@demo python]$ python3 client.py",
            "Connected to server.",
            "Message sent.",
            "Received: Hello, client!",
            "Connection closed."
        ]
    );
}

#[test]
fn the_readmes_pictures_are_what_render_draws_of_the_recordings() {
    // Each picture in the README says the command that drew it, in
    // backquotes: `director render [OPTIONS] docs/NAME.EXT recordings/NAME.cast`.
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let command = regex::Regex::new(r"`director render ([^`]*docs/[^`]+)`").unwrap();
    let text = readme.replace('\n', " ");
    let mut checked = 0;
    for found in command.captures_iter(&text) {
        let dir = temp_dir();
        let mut picture = None;
        let args: Vec<String> = std::iter::once("render".to_string())
            .chain(found[1].split_whitespace().map(|arg| {
                if arg.starts_with("docs/") {
                    let out = dir.path().join(Path::new(arg).file_name().unwrap());
                    picture = Some((arg.to_string(), out.clone()));
                    out.display().to_string()
                } else if arg.starts_with("recordings/") {
                    root.join(arg).display().to_string()
                } else {
                    arg.trim_matches('"').to_string()
                }
            }))
            .collect();
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        assert_ok(&run(&args));
        let (name, out) = picture.unwrap();
        assert!(
            std::fs::read(&out).unwrap() == std::fs::read(root.join(&name)).unwrap(),
            "{name} is not what `{}` draws: run it again",
            &found[0]
        );
        checked += 1;
    }
    assert!(checked >= 5, "the README shows {checked} pictures");
}
