//! An independent oracle for `director render`'s pictures: the screen of a
//! cast at given times, replayed with the `avt` crate (asciinema's own
//! terminal emulator) rather than director's emulator.
//!
//! Usage: `cargo run --release --example avt_rows -- CAST T1 T2 …` (times
//! in seconds) prints JSON:
//!
//! ```text
//! {"cols": 80, "rows": 24, "theme": {…} | null,
//!  "frames": [{"t": T, "rows": ["row text", …], "pens": [[[fg, bg, inverse, faint], …], …],
//!              "cursor": [row, col] | null}]}
//! ```
//!
//! Each frame is the screen after every output event with a time ≤ T, fed
//! in order. A row's text is avt's (`line.text()`: a wide character once,
//! its tail skipped), so it may be shorter than the row's cells; `pens` has
//! one entry per cell column (a wide character's tail repeats its head's
//! pen). A colour is `null` (the terminal's default), an integer (a palette
//! index) or `"#rrggbb"`. `faint` is an addition for the checker, which
//! does not expect the plain foreground of a faint cell; `cursor` is where
//! the cursor is when it is visible (players draw it as a block there).
//!
//! The cast is parsed here with `serde_json`, independently of director's
//! reader: v2 (`[time, code, data]`, absolute times) and v3 (header
//! `term.cols/rows/theme`, `[interval, code, data]`, each time relative to
//! the previous event). Events other than output (`"o"`) are ignored: this
//! oracle is for casts without resizes.

use std::process::ExitCode;

use serde_json::{Value, json};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some((cast, times)) = args.split_first() else {
        eprintln!("usage: avt_rows CAST T1 T2 … (times in seconds)");
        return ExitCode::from(2);
    };
    match run(cast, times) {
        Ok(out) => {
            println!("{out}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("avt_rows: {e}");
            ExitCode::FAILURE
        }
    }
}

/// A cast as read here: its size, theme and output events with absolute times.
struct Cast {
    cols: usize,
    rows: usize,
    theme: Value,
    output: Vec<(f64, String)>,
}

fn parse(text: &str) -> Result<Cast, String> {
    let mut lines = text.lines().filter(|l| !l.trim().is_empty() && !l.starts_with('#'));
    let header: Value =
        serde_json::from_str(lines.next().ok_or("an empty cast")?).map_err(|e| format!("header: {e}"))?;
    let version = header["version"].as_u64().ok_or("no version in the header")?;
    let (cols, rows, theme) = match version {
        2 => (&header["width"], &header["height"], header["theme"].clone()),
        3 => (
            &header["term"]["cols"],
            &header["term"]["rows"],
            header["term"]["theme"].clone(),
        ),
        v => return Err(format!("asciicast version {v} is not 2 or 3")),
    };
    let size = |v: &Value, what: &str| v.as_u64().map(|n| n as usize).ok_or(format!("no {what} in the header"));
    let (cols, rows) = (size(cols, "cols")?, size(rows, "rows")?);
    let mut output = Vec::new();
    let mut clock = 0.0;
    for (n, line) in lines.enumerate() {
        let event: Value = serde_json::from_str(line).map_err(|e| format!("event {}: {e}", n + 1))?;
        let time = event[0].as_f64().ok_or(format!("event {}: no time", n + 1))?;
        clock = if version == 3 { clock + time } else { time };
        if event[1] == "o" {
            let data = event[2]
                .as_str()
                .ok_or(format!("event {}: output is not a string", n + 1))?;
            output.push((clock, data.to_string()));
        }
    }
    let theme = if theme.is_object() { theme } else { Value::Null };
    Ok(Cast {
        cols,
        rows,
        theme,
        output,
    })
}

fn colour(c: Option<avt::Color>) -> Value {
    match c {
        None => Value::Null,
        Some(avt::Color::Indexed(i)) => json!(i),
        Some(avt::Color::RGB(rgb)) => json!(format!("#{:02x}{:02x}{:02x}", rgb.r, rgb.g, rgb.b)),
    }
}

fn run(path: &str, times: &[String]) -> Result<String, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {path}: {e}"))?;
    let cast = parse(&text)?;
    let mut times: Vec<(usize, f64)> = times
        .iter()
        .map(|t| t.parse::<f64>().map_err(|_| format!("{t:?} is not a time in seconds")))
        .collect::<Result<Vec<f64>, String>>()?
        .into_iter()
        .enumerate()
        .collect();
    // Replayed once, in time order; frames reported in the order asked.
    times.sort_by(|a, b| a.1.total_cmp(&b.1));
    let mut vt = avt::Terminal::new(cast.cols, cast.rows).map_err(|e| e.to_string())?;
    let mut next = 0;
    let mut frames: Vec<(usize, Value)> = Vec::new();
    for (i, t) in times {
        while next < cast.output.len() && cast.output[next].0 <= t {
            vt.feed(cast.output[next].1.as_str());
            next += 1;
        }
        let mut rows = Vec::new();
        let mut pens = Vec::new();
        for line in vt.screen().visible_lines() {
            rows.push(Value::String(line.text()));
            let cells = line.cells();
            let mut row_pens = Vec::with_capacity(cast.cols);
            let mut last = json!([null, null, false, false]);
            for col in 0..cast.cols {
                let pen = match cells.get(col) {
                    // A wide character's tail: its head's pen.
                    Some(cell) if cell.width() == 0 => last.clone(),
                    Some(cell) => {
                        let p = cell.pen();
                        json!([
                            colour(p.foreground()),
                            colour(p.background()),
                            p.is_inverse(),
                            p.is_faint()
                        ])
                    }
                    None => json!([null, null, false, false]),
                };
                last = pen.clone();
                row_pens.push(pen);
            }
            pens.push(Value::Array(row_pens));
        }
        let cursor = vt.cursor();
        let cursor = if cursor.visible {
            json!([cursor.row, cursor.col])
        } else {
            Value::Null
        };
        frames.push((i, json!({"t": t, "rows": rows, "pens": pens, "cursor": cursor})));
    }
    frames.sort_by_key(|f| f.0);
    let frames: Vec<Value> = frames.into_iter().map(|f| f.1).collect();
    Ok(json!({"cols": cast.cols, "rows": cast.rows, "theme": cast.theme, "frames": frames}).to_string())
}
