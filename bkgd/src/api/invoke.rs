//! `POST /api/plugins/{id}/invoke/{capability}`: validates the input against the capability's
//! schema and forwards it to the plugin. The answer is one JSON document by default, or a
//! stream of events as NDJSON (`Accept: application/x-ndjson`) or server-sent events
//! (`Accept: text/event-stream`). If the client goes away, the call is cancelled in the plugin.
//!
//! A capability the plugin's manifest reserves for a permission besides `plugins:invoke`
//! (e.g. brainml's `admin`) is refused without it, and every call to such a capability, refused
//! or not, leaves an audit row with its outcome.

use std::convert::Infallible;
use std::net::IpAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::json::Json;
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

use super::error::{ApiError, ApiResult};
use super::extract::{ApiJson, ApiPath};
use super::principal::{ClientIp, Require, perm};
use super::{AppState, State};
use crate::auth::Principal;
use crate::store::{NewAuditEvent, Store};
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
    who: Require<perm::PluginsInvoke>,
    ClientIp(ip): ClientIp,
    ApiPath((id, capability)): ApiPath<(String, String)>,
    headers: HeaderMap,
    ApiJson(input): ApiJson<Value>,
) -> ApiResult<Response> {
    let stream = Replies::start(&state, who.principal(), ip, &id, &capability, input).await?;
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

/// The audit row of a call to a capability that needs a permission of its own, written when
/// the call ends (also when the caller goes away first), so it carries the outcome.
struct InvokeAudit {
    store: Store,
    event: NewAuditEvent,
}

impl InvokeAudit {
    fn new(store: &Store, who: &Principal, ip: IpAddr, id: &str, capability: &str) -> Self {
        let details = json!({"capability": capability});
        let event = crate::auth::admin::audit(who, ip, "plugin.invoke", id, details);
        Self { store: store.clone(), event }
    }

    fn outcome(mut self, outcome: &str, started: Instant) -> (Store, NewAuditEvent) {
        self.event.success = outcome == "ok";
        self.event.details["outcome"] = json!(outcome);
        self.event.details["durationMs"] = json!(started.elapsed().as_secs_f64() * 1000.0);
        (self.store, self.event)
    }

    async fn record(self, outcome: &str, started: Instant) {
        let (store, event) = self.outcome(outcome, started);
        if let Err(e) = store.audit(&event).await {
            tracing::error!(error = %e, action = %event.action, "cannot write an audit row");
        }
    }
}

/// The replies of one call, with its deadline and its bookkeeping.
pub(super) struct Replies {
    call: Call,
    plugin: String,
    capability: String,
    usage: Arc<crate::usage::Usage>,
    in_flight: Option<InFlight>,
    audit: Option<InvokeAudit>,
    started: Instant,
    deadline: Option<tokio::time::Instant>,
    limit: Option<Duration>,
}

impl Drop for Replies {
    fn drop(&mut self) {
        // The caller went away before the end: the call is cancelled in the plugin, it counts
        // as a failure in the usage analytics, and the audit row says it was cancelled.
        if self.in_flight.is_some() {
            self.usage.invocation(&self.plugin, &self.capability, false, self.started.elapsed(), None);
        }
        if let Some(audit) = self.audit.take()
            && let Ok(rt) = tokio::runtime::Handle::try_current()
        {
            let started = self.started;
            rt.spawn(audit.record("cancelled", started));
        }
    }
}

impl Replies {
    /// Checks the caller may use the capability, validates `input` and starts the call on the
    /// plugin's current instance.
    pub(super) async fn start(
        state: &AppState,
        who: &Principal,
        ip: IpAddr,
        id: &str,
        capability: &str,
        input: Value,
    ) -> ApiResult<Self> {
        let handle = state.plugin(id)?;
        let audit = match handle.capability_permission(capability) {
            None => None,
            Some(needed) => {
                let audit = InvokeAudit::new(&state.store, who, ip, id, capability);
                if !who.can(needed) {
                    audit.record("forbidden", Instant::now()).await;
                    return Err(ApiError::new(
                        ErrorCode::Forbidden,
                        format!(
                            "{id}'s capability {capability} needs the permission {needed}; your role {} does not grant it",
                            who.role
                        ),
                    )
                    .with_details(json!({"permission": needed, "capability": capability})));
                }
                Some(audit)
            }
        };
        let origin = crate::supervisor::calls::Origin {
            actor: Some(who.actor()),
            permissions: who.permissions(),
            ip: Some(ip.to_string()),
            chain: Vec::new(),
        };
        let call = handle.begin_call(capability, input, Arc::new(origin))?;
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
            audit,
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

    /// Books the end of the call once: its latency in the plugin's statistics, the usage
    /// analytics (with the result, which may report tokens or embeddings), and the audit row
    /// with the outcome (`ok` or the error's code) when the capability is audited.
    async fn finish(&mut self, outcome: Result<(), ErrorCode>, output: Option<&Value>) {
        if let Some(f) = self.in_flight.take() {
            let elapsed = self.started.elapsed();
            f.finish(elapsed, outcome.is_ok());
            self.usage.invocation(&self.plugin, &self.capability, outcome.is_ok(), elapsed, output);
        }
        if let Some(audit) = self.audit.take() {
            audit.record(outcome.map_or_else(ErrorCode::as_str, |()| "ok"), self.started).await;
        }
    }

    /// The next stream event; `None` after the final one.
    pub(super) async fn next_event(&mut self) -> Option<InvokeEvent> {
        self.in_flight.as_ref()?;
        let ev = match self.next_reply().await {
            Some(Ok(Reply::Chunk(v))) => return Some(InvokeEvent::Chunk(v)),
            Some(Ok(Reply::Result(v))) => {
                self.finish(Ok(()), Some(&v)).await;
                return Some(InvokeEvent::Result(v));
            }
            Some(Ok(other)) => InvokeEvent::Error(reply_error(other).body()),
            Some(Err(e)) => InvokeEvent::Error(e.body()),
            None => InvokeEvent::Error(
                ApiError::new(ErrorCode::PluginCrashed, "the plugin process is gone").body(),
            ),
        };
        let code = match &ev {
            InvokeEvent::Error(e) => e.code,
            _ => ErrorCode::Internal,
        };
        self.finish(Err(code), None).await;
        Some(ev)
    }

    /// Waits for the final result, dropping partial results.
    pub(super) async fn collect(mut self) -> ApiResult<InvokeResponse> {
        loop {
            let error = match self.next_reply().await {
                Some(Ok(Reply::Chunk(_))) => continue,
                Some(Ok(Reply::Result(output))) => {
                    let duration_ms = self.started.elapsed().as_secs_f64() * 1000.0;
                    self.finish(Ok(()), Some(&output)).await;
                    return Ok(InvokeResponse { output, run: self.call.run(), duration_ms });
                }
                Some(Ok(other)) => reply_error(other),
                Some(Err(e)) => e,
                None => ApiError::new(ErrorCode::PluginCrashed, "the plugin process is gone"),
            };
            self.finish(Err(error.code), None).await;
            return Err(error);
        }
    }
}

fn reply_error(reply: Reply) -> ApiError {
    match reply {
        Reply::Error(ProtocolError { code, message, client_error }) => {
            let api = if code == "cancelled" {
                ErrorCode::Cancelled
            } else if client_error && code == bkg_core::protocol::codes::PATH_NOT_ALLOWED {
                ErrorCode::PathNotAllowed
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
