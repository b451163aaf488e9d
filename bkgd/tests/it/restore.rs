//! Desired state is persisted: after a daemon restart the plugins that were running run again,
//! on SQLite and (when `BKG_TEST_DATABASE_URL` is set) on PostgreSQL.

use bkg_core::plugin::PluginState;

use crate::harness::{PgDatabase, daemon, start_with, wait_until};

async fn restore_on(database_url: Option<String>) {
    let mut d = daemon()
        .plugin("runner", &["serve"], "")
        .plugin("sleeper", &["serve"], "")
        .plugin("auto", &["serve"], "autostart = true")
        .config(|c| {
            if let Some(url) = &database_url {
                c.database_url = url.clone();
            }
        })
        .start()
        .await;
    wait_until("autostart plugin runs", || async {
        d.client.plugin_status("auto").await.unwrap().status == PluginState::Running
    })
    .await;
    d.client.start("runner").await.unwrap();
    d.client.stop("auto").await.unwrap();
    let root = d.root.clone();
    d.shutdown().await;
    let dir = d.into_dir().await;

    let mut config = crate::harness::test_config(dir.path());
    config.telemetry.interval_ms = 100;
    if let Some(url) = &database_url {
        config.database_url = url.clone();
    }
    let d2 = start_with(config, Some(dir), root).await;
    wait_until("runner is back", || async {
        d2.client.plugin_status("runner").await.unwrap().status == PluginState::Running
    })
    .await;
    assert_eq!(d2.client.plugin_status("sleeper").await.unwrap().status, PluginState::Stopped);
    assert_eq!(
        d2.client.plugin_status("auto").await.unwrap().status,
        PluginState::Stopped,
        "an explicit stop wins over autostart"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn running_plugins_come_back_after_a_daemon_restart() {
    restore_on(None).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn running_plugins_come_back_on_postgres() {
    let Some(db) = PgDatabase::create().await else { return };
    restore_on(Some(db.url.clone())).await;
    db.drop().await;
}
