//! Health, readiness, metrics, plugin callbacks into the daemon, and the Python example plugin.

use futures_util::StreamExt;
use serde_json::json;

use crate::harness::{daemon, wait_until};

#[tokio::test(flavor = "multi_thread")]
async fn health_readiness_and_metrics() {
    let d = daemon().plugin("p", &["serve"], "").start().await;
    assert_eq!(d.client.health().await.unwrap().status, "ok");
    let ready = d.client.ready().await.unwrap();
    assert!(ready.checks.iter().all(|c| c.ok), "{ready:?}");
    d.client.start("p").await.unwrap();
    d.client.invoke("p", "echo", &json!({})).await.unwrap();
    wait_until("a telemetry sample exists", || async {
        !d.client.telemetry("p").await.unwrap().samples.is_empty()
    })
    .await;
    let text = d.http().get(d.url("/metrics")).send().await.unwrap().text().await.unwrap();
    for needle in [
        "bkg_plugin_up{plugin=\"p\"} 1",
        "bkg_plugin_invocations_total{plugin=\"p\"} 1",
        "bkg_plugin_memory_bytes{plugin=\"p\"}",
        "bkg_daemon_memory_bytes",
        "# TYPE bkg_plugin_cpu_percent gauge",
    ] {
        assert!(text.contains(needle), "metrics lack {needle}:\n{text}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn plugins_store_documents_through_the_daemon() {
    let d = daemon().plugin("p", &["serve"], "").start().await;
    d.client.start("p").await.unwrap();
    let out =
        d.client.invoke("p", "store", &json!({"collection": "c", "texts": ["one", "two"]})).await.unwrap();
    let s = out.output.to_string();
    assert!(s.contains("\"one\"") && s.contains("\"two\""), "{s}");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_python_example_speaks_the_protocol() {
    let manifest = crate::harness::python_manifest();
    let d = daemon().raw_manifest("pyexample", &manifest).start().await;
    d.client.start("pyexample").await.unwrap();
    let out = d.client.invoke("pyexample", "word_count", &json!({"text": "a b  c"})).await.unwrap();
    assert_eq!(out.output["words"], 3, "{}", out.output);
    let events: Vec<_> = d
        .client
        .invoke_stream("pyexample", "reverse_stream", &json!({"text": "one two three"}))
        .await
        .unwrap()
        .collect()
        .await;
    assert!(events.len() >= 4, "{events:?}");
    d.client.stop("pyexample").await.unwrap();
}

/// Log lines written to a file (or a pipe, or the journal) carry no colour codes; the folders
/// derived from the data dir follow it (`--data-dir` alone moves the plugins too).
#[tokio::test(flavor = "multi_thread")]
async fn logs_to_a_file_are_plain_and_paths_follow_the_data_dir() {
    let dir = tempfile::tempdir().unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let log = dir.path().join("bkgd.log");
    let data = dir.path().join("elsewhere");
    let mut bkgd = std::process::Command::new(env!("CARGO_BIN_EXE_bkgd"))
        .args(["--listen", &format!("127.0.0.1:{port}"), "--cache-dir"])
        .arg(dir.path().join("cache"))
        .arg("--data-dir")
        .arg(&data)
        .env("BKG_SUPERVISOR__BUILTIN_PLUGINS", "false")
        .env("BKG_BOOTSTRAP_ADMIN_PASSWORD", bkg_testkit::ADMIN_PASSWORD)
        .env("BKG_LOG_LEVEL", "debug")
        .stderr(std::fs::File::create(&log).unwrap())
        .spawn()
        .unwrap();
    let client = crate::harness::login_on_port(port).await;
    let effective = client.daemon_config().await.unwrap().config;
    let _ = bkgd.kill();
    let _ = bkgd.wait();
    let text = std::fs::read_to_string(&log).unwrap();
    assert!(text.contains("INFO") && text.contains("DEBUG"), "the daemon logged to the file:\n{text}");
    assert!(!text.contains('\u{1b}'), "no escape codes in a file:\n{text}");
    let plugins_dir = data.join("plugins");
    assert_eq!(effective["plugins_dir"], plugins_dir.display().to_string(), "{effective}");
}

/// `bkgd healthcheck`, the container image's HEALTHCHECK: exit 0 while the daemon its config
/// names answers `/readyz` with 200 (a wildcard `listen` is asked on loopback), 1 with the answer
/// when it is not ready.
#[tokio::test(flavor = "multi_thread")]
async fn the_healthcheck_subcommand_asks_readyz() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let check = |listen: String| async move {
        tokio::process::Command::new(env!("CARGO_BIN_EXE_bkgd"))
            .args(["healthcheck", "--listen", &listen])
            .env_clear()
            .output()
            .await
            .unwrap()
    };
    let d = daemon().start().await;
    let port = d.addr.port();
    for listen in [format!("127.0.0.1:{port}"), format!("0.0.0.0:{port}")] {
        let out = check(listen.clone()).await;
        assert!(out.status.success(), "{listen}: {}", String::from_utf8_lossy(&out.stderr));
    }

    // A server that is up but not ready, as /readyz answers while the store is away.
    let body = r#"{"status":"not ready"}"#;
    let fake = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let fake_port = fake.local_addr().unwrap().port();
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = fake.accept().await {
            let mut request = [0u8; 4096];
            let _ = stream.read(&mut request).await;
            let answer = format!(
                "HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = stream.write_all(answer.as_bytes()).await;
        }
    });
    let out = check(format!("0.0.0.0:{fake_port}")).await;
    let said = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{said}");
    assert!(said.contains(&format!("http://127.0.0.1:{fake_port}/readyz answered 503")), "{said}");
    assert!(said.contains(body), "{said}");
}
