//! Durations as scene authors write them: `"80ms"`, `"1.5s"`, `"2m"`, or a
//! bare number of seconds, in; a `Duration`, or why the text is not one,
//! out.

use std::time::Duration;

/// Parses `"80ms"`, `"1.5s"`, `"2m"`, `"250us"`.
pub fn parse(text: &str) -> Result<Duration, String> {
    let t = text.trim();
    if t.starts_with('-') {
        return Err(format!("\"{text}\" is negative: a duration is 0 or more"));
    }
    let split = t.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(t.len());
    let (number, unit) = t.split_at(split);
    let value: f64 = number.parse().map_err(|_| {
        format!("\"{text}\" is not a duration: expected a number and a unit, e.g. \"80ms\" or \"1.5s\"")
    })?;
    let scale = match unit.trim() {
        "us" | "µs" => 1e-6,
        "ms" => 1e-3,
        "s" => 1.0,
        "m" | "min" => 60.0,
        "" => {
            return Err(format!(
                "\"{text}\" has no unit: write e.g. \"{number}ms\" or \"{number}s\""
            ));
        }
        other => return Err(format!("unknown unit \"{other}\" in \"{text}\": use us, ms, s or m")),
    };
    seconds(value * scale).map_err(|_| format!("\"{text}\" is out of range (0 to 24 hours)"))
}

/// A number of seconds, rejecting negatives and absurd values.
pub fn seconds(value: f64) -> Result<Duration, String> {
    // A day is longer than any demo; beyond it is surely a typo.
    if !(0.0..=86_400.0).contains(&value) {
        return Err(format!("{value} s is out of range (0 to 86400 s)"));
    }
    Ok(Duration::from_secs_f64(value))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_units() {
        assert_eq!(parse("80ms"), Ok(Duration::from_millis(80)));
        assert_eq!(parse("1.5s"), Ok(Duration::from_millis(1500)));
        assert_eq!(parse(" 2m "), Ok(Duration::from_secs(120)));
        assert_eq!(parse("250us"), Ok(Duration::from_micros(250)));
        assert_eq!(parse("0s"), Ok(Duration::ZERO));
    }

    #[test]
    fn rejects_nonsense_with_a_reason() {
        assert!(parse("80").unwrap_err().contains("no unit"));
        assert!(parse("80 parsecs").unwrap_err().contains("unknown unit"));
        assert!(parse("fast").unwrap_err().contains("not a duration"));
        assert!(parse("1.2.3s").unwrap_err().contains("not a duration"));
        assert!(parse("100000s").unwrap_err().contains("out of range"));
        assert!(seconds(-1.0).is_err());
        assert!(parse("-500ms").unwrap_err().contains("negative"));
    }
}
