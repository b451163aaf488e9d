//! The loop with a recording host: bursts are applied before one draw, commands reach the
//! host, the editor and the context switch go through it.

use bkg_core::logs::LogLevel;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use serde_json::json;
use tokio::sync::mpsc;

use crate::app::{Screen, Tab};
use crate::event::{Cmd, Event, Net};
use crate::ui::fixtures::{self as fx, key_event};
use crate::{Host, run};

#[derive(Default)]
struct Recorder {
    sent: Vec<Cmd>,
    edit_answer: Option<String>,
}

impl Host<TestBackend> for Recorder {
    fn send(&mut self, cmd: Cmd) {
        self.sent.push(cmd);
    }

    fn edit(&mut self, _t: &mut Terminal<TestBackend>, text: &str) -> Result<Option<String>, String> {
        assert!(text.contains("tinyllama-q4"), "the editor gets the current config: {text}");
        Ok(self.edit_answer.clone())
    }

    fn switch(&mut self, context: &str) -> Result<(String, Option<String>), String> {
        Ok((format!("http://{context}.example:8420/"), Some(context.to_string())))
    }
}

fn send(tx: &mpsc::UnboundedSender<Event>, n: Net) {
    tx.send(Event::Net(Box::new(n))).unwrap();
}

#[tokio::test]
async fn a_burst_of_100k_lines_is_applied_in_a_few_frames() {
    let mut app = fx::dashboard(true);
    let mut term = Terminal::new(TestBackend::new(80, 24)).unwrap();
    let (tx, mut rx) = mpsc::unbounded_channel();
    for seq in 100..100_100 {
        send(&tx, Net::Log(fx::log(seq, LogLevel::Info, "flood")));
    }
    send(&tx, Net::Lagged { missed: 500, last_missed_seq: Some(100_050) });
    tx.send(Event::Key(key_event('q'))).unwrap();
    let mut host = Recorder::default();
    let stats = run(&mut term, &mut app, &mut rx, &mut host).await.unwrap();
    assert_eq!(stats.events, 100_002);
    assert!(stats.frames <= 5, "{} frames for one burst", stats.frames);
    assert_eq!(app.logs.len(), crate::logbuf::CAPACITY);
    assert_eq!(app.logs.last_seq, Some(100_099));
    let last = app.logs.visible(1);
    assert_eq!(last[0].1, &crate::logbuf::Entry::Skipped(500), "the lag is shown, not swallowed");
}

#[tokio::test]
async fn commands_go_to_the_host_and_the_editor_result_is_sent_as_config() {
    let mut app = fx::dashboard(true);
    app.tab = Tab::Config;
    let mut term = Terminal::new(TestBackend::new(80, 24)).unwrap();
    let (tx, mut rx) = mpsc::unbounded_channel();
    for c in "esq".chars() {
        tx.send(Event::Key(key_event(c))).unwrap();
    }
    let mut host =
        Recorder { edit_answer: Some(r#"{"model": "other", "threads": 2}"#.into()), ..Default::default() };
    run(&mut term, &mut app, &mut rx, &mut host).await.unwrap();
    assert!(host.sent.contains(&Cmd::Follow(Some("llmserver".into()))) || app.logs.plugin.is_some());
    assert!(host.sent.contains(&Cmd::SetConfig {
        id: "llmserver".into(),
        config: json!({"model": "other", "threads": 2})
    }));
    assert!(host.sent.contains(&Cmd::Start("llmserver".into())));
}

#[tokio::test]
async fn an_edit_that_is_not_json_is_shown_in_place() {
    let mut app = fx::dashboard(false);
    app.tab = Tab::Config;
    let mut term = Terminal::new(TestBackend::new(80, 24)).unwrap();
    let (tx, mut rx) = mpsc::unbounded_channel();
    for c in "eq".chars() {
        tx.send(Event::Key(key_event(c))).unwrap();
    }
    let mut host = Recorder { edit_answer: Some("{ not json".into()), ..Default::default() };
    run(&mut term, &mut app, &mut rx, &mut host).await.unwrap();
    let (msg, _) = app.config_error.clone().expect("the error is shown");
    assert!(msg.starts_with("not JSON"), "{msg}");
    assert!(!host.sent.iter().any(|c| matches!(c, Cmd::SetConfig { .. })));
}

#[tokio::test]
async fn ctx_switches_the_server() {
    let mut app = fx::plugins(true);
    let mut term = Terminal::new(TestBackend::new(80, 24)).unwrap();
    let (tx, mut rx) = mpsc::unbounded_channel();
    for c in ":ctx prod\nq".chars() {
        tx.send(Event::Key(key_event(c))).unwrap();
    }
    let mut host = Recorder::default();
    run(&mut term, &mut app, &mut rx, &mut host).await.unwrap();
    assert_eq!(app.server, "http://prod.example:8420/");
    assert_eq!(app.context.as_deref(), Some("prod"));
    assert!(app.plugins.is_empty(), "the old server's plugins are gone");
    assert_eq!(app.screen, Screen::Plugins);
}

fn keys_to(tx: &mpsc::UnboundedSender<Event>, text: &str) {
    for c in text.chars() {
        tx.send(Event::Key(key_event(c))).unwrap();
    }
}

fn view_invokes<'a>(sent: &'a [Cmd], capability: &str) -> Vec<&'a Cmd> {
    sent.iter().filter(|c| matches!(c, Cmd::ViewInvoke { capability: n, .. } if n == capability)).collect()
}

#[tokio::test]
async fn a_chat_message_is_one_invoke_and_its_tokens_stream_in_order() {
    use crate::event::{ViewCall, ViewKind};
    let mut app = fx::chat(true);
    let mut term = Terminal::new(TestBackend::new(80, 24)).unwrap();
    let (tx, mut rx) = mpsc::unbounded_channel();
    keys_to(&tx, "\nhello there\n");
    let to = ViewCall { view: ViewKind::Chat, seq: 1 };
    for d in ["Hi", ",", " how", " can I help?"] {
        send(&tx, Net::ViewChunk { to, chunk: json!({"delta": d}) });
    }
    keys_to(&tx, "q");
    let mut host = Recorder::default();
    run(&mut term, &mut app, &mut rx, &mut host).await.unwrap();
    let chats = view_invokes(&host.sent, "chat");
    assert_eq!(
        chats,
        vec![&Cmd::ViewInvoke {
            id: "llmserver".into(),
            capability: "chat".into(),
            input: json!({"messages": [{"role": "user", "content": "hello there"}]}),
            to,
        }]
    );
    assert_eq!(app.chat.turns.last().unwrap().text, "Hi, how can I help?");
    assert_eq!(app.chat.pending, Some(1), "no result yet: still streaming");
    // The loop quit within the burst; what it shows now is drawn from the state it left.
    term.draw(|f| crate::ui::draw(&app, f)).unwrap();
    let screen = format!("{:?}", term.backend().buffer());
    assert!(screen.contains("Hi, how can I help?") && screen.contains("replying…"), "{screen}");
}

#[tokio::test]
async fn a_chat_result_ends_the_stream_and_a_daemon_error_is_shown() {
    use crate::event::{ViewCall, ViewKind};
    let mut app = fx::chat(true);
    let mut term = Terminal::new(TestBackend::new(80, 24)).unwrap();
    let (tx, mut rx) = mpsc::unbounded_channel();
    keys_to(&tx, "\nhi\n");
    let first = ViewCall { view: ViewKind::Chat, seq: 1 };
    send(&tx, Net::ViewChunk { to: first, chunk: json!({"delta": "Hello"}) });
    send(
        &tx,
        Net::ViewDone {
            to: first,
            result: Ok(json!({"text": "Hello", "completionTokens": 1, "finishReason": "stop"})),
        },
    );
    keys_to(&tx, "\nagain\n");
    let second = ViewCall { view: ViewKind::Chat, seq: 2 };
    send(&tx, Net::ViewDone { to: second, result: Err("overloaded: too many requests in flight".into()) });
    keys_to(&tx, "q");
    let mut host = Recorder::default();
    run(&mut term, &mut app, &mut rx, &mut host).await.unwrap();
    let chats = view_invokes(&host.sent, "chat");
    assert_eq!(chats.len(), 2);
    let Cmd::ViewInvoke { input, .. } = chats[1] else { unreachable!() };
    assert_eq!(
        input,
        &json!({"messages": [
            {"role": "user", "content": "hi"},
            {"role": "assistant", "content": "Hello"},
            {"role": "user", "content": "again"}
        ]})
    );
    assert_eq!(app.chat.pending, None);
    assert_eq!(app.chat.error.as_deref(), Some("overloaded: too many requests in flight"));
    // The loop quit within the burst; what it shows now is drawn from the state it left.
    term.draw(|f| crate::ui::draw(&app, f)).unwrap();
    let screen = format!("{:?}", term.backend().buffer());
    assert!(screen.contains("error: overloaded: too many requests in flight"), "{screen}");
}

#[tokio::test]
async fn collections_ask_for_stats_when_opened_and_query_the_selected_one() {
    use crate::event::{ViewCall, ViewKind};
    let mut app = fx::plugins(true);
    let mut term = Terminal::new(TestBackend::new(80, 24)).unwrap();
    let (tx, mut rx) = mpsc::unbounded_channel();
    keys_to(&tx, "jj\n");
    send(&tx, Net::Detail(Box::new(fx::brainml_detail())));
    keys_to(&tx, "\t\t\t");
    send(
        &tx,
        Net::ViewDone { to: ViewCall { view: ViewKind::Stats, seq: 1 }, result: Ok(fx::stats_answer()) },
    );
    keys_to(&tx, "j\nownership\n");
    send(
        &tx,
        Net::ViewDone { to: ViewCall { view: ViewKind::Query, seq: 1 }, result: Ok(fx::hits_answer()) },
    );
    keys_to(&tx, "q");
    let mut host = Recorder::default();
    run(&mut term, &mut app, &mut rx, &mut host).await.unwrap();
    assert_eq!(app.tab, Tab::Collections);
    assert_eq!(
        view_invokes(&host.sent, "stats"),
        vec![&Cmd::ViewInvoke {
            id: "brainml".into(),
            capability: "stats".into(),
            input: json!({}),
            to: ViewCall { view: ViewKind::Stats, seq: 1 },
        }]
    );
    assert_eq!(
        view_invokes(&host.sent, "query"),
        vec![&Cmd::ViewInvoke {
            id: "brainml".into(),
            capability: "query".into(),
            input: json!({"collection": "rust-book", "text": "ownership", "k": 10}),
            to: ViewCall { view: ViewKind::Query, seq: 1 },
        }]
    );
    // The loop quit within the burst; what it shows now is drawn from the state it left.
    term.draw(|f| crate::ui::draw(&app, f)).unwrap();
    let screen = format!("{:?}", term.backend().buffer());
    assert!(screen.contains("ch04-01") && screen.contains("rust-book"), "{screen}");
}

#[tokio::test]
async fn the_login_form_sends_one_login_and_reconnects_after_success() {
    let mut app = fx::login(true);
    let mut term = Terminal::new(TestBackend::new(80, 24)).unwrap();
    let (tx, mut rx) = mpsc::unbounded_channel();
    keys_to(&tx, "admin\tsecretpw\n");
    let mut host = Recorder::default();
    drop(tx);
    run(&mut term, &mut app, &mut rx, &mut host).await.unwrap();
    // The loop may end before drawing the last event's frame.
    term.draw(|f| crate::ui::draw(&app, f)).unwrap();
    assert_eq!(
        host.sent,
        vec![Cmd::Login { username: "admin".into(), password: crate::event::Secret("secretpw".into()) }]
    );
    let screen = format!("{:?}", term.backend().buffer());
    assert!(!screen.contains("secretpw") && screen.contains("logging in"), "{screen}");

    let (tx, mut rx) = mpsc::unbounded_channel();
    send(&tx, Net::LoggedIn("admin".into()));
    send(&tx, Net::Connected);
    send(
        &tx,
        Net::Plugins(vec![fx::summary("llmserver", bkg_core::plugin::PluginState::Running, None, 1, 0)]),
    );
    drop(tx);
    let mut host = Recorder::default();
    run(&mut term, &mut app, &mut rx, &mut host).await.unwrap();
    term.draw(|f| crate::ui::draw(&app, f)).unwrap();
    assert_eq!(host.sent, vec![Cmd::Reconnect]);
    assert!(app.login.is_none());
    let screen = format!("{:?}", term.backend().buffer());
    assert!(screen.contains("llmserver") && !screen.contains("Log in to bkgd"), "{screen}");
}

#[tokio::test]
async fn a_rejected_login_shows_the_error_and_clears_the_password() {
    let mut app = fx::login(false);
    let mut term = Terminal::new(TestBackend::new(80, 24)).unwrap();
    let (tx, mut rx) = mpsc::unbounded_channel();
    keys_to(&tx, "admin\tbadpw\n");
    send(&tx, Net::LoginFailed("wrong username or password".into()));
    drop(tx);
    let mut host = Recorder::default();
    run(&mut term, &mut app, &mut rx, &mut host).await.unwrap();
    term.draw(|f| crate::ui::draw(&app, f)).unwrap();
    let screen = format!("{:?}", term.backend().buffer());
    assert!(screen.contains("wrong username or password") && screen.contains("admin"), "{screen}");
    assert!(!screen.contains("badpw") && !screen.contains('•'), "the password is cleared: {screen}");
}
