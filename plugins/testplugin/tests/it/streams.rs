//! `flood`, `bare-flood` and `stdout-garbage`: the output a log reader and a protocol reader
//! must survive.

use bkg_plugin_sdk::testing::TestDaemon;
use serde_json::json;

use super::{spawn, start};

fn check_flood(lines: &[String], count: usize, bytes: usize) {
    let flood: Vec<&String> =
        lines.iter().filter(|l| l.len() >= 10 && l[..10].bytes().all(|b| b.is_ascii_digit())).collect();
    assert_eq!(flood.len(), count, "no line lost or duplicated");
    for (seq, line) in flood.iter().enumerate() {
        assert_eq!(&line[..10], format!("{seq:010}"), "lines are in order");
        // The harness strips the newline, which the byte count includes.
        assert_eq!(line.len(), bytes - 1, "line {seq} is whole");
    }
}

#[tokio::test]
async fn flood_writes_numbered_lines_of_exact_size_then_keeps_serving() {
    let plugin = start(&["flood", "20000", "100"]).await;
    plugin.wait_stderr(|l| l == "flood done 20000").await.unwrap();
    let lines = plugin.stderr_lines();
    check_flood(&lines, 20000, 100);
    assert!(lines[5].ends_with('x') && lines[5].as_bytes()[10] == b' ');
    assert_eq!(
        plugin.invoke("echo", json!({"after": "flood"})).await.unwrap().output(),
        &json!({"after": "flood"})
    );
}

#[tokio::test]
async fn flood_defaults_to_100_bytes_and_takes_the_minimum_size() {
    let plugin = start(&["flood", "50"]).await;
    plugin.wait_stderr(|l| l == "flood done 50").await.unwrap();
    check_flood(&plugin.stderr_lines(), 50, 100);

    let plugin = start(&["flood", "50", "11"]).await;
    plugin.wait_stderr(|l| l == "flood done 50").await.unwrap();
    check_flood(&plugin.stderr_lines(), 50, 11);
}

#[tokio::test]
async fn flood_refuses_lines_too_short_for_the_sequence_number() {
    let mut plugin = spawn(&TestDaemon::new(), &["flood", "10", "5"]);
    assert_eq!(plugin.wait_exit().await.unwrap().code(), Some(1));
    plugin.wait_stderr(|l| l.contains("<bytes> must be at least 11")).await.unwrap();
}

#[tokio::test]
async fn stdout_garbage_writes_a_non_json_and_a_non_utf8_line_then_serves() {
    let plugin = start(&["stdout-garbage"]).await;
    assert_eq!(plugin.wait_garbage().await.unwrap(), "this line is not JSON");
    assert_eq!(
        plugin.invoke("echo", json!({"still": "fine"})).await.unwrap().output(),
        &json!({"still": "fine"})
    );
    assert_eq!(plugin.garbage(), ["this line is not JSON", "\u{fffd}\u{fffd} nor UTF-8"]);
}

#[tokio::test]
async fn flood_in_line_mode_writes_the_same_lines() {
    let plugin = start(&["flood", "2000", "100", "line"]).await;
    plugin.wait_stderr(|l| l == "flood done 2000").await.unwrap();
    check_flood(&plugin.stderr_lines(), 2000, 100);

    let mut plugin = spawn(&TestDaemon::new(), &["flood", "10", "100", "lines"]);
    assert_eq!(plugin.wait_exit().await.unwrap().code(), Some(1));
    plugin.wait_stderr(|l| l.contains("invalid write mode") && l.contains("block or line")).await.unwrap();
}

/// `bare-flood` needs no daemon: it is what supervisord or PM2 run in `bkg-bench peers`.
#[test]
fn bare_flood_writes_the_lines_on_stdout_without_the_protocol_then_sleeps() {
    use std::io::{BufRead, BufReader};
    use std::process::{Command, Stdio};

    for mode in ["block", "line"] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_bkg-testplugin"))
            .args(["bare-flood", "3000", "64", mode])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let mut lines = Vec::new();
        for line in BufReader::new(child.stdout.take().unwrap()).lines() {
            let line = line.unwrap();
            if line == "flood done 3000" {
                break;
            }
            lines.push(line);
        }
        check_flood(&lines, 3000, 64);
        assert_eq!(lines.len(), 3000, "{mode}: nothing but the flood before `flood done`");
        assert!(child.try_wait().unwrap().is_none(), "{mode}: it sleeps after the flood");
        child.kill().unwrap();
        child.wait().unwrap();
    }
}
