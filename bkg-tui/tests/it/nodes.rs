//! `:nodes` on a real daemon (SQLite: one node, the one answering, up), refreshed by polling
//! while shown (no WebSocket topic carries nodes), and the plugin list's node column, which
//! only a wide terminal has room for.

use bkg_core::auth::Role;

use crate::harness::Tmux;

const PLUGIN: &str = "echo";
const NODE: &str = "tui-node";

#[tokio::test(flavor = "multi_thread")]
async fn the_nodes_view_shows_this_node_and_its_plugins_and_the_list_names_the_node() {
    let d = bkg_testkit::daemon()
        .plugin(PLUGIN, &["serve"], "")
        .config(|c| c.cluster.node_name = NODE.into())
        .start()
        .await;
    let token = d.key(Role::Admin).await;
    let cfg = tempfile::tempdir().unwrap();
    let tmux = Tmux::start(&d.url(""), &token, cfg.path());
    let screen = tmux.wait_text("Plugins (1)").await;
    assert!(!screen.contains("NODE"), "100 columns leave no room for the node column:\n{screen}");

    tmux.type_text(":nodes");
    tmux.key("Enter");
    let url = d.url("");
    let screen = tmux
        .wait("this node is listed as the one answering, up, with its stopped plugin", |s| {
            s.lines().any(|l| {
                l.contains(&format!("* {NODE}"))
                    && l.contains("● up")
                    && l.contains(&url)
                    && l.contains(bkg_core::VERSION)
                    && l.contains("0/1")
                    && l.contains("now")
            })
        })
        .await;
    assert!(screen.contains("Nodes (live, 1;"), "{screen}");
    assert!(screen.contains(&format!("Plugins on {NODE} (1)")), "{screen}");
    assert!(screen.lines().any(|l| l.contains("○ stopped") && l.contains(PLUGIN)), "{screen}");
    assert!(!screen.contains("acted on through"), "the node answering needs no other URL:\n{screen}");

    // Started behind the TUI's back: the next poll shows it.
    d.client.start(PLUGIN).await.unwrap();
    tmux.wait("the poll shows the plugin running", |s| {
        s.lines().any(|l| l.contains(&format!("* {NODE}")) && l.contains("1/1"))
            && s.lines().any(|l| l.contains("● running") && l.contains(PLUGIN))
    })
    .await;

    tmux.key("Escape");
    tmux.resize(130, 30);
    tmux.wait("the plugin list names the node", |s| {
        s.contains("NODE")
            && s.lines().any(|l| {
                l.contains(PLUGIN)
                    && l.contains("running")
                    && l.trim_end_matches('│').trim_end().ends_with(NODE)
            })
    })
    .await;

    tmux.type_text("q");
    tmux.wait_text("bkg-tui exited 0").await;
}
