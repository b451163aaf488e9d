//! Several bkgd on one PostgreSQL database (three nodes in this process, each with its own data
//! dir and port): a token from one node is accepted by the others; a logout, a key deletion and
//! a role change on one are honoured by the others; users, keys and the audit log are shared;
//! plugins stay per node and `GET /api/nodes` shows the whole cluster. And the one node of a
//! SQLite daemon.

use std::time::{Duration, Instant};

use bkg_core::auth::{CreateApiKey, Role, UpdateUser};
use bkg_core::client::Client;
use bkg_core::cluster::NodeState;
use bkg_core::plugin::PluginState;

use crate::harness::{PgDatabase, TestDaemon, daemon, wait_until};

async fn node(name: &str, url: &str) -> TestDaemon {
    let url = url.to_string();
    let name = name.to_string();
    daemon()
        .plugin("p", &["serve"], "")
        .config(move |c| {
            c.database_url = url;
            c.cluster.node_name = name;
            c.cluster.heartbeat_ms = 500;
        })
        .start()
        .await
}

/// Waits until `f` holds and says how long that took (the time a change took to reach a node).
async fn until<F, Fut>(what: &str, f: F) -> Duration
where
    F: FnMut() -> Fut,
    Fut: Future<Output = bool>,
{
    let started = Instant::now();
    wait_until(what, f).await;
    started.elapsed()
}

fn at(client: &Client, d: &TestDaemon) -> Client {
    let token = client.token().expect("a logged-in client").to_string();
    Client::new(&d.url("")).unwrap().with_token(token)
}

#[tokio::test(flavor = "multi_thread")]
async fn three_nodes_share_credentials_and_keep_their_own_plugins() {
    let Some(db) = PgDatabase::create().await else { return };
    let a = node("alpha", &db.url).await;
    let b = node("beta", &db.url).await;
    let mut c = node("gamma", &db.url).await;

    // Every node lists every node, itself as current.
    for (d, me) in [(&a, "alpha"), (&b, "beta"), (&c, "gamma")] {
        let nodes = d.client.nodes().await.unwrap().nodes;
        let names: Vec<_> = nodes.iter().map(|n| n.name.as_str()).collect();
        assert_eq!(names, ["alpha", "beta", "gamma"]);
        assert!(nodes.iter().all(|n| n.state == NodeState::Up), "{nodes:?}");
        let current: Vec<_> = nodes.iter().filter(|n| n.current).map(|n| n.name.as_str()).collect();
        assert_eq!(current, [me]);
        assert!(nodes.iter().all(|n| n.version == bkg_core::VERSION && n.commit == bkgd::COMMIT));
    }

    // A token issued by alpha works on beta and gamma.
    for d in [&b, &c] {
        assert_eq!(at(&a.client, d).me().await.unwrap().user.username, "admin");
    }

    // Plugins are per node: starting p on alpha leaves beta's p alone, and beta sees alpha's
    // as alpha reports it.
    a.client.start("p").await.unwrap();
    assert_eq!(b.client.plugin_status("p").await.unwrap().status, PluginState::Stopped);
    let own = b.client.plugins().await.unwrap().plugins;
    assert!(own.iter().all(|p| &*p.node == "beta"), "{own:?}");
    until("beta sees alpha's p running", || async {
        let nodes = b.client.nodes().await.unwrap().nodes;
        nodes.iter().any(|n| {
            n.name == "alpha"
                && n.plugins
                    .iter()
                    .any(|p| &*p.id == "p" && p.status == PluginState::Running && &*p.node == "alpha")
        })
    })
    .await;

    // A user made on alpha logs in on beta; a role change on gamma ends her sessions on beta
    // (a role change ends the user's sessions, docs/SECURITY.md).
    let user = a
        .client
        .create_user(&bkg_core::auth::CreateUser {
            username: "olga".into(),
            password: "olga-password-123".into(),
            role: Role::Developer,
        })
        .await
        .unwrap();
    let login = async || {
        let tokens = b.anonymous.login("olga", "olga-password-123").await.unwrap();
        b.anonymous.clone().with_token(tokens.access_token)
    };
    let olga_at_b = login().await;
    assert_eq!(olga_at_b.me().await.unwrap().role, Role::Developer);
    c.client
        .update_user(&user.id, &UpdateUser { role: Some(Role::Readonly), ..Default::default() })
        .await
        .unwrap();
    let role_took =
        until("beta ends the session gamma's role change ended", || async { olga_at_b.me().await.is_err() })
            .await;
    let olga_at_b = login().await;
    assert_eq!(olga_at_b.me().await.unwrap().role, Role::Readonly, "beta reads the new role");

    // A logout on alpha ends the session on beta.
    let olga_at_a = at(&olga_at_b, &a);
    olga_at_a.logout(false).await.unwrap();
    let logout_took =
        until("beta refuses the logged-out token", || async { olga_at_b.me().await.is_err() }).await;

    // A key made on beta works on gamma until alpha deletes it; the audit log has it all.
    let key = b
        .client
        .create_api_key(&CreateApiKey { name: "ci".into(), role: Some(Role::Readonly), ..Default::default() })
        .await
        .unwrap();
    let key_at_c = Client::new(&c.url("")).unwrap().with_token(key.secret.clone());
    assert_eq!(key_at_c.me().await.unwrap().role, Role::Readonly);
    a.client.delete_api_key(&key.key.id).await.unwrap();
    let delete_took = until("gamma refuses the deleted key", || async { key_at_c.me().await.is_err() }).await;
    let audit = c.client.audit(&Default::default()).await.unwrap().events;
    for action in ["user.create", "user.update", "key.create", "key.delete"] {
        assert!(audit.iter().any(|e| e.action == action), "{action} in the shared audit log: {audit:?}");
    }
    eprintln!(
        "cluster: role change reached another node in {role_took:?}, logout in {logout_took:?}, key deletion in {delete_took:?}"
    );

    // gamma stops cleanly: the others list it stopped.
    c.shutdown().await;
    let nodes = a.client.nodes().await.unwrap().nodes;
    let gamma = nodes.iter().find(|n| n.name == "gamma").unwrap();
    assert_eq!(gamma.state, NodeState::Stopped, "{gamma:?}");

    // A second live node may not take alpha's name.
    let dir = tempfile::tempdir().unwrap();
    let mut config = crate::harness::test_config(dir.path());
    config.database_url = db.url.clone();
    config.cluster.node_name = "alpha".into();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let err = bkgd::run(config, listener, async {}).await.unwrap_err();
    assert!(format!("{err:#}").contains("\"alpha\" and is alive"), "{err:#}");

    drop((a, b, c));
    db.drop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_sqlite_daemon_is_one_node() {
    let d =
        daemon().plugin("p", &["serve"], "").config(|c| c.cluster.node_name = "solo".into()).start().await;
    let nodes = d.client.nodes().await.unwrap().nodes;
    assert_eq!(nodes.len(), 1, "{nodes:?}");
    let n = &nodes[0];
    assert!(n.current && n.state == NodeState::Up && n.name == "solo", "{n:?}");
    assert_eq!(n.url, d.url(""));
    assert_eq!(n.plugins.iter().map(|p| &*p.id).collect::<Vec<_>>(), ["p"]);
    assert_eq!(&*d.client.plugins().await.unwrap().plugins[0].node, "solo");
    // The node keeps its id across restarts (a file in the data dir).
    let id = n.id.clone();
    let mut d = d;
    d.shutdown().await;
    d.restart().await;
    let nodes = d.client.nodes().await.unwrap().nodes;
    assert_eq!(nodes.len(), 1);
    assert_eq!(nodes[0].id, id);
}
