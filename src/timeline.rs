//! The recording's clock: real time since the start plus a virtual offset.
//!
//! Scripted delays (keystrokes, pauses, the beat before Enter) advance the
//! offset instead of sleeping, so a recording takes as long as its programs
//! need, not as long as the cast plays. Child output is stamped with
//! [`Clock::now`] when it is read.

use std::time::{Duration, Instant};

/// A monotonic clock whose time can be pushed forward without waiting, and
/// frozen while setup steps run unrecorded.
#[derive(Debug, Clone)]
pub struct Clock {
    start: Instant,
    offset: Duration,
    /// Real time spent frozen, which does not count.
    frozen_total: Duration,
    frozen_at: Option<Instant>,
}

impl Clock {
    pub fn start() -> Self {
        Self {
            start: Instant::now(),
            offset: Duration::ZERO,
            frozen_total: Duration::ZERO,
            frozen_at: None,
        }
    }

    /// Cast time now. Never decreases.
    pub fn now(&self) -> Duration {
        let real = self.frozen_at.unwrap_or_else(Instant::now) - self.start;
        real.saturating_sub(self.frozen_total) + self.offset
    }

    /// Moves cast time forward by `d` at once (not while frozen).
    pub fn advance(&mut self, d: Duration) {
        if !self.is_frozen() {
            self.offset += d;
        }
    }

    /// Moves cast time forward to `t` if it is not there yet, so scripted
    /// events keep their exact spacing however long director took between
    /// them (not while frozen).
    pub fn reach(&mut self, t: Duration) {
        if !self.is_frozen() {
            self.offset += t.saturating_sub(self.now());
        }
    }

    /// Stops cast time (real time passes uncounted) until [`Clock::thaw`].
    pub fn freeze(&mut self) {
        self.frozen_at.get_or_insert_with(Instant::now);
    }

    pub fn thaw(&mut self) {
        if let Some(at) = self.frozen_at.take() {
            self.frozen_total += at.elapsed();
        }
    }

    pub fn is_frozen(&self) -> bool {
        self.frozen_at.is_some()
    }

    /// How much of cast time was scripted rather than lived.
    pub fn virtual_offset(&self) -> Duration {
        self.offset
    }
}

/// The pause after each of `keys` keystrokes: `delay` varied by up to
/// ±`jitter` × `delay`, drawn from a generator seeded with `seed`, so the
/// same seed always types with the same rhythm.
pub fn typing_schedule(keys: usize, delay: Duration, jitter: f64, seed: u64) -> Vec<Duration> {
    let mut rng = SplitMix64(seed);
    let jitter = jitter.clamp(0.0, 1.0);
    (0..keys)
        .map(|_| {
            // A uniform factor in [1 - jitter, 1 + jitter].
            let unit = (rng.next() >> 11) as f64 / (1u64 << 53) as f64;
            delay.mul_f64(1.0 + jitter * (2.0 * unit - 1.0))
        })
        .collect()
}

/// A small, well-known generator (Steele, Lea and Flood's SplitMix64):
/// enough for typing rhythm, and its output is fixed by its definition.
struct SplitMix64(u64);

impl SplitMix64 {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn typing_schedule_is_seeded_and_bounded() {
        let d = Duration::from_millis(100);
        let a = typing_schedule(50, d, 0.5, 7);
        assert_eq!(a, typing_schedule(50, d, 0.5, 7));
        assert_ne!(a, typing_schedule(50, d, 0.5, 8));
        assert!(
            a.iter()
                .all(|k| *k >= Duration::from_millis(50) && *k <= Duration::from_millis(150))
        );
        // Jitter actually varies the rhythm.
        assert!(a.iter().any(|k| *k < Duration::from_millis(90)) && a.iter().any(|k| *k > Duration::from_millis(110)));
        assert_eq!(typing_schedule(3, d, 0.0, 1), vec![d; 3]);
    }

    #[test]
    fn splitmix_matches_its_reference_values() {
        // First outputs for seed 1234567, from the generator's published definition.
        let mut g = SplitMix64(1234567);
        assert_eq!(g.next(), 6457827717110365317);
        assert_eq!(g.next(), 3203168211198807973);
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
        assert_eq!(clock.virtual_offset(), Duration::from_secs(100));
        assert!(wall.elapsed() < Duration::from_secs(5));
    }
}
