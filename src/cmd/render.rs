//! `director render OUT CAST`: a cast as a picture, the form chosen by
//! OUT's extension: `.svg` the whole recording animated (or a still frame
//! with `--at`, `--marker` or `--still`), `.gif` animated, `.png` a still.
//!
//! In: the arguments. Out: the picture in place (written whole or not at
//! all, as `record` writes casts) and a line saying what it holds.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::asciicast::read::{Recording, read};
use crate::asciicast::{EventData, Theme};
use crate::cmd::part::{Part, duration};
use crate::error::{Error, Failure, Usage};
use crate::geometry::Size;
use crate::output::{Kind, Output};
use crate::picture::{Colours, Film, Look, Timing, gif, png, svg};

/// Arguments of `director render`.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
The form follows OUT's extension: .svg (animated; a still with --at, --marker
or --still), .gif (animated), .png (a still frame). Nothing to install: the
SVG plays where scripts are stripped (a GitHub README), the GIF is drawn with
a bundled font.

Examples:
  director render demo.svg recordings/tcp.cast              animated SVG
  director render demo.gif recordings/tcp.cast --fps-cap 15 animated GIF
  director render poster.png recordings/tcp.cast --at 2.5s  a still frame
  director render part.svg tcp.cast --from-marker start --to 6s --no-loop
  director render done.svg recordings/three-panes.cast --marker \"both done\"")]
pub struct Args {
    /// The picture to write: .svg, .gif or .png.
    pub out: PathBuf,
    /// The asciicast (v2 or v3, from director or any other tool).
    pub cast: PathBuf,
    /// A still frame: the screen at this time of the cast (e.g. `2.5s`).
    #[arg(long, value_name = "DURATION", value_parser = duration, conflicts_with_all = ["marker", "still"])]
    pub at: Option<Duration>,
    /// A still frame: the screen when the marker with this label is reached.
    #[arg(long, value_name = "LABEL", conflicts_with = "still")]
    pub marker: Option<String>,
    /// A still frame: the screen at the end (of --to, if given).
    #[arg(long)]
    pub still: bool,
    /// Play this many times faster.
    #[arg(long, value_name = "FACTOR", default_value_t = 1.0, value_parser = speed)]
    pub speed: f64,
    /// Cut pauses longer than this (`none`: keep them). Default: the cast's own limit.
    #[arg(long, value_name = "DURATION|none", value_parser = limit)]
    pub idle_time_limit: Option<Limit>,
    #[command(flatten)]
    pub part: Part,
    /// At most this many frames a second (a GIF takes at most 50).
    #[arg(long, value_name = "N", default_value_t = 30, value_parser = clap::value_parser!(u32).range(1..=1000))]
    pub fps_cap: u32,
    /// Play once and stay on the last frame.
    #[arg(long = "no-loop", overrides_with = "looping")]
    pub no_loop: bool,
    /// Play again from the start after the hold (the default).
    #[arg(long = "loop", overrides_with = "no_loop")]
    pub looping: bool,
    /// How long the last frame stays before the picture loops (or ends);
    /// at least one frame.
    #[arg(long, value_name = "DURATION", default_value = "2s", value_parser = duration)]
    pub hold: Duration,
    /// Colours: a preset (blog, asciinema, solarized-dark), `cast` (the
    /// cast's own), or a JSON file of fg, bg and palette as in a cast
    /// header. Default: the cast's theme, else asciinema's.
    #[arg(long, value_name = "NAME|FILE")]
    pub theme: Option<String>,
    /// The font size in pixels.
    #[arg(long, value_name = "PX", default_value_t = 14.0, value_parser = font_size)]
    pub font_size: f64,
    /// The margin around the screen in pixels.
    #[arg(long, value_name = "PX", default_value_t = 12, value_parser = clap::value_parser!(u32).range(0..=500))]
    pub padding: u32,
    /// Draw a window's title bar with the cast's title.
    #[arg(long)]
    pub window: bool,
    /// Replace OUT even if it is a file of another kind (never the cast).
    #[arg(long)]
    pub force: bool,
    /// Print nothing but errors and warnings.
    #[arg(long, short)]
    pub quiet: bool,
}

/// `--idle-time-limit`: a duration, or none.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Limit {
    None,
    At(Duration),
}

fn limit(text: &str) -> Result<Limit, String> {
    match text {
        "none" | "off" => Ok(Limit::None),
        _ => duration(text).map(Limit::At),
    }
}

fn speed(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(v) if v.is_finite() && (0.01..=1000.0).contains(&v) => Ok(v),
        _ => Err(format!(
            "\"{text}\" is not a speed: a number from 0.01 to 1000, e.g. 2 or 0.5"
        )),
    }
}

fn font_size(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(v) if (4.0..=200.0).contains(&v) => Ok(v),
        _ => Err(format!("\"{text}\" is not a font size: pixels from 4 to 200")),
    }
}

/// The picture's form, from OUT's extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Form {
    Svg,
    Gif,
    Png,
}

impl Form {
    fn of(out: &Path) -> Result<Self, Usage> {
        let ext = out.extension().map(|e| e.to_string_lossy().to_lowercase());
        match ext.as_deref() {
            Some("svg") => Ok(Form::Svg),
            Some("gif") => Ok(Form::Gif),
            Some("png") => Ok(Form::Png),
            _ => Err(Usage::Render(format!(
                "{} has no picture extension: name it .svg (animated, or a still with --at), .gif (animated) or .png (a still)",
                out.display()
            ))),
        }
    }

    fn kind(self) -> Kind {
        match self {
            Form::Svg => Kind::Svg,
            Form::Gif => Kind::Gif,
            Form::Png => Kind::Png,
        }
    }
}

/// A `--marker`, `--from-marker` or `--to-marker` the cast does not hold.
#[derive(Debug, thiserror::Error)]
#[error("{cast} has no marker {label:?}; its markers: {labels:?}", cast = .cast.display())]
struct NoMarker {
    cast: PathBuf,
    label: String,
    labels: Vec<String>,
}

/// The index of the marker `label` in the cast's events.
fn marker(recording: &Recording, cast: &Path, label: &str) -> Result<usize, Error> {
    let events = &recording.events;
    let is = |l: &str| {
        events
            .iter()
            .position(|e| matches!(&e.data, EventData::Marker(m) if m == l))
    };
    is(label).ok_or_else(|| {
        let labels = events
            .iter()
            .filter_map(|e| match &e.data {
                EventData::Marker(label) => Some(label.clone()),
                _ => None,
            })
            .collect();
        Failure::Other(Box::new(NoMarker {
            cast: cast.to_path_buf(),
            label: label.into(),
            labels,
        }))
        .into()
    })
}

/// The colours `--theme` names, or the cast's, or asciinema's.
fn colours(theme: Option<&str>, cast: Option<&Theme>) -> Result<Colours, Error> {
    let usage = |m: String| -> Error { Failure::Usage(Usage::Render(m)).into() };
    let theme = match theme {
        None | Some("cast") => cast.cloned(),
        Some(name) if name.ends_with(".json") => {
            let text = std::fs::read_to_string(name).map_err(|e| Error::io(format!("cannot read {name}"), e))?;
            let theme: Theme = serde_json::from_str(&text).map_err(|e| {
                usage(format!(
                    "{name}: not a theme ({{\"fg\", \"bg\", \"palette\"}} as in a cast header): {e}"
                ))
            })?;
            Some(theme)
        }
        Some(name) => Some(crate::scene::theme::preset(name).ok_or_else(|| {
            usage(format!(
                "unknown theme {name:?}: use one of {}, \"cast\", or a .json file",
                crate::scene::theme::preset_names().join(", ")
            ))
        })?),
    };
    Ok(theme.map_or_else(Colours::default, |t| Colours::of_theme(&t)))
}

pub fn run(args: Args) -> Result<(), Error> {
    let form = Form::of(&args.out).map_err(Failure::Usage)?;
    let still = args.at.is_some() || args.marker.is_some() || args.still;
    if form == Form::Gif && still {
        return Err(Failure::Usage(Usage::Render(
            "a GIF is the whole film: for a still frame, name OUT .png or .svg".into(),
        ))
        .into());
    }
    let mut output = Output::prepare_for(&args.out, args.force, Some((&args.cast, "cast")), form.kind())?;
    crate::signals::watch().map_err(|e| Error::io("cannot watch for signals", e))?;
    let bytes = std::fs::read(&args.cast).map_err(|e| Error::io(format!("cannot read {}", args.cast.display()), e))?;
    let recording = read(&bytes).map_err(|e| Failure::Cast {
        name: args.cast.display().to_string(),
        error: e.into(),
    })?;
    let header = &recording.header;
    let look = Look {
        colours: colours(args.theme.as_deref(), header.theme.as_ref())?,
        font_size: args.font_size,
        padding: args.padding,
        window: args.window.then(|| header.title.clone().unwrap_or_default()),
        title: header.title.clone(),
    };
    let time_of = |label: &str| marker(&recording, &args.cast, label).map(|i| recording.events[i].time);
    let (from, to) = args.part.resolve(time_of)?;
    let timing = Timing {
        speed: args.speed,
        idle_limit: match args.idle_time_limit {
            None => header.idle_time_limit,
            Some(Limit::None) => None,
            Some(Limit::At(d)) => Some(d),
        },
        from,
        to,
        fps_cap: if form == Form::Gif {
            args.fps_cap.min(gif::MAX_FPS)
        } else {
            args.fps_cap
        },
        hold: args.hold,
    };
    let mut sink = Counted::new(output.sink());
    let write_err = |e: std::io::Error| Error::io(format!("cannot write {}", args.out.display()), e);
    let said = if still || form == Form::Png {
        // The events shown: up to a time, or those before the marker itself
        // (what is written after it, even at the same time, is not yet on
        // screen when the marker is passed).
        let events = &recording.events;
        let shown = match (&args.at, &args.marker) {
            (Some(t), _) => events.partition_point(|e| e.time <= *t),
            (None, Some(label)) => marker(&recording, &args.cast, label)?,
            (None, None) => to.map_or(events.len(), |t| events.partition_point(|e| e.time <= t)),
        };
        let grid = Film::new(header.size, &events[..shown], &Timing::default()).screen_at_end();
        let size = Size::new(grid.cols, grid.rows);
        match form {
            Form::Png => png::write(&grid, size, &look, &mut sink).map_err(write_err)?,
            _ => sink.write_all(svg::still(grid, &look).as_bytes()).map_err(write_err)?,
        }
        "a still frame".to_string()
    } else {
        let make = || Film::new(header.size, &recording.events, &timing);
        let looping = !args.no_loop;
        let frames = match form {
            Form::Svg => {
                let (svg, count) = svg::animated(&mut make(), looping, &look);
                sink.write_all(svg.as_bytes()).map_err(write_err)?;
                format!("{count} frames")
            }
            _ => {
                let stats = gif::write(make, looping, &look, &mut sink).map_err(write_err)?;
                let exact = if stats.exact {
                    "exact"
                } else {
                    "the nearest of the 256 most used"
                };
                format!("{} frames, {} colours ({exact})", stats.frames, stats.colours)
            }
        };
        // The film's length, known once it is played.
        let mut film = make();
        film.by_ref().for_each(drop);
        format!("{frames}, {:.1} s", film.end().as_secs_f64())
    };
    // Stopped while drawing: the picture is not written (the temporary
    // file goes with `output`).
    if let Some(stop) = crate::signals::received() {
        return Err(Failure::Stopped(stop).into());
    }
    let written = sink.count;
    output.commit(sink.inner)?;
    if !args.quiet {
        eprintln!("wrote {}: {said}, {}", args.out.display(), kilobytes(written));
    }
    if form == Form::Gif && written > gif::GITHUB_LIMIT {
        eprintln!(
            "warning: {} is {}, over the 5 MB GitHub's image proxy shows; shrink it with --fps-cap 10, \
             --speed 2, --idle-time-limit 1s, --from/--to or a smaller --font-size, or write an .svg",
            args.out.display(),
            kilobytes(written)
        );
    }
    Ok(())
}

/// `n` bytes for people.
fn kilobytes(n: u64) -> String {
    if n >= 1024 * 1024 {
        format!("{:.1} MB", n as f64 / (1024.0 * 1024.0))
    } else {
        format!("{:.1} KB", n as f64 / 1024.0)
    }
}

/// A writer that counts what goes through it.
struct Counted<W> {
    inner: W,
    count: u64,
}

impl<W> Counted<W> {
    fn new(inner: W) -> Self {
        Self { inner, count: 0 }
    }
}

impl<W: Write> Write for Counted<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.count += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}
