//! `plugins logs`: the backfill's filters, and `-f` joining the backfill and the live stream
//! without a gap or a duplicate while the plugin writes, keeping up with a flood of a million
//! lines (or counting exactly what it had to skip), then ending cleanly on Ctrl-C.

use bkg_core::logs::{LogLine, LogQuery};
use serde_json::json;
use tokio::io::{AsyncBufReadExt, BufReader};

use crate::harness::{Cli, Daemon, daemon, interrupt, wait_until};

fn from_plugin(l: &LogLine) -> bool {
    l.fields.as_ref().is_none_or(|f| f["source"] != "bkgd")
}

#[tokio::test(flavor = "multi_thread")]
async fn backfill_filters() {
    let d = daemon().plugin("p", &["serve"], "").start().await;
    let cli = Cli::new(&d);
    d.client.start("p").await.unwrap();
    d.client.invoke("p", "log", &json!({"count": 3, "level": "warn", "message": "disk low"})).await.unwrap();
    d.client
        .invoke("p", "log", &json!({"count": 2, "level": "plain", "message": "Plain Words"}))
        .await
        .unwrap();

    let parse =
        |out: String| -> Vec<LogLine> { out.lines().map(|l| serde_json::from_str(l).unwrap()).collect() };
    let warn =
        parse(cli.run(&["plugins", "logs", "p", "--level", "warn", "-o", "json"]).await.expect(0).stdout);
    let warn: Vec<_> = warn.into_iter().filter(from_plugin).collect();
    assert_eq!(warn.len(), 3);
    assert!(warn.iter().all(|l| l.message == "disk low" && l.plugin_id == "p"));

    let grep = parse(
        cli.run(&["plugins", "logs", "p", "--grep", "plain words", "-o", "json"]).await.expect(0).stdout,
    );
    assert_eq!(
        grep.iter().map(|l| l.message.as_str()).collect::<Vec<_>>(),
        ["Plain Words 0", "Plain Words 1"]
    );

    let tail = parse(cli.run(&["plugins", "logs", "p", "--tail", "1", "-o", "json"]).await.expect(0).stdout);
    assert_eq!(tail.len(), 1);
    assert_eq!(tail[0].message, "Plain Words 1");

    let none = cli.run(&["plugins", "logs", "p", "--since", "2999-01-01T00:00:00Z", "-o", "json"]).await;
    assert_eq!(none.expect(0).stdout, "");
    let recent =
        parse(cli.run(&["plugins", "logs", "p", "--since", "1h", "-o", "json"]).await.expect(0).stdout);
    assert!(recent.len() >= 5);

    let text = cli.table(&["plugins", "logs", "p", "--tail", "2"]).await;
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 2);
    assert!(lines[1].contains(" INFO  [1] Plain Words 1"), "{text}");
    assert!(lines[0].starts_with("20") && lines[0].contains('T'), "RFC 3339 time first: {text}");

    cli.run(&["plugins", "logs", "p", "--level", "loud"]).await.expect(2);
    cli.run(&["plugins", "logs", "nope"]).await.expect(4);
}

#[tokio::test(flavor = "multi_thread")]
async fn follow_joins_backfill_and_live_without_gap() {
    let d = daemon().plugin("p", &["serve"], "").start().await;
    let cli = Cli::new(&d);
    d.client.start("p").await.unwrap();
    d.client.invoke("p", "log", &json!({"count": 2000, "level": "plain", "message": "A"})).await.unwrap();

    // A second burst is being written while bkgctl backfills and subscribes.
    let writer = {
        let c = d.client.clone();
        tokio::spawn(async move {
            c.invoke("p", "log", &json!({"count": 20000, "level": "plain", "message": "B"})).await
        })
    };
    wait_until("the second burst has begun", || async {
        let q = LogQuery { tail: Some(1), q: Some("B ".into()), ..Default::default() };
        !d.client.logs("p", &q).await.unwrap().lines.is_empty()
    })
    .await;
    let mut child = cli.spawn(&["plugins", "logs", "p", "-f", "--tail", "10000", "-o", "json"]);
    let mut stdout = BufReader::new(child.stdout.take().unwrap()).lines();

    // The first line shows the command is running; everything after it is written later.
    let first: LogLine = serde_json::from_str(&stdout.next_line().await.unwrap().unwrap()).unwrap();
    writer.await.unwrap().unwrap();
    d.client.invoke("p", "log", &json!({"count": 1, "level": "plain", "message": "END"})).await.unwrap();

    let mut lines = vec![first];
    while lines.last().unwrap().message != "END 0" {
        let line = tokio::time::timeout(std::time::Duration::from_secs(60), stdout.next_line())
            .await
            .expect("bkgctl keeps following")
            .unwrap()
            .expect("bkgctl still runs");
        lines.push(serde_json::from_str(&line).unwrap());
    }
    let lines: Vec<LogLine> = lines.into_iter().filter(from_plugin).collect();
    let order = |m: &str| -> (u8, u64) {
        let (tag, n) = m.split_once(' ').unwrap();
        let tag = match tag {
            "A" => 0,
            "B" => 1,
            "END" => 2,
            t => panic!("unexpected line {t}"),
        };
        (tag, n.parse().unwrap())
    };
    assert!(lines.len() >= 10000, "the backfill and the stream together: {}", lines.len());
    for w in lines.windows(2) {
        assert!(w[0].seq < w[1].seq, "seq increases: {} then {}", w[0].seq, w[1].seq);
        let (a, b) = (order(&w[0].message), order(&w[1].message));
        let successor = (a.0 == b.0 && b.1 == a.1 + 1)
            || (a == (0, 1999) && b == (1, 0))
            || (a == (1, 19999) && b == (2, 0));
        assert!(successor, "{:?} followed by {:?}", w[0].message, w[1].message);
    }

    // Ctrl-C is how a follow ends (0, as with `journalctl -f`) and leaves the plugin as it was.
    interrupt(&child);
    let status =
        tokio::time::timeout(std::time::Duration::from_secs(60), child.wait()).await.unwrap().unwrap();
    assert_eq!(status.code(), Some(0));
    let status = cli.json(&["plugins", "status", "p"]).await;
    assert_eq!(status["status"], "running");
    assert_eq!(status["run"], 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn follow_applies_level_and_grep_to_live_lines() {
    let d = daemon().plugin("p", &["serve"], "").start().await;
    let cli = Cli::new(&d);
    d.client.start("p").await.unwrap();
    d.client.invoke("p", "log", &json!({"count": 1, "level": "warn", "message": "before"})).await.unwrap();

    let mut child = cli.spawn(&["plugins", "logs", "p", "-f", "--level", "warn", "--grep", "KEEP"]);
    let mut stdout = BufReader::new(child.stdout.take().unwrap()).lines();
    // Nothing matches yet; a marker line that matches shows the follower is up.
    d.client
        .invoke("p", "log", &json!({"count": 1, "level": "warn", "message": "keep ready"}))
        .await
        .unwrap();
    let ready = stdout.next_line().await.unwrap().unwrap();
    assert!(ready.contains("WARN  [1] keep ready"), "{ready}");
    d.client.invoke("p", "log", &json!({"count": 1, "level": "error", "message": "keep me"})).await.unwrap();
    d.client
        .invoke("p", "log", &json!({"count": 1, "level": "info", "message": "keep too quiet"}))
        .await
        .unwrap();
    d.client.invoke("p", "log", &json!({"count": 1, "level": "error", "message": "drop me"})).await.unwrap();
    d.client.invoke("p", "log", &json!({"count": 1, "level": "warn", "message": "keep last"})).await.unwrap();
    let mut got = Vec::new();
    while !got.last().is_some_and(|l: &String| l.contains("keep last")) {
        got.push(stdout.next_line().await.unwrap().unwrap());
    }
    assert_eq!(got.len(), 2, "{got:?}");
    assert!(got[0].contains("ERROR [1] keep me"), "{got:?}");
    interrupt(&child);
    assert_eq!(child.wait().await.unwrap().code(), Some(0));
}

#[tokio::test(flavor = "multi_thread")]
async fn follow_ends_with_6_when_the_daemon_goes_away() {
    let mut d = daemon().plugin("p", &["serve"], "").start().await;
    let cli = Cli::new(&d);
    d.client.start("p").await.unwrap();
    let mut child = cli.spawn(&["plugins", "logs", "p", "-f", "--tail", "1"]);
    let mut stdout = BufReader::new(child.stdout.take().unwrap()).lines();
    stdout.next_line().await.unwrap().expect("the backfill's line");
    d.shutdown().await;
    let out = tokio::time::timeout(std::time::Duration::from_secs(60), child.wait_with_output())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(out.status.code(), Some(6), "{}", String::from_utf8_lossy(&out.stderr));
}

/// Lines the daemon has taken in since it started (every plugin's, and its notes about them).
async fn lines_total(d: &Daemon) -> u64 {
    let text = d.http().get(d.url("/metrics")).send().await.unwrap().text().await.unwrap();
    let line = text.lines().find(|l| l.starts_with("bkg_log_lines_total ")).expect("the log counter");
    line.split_whitespace().nth(1).unwrap().parse::<f64>().unwrap() as u64
}

/// Open WebSocket connections, to know that a follower has made its backfill call.
async fn ws_connections(d: &Daemon) -> u64 {
    let text = d.http().get(d.url("/metrics")).send().await.unwrap().text().await.unwrap();
    let line = text.lines().find(|l| l.starts_with("bkg_ws_connections ")).expect("the gauge");
    line.split_whitespace().nth(1).unwrap().parse::<f64>().unwrap() as u64
}

/// What a follower printed of a flood: every line in order, no line torn.
#[derive(Debug, Default)]
struct Printed {
    lines: u64,
    flood: u64,
    next_flood: u64,
}

impl Printed {
    /// Takes one printed line; true once the flood's last line came.
    fn take(&mut self, line: &str, flood_lines: u64) -> bool {
        self.lines += 1;
        // `TIME  LEVEL [RUN] MESSAGE`
        let message = line.split_once("] ").map_or(line, |(_, m)| m);
        if message == format!("flood done {flood_lines}") {
            return true;
        }
        if let Some((n, rest)) = message.split_once(' ')
            && n.len() == 10
            && let Ok(n) = n.parse::<u64>()
        {
            assert_eq!(rest.len(), 100 - 12, "a whole line of the flood: {line:?}");
            assert!(rest.bytes().all(|b| b == b'x'), "a whole line of the flood: {line:?}");
            assert!(n >= self.next_flood, "in order, once: {n} after {}", self.next_flood);
            self.next_flood = n + 1;
            self.flood += 1;
        }
        false
    }
}

/// The count a follower gave on stderr for lines it could not print.
fn skipped(stderr: &str) -> u64 {
    stderr
        .lines()
        .filter_map(|l| l.strip_prefix("bkgctl: skipped "))
        .map(|rest| rest.split(' ').next().unwrap().parse::<u64>().unwrap())
        .sum()
}

/// Reads a follower's output up to the flood's last line, ends it with Ctrl-C (exit 0), and
/// checks that every line the plugin's stream got since `before` was printed, in order, or
/// counted as skipped. Returns what was printed and the skipped count.
async fn follow_to_the_end(
    d: &Daemon,
    mut child: tokio::process::Child,
    lines: u64,
    before: u64,
) -> (Printed, u64) {
    let mut stdout = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut printed = Printed::default();
    let read = async {
        while let Some(line) = stdout.next_line().await.unwrap() {
            if printed.take(&line, lines) {
                break;
            }
        }
    };
    tokio::time::timeout(std::time::Duration::from_secs(600), read).await.expect("the flood's last line");
    interrupt(&child);
    let out = child.wait_with_output().await.unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "Ctrl-C ends a follow with 0: {stderr}");
    let skipped = skipped(&stderr);
    eprintln!("printed {} lines ({} of the flood), skipped {skipped}", printed.lines, printed.flood);
    assert_eq!(printed.lines + skipped, lines_total(d).await - before, "{stderr}");
    assert_eq!(printed.flood + skipped, lines, "{stderr}");
    (printed, skipped)
}

#[tokio::test(flavor = "multi_thread")]
async fn follow_prints_a_million_line_flood_from_tail_0() {
    const LINES: u64 = 1_000_000;
    let d = daemon().plugin("f", &["flood", &LINES.to_string()], "").start().await;
    let cli = Cli::new(&d);
    // --tail 0: nothing before, everything after; the plugin starts once bkgctl follows.
    let child = cli.spawn(&["plugins", "logs", "f", "-f", "--tail", "0"]);
    wait_until("bkgctl follows", || async { ws_connections(&d).await == 1 }).await;
    let before = lines_total(&d).await;
    d.client.start("f").await.unwrap();
    follow_to_the_end(&d, child, LINES, before).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_stalled_follower_counts_exactly_the_lines_rotated_away() {
    const LINES: u64 = 200_000;
    let d = daemon()
        .plugin("f", &["flood", &LINES.to_string()], "")
        .config(|c| {
            // Small files, so most of the flood is rotated away while bkgctl is stopped, and
            // no ping deadline while it cannot answer.
            c.logs.file_max_bytes = 1 << 20;
            c.logs.file_keep = 1;
            c.logs.ring_lines = 1000;
            c.ws.queue_events = 10_000;
            c.ws.ping_interval_ms = 3_600_000;
        })
        .start()
        .await;
    let cli = Cli::new(&d);
    let child = cli.spawn(&["plugins", "logs", "f", "-f", "--tail", "0"]);
    wait_until("bkgctl follows", || async { ws_connections(&d).await == 1 }).await;
    let before = lines_total(&d).await;
    let pid = nix::unistd::Pid::from_raw(child.id().unwrap() as i32);
    nix::sys::signal::kill(pid, nix::sys::signal::Signal::SIGSTOP).unwrap();
    d.client.start("f").await.unwrap();
    wait_until("the flood is written", || async {
        let q = LogQuery { tail: Some(1), q: Some("flood done".into()), ..Default::default() };
        !d.client.logs("f", &q).await.unwrap().lines.is_empty()
    })
    .await;
    nix::sys::signal::kill(pid, nix::sys::signal::Signal::SIGCONT).unwrap();
    let (printed, skipped) = follow_to_the_end(&d, child, LINES, before).await;
    assert!(skipped > 0 && printed.flood < LINES, "the files cannot hold the flood");
}
