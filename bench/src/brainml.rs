//! The brainml benchmark of the ML issue: query latency (p50/p99, whole REST call: embed the
//! question, search the HNSW index, answer) on a 10,000-document collection, and recall@10 of
//! the index against an exact scan, on a release bkgd with the built-in brainml plugin and the
//! real all-MiniLM-L6-v2 from `scripts/fetch-test-models`.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::ensure;
use bkg_core::models::ImportRequest;
use serde_json::{Value, json};

use crate::daemon::Daemon;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Documents in the collection.
    #[arg(long, default_value_t = 10_000)]
    documents: usize,
    /// Queries timed (recall is measured on the first 50).
    #[arg(long, default_value_t = 300)]
    queries: usize,
}

const SUBJECTS: &[&str] = &[
    "The old fisherman",
    "A young engineer",
    "The city council",
    "Our neighbour",
    "The museum guide",
    "A tired nurse",
    "The school choir",
    "The startup founder",
    "A retired pilot",
    "The night baker",
];
const VERBS: &[&str] = &[
    "repaired",
    "painted",
    "described",
    "sold",
    "photographed",
    "borrowed",
    "measured",
    "rebuilt",
    "praised",
    "studied",
];
const OBJECTS: &[&str] = &[
    "the wooden boat",
    "a broken radio",
    "the stone bridge",
    "an antique clock",
    "the village map",
    "a bicycle wheel",
    "the garden fence",
    "a silver teapot",
    "the harbour crane",
    "a paper kite",
];
const PLACES: &[&str] = &[
    "near the river",
    "after the storm",
    "before sunrise",
    "in the old market",
    "during the festival",
    "behind the station",
    "on a quiet Sunday",
    "at the edge of town",
    "under the bridge",
    "in the rain",
];
const REASONS: &[&str] = &[
    "for a friend",
    "to win a bet",
    "for the local paper",
    "out of curiosity",
    "to teach the children",
    "for a small fee",
    "as a birthday gift",
    "for the records",
    "without telling anyone",
    "for the museum",
];

/// The n-th of 10^5 distinct sentences.
fn sentence(n: usize) -> String {
    let pick = |list: &[&'static str], k: usize| list[(n / k) % list.len()];
    format!(
        "{} {} {} {} {}.",
        pick(SUBJECTS, 1),
        pick(VERBS, 10),
        pick(OBJECTS, 100),
        pick(PLACES, 1000),
        pick(REASONS, 10_000)
    )
}

fn ids(v: &Value) -> Vec<String> {
    v["hits"]
        .as_array()
        .map(|h| h.iter().filter_map(|x| x["id"].as_str().map(str::to_string)).collect())
        .unwrap_or_default()
}

pub async fn run(args: Args) -> anyhow::Result<()> {
    let out = Command::new("scripts/fetch-test-models").stderr(Stdio::inherit()).output()?;
    ensure!(out.status.success(), "scripts/fetch-test-models failed");
    let models = String::from_utf8_lossy(&out.stdout).trim().to_string();
    let env = [("BKG_SUPERVISOR__BUILTIN_PLUGINS", "true"), ("BKG_MODELS__IMPORT_ROOTS", models.as_str())];
    let d = Daemon::start(&[], &env).await?;
    let c = &d.client;
    c.import_model(&ImportRequest {
        path: format!("{models}/all-minilm-l6-v2"),
        repo: Some("sentence-transformers/all-MiniLM-L6-v2".into()),
        revision: None,
    })
    .await?;
    c.start("brainml").await?;

    let started = Instant::now();
    for chunk in (0..args.documents).collect::<Vec<_>>().chunks(500) {
        let docs: Vec<Value> =
            chunk.iter().map(|&i| json!({"id": format!("s{i}"), "text": sentence(i)})).collect();
        c.invoke("brainml", "index", &json!({"collection": "bench", "documents": docs})).await?;
    }
    let indexing = started.elapsed();

    // Questions that are not in the collection: other combinations, reworded.
    let question =
        |i: usize| format!("Who {} {} {}?", VERBS[i % 10], OBJECTS[(i / 3) % 10], PLACES[(i / 7) % 10]);
    let (mut found, mut total) = (0, 0);
    for i in 0..50.min(args.queries) {
        let ann = c
            .invoke("brainml", "query", &json!({"collection": "bench", "text": question(i), "k": 10}))
            .await?
            .output;
        let exact = c
            .invoke(
                "brainml",
                "query",
                &json!({"collection": "bench", "text": question(i), "k": 10, "exact": true}),
            )
            .await?
            .output;
        let (a, e) = (ids(&ann), ids(&exact));
        found += a.iter().filter(|x| e.contains(x)).count();
        total += e.len();
    }
    let mut times: Vec<Duration> = Vec::with_capacity(args.queries);
    for i in 0..args.queries {
        let t = Instant::now();
        c.invoke("brainml", "query", &json!({"collection": "bench", "text": question(i + 1000), "k": 10}))
            .await?;
        times.push(t.elapsed());
    }
    times.sort();
    let q = |p: f64| times[((times.len() as f64 * p) as usize).min(times.len() - 1)].as_secs_f64() * 1000.0;
    println!(
        "# brainml benchmark: {} documents, {} queries (release bkgd, 1 thread)\n",
        args.documents, args.queries
    );
    println!("| measurement | value |");
    println!("|---|---|");
    println!(
        "| indexing (embed + store + index) | {:.1} s, {:.0} documents/s |",
        indexing.as_secs_f64(),
        args.documents as f64 / indexing.as_secs_f64()
    );
    println!("| query latency p50 (REST, embed + search) | {:.2} ms |", q(0.5));
    println!("| query latency p99 | {:.2} ms |", q(0.99));
    println!("| recall@10 against exact search (50 queries) | {:.3} |", found as f64 / total as f64);
    Ok(())
}
