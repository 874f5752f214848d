//! A cast as the frames a picture shows: replayed, retimed, sampled.
//!
//! In: a recording's events and a [`Timing`]. Out: [`Frame`]s, one at a
//! time (a long cast is never held as pictures in memory), each a
//! [`Grid`] with the time it appears, and the film's length.
//!
//! The sampling rule makes every frame exact: a frame appears at `at` and
//! shows the screen as it is after every event up to `at` — what
//! `director render --at` draws for that moment. A frame appears at an
//! event's time, or, when events come faster than the frame cap allows,
//! one interval after the previous frame, showing everything up to then.
//! A frame equal to the one before it is not a frame at all.

use std::num::NonZeroU16;
use std::time::Duration;

use super::grid::Grid;
use crate::asciicast::{Event, EventData};
use crate::asciicast::{Retime, Retimer};
use crate::geometry::Size;
use crate::screen::emulator::parser;
use crate::screen::vs16::DropVs16;

/// Which part of a cast becomes the film, and how its time runs.
#[derive(Debug, Clone, PartialEq)]
pub struct Timing {
    /// Times faster than recorded.
    pub speed: f64,
    /// Pauses longer than this are cut to it (before the speed-up).
    pub idle_limit: Option<Duration>,
    /// The cast's moment the film starts at (what the screen shows then
    /// is its first frame).
    pub from: Duration,
    /// The cast's moment the film ends at; `None`: its last event.
    pub to: Option<Duration>,
    /// At most this many frames a second.
    pub fps_cap: u32,
    /// How long the last frame stays before the film ends (or loops).
    pub hold: Duration,
}

impl Default for Timing {
    fn default() -> Self {
        Self {
            speed: 1.0,
            idle_limit: None,
            from: Duration::ZERO,
            to: None,
            fps_cap: 30,
            hold: Duration::ZERO,
        }
    }
}

/// One picture of the film and when it appears.
#[derive(Debug, Clone, PartialEq)]
pub struct Frame {
    pub at: Duration,
    pub grid: Grid,
}

/// The frames of a cast, in order.
pub struct Film<'a> {
    events: &'a [Event],
    /// Each event's film time (events before `from` have zero).
    times: Vec<Duration>,
    /// The next event to replay.
    next: usize,
    /// One past the last event in the film.
    stop: usize,
    term: vt100::Parser,
    vs16: DropVs16,
    interval: Duration,
    /// The last frame's time and picture, once there is one.
    last: Option<(Duration, Grid)>,
    end: Duration,
    size: Size,
}

impl<'a> Film<'a> {
    /// The film of `events` (a cast of `size` at its start) under `timing`.
    pub fn new(size: Size, events: &'a [Event], timing: &Timing) -> Self {
        let stop = match timing.to {
            Some(to) => events.partition_point(|e| e.time <= to),
            None => events.len(),
        };
        let mut retimer = Retimer::new(Retime {
            speed: timing.speed,
            max_pause: timing.idle_limit,
        });
        let times: Vec<Duration> = events[..stop]
            .iter()
            .map(|e| retimer.map(e.time.saturating_sub(timing.from)))
            .collect();
        // The film lasts to its `to` (retimed as one more moment), or to
        // its last event.
        let last = match timing.to {
            Some(to) => retimer.map(to.saturating_sub(timing.from)),
            None => times.last().copied().unwrap_or_default(),
        };
        // The largest size the screen takes: the picture's size.
        let mut largest = size;
        for event in &events[..stop] {
            if let EventData::Resize(s) = &event.data {
                largest.cols = largest.cols.max(s.cols);
                largest.rows = largest.rows.max(s.rows);
            }
        }
        let fps = u64::from(timing.fps_cap.max(1));
        Self {
            events,
            times,
            next: 0,
            stop,
            term: parser(size),
            vs16: DropVs16::default(),
            interval: Duration::from_nanos(1_000_000_000_u64.div_ceil(fps)),
            last: None,
            end: last + timing.hold,
            size: largest,
        }
    }

    /// When the film ends: its last moment plus the hold, and at least
    /// one frame interval after the last frame given so far (so that it
    /// shows, however short the hold).
    pub fn end(&self) -> Duration {
        match &self.last {
            Some((at, _)) => self.end.max(*at + self.interval),
            None => self.end,
        }
    }

    /// The picture's size: the largest the screen takes in the film.
    pub fn size(&self) -> Size {
        self.size
    }

    /// The screen after every event of the film.
    pub fn screen_at_end(mut self) -> Grid {
        self.replay_to(Duration::MAX);
        Grid::of_screen(self.term.screen())
    }

    /// Replays the events of the film up to film time `at`.
    fn replay_to(&mut self, at: Duration) {
        while self.next < self.stop && self.times[self.next] <= at {
            match &self.events[self.next].data {
                EventData::Output(text) => self.term.process(&self.vs16.filter(text.as_bytes())),
                EventData::Resize(size) => {
                    // The reader admits no zero size; the emulator's type says so too.
                    if let (Some(rows), Some(cols)) = (NonZeroU16::new(size.rows), NonZeroU16::new(size.cols)) {
                        self.term.screen_mut().set_size(rows, cols);
                    }
                }
                EventData::Input(_) | EventData::Marker(_) | EventData::Exit(_) => {}
            }
            self.next += 1;
        }
    }
}

impl Iterator for Film<'_> {
    type Item = Frame;

    fn next(&mut self) -> Option<Frame> {
        loop {
            // A stop signal ends the film where it is; the caller writes
            // nothing ([`crate::signals`]).
            if crate::signals::received().is_some() {
                return None;
            }
            let at = match &self.last {
                None => Duration::ZERO,
                Some((shown, _)) => {
                    let &t = self.times.get(self.next).filter(|_| self.next < self.stop)?;
                    t.max(*shown + self.interval)
                }
            };
            self.replay_to(at);
            let grid = Grid::of_screen(self.term.screen());
            if self.last.as_ref().is_some_and(|(_, g)| *g == grid) {
                // Nothing changed on screen: the frame shown goes on.
                continue;
            }
            self.last = Some((at, grid.clone()));
            return Some(Frame { at, grid });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn output(ms: u64, text: &str) -> Event {
        Event {
            time: Duration::from_millis(ms),
            data: EventData::Output(text.into()),
        }
    }

    fn size(cols: u16, rows: u16) -> Size {
        Size { cols, rows }
    }

    /// Each frame's time in ms and its first row.
    fn frames(events: &[Event], timing: &Timing) -> Vec<(u128, String)> {
        Film::new(size(10, 2), events, timing)
            .map(|f| (f.at.as_millis(), f.grid.text()[0].clone()))
            .collect()
    }

    fn no_cursor(ms: u64) -> Event {
        output(ms, "\x1b[?25l")
    }

    #[test]
    fn frames_appear_at_events_and_equal_ones_merge() {
        let events = [no_cursor(0), output(500, "a"), output(900, "\x1b[m"), output(1200, "b")];
        let timing = Timing::default();
        assert_eq!(
            frames(&events, &timing),
            [(0, "".into()), (500, "a".into()), (1200, "ab".into())]
        );
        let film = Film::new(
            size(10, 2),
            &events,
            &Timing {
                hold: Duration::from_secs(2),
                ..timing
            },
        );
        assert_eq!(film.end(), Duration::from_millis(3200));
    }

    #[test]
    fn fast_output_is_sampled_at_the_cap_each_frame_exact() {
        // A character every 10 ms for 100 ms, capped at 20 frames a second.
        let mut events = vec![no_cursor(0)];
        events.extend((1..=10).map(|i| output(i * 10, "x")));
        let timing = Timing {
            fps_cap: 20,
            ..Timing::default()
        };
        let got = frames(&events, &timing);
        // 50 ms apart, each showing every event up to then.
        assert_eq!(got, [(0, "".into()), (50, "x".repeat(5)), (100, "x".repeat(10))]);
    }

    #[test]
    fn a_range_starts_on_the_screen_of_its_moment_and_is_retimed() {
        let events = [
            no_cursor(0),
            output(1000, "a"),
            output(2000, "b"),
            output(12_000, "c"),
            output(13_000, "d"),
        ];
        let timing = Timing {
            from: Duration::from_millis(1500),
            to: Some(Duration::from_millis(12_500)),
            idle_limit: Some(Duration::from_secs(2)),
            speed: 2.0,
            ..Timing::default()
        };
        // At 1.5 s "a" shows; "b" 0.5 s later; "c" after a pause cut to
        // 2 s; all twice as fast; "d" is past the end.
        assert_eq!(
            frames(&events, &timing),
            [(0, "a".into()), (250, "ab".into()), (1250, "abc".into())]
        );
        let film = Film::new(size(10, 2), &events, &timing);
        assert_eq!(film.end(), Duration::from_millis(1500));
    }

    #[test]
    fn a_resize_grows_the_picture_to_the_largest_size() {
        let events = [
            Event {
                time: Duration::from_millis(100),
                data: EventData::Resize(size(30, 5)),
            },
            Event {
                time: Duration::from_millis(200),
                data: EventData::Resize(size(20, 8)),
            },
        ];
        let film = Film::new(size(10, 2), &events, &Timing::default());
        assert_eq!(film.size(), size(30, 8));
        let last = film.last().unwrap();
        assert_eq!((last.grid.cols, last.grid.rows), (20, 8));
    }
}
