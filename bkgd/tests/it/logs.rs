//! Logs: levels and fields, filters, files and rotation, and the join of backfill and live
//! follow without a gap or a duplicate.

use bkg_core::logs::{LogLevel, LogLine, LogQuery};
use bkg_core::ws::ServerMessage;
use serde_json::json;

use crate::harness::{daemon, start_with, wait_until};

fn from_plugin(l: &LogLine) -> bool {
    l.fields.as_ref().is_none_or(|f| f["source"] != "bkgd")
}

#[tokio::test(flavor = "multi_thread")]
async fn backfill_then_follow_loses_and_repeats_nothing() {
    let d = daemon().plugin("p", &["serve"], "").start().await;
    d.client.start("p").await.unwrap();
    d.client.invoke("p", "log", &json!({"count": 5000, "level": "plain", "message": "A"})).await.unwrap();

    // A second burst is being written while we backfill and subscribe.
    let writer = {
        let c = d.client.clone();
        tokio::spawn(async move {
            c.invoke("p", "log", &json!({"count": 50000, "level": "plain", "message": "B"})).await
        })
    };
    wait_until("the second burst has begun", || async {
        let q = LogQuery { tail: Some(1), q: Some("B ".into()), ..Default::default() };
        !d.client.logs("p", &q).await.unwrap().lines.is_empty()
    })
    .await;
    let page = d.client.logs("p", &LogQuery { tail: Some(3000), ..Default::default() }).await.unwrap();
    let mut ws = d.client.ws().await.unwrap();
    ws.subscribe_logs(Some("p"), Some(page.cursor), None).await.unwrap();
    writer.await.unwrap().unwrap();
    d.client.invoke("p", "log", &json!({"count": 1, "level": "plain", "message": "END"})).await.unwrap();

    let mut lines: Vec<LogLine> = page.lines.into_iter().filter(from_plugin).collect();
    assert!(!lines.is_empty());
    loop {
        match ws.next().await.unwrap().unwrap() {
            ServerMessage::Logs(l) => {
                let end = l.message == "END 0";
                if from_plugin(&l) {
                    lines.push(l);
                }
                if end {
                    break;
                }
            }
            ServerMessage::Ack(_) => {}
            other => panic!("unexpected {other:?}"),
        }
    }
    // Every line is the successor of the one before it: no gap, no duplicate.
    let order = |m: &str| -> (u8, u64) {
        let (tag, n) = m.split_once(' ').unwrap();
        (
            match tag {
                "A" => 0,
                "B" => 1,
                "END" => 2,
                t => panic!("unexpected line {t}"),
            },
            n.parse().unwrap(),
        )
    };
    for w in lines.windows(2) {
        assert!(w[0].seq < w[1].seq, "seq increases: {} then {}", w[0].seq, w[1].seq);
        let (a, b) = (order(&w[0].message), order(&w[1].message));
        let successor = (a.0 == b.0 && b.1 == a.1 + 1)
            || (a == (0, 4999) && b == (1, 0))
            || (a == (1, 49999) && b == (2, 0));
        assert!(successor, "{:?} followed by {:?}", w[0].message, w[1].message);
    }
    assert_eq!(lines.last().unwrap().message, "END 0");
}

#[tokio::test(flavor = "multi_thread")]
async fn levels_fields_and_filters() {
    let d = daemon().plugin("p", &["serve"], "").start().await;
    d.client.start("p").await.unwrap();
    d.client.invoke("p", "log", &json!({"count": 3, "level": "warn", "message": "disk low"})).await.unwrap();
    d.client
        .invoke("p", "log", &json!({"count": 2, "level": "plain", "message": "Plain Words"}))
        .await
        .unwrap();

    let warn =
        d.client.logs("p", &LogQuery { level: Some(LogLevel::Warn), ..Default::default() }).await.unwrap();
    let plugin_warn: Vec<_> = warn.lines.iter().filter(|l| from_plugin(l)).collect();
    assert_eq!(plugin_warn.len(), 3);
    assert!(plugin_warn.iter().all(|l| l.level == LogLevel::Warn && l.message == "disk low"));
    assert_eq!(plugin_warn[2].fields.as_ref().unwrap()["n"], 2, "JSON fields are kept");
    assert!(plugin_warn.iter().all(|l| l.run == 1 && l.plugin_id == "p"));

    let q =
        d.client.logs("p", &LogQuery { q: Some("plain words".into()), ..Default::default() }).await.unwrap();
    assert_eq!(
        q.lines.iter().map(|l| (l.level, l.message.as_str())).collect::<Vec<_>>(),
        [(LogLevel::Info, "Plain Words 0"), (LogLevel::Info, "Plain Words 1")]
    );

    let tail = d.client.logs("p", &LogQuery { tail: Some(1), ..Default::default() }).await.unwrap();
    assert_eq!(tail.lines.len(), 1);
    assert!(tail.truncated);
    assert_eq!(tail.lines[0].message, "Plain Words 1");

    let future = d
        .client
        .logs("p", &LogQuery { since: Some("2999-01-01T00:00:00Z".into()), ..Default::default() })
        .await
        .unwrap();
    assert!(future.lines.is_empty());
    let recent =
        d.client.logs("p", &LogQuery { since: Some("1h".into()), ..Default::default() }).await.unwrap();
    assert!(recent.lines.len() >= 5);

    // Forward paging with a cursor.
    let first =
        d.client.logs("p", &LogQuery { cursor: Some(0), tail: Some(2), ..Default::default() }).await.unwrap();
    assert_eq!(first.lines.len(), 2);
    assert!(first.truncated);
    let next = d
        .client
        .logs("p", &LogQuery { cursor: Some(first.cursor), tail: Some(2), ..Default::default() })
        .await
        .unwrap();
    assert!(next.lines[0].seq > first.lines[1].seq);
}

#[tokio::test(flavor = "multi_thread")]
async fn rotated_files_serve_backfill_and_survive_a_restart() {
    let d = daemon()
        .plugin("p", &["serve"], "")
        .config(|c| {
            c.logs.ring_lines = 100;
            c.logs.file_max_bytes = 16 * 1024;
            c.logs.file_keep = 3;
        })
        .start()
        .await;
    let config_root = d.root.clone();
    d.client.start("p").await.unwrap();
    d.client.invoke("p", "log", &json!({"count": 300, "level": "plain", "message": "R"})).await.unwrap();
    let written = |lines: &[LogLine]| {
        lines.iter().filter(|l| l.message.starts_with("R ")).map(|l| l.message.clone()).collect::<Vec<_>>()
    };
    let page = d
        .client
        .logs("p", &LogQuery { tail: Some(250), q: Some("R ".into()), ..Default::default() })
        .await
        .unwrap();
    let expect: Vec<String> = (50..300).map(|n| format!("R {n}")).collect();
    assert_eq!(written(&page.lines), expect, "the tail reaches back past the ring into the files");
    let logs_dir = config_root.join("data/logs");
    assert!(logs_dir.join("p.log.1").exists(), "the file was rotated");
    let head = page.cursor;

    let dir = d.into_dir().await;
    let config = crate::harness::test_config(dir.path());
    let d2 = start_with(config, Some(dir), config_root).await;
    let page = d2
        .client
        .logs("p", &LogQuery { tail: Some(50), q: Some("R ".into()), ..Default::default() })
        .await
        .unwrap();
    assert_eq!(written(&page.lines), (250..300).map(|n| format!("R {n}")).collect::<Vec<_>>());
    d2.client.start("p").await.unwrap();
    let after = d2.client.logs("p", &LogQuery { tail: Some(1), ..Default::default() }).await.unwrap();
    assert!(after.lines[0].seq > head, "the sequence continues after a restart");
}

/// Resident anonymous memory of a process (its heap and stacks, not the pages of its binary
/// that a first run of some code brings in), from /proc.
fn rss_bytes(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let kb = status.lines().find_map(|l| l.strip_prefix("RssAnon:")).unwrap();
    kb.trim().trim_end_matches(" kB").trim().parse::<u64>().unwrap() * 1024
}

/// A subscriber that stops reading during a flood of a million lines (one write each) costs the
/// daemon a bounded queue, and the daemon gives the memory back once it goes (the real binary,
/// so its memory is its own).
#[tokio::test(flavor = "multi_thread")]
async fn a_stalled_subscriber_costs_bounded_memory_given_back_when_it_goes() {
    const LINES: u64 = 1_000_000;
    let dir = tempfile::tempdir().unwrap();
    let plugins = dir.path().join("plugins");
    std::fs::create_dir_all(&plugins).unwrap();
    std::fs::write(plugins.join("f.toml"), bkg_testkit::manifest("f", &["serve"], "")).unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    /// Kills bkgd also when an assertion fails, so it does not outlive the test.
    struct Killed(std::process::Child);
    impl Drop for Killed {
        fn drop(&mut self) {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
    let bkgd =
        Killed(crate::harness::spawn_bkgd(dir.path(), port, &[("BKG_WS__PING_INTERVAL_MS", "3600000")]));
    let client = crate::harness::login_on_port(port).await;
    let pid = bkgd.0.id();
    let http = reqwest::Client::new();
    let metric = |name: &'static str| {
        let (http, client) = (&http, &client);
        async move {
            let url = format!("http://127.0.0.1:{port}/metrics");
            let resp = http.get(url).bearer_auth(client.token().unwrap()).send().await.unwrap();
            let text = resp.text().await.unwrap();
            let value = text.lines().find_map(|l| l.strip_prefix(name)).unwrap().trim().to_string();
            value.parse::<f64>().unwrap()
        }
    };

    client.start("f").await.unwrap();
    // Lines of 100 bytes, as the measurements. A daemon that has logged before: its
    // ring is full (10,000 lines), as it will be after the flood.
    let message = "x".repeat(92);
    let warm = 20_000u64;
    client.invoke("f", "log", &json!({"count": warm, "level": "plain", "message": message})).await.unwrap();
    let mut ws = client.ws().await.unwrap();
    ws.subscribe_logs(Some("f"), None, None).await.unwrap();
    wait_until("the warm-up is on disk", || async {
        metric("bkg_log_lines_written_total ").await >= warm as f64
    })
    .await;
    let written = metric("bkg_log_lines_written_total ").await;
    let before = rss_bytes(pid);
    // The subscriber reads nothing from here on.
    client.invoke("f", "log", &json!({"count": LINES, "level": "plain", "message": message})).await.unwrap();
    wait_until("the flood is on disk", || async {
        metric("bkg_log_lines_written_total ").await >= written + LINES as f64
    })
    .await;
    let peak = rss_bytes(pid);
    drop(ws);
    wait_until("the subscriber is gone", || async { metric("bkg_ws_connections ").await == 0.0 }).await;
    eprintln!("bkgd's anonymous memory: before the flood {before}, during it {peak}");
    // The connection's task ends just after it leaves the count; then the memory goes back.
    let after = std::sync::atomic::AtomicU64::new(0);
    wait_until("bkgd gives the memory back", || async {
        let now = rss_bytes(pid);
        after.store(now, std::sync::atomic::Ordering::Relaxed);
        now <= before + 10 * 1024 * 1024
    })
    .await;
    eprintln!("and after it went: {}", after.into_inner());
}
