//! `plugins ls|show|status|caps|start|stop|restart|config|invoke`, each in table and JSON
//! output, checked against what the daemon reports through the typed client.

use bkg_core::plugin::PluginState;
use serde_json::json;

use crate::harness::{Cli, FAST_RESTART, daemon};

#[tokio::test(flavor = "multi_thread")]
async fn list_show_status_and_caps() {
    let d = daemon().plugin("p", &["serve"], "").plugin("q", &["serve"], "").start().await;
    let cli = Cli::new(&d);
    d.client.start("p").await.unwrap();

    let list = cli.json(&["plugins", "ls"]).await;
    let plugins = list["plugins"].as_array().unwrap();
    assert_eq!(plugins.len(), 2);
    assert!(plugins.iter().all(|p| !p["id"].as_str().unwrap().is_empty()), "AT-PLUG-001: ids are set");
    assert_eq!(plugins[0]["id"], "p");
    assert_eq!(plugins[0]["status"], "running");
    assert_eq!(plugins[1]["status"], "stopped");
    let table = cli.table(&["plugins", "ls"]).await;
    let lines: Vec<&str> = table.lines().collect();
    assert!(lines[0].starts_with("ID") && lines[0].contains("STATUS"), "{table}");
    assert!(lines[1].starts_with("p ") && lines[1].contains("running"), "{table}");
    assert!(lines[2].starts_with("q ") && lines[2].contains("stopped"), "{table}");
    assert_eq!(cli.table(&["plugins", "ls", "-q"]).await, "p\nq\n");

    let show = cli.json(&["plugins", "show", "p"]).await;
    assert_eq!(show["id"], "p");
    assert_eq!(show["status"]["status"], "running");
    assert!(show["capabilities"].as_array().unwrap().iter().any(|c| c["name"] == "echo"));
    let table = cli.table(&["plugins", "show", "p"]).await;
    assert!(table.contains("NAME:") && table.contains("Test p"), "{table}");
    assert!(table.contains("CAPABILITIES:") && table.contains("echo"), "{table}");

    let status = cli.json(&["plugins", "status", "p"]).await;
    let pid = d.client.plugin_status("p").await.unwrap().pid.unwrap();
    assert_eq!(status["pid"], pid);
    assert_eq!(status["run"], 1);
    let table = cli.table(&["plugins", "status", "p"]).await;
    assert!(table.contains("PID:") && table.contains(&pid.to_string()), "{table}");

    let caps = cli.json(&["plugins", "caps", "p"]).await;
    let stream = caps["capabilities"].as_array().unwrap().iter().find(|c| c["name"] == "stream").unwrap();
    assert_eq!(stream["streaming"], true);
    assert_eq!(stream["inputSchema"]["required"], json!(["count"]));
    let table = cli.table(&["plugins", "caps", "p"]).await;
    assert!(table.lines().any(|l| l.starts_with("stream") && l.contains("yes")), "{table}");
    assert!(cli.table(&["plugins", "caps", "p", "-q"]).await.lines().any(|l| l == "echo"));
}

#[tokio::test(flavor = "multi_thread")]
async fn start_stop_restart() {
    let d = daemon().plugin("p", &["serve"], "").start().await;
    let cli = Cli::new(&d);

    let started = cli.json(&["plugins", "start", "p"]).await;
    assert_eq!(started["action"], "start");
    assert_eq!(started["status"]["status"], "running");
    assert_eq!(d.client.plugin_status("p").await.unwrap().status, PluginState::Running);

    let restarted = cli.json(&["plugins", "restart", "p"]).await;
    assert_eq!(restarted["status"]["status"], "running");
    assert_ne!(restarted["status"]["pid"], started["status"]["pid"]);

    let out = cli.table(&["plugins", "stop", "p"]).await;
    assert_eq!(out, "stop p: stopped\n");
    assert_eq!(d.client.plugin_status("p").await.unwrap().status, PluginState::Stopped);

    let out = cli.table(&["plugins", "start", "p"]).await;
    assert!(out.starts_with("start p: running (pid "), "{out}");
    assert_eq!(cli.table(&["plugins", "stop", "p", "-q"]).await, "p\n");
}

#[tokio::test(flavor = "multi_thread")]
async fn restart_wait_reaches_running_or_fails() {
    let d =
        daemon().plugin("p", &["serve"], "").plugin("bad", &["crash-now", "3"], FAST_RESTART).start().await;
    let cli = Cli::new(&d);

    // From stopped: the restart starts it, and --wait returns once it runs.
    let r = cli.json(&["plugins", "restart", "p", "--wait", "--timeout", "60s"]).await;
    assert_eq!(r["status"]["status"], "running");
    assert_eq!(d.client.plugin_status("p").await.unwrap().status, PluginState::Running);
    let out = cli.table(&["plugins", "restart", "p", "--wait"]).await;
    assert!(out.starts_with("restart p: running"), "{out}");

    // A plugin that crashes at once never runs: --wait fails instead of hanging.
    let out = cli.run(&["plugins", "restart", "bad", "--wait", "--timeout", "60s"]).await.expect(1);
    assert!(out.stderr.starts_with("bkgctl: error: "), "{}", out.stderr);

    let out = cli.run(&["plugins", "restart", "p", "--timeout", "5s"]).await.expect(2);
    assert!(out.stderr.contains("--wait"), "--timeout needs --wait: {}", out.stderr);
}

#[tokio::test(flavor = "multi_thread")]
async fn config_get_and_set() {
    let d = daemon().plugin("p", &["serve"], "").start().await;
    let cli = Cli::new(&d);
    d.client.start("p").await.unwrap();

    assert_eq!(cli.json(&["plugins", "config", "get", "p"]).await, json!({}));
    let applied =
        cli.json(&["plugins", "config", "set", "p", "threads=4", "name=big", "model.path=/m"]).await;
    assert_eq!(applied["applied"], "live");
    assert_eq!(applied["config"], json!({"threads": 4, "name": "big", "model": {"path": "/m"}}));
    // The plugin got it: whoami reports the config it runs with.
    let who = d.client.invoke("p", "whoami", &json!({})).await.unwrap();
    assert_eq!(who.output["config"]["threads"], 4);

    assert_eq!(cli.table(&["plugins", "config", "get", "p", "name"]).await, "big\n");
    assert_eq!(cli.json(&["plugins", "config", "get", "p", "model.path"]).await, json!("/m"));
    let table = cli.table(&["plugins", "config", "set", "p", "--unset", "name"]).await;
    assert_eq!(table, "config applied live by the running plugin\n");
    assert_eq!(
        cli.json(&["plugins", "config", "get", "p"]).await,
        json!({"threads": 4, "model": {"path": "/m"}})
    );
    cli.run(&["plugins", "config", "get", "p", "name"]).await.expect(4);

    let out = cli
        .run_with_stdin(
            &["plugins", "config", "set", "p", "--file", "-", "-o", "json"],
            Some(r#"{"x": true}"#),
        )
        .await
        .expect(0);
    assert_eq!(out.json()["config"], json!({"x": true}));

    let out = cli.run(&["plugins", "config", "set", "p", "novalue"]).await.expect(2);
    assert!(out.stderr.contains("KEY=VALUE"), "{}", out.stderr);
}

#[tokio::test(flavor = "multi_thread")]
async fn invoke_plain_and_streaming() {
    let d = daemon().plugin("p", &["serve"], "").start().await;
    let cli = Cli::new(&d);
    d.client.start("p").await.unwrap();

    let r = cli.json(&["plugins", "invoke", "p", "echo", r#"{"hello": "world"}"#]).await;
    assert_eq!(r["output"], json!({"hello": "world"}));
    assert_eq!(r["run"], 1);
    let out = cli.table(&["plugins", "invoke", "p", "echo", r#"{"a": [1, 2]}"#]).await;
    assert_eq!(serde_json::from_str::<serde_json::Value>(&out).unwrap(), json!({"a": [1, 2]}));
    let out =
        cli.run_with_stdin(&["plugins", "invoke", "p", "echo", "-", "-o", "json"], Some(r#"{"s": 1}"#)).await;
    assert_eq!(out.expect(0).json()["output"], json!({"s": 1}));

    let out =
        cli.run(&["plugins", "invoke", "p", "stream", r#"{"count": 3}"#, "--stream", "-o", "json"]).await;
    let events: Vec<serde_json::Value> =
        out.expect(0).stdout.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(events.len(), 4);
    assert_eq!(events[0], json!({"chunk": {"n": 0, "text": "chunk"}}));
    assert_eq!(events[3], json!({"result": {"count": 3}}));
    let out =
        cli.table(&["plugins", "invoke", "p", "stream", r#"{"count": 2, "text": "t"}"#, "--stream"]).await;
    assert!(out.starts_with("{\"n\":0,\"text\":\"t\"}\n{\"n\":1,\"text\":\"t\"}\n"), "{out}");

    // A plugin's own error is reported with the daemon's code.
    let out = cli.run(&["plugins", "invoke", "p", "fail", r#"{"message": "nope"}"#]).await.expect(1);
    assert!(out.stderr.contains("plugin_error") && out.stderr.contains("nope"), "{}", out.stderr);
    let out = cli.run(&["plugins", "invoke", "p", "echo", "{not json"]).await.expect(2);
    assert!(out.stderr.contains("not valid JSON"), "{}", out.stderr);
}
