//! End-to-end tests of bkg-tui: a real bkgd on 127.0.0.1:0 with the test plugin, and the real
//! binary in tmux (`new-session -d -x 100 -y 30` on a private socket), driven by keys and read
//! back with `capture-pane`. One module per feature (`views` needs the real llmserver and
//! brainml binaries and test models); `generated` guards the committed
//! completions and man page.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod harness;

mod admin;
mod generated;
mod login;
mod models;
mod nodes;
mod tui;
mod views;
