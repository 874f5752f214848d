//! What a pane's program gets of director's environment: a minimal one by
//! default, so that `env` in a pane publishes no credential; more only when
//! the scene asks with `inherit`; the scene's `[env]` and the pane's `env`
//! over it.

mod common;

use std::path::PathBuf;
use std::process::Output;

use common::*;

const TOKEN: &str = "tok-5f3e9a1c-never-in-a-cast";
const AWS_KEY: &str = "wJalrXUtnFEMI-K7MDENG-never-in-a-cast";

/// Director's environment in these tests: secret-looking variables, an
/// ordinary one, the terminal's own, and every variable passed by default
/// (set here, since a test machine need not have USER or LANG).
const DIRECTOR_ENV: &[(&str, &str)] = &[
    ("DIRECTOR_TEST_TOKEN", TOKEN),
    ("AWS_SECRET_ACCESS_KEY", AWS_KEY),
    ("DIRECTOR_TEST_OTHER", "other"),
    ("TMUX", "/tmp/tmux-0/default,1,0"),
    ("TERM", "dumb"),
    ("USER", "envtester"),
    ("LOGNAME", "envtester"),
    ("LANG", "C.UTF-8"),
    ("LC_TIME", "C"),
    ("TZ", "UTC"),
    ("SOURCE_DATE_EPOCH", "1700000000"),
];

/// Records `scene` with `DIRECTOR_ENV` added to director's environment.
fn record(dir: &std::path::Path, scene: &str) -> (PathBuf, Output) {
    let scene_path = dir.join("scene.toml");
    std::fs::write(&scene_path, scene).unwrap();
    let out = dir.join("out.cast");
    let output = director()
        .envs(DIRECTOR_ENV.iter().copied())
        .args(["record", scene_path.to_str().unwrap(), out.to_str().unwrap()])
        .output()
        .unwrap();
    assert_ok(&output);
    (out, output)
}

/// Two panes, `left` and `right`, after `top` (top-level keys and tables)
/// and with `left` and `right` added to each pane's table.
fn scene(top: &str, left: &str, right: &str, steps: &str) -> String {
    format!(
        "{top}\n[[pane]]\nname = \"left\"\nprompt = \"$ \"\n{left}\n[[pane]]\nname = \"right\"\nprompt = \"$ \"\n{right}\n{steps}"
    )
}

/// A step that lists the names of the pane's environment, one a line.
fn list_names(pane: &str) -> String {
    format!("[[step]]\npane = \"{pane}\"\nrun = \"env | cut -d= -f1 | sort\"\n[[step]]\nwait.exit = true\n")
}

/// The variable names a pane listed (`list_names`).
fn names_in(out: &std::path::Path, left: bool) -> Vec<String> {
    let screen = Cast::read(out).final_screen();
    let (from, to) = if left { (0, 50) } else { (51, 100) };
    let lines = screen.lines(from, to, 0..35);
    // The command line, the names, the next prompt.
    assert!(lines.len() >= 3, "{}", screen.dump());
    lines[1..lines.len() - 1].to_vec()
}

#[test]
fn a_pane_gets_a_minimal_environment_without_directors_secrets() {
    let dir = temp_dir();
    let steps = format!(
        "[[step]]\nrun = \"env\"\n[[step]]\nwait.exit = true\n{}",
        list_names("right")
    );
    let (out, _) = record(dir.path(), &scene("", "", "", &steps));
    let cast = std::fs::read_to_string(&out).unwrap();
    for secret in [
        TOKEN,
        AWS_KEY,
        "DIRECTOR_TEST_TOKEN",
        "AWS_SECRET_ACCESS_KEY",
        "DIRECTOR_TEST_OTHER",
        "TMUX",
    ] {
        assert!(!cast.contains(secret), "the cast contains {secret:?}");
    }
    let names = names_in(&out, false);
    let defaults = [
        "PATH",
        "HOME",
        "USER",
        "LOGNAME",
        "SHELL",
        "TERM",
        "LANG",
        "LC_TIME",
        "TZ",
        "SOURCE_DATE_EPOCH",
    ];
    for name in defaults {
        assert!(names.iter().any(|n| n == name), "{name} is missing from {names:?}");
    }
    // Nothing else, not the test runner's variables either, but what the
    // shell adds itself and the runner's own locale.
    let shells_own = ["PWD", "OLDPWD", "SHLVL", "_"];
    let others: Vec<&String> = names
        .iter()
        .filter(|n| !defaults.contains(&n.as_str()) && !shells_own.contains(&n.as_str()) && !n.starts_with("LC_"))
        .collect();
    assert!(others.is_empty(), "the pane got {others:?}");
}

#[test]
fn inherit_names_pass_exactly_those_and_a_pane_adds_to_the_scene() {
    let dir = temp_dir();
    let steps = format!("{}{}", list_names("left"), list_names("right"));
    let text = scene(
        "inherit = [\"DIRECTOR_TEST_OTHER\"]",
        "",
        "inherit = [\"DIRECTOR_TEST_TOKEN\"]",
        &steps,
    );
    let (out, _) = record(dir.path(), &text);
    let ours = |left| -> Vec<String> {
        names_in(&out, left)
            .into_iter()
            .filter(|n| n.starts_with("DIRECTOR_TEST_") || n.starts_with("AWS_"))
            .collect()
    };
    assert_eq!(ours(true), ["DIRECTOR_TEST_OTHER"]);
    assert_eq!(ours(false), ["DIRECTOR_TEST_OTHER", "DIRECTOR_TEST_TOKEN"]);
}

#[test]
fn inherit_true_passes_all_but_the_terminals_own_and_term_stays_the_scenes() {
    let dir = temp_dir();
    let steps = concat!(
        "[[step]]\nrun = \"echo token=$DIRECTOR_TEST_TOKEN; echo other=$DIRECTOR_TEST_OTHER; ",
        "echo aws=${AWS_SECRET_ACCESS_KEY:+set}; echo term=$TERM; echo tmux=${TMUX:-unset}\"\n",
        "[[step]]\nwait.exit = true\n",
    );
    let text = scene("[terminal]\nterm = \"vt220\"", "inherit = true", "", steps);
    let (out, _) = record(dir.path(), &text);
    let screen = Cast::read(&out).final_screen();
    // The command line wraps; the answers come before the next prompt.
    let lines = screen.lines(0, 50, 0..35);
    assert_eq!(
        lines[lines.len() - 6..lines.len() - 1],
        [
            format!("token={TOKEN}").as_str(),
            "other=other",
            "aws=set",
            "term=vt220",
            "tmux=unset"
        ],
        "{}",
        screen.dump()
    );
}

#[test]
fn a_panes_env_wins_over_the_scenes_which_wins_over_what_is_inherited() {
    let dir = temp_dir();
    let steps = concat!(
        "[[step]]\nrun = \"echo $DIRECTOR_TEST_OTHER $GREETING $FAREWELL\"\n[[step]]\nwait.exit = true\n",
        "[[step]]\npane = \"right\"\nrun = \"echo $DIRECTOR_TEST_OTHER $GREETING $FAREWELL\"\n[[step]]\nwait.exit = true\n",
    );
    let top = concat!(
        "inherit = [\"DIRECTOR_TEST_OTHER\"]\n",
        "[vars]\nwho = \"scene\"\n",
        "[env]\nDIRECTOR_TEST_OTHER = \"from-{who}\"\nGREETING = \"hello-from-{who}\"\nFAREWELL = \"bye-from-{who}\"",
    );
    let text = scene(top, "env = { FAREWELL = \"bye-from-pane\" }", "", steps);
    let (out, _) = record(dir.path(), &text);
    let screen = Cast::read(&out).final_screen();
    assert_eq!(
        screen.lines(0, 50, 0..35)[1],
        "from-scene hello-from-scene bye-from-pane",
        "{}",
        screen.dump()
    );
    assert_eq!(
        screen.lines(51, 100, 0..35)[1],
        "from-scene hello-from-scene bye-from-scene",
        "{}",
        screen.dump()
    );
}
