//! Frames: when the picture becomes a cast event, and with what time.
//!
//! In: notes that the picture changed (at a cast time), output read from a
//! pane (stamped here on the [`Clock`]), the time of a key whose echo is
//! awaited ([`Echo`]), markers, hide and show, and the panes' screens when
//! a frame is cut ([`Screens`]). Out: output events (the composed screen's
//! difference from the last frame) and markers on the cast's [`Writer`],
//! and what the cast measured ([`Stats`]).
//!
//! The rule for cutting frames:
//! - live, a frame is cut at the latest one frame interval after the first
//!   change it holds, and has that change's time: a program that floods
//!   its pane makes a bounded number of frames;
//! - deterministic, frames are cut by cast time alone: a change of another
//!   time than the pending frame's cuts that frame first, and no timer
//!   does, so a scene makes the same frames on every run;
//! - a key's echo has the key's time, however late it comes;
//! - while hidden, the panes still draw but no frame is written and the
//!   clock stands still: hidden time is not in the cast.

use std::io::Write;
use std::time::Duration;

use tokio::time::Instant;

use crate::asciicast::{Code, Writer};
use crate::director::failure::Fault;
use crate::geometry::Rect;
use crate::screen::compositor::{Chrome, Compositor};
use crate::screen::emulator::PaneView;
use crate::screen::layout::Layout;
use crate::timeline::{Clock, Mode};

/// What a finished recording measured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stats {
    /// Cast time of the last event.
    pub duration: Duration,
    pub events: usize,
}

/// The panes as a frame sees them.
pub(super) trait Screens {
    /// Each pane's screen for the compositor, in the layout's order.
    fn views(&mut self) -> Vec<PaneView<'_>>;
    /// Shows what every pane but `except` holds back for redaction, so
    /// that it joins the frame about to be cut, of the time it came.
    fn release_held(&mut self, except: Option<usize>);
    /// Vets what a frame at `time` is about to show (a private value
    /// assembled on screen); an error keeps the frame out of the cast.
    fn vet(&mut self, time: Duration, layout: &Layout) -> Result<(), Fault>;
}

/// The time of a key whose response is awaited, if any. Output read
/// meanwhile is stamped no later than the key, however late it comes; the
/// first change director draws itself meanwhile (a prompt after the
/// program ended) has the key's time, and uses it up.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct Echo(Option<Duration>);

impl Echo {
    /// No key is awaited.
    pub const NONE: Echo = Echo(None);

    /// The response to a key pressed at cast time `key`.
    pub fn of(key: Duration) -> Self {
        Echo(Some(key))
    }

    /// The stamp of output the clock stamps `t`.
    fn stamp(self, t: Duration) -> Duration {
        self.0.map_or(t, |key| key.min(t))
    }
}

/// Cuts the picture into frames and writes them, stamped on the clock.
pub(super) struct Frames<W: Write> {
    writer: Writer<W>,
    events: usize,
    clock: Clock,
    compositor: Compositor,
    chrome: Chrome,
    /// The pane whose cursor is shown.
    focus: usize,
    /// The longest a live change waits to be written.
    interval: Duration,
    /// Cast time of the first change not yet in a frame.
    pending: Option<Duration>,
    /// When the pending live frame is cut.
    due: Option<Instant>,
    hidden: bool,
}

impl<W: Write> Frames<W> {
    /// Frames of `layout`'s panes and `chrome`, `focus`'s cursor shown,
    /// on `clock`, cut at least every `interval` when live.
    pub fn new(
        writer: Writer<W>,
        layout: Layout,
        chrome: Chrome,
        focus: usize,
        clock: Clock,
        interval: Duration,
    ) -> Self {
        Self {
            writer,
            events: 0,
            clock,
            compositor: Compositor::new(layout),
            chrome,
            focus,
            interval,
            pending: None,
            due: None,
            hidden: false,
        }
    }

    /// The clock frames are stamped on.
    pub fn clock(&self) -> &Clock {
        &self.clock
    }

    /// The clock, for the steps to move (scripted delays), stop (setup off
    /// the record) and tell of input.
    pub fn clock_mut(&mut self) -> &mut Clock {
        &mut self.clock
    }

    /// Cast time now.
    pub fn now(&self) -> Duration {
        self.clock.now()
    }

    fn deterministic(&self) -> bool {
        matches!(self.clock.mode(), Mode::Deterministic { .. })
    }

    /// Where pane `pane` is on the screen now, in the current layout.
    pub fn rect(&self, pane: usize) -> Rect {
        self.compositor.layout().panes[pane]
    }

    /// Where everything is on the screen now.
    pub fn layout(&self) -> &Layout {
        self.compositor.layout()
    }

    /// Takes a new layout at cast time now: the next frame draws it all.
    pub fn set_layout(&mut self, layout: Layout) {
        self.compositor.set_layout(layout);
        self.changed();
    }

    /// The pane whose cursor is shown.
    pub fn focus(&self) -> usize {
        self.focus
    }

    /// Shows `pane`'s cursor, and `left` (the pane names, the active one
    /// marked) on the left of the status line.
    pub fn set_focus(&mut self, pane: usize, left: String) {
        if left != self.chrome.status_left || pane != self.focus {
            self.chrome.status_left = left;
            self.focus = pane;
            self.changed();
        }
    }

    /// Changes the parts of the picture that are not panes (the border
    /// colour, the caption, the keys shown): a change now, if any.
    pub fn set_chrome(&mut self, change: impl FnOnce(&mut Chrome)) {
        let mut chrome = self.chrome.clone();
        change(&mut chrome);
        if chrome != self.chrome {
            self.chrome = chrome;
            self.changed();
        }
    }

    /// Whether a change waits for its frame.
    pub fn is_pending(&self) -> bool {
        self.pending.is_some()
    }

    /// When the pending live frame is cut.
    pub fn due(&self) -> Option<Instant> {
        self.due
    }

    /// Whether the pending live frame is due at `now`.
    pub fn is_due(&self, now: Instant) -> bool {
        self.due.is_some_and(|t| now >= t)
    }

    /// Whether frames are not written ([`Frames::hide`]).
    pub fn is_hidden(&self) -> bool {
        self.hidden
    }

    /// Notes that the picture changed now.
    pub fn changed(&mut self) {
        self.changed_at(self.clock.now());
    }

    /// Notes a change director draws itself while a key settles (`echo`):
    /// it has the key's time, which it uses up, or else the time now.
    pub fn changed_by(&mut self, echo: &mut Echo) {
        let at = echo.0.take().unwrap_or_else(|| self.clock.now());
        self.changed_at(at);
    }

    /// Notes that the picture changed at cast time `at`; the frame is cut
    /// at the latest one frame interval later (live), and has the time of
    /// its first change.
    pub fn changed_at(&mut self, at: Duration) {
        if self.pending.is_none() {
            self.pending = Some(at);
            // Deterministic frames are cut by cast time, not by a timer.
            if !self.deterministic() {
                self.due = Some(Instant::now() + self.interval);
            }
        }
    }

    /// `at`, moved after what is pending or written: output held back
    /// for redaction is shown at the time it came, never before.
    pub fn no_earlier(&self, at: Duration) -> Duration {
        at.max(self.pending.unwrap_or(at)).max(self.writer.last_time())
    }

    /// The cast time of output from `pane` read now, while `echo` is
    /// awaited. When deterministic, a pending frame of another time is cut
    /// first, before the output changes any screen.
    pub fn stamp_output(&mut self, pane: usize, echo: Echo, screens: &mut impl Screens) -> Result<Duration, Fault> {
        let floor = self.pending.unwrap_or_else(|| self.writer.last_time());
        let t = self.clock.stamp(pane, std::time::Instant::now(), floor);
        self.begin_change(echo.stamp(t), Some(pane), screens)
    }

    /// The cast time of `pane`'s program ending now, as
    /// [`Frames::stamp_output`].
    pub fn stamp_exit(&mut self, pane: usize, echo: Echo, screens: &mut impl Screens) -> Result<Duration, Fault> {
        let floor = self.pending.unwrap_or_else(|| self.writer.last_time());
        let t = self.clock.stamp_exit(pane, std::time::Instant::now(), floor);
        self.begin_change(echo.stamp(t), None, screens)
    }

    /// `t` for a change about to come from `from`. When deterministic and a
    /// frame of another time is pending, it is cut first, with what the
    /// other panes hold for redaction (`from`'s own held line is about to
    /// be continued).
    fn begin_change(
        &mut self,
        t: Duration,
        from: Option<usize>,
        screens: &mut impl Screens,
    ) -> Result<Duration, Fault> {
        if self.deterministic() && self.pending.is_some_and(|p| p != t) {
            screens.release_held(from);
            self.cut(screens)?;
        }
        Ok(t)
    }

    /// Cuts the pending frame: composes the screen and writes what changed
    /// since the last frame, once vetted (nothing while hidden).
    pub fn cut(&mut self, screens: &mut impl Screens) -> Result<(), Fault> {
        let Some(time) = self.pending.take() else { return Ok(()) };
        self.due = None;
        if self.hidden {
            return Ok(());
        }
        let views = screens.views();
        let diff = self.compositor.frame(&views, &self.chrome, Some(self.focus));
        drop(views);
        if !diff.is_empty() {
            screens.vet(time, self.compositor.layout())?;
            self.emit(time, Code::Output, &diff)?;
        }
        Ok(())
    }

    /// A key's response has settled. Live, its frame is cut now;
    /// deterministic, output of the key's time that comes later still
    /// joins the frame.
    pub fn key_settled(&mut self, screens: &mut impl Screens) -> Result<(), Fault> {
        if self.deterministic() {
            Ok(())
        } else {
            self.cut(screens)
        }
    }

    /// Writes a chapter marker now (none while hidden).
    pub fn marker(&mut self, label: &str) -> std::io::Result<()> {
        if !self.hidden {
            let now = self.clock.now();
            self.emit(now, Code::Marker, label)?;
        }
        Ok(())
    }

    /// Stops writing frames, and the clock.
    pub fn hide(&mut self) {
        self.hidden = true;
        self.clock.freeze();
    }

    /// Writes frames again: the next one shows everything that changed
    /// meanwhile, at the time hiding began.
    pub fn show(&mut self) {
        self.clock.thaw();
        self.hidden = false;
        self.changed();
    }

    /// Holds the last picture until the clock's time (the scripted time
    /// after the last change); returns what the cast measured.
    pub fn hold_last_picture(&mut self) -> std::io::Result<Stats> {
        let end = self.clock.now();
        if end > self.writer.last_time() {
            self.emit(end, Code::Output, "")?;
        }
        Ok(Stats {
            duration: self.writer.last_time(),
            events: self.events,
        })
    }

    /// Ends the cast.
    pub fn finish(self) -> std::io::Result<W> {
        self.writer.finish(0)
    }

    fn emit(&mut self, time: Duration, code: Code, data: &str) -> std::io::Result<()> {
        self.writer.event(time, code, data)?;
        self.events += 1;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::asciicast::{Retime, Version};
    use crate::geometry::Size;
    use crate::screen::emulator::Emulator;
    use crate::screen::layout::Split;
    use crate::screen::style::Style;

    const INTERVAL: Duration = Duration::from_millis(50);

    fn secs(s: f64) -> Duration {
        Duration::from_secs_f64(s)
    }

    /// Two panes' emulators, noting which panes were asked to release
    /// what they hold.
    struct Plain {
        panes: Vec<Emulator>,
        released: Vec<Option<usize>>,
    }

    impl Screens for Plain {
        fn views(&mut self) -> Vec<PaneView<'_>> {
            self.panes.iter_mut().map(Emulator::view).collect()
        }

        fn release_held(&mut self, except: Option<usize>) {
            self.released.push(except);
        }

        fn vet(&mut self, _: Duration, _: &Layout) -> Result<(), Fault> {
            Ok(())
        }
    }

    fn setup(mode: Mode) -> (Frames<Vec<u8>>, Plain) {
        let layout = Layout::split(Size::new(41, 6), 2, Split::Columns, true).unwrap();
        let header = crate::asciicast::tests::header();
        let writer = Writer::new(Vec::new(), &header, Version::V2, Retime::default()).unwrap();
        let chrome = Chrome {
            status_style: Style::parse("black on green").unwrap(),
            status_left: " 0:left* 1:right".into(),
            ..Chrome::default()
        };
        let panes = layout.panes.iter().map(|r| Emulator::new(r.size)).collect();
        let frames = Frames::new(writer, layout, chrome, 0, Clock::with_mode(mode), INTERVAL);
        let plain = Plain {
            panes,
            released: Vec::new(),
        };
        (frames, plain)
    }

    fn deterministic() -> Mode {
        Mode::Deterministic {
            grid: Duration::from_millis(10),
        }
    }

    /// The cast's events: time, code and data.
    fn events(frames: Frames<Vec<u8>>) -> Vec<(f64, String, String)> {
        let cast = String::from_utf8(frames.finish().unwrap()).unwrap();
        cast.lines().skip(1).map(|l| serde_json::from_str(l).unwrap()).collect()
    }

    #[test]
    fn deterministic_frames_are_cut_by_cast_time_alone() {
        let (mut f, mut screens) = setup(deterministic());
        f.clock_mut().reach(secs(1.0));
        screens.panes[0].process(b"one");
        f.changed_at(secs(1.0));
        assert_eq!(f.due(), None, "no timer cuts a deterministic frame");
        // Output of the same time joins the frame.
        assert_eq!(f.begin_change(secs(1.0), Some(1), &mut screens).unwrap(), secs(1.0));
        screens.panes[1].process(b"two");
        f.changed_at(secs(1.0));
        // Output of a later time cuts it first, with what the other panes hold.
        assert_eq!(f.begin_change(secs(2.0), Some(0), &mut screens).unwrap(), secs(2.0));
        assert_eq!(screens.released, [Some(0)]);
        screens.panes[0].process(b" three");
        f.changed_at(secs(2.0));
        f.cut(&mut screens).unwrap();
        let events = events(f);
        assert_eq!(events.len(), 2, "{events:?}");
        let (first, second) = (&events[0], &events[1]);
        assert_eq!(first.0, 1.0);
        assert!(first.2.contains("one") && first.2.contains("two"), "{first:?}");
        assert!(!first.2.contains("three"), "a later change is not in an earlier frame");
        assert_eq!(second.0, 2.0);
        assert!(second.2.contains("three") && !second.2.contains("two"), "{second:?}");
    }

    #[test]
    fn a_live_frame_comes_at_the_latest_one_interval_after_its_first_change() {
        let (mut f, mut screens) = setup(Mode::Live);
        let before = Instant::now();
        screens.panes[0].process(b"first");
        f.changed_at(secs(1.0));
        let due = f.due().unwrap();
        assert!(due >= before + INTERVAL && due <= Instant::now() + INTERVAL);
        // Later changes join the frame and do not put it off; output of
        // another time does not cut it either.
        screens.panes[1].process(b"second");
        f.changed_at(secs(1.02));
        assert_eq!(f.begin_change(secs(1.04), Some(0), &mut screens).unwrap(), secs(1.04));
        assert_eq!(f.due(), Some(due));
        assert!(screens.released.is_empty());
        assert!(!f.is_due(due - Duration::from_millis(1)));
        assert!(f.is_due(due));
        f.cut(&mut screens).unwrap();
        assert_eq!((f.due(), f.is_pending()), (None, false));
        let events = events(f);
        assert_eq!(events.len(), 1, "{events:?}");
        assert_eq!(events[0].0, 1.0, "the frame has its first change's time");
        assert!(events[0].2.contains("first") && events[0].2.contains("second"));
    }

    #[test]
    fn an_echo_is_stamped_with_its_key() {
        // Live, output has the time it is read; the echo of a key, the
        // key's time, however late it comes.
        let (mut f, mut screens) = setup(Mode::Live);
        f.clock_mut().reach(secs(2.5));
        let key = f.now();
        std::thread::sleep(Duration::from_millis(2));
        let late = f.stamp_output(0, Echo::NONE, &mut screens).unwrap();
        assert!(late > key, "{late:?} after {key:?}");
        assert_eq!(f.stamp_output(0, Echo::of(key), &mut screens).unwrap(), key);
        assert_eq!(f.stamp_exit(1, Echo::of(key), &mut screens).unwrap(), key);
        // Output stamped before the key keeps its own time.
        assert_eq!(Echo::of(secs(2.0)).stamp(secs(1.9)), secs(1.9));

        // A prompt drawn while a key settles has the key's time, and uses
        // it up: later changes have the time they come at.
        let (mut f, mut screens) = setup(deterministic());
        f.clock_mut().reach(secs(2.5));
        let mut echo = Echo::of(secs(2.0));
        screens.panes[0].process(b"x");
        f.changed_by(&mut echo);
        assert_eq!(echo, Echo::NONE);
        f.cut(&mut screens).unwrap();
        screens.panes[0].process(b"y");
        f.changed_by(&mut echo);
        f.cut(&mut screens).unwrap();
        let times: Vec<f64> = events(f).iter().map(|e| e.0).collect();
        assert_eq!(times, [2.0, 2.5]);
    }

    #[test]
    fn hidden_time_is_not_written() {
        let (mut f, mut screens) = setup(deterministic());
        f.clock_mut().reach(secs(1.0));
        screens.panes[0].process(b"shown");
        f.changed();
        f.cut(&mut screens).unwrap();
        // Hidden, the panes draw and the clock stands still; nothing is
        // written, not even a marker.
        f.hide();
        f.clock_mut().advance(secs(3.0));
        screens.panes[0].process(b"\r\nsetup");
        f.changed();
        f.cut(&mut screens).unwrap();
        screens.panes[0].process(b"\r\x1b[Kready");
        f.changed();
        f.cut(&mut screens).unwrap();
        f.marker("hidden").unwrap();
        assert_eq!((f.events, f.is_pending(), f.now()), (1, false, secs(1.0)));
        // Shown again, one frame brings the picture up to date, at the time
        // hiding began.
        f.show();
        f.cut(&mut screens).unwrap();
        f.clock_mut().advance(secs(0.5));
        let stats = f.hold_last_picture().unwrap();
        assert_eq!(
            stats,
            Stats {
                duration: secs(1.5),
                events: 3
            }
        );
        let events = events(f);
        assert_eq!(events.iter().map(|e| e.0).collect::<Vec<_>>(), [1.0, 1.0, 1.5]);
        assert!(events.iter().all(|e| e.1 == "o"), "no marker while hidden");
        assert!(events[1].2.contains("ready"), "{:?}", events[1]);
        assert!(
            !events.iter().any(|e| e.2.contains("setup")),
            "what was drawn over while hidden was never written"
        );
    }
}
