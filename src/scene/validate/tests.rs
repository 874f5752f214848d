//! Tests of validation: scenes in, the model or every problem out.

use std::collections::BTreeSet;
use std::path::Path;
use std::time::Duration;

use super::steps::{STEP_KEYS, STEP_KINDS, STEP_OPTIONS};
use crate::geometry::Size;
use crate::scene::diagnostic::line_col;
use crate::scene::keys::Key;
use crate::scene::{Action, BUILTIN_TCP, ExpectExit, Inherit, SCHEMA, Scene, SceneError, Syntax, Until, parse};
use crate::screen::layout::{Divider, Layout, PaneSize, Split};

fn toml(text: &str) -> Result<Scene, SceneError> {
    parse("t.toml", text, Syntax::Toml, Path::new("/base"), &[])
}

fn errors(text: &str) -> Vec<String> {
    match toml(text) {
        Ok(_) => vec![],
        Err(e) => e.diagnostics.iter().map(|d| d.message.clone()).collect(),
    }
}

#[test]
fn builtin_scene_parses_to_the_reference_layout() {
    let s = parse("tcp.toml", BUILTIN_TCP, Syntax::Toml, Path::new(""), &[]).unwrap();
    assert_eq!(s.size, Size::new(100, 36));
    assert_eq!(
        s.panes.iter().map(|p| p.name.as_str()).collect::<Vec<_>>(),
        ["server", "client"]
    );
    assert!(s.status.is_some());
    assert!(
        s.steps
            .iter()
            .any(|st| matches!(&st.action, Action::Run { command, .. } if command == "director demo server"))
    );
    assert!(
        s.panes
            .iter()
            .all(|p| p.env.contains(&("DIRECTOR_DEMO_ADDR".into(), "127.0.0.1:5000".into())))
    );
}

#[test]
fn set_overrides_vars() {
    let s = parse(
        "tcp.toml",
        BUILTIN_TCP,
        Syntax::Toml,
        Path::new(""),
        &[("addr".into(), "127.0.0.1:6001".into())],
    )
    .unwrap();
    assert!(
        s.panes[0]
            .env
            .contains(&("DIRECTOR_DEMO_ADDR".into(), "127.0.0.1:6001".into()))
    );
}

#[test]
fn steps_take_the_previous_pane_and_parse_values() {
    let s = toml(
        r#"
[vars]
port = 5000
[[pane]]
name = "a"
cwd = "sub"
size = 0.3
[[pane]]
name = "b"
shell = "/bin/bash"
[[step]]
pane = "b"
type = "hi {port}"
delay = "10ms"
[[step]]
wait = { regex = "h." }
timeout = 2
[[step]]
run = "false"
expect_exit = "any"
[[step]]
pane = "a"
wait.exit = true
[[step]]
keys = ["Ctrl-C", "Up"]
[[step]]
focus = "b"
[[step]]
marker = "end"
[[step]]
hide = true
"#,
    )
    .unwrap();
    let panes: Vec<usize> = s.steps.iter().map(|s| s.pane).collect();
    assert_eq!(panes, [1, 1, 1, 0, 0, 1, 1, 1]);
    assert!(
        matches!(&s.steps[0].action, Action::Type { text, rhythm } if text == "hi 5000" && rhythm == &vec![Duration::from_millis(10); 7])
    );
    assert!(
        matches!(&s.steps[1].action, Action::Wait { until: Until::Regex(r), timeout } if r.as_str() == "h." && *timeout == Duration::from_secs(2))
    );
    assert!(matches!(
        s.steps[2].action,
        Action::Run {
            expect_exit: ExpectExit::Any,
            ..
        }
    ));
    assert!(matches!(s.steps[3].action, Action::Wait { until: Until::Exit, .. }));
    assert!(matches!(&s.steps[4].action, Action::Keys { keys, .. } if keys == &[Key::Ctrl('c'), Key::Up]));
    assert!(matches!(&s.steps[6].action, Action::Marker(m) if m == "end"));
    assert!(matches!(s.steps[7].action, Action::Hide));
    assert_eq!(s.panes[0].cwd.as_deref(), Some(Path::new("/base/sub")));
    assert_eq!(s.panes[0].size, Some(PaneSize::Fraction(0.3)));
    assert_eq!(s.panes[1].shell.as_deref(), Some("/bin/bash"));
    assert_eq!(s.steps[0].line, 11);
}

#[test]
fn json_scenes_read_the_same_model() {
    let text = r#"{"terminal": {"cols": 80, "rows": 24, "title": "J"},
  "pane": [{"name": "a"}],
  "step": [{"run": "echo hi"}, {"wait": {"exit": true}}, {"pane": "b", "pause": "1s"}]}"#;
    let e = parse("t.json", text, Syntax::Json, Path::new(""), &[]).unwrap_err();
    assert_eq!(e.diagnostics.len(), 1);
    assert!(e.diagnostics[0].message.contains("unknown pane \"b\""));
    assert_eq!(line_col(text, e.diagnostics[0].span.start), (3, 67));
    let ok = text.replace("\"pane\": \"b\", ", "");
    let s = parse("t.json", &ok, Syntax::Json, Path::new(""), &[]).unwrap();
    assert_eq!(
        (s.size, s.title.as_deref(), s.steps.len()),
        (Size::new(80, 24), Some("J"), 3)
    );
}

#[test]
fn same_seed_same_rhythm_different_seed_different_rhythm() {
    let scene = |seed: u32| {
        toml(&format!(
            "[typing]\njitter = 0.5\nseed = {seed}\n[[pane]]\nname = \"a\"\n[[step]]\ntype = \"hello world\"\n"
        ))
        .unwrap()
    };
    let rhythm = |s: &Scene| match &s.steps[0].action {
        Action::Type { rhythm, .. } => rhythm.clone(),
        _ => unreachable!(),
    };
    assert_eq!(rhythm(&scene(1)), rhythm(&scene(1)));
    assert_ne!(rhythm(&scene(1)), rhythm(&scene(2)));
}

#[test]
fn collects_every_validation_error() {
    let errs = errors(
        r#"
[terminal]
cols = 0
colour = "red"
layout = "diagonal"
[[pane]]
name = "a"
prompt_style = "blod"
[[step]]
pane = "nope"
pause = "1 parsec"
[[step]]
wait = { regex = "(" }
[[step]]
run = "x"
timeout = "1s"
[[step]]
"#,
    );
    let joined = errs.join("\n");
    for want in [
        "0 is out of range",
        "unknown key `colour` in [terminal]",
        "unknown key `layout` in [terminal]",
        "blod",
        "unknown pane \"nope\"",
        "unknown unit",
        "bad regex",
        "`timeout` does not apply to a run step",
        "has no action",
    ] {
        assert!(joined.contains(want), "missing {want:?} in {joined}");
    }
}

#[test]
fn scene_env_and_inherit_reach_every_pane_under_its_own() {
    let s = toml(
        r#"
inherit = ["AWS_PROFILE"]
[vars]
region = "eu-west-1"
[env]
REGION = "{region}"
GREETING = "from the scene"
[[pane]]
name = "a"
env = { GREETING = "from the pane" }
inherit = ["EDITOR", "AWS_PROFILE"]
[[pane]]
name = "b"
inherit = true
"#,
    )
    .unwrap();
    let pair = |k: &str, v: &str| (k.to_string(), v.to_string());
    assert_eq!(
        s.panes[0].env,
        [pair("REGION", "eu-west-1"), pair("GREETING", "from the pane")]
    );
    assert_eq!(
        s.panes[0].inherit,
        Inherit::Names(vec!["AWS_PROFILE".into(), "EDITOR".into()])
    );
    assert_eq!(
        s.panes[1].env,
        [pair("REGION", "eu-west-1"), pair("GREETING", "from the scene")]
    );
    assert_eq!(s.panes[1].inherit, Inherit::All);
    let bare = toml("[[pane]]\nname = \"a\"\n").unwrap();
    assert_eq!(
        (bare.panes[0].inherit.clone(), bare.panes[0].env.len()),
        (Inherit::default(), 0)
    );
}

#[test]
fn env_and_inherit_errors_point_at_the_value() {
    let text = r#"inherit = ["AWS-PROFILE", "TERM", 3, "2FA"]
[env]
TERM = "vt100"
[[pane]]
name = "a"
inherit = false
[[pane]]
name = "b"
inherit = "HOME"
"#;
    let e = toml(text).unwrap_err();
    let found: Vec<(&str, (usize, usize))> = e
        .diagnostics
        .iter()
        .map(|d| (d.message.as_str(), line_col(text, d.span.start)))
        .collect();
    let name = |n: &str| {
        format!("\"{n}\" is not an environment variable name: letters, digits and _, not starting with a digit")
    };
    let term = "TERM is the scene's, for every program: set it with [terminal] term";
    assert_eq!(
        found,
        [
            (name("AWS-PROFILE").as_str(), (1, 12)),
            (term, (1, 27)),
            ("expected a string, found an integer", (1, 35)),
            (name("2FA").as_str(), (1, 38)),
            (term, (3, 1)),
            (
                "`inherit = false` passes nothing more than the default: remove it",
                (6, 11)
            ),
            (
                "expected a list of variable names such as [\"AWS_PROFILE\"], or true for all of director's environment, found a string",
                (9, 11)
            ),
        ]
    );
    assert!(e.to_string().contains(" --> t.toml:1:12\n"), "{e}");
}

#[test]
fn unknown_keys_suggest_the_near_one() {
    let errs = errors("[[pane]]\nname = \"a\"\npromt = \"$ \"\n");
    assert_eq!(errs, ["unknown key `promt` in [[pane]] (did you mean `prompt`?)"]);
}

#[test]
fn the_schema_knows_the_step_kinds_and_keys_of_the_table() {
    let schema: serde_json::Value = serde_json::from_str(SCHEMA).unwrap();
    let step = &schema["$defs"]["step"];
    let kinds: Vec<&str> = step["oneOf"]
        .as_array()
        .unwrap()
        .iter()
        .map(|one| one["required"][0].as_str().unwrap())
        .collect();
    let table: Vec<&str> = STEP_KINDS.iter().map(|k| k.name).collect();
    assert_eq!(kinds, table, "the schema's step kinds");
    let keys: BTreeSet<&str> = step["properties"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(keys, STEP_KEYS.iter().copied().collect(), "the schema's step keys");
}

#[test]
fn step_options_are_those_of_the_kinds() {
    let used: BTreeSet<&str> = STEP_KINDS.iter().flat_map(|k| k.options.iter().copied()).collect();
    assert_eq!(used, STEP_OPTIONS.iter().copied().collect());
    assert_eq!(STEP_KEYS.len(), 1 + STEP_KINDS.len() + STEP_OPTIONS.len());
}

#[test]
fn every_step_kind_reads_into_an_action_of_its_kind() {
    let values = [
        ("run", "\"ls\""),
        ("type", "\"hi\""),
        ("keys", "\"Enter\""),
        ("wait", "\"done\""),
        ("pause", "\"1s\""),
        ("marker", "\"m\""),
        ("clear", "true"),
        ("focus", "\"a\""),
        ("hide", "true"),
        ("show", "true"),
        ("open", "\"right\"\npane = \"b\""),
        ("close", "true"),
        ("resize", "{ cols = 10 }"),
        ("zoom", "true"),
        ("layout", "\"tiled\""),
        ("caption", "\"narration\""),
    ];
    assert_eq!(values.len(), STEP_KINDS.len());
    for (kind, value) in values {
        let scene = format!("[[pane]]\nname = \"a\"\n[[pane]]\nname = \"b\"\n[[step]]\n{kind} = {value}\n");
        let s = toml(&scene).unwrap_or_else(|e| panic!("{kind}: {e:?}"));
        assert_eq!(s.steps[0].action.kind(), kind);
    }
}

#[test]
fn a_tmux_preset_places_the_panes_as_tmux_does() {
    let panes = "[[pane]]\nname = \"a\"\n[[pane]]\nname = \"b\"\n[[pane]]\nname = \"c\"\n";
    let s = toml(&format!("layout = \"main-vertical\"\n{panes}")).unwrap();
    let preset = crate::screen::layout::Preset::MainVertical { main: 80 };
    assert_eq!(s.layout, Layout::preset(Size::new(100, 36), 3, preset, true).unwrap());
    let s = toml(&format!(
        "layout = {{ preset = \"main-horizontal\", main = 10 }}\n{panes}"
    ))
    .unwrap();
    assert_eq!(s.layout.panes[0].size, Size::new(100, 10));
    assert_eq!(s.layout.panes[1].row, 11);
}

#[test]
fn panes_split_from_earlier_ones_make_the_layout() {
    use crate::screen::layout::{Side, SplitOf};
    let s = toml(
        "[[pane]]\nname = \"server\"\n[[pane]]\nname = \"a\"\nsplit = \"right\"\n\
         [[pane]]\nname = \"b\"\nsplit = { pane = \"a\", side = \"below\", size = 0.25 }\n",
    )
    .unwrap();
    let splits = [
        None,
        Some(SplitOf {
            pane: 0,
            side: Side::Right,
            size: None,
        }),
        Some(SplitOf {
            pane: 1,
            side: Side::Below,
            size: Some(PaneSize::Fraction(0.25)),
        }),
    ];
    assert_eq!(s.layout, Layout::splits(Size::new(100, 36), &splits, true).unwrap());
    assert_eq!(s.layout.panes[2].size, Size::new(49, 8));
    let joined = errors(
        "layout = \"rows\"\n[[pane]]\nname = \"a\"\nsplit = \"right\"\n[[pane]]\nname = \"b\"\nsize = 3\nsplit = \"below\"\n",
    )
    .join("\n");
    assert!(joined.contains("the first pane is the whole screen"), "{joined}");
    assert!(joined.contains("the panes' splits make the layout"), "{joined}");
    assert!(joined.contains("a split pane's size goes in its split"), "{joined}");
}

#[test]
fn an_action_and_its_wait_and_pause_make_one_step_each() {
    use crate::scene::model::{Action, Until};
    let s = toml(
        "[[pane]]\nname = \"a\"\n[[step]]\nrun = \"make\"\nwait.exit = true\ntimeout = \"1m\"\npause = \"1s\"\n\
         [[step]]\ntype = \"q\"\npause = \"2s\"\n",
    )
    .unwrap();
    let kinds: Vec<&str> = s.steps.iter().map(|s| s.action.kind()).collect();
    assert_eq!(kinds, ["run", "wait", "pause", "type", "pause"]);
    assert!(matches!(
        &s.steps[1].action,
        Action::Wait { until: Until::Exit, timeout } if *timeout == Duration::from_secs(60)
    ));
    assert!(matches!(s.steps[2].action, Action::Pause(d) if d == Duration::from_secs(1)));
    assert_eq!((s.steps[0].line, s.steps[2].line), (3, 3));
    let joined = errors(
        "[[pane]]\nname = \"a\"\n[[step]]\npause = \"1s\"\nmarker = \"m\"\n[[step]]\nrun = \"x\"\ntimeout = \"1s\"\n",
    )
    .join("\n");
    assert!(joined.contains("more than one action (pause, marker)"), "{joined}");
    assert!(joined.contains("`timeout` does not apply to a run step"), "{joined}");
}

#[test]
fn a_preset_takes_no_pane_sizes_and_main_only_where_it_applies() {
    let joined = errors(
        "layout = { preset = \"tiled\", main = 5 }\n[[pane]]\nname = \"a\"\nsize = 30\n[[pane]]\nname = \"b\"\n",
    )
    .join("\n");
    assert!(joined.contains("main (the main pane's size) applies to"), "{joined}");
    assert!(
        joined.contains("a pane's size applies to the \"columns\" and \"rows\" layouts"),
        "{joined}"
    );
    let joined = errors("layout = \"grid\"\n[[pane]]\nname = \"a\"\n").join("\n");
    assert!(
        joined.contains("one of tmux's: even-horizontal, even-vertical, main-horizontal, main-vertical, tiled"),
        "{joined}"
    );
}

#[test]
fn the_scene_carries_the_layout_it_was_checked_with() {
    let s = toml("layout = \"rows\"\n[terminal]\ncols = 80\nrows = 24\n[[pane]]\nname = \"a\"\nsize = 5\n[[pane]]\nname = \"b\"\n")
        .unwrap();
    let sizes: Vec<Option<PaneSize>> = s.panes.iter().map(|p| p.size).collect();
    assert_eq!(
        s.layout,
        Layout::sized(s.size, &sizes, Split::Rows, s.status.is_some()).unwrap()
    );
    assert!(matches!(s.layout.dividers[0], Divider::Horizontal { .. }));
    assert_eq!(s.layout.panes[0].size, Size::new(80, 5));
}

#[test]
fn an_empty_list_of_panes_is_refused() {
    assert_eq!(
        errors("pane = []\n"),
        ["a scene needs at least one [[pane]] with a name"]
    );
    assert_eq!(
        errors("[[step]]\npause = 1\n"),
        ["a scene needs at least one [[pane]] with a name"]
    );
}

#[test]
fn a_preset_with_titles_spreads_its_stacked_panes_as_tmux_does() {
    let s = toml(
        "layout = \"main-vertical\"\n[terminal]\npane_titles = \"top\"\n\
         [[pane]]\nname = \"a\"\n[[pane]]\nname = \"b\"\n[[pane]]\nname = \"c\"\n[[pane]]\nname = \"d\"\n",
    )
    .unwrap();
    // 35 rows: the stacked cells are 11, 10 and 12 rows (tmux's
    // layout_spread_cell); the top ones give a row to the title line.
    let rows: Vec<(u16, u16)> = s.layout.panes.iter().map(|r| (r.row, r.size.rows)).collect();
    assert_eq!(rows, [(1, 34), (1, 10), (12, 10), (23, 12)]);
}
