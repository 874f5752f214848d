//! Reads a (valid) asciicast v2 or v3 file into its size, theme and events.

use std::time::Duration;

use super::Theme;
use super::check::{CheckError, check};
use crate::geometry::Size;

/// A recording as read from a file.
#[derive(Debug, Clone)]
pub struct Recording {
    pub size: Size,
    pub title: Option<String>,
    pub theme: Option<Theme>,
    pub events: Vec<Event>,
}

/// One event, with its absolute time.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    pub time: Duration,
    pub code: String,
    pub data: String,
}

/// Validates and reads a cast; the error names the first bad line.
pub fn read(bytes: &[u8]) -> Result<Recording, CheckError> {
    let summary = check(bytes)?;
    // `check` accepted it: what follows cannot fail on a valid file.
    let text = String::from_utf8_lossy(bytes);
    let mut lines = text.lines().filter(|l| !l.trim().is_empty() && !l.starts_with('#'));
    let header: serde_json::Value = lines
        .next()
        .and_then(|l| serde_json::from_str(l).ok())
        .unwrap_or_default();
    let theme_value = if summary.version == 3 {
        &header["term"]["theme"]
    } else {
        &header["theme"]
    };
    let theme = match (
        theme_value["fg"].as_str(),
        theme_value["bg"].as_str(),
        theme_value["palette"].as_str(),
    ) {
        (Some(fg), Some(bg), Some(palette)) => Some(Theme {
            fg: fg.to_string(),
            bg: bg.to_string(),
            palette: palette.to_string(),
        }),
        _ => None,
    };
    let size = Size::new(
        u16::try_from(summary.cols).unwrap_or(u16::MAX),
        u16::try_from(summary.rows).unwrap_or(u16::MAX),
    );
    let mut time = Duration::ZERO;
    let mut events = Vec::new();
    for line in lines {
        let Ok(serde_json::Value::Array(e)) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        let t = Duration::from_secs_f64(e[0].as_f64().unwrap_or(0.0).max(0.0));
        time = if summary.version == 3 { time + t } else { t };
        events.push(Event {
            time,
            code: e[1].as_str().unwrap_or("").to_string(),
            data: e[2].as_str().unwrap_or("").to_string(),
        });
    }
    Ok(Recording {
        size,
        title: header["title"].as_str().map(str::to_string),
        theme,
        events,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_v2_and_v3_alike() {
        let v2 = "{\"version\":2,\"width\":80,\"height\":24,\"title\":\"t\",\"theme\":{\"fg\":\"#ffffff\",\"bg\":\"#000000\",\"palette\":\"#000000:#111111:#222222:#333333:#444444:#555555:#666666:#777777\"}}\n[0.5, \"o\", \"a\"]\n[1.5, \"m\", \"here\"]\n";
        let v3 = "{\"version\":3,\"term\":{\"cols\":80,\"rows\":24,\"theme\":{\"fg\":\"#ffffff\",\"bg\":\"#000000\",\"palette\":\"#000000:#111111:#222222:#333333:#444444:#555555:#666666:#777777\"}},\"title\":\"t\"}\n[0.5, \"o\", \"a\"]\n[1.0, \"m\", \"here\"]\n[0, \"x\", \"0\"]\n";
        let (a, b) = (read(v2.as_bytes()).unwrap(), read(v3.as_bytes()).unwrap());
        assert_eq!(a.size, Size::new(80, 24));
        assert_eq!(a.events, b.events[..2]);
        assert_eq!(a.events[1].time, Duration::from_millis(1500));
        assert_eq!(a.theme, b.theme);
        assert_eq!(a.title.as_deref(), Some("t"));
        assert!(read(b"{\"version\":2}\n").is_err());
    }
}
