//! Makes sure no process a recording started outlives it.
//!
//! Each pane's program runs in its own process group, which is killed when
//! the program ends. A program may still leave something behind: a daemon
//! that forks and calls `setsid` leaves the group and would be adopted by
//! init. Director marks itself a child subreaper, so such orphans are
//! adopted by director instead, and kills every descendant when done.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use rustix::process::{Pid, Signal, WaitOptions};

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
    let parents = parents();
    for pid in pids.iter().filter(|p| parents.get(p) == Some(&me)) {
        let Some(pid) = Pid::from_raw(*pid) else { continue };
        while Instant::now() < deadline {
            match rustix::process::waitpid(Some(pid), WaitOptions::NOHANG) {
                Ok(Some(_)) | Err(_) => break,
                Ok(None) => std::thread::sleep(Duration::from_millis(2)),
            }
        }
    }
}

/// Every living (not zombie) descendant of `root`.
fn descendants(root: i32) -> Vec<i32> {
    let parents = parents();
    let mut found = Vec::new();
    let mut frontier = vec![root];
    while let Some(p) = frontier.pop() {
        for (&child, &parent) in &parents {
            if parent == p && !found.contains(&child) {
                found.push(child);
                frontier.push(child);
            }
        }
    }
    found.retain(|pid| !is_zombie(*pid));
    found
}

/// Process id → parent id, from `/proc`.
fn parents() -> HashMap<i32, i32> {
    let mut map = HashMap::new();
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return map;
    };
    for entry in dir.flatten() {
        let Some(pid) = entry.file_name().to_str().and_then(|n| n.parse::<i32>().ok()) else {
            continue;
        };
        if let Some((_, ppid)) = stat(pid) {
            map.insert(pid, ppid);
        }
    }
    map
}

fn is_zombie(pid: i32) -> bool {
    stat(pid).is_some_and(|(state, _)| state == 'Z')
}

/// The state and parent of a process: `/proc/PID/stat` is
/// `pid (comm) state ppid …`, and comm may hold spaces and parentheses.
fn stat(pid: i32) -> Option<(char, i32)> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let rest = &text[text.rfind(')')? + 1..];
    let mut fields = rest.split_whitespace();
    let state = fields.next()?.chars().next()?;
    let ppid = fields.next()?.parse().ok()?;
    Some((state, ppid))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_its_own_parent() {
        let me = rustix::process::getpid().as_raw_nonzero().get();
        let parent = rustix::process::getppid().map_or(0, |p| p.as_raw_nonzero().get());
        assert_eq!(stat(me).map(|(_, ppid)| ppid), Some(parent));
        assert!(parents().contains_key(&me));
    }
}
