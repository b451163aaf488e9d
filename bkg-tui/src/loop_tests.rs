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
