//! The shape of the code: dependencies between the crate's top-level
//! modules point one way (no cycle), and the crate documentation's Layout
//! section names every one of them. Read from the sources, as a reviewer
//! would read them.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn src() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// The top-level modules declared in `lib.rs`.
fn top_level_modules() -> BTreeSet<String> {
    let lib = std::fs::read_to_string(src().join("lib.rs")).unwrap();
    lib.lines()
        .filter_map(|l| l.trim().strip_prefix("pub mod "))
        .map(|rest| rest.trim_end_matches(';').to_string())
        .collect()
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Which top-level module each other one names (`crate::x`), code only.
fn dependencies(modules: &BTreeSet<String>) -> BTreeMap<String, BTreeSet<String>> {
    let mut files = Vec::new();
    rust_files(&src(), &mut files);
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in files {
        let relative = file.strip_prefix(src()).unwrap();
        let first = relative.components().next().unwrap().as_os_str();
        let owner = first.to_string_lossy().trim_end_matches(".rs").to_string();
        if !modules.contains(&owner) {
            continue; // lib.rs, main.rs
        }
        let text = std::fs::read_to_string(&file).unwrap();
        for line in text.lines().map(str::trim) {
            if line.starts_with("//") {
                continue;
            }
            for (at, _) in line.match_indices("crate::") {
                let name: String = line[at + 7..]
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                if name != owner && modules.contains(&name) {
                    graph.entry(owner.clone()).or_default().insert(name);
                }
            }
        }
    }
    graph
}

/// A cycle through `start`, if there is one, as the path that closes it.
fn cycle_from(
    start: &str,
    graph: &BTreeMap<String, BTreeSet<String>>,
    path: &mut Vec<String>,
) -> Option<Vec<String>> {
    let here = path.last().unwrap().clone();
    for next in graph.get(&here).into_iter().flatten() {
        if next == start {
            let mut cycle = path.clone();
            cycle.push(next.clone());
            return Some(cycle);
        }
        if !path.contains(next) {
            path.push(next.clone());
            if let Some(cycle) = cycle_from(start, graph, path) {
                return Some(cycle);
            }
            path.pop();
        }
    }
    None
}

#[test]
fn the_top_level_modules_depend_on_each_other_one_way() {
    let modules = top_level_modules();
    assert!(modules.len() > 10, "{modules:?}");
    let graph = dependencies(&modules);
    assert!(
        graph.get("web").is_some_and(|d| d.contains("store")),
        "the graph is read: web uses store"
    );
    for module in &modules {
        let mut path = vec![module.clone()];
        if let Some(cycle) = cycle_from(module, &graph, &mut path) {
            panic!(
                "the modules depend on each other in a cycle: {}",
                cycle.join(" → ")
            );
        }
    }
    for lower in ["domain", "entities"] {
        let uses: Vec<_> = graph.get(lower).into_iter().flatten().collect();
        let allowed: &[&str] = if lower == "domain" { &[] } else { &["domain"] };
        assert!(
            uses.iter().all(|u| allowed.contains(&u.as_str())),
            "{lower} must not depend on {uses:?}"
        );
    }
    let store_uses = graph.get("store").cloned().unwrap_or_default();
    assert!(
        store_uses.iter().all(|u| u == "domain" || u == "entities"),
        "store depends only on domain and entities, not {store_uses:?}"
    );
}

#[test]
fn the_crate_documentation_names_every_top_level_module() {
    let lib = std::fs::read_to_string(src().join("lib.rs")).unwrap();
    let layout: String = lib
        .lines()
        .skip_while(|l| !l.starts_with("//! # Layout"))
        .take_while(|l| l.starts_with("//!"))
        .collect::<Vec<_>>()
        .join("\n");
    for module in top_level_modules() {
        assert!(
            layout.contains(&format!("[`{module}`]")),
            "the Layout section of lib.rs does not name `{module}`"
        );
    }
}
