//! bkgd's integration tests: a real daemon on 127.0.0.1:0 with real plugin processes (the
//! workspace's `bkg-testplugin` and the Python example), driven through the typed client in
//! `bkg-core`. One module per feature.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod harness;

mod apikeys;
mod architecture;
mod auth;
mod bad_input;
mod calls;
mod cluster;
mod config;
mod confinement;
mod diskfull;
mod hotswap;
mod lifecycle;
mod logs;
mod misc;
mod ml;
mod models;
mod repoagent;
mod restore;
mod runtimes;
mod rustyface;
mod supervision;
mod systemd;
mod webui;
mod ws;
