//! The rustyface benchmark of its issue, on a release bkgd with the built-in rustyface plugin and
//! dlib's real models from `scripts/fetch-test-models`:
//!
//! - faces encoded per second (HOG detection + 5 landmarks + encoding, one face per image) on
//!   `--images` images cycled from face_recognition's test images, sent as one `faces.encode`
//!   batch of paths over REST, against face_recognition 1.3.0 in Python (`face_encodings` on
//!   `load_image_file`, a process pool of the same size) on the same files, rounds interleaved;
//! - `faces.search` latency (whole REST call, by encoding) with `--identities` enrolled.

use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, ensure};
use bkg_core::models::ImportRequest;
use serde_json::{Value, json};

use crate::daemon::Daemon;
use crate::stats::median;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Images encoded per round (cycled from face_recognition's 7 test images, one face each).
    #[arg(long, default_value_t = 100)]
    images: usize,
    /// Worker threads of rustyface, and worker processes of face_recognition.
    #[arg(long, default_value_t = 1)]
    threads: usize,
    /// Rounds of each, interleaved; the median is reported.
    #[arg(long, default_value_t = 3)]
    rounds: usize,
    /// Identities enrolled for the search latency.
    #[arg(long, default_value_t = 10_000)]
    identities: usize,
    /// Searches timed.
    #[arg(long, default_value_t = 500)]
    searches: usize,
}

/// A deterministic pseudo-random encoding in the value range of real ones.
fn encoding(i: usize) -> Vec<f32> {
    let mut x = (i as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    (0..128)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            ((x % 10_000) as f32 / 10_000.0 - 0.5) * 0.4
        })
        .collect()
}

pub async fn run(args: Args) -> anyhow::Result<()> {
    let out = Command::new("scripts/fetch-test-models").stderr(Stdio::inherit()).output()?;
    ensure!(out.status.success(), "scripts/fetch-test-models failed");
    let models = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
    let venv = Command::new("scripts/reference/face/setup-venv").stderr(Stdio::inherit()).output()?;
    ensure!(venv.status.success(), "scripts/reference/face/setup-venv failed");
    let python = PathBuf::from(String::from_utf8_lossy(&venv.stdout).trim()).join("bin/python");

    let images_dir = models.join("face-test-images");
    let mut names: Vec<String> = std::fs::read_dir(&images_dir)?
        .filter_map(|e| Some(e.ok()?.file_name().to_string_lossy().into_owned()))
        .collect();
    names.sort();
    let paths: Vec<String> =
        (0..args.images).map(|i| images_dir.join(&names[i % names.len()]).display().to_string()).collect();

    let roots = models.display().to_string();
    let allowed = images_dir.display().to_string();
    let env = [
        ("BKG_SUPERVISOR__BUILTIN_PLUGINS", "true"),
        ("BKG_MODELS__IMPORT_ROOTS", roots.as_str()),
        ("BKG_SUPERVISOR__ALLOWED_PATHS__RUSTYFACE", allowed.as_str()),
        ("BKG_AUTH__REQUESTS_PER_MINUTE", "100000"),
    ];
    let d = Daemon::start(&[], &env).await?;
    let c = &d.client;
    c.import_model(&ImportRequest {
        path: models.join("face-recognition-models").display().to_string(),
        repo: Some("ageitgey/face_recognition_models".into()),
        revision: None,
    })
    .await?;
    c.set_config("rustyface", &json!({"threads": args.threads})).await?;
    c.start("rustyface").await?;
    // Warm up: every worker thread loads its models before the clock starts.
    let warm: Vec<Value> = paths.iter().take(args.threads).map(|p| json!({"path": p})).collect();
    c.invoke("rustyface", "faces.encode", &json!({"images": warm})).await?;

    let stats = c.invoke("rustyface", "stats", &json!({})).await?.output;
    let simd = stats["simd"].as_str().unwrap_or("?").to_string();
    let batch: Vec<Value> = paths.iter().map(|p| json!({"path": p})).collect();
    let (mut ours, mut theirs) = (Vec::new(), Vec::new());
    for round in 0..args.rounds {
        let py = Command::new(&python)
            .env("OPENBLAS_NUM_THREADS", "1")
            .arg("scripts/bench/face_recognition_bench.py")
            .arg(args.threads.to_string())
            .args(&paths)
            .stderr(Stdio::inherit())
            .output()
            .context("cannot run face_recognition")?;
        ensure!(py.status.success(), "face_recognition's benchmark failed");
        let py: Value = serde_json::from_slice(&py.stdout)?;
        let py_faces = py["faces"].as_f64().unwrap_or(0.0);
        theirs.push(py_faces / py["seconds"].as_f64().unwrap_or(f64::INFINITY));

        let t = Instant::now();
        let r = c.invoke("rustyface", "faces.encode", &json!({"images": batch})).await?.output;
        let secs = t.elapsed().as_secs_f64();
        let faces = r["faces"].as_f64().unwrap_or(0.0);
        ensure!(faces == py_faces, "rustyface found {faces} faces, face_recognition {py_faces}");
        ours.push(faces / secs);
        eprintln!(
            "round {}: rustyface {:.2} faces/s, face_recognition {:.2} faces/s",
            round + 1,
            ours[round],
            theirs[round]
        );
    }

    // Search latency over the enrolled identities (imported in parts under the body limit).
    let mut i = 0;
    while i < args.identities {
        let part: Vec<Value> = (i..(i + 400).min(args.identities))
            .map(|n| json!({"identity": format!("person {n:05}"), "samples": [{"encoding": encoding(n)}]}))
            .collect();
        c.invoke("rustyface", "dataset.manage", &json!({"action": "import", "data": {"identities": part}}))
            .await?;
        i += 400;
    }
    let query = c.invoke("rustyface", "faces.encode", &json!({"path": paths[0]})).await?.output;
    let q = query["faces"][0]["encoding"].clone();
    let mut times: Vec<Duration> = Vec::with_capacity(args.searches);
    for n in 0..args.searches {
        // Alternate a real face (no enrolled match) and an enrolled encoding (a match).
        let input = if n % 2 == 0 { json!({"encoding": q}) } else { json!({"encoding": encoding(n * 7)}) };
        let t = Instant::now();
        c.invoke("rustyface", "faces.search", &input).await?;
        times.push(t.elapsed());
    }
    times.sort();
    let pct = |p: f64| times[((times.len() as f64 * p) as usize).min(times.len() - 1)].as_secs_f64() * 1000.0;

    let (ours, theirs) = (median(ours), median(theirs));
    println!(
        "# rustyface benchmark: {} images (HOG, one face each), {} thread(s), {} rounds interleaved (release bkgd, dlib code variant {simd})\n",
        args.images, args.threads, args.rounds
    );
    println!("| measurement | value |");
    println!("|---|---|");
    println!("| rustyface faces.encode, one batch over REST | {ours:.2} faces/s |");
    println!("| face_recognition 1.3.0 (Python, dlib-bin 20.0.1) | {theirs:.2} faces/s |");
    println!("| ratio | {:.2}x |", ours / theirs);
    println!("| faces.search p50, {} identities (REST, by encoding) | {:.2} ms |", args.identities, pct(0.5));
    println!("| faces.search p99 | {:.2} ms |", pct(0.99));
    Ok(())
}
