//! The exit-code scheme end to end: success, bad usage, not found, conflict, rejected input,
//! daemon down; each error on stderr with the daemon's code and message. (Wrong password and
//! forbidden are in `auth`, which needs the auth API.)

use crate::harness::{Cli, daemon, dead_port_url};

#[tokio::test(flavor = "multi_thread")]
async fn codes_for_each_outcome() {
    let d = daemon().plugin("p", &["serve"], "").start().await;
    let cli = Cli::new(&d);

    cli.run(&["plugins", "ls"]).await.expect(0);

    let out = cli.run(&["plugins", "frobnicate"]).await.expect(2);
    assert!(out.stderr.contains("unrecognized subcommand"), "{}", out.stderr);
    cli.run(&["plugins", "ls", "--no-such-flag"]).await.expect(2);
    cli.run(&["plugins", "ls", "-o", "xml"]).await.expect(2);
    cli.run(&["plugins", "show"]).await.expect(2);

    let out = cli.run(&["plugins", "show", "nope"]).await.expect(4);
    assert!(out.stderr.starts_with("bkgctl: error: plugin_not_found (404): "), "{}", out.stderr);
    assert_eq!(out.stdout, "");

    let out = cli.run(&["plugins", "invoke", "p", "echo"]).await.expect(5);
    assert!(out.stderr.contains("plugin_not_running (409)"), "{}", out.stderr);

    d.client.start("p").await.unwrap();
    let out = cli.run(&["plugins", "invoke", "p", "stream", r#"{"count": "many"}"#]).await.expect(2);
    assert!(out.stderr.contains("schema_violation (400)"), "{}", out.stderr);
    assert!(out.stderr.contains("at /count: "), "the failing path is shown: {}", out.stderr);
    let out = cli.run(&["plugins", "invoke", "p", "nosuch"]).await.expect(4);
    assert!(
        out.stderr.contains("capability_not_found") && out.stderr.contains("available: "),
        "{}",
        out.stderr
    );

    let down = Cli::for_server(&dead_port_url());
    let out = down.run(&["plugins", "ls"]).await.expect(6);
    assert!(out.stderr.contains("cannot reach bkgd"), "{}", out.stderr);
    assert!(out.stderr.contains("hint: "), "{}", out.stderr);
    down.run(&["plugins", "start", "p"]).await.expect(6);
    down.run(&["version"]).await.expect(6);
    down.run(&["version", "--client"]).await.expect(0);

    let out = Cli::for_server("ftp://example.invalid").run(&["plugins", "ls"]).await.expect(2);
    assert!(out.stderr.contains("scheme must be http or https"), "{}", out.stderr);
}

#[tokio::test(flavor = "multi_thread")]
async fn help_documents_the_exit_codes() {
    let out = Cli::for_server("").run(&["--help"]).await.expect(0);
    for code in ["0 ", "1 ", "2 ", "3 ", "4 ", "5 ", "6 ", "130 "] {
        assert!(out.stdout.contains(&format!("\n  {code}")), "exit code {code} in --help:\n{}", out.stdout);
    }
}
