//! The typed async client of bkgd's REST and WebSocket API, used by bkgctl, bkg-tui and the
//! tests. It can do exactly what the API can, nothing more.

mod admin;
pub mod config;
mod models;
mod runtimes;
pub mod session;
mod ws;

use std::time::Duration;

use futures_util::{Stream, StreamExt};
use reqwest::{RequestBuilder, Response};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;
use url::Url;

pub use reqwest::Method;
pub use session::{Api, ConnectOptions, SessionError, Target};
pub use ws::WsClient;

use crate::error::{ErrorBody, ErrorCode};
use crate::health::Health;
use crate::logs::LogPage;
use crate::logs::LogQuery;
use crate::plugin::{
    CapabilityList, ConfigApplied, InvokeEvent, InvokeResponse, LifecycleResponse, PluginDetail, PluginList,
    PluginStatus,
};
use crate::telemetry::TelemetryHistory;

/// What can go wrong talking to the daemon.
#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    /// The daemon answered with an error body.
    #[error("{} ({}): {}", body.code, status, body.message)]
    Api { status: u16, body: ErrorBody },
    /// The daemon could not be reached (refused, DNS, TLS, timeout).
    #[error("cannot reach bkgd at {url}: {message}")]
    Unreachable { url: String, message: String },
    /// The answer was not what the API documents.
    #[error("unexpected answer from bkgd: {0}")]
    Protocol(String),
    /// The URL given to the client is not usable.
    #[error("invalid server URL {0:?}: {1}")]
    BadUrl(String, String),
}

impl ClientError {
    /// The API error code, when the daemon sent one.
    pub fn code(&self) -> Option<ErrorCode> {
        match self {
            ClientError::Api { body, .. } => Some(body.code),
            _ => None,
        }
    }

    /// The HTTP status, when the daemon answered.
    pub fn status(&self) -> Option<u16> {
        match self {
            ClientError::Api { status, .. } => Some(*status),
            _ => None,
        }
    }
}

pub type Result<T, E = ClientError> = std::result::Result<T, E>;

/// A handle to one daemon. Cheap to clone.
#[derive(Debug, Clone)]
pub struct Client {
    http: reqwest::Client,
    base: Url,
    token: Option<String>,
}

impl Client {
    /// `base` is the daemon's root URL, e.g. `http://127.0.0.1:8420`.
    pub fn new(base: &str) -> Result<Self> {
        Self::build(base, None)
    }

    /// Like [`Client::new`], also trusting the PEM certificate `ca_pem` (for a daemon with a
    /// self-signed or private certificate).
    pub fn new_with_ca(base: &str, ca_pem: &[u8]) -> Result<Self> {
        Self::build(base, Some(ca_pem))
    }

    fn build(base: &str, ca_pem: Option<&[u8]>) -> Result<Self> {
        let mut base = Url::parse(base).map_err(|e| ClientError::BadUrl(base.into(), e.to_string()))?;
        if !matches!(base.scheme(), "http" | "https") {
            return Err(ClientError::BadUrl(base.to_string(), "scheme must be http or https".into()));
        }
        if !base.path().ends_with('/') {
            let path = format!("{}/", base.path());
            base.set_path(&path);
        }
        let mut builder = reqwest::Client::builder().connect_timeout(Duration::from_secs(10));
        if base.scheme() == "http" {
            // Loading and parsing the system's root certificates costs several milliseconds,
            // most of a short CLI command's budget, and a plain-HTTP client never uses them.
            builder = builder.tls_certs_only(std::iter::empty());
        } else if let Some(pem) = ca_pem {
            let cert = reqwest::Certificate::from_pem(pem)
                .map_err(|e| ClientError::BadUrl(base.to_string(), format!("bad CA certificate: {e}")))?;
            builder = builder.add_root_certificate(cert);
        }
        let http = builder.build().map_err(|e| ClientError::BadUrl(base.to_string(), e.to_string()))?;
        Ok(Self { http, base, token: None })
    }

    /// Sends `Authorization: Bearer <token>` with every request (a JWT or an API key).
    pub fn with_token(mut self, token: impl Into<String>) -> Self {
        self.token = Some(token.into());
        self
    }

    pub fn base_url(&self) -> &Url {
        &self.base
    }

    pub fn token(&self) -> Option<&str> {
        self.token.as_deref()
    }

    /// Joins a relative API path (`api/plugins`) onto the base URL.
    pub fn url(&self, path: &str) -> Result<Url> {
        self.base
            .join(path.trim_start_matches('/'))
            .map_err(|e| ClientError::BadUrl(path.into(), e.to_string()))
    }

    /// A request builder with auth applied, for routes this client has no method for yet.
    pub fn request(&self, method: Method, path: &str) -> Result<RequestBuilder> {
        let mut req = self.http.request(method, self.url(path)?);
        if let Some(token) = &self.token {
            req = req.bearer_auth(token);
        }
        Ok(req)
    }

    /// Sends a request and decodes a JSON answer, mapping error bodies to [`ClientError::Api`].
    pub async fn send_json<T: DeserializeOwned>(&self, req: RequestBuilder) -> Result<T> {
        let resp = self.send(req).await?;
        let bytes = resp.bytes().await.map_err(|e| self.transport(e))?;
        serde_json::from_slice(&bytes).map_err(|e| ClientError::Protocol(format!("{e}")))
    }

    /// Sends a request and checks the status, returning the raw response.
    pub async fn send(&self, req: RequestBuilder) -> Result<Response> {
        let resp = req.send().await.map_err(|e| self.transport(e))?;
        if resp.status().is_success() {
            return Ok(resp);
        }
        let status = resp.status().as_u16();
        let bytes = resp.bytes().await.map_err(|e| self.transport(e))?;
        let body = serde_json::from_slice::<ErrorBody>(&bytes).unwrap_or_else(|_| {
            ErrorBody::new(
                ErrorCode::Internal,
                format!(
                    "HTTP {status}: {}",
                    String::from_utf8_lossy(&bytes).chars().take(200).collect::<String>()
                ),
            )
        });
        Err(ClientError::Api { status, body })
    }

    fn transport(&self, e: reqwest::Error) -> ClientError {
        ClientError::Unreachable { url: self.base.to_string(), message: error_chain(&e) }
    }

    async fn get<T: DeserializeOwned>(&self, path: &str) -> Result<T> {
        self.send_json(self.request(Method::GET, path)?).await
    }

    async fn post<B: Serialize + ?Sized, T: DeserializeOwned>(&self, path: &str, body: &B) -> Result<T> {
        self.send_json(self.request(Method::POST, path)?.json(body)).await
    }

    pub async fn health(&self) -> Result<Health> {
        self.get("healthz").await
    }

    pub async fn ready(&self) -> Result<Health> {
        self.get("readyz").await
    }

    /// Every node of the cluster (`GET /api/nodes`).
    pub async fn nodes(&self) -> Result<crate::cluster::NodeList> {
        self.get("api/nodes").await
    }

    pub async fn plugins(&self) -> Result<PluginList> {
        self.get("api/plugins").await
    }

    pub async fn plugin(&self, id: &str) -> Result<PluginDetail> {
        self.get(&format!("api/plugins/{}", seg(id))).await
    }

    pub async fn plugin_status(&self, id: &str) -> Result<PluginStatus> {
        self.get(&format!("api/plugins/{}/status", seg(id))).await
    }

    pub async fn capabilities(&self, id: &str) -> Result<CapabilityList> {
        self.get(&format!("api/plugins/{}/capabilities", seg(id))).await
    }

    pub async fn start(&self, id: &str) -> Result<LifecycleResponse> {
        self.post(&format!("api/plugins/{}/start", seg(id)), &serde_json::json!({})).await
    }

    pub async fn stop(&self, id: &str) -> Result<LifecycleResponse> {
        self.post(&format!("api/plugins/{}/stop", seg(id)), &serde_json::json!({})).await
    }

    pub async fn restart(&self, id: &str) -> Result<LifecycleResponse> {
        self.post(&format!("api/plugins/{}/restart", seg(id)), &serde_json::json!({})).await
    }

    pub async fn logs(&self, id: &str, query: &LogQuery) -> Result<LogPage> {
        let mut url = self.url(&format!("api/plugins/{}/logs", seg(id)))?;
        {
            let mut pairs = url.query_pairs_mut();
            if let Some(tail) = query.tail {
                pairs.append_pair("tail", &tail.to_string());
            }
            if let Some(since) = &query.since {
                pairs.append_pair("since", since);
            }
            if let Some(level) = query.level {
                pairs.append_pair("level", level.as_str());
            }
            if let Some(q) = &query.q {
                pairs.append_pair("q", q);
            }
            if let Some(cursor) = query.cursor {
                pairs.append_pair("cursor", &cursor.to_string());
            }
        }
        self.get(url.as_str()).await
    }

    pub async fn telemetry(&self, id: &str) -> Result<TelemetryHistory> {
        self.get(&format!("api/plugins/{}/telemetry", seg(id))).await
    }

    pub async fn set_config(&self, id: &str, config: &Value) -> Result<ConfigApplied> {
        self.post(&format!("api/plugins/{}/config", seg(id)), config).await
    }

    /// Invokes a capability and waits for its final result.
    pub async fn invoke(&self, id: &str, capability: &str, input: &Value) -> Result<InvokeResponse> {
        self.post(&format!("api/plugins/{}/invoke/{}", seg(id), seg(capability)), input).await
    }

    /// Invokes a capability and streams its chunks and final result (NDJSON).
    pub async fn invoke_stream(
        &self,
        id: &str,
        capability: &str,
        input: &Value,
    ) -> Result<impl Stream<Item = Result<InvokeEvent>> + Send + 'static + use<>> {
        let req = self
            .request(Method::POST, &format!("api/plugins/{}/invoke/{}", seg(id), seg(capability)))?
            .header(reqwest::header::ACCEPT, "application/x-ndjson")
            .json(input);
        let resp = self.send(req).await?;
        let base = self.base.to_string();
        Ok(ndjson_lines(resp.bytes_stream(), base))
    }

    /// Opens the `/ws/plugins` WebSocket.
    pub async fn ws(&self) -> Result<WsClient> {
        WsClient::connect(self).await
    }
}

/// Percent-encodes one path segment (plugin ids are plain, but user input goes here too).
pub(crate) fn seg(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>().replace('+', "%20")
}

fn error_chain(e: &dyn std::error::Error) -> String {
    let mut msg = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        msg.push_str(": ");
        msg.push_str(&s.to_string());
        source = s.source();
    }
    msg
}

/// Splits a byte stream into NDJSON events.
pub(crate) fn ndjson_lines<T: DeserializeOwned + Send + 'static>(
    body: impl Stream<Item = reqwest::Result<bytes::Bytes>> + Send + 'static,
    base: String,
) -> impl Stream<Item = Result<T>> + Send + 'static {
    let body = Box::pin(body);
    futures_util::stream::unfold((body, Vec::<u8>::new(), false), move |(mut body, mut buf, done)| {
        let base = base.clone();
        async move {
            loop {
                if let Some(pos) = buf.iter().position(|&b| b == b'\n') {
                    let line: Vec<u8> = buf.drain(..=pos).collect();
                    let line = &line[..line.len() - 1];
                    if line.iter().all(u8::is_ascii_whitespace) {
                        continue;
                    }
                    let item = serde_json::from_slice::<T>(line)
                        .map_err(|e| ClientError::Protocol(format!("bad NDJSON line: {e}")));
                    return Some((item, (body, buf, done)));
                }
                if done {
                    return None;
                }
                match body.next().await {
                    Some(Ok(chunk)) => buf.extend_from_slice(&chunk),
                    Some(Err(e)) => {
                        let err = ClientError::Unreachable { url: base.clone(), message: error_chain(&e) };
                        return Some((Err(err), (body, buf, true)));
                    }
                    None => {
                        if buf.iter().all(u8::is_ascii_whitespace) {
                            return None;
                        }
                        return Some((
                            Err(ClientError::Protocol("stream ended inside a line".into())),
                            (body, Vec::new(), true),
                        ));
                    }
                }
            }
        }
    })
}
