//! Which part of a cast an edit keeps: from `from` to `to`, without the
//! cuts, as ranges of the cast's time; and where each kept moment lands
//! once the parts before it are gone.

use std::time::Duration;

/// The kept ranges, each `[start, end)`, in order and apart; and the
/// ranges played at once (their gaps zeroed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Keep {
    ranges: Vec<(Duration, Duration)>,
    zeroed: Vec<(Duration, Duration)>,
}

impl Default for Keep {
    fn default() -> Self {
        Self {
            ranges: vec![(Duration::ZERO, Duration::MAX)],
            zeroed: Vec::new(),
        }
    }
}

impl Keep {
    /// From `from` to `to` (inclusive), without each `[a, b)` of `cuts`.
    pub fn new(from: Duration, to: Option<Duration>, cuts: &[(Duration, Duration)]) -> Self {
        let end = to.map_or(Duration::MAX, |t| t + Duration::from_nanos(1));
        let mut ranges = vec![(from, end)];
        let mut cuts = cuts.to_vec();
        cuts.sort();
        for (a, b) in cuts {
            ranges = ranges
                .into_iter()
                .flat_map(|(s, e)| {
                    let before = (s, e.min(a));
                    let after = (s.max(b), e);
                    [before, after].into_iter().filter(|(s, e)| s < e)
                })
                .collect();
        }
        Self {
            ranges,
            zeroed: Vec::new(),
        }
    }

    /// The same, with each `[a, b)` of `zeroed` played at once: its events
    /// all at `a`'s place, what follows closing up.
    pub fn with_zeroed(mut self, zeroed: &[(Duration, Duration)]) -> Self {
        self.zeroed = zeroed.to_vec();
        self
    }

    /// The index of the range holding `t`, if it is kept.
    pub fn range_of(&self, t: Duration) -> Option<usize> {
        self.ranges.iter().position(|&(s, e)| s <= t && t < e)
    }

    /// The start of range `k`.
    pub fn start(&self, k: usize) -> Duration {
        self.ranges[k].0
    }

    /// The index of the last range: after its start, nothing is drawn
    /// again.
    pub fn last(&self) -> usize {
        self.ranges.len().saturating_sub(1)
    }

    /// Whether any part of the cast before its end is dropped.
    pub fn has_gaps(&self) -> bool {
        self.ranges.len() > 1 || self.starts_late()
    }

    /// Whether the first range starts after the cast does.
    pub fn starts_late(&self) -> bool {
        self.ranges.first().is_some_and(|r| r.0 > Duration::ZERO)
    }

    /// Where a kept moment `t` lands: its time less what was dropped, and
    /// what was zeroed, before.
    pub fn map(&self, t: Duration) -> Duration {
        t.saturating_sub(self.dropped(t) + self.zeroed_before(t))
    }

    /// How much kept time before `t` is played at once.
    pub fn zeroed_before(&self, t: Duration) -> Duration {
        let kept = |x: Duration, y: Duration| (y - x).saturating_sub(self.dropped(y) - self.dropped(x));
        self.zeroed
            .iter()
            .filter(|(a, _)| *a < t)
            .map(|&(a, b)| kept(a, b.min(t)))
            .sum()
    }

    /// How much of the cast before `t` is dropped.
    pub fn dropped(&self, t: Duration) -> Duration {
        let mut kept = Duration::ZERO;
        for &(s, e) in &self.ranges {
            if s >= t {
                break;
            }
            kept += e.min(t) - s;
        }
        t - kept.min(t)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: f64) -> Duration {
        Duration::from_secs_f64(v)
    }

    #[test]
    fn ranges_drop_the_cuts_and_times_close_up() {
        let keep = Keep::new(s(1.0), Some(s(10.0)), &[(s(3.0), s(4.0)), (s(6.0), s(8.0))]);
        assert_eq!(keep.range_of(s(0.5)), None);
        assert_eq!(keep.range_of(s(1.0)), Some(0));
        assert_eq!(keep.range_of(s(3.5)), None);
        assert_eq!(keep.range_of(s(4.0)), Some(1));
        assert_eq!(keep.range_of(s(10.0)), Some(2));
        assert_eq!(keep.range_of(s(10.5)), None);
        // 1 s before the start, 1 s and 2 s cut: 9 s lands at 5 s.
        assert_eq!(keep.map(s(9.0)), s(5.0));
        assert_eq!(keep.map(s(4.0)), s(2.0));
        assert_eq!(keep.dropped(s(20.0)), s(14.0) - Duration::from_nanos(1));
        assert!(keep.starts_late());
        assert!(!Keep::default().starts_late());
        assert_eq!(Keep::default().map(s(3.0)), s(3.0));
    }

    #[test]
    fn a_zeroed_range_plays_at_once_and_what_follows_closes_up() {
        let keep = Keep::new(Duration::ZERO, None, &[(s(5.0), s(6.0))]).with_zeroed(&[(s(2.0), s(7.0))]);
        assert_eq!(keep.map(s(1.0)), s(1.0));
        assert_eq!(keep.map(s(2.0)), s(2.0));
        assert_eq!(keep.map(s(4.5)), s(2.0));
        // 7 s less the 1 s cut and the 4 s of kept time zeroed.
        assert_eq!(keep.map(s(7.0)), s(2.0));
        assert_eq!(keep.map(s(8.0)), s(3.0));
    }
}
