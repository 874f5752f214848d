//! How director stops when it is told to: one watcher for the whole
//! command catches SIGINT, SIGTERM, SIGHUP and SIGQUIT, so that every way of
//! stopping a `record` or a `build` ends the same way — every program
//! killed, temporary files removed, OUT untouched, exit 128 + the signal.
//!
//! The watcher runs on its own thread with its own small runtime, so it
//! serves every recording at once (`build` records on several threads, each
//! with its own runtime) and also the moments between recordings, when no
//! runtime is running. Once it is installed the signals no longer end the
//! process by themselves: whoever waits must look ([`received`]) or wait
//! ([`stopped`]).
//!
//! In: the stop signals the process receives, once [`watch()`] is on. Out:
//! the first of them as a [`Stop`] (its name and exit code), and
//! [`describe`] for naming any signal in a message (one that ended a pane's
//! program too).

use std::sync::OnceLock;
use std::sync::atomic::{AtomicI32, Ordering};

use tokio::signal::unix::{SignalKind, signal};
use tokio::sync::watch;

/// A signal that asks director to stop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stop {
    /// The signal's number (Linux).
    pub number: i32,
}

impl Stop {
    /// The signal's name, e.g. `SIGINT`.
    pub fn name(self) -> &'static str {
        named(self.number).map_or("a signal", |(name, _)| name)
    }

    /// The exit code a shell gives a command that this signal ended.
    pub fn exit_code(self) -> u8 {
        (128 + self.number).clamp(0, 255) as u8
    }
}

/// A Linux signal's name, and what sends it or what it means when that
/// helps a reader.
fn named(number: i32) -> Option<(&'static str, Option<&'static str>)> {
    Some(match number {
        1 => ("SIGHUP", Some("its terminal closed")),
        2 => ("SIGINT", Some("Ctrl-C")),
        3 => ("SIGQUIT", Some("Ctrl-\\")),
        4 => ("SIGILL", Some("an illegal instruction")),
        5 => ("SIGTRAP", None),
        6 => ("SIGABRT", Some("it aborted")),
        7 => ("SIGBUS", Some("a bus error")),
        8 => ("SIGFPE", Some("an arithmetic error")),
        9 => ("SIGKILL", None),
        10 => ("SIGUSR1", None),
        11 => ("SIGSEGV", Some("a segmentation fault")),
        12 => ("SIGUSR2", None),
        13 => ("SIGPIPE", Some("a broken pipe")),
        14 => ("SIGALRM", None),
        15 => ("SIGTERM", None),
        _ => return None,
    })
}

/// A signal as a message names it: `SIGINT (Ctrl-C)`, `SIGTERM`, `signal 40`.
pub fn describe(number: i32) -> String {
    match named(number) {
        Some((name, Some(note))) => format!("{name} ({note})"),
        Some((name, None)) => name.to_string(),
        None => format!("signal {number}"),
    }
}

/// The stop signals, by number, and how tokio names each.
const WATCHED: [(i32, fn() -> SignalKind); 4] = [
    (2, SignalKind::interrupt),
    (15, SignalKind::terminate),
    (1, SignalKind::hangup),
    (3, SignalKind::quit),
];

/// The first stop signal received, or 0.
static RECEIVED: AtomicI32 = AtomicI32::new(0);
/// Told of the first stop signal, for [`stopped`]; set by [`watch()`].
static WATCHER: OnceLock<watch::Receiver<i32>> = OnceLock::new();

/// Starts watching for the stop signals (once; later calls do nothing).
/// Returns once the handlers are in place.
pub fn watch() -> std::io::Result<()> {
    if WATCHER.get().is_some() {
        return Ok(());
    }
    let (tx, rx) = watch::channel(0);
    let (ready_tx, ready_rx) = std::sync::mpsc::channel::<std::io::Result<()>>();
    std::thread::Builder::new().name("signals".into()).spawn(move || {
        let runtime = match tokio::runtime::Builder::new_current_thread().enable_io().build() {
            Ok(r) => r,
            Err(e) => {
                let _ = ready_tx.send(Err(e));
                return;
            }
        };
        runtime.block_on(async move {
            for (number, kind) in WATCHED {
                let mut stream = match signal(kind()) {
                    Ok(s) => s,
                    Err(e) => {
                        let _ = ready_tx.send(Err(e));
                        return;
                    }
                };
                let tx = tx.clone();
                tokio::spawn(async move {
                    while stream.recv().await.is_some() {
                        // The first signal decides the exit code; a
                        // second (an impatient Ctrl-C) changes nothing.
                        if RECEIVED
                            .compare_exchange(0, number, Ordering::SeqCst, Ordering::SeqCst)
                            .is_ok()
                        {
                            let _ = tx.send(number);
                        }
                    }
                });
            }
            let _ = ready_tx.send(Ok(()));
            std::future::pending::<()>().await;
        });
    })?;
    ready_rx
        .recv()
        .unwrap_or_else(|_| Err(std::io::Error::other("the signal watcher did not start")))?;
    let _ = WATCHER.set(rx);
    Ok(())
}

/// The stop signal received so far, if any.
pub fn received() -> Option<Stop> {
    match RECEIVED.load(Ordering::SeqCst) {
        0 => None,
        number => Some(Stop { number }),
    }
}

/// Waits until a stop signal is received. Without [`watch()`], never returns.
pub async fn stopped() -> Stop {
    let Some(rx) = WATCHER.get() else {
        return std::future::pending().await;
    };
    let mut rx = rx.clone();
    loop {
        if let Some(stop) = received() {
            return stop;
        }
        if rx.changed().await.is_err() {
            return std::future::pending().await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_exit_codes_follow_the_shell() {
        let codes: Vec<(&str, u8)> = [2, 15, 1, 3]
            .into_iter()
            .map(|number| (Stop { number }.name(), Stop { number }.exit_code()))
            .collect();
        assert_eq!(
            codes,
            [("SIGINT", 130), ("SIGTERM", 143), ("SIGHUP", 129), ("SIGQUIT", 131)]
        );
        assert_eq!(describe(2), "SIGINT (Ctrl-C)");
        assert_eq!(describe(15), "SIGTERM");
        assert_eq!(describe(40), "signal 40");
    }
}
