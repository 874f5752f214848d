//! `director edit IN OUT`: a cast someone already has, scrubbed, cut,
//! retimed or converted, written whole or not at all.
//!
//! In: the arguments. Out: OUT in place and a line saying what changed.
//! IN is read twice, line by line: once for its markers and the identity
//! it shows, once to edit.

use std::io::BufReader;
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::asciicast::{EventData, Retime, Version};
use crate::cmd::part::{Part, duration};
use crate::edit::crop::{Used, Window};
use crate::edit::scrub::{Finder, Found};
use crate::edit::typing::Bounds;
use crate::edit::{EditError, Joined, Keep, Plan, Scrub, each_event, edit_joined};
use crate::error::{Error, Failure, Usage};
use crate::geometry::Size;
use crate::output::{Kind, Output};
use crate::scene::Redact;

/// Arguments of `director edit`.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Every edit keeps the cast valid, is checked on what the viewer sees, and
writes OUT whole or not at all. A scrub replaces the user, host and home
given and those the cast shows itself (a window title, a prompt like
user@host:~$), takes out title, working-directory, clipboard and
notification sequences and the header's start time, then replays the result
as asciinema-player shows it and refuses it if a private value is still on
screen.

Examples:
  director edit raw.cast clean.cast --scrub
  director edit raw.cast clean.cast --user alice --host pc42 --redact 'token \\w+=token …'
  director edit raw.cast short.cast --trim --typing 60ms --idle-time-limit 1s
  director edit raw.cast part.cast --from 2.4s --cut 10s..14s
  director edit v3.cast v2.cast --format v2")]
pub struct Args {
    /// The cast to edit (asciicast v2 or v3, from any tool).
    pub input: PathBuf,
    /// Where the edited cast goes.
    pub out: PathBuf,
    /// Replace the identity the cast shows (user@host in titles and
    /// prompts, the user's home) and take out titles and paths.
    #[arg(long)]
    pub scrub: bool,
    /// A user name to replace (with "director", cut or repeated to its
    /// length); implies --scrub.
    #[arg(long, value_name = "NAME")]
    pub user: Vec<String>,
    /// A host name to replace (with "demo", cut or repeated to its
    /// length); implies --scrub.
    #[arg(long, value_name = "NAME")]
    pub host: Vec<String>,
    /// A home directory to replace (with "/home/director", cut or
    /// repeated to its length); implies --scrub.
    #[arg(long, value_name = "PATH")]
    pub home: Vec<String>,
    /// Replace what REGEX matches with TEXT (which holds no `=`), line by
    /// line; implies --scrub.
    #[arg(long, value_name = "REGEX=TEXT", value_parser = redact)]
    pub redact: Vec<Redact>,
    #[command(flatten)]
    pub part: Part,
    /// Drop the start-up (up to half a second before the first typed
    /// command) and the `exit`s (and what they print) at the end.
    #[arg(long)]
    pub trim: bool,
    /// Give typed keys a steady pace (e.g. `60ms`; `0s`: each command's
    /// keys at once).
    #[arg(long, value_name = "DURATION", value_parser = duration)]
    pub typing: Option<Duration>,
    /// A cast of the same size to play after IN (may be repeated), with a
    /// marker at each join.
    #[arg(long, value_name = "CAST")]
    pub append: Vec<PathBuf>,
    /// Show only the top-left COLSxROWS of the screen, at that size.
    #[arg(long, value_name = "COLSxROWS", value_parser = size, conflicts_with = "fit")]
    pub size: Option<Size>,
    /// Show only the area the recording used (every cell it drew).
    #[arg(long)]
    pub fit: bool,
    /// Drop a part, e.g. `0..2.4s` or `10s..12.5s` (may be repeated).
    #[arg(long, value_name = "A..B", value_parser = range)]
    pub cut: Vec<(Duration, Duration)>,
    /// Play a part at once, e.g. `3s..9s`: its events keep their order,
    /// its pauses are gone (may be repeated).
    #[arg(long, value_name = "A..B", value_parser = range)]
    pub zero: Vec<(Duration, Duration)>,
    /// Play this many times faster.
    #[arg(long, value_name = "FACTOR", value_parser = crate::record::parse_speed)]
    pub speed: Option<f64>,
    /// Cut pauses longer than this.
    #[arg(long, value_name = "DURATION", value_parser = duration)]
    pub idle_time_limit: Option<Duration>,
    /// The asciicast version written (default: IN's).
    #[arg(long, value_enum)]
    pub format: Option<Version>,
    /// Replace OUT even if it is a regular file that is not a cast (never IN).
    #[arg(long)]
    pub force: bool,
    /// Print nothing but errors.
    #[arg(long, short)]
    pub quiet: bool,
}

/// `A..B`: two durations; a bare number before `..` takes the unit after.
fn range(text: &str) -> Result<(Duration, Duration), String> {
    let (a, b) = text
        .split_once("..")
        .ok_or_else(|| format!("\"{text}\" is not a range: write A..B, e.g. 0..2.4s"))?;
    let end = duration(b)?;
    let unit = b.trim_start_matches(|c: char| c.is_ascii_digit() || c == '.');
    let start = duration(a).or_else(|e| {
        if a.parse::<f64>().is_ok() {
            duration(&format!("{a}{unit}"))
        } else {
            Err(e)
        }
    })?;
    if end <= start {
        return Err(format!("\"{text}\" is empty: its end is not after its start"));
    }
    Ok((start, end))
}

/// `COLSxROWS`.
fn size(text: &str) -> Result<Size, String> {
    let (cols, rows) = text
        .split_once('x')
        .ok_or_else(|| format!("\"{text}\" is not COLSxROWS, e.g. 60x10"))?;
    match (cols.parse::<u16>(), rows.parse::<u16>()) {
        (Ok(c), Ok(r)) if c > 0 && r > 0 => Ok(Size::new(c, r)),
        _ => Err(format!("\"{text}\" is not COLSxROWS, e.g. 60x10")),
    }
}

/// `REGEX=TEXT`, split at the last `=` (the regex may hold one).
fn redact(text: &str) -> Result<Redact, String> {
    let (pattern, replace) = text
        .rsplit_once('=')
        .ok_or_else(|| format!("\"{text}\" is not REGEX=TEXT"))?;
    let regex = regex::bytes::RegexBuilder::new(pattern)
        .size_limit(1 << 20)
        .build()
        .map_err(|e| format!("\"{pattern}\" is not a regex: {e}"))?;
    if regex.is_match(b"") {
        return Err(format!("\"{pattern}\" matches empty text: it would redact everything"));
    }
    Ok(Redact {
        regex,
        replace: replace.to_string(),
    })
}

/// How many events `--scrub` reads before the edit, when nothing else
/// needs a first pass: the start of a cast recorded by hand, where its
/// first prompt shows who recorded it.
const START: usize = 4096;

fn open(path: &Path) -> Result<BufReader<std::fs::File>, Error> {
    let file = std::fs::File::open(path).map_err(|e| Error::io(format!("cannot read {}", path.display()), e))?;
    Ok(BufReader::with_capacity(1 << 18, file))
}

/// IN and the casts appended, as one stream.
fn joined(args: &Args) -> Result<Joined<BufReader<std::fs::File>>, Error> {
    let mut rest = Vec::new();
    for path in &args.append {
        let label = path
            .file_stem()
            .map_or_else(|| path.display().to_string(), |s| s.to_string_lossy().into_owned());
        rest.push((label, open(path)?));
    }
    let mut joined = Joined::new(open(&args.input)?, rest).map_err(|e| match e {
        EditError::Cast(e) => cast_error(&args.input, e.into()),
        other => Failure::Usage(Usage::Part(other.to_string())).into(),
    })?;
    // How far the edit has come, when every cast is a file of known size.
    let sizes: Option<Vec<u64>> = std::iter::once(&args.input)
        .chain(&args.append)
        .map(|path| std::fs::metadata(path).ok().filter(|m| m.is_file()).map(|m| m.len()))
        .collect();
    joined.total = sizes.map(|sizes| sizes.iter().sum());
    Ok(joined)
}

fn cast_error(path: &Path, error: Box<dyn std::error::Error + Send + Sync>) -> Error {
    Failure::Cast {
        name: path.display().to_string(),
        error,
    }
    .into()
}

pub fn run(args: Args) -> Result<(), Error> {
    let mut output = Output::prepare_for(&args.out, args.force, Some((&args.input, "input cast")), Kind::Cast)?;
    crate::signals::watch().map_err(|e| Error::io("cannot watch for signals", e))?;
    let scrub =
        args.scrub || !(args.user.is_empty() && args.host.is_empty() && args.home.is_empty() && args.redact.is_empty());
    // The first pass: the markers' times, the identity the cast shows, its
    // first keystroke, the area it uses. When only --scrub needs it, it
    // reads the cast's start (where the first prompt shows who recorded
    // it), and the edit looks at the rest as it goes; should the rest show
    // more, the cast is edited again with all of it.
    let mut markers: Vec<(String, Duration)> = Vec::new();
    let auto = scrub && args.scrub;
    let mut finder = auto.then(Finder::new);
    let (mut bounds, mut used) = (None, None);
    let marked = args.part.from_marker.is_some() || args.part.to_marker.is_some();
    let whole_pass = marked || args.trim || args.fit;
    if whole_pass || auto {
        // A pipe or a terminal gives its bytes once: a second open would
        // wait for a writer that never comes.
        if let Some(once) = std::iter::once(&args.input)
            .chain(&args.append)
            .find(|path| !std::fs::metadata(path).is_ok_and(|m| m.is_file()))
        {
            return Err(Failure::Usage(Usage::ReadTwice(once.clone())).into());
        }
        let stream = joined(&args)?;
        let whole = stream.header.size;
        bounds = args.trim.then(|| Bounds::new(whole));
        used = args.fit.then(|| Used::new(whole));
        let mut seen = 0;
        let survey = each_event(stream, |event| {
            if let Some(bounds) = &mut bounds {
                bounds.observe(&event);
            }
            if let Some(used) = &mut used {
                used.observe(&event.data);
            }
            if let Some(finder) = &mut finder {
                finder.feed(&event.data);
            }
            if let EventData::Marker(label) = event.data {
                markers.push((label, event.time));
            }
            seen += 1;
            whole_pass || seen < START
        });
        match survey {
            Ok(()) => {}
            Err(EditError::Cast(e)) => return Err(cast_error(&args.input, e.into())),
            Err(e) => return Err(Failure::Usage(Usage::Part(e.to_string())).into()),
        }
    }
    let found = finder.map(Finder::found).unwrap_or_default();
    let marker = |label: &str| {
        markers
            .iter()
            .find(|(l, _)| l == label)
            .map(|(_, t)| *t)
            .ok_or_else(|| {
                let labels: Vec<&str> = markers.iter().map(|(l, _)| l.as_str()).collect();
                Error::from(Failure::Usage(Usage::Part(format!(
                    "{} has no marker {label:?}; its markers: {labels:?}",
                    args.input.display()
                ))))
            })
    };
    let (mut from, mut to) = args.part.resolve(marker)?;
    if args.trim {
        let (first, leaving) = bounds.map(|b| b.found()).unwrap_or_default();
        if args.part.from.is_none() && args.part.from_marker.is_none() {
            // Half a second before the first key: the prompt shows first.
            from = first.unwrap_or_default().saturating_sub(Duration::from_millis(500));
        }
        if to.is_none() {
            // Up to just before the first key of the leaving.
            to = leaving.map(|t| t.saturating_sub(Duration::from_micros(1)));
        }
        if to.is_some_and(|to| to <= from) {
            return Err(Failure::Usage(Usage::Part(
                "--trim leaves nothing: the cast's first keystroke starts its leaving".into(),
            ))
            .into());
        }
    }
    let given = Found {
        users: args.user.iter().cloned().collect(),
        hosts: args.host.iter().cloned().collect(),
        homes: args.home.iter().map(|h| h.trim_end_matches('/').to_string()).collect(),
    };
    let mut plan = Plan {
        format: args.format,
        retime: Retime {
            speed: args.speed.unwrap_or(1.0),
            max_pause: args.idle_time_limit,
        },
        keep: Keep::new(from, to, &args.cut).with_zeroed(&args.zero),
        scrub: scrub.then(|| Scrub::new(&given, &found, args.redact.clone())),
        typing: args.typing,
        crop: match (args.size, args.fit) {
            (Some(size), _) => Some(Window { col: 0, row: 0, size }),
            (None, true) => used.map(|u| u.window()),
            (None, false) => None,
        },
        find: auto && !whole_pass,
    };
    let edit = |plan: &Plan, sink| match edit_joined(joined(&args)?, plan, sink) {
        Ok(done) => Ok(done),
        Err(EditError::Cast(e)) => Err(cast_error(&args.input, e.into())),
        Err(EditError::Io(e)) => Err(Error::io(format!("cannot write {}", args.out.display()), e)),
        Err(EditError::Stopped(stop)) => Err(Failure::Stopped(stop).into()),
        Err(e) => Err(Failure::Private(format!("{e}; nothing was written")).into()),
    };
    let (mut summary, mut sink) = edit(&plan, output.sink())?;
    if let Some(rest) = summary.found.take() {
        let mut all = found;
        all.merge(rest);
        let scrub = Scrub::new(&given, &all, args.redact.clone());
        if plan.scrub.as_ref().is_some_and(|s| s.privates != scrub.privates) {
            // The rest of the cast shows more than its start: again, with all.
            plan.scrub = Some(scrub);
            plan.find = false;
            let again = sink
                .rewind()
                .map_err(|e| Error::io(format!("cannot write {}", args.out.display()), e))?;
            (summary, sink) = edit(&plan, again)?;
        }
    }
    output.commit(sink)?;
    if !args.quiet {
        eprintln!("wrote {}: {summary}", args.out.display());
    }
    Ok(())
}
