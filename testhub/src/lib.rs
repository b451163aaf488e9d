//! A Hugging Face hub-compatible server on 127.0.0.1 for tests and benchmarks: it serves real
//! files with the hub's metadata (`/api/models/{repo}/revision/{rev}` with sizes, LFS SHA-256s
//! and git blob ids) and downloads (`/{repo}/resolve/{rev}/{path}` with the hub's headers and
//! range requests), and can inject the faults a download manager must survive: wrong bytes, a
//! wrong `Content-Length`, an endless body, 404, 500, redirects, a stall, or a file held at its
//! midpoint until the test releases it (so "in the middle of a download" needs no timing).
//!
//! Like the real hub, large and binary files are LFS files (listed with a SHA-256) and small
//! text files are plain git files (listed with their git blob id only).

use std::collections::{BTreeMap, HashMap};
use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use axum::Router;
use axum::body::Body;
use axum::extract::{Path as UrlPath, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use futures_util::StreamExt;
use parking_lot::Mutex;
use serde_json::json;
use sha1::Digest as _;
use tokio::sync::watch;

/// The commit every revision of every repo resolves to.
pub const COMMIT: &str = "0123456789abcdef0123456789abcdef01234567";

/// What goes wrong when a file is fetched.
#[derive(Debug, Clone, PartialEq)]
pub enum Fault {
    /// One byte differs from what the metadata's hash describes.
    WrongBytes,
    /// Serves a body 100 bytes shorter than the file, with a `Content-Length` to match: the
    /// length disagrees with the metadata's size.
    WrongLength,
    /// The body never ends (and has no `Content-Length`).
    Endless,
    NotFound,
    ServerError,
    /// A 302 to the same path on another server (`http://host:port`).
    RedirectTo(String),
    /// Sends up to the midpoint, then nothing, ever; a request starting past it gets nothing.
    Stall,
    /// Sends up to the midpoint and waits there until [`Hub::release`]; a request starting at
    /// or past the midpoint is served at once.
    Hold,
}

/// A served file with its hashes, computed once.
#[derive(Clone)]
struct File {
    bytes: Bytes,
    sha256: String,
    git: String,
}

#[derive(Default)]
struct Shared {
    /// repo -> path -> file
    repos: Mutex<HashMap<String, BTreeMap<String, File>>>,
    faults: Mutex<HashMap<(String, String), Fault>>,
    served: AtomicU64,
    /// `Authorization` headers seen, for checking that tokens do not leak across hosts.
    authorizations: Mutex<Vec<String>>,
    open: watch::Sender<bool>,
}

/// A running hub; it stops when dropped with its runtime.
#[derive(Clone)]
pub struct Hub {
    pub addr: SocketAddr,
    shared: Arc<Shared>,
}

/// The SHA-256 and git blob id of bytes, in hex.
pub fn hashes(bytes: &[u8]) -> (String, String) {
    let sha = hex::encode(sha2::Sha256::digest(bytes));
    let mut git = sha1::Sha1::new();
    git.update(format!("blob {}\0", bytes.len()).as_bytes());
    git.update(bytes);
    (sha, hex::encode(git.finalize()))
}

/// The real hub stores large and binary files in LFS.
fn is_lfs(path: &str, len: usize) -> bool {
    len >= 10 * 1024 || [".safetensors", ".gguf", ".bin", ".onnx", ".pt"].iter().any(|e| path.ends_with(e))
}

impl Hub {
    /// Starts an empty hub on 127.0.0.1 with an ephemeral port.
    pub async fn start() -> anyhow::Result<Self> {
        Self::bind("127.0.0.1:0".parse()?).await
    }

    pub async fn bind(addr: SocketAddr) -> anyhow::Result<Self> {
        let (open, _) = watch::channel(false);
        let shared = Arc::new(Shared { open, ..Default::default() });
        let app = Router::new()
            .route("/api/models/{org}/{name}/revision/{rev}", axum::routing::get(info))
            .fallback(file)
            .with_state(shared.clone());
        let listener = tokio::net::TcpListener::bind(addr).await?;
        let addr = listener.local_addr()?;
        tokio::spawn(async move { axum::serve(listener, app).await });
        Ok(Self { addr, shared })
    }

    pub fn endpoint(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Serves `repo` (`org/name`) with these files.
    pub fn add_repo(&self, repo: &str, files: BTreeMap<String, Vec<u8>>) {
        let files = files
            .into_iter()
            .map(|(k, v)| {
                let (sha256, git) = hashes(&v);
                (k, File { bytes: Bytes::from(v), sha256, git })
            })
            .collect();
        self.shared.repos.lock().insert(repo.to_string(), files);
    }

    /// Serves every file under `dir` (recursively, following links) as `repo`.
    pub fn add_dir(&self, repo: &str, dir: &Path) -> anyhow::Result<()> {
        let mut files = BTreeMap::new();
        let mut stack = vec![(dir.to_path_buf(), String::new())];
        while let Some((d, prefix)) = stack.pop() {
            for e in std::fs::read_dir(&d)? {
                let e = e?;
                let name = e.file_name().to_string_lossy().into_owned();
                if name.starts_with('.') {
                    continue;
                }
                let rel = if prefix.is_empty() { name } else { format!("{prefix}/{name}") };
                let meta = std::fs::metadata(e.path())?;
                if meta.is_dir() {
                    stack.push((e.path(), rel));
                } else {
                    files.insert(rel, std::fs::read(e.path())?);
                }
            }
        }
        anyhow::ensure!(!files.is_empty(), "{} holds no files", dir.display());
        self.add_repo(repo, files);
        Ok(())
    }

    pub fn fault(&self, repo: &str, path: &str, fault: Fault) {
        self.shared.faults.lock().insert((repo.to_string(), path.to_string()), fault);
    }

    /// Lets held files finish.
    pub fn release(&self) {
        self.shared.open.send_replace(true);
    }

    /// Body bytes handed to clients so far.
    pub fn bytes_served(&self) -> u64 {
        self.shared.served.load(Ordering::SeqCst)
    }

    /// Every `Authorization` header received.
    pub fn authorizations(&self) -> Vec<String> {
        self.shared.authorizations.lock().clone()
    }
}

fn not_found(what: &'static str, message: &'static str) -> Response {
    (StatusCode::NOT_FOUND, [("x-error-code", what)], message).into_response()
}

async fn info(
    State(s): State<Arc<Shared>>,
    UrlPath((org, name, _rev)): UrlPath<(String, String, String)>,
) -> Response {
    let repo = format!("{org}/{name}");
    let repos = s.repos.lock();
    let Some(files) = repos.get(&repo) else { return not_found("RepoNotFound", "Repository not found") };
    let siblings: Vec<_> = files
        .iter()
        .map(|(path, File { bytes, sha256: sha, git })| {
            let mut entry = json!({"rfilename": path, "size": bytes.len(), "blobId": git});
            if is_lfs(path, bytes.len()) {
                entry["lfs"] = json!({"sha256": sha, "size": bytes.len(), "pointerSize": 134});
            }
            entry
        })
        .collect();
    axum::Json(json!({"id": repo, "modelId": repo, "sha": COMMIT, "siblings": siblings})).into_response()
}

/// `/{org}/{name}/resolve/{rev}/{path...}`
async fn file(State(s): State<Arc<Shared>>, req: Request) -> Response {
    if let Some(a) = req.headers().get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()) {
        s.authorizations.lock().push(a.to_string());
    }
    let path = req.uri().path().trim_start_matches('/').to_string();
    let parts: Vec<&str> = path.splitn(5, '/').collect();
    let [org, name, "resolve", _rev, file_path] = parts.as_slice() else {
        return not_found("EntryNotFound", "no such route");
    };
    let repo = format!("{org}/{name}");
    let Some(File { bytes, sha256: sha, git }) =
        s.repos.lock().get(&repo).and_then(|f| f.get(*file_path).cloned())
    else {
        return not_found("EntryNotFound", "Entry not found");
    };
    let fault = s.faults.lock().get(&(repo.clone(), file_path.to_string())).cloned();
    let etag = if is_lfs(file_path, bytes.len()) { sha } else { git };
    let mut h = HeaderMap::new();
    h.insert("x-repo-commit", HeaderValue::from_static(COMMIT));
    if let Ok(v) = HeaderValue::from_str(&format!("\"{etag}\"")) {
        h.insert(header::ETAG, v.clone());
        h.insert("x-linked-etag", v);
    }
    h.insert("x-linked-size", HeaderValue::from(bytes.len()));
    h.insert(header::ACCEPT_RANGES, HeaderValue::from_static("bytes"));
    match &fault {
        Some(Fault::NotFound) => return not_found("EntryNotFound", "Entry not found"),
        Some(Fault::ServerError) => {
            return (StatusCode::INTERNAL_SERVER_ERROR, "Internal Error").into_response();
        }
        Some(Fault::RedirectTo(other)) => {
            let to = format!("{other}{}", req.uri().path());
            return (StatusCode::FOUND, [(header::LOCATION, to)]).into_response();
        }
        _ => {}
    }
    let len = bytes.len();
    let start = range_start(req.headers()).unwrap_or(0);
    if start > len || (start == len && len > 0) {
        if let Ok(v) = HeaderValue::from_str(&format!("bytes */{len}")) {
            h.insert(header::CONTENT_RANGE, v);
        }
        return (StatusCode::RANGE_NOT_SATISFIABLE, h).into_response();
    }
    let status = if start > 0 { StatusCode::PARTIAL_CONTENT } else { StatusCode::OK };
    if start > 0
        && let Ok(v) = HeaderValue::from_str(&format!("bytes {start}-{}/{len}", len - 1))
    {
        h.insert(header::CONTENT_RANGE, v);
    }
    let mut body = bytes.slice(start..);
    match fault {
        Some(Fault::WrongBytes) if !body.is_empty() => {
            let mut v = body.to_vec();
            let last = v.len() - 1;
            v[last] ^= 0xff;
            body = Bytes::from(v);
        }
        Some(Fault::WrongLength) => body = body.slice(..body.len().saturating_sub(100)),
        _ => {}
    }
    h.insert(header::CONTENT_LENGTH, HeaderValue::from(body.len()));
    if req.method() == Method::HEAD {
        return (status, h).into_response();
    }
    let mid = len / 2;
    let served = Arc::clone(&s);
    let count = move |b: Bytes| {
        served.served.fetch_add(b.len() as u64, Ordering::SeqCst);
        Ok::<_, std::io::Error>(b)
    };
    let stream: futures_util::stream::BoxStream<'static, Result<Bytes, std::io::Error>> = match fault {
        Some(Fault::Endless) => {
            h.remove(header::CONTENT_LENGTH);
            let chunk = Bytes::from(vec![0u8; 64 * 1024]);
            Box::pin(futures_util::stream::repeat_with(move || chunk.clone()).map(count))
        }
        Some(Fault::Stall) => {
            let first = if start < mid { body.slice(..mid - start) } else { Bytes::new() };
            Box::pin(
                futures_util::stream::once(async move { first })
                    .chain(futures_util::stream::pending())
                    .map(count),
            )
        }
        Some(Fault::Hold) if start < mid => {
            let (first, second) = (body.slice(..mid - start), body.slice(mid - start..));
            let mut open = s.open.subscribe();
            let wait = async move {
                let _ = open.wait_for(|o| *o).await;
                second
            };
            Box::pin(
                futures_util::stream::once(async move { first })
                    .chain(futures_util::stream::once(wait))
                    .map(count),
            )
        }
        _ => {
            // In 256 KiB pieces, like a real server's writes.
            let pieces: Vec<Bytes> = (0..body.len().div_ceil(256 * 1024))
                .map(|i| body.slice(i * 256 * 1024..((i + 1) * 256 * 1024).min(body.len())))
                .collect();
            Box::pin(futures_util::stream::iter(pieces).map(count))
        }
    };
    (status, h, Body::from_stream(stream)).into_response()
}

fn range_start(h: &HeaderMap) -> Option<usize> {
    h.get(header::RANGE)?.to_str().ok()?.strip_prefix("bytes=")?.split('-').next()?.parse().ok()
}
