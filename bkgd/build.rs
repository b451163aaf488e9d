//! - Rebuilds bkgd when the web UI's build changes, so a release binary embeds the current UI:
//!   rust-embed includes the files at compile time in release builds (debug builds read them
//!   from disk at run time and need no rebuild).
//! - Stamps the commit bkgd is built from into `BKG_COMMIT` (for `bkgd --version` and
//!   `/healthz`): `$BKG_COMMIT` when the builder sets it (a source tarball, a container build
//!   without `.git`), else `git rev-parse` of the checkout, else "unknown".

use std::path::Path;
use std::process::Command;

fn main() {
    println!("cargo::rerun-if-changed=build.rs");
    if std::env::var("PROFILE").as_deref() == Ok("release") {
        println!("cargo::rerun-if-changed=../admin-ui/dist/admin-ui/browser");
    }
    println!("cargo:rerun-if-env-changed=BKG_COMMIT");
    let commit = std::env::var("BKG_COMMIT").ok().filter(|c| !c.trim().is_empty()).or_else(git_commit);
    println!("cargo:rustc-env=BKG_COMMIT={}", commit.as_deref().unwrap_or("unknown").trim());
}

fn git_commit() -> Option<String> {
    let manifest = std::env::var("CARGO_MANIFEST_DIR").ok()?;
    let out = Command::new("git")
        .args(["-C", &manifest, "rev-parse", "--short=12", "HEAD"])
        .output()
        .ok()
        .filter(|o| o.status.success())?;
    // Rebuild when HEAD moves: HEAD itself (a checkout) and the branch it points at (a commit).
    if let Some(git_dir) = Command::new("git")
        .args(["-C", &manifest, "rev-parse", "--absolute-git-dir"])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .and_then(|o| String::from_utf8(o.stdout).ok())
    {
        let git_dir = Path::new(git_dir.trim());
        let mut watched = vec![git_dir.join("HEAD"), git_dir.join("packed-refs")];
        if let Ok(head) = std::fs::read_to_string(git_dir.join("HEAD"))
            && let Some(reference) = head.strip_prefix("ref: ")
        {
            watched.push(git_dir.join(reference.trim()));
        }
        // Only files that exist: cargo reruns a build script on every build for a missing one.
        for path in watched.iter().filter(|p| p.exists()) {
            println!("cargo:rerun-if-changed={}", path.display());
        }
    }
    String::from_utf8(out.stdout).ok()
}
