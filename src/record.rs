//! Recording a scene, as a library call: a [`Scene`], the [`Settings`]
//! and an [`Output`] in; the cast put in place and its [`Stats`] out, or
//! an [`Error`] that says why not and with which exit code.
//!
//! `director record` and `director build` both record through [`record`].
//! A recording ends cleanly on a stop signal once [`signals::watch`] is on;
//! whatever the programs leave behind is the caller's to end
//! ([`crate::process::reaper`]).

use std::io::Write;
use std::time::Duration;

use crate::asciicast::{self, Header, Retime, Writer};
use crate::director::{Director, Options, RecordError, Stats};
use crate::error::{Error, Failure, Usage};
use crate::output::{Output, OutputError};
use crate::privacy::{self, Identity};
use crate::process::environment::DirectorEnv;
use crate::scene::{self, Scene};
use crate::signals;
use crate::timeline::Mode;

/// How to record: the options `director record` and `director build`
/// share. `build`'s content hash covers every one of them.
#[derive(Debug, Clone, PartialEq, clap::Args)]
pub struct Settings {
    /// Set a scene variable, overriding `[vars]` (repeatable), e.g.
    /// `--set addr=127.0.0.1:5001`.
    #[arg(long = "set", value_name = "KEY=VALUE", value_parser = parse_var)]
    pub set: Vec<(String, String)>,
    /// Same scene, same bytes: cast time comes from the script, real gaps
    /// between a program's outputs are rounded to the grid, the header's
    /// timestamp and the status clock come from SOURCE_DATE_EPOCH (or are
    /// left out). Also `deterministic = true` in the scene.
    #[arg(long)]
    pub deterministic: bool,
    /// The grid for --deterministic (default: the scene's `grid`, or 50ms).
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    pub grid: Option<Duration>,
    /// Sleep for every scripted delay (keystrokes, pauses) instead of
    /// advancing the clock: for programs that react to the wall clock.
    /// Recording then takes as long as the cast plays.
    #[arg(long, conflicts_with = "deterministic")]
    pub realtime: bool,
    /// The asciicast version to write.
    #[arg(long, value_enum, default_value_t = asciicast::Version::V2)]
    pub format: asciicast::Version,
    /// Play the cast this many times faster (applied as it is written).
    #[arg(long, value_name = "FACTOR", default_value_t = 1.0, value_parser = parse_speed)]
    pub speed: f64,
    /// Shorten every pause longer than this to this (applied as written).
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    pub max_pause: Option<Duration>,
}

impl Default for Settings {
    /// As with no option given.
    fn default() -> Self {
        Self {
            set: Vec::new(),
            deterministic: false,
            grid: None,
            realtime: false,
            format: asciicast::Version::V2,
            speed: 1.0,
            max_pause: None,
        }
    }
}

impl Settings {
    /// Whether `scene` can be recorded with these settings (they may
    /// contradict what it asks for).
    pub fn check(&self, scene: &Scene) -> Result<(), Usage> {
        if self.realtime && (self.deterministic || scene.deterministic) {
            return Err(Usage::RealtimeDeterministic);
        }
        Ok(())
    }
}

fn parse_var(text: &str) -> Result<(String, String), String> {
    let (k, v) = text
        .split_once('=')
        .ok_or_else(|| format!("\"{text}\" is not KEY=VALUE"))?;
    if k.is_empty() {
        return Err(format!("\"{text}\" has an empty KEY"));
    }
    Ok((k.to_string(), v.to_string()))
}

fn parse_duration(text: &str) -> Result<Duration, String> {
    scene::duration::parse(text)
}

pub fn parse_speed(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(s) if (0.01..=100.0).contains(&s) => Ok(s),
        _ => Err(format!("\"{text}\" is not a speed between 0.01 and 100")),
    }
}

/// What a recording carries beside its scene and settings; none of it
/// changes what the programs do.
#[derive(Debug, Clone, Default)]
pub struct Extras {
    /// Show progress on stderr under this label (meant for a terminal).
    pub progress: Option<String>,
    /// The header's `director` object: `build`'s content hash and inputs.
    pub stamp: Option<serde_json::Value>,
}

/// Records `scene` into `output`, which is put in place only if the
/// recording succeeded and no stop signal came.
pub fn record(scene: &Scene, settings: &Settings, extras: &Extras, mut output: Output) -> Result<Stats, Error> {
    let sink = output.sink();
    let (sink, stats) = record_into(scene, settings, extras, sink)?;
    if let Some(stop) = signals::received() {
        return Err(Failure::Stopped(stop).into());
    }
    output.commit(sink).map_err(|e| match (&e, signals::received()) {
        // A signal ended the wait for a FIFO's reader: stopped like any other.
        (OutputError::Stopped(_), Some(stop)) => Failure::Stopped(stop),
        _ => Failure::Output(e),
    })?;
    Ok(stats)
}

/// Records `scene` into `sink`, stopping cleanly on a stop signal
/// (SIGINT, SIGTERM, SIGHUP, SIGQUIT, once [`signals::watch`] is on).
fn record_into<W: Write>(scene: &Scene, settings: &Settings, extras: &Extras, sink: W) -> Result<(W, Stats), Error> {
    settings.check(scene)?;
    let deterministic = settings.deterministic || scene.deterministic;
    let epoch = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok());
    let start = match (epoch, deterministic) {
        (Some(epoch), _) => chrono::DateTime::from_timestamp(epoch, 0),
        // Deterministic without SOURCE_DATE_EPOCH: no time at all.
        (None, true) => None,
        (None, false) => Some(chrono::Utc::now()),
    };
    let identity = Identity::new(&privacy::identity(&scene.privacy));
    privacy::check_scene(scene, &identity).map_err(Failure::Private)?;
    let header = Header {
        size: scene.size,
        timestamp: start.map(|t| t.timestamp()),
        title: scene.title.clone(),
        term: scene.term.clone(),
        shell: "/bin/sh".into(),
        theme: scene.theme.clone(),
        idle_time_limit: scene.idle_time_limit,
        director: extras.stamp.clone(),
    };
    let retime = Retime {
        speed: settings.speed,
        max_pause: settings.max_pause,
    };
    let writer = Writer::new(sink, &header, settings.format, retime).map_err(RecordError::Write)?;
    let mode = match deterministic {
        true => Mode::Deterministic {
            grid: settings.grid.unwrap_or(scene.grid),
        },
        false => Mode::Live,
    };
    let options = Options {
        identity,
        env: DirectorEnv::current(),
        start_time: start,
        mode,
        realtime: settings.realtime,
        progress: extras.progress.clone(),
    };
    // This thread runs the director and the panes' readers (a LocalSet):
    // handing each read to another thread cost a wake-up per read. The one
    // worker thread waits on the I/O driver and wakes this one. Compared
    // with a current-thread runtime, which waits on the driver itself, a
    // flooding program writes faster: reads come a little later and larger,
    // and it is switched out less often. `seq 1 1000000` took 316 ms against
    // 359 (medians of 60 alternating runs), and the slow tail shrank most.
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .map_err(|e| Error::io("cannot start the async runtime", e))?;
    let local = tokio::task::LocalSet::new();
    runtime.block_on(local.run_until(async {
        // Dropping the director (on a signal) tells every pane's process
        // group to end; `reaper::end_descendants` sees to the rest.
        tokio::select! {
            result = Director::new(scene, options, writer).run() => result.map_err(Error::from),
            stop = signals::stopped() => Err(Failure::Stopped(stop).into()),
        }
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Exit;

    fn scene(text: &str) -> Scene {
        scene::parse("t.toml", text, scene::Syntax::Toml, std::path::Path::new("."), &[]).unwrap()
    }

    #[test]
    fn realtime_cannot_record_a_deterministic_scene() {
        let realtime = Settings {
            realtime: true,
            ..Settings::default()
        };
        let deterministic = scene("deterministic = true\n[[pane]]\nname = \"a\"\n");
        let live = scene("[[pane]]\nname = \"a\"\n");
        assert!(realtime.check(&live).is_ok());
        assert!(matches!(
            realtime.check(&deterministic),
            Err(Usage::RealtimeDeterministic)
        ));
        let both = Settings {
            deterministic: true,
            ..realtime.clone()
        };
        assert!(matches!(both.check(&live), Err(Usage::RealtimeDeterministic)));
        // Refused before anything runs, as a usage error.
        let error = record_into(&deterministic, &realtime, &Extras::default(), Vec::new()).unwrap_err();
        assert_eq!(error.exit, Exit::Usage);
        assert_eq!(
            error.to_string(),
            "--realtime cannot record a deterministic scene (deterministic = true, or --deterministic)"
        );
    }
}
