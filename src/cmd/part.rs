//! `--from`/`--to` and `--from-marker`/`--to-marker`: the part of a cast a
//! command works on, for `render` and `edit` alike.

use std::time::Duration;

use crate::error::{Error, Failure, Usage};

/// The part of a cast asked for on the command line.
#[derive(Debug, Clone, clap::Args)]
pub struct Part {
    /// Start at this time of the cast (its screen then is the first picture).
    #[arg(long, value_name = "DURATION", value_parser = duration, conflicts_with = "from_marker")]
    pub from: Option<Duration>,
    /// End at this time of the cast.
    #[arg(long, value_name = "DURATION", value_parser = duration, conflicts_with = "to_marker")]
    pub to: Option<Duration>,
    /// Start at the marker with this label.
    #[arg(long, value_name = "LABEL")]
    pub from_marker: Option<String>,
    /// End at the marker with this label.
    #[arg(long, value_name = "LABEL")]
    pub to_marker: Option<String>,
}

pub fn duration(text: &str) -> Result<Duration, String> {
    crate::scene::duration::parse(text)
}

impl Part {
    /// The start and the end (if any) as the cast's times, markers found by
    /// `marker`; an empty part is refused.
    pub fn resolve(
        &self,
        marker: impl Fn(&str) -> Result<Duration, Error>,
    ) -> Result<(Duration, Option<Duration>), Error> {
        let from = match &self.from_marker {
            Some(label) => marker(label)?,
            None => self.from.unwrap_or_default(),
        };
        let to = match &self.to_marker {
            Some(label) => Some(marker(label)?),
            None => self.to,
        };
        if let Some(to) = to
            && to <= from
        {
            return Err(Failure::Usage(Usage::Part(format!(
                "the part asked for is empty: it ends at {:.3} s, not after its start at {:.3} s",
                to.as_secs_f64(),
                from.as_secs_f64()
            )))
            .into());
        }
        Ok((from, to))
    }
}
