//! The scrub applied to a cast's events as they stream by: the output
//! through the OSC filter and a [`Redactor`], what was typed (`"i"`
//! events, which `asciinema rec --stdin` keeps) through a redactor of its
//! own, markers replaced whole. A value split across events is found in
//! each stream, as the recorder finds it in a pane's reads.
//!
//! In: events, one by one, then the end. Out: each event as the scrub
//! leaves it (and whether that is as it came), then what the filters still
//! held.

use std::borrow::Cow;
use std::time::Duration;

use super::osc::OscFilter;
use super::scrub::{self, Scrub};
use crate::asciicast::EventData;
use crate::privacy::{Identity, Redactor};

/// A scrub under way.
pub(super) struct Scrubbing<'i> {
    identity: &'i Identity,
    osc: OscFilter,
    output: Redactor,
    output_utf8: Utf8,
    input: Redactor,
    input_utf8: Utf8,
}

impl<'i> Scrubbing<'i> {
    pub fn new(identity: &'i Identity, scrub: &Scrub) -> Self {
        let redactor = || Redactor::new(identity.clone(), scrub.redact.clone());
        Self {
            identity,
            osc: OscFilter::default(),
            output: redactor(),
            output_utf8: Utf8::default(),
            input: redactor(),
            input_utf8: Utf8::default(),
        }
    }

    /// The event as the scrub leaves it, whether it is as it came, and
    /// what of the output the scrub held back before it and holds now.
    pub fn event(&mut self, data: EventData) -> (EventData, bool, Held) {
        let mut held = Held::default();
        let (data, same) = match data {
            EventData::Output(text) => {
                let filtered = self.osc.feed(text.as_bytes());
                // What was held, to tell whether it comes out as it was.
                let was = (!self.output.held().is_empty()).then(|| self.output.held().to_vec());
                let shown = self.output.feed(&filtered);
                // Most output is shown as it came: the text is kept.
                let same = matches!((&filtered, &shown), (Cow::Borrowed(_), Cow::Borrowed(_)))
                    && self.output_utf8.carry.is_empty();
                held.was = was.as_ref().map_or(0, Vec::len);
                held.now = self.output.held().len();
                held.shown = shown.len();
                if let Some(was) = was
                    && shown.starts_with(&was)
                    && self.output_utf8.carry.is_empty()
                {
                    held.released = was.len();
                }
                let changed = (!same).then(|| shown.into_owned());
                (EventData::Output(self.output_utf8.keep(text, changed)), same)
            }
            EventData::Input(text) => {
                let shown = self.input.feed(text.as_bytes());
                let same = matches!(shown, Cow::Borrowed(_)) && self.input_utf8.carry.is_empty();
                let changed = (!same).then(|| shown.into_owned());
                (EventData::Input(self.input_utf8.keep(text, changed)), same)
            }
            EventData::Marker(label) => {
                let shown = scrub::text(self.identity, &label);
                let same = shown == label;
                (EventData::Marker(shown), same)
            }
            data => (data, true),
        };
        (data, same, held)
    }

    /// What the filters still hold, to come out with the last event: the
    /// output's (and what of it was held, as [`Scrubbing::event`] tells),
    /// then the input's (none that is empty).
    pub fn finish(&mut self) -> (Vec<EventData>, Held) {
        let was = self.output.held().to_vec();
        let mut output = self.osc.finish();
        output = self.output.feed(&output).into_owned();
        output.extend(self.output.release());
        let released = if output.starts_with(&was) && self.output_utf8.carry.is_empty() {
            was.len()
        } else {
            0
        };
        let held = Held {
            was: was.len(),
            released,
            now: 0,
            shown: output.len(),
        };
        let output = self.output_utf8.last(output);
        let input = self.input_utf8.last(self.input.release());
        let rest = [EventData::Output(output), EventData::Input(input)]
            .into_iter()
            .filter(|data| !data.text().is_empty())
            .collect();
        (rest, held)
    }

    /// Private values replaced, in the output and in what was typed.
    pub fn replaced(&self) -> usize {
        self.output.replaced() + self.input.replaced()
    }

    /// Sequences taken out of the output.
    pub fn sequences(&self) -> usize {
        self.osc.removed
    }
}

/// What of an event's output the scrub held back (a possible start of a
/// private value, which the next output decides), in bytes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct Held {
    /// Held before the event.
    pub was: usize,
    /// Of those, come out as they were, first in the event's text.
    pub released: usize,
    /// Held after it.
    pub now: usize,
    /// Shown by it.
    pub shown: usize,
}

/// When the output the scrub holds back was shown in the cast: released
/// as it was, each piece goes out at its own time, so that a typed key
/// that could begin a name (`p` of `pc42`) is not shown a key late.
#[derive(Debug, Default)]
pub(super) struct Late {
    /// The held bytes, oldest first: when each piece was shown, and its
    /// length.
    parts: Vec<(Duration, usize)>,
}

impl Late {
    /// After the kept output event at `at` was scrubbed into `text`: the
    /// pieces of `text` shown earlier, with their times, split off its
    /// start. A piece goes with the next (at its time) where a frame that
    /// ended with it would show a private value that the bytes after it
    /// make none (`pc42` of `pc42pc`).
    pub fn split(
        &mut self,
        identity: &Identity,
        at: Duration,
        held: Held,
        text: &mut String,
    ) -> Vec<(Duration, String)> {
        let total: usize = self.parts.iter().map(|(_, len)| len).sum();
        let mut early = Vec::new();
        if held.released > 0 && held.released == total && text.len() >= total {
            let (mut start, mut end) = (0, 0);
            for &(time, len) in &self.parts {
                end += len;
                if !text.is_char_boundary(end) {
                    early.clear();
                    start = 0;
                    break;
                }
                if identity.find(&text[..end]).is_none() {
                    early.push((time, text[start..end].to_string()));
                    start = end;
                }
            }
            text.drain(..start);
        }
        // What is held now: what was and this event's text, if it showed
        // nothing; else only this event's.
        if held.shown > 0 || held.was != total {
            self.parts.clear();
        }
        let added = held.now - self.parts.iter().map(|(_, len)| len).sum::<usize>();
        if added > 0 {
            self.parts.push((at, added));
        }
        early
    }

    /// An event not kept: what is held goes out with what comes next.
    pub fn forget(&mut self) {
        self.parts.clear();
    }
}

/// Bytes that may end inside a UTF-8 character, as text: the incomplete
/// end waits for the next piece.
#[derive(Debug, Default)]
struct Utf8 {
    carry: Vec<u8>,
}

impl Utf8 {
    /// `text` as it came, or else the `changed` bytes that stand for it.
    fn keep(&mut self, text: String, changed: Option<Vec<u8>>) -> String {
        changed.map_or(text, |bytes| self.text(bytes))
    }

    /// The last bytes, and what was carried: all there is left.
    fn last(&mut self, bytes: Vec<u8>) -> String {
        self.text(bytes) + &String::from_utf8_lossy(&std::mem::take(&mut self.carry))
    }

    fn text(&mut self, bytes: Vec<u8>) -> String {
        let mut all = std::mem::take(&mut self.carry);
        if all.is_empty() {
            all = bytes;
        } else {
            all.extend(bytes);
        }
        match String::from_utf8(all) {
            Ok(text) => text,
            Err(e) => {
                let valid = e.utf8_error().valid_up_to();
                let mut all = e.into_bytes();
                if is_incomplete(&all[valid..]) {
                    self.carry = all.split_off(valid);
                    String::from_utf8(all).unwrap_or_default()
                } else {
                    String::from_utf8_lossy(&all).into_owned()
                }
            }
        }
    }
}

/// Whether `tail` could be the start of a UTF-8 character.
fn is_incomplete(tail: &[u8]) -> bool {
    tail.len() < 4 && std::str::from_utf8(tail).is_err_and(|e| e.error_len().is_none())
}

#[cfg(test)]
mod tests {
    use super::super::onscreen::tests::identity;
    use super::super::{Plan, edit};
    use super::*;
    use crate::privacy::{HOST_STAND_IN, Kind, Private, USER_STAND_IN};
    use proptest::prelude::*;

    /// The text of each kind of event the scrub leaves, joined, with how
    /// many came out unchanged.
    fn scrubbed(events: Vec<EventData>) -> (String, String, usize) {
        let identity = identity();
        let mut scrubbing = Scrubbing::new(&identity, &Scrub::default());
        let (mut output, mut input, mut same) = (String::new(), String::new(), 0);
        let mut take = |data: EventData| match data {
            EventData::Output(text) => output.push_str(&text),
            EventData::Input(text) => input.push_str(&text),
            _ => {}
        };
        for data in events {
            let (data, unchanged, _) = scrubbing.event(data);
            same += usize::from(unchanged);
            take(data);
        }
        scrubbing.finish().0.into_iter().for_each(&mut take);
        (output, input, same)
    }

    #[test]
    fn what_was_typed_is_scrubbed_apart_from_the_output() {
        // Typed a key at a time, echoed between the keys: each stream
        // holds its own unfinished name.
        let typed = "ssh alice@pc42\r";
        let mut events = Vec::new();
        for key in typed.chars() {
            events.push(EventData::Input(key.to_string()));
            events.push(EventData::Output(key.to_string()));
        }
        events.push(EventData::Output("alice\r\n".into()));
        let (output, input, _) = scrubbed(events);
        for text in [&output, &input] {
            assert!(!text.contains("alice") && !text.contains("pc42"), "{text:?}");
        }
        let (user, host) = (USER_STAND_IN, HOST_STAND_IN);
        assert_eq!(input, format!("ssh {user}@{host}\r"));
        assert_eq!(output, format!("ssh {user}@{host}\r{user}\r\n"));
    }

    #[test]
    fn events_without_a_private_value_come_out_as_they_came() {
        let events = vec![
            EventData::Output("ls\r\n".into()),
            EventData::Input("ls\r".into()),
            EventData::Marker("start".into()),
            EventData::Marker("alice's part".into()),
        ];
        let (output, input, same) = scrubbed(events);
        assert_eq!((output.as_str(), input.as_str()), ("ls\r\n", "ls\r"));
        assert_eq!(same, 3, "all but the marker that names alice");
    }

    /// Pieces of text around alice and pc42 and their beginnings.
    fn piece() -> impl Strategy<Value = &'static str> {
        prop::sample::select(vec![
            "alice", "pc42", "p", "pc", "pc4", "a", "al", "ali", "x", " ", "@", ":~$ ", "\r\n", "é", "\x1b[1m",
            "alicex", "xpc42",
        ])
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(500))]
        /// However the output is cut into events, the scrub shows what a
        /// scrub of all of it at once shows, and refuses none of it (it
        /// moves no cursor). Each character that stays shows when the
        /// cast showed it, or with the next event where a frame ending
        /// with it would have shown a private value (`pc42` of `pc42pc`);
        /// each stand-in no earlier than the value it stands for.
        #[test]
        fn each_character_shows_when_the_cast_showed_it_or_with_the_next_event(
            pieces in prop::collection::vec(piece(), 1..30),
            cuts in prop::collection::vec(any::<prop::sample::Index>(), 0..12),
        ) {
            let text = pieces.concat();
            let mut bounds: Vec<usize> = cuts.iter().map(|i| i.index(text.len() + 1)).collect();
            bounds.retain(|&b| text.is_char_boundary(b));
            bounds.extend([0, text.len()]);
            bounds.sort_unstable();
            bounds.dedup();
            let mut cast = String::from("{\"version\": 2, \"width\": 20, \"height\": 6}\n");
            let mut when = Vec::new();
            for (i, span) in bounds.windows(2).enumerate() {
                let at = Duration::from_millis(100 * (i as u64 + 1));
                let piece = &text[span[0]..span[1]];
                cast.push_str(&format!("{}\n", serde_json::json!([at.as_secs_f64(), "o", piece])));
                when.extend(std::iter::repeat_n(at, piece.len()));
            }
            let private = |kind, value: &str| Private { kind, value: value.to_string() };
            let privates = vec![private(Kind::User, "alice"), private(Kind::Host, "pc42")];
            let identity = Identity::same_length(&privates);
            let plan = Plan { scrub: Some(Scrub { privates, redact: Vec::new() }), ..Plan::default() };
            let (_, edited) = edit(cast.as_bytes(), &plan, Vec::new()).unwrap_or_else(|e| panic!("{e}: {cast}"));
            let mut shown = String::new();
            let mut shown_when = Vec::new();
            for event in crate::asciicast::read::read(&edited).unwrap().events {
                if let EventData::Output(piece) = event.data {
                    shown.push_str(&piece);
                    shown_when.extend(std::iter::repeat_n(event.time, piece.len()));
                }
            }
            prop_assert_eq!(&shown, &scrub::text(&identity, &text));
            // Stand-ins of the values' lengths, unlike them in every byte.
            let last = when.last().copied().unwrap_or_default();
            for (i, (a, b)) in shown.bytes().zip(text.bytes()).enumerate() {
                let next = when.iter().copied().find(|&t| t > when[i]).unwrap_or(last);
                prop_assert!(shown_when[i] >= when[i], "byte {} of {:?}", i, text);
                if a == b {
                    prop_assert!(shown_when[i] <= next, "byte {} of {:?}", i, text);
                }
            }
        }
    }
}
