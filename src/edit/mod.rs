//! Edits a cast someone already has (recorded by hand with `asciinema rec`
//! and tmux, or by any tool): scrub the recording machine's identity, keep
//! a part or cut parts out, retime, convert between v2 and v3.
//!
//! In: a cast as a stream of lines ([`crate::asciicast::read::Stream`]: a
//! large file is never held whole) and a [`Plan`]. Out: the edited cast,
//! written event by event, and a [`Summary`] of what changed; or an
//! [`EditError`]. Every operation works on what the viewer sees:
//!
//! - **Scrub** takes the OSC sequences that carry titles, the working
//!   directory, notifications and the clipboard out ([`osc`]), replaces the
//!   private values in the output and in what was typed (the same
//!   whole-word redactor that guards recordings: [`scrubbing`]), drops the
//!   header's identifying fields, and then replays what it wrote: a private
//!   value still on screen at any event (assembled by cursor moves, say)
//!   refuses the edit, naming the event and the row.
//! - **Cuts** keep the cast's time ranges ([`Keep`]); where a range starts
//!   after a cut, the screen as the original shows it at that moment is
//!   drawn again (an emulator follows the whole cast), so a clear-screen
//!   inside a dropped part changes nothing after it.
//! - **Retime** caps pauses and speeds up, as `record` does ([`Retime`]).

pub mod crop;
mod join;
mod keep;
pub mod onscreen;
mod osc;
mod pipe;
mod relay;
pub mod scrub;
mod scrubbing;
pub mod typing;
mod workers;

use std::io::{self, BufRead, Write};
use std::num::NonZeroU16;
use std::time::Duration;

pub use join::Joined;
pub use keep::Keep;
pub use scrub::Scrub;

use crate::asciicast::read::CheckError;
use crate::asciicast::{Event, EventData, Retime, Version, Writer};
use crate::output::Sink;
use crate::privacy::Identity;

/// What to do to a cast.
#[derive(Debug, Clone, Default)]
pub struct Plan {
    /// The version written; `None`: the input's.
    pub format: Option<Version>,
    pub retime: Retime,
    pub keep: Keep,
    pub scrub: Option<Scrub>,
    /// Typed keys at this steady pace (zero: each command's keys at once).
    pub typing: Option<Duration>,
    /// Show only this window of the screen, at its size.
    pub crop: Option<crop::Window>,
    /// Look for the identity the cast shows while editing it (see
    /// [`Summary::found`]).
    pub find: bool,
}

/// What an edit changed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    pub events_in: usize,
    pub events_out: usize,
    /// Private values replaced in the output.
    pub scrubbed: usize,
    /// Sequences (titles, working directory…) taken out.
    pub sequences: usize,
    /// Cast time dropped by the cuts.
    pub cut: Duration,
    /// Kept cast time played at once (`--zero`).
    pub zeroed: Duration,
    /// Keystrokes given a steady pace.
    pub retyped: usize,
    pub version: Option<Version>,
    /// The identity the cast shows, with [`Plan::find`]: a scrub that
    /// began with what the cast's start shows is good when it holds all.
    pub found: Option<scrub::Found>,
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        write!(f, "{} events in, {} out", self.events_in, self.events_out)?;
        if self.scrubbed > 0 || self.sequences > 0 {
            write!(
                f,
                "; scrubbed {} occurrences, {} title and path sequences",
                self.scrubbed, self.sequences
            )?;
        }
        if !self.cut.is_zero() {
            write!(f, "; cut {:.1} s", self.cut.as_secs_f64())?;
        }
        if !self.zeroed.is_zero() {
            write!(f, "; zeroed {:.1} s", self.zeroed.as_secs_f64())?;
        }
        if self.retyped > 0 {
            write!(f, "; {} keystrokes retyped", self.retyped)?;
        }
        Ok(())
    }
}

/// Why an edit failed; nothing was written to OUT.
#[derive(Debug, thiserror::Error)]
pub enum EditError {
    #[error("{0}")]
    Cast(CheckError),
    #[error(
        "a {kind} is still on screen after the edit at event {event} ({time:.3} s), row {row}: \
         it is assembled on screen from pieces; add a --redact rule for the row's text"
    )]
    StillPrivate {
        kind: &'static str,
        event: usize,
        time: f64,
        row: usize,
    },
    #[error("{label} is {size}, the first cast {first}: only casts of one size join")]
    Join { label: String, size: String, first: String },
    /// A stop signal came: nothing is written.
    #[error("stopped")]
    Stopped(crate::signals::Stop),
    #[error(transparent)]
    Io(#[from] std::io::Error),
}

/// Output an edit can read back: the check of a long cast may replay
/// part of what was written ([`relay`]).
pub trait Reread: Write {
    /// What was written so far, from its start (flushed first).
    fn reread(&mut self) -> io::Result<Box<dyn BufRead + '_>>;

    /// Puts what was written on disk while the check ends, so that the
    /// commit that follows waits for less.
    fn settle(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl Reread for Vec<u8> {
    fn reread(&mut self) -> io::Result<Box<dyn BufRead + '_>> {
        Ok(Box::new(&self[..]))
    }
}

impl Reread for Sink {
    fn reread(&mut self) -> io::Result<Box<dyn BufRead + '_>> {
        self.flush()?;
        match self {
            Sink::File(writer) => Ok(Box::new(io::BufReader::new(writer.get_ref().reopen()?))),
            Sink::Memory(bytes) => Ok(Box::new(&bytes[..])),
        }
    }

    fn settle(&mut self) -> io::Result<()> {
        self.flush()?;
        match self {
            Sink::File(writer) => writer.get_ref().as_file().sync_data(),
            Sink::Memory(_) => Ok(()),
        }
    }
}

/// Edits the cast `input` by `plan` into `out`; gives `out` back.
pub fn edit<W: Reread>(input: impl BufRead, plan: &Plan, out: W) -> Result<(Summary, W), EditError> {
    edit_joined(Joined::new(input, Vec::new())?, plan, out)
}

/// Gives each event of `stream`, in order, to `each` while it asks for
/// more (returns true).
pub fn each_event<R: BufRead>(stream: Joined<R>, mut each: impl FnMut(Event) -> bool) -> Result<(), EditError> {
    for event in stream {
        if !each(event?) {
            break;
        }
    }
    Ok(())
}

/// Edits casts joined one after another by `plan` into `out`.
///
/// The scrub's check and following the original for the redraws after
/// cuts each run on a thread of their own ([`workers`]).
pub fn edit_joined<W: Reread, R: BufRead>(stream: Joined<R>, plan: &Plan, out: W) -> Result<(Summary, W), EditError> {
    let mut header = stream.header.clone();
    // Stand-ins of each value's length: the cast's layout was made for them.
    let identity = plan
        .scrub
        .as_ref()
        .map(|s| Identity::same_length(&s.privates))
        .unwrap_or_default();
    if let Some(scrub) = &plan.scrub {
        scrub.header(&mut header, &identity);
    }
    let size = header.size;
    if let Some(window) = plan.crop {
        header.size = window.size;
    }
    let version = plan.format.unwrap_or(stream.version);
    let writer = Writer::new(out, &header, version, plan.retime)?;
    std::thread::scope(|scope| {
        let mut editor = Editor {
            plan,
            writer,
            summary: Summary {
                version: Some(version),
                ..Summary::default()
            },
            crop: plan.crop.map(|window| crop::Crop::new(window, size)),
            // The written screen replayed for the scrub's check; the
            // original followed for the redraws after cuts.
            check: (!identity.is_empty())
                .then(|| workers::Check::spawn(scope, header.size, &identity, relay::Split::of(stream.total))),
            original: plan.keep.has_gaps().then(|| workers::Original::spawn(scope, size)),
            written_size: size,
            checking: true,
            read: 0,
        };
        let result = editor.run(stream, &identity);
        if let Err(EditError::Stopped(stop)) = result {
            return Err(EditError::Stopped(stop));
        }
        if result.is_ok() && editor.check.is_some() {
            editor.writer.flushed()?.settle()?;
        }
        let seen = match editor.check.take().map(workers::Check::finish) {
            None => None,
            Some(Ok(seen)) => seen,
            Some(Err(rest)) => rest.check(editor.writer.flushed()?.reread()?, &identity)?,
        };
        // A stop signal while the check ended may have cut it short.
        if let Some(stop) = crate::signals::received() {
            return Err(EditError::Stopped(stop));
        }
        // The first problem in the order of the events: a private value
        // seen comes before any later one.
        if let Some(seen) = seen {
            return Err(EditError::StillPrivate {
                kind: seen.kind.describe(),
                event: seen.event,
                time: seen.time.as_secs_f64(),
                row: seen.row + 1,
            });
        }
        result?;
        let out = editor.writer.close()?;
        Ok((editor.summary, out))
    })
}

/// An edit under way.
struct Editor<'p, 's, W: Write> {
    plan: &'p Plan,
    writer: Writer<W>,
    summary: Summary,
    crop: Option<crop::Crop>,
    check: Option<workers::Check<'s>>,
    original: Option<workers::Original>,
    written_size: crate::geometry::Size,
    /// False once the check has seen a private value.
    checking: bool,
    /// How many bytes of the input were read so far.
    read: u64,
}

impl<W: Write> Editor<'_, '_, W> {
    fn run<R: BufRead>(&mut self, mut events: Joined<R>, identity: &Identity) -> Result<(), EditError> {
        let plan = self.plan;
        let mut scrubbing = plan.scrub.as_ref().map(|s| scrubbing::Scrubbing::new(identity, s));
        let mut late = scrubbing::Late::default();
        let mut range: Option<usize> = None;
        let mut last_time = Duration::ZERO;
        let mut typing = plan
            .typing
            .map(|pace| (typing::Typing::new(self.written_size), typing::Pace::new(pace)));
        let mut finder = plan.find.then(scrub::Finder::new);
        while let Some(event) = events.next() {
            if let Some(stop) = crate::signals::received() {
                return Err(EditError::Stopped(stop));
            }
            if !self.checking {
                return Ok(());
            }
            let event = event?;
            self.read = events.bytes_read();
            self.summary.events_in += 1;
            last_time = event.time;
            if let Some(finder) = &mut finder {
                finder.feed(&event.data);
            }
            // Scrub first: the cuts then redraw the scrubbed screen.
            let (mut data, same, held) = match &mut scrubbing {
                Some(scrubbing) => scrubbing.event(event.data),
                None => (event.data, true, Default::default()),
            };
            let key = typing
                .as_mut()
                .is_some_and(|(t, _)| matches!(t.feed(&data), typing::Seen::Key(_)));
            let Some(k) = plan.keep.range_of(event.time) else {
                self.follow(&data);
                late.forget();
                continue;
            };
            let mut at = plan.keep.map(event.time);
            if let Some((_, pace)) = &mut typing {
                at = pace.time(at, key);
                self.summary.retyped += usize::from(key);
            }
            if range != Some(k) && (k > 0 || plan.keep.starts_late()) {
                self.redraw(k)?;
            }
            range = Some(k);
            self.follow(&data);
            if let EventData::Resize(size) = &data {
                self.written_size = *size;
            }
            if self.emit_early(&mut late, identity, at, held, &mut data)? && held.now > 0 {
                // All of it held: it goes out at its time with the next.
                continue;
            }
            // What the edit leaves as it was is written as it was read.
            let json = events.raw_data().filter(|_| same && self.crop.is_none());
            self.emit_as(at, data, json)?;
        }
        // What the filters still hold comes out with the last event.
        if let Some(scrubbing) = &mut scrubbing {
            let (rest, held) = scrubbing.finish();
            let at = plan.keep.map(last_time);
            for mut data in rest.into_iter().filter(|_| plan.keep.range_of(last_time).is_some()) {
                if !self.emit_early(&mut late, identity, at, held, &mut data)? {
                    self.emit(at, data)?;
                }
            }
            self.summary.scrubbed = scrubbing.replaced();
            self.summary.sequences = scrubbing.sequences();
        }
        self.summary.found = finder.map(scrub::Finder::found);
        self.summary.cut = plan.keep.dropped(last_time);
        self.summary.zeroed = plan.keep.zeroed_before(last_time);
        Ok(())
    }

    /// Follows an event of the original, while a redraw may still come.
    fn follow(&mut self, data: &EventData) {
        if let Some(original) = &mut self.original {
            original.follow(data);
        }
    }

    /// The start of the kept range `k` after a cut: the original's screen
    /// at that moment, drawn again (at its size).
    fn redraw(&mut self, k: usize) -> Result<(), EditError> {
        let Some(original) = &mut self.original else {
            return Ok(());
        };
        let Some((size, redraw)) = original.redraw() else {
            let stop = crate::signals::received().expect("the follower stops only on a stop signal");
            return Err(EditError::Stopped(stop));
        };
        if k == self.plan.keep.last() {
            // Nothing is drawn again after the last range's start.
            self.original = None;
        }
        let at = self.plan.keep.map(self.plan.keep.start(k));
        if size != self.written_size {
            self.emit(at, EventData::Resize(size))?;
            self.written_size = size;
        }
        self.emit(at, EventData::Output(redraw))
    }

    /// Writes an event (as its window shows it, when cropped), and has it
    /// checked.
    fn emit(&mut self, at: Duration, data: EventData) -> Result<(), EditError> {
        self.emit_as(at, data, None)
    }

    /// Writes the text of output `data` (at `at`) that the scrub held
    /// back before, at the times it was shown ([`scrubbing::Late`]);
    /// whether no text is left in `data`.
    fn emit_early(
        &mut self,
        late: &mut scrubbing::Late,
        identity: &Identity,
        at: Duration,
        held: scrubbing::Held,
        data: &mut EventData,
    ) -> Result<bool, EditError> {
        let EventData::Output(text) = data else {
            return Ok(false);
        };
        for (at, text) in late.split(identity, at, held, text) {
            self.emit(at, EventData::Output(text))?;
        }
        Ok(text.is_empty())
    }

    /// Writes an event as [`Editor::emit`] does, its data as `json` (the
    /// JSON string it was read from) when given.
    fn emit_as(&mut self, at: Duration, data: EventData, json: Option<&[u8]>) -> Result<(), EditError> {
        let data = match &mut self.crop {
            Some(crop) => match crop.event(data) {
                Some(data) => data,
                None => return Ok(()),
            },
            None => data,
        };
        self.summary.events_out += 1;
        let event = Event { time: at, data };
        let written = self.writer.write_as(&event, json)?;
        if let Some(check) = &mut self.check {
            let search = matches!(event.data, EventData::Output(_));
            self.checking = check.push(self.summary.events_out, written, event.data, search, self.read);
        }
        Ok(())
    }
}

/// Feeds an event to an emulator: its output, or its new size.
fn follow(term: &mut vt100::Parser, data: &EventData) {
    match data {
        EventData::Output(text) => term.process(text.as_bytes()),
        EventData::Resize(size) => {
            if let (Some(rows), Some(cols)) = (NonZeroU16::new(size.rows), NonZeroU16::new(size.cols)) {
                term.screen_mut().set_size(rows, cols);
            }
        }
        _ => {}
    }
}

/// The bytes that draw `screen` on a terminal of its size, whatever it
/// showed before: cleared, every cell, the pen, the cursor and its modes.
fn redraw(screen: &vt100::Screen) -> String {
    format!("\x1b[0m\x1b[H\x1b[2J{}", screen.state_formatted())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::picture::Grid;
    use crate::screen::emulator::parser;
    use proptest::prelude::*;

    /// A v2 cast of 20x6 with `events` (time in ms, output).
    fn cast(events: &[(u64, String)]) -> Vec<u8> {
        let mut text = String::from("{\"version\": 2, \"width\": 20, \"height\": 6}\n");
        for (ms, o) in events {
            text.push_str(&serde_json::json!([*ms as f64 / 1000.0, "o", o]).to_string());
            text.push('\n');
        }
        text.into_bytes()
    }

    /// The screen after the events of `cast` up to `t`.
    fn screen_at(cast: &[u8], t: Duration) -> Grid {
        let recording = crate::asciicast::read::read(cast).unwrap();
        let mut term = parser(recording.header.size);
        for e in recording.events.iter().take_while(|e| e.time <= t) {
            follow(&mut term, &e.data);
        }
        Grid::of_screen(term.screen())
    }

    fn output() -> impl Strategy<Value = String> {
        let pieces = prop::sample::select(vec![
            "hello ",
            "\r\n",
            "\x1b[2J",
            "\x1b[H",
            "\x1b[31mred",
            "\x1b[1;44mbold",
            "\x1b[m",
            "\x1b[3;5H",
            "\x1b[K",
            "\x1b[?25l",
            "\x1b[?25h",
            "世界",
            "\x08",
            "x",
            "\x1b[2A",
            "\x1b[7m",
            "\x1bM",
        ]);
        prop::collection::vec(pieces, 1..6).prop_map(|p| p.concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]
        /// Cutting at any event boundaries and replaying gives, at every
        /// kept moment, the screen the original shows then.
        #[test]
        fn a_cut_keeps_every_remaining_picture(
            outputs in prop::collection::vec(output(), 2..16),
            a in 0usize..16, b in 0usize..16, from in 0usize..16,
        ) {
            let events: Vec<(u64, String)> = outputs.into_iter().enumerate().map(|(i, o)| (100 * i as u64, o)).collect();
            let n = events.len();
            let at = |i: usize| Duration::from_millis(100 * (i % n) as u64);
            let (a, b) = (at(a.min(b)), at(a.max(b)));
            let from = at(from).min(a);
            let keep = if a < b { Keep::new(from, None, &[(a, b)]) } else { Keep::new(from, None, &[]) };
            let original = cast(&events);
            let plan = Plan { keep: keep.clone(), ..Plan::default() };
            let (_, edited) = edit(&original[..], &plan, Vec::new()).unwrap();
            crate::asciicast::read::read(&edited).unwrap();
            for (ms, _) in &events {
                let t = Duration::from_millis(*ms);
                if keep.range_of(t).is_some() {
                    prop_assert_eq!(screen_at(&edited, keep.map(t)), screen_at(&original, t), "at {:?}", t);
                }
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(150))]
        /// A cast shown at the size of the area it used keeps, at every
        /// moment, every cell of that area as the original shows it.
        #[test]
        fn fit_keeps_every_cell_of_the_used_area(outputs in prop::collection::vec(output(), 1..12)) {
            let events: Vec<(u64, String)> = outputs.into_iter().enumerate().map(|(i, o)| (100 * i as u64, o)).collect();
            let original = cast(&events);
            let mut used = crop::Used::new(crate::geometry::Size::new(20, 6));
            for e in crate::asciicast::read::read(&original).unwrap().events {
                used.observe(&e.data);
            }
            let window = used.window();
            let plan = Plan { crop: Some(window), ..Plan::default() };
            let (_, edited) = edit(&original[..], &plan, Vec::new()).unwrap();
            for (ms, _) in &events {
                let t = Duration::from_millis(*ms);
                let (whole, part) = (screen_at(&original, t), screen_at(&edited, t));
                for r in 0..window.size.rows {
                    let want = &whole.row(r + window.row)[usize::from(window.col)..usize::from(window.col + window.size.cols)];
                    let got = part.row(r);
                    // A wide character cut by the window's right edge aside.
                    let n = got.len() - usize::from(want.last().is_some_and(|c| c.wide));
                    prop_assert_eq!(&got[..n], &want[..n], "row {} at {:?}", r, t);
                }
            }
        }
    }

    /// `events` edited with `--scrub`: the summary, the cast's text and
    /// the plan.
    fn scrubbed(events: &[(u64, String)]) -> (Summary, String, Plan) {
        let original = cast(events);
        let recording = crate::asciicast::read::read(&original).unwrap();
        let found = scrub::Found::in_events(recording.events.iter().map(|e| &e.data));
        let plan = Plan {
            scrub: Some(Scrub::new(&scrub::Found::default(), &found, Vec::new())),
            ..Plan::default()
        };
        let (summary, edited) = edit(&original[..], &plan, Vec::new()).unwrap();
        (summary, String::from_utf8(edited).unwrap(), plan)
    }

    #[test]
    fn a_name_right_after_an_escape_sequence_is_replaced() {
        let events = [
            (0, "alice@pc42:~/src$ ".to_string()),
            (100, "\x1b[H".to_string()),
            (200, "alice@pc42:~/src$ x\x1b[1malice@pc42\x1b[?1049lalice".to_string()),
        ];
        let (summary, text, _) = scrubbed(&events);
        assert!(!text.contains("alice") && !text.contains("pc42"), "{text}");
        assert_eq!(summary.scrubbed, 7);
    }

    #[test]
    fn a_scrub_replaces_what_the_cast_shows_and_refuses_what_it_assembles() {
        let events = [
            (0, "\x1b]0;alice@pc42: ~\x07alice@pc42:~$ ".to_string()),
            (500, "cat /home/alice/x\r\n".to_string()),
        ];
        let (summary, text, plan) = scrubbed(&events);
        assert!(
            !text.contains("alice") && !text.contains("pc42") && !text.contains("\\u001b]0;"),
            "{text}"
        );
        assert!(
            text.contains("direc@demo:~$ ") && text.contains("cat /home/direc/x"),
            "{text}"
        );
        assert!(
            text.starts_with("{\"version\":2,\"width\":20,\"height\":6}\n"),
            "no empty env: {text}"
        );
        assert_eq!((summary.scrubbed, summary.sequences), (3, 1));
        // "lice" printed, then "a" before it: no byte holds the name, the
        // screen does.
        let assembled = cast(&[(0, "xlice@pc42".to_string()), (100, "\ra".to_string())]);
        match edit(&assembled[..], &plan, Vec::new()) {
            Err(EditError::StillPrivate { kind, event, row, .. }) => {
                // The "a" is held until the end (it could begin a name): the last event.
                assert_eq!((kind, event, row), ("user name", 3, 1));
            }
            other => panic!("{:?}", other.map(|(s, _)| s)),
        }
    }
}
