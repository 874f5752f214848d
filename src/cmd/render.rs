//! `director render OUT.svg CAST`: a static SVG of a cast's last frame, or
//! of the frame at a marker or a time, in the cast's theme colours.

use std::num::NonZeroU16;
use std::path::PathBuf;
use std::time::Duration;

use crate::asciicast::EventData;
use crate::asciicast::read::read;
use crate::error::{Error, Failure};
use crate::screen::emulator::parser;
use crate::screen::vs16::DropVs16;

/// Arguments of `director render`.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  director render tcp.svg recordings/tcp.cast               the last frame
  director render start.svg recordings/tcp.cast --at 2.5s   the frame at 2.5 s
  director render done.svg recordings/three-panes.cast --marker \"both done\"")]
pub struct Args {
    /// The SVG file to write.
    pub out: PathBuf,
    /// The asciicast (v2 or v3) to render.
    pub cast: PathBuf,
    /// Render the frame at this time (e.g. `2.5s`) instead of the last.
    #[arg(long, value_name = "DURATION", value_parser = parse_duration, conflicts_with = "marker")]
    pub at: Option<Duration>,
    /// Render the frame at the marker with this label.
    #[arg(long, value_name = "LABEL")]
    pub marker: Option<String>,
}

fn parse_duration(text: &str) -> Result<Duration, String> {
    crate::scene::duration::parse(text)
}

/// A `--marker` the cast does not hold.
#[derive(Debug, thiserror::Error)]
#[error("{cast} has no marker {label:?}; its markers: {labels:?}", cast = .cast.display())]
struct NoMarker {
    cast: PathBuf,
    label: String,
    labels: Vec<String>,
}

pub fn run(args: Args) -> Result<(), Error> {
    let bytes = std::fs::read(&args.cast).map_err(|e| Error::io(format!("cannot read {}", args.cast.display()), e))?;
    let recording = match read(&bytes) {
        Ok(r) => r,
        Err(e) => {
            let name = args.cast.display().to_string();
            return Err(Failure::Cast { name, error: e.into() }.into());
        }
    };
    // The events replayed: up to a time, or those before the marker
    // itself (what is written after it, even at the same time, is not
    // yet on screen when the marker is passed).
    let events = &recording.events;
    let shown = match (&args.at, &args.marker) {
        (Some(t), _) => events.iter().take_while(|e| e.time <= *t).count(),
        (None, Some(label)) => match events
            .iter()
            .position(|e| matches!(&e.data, EventData::Marker(l) if l == label))
        {
            Some(index) => index,
            None => {
                let labels = events
                    .iter()
                    .filter_map(|e| match &e.data {
                        EventData::Marker(label) => Some(label.clone()),
                        _ => None,
                    })
                    .collect();
                return Err(Failure::Other(Box::new(NoMarker {
                    cast: args.cast.clone(),
                    label: label.clone(),
                    labels,
                }))
                .into());
            }
        },
        (None, None) => events.len(),
    };
    let mut term = parser(recording.header.size);
    let mut vs16 = DropVs16::default();
    for event in &events[..shown] {
        match &event.data {
            EventData::Output(text) => term.process(&vs16.filter(text.as_bytes())),
            EventData::Resize(size) => {
                // The reader admits no zero size; the emulator's type says so too.
                if let (Some(rows), Some(cols)) = (NonZeroU16::new(size.rows), NonZeroU16::new(size.cols)) {
                    term.screen_mut().set_size(rows, cols);
                }
            }
            EventData::Input(_) | EventData::Marker(_) | EventData::Exit(_) => {}
        }
    }
    let header = &recording.header;
    let svg = crate::svg::svg(term.screen(), header.theme.as_ref(), header.title.as_deref());
    std::fs::write(&args.out, svg).map_err(|e| Error::io(format!("cannot write {}", args.out.display()), e))
}
