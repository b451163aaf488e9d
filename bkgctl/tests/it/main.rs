//! bkgctl's end-to-end tests: a real bkgd in this process on 127.0.0.1:0 with real plugin
//! processes, driven by running the real `bkgctl` binary with `BKG_URL` and an isolated config
//! dir, and checking its stdout (JSON parsed), stderr and exit code. One module per feature.
//! `models pull` downloads from the hub-compatible server of `bkg-testhub`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod harness;
mod pty;

mod admin;
mod auth;
mod contexts;
mod exit_codes;
mod generated;
mod install;
mod logs;
mod models;
mod models_pull;
mod output;
mod plugins;
