//! What keys do, screen by screen, checked on the state and the queued commands.

use bkg_core::auth::Role;
use serde_json::json;

use super::{Screen, Tab};
use crate::event::{Cmd, Event, Net};
use crate::ui::fixtures::{self as fx, keys};

#[test]
fn stop_asks_first() {
    let mut app = fx::plugins(true);
    app.take_outbox();
    keys(&mut app, "x");
    assert!(app.confirm.is_some());
    keys(&mut app, "n");
    assert!(app.confirm.is_none() && app.take_outbox().is_empty());
    keys(&mut app, "xy");
    assert_eq!(app.take_outbox(), vec![Cmd::Stop("llmserver".into())]);
}

#[test]
fn readonly_cannot_start_and_is_told_why() {
    let mut app = fx::plugins(true);
    app.update(Event::Net(Box::new(Net::Me(Some(Box::new(fx::me(Role::Readonly)))))));
    app.take_outbox();
    keys(&mut app, "srx");
    assert!(app.take_outbox().is_empty());
    let (ok, text) = app.notice.clone().unwrap();
    assert!(!ok && text.contains("readonly") && text.contains("plugins:lifecycle"), "{text}");
}

#[test]
fn palette_switches_screens_and_back_returns() {
    let mut app = fx::plugins(true);
    app.take_outbox();
    keys(&mut app, ":models\n");
    assert_eq!(app.screen, Screen::Models);
    assert_eq!(app.take_outbox(), vec![Cmd::LoadModels]);
    keys(&mut app, ":logs candle\n");
    assert_eq!(app.screen, Screen::Logs("candle".into()));
    let out = app.take_outbox();
    assert!(
        out.contains(&Cmd::Follow(Some("candle".into()))) && out.contains(&Cmd::LoadDetail("candle".into()))
    );
    keys(&mut app, "\x1b");
    assert_eq!(app.screen, Screen::Models);
    assert!(app.take_outbox().contains(&Cmd::Follow(None)));
    keys(&mut app, ":nope\n");
    assert!(app.notice.as_ref().unwrap().1.contains("unknown command"));
}

#[test]
fn filter_narrows_and_escape_clears() {
    let mut app = fx::plugins(true);
    keys(&mut app, "/cand");
    assert_eq!(app.visible_plugins().len(), 1);
    keys(&mut app, "\n");
    assert_eq!(app.selected_plugin().unwrap().id, "candle");
    keys(&mut app, "\x1b");
    assert_eq!(app.visible_plugins().len(), 4);
}

#[test]
fn invoke_sends_the_typed_json() {
    let mut app = fx::dashboard(true);
    app.take_outbox();
    keys(&mut app, "i");
    assert_eq!(app.tab, Tab::Capabilities);
    assert_eq!(app.input.as_ref().unwrap().text, "{}");
    app.input.as_mut().unwrap().text = r#"{"messages": []}"#.into();
    keys(&mut app, "\n");
    assert_eq!(
        app.take_outbox(),
        vec![Cmd::Invoke {
            id: "llmserver".into(),
            capability: "chat".into(),
            input: json!({"messages": []})
        }]
    );
    assert!(app.invoke.running);
    keys(&mut app, "i");
    app.input.as_mut().unwrap().text = "{oops".into();
    keys(&mut app, "\n");
    assert!(app.notice.as_ref().unwrap().1.starts_with("not JSON"));
}

#[test]
fn log_keys_pause_filter_search_and_save() {
    let mut app = fx::dashboard(true);
    app.take_outbox();
    keys(&mut app, "p");
    assert!(app.logs.paused());
    keys(&mut app, "p");
    assert!(!app.logs.paused());
    keys(&mut app, "v");
    assert!(app.logs.level.is_some());
    keys(&mut app, "/chat\n");
    assert!(app.logs.current_match.is_some());
    keys(&mut app, "N");
    keys(&mut app, "n");
    keys(&mut app, "W");
    match app.take_outbox().as_slice() {
        [Cmd::SaveLines { path, lines }] => {
            assert!(path.starts_with("bkg-llmserver-") && !lines.is_empty());
        }
        other => panic!("{other:?}"),
    }
    keys(&mut app, "\x1b");
    assert!(app.logs.search.is_none() && app.screen == Screen::Dashboard("llmserver".into()));
}

#[test]
fn model_and_key_actions_confirm_first() {
    let mut app = fx::plugins(true);
    keys(&mut app, ":models\n");
    fx::with_models(&mut app);
    app.take_outbox();
    keys(&mut app, "dy");
    assert_eq!(app.take_outbox(), vec![Cmd::DeleteModel(app.models[0].id.clone())]);
    keys(&mut app, "p");
    app.input.as_mut().unwrap().text = "org/model".into();
    keys(&mut app, "\n");
    assert_eq!(app.take_outbox(), vec![Cmd::Pull("org/model".into())]);
    keys(&mut app, ":keys\n");
    fx::with_keys(&mut app);
    app.take_outbox();
    keys(&mut app, "ry");
    assert_eq!(app.take_outbox(), vec![Cmd::RotateKey("k-ci-deploy".into())]);
    keys(&mut app, "jD");
    assert_eq!(app.take_outbox(), vec![Cmd::DisableKey("k-old-laptop".into())]);
    keys(&mut app, "c");
    app.input.as_mut().unwrap().text = "new".into();
    keys(&mut app, "\n");
    assert_eq!(app.take_outbox(), vec![Cmd::CreateKey { name: "new".into(), role: None }]);
    keys(&mut app, "c");
    app.input.as_mut().unwrap().text = "ci deploy readonly".into();
    keys(&mut app, "\n");
    assert_eq!(
        app.take_outbox(),
        vec![Cmd::CreateKey { name: "ci deploy".into(), role: Some(bkg_core::auth::Role::Readonly) }]
    );
}

#[test]
fn reconnect_marks_the_log_and_dedupes_the_replay() {
    let mut app = fx::dashboard(true);
    let before = app.logs.len();
    app.update(Event::Net(Box::new(Net::Disconnected { error: "gone".into(), retry_in_ms: 200 })));
    app.update(Event::Net(Box::new(Net::Connected)));
    // The daemon replays after the cursor; a line the client already has is dropped.
    app.update(Event::Net(Box::new(Net::Log(fx::log(7, bkg_core::logs::LogLevel::Info, "dup")))));
    app.update(Event::Net(Box::new(Net::Log(fx::log(8, bkg_core::logs::LogLevel::Info, "new")))));
    assert_eq!(app.logs.len(), before + 2, "a reconnect marker and the one new line");
}

#[test]
fn only_lost_log_lines_make_a_marker() {
    let mut app = fx::dashboard(true);
    let before = app.logs.len();
    app.update(Event::Net(Box::new(Net::Lagged { missed: 3, last_missed_seq: None })));
    assert_eq!(app.logs.len(), before, "lost telemetry is not a log gap");
    app.update(Event::Net(Box::new(Net::Lagged { missed: 3, last_missed_seq: Some(9) })));
    assert_eq!(app.logs.visible(1)[0].1, &crate::logbuf::Entry::Skipped(3));
}
