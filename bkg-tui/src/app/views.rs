//! The plugin-specific views of the dashboard: a chat with llmserver's `chat`, and brainml's
//! collections with a query box. Their state lives here; their requests are tagged invokes
//! ([`Cmd::ViewInvoke`]) whose chunks and results come back as [`Net::ViewChunk`] /
//! [`Net::ViewDone`].
//!
//! Which plugin has which view: a plugin gets the **Chat** tab when its capability list has a
//! `chat` capability whose input takes `messages`, and the **Collections** tab when it has
//! `stats` and a `query` whose input takes a `collection`. The capabilities decide (so a
//! renamed instance of llmserver or brainml gets its view too, and a plugin that merely has
//! the id but not the capability does not); the id decides only when a plugin matches both
//! (`brainml` gets Collections, any other id Chat).

use bkg_core::auth::Permission;
use bkg_core::plugin::{CapabilitySpec, PluginDetail};
use serde_json::{Value, json};

use super::{App, Tab};
use crate::event::{Cmd, ViewCall, ViewKind};

/// Which plugin-specific view a plugin has (see the module's rule).
pub fn view_tab(d: &PluginDetail) -> Option<Tab> {
    let cap = |name: &str| d.capabilities.iter().find(|c| c.name == name);
    let takes =
        |c: &CapabilitySpec, field: &str| c.input_schema.pointer(&format!("/properties/{field}")).is_some();
    let chat = cap("chat").is_some_and(|c| takes(c, "messages"));
    let collections = cap("stats").is_some() && cap("query").is_some_and(|c| takes(c, "collection"));
    match (chat, collections) {
        (true, true) if d.id == "brainml" => Some(Tab::Collections),
        (true, _) => Some(Tab::Chat),
        (false, true) => Some(Tab::Collections),
        (false, false) => None,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Speaker {
    User,
    Assistant,
}

impl Speaker {
    pub fn role(self) -> &'static str {
        match self {
            Speaker::User => "user",
            Speaker::Assistant => "assistant",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Turn {
    pub speaker: Speaker,
    pub text: String,
}

/// The chat tab: the conversation, the reply being streamed and how the last one ended.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Chat {
    pub turns: Vec<Turn>,
    /// The request whose chunks are being appended; `None` when no reply is streaming.
    pub pending: Option<u64>,
    pub seq: u64,
    /// The last reply's error (the daemon's, or a chunk of an unexpected shape).
    pub error: Option<String>,
    /// How the last reply ended (tokens, finish reason, or "cancelled").
    pub status: Option<String>,
    /// Lines scrolled back from the newest (0 follows the conversation).
    pub scroll_back: u16,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CollectionRow {
    pub name: String,
    pub documents: u64,
    pub indexed: Option<u64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    pub id: String,
    pub score: f64,
    pub text: String,
}

/// The collections tab: the list from `stats`, the selection, and the last query's hits.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Collections {
    /// `None` until `stats` answered.
    pub list: Option<Result<Vec<CollectionRow>, String>>,
    pub loading: bool,
    pub selected: usize,
    pub query: String,
    /// The collection the hits are from.
    pub query_collection: String,
    pub hits: Option<Result<Vec<Hit>, String>>,
    pub querying: bool,
    /// The latest `stats` and `query` requests; older answers are ignored.
    pub stats_seq: u64,
    pub seq: u64,
}

impl Collections {
    pub fn rows(&self) -> &[CollectionRow] {
        match &self.list {
            Some(Ok(rows)) => rows,
            _ => &[],
        }
    }

    pub fn selected_name(&self) -> Option<&str> {
        self.rows().get(self.selected).map(|r| r.name.as_str())
    }
}

/// Why the current user cannot use a view, if they cannot.
pub fn invoke_denied(app: &App) -> Option<String> {
    if app.can(Permission::PluginsInvoke) {
        return None;
    }
    let role = app.role_name().unwrap_or("unknown");
    Some(format!(
        "read-only: your role ({role}) lacks plugins:invoke; ask an admin for a developer or admin key"
    ))
}

/// Parses `stats`' answer: `{collections: [{collection, documents, indexed?}]}`.
pub fn parse_stats(v: &Value) -> Result<Vec<CollectionRow>, String> {
    let bad = || format!("unexpected answer from stats (no collections list): {}", short(v));
    let items = v.get("collections").and_then(Value::as_array).ok_or_else(bad)?;
    items
        .iter()
        .map(|c| {
            let name = c.get("collection").and_then(Value::as_str).ok_or_else(bad)?;
            Ok(CollectionRow {
                name: name.to_string(),
                documents: c.get("documents").and_then(Value::as_u64).unwrap_or(0),
                indexed: c.get("indexed").and_then(Value::as_u64),
            })
        })
        .collect()
}

/// Parses `query`'s answer: `{hits: [{id, score, text, metadata}]}`.
pub fn parse_hits(v: &Value) -> Result<Vec<Hit>, String> {
    let items = v
        .get("hits")
        .and_then(Value::as_array)
        .ok_or_else(|| format!("unexpected answer from query (no hits list): {}", short(v)))?;
    Ok(items
        .iter()
        .map(|h| {
            let text = match h.get("text").and_then(Value::as_str) {
                Some(t) if !t.is_empty() => t.to_string(),
                _ => h.get("metadata").map(Value::to_string).unwrap_or_default(),
            };
            Hit {
                id: h.get("id").and_then(Value::as_str).unwrap_or("-").to_string(),
                score: h.get("score").and_then(Value::as_f64).unwrap_or(f64::NAN),
                text: text.split_whitespace().collect::<Vec<_>>().join(" "),
            }
        })
        .collect())
}

fn short(v: &Value) -> String {
    let s = v.to_string();
    if s.chars().count() > 80 { format!("{}...", s.chars().take(80).collect::<String>()) } else { s }
}

impl App {
    /// The dashboard's tabs for the plugin shown: the three of every plugin, and its own view.
    pub fn tabs(&self) -> Vec<Tab> {
        let mut v = vec![Tab::Logs, Tab::Config, Tab::Capabilities];
        if let Some(t) = self.detail.as_ref().and_then(view_tab) {
            v.push(t);
        }
        v
    }

    /// What a tab needs when it is shown: the collections list is fetched each time.
    pub(super) fn tab_shown(&mut self) {
        if self.tab == Tab::Collections {
            self.load_collections();
        }
    }

    pub(super) fn load_collections(&mut self) {
        let Some(id) = self.detail.as_ref().map(|d| d.id.clone()) else { return };
        if invoke_denied(self).is_some() {
            return;
        }
        let c = &mut self.collections;
        c.stats_seq += 1;
        c.loading = true;
        let to = ViewCall { view: ViewKind::Stats, seq: c.stats_seq };
        self.outbox.push(Cmd::ViewInvoke { id, capability: "stats".into(), input: json!({}), to });
    }

    /// Sends the conversation with `text` as the user's new turn.
    pub(super) fn send_chat(&mut self, text: String) {
        let Some(id) = self.detail.as_ref().map(|d| d.id.clone()) else { return };
        if text.is_empty() {
            return;
        }
        if let Some(why) = invoke_denied(self) {
            self.notice = Some((false, why));
            return;
        }
        if self.chat.pending.is_some() {
            self.notice = Some((false, "a reply is still streaming; Esc or Ctrl-X cancels it".into()));
            return;
        }
        let chat = &mut self.chat;
        chat.turns.push(Turn { speaker: Speaker::User, text });
        let messages: Vec<Value> =
            chat.turns.iter().map(|t| json!({"role": t.speaker.role(), "content": t.text})).collect();
        chat.turns.push(Turn { speaker: Speaker::Assistant, text: String::new() });
        chat.seq += 1;
        chat.pending = Some(chat.seq);
        chat.error = None;
        chat.status = None;
        chat.scroll_back = 0;
        let to = ViewCall { view: ViewKind::Chat, seq: chat.seq };
        self.outbox.push(Cmd::ViewInvoke {
            id,
            capability: "chat".into(),
            input: json!({"messages": messages}),
            to,
        });
    }

    /// Stops showing the streaming reply. The request itself is not cancelled (the network
    /// layer cannot abort an invoke): its further chunks are ignored.
    pub(super) fn cancel_chat(&mut self) {
        if self.chat.pending.take().is_none() {
            return;
        }
        if self.chat.turns.last().is_some_and(|t| t.speaker == Speaker::Assistant && t.text.is_empty()) {
            self.chat.turns.pop();
        }
        self.chat.status = Some("cancelled: the rest of this reply is ignored".into());
    }

    pub(super) fn send_query(&mut self, text: String) {
        let Some(id) = self.detail.as_ref().map(|d| d.id.clone()) else { return };
        if let Some(why) = invoke_denied(self) {
            self.notice = Some((false, why));
            return;
        }
        let Some(collection) = self.collections.selected_name().map(str::to_string) else {
            self.notice = Some((false, "no collection selected".into()));
            return;
        };
        if text.is_empty() {
            return;
        }
        let c = &mut self.collections;
        c.seq += 1;
        c.query = text.clone();
        c.query_collection = collection.clone();
        c.querying = true;
        c.hits = None;
        let to = ViewCall { view: ViewKind::Query, seq: c.seq };
        let input = json!({"collection": collection, "text": text, "k": 10});
        self.outbox.push(Cmd::ViewInvoke { id, capability: "query".into(), input, to });
    }

    pub(super) fn on_view_chunk(&mut self, to: ViewCall, chunk: Value) {
        if to.view != ViewKind::Chat || self.chat.pending != Some(to.seq) {
            return;
        }
        let delta = match &chunk {
            Value::String(s) => Some(s.as_str()),
            other => other.get("delta").and_then(Value::as_str),
        };
        match delta {
            Some(d) => {
                if let Some(t) = self.chat.turns.last_mut().filter(|t| t.speaker == Speaker::Assistant) {
                    t.text.push_str(d);
                }
            }
            None => {
                self.chat.error = Some(format!("unexpected chunk from chat (no delta): {}", short(&chunk)))
            }
        }
    }

    pub(super) fn on_view_done(&mut self, to: ViewCall, result: Result<Value, String>) {
        match to.view {
            ViewKind::Chat => {
                if self.chat.pending != Some(to.seq) {
                    return;
                }
                self.chat.pending = None;
                let last_empty = self
                    .chat
                    .turns
                    .last()
                    .is_some_and(|t| t.speaker == Speaker::Assistant && t.text.is_empty());
                match result {
                    Ok(v) => {
                        // The result's text is the whole reply; it wins over the streamed one.
                        if let (Some(text), Some(t)) = (
                            v.get("text").and_then(Value::as_str),
                            self.chat.turns.last_mut().filter(|t| t.speaker == Speaker::Assistant),
                        ) {
                            t.text = text.to_string();
                        } else if last_empty {
                            self.chat.error =
                                Some(format!("unexpected result from chat (no text): {}", short(&v)));
                            self.chat.turns.pop();
                        }
                        let tokens = v.get("completionTokens").and_then(Value::as_u64);
                        let finish = v.get("finishReason").and_then(Value::as_str);
                        self.chat.status = match (tokens, finish) {
                            (Some(n), Some(f)) => Some(format!("{n} tokens, {f}")),
                            (Some(n), None) => Some(format!("{n} tokens")),
                            (None, Some(f)) => Some(f.to_string()),
                            (None, None) => None,
                        };
                    }
                    Err(e) => {
                        if last_empty {
                            self.chat.turns.pop();
                        }
                        self.chat.error = Some(e);
                    }
                }
            }
            ViewKind::Stats => {
                let c = &mut self.collections;
                if c.stats_seq != to.seq {
                    return;
                }
                c.loading = false;
                c.list = Some(result.and_then(|v| parse_stats(&v)));
                c.selected = c.selected.min(c.rows().len().saturating_sub(1));
            }
            ViewKind::Query => {
                let c = &mut self.collections;
                if c.seq != to.seq {
                    return;
                }
                c.querying = false;
                c.hits = Some(result.and_then(|v| parse_hits(&v)));
            }
        }
    }
}
