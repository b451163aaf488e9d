//! `POST /api/plugins/{id}/invoke/{capability}`: validates the input against the capability's
//! schema and forwards it to the plugin. The answer is one JSON document by default, or a
//! stream of events as NDJSON (`Accept: application/x-ndjson`) or server-sent events
//! (`Accept: text/event-stream`). If the client goes away, the call is cancelled in the plugin.

use std::convert::Infallible;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::Json;
use axum::body::Body;
use axum::http::{HeaderMap, header};
use axum::response::sse::{Event as SseEvent, Sse};
use axum::response::{IntoResponse, Response};
use bkg_core::plugin::{InvokeEvent, InvokeResponse};
use bkg_core::protocol::ProtocolError;
use bkg_core::{ErrorBody, ErrorCode};
use futures_util::Stream;
use serde_json::{Value, json};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::extract::{ApiJson, ApiPath};
use super::{AppState, State};
use crate::auth::{Require, perm};
use crate::error::{ApiError, ApiResult};
use crate::supervisor::Reply;
use crate::supervisor::instance::Call;
use crate::supervisor::stats::InFlight;

pub fn router() -> OpenApiRouter<Arc<AppState>> {
    OpenApiRouter::new().routes(routes!(invoke))
}

#[derive(Clone, Copy, PartialEq)]
enum Mode {
    Json,
    Ndjson,
    Sse,
}

fn mode(headers: &HeaderMap) -> Mode {
    let accept = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()).unwrap_or("");
    if accept.contains("application/x-ndjson") {
        Mode::Ndjson
    } else if accept.contains("text/event-stream") {
        Mode::Sse
    } else {
        Mode::Json
    }
}

/// Invokes a capability of a running plugin.
#[utoipa::path(post, path = "/api/plugins/{id}/invoke/{capability}", tag = "plugins",
    params(("id" = String, Path), ("capability" = String, Path)), security(("bearer" = [])),
    request_body = Object,
    responses(
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 200, body = InvokeResponse, description = "The final result; with Accept: application/x-ndjson or text/event-stream, a stream of InvokeEvent"),
        (status = 400, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody), (status = 502, body = ErrorBody), (status = 504, body = ErrorBody)))]
async fn invoke(
    state: State,
    _: Require<perm::PluginsInvoke>,
    ApiPath((id, capability)): ApiPath<(String, String)>,
    headers: HeaderMap,
    ApiJson(input): ApiJson<Value>,
) -> ApiResult<Response> {
    let stream = Replies::start(&state, &id, &capability, input)?;
    match mode(&headers) {
        Mode::Json => stream.collect().await.map(|r| Json(r).into_response()),
        Mode::Ndjson => {
            let body = futures_util::stream::unfold(stream, |mut s| async move {
                let ev = s.next_event().await?;
                let mut line = serde_json::to_vec(&ev).unwrap_or_default();
                line.push(b'\n');
                Some((Ok::<_, Infallible>(line), s))
            });
            Ok(([(header::CONTENT_TYPE, "application/x-ndjson")], Body::from_stream(body)).into_response())
        }
        Mode::Sse => Ok(Sse::new(sse_events(stream)).into_response()),
    }
}

fn sse_events(stream: Replies) -> impl Stream<Item = Result<SseEvent, Infallible>> {
    futures_util::stream::unfold(stream, |mut s| async move {
        let ev = s.next_event().await?;
        let (name, data) = match &ev {
            InvokeEvent::Chunk(v) => ("chunk", v.clone()),
            InvokeEvent::Result(v) => ("result", v.clone()),
            InvokeEvent::Error(e) => ("error", serde_json::to_value(e).unwrap_or(Value::Null)),
        };
        let event = SseEvent::default().event(name).json_data(data).unwrap_or_else(|_| SseEvent::default());
        Some((Ok(event), s))
    })
}

/// The replies of one call, with its deadline and its bookkeeping.
pub(super) struct Replies {
    call: Call,
    plugin: String,
    capability: String,
    usage: Arc<crate::usage::Usage>,
    in_flight: Option<InFlight>,
    started: Instant,
    deadline: Option<tokio::time::Instant>,
    limit: Option<Duration>,
}

impl Replies {
    /// Validates `input` and starts the call on the plugin's current instance.
    pub(super) fn start(state: &AppState, id: &str, capability: &str, input: Value) -> ApiResult<Self> {
        let handle = state.plugin(id)?;
        let call = handle.begin_call(capability, input)?;
        let in_flight = handle.stats.begin();
        let limit = match handle.loaded.manifest.timeouts.invoke_ms {
            0 => None,
            ms => Some(Duration::from_millis(ms)),
        };
        Ok(Self {
            call,
            plugin: id.to_string(),
            capability: capability.to_string(),
            usage: state.usage.clone(),
            in_flight: Some(in_flight),
            started: Instant::now(),
            deadline: limit.map(|l| tokio::time::Instant::now() + l),
            limit,
        })
    }

    async fn next_reply(&mut self) -> Option<Result<Reply, ApiError>> {
        let next = self.call.next();
        match self.deadline {
            Some(d) => match tokio::time::timeout_at(d, next).await {
                Ok(r) => r.map(Ok),
                Err(_) => Some(Err(ApiError::new(
                    ErrorCode::Timeout,
                    format!(
                        "the plugin did not answer within {} ms (timeouts.invokeMs); the call was cancelled",
                        self.limit.unwrap_or_default().as_millis()
                    ),
                ))),
            },
            None => next.await.map(Ok),
        }
    }

    /// Counts the call once: in the plugin's statistics and in the usage analytics (with the
    /// result, which may report tokens or embeddings).
    fn finish(&mut self, ok: bool, output: Option<&Value>) {
        if let Some(f) = self.in_flight.take() {
            let elapsed = self.started.elapsed();
            f.finish(elapsed, ok);
            self.usage.invocation(&self.plugin, &self.capability, ok, elapsed, output);
        }
    }

    /// The next stream event; `None` after the final one.
    pub(super) async fn next_event(&mut self) -> Option<InvokeEvent> {
        self.in_flight.as_ref()?;
        let ev = match self.next_reply().await {
            Some(Ok(Reply::Chunk(v))) => return Some(InvokeEvent::Chunk(v)),
            Some(Ok(Reply::Result(v))) => {
                self.finish(true, Some(&v));
                InvokeEvent::Result(v)
            }
            Some(Ok(other)) => InvokeEvent::Error(reply_error(other).body()),
            Some(Err(e)) => InvokeEvent::Error(e.body()),
            None => InvokeEvent::Error(
                ApiError::new(ErrorCode::PluginCrashed, "the plugin process is gone").body(),
            ),
        };
        self.finish(false, None);
        Some(ev)
    }

    /// Waits for the final result, dropping partial results.
    pub(super) async fn collect(mut self) -> ApiResult<InvokeResponse> {
        loop {
            match self.next_reply().await {
                Some(Ok(Reply::Chunk(_))) => continue,
                Some(Ok(Reply::Result(output))) => {
                    let duration_ms = self.started.elapsed().as_secs_f64() * 1000.0;
                    self.finish(true, Some(&output));
                    return Ok(InvokeResponse { output, run: self.call.run(), duration_ms });
                }
                Some(Ok(other)) => {
                    self.finish(false, None);
                    return Err(reply_error(other));
                }
                Some(Err(e)) => {
                    self.finish(false, None);
                    return Err(e);
                }
                None => {
                    self.finish(false, None);
                    return Err(ApiError::new(ErrorCode::PluginCrashed, "the plugin process is gone"));
                }
            }
        }
    }
}

impl Drop for Replies {
    /// A call abandoned before its end (the client went away) counts as a failure.
    fn drop(&mut self) {
        if self.in_flight.is_some() {
            self.usage.invocation(&self.plugin, &self.capability, false, self.started.elapsed(), None);
        }
    }
}

fn reply_error(reply: Reply) -> ApiError {
    match reply {
        Reply::Error(ProtocolError { code, message, client_error }) => {
            let api = if code == "cancelled" {
                ErrorCode::Cancelled
            } else if client_error {
                ErrorCode::InvalidInput
            } else {
                ErrorCode::PluginError
            };
            ApiError::new(api, message).with_details(json!({"pluginCode": code}))
        }
        Reply::Gone(reason) => ApiError::new(ErrorCode::PluginCrashed, format!("the call failed: {reason}")),
        Reply::Chunk(_) | Reply::Result(_) => ApiError::internal(anyhow::anyhow!("not an error reply")),
    }
}
