//! The admin web UI (`admin-ui/`, an Angular app) served at `/`.
//!
//! The built files are embedded in release binaries (`rust-embed`), so bkgd stays one file to
//! deploy; debug builds read them from `admin-ui/dist/admin-ui/browser` at run time, so a UI
//! rebuild needs no daemon rebuild. The build step (`npm run build`) precompresses every
//! compressible file as `.br` and `.gz` next to it; the variant the client accepts is sent as
//! is, so nothing is compressed per request.
//!
//! - Hashed files (`main-ABCD1234.js`) are immutable for a year; everything else, and above all
//!   `index.html`, is revalidated on every load (`no-cache` with an `ETag`).
//! - Client routes (`/plugins/llmserver`) get `index.html` (SPA fallback); a missing file with
//!   an extension is a 404, and paths of the API (`/api/`, `/admin/`, `/auth/`, `/v1/`, `/ws/`)
//!   keep the API's JSON 404.
//! - `index.html` carries a Content-Security-Policy without `unsafe-inline` or `unsafe-eval`:
//!   the component styles Angular inserts at run time carry a nonce made per response and
//!   written into the page's `ngCspNonce` attribute.
//! - Without a UI build, `/` answers a page that says how to build it (503), never a crash.

use std::borrow::Cow;
use std::path::PathBuf;
use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use bkg_core::ErrorCode;
use sha2::{Digest, Sha256};

use super::error::ApiError;

#[derive(rust_embed::RustEmbed)]
#[folder = "../admin-ui/dist/admin-ui/browser"]
#[allow_missing = true]
struct Embedded;

/// Where the UI's files come from.
#[derive(Debug, Clone)]
pub enum Files {
    /// Embedded in release builds; read from the build folder in debug builds.
    Built,
    /// A folder (tests).
    Dir(PathBuf),
}

/// One file: its bytes and a strong validator.
struct File {
    data: Cow<'static, [u8]>,
    etag: String,
}

impl Files {
    async fn get(&self, path: &str) -> Option<File> {
        match self {
            Files::Built => Embedded::get(path)
                .map(|f| File { etag: hex::encode(&f.metadata.sha256_hash()[..12]), data: f.data }),
            Files::Dir(dir) => {
                let data = tokio::fs::read(dir.join(path)).await.ok()?;
                Some(File { etag: hex::encode(&Sha256::digest(&data)[..12]), data: Cow::Owned(data) })
            }
        }
    }
}

/// The placeholder of `index.html` replaced by each response's style nonce.
const NONCE_PLACEHOLDER: &str = "BKG_CSP_NONCE";
/// Paths that belong to the API: unknown ones answer the API's JSON 404, never the UI.
const API_PREFIXES: &[&str] =
    &["/api/", "/admin/", "/auth/", "/v1/", "/ws/", "/api", "/admin", "/auth", "/v1", "/ws"];

/// The UI as a fallback service for every path no API route matched.
pub fn router(files: Files) -> Router {
    Router::new().fallback(serve).with_state(Arc::new(files))
}

fn is_api(path: &str) -> bool {
    API_PREFIXES.iter().any(|p| if p.ends_with('/') { path.starts_with(p) } else { path == *p })
}

async fn serve(State(files): State<Arc<Files>>, method: Method, uri: Uri, headers: HeaderMap) -> Response {
    let path = uri.path();
    if !(method == Method::GET || method == Method::HEAD) || is_api(path) {
        return ApiError::not_found("no such route; see /api/openapi.json").into_response();
    }
    let rel = path.trim_start_matches('/');
    if rel.split('/').any(|seg| seg == ".." || seg.starts_with('.')) || rel.contains('\\') {
        return ApiError::not_found("no such file").into_response();
    }
    if !rel.is_empty() && rel != "index.html" {
        if let Some(file) = files.get(rel).await {
            return asset(&files, rel, file, &headers).await;
        }
        // A file name that is not there is a broken link, not a client route.
        if rel.rsplit('/').next().is_some_and(|name| name.contains('.')) {
            return ApiError::new(ErrorCode::NotFound, format!("no file /{rel} in the web UI"))
                .into_response();
        }
    }
    index(&files).await
}

fn content_type(path: &str) -> &'static str {
    match path.rsplit_once('.').map(|(_, ext)| ext) {
        Some("html") => "text/html; charset=utf-8",
        Some("js" | "mjs") => "text/javascript; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("json" | "map") => "application/json",
        Some("webmanifest") => "application/manifest+json",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("ico") => "image/x-icon",
        Some("woff2") => "font/woff2",
        Some("txt") => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// Angular names its build outputs `name-HASH8.ext` (the hash in capitals and digits).
fn is_hashed(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    let stem = name.split('.').next().unwrap_or(name);
    stem.rsplit_once('-')
        .is_some_and(|(_, h)| h.len() == 8 && h.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit()))
}

fn accepts(headers: &HeaderMap, coding: &str) -> bool {
    headers.get_all(header::ACCEPT_ENCODING).iter().filter_map(|v| v.to_str().ok()).any(|v| {
        v.split(',').any(|part| {
            let mut it = part.split(';');
            let name = it.next().unwrap_or("").trim();
            let refused = it.any(|q| matches!(q.trim(), "q=0" | "q=0.0" | "q=0.00" | "q=0.000"));
            name.eq_ignore_ascii_case(coding) && !refused
        })
    })
}

async fn asset(files: &Files, path: &str, file: File, headers: &HeaderMap) -> Response {
    let cache = if is_hashed(path) { "public, max-age=31536000, immutable" } else { "no-cache" };
    let mut chosen: Option<(&str, File)> = None;
    for (coding, ext) in [("br", "br"), ("gzip", "gz")] {
        if accepts(headers, coding)
            && let Some(f) = files.get(&format!("{path}.{ext}")).await
        {
            chosen = Some((coding, f));
            break;
        }
    }
    let etag = format!("\"{}\"", file.etag);
    if headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim().trim_start_matches("W/") == etag))
    {
        let mut resp = StatusCode::NOT_MODIFIED.into_response();
        put(&mut resp, header::ETAG, &etag);
        put(&mut resp, header::CACHE_CONTROL, cache);
        return resp;
    }
    let (body, coding) = match chosen {
        Some((coding, f)) => (f.data, Some(coding)),
        None => (file.data, None),
    };
    let mut resp = Response::new(Body::from(body));
    put(&mut resp, header::CONTENT_TYPE, content_type(path));
    put(&mut resp, header::CACHE_CONTROL, cache);
    put(&mut resp, header::ETAG, &etag);
    put(&mut resp, header::VARY, "accept-encoding");
    if let Some(c) = coding {
        put(&mut resp, header::CONTENT_ENCODING, c);
    }
    resp
}

fn put(resp: &mut Response, name: header::HeaderName, value: &str) {
    if let Ok(v) = HeaderValue::from_str(value) {
        resp.headers_mut().insert(name, v);
    }
}

/// The policy of every page: scripts, styles, fonts and connections from this origin only;
/// run-time `<style>` elements only with this response's nonce; no plugins, no framing.
fn csp(nonce: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self'; style-src 'self' 'nonce-{nonce}'; img-src 'self' data:; \
         font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; \
         frame-ancestors 'none'"
    )
}

async fn index(files: &Files) -> Response {
    let nonce = base64::engine::general_purpose::STANDARD.encode(rand::random::<[u8; 18]>());
    let (status, html) = match files.get("index.html").await {
        Some(f) => (StatusCode::OK, String::from_utf8_lossy(&f.data).replace(NONCE_PLACEHOLDER, &nonce)),
        None => (StatusCode::SERVICE_UNAVAILABLE, MISSING.to_string()),
    };
    let mut resp = (status, html).into_response();
    put(&mut resp, header::CONTENT_TYPE, "text/html; charset=utf-8");
    put(&mut resp, header::CACHE_CONTROL, "no-cache");
    put(&mut resp, header::CONTENT_SECURITY_POLICY, &csp(&nonce));
    resp
}

const MISSING: &str = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>bkg: web UI not built</title></head>\
<body><h1>The web UI is not part of this build of bkgd</h1>\
<p>Build it with <code>npm --prefix admin-ui ci &amp;&amp; npm --prefix admin-ui run build</code> \
(or <code>make run</code>, which does both and then builds bkgd), then rebuild or restart bkgd.</p>\
<p>The API works without it: see <a href=\"/api/openapi.json\">/api/openapi.json</a>.</p></body></html>";

#[cfg(test)]
mod tests {
    use super::*;
    use tower::ServiceExt;

    fn site() -> (tempfile::TempDir, Router) {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path();
        std::fs::write(p.join("index.html"), "<app-root ngCspNonce=\"BKG_CSP_NONCE\"></app-root>").unwrap();
        std::fs::write(p.join("main-AB12CD34.js"), "console.log('plain')").unwrap();
        std::fs::write(p.join("main-AB12CD34.js.br"), "brotli-bytes").unwrap();
        std::fs::write(p.join("main-AB12CD34.js.gz"), "gzip-bytes").unwrap();
        std::fs::write(p.join("favicon.ico"), "ico").unwrap();
        let r = router(Files::Dir(p.to_path_buf()));
        (dir, r)
    }

    async fn get(r: &Router, path: &str, headers: &[(&str, &str)]) -> Response {
        let mut req = axum::http::Request::get(path);
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        r.clone().oneshot(req.body(Body::empty()).unwrap()).await.unwrap()
    }

    async fn text(resp: Response) -> String {
        String::from_utf8(axum::body::to_bytes(resp.into_body(), 1 << 20).await.unwrap().to_vec()).unwrap()
    }

    fn h<'a>(resp: &'a Response, name: &str) -> &'a str {
        resp.headers().get(name).map(|v| v.to_str().unwrap()).unwrap_or("")
    }

    #[tokio::test]
    async fn index_and_client_routes_get_the_page_with_a_fresh_nonce() {
        let (_d, r) = site();
        for path in ["/", "/index.html", "/plugins/llmserver", "/core/plugins/candle", "/settings"] {
            let resp = get(&r, path, &[]).await;
            assert_eq!(resp.status(), 200, "{path}");
            assert_eq!(h(&resp, "content-type"), "text/html; charset=utf-8");
            assert_eq!(h(&resp, "cache-control"), "no-cache");
            let policy = h(&resp, "content-security-policy").to_string();
            assert!(!policy.contains("unsafe"), "{policy}");
            let body = text(resp).await;
            assert!(!body.contains(NONCE_PLACEHOLDER));
            let nonce = body.split('"').nth(1).unwrap();
            assert!(policy.contains(&format!("'nonce-{nonce}'")), "{policy} / {body}");
        }
        let a = text(get(&r, "/", &[]).await).await;
        let b = text(get(&r, "/", &[]).await).await;
        assert_ne!(a, b, "a nonce per response");
    }

    #[tokio::test]
    async fn hashed_assets_are_immutable_and_precompressed_variants_are_negotiated() {
        let (_d, r) = site();
        let plain = get(&r, "/main-AB12CD34.js", &[]).await;
        assert_eq!(plain.status(), 200);
        assert_eq!(h(&plain, "content-type"), "text/javascript; charset=utf-8");
        assert_eq!(h(&plain, "cache-control"), "public, max-age=31536000, immutable");
        assert_eq!(h(&plain, "content-encoding"), "");
        let etag = h(&plain, "etag").to_string();
        assert_eq!(text(plain).await, "console.log('plain')");

        let br = get(&r, "/main-AB12CD34.js", &[("accept-encoding", "gzip, deflate, br")]).await;
        assert_eq!((h(&br, "content-encoding"), h(&br, "vary")), ("br", "accept-encoding"));
        assert_eq!(text(br).await, "brotli-bytes");
        let gz = get(&r, "/main-AB12CD34.js", &[("accept-encoding", "gzip, br;q=0")]).await;
        assert_eq!(h(&gz, "content-encoding"), "gzip");
        assert_eq!(text(gz).await, "gzip-bytes");

        let again = get(&r, "/main-AB12CD34.js", &[("if-none-match", &etag)]).await;
        assert_eq!(again.status(), 304);
        let ico = get(&r, "/favicon.ico", &[]).await;
        assert_eq!((h(&ico, "content-type"), h(&ico, "cache-control")), ("image/x-icon", "no-cache"));
    }

    #[tokio::test]
    async fn api_paths_missing_files_and_traversal_are_404s() {
        let (_d, r) = site();
        for path in ["/api/nope", "/admin/nope", "/auth/nope", "/v1/nope", "/ws/nope", "/api"] {
            let resp = get(&r, path, &[]).await;
            assert_eq!(resp.status(), 404, "{path}");
            assert_eq!(h(&resp, "content-type"), "application/json", "{path}");
            assert!(text(resp).await.contains("\"code\":\"not_found\""));
        }
        for path in ["/missing-AAAAAAAA.js", "/a/../index.html", "/.env"] {
            assert_eq!(get(&r, path, &[]).await.status(), 404, "{path}");
        }
        let post = r
            .clone()
            .oneshot(axum::http::Request::post("/plugins").body(Body::empty()).unwrap())
            .await
            .unwrap();
        assert_eq!(post.status(), 404, "only GET and HEAD reach the UI");
    }

    #[tokio::test]
    async fn a_missing_build_answers_a_page_that_says_how_to_build_it() {
        let dir = tempfile::tempdir().unwrap();
        let r = router(Files::Dir(dir.path().to_path_buf()));
        let resp = get(&r, "/", &[]).await;
        assert_eq!(resp.status(), 503);
        assert_eq!(h(&resp, "content-type"), "text/html; charset=utf-8");
        assert!(text(resp).await.contains("npm --prefix admin-ui run build"));
    }

    #[test]
    fn hashed_names_are_recognised() {
        assert!(is_hashed("main-AB12CD34.js"));
        assert!(is_hashed("media/font-ZZ00ZZ00.woff2"));
        assert!(is_hashed("chunk-ABCDEFGH.js"));
        assert!(!is_hashed("index.html"));
        assert!(!is_hashed("favicon.ico"));
        assert!(!is_hashed("main-abcdefgh.js"));
    }
}
