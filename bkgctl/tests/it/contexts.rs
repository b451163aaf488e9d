//! Named contexts in the config dir, the order in which the server is chosen (flag, then
//! `BKG_URL`, then the context), and `version`.

use crate::harness::{Cli, daemon, dead_port_url};

#[tokio::test(flavor = "multi_thread")]
async fn contexts_choose_the_server() {
    let d = daemon().plugin("p", &["serve"], "").start().await;
    // No BKG_URL: the server comes from the config dir only.
    let mut cli = Cli::new(&d);
    cli.server = String::new();

    assert_eq!(cli.json(&["context", "ls"]).await, serde_json::json!({"current": null, "contexts": []}));
    cli.run(&["context", "set", "local", &d.url("")]).await.expect(0);
    cli.run(&["context", "set", "down", &dead_port_url()]).await.expect(0);
    let ls = cli.json(&["context", "ls"]).await;
    assert_eq!(ls["current"], "local", "the first context becomes the current one");
    assert_eq!(ls["contexts"][1]["name"], "local");
    assert_eq!(ls["contexts"][1]["current"], true);
    let table = cli.table(&["context", "ls"]).await;
    assert!(table.lines().any(|l| l.starts_with('*') && l.contains("local")), "{table}");

    assert_eq!(cli.json(&["plugins", "ls"]).await["plugins"][0]["id"], "p");
    cli.run(&["plugins", "ls", "--context", "down"]).await.expect(6);
    cli.run(&["plugins", "ls", "--context", "nosuch"]).await.expect(2);
    cli.run(&["context", "use", "down"]).await.expect(0);
    cli.run(&["plugins", "ls"]).await.expect(6);
    // --server and BKG_URL win over the context.
    cli.run(&["plugins", "ls", "--server", &d.url("")]).await.expect(0);
    let mut env_cli = Cli::new(&d);
    env_cli.config_dir = cli.config_dir;
    env_cli.run(&["plugins", "ls"]).await.expect(0);
    let cli = env_cli;

    cli.run(&["context", "rm", "down"]).await.expect(0);
    cli.run(&["context", "rm", "down"]).await.expect(4);
    assert_eq!(cli.json(&["context", "ls"]).await["current"], serde_json::Value::Null);
    cli.run(&["context", "set", "bad", "not a url"]).await.expect(2);
    cli.run(&["context", "use", "nosuch"]).await.expect(2);
    let text = std::fs::read_to_string(cli.config_path().join("bkgctl.toml")).unwrap();
    assert!(text.contains("[contexts.local]"), "{text}");

    std::fs::write(cli.config_path().join("bkgctl.toml"), "this is = = not toml").unwrap();
    let out = cli.run(&["context", "ls"]).await.expect(2);
    assert!(out.stderr.contains("bkgctl.toml is not valid"), "{}", out.stderr);
}

#[tokio::test(flavor = "multi_thread")]
async fn version_reports_client_and_server() {
    let d = daemon().start().await;
    let cli = Cli::new(&d);
    let v = cli.json(&["version"]).await;
    assert_eq!(v["client"]["version"], bkg_core::VERSION);
    assert_eq!(v["server"]["version"], bkg_core::VERSION);
    assert!(v["server"]["commit"].as_str().is_some_and(|c| !c.is_empty()), "{v}");
    assert_eq!(v["server"]["url"], format!("{}/", d.url("")));
    let table = cli.table(&["version"]).await;
    assert!(
        table.starts_with(&format!("Client:  {}\nServer:  {}", bkg_core::VERSION, bkg_core::VERSION)),
        "{table}"
    );
    assert_eq!(
        cli.json(&["version", "--client"]).await,
        serde_json::json!({"client": {"version": bkg_core::VERSION}})
    );
    let out = cli.run(&["--version"]).await.expect(0);
    assert_eq!(out.stdout, format!("bkgctl {}\n", bkg_core::VERSION));
}
