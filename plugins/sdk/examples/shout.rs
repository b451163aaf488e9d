//! A complete small plugin: a plain capability, a streaming one that honours cancel, live
//! configuration, structured logs, and an in-process test through the SDK's harness.

use bkg_plugin_sdk::{Ctx, Plugin, PluginError, capability, log, parse_input};
use serde::Deserialize;
use serde_json::{Value, json};

#[derive(Deserialize)]
struct Text {
    text: String,
}

async fn shout(ctx: Ctx, input: Value) -> Result<Value, PluginError> {
    let Text { text } = parse_input(input)?;
    let marks = ctx.config()["exclamations"].as_u64().unwrap_or(1) as usize;
    Ok(json!({ "text": format!("{}{}", text.to_uppercase(), "!".repeat(marks)) }))
}

async fn spell(ctx: Ctx, input: Value) -> Result<Value, PluginError> {
    let Text { text } = parse_input(input)?;
    for letter in text.chars() {
        // Fails with `cancelled` once the daemon cancels, which `?` passes on.
        ctx.chunk(json!({ "letter": letter })).await?;
    }
    Ok(json!({ "letters": text.chars().count() }))
}

async fn configure(config: Value) -> Result<(), PluginError> {
    if !config["exclamations"].is_u64() {
        return Err(PluginError::bad_input("exclamations must be a non-negative integer"));
    }
    log::event(log::LogLevel::Info, "configured", json!({ "config": config }));
    Ok(())
}

fn plugin() -> Plugin {
    let text_schema = json!({
        "type": "object", "required": ["text"], "additionalProperties": false,
        "properties": { "text": { "type": "string" } }
    });
    Plugin::new("shout", env!("CARGO_PKG_VERSION"))
        .capability(
            capability("shout").description("Upper-cases a text").input_schema(text_schema.clone()),
            shout,
        )
        .capability(
            capability("spell")
                .description("Streams a text letter by letter")
                .streaming()
                .input_schema(text_schema),
            spell,
        )
        .on_configure(configure)
}

fn main() -> Result<(), bkg_plugin_sdk::RunError> {
    plugin().run_blocking()
}

#[cfg(test)]
mod tests {
    use bkg_plugin_sdk::testing::TestDaemon;
    use serde_json::json;

    #[tokio::test]
    async fn shouts_spells_and_reconfigures() {
        let daemon = TestDaemon::new().config(json!({ "exclamations": 2 }));
        let plugin = daemon.start_in_process(super::plugin()).await.unwrap();
        let out = plugin.invoke("shout", json!({ "text": "hi" })).await.unwrap();
        assert_eq!(out.output(), &json!({ "text": "HI!!" }));

        let out = plugin.invoke("spell", json!({ "text": "ab" })).await.unwrap();
        assert_eq!(out.chunks, [json!({ "letter": "a" }), json!({ "letter": "b" })]);

        assert!(plugin.configure(json!({ "exclamations": 0 })).await.unwrap().result.is_ok());
        let out = plugin.invoke("shout", json!({ "text": "hi" })).await.unwrap();
        assert_eq!(out.output(), &json!({ "text": "HI" }));

        plugin.goodbye("test over").await.unwrap();
        plugin.wait_exit().await.unwrap().unwrap();
    }
}
