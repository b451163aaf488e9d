//! `bkg-brainml`, the brainml plugin: semantic collections and classifiers.
//!
//! - `index` embeds documents (text + metadata) with the configured sentence-embedding model
//!   and stores them with their vectors in bkgd's `documents` and `embeddings` tables through
//!   the `documents.put` callback; the plugin never opens the database.
//! - `query` embeds the question and searches the collection's HNSW index
//!   (`instant-distance`), with metadata equality filters.
//! - `train` fits a softmax classifier (a linear layer over the embeddings, candle-nn, AdamW) on
//!   a collection's labelled documents, reports accuracy on a held-out split, and keeps the
//!   head, which then classifies new text (`train` with `classify`).
//! - `admin` lists and drops collections, snapshots one to a JSON-lines file and restores it,
//!   and rebuilds an index from the tables.
//!
//! The index is memory only: a collection is loaded from the daemon's tables (with its stored
//! vectors) and indexed on first use after a start, so a restart loses nothing.

mod classifier;

use std::collections::{BTreeMap, HashMap};
use std::io::{BufRead, Write};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use bkg_mlkit::embed::{Embedder, EmbedderOptions};
use bkg_plugin_sdk::methods::{Document, DocumentsDelete, DocumentsPut, ModelsResolve};
use bkg_plugin_sdk::{
    Access, Ctx, Permission, Plugin, PluginError, Session, capability, feature, parse_input,
};
use instant_distance::{Builder, HnswMap, Search};
use parking_lot::Mutex;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use classifier::Classifier;

/// A unit vector; distance 1 - cosine.
#[derive(Clone, Debug)]
struct Vector(Vec<f32>);

impl instant_distance::Point for Vector {
    fn distance(&self, other: &Self) -> f32 {
        1.0 - self.0.iter().zip(&other.0).map(|(a, b)| a * b).sum::<f32>()
    }
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
struct Doc {
    id: String,
    text: String,
    #[serde(default)]
    metadata: Value,
    embedding: Vec<f32>,
}

/// A collection in memory: its documents and their index (positions into `docs`).
struct Collection {
    docs: Vec<Doc>,
    index: Option<HnswMap<Vector, usize>>,
}

impl Collection {
    fn build(docs: Vec<Doc>) -> Self {
        let index = (!docs.is_empty()).then(|| {
            let points = docs.iter().map(|d| Vector(d.embedding.clone())).collect();
            Builder::default().seed(7).build(points, (0..docs.len()).collect())
        });
        Self { docs, index }
    }
}

#[derive(Default)]
struct State {
    embedder: tokio::sync::Mutex<Option<(String, Arc<Embedder>)>>,
    collections: tokio::sync::Mutex<HashMap<String, Arc<Collection>>>,
    classifiers: Mutex<BTreeMap<String, Arc<Classifier>>>,
    indexed: AtomicU64,
    queries: AtomicU64,
}

fn internal(e: impl std::fmt::Display) -> PluginError {
    PluginError::internal(e.to_string())
}

fn bad(m: impl Into<String>) -> PluginError {
    PluginError::bad_input(m)
}

async fn embedder(state: &State, session: &Session) -> Result<(String, Arc<Embedder>), PluginError> {
    let model = session.config()["embeddingModel"].as_str().unwrap_or_default().to_string();
    let r = session.models_resolve(&ModelsResolve { model: model.clone() }).await?;
    let mut slot = state.embedder.lock().await;
    if let Some((id, e)) = slot.as_ref().filter(|(id, _)| *id == r.id) {
        return Ok((id.clone(), e.clone()));
    }
    let dir = PathBuf::from(r.path);
    let e = tokio::task::spawn_blocking(move || Embedder::load(&dir, EmbedderOptions::default()))
        .await
        .map_err(internal)?
        .map_err(internal)?;
    let e = Arc::new(e);
    *slot = Some((r.id.clone(), e.clone()));
    Ok((r.id, e))
}

async fn embed(
    state: &State,
    session: &Session,
    texts: Vec<String>,
) -> Result<(String, Vec<Vec<f32>>), PluginError> {
    let (id, e) = embedder(state, session).await?;
    let v = tokio::task::spawn_blocking(move || e.embed(&texts))
        .await
        .map_err(internal)?
        .map_err(|e| if e.is_caller_error() { bad(e.to_string()) } else { internal(e) })?;
    Ok((id, v))
}

/// Every document of a collection, with its stored vector, from the daemon's tables.
async fn load_docs(session: &Session, collection: &str) -> Result<Vec<Doc>, PluginError> {
    let docs = session.documents_all(collection, true).await?;
    Ok(docs
        .into_iter()
        .filter_map(|d| Some(Doc { id: d.id?, text: d.text, metadata: d.metadata, embedding: d.embedding? }))
        .collect())
}

/// The collection, loaded and indexed on first use.
async fn collection(state: &State, session: &Session, name: &str) -> Result<Arc<Collection>, PluginError> {
    let mut all = state.collections.lock().await;
    if let Some(c) = all.get(name) {
        return Ok(c.clone());
    }
    let docs = load_docs(session, name).await?;
    let c = Arc::new(tokio::task::spawn_blocking(move || Collection::build(docs)).await.map_err(internal)?);
    all.insert(name.to_string(), c.clone());
    Ok(c)
}

/// The collection with its index built (on the first query after documents were added).
async fn indexed(state: &State, session: &Session, name: &str) -> Result<Arc<Collection>, PluginError> {
    let c = collection(state, session, name).await?;
    if c.index.is_some() || c.docs.is_empty() {
        return Ok(c);
    }
    let docs = c.docs.clone();
    let built =
        Arc::new(tokio::task::spawn_blocking(move || Collection::build(docs)).await.map_err(internal)?);
    let mut all = state.collections.lock().await;
    // Only if nothing was indexed meanwhile; otherwise the next query builds again.
    if all.get(name).is_some_and(|cur| Arc::ptr_eq(cur, &c)) {
        all.insert(name.to_string(), built.clone());
    }
    Ok(built)
}

/// Reloads a collection from the tables and rebuilds its index.
async fn rebuild(state: &State, session: &Session, name: &str) -> Result<Arc<Collection>, PluginError> {
    state.collections.lock().await.remove(name);
    collection(state, session, name).await
}

fn check_name(c: &str) -> Result<(), PluginError> {
    if c.is_empty() || c.len() > 200 { Err(bad("collection names are 1 to 200 bytes")) } else { Ok(()) }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NewDoc {
    #[serde(default)]
    id: Option<String>,
    text: String,
    #[serde(default)]
    metadata: Value,
    /// A vector computed elsewhere (with the collection's model); then `text` is not embedded.
    #[serde(default)]
    embedding: Option<Vec<f32>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(rename_all = "camelCase")]
struct IndexInput {
    collection: String,
    #[serde(default)]
    documents: Vec<NewDoc>,
    /// Documents to remove in the same call.
    #[serde(default)]
    delete_ids: Vec<String>,
    /// The model the given embeddings come from (default: the configured embedding model).
    #[serde(default)]
    model: Option<String>,
}

/// The vectors of the documents: given with them (all or none), or embedded here.
async fn vectors_of(
    state: &State,
    session: &Session,
    docs: &[NewDoc],
    model: Option<String>,
) -> Result<(String, Vec<Vec<f32>>), PluginError> {
    let given = docs.iter().filter(|d| d.embedding.is_some()).count();
    if given == 0 {
        return embed(state, session, docs.iter().map(|d| d.text.clone()).collect()).await;
    }
    if given != docs.len() {
        return Err(bad("give an embedding with every document of a call, or with none"));
    }
    let vectors: Vec<Vec<f32>> = docs.iter().filter_map(|d| d.embedding.clone()).collect();
    let dim = vectors[0].len();
    if dim == 0 || vectors.iter().any(|v| v.len() != dim || v.iter().any(|x| !x.is_finite())) {
        return Err(bad("embeddings must all have the same non-zero length and finite values"));
    }
    let model = match model {
        Some(m) => m,
        None => session.config()["embeddingModel"].as_str().unwrap_or_default().to_string(),
    };
    Ok((model, vectors))
}

async fn index(state: Arc<State>, ctx: Ctx, input: Value) -> Result<Value, PluginError> {
    let input: IndexInput = parse_input(input)?;
    check_name(&input.collection)?;
    if input.documents.is_empty() && input.delete_ids.is_empty() {
        return Err(bad("give documents to index, or deleteIds to remove"));
    }
    let started = Instant::now();
    let deleted = if input.delete_ids.is_empty() {
        0
    } else {
        let ids = Some(input.delete_ids.clone());
        ctx.session()
            .documents_delete(&DocumentsDelete { collection: input.collection.clone(), ids })
            .await?
            .deleted
    };
    if input.documents.is_empty() {
        let mut all = state.collections.lock().await;
        if let Some(c) = all.get(&input.collection) {
            let gone: std::collections::HashSet<&String> = input.delete_ids.iter().collect();
            let docs: Vec<Doc> = c.docs.iter().filter(|d| !gone.contains(&d.id)).cloned().collect();
            all.insert(input.collection.clone(), Arc::new(Collection { docs, index: None }));
        }
        return Ok(json!({"collection": input.collection, "ids": [], "deleted": deleted}));
    }
    let (model, vectors) = vectors_of(&state, ctx.session(), &input.documents, input.model.clone()).await?;
    let documents = input
        .documents
        .into_iter()
        .zip(vectors)
        .map(|(d, v)| Document { id: d.id, text: d.text, metadata: d.metadata, embedding: Some(v) })
        .collect::<Vec<_>>();
    let added = documents.clone();
    let n = documents.len();
    let put = ctx
        .session()
        .documents_put(&DocumentsPut { collection: input.collection.clone(), model: Some(model), documents })
        .await?;
    // The documents join the collection in memory; its index is rebuilt by the next query,
    // so many `index` calls in a row cost one index build, not one each.
    let count = {
        let mut all = state.collections.lock().await;
        let docs = match all.get(&input.collection) {
            Some(c) => {
                let new: std::collections::HashSet<&String> =
                    put.ids.iter().chain(&input.delete_ids).collect();
                let mut docs: Vec<Doc> = c.docs.iter().filter(|d| !new.contains(&d.id)).cloned().collect();
                docs.extend(added.into_iter().zip(&put.ids).map(|(d, id)| Doc {
                    id: id.clone(),
                    text: d.text,
                    metadata: d.metadata,
                    embedding: d.embedding.unwrap_or_default(),
                }));
                docs
            }
            // Not loaded yet: the tables hold everything, the new documents included.
            None => load_docs(ctx.session(), &input.collection).await?,
        };
        let count = docs.len();
        all.insert(input.collection.clone(), Arc::new(Collection { docs, index: None }));
        count
    };
    let total = state.indexed.fetch_add(n as u64, Ordering::Relaxed) + n as u64;
    let rate = n as f64 / started.elapsed().as_secs_f64().max(1e-9);
    let _ = ctx.report_metrics([("documents_indexed", total as f64), ("embeddings_per_second", rate)]).await;
    Ok(json!({"collection": input.collection, "ids": put.ids, "documents": count, "deleted": deleted}))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct QueryInput {
    collection: String,
    /// What to look for: a text (embedded here), or a vector computed elsewhere.
    #[serde(default)]
    text: Option<String>,
    #[serde(default)]
    vector: Option<Vec<f32>>,
    #[serde(default = "five")]
    k: usize,
    /// Metadata fields that must equal these values.
    #[serde(default)]
    filter: BTreeMap<String, Value>,
    /// Scan every document instead of the index (for measuring the index's recall).
    #[serde(default)]
    exact: bool,
}

fn five() -> usize {
    5
}

fn matches(doc: &Doc, filter: &BTreeMap<String, Value>) -> bool {
    filter.iter().all(|(k, v)| doc.metadata.get(k) == Some(v))
}

/// The k best matches by scanning every document.
fn exact(c: &Collection, q: &Vector, filter: &BTreeMap<String, Value>, k: usize) -> Vec<Value> {
    let mut all: Vec<(f32, &Doc)> = c
        .docs
        .iter()
        .filter(|d| matches(d, filter))
        .map(|d| (d.embedding.iter().zip(&q.0).map(|(a, b)| a * b).sum::<f32>(), d))
        .collect();
    all.sort_by(|a, b| b.0.total_cmp(&a.0));
    all.into_iter()
        .take(k)
        .map(|(s, d)| json!({"id": d.id, "score": s, "text": d.text, "metadata": d.metadata}))
        .collect()
}

async fn query(state: Arc<State>, ctx: Ctx, input: Value) -> Result<Value, PluginError> {
    let input: QueryInput = parse_input(input)?;
    check_name(&input.collection)?;
    let started = Instant::now();
    let c = indexed(&state, ctx.session(), &input.collection).await?;
    let q = match (input.text, input.vector) {
        (Some(text), None) => {
            Vector(embed(&state, ctx.session(), vec![text]).await?.1.pop().unwrap_or_default())
        }
        (None, Some(v)) => {
            if v.is_empty() || v.iter().any(|x| !x.is_finite()) {
                return Err(bad("vector must be non-empty and finite"));
            }
            if let Some(d) = c.docs.first()
                && d.embedding.len() != v.len()
            {
                return Err(bad(format!(
                    "vector has {} values; the collection's have {}",
                    v.len(),
                    d.embedding.len()
                )));
            }
            Vector(v)
        }
        _ => return Err(bad("give exactly one of `text` and `vector`")),
    };
    let k = input.k.clamp(1, 1000);
    let hits: Vec<Value> = match &c.index {
        None => Vec::new(),
        Some(_) if input.exact => exact(&c, &q, &input.filter, k),
        Some(index) => {
            let mut search = Search::default();
            let mut out = Vec::new();
            // The index yields neighbours nearest first; filters drop some, so keep reading.
            for item in index.search(&q, &mut search) {
                let doc = &c.docs[*item.value];
                if matches(doc, &input.filter) {
                    out.push(json!({"id": doc.id, "score": 1.0 - item.distance, "text": doc.text, "metadata": doc.metadata}));
                    if out.len() == k {
                        break;
                    }
                }
            }
            // HNSW's candidate list is bounded by ef_search; with a selective filter, fall back
            // to an exact scan so matching documents are never missed.
            if out.len() < k && !input.filter.is_empty() {
                out = exact(&c, &q, &input.filter, k);
            }
            out
        }
    };
    let total = state.queries.fetch_add(1, Ordering::Relaxed) + 1;
    let rate = 1.0 / started.elapsed().as_secs_f64().max(1e-9);
    let _ = ctx.report_metrics([("queries", total as f64), ("queries_per_second", rate)]).await;
    Ok(json!({"collection": input.collection, "hits": hits}))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct TrainInput {
    /// Fit a classifier on this collection's labelled documents.
    #[serde(default)]
    collection: Option<String>,
    /// The classifier's name (default: the collection's).
    #[serde(default)]
    name: Option<String>,
    #[serde(default = "label")]
    label_field: String,
    #[serde(default = "holdout")]
    holdout: f64,
    #[serde(default = "epochs")]
    epochs: usize,
    #[serde(default)]
    seed: u64,
    /// Classify these texts with the classifier `name` instead of training.
    #[serde(default)]
    classify: Option<Vec<String>>,
}

fn label() -> String {
    "label".into()
}
fn holdout() -> f64 {
    0.25
}
fn epochs() -> usize {
    300
}

async fn train(state: Arc<State>, ctx: Ctx, input: Value) -> Result<Value, PluginError> {
    let input: TrainInput = parse_input(input)?;
    if let Some(texts) = input.classify {
        let name =
            input.name.or(input.collection).ok_or_else(|| bad("classify: name the classifier (`name`)"))?;
        let found = state.classifiers.lock().get(&name).cloned();
        let clf = found.ok_or_else(|| {
            PluginError::new("not_found", format!("no classifier {name:?}; train one first")).client()
        })?;
        if texts.is_empty() {
            return Err(bad("classify: give at least one text"));
        }
        let (_, vectors) = embed(&state, ctx.session(), texts.clone()).await?;
        let predictions = clf.predict(&vectors).map_err(internal)?;
        let out: Vec<Value> = texts
            .iter()
            .zip(predictions)
            .map(|(t, (label, p))| json!({"text": t, "label": label, "probability": p}))
            .collect();
        return Ok(json!({"classifier": name, "predictions": out}));
    }
    let coll = input.collection.ok_or_else(|| bad("train: name the `collection` to learn from"))?;
    check_name(&coll)?;
    if !(0.0..0.9).contains(&input.holdout) {
        return Err(bad("holdout: a fraction in [0, 0.9)"));
    }
    let c = collection(&state, ctx.session(), &coll).await?;
    let labelled: Vec<(Vec<f32>, String)> = c
        .docs
        .iter()
        .filter_map(|d| {
            let l = d.metadata.get(&input.label_field)?;
            let l = l.as_str().map(str::to_string).unwrap_or_else(|| l.to_string());
            Some((d.embedding.clone(), l))
        })
        .collect();
    let (epochs, holdout, seed) = (input.epochs.clamp(1, 10_000), input.holdout, input.seed);
    let report = tokio::task::spawn_blocking(move || classifier::fit(labelled, holdout, epochs, seed))
        .await
        .map_err(internal)?
        .map_err(bad)?;
    let name = input.name.unwrap_or(coll.clone());
    let summary = json!({
        "classifier": name, "collection": coll, "labelField": input.label_field,
        "classes": report.classifier.classes, "trained": report.trained, "tested": report.tested,
        "trainAccuracy": report.train_accuracy, "testAccuracy": report.test_accuracy, "epochs": epochs,
    });
    state.classifiers.lock().insert(name, Arc::new(report.classifier));
    Ok(summary)
}

async fn stats(state: Arc<State>, ctx: Ctx, _input: Value) -> Result<Value, PluginError> {
    let listed = ctx.session().collections_list().await?;
    let loaded = state.collections.lock().await;
    let collections: Vec<Value> = listed
        .collections
        .iter()
        .map(|c| json!({"collection": c.collection, "documents": c.documents, "indexed": loaded.get(&c.collection).map(|l| l.docs.len())}))
        .collect();
    let classifiers: Vec<Value> = state
        .classifiers
        .lock()
        .iter()
        .map(|(n, c)| json!({"name": n, "classes": c.classes, "dimension": c.dimension}))
        .collect();
    Ok(json!({
        "collections": collections,
        "classifiers": classifiers,
        "documentsIndexed": state.indexed.load(Ordering::Relaxed),
        "queries": state.queries.load(Ordering::Relaxed),
    }))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AdminInput {
    action: String,
    #[serde(default)]
    collection: Option<String>,
    #[serde(default)]
    path: Option<String>,
}

async fn admin(state: Arc<State>, ctx: Ctx, input: Value) -> Result<Value, PluginError> {
    let input: AdminInput = parse_input(input)?;
    let session = ctx.session();
    let need = |c: &Option<String>| -> Result<String, PluginError> {
        let c = c.clone().ok_or_else(|| bad(format!("{}: name the `collection`", input.action)))?;
        check_name(&c)?;
        Ok(c)
    };
    // Snapshot files live in the plugin's data folder (or a folder an admin allowed it); the
    // SDK refuses anything else.
    let file = |p: &Option<String>, access: Access| -> Result<PathBuf, PluginError> {
        let p = p.as_deref().ok_or_else(|| {
            bad(format!("{}: give a `path`, relative to the plugin's data folder", input.action))
        })?;
        session.resolve_path(p, access)
    };
    match input.action.as_str() {
        "list" => Ok(serde_json::to_value(session.collections_list().await?).map_err(internal)?),
        "drop" => {
            let c = need(&input.collection)?;
            let deleted = session
                .documents_delete(&DocumentsDelete { collection: c.clone(), ids: None })
                .await?
                .deleted;
            state.collections.lock().await.remove(&c);
            Ok(json!({"collection": c, "deleted": deleted}))
        }
        "rebuild" => {
            let c = need(&input.collection)?;
            let coll = rebuild(&state, session, &c).await?;
            Ok(json!({"collection": c, "documents": coll.docs.len()}))
        }
        "snapshot" => {
            let c = need(&input.collection)?;
            let path = file(&input.path, Access::Write)?;
            let docs = load_docs(session, &c).await?;
            let n = docs.len();
            tokio::task::spawn_blocking(move || -> std::io::Result<()> {
                let (dir, name) = match (path.parent(), path.file_name()) {
                    (Some(d), Some(n)) => (d, n.to_string_lossy()),
                    _ => return Err(std::io::Error::other("the path names no file")),
                };
                std::fs::create_dir_all(dir)?;
                // A fresh temporary file (never through an existing link), renamed over the
                // target once complete: a crash leaves the old snapshot whole.
                let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
                let _ = std::fs::remove_file(&tmp);
                let out = std::fs::OpenOptions::new().write(true).create_new(true).open(&tmp)?;
                let mut w = std::io::BufWriter::new(out);
                for d in &docs {
                    serde_json::to_writer(&mut w, d)?;
                    w.write_all(b"\n")?;
                }
                w.into_inner().map_err(|e| e.into_error())?.sync_all()?;
                std::fs::rename(&tmp, &path)
            })
            .await
            .map_err(internal)?
            .map_err(|e| bad(format!("cannot write the snapshot: {e}")))?;
            Ok(json!({"collection": c, "documents": n, "path": input.path}))
        }
        "restore" => {
            let c = need(&input.collection)?;
            let path = file(&input.path, Access::Read)?;
            let docs = tokio::task::spawn_blocking(move || -> Result<Vec<Doc>, String> {
                let f =
                    std::fs::File::open(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
                std::io::BufReader::new(f)
                    .lines()
                    .enumerate()
                    .map(|(i, l)| {
                        let l = l.map_err(|e| e.to_string())?;
                        serde_json::from_str::<Doc>(&l).map_err(|e| format!("line {}: {e}", i + 1))
                    })
                    .collect()
            })
            .await
            .map_err(internal)?
            .map_err(bad)?;
            let (model, _) = embedder(&state, session).await?;
            let n = docs.len();
            let documents = docs
                .into_iter()
                .map(|d| Document {
                    id: Some(d.id),
                    text: d.text,
                    metadata: d.metadata,
                    embedding: Some(d.embedding),
                })
                .collect();
            session
                .documents_put(&DocumentsPut { collection: c.clone(), model: Some(model), documents })
                .await?;
            let coll = rebuild(&state, session, &c).await?;
            Ok(json!({"collection": c, "restored": n, "documents": coll.docs.len()}))
        }
        other => Err(bad(format!("unknown action {other:?}: list, drop, snapshot, restore or rebuild"))),
    }
}

fn schema(props: Value, required: &[&str]) -> Value {
    json!({"type": "object", "additionalProperties": false, "properties": props, "required": required})
}

fn plugin() -> Plugin {
    let state = Arc::new(State::default());
    let [s1, s2, s3, s4, s5] = [state.clone(), state.clone(), state.clone(), state.clone(), state];
    let name = json!({"type": "string", "minLength": 1, "maxLength": 200});
    Plugin::new("bkg-brainml", env!("CARGO_PKG_VERSION"))
        .feature(feature::CALLBACKS)
        .feature(feature::METRICS)
        .capability(
            capability("index")
                .description("Embeds documents (text + metadata; or takes their `embedding`) and stores them in a collection; `deleteIds` removes documents in the same call; returns the ids")
                .input_schema(schema(
                    json!({"collection": name, "documents": {"type": "array", "maxItems": 10000, "items": {
                        "type": "object", "additionalProperties": false, "required": ["text"],
                        "properties": {"id": {"type": "string", "minLength": 1}, "text": {"type": "string"}, "metadata": {"type": "object"},
                                       "embedding": {"type": "array", "items": {"type": "number"}, "maxItems": 8192}}}},
                           "deleteIds": {"type": "array", "items": {"type": "string"}, "maxItems": 100000},
                           "model": {"type": "string", "minLength": 1}}),
                    &["collection"],
                )),
            move |ctx, input| index(s1.clone(), ctx, input),
        )
        .capability(
            capability("query")
                .description("The k documents most similar to `text` (or to a `vector` computed elsewhere), with scores; `filter` keeps those whose metadata fields equal the given values")
                .input_schema(schema(
                    json!({"collection": name, "text": {"type": "string"}, "vector": {"type": "array", "items": {"type": "number"}, "maxItems": 8192},
                           "k": {"type": "integer", "minimum": 1, "maximum": 1000},
                           "filter": {"type": "object"}, "exact": {"type": "boolean"}}),
                    &["collection"],
                )),
            move |ctx, input| query(s2.clone(), ctx, input),
        )
        .capability(
            capability("train")
                .description("Fits a classifier on a collection's documents labelled in metadata (accuracy on a held-out split); with `classify`, labels new texts")
                .input_schema(schema(
                    json!({"collection": name, "name": name, "labelField": {"type": "string", "minLength": 1},
                           "holdout": {"type": "number", "minimum": 0, "maximum": 0.9}, "epochs": {"type": "integer", "minimum": 1, "maximum": 10000},
                           "seed": {"type": "integer", "minimum": 0}, "classify": {"type": "array", "items": {"type": "string"}, "minItems": 1}}),
                    &[],
                )),
            move |ctx, input| train(s3.clone(), ctx, input),
        )
        .capability(
            capability("stats")
                .description("Collections with their documents, loaded indexes, classifiers, documents indexed and queries served")
                .input_schema(schema(json!({}), &[])),
            move |ctx, input| stats(s4.clone(), ctx, input),
        )
        .capability(
            capability("admin")
                .description("list | drop | snapshot (to a JSON-lines file) | restore (from one) | rebuild (the index, from the tables); admins only")
                .permission(Permission::PluginsAdmin)
                .input_schema(schema(
                    json!({"action": {"type": "string", "enum": ["list", "drop", "snapshot", "restore", "rebuild"]},
                           "collection": name,
                           "path": {"type": "string", "minLength": 1,
                                    "description": "Snapshot file, relative to the plugin's data folder (or inside a folder an admin allowed brainml)"}}),
                    &["action"],
                )),
            move |ctx, input| admin(s5.clone(), ctx, input),
        )
}

fn main() -> std::process::ExitCode {
    plugin().main()
}
