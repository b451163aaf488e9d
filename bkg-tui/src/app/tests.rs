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
fn nodes_load_when_shown_refresh_and_keep_the_selection_in_range() {
    let mut app = fx::plugins(true);
    app.take_outbox();
    keys(&mut app, ":nodes\n");
    assert_eq!(app.screen, Screen::Nodes);
    assert_eq!(app.take_outbox(), vec![Cmd::LoadNodes]);
    fx::with_nodes(&mut app);
    keys(&mut app, "jjjjj");
    assert_eq!(app.node_selected, 3, "the selection stops at the last node");
    keys(&mut app, "R");
    assert_eq!(app.take_outbox(), vec![Cmd::LoadNodes]);
    // A node went away: the selection follows the shorter list.
    app.update(Event::Net(Box::new(Net::Nodes(vec![fx::node(
        "box",
        bkg_core::cluster::NodeState::Up,
        true,
        0,
        &[],
    )]))));
    assert_eq!(app.node_selected, 0);
    keys(&mut app, "\x1b");
    assert_eq!(app.screen, Screen::Plugins);
}

#[test]
fn filter_narrows_and_escape_clears() {
    let mut app = fx::plugins(true);
    keys(&mut app, "/cand");
    assert_eq!(app.visible_plugins().len(), 1);
    keys(&mut app, "\n");
    assert_eq!(&*app.selected_plugin().unwrap().id, "candle");
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

mod views {
    use bkg_core::auth::Role;
    use serde_json::json;

    use crate::app::views::{Speaker, view_tab};
    use crate::app::{InputKind, Tab};
    use crate::event::{Cmd, Event, Net, ViewCall, ViewKind};
    use crate::ui::fixtures::{self as fx, keys};

    fn chat_invokes(cmds: &[Cmd]) -> Vec<serde_json::Value> {
        cmds.iter()
            .filter_map(|c| match c {
                Cmd::ViewInvoke { capability, input, to, .. } if capability == "chat" => {
                    assert_eq!(to.view, ViewKind::Chat);
                    Some(input.clone())
                }
                _ => None,
            })
            .collect()
    }

    #[test]
    fn the_view_tab_is_decided_by_the_capabilities() {
        assert_eq!(view_tab(&fx::detail()), Some(Tab::Chat));
        assert_eq!(view_tab(&fx::brainml_detail()), Some(Tab::Collections));
        // A renamed instance keeps its view; a plugin with the id but not the capability has none.
        let renamed = bkg_core::plugin::PluginDetail { id: "llm-2".into(), ..fx::detail() };
        assert_eq!(view_tab(&renamed), Some(Tab::Chat));
        let mut bare = fx::detail();
        bare.capabilities.retain(|c| c.name != "chat");
        assert_eq!(view_tab(&bare), None);
    }

    #[test]
    fn tab_cycles_through_the_view_only_where_there_is_one() {
        let mut app = fx::dashboard(true);
        let mut seen = Vec::new();
        for _ in 0..4 {
            keys(&mut app, "\t");
            seen.push(app.tab);
        }
        assert_eq!(seen, vec![Tab::Config, Tab::Capabilities, Tab::Chat, Tab::Logs]);
        let mut bare = fx::detail();
        bare.capabilities.retain(|c| c.name != "chat");
        app.update(Event::Net(Box::new(Net::Detail(Box::new(bare)))));
        keys(&mut app, "\t\t\t");
        assert_eq!(app.tab, Tab::Logs, "three tabs without the chat capability");
        let actions = crate::app::screen_actions(&app);
        assert!(!actions.contains(&crate::settings::Action::Open));
    }

    #[test]
    fn a_plugin_that_loses_its_view_goes_back_to_the_logs_tab() {
        let mut app = fx::chat(true);
        assert_eq!(app.tab, Tab::Chat);
        let mut bare = fx::detail();
        bare.capabilities.retain(|c| c.name != "chat");
        app.update(Event::Net(Box::new(Net::Detail(Box::new(bare)))));
        assert_eq!(app.tab, Tab::Logs);
    }

    #[test]
    fn a_message_sends_the_whole_conversation_and_letters_are_typed_not_actions() {
        let mut app = fx::chat(true);
        app.take_outbox();
        keys(&mut app, "\nsxrlciq hi\n");
        let sent = app.take_outbox();
        assert_eq!(sent.len(), 1, "{sent:?}");
        assert_eq!(
            chat_invokes(&sent),
            vec![json!({"messages": [{"role": "user", "content": "sxrlciq hi"}]})]
        );
        assert!(app.confirm.is_none() && !app.quit, "the letters went into the message");
        fx::chat_chunk(&mut app, 1, "Hel");
        fx::chat_chunk(&mut app, 1, "lo");
        assert_eq!(app.chat.turns.last().unwrap().text, "Hello");
        assert_eq!(app.chat.pending, Some(1));
        fx::view_done(
            &mut app,
            ViewKind::Chat,
            1,
            Ok(json!({"text": "Hello!", "completionTokens": 3, "finishReason": "stop"})),
        );
        assert_eq!(app.chat.pending, None);
        assert_eq!(app.chat.turns.last().unwrap().text, "Hello!");
        assert_eq!(app.chat.status.as_deref(), Some("3 tokens, stop"));
        keys(&mut app, "\nmore\n");
        assert_eq!(
            chat_invokes(&app.take_outbox()),
            vec![json!({"messages": [
                {"role": "user", "content": "sxrlciq hi"},
                {"role": "assistant", "content": "Hello!"},
                {"role": "user", "content": "more"}
            ]})]
        );
    }

    #[test]
    fn cancel_ignores_the_rest_of_the_reply() {
        let mut app = fx::chat(true);
        keys(&mut app, "\nhi\n");
        fx::chat_chunk(&mut app, 1, "Hel");
        app.update(fx::ctrl('x'));
        assert_eq!(app.chat.pending, None);
        fx::chat_chunk(&mut app, 1, "lo");
        fx::view_done(&mut app, ViewKind::Chat, 1, Ok(json!({"text": "Hello"})));
        assert_eq!(app.chat.turns.last().unwrap().text, "Hel");
        assert!(app.chat.status.as_deref().unwrap().contains("cancelled"));
        // Esc cancels too, and only then goes back.
        keys(&mut app, "\nagain\n\x1b");
        assert_eq!(app.chat.pending, None);
        assert!(matches!(app.screen, crate::app::Screen::Dashboard(_)));
    }

    #[test]
    fn a_daemon_error_is_shown_and_a_bad_chunk_is_named() {
        let mut app = fx::chat(true);
        keys(&mut app, "\nhi\n");
        app.update(Event::Net(Box::new(Net::ViewChunk {
            to: ViewCall { view: ViewKind::Chat, seq: 1 },
            chunk: json!({"tokens": [1, 2]}),
        })));
        assert!(app.chat.error.as_deref().unwrap().contains("unexpected chunk"));
        fx::view_done(&mut app, ViewKind::Chat, 1, Err("model_not_loaded: no chat model configured".into()));
        assert_eq!(app.chat.error.as_deref(), Some("model_not_loaded: no chat model configured"));
        assert_eq!(app.chat.turns.len(), 1, "the empty reply is dropped, the question stays");
        assert_eq!(app.chat.turns[0].speaker, Speaker::User);
    }

    #[test]
    fn readonly_cannot_write_and_is_told_why() {
        let mut app = fx::chat(true);
        app.update(Event::Net(Box::new(Net::Me(Some(Box::new(fx::me(Role::Readonly)))))));
        app.take_outbox();
        keys(&mut app, "\n");
        assert!(app.input.is_none());
        let (ok, text) = app.notice.clone().unwrap();
        assert!(!ok && text.contains("plugins:invoke"), "{text}");
        assert!(app.take_outbox().is_empty());
    }

    #[test]
    fn collections_load_on_open_and_query_the_selected_one() {
        let mut app = fx::collections(true);
        let sent = app.take_outbox();
        assert!(sent.iter().any(|c| matches!(c, Cmd::ViewInvoke { capability, to, .. } if capability == "stats" && to.view == ViewKind::Stats)), "{sent:?}");
        fx::view_done(&mut app, ViewKind::Stats, 1, Ok(fx::stats_answer()));
        assert_eq!(app.collections.rows().len(), 3);
        keys(&mut app, "j/");
        assert_eq!(app.input.as_ref().map(|i| i.kind), Some(InputKind::Query));
        keys(&mut app, "ownership\n");
        let sent = app.take_outbox();
        assert_eq!(sent.len(), 1);
        let Cmd::ViewInvoke { id, capability, input, to } = &sent[0] else { panic!("{sent:?}") };
        assert_eq!((id.as_str(), capability.as_str(), to.view), ("brainml", "query", ViewKind::Query));
        assert_eq!(input, &json!({"collection": "rust-book", "text": "ownership", "k": 10}));
        fx::view_done(&mut app, ViewKind::Query, to.seq, Ok(fx::hits_answer()));
        let hits = app.collections.hits.clone().unwrap().unwrap();
        assert_eq!(hits[0].id, "ch04-01");
        assert_eq!(hits[1].text, "Lifetimes are another kind of generic that we have already been using.");
        assert_eq!(hits[2].text, r#"{"kind":"appendix"}"#);
        keys(&mut app, "R");
        assert!(
            matches!(&app.take_outbox()[..], [Cmd::ViewInvoke { capability, .. }] if capability == "stats")
        );
    }

    #[test]
    fn an_unexpected_answer_is_an_error_in_place() {
        let mut app = fx::collections(true);
        fx::view_done(&mut app, ViewKind::Stats, 1, Ok(json!({"what": 1})));
        let err = app.collections.list.clone().unwrap().unwrap_err();
        assert!(err.contains("unexpected answer from stats"), "{err}");
        // An answer to an older request is ignored.
        fx::view_done(&mut app, ViewKind::Stats, 0, Ok(fx::stats_answer()));
        assert!(app.collections.list.clone().unwrap().is_err());
    }
}

mod login {
    use super::*;
    use crate::app::{Conn, LoginField};
    use crate::event::Secret;

    fn login_cmd(user: &str, pw: &str) -> Cmd {
        Cmd::Login { username: user.into(), password: Secret(pw.into()) }
    }

    #[test]
    fn typing_fills_the_fields_and_tab_moves_between_them() {
        let mut app = fx::login(true);
        keys(&mut app, "admim");
        app.update(Event::Key(ratatui::crossterm::event::KeyEvent::from(
            ratatui::crossterm::event::KeyCode::Backspace,
        )));
        keys(&mut app, "n\tp4ss q");
        let form = app.login.clone().unwrap();
        assert_eq!((form.username.as_str(), form.password.as_str()), ("admin", "p4ss q"));
        assert_eq!(form.field, LoginField::Password);
        keys(&mut app, "\t");
        assert_eq!(app.login.as_ref().unwrap().field, LoginField::Submit);
        keys(&mut app, "\t");
        assert_eq!(app.login.as_ref().unwrap().field, LoginField::Username);
        assert!(app.take_outbox().is_empty(), "typing sends nothing");
        assert!(!app.quit, "q in a field is a letter");
    }

    #[test]
    fn enter_sends_exactly_one_login() {
        let mut app = fx::login(true);
        keys(&mut app, "admin\tpw\n");
        assert_eq!(app.take_outbox(), vec![login_cmd("admin", "pw")]);
        assert!(app.login.as_ref().unwrap().busy);
        keys(&mut app, "\n\n");
        assert!(app.take_outbox().is_empty(), "no second login while one is on its way");
    }

    #[test]
    fn an_empty_field_is_not_sent() {
        let mut app = fx::login(true);
        keys(&mut app, "\n");
        assert!(app.take_outbox().is_empty());
        assert_eq!(app.login.as_ref().unwrap().error.as_deref(), Some("enter a username"));
        keys(&mut app, "admin\n");
        assert!(app.take_outbox().is_empty());
        assert_eq!(app.login.as_ref().unwrap().field, LoginField::Password);
    }

    #[test]
    fn a_failure_shows_the_error_keeps_the_username_and_clears_the_password() {
        let mut app = fx::login(true);
        keys(&mut app, "admin\twrong\n");
        app.take_outbox();
        app.update(Event::Net(Box::new(Net::LoginFailed("wrong username or password".into()))));
        let form = app.login.clone().unwrap();
        assert_eq!(form.error.as_deref(), Some("wrong username or password"));
        assert_eq!(form.username, "admin");
        assert!(form.password.is_empty() && !form.busy);
        assert_eq!(form.field, LoginField::Password);
        keys(&mut app, "right\n");
        assert_eq!(app.take_outbox(), vec![login_cmd("admin", "right")]);
    }

    #[test]
    fn success_connects_and_shows_the_plugin_list() {
        let mut app = fx::login(true);
        keys(&mut app, "admin\tpw\n");
        app.take_outbox();
        app.update(Event::Net(Box::new(Net::LoggedIn("admin".into()))));
        assert!(app.login.is_none());
        assert_eq!(app.screen, Screen::Plugins);
        assert_eq!(app.conn, Conn::Connecting);
        assert_eq!(app.take_outbox(), vec![Cmd::Reconnect]);
    }

    #[test]
    fn the_form_takes_over_from_an_open_prompt() {
        let mut app = fx::plugins(true);
        keys(&mut app, "/ll");
        assert!(app.input.is_some());
        app.update(Event::Net(Box::new(Net::LoginNeeded)));
        assert!(app.input.is_none() && app.login.is_some());
        keys(&mut app, "q");
        assert_eq!(app.login.as_ref().unwrap().username, "q");
        assert!(!app.quit);
    }

    #[test]
    fn esc_quits_and_q_quits_outside_a_field() {
        let mut app = fx::login(true);
        keys(&mut app, "\x1b");
        assert!(app.quit);
        let mut app = fx::login(true);
        keys(&mut app, "\t\tq");
        assert!(app.quit);
    }

    #[test]
    fn an_explicit_token_that_is_rejected_keeps_the_banner() {
        // The network task sends `Disconnected` (not `LoginNeeded`) for an explicit token.
        let mut app = fx::plugins(true);
        app.update(Event::Net(Box::new(Net::Disconnected {
            error: "unauthorized (401): bad token; log in with `bkgctl login` or set BKG_TOKEN".into(),
            retry_in_ms: 200,
        })));
        assert!(app.login.is_none());
        assert!(matches!(app.conn, Conn::Disconnected { .. }));
    }
}
