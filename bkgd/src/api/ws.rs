//! `/ws/plugins`: subscriptions to status, logs and telemetry.
//!
//! Two tasks per connection: the reader applies SUB/UNSUB messages and notes that the client is
//! alive; the writer drains the connection's queue from the event hub, feeds many frames and
//! flushes once, reports missed events, pings, and closes with 1001 when the daemon shuts down.
//! Message and frame sizes are capped; a client that stays silent past the pong deadline is
//! dropped.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::ws::{CloseFrame, Message, Utf8Bytes, WebSocket, WebSocketUpgrade, close_code};
use axum::http::{HeaderMap, header};
use axum::response::Response;
use axum::routing::get;
use bkg_core::ws::{Ack, Action, ClientMessage, ServerMessage, Topic};
use bkg_core::{ErrorBody, ErrorCode};
use futures_util::{SinkExt, StreamExt};

use bkg_core::auth::Permission;

use super::error::ApiError;
use super::principal::Authenticated;
use super::principal::WS_PROTOCOL;
use super::{AppState, State};
use crate::auth::Principal;
use crate::events::{Event, LogsFollow, Owner, Sub, Subscriber};

pub fn router() -> Router<Arc<AppState>> {
    Router::new().route("/ws/plugins", get(upgrade))
}

/// Authenticates (and checks the browser origin) before the upgrade completes.
async fn upgrade(
    state: State,
    Authenticated(principal): Authenticated,
    headers: HeaderMap,
    ws: WebSocketUpgrade,
) -> Result<Response, ApiError> {
    check_origin(&state.config.ws.allowed_origins, &headers)?;
    if !principal.can(Permission::PluginsRead) && !principal.can(Permission::ModelsRead) {
        return Err(ApiError::new(ErrorCode::Forbidden, "the WebSocket needs plugins:read or models:read"));
    }
    let max = state.config.ws.max_message_bytes;
    let state = state.0.clone();
    Ok(ws
        .protocols([WS_PROTOCOL])
        .max_message_size(max)
        .max_frame_size(max)
        // tungstenite's default is 128 KiB each way per connection, most of a connection's
        // memory. Clients send short SUB/UNSUB messages (a longer one still arrives whole, the
        // buffer grows for it); the writer batches frames and flushes once per batch anyway.
        .read_buffer_size(WS_READ_BUFFER)
        .write_buffer_size(WS_WRITE_BUFFER)
        .on_upgrade(move |socket| connection(state, socket, principal)))
}

/// Bytes read from the socket at once, per connection.
const WS_READ_BUFFER: usize = 4 * 1024;
/// Bytes of frames gathered before they are written to the socket, per connection.
const WS_WRITE_BUFFER: usize = 16 * 1024;

/// Browsers send `Origin`; it must be the daemon's own or a configured one. Clients that send
/// none (CLIs, scripts) are not browsers and are not subject to it.
fn check_origin(allowed: &[String], headers: &HeaderMap) -> Result<(), ApiError> {
    let Some(origin) = headers.get(header::ORIGIN).and_then(|o| o.to_str().ok()) else { return Ok(()) };
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("");
    let same_origin = origin.split_once("://").is_some_and(|(_, rest)| rest.trim_end_matches('/') == host);
    if same_origin || allowed.iter().any(|a| a == "*" || a.trim_end_matches('/') == origin) {
        return Ok(());
    }
    Err(ApiError::new(
        ErrorCode::Forbidden,
        format!("origin {origin} may not open the WebSocket (see ws.allowed_origins)"),
    ))
}

async fn connection(state: Arc<AppState>, socket: WebSocket, principal: Arc<Principal>) {
    let owner = Owner {
        user_id: principal.user_id.clone(),
        session_id: principal.session_id.clone(),
        key_id: principal.key_id.clone(),
    };
    let (sub, rx) = state.hub.connect(state.config.ws.queue_events, owner);
    let (sink, stream) = socket.split();
    let started = Instant::now();
    let last_heard = Arc::new(AtomicU64::new(0));
    let (close_tx, close_rx) = tokio::sync::oneshot::channel();
    let mut writer =
        tokio::spawn(write_loop(state.clone(), sub.clone(), rx, sink, last_heard.clone(), started, close_rx));
    if let Some(close) = read_loop(&state, &sub, &principal, stream, &last_heard, started).await
        && close_tx.send(close).is_ok()
    {
        // Let the writer say why before the connection goes (bounded: the peer may not read).
        let _ = tokio::time::timeout(Duration::from_secs(2), &mut writer).await;
    }
    writer.abort();
    state.hub.disconnect(&sub);
    // The writer's queue and buffers are freed once the aborted task is dropped: wait for that
    // before handing memory back.
    let _ = writer.await;
    drop(sub);
    // A connection that stalled during a flood held its queue (up to `ws.queue_events` lines)
    // and, with every other buffer of the burst, left glibc's arenas full of free chunks that
    // malloc keeps resident: handed back now, not after the daemon's next quiet second, so
    // bkgd's RSS is where it was before once the client is gone (measured: +47 MB stayed after
    // a stalled subscriber of a 1,000,000 line flood went, without this).
    crate::memory::give_back();
}

/// Why the daemon closes a connection it reads from.
type CloseRequest = (u16, &'static str);

/// A message over `ws.max_message_bytes` (or a frame over it) is closed with 1009, as RFC 6455
/// says, so the client learns why instead of seeing the connection drop.
fn close_for(e: axum::Error) -> Option<CloseRequest> {
    use tokio_tungstenite::tungstenite::Error as WsError;
    let inner = e.into_inner();
    match inner.downcast_ref::<WsError>() {
        Some(WsError::Capacity(_)) => Some((close_code::SIZE, "message too big (see ws.max_message_bytes)")),
        _ => None,
    }
}

async fn read_loop(
    state: &Arc<AppState>,
    sub: &Arc<Subscriber>,
    principal: &Principal,
    mut stream: futures_util::stream::SplitStream<WebSocket>,
    last_heard: &AtomicU64,
    started: Instant,
) -> Option<CloseRequest> {
    while let Some(msg) = stream.next().await {
        last_heard.store(started.elapsed().as_millis() as u64, Ordering::Release);
        match msg {
            Ok(Message::Text(text)) => handle_message(state, sub, principal, &text).await,
            Ok(Message::Binary(_)) => {
                error(sub, ErrorCode::InvalidRequest, "send JSON text messages, not binary")
            }
            Ok(Message::Close(_)) => return None,
            Err(e) => return close_for(e),
            Ok(Message::Ping(_) | Message::Pong(_)) => {}
        }
    }
    None
}

fn error(sub: &Subscriber, code: ErrorCode, message: impl Into<String>) {
    reject(sub, ErrorBody::new(code, message));
}

fn reject(sub: &Subscriber, body: ErrorBody) {
    sub.direct(Event::Direct(Arc::new(ServerMessage::Error(body))));
}

/// A text frame as a client message, with every check that needs nothing but the message;
/// whether its plugin exists and the caller may read its topic are checked against the daemon
/// afterwards. Frames over `ws.max_message_bytes` never get here (tungstenite refuses them).
/// Public so that the fuzzer (`fuzz/fuzz_targets/ws_message.rs`) drives the real path.
pub fn parse_client_message(text: &str) -> Result<ClientMessage, ErrorBody> {
    let msg: ClientMessage = serde_json::from_str(text).map_err(|e| {
        ErrorBody::new(
            ErrorCode::InvalidJson,
            format!(
                r#"expected {{"action":"SUB"|"UNSUB","topic":"status"|"logs"|"telemetry"|"models","pluginId"?:"..."}}: {e}"#
            ),
        )
    })?;
    if msg.topic == Topic::Models && msg.plugin_id.is_some() {
        return Err(ErrorBody::new(ErrorCode::InvalidRequest, "the models topic takes no pluginId"));
    }
    if msg.topic != Topic::Logs && (msg.cursor.is_some() || msg.level.is_some()) {
        return Err(ErrorBody::new(
            ErrorCode::InvalidRequest,
            "cursor and level apply to the logs topic only",
        ));
    }
    Ok(msg)
}

async fn handle_message(state: &Arc<AppState>, sub: &Arc<Subscriber>, principal: &Principal, text: &str) {
    let msg = match parse_client_message(text) {
        Ok(m) => m,
        Err(body) => return reject(sub, body),
    };
    if let Some(id) = &msg.plugin_id
        && state.supervisor.get(id).is_none()
    {
        return error(sub, ErrorCode::PluginNotFound, format!("no plugin with id {id:?}"));
    }
    let needed = if msg.topic == Topic::Models { Permission::ModelsRead } else { Permission::PluginsRead };
    if !principal.can(needed) {
        return error(
            sub,
            ErrorCode::Forbidden,
            format!("the {} topic needs the permission {needed}", msg.topic.as_str()),
        );
    }
    let target = Sub { topic: msg.topic, plugin_id: msg.plugin_id.clone() };
    let ack =
        ServerMessage::Ack(Ack { action: msg.action, topic: msg.topic, plugin_id: msg.plugin_id.clone() });
    match msg.action {
        Action::Unsub => {
            sub.remove(&target);
            sub.direct(Event::Direct(Arc::new(ack)));
        }
        Action::Sub => {
            sub.direct(Event::Direct(Arc::new(ack)));
            match msg.topic {
                Topic::Logs => {
                    let follow = LogsFollow { subscriber: sub, sub: target.clone(), level: msg.level };
                    if let Err(e) =
                        state.logs.subscribe(&follow, msg.plugin_id.as_deref(), msg.cursor, msg.level).await
                    {
                        error(sub, ErrorCode::InvalidRequest, e.to_string());
                    }
                }
                Topic::Status => {
                    sub.add(target, None);
                    // The current state first, so a client never waits for the next change.
                    for h in state
                        .supervisor
                        .all()
                        .filter(|h| msg.plugin_id.as_deref().is_none_or(|p| p == &*h.id))
                    {
                        sub.direct(Event::Status(Arc::new(h.status())));
                    }
                }
                Topic::Telemetry => {
                    sub.add(target, None);
                    state.telemetry.demand();
                }
                Topic::Models => sub.add(target, None),
            }
        }
    }
}

/// Most frames fed before one flush.
const FLUSH_EVERY: usize = 4096;

async fn write_loop(
    state: Arc<AppState>,
    sub: Arc<Subscriber>,
    mut rx: tokio::sync::mpsc::UnboundedReceiver<(Event, usize)>,
    mut sink: futures_util::stream::SplitSink<WebSocket, Message>,
    last_heard: Arc<AtomicU64>,
    started: Instant,
    mut close_rx: tokio::sync::oneshot::Receiver<CloseRequest>,
) {
    let ping_every = Duration::from_millis(state.config.ws.ping_interval_ms);
    let deadline = ping_every + Duration::from_millis(state.config.ws.pong_timeout_ms);
    let mut ping = tokio::time::interval_at(tokio::time::Instant::now() + ping_every, ping_every);
    let mut buf = Vec::with_capacity(256);
    loop {
        tokio::select! {
            first = rx.recv() => {
                let Some(first) = first else { return };
                let mut fed = 0usize;
                let mut next = Some(first);
                while let Some((event, cost)) = next {
                    if feed(&mut sink, &sub, &event, &mut buf, &mut fed).await.is_err() {
                        return;
                    }
                    sub.consumed(cost);
                    next = if fed < FLUSH_EVERY { rx.try_recv().ok() } else { None };
                }
                if let Some(notice) = sub.trailing_gap(|| rx.is_empty())
                    && feed(&mut sink, &sub, &notice, &mut buf, &mut fed).await.is_err()
                {
                    return;
                }
                if sink.flush().await.is_err() {
                    return;
                }
            }
            _ = ping.tick() => {
                let heard = Duration::from_millis(last_heard.load(Ordering::Acquire));
                if started.elapsed().saturating_sub(heard) > deadline {
                    let _ = sink.send(close(close_code::POLICY, "no answer to ping")).await;
                    return;
                }
                if sink.send(Message::Ping(Default::default())).await.is_err() {
                    return;
                }
            }
            () = state.shutdown.cancelled() => {
                let _ = sink.send(close(close_code::AWAY, "bkgd is shutting down")).await;
                return;
            }
            () = sub.revoked() => {
                let _ = sink.send(close(close_code::POLICY, "credentials revoked")).await;
                return;
            }
            Ok((code, reason)) = &mut close_rx => {
                let _ = sink.send(close(code, reason)).await;
                return;
            }
        }
    }
}

fn close(code: u16, reason: &'static str) -> Message {
    Message::Close(Some(CloseFrame { code, reason: Utf8Bytes::from_static(reason) }))
}

fn text(msg: &ServerMessage) -> Message {
    Message::Text(serde_json::to_string(msg).unwrap_or_default().into())
}

async fn feed(
    sink: &mut futures_util::stream::SplitSink<WebSocket, Message>,
    sub: &Subscriber,
    event: &Event,
    buf: &mut Vec<u8>,
    fed: &mut usize,
) -> Result<(), axum::Error> {
    match event {
        Event::Logs { batch, from_seq } => {
            let min = sub.min_level(&batch.plugin_id);
            for l in batch.iter().filter(|l| l.seq >= *from_seq && l.level >= min) {
                buf.clear();
                batch.write_json(buf, l, true);
                let text = String::from_utf8(std::mem::take(buf)).unwrap_or_default();
                sink.feed(Message::Text(text.into())).await?;
                *fed += 1;
            }
        }
        Event::Status(s) => {
            sink.feed(text(&ServerMessage::Status((**s).clone()))).await?;
            *fed += 1;
        }
        Event::Telemetry(t) => {
            sink.feed(text(&ServerMessage::Telemetry((**t).clone()))).await?;
            *fed += 1;
        }
        Event::Model(m) => {
            sink.feed(text(&ServerMessage::Model((**m).clone()))).await?;
            *fed += 1;
        }
        Event::Direct(m) => {
            sink.feed(text(m)).await?;
            *fed += 1;
        }
    }
    Ok(())
}
