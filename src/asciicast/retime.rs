//! Time transforms between a recording and its file: pauses capped, then
//! everything played faster.
//!
//! In: recorded times, absolute since the start. Out: the times to write,
//! absolute too, for an encoder (which only encodes). Kept apart from the
//! encoders so that a cast's bytes depend on the two transforms in one place.

use std::time::Duration;

/// Compresses the timeline as it is written: pauses capped at `max_pause`,
/// then everything played `speed` times faster.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Retime {
    pub speed: f64,
    pub max_pause: Option<Duration>,
}

impl Default for Retime {
    fn default() -> Self {
        Self {
            speed: 1.0,
            max_pause: None,
        }
    }
}

/// A [`Retime`] applied to one recording's times, in order.
#[derive(Debug, Clone)]
pub struct Retimer {
    retime: Retime,
    /// The last time as recorded (clamped to never decrease).
    recorded: Duration,
    /// The last time as written.
    written: Duration,
}

impl Retimer {
    pub fn new(retime: Retime) -> Self {
        Self {
            retime,
            recorded: Duration::ZERO,
            written: Duration::ZERO,
        }
    }

    /// The written time for recorded time `time`; a time earlier than the
    /// previous one is moved up to it, so written times never decrease.
    pub fn map(&mut self, time: Duration) -> Duration {
        let time = time.max(self.recorded);
        let mut gap = time - self.recorded;
        if let Some(max) = self.retime.max_pause {
            gap = gap.min(max);
        }
        self.recorded = time;
        // Gaps, not times, are scaled: a capped pause stays capped after the
        // speed-up.
        self.written += gap.div_f64(self.retime.speed);
        self.written
    }

    /// The last time mapped, as written.
    pub fn last_written(&self) -> Duration {
        self.written
    }

    /// The last time mapped, as recorded (before retiming).
    pub fn last_recorded(&self) -> Duration {
        self.recorded
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn caps_pauses_then_speeds_up() {
        let mut retimer = Retimer::new(Retime {
            speed: 2.0,
            max_pause: Some(Duration::from_secs(1)),
        });
        let written: Vec<Duration> = [1_000, 6_000, 6_500, 6_000]
            .map(|ms| retimer.map(Duration::from_millis(ms)))
            .into();
        // 1 s → 0.5; a 5 s pause capped at 1 s → +0.5; 0.5 s → +0.25; an
        // earlier time is moved up to the previous one.
        assert_eq!(written, [500, 1_000, 1_250, 1_250].map(Duration::from_millis));
        assert_eq!(retimer.last_recorded(), Duration::from_millis(6_500));
    }

    #[test]
    fn default_keeps_times() {
        let mut retimer = Retimer::new(Retime::default());
        let time = Duration::from_nanos(1_234_567_891);
        assert_eq!(retimer.map(time), time);
    }
}
