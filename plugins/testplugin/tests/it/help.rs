//! `--help` lists every mode with a description; bad invocations fail with a usage message.

use std::process::Command;

use super::BIN;

#[test]
fn help_lists_every_mode() {
    let out = Command::new(BIN).arg("--help").output().unwrap();
    assert!(out.status.success());
    let help = String::from_utf8(out.stdout).unwrap();
    for mode in [
        "serve",
        "serve-one-thread",
        "crash-now [code]",
        "crash-after <ms> [code]",
        "ignore-sigterm",
        "grandchildren [n]",
        "hang-handshake",
        "bad-protocol",
        "flood <lines> [bytes]",
        "stdout-garbage",
    ] {
        let line = help
            .lines()
            .find(|l| l.trim_start().starts_with(mode))
            .unwrap_or_else(|| panic!("{mode} in {help}"));
        assert!(line.len() > mode.len() + 10, "{mode} has a description");
    }
    assert!(!help.contains("sleep-forever"), "the internal mode stays hidden");
}

#[test]
fn no_mode_or_an_unknown_one_fails() {
    let out = Command::new(BIN).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("usage"));
    let out = Command::new(BIN).arg("dance").output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown mode"));
}
