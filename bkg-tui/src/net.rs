//! The network side: one task owns the WebSocket (subscribe, follow one plugin's logs with a
//! gap-free backfill, reconnect with backoff, resubscribe and continue from the last cursor),
//! and every other request runs in a task of its own. Tasks only send [`Event`]s; they never
//! touch the app's state.

use std::time::Duration;

use bkg_core::auth::{CreateApiKey, RotateApiKey, UpdateApiKey};
use bkg_core::client::config::credentials::{Credential, Session, Store};
use bkg_core::client::{Api, ClientError, ConnectOptions, SessionError, Target, WsClient};
use bkg_core::logs::LogQuery;
use bkg_core::models::DownloadRequest;
use bkg_core::plugin::InvokeEvent;
use bkg_core::ws::{ServerMessage, Topic};
use futures_util::StreamExt;
use tokio::sync::{mpsc, watch};
use tokio::task::JoinHandle;

use crate::event::{Cmd, Event, Net, Screenish, Secret, ViewCall};

/// Lines of history fetched when a plugin's logs are first followed.
pub const BACKFILL: u32 = 1000;
const BACKOFF_START: Duration = Duration::from_millis(200);
const BACKOFF_MAX: Duration = Duration::from_secs(5);

type Tx = mpsc::UnboundedSender<Event>;

/// The running network tasks of one server. They run on the loop's thread (`spawn_local` in a
/// `LocalSet`): the TUI's network work is light, and the API's async-closure calls are not
/// `Send`.
#[derive(Debug)]
pub struct NetHandle {
    api: Api,
    tx: Tx,
    follow: watch::Sender<Option<String>>,
    ws_task: JoinHandle<()>,
}

impl Drop for NetHandle {
    fn drop(&mut self) {
        self.ws_task.abort();
    }
}

impl NetHandle {
    /// `explicit` is whether the token came from `--token`/`BKG_TOKEN`: then a 401 is shown as
    /// an error, else it asks for the login form ([`Net::LoginNeeded`]).
    pub fn spawn(api: Api, tx: Tx, explicit: bool) -> Self {
        let (follow, follow_rx) = watch::channel(None);
        let ws_task = tokio::task::spawn_local(ws_loop(api.clone(), tx.clone(), follow_rx, explicit));
        Self { api, tx, follow, ws_task }
    }

    /// Carries out a command in the background.
    pub fn send(&self, cmd: Cmd) {
        if let Cmd::Follow(id) = cmd {
            self.follow.send_replace(id);
            return;
        }
        let api = self.api.clone();
        let tx = self.tx.clone();
        tokio::task::spawn_local(async move { run(api, tx, cmd).await });
    }
}

fn say(tx: &Tx, n: Net) {
    // The loop has ended when this fails; nothing is left to tell.
    let _ = tx.send(Event::Net(Box::new(n)));
}

fn notice(tx: &Tx, ok: bool, text: impl Into<String>) {
    say(tx, Net::Notice { ok, text: text.into() });
}

fn message(e: &SessionError) -> String {
    match e {
        SessionError::Client(ClientError::Api { body, .. }) => format!("{}: {}", body.code, body.message),
        other => other.to_string(),
    }
}

async fn run(mut api: Api, tx: Tx, cmd: Cmd) {
    match cmd {
        Cmd::Start(id) => lifecycle(&mut api, &tx, &id, "start").await,
        Cmd::Stop(id) => lifecycle(&mut api, &tx, &id, "stop").await,
        Cmd::Restart(id) => lifecycle(&mut api, &tx, &id, "restart").await,
        Cmd::LoadPlugins => match api.call(async |c| c.plugins().await).await {
            Ok(l) => say(&tx, Net::Plugins(l.plugins)),
            Err(e) => say(&tx, Net::LoadFailed { what: Screenish::Plugins, error: message(&e) }),
        },
        Cmd::LoadDetail(id) => {
            match api.call(async |c| c.plugin(&id).await).await {
                Ok(d) => say(&tx, Net::Detail(Box::new(d))),
                Err(e) => notice(&tx, false, format!("cannot load {id}: {}", message(&e))),
            }
            if let Ok(h) = api.call(async |c| c.telemetry(&id).await).await {
                say(&tx, Net::TelemetryHistory { id, samples: h.samples });
            }
        }
        Cmd::LoadModels => match api.call(async |c| c.models().await).await {
            Ok(l) => say(&tx, Net::Models(l.models)),
            Err(e) => say(&tx, Net::LoadFailed { what: Screenish::Models, error: message(&e) }),
        },
        Cmd::Pull(repo) => {
            let req = DownloadRequest { repo: repo.clone(), revision: None, files: None };
            match api.call(async |c| c.download_model(&req).await).await {
                Ok(a) => {
                    notice(&tx, true, format!("pulling {} (job {})", a.model.id, a.job));
                    reload(&mut api, &tx, Cmd::LoadModels).await;
                }
                Err(e) => notice(&tx, false, format!("cannot pull {repo}: {}", message(&e))),
            }
        }
        Cmd::Validate(id) => match api.call(async |c| c.validate_model(&id).await).await {
            Ok(r) => say(&tx, Net::Validated(r)),
            Err(e) => notice(&tx, false, format!("cannot validate {id}: {}", message(&e))),
        },
        Cmd::DeleteModel(id) => {
            match api.call(async |c| c.delete_model(&id, false).await).await {
                Ok(()) => notice(&tx, true, format!("deleted model {id}")),
                Err(e) => notice(&tx, false, format!("cannot delete {id}: {}", message(&e))),
            }
            reload(&mut api, &tx, Cmd::LoadModels).await;
        }
        Cmd::LoadKeys => match api.call(async |c| c.api_keys().await).await {
            Ok(l) => say(&tx, Net::Keys(l.keys)),
            Err(e) => say(&tx, Net::LoadFailed { what: Screenish::Keys, error: message(&e) }),
        },
        Cmd::CreateKey { name, role } => {
            let req = CreateApiKey { name: name.clone(), role, ..Default::default() };
            match api.call(async |c| c.create_api_key(&req).await).await {
                Ok(s) => say(&tx, Net::Secret(Box::new(s))),
                Err(e) => notice(&tx, false, format!("cannot create key {name}: {}", message(&e))),
            }
        }
        Cmd::RotateKey(id) => {
            match api.call(async |c| c.rotate_api_key(&id, &RotateApiKey::default()).await).await {
                Ok(s) => say(&tx, Net::Secret(Box::new(s))),
                Err(e) => notice(&tx, false, format!("cannot rotate key: {}", message(&e))),
            }
        }
        Cmd::DisableKey(id) => {
            let req = UpdateApiKey { enabled: Some(false), ..Default::default() };
            match api.call(async |c| c.update_api_key(&id, &req).await).await {
                Ok(k) => notice(&tx, true, format!("disabled key {}", k.name)),
                Err(e) => notice(&tx, false, format!("cannot disable key: {}", message(&e))),
            }
            reload(&mut api, &tx, Cmd::LoadKeys).await;
        }
        Cmd::DeleteKey(id) => {
            match api.call(async |c| c.delete_api_key(&id).await).await {
                Ok(()) => notice(&tx, true, "deleted the key"),
                Err(e) => notice(&tx, false, format!("cannot delete key: {}", message(&e))),
            }
            reload(&mut api, &tx, Cmd::LoadKeys).await;
        }
        Cmd::LoadUsers => match api.call(async |c| c.users().await).await {
            Ok(l) => say(&tx, Net::Users(l.users)),
            Err(e) => say(&tx, Net::LoadFailed { what: Screenish::Users, error: message(&e) }),
        },
        Cmd::LoadAudit => {
            let q = bkg_core::auth::AuditQuery { limit: Some(200), ..Default::default() };
            match api.call(async |c| c.audit(&q).await).await {
                Ok(p) => say(&tx, Net::Audit(p.events)),
                Err(e) => say(&tx, Net::LoadFailed { what: Screenish::Audit, error: message(&e) }),
            }
        }
        Cmd::LoadNodes => match api.call(async |c| c.nodes().await).await {
            Ok(l) => say(&tx, Net::Nodes(l.nodes)),
            Err(e) => say(&tx, Net::LoadFailed { what: Screenish::Nodes, error: message(&e) }),
        },
        Cmd::Invoke { id, capability, input } => invoke(&mut api, &tx, &id, &capability, &input, None).await,
        Cmd::ViewInvoke { id, capability, input, to } => {
            invoke(&mut api, &tx, &id, &capability, &input, Some(to)).await
        }
        Cmd::SetConfig { id, config } => match api.call(async |c| c.set_config(&id, &config).await).await {
            Ok(applied) => {
                notice(&tx, true, format!("config applied ({:?})", applied.applied).to_lowercase());
                reload(&mut api, &tx, Cmd::LoadDetail(id)).await;
            }
            Err(SessionError::Client(ClientError::Api { body, .. })) => {
                let details = match &body.details {
                    Some(serde_json::Value::Array(items)) => items
                        .iter()
                        .map(|i| match (i.get("path"), i.get("message")) {
                            (Some(p), Some(m)) => {
                                format!(
                                    "at {}: {}",
                                    p.as_str().unwrap_or("/"),
                                    m.as_str().unwrap_or_default()
                                )
                            }
                            _ => i.to_string(),
                        })
                        .collect(),
                    _ => Vec::new(),
                };
                say(&tx, Net::ConfigRejected { message: body.message, details });
            }
            Err(e) => notice(&tx, false, format!("cannot set config: {}", message(&e))),
        },
        Cmd::SaveLines { path, lines } => {
            let text = lines.join("\n") + "\n";
            match tokio::fs::write(&path, text).await {
                Ok(()) => notice(&tx, true, format!("saved {} lines to {path}", lines.len())),
                Err(e) => notice(&tx, false, format!("cannot write {path}: {e}")),
            }
        }
        // Handled by the loop or the WebSocket task.
        Cmd::Follow(_)
        | Cmd::EditConfig { .. }
        | Cmd::SwitchContext(_)
        | Cmd::Login { .. }
        | Cmd::Reconnect
        | Cmd::Quit => {}
    }
}

async fn reload(api: &mut Api, tx: &Tx, cmd: Cmd) {
    Box::pin(run(api.clone(), tx.clone(), cmd)).await;
}

async fn lifecycle(api: &mut Api, tx: &Tx, id: &str, action: &str) {
    let r = match action {
        "start" => api.call(async |c| c.start(id).await).await,
        "stop" => api.call(async |c| c.stop(id).await).await,
        _ => api.call(async |c| c.restart(id).await).await,
    };
    match r {
        Ok(r) => {
            say(tx, Net::Status(r.status.clone()));
            notice(tx, true, format!("{action}: {id} is {}", r.status.status));
        }
        Err(e) => notice(tx, false, format!("cannot {action} {id}: {}", message(&e))),
    }
}

/// A streamed invoke; its chunks and end go to the capabilities tab (`to` is `None`) or, tagged,
/// to a plugin-specific view.
async fn invoke(
    api: &mut Api,
    tx: &Tx,
    id: &str,
    cap: &str,
    input: &serde_json::Value,
    to: Option<ViewCall>,
) {
    let chunk = |v| match to {
        None => Net::InvokeChunk(v),
        Some(to) => Net::ViewChunk { to, chunk: v },
    };
    let done = |r| match to {
        None => Net::InvokeDone(r),
        Some(to) => Net::ViewDone { to, result: r },
    };
    let stream = match api.call(async |c| c.invoke_stream(id, cap, input).await).await {
        Ok(s) => s,
        Err(e) => return say(tx, done(Err(message(&e)))),
    };
    let mut stream = Box::pin(stream);
    while let Some(ev) = stream.next().await {
        match ev {
            Ok(InvokeEvent::Chunk(v)) => say(tx, chunk(v)),
            Ok(InvokeEvent::Result(v)) => return say(tx, done(Ok(v))),
            Ok(InvokeEvent::Error(b)) => {
                return say(tx, done(Err(format!("{}: {}", b.code, b.message))));
            }
            Err(e) => return say(tx, done(Err(e.to_string()))),
        }
    }
    say(tx, done(Err("the stream ended without a result".into())));
}

/// The followed plugin and the last log `seq` this client has: a reconnect continues there.
type Cursor = Option<(String, u64)>;

/// Logs in with a password and stores the session as `bkgctl login` does (same file, same
/// format, same lock), then reports [`Net::LoggedIn`] or the error for the form.
pub fn login(opts: ConnectOptions, tx: Tx, username: String, password: Secret) {
    tokio::task::spawn_local(async move {
        match log_in(&opts, &username, &password).await {
            Ok(()) => say(&tx, Net::LoggedIn(username)),
            Err(e) => say(&tx, Net::LoginFailed(e)),
        }
    });
}

async fn log_in(opts: &ConnectOptions, username: &str, password: &Secret) -> Result<(), String> {
    let target = Target::resolve(opts).map_err(|e| e.to_string())?;
    let store = Store::new(&opts.config_dir().map_err(|e| e.to_string())?);
    let session =
        Session::log_in(&target.client, username, &password.0).await.map_err(|e| login_error(&e))?;
    store
        .remember(&target.key, Credential::Session(session))
        .map_err(|e| format!("logged in, but cannot store the session: {e}"))
}

/// What the form says when a login fails.
pub fn login_error(e: &ClientError) -> String {
    match e {
        ClientError::Api { status: 401, .. } => "wrong username or password".into(),
        // The daemon's message says when to try again.
        ClientError::Api { status: 429, body } => body.message.clone(),
        ClientError::Api { body, .. } => format!("{}: {}", body.code, body.message),
        other => other.to_string(),
    }
}

/// Whether a failure means the user has to log in (no credential, or a dead session).
fn needs_login(e: &SessionError) -> bool {
    matches!(e, SessionError::LoggedOut(_) | SessionError::Client(ClientError::Api { status: 401, .. }))
}

async fn ws_loop(mut api: Api, tx: Tx, mut follow: watch::Receiver<Option<String>>, explicit: bool) {
    let mut backoff = BACKOFF_START;
    let mut cursor: Cursor = None;
    loop {
        let error = match api.call(async |c| c.ws().await).await {
            Ok(ws) => {
                backoff = BACKOFF_START;
                connection(&mut api, ws, &tx, &mut follow, &mut cursor).await
            }
            Err(e) if !explicit && needs_login(&e) => {
                // The form logs in and then connects anew; this task is done.
                return say(&tx, Net::LoginNeeded);
            }
            Err(e @ SessionError::Client(ClientError::Api { status: 401, .. })) => {
                format!("{}; log in with `bkgctl login` or set BKG_TOKEN", message(&e))
            }
            Err(e) => message(&e),
        };
        if tx.is_closed() {
            return;
        }
        say(&tx, Net::Disconnected { error, retry_in_ms: backoff.as_millis() as u64 });
        // Waiting out the backoff is the point here, not a synchronisation.
        tokio::time::sleep(backoff).await;
        backoff = (backoff * 2).min(BACKOFF_MAX);
    }
}

/// Serves one WebSocket connection until it ends; returns why it ended.
async fn connection(
    api: &mut Api,
    mut ws: WsClient,
    tx: &Tx,
    follow: &mut watch::Receiver<Option<String>>,
    cursor: &mut Cursor,
) -> String {
    for topic in [Topic::Status, Topic::Telemetry, Topic::Models] {
        if let Err(e) = ws.subscribe(topic, None).await {
            return e.to_string();
        }
    }
    // The list after the subscription, so no status change falls between the two.
    match api.call(async |c| c.plugins().await).await {
        Ok(l) => say(tx, Net::Plugins(l.plugins)),
        Err(e) => say(tx, Net::LoadFailed { what: Screenish::Plugins, error: message(&e) }),
    }
    match api.call(async |c| c.me().await).await {
        Ok(me) => say(tx, Net::Me(Some(Box::new(me)))),
        Err(SessionError::Client(e)) if e.status() == Some(404) => say(tx, Net::Me(None)),
        Err(_) => {}
    }
    say(tx, Net::Connected);
    let want = follow.borrow_and_update().clone();
    if let Err(e) = start_follow(api, &mut ws, tx, want, cursor).await {
        return e;
    }
    loop {
        tokio::select! {
            msg = ws.next() => match msg {
                None => return "the server closed the connection".into(),
                Some(Err(e)) => return e.to_string(),
                Some(Ok(m)) => forward(tx, m, cursor),
            },
            changed = follow.changed() => {
                if changed.is_err() {
                    return "the app has ended".into();
                }
                let want = follow.borrow_and_update().clone();
                if let Some((old, _)) = cursor.take()
                    && let Err(e) = ws.unsubscribe(Topic::Logs, Some(&old)).await
                {
                    return e.to_string();
                }
                if let Err(e) = start_follow(api, &mut ws, tx, want, cursor).await {
                    return e;
                }
            }
        }
    }
}

/// Follows `want`'s logs: continuing after the cursor when this is the plugin followed before
/// (a reconnect), else after a backfill whose cursor the subscription starts from, so there
/// is neither a gap nor a duplicate between the two.
async fn start_follow(
    api: &mut Api,
    ws: &mut WsClient,
    tx: &Tx,
    want: Option<String>,
    cursor: &mut Cursor,
) -> Result<(), String> {
    let Some(id) = want else {
        *cursor = None;
        return Ok(());
    };
    if let Some((followed, seq)) = cursor.as_ref()
        && *followed == id
    {
        return ws.subscribe_logs(Some(&id), Some(*seq), None).await.map_err(|e| e.to_string());
    }
    let q = LogQuery { tail: Some(BACKFILL), ..Default::default() };
    let page = match api.call(async |c| c.logs(&id, &q).await).await {
        Ok(p) => p,
        Err(e) => {
            notice(tx, false, format!("cannot load the logs of {id}: {}", message(&e)));
            *cursor = None;
            return Ok(());
        }
    };
    *cursor = Some((id.clone(), page.cursor));
    say(tx, Net::LogBackfill { id: id.clone(), lines: page.lines, cursor: page.cursor });
    ws.subscribe_logs(Some(&id), Some(page.cursor), None).await.map_err(|e| e.to_string())
}

fn forward(tx: &Tx, m: ServerMessage, cursor: &mut Cursor) {
    match m {
        ServerMessage::Status(s) => say(tx, Net::Status(s)),
        ServerMessage::Telemetry(t) => say(tx, Net::Telemetry(t)),
        ServerMessage::Logs(l) => {
            if let Some((id, seq)) = cursor.as_mut()
                && *id == l.plugin_id
            {
                *seq = (*seq).max(l.seq);
            }
            say(tx, Net::Log(l));
        }
        ServerMessage::Lagged(l) => {
            say(tx, Net::Lagged { missed: l.missed, last_missed_seq: l.last_missed_seq })
        }
        ServerMessage::Model(m) => say(tx, Net::Model(m)),
        ServerMessage::Error(e) => notice(tx, false, format!("server: {}: {}", e.code, e.message)),
        ServerMessage::Ack(_) => {}
    }
}

#[cfg(test)]
mod tests {
    use bkg_core::error::{ErrorBody, ErrorCode};

    use super::*;

    fn api(status: u16, code: ErrorCode, message: &str) -> ClientError {
        ClientError::Api { status, body: ErrorBody::new(code, message) }
    }

    #[test]
    fn login_errors_say_what_to_do() {
        let wrong = api(401, ErrorCode::Unauthorized, "invalid credentials");
        assert_eq!(login_error(&wrong), "wrong username or password");
        let limited =
            api(429, ErrorCode::RateLimited, "too many failed logins from your address; retry in 42 s");
        assert_eq!(login_error(&limited), "too many failed logins from your address; retry in 42 s");
        let gone = ClientError::Unreachable {
            url: "http://127.0.0.1:1/".into(),
            message: "connection refused".into(),
        };
        assert_eq!(login_error(&gone), "cannot reach bkgd at http://127.0.0.1:1/: connection refused");
    }

    #[test]
    fn a_401_or_a_dead_session_needs_a_login() {
        assert!(needs_login(&SessionError::Client(api(401, ErrorCode::Unauthorized, "no token"))));
        assert!(needs_login(&SessionError::LoggedOut("expired".into())));
        assert!(!needs_login(&SessionError::Client(api(403, ErrorCode::Forbidden, "no"))));
        let gone = ClientError::Unreachable { url: "u".into(), message: "m".into() };
        assert!(!needs_login(&SessionError::Refresh(gone)));
    }
}
