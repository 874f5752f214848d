//! The recording's clock: real time since the start plus a virtual offset.
//!
//! Scripted delays (keystrokes, pauses, the beat before Enter) advance the
//! offset instead of sleeping, so a recording takes as long as its programs
//! need, not as long as the cast plays. Child output is stamped with
//! [`Clock::now`] when it is read.

use std::time::{Duration, Instant};

/// A monotonic clock whose time can be pushed forward without waiting.
#[derive(Debug, Clone)]
pub struct Clock {
    start: Instant,
    offset: Duration,
}

impl Clock {
    pub fn start() -> Self {
        Self {
            start: Instant::now(),
            offset: Duration::ZERO,
        }
    }

    /// Cast time now. Never decreases: both terms only grow.
    pub fn now(&self) -> Duration {
        self.start.elapsed() + self.offset
    }

    /// Moves cast time forward by `d` at once.
    pub fn advance(&mut self, d: Duration) {
        self.offset += d;
    }

    /// How much of cast time was scripted rather than lived.
    pub fn virtual_offset(&self) -> Duration {
        self.offset
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
