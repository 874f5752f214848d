//! Typing rhythm: a keystroke count, delay, jitter and seed in, the pause
//! after each keystroke out, varied around the delay by a seeded generator
//! so that a scene types with the same rhythm on every run.

use std::time::Duration;

/// The pause after each of `keys` keystrokes: `delay` varied by up to
/// ±`jitter` × `delay`, drawn from a generator seeded with `seed`, so the
/// same seed always types with the same rhythm.
pub fn schedule(keys: usize, delay: Duration, jitter: f64, seed: u64) -> Vec<Duration> {
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
    fn schedule_is_seeded_and_bounded() {
        let d = Duration::from_millis(100);
        let a = schedule(50, d, 0.5, 7);
        assert_eq!(a, schedule(50, d, 0.5, 7));
        assert_ne!(a, schedule(50, d, 0.5, 8));
        assert!(
            a.iter()
                .all(|k| *k >= Duration::from_millis(50) && *k <= Duration::from_millis(150))
        );
        // Jitter actually varies the rhythm.
        assert!(a.iter().any(|k| *k < Duration::from_millis(90)) && a.iter().any(|k| *k > Duration::from_millis(110)));
        assert_eq!(schedule(3, d, 0.0, 1), vec![d; 3]);
    }

    #[test]
    fn splitmix_matches_its_reference_values() {
        // First outputs for seed 1234567, from the generator's published definition.
        let mut g = SplitMix64(1234567);
        assert_eq!(g.next(), 6457827717110365317);
        assert_eq!(g.next(), 3203168211198807973);
    }
}
