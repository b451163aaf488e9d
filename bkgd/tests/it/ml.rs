//! The llmserver and candle plugins through the daemon's REST API, on the real test models imported into
//! the registry: embeddings equal sentence-transformers' reference vectors (cosine >=
//! 0.99999), greedy chat equals llama.cpp's tokens for at least the first 32, streaming gives
//! the non-streamed text, `max_tokens` and seeds behave, and the OpenAI-compatible routes
//! answer in OpenAI's shapes (streamed as server-sent events), authenticated by an API key.
//! The reference files and how they were made: `plugins/mlkit/tests/reference/`.

use std::path::PathBuf;

use bkg_core::auth::{CreateApiKey, Role};
use bkg_core::models::ImportRequest;
use bkg_core::plugin::InvokeEvent;
use futures_util::StreamExt;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::harness::{TestDaemon, daemon};
use crate::models::test_models;

const CHAT_MODEL: &str = "HuggingFaceTB/SmolLM2-135M-Instruct-GGUF";
pub const EMBED_MODEL: &str = "sentence-transformers/all-MiniLM-L6-v2";
const MIN_MATCHING_TOKENS: usize = 32;

fn reference(name: &str) -> Value {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../plugins/mlkit/tests/reference").join(name);
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap()
}

#[derive(Deserialize)]
struct ChatItem {
    messages: Value,
    output_ids: Vec<u32>,
    free_running_check: bool,
}

fn cosine(a: &[f32], b: &[f32]) -> f64 {
    let dot: f64 = a.iter().zip(b).map(|(x, y)| f64::from(*x) * f64::from(*y)).sum();
    let na: f64 = a.iter().map(|x| f64::from(*x).powi(2)).sum::<f64>().sqrt();
    let nb: f64 = b.iter().map(|x| f64::from(*x).powi(2)).sum::<f64>().sqrt();
    dot / (na * nb)
}

/// A daemon running the built-in plugin `id` (its manifest from the repo, pointing at the
/// binary next to the tests, `edits` applied as text replacements) with `models` (repo, folder
/// under the test models) imported.
pub async fn with_plugin(
    id: &str,
    manifest: &str,
    edits: &[(&str, String)],
    models: &[(&str, &str)],
) -> TestDaemon {
    let dir = test_models();
    let exe = bkgd::supervisor::manifest::exe_dir().join(format!("bkg-{id}"));
    assert!(exe.is_file(), "{} is missing: run the tests with `cargo test --workspace`", exe.display());
    let mut manifest = manifest.replace(
        &format!("command = [\"./bkg-{id}\"]"),
        &format!("command = [{:?}]", exe.display().to_string()),
    );
    for (from, to) in edits {
        manifest = manifest.replace(from, to);
    }
    let d = daemon().raw_manifest(&format!("{id}.toml"), &manifest).start().await;
    for (repo, folder) in models {
        let req = ImportRequest {
            path: dir.join(folder).display().to_string(),
            repo: Some(repo.to_string()),
            revision: None,
        };
        d.client.import_model(&req).await.unwrap();
    }
    d.client.start(id).await.unwrap();
    d
}

const BOTH: &[(&str, &str)] = &[(EMBED_MODEL, "all-minilm-l6-v2"), (CHAT_MODEL, "smollm2-135m-instruct")];

async fn llmserver() -> TestDaemon {
    with_plugin("llmserver", include_str!("../../../plugins/llmserver/plugin.toml"), &[], BOTH).await
}

async fn chat(d: &TestDaemon, input: Value) -> Value {
    d.client.invoke("llmserver", "chat", &input).await.unwrap().output
}

#[tokio::test(flavor = "multi_thread")]
async fn embeddings_match_sentence_transformers() {
    let d = llmserver().await;
    let items = reference("embeddings.json")["items"].as_array().unwrap().clone();
    let texts: Vec<&str> = items.iter().map(|i| i["text"].as_str().unwrap()).collect();
    let out = d.client.invoke("llmserver", "embeddings", &json!({"input": texts})).await.unwrap().output;
    let got: Vec<Vec<f32>> = serde_json::from_value(out["embeddings"].clone()).unwrap();
    assert_eq!(got.len(), items.len());
    assert_eq!(out["dimension"], 384);
    for (item, v) in items.iter().zip(&got) {
        let want: Vec<f32> = serde_json::from_value(item["embedding"].clone()).unwrap();
        let c = cosine(v, &want);
        assert!(c >= 0.99999, "cosine {c} for {:?}", item["text"]);
    }

    // The same through the OpenAI route, with an API key, as floats and as base64.
    let key = d
        .client
        .create_api_key(&CreateApiKey {
            name: "openai".into(),
            role: Some(Role::Developer),
            ..Default::default()
        })
        .await
        .unwrap()
        .secret;
    let http = d.http_anonymous();
    let embed = async |body: Value| -> Value {
        let resp = http.post(d.url("/v1/embeddings")).bearer_auth(&key).json(&body).send().await.unwrap();
        resp.json().await.unwrap()
    };
    let resp = embed(json!({"model": "all-MiniLM-L6-v2", "input": texts[0]})).await;
    assert_eq!(resp["object"], "list");
    assert_eq!(resp["data"][0]["object"], "embedding");
    let float: Vec<f32> = serde_json::from_value(resp["data"][0]["embedding"].clone()).unwrap();
    assert!(cosine(&float, &got[0]) > 0.999999);
    assert!(resp["usage"]["prompt_tokens"].as_u64().unwrap() > 0);
    let resp = embed(json!({"model": "m", "input": [texts[0], texts[1]], "encoding_format": "base64"})).await;
    use base64::Engine as _;
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(resp["data"][1]["embedding"].as_str().unwrap())
        .unwrap();
    let decoded: Vec<f32> =
        bytes.chunks_exact(4).map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]])).collect();
    assert!(cosine(&decoded, &got[1]) > 0.999999);
    let anonymous = http.post(d.url("/v1/embeddings")).json(&json!({"input": "x"})).send().await.unwrap();
    assert_eq!(anonymous.status(), 401);
    // Errors on /v1 come as OpenAI shapes them, with bkg's code.
    let body: Value = anonymous.json().await.unwrap();
    assert_eq!(body["error"]["type"], "authentication_error", "{body}");
    assert_eq!(body["error"]["code"], "unauthorized", "{body}");
    assert!(body["error"]["message"].as_str().is_some_and(|m| !m.is_empty()), "{body}");

    // The configured models, as OpenAI lists them.
    let list: Value =
        http.get(d.url("/v1/models")).bearer_auth(&key).send().await.unwrap().json().await.unwrap();
    assert_eq!(list["object"], "list");
    let ids: Vec<&str> = list["data"].as_array().unwrap().iter().filter_map(|m| m["id"].as_str()).collect();
    assert_eq!(ids, [CHAT_MODEL, EMBED_MODEL]);
    assert!(list["data"][0]["created"].as_i64().unwrap() > 1_700_000_000, "{list}");
    assert_eq!(list["data"][0]["object"], "model");
}

#[tokio::test(flavor = "multi_thread")]
async fn chat_matches_llama_cpp_and_streams_the_same_text() {
    let d = llmserver().await;
    let items: Vec<ChatItem> = serde_json::from_value(reference("chat.json")["items"].clone()).unwrap();
    let checked: Vec<&ChatItem> = items.iter().filter(|i| i.free_running_check).collect();
    assert!(!checked.is_empty());
    for item in &checked {
        let n = item.output_ids.len().min(MIN_MATCHING_TOKENS);
        let out = chat(&d, json!({"messages": item.messages, "max_tokens": n, "temperature": 0})).await;
        let tokens: Vec<u32> = serde_json::from_value(out["tokens"].clone()).unwrap();
        assert_eq!(
            tokens[..n.min(tokens.len())],
            item.output_ids[..n.min(tokens.len())],
            "{:?}",
            item.messages
        );
        assert!(tokens.len() == n || out["finishReason"] == "stop", "{out}");
    }

    // Streaming: the deltas add up to the non-streamed text.
    let messages = checked[0].messages.clone();
    let input = json!({"messages": messages, "max_tokens": 24, "temperature": 0});
    let whole = chat(&d, input.clone()).await;
    let mut stream = Box::pin(d.client.invoke_stream("llmserver", "chat", &input).await.unwrap());
    let (mut text, mut result) = (String::new(), None);
    while let Some(ev) = stream.next().await {
        match ev.unwrap() {
            InvokeEvent::Chunk(c) => text.push_str(c["delta"].as_str().unwrap()),
            InvokeEvent::Result(r) => result = Some(r),
            InvokeEvent::Error(e) => panic!("{e:?}"),
        }
    }
    assert_eq!(text, whole["text"].as_str().unwrap());
    assert_eq!(result.unwrap()["text"], whole["text"]);
    assert!(whole["completionTokens"].as_u64().unwrap() <= 24, "{whole}");
    // Generation stops at max_tokens (or earlier, at the end-of-turn token).
    let short = chat(&d, json!({"messages": messages, "max_tokens": 3, "temperature": 0})).await;
    assert_eq!(
        (short["finishReason"].as_str(), short["completionTokens"].as_u64()),
        (Some("length"), Some(3)),
        "{short}"
    );

    // Seeded sampling is reproducible; another seed may differ but is valid.
    let sampled =
        json!({"messages": messages, "max_tokens": 16, "temperature": 0.9, "top_p": 0.95, "seed": 42});
    let a = chat(&d, sampled.clone()).await;
    let b = chat(&d, sampled).await;
    assert_eq!(a["text"], b["text"]);
    assert_eq!(a["tokens"], b["tokens"]);

    // Bad input is the caller's error, checked against the capability's schema.
    let err = d.client.invoke("llmserver", "chat", &json!({"messages": []})).await.unwrap_err();
    assert_eq!(err.status(), Some(400), "{err}");
}

#[tokio::test(flavor = "multi_thread")]
async fn openai_chat_completions_plain_and_streamed() {
    let d = llmserver().await;
    let body = json!({
        "model": "smollm2",
        "messages": [{"role": "system", "content": "You are brief."}, {"role": "user", "content": "Say hello."}],
        "max_tokens": 12,
        "temperature": 0,
    });
    let resp: Value =
        d.http().post(d.url("/v1/chat/completions")).json(&body).send().await.unwrap().json().await.unwrap();
    assert_eq!(resp["object"], "chat.completion");
    assert_eq!(resp["model"], "smollm2");
    assert_eq!(resp["choices"][0]["message"]["role"], "assistant");
    let content = resp["choices"][0]["message"]["content"].as_str().unwrap().to_string();
    assert!(!content.is_empty());
    assert!(resp["usage"]["completion_tokens"].as_u64().unwrap() <= 12);
    assert_eq!(
        resp["usage"]["total_tokens"].as_u64().unwrap(),
        resp["usage"]["prompt_tokens"].as_u64().unwrap()
            + resp["usage"]["completion_tokens"].as_u64().unwrap()
    );

    let mut streamed = body.clone();
    streamed["stream"] = json!(true);
    let resp = d.http().post(d.url("/v1/chat/completions")).json(&streamed).send().await.unwrap();
    assert!(resp.headers()["content-type"].to_str().unwrap().starts_with("text/event-stream"));
    let text = resp.text().await.unwrap();
    let events: Vec<&str> = text.lines().filter_map(|l| l.strip_prefix("data: ")).collect();
    assert_eq!(events.last(), Some(&"[DONE]"), "{text}");
    let chunks: Vec<Value> =
        events[..events.len() - 1].iter().map(|e| serde_json::from_str(e).unwrap()).collect();
    assert_eq!(chunks[0]["choices"][0]["delta"]["role"], "assistant");
    assert!(chunks.iter().all(|c| c["object"] == "chat.completion.chunk" && c["id"] == chunks[0]["id"]));
    let joined: String = chunks
        .iter()
        .filter_map(|c| c["choices"][0]["delta"]["content"].as_str())
        .collect::<Vec<_>>()
        .concat();
    assert_eq!(joined, content, "streamed and plain answers agree");
    assert!(chunks.last().unwrap()["choices"][0]["finish_reason"].is_string());

    let bad = d
        .http()
        .post(d.url("/v1/chat/completions"))
        .json(&json!({"messages": [], "model": "x"}))
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 400);
    let body: Value = bad.json().await.unwrap();
    assert_eq!(body["error"]["type"], "invalid_request_error", "{body}");
    assert_eq!(body["error"]["code"], "invalid_request", "{body}");
    assert!(body["error"]["message"].as_str().unwrap().contains("messages"), "{body}");
    let unknown = d.http().get(d.url("/v1/files")).send().await.unwrap();
    assert_eq!(unknown.status(), 404);
    let body: Value = unknown.json().await.unwrap();
    assert_eq!(body["error"]["code"], "not_found", "{body}");
}

async fn candle(budget: u64) -> TestDaemon {
    let edits = [("maxMemoryBytes = 4294967296", format!("maxMemoryBytes = {budget}"))];
    with_plugin("candle", include_str!("../../../plugins/candle/plugin.toml"), &edits, BOTH).await
}

#[tokio::test(flavor = "multi_thread")]
async fn candle_loads_runs_and_unloads_models_within_its_budget() {
    // Room for both models (about 91 MB and 90 MB of weights), not for a third.
    let d = candle(200_000_000).await;
    let call = async |cap: &str, input: Value| d.client.invoke("candle", cap, &input).await.map(|r| r.output);

    let enc = call("model.load", json!({"model": EMBED_MODEL, "name": "minilm"})).await.unwrap();
    assert_eq!(enc["loaded"]["kind"], "encoder");
    let dec = call("model.load", json!({"model": CHAT_MODEL, "name": "smol"})).await.unwrap();
    assert_eq!(dec["loaded"]["kind"], "decoder");
    assert_eq!(dec["evicted"], json!([]));
    // The daemon counts the plugin as a user of both models.
    let models = d.client.models().await.unwrap().models;
    assert!(models.iter().all(|m| m.used_by == ["candle"]), "{models:?}");

    // The encoder gives sentence-transformers' vectors.
    let item = reference("embeddings.json")["items"][0].clone();
    let out = call("infer", json!({"model": "minilm", "texts": [item["text"]]})).await.unwrap();
    let got: Vec<f32> = serde_json::from_value(out["embeddings"][0].clone()).unwrap();
    let want: Vec<f32> = serde_json::from_value(item["embedding"].clone()).unwrap();
    assert!(cosine(&got, &want) >= 0.99999);
    let err = call("infer", json!({"model": "minilm", "prompt": "x"})).await.unwrap_err();
    assert_eq!(err.status(), Some(422), "an encoder takes texts: {err}");
    // The decoder continues text greedily: the same twice.
    let greedy = json!({"model": "smol", "prompt": "The capital of France is", "max_tokens": 8});
    let a = call("infer", greedy.clone()).await.unwrap();
    assert_eq!(a, call("infer", greedy).await.unwrap());
    assert!(!a["text"].as_str().unwrap().is_empty());

    let stats = call("stats", json!({})).await.unwrap();
    assert_eq!(stats["loaded"].as_array().unwrap().len(), 2);
    assert!(stats["memoryBytes"].as_u64().unwrap() > 150_000_000);
    assert!(stats["calls"].as_u64().unwrap() >= 3);
    assert!(stats["latencyMs"]["p50"].as_f64().unwrap() > 0.0);

    // A third load goes over the budget: the least recently used model makes room.
    let again = call("model.load", json!({"model": EMBED_MODEL, "name": "minilm-2"})).await.unwrap();
    assert_eq!(again["evicted"], json!(["minilm"]));
    assert_eq!(call("model.unload", json!({"name": "smol"})).await.unwrap()["unloaded"], "smol");
    let err = call("infer", json!({"model": "smol", "prompt": "x"})).await.unwrap_err();
    assert!(err.to_string().contains("no model loaded as \"smol\""), "{err}");
    let err = call("model.unload", json!({"name": "smol"})).await.unwrap_err();
    assert_eq!(err.status(), Some(422), "{err}");
    let names: Vec<String> = call("stats", json!({})).await.unwrap()["loaded"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["name"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(names, ["minilm-2"]);

    // Tensor operations, with shape checks.
    let mm = call(
        "tensor.ops",
        json!({"op": "matmul", "a": [[1, 2], [3, 4]], "b": {"shape": [2, 1], "data": [5, 6]}}),
    )
    .await
    .unwrap();
    assert_eq!(mm, json!({"shape": [2, 1], "data": [17.0, 39.0]}));
    let sm = call("tensor.ops", json!({"op": "softmax", "a": [1, 1, 1, 1]})).await.unwrap();
    assert_eq!(sm["data"], json!([0.25, 0.25, 0.25, 0.25]));
    let err = call("tensor.ops", json!({"op": "matmul", "a": [[1, 2, 3]], "b": [[1, 2]]})).await.unwrap_err();
    assert_eq!(err.status(), Some(422));
    assert!(err.to_string().contains("inner dimensions 3 and 1"), "{err}");
    let err = call("tensor.ops", json!({"op": "cube", "a": [1]})).await.unwrap_err();
    assert_eq!(err.status(), Some(400), "the schema names the ops: {err}");
}

#[tokio::test(flavor = "multi_thread")]
async fn brainml_indexes_queries_trains_and_survives_a_restart() {
    let brainml = include_str!("../../../plugins/brainml/plugin.toml");
    let d = with_plugin("brainml", brainml, &[], &[(EMBED_MODEL, "all-minilm-l6-v2")]).await;
    let call =
        async |cap: &str, input: Value| d.client.invoke("brainml", cap, &input).await.map(|r| r.output);

    let sports = [
        "The striker scored twice in the second half.",
        "Our team won the league after a penalty shootout.",
        "The goalkeeper saved three shots on target.",
        "She ran the marathon in under three hours.",
        "The referee showed a red card to the defender.",
        "The tennis final went to five sets.",
        "He hit a home run in the ninth inning.",
        "The coach changed the formation at half time.",
    ];
    let cooking = [
        "Simmer the tomato sauce for twenty minutes.",
        "Knead the dough until it is smooth and elastic.",
        "Season the soup with salt, pepper and fresh basil.",
        "Bake the bread at two hundred degrees for forty minutes.",
        "Whisk the eggs with sugar until pale.",
        "Fry the onions in butter until golden.",
        "Marinate the chicken overnight in yogurt and spices.",
        "Chop the garlic finely and add it to the pan.",
    ];
    let docs: Vec<Value> = sports
        .iter()
        .map(|t| (t, "sports"))
        .chain(cooking.iter().map(|t| (t, "cooking")))
        .enumerate()
        .map(|(i, (t, l))| json!({"id": format!("d{i}"), "text": t, "metadata": {"label": l}}))
        .collect();
    let indexed = call("index", json!({"collection": "notes", "documents": docs})).await.unwrap();
    assert_eq!(indexed["documents"], 16);

    let q = call("query", json!({"collection": "notes", "text": "Who scored the winning goal?", "k": 3}))
        .await
        .unwrap();
    let hits = q["hits"].as_array().unwrap();
    assert_eq!(hits.len(), 3);
    assert_eq!(hits[0]["metadata"]["label"], "sports", "{q}");
    assert!(hits[0]["score"].as_f64().unwrap() >= hits[1]["score"].as_f64().unwrap());
    let filtered =
        call("query", json!({"collection": "notes", "text": "Who scored the winning goal?", "k": 4, "filter": {"label": "cooking"}}))
            .await
            .unwrap();
    let hits = filtered["hits"].as_array().unwrap();
    assert_eq!(hits.len(), 4);
    assert!(hits.iter().all(|h| h["metadata"]["label"] == "cooking"), "{filtered}");

    let trained = call("train", json!({"collection": "notes", "holdout": 0.25, "seed": 3})).await.unwrap();
    assert_eq!(trained["classes"], json!(["cooking", "sports"]));
    assert_eq!((trained["trained"].as_u64(), trained["tested"].as_u64()), (Some(12), Some(4)));
    assert!(trained["testAccuracy"].as_f64().unwrap() >= 0.75, "{trained}");
    let classified = call(
        "train",
        json!({"name": "notes", "classify": ["The winger crossed the ball into the box.", "Stir the risotto and add the stock slowly."]}),
    )
    .await
    .unwrap();
    let labels: Vec<&str> =
        classified["predictions"].as_array().unwrap().iter().map(|p| p["label"].as_str().unwrap()).collect();
    assert_eq!(labels, ["sports", "cooking"], "{classified}");

    // A new plugin process rebuilds the index from the daemon's tables.
    d.client.restart("brainml").await.unwrap();
    let again = call("query", json!({"collection": "notes", "text": "Who scored the winning goal?", "k": 3}))
        .await
        .unwrap();
    assert_eq!(again["hits"][0]["id"], q["hits"][0]["id"]);

    // Snapshot, drop, restore (in the plugin's data folder).
    let file = "notes.jsonl";
    let snap =
        call("admin", json!({"action": "snapshot", "collection": "notes", "path": file})).await.unwrap();
    assert_eq!(snap["documents"], 16);
    assert_eq!(call("admin", json!({"action": "drop", "collection": "notes"})).await.unwrap()["deleted"], 16);
    let empty = call("query", json!({"collection": "notes", "text": "goal"})).await.unwrap();
    assert_eq!(empty["hits"], json!([]));
    let restored =
        call("admin", json!({"action": "restore", "collection": "notes", "path": file})).await.unwrap();
    assert_eq!(restored["documents"], 16);
    let back = call("query", json!({"collection": "notes", "text": "Who scored the winning goal?", "k": 3}))
        .await
        .unwrap();
    assert_eq!(back["hits"], q["hits"], "the same answers after a restore");
    assert_eq!(
        call("admin", json!({"action": "rebuild", "collection": "notes"})).await.unwrap()["documents"],
        16
    );
    let list = call("admin", json!({"action": "list"})).await.unwrap();
    assert_eq!(list["collections"], json!([{"collection": "notes", "documents": 16}]));

    let stats = call("stats", json!({})).await.unwrap();
    assert_eq!(stats["collections"][0]["documents"], 16);
    assert!(stats["queries"].as_u64().unwrap() >= 1);
    let err = call("train", json!({"name": "nope", "classify": ["x"]})).await.unwrap_err();
    assert_eq!(err.status(), Some(422), "{err}");
}

#[tokio::test(flavor = "multi_thread")]
async fn brainml_recall_at_10_against_exact_search() {
    let brainml = include_str!("../../../plugins/brainml/plugin.toml");
    let d = with_plugin("brainml", brainml, &[], &[(EMBED_MODEL, "all-minilm-l6-v2")]).await;
    let call =
        async |cap: &str, input: Value| d.client.invoke("brainml", cap, &input).await.map(|r| r.output);
    let text = std::fs::read_to_string(
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sentences.txt"),
    )
    .unwrap();
    let sentences: Vec<&str> = text.lines().collect();
    assert_eq!(sentences.len(), 400);
    let docs: Vec<Value> = sentences.iter().map(|t| json!({"text": t})).collect();
    assert_eq!(
        call("index", json!({"collection": "stdlib", "documents": docs})).await.unwrap()["documents"],
        400
    );

    let queries = [
        "How do I read a file line by line?",
        "Parse command line arguments.",
        "Compress data with gzip.",
        "Send an email message.",
        "Generate a random number.",
        "Format a date and time.",
        "Run a child process.",
        "Compute a hash of some bytes.",
        "Split a string into shell-like tokens.",
        "Start a thread of execution.",
    ];
    let (mut found, mut total) = (0, 0);
    for q in queries {
        let ids = |v: &Value| {
            v["hits"]
                .as_array()
                .unwrap()
                .iter()
                .map(|h| h["id"].as_str().unwrap().to_string())
                .collect::<Vec<_>>()
        };
        let ann = ids(&call("query", json!({"collection": "stdlib", "text": q, "k": 10})).await.unwrap());
        let exact = ids(&call("query", json!({"collection": "stdlib", "text": q, "k": 10, "exact": true}))
            .await
            .unwrap());
        assert_eq!(exact.len(), 10);
        found += ann.iter().filter(|id| exact.contains(id)).count();
        total += exact.len();
    }
    let recall = found as f64 / total as f64;
    assert!(recall >= 0.95, "recall@10 {recall}");

    // Bad input: empty collection name, an unknown action, a snapshot path outside the
    // plugin's folders (the confinement tests try every other way out).
    assert_eq!(call("query", json!({"collection": "", "text": "x"})).await.unwrap_err().status(), Some(400));
    assert_eq!(call("admin", json!({"action": "explode"})).await.unwrap_err().status(), Some(400));
    let outside = d.root.join("stdlib.jsonl");
    let err = call("admin", json!({"action": "snapshot", "collection": "stdlib", "path": outside}))
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(403), "{err}");
    assert!(!outside.exists());
}

#[tokio::test(flavor = "multi_thread")]
async fn llmserver_bad_input_unknown_models_and_a_crash_mid_call() {
    let d = llmserver().await;
    // Beyond the context window (8192 tokens): the caller's error, said clearly.
    let long = "word ".repeat(9000);
    let err = d
        .client
        .invoke("llmserver", "chat", &json!({"messages": [{"role": "user", "content": long}]}))
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(422), "{err}");
    assert!(err.to_string().contains("context"), "{err}");
    // An empty text embeds; an empty list does not.
    let out = d.client.invoke("llmserver", "embeddings", &json!({"input": [""]})).await.unwrap().output;
    assert_eq!(out["dimension"], 384);
    let err = d.client.invoke("llmserver", "embeddings", &json!({"input": []})).await.unwrap_err();
    assert_eq!(err.status(), Some(400), "{err}");

    // A crash during a call: a clear error, and the plugin comes back by its restart policy.
    let pid = d.pid_of("llmserver").await;
    let input =
        json!({"messages": [{"role": "user", "content": "Tell me a long story."}], "max_tokens": 4000});
    let mut stream = Box::pin(d.client.invoke_stream("llmserver", "chat", &input).await.unwrap());
    assert!(matches!(stream.next().await, Some(Ok(InvokeEvent::Chunk(_)))), "generation started");
    nix::sys::signal::kill(nix::unistd::Pid::from_raw(pid as i32), nix::sys::signal::Signal::SIGKILL)
        .unwrap();
    let mut last = None;
    while let Some(ev) = stream.next().await {
        last = Some(ev.unwrap());
    }
    match last {
        Some(InvokeEvent::Error(e)) => assert_eq!(e.code, bkg_core::ErrorCode::PluginCrashed, "{e:?}"),
        other => panic!("expected a plugin_crashed error, got {other:?}"),
    }
    crate::harness::wait_until("llmserver runs again", || async {
        let s = d.client.plugin_status("llmserver").await.unwrap();
        s.status == bkg_core::plugin::PluginState::Running && s.pid != Some(pid)
    })
    .await;
    assert!(d.client.invoke("llmserver", "embeddings", &json!({"input": "back"})).await.is_ok());

    // A model the registry does not have: named in the error.
    let config = json!({"chatModel": "no/such-model", "embeddingModel": EMBED_MODEL, "threads": 1});
    d.client.set_config("llmserver", &config).await.unwrap();
    let err = d
        .client
        .invoke("llmserver", "chat", &json!({"messages": [{"role": "user", "content": "hi"}]}))
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(422), "{err}");
    assert!(err.to_string().contains("no/such-model"), "{err}");
}
