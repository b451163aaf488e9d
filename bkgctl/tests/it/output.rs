//! Output formats: YAML, `--quiet`, tables within 80 columns when piped, and colour only on a
//! terminal and never with `NO_COLOR`.

use crate::harness::{Cli, daemon};
use crate::pty::Pty;

#[tokio::test(flavor = "multi_thread")]
async fn yaml_and_quiet() {
    let d = daemon().plugin("p", &["serve"], "").start().await;
    let cli = Cli::new(&d);
    let yaml = cli.table(&["plugins", "ls", "-o", "yaml"]).await;
    assert!(yaml.starts_with("plugins:\n- id: p\n"), "{yaml}");
    assert!(yaml.contains("\n  status: stopped\n"), "{yaml}");
    let yaml = cli.table(&["plugins", "status", "p", "-o", "yaml"]).await;
    assert!(yaml.starts_with("id: p\n"), "{yaml}");

    assert_eq!(cli.table(&["plugins", "start", "p", "-q"]).await, "p\n");
    assert_eq!(cli.table(&["plugins", "status", "p", "--quiet"]).await, "p\n");
    // --quiet wins over -o: ids only.
    assert_eq!(cli.table(&["plugins", "ls", "-q", "-o", "json"]).await, "p\n");
}

#[tokio::test(flavor = "multi_thread")]
async fn piped_tables_fit_80_columns_without_colour() {
    let d = daemon().plugin("p", &["serve"], "").start().await;
    let cli = Cli::new(&d);
    d.client.start("p").await.unwrap();
    for args in [
        &["plugins", "ls"][..],
        &["plugins", "caps", "p"],
        &["plugins", "show", "p"],
        &["plugins", "status", "p"],
    ] {
        let out = cli.table(args).await;
        for line in out.lines() {
            assert!(line.chars().count() <= 80, "{args:?}: {} columns:\n{out}", line.chars().count());
        }
        assert!(!out.contains('\u{1b}'), "{args:?} has escape codes when piped:\n{out}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn colour_on_a_terminal_unless_no_color() {
    let d = daemon().plugin("p", &["serve"], "").start().await;
    let cli = Cli::new(&d);
    d.client.start("p").await.unwrap();

    let (status, screen) = Pty::spawn(cli.command(&["plugins", "ls"])).finish().await;
    assert!(status.success(), "{screen}");
    assert!(screen.contains("\u{1b}[") && screen.contains("running"), "colour on a terminal: {screen:?}");

    let mut cmd = cli.command(&["plugins", "ls"]);
    cmd.env("NO_COLOR", "1");
    let (status, screen) = Pty::spawn(cmd).finish().await;
    assert!(status.success(), "{screen}");
    assert!(!screen.contains('\u{1b}') && screen.contains("running"), "NO_COLOR: {screen:?}");
}
