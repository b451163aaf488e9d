//! The WebSocket half of the client: subscribe to topics and read typed events.

use futures_util::{SinkExt, StreamExt};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::http::HeaderValue;
use tokio_tungstenite::tungstenite::{self, Message};
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

use super::{Client, ClientError, Result};
use crate::logs::LogLevel;
use crate::ws::{Action, ClientMessage, ServerMessage, Topic};

/// An open `/ws/plugins` connection.
pub struct WsClient {
    stream: WebSocketStream<MaybeTlsStream<TcpStream>>,
    url: String,
}

impl std::fmt::Debug for WsClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WsClient").field("url", &self.url).finish()
    }
}

impl WsClient {
    pub(super) async fn connect(client: &Client) -> Result<Self> {
        let mut url = client.url("ws/plugins")?;
        let scheme = if url.scheme() == "https" { "wss" } else { "ws" };
        url.set_scheme(scheme)
            .map_err(|_| ClientError::BadUrl(url.to_string(), "cannot use as ws URL".into()))?;
        let mut request = url
            .as_str()
            .into_client_request()
            .map_err(|e| ClientError::BadUrl(url.to_string(), e.to_string()))?;
        if let Some(token) = client.token() {
            let value = HeaderValue::from_str(&format!("Bearer {token}"))
                .map_err(|_| ClientError::Protocol("token is not a valid header value".into()))?;
            request.headers_mut().insert("authorization", value);
        }
        let (stream, _) = tokio_tungstenite::connect_async(request).await.map_err(|e| match e {
            tungstenite::Error::Http(resp) => {
                let status = resp.status().as_u16();
                let body =
                    resp.body().as_ref().and_then(|b| serde_json::from_slice(b).ok()).unwrap_or_else(|| {
                        crate::ErrorBody::new(crate::ErrorCode::Internal, format!("HTTP {status}"))
                    });
                ClientError::Api { status, body }
            }
            other => ClientError::Unreachable { url: url.to_string(), message: other.to_string() },
        })?;
        Ok(Self { stream, url: url.to_string() })
    }

    /// Sends a raw client message.
    pub async fn send(&mut self, msg: &ClientMessage) -> Result<()> {
        let text = serde_json::to_string(msg).map_err(|e| ClientError::Protocol(e.to_string()))?;
        self.send_text(text).await
    }

    /// Sends any text frame (tests use this for malformed messages).
    pub async fn send_text(&mut self, text: String) -> Result<()> {
        self.stream.send(Message::Text(text.into())).await.map_err(|e| self.closed(e))
    }

    /// Subscribes to `topic`, for one plugin or all.
    pub async fn subscribe(&mut self, topic: Topic, plugin_id: Option<&str>) -> Result<()> {
        self.send(&ClientMessage {
            action: Action::Sub,
            topic,
            plugin_id: plugin_id.map(str::to_owned),
            cursor: None,
            level: None,
        })
        .await
    }

    /// Subscribes to the logs of one plugin (or all), replaying what came after `cursor`.
    pub async fn subscribe_logs(
        &mut self,
        plugin_id: Option<&str>,
        cursor: Option<u64>,
        level: Option<LogLevel>,
    ) -> Result<()> {
        self.send(&ClientMessage {
            action: Action::Sub,
            topic: Topic::Logs,
            plugin_id: plugin_id.map(str::to_owned),
            cursor,
            level,
        })
        .await
    }

    pub async fn unsubscribe(&mut self, topic: Topic, plugin_id: Option<&str>) -> Result<()> {
        self.send(&ClientMessage {
            action: Action::Unsub,
            topic,
            plugin_id: plugin_id.map(str::to_owned),
            cursor: None,
            level: None,
        })
        .await
    }

    /// The next server event; `None` when the server closed the connection. Pings are answered
    /// by the underlying library.
    pub async fn next(&mut self) -> Option<Result<ServerMessage>> {
        loop {
            let msg = match self.stream.next().await? {
                Ok(m) => m,
                Err(e) => return Some(Err(self.closed(e))),
            };
            match msg {
                Message::Text(text) => {
                    return Some(
                        serde_json::from_str(&text)
                            .map_err(|e| ClientError::Protocol(format!("bad server message: {e}: {text}"))),
                    );
                }
                Message::Close(_) => return None,
                _ => continue,
            }
        }
    }

    /// The close frame's code, once the server closed (reads until it arrives).
    pub async fn wait_close(&mut self) -> Option<u16> {
        while let Some(msg) = self.stream.next().await {
            if let Ok(Message::Close(frame)) = msg {
                return frame.map(|f| u16::from(f.code));
            }
            if msg.is_err() {
                return None;
            }
        }
        None
    }

    pub async fn close(mut self) {
        let _ = self.stream.close(None).await;
    }

    fn closed(&self, e: tungstenite::Error) -> ClientError {
        ClientError::Unreachable { url: self.url.clone(), message: e.to_string() }
    }
}
