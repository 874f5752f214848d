//! TOML text → [`Scene`]: deserialize into raw spanned values, then validate
//! every field, collecting all problems with their places in one pass.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::PathBuf;
use std::time::Duration;

use serde::Deserialize;
use toml::Spanned;

use super::diagnostic::{Diagnostic, SceneError, line_col};
use super::vars::{substitute, valid_name};
use super::{Action, ExpectExit, PaneSpec, Scene, Step, Until, duration, theme};
use crate::asciicast::Theme;
use crate::geometry::Size;
use crate::term::layout::{Layout, Split};
use crate::term::style::Style;

/// The scene format version this build reads.
pub const VERSION: u32 = 1;

const DEFAULT_PROMPT: &str = "[director@demo ~]$ ";
const DEFAULT_PROMPT_STYLE: &str = "bold green";
const DEFAULT_TYPE_DELAY: Duration = Duration::from_millis(70);
const DEFAULT_ENTER_DELAY: Duration = Duration::from_millis(400);
const DEFAULT_WAIT_TIMEOUT: Duration = Duration::from_secs(10);
/// Terminal sizes beyond these are surely mistakes, and would make every
/// frame needlessly expensive.
const MAX_COLS: u16 = 1000;
const MAX_ROWS: u16 = 500;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawScene {
    version: Option<Spanned<u32>>,
    title: Option<String>,
    #[serde(default)]
    vars: BTreeMap<Spanned<String>, String>,
    #[serde(default)]
    terminal: RawTerminal,
    #[serde(default)]
    typing: RawTyping,
    theme: Option<Spanned<RawTheme>>,
    #[serde(default)]
    pane: Vec<Spanned<RawPane>>,
    #[serde(default)]
    step: Vec<Spanned<RawStep>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawTerminal {
    cols: Option<Spanned<u16>>,
    rows: Option<Spanned<u16>>,
    term: Option<String>,
    status: Option<bool>,
    layout: Option<Spanned<String>>,
    fps: Option<Spanned<f64>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawTyping {
    delay: Option<Spanned<RawDuration>>,
    enter_delay: Option<Spanned<RawDuration>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTheme {
    preset: Option<Spanned<String>>,
    fg: Option<Spanned<String>>,
    bg: Option<Spanned<String>>,
    palette: Option<Spanned<RawPalette>>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum RawPalette {
    Joined(String),
    List(Vec<String>),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPane {
    name: Spanned<String>,
    prompt: Option<String>,
    prompt_style: Option<Spanned<String>>,
    cwd: Option<String>,
    #[serde(default)]
    env: BTreeMap<String, String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawStep {
    pane: Option<Spanned<String>>,
    run: Option<Spanned<String>>,
    #[serde(rename = "type")]
    type_: Option<Spanned<String>>,
    wait: Option<Spanned<RawWait>>,
    pause: Option<Spanned<RawDuration>>,
    delay: Option<Spanned<RawDuration>>,
    enter_delay: Option<Spanned<RawDuration>>,
    timeout: Option<Spanned<RawDuration>>,
    expect_exit: Option<Spanned<RawExit>>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum RawDuration {
    Text(String),
    Seconds(f64),
}

#[derive(Deserialize)]
#[serde(untagged)]
enum RawWait {
    Text(String),
    Table(RawWaitTable),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawWaitTable {
    text: Option<String>,
    regex: Option<String>,
    exit: Option<bool>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum RawExit {
    Code(i64),
    Word(String),
}

/// Parses and validates a scene. `file` names the source in messages;
/// `overrides` are `--set` variables, which win over `[vars]`.
pub fn parse(file: &str, text: &str, overrides: &[(String, String)]) -> Result<Scene, SceneError> {
    let fail = |diagnostics| SceneError {
        file: file.to_string(),
        source_text: text.to_string(),
        diagnostics,
    };
    let raw: RawScene = toml::from_str(text).map_err(|e| {
        let span = e.span().unwrap_or(0..0);
        fail(vec![Diagnostic::new(e.message().trim_end().to_string(), span)])
    })?;
    let mut v = Validator {
        errors: Vec::new(),
        vars: BTreeMap::new(),
        text,
    };
    let scene = v.scene(raw, overrides);
    match scene {
        Some(scene) if v.errors.is_empty() => Ok(scene),
        _ => Err(fail(v.errors)),
    }
}

struct Validator<'t> {
    errors: Vec<Diagnostic>,
    vars: BTreeMap<String, String>,
    text: &'t str,
}

impl Validator<'_> {
    fn error(&mut self, message: impl Into<String>, span: Range<usize>) {
        self.errors.push(Diagnostic::new(message, span));
    }

    fn duration(&mut self, raw: &Spanned<RawDuration>) -> Option<Duration> {
        let parsed = match raw.get_ref() {
            RawDuration::Text(t) => duration::parse(t),
            RawDuration::Seconds(s) => duration::seconds(*s),
        };
        parsed.map_err(|e| self.error(e, raw.span())).ok()
    }

    fn duration_or(&mut self, raw: &Option<Spanned<RawDuration>>, default: Duration) -> Duration {
        raw.as_ref().and_then(|d| self.duration(d)).unwrap_or(default)
    }

    fn scene(&mut self, raw: RawScene, overrides: &[(String, String)]) -> Option<Scene> {
        if let Some(version) = &raw.version
            && *version.get_ref() != VERSION
        {
            self.error(
                format!(
                    "scene version {} is not supported: this director reads version {VERSION}",
                    version.get_ref()
                ),
                version.span(),
            );
        }
        for (name, value) in &raw.vars {
            if !valid_name(name.get_ref()) {
                self.error(
                    format!("variable name \"{}\" must be letters, digits and _", name.get_ref()),
                    name.span(),
                );
            }
            self.vars.insert(name.get_ref().clone(), value.clone());
        }
        self.vars.extend(overrides.iter().cloned());

        let t = &raw.terminal;
        let cols = self.dimension(&t.cols, 100, MAX_COLS, "cols");
        let rows = self.dimension(&t.rows, 36, MAX_ROWS, "rows");
        let split = match t.layout.as_ref().map(|l| (l.get_ref().as_str(), l.span())) {
            None | Some(("columns" | "left-right", _)) => Split::Columns,
            Some(("rows" | "top-bottom", _)) => Split::Rows,
            Some((other, span)) => {
                self.error(
                    format!("unknown layout \"{other}\": expected \"columns\" or \"rows\""),
                    span,
                );
                Split::Columns
            }
        };
        let frame_interval = match &t.fps {
            None => Duration::from_secs(1) / 60,
            Some(fps) if (1.0..=1000.0).contains(fps.get_ref()) => Duration::from_secs_f64(1.0 / fps.get_ref()),
            Some(fps) => {
                self.error(format!("fps {} is out of range (1 to 1000)", fps.get_ref()), fps.span());
                Duration::from_secs(1) / 60
            }
        };
        let status = t.status.unwrap_or(true);
        let term = substitute(t.term.as_deref().unwrap_or("xterm-256color"), &self.vars);

        let type_delay = self.duration_or(&raw.typing.delay, DEFAULT_TYPE_DELAY);
        let enter_delay = self.duration_or(&raw.typing.enter_delay, DEFAULT_ENTER_DELAY);

        let panes = self.panes(&raw.pane);
        let size = Size::new(cols, rows);
        if !panes.is_empty() {
            if let Err(e) = Layout::split(size, panes.len(), split, status) {
                let span = t.cols.as_ref().map_or(0..0, |c| c.span());
                self.error(e.to_string(), span);
            }
        } else {
            self.error("a scene needs at least one [[pane]] with a name", 0..0);
        }

        let mut steps = Vec::with_capacity(raw.step.len());
        let mut current = 0;
        for step in &raw.step {
            if let Some(s) = self.step(step, &panes, &mut current, type_delay, enter_delay) {
                steps.push(s);
            }
        }
        let title = raw.title.as_deref().map(|t| substitute(t, &self.vars));
        let theme = raw.theme.as_ref().and_then(|t| self.theme(t));
        Some(Scene {
            title,
            theme,
            size,
            term,
            status,
            split,
            frame_interval,
            panes,
            steps,
        })
    }

    fn theme(&mut self, raw: &Spanned<RawTheme>) -> Option<Theme> {
        let t = raw.get_ref();
        let mut theme = match &t.preset {
            Some(name) => match theme::preset(name.get_ref()) {
                Some(theme) => theme,
                None => {
                    let names = theme::preset_names().join(", ");
                    self.error(
                        format!("unknown theme preset \"{}\": the presets are {names}", name.get_ref()),
                        name.span(),
                    );
                    return None;
                }
            },
            None if t.fg.is_some() && t.bg.is_some() && t.palette.is_some() => Theme::default(),
            None => {
                self.error("a theme needs a preset, or all of fg, bg and palette", raw.span());
                return None;
            }
        };
        for (field, raw) in [(&mut theme.fg, &t.fg), (&mut theme.bg, &t.bg)] {
            if let Some(colour) = raw {
                if theme::is_color(colour.get_ref()) {
                    *field = colour.get_ref().clone();
                } else {
                    self.error(
                        format!("\"{}\" is not a #rrggbb colour", colour.get_ref()),
                        colour.span(),
                    );
                }
            }
        }
        if let Some(palette) = &t.palette {
            let joined = match palette.get_ref() {
                RawPalette::Joined(s) => s.clone(),
                RawPalette::List(list) => list.join(":"),
            };
            match theme::check_palette(&joined) {
                Ok(()) => theme.palette = joined,
                Err(e) => self.error(e, palette.span()),
            }
        }
        Some(theme)
    }

    fn dimension(&mut self, raw: &Option<Spanned<u16>>, default: u16, max: u16, what: &str) -> u16 {
        match raw {
            None => default,
            Some(v) if (1..=max).contains(v.get_ref()) => *v.get_ref(),
            Some(v) => {
                self.error(
                    format!("terminal {what} = {} is out of range (1 to {max})", v.get_ref()),
                    v.span(),
                );
                default
            }
        }
    }

    fn panes(&mut self, raw: &[Spanned<RawPane>]) -> Vec<PaneSpec> {
        let mut panes: Vec<PaneSpec> = Vec::with_capacity(raw.len());
        for p in raw {
            let name = p.get_ref().name.get_ref().clone();
            if panes.iter().any(|q| q.name == name) {
                self.error(format!("pane name \"{name}\" is used twice"), p.get_ref().name.span());
            }
            if name.is_empty() || name.chars().any(char::is_control) {
                self.error("a pane name must be non-empty printable text", p.get_ref().name.span());
            }
            let style_text = p.get_ref().prompt_style.as_ref();
            let prompt_style =
                match style_text.map_or(Style::parse(DEFAULT_PROMPT_STYLE), |s| Style::parse(s.get_ref())) {
                    Ok(s) => s,
                    Err(e) => {
                        self.error(e, style_text.map_or(0..0, |s| s.span()));
                        Style::default()
                    }
                };
            let p = p.get_ref();
            panes.push(PaneSpec {
                name,
                prompt: substitute(p.prompt.as_deref().unwrap_or(DEFAULT_PROMPT), &self.vars),
                prompt_style,
                cwd: p.cwd.as_deref().map(|c| PathBuf::from(substitute(c, &self.vars))),
                env: p
                    .env
                    .iter()
                    .map(|(k, v)| (k.clone(), substitute(v, &self.vars)))
                    .collect(),
            });
        }
        panes
    }

    fn step(
        &mut self,
        raw: &Spanned<RawStep>,
        panes: &[PaneSpec],
        current: &mut usize,
        type_delay: Duration,
        enter_delay: Duration,
    ) -> Option<Step> {
        let span = raw.span();
        let s = raw.get_ref();
        if let Some(name) = &s.pane {
            match panes.iter().position(|p| &p.name == name.get_ref()) {
                Some(i) => *current = i,
                None => {
                    let known: Vec<&str> = panes.iter().map(|p| p.name.as_str()).collect();
                    self.error(
                        format!(
                            "unknown pane \"{}\": the panes are {}",
                            name.get_ref(),
                            known.join(", ")
                        ),
                        name.span(),
                    );
                }
            }
        }
        let actions = [s.run.is_some(), s.type_.is_some(), s.wait.is_some(), s.pause.is_some()];
        let count = actions.iter().filter(|a| **a).count();
        if count != 1 {
            let what = if count == 0 {
                "has no action"
            } else {
                "has more than one action"
            };
            self.error(
                format!("this step {what}: give exactly one of run, type, wait, pause"),
                span,
            );
            return None;
        }
        let misplaced = |key: &str, present: bool, allowed: bool| (present && !allowed).then(|| key.to_string());
        let is_run = s.run.is_some();
        let is_typing = is_run || s.type_.is_some();
        for (key, span) in [
            (
                misplaced("delay", s.delay.is_some(), is_typing),
                s.delay.as_ref().map(|d| d.span()),
            ),
            (
                misplaced("enter_delay", s.enter_delay.is_some(), is_run),
                s.enter_delay.as_ref().map(|d| d.span()),
            ),
            (
                misplaced("timeout", s.timeout.is_some(), s.wait.is_some()),
                s.timeout.as_ref().map(|d| d.span()),
            ),
            (
                misplaced("expect_exit", s.expect_exit.is_some(), is_run),
                s.expect_exit.as_ref().map(|d| d.span()),
            ),
        ] {
            if let (Some(key), Some(span)) = (key, span) {
                self.error(format!("\"{key}\" does not apply to this kind of step"), span);
            }
        }
        let delay = self.duration_or(&s.delay, type_delay);
        let action = if let Some(cmd) = &s.run {
            let command = substitute(cmd.get_ref(), &self.vars);
            if command.trim().is_empty() || command.contains(['\n', '\r']) {
                self.error("a run command must be one non-empty line", cmd.span());
            }
            let expect_exit = match s.expect_exit.as_ref().map(|e| (e.get_ref(), e.span())) {
                None => ExpectExit::Code(0),
                Some((RawExit::Code(c), span)) => match i32::try_from(*c) {
                    Ok(c) if (0..=255).contains(&c) => ExpectExit::Code(c),
                    _ => {
                        self.error(format!("expect_exit = {c} is not an exit status (0 to 255)"), span);
                        ExpectExit::Any
                    }
                },
                Some((RawExit::Word(w), _)) if w == "any" => ExpectExit::Any,
                Some((RawExit::Word(w), span)) => {
                    self.error(
                        format!("expect_exit = \"{w}\": expected a status (0 to 255) or \"any\""),
                        span,
                    );
                    ExpectExit::Any
                }
            };
            let enter_delay = self.duration_or(&s.enter_delay, enter_delay);
            Action::Run {
                command,
                delay,
                enter_delay,
                expect_exit,
            }
        } else if let Some(text) = &s.type_ {
            Action::Type {
                text: substitute(text.get_ref(), &self.vars),
                delay,
            }
        } else if let Some(wait) = &s.wait {
            let until = self.until(wait)?;
            Action::Wait {
                until,
                timeout: self.duration_or(&s.timeout, DEFAULT_WAIT_TIMEOUT),
            }
        } else {
            Action::Pause(s.pause.as_ref().and_then(|p| self.duration(p))?)
        };
        Some(Step {
            line: line_col(self.text, span.start).0,
            pane: *current,
            action,
        })
    }

    fn until(&mut self, raw: &Spanned<RawWait>) -> Option<Until> {
        let table = match raw.get_ref() {
            RawWait::Text(t) if t.is_empty() => {
                self.error("wait text must not be empty", raw.span());
                return None;
            }
            RawWait::Text(t) => return Some(Until::Text(substitute(t, &self.vars))),
            RawWait::Table(t) => t,
        };
        match (&table.text, &table.regex, table.exit) {
            (Some(t), None, None) if !t.is_empty() => Some(Until::Text(substitute(t, &self.vars))),
            (None, Some(r), None) => match regex::Regex::new(&substitute(r, &self.vars)) {
                Ok(re) => Some(Until::Regex(re)),
                Err(e) => {
                    self.error(format!("bad regex: {e}"), raw.span());
                    None
                }
            },
            (None, None, Some(true)) => Some(Until::Exit),
            _ => {
                self.error(
                    "wait needs exactly one of: text = \"...\", regex = \"...\", exit = true",
                    raw.span(),
                );
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scene::BUILTIN_TCP;

    fn errors(text: &str) -> Vec<String> {
        match parse("t.toml", text, &[]) {
            Ok(_) => vec![],
            Err(e) => e.diagnostics.iter().map(|d| d.message.clone()).collect(),
        }
    }

    #[test]
    fn builtin_scene_parses_to_the_reference_layout() {
        let s = parse("tcp.toml", BUILTIN_TCP, &[]).unwrap();
        assert_eq!(s.size, Size::new(100, 36));
        assert_eq!(
            s.panes.iter().map(|p| p.name.as_str()).collect::<Vec<_>>(),
            ["server", "client"]
        );
        assert!(s.status);
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
        let s = parse("tcp.toml", BUILTIN_TCP, &[("addr".into(), "127.0.0.1:6001".into())]).unwrap();
        assert!(
            s.panes[0]
                .env
                .contains(&("DIRECTOR_DEMO_ADDR".into(), "127.0.0.1:6001".into()))
        );
    }

    #[test]
    fn steps_take_the_previous_pane_and_parse_values() {
        let s = parse(
            "t.toml",
            r#"
[[pane]]
name = "a"
[[pane]]
name = "b"
[[step]]
pane = "b"
type = "hi"
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
"#,
            &[],
        )
        .unwrap();
        let panes: Vec<usize> = s.steps.iter().map(|s| s.pane).collect();
        assert_eq!(panes, [1, 1, 1, 0]);
        assert!(matches!(s.steps[0].action, Action::Type { delay, .. } if delay == Duration::from_millis(10)));
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
    }

    #[test]
    fn themes_come_from_presets_and_fields() {
        let pane = "[[pane]]\nname = \"a\"\n";
        let s = parse(
            "t.toml",
            &format!("[theme]\npreset = \"blog\"\nfg = \"#ffffff\"\n{pane}"),
            &[],
        )
        .unwrap();
        let t = s.theme.unwrap();
        assert_eq!((t.fg.as_str(), t.bg.as_str()), ("#ffffff", "#1e2229"));
        let eight = ["\"#000000\""; 8].join(", ");
        let s = parse(
            "t.toml",
            &format!("[theme]\nfg = \"#010203\"\nbg = \"#040506\"\npalette = [{eight}]\n{pane}"),
            &[],
        );
        assert_eq!(s.unwrap().theme.unwrap().palette, ["#000000"; 8].join(":"));
        let errs = errors(&format!("[theme]\npreset = \"neon\"\n{pane}"));
        assert!(errs[0].contains("unknown theme preset \"neon\""), "{errs:?}");
        let errs = errors(&format!(
            "[theme]\npreset = \"blog\"\nbg = \"red\"\npalette = \"#000000\"\n{pane}"
        ));
        assert!(
            errs.iter().any(|e| e.contains("not a #rrggbb")) && errs.iter().any(|e| e.contains("8 or 16")),
            "{errs:?}"
        );
    }

    #[test]
    fn collects_every_validation_error() {
        let errs = errors(
            r#"
[terminal]
cols = 0
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
            "cols = 0",
            "unknown layout",
            "blod",
            "unknown pane \"nope\"",
            "unknown unit",
            "bad regex",
            "\"timeout\" does not apply",
            "has no action",
        ] {
            assert!(joined.contains(want), "missing {want:?} in {joined}");
        }
    }

    #[test]
    fn syntax_and_unknown_keys_point_at_the_place() {
        let text = "[[pane]]\nname = \"a\"\ncolour = 1\n";
        let e = parse("t.toml", text, &[]).unwrap_err();
        assert!(
            e.diagnostics[0].message.contains("unknown field `colour`"),
            "{:?}",
            e.diagnostics
        );
        assert_eq!(
            crate::scene::diagnostic::line_col(text, e.diagnostics[0].span.start),
            (3, 1)
        );
    }
}
