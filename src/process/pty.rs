//! A pane's program: a child process in its own pseudo-terminal and its own
//! process group, whose output is read by a task and sent to the director.

use std::ffi::OsString;
use std::path::PathBuf;
use std::process::ExitStatus;
use std::time::Duration;

use rustix::process::Signal;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::sync::mpsc;

use crate::geometry::Size;

/// How long to keep reading after the program exited. A daemonised
/// grandchild can hold the terminal open forever, so end-of-file alone
/// cannot end a pane's output.
const DRAIN: Duration = Duration::from_millis(100);
const READ_BUF: usize = 64 * 1024;

/// What a pane's reader task reports.
#[derive(Debug)]
pub enum Report {
    Output {
        pane: usize,
        bytes: Vec<u8>,
    },
    Exited {
        pane: usize,
        status: std::io::Result<ExitStatus>,
    },
}

/// How to start a program.
#[derive(Debug, Clone)]
pub struct Launch {
    pub program: String,
    pub args: Vec<String>,
    pub size: Size,
    /// The program's whole environment: nothing else of director's passes.
    pub env: Vec<(OsString, OsString)>,
    pub cwd: Option<PathBuf>,
}

/// A running program. Dropping it tells the program's whole process group
/// to end, as a closed terminal and `kill` would (SIGHUP, SIGTERM);
/// [`super::reaper::end_descendants`] follows up with SIGKILL for whatever
/// ignores them.
pub struct Program {
    pgid: rustix::process::Pid,
    input: pty_process::OwnedWritePty,
    /// The terminal's controlling side again, to read its modes.
    terminal: std::os::fd::OwnedFd,
    task: tokio::task::JoinHandle<()>,
}

impl Program {
    /// Starts the program in a new PTY of `launch.size`; output and the
    /// exit status are sent to `reports` tagged with `pane`.
    pub fn spawn(pane: usize, launch: &Launch, reports: mpsc::Sender<Report>) -> std::io::Result<Self> {
        let (pty, pts) = pty_process::open().map_err(io_error)?;
        pty.resize(pty_process::Size::new(launch.size.rows, launch.size.cols))
            .map_err(io_error)?;
        let mut cmd = pty_process::Command::new(&launch.program)
            .args(&launch.args)
            .env_clear()
            .envs(launch.env.iter().map(|(k, v)| (k, v)));
        if let Some(cwd) = &launch.cwd {
            cmd = cmd.current_dir(cwd);
        }
        let mut child = cmd.spawn(pts).map_err(io_error)?;
        let pid = child.id().and_then(|id| rustix::process::Pid::from_raw(id as i32));
        let Some(pgid) = pid else {
            return Err(std::io::Error::other("the program exited before it could be tracked"));
        };
        let terminal = std::os::fd::AsFd::as_fd(&pty).try_clone_to_owned()?;
        let (mut output, input) = pty.into_split();
        // On the director's own thread (record's LocalSet).
        let task = tokio::task::spawn_local(async move {
            let mut buf = vec![0u8; READ_BUF];
            let mut exited = None;
            loop {
                let read = match exited {
                    None => tokio::select! {
                        r = output.read(&mut buf) => r,
                        status = child.wait() => { exited = Some(status); continue; }
                    },
                    Some(_) => match tokio::time::timeout(DRAIN, output.read(&mut buf)).await {
                        Ok(r) => r,
                        Err(_) => break,
                    },
                };
                match read {
                    // EIO: every holder of the terminal is gone.
                    Ok(0) | Err(_) => break,
                    Ok(n) => {
                        if reports
                            .send(Report::Output {
                                pane,
                                bytes: buf[..n].to_vec(),
                            })
                            .await
                            .is_err()
                        {
                            break;
                        }
                    }
                }
            }
            let status = match exited {
                Some(status) => status,
                None => child.wait().await,
            };
            kill_group(pgid);
            let _ = reports.send(Report::Exited { pane, status }).await;
        });
        Ok(Self {
            pgid,
            input,
            terminal,
            task,
        })
    }

    /// Whether a process of the terminal's foreground group is running
    /// rather than waiting; `None` when that cannot be told.
    pub fn foreground_running(&self) -> Option<bool> {
        super::tree::foreground_running(self.pgid.as_raw_nonzero().get())
    }

    /// Whether the terminal reads keys one by one (its line discipline is
    /// not canonical: a program that waits for an answer to a query puts
    /// it so) and, when `own_group` is false, whether a process group other
    /// than the program's own has the foreground (a shell's job runs, the
    /// shell is not at its prompt). `false` when that cannot be told.
    pub fn reads_keys(&self, own_group: bool) -> bool {
        use rustix::termios::{LocalModes, tcgetattr, tcgetpgrp};
        let raw = tcgetattr(&self.terminal).is_ok_and(|modes| !modes.local_modes.contains(LocalModes::ICANON));
        raw && (own_group || tcgetpgrp(&self.terminal).is_ok_and(|group| group != self.pgid))
    }

    /// How many times the terminal's foreground processes have been given
    /// a CPU: it changes once one of them has run. `None` when that cannot
    /// be told.
    pub fn foreground_turns(&self) -> Option<u64> {
        super::tree::foreground_turns(self.pgid.as_raw_nonzero().get())
    }

    /// Whether the program has printed something director has not read yet.
    pub fn unread_output(&self) -> bool {
        rustix::io::ioctl_fionread(&self.terminal).is_ok_and(|waiting| waiting > 0)
    }

    /// Writes as much of `bytes` as the terminal takes at once, without
    /// waiting for a program that does not read: how much it took.
    pub async fn write_now(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        // A zero timeout polls the write once.
        match tokio::time::timeout(Duration::ZERO, self.input.write(bytes)).await {
            Ok(written) => written,
            Err(_) => Ok(0),
        }
    }

    /// Gives the terminal a new size: the kernel tells the program's
    /// foreground group (SIGWINCH), which asks for the size and redraws.
    pub fn resize(&self, size: Size) -> std::io::Result<()> {
        let winsize = rustix::termios::Winsize {
            ws_row: size.rows,
            ws_col: size.cols,
            ws_xpixel: 0,
            ws_ypixel: 0,
        };
        rustix::termios::tcsetwinsize(&self.terminal, winsize).map_err(std::io::Error::from)
    }

    /// Sends bytes to the program as if typed.
    pub async fn write(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        self.input.write_all(bytes).await?;
        self.input.flush().await
    }
}

impl Drop for Program {
    fn drop(&mut self) {
        for signal in [Signal::HUP, Signal::TERM, Signal::CONT] {
            // ESRCH (already gone) is the usual, expected answer.
            let _ = rustix::process::kill_process_group(self.pgid, signal);
        }
        self.task.abort();
    }
}

fn kill_group(pgid: rustix::process::Pid) {
    // ESRCH (already gone) is the usual, expected answer.
    let _ = rustix::process::kill_process_group(pgid, Signal::KILL);
}

fn io_error(e: pty_process::Error) -> std::io::Error {
    match e {
        pty_process::Error::Io(e) => e,
        other => std::io::Error::other(other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use std::time::Instant;

    use super::*;

    /// Polls `program` until its foreground group is running (`want`), or
    /// five seconds pass; returns the last answer.
    async fn until_running(program: &Program, want: bool) -> Option<bool> {
        let deadline = Instant::now() + Duration::from_secs(5);
        loop {
            let now = program.foreground_running();
            if now == Some(want) || Instant::now() >= deadline {
                return now;
            }
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    }

    #[test]
    fn tells_a_busy_program_from_a_waiting_one() {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        // Readers are spawned on the recording thread's LocalSet.
        tokio::task::LocalSet::new().block_on(&runtime, async {
            let (tx, _rx) = mpsc::channel(64);
            let launch = |script: &str| Launch {
                program: "sh".into(),
                args: vec!["-c".into(), script.into()],
                size: Size { cols: 80, rows: 24 },
                // `sleep` is found on PATH.
                env: std::env::var_os("PATH")
                    .map(|p| ("PATH".into(), p))
                    .into_iter()
                    .collect(),
                cwd: None,
            };
            let busy = Program::spawn(0, &launch("while :; do :; done"), tx.clone()).unwrap();
            let sleeping = Program::spawn(1, &launch("sleep 30; echo"), tx).unwrap();
            assert_eq!(until_running(&busy, true).await, Some(true), "a loop runs");
            // sh waits for sleep, which waits for its timer.
            assert_eq!(until_running(&sleeping, false).await, Some(false), "a sleep waits");
        });
    }
}
