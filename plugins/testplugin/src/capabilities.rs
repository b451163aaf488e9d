//! The capabilities of the well-behaved plugin, each with a real input schema so the daemon's
//! validation can be tested, and the builder every serving mode starts from.

use std::io::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use bkg_core::logs::LogLevel;
use bkg_plugin_sdk::methods::{Document, DocumentsList, DocumentsPut, ModelsResolve};
use bkg_plugin_sdk::{Access, Ctx, Plugin, PluginError, capability, feature, log, parse_input};
use serde::Deserialize;
use serde_json::{Value, json};

/// The error code of capability `fail`.
pub const REQUESTED_FAILURE: &str = "requested_failure";

/// The well-behaved plugin: every capability, live configuration, callbacks and metrics.
pub fn plugin() -> Plugin {
    Plugin::new("bkg-testplugin", env!("CARGO_PKG_VERSION"))
        .feature(feature::CALLBACKS)
        .feature(feature::METRICS)
        .on_configure(configure)
        .capability(
            capability("echo")
                .description("Returns its input")
                .input_schema(json!({"type": "object"}))
                .output_schema(json!({"type": "object"})),
            echo,
        )
        .capability(
            capability("stream")
                .description("Sends `count` chunks, then a result with the count")
                .streaming()
                .input_schema(strict(
                    json!({
                        "count": {"type": "integer", "minimum": 0, "maximum": 10_000_000},
                        "text": {"type": "string"}
                    }),
                    &["count"],
                ))
                .output_schema(json!({"type": "object", "properties": {"count": {"type": "integer"}}})),
            stream,
        )
        .capability(
            capability("sleep")
                .description("Sleeps `ms` milliseconds; honours cancel")
                .input_schema(strict(
                    json!({"ms": {"type": "integer", "minimum": 0, "maximum": 86_400_000}}),
                    &["ms"],
                ))
                .output_schema(json!({"type": "object", "properties": {"slept_ms": {"type": "integer"}}})),
            sleep,
        )
        .capability(
            capability("fail").description("Fails with code `requested_failure`").input_schema(strict(
                json!({
                    "message": {"type": "string"},
                    "client_error": {"type": "boolean"}
                }),
                &[],
            )),
            fail,
        )
        .capability(
            capability("log")
                .description("Writes `count` lines to stderr (JSON lines, or plain ones with level `plain`)")
                .input_schema(strict(
                    json!({
                        "count": {"type": "integer", "minimum": 0, "maximum": 10_000_000},
                        "level": {"enum": ["trace", "debug", "info", "warn", "error", "plain"]},
                        "message": {"type": "string"}
                    }),
                    &["count"],
                ))
                .output_schema(json!({"type": "object", "properties": {"written": {"type": "integer"}}})),
            log_lines,
        )
        .capability(
            capability("whoami")
                .description("Returns pid, run number, plugin id, daemon version, features and config")
                .input_schema(strict(json!({}), &[])),
            whoami,
        )
        .capability(
            capability("exit")
                .description("Exits the process at once with `code`, without answering")
                .input_schema(strict(
                    json!({"code": {"type": "integer", "minimum": 0, "maximum": 255}}),
                    &["code"],
                )),
            exit,
        )
        .capability(
            capability("store")
                .description(
                    "Puts `texts` into `collection` through documents.put, then lists it with documents.list",
                )
                .input_schema(strict(
                    json!({
                        "collection": {"type": "string", "minLength": 1},
                        "texts": {"type": "array", "items": {"type": "string"}}
                    }),
                    &["collection", "texts"],
                )),
            store,
        )
        .capability(
            capability("model")
                .description("Resolves `model` (id or repo) through the daemon's models.resolve callback")
                .input_schema(strict(json!({"model": {"type": "string", "minLength": 1}}), &["model"])),
            model,
        )
        .capability(
            capability("file")
                .description("Writes `text` to, or reads, a file at `path`, confined by the SDK to the plugin's folders")
                .input_schema(strict(
                    json!({"path": {"type": "string"}, "text": {"type": "string"}}),
                    &["path"],
                )),
            file,
        )
        .capability(
            capability("relay")
                .description("Invokes `capability` of `plugin` through the daemon and answers its output")
                .input_schema(strict(
                    json!({"plugin": {"type": "string"}, "capability": {"type": "string"}, "input": {"type": "object"}}),
                    &["plugin", "capability"],
                )),
            relay,
        )
        .capability(
            capability("panic")
                .description("Panics inside the handler (the SDK answers with error code `panic`)")
                .input_schema(strict(json!({"message": {"type": "string"}}), &[])),
            panic,
        )
}

/// An object schema that rejects unknown keys.
fn strict(properties: Value, required: &[&str]) -> Value {
    json!({"type": "object", "properties": properties, "required": required, "additionalProperties": false})
}

static ECHO_CALLS: AtomicU64 = AtomicU64::new(0);

async fn echo(ctx: Ctx, input: Value) -> Result<Value, PluginError> {
    let calls = ECHO_CALLS.fetch_add(1, Ordering::Relaxed) + 1;
    // Reported before the result, so a caller that got the result can already see the counter.
    ctx.report_metrics([("echo_calls", calls as f64)]).await?;
    Ok(input)
}

#[derive(Deserialize)]
struct StreamInput {
    count: u64,
    text: Option<String>,
}

async fn stream(ctx: Ctx, input: Value) -> Result<Value, PluginError> {
    let input: StreamInput = parse_input(input)?;
    let text = input.text.unwrap_or_else(|| "chunk".to_owned());
    for n in 0..input.count {
        ctx.chunk(json!({"n": n, "text": text})).await?;
    }
    Ok(json!({"count": input.count}))
}

#[derive(Deserialize)]
struct SleepInput {
    ms: u64,
}

async fn sleep(ctx: Ctx, input: Value) -> Result<Value, PluginError> {
    let input: SleepInput = parse_input(input)?;
    tokio::select! {
        () = tokio::time::sleep(Duration::from_millis(input.ms)) => Ok(json!({"slept_ms": input.ms})),
        () = ctx.cancelled() => {
            // Logged so the daemon's tests can see the cancel arrive.
            log::info(format!("sleep {} cancelled", ctx.id()));
            Err(PluginError::cancelled())
        }
    }
}

#[derive(Deserialize)]
struct FailInput {
    message: Option<String>,
    #[serde(default)]
    client_error: bool,
}

async fn fail(_ctx: Ctx, input: Value) -> Result<Value, PluginError> {
    let input: FailInput = parse_input(input)?;
    let mut error =
        PluginError::new(REQUESTED_FAILURE, input.message.unwrap_or_else(|| "failure requested".into()));
    error.client_error = input.client_error;
    Err(error)
}

#[derive(Deserialize)]
struct LogInput {
    count: u64,
    level: Option<String>,
    message: Option<String>,
}

async fn log_lines(_ctx: Ctx, input: Value) -> Result<Value, PluginError> {
    let input: LogInput = parse_input(input)?;
    let message = input.message.unwrap_or_else(|| "log line".into());
    let level = input.level.unwrap_or_else(|| "info".into());
    if level == "plain" {
        let mut stderr = std::io::stderr().lock();
        for n in 0..input.count {
            writeln!(stderr, "{message} {n}").map_err(|e| PluginError::internal(format!("stderr: {e}")))?;
        }
    } else {
        let level = LogLevel::parse_lenient(&level).ok_or_else(|| PluginError::bad_input("unknown level"))?;
        for n in 0..input.count {
            log::event(level, &message, json!({"n": n}));
        }
    }
    Ok(json!({"written": input.count}))
}

async fn whoami(ctx: Ctx, _input: Value) -> Result<Value, PluginError> {
    Ok(json!({
        "pid": std::process::id(),
        "run": ctx.run(),
        "pluginId": ctx.plugin_id(),
        "daemonVersion": ctx.daemon().daemon_version,
        "features": ctx.features(),
        "config": *ctx.config(),
        "caller": ctx.caller(),
        "dataDir": ctx.data_dir(),
        "allowedPaths": ctx.allowed_paths(),
        "envDataDir": std::env::var("BKG_PLUGIN_DATA_DIR").ok(),
    }))
}

#[derive(Deserialize)]
struct RelayInput {
    plugin: String,
    capability: String,
    #[serde(default)]
    input: Option<Value>,
}

async fn relay(ctx: Ctx, input: Value) -> Result<Value, PluginError> {
    let input: RelayInput = parse_input(input)?;
    let output =
        ctx.invoke_plugin(&input.plugin, &input.capability, input.input.unwrap_or(json!({}))).await?;
    Ok(json!({"output": output}))
}

#[derive(Deserialize)]
struct FileInput {
    path: String,
    text: Option<String>,
}

/// With `text`: writes it (creating folders) and answers where; without: answers the text.
async fn file(ctx: Ctx, input: Value) -> Result<Value, PluginError> {
    let input: FileInput = parse_input(input)?;
    let io = |e: std::io::Error| PluginError::internal(format!("{}: {e}", input.path));
    match &input.text {
        Some(text) => {
            let path = ctx.resolve_path(&input.path, Access::Write)?;
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir).map_err(io)?;
            }
            std::fs::write(&path, text).map_err(io)?;
            Ok(json!({"written": path}))
        }
        None => {
            let path = ctx.resolve_path(&input.path, Access::Read)?;
            Ok(json!({"text": std::fs::read_to_string(&path).map_err(io)?}))
        }
    }
}

#[derive(Deserialize)]
struct ExitInput {
    code: i32,
}

async fn exit(_ctx: Ctx, input: Value) -> Result<Value, PluginError> {
    let input: ExitInput = parse_input(input)?;
    std::process::exit(input.code)
}

#[derive(Deserialize)]
struct StoreInput {
    collection: String,
    texts: Vec<String>,
}

async fn store(ctx: Ctx, input: Value) -> Result<Value, PluginError> {
    let input: StoreInput = parse_input(input)?;
    let documents = input
        .texts
        .into_iter()
        .map(|text| Document {
            id: None,
            text,
            metadata: json!({"source": "bkg-testplugin"}),
            embedding: None,
        })
        .collect();
    let put = ctx
        .documents_put(&DocumentsPut { collection: input.collection.clone(), model: None, documents })
        .await?;
    let list = ctx
        .documents_list(&DocumentsList {
            collection: input.collection,
            after: None,
            limit: 500,
            with_embeddings: false,
        })
        .await?;
    Ok(json!({"put": put, "list": list}))
}

#[derive(Deserialize)]
struct ModelInput {
    model: String,
}

async fn model(ctx: Ctx, input: Value) -> Result<Value, PluginError> {
    let input: ModelInput = parse_input(input)?;
    let resolved = ctx.session().models_resolve(&ModelsResolve { model: input.model }).await?;
    Ok(serde_json::to_value(resolved).unwrap_or_default())
}

#[derive(Deserialize)]
struct PanicInput {
    message: Option<String>,
}

async fn panic(_ctx: Ctx, input: Value) -> Result<Value, PluginError> {
    let input: PanicInput = parse_input(input)?;
    panic!("{}", input.message.unwrap_or_else(|| "panic requested".into()))
}

/// Accepts any object, except one with `"reject": true`, so tests can exercise a refused
/// configuration.
async fn configure(config: Value) -> Result<(), PluginError> {
    if !config.is_object() {
        return Err(PluginError::bad_input("the configuration must be an object"));
    }
    if config.get("reject") == Some(&Value::Bool(true)) {
        return Err(PluginError::new("config_rejected", "rejected as asked by `reject: true`").client());
    }
    log::event(LogLevel::Info, "configuration applied", json!({"config": config}));
    Ok(())
}
