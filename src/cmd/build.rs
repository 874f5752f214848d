//! `director build [DIR]`: re-record every scene in a folder whose cast is
//! stale, in parallel, through [`crate::build()`]; `--check` only reports
//! them (for CI), each with why.

use std::path::PathBuf;
use std::time::Instant;

use crate::build::stale::explain;
use crate::build::{self, Plan};
use crate::error::{Error, Exit};
use crate::process::reaper;
use crate::record::Settings;
use crate::signals;

/// Arguments of `director build`.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  director build                  re-record what changed in recordings/
  director build --check          exit 1 if any cast is stale (for CI)
  director build -j 1 talks/      one at a time, in talks/

A cast is stale when anything it was made from changed since: its scene,
the files in its panes' folders or named by its commands, the recording
options, or director's version. Each stale cast is named with why, e.g.
  stale: recordings/colours.cast: scene changed, scripts/ticker.sh changed
Other reasons: FILE is new, FILE was removed (FILE relative to the scene's
folder), settings changed (--set, ...), made by director VERSION, missing,
not made by build (e.g. made by `director record`), made by an older
director (no record of its inputs).

A scene that fails while others record beside it (two scenes that need the
same port, say) is tried again alone once the others are done. A file in the
place of a cast that is not a cast is never overwritten without --force.
SIGINT, SIGTERM, SIGHUP or SIGQUIT stops every recording at once: programs
killed, no temporary file left, no cast touched.

Exit codes: 0 everything is up to date (or was rebuilt); 1 a recording
failed, or with --check a cast is stale; 2 a scene is invalid, the options
contradict a scene (--realtime with a deterministic one), or a cast's place
holds another file; 129/130/131/143 stopped by a signal.")]
pub struct Args {
    /// The folder of scenes (*.toml, *.json); each cast is written beside
    /// its scene, with the same name and the extension `.cast`.
    #[arg(default_value = "recordings")]
    pub dir: PathBuf,
    /// Only report stale casts, each with why; exit 1 if there is one.
    #[arg(long)]
    pub check: bool,
    /// How many scenes to record at once (default: the number of CPUs).
    #[arg(short, long, value_name = "N")]
    pub jobs: Option<usize>,
    #[command(flatten)]
    pub settings: Settings,
    /// Replace a file in a cast's place even if it is not an asciicast.
    #[arg(long)]
    pub force: bool,
    /// Print only failures and stale casts.
    #[arg(short, long)]
    pub quiet: bool,
}

pub fn run(args: Args) -> Result<(), Error> {
    signals::watch().map_err(|e| Error::io("cannot watch for signals", e))?;
    let started = Instant::now();
    let plan = Plan::new(&args.dir, args.settings)?;
    let (total, stale) = (plan.entries.len(), plan.stale().len());
    if args.check {
        for e in plan.stale() {
            println!("stale: {}: {}", e.cast_path.display(), explain(&e.why));
        }
        if stale > 0 {
            let summary = format!(
                "{stale} of {total} casts stale (re-record with `director build {}`)",
                args.dir.display()
            );
            return Err(Error::new(Exit::Failed, Vec::new()).with_summary(summary));
        }
        if !args.quiet {
            eprintln!("0 of {total} casts stale");
        }
        return Ok(());
    }
    if stale == 0 {
        if !args.quiet {
            eprintln!("{total} casts up to date ({:.2} s)", started.elapsed().as_secs_f64());
        }
        return Ok(());
    }
    let options = build::Rebuild {
        jobs: args
            .jobs
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get())),
        force: args.force,
    };
    let _ = reaper::adopt_orphans();
    let result = build::build(&plan, &options, |entry, stats, took| {
        if !args.quiet {
            eprintln!(
                "rebuilt {} ({}): {:.3} s, {} events, in {:.2} s",
                entry.cast_path.display(),
                explain(&entry.why),
                stats.duration.as_secs_f64(),
                stats.events,
                took.as_secs_f64()
            );
        }
    });
    reaper::end_descendants(reaper::GRACE, reaper::Find::Scan);
    let summary = |failed: usize| {
        format!(
            "rebuilt {} of {total} casts ({failed} failed) in {:.2} s",
            stale - failed,
            started.elapsed().as_secs_f64()
        )
    };
    match result {
        Ok(()) => {
            if !args.quiet {
                eprintln!("{}", summary(0));
            }
            Ok(())
        }
        // Recordings failed: the count closes the list of failures.
        Err(error) if error.exit == Exit::Failed && !args.quiet => {
            let failed = error.problems.len();
            Err(error.with_summary(summary(failed)))
        }
        Err(error) => Err(error),
    }
}
