//! Metrics: counters reach the daemon when both sides use the feature, and are withheld
//! otherwise; a reporter also works from a background task started in `on_ready`.

use bkg_plugin_sdk::testing::TestDaemon;
use bkg_plugin_sdk::{capability, feature};
use serde_json::json;

use super::echo_plugin;

fn counting() -> bkg_plugin_sdk::Plugin {
    echo_plugin().feature(feature::METRICS).capability(capability("count"), |ctx, _input| async move {
        ctx.report_metrics([("calls", 1.0), ("ratio", f64::NAN)]).await?;
        Ok(json!({"enabled": ctx.metrics().is_enabled()}))
    })
}

#[tokio::test]
async fn counters_are_reported_and_non_finite_values_dropped() {
    let plugin = TestDaemon::new().start_in_process(counting()).await.unwrap();
    assert_eq!(plugin.invoke("count", json!({})).await.unwrap().output(), &json!({"enabled": true}));
    let metrics = plugin.wait_metrics(|m| m.contains_key("calls")).await.unwrap();
    assert_eq!(metrics.get("calls"), Some(&1.0));
    assert!(!metrics.contains_key("ratio"));
}

#[tokio::test]
async fn no_metrics_are_sent_when_the_daemon_does_not_take_them() {
    let plugin = TestDaemon::new().features(["cancel"]).start_in_process(counting()).await.unwrap();
    assert_eq!(plugin.invoke("count", json!({})).await.unwrap().output(), &json!({"enabled": false}));
    // The result was written after the (withheld) metrics would have been, so none can follow.
    assert!(plugin.metrics().is_empty());
}

#[tokio::test]
async fn a_background_reporter_started_on_ready_reports() {
    let plugin = echo_plugin().feature(feature::METRICS).on_ready(|session| async move {
        let metrics = session.metrics();
        tokio::spawn(async move { metrics.report([("warm", 1.0)]).await });
    });
    let plugin = TestDaemon::new().start_in_process(plugin).await.unwrap();
    assert_eq!(plugin.wait_metrics(|m| m.contains_key("warm")).await.unwrap().get("warm"), Some(&1.0));
}
