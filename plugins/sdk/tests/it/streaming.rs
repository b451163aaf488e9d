//! Streaming and cancellation: chunks before the result, cancels that stop a stream, a handler
//! that waits for its cancel, and one that ignores it.

use bkg_plugin_sdk::testing::{Reply, TestDaemon};
use bkg_plugin_sdk::{PluginError, capability, codes};
use serde_json::{Value, json};

use super::echo_plugin;

fn streaming_plugin() -> bkg_plugin_sdk::Plugin {
    echo_plugin()
        .capability(capability("count").streaming(), |ctx, input| async move {
            let n = input["n"].as_u64().ok_or_else(|| PluginError::bad_input("n"))?;
            for i in 0..n {
                ctx.chunk(json!(i)).await?;
            }
            Ok(json!({"sent": n}))
        })
        .capability(capability("forever").streaming(), |ctx, _input| async move {
            // Streams until cancelled; `chunk` fails with `cancelled`, which `?` returns.
            let mut i = 0u64;
            loop {
                ctx.chunk(json!(i)).await?;
                i += 1;
                tokio::task::yield_now().await;
            }
        })
        .capability(capability("until_cancelled"), |ctx, _input| async move {
            ctx.cancelled().await;
            assert!(ctx.is_cancelled());
            Err::<Value, _>(PluginError::cancelled())
        })
        .capability(capability("ignores_cancel"), |ctx, _input| async move {
            // Finishes "successfully" after the cancel; the SDK must still answer cancelled.
            ctx.cancelled().await;
            Ok(json!("done anyway"))
        })
}

#[tokio::test]
async fn chunks_arrive_in_order_before_the_result() {
    let plugin = TestDaemon::new().start_in_process(streaming_plugin()).await.unwrap();
    let outcome = plugin.invoke("count", json!({"n": 1000})).await.unwrap();
    assert_eq!(outcome.chunks, (0..1000).map(|i| json!(i)).collect::<Vec<_>>());
    assert_eq!(outcome.output(), &json!({"sent": 1000}));
}

#[tokio::test]
async fn cancel_stops_a_stream() {
    let plugin = TestDaemon::new().start_in_process(streaming_plugin()).await.unwrap();
    let mut stream = plugin.start("forever", json!({})).await.unwrap();
    assert_eq!(stream.next().await.unwrap(), Reply::Chunk(json!(0)));
    stream.cancel().await.unwrap();
    let outcome = stream.finish().await.unwrap();
    assert_eq!(outcome.error().code, codes::CANCELLED);
    // Other requests are unaffected.
    assert_eq!(plugin.invoke("echo", json!({"ok": true})).await.unwrap().output(), &json!({"ok": true}));
}

#[tokio::test]
async fn cancelled_future_wakes_the_handler() {
    let plugin = TestDaemon::new().start_in_process(streaming_plugin()).await.unwrap();
    let waiting = plugin.start("until_cancelled", json!({})).await.unwrap();
    waiting.cancel().await.unwrap();
    assert_eq!(waiting.finish().await.unwrap().error().code, codes::CANCELLED);
}

#[tokio::test]
async fn a_cancelled_request_is_answered_cancelled_whatever_the_handler_returns() {
    let plugin = TestDaemon::new().start_in_process(streaming_plugin()).await.unwrap();
    let waiting = plugin.start("ignores_cancel", json!({})).await.unwrap();
    waiting.cancel().await.unwrap();
    assert_eq!(waiting.finish().await.unwrap().error().code, codes::CANCELLED);
}

#[tokio::test]
async fn cancelling_an_unknown_or_finished_request_is_harmless() {
    let plugin = TestDaemon::new().start_in_process(streaming_plugin()).await.unwrap();
    plugin.send(&bkg_core::protocol::DaemonMessage::Cancel { id: 999 }).await.unwrap();
    assert_eq!(plugin.invoke("echo", json!({})).await.unwrap().output(), &json!({}));
    assert!(plugin.unexpected().is_empty());
}
