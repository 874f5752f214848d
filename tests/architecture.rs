//! The crate's modules depend on each other one way only: data flows
//! scene → director → process/screen → timeline → asciicast, and `cmd`
//! sits on top. These tests read the sources' `use crate::…`, `crate::…`
//! and `super::…` paths and fail on an import cycle, between top-level
//! modules or between the files of one module, and on anything below
//! `cmd` reaching up into it. Test code (`tests.rs`, `*_tests.rs`, a
//! trailing `#[cfg(test)] mod tests`) is left out: tests may look anywhere.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// A module by its path below `src`, e.g. `["scene", "validate", "steps"]`.
type Module = Vec<String>;

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// Every library source file (not `main.rs`) with its module path and its
/// code without the tests.
fn sources() -> Vec<(Module, String)> {
    let mut files = Vec::new();
    let mut stack = vec![src()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let name = path.file_name().unwrap().to_str().unwrap();
            if !name.ends_with(".rs") || name == "main.rs" || name == "tests.rs" || name.ends_with("_tests.rs") {
                continue;
            }
            let relative = path.strip_prefix(src()).unwrap().with_extension("");
            let mut module: Module = relative.iter().map(|p| p.to_str().unwrap().to_string()).collect();
            if matches!(module.last().map(String::as_str), Some("mod" | "lib")) {
                module.pop();
            }
            let text = std::fs::read_to_string(&path).unwrap();
            let code = match text.find("#[cfg(test)]\nmod tests") {
                Some(at) => text[..at].to_string(),
                None => text,
            };
            files.push((module, code));
        }
    }
    files
}

/// The module paths a file's code names, resolved against `module`.
fn references(module: &Module, code: &str) -> BTreeSet<Module> {
    let mut found = BTreeSet::new();
    for line in code.lines() {
        let line = line.trim_start();
        if line.starts_with("//") {
            continue;
        }
        let mut rest = line;
        while let Some(at) = rest.find("crate::").or_else(|| rest.find("super::")) {
            let (base, after) = if rest[at..].starts_with("crate::") {
                (Vec::new(), &rest[at + "crate::".len()..])
            } else {
                // `super::` from a file: its parent module (a `mod.rs` is the
                // module itself, whose parent is one up).
                let mut base = module.clone();
                let mut after = &rest[at..];
                while let Some(tail) = after.strip_prefix("super::") {
                    base.pop();
                    after = tail;
                }
                (base, after)
            };
            resolve(base, after, &mut found);
            rest = &after[after.len().min(1)..];
        }
    }
    found
}

/// Adds the module that `path` (the text after `crate::` or `super::`)
/// names below `base`, and with braces (`{a::X, b}`) each item's.
fn resolve(mut base: Module, path: &str, found: &mut BTreeSet<Module>) {
    let mut rest = path;
    loop {
        if let Some(inner) = rest.strip_prefix('{') {
            let inner = &inner[..inner.find('}').unwrap_or(inner.len())];
            for item in inner.split(',') {
                resolve(base.clone(), item.trim(), found);
            }
            return;
        }
        let name: String = rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
        if name.is_empty() || !is_module(&base, &name) {
            break;
        }
        base.push(name);
        match rest[base.last().unwrap().len()..].strip_prefix("::") {
            Some(tail) => rest = tail,
            None => break,
        }
    }
    if !base.is_empty() {
        found.insert(base);
    }
}

/// Whether `parent::name` is a module of the crate (a file or a folder).
fn is_module(parent: &Module, name: &str) -> bool {
    let dir: PathBuf = parent.iter().fold(src(), |p, s| p.join(s));
    dir.join(format!("{name}.rs")).is_file() || dir.join(name).is_dir()
}

/// A cycle in `graph`, if there is one, as the modules along it.
fn cycle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        state: &mut BTreeMap<String, bool>,
        path: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        match state.get(node) {
            Some(true) => {
                let start = path.iter().position(|n| n == node).unwrap();
                let mut cycle = path[start..].to_vec();
                cycle.push(node.to_string());
                return Some(cycle);
            }
            Some(false) => return None,
            None => {}
        }
        state.insert(node.to_string(), true);
        path.push(node.to_string());
        for next in graph.get(node).into_iter().flatten() {
            if let Some(found) = visit(next, graph, state, path) {
                return Some(found);
            }
        }
        path.pop();
        state.insert(node.to_string(), false);
        None
    }
    let mut state = BTreeMap::new();
    graph
        .keys()
        .find_map(|node| visit(node, graph, &mut state, &mut Vec::new()))
}

/// Edges between the modules `depth` deep that share their first
/// `depth - 1` segments (depth 1: the top-level modules).
fn graph(depth: usize) -> BTreeMap<String, BTreeSet<String>> {
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (module, code) in sources() {
        if module.len() < depth {
            continue;
        }
        let from = &module[..depth];
        for to in references(&module, &code) {
            if to.len() < depth || to[..depth - 1] != from[..depth - 1] || to[..depth] == *from {
                continue;
            }
            graph.entry(from.join("::")).or_default().insert(to[..depth].join("::"));
        }
    }
    graph
}

#[test]
fn the_reference_reader_sees_the_crates_imports() {
    // Guards the test itself: without these edges it would pass on anything.
    let top = graph(1);
    assert!(top["director"].contains("screen"), "{top:?}");
    assert!(top["director"].contains("scene"), "{top:?}");
    assert!(top["cmd"].contains("record"), "{top:?}");
    let mut made_up = top.clone();
    made_up.entry("screen".into()).or_default().insert("director".into());
    assert!(cycle(&made_up).is_some());
}

#[test]
fn top_level_modules_import_one_way() {
    let top = graph(1);
    if let Some(cycle) = cycle(&top) {
        panic!("import cycle between modules: {}", cycle.join(" → "));
    }
    let into_cmd: Vec<&String> = top
        .iter()
        .filter(|(_, to)| to.contains("cmd"))
        .map(|(m, _)| m)
        .collect();
    assert!(into_cmd.is_empty(), "modules below cmd import it: {into_cmd:?}");
}

#[test]
fn the_files_of_a_module_import_one_way() {
    for depth in 2..=3 {
        if let Some(cycle) = cycle(&graph(depth)) {
            panic!("import cycle inside a module: {}", cycle.join(" → "));
        }
    }
}

#[test]
fn braces_and_super_resolve_to_modules() {
    let mut found = BTreeSet::new();
    resolve(vec![], "screen::{emulator::Emulator, layout}", &mut found);
    resolve(vec!["scene".into()], "node::Node", &mut found);
    resolve(vec![], "scene::Scene", &mut found);
    let found: Vec<String> = found.iter().map(|m| m.join("::")).collect();
    assert_eq!(found, ["scene", "scene::node", "screen::emulator", "screen::layout"]);
}
