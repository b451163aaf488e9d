//! Needs the auth API. `login` (password from stdin and from a terminal prompt without echo,
//! or an API key with `--with-token`), `whoami`, `logout`; exit 3 for a wrong password, no
//! credentials and a forbidden action; transparent refresh of stale and rejected access
//! tokens, also by several processes at once.

use crate::harness::{ADMIN, ADMIN_PASSWORD, Cli, daemon};
use crate::pty::Pty;

fn credentials(cli: &Cli) -> toml::Table {
    let text = std::fs::read_to_string(cli.config_path().join("credentials.toml")).unwrap_or_default();
    toml::from_str(&text).unwrap()
}

fn session<'a>(creds: &'a toml::Table, server: &str) -> &'a toml::Table {
    creds["servers"][&format!("{server}/")].as_table().unwrap()
}

async fn login(cli: &Cli, user: &str, password: &str) {
    cli.run_with_stdin(&["login", "-u", user, "--password-stdin"], Some(&format!("{password}\n")))
        .await
        .expect(0);
}

#[tokio::test(flavor = "multi_thread")]
async fn login_whoami_logout() {
    let d = daemon().plugin("p", &["serve"], "").start().await;
    let cli = Cli::anonymous(&d);

    let out = cli.run(&["plugins", "ls"]).await.expect(3);
    assert!(out.stderr.contains("(401)") && out.stderr.contains("bkgctl login"), "{}", out.stderr);
    let out =
        cli.run_with_stdin(&["login", "-u", ADMIN, "--password-stdin"], Some("wrong\n")).await.expect(3);
    assert!(out.stderr.contains("(401)"), "{}", out.stderr);
    assert!(!cli.config_path().join("credentials.toml").exists());

    let out = cli
        .run_with_stdin(
            &["login", "-u", ADMIN, "--password-stdin", "-o", "json"],
            Some(&format!("{ADMIN_PASSWORD}\n")),
        )
        .await
        .expect(0);
    let answer = out.json();
    assert_eq!(answer["username"], ADMIN);
    assert_eq!(answer["method"], "session");
    let path = cli.config_path().join("credentials.toml");
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(!text.contains(ADMIN_PASSWORD), "the password is never stored");
    assert_eq!(session(&credentials(&cli), &d.url(""))["kind"].as_str(), Some("session"));

    assert_eq!(cli.json(&["plugins", "ls"]).await["plugins"][0]["id"], "p");
    let me = cli.json(&["whoami"]).await;
    assert_eq!(me["user"]["username"], ADMIN);
    assert_eq!(me["role"], "admin");
    assert_eq!(me["method"], "jwt");
    let table = cli.table(&["whoami"]).await;
    assert!(table.starts_with("USER:") && table.contains("admin"), "{table}");
    let access = session(&credentials(&cli), &d.url(""))["access-token"].as_str().unwrap().to_string();

    let out = cli.json(&["logout"]).await;
    assert_eq!(out["loggedOut"], true);
    let table = cli
        .run_with_stdin(&["login", "-u", ADMIN, "--password-stdin"], Some(ADMIN_PASSWORD))
        .await
        .expect(0)
        .stdout;
    assert_eq!(table, format!("logged in to {}/ as admin\n", d.url("")));
    assert_eq!(cli.table(&["logout"]).await, format!("logged out of {}/\n", d.url("")));
    assert!(credentials(&cli).get("servers").and_then(|s| s.as_table()).is_none_or(|s| s.is_empty()));
    cli.run(&["plugins", "ls"]).await.expect(3);
    // The session ended on the server too: its access token no longer works.
    let mut old = Cli::anonymous(&d);
    old.token = Some(access);
    old.run(&["plugins", "ls"]).await.expect(3);
    assert_eq!(cli.json(&["logout"]).await["loggedOut"], false);
}

#[tokio::test(flavor = "multi_thread")]
async fn forbidden_is_exit_3() {
    let d = daemon().plugin("p", &["serve"], "").start().await;
    let admin = Cli::new(&d);
    admin
        .run_with_stdin(
            &["users", "create", "reader", "--role", "readonly", "--password-stdin"],
            Some("reader pw 123\n"),
        )
        .await
        .expect(0);
    let reader = Cli::anonymous(&d);
    login(&reader, "reader", "reader pw 123").await;
    reader.run(&["plugins", "ls"]).await.expect(0);
    let out = reader.run(&["plugins", "start", "p"]).await.expect(3);
    assert!(out.stderr.contains("(403)") && out.stderr.contains("whoami"), "{}", out.stderr);
    reader.run(&["users", "ls"]).await.expect(3);
    assert_eq!(reader.json(&["whoami"]).await["role"], "readonly");
}

#[tokio::test(flavor = "multi_thread")]
async fn stale_and_rejected_tokens_refresh_transparently() {
    let d = daemon().plugin("p", &["serve"], "").start().await;
    let cli = Cli::anonymous(&d);
    login(&cli, ADMIN, ADMIN_PASSWORD).await;
    let path = cli.config_path().join("credentials.toml");
    let key = format!("{}/", d.url(""));
    let edit = |f: &dyn Fn(&mut toml::Table)| {
        let mut creds = credentials(&cli);
        f(creds["servers"].as_table_mut().unwrap()[&key].as_table_mut().unwrap());
        std::fs::write(&path, toml::to_string(&creds).unwrap()).unwrap();
    };

    // Expired by the clock: refreshed before the call.
    let before = session(&credentials(&cli), &d.url("")).clone();
    edit(&|s| {
        s.insert("access-expires-at".into(), toml::Value::String("2000-01-01T00:00:00Z".into()));
    });
    cli.run(&["plugins", "ls"]).await.expect(0);
    let after = session(&credentials(&cli), &d.url("")).clone();
    assert_ne!(after["access-token"], before["access-token"]);
    assert_ne!(after["refresh-token"], before["refresh-token"], "refresh tokens rotate on use");

    // Rejected by the server: refreshed and retried once.
    edit(&|s| {
        s.insert("access-token".into(), toml::Value::String("garbage".into()));
    });
    cli.run(&["plugins", "ls"]).await.expect(0);
    assert_ne!(session(&credentials(&cli), &d.url(""))["access-token"].as_str(), Some("garbage"));

    // Several processes with a stale token at once: one refreshes, the others adopt its
    // tokens instead of reusing the spent refresh token (which would revoke the session).
    edit(&|s| {
        s.insert("access-expires-at".into(), toml::Value::String("2000-01-01T00:00:00Z".into()));
    });
    let runs = (0..4).map(|_| cli.run(&["plugins", "ls"]));
    for out in futures_util::future::join_all(runs).await {
        out.expect(0);
    }
    cli.run(&["whoami"]).await.expect(0);

    // A session ended elsewhere: the refresh fails, bkgctl says so and forgets it.
    let other = Cli::anonymous(&d);
    login(&other, ADMIN, ADMIN_PASSWORD).await;
    other.run(&["logout", "--all"]).await.expect(0);
    edit(&|s| {
        s.insert("access-expires-at".into(), toml::Value::String("2000-01-01T00:00:00Z".into()));
    });
    let out = cli.run(&["plugins", "ls"]).await.expect(3);
    assert!(out.stderr.contains("bkgctl login"), "{}", out.stderr);
    assert!(credentials(&cli).get("servers").and_then(|s| s.as_table()).is_none_or(|s| s.is_empty()));
}

#[tokio::test(flavor = "multi_thread")]
async fn password_prompt_does_not_echo() {
    let d = daemon().start().await;
    let cli = Cli::anonymous(&d);
    let mut pty = Pty::spawn(cli.command(&["login"]));
    pty.wait_for("Username: ").await;
    pty.type_text(&format!("{ADMIN}\n"));
    pty.wait_for("Password: ").await;
    pty.type_text(&format!("{ADMIN_PASSWORD}\n"));
    let (status, screen) = pty.finish().await;
    assert!(status.success(), "{screen}");
    assert!(!screen.contains(ADMIN_PASSWORD), "the password was echoed: {screen:?}");
    assert!(screen.contains("logged in to"), "{screen}");
    cli.run(&["whoami"]).await.expect(0);

    // Without a terminal and without --password-stdin there is nobody to ask: usage error.
    let fresh = Cli::anonymous(&d);
    let out = fresh.run(&["login", "-u", ADMIN]).await.expect(2);
    assert!(out.stderr.contains("--password-stdin"), "{}", out.stderr);
}

#[tokio::test(flavor = "multi_thread")]
async fn login_with_an_api_key() {
    let d = daemon().plugin("p", &["serve"], "").start().await;
    let admin = Cli::new(&d);
    let secret = admin.table(&["keys", "create", "ci", "--role", "readonly", "-q"]).await;
    let secret = secret.trim();
    let cli = Cli::anonymous(&d);
    let out = cli.run_with_stdin(&["login", "--with-token", "-o", "json"], Some(secret)).await.expect(0);
    assert_eq!(out.json()["method"], "token");
    let me = cli.json(&["whoami"]).await;
    assert_eq!(me["method"], "api_key");
    assert_eq!(me["role"], "readonly");
    cli.run(&["plugins", "start", "p"]).await.expect(3);
    let out = cli.run(&["logout"]).await.expect(0);
    assert!(out.stderr.contains("stays valid"), "{}", out.stderr);
    cli.run(&["plugins", "ls"]).await.expect(3);
    Cli::anonymous(&d).run_with_stdin(&["login", "--with-token"], Some("bkg_wrong")).await.expect(3);
}
