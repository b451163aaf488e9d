//! Pins `docs/PROTOCOL.md` to the protocol types: every tagged example parses into its type and
//! has no field the type would silently ignore, every message of both directions and every
//! callback method has an example, the manifest example parses as a full `PluginManifest`,
//! and the Rust, Python and Node examples are the SDKs' `shout` files verbatim (which `cargo test` compiles and runs).
//!
//! Tags are the words after a fence's language: ```` ```json daemon ````, ```` ```json plugin ````,
//! ```` ```json params <method> ````, ```` ```json result <method> ````, ```` ```json log ````,
//! ```` ```toml manifest ````, ```` ```rust shout ````, ```` ```python shout ````, ```` ```js shout ````.

use std::collections::BTreeSet;
use std::path::PathBuf;

use bkg_core::logs::LogLevel;
use bkg_core::plugin::PluginManifest;
use bkg_core::protocol::methods::{self, *};
use bkg_core::protocol::{DaemonMessage, PluginMessage};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

struct Block {
    tags: Vec<String>,
    body: String,
    line: usize,
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn blocks() -> Vec<Block> {
    let doc = std::fs::read_to_string(root().join("docs/PROTOCOL.md")).unwrap();
    let mut blocks = Vec::new();
    let mut open: Option<Block> = None;
    for (n, line) in doc.lines().enumerate() {
        match (&mut open, line.strip_prefix("```")) {
            (None, Some(info)) => {
                open = Some(Block {
                    tags: info.split_whitespace().map(str::to_owned).collect(),
                    body: String::new(),
                    line: n + 1,
                })
            }
            (Some(_), Some("")) => blocks.extend(open.take()),
            (Some(block), _) => {
                block.body.push_str(line);
                block.body.push('\n');
            }
            (None, None) => {}
        }
    }
    assert!(open.is_none(), "an unclosed code block in PROTOCOL.md");
    blocks
}

/// Every field of `example` is in `actual` with the same value (numbers compared as numbers), so
/// the example shows nothing the types would drop; `actual` may add defaulted fields.
fn assert_shown_fields_exist(example: &Value, actual: &Value, path: &str) {
    match (example, actual) {
        (Value::Object(e), Value::Object(a)) => {
            for (key, value) in e {
                let Some(found) = a.get(key) else { panic!("{path}.{key} is not a field of the type") };
                assert_shown_fields_exist(value, found, &format!("{path}.{key}"));
            }
        }
        (Value::Array(e), Value::Array(a)) => {
            assert_eq!(e.len(), a.len(), "{path} length");
            for (i, (e, a)) in e.iter().zip(a).enumerate() {
                assert_shown_fields_exist(e, a, &format!("{path}[{i}]"));
            }
        }
        (Value::Number(e), Value::Number(a)) => assert_eq!(e.as_f64(), a.as_f64(), "{path}"),
        (e, a) => assert_eq!(e, a, "{path}"),
    }
}

fn check<T: DeserializeOwned + Serialize>(block: &Block) -> T {
    let example: Value = serde_json::from_str(&block.body)
        .unwrap_or_else(|e| panic!("PROTOCOL.md line {}: not JSON: {e}", block.line));
    let typed: T = serde_json::from_value(example.clone()).unwrap_or_else(|e| {
        panic!("PROTOCOL.md line {}: does not parse as {}: {e}", block.line, std::any::type_name::<T>())
    });
    assert_shown_fields_exist(
        &example,
        &serde_json::to_value(&typed).unwrap(),
        &format!("line {}", block.line),
    );
    typed
}

fn type_of<T: Serialize>(msg: &T) -> String {
    serde_json::to_value(msg).unwrap()["type"].as_str().unwrap().to_owned()
}

fn check_params(method: &str, block: &Block) {
    match method {
        methods::DOCUMENTS_PUT => drop(check::<DocumentsPut>(block)),
        methods::DOCUMENTS_LIST => drop(check::<DocumentsList>(block)),
        methods::DOCUMENTS_DELETE => drop(check::<DocumentsDelete>(block)),
        methods::COLLECTIONS_LIST => assert_eq!(block.body.trim(), "{}"),
        methods::MODELS_RESOLVE => drop(check::<ModelsResolve>(block)),
        methods::PLUGINS_INVOKE => drop(check::<PluginsInvoke>(block)),
        other => panic!("line {}: unknown method {other}", block.line),
    }
}

#[test]
fn json_examples_match_the_protocol_types() {
    let (mut daemon, mut plugin, mut params, mut results, mut logs) =
        (BTreeSet::new(), BTreeSet::new(), BTreeSet::new(), BTreeSet::new(), 0);
    for block in blocks() {
        let tags: Vec<&str> = block.tags.iter().map(String::as_str).collect();
        match tags.as_slice() {
            ["json", "daemon"] => {
                daemon.insert(type_of(&check::<DaemonMessage>(&block)));
            }
            ["json", "plugin"] => {
                let msg = check::<PluginMessage>(&block);
                if let PluginMessage::Call { method, params: p, .. } = &msg {
                    let inner = Block { tags: vec![], body: p.to_string(), line: block.line };
                    check_params(method, &inner);
                }
                plugin.insert(type_of(&msg));
            }
            ["json", "params", method] => {
                check_params(method, &block);
                params.insert(method.to_string());
            }
            ["json", "result", method] => {
                match *method {
                    methods::DOCUMENTS_PUT => drop(check::<DocumentsPutResult>(&block)),
                    methods::DOCUMENTS_LIST => drop(check::<DocumentsListResult>(&block)),
                    methods::DOCUMENTS_DELETE => drop(check::<DocumentsDeleteResult>(&block)),
                    methods::COLLECTIONS_LIST => drop(check::<CollectionsListResult>(&block)),
                    methods::MODELS_RESOLVE => drop(check::<ModelsResolveResult>(&block)),
                    // The called plugin's own output: any JSON.
                    methods::PLUGINS_INVOKE => drop(check::<Value>(&block)),
                    other => panic!("line {}: unknown method {other}", block.line),
                }
                results.insert(method.to_string());
            }
            ["json", "log"] => {
                let line: Value = serde_json::from_str(&block.body).unwrap();
                assert!(LogLevel::parse_lenient(line["level"].as_str().unwrap()).is_some());
                assert!(line["message"].is_string());
                logs += 1;
            }
            ["json", ..] => panic!("PROTOCOL.md line {}: a JSON example without a known tag", block.line),
            _ => {}
        }
    }
    let set = |items: &[&str]| items.iter().map(|s| s.to_string()).collect::<BTreeSet<_>>();
    assert_eq!(daemon, set(&["hello", "invoke", "cancel", "configure", "call_result", "goodbye"]));
    assert_eq!(plugin, set(&["hello", "chunk", "result", "error", "call", "metrics", "goodbye"]));
    let all_methods = set(&[
        methods::DOCUMENTS_PUT,
        methods::DOCUMENTS_LIST,
        methods::DOCUMENTS_DELETE,
        methods::COLLECTIONS_LIST,
        methods::MODELS_RESOLVE,
        methods::PLUGINS_INVOKE,
    ]);
    assert_eq!(params, all_methods);
    assert_eq!(results, all_methods);
    assert!(logs > 0);
}

#[test]
fn the_manifest_example_is_complete_and_parses() {
    let block = blocks().into_iter().find(|b| b.tags == ["toml", "manifest"]).expect("a manifest example");
    let manifest: PluginManifest = toml::from_str(&block.body).unwrap();
    let example: Value = toml::from_str(&block.body).unwrap();
    let full = serde_json::to_value(&manifest).unwrap();
    assert_shown_fields_exist(&example, &full, "manifest");
    // A full example: every key of the manifest and of its tables is shown.
    for (table, value) in [("", &full), ("restart", &full["restart"]), ("timeouts", &full["timeouts"])] {
        let shown = if table.is_empty() { &example } else { &example[table] };
        for key in value.as_object().unwrap().keys() {
            assert!(shown.get(key).is_some(), "the manifest example does not show {table}.{key}");
        }
    }
}

#[test]
fn the_examples_are_the_sdks_shout_files_verbatim() {
    for (lang, file) in [
        ("rust", "plugins/sdk/examples/shout.rs"),
        ("python", "plugins/sdk-python/examples/shout.py"),
        ("js", "plugins/sdk-node/examples/shout.js"),
    ] {
        let block = blocks().into_iter().find(|b| b.tags == [lang, "shout"]).expect("the example");
        let text = std::fs::read_to_string(root().join(file)).unwrap();
        assert_eq!(block.body, text, "copy {file} into PROTOCOL.md");
    }
}
