//! `bkg-rustyface`, the rustyface plugin: finds faces, encodes them and tells who they are, with
//! the answers of the Python `face_recognition` package (the same dlib models and calls, see
//! `engine`), as a supervised plugin whose enrolled identities live in bkgd (see `gallery`).
//!
//! - `faces.encode`: boxes (face_recognition's top/right/bottom/left), 5 landmarks and a 128-d
//!   encoding per face, for one image or a batch (streamed per image, spread over the worker
//!   threads).
//! - `faces.search`: the enrolled identities nearest each face of an image (or an encoding),
//!   within `tolerance` (0.6, as face_recognition's `compare_faces`).
//! - `dataset.manage`: enroll, list, rename, remove, export, import.
//! - `stats`: identities, samples, faces encoded, encodes per second, the last matches.
//!
//! The models come from bkgd's registry (`models.resolve` of the configured `model`, by default
//! `ageitgey/face_recognition_models`); nothing is downloaded.

use std::collections::VecDeque;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use bkg_plugin_sdk::methods::ModelsResolve;
use bkg_plugin_sdk::{Access, Ctx, Plugin, PluginError, Session, capability, feature, parse_input};
use parking_lot::Mutex;
use serde::Deserialize;
use serde_json::{Value, json};

use bkg_rustyface::engine::{self, Detector, Face, Pool};
use bkg_rustyface::gallery::{self, Gallery, Sample};
use bkg_rustyface::picture;

/// How many recent matches `stats` shows.
const LAST_MATCHES: usize = 20;

#[derive(Default)]
struct State {
    /// The engines, for the resolved model id they were loaded from.
    pool: tokio::sync::Mutex<Option<(String, Arc<Pool>)>>,
    gallery: tokio::sync::Mutex<Option<Gallery>>,
    images: AtomicU64,
    faces: AtomicU64,
    searches: AtomicU64,
    /// (when, faces) of recent encodes, for a rate over the last 10 seconds.
    recent: Mutex<VecDeque<(Instant, u64)>>,
    last_matches: Mutex<VecDeque<Value>>,
}

fn internal(e: impl std::fmt::Display) -> PluginError {
    PluginError::internal(e.to_string())
}

fn bad(m: impl Into<String>) -> PluginError {
    PluginError::bad_input(m)
}

fn now_ms() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_millis() as i64)
}

/// The plugin's configuration, with its defaults (the manifest's schema checks it first).
struct Settings {
    model: String,
    collection: String,
    threads: usize,
    max_pixels: u64,
}

fn settings(session: &Session) -> Settings {
    let c = session.config();
    let threads = match c["threads"].as_u64().unwrap_or(0) {
        0 => std::thread::available_parallelism().map_or(1, |n| n.get()),
        n => n as usize,
    };
    Settings {
        model: c["model"].as_str().unwrap_or(gallery::MODEL).to_string(),
        collection: c["collection"].as_str().unwrap_or("faces").to_string(),
        threads,
        max_pixels: c["maxPixels"].as_u64().unwrap_or(25_000_000),
    }
}

async fn pool(state: &State, session: &Session) -> Result<Arc<Pool>, PluginError> {
    let s = settings(session);
    let r = session.models_resolve(&ModelsResolve { model: s.model.clone() }).await.map_err(|e| {
        PluginError::new(
            e.code.clone(),
            format!(
                "{} (rustyface needs dlib's face models in bkgd's registry: `bkgctl models import <folder> --repo {}`, see the README)",
                e.message,
                gallery::MODEL
            ),
        )
    })?;
    let mut slot = state.pool.lock().await;
    if let Some((_, p)) = slot.as_ref().filter(|(id, _)| *id == r.id) {
        return Ok(p.clone());
    }
    let dir = PathBuf::from(&r.path);
    for f in [engine::LANDMARKS_FILE, engine::ENCODER_FILE] {
        if !r.files.iter().any(|x| x == f) {
            return Err(internal(format!(
                "model {} has no {f}; it is not dlib's face_recognition_models",
                r.repo
            )));
        }
    }
    let p = Arc::new(Pool::new(dir, s.threads));
    let warm = p.clone();
    tokio::task::spawn_blocking(move || warm.warm()).await.map_err(internal)?.map_err(internal)?;
    *slot = Some((r.id, p.clone()));
    Ok(p)
}

/// An image given by the caller: base64 bytes or a path.
#[derive(Clone, Deserialize)]
// The daemon checks the input schema (additionalProperties: false); serde cannot deny
// unknown fields across `flatten`.
struct ImageRef {
    #[serde(default)]
    image: Option<String>,
    #[serde(default)]
    path: Option<String>,
}

/// Options of detection and encoding, as face_recognition names them.
#[derive(Clone, Copy, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Options {
    #[serde(default)]
    detector: Detector,
    #[serde(default = "one")]
    upsample: u32,
    #[serde(default = "one")]
    jitters: u32,
    #[serde(default = "hundred")]
    max_faces: usize,
}

impl Default for Options {
    fn default() -> Self {
        Self { detector: Detector::Hog, upsample: 1, jitters: 1, max_faces: 100 }
    }
}

fn one() -> u32 {
    1
}
fn hundred() -> usize {
    100
}

impl Options {
    fn check(&self) -> Result<(), PluginError> {
        if self.upsample > 4 {
            return Err(bad("upsample: 0 to 4 (each doubles the image's width and height)"));
        }
        if !(1..=100).contains(&self.jitters) {
            return Err(bad("jitters: 1 to 100"));
        }
        if !(1..=1000).contains(&self.max_faces) {
            return Err(bad("maxFaces: 1 to 1000"));
        }
        Ok(())
    }
}

/// The bytes of an image reference (the path checked against the plugin's allowed folders).
fn bytes_of(session: &Session, what: &str, r: &ImageRef) -> Result<Vec<u8>, PluginError> {
    match (&r.image, &r.path) {
        (Some(b64), None) => picture::from_base64(what, b64),
        (None, Some(p)) => picture::from_file(what, &session.resolve_path(p, Access::Read)?),
        _ => Err(bad(format!("{what}: give exactly one of `image` (base64) and `path`"))),
    }
}

/// Decodes and encodes one image on an engine thread.
async fn faces_in(
    state: &State,
    pool: &Arc<Pool>,
    what: String,
    bytes: Vec<u8>,
    opts: Options,
    max_pixels: u64,
) -> Result<(u32, u32, Vec<Face>, usize), PluginError> {
    let out = pool
        .with(opts.detector == Detector::Cnn, move |e| -> Result<_, PluginError> {
            let img = picture::decode(&what, &bytes, max_pixels)?;
            drop(bytes);
            let (faces, found) = e
                .faces(&img, opts.detector, opts.upsample, opts.jitters, opts.max_faces)
                .map_err(|err| internal(format!("{what}: {err}")))?;
            Ok((img.width(), img.height(), faces, found))
        })
        .await
        .map_err(internal)??;
    state.images.fetch_add(1, Ordering::Relaxed);
    state.faces.fetch_add(out.2.len() as u64, Ordering::Relaxed);
    let mut recent = state.recent.lock();
    let now = Instant::now();
    recent.push_back((now, out.2.len() as u64));
    while recent.front().is_some_and(|(t, _)| now.duration_since(*t).as_secs() >= 10) {
        recent.pop_front();
    }
    Ok(out)
}

fn image_result(w: u32, h: u32, faces: &[Face], found: usize) -> Value {
    let mut v = json!({"width": w, "height": h, "faces": faces});
    if found > faces.len() {
        v["facesFound"] = json!(found);
    }
    v
}

fn error_value(e: &PluginError) -> Value {
    json!({"code": e.code, "message": e.message})
}

#[derive(Deserialize)]
// The daemon checks the input schema (additionalProperties: false); serde cannot deny
// unknown fields across `flatten`.
struct EncodeInput {
    #[serde(flatten)]
    one: ImageRef,
    #[serde(default)]
    images: Option<Vec<ImageRef>>,
    #[serde(flatten)]
    opts: Options,
}

async fn encode(state: Arc<State>, ctx: Ctx, input: Value) -> Result<Value, PluginError> {
    let input: EncodeInput = parse_input(input)?;
    input.opts.check()?;
    let session = ctx.session().clone();
    let max_pixels = settings(&session).max_pixels;
    let detector = input.opts.detector;
    let started = Instant::now();
    let Some(batch) = input.images else {
        let bytes = bytes_of(&session, "image", &input.one)?;
        let pool = pool(&state, &session).await?;
        let (w, h, faces, found) =
            faces_in(&state, &pool, "image".into(), bytes, input.opts, max_pixels).await?;
        report(&state, &ctx, started, faces.len()).await;
        let mut out = image_result(w, h, &faces, found);
        out["detector"] = json!(detector);
        return Ok(out);
    };
    if input.one.image.is_some() || input.one.path.is_some() {
        return Err(bad("give `image`/`path` for one image or `images` for a batch, not both"));
    }
    if batch.is_empty() || batch.len() > 1000 {
        return Err(bad("images: 1 to 1000 images per call"));
    }
    let pool = pool(&state, &session).await?;
    // Every image is read on an engine thread, so at most `threads` are decoded at once.
    let mut tasks = tokio::task::JoinSet::new();
    for (i, r) in batch.into_iter().enumerate() {
        let (state, pool, session, opts) = (state.clone(), pool.clone(), session.clone(), input.opts);
        tasks.spawn(async move {
            let what = format!("image {i}");
            let res = match bytes_of(&session, &what, &r) {
                Ok(bytes) => faces_in(&state, &pool, what, bytes, opts, max_pixels).await,
                Err(e) => Err(e),
            };
            (i, res)
        });
    }
    let mut results = vec![Value::Null; tasks.len()];
    let (mut total, mut failed) = (0usize, 0usize);
    while let Some(done) = tasks.join_next().await {
        let (i, res) = done.map_err(internal)?;
        let mut v = match res {
            Ok((w, h, faces, found)) => {
                total += faces.len();
                image_result(w, h, &faces, found)
            }
            Err(e) if e.client_error => {
                failed += 1;
                json!({"error": error_value(&e)})
            }
            Err(e) => return Err(e),
        };
        v["index"] = json!(i);
        ctx.chunk(v.clone()).await?;
        results[i] = v;
    }
    report(&state, &ctx, started, total).await;
    Ok(
        json!({"detector": detector, "images": results.len(), "faces": total, "failed": failed, "results": results}),
    )
}

async fn report(state: &State, ctx: &Ctx, started: Instant, faces: usize) {
    let rate = faces as f64 / started.elapsed().as_secs_f64().max(1e-9);
    let _ = ctx
        .report_metrics([
            ("faces_encoded", state.faces.load(Ordering::Relaxed) as f64),
            ("faces_per_second", rate),
        ])
        .await;
}

/// The gallery, loaded from the daemon on first use.
async fn gallery<'a>(
    state: &'a State,
    session: &Session,
) -> Result<tokio::sync::MutexGuard<'a, Option<Gallery>>, PluginError> {
    let mut g = state.gallery.lock().await;
    if g.is_none() {
        *g = Some(Gallery::load(session, &settings(session).collection).await?);
    }
    Ok(g)
}

#[derive(Deserialize)]
// The daemon checks the input schema (additionalProperties: false); serde cannot deny
// unknown fields across `flatten`.
struct SearchInput {
    #[serde(flatten)]
    one: ImageRef,
    #[serde(default)]
    encoding: Option<Vec<f32>>,
    #[serde(default = "tolerance")]
    tolerance: f64,
    #[serde(default = "five")]
    k: usize,
    #[serde(flatten)]
    opts: Options,
}

fn tolerance() -> f64 {
    0.6
}
fn five() -> usize {
    5
}

async fn search(state: Arc<State>, ctx: Ctx, input: Value) -> Result<Value, PluginError> {
    let input: SearchInput = parse_input(input)?;
    input.opts.check()?;
    if !(0.0..=2.0).contains(&input.tolerance) {
        return Err(bad("tolerance: 0 to 2 (face_recognition's default is 0.6; lower is stricter)"));
    }
    if !(1..=100).contains(&input.k) {
        return Err(bad("k: 1 to 100"));
    }
    let session = ctx.session().clone();
    let queries: Vec<(Option<engine::FaceBox>, Vec<f32>)> = match (&input.encoding, &input.one) {
        (Some(e), ImageRef { image: None, path: None }) => {
            gallery::check_encoding(e)?;
            vec![(None, e.clone())]
        }
        (None, one) => {
            let bytes = bytes_of(&session, "image", one)?;
            let pool = pool(&state, &session).await?;
            let max_pixels = settings(&session).max_pixels;
            let (_, _, faces, _) =
                faces_in(&state, &pool, "image".into(), bytes, input.opts, max_pixels).await?;
            faces.into_iter().map(|f| (Some(f.bbox), f.encoding)).collect()
        }
        _ => return Err(bad("give exactly one of `image`, `path` and `encoding`")),
    };
    let g = gallery(&state, &session).await?;
    let g = g.as_ref().ok_or_else(|| internal("the gallery is not loaded"))?;
    let mut out = Vec::new();
    let at = now_ms();
    for (bbox, q) in &queries {
        let matches = g.search(q, input.tolerance as f32, input.k);
        let identity = matches.first().map(|m| m.identity.clone());
        if let Some(m) = matches.first() {
            let mut last = state.last_matches.lock();
            last.push_front(json!({"identity": m.identity, "distance": m.distance, "at": at}));
            last.truncate(LAST_MATCHES);
        }
        let mut v = json!({"identity": identity, "matches": matches});
        if let Some(b) = bbox {
            v["box"] = json!(b);
        }
        out.push(v);
    }
    state.searches.fetch_add(1, Ordering::Relaxed);
    Ok(json!({"faces": out, "tolerance": input.tolerance}))
}

#[derive(Deserialize)]
// The daemon checks the input schema (additionalProperties: false); serde cannot deny
// unknown fields across `flatten`.
struct ManageInput {
    action: String,
    #[serde(default)]
    identity: Option<String>,
    #[serde(default)]
    to: Option<String>,
    #[serde(default)]
    sample: Option<String>,
    #[serde(default)]
    images: Option<Vec<ImageRef>>,
    #[serde(default)]
    path: Option<String>,
    #[serde(default)]
    data: Option<Value>,
    #[serde(flatten)]
    opts: Options,
}

fn need(v: &Option<String>, action: &str, field: &str) -> Result<String, PluginError> {
    v.clone().ok_or_else(|| bad(format!("{action}: give `{field}`")))
}

async fn manage(state: Arc<State>, ctx: Ctx, input: Value) -> Result<Value, PluginError> {
    let input: ManageInput = parse_input(input)?;
    input.opts.check()?;
    let session = ctx.session().clone();
    let collection = settings(&session).collection;
    let action = input.action.as_str();
    match action {
        "enroll" => {
            let identity = need(&input.identity, action, "identity")?;
            gallery::check_identity(&identity)?;
            let images = input.images.unwrap_or_default();
            if images.is_empty() || images.len() > 100 {
                return Err(bad("enroll: give 1 to 100 `images` of the person, one face in each"));
            }
            let pool = pool(&state, &session).await?;
            let max_pixels = settings(&session).max_pixels;
            let mut samples = Vec::new();
            // All or nothing: every image is checked before anything is stored.
            for (i, r) in images.iter().enumerate() {
                let what = format!("image {i}");
                let bytes = bytes_of(&session, &what, r)?;
                let (_, _, faces, found) =
                    faces_in(&state, &pool, what.clone(), bytes, input.opts, max_pixels).await?;
                let face = match (found, faces.into_iter().next()) {
                    (1, Some(f)) => f,
                    (0, _) => {
                        return Err(PluginError::new(
                            "no_face",
                            format!("{what}: no face found; nothing was enrolled"),
                        )
                        .client());
                    }
                    (n, _) => {
                        return Err(PluginError::new(
                            "several_faces",
                            format!("{what}: {n} faces found; enroll from images that show only {identity}; nothing was enrolled"),
                        )
                        .client());
                    }
                };
                samples.push(Sample {
                    id: String::new(),
                    identity: identity.clone(),
                    enrolled_at: Some(now_ms()),
                    source: r.path.clone(),
                    encoding: face.encoding,
                });
            }
            let mut g = gallery(&state, &session).await?;
            let stored = gallery::put(&session, &collection, samples).await?;
            let ids: Vec<String> = stored.iter().map(|s| s.id.clone()).collect();
            let g = g.as_mut().ok_or_else(|| internal("the gallery is not loaded"))?;
            g.samples.extend(stored);
            let count = g.identities().get(identity.as_str()).copied().unwrap_or(0);
            Ok(json!({"identity": identity, "added": ids, "samples": count}))
        }
        "list" => {
            let g = gallery(&state, &session).await?;
            let g = g.as_ref().ok_or_else(|| internal("the gallery is not loaded"))?;
            if let Some(identity) = &input.identity {
                let samples: Vec<Value> = g
                    .samples
                    .iter()
                    .filter(|s| &s.identity == identity)
                    .map(|s| json!({"id": s.id, "enrolledAt": s.enrolled_at, "source": s.source}))
                    .collect();
                if samples.is_empty() {
                    return Err(gallery::unknown(identity));
                }
                return Ok(json!({"identity": identity, "samples": samples}));
            }
            let identities: Vec<Value> =
                g.identities().into_iter().map(|(name, n)| json!({"identity": name, "samples": n})).collect();
            Ok(json!({"identities": identities, "samples": g.samples.len()}))
        }
        "rename" => {
            let identity = need(&input.identity, action, "identity")?;
            let to = need(&input.to, action, "to")?;
            gallery::check_identity(&to)?;
            let mut g = gallery(&state, &session).await?;
            let g = g.as_mut().ok_or_else(|| internal("the gallery is not loaded"))?;
            if !g.has(&identity) {
                return Err(gallery::unknown(&identity));
            }
            if identity != to && g.has(&to) {
                return Err(PluginError::new(
                    "identity_exists",
                    format!("{to:?} is already enrolled; remove it first or rename to another name"),
                )
                .client());
            }
            let renamed: Vec<Sample> = g
                .samples
                .iter()
                .filter(|s| s.identity == identity)
                .map(|s| Sample { identity: to.clone(), ..s.clone() })
                .collect();
            let n = renamed.len();
            gallery::put(&session, &collection, renamed).await?;
            for s in g.samples.iter_mut().filter(|s| s.identity == identity) {
                s.identity = to.clone();
            }
            Ok(json!({"identity": to, "from": identity, "samples": n}))
        }
        "remove" => {
            let identity = need(&input.identity, action, "identity")?;
            let mut g = gallery(&state, &session).await?;
            let g = g.as_mut().ok_or_else(|| internal("the gallery is not loaded"))?;
            let ids: Vec<String> = g
                .samples
                .iter()
                .filter(|s| s.identity == identity && input.sample.as_ref().is_none_or(|x| *x == s.id))
                .map(|s| s.id.clone())
                .collect();
            if ids.is_empty() {
                return Err(match &input.sample {
                    Some(sample) if g.has(&identity) => PluginError::new(
                        "unknown_sample",
                        format!("{identity:?} has no sample {sample:?}; `list` with the identity shows its samples"),
                    )
                    .client(),
                    _ => gallery::unknown(&identity),
                });
            }
            let deleted = gallery::delete(&session, &collection, ids.clone()).await?;
            g.samples.retain(|s| !ids.contains(&s.id));
            let left = g.identities().get(identity.as_str()).copied().unwrap_or(0);
            Ok(json!({"identity": identity, "removed": deleted, "samples": left}))
        }
        "export" => {
            let g = gallery(&state, &session).await?;
            let g = g.as_ref().ok_or_else(|| internal("the gallery is not loaded"))?;
            let doc = gallery::export(&g.samples);
            let summary = json!({"identities": g.identities().len(), "samples": g.samples.len()});
            let Some(p) = &input.path else { return Ok(doc) };
            let path = session.resolve_path(p, Access::Write)?;
            let text = serde_json::to_vec(&doc).map_err(internal)?;
            tokio::task::spawn_blocking(move || write_atomic(&path, &text))
                .await
                .map_err(internal)?
                .map_err(|e| bad(format!("cannot write the export: {e}")))?;
            Ok(json!({"path": p, "exported": summary}))
        }
        "import" => {
            let doc = match (&input.data, &input.path) {
                (Some(d), None) => d.clone(),
                (None, Some(p)) => {
                    let path = session.resolve_path(p, Access::Read)?;
                    let text = std::fs::read(&path).map_err(|e| bad(format!("cannot read {p}: {e}")))?;
                    serde_json::from_slice(&text).map_err(|e| bad(format!("{p} is not JSON: {e}")))?
                }
                _ => return Err(bad("import: give the export as `data`, or its file as `path`")),
            };
            let samples = gallery::parse_import(doc)?;
            let mut g = gallery(&state, &session).await?;
            let stored = gallery::put(&session, &collection, samples).await?;
            let n = stored.len();
            let g = g.as_mut().ok_or_else(|| internal("the gallery is not loaded"))?;
            g.samples.extend(stored);
            Ok(json!({"imported": n, "identities": g.identities().len(), "samples": g.samples.len()}))
        }
        other => {
            Err(bad(format!("unknown action {other:?}: enroll, list, rename, remove, export or import")))
        }
    }
}

fn write_atomic(path: &std::path::Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let (Some(dir), Some(name)) = (path.parent(), path.file_name()) else {
        return Err(std::io::Error::other("the path names no file"));
    };
    std::fs::create_dir_all(dir)?;
    let tmp = dir.join(format!(".{}.{}.tmp", name.to_string_lossy(), std::process::id()));
    let mut f = std::fs::File::create(&tmp)?;
    f.write_all(bytes)?;
    f.sync_all()?;
    std::fs::rename(&tmp, path)
}

async fn stats(state: Arc<State>, ctx: Ctx, _input: Value) -> Result<Value, PluginError> {
    let session = ctx.session();
    let s = settings(session);
    let (identities, samples) = match gallery(&state, session).await {
        Ok(g) => g.as_ref().map_or((0, 0), |g| (g.identities().len(), g.samples.len())),
        Err(_) => (0, 0),
    };
    let recent: u64 = {
        let r = state.recent.lock();
        r.iter().filter(|(t, _)| t.elapsed().as_secs() < 10).map(|(_, n)| n).sum()
    };
    let loaded = state.pool.lock().await.as_ref().map(|(id, _)| id.clone());
    Ok(json!({
        "identities": identities,
        "samples": samples,
        "imagesEncoded": state.images.load(Ordering::Relaxed),
        "facesEncoded": state.faces.load(Ordering::Relaxed),
        "encodesPerSecond": recent as f64 / 10.0,
        "searches": state.searches.load(Ordering::Relaxed),
        "lastMatches": state.last_matches.lock().iter().cloned().collect::<Vec<_>>(),
        "model": s.model,
        "modelLoaded": loaded,
        "threads": s.threads,
        "simd": engine::Simd::best(),
        "maxPixels": s.max_pixels,
    }))
}

fn schema(props: Value, required: &[&str]) -> Value {
    json!({"type": "object", "additionalProperties": false, "properties": props, "required": required})
}

fn plugin() -> Plugin {
    let state = Arc::new(State::default());
    let [s1, s2, s3, s4] = [state.clone(), state.clone(), state.clone(), state];
    let image = json!({"type": "string", "minLength": 1, "description": "A JPEG, PNG or WebP image, base64 (a data: URL is accepted)"});
    let path = json!({"type": "string", "minLength": 1, "description": "An image file, relative to the plugin's data folder or inside a folder an admin allowed rustyface"});
    let image_ref = json!({"type": "object", "additionalProperties": false, "properties": {"image": image, "path": path}});
    let opts = json!({
        "detector": {"type": "string", "enum": ["hog", "cnn"], "description": "hog (default; fast, frontal faces) or cnn (dlib's MMOD network; more faces, much slower)"},
        "upsample": {"type": "integer", "minimum": 0, "maximum": 4, "description": "Times the image is doubled before detection, to find smaller faces (default 1)"},
        "jitters": {"type": "integer", "minimum": 1, "maximum": 100, "description": "Re-samples per face, averaged (default 1; 10 is more accurate and 10x slower)"},
        "maxFaces": {"type": "integer", "minimum": 1, "maximum": 1000, "description": "Faces encoded per image at most (default 100)"},
    });
    let with = |extra: Value| {
        let mut p = opts.clone();
        for (k, v) in extra.as_object().into_iter().flatten() {
            p[k] = v.clone();
        }
        p
    };
    Plugin::new("bkg-rustyface", env!("CARGO_PKG_VERSION"))
        .feature(feature::CALLBACKS)
        .feature(feature::METRICS)
        .capability(
            capability("faces.encode")
                .description("Finds the faces in an image (or each of a batch of `images`, streamed as they finish) and returns each face's box (top, right, bottom, left), 5 landmarks and 128-d encoding, as face_recognition does")
                .input_schema(schema(
                    with(json!({"image": image, "path": path,
                                "images": {"type": "array", "minItems": 1, "maxItems": 1000, "items": image_ref}})),
                    &[],
                )),
            move |ctx, input| encode(s1.clone(), ctx, input),
        )
        .capability(
            capability("faces.search")
                .description("Who is in an image (or who an `encoding` is): for each face, the `k` nearest enrolled identities within `tolerance` (0.6 by default, as face_recognition), nearest first")
                .input_schema(schema(
                    with(json!({"image": image, "path": path,
                                "encoding": {"type": "array", "items": {"type": "number"}, "minItems": 128, "maxItems": 128},
                                "tolerance": {"type": "number", "minimum": 0, "maximum": 2},
                                "k": {"type": "integer", "minimum": 1, "maximum": 100}})),
                    &[],
                )),
            move |ctx, input| search(s2.clone(), ctx, input),
        )
        .capability(
            capability("dataset.manage")
                .description("enroll (an identity from images with one face each) | list (identities, or one identity's samples) | rename (`identity` to `to`) | remove (an identity, or one `sample`) | export (to `path`, or returned) | import (`data` or `path`)")
                .input_schema(schema(
                    with(json!({
                        "action": {"type": "string", "enum": ["enroll", "list", "rename", "remove", "export", "import"]},
                        "identity": {"type": "string", "minLength": 1, "maxLength": 200},
                        "to": {"type": "string", "minLength": 1, "maxLength": 200},
                        "sample": {"type": "string", "minLength": 1},
                        "images": {"type": "array", "minItems": 1, "maxItems": 100, "items": image_ref},
                        "path": {"type": "string", "minLength": 1, "description": "export/import file, relative to the plugin's data folder or inside an allowed folder"},
                        "data": {"type": "object", "description": "An export, to import"},
                    })),
                    &["action"],
                )),
            move |ctx, input| manage(s3.clone(), ctx, input),
        )
        .capability(
            capability("stats")
                .description("Identities and samples enrolled, images and faces encoded, encodes per second (last 10 s), searches, the last matches, the model and threads")
                .input_schema(schema(json!({}), &[])),
            move |ctx, input| stats(s4.clone(), ctx, input),
        )
}

fn main() -> std::process::ExitCode {
    plugin().main()
}
