//! The recording's clock.
//!
//! In: scripted delays, input sent to a source (a pane), and when each
//! source's output was read. Out: cast times, as [`Duration`]s that never
//! go back.
//!
//! Live (the default): `t = real time since the start + virtual offset`.
//! Scripted delays (keystrokes, pauses, the beat before Enter) advance the
//! offset instead of sleeping, so a recording takes as long as its programs
//! need, not as long as the cast plays; child output is stamped when read.
//!
//! Deterministic: cast time is purely scripted, and real time enters only
//! as the gaps between a program's outputs, rounded to a grid. A program's
//! first output after input (its start-up, an echo) is stamped at the input
//! itself, and later gaps are measured from it, so start-up and scheduling
//! noise of a few milliseconds never changes a stamp: the same scene gives
//! the same times on every run.

use std::time::{Duration, Instant};

/// How a clock turns real time into cast time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Mode {
    #[default]
    Live,
    /// Deterministic, with real gaps rounded to `grid`.
    Deterministic { grid: Duration },
}

/// Output this soon after input counts as the input's immediate response:
/// how long a program takes to start (an interpreter on a loaded machine
/// can take half a second) is noise, not part of the demo.
pub const SNAP: Duration = Duration::from_secs(1);
/// Output this soon after input is its response, at the input's time.
pub const RESPONSE: Duration = Duration::from_millis(100);
/// Output this soon after another pane's counts as simultaneous with it
/// (a client noticing its server close, however busy the machine).
pub const BURST: Duration = Duration::from_millis(200);

/// A program's own overhead on a sleep (waking, forking `sleep`) stays
/// under this; a read later than this past its grid line was delayed.
const OVERHEAD: Duration = Duration::from_millis(10);

/// Where a source's (a pane's) last output stood, in both times.
#[derive(Debug, Clone, Copy)]
struct Anchor {
    cast: Duration,
    real: Instant,
    /// Input came since the last output (or the program is ending): the
    /// next event may snap to the anchor.
    fresh: bool,
    /// The last input, in real and cast time: output right after it is its
    /// response (an echo, a redrawn prompt), at the input's time.
    input: Option<(Instant, Duration)>,
    /// How late this output was read, as far as its gap tells: the next
    /// gap is measured from when it would have been read on time.
    late: Duration,
    /// A shell started a program here and it has printed nothing yet.
    starting: bool,
    /// When a started program's first output came.
    start_up: Option<Instant>,
    /// A shell's command has ended and its prompt is not drawn yet.
    ending: bool,
    /// The program has not been seen waiting since the last input: what it
    /// prints, within [`SNAP`] of the input, is the input's response.
    responding: bool,
}

impl Anchor {
    /// Whether output read at `at` is still part of a start-up's first
    /// instant.
    fn in_start_up(&self, at: Instant) -> bool {
        self.start_up
            .is_some_and(|first| at.saturating_duration_since(first) < RESPONSE)
    }
}

/// A monotonic clock whose time can be pushed forward without waiting, and
/// frozen while setup steps run unrecorded.
#[derive(Debug, Clone)]
pub struct Clock {
    mode: Mode,
    start: Instant,
    offset: Duration,
    /// Real time spent frozen, which does not count.
    frozen_total: Duration,
    frozen_at: Option<Instant>,
    /// Deterministic cast time.
    cast: Duration,
    anchors: Vec<Anchor>,
    /// The source, arrival and stamp of the last output.
    last_output: Option<(usize, Instant, Duration)>,
}

impl Clock {
    pub fn start() -> Self {
        Self::with_mode(Mode::Live)
    }

    pub fn with_mode(mode: Mode) -> Self {
        Self {
            mode,
            start: Instant::now(),
            offset: Duration::ZERO,
            frozen_total: Duration::ZERO,
            frozen_at: None,
            cast: Duration::ZERO,
            anchors: Vec::new(),
            last_output: None,
        }
    }

    pub fn mode(&self) -> Mode {
        self.mode
    }

    /// Cast time now. Never decreases.
    pub fn now(&self) -> Duration {
        match self.mode {
            Mode::Live => {
                let real = self.frozen_at.unwrap_or_else(Instant::now) - self.start;
                real.saturating_sub(self.frozen_total) + self.offset
            }
            Mode::Deterministic { .. } => self.cast,
        }
    }

    /// Moves cast time forward by `d` at once (not while frozen).
    pub fn advance(&mut self, d: Duration) {
        if !self.is_frozen() {
            self.offset += d;
            self.cast += d;
        }
    }

    /// Moves cast time forward to `t` if it is not there yet, so scripted
    /// events keep their exact spacing however long director took between
    /// them (not while frozen).
    pub fn reach(&mut self, t: Duration) {
        if !self.is_frozen() {
            self.offset += t.saturating_sub(self.now());
            self.cast = self.cast.max(t);
        }
    }

    /// Stops cast time (real time passes uncounted) until [`Clock::thaw`].
    pub fn freeze(&mut self) {
        self.frozen_at.get_or_insert_with(Instant::now);
    }

    pub fn thaw(&mut self) {
        if let Some(at) = self.frozen_at.take() {
            self.frozen_total += at.elapsed();
            // Gaps are measured from now on: frozen time does not count.
            let now = Instant::now();
            for a in &mut self.anchors {
                a.real = now;
            }
        }
    }

    pub fn is_frozen(&self) -> bool {
        self.frozen_at.is_some()
    }

    /// Notes that input went to `source` now.
    pub fn input(&mut self, source: usize) {
        let (cast, real) = (self.now(), Instant::now());
        *self.anchor(source) = Anchor {
            cast,
            real,
            fresh: true,
            input: Some((real, cast)),
            late: Duration::ZERO,
            starting: false,
            start_up: None,
            ending: false,
            responding: true,
        };
    }

    /// Notes that a program started in `source` now (a shell ran the
    /// command typed): its first output, within [`SNAP`], is at the time of
    /// the source's last output (the echo of Enter), however long the
    /// program took to start.
    pub fn started(&mut self, source: usize) {
        let a = self.anchor(source);
        a.fresh = true;
        a.starting = true;
        a.real = Instant::now();
    }

    /// Whether `source`'s program started a moment ago and may still be
    /// drawing its first picture, which belongs to one instant.
    pub fn starting_up(&self, source: usize) -> bool {
        self.anchors.get(source).is_some_and(|a| a.in_start_up(Instant::now()))
    }

    /// Notes that a shell's command in `source` ended now (its mark): what
    /// the shell prints until its prompt is drawn is at the command's last
    /// output if it came within [`SNAP`] of it, as [`Clock::stamp_exit`]
    /// puts an exit — the time a runtime takes to shut down, and the shell
    /// to notice, is noise.
    pub fn ending(&mut self, source: usize) {
        if let Mode::Deterministic { .. } = self.mode {
            let a = self.anchor(source);
            a.ending = Instant::now().saturating_duration_since(a.real) < SNAP;
        }
    }

    /// Whether `source`'s program may still be working on its last input
    /// (see [`Clock::responded`]).
    pub fn responding(&self, source: usize) -> bool {
        self.anchors.get(source).is_some_and(|a| a.responding)
    }

    /// Notes that `source`'s program was seen waiting after its last input:
    /// its response is over, and later output is timed by its gap. Until
    /// then, a response that takes longer than [`RESPONSE`] (a file
    /// written and synced, a runtime shutting down on a loaded machine) is
    /// still at the input's time, up to [`SNAP`].
    pub fn responded(&mut self, source: usize) {
        self.anchor(source).responding = false;
    }

    /// Notes that the shell in `source` has drawn its prompt.
    pub fn prompt_drawn(&mut self, source: usize) {
        self.anchor(source).ending = false;
    }

    /// The cast time of `source`'s program exiting at `at`: an exit soon
    /// after the last output (the time a runtime takes to shut down) is at
    /// that output.
    pub fn stamp_exit(&mut self, source: usize, at: Instant, floor: Duration) -> Duration {
        if let Mode::Deterministic { .. } = self.mode {
            let a = self.anchor(source);
            if at.saturating_duration_since(a.real) < SNAP {
                a.fresh = true;
            }
        }
        self.stamp(source, at, floor)
    }

    /// The cast time of output from `source` that arrived at `at`, never
    /// before `floor` (what is already written or pending). When
    /// deterministic, output may stand before [`Clock::now`]: a response
    /// that comes after the script moved on belongs with what caused it.
    pub fn stamp(&mut self, source: usize, at: Instant, floor: Duration) -> Duration {
        let Mode::Deterministic { grid } = self.mode else {
            return self.now();
        };
        if self.is_frozen() {
            let cast = self.cast;
            *self.anchor(source) = Anchor {
                cast,
                real: at,
                fresh: false,
                input: None,
                late: Duration::ZERO,
                starting: false,
                start_up: None,
                ending: false,
                responding: false,
            };
            return cast;
        }
        let a = *self.anchor(source);
        let gap = at.saturating_duration_since(a.real);
        // Another pane's output a moment ago: the same instant, caused by
        // the same thing (a server closing, its client noticing).
        let joined = self
            .last_output
            .filter(|(other, real, _)| *other != source && at.saturating_duration_since(*real) < BURST)
            .map(|(_, _, cast)| cast);
        let response = a.input.filter(|(real, _)| {
            let since = at.saturating_duration_since(*real);
            since < RESPONSE || (a.responding && since < SNAP)
        });
        let mut late = Duration::ZERO;
        let mut input = a.input;
        let mut start_up = a.start_up.filter(|_| a.in_start_up(at));
        let candidate = match joined {
            _ if a.ending => a.cast,
            _ if a.fresh && gap < SNAP => {
                // What a program prints as it starts (a banner, then a
                // prompt; a full screen in several writes) is one instant.
                if a.starting {
                    input = Some((at, a.cast));
                    start_up = Some(at);
                }
                a.cast
            }
            _ if response.is_some() => response.map_or(a.cast, |(_, cast)| cast),
            Some(cast) => cast,
            None => {
                // A program's sleeps are round numbers; what is measured is
                // the sleep plus a few ms of overhead, or a hair less when
                // the last read came late. Rounding from 30% below a grid
                // line to 70% above it puts both on the line.
                let tolerance = grid * 3 / 10;
                let grid_ns = grid.as_nanos().max(1);
                let steps = ((gap + a.late).as_nanos() + tolerance.as_nanos()) / grid_ns;
                let steps = u32::try_from(steps).unwrap_or(u32::MAX);
                // Further past its line than a program's overhead goes, the
                // gap ends in a read that came late (a busy machine), and
                // the next gap would come out that much short: the delay is
                // lent to the next gap.
                late = gap.saturating_sub(grid.saturating_mul(steps) + tolerance.max(OVERHEAD));
                a.cast + grid.saturating_mul(steps)
            }
        };
        let t = candidate.max(floor);
        // The next gap is measured from this output's arrival: a loop of
        // sleeps stays on the grid instead of drifting across it.
        *self.anchor(source) = Anchor {
            cast: t,
            real: at,
            fresh: false,
            input,
            late,
            starting: false,
            start_up,
            ending: a.ending,
            responding: a.responding,
        };
        self.last_output = Some((source, at, t));
        self.cast = self.cast.max(t);
        t
    }

    fn anchor(&mut self, source: usize) -> &mut Anchor {
        // A source not heard from yet stands at the start.
        let start = Anchor {
            cast: Duration::ZERO,
            real: self.start,
            fresh: true,
            input: None,
            late: Duration::ZERO,
            starting: false,
            start_up: None,
            ending: false,
            responding: false,
        };
        if self.anchors.len() <= source {
            self.anchors.resize(source + 1, start);
        }
        &mut self.anchors[source]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn det() -> Clock {
        Clock::with_mode(Mode::Deterministic {
            grid: Duration::from_millis(10),
        })
    }

    /// `base + ms` shifted by `noise` microseconds either way.
    fn at(base: Instant, ms: u64, noise: i64) -> Instant {
        let t = base + Duration::from_millis(ms);
        if noise >= 0 {
            t + Duration::from_micros(noise as u64)
        } else {
            t - Duration::from_micros(noise.unsigned_abs())
        }
    }

    #[test]
    fn a_response_lasts_until_the_program_is_seen_waiting() {
        let ms = Duration::from_millis;
        let mut c = det();
        c.advance(ms(1000));
        c.input(0);
        let input = c.anchors[0].real;
        c.stamp(0, at(input, 5, 0), c.now());
        // A file synced, a loaded machine: the rest of the response comes
        // well past `RESPONSE`, and is still the key's.
        assert_eq!(c.stamp(0, at(input, 400, 0), c.now()), ms(1000));
        assert!(c.responding(0));
        // Seen waiting: what comes next is timed by its gap.
        c.responded(0);
        assert!(!c.responding(0));
        let last = c.anchors[0].real;
        assert_eq!(c.stamp(0, at(last, 300, 0), c.now()), ms(1300));
        // Not past `SNAP`, however long the program works.
        c.input(1);
        let input = c.anchors[1].real;
        let key = c.now();
        c.stamp(1, at(input, 5, 0), key);
        let first = c.anchors[1].real;
        assert_eq!(c.stamp(1, at(first, 1500, 0), c.now()), key + ms(1500));
    }

    #[test]
    fn a_shell_prompt_after_its_command_is_at_the_commands_end() {
        let ms = Duration::from_millis;
        let mut c = det();
        let base = Instant::now();
        c.stamp(0, base, c.now());
        // The command's last line, then a runtime's slow shutdown.
        assert_eq!(c.stamp(0, at(base, 2000, 0), c.now()), ms(2000));
        c.ending(0);
        let last = c.anchors[0].real;
        assert_eq!(c.stamp(0, at(last, 170, 0), c.now()), ms(2000));
        assert_eq!(c.stamp(0, at(last, 260, 0), c.now()), ms(2000));
        // Drawn: later output is timed by its gap again.
        c.prompt_drawn(0);
        let drawn = c.anchors[0].real;
        assert_eq!(c.stamp(0, at(drawn, 500, 0), c.now()), ms(2500));
    }

    #[test]
    fn deterministic_stamps_ignore_noise_within_the_grid() {
        let ms = Duration::from_millis;
        // Measured gaps run a little short (a late first read) or long
        // (overhead): from 3 ms short to 6.9 ms long is absorbed.
        for noise in [-2_900, -1_000, 0, 800, 3_000, 6_900] {
            let mut c = det();
            let t0 = Instant::now();
            c.advance(ms(2500));
            c.input(0);
            let input = c.anchors[0].real;
            // Start-up takes anything up to SNAP: the output is at the input.
            assert_eq!(c.stamp(0, at(input, 640, noise), c.now()), ms(2500));
            // A one-second sleep.
            let first = c.anchors[0].real;
            assert_eq!(c.stamp(0, at(first, 1000, noise), c.now()), ms(3500), "noise {noise}");
            // A burst right after stays at the same stamp.
            let burst = at(first, 1000, noise) + Duration::from_micros(300);
            assert_eq!(c.stamp(0, burst, c.now()), ms(3500));
            // Ten sleeps of 50 ms, each with noise, stay on the grid.
            let mut t = burst;
            for k in 1..=10 {
                t = at(t, 50, if k % 2 == 0 { noise } else { noise / 2 });
                assert_eq!(
                    c.stamp(0, t, c.now()),
                    ms(3500 + 50 * k as u64),
                    "sleep {k}, noise {noise}"
                );
            }
            // The program ends a moment after its last line: the same time.
            assert_eq!(c.stamp_exit(0, at(t, 30, noise), c.now()), ms(4000));
            // Another pane, idle since the start, lands no earlier than
            // what is written: here, the current time.
            assert_eq!(c.stamp(1, at(t0, 1001, noise), c.now()), ms(4000));
            // A late response to input, after the script moved on, stays
            // with the input when nothing later is written yet.
            c.input(2);
            let input = c.anchors[2].real;
            let key_time = c.now();
            c.stamp(2, at(input, 5, 0), key_time);
            c.advance(ms(250));
            assert_eq!(c.stamp(2, at(input, 30, noise.abs()), key_time), key_time);
            // A pane answering another's output a moment later joins its
            // instant, though its own gap would round below it.
            let mut c = det();
            let base = Instant::now() + ms(10);
            c.stamp(0, base, c.now());
            c.stamp(1, base + ms(6), c.now());
            assert_eq!(c.stamp(0, at(base, 1000, noise), c.now()), ms(1000));
            assert_eq!(
                c.stamp(1, at(base, 1001, noise), c.now()),
                ms(1000),
                "joins pane 0, noise {noise}"
            );
        }
    }

    #[test]
    fn a_late_read_does_not_move_the_next_stamp() {
        let ms = Duration::from_millis;
        // A progress bar redrawn every 50 ms (sleep plus 2 ms of overhead)
        // on a 50 ms grid; one redraw is read `delay` late.
        let stamps = |late_read: usize, delay: u64| {
            let mut c = Clock::with_mode(Mode::Deterministic { grid: ms(50) });
            let base = Instant::now();
            c.stamp(0, base, c.now());
            (1..=8)
                .map(|k| {
                    let written = base + ms(52 * k as u64);
                    let read = if k == late_read { written + ms(delay) } else { written };
                    c.stamp(0, read, c.now())
                })
                .collect::<Vec<_>>()
        };
        let on_time = stamps(0, 0);
        assert_eq!(on_time, (1..=8).map(|k| ms(50 * k)).collect::<Vec<_>>());
        // Up to 30 ms late: the read's own gap still rounds to one step,
        // and the next gap, 52 ms less the delay, is measured as if the
        // read had been on time.
        for delay in [5, 15, 20, 25, 30] {
            assert_eq!(stamps(4, delay), on_time, "read {delay} ms late");
        }
        // Later than that, the late gap rounds to two steps and the next to
        // none: the redraws after it still land where they would have.
        let very_late = stamps(4, 40);
        assert_eq!(very_late[3], ms(250));
        assert_eq!(very_late[4..], on_time[4..]);
    }

    #[test]
    fn deterministic_time_is_scripted_and_frozen_time_does_not_count() {
        let mut c = det();
        c.advance(Duration::from_secs(3));
        std::thread::sleep(Duration::from_millis(15));
        assert_eq!(c.now(), Duration::from_secs(3), "real time alone never moves it");
        c.freeze();
        c.advance(Duration::from_secs(1));
        assert_eq!(
            c.stamp(0, Instant::now() + Duration::from_secs(5), Duration::ZERO),
            Duration::from_secs(3)
        );
        c.thaw();
        assert_eq!(c.now(), Duration::from_secs(3));
    }

    #[test]
    fn reach_and_freeze() {
        let mut clock = Clock::start();
        clock.reach(Duration::from_secs(5));
        let t = clock.now();
        assert!(t >= Duration::from_secs(5) && t < Duration::from_secs(6));
        clock.reach(Duration::from_secs(1));
        assert!(clock.now() >= t, "reach never goes back");
        clock.freeze();
        let frozen = clock.now();
        std::thread::sleep(Duration::from_millis(20));
        clock.advance(Duration::from_secs(1));
        clock.reach(frozen + Duration::from_secs(9));
        assert_eq!(clock.now(), frozen, "scripted time does not pass while frozen");
        clock.thaw();
        assert!(
            clock.now() - frozen < Duration::from_millis(15),
            "frozen time did not count"
        );
    }

    #[test]
    fn advancing_does_not_sleep_and_time_never_goes_back() {
        let mut clock = Clock::start();
        let wall = Instant::now();
        let mut last = clock.now();
        for _ in 0..1000 {
            clock.advance(Duration::from_millis(100));
            let now = clock.now();
            assert!(now >= last + Duration::from_millis(100));
            last = now;
        }
        assert!(clock.now() >= Duration::from_secs(100));
        assert!(wall.elapsed() < Duration::from_secs(5));
    }
}
