//! Rebuilds bkgd when the web UI's build changes, so a release binary embeds the current UI:
//! rust-embed includes the files at compile time in release builds (debug builds read them
//! from disk at run time and need no rebuild).
fn main() {
    println!("cargo::rerun-if-changed=build.rs");
    if std::env::var("PROFILE").as_deref() == Ok("release") {
        println!("cargo::rerun-if-changed=../admin-ui/dist/admin-ui/browser");
    }
}
