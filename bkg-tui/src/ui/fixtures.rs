//! App states built from real DTO values, for the snapshot tests: three plugins in different
//! states with telemetry, a log with a search match and a skipped-lines marker, models, keys,
//! users, audit events and a cluster's nodes. Times are fixed so snapshots are stable.

use bkg_core::auth::{ApiKey, ApiKeySecret, AuditEvent, AuthMethod, Me, Permission, Role, User};
use bkg_core::cluster::{NodeInfo, NodeState};
use bkg_core::logs::{LogLevel, LogLine};
use bkg_core::models::{Model, ModelFile, ModelSource, ModelStatus, Progress};
use bkg_core::plugin::{
    CapabilitySpec, DesiredState, ExitInfo, PluginDetail, PluginSource, PluginState, PluginStatus,
    PluginSummary, RestartPolicy, Timeouts,
};
use bkg_core::telemetry::{Latency, TelemetrySample, Throughput};
use chrono::{DateTime, TimeZone, Utc};
use serde_json::json;

use crate::app::{App, Conn};
use crate::event::{Event, Net};
use crate::settings::Settings;

pub fn at(secs: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 6, 8, 0, 0).unwrap() + chrono::Duration::seconds(secs)
}

pub fn summary(id: &str, status: PluginState, pid: Option<u32>, uptime: u64, restarts: u64) -> PluginSummary {
    PluginSummary {
        id: id.into(),
        name: format!("Test {id}").into(),
        version: "0.2.0".into(),
        description: format!("the {id} plugin").into(),
        source: PluginSource::Builtin,
        status,
        pid,
        uptime,
        restarts,
        node: "box".into(),
    }
}

pub fn status(id: &str, state: PluginState, pid: Option<u32>) -> PluginStatus {
    PluginStatus {
        id: id.into(),
        status: state,
        desired: if pid.is_some() { DesiredState::Running } else { DesiredState::Stopped },
        pid,
        run: 3,
        uptime: 754,
        restarts: 2,
        reason: None,
        last_exit: Some(ExitInfo { code: Some(3), signal: None, run: 2, at: at(-800) }),
        next_retry_at: None,
        since: at(-754),
    }
}

pub fn sample(id: &str, i: u64) -> TelemetrySample {
    let wave = [3.0, 8.0, 15.0, 22.0, 12.0, 5.0, 9.0, 30.0, 18.0, 7.0][i as usize % 10];
    TelemetrySample {
        id: id.into(),
        ts: at(i as i64),
        cpu: wave,
        mem: 48 * 1024 * 1024 + i * 100_000,
        processes: 1,
        uptime: 754,
        restarts: 2,
        throughput: Throughput {
            invocations_per_sec: wave / 3.0,
            invocations_total: 1000 + i,
            errors_total: 1,
            in_flight: 0,
            latency_ms: Latency {
                p50: 4.0 + wave / 10.0,
                p90: 12.0 + wave,
                p99: 20.0 + wave,
                max: 40.0 + wave,
            },
            counters: Default::default(),
        },
    }
}

pub fn log(seq: u64, level: LogLevel, msg: &str) -> LogLine {
    LogLine {
        seq,
        ts: at(seq as i64),
        level,
        plugin_id: "llmserver".into(),
        run: 3,
        message: msg.into(),
        fields: None,
    }
}

pub fn detail() -> PluginDetail {
    PluginDetail {
        id: "llmserver".into(),
        name: "LLM server".into(),
        version: "0.2.0".into(),
        description: "chat and embeddings".into(),
        source: PluginSource::Builtin,
        command: vec!["bkg-llmserver".into()],
        status: status("llmserver", PluginState::Running, Some(4242)),
        capabilities: vec![
            CapabilitySpec {
                name: "chat".into(),
                description: "Chat completion with token streaming".into(),
                input_schema: json!({"type": "object", "required": ["messages"], "properties": {"messages": {"type": "array"}, "max_tokens": {"type": "integer"}}}),
                output_schema: json!({}),
                streaming: true,
                permission: None,
            },
            CapabilitySpec {
                name: "embeddings".into(),
                description: "Sentence embeddings".into(),
                input_schema: json!({"type": "object", "properties": {"input": {"type": "string"}}}),
                output_schema: json!({}),
                streaming: false,
                permission: None,
            },
        ],
        features: vec!["cancel".into()],
        running_version: Some("0.2.0".into()),
        config: json!({"model": "tinyllama-q4", "threads": 1, "max_tokens": 256}),
        config_schema: json!({}),
        restart: RestartPolicy::default(),
        timeouts: Timeouts::default(),
        runtime: None,
    }
}

pub fn me(role: Role) -> Me {
    let permissions = match role {
        Role::Readonly => vec![Permission::PluginsRead, Permission::ModelsRead],
        _ => vec![Permission::PluginsRead, Permission::PluginsLifecycle, Permission::PluginsInvoke],
    };
    Me {
        user: user("alice", role),
        role,
        permissions,
        method: AuthMethod::ApiKey,
        key_id: Some("k1".into()),
        session_id: None,
    }
}

pub fn user(name: &str, role: Role) -> User {
    User {
        id: format!("u-{name}"),
        username: name.into(),
        role,
        disabled: false,
        created_at: at(-86_400),
        updated_at: at(-3600),
    }
}

pub fn key(name: &str, enabled: bool) -> ApiKey {
    ApiKey {
        id: format!("k-{name}"),
        name: name.into(),
        prefix: "bkg_4f2a".into(),
        user_id: "u-admin".into(),
        username: "admin".into(),
        role: Role::Developer,
        scopes: vec![],
        enabled,
        expires_at: None,
        last_used_at: enabled.then(|| at(-120)),
        previous_valid_until: None,
        rotated_at: None,
        created_at: at(-86_400),
        updated_at: at(-86_400),
    }
}

pub fn model(repo: &str, status: ModelStatus, done: u64) -> Model {
    Model {
        id: format!("{:012x}", repo.len() * 0x1f2e3d),
        repo: repo.into(),
        revision: "main".into(),
        commit: Some("0123456789abcdef0123456789abcdef01234567".into()),
        source: ModelSource::Hub,
        status,
        files: vec![
            ModelFile { path: "config.json".into(), size: 700, sha256: None, done: 700, verified: true },
            ModelFile {
                path: "model.safetensors".into(),
                size: 90_000_000,
                sha256: Some("ab".repeat(32)),
                done,
                verified: done == 90_000_000,
            },
        ],
        total_bytes: 90_000_700,
        progress: Progress {
            bytes_done: done + 700,
            bytes_total: 90_000_700,
            rate: 5e6,
            eta_seconds: (done < 90_000_000).then_some(12.0),
        },
        error: None,
        path: None,
        last_validated_at: None,
        problems: vec![],
        used_by: if status == ModelStatus::Ready { vec!["candle".into()] } else { vec![] },
        created_at: at(-3600),
        updated_at: at(-60),
    }
}

pub fn audit(id: i64, action: &str, outcome: &str) -> AuditEvent {
    AuditEvent {
        id,
        ts: at(-id * 60),
        action: action.into(),
        actor: Some("admin".into()),
        target: Some("llmserver".into()),
        outcome: outcome.into(),
        ip: Some("127.0.0.1".into()),
        details: json!({}),
    }
}

/// A node whose plugins are `plugins` (id and state), all reporting `name` as their node.
pub fn node(
    name: &str,
    state: NodeState,
    current: bool,
    seen: i64,
    plugins: &[(&str, PluginState)],
) -> NodeInfo {
    NodeInfo {
        id: format!("{:08x}-0000-4000-8000-000000000000", name.len() * 0x1f2e3d),
        name: name.into(),
        url: format!("http://{name}.lan:8420"),
        version: "0.2.0".into(),
        commit: "7b78765".into(),
        state,
        current,
        started_at: at(-3600),
        last_seen: at(seen),
        plugins: plugins
            .iter()
            .map(|(id, s)| {
                let pid = (*s == PluginState::Running).then_some(4242);
                PluginSummary { node: name.into(), ..summary(id, *s, pid, 754, 0) }
            })
            .collect(),
    }
}

/// Four nodes on one database: this one, another that is up, one down and one stopped.
pub fn with_nodes(app: &mut App) {
    use PluginState::*;
    net(
        app,
        Net::Nodes(vec![
            node(
                "box",
                NodeState::Up,
                true,
                0,
                &[("llmserver", Running), ("candle", Stopped), ("brainml", Failed), ("repoagent", Backoff)],
            ),
            node("gpu-1", NodeState::Up, false, -4, &[("llmserver", Running), ("candle", Running)]),
            node("edge-2", NodeState::Down, false, -135, &[("brainml", Running)]),
            node("old-box", NodeState::Stopped, false, -2 * 86_400, &[]),
        ]),
    );
}

fn net(app: &mut App, n: Net) {
    app.update(Event::Net(Box::new(n)));
}

/// A connected admin looking at the plugin list.
pub fn plugins(color: bool) -> App {
    let mut app = App::new(Settings::defaults(color), "http://127.0.0.1:8420/", Some("local".into()));
    net(&mut app, Net::Connected);
    net(&mut app, Net::Me(Some(Box::new(me(Role::Admin)))));
    net(
        &mut app,
        Net::Plugins(vec![
            summary("llmserver", PluginState::Running, Some(4242), 754, 2),
            summary("candle", PluginState::Stopped, None, 0, 0),
            summary("brainml", PluginState::Failed, None, 0, 5),
            summary("repoagent", PluginState::Backoff, None, 0, 1),
        ]),
    );
    for i in 0..30 {
        net(&mut app, Net::Telemetry(sample("llmserver", i)));
    }
    app
}

/// The dashboard of `llmserver` with logs (one search match, a skipped-lines marker).
pub fn dashboard(color: bool) -> App {
    let mut app = plugins(color);
    app.update(Event::Key(key_event('\n')));
    net(&mut app, Net::Detail(Box::new(detail())));
    net(
        &mut app,
        Net::LogBackfill {
            id: "llmserver".into(),
            lines: vec![
                log(1, LogLevel::Info, "loading model tinyllama-q4 (GGUF, 638 MiB)"),
                log(2, LogLevel::Debug, "tokenizer ready: 32000 tokens"),
                log(3, LogLevel::Info, "listening for requests"),
            ],
            cursor: 3,
        },
    );
    net(&mut app, Net::Lagged { missed: 1234, last_missed_seq: Some(3) });
    for (seq, level, msg) in [
        (4, LogLevel::Warn, "slow request: chat took 2300 ms (hello world prompt)"),
        (5, LogLevel::Info, "chat: 42 tokens in 310 ms"),
        (6, LogLevel::Error, "embeddings: input too long (9000 tokens > 8192)"),
        (
            7,
            LogLevel::Info,
            "a very long line that goes on and on to show what wrapping does when the terminal is narrow: lorem ipsum dolor sit amet, consectetur adipiscing elit",
        ),
    ] {
        net(&mut app, Net::Log(log(seq, level, msg)));
    }
    app
}

/// The KeyEvent of a plain character (`\n` is Enter, `\x1b` Esc, `\t` Tab).
pub fn key_event(c: char) -> ratatui::crossterm::event::KeyEvent {
    use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    let code = match c {
        '\n' => KeyCode::Enter,
        '\x1b' => KeyCode::Esc,
        '\t' => KeyCode::Tab,
        c => KeyCode::Char(c),
    };
    KeyEvent::new(code, KeyModifiers::NONE)
}

pub fn keys(app: &mut App, text: &str) {
    for c in text.chars() {
        app.update(Event::Key(key_event(c)));
    }
}

pub fn with_models(app: &mut App) {
    net(
        app,
        Net::Models(vec![
            model("sentence-transformers/all-MiniLM-L6-v2", ModelStatus::Ready, 90_000_000),
            model("TinyLlama/TinyLlama-1.1B-Chat-GGUF", ModelStatus::Downloading, 36_000_000),
        ]),
    );
}

pub fn with_keys(app: &mut App) {
    net(app, Net::Keys(vec![key("ci-deploy", true), key("old-laptop", false)]));
}

pub fn with_users(app: &mut App) {
    net(
        app,
        Net::Users(vec![
            user("admin", Role::Admin),
            user("alice", Role::Developer),
            user("viewer", Role::Readonly),
        ]),
    );
}

pub fn with_audit(app: &mut App) {
    net(
        app,
        Net::Audit(vec![
            audit(1, "plugin.lifecycle", "success"),
            audit(2, "key.rotate", "success"),
            audit(3, "login", "failure"),
            audit(4, "model.download", "success"),
        ]),
    );
}

pub fn secret() -> ApiKeySecret {
    ApiKeySecret {
        key: key("ci-deploy", true),
        secret: "bkg_4f2a_Zm9vYmFyYmF6cXV4cXV1eHh5enp5MTIzNDU2Nzg5MA".into(),
    }
}

pub fn disconnected(app: &mut App) {
    app.conn = Conn::Disconnected {
        error: "cannot reach bkgd at http://127.0.0.1:8420/: connection refused".into(),
        retry_in_ms: 1600,
    };
}

/// brainml's detail: its capabilities as the plugin declares them (the parts the TUI reads).
pub fn brainml_detail() -> PluginDetail {
    let cap = |name: &str, description: &str, input: serde_json::Value| CapabilitySpec {
        name: name.into(),
        description: description.into(),
        input_schema: input,
        output_schema: json!({}),
        streaming: false,
        permission: None,
    };
    PluginDetail {
        id: "brainml".into(),
        name: "brainml".into(),
        description: "collections of embedded documents".into(),
        command: vec!["bkg-brainml".into()],
        status: status("brainml", PluginState::Running, Some(5151)),
        capabilities: vec![
            cap(
                "index",
                "Embeds documents",
                json!({"type": "object", "properties": {"collection": {}, "documents": {}}}),
            ),
            cap(
                "query",
                "The k most similar documents",
                json!({"type": "object", "properties": {"collection": {}, "text": {}, "k": {}}}),
            ),
            cap("stats", "Collections with their documents", json!({"type": "object", "properties": {}})),
        ],
        config: json!({"model": "minilm"}),
        ..detail()
    }
}

/// A key with Ctrl held.
pub fn ctrl(c: char) -> Event {
    use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    Event::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL))
}

/// llmserver's dashboard on its Chat tab.
pub fn chat(color: bool) -> App {
    let mut app = dashboard(color);
    keys(&mut app, "\t\t\t");
    app
}

/// A chat chunk or result for the `seq`th chat request.
pub fn chat_chunk(app: &mut App, seq: u64, delta: &str) {
    let to = crate::event::ViewCall { view: crate::event::ViewKind::Chat, seq };
    net(app, Net::ViewChunk { to, chunk: json!({"delta": delta}) });
}

pub fn view_done(
    app: &mut App,
    view: crate::event::ViewKind,
    seq: u64,
    result: Result<serde_json::Value, String>,
) {
    net(app, Net::ViewDone { to: crate::event::ViewCall { view, seq }, result });
}

/// brainml's dashboard on its Collections tab (the `stats` request sent, not answered).
pub fn collections(color: bool) -> App {
    let mut app = plugins(color);
    keys(&mut app, "jj\n");
    net(&mut app, Net::Detail(Box::new(brainml_detail())));
    keys(&mut app, "\t\t\t");
    app
}

pub fn stats_answer() -> serde_json::Value {
    json!({
        "collections": [
            {"collection": "docs", "documents": 1204, "indexed": 1204},
            {"collection": "rust-book", "documents": 87, "indexed": null},
            {"collection": "a-collection-with-a-rather-long-name", "documents": 3}
        ],
        "classifiers": [],
        "documentsIndexed": 1294,
        "queries": 17
    })
}

pub fn hits_answer() -> serde_json::Value {
    json!({"collection": "rust-book", "hits": [
        {"id": "ch04-01", "score": 0.8123, "text": "Ownership is a set of rules that govern how a Rust program manages memory.", "metadata": {}},
        {"id": "ch10-03-lifetime-syntax", "score": 0.6402, "text": "Lifetimes are another kind of generic\nthat we have already been using.", "metadata": {"chapter": 10}},
        {"id": "appendix", "score": 0.31, "text": "", "metadata": {"kind": "appendix"}}
    ]})
}

/// The login form a daemon's 401 brought up (no token, no stored session).
pub fn login(color: bool) -> App {
    let mut app = App::new(Settings::defaults(color), "http://127.0.0.1:8420/", None);
    net(&mut app, Net::LoginNeeded);
    app
}
