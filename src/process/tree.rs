//! What Linux's `/proc` tells of processes: their state, parent and process
//! group, and which of a pane's processes the terminal's keys reach.
//! Elsewhere every question answers "unknown".

use std::collections::HashMap;
use std::path::Path;

/// The fields of `/proc/PID/stat` director reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stat {
    /// `R` running, `S` sleeping, `Z` zombie, …
    pub state: char,
    pub ppid: i32,
    pub pgrp: i32,
    /// The foreground process group of the process's terminal.
    pub tpgid: i32,
}

/// Parses `pid (comm) state ppid pgrp session tty_nr tpgid …`, where comm
/// may hold spaces and parentheses.
fn parse(text: &str) -> Option<Stat> {
    let rest = &text[text.rfind(')')? + 1..];
    let mut fields = rest.split_whitespace();
    let state = fields.next()?.chars().next()?;
    let ppid = fields.next()?.parse().ok()?;
    let pgrp = fields.next()?.parse().ok()?;
    let tpgid = fields.nth(2)?.parse().ok()?;
    Some(Stat {
        state,
        ppid,
        pgrp,
        tpgid,
    })
}

pub fn stat(pid: i32) -> Option<Stat> {
    parse(&std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?)
}

/// Whether the terminal's foreground group, among `leader` and its
/// descendants, is busy rather than waiting (for input, a timer, a child):
/// one of its processes is running (or in a disk wait), or none of them
/// lives any more — a command has ended and its shell has not yet taken
/// the terminal back to draw its prompt. A script is running between
/// printing a line and sleeping: forking, or a child not yet become
/// `sleep`. `None` when `/proc` cannot tell (the leader is gone, or this
/// is not Linux).
pub fn foreground_running(leader: i32) -> Option<bool> {
    let own = stat(leader)?;
    let mut alive = false;
    // Each process's stat is read once.
    for process in std::iter::once(own).chain(all_descendants(leader).into_iter().filter_map(stat)) {
        if process.pgrp != own.tpgid {
            continue;
        }
        match process.state {
            'R' | 'D' => return Some(true),
            'Z' | 'X' => {}
            _ => alive = true,
        }
    }
    Some(!alive)
}

/// How many times the processes of the terminal's foreground group, among
/// `leader` and its descendants, have been given a CPU, summed
/// (`/proc/PID/schedstat`): it changes once one of them has run. `None`
/// when `/proc` cannot tell.
pub fn foreground_turns(leader: i32) -> Option<u64> {
    let own = stat(leader)?;
    let mut sum = 0u64;
    for pid in std::iter::once(leader).chain(all_descendants(leader)) {
        if stat(pid).is_some_and(|s| s.pgrp == own.tpgid) {
            sum = sum.wrapping_add(turns(pid)?);
        }
    }
    Some(sum)
}

/// `/proc/PID/schedstat`: time on a CPU, time waiting for one, and the
/// times given one.
fn turns(pid: i32) -> Option<u64> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/schedstat")).ok()?;
    text.split_whitespace().nth(2)?.parse().ok()
}

/// Every living (not zombie) descendant of `root`.
pub fn descendants(root: i32) -> Vec<i32> {
    let mut pids = all_descendants(root);
    pids.retain(|pid| !is_zombie(*pid));
    pids
}

/// Every living descendant of `root`, found among every process in `/proc`
/// by parent. Slower than [`descendants`], but it cannot miss the children
/// of a thread of `root` that just ended: the `children` files list a child
/// under the thread that forked it until the kernel has moved it to
/// another, while its parent (a process id) stays `root` throughout.
pub fn descendants_of_process(root: i32) -> Vec<i32> {
    let mut pids = descendants_by_scan(root);
    pids.retain(|pid| !is_zombie(*pid));
    pids
}

/// Every descendant of `root`, zombies included: followed from parent to
/// children through `/proc/PID/task/TID/children`, or, where the kernel
/// lacks those files, found among every process in `/proc`.
fn all_descendants(root: i32) -> Vec<i32> {
    if !Path::new(&format!("/proc/{root}/task/{root}/children")).exists() {
        return descendants_by_scan(root);
    }
    walk(root, |p| children_of(p).unwrap_or_default())
}

fn descendants_by_scan(root: i32) -> Vec<i32> {
    let parents = parents();
    walk(root, |p| {
        parents
            .iter()
            .filter(|&(_, &up)| up == p)
            .map(|(&child, _)| child)
            .collect()
    })
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

/// The children of every thread of `pid`; `None` when that cannot be read.
fn children_of(pid: i32) -> Option<Vec<i32>> {
    let mut children = Vec::new();
    for task in std::fs::read_dir(format!("/proc/{pid}/task")).ok()?.flatten() {
        let list = std::fs::read_to_string(Path::new(&task.path()).join("children")).ok()?;
        children.extend(list.split_whitespace().filter_map(|c| c.parse::<i32>().ok()));
    }
    Some(children)
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
        if let Some(s) = stat(pid) {
            map.insert(pid, s.ppid);
        }
    }
    map
}

fn is_zombie(pid: i32) -> bool {
    stat(pid).is_some_and(|s| s.state == 'Z')
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, Instant};

    use super::*;

    fn me() -> i32 {
        rustix::process::getpid().as_raw_nonzero().get()
    }

    #[test]
    fn parses_a_name_with_spaces_and_parentheses() {
        let line = "4242 (a) b (c)) S 17 4242 4242 34816 4300 4194304 …";
        let parsed = parse(line);
        let expected = Stat {
            state: 'S',
            ppid: 17,
            pgrp: 4242,
            tpgid: 4300,
        };
        assert_eq!(parsed, Some(expected));
        assert_eq!(parse("4242 (no fields)"), None);
    }

    #[test]
    fn reads_its_own_parent_and_group() {
        let parent = rustix::process::getppid().map_or(0, |p| p.as_raw_nonzero().get());
        let pgrp = rustix::process::getpgrp().as_raw_nonzero().get();
        let own = stat(me()).unwrap();
        assert_eq!((own.ppid, own.pgrp), (parent, pgrp));
        assert!(parents().contains_key(&me()));
    }

    #[test]
    fn finds_grandchildren_by_following_children_and_by_scanning() {
        // sh starts sleep and waits: a child and a grandchild of this test.
        let mut child = std::process::Command::new("sh")
            .args(["-c", "sleep 30 & wait"])
            .spawn()
            .unwrap();
        let sh = child.id() as i32;
        let child_of_sh = |pids: &[i32]| pids.iter().copied().find(|p| stat(*p).is_some_and(|s| s.ppid == sh));
        let deadline = Instant::now() + Duration::from_secs(5);
        let mut found = descendants(me());
        while child_of_sh(&found).is_none() && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(10));
            found = descendants(me());
        }
        let scanned = descendants_by_scan(me());
        let (grandchild, scanned_grandchild) = (child_of_sh(&found), child_of_sh(&scanned));
        let _ = child.kill();
        let _ = child.wait();
        // Other tests may start processes meanwhile: compare these two only.
        assert!(found.contains(&sh) && scanned.contains(&sh), "{found:?} {scanned:?}");
        assert!(grandchild.is_some(), "{found:?}");
        assert_eq!(scanned_grandchild, grandchild);
        if let Some(pid) = grandchild.and_then(rustix::process::Pid::from_raw) {
            let _ = rustix::process::kill_process(pid, rustix::process::Signal::KILL);
        }
    }
}
