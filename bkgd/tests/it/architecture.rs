//! The layering of bkgd, checked: which area of `bkgd/src` may use which (ARCHITECTURE.md,
//! "Layers"), and the size limit on source files. Areas are the top-level modules; a reference
//! is any `crate::<area>` outside a comment. The rule is "downwards only": the table below is
//! acyclic (checked too), so no two areas depend on each other.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Each area and the areas it may use. Adding an edge is a design decision: update
/// ARCHITECTURE.md with it.
const MAY_USE: &[(&str, &[&str])] = &[
    ("config", &[]),
    ("error", &[]),
    ("private_fs", &[]),
    ("tls", &["config", "private_fs"]),
    ("store", &["error", "private_fs"]),
    ("logs", &["config", "private_fs"]),
    ("events", &["logs"]),
    ("usage", &["config", "store"]),
    ("auth", &["config", "error", "events", "private_fs", "store"]),
    ("models", &["auth", "config", "error", "events", "private_fs", "store", "usage"]),
    ("supervisor", &["auth", "events", "logs", "models", "private_fs", "store"]),
    ("telemetry", &["events", "logs", "supervisor"]),
    (
        "api",
        &["auth", "config", "error", "events", "logs", "models", "store", "supervisor", "telemetry", "usage"],
    ),
];

/// `lib.rs` wires everything together and `main.rs` is the binary: they may use any area.
const WIRING: &[&str] = &["lib", "main"];

const MAX_LINES: usize = 800;

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
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

/// The area a file of `bkgd/src` belongs to: its top-level module.
fn area_of(file: &Path) -> String {
    let rel = file.strip_prefix(src()).unwrap();
    let first = rel.components().next().unwrap().as_os_str().to_string_lossy().into_owned();
    first.trim_end_matches(".rs").to_string()
}

/// Every `crate::<name>` in the code of `text`, comments removed.
fn crate_refs(text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for line in text.lines() {
        let code = line.split("//").next().unwrap_or("");
        let mut rest = code;
        while let Some(at) = rest.find("crate::") {
            let after = &rest[at + "crate::".len()..];
            let name: String = after.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
            // `$crate::` in macros and `bkg_core::`-style paths are not ours.
            let before = &rest[..at];
            if !name.is_empty() && !before.ends_with('$') && !before.ends_with('_') && !before.ends_with(':')
            {
                out.insert(name);
            }
            rest = after;
        }
    }
    out
}

#[test]
fn areas_use_only_the_areas_below_them() {
    let rules: BTreeMap<&str, BTreeSet<&str>> =
        MAY_USE.iter().map(|(a, deps)| (*a, deps.iter().copied().collect())).collect();
    let mut files = Vec::new();
    rust_files(&src(), &mut files);
    let mut violations = Vec::new();
    for file in &files {
        let area = area_of(file);
        if WIRING.contains(&area.as_str()) {
            continue;
        }
        let allowed = rules.get(area.as_str()).unwrap_or_else(|| {
            panic!("{}: the area {area:?} is not in MAY_USE; add it with what it may use", file.display())
        });
        let text = std::fs::read_to_string(file).unwrap();
        for used in crate_refs(&text) {
            if used != area && !allowed.contains(used.as_str()) {
                violations
                    .push(format!("{} uses crate::{used}", file.strip_prefix(src()).unwrap().display()));
            }
        }
    }
    assert!(
        violations.is_empty(),
        "layering violations (see ARCHITECTURE.md, \"Layers\"):\n{}",
        violations.join("\n")
    );
}

/// Areas that may know HTTP: the API itself and the TLS setup of the server.
const HTTP_AREAS: &[&str] = &["api", "tls"];

#[test]
fn only_the_api_knows_http() {
    let mut files = Vec::new();
    rust_files(&src(), &mut files);
    let mut violations = Vec::new();
    for file in &files {
        let area = area_of(file);
        if WIRING.contains(&area.as_str()) || HTTP_AREAS.contains(&area.as_str()) {
            continue;
        }
        let text = std::fs::read_to_string(file).unwrap();
        let uses_axum = text.lines().any(|l| {
            let code = l.split("//").next().unwrap_or("");
            code.contains("axum::") || code.contains("axum_server")
        });
        if uses_axum {
            violations.push(file.strip_prefix(src()).unwrap().display().to_string());
        }
    }
    assert!(
        violations.is_empty(),
        "domain code names axum (map errors in api/error.rs instead):\n{}",
        violations.join("\n")
    );
}

#[test]
fn the_layering_has_no_cycle() {
    // Repeatedly remove the areas that use nothing left; whatever remains is a cycle.
    let mut left: BTreeMap<&str, BTreeSet<&str>> =
        MAY_USE.iter().map(|(a, deps)| (*a, deps.iter().copied().collect())).collect();
    while let Some(leaf) = left.iter().find(|(_, deps)| deps.is_empty()).map(|(a, _)| *a) {
        left.remove(leaf);
        for deps in left.values_mut() {
            deps.remove(leaf);
        }
    }
    assert!(left.is_empty(), "MAY_USE has a cycle among {:?}", left.keys().collect::<Vec<_>>());
}

#[test]
fn no_source_file_is_over_800_lines() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let listed =
        std::process::Command::new("git").arg("-C").arg(&root).args(["ls-files", "-z"]).output().unwrap();
    assert!(listed.status.success(), "git ls-files failed");
    let generated = ["admin-ui/src/app/core/api/schema.ts"];
    let mut long = Vec::new();
    for name in listed.stdout.split(|b| *b == 0).filter(|n| !n.is_empty()) {
        let name = String::from_utf8_lossy(name).into_owned();
        let source = [".rs", ".ts", ".py", ".js", ".mjs", ".html", ".scss"].iter().any(|e| name.ends_with(e));
        if !source || generated.contains(&name.as_str()) {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(root.join(&name)) else { continue };
        let lines = text.lines().count();
        if lines > MAX_LINES {
            long.push(format!("{name}: {lines} lines"));
        }
    }
    assert!(
        long.is_empty(),
        "split these by what they own (at most {MAX_LINES} lines):\n{}",
        long.join("\n")
    );
}
