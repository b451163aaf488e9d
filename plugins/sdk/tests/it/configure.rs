//! Live configuration: the hello's config, accepted and refused updates, ordering, and plugins
//! without a configure handler.

use bkg_plugin_sdk::testing::TestDaemon;
use bkg_plugin_sdk::{PluginError, capability, codes, feature};
use serde_json::{Value, json};

use super::echo_plugin;

fn configurable() -> bkg_plugin_sdk::Plugin {
    echo_plugin()
        .on_configure(|config: Value| async move {
            if config.get("bad").is_some() {
                return Err(PluginError::bad_input("bad is not allowed"));
            }
            Ok(())
        })
        .capability(capability("config"), |ctx, _input| async move { Ok((*ctx.config()).clone()) })
}

#[tokio::test]
async fn the_hello_config_is_the_first_snapshot_and_updates_replace_it() {
    let daemon = TestDaemon::new().config(json!({"temperature": 0.5}));
    let plugin = daemon.start_in_process(configurable()).await.unwrap();
    assert!(plugin.hello().unwrap().features.contains(&feature::CONFIG_LIVE.to_owned()));
    assert_eq!(plugin.invoke("config", json!({})).await.unwrap().output(), &json!({"temperature": 0.5}));

    let applied = plugin.configure(json!({"temperature": 0.9})).await.unwrap();
    assert_eq!(applied.output(), &Value::Null);
    assert_eq!(plugin.invoke("config", json!({})).await.unwrap().output(), &json!({"temperature": 0.9}));

    let refused = plugin.configure(json!({"bad": 1})).await.unwrap();
    assert_eq!(refused.error().code, codes::BAD_INPUT);
    assert_eq!(plugin.invoke("config", json!({})).await.unwrap().output(), &json!({"temperature": 0.9}));
}

#[tokio::test]
async fn configures_apply_in_the_order_they_were_sent() {
    let plugin = TestDaemon::new().start_in_process(configurable()).await.unwrap();
    let mut ids = Vec::new();
    for n in 0..50 {
        let id = plugin.next_id();
        plugin
            .send(&bkg_core::protocol::DaemonMessage::Configure { id, config: json!({"n": n}) })
            .await
            .unwrap();
        ids.push(id);
    }
    // The last one must win. Sent through the harness, its answer comes after the 50 raw ones,
    // which (having no route in the harness) are collected as unexpected replies, in order.
    assert_eq!(plugin.configure(json!({"n": 50})).await.unwrap().output(), &Value::Null);
    let answered: Vec<u64> = plugin
        .unexpected()
        .into_iter()
        .map(|m| match m {
            bkg_core::protocol::PluginMessage::Result { id, .. } => id,
            other => panic!("unexpected {other:?}"),
        })
        .collect();
    assert_eq!(answered, ids);
    assert_eq!(plugin.invoke("config", json!({})).await.unwrap().output(), &json!({"n": 50}));
}

#[tokio::test]
async fn a_plugin_without_a_configure_handler_refuses_configure() {
    let plugin = TestDaemon::new().start_in_process(echo_plugin()).await.unwrap();
    assert!(!plugin.hello().unwrap().features.contains(&feature::CONFIG_LIVE.to_owned()));
    let refused = plugin.configure(json!({})).await.unwrap();
    assert_eq!(refused.error().code, codes::UNSUPPORTED);
}
