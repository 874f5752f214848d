//! Steps: `[[step]]` tables and the scene's `[typing]` in, [`Step`]s out,
//! each holding its parsed [`Action`].
//!
//! The step kinds are defined once, in [`STEP_KINDS`]: each kind's key, the
//! options it takes and the function that reads it. The keys a step may
//! have, the check of which options apply, the messages that list the
//! kinds, and [`Action::kind`] all come from that table, and a test keeps
//! the JSON Schema's step kinds and keys equal to it.

use std::ops::Range;
use std::time::Duration;

use super::panes::{pane_index, pane_size, split_of};
use super::terminal::{Arrangement, arrangement};
use crate::scene::diagnostic::line_col;
use crate::scene::keys::Key;
use crate::scene::model::{Action, ExpectExit, PaneSpec, Step, Until};
use crate::scene::node::{Node, Value};
use crate::scene::reader::{Reader, Table, closest};
use crate::scene::typing::schedule;
use crate::scene::vars::substitute;
use crate::screen::layout::{Preset, Split};

pub const TYPING_KEYS: &[&str] = &["delay", "jitter", "seed", "enter_delay"];
pub const WAIT_KEYS: &[&str] = &["text", "regex", "exit"];
pub const RESIZE_KEYS: &[&str] = &["cols", "rows"];

const DEFAULT_TYPE_DELAY: Duration = Duration::from_millis(70);
const DEFAULT_ENTER_DELAY: Duration = Duration::from_millis(400);
const DEFAULT_KEYS_DELAY: Duration = Duration::from_millis(250);
const DEFAULT_WAIT_TIMEOUT: Duration = Duration::from_secs(10);

/// One kind of step: the key that names it, the options it takes, the
/// function that reads it and the [`Action`]s it makes.
pub struct StepKind {
    pub name: &'static str,
    /// Which of [`STEP_OPTIONS`] apply.
    pub options: &'static [&'static str],
    read: fn(&mut Reader, StepInput<'_, '_>) -> Option<Action>,
    /// Whether an action is of this kind.
    makes: fn(&Action) -> bool,
}

/// Every step kind, in the order messages list them.
pub const STEP_KINDS: &[StepKind] = &[
    StepKind::new(
        "run",
        &["delay", "jitter", "seed", "enter_delay", "expect_exit"],
        run,
        |a| matches!(a, Action::Run { .. }),
    ),
    StepKind::new("type", &["delay", "jitter", "seed"], type_text, |a| {
        matches!(a, Action::Type { .. })
    }),
    StepKind::new("keys", &["delay"], keys, |a| matches!(a, Action::Keys { .. })),
    StepKind::new("wait", &["timeout"], wait, |a| matches!(a, Action::Wait { .. })),
    StepKind::new("pause", &[], pause, |a| matches!(a, Action::Pause(_))),
    StepKind::new("marker", &[], marker, |a| matches!(a, Action::Marker(_))),
    StepKind::new("clear", &[], clear, |a| matches!(a, Action::Clear)),
    StepKind::new("focus", &[], focus, |a| matches!(a, Action::Focus)),
    StepKind::new("hide", &[], hide, |a| matches!(a, Action::Hide)),
    StepKind::new("show", &[], show, |a| matches!(a, Action::Show)),
    StepKind::new("open", &[], open, |a| matches!(a, Action::Open(_))),
    StepKind::new("close", &[], close, |a| matches!(a, Action::Close)),
    StepKind::new("resize", &[], resize, |a| matches!(a, Action::Resize { .. })),
    StepKind::new("zoom", &[], zoom, |a| matches!(a, Action::Zoom(_))),
    StepKind::new("layout", &[], layout, |a| matches!(a, Action::Layout(_))),
    StepKind::new("caption", &[], caption, |a| matches!(a, Action::Caption(_))),
];

/// Every option a step kind may take, in the order messages list them; a
/// test checks that these are exactly the options of [`STEP_KINDS`].
pub const STEP_OPTIONS: &[&str] = &["delay", "jitter", "seed", "enter_delay", "timeout", "expect_exit"];

/// The keys a step may have: `pane`, each kind, each option.
pub const STEP_KEYS: &[&str] = &step_keys();

const STEP_KEY_COUNT: usize = 1 + STEP_KINDS.len() + STEP_OPTIONS.len();

const fn step_keys() -> [&'static str; STEP_KEY_COUNT] {
    let mut keys = ["pane"; STEP_KEY_COUNT];
    let mut i = 0;
    while i < STEP_KINDS.len() {
        keys[1 + i] = STEP_KINDS[i].name;
        i += 1;
    }
    let mut j = 0;
    while j < STEP_OPTIONS.len() {
        keys[1 + i + j] = STEP_OPTIONS[j];
        j += 1;
    }
    keys
}

impl StepKind {
    const fn new(
        name: &'static str,
        options: &'static [&'static str],
        read: fn(&mut Reader, StepInput<'_, '_>) -> Option<Action>,
        makes: fn(&Action) -> bool,
    ) -> Self {
        Self {
            name,
            options,
            read,
            makes,
        }
    }
}

impl Action {
    /// The step's kind as the scene spells it.
    pub fn kind(&self) -> &'static str {
        STEP_KINDS
            .iter()
            .find(|kind| (kind.makes)(self))
            .map_or("step", |kind| kind.name)
    }
}

/// What a step kind's function reads.
struct StepInput<'s, 'n> {
    /// The kind's name, for messages.
    kind: &'static str,
    /// The value of the kind's key (`run = "make"`).
    value: &'n Node,
    /// The rest of the step's table, for the kind's options.
    options: &'s mut Table<'n>,
    panes: &'s [PaneSpec],
    /// The scene's typing, with this step's own seed.
    typing: Typing,
    /// The pane the step acts on, which `focus` changes.
    pane: &'s mut usize,
    /// The pane the step before acted on.
    previous: usize,
}

/// How text is typed: the scene's `[typing]`, or a step's own settings.
#[derive(Debug, Clone, Copy)]
pub struct Typing {
    delay: Duration,
    jitter: f64,
    seed: u64,
    enter_delay: Duration,
}

impl Default for Typing {
    fn default() -> Self {
        Self {
            delay: DEFAULT_TYPE_DELAY,
            jitter: 0.0,
            seed: 0,
            enter_delay: DEFAULT_ENTER_DELAY,
        }
    }
}

impl Typing {
    /// The pause after each keystroke, before jitter.
    pub fn delay(&self) -> Duration {
        self.delay
    }

    /// The pause after each keystroke of `text`.
    fn rhythm(&self, text: &str) -> Vec<Duration> {
        schedule(text.chars().count(), self.delay, self.jitter, self.seed)
    }
}

/// `[typing]` over the defaults.
pub fn typing(r: &mut Reader, node: &Node) -> Typing {
    let mut typing = Typing::default();
    if let Some(mut t) = r.table(node, "[typing]") {
        typing = typing_over(r, &mut t, typing);
        typing.enter_delay = duration_option(r, &mut t, "enter_delay", typing.enter_delay);
        t.finish(r, TYPING_KEYS);
    }
    typing
}

/// `delay`, `jitter` and `seed` of a table over `base`.
fn typing_over(r: &mut Reader, t: &mut Table<'_>, base: Typing) -> Typing {
    let mut typing = base;
    typing.delay = duration_option(r, t, "delay", typing.delay);
    if let Some(n) = t.take("jitter") {
        typing.jitter = r.number(n, 0.0..=1.0).unwrap_or(typing.jitter);
    }
    if let Some(n) = t.take("seed") {
        match n.value {
            Value::Int(seed) if seed >= 0 => typing.seed = seed as u64,
            Value::Int(_) => r.error("a seed is a whole number, 0 or more", n.span.clone()),
            _ => {
                r.int(n, 0..=0);
            }
        }
    }
    typing
}

/// The duration under `key`, if the table has one that reads, else `default`.
fn duration_option(r: &mut Reader, t: &mut Table<'_>, key: &str, default: Duration) -> Duration {
    t.take(key).and_then(|n| r.duration(n)).unwrap_or(default)
}

/// Where a step was written: its `pane` and its action's value, for the
/// problems found once all steps are read.
#[derive(Debug, Clone)]
pub struct StepSpans {
    pub pane: Option<Range<usize>>,
    pub action: Range<usize>,
}

impl StepSpans {
    /// Where a problem with the step's pane is best shown.
    pub fn pane_or_action(&self) -> Range<usize> {
        self.pane.clone().unwrap_or(self.action.clone())
    }
}

/// `[[step]]` tables; a step without `pane` acts on the previous step's.
pub fn steps(r: &mut Reader, node: &Node, text: &str, panes: &[PaneSpec], typing: Typing) -> Vec<(Step, StepSpans)> {
    let Value::Array(items) = &node.value else {
        r.error(
            format!("expected an array of [[step]] tables, found {}", node.value.kind()),
            node.span.clone(),
        );
        return Vec::new();
    };
    let mut steps = Vec::with_capacity(items.len());
    let mut pane = 0;
    for (index, item) in items.iter().enumerate() {
        // Each step types with its own rhythm unless it names a seed.
        let typing = Typing {
            seed: typing.seed.wrapping_add(index as u64),
            ..typing
        };
        steps.extend(step(r, item, text, panes, &mut pane, typing));
    }
    steps
}

/// The kinds that may follow an action in its own step, in this order: a
/// `run` that waits for its end and holds the picture is one step.
pub const FOLLOWERS: &[&str] = &["wait", "pause"];
/// The kinds a step's followers may follow.
pub const LEADERS: &[&str] = &[
    "run", "type", "keys", "wait", "open", "close", "resize", "zoom", "layout", "caption",
];

/// A `[[step]]` table: one action, or an action with its followers
/// ([`FOLLOWERS`]), each made into a step of its own, in order.
fn step(
    r: &mut Reader,
    item: &Node,
    text: &str,
    panes: &[PaneSpec],
    pane: &mut usize,
    typing: Typing,
) -> Vec<(Step, StepSpans)> {
    let Some(mut t) = r.table(item, "[[step]]") else {
        return Vec::new();
    };
    let line = line_col(text, item.span.start).0;
    let previous = *pane;
    let pane_node = t.take("pane");
    let pane_span = pane_node.map(|n| n.span.clone());
    if let Some(n) = pane_node
        && let Some(i) = pane_index(r, n, panes)
    {
        *pane = i;
    }
    let Some(kinds) = kinds(r, &t) else {
        t.take_known(STEP_KEYS);
        t.finish(r, STEP_KEYS);
        return Vec::new();
    };
    for option in STEP_OPTIONS {
        if !kinds.iter().any(|kind| kind.options.contains(option))
            && let Some(span) = t.key_span(option)
        {
            t.take(option);
            let names: Vec<&str> = kinds.iter().map(|k| k.name).collect();
            r.error(
                format!("`{option}` does not apply to a {} step", names.join(" and ")),
                span,
            );
        }
    }
    // Every option is read before the actions are judged, so that one pass
    // reports every problem of the step.
    let mut actions = Vec::with_capacity(kinds.len());
    for kind in kinds {
        let Some(value) = t.take(kind.name) else { continue };
        let span = value.span.clone();
        let input = StepInput {
            kind: kind.name,
            value,
            options: &mut t,
            panes,
            typing,
            pane: &mut *pane,
            previous,
        };
        actions.push((kind.read)(r, input).map(|action| (action, span)));
    }
    t.finish(r, STEP_KEYS);
    actions
        .into_iter()
        .flatten()
        .map(|(action, span)| {
            let step = Step {
                line,
                pane: *pane,
                action,
            };
            let spans = StepSpans {
                pane: pane_span.clone(),
                action: span,
            };
            (step, spans)
        })
        .collect()
}

/// The kinds of the step: one, or one of [`LEADERS`] and its followers;
/// or why not.
fn kinds(r: &mut Reader, t: &Table<'_>) -> Option<Vec<&'static StepKind>> {
    let present: Vec<&'static StepKind> = STEP_KINDS.iter().filter(|k| t.has(k.name)).collect();
    let names = |kinds: &[&StepKind]| kinds.iter().map(|k| k.name).collect::<Vec<_>>();
    // The leader is the one kind that cannot follow (or `wait`, when it
    // leads a pause).
    let leader = present.iter().position(|k| !FOLLOWERS.contains(&k.name)).unwrap_or(0);
    let followed = present.len() > 1
        && LEADERS.contains(&present[leader].name)
        && present
            .iter()
            .enumerate()
            .all(|(i, k)| i == leader || FOLLOWERS.contains(&k.name));
    if followed {
        let mut kinds = present;
        let lead = kinds.remove(leader);
        kinds.insert(0, lead);
        return Some(kinds);
    }
    match present.as_slice() {
        [kind] => Some(vec![*kind]),
        [] => {
            // A misspelt kind ("rnu") is reported by `finish` with its
            // suggestion; saying "no action" too would only add noise.
            let all: Vec<&StepKind> = STEP_KINDS.iter().collect();
            let kinds = names(&all);
            if !t.unused().any(|k| closest(k, &kinds).is_some()) {
                let msg = format!("this step has no action: give one of {}", kinds.join(", "));
                r.error(msg, t.span.start..t.span.start + 1);
            }
            None
        }
        [_, second, ..] => {
            let msg = format!(
                "this step has more than one action ({}): give one ({} may also take a wait, then a pause)",
                names(&present).join(", "),
                LEADERS.join(", ")
            );
            r.error(msg, t.key_span(second.name).unwrap_or(t.span.clone()));
            None
        }
    }
}

/// `run = "command"`: typed, then Enter after a beat.
fn run(r: &mut Reader, step: StepInput<'_, '_>) -> Option<Action> {
    let command = r.text(step.value);
    let typing = typing_over(r, step.options, step.typing);
    let enter_delay = duration_option(r, step.options, "enter_delay", typing.enter_delay);
    let expect_exit = step
        .options
        .take("expect_exit")
        .map_or(ExpectExit::Code(0), |n| expect_exit(r, n));
    let command = command?;
    if command.trim().is_empty() || command.contains(['\n', '\r']) {
        r.error("a run command must be one non-empty line", step.value.span.clone());
    }
    Some(Action::Run {
        rhythm: typing.rhythm(&command),
        command,
        enter_delay,
        expect_exit,
    })
}

/// `type = "text"`: typed keystroke by keystroke.
fn type_text(r: &mut Reader, step: StepInput<'_, '_>) -> Option<Action> {
    let text = r.text(step.value);
    let typing = typing_over(r, step.options, step.typing);
    let text = text?;
    if text.is_empty() {
        r.error("there is nothing to type", step.value.span.clone());
    }
    Some(Action::Type {
        rhythm: typing.rhythm(&text),
        text,
    })
}

/// `keys = ["Ctrl-C", "Up"]` or one key.
fn keys(r: &mut Reader, step: StepInput<'_, '_>) -> Option<Action> {
    let names = step.value.items();
    let mut keys = Vec::with_capacity(names.len());
    for n in names {
        match r.raw_text(n).map(|s| Key::parse(&s)) {
            Some(Ok(key)) => keys.push(key),
            Some(Err(e)) => r.error(e, n.span.clone()),
            None => {}
        }
    }
    if matches!(&step.value.value, Value::Array(a) if a.is_empty()) {
        r.error("keys needs at least one key", step.value.span.clone());
    }
    let delay = duration_option(r, step.options, "delay", DEFAULT_KEYS_DELAY);
    Some(Action::Keys { keys, delay })
}

/// `wait = "text"`, or `{ text | regex | exit }`, with a `timeout`.
fn wait(r: &mut Reader, step: StepInput<'_, '_>) -> Option<Action> {
    let until = until(r, step.value);
    let timeout = duration_option(r, step.options, "timeout", DEFAULT_WAIT_TIMEOUT);
    Some(Action::Wait { until: until?, timeout })
}

/// `pause = "1s"`: the picture held.
fn pause(r: &mut Reader, step: StepInput<'_, '_>) -> Option<Action> {
    r.duration(step.value).map(Action::Pause)
}

/// `marker = "name"`: a chapter marker.
fn marker(r: &mut Reader, step: StepInput<'_, '_>) -> Option<Action> {
    r.text(step.value).map(Action::Marker)
}

/// `focus = "pane"`: that pane becomes the step's, and active.
fn focus(r: &mut Reader, step: StepInput<'_, '_>) -> Option<Action> {
    *step.pane = pane_index(r, step.value, step.panes)?;
    Some(Action::Focus)
}

/// `clear = true`: the pane's screen cleared.
fn clear(r: &mut Reader, step: StepInput<'_, '_>) -> Option<Action> {
    flag(r, &step, Action::Clear)
}

/// `hide = true`: frames no longer recorded.
fn hide(r: &mut Reader, step: StepInput<'_, '_>) -> Option<Action> {
    flag(r, &step, Action::Hide)
}

/// `show = true`: frames recorded again.
fn show(r: &mut Reader, step: StepInput<'_, '_>) -> Option<Action> {
    flag(r, &step, Action::Show)
}

/// `clear`, `hide`, `show`: a flag that must be true.
fn flag(r: &mut Reader, step: &StepInput<'_, '_>, action: Action) -> Option<Action> {
    match r.bool(step.value)? {
        true => Some(action),
        false => {
            r.error(
                format!("`{} = false` does nothing: remove the step", step.kind),
                step.value.span.clone(),
            );
            None
        }
    }
}

/// `open = "below"` (the previous step's pane split, the new pane below
/// it) or `open = { pane = "server", side = "right", size = 0.3 }`: the
/// step's pane opened beside an open pane.
fn open(r: &mut Reader, step: StepInput<'_, '_>) -> Option<Action> {
    let split = split_of(r, step.value, step.previous, |r, n| pane_index(r, n, step.panes))?;
    if split.pane == *step.pane {
        r.error(
            "a pane cannot split itself: the step's pane is the one opened, and `pane` in open the one split",
            step.value.span.clone(),
        );
        return None;
    }
    Some(Action::Open(split))
}

/// `close = true`: the step's pane closed.
fn close(r: &mut Reader, step: StepInput<'_, '_>) -> Option<Action> {
    flag(r, &step, Action::Close)
}

/// `resize = { cols = 30, rows = 0.4 }`: the step's pane made that wide
/// or high (cells, or a fraction of the area).
fn resize(r: &mut Reader, step: StepInput<'_, '_>) -> Option<Action> {
    let mut t = r.table(step.value, "resize")?;
    let (cols, rows) = (t.take("cols"), t.take("rows"));
    let span = t.span.clone();
    let misspelt = t.unused().next().is_some();
    t.finish(r, RESIZE_KEYS);
    if cols.is_none() && rows.is_none() && !misspelt {
        r.error("resize needs cols, rows or both: resize = { cols = 40 }", span);
        return None;
    }
    let cols = cols.map(|n| pane_size(r, n));
    let rows = rows.map(|n| pane_size(r, n));
    Some(Action::Resize {
        cols: cols.map_or(Some(None), |c| c.map(Some))?,
        rows: rows.map_or(Some(None), |c| c.map(Some))?,
    })
}

/// `zoom = true`: the step's pane zoomed to the whole area; `false`: the
/// zoom undone.
fn zoom(r: &mut Reader, step: StepInput<'_, '_>) -> Option<Action> {
    r.bool(step.value).map(Action::Zoom)
}

/// `layout = "tiled"`: the open panes placed by a tmux preset.
fn layout(r: &mut Reader, step: StepInput<'_, '_>) -> Option<Action> {
    let before = r.errors.len();
    let preset = match arrangement(r, step.value) {
        Arrangement::Preset(preset) => preset,
        Arrangement::Split(Split::Columns) => Preset::EvenHorizontal,
        Arrangement::Split(Split::Rows) => Preset::EvenVertical,
    };
    (r.errors.len() == before).then_some(Action::Layout(preset))
}

/// `caption = "the client connects"`: shown in the status line until the
/// next caption; `""` takes it away.
fn caption(r: &mut Reader, step: StepInput<'_, '_>) -> Option<Action> {
    let text = r.text(step.value)?;
    if text.contains(['\n', '\r']) {
        r.error("a caption is one line", step.value.span.clone());
    }
    Some(Action::Caption(text))
}

fn expect_exit(r: &mut Reader, node: &Node) -> ExpectExit {
    match &node.value {
        Value::Int(c) if (0..=255).contains(c) => ExpectExit::Code(*c as i32),
        Value::Str(s) if s == "any" => ExpectExit::Any,
        _ => {
            r.error("expect_exit is an exit status (0 to 255) or \"any\"", node.span.clone());
            ExpectExit::Any
        }
    }
}

fn until(r: &mut Reader, node: &Node) -> Option<Until> {
    if let Value::Str(text) = &node.value {
        if text.is_empty() {
            r.error("wait text must not be empty", node.span.clone());
            return None;
        }
        return Some(Until::Text(substitute(text, &r.vars)));
    }
    let mut t = r.table(node, "wait")?;
    let (text, regex, exit) = (t.take("text"), t.take("regex"), t.take("exit"));
    t.finish(r, WAIT_KEYS);
    match (text, regex, exit) {
        (Some(n), None, None) => match r.text(n)? {
            s if s.is_empty() => {
                r.error("wait text must not be empty", n.span.clone());
                None
            }
            s => Some(Until::Text(s)),
        },
        // The regex crate runs in linear time: a scene cannot hang director
        // with a catastrophic pattern.
        (None, Some(n), None) => r
            .regex(n, |pattern| {
                regex::RegexBuilder::new(pattern).size_limit(1 << 20).build()
            })
            .map(Until::Regex),
        (None, None, Some(n)) => match r.bool(n)? {
            true => Some(Until::Exit),
            false => {
                r.error("`exit = false` waits for nothing: use exit = true", n.span.clone());
                None
            }
        },
        _ => {
            r.error(
                "wait needs exactly one of: text = \"...\", regex = \"...\", exit = true",
                node.span.clone(),
            );
            None
        }
    }
}
