//! The layering of bkgd, checked. The domain is one crate per layer under `bkgd/crates/`, so the
//! compiler refuses a reference upwards; these tests pin the crate graph to the documented one
//! (ARCHITECTURE.md, "Layers"), keep HTTP out of the domain crates, hold the modules left in the
//! `bkgd` crate (api, telemetry, tls) to their table, and limit source files to 800 lines.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Each domain crate and the domain crates it depends on. Adding an edge is a design decision:
/// update ARCHITECTURE.md with it.
const CRATES: &[(&str, &[&str])] = &[
    ("bkgd-base", &[]),
    ("bkgd-store", &["bkgd-base"]),
    ("bkgd-events", &["bkgd-base"]),
    ("bkgd-auth", &["bkgd-base", "bkgd-events", "bkgd-store"]),
    ("bkgd-models", &["bkgd-auth", "bkgd-base", "bkgd-events", "bkgd-store"]),
    ("bkgd-supervisor", &["bkgd-auth", "bkgd-base", "bkgd-events", "bkgd-models", "bkgd-store"]),
];

/// Crates that speak HTTP as a server; no domain crate may depend on them.
const HTTP_CRATES: &[&str] = &["axum", "axum-server", "tower", "tower-http", "http", "utoipa-axum"];

/// The modules of the `bkgd` crate itself and the areas they may use (the domain crates are
/// re-exported at its root under their module names).
const MAY_USE: &[(&str, &[&str])] = &[
    ("tls", &["config", "private_fs"]),
    ("notify", &[]),
    ("telemetry", &["config", "events", "logs", "supervisor"]),
    // `COMMIT` is lib.rs's build stamp, not an area.
    ("cluster", &["COMMIT", "config", "events", "private_fs", "store", "supervisor"]),
    (
        "api",
        &[
            "COMMIT",
            "auth",
            "cluster",
            "config",
            "error",
            "events",
            "logs",
            "memory",
            "models",
            "store",
            "supervisor",
            "telemetry",
            "usage",
        ],
    ),
];

/// `lib.rs` wires everything together and `main.rs` is the binary: they may use any area.
const WIRING: &[&str] = &["lib", "main"];

fn crates_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("crates")
}

/// The `[dependencies]` of a manifest, by name.
fn dependencies(manifest: &Path) -> BTreeSet<String> {
    let text = std::fs::read_to_string(manifest).unwrap();
    let doc: toml::Table = toml::from_str(&text).unwrap();
    doc.get("dependencies")
        .and_then(|d| d.as_table())
        .map(|t| t.keys().cloned().collect())
        .unwrap_or_default()
}

#[test]
fn the_domain_crates_depend_on_the_layers_below_only() {
    let mut seen = BTreeSet::new();
    for entry in std::fs::read_dir(crates_dir()).unwrap() {
        let manifest = entry.unwrap().path().join("Cargo.toml");
        let text = std::fs::read_to_string(&manifest).unwrap();
        let doc: toml::Table = toml::from_str(&text).unwrap();
        let name = doc["package"]["name"].as_str().unwrap().to_string();
        let deps = dependencies(&manifest);
        let ours: BTreeSet<&str> =
            deps.iter().map(String::as_str).filter(|d| d.starts_with("bkgd")).collect();
        let want: BTreeSet<&str> = CRATES
            .iter()
            .find(|(c, _)| *c == name)
            .unwrap_or_else(|| panic!("{name} is not in CRATES; add it with the layers it may use"))
            .1
            .iter()
            .copied()
            .collect();
        assert_eq!(ours, want, "{name}: its bkgd dependencies differ from the documented layers");
        let http: Vec<&str> = HTTP_CRATES.iter().copied().filter(|h| deps.contains(*h)).collect();
        assert!(http.is_empty(), "{name} depends on {http:?}: domain code does not know HTTP");
        seen.insert(name);
    }
    let all: BTreeSet<String> = CRATES.iter().map(|(c, _)| c.to_string()).collect();
    assert_eq!(seen, all, "every documented layer is a crate under bkgd/crates");
}

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

const MAX_LINES: usize = 800;

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

#[test]
fn the_layering_has_no_cycle() {
    // Repeatedly remove the areas that use nothing left; whatever remains is a cycle.
    let mut left: BTreeMap<&str, BTreeSet<&str>> =
        CRATES.iter().map(|(a, deps)| (*a, deps.iter().copied().collect())).collect();
    while let Some(leaf) = left.iter().find(|(_, deps)| deps.is_empty()).map(|(a, _)| *a) {
        left.remove(leaf);
        for deps in left.values_mut() {
            deps.remove(leaf);
        }
    }
    assert!(left.is_empty(), "CRATES has a cycle among {:?}", left.keys().collect::<Vec<_>>());
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
