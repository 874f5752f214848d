//! Makes sure no process a recording started outlives it.
//!
//! Each pane's program runs in its own process group, which is killed when
//! the program ends. A program may still leave something behind: a daemon
//! that forks and calls `setsid` leaves the group and would be adopted by
//! init. Director marks itself a child subreaper, so such orphans are
//! adopted by director instead, and kills every descendant when done.

use std::time::{Duration, Instant};

use rustix::process::{Pid, Signal, WaitOptions};

use super::procs::{descendants, stat};

/// Makes orphaned descendants children of this process (Linux only).
pub fn adopt_orphans() -> std::io::Result<()> {
    rustix::process::set_child_subreaper(Some(rustix::process::getpid()))?;
    Ok(())
}

/// Kills every descendant of this process and reaps the ones that were
/// adopted; returns how many were killed.
pub fn kill_descendants() -> usize {
    let me = rustix::process::getpid().as_raw_nonzero().get();
    let mut killed = 0;
    // Killing a parent can reparent its children to us: look again until
    // nothing is left (bounded, in case something keeps forking).
    for _ in 0..10 {
        let found = descendants(me);
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
