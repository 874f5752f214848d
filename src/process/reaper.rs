//! Makes sure no process a recording started outlives it.
//!
//! Each pane's program runs in its own process group, which is killed when
//! the program ends. A program may still leave something behind: a daemon
//! that forks and calls `setsid` leaves the group and would be adopted by
//! init. Director marks itself a child subreaper, so such orphans are
//! adopted by director instead, and ends every descendant when done: first
//! as a closed terminal and `kill` would (SIGHUP, SIGTERM), then, after a
//! short grace, with SIGKILL for whatever ignored them.

use std::time::{Duration, Instant};

use rustix::process::{Pid, Signal, WaitOptions};

use super::tree::{descendants_of_process, stat};

/// Makes orphaned descendants children of this process (Linux only).
pub fn adopt_orphans() -> std::io::Result<()> {
    rustix::process::set_child_subreaper(Some(rustix::process::getpid()))?;
    Ok(())
}

/// How long descendants have to end by themselves after SIGHUP and SIGTERM.
pub const GRACE: Duration = Duration::from_millis(250);
const POLL: Duration = Duration::from_millis(5);

/// How to find this process's descendants.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Find {
    /// Follow each thread's `children` file: fast, and right when every
    /// program was started by a thread that is still alive (`record`
    /// starts them on its main thread).
    Walk,
    /// Look at every process's parent in `/proc`: slower (a few ms), but
    /// it also finds the children of threads that just ended, which the
    /// kernel lists under no living thread for a moment (`build` records on
    /// threads that are gone by the time it cleans up).
    Scan,
}

fn descendants(me: i32, find: Find) -> Vec<i32> {
    match find {
        Find::Walk => super::tree::descendants(me),
        Find::Scan => descendants_of_process(me),
    }
}

/// Ends every descendant of this process: SIGHUP, SIGTERM and SIGCONT (a
/// stopped process cannot act on the others), up to `grace` for them to
/// go, then SIGKILL for the rest. Returns how many were still there for SIGKILL.
pub fn end_descendants(grace: Duration, find: Find) -> usize {
    let me = rustix::process::getpid().as_raw_nonzero().get();
    let found = descendants(me, find);
    if found.is_empty() {
        return 0;
    }
    for signal in [Signal::HUP, Signal::TERM, Signal::CONT] {
        for pid in found.iter().filter_map(|p| Pid::from_raw(*p)) {
            let _ = rustix::process::kill_process(pid, signal);
        }
    }
    let deadline = Instant::now() + grace;
    loop {
        // Zombies do not count: they have ended.
        if descendants(me, find).is_empty() {
            return 0;
        }
        if Instant::now() >= deadline {
            return kill_descendants(find);
        }
        std::thread::sleep(POLL);
    }
}

/// Kills every descendant of this process with SIGKILL and reaps the ones
/// that were adopted; returns how many were killed.
pub fn kill_descendants(find: Find) -> usize {
    let me = rustix::process::getpid().as_raw_nonzero().get();
    let mut killed = 0;
    // Killing a parent can reparent its children to us: look again until
    // nothing is left (bounded, in case something keeps forking).
    for _ in 0..10 {
        let found = descendants(me, find);
        if found.is_empty() {
            break;
        }
        for pid in &found {
            if let Some(pid) = Pid::from_raw(*pid)
                && rustix::process::kill_process(pid, Signal::KILL).is_ok()
            {
                killed += 1;
            }
        }
        reap(&found, me);
    }
    killed
}

/// Waits briefly for killed children of ours to die, so none is left a zombie.
fn reap(pids: &[i32], me: i32) {
    let deadline = Instant::now() + Duration::from_millis(500);
    for pid in pids.iter().filter(|p| stat(**p).is_some_and(|s| s.ppid == me)) {
        let Some(pid) = Pid::from_raw(*pid) else { continue };
        while Instant::now() < deadline {
            match rustix::process::waitpid(Some(pid), WaitOptions::NOHANG) {
                Ok(Some(_)) | Err(_) => break,
                Ok(None) => std::thread::sleep(Duration::from_millis(2)),
            }
        }
    }
}
