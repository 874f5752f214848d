//! Makes sure no process a recording started outlives it.
//!
//! Each pane's program runs in its own process group, which is killed when
//! the program ends. A program may still leave something behind: a daemon
//! that forks and calls `setsid` leaves the group and would be adopted by
//! init. Director marks itself a child subreaper, so such orphans are
//! adopted by director instead, and kills every descendant when done.

use std::collections::HashMap;
use std::path::Path;
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
    for pid in pids
        .iter()
        .filter(|p| stat(**p).is_some_and(|(_, parent)| parent == me))
    {
        let Some(pid) = Pid::from_raw(*pid) else { continue };
        while Instant::now() < deadline {
            match rustix::process::waitpid(Some(pid), WaitOptions::NOHANG) {
                Ok(Some(_)) | Err(_) => break,
                Ok(None) => std::thread::sleep(Duration::from_millis(2)),
            }
        }
    }
}

/// Every living (not zombie) descendant of `root`: followed from parent to
/// children through `/proc/PID/task/TID/children`, or, where the kernel
/// lacks those files, found among every process in `/proc`.
fn descendants(root: i32) -> Vec<i32> {
    if !Path::new(&format!("/proc/{root}/task/{root}/children")).exists() {
        return descendants_by_scan(root);
    }
    living(walk(root, |p| children_of(p).unwrap_or_default()))
}

/// Every process below `root`, given a process's children.
fn walk(root: i32, children: impl Fn(i32) -> Vec<i32>) -> Vec<i32> {
    let mut found = Vec::new();
    let mut frontier = vec![root];
    while let Some(p) = frontier.pop() {
        for child in children(p) {
            if !found.contains(&child) {
                found.push(child);
                frontier.push(child);
            }
        }
    }
    found
}

fn living(mut pids: Vec<i32>) -> Vec<i32> {
    pids.retain(|pid| !is_zombie(*pid));
    pids
}

/// The children of every thread of `pid`; `None` when that cannot be read.
fn children_of(pid: i32) -> Option<Vec<i32>> {
    let mut children = Vec::new();
    for task in std::fs::read_dir(format!("/proc/{pid}/task")).ok()?.flatten() {
        let list = std::fs::read_to_string(Path::new(&task.path()).join("children")).ok()?;
        children.extend(list.split_whitespace().filter_map(|c| c.parse::<i32>().ok()));
    }
    Some(children)
}

fn descendants_by_scan(root: i32) -> Vec<i32> {
    let parents = parents();
    living(walk(root, |p| {
        parents
            .iter()
            .filter(|&(_, &up)| up == p)
            .map(|(&child, _)| child)
            .collect()
    }))
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

    #[test]
    fn finds_grandchildren_by_following_children_and_by_scanning() {
        // sh starts sleep and waits: a child and a grandchild of this test.
        let mut child = std::process::Command::new("sh")
            .args(["-c", "sleep 30 & wait"])
            .spawn()
            .unwrap();
        let me = rustix::process::getpid().as_raw_nonzero().get();
        let sh = child.id() as i32;
        let child_of_sh = |pids: &[i32]| pids.iter().copied().find(|p| stat(*p).is_some_and(|(_, up)| up == sh));
        let deadline = Instant::now() + Duration::from_secs(5);
        let mut found = descendants(me);
        while child_of_sh(&found).is_none() && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(10));
            found = descendants(me);
        }
        let scanned = descendants_by_scan(me);
        let (grandchild, scanned_grandchild) = (child_of_sh(&found), child_of_sh(&scanned));
        let _ = child.kill();
        let _ = child.wait();
        // Other tests may start processes meanwhile: compare these two only.
        assert!(found.contains(&sh) && scanned.contains(&sh), "{found:?} {scanned:?}");
        assert!(grandchild.is_some(), "{found:?}");
        assert_eq!(scanned_grandchild, grandchild);
        if let Some(pid) = grandchild.and_then(Pid::from_raw) {
            let _ = rustix::process::kill_process(pid, Signal::KILL);
        }
    }
}
