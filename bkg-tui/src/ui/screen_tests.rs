//! Snapshot tests of every screen at 80x24 and 160x48, in colour and in mono, including the
//! empty, error and disconnected states. A snapshot is the text of the screen followed by the
//! styled runs of each row, so colour regressions show up too.

use bkg_core::auth::Role;
use bkg_core::plugin::PluginState;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::style::{Color, Style};

use super::fixtures::{self as fx, keys};
use crate::app::{App, Tab};
use crate::event::{Event, Net, ViewKind};

const SIZES: [(u16, u16); 2] = [(80, 24), (160, 48)];

fn render(app: &App, w: u16, h: u16) -> Buffer {
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| super::draw(app, f)).unwrap();
    t.backend().buffer().clone()
}

fn style_of(buf: &Buffer, x: u16, y: u16) -> Style {
    let c = &buf[(x, y)];
    Style::new().fg(c.fg).bg(c.bg).add_modifier(c.modifier)
}

fn describe(s: Style) -> String {
    let mut parts = Vec::new();
    if let Some(fg) = s.fg.filter(|c| *c != Color::Reset) {
        parts.push(format!("fg={fg}"));
    }
    if let Some(bg) = s.bg.filter(|c| *c != Color::Reset) {
        parts.push(format!("bg={bg}"));
    }
    if !s.add_modifier.is_empty() {
        parts.push(format!("{:?}", s.add_modifier));
    }
    parts.join(" ")
}

/// The screen's text, then every styled run as `row: from-to style`.
fn dump(buf: &Buffer) -> String {
    let area = buf.area;
    let mut out = String::new();
    for y in 0..area.height {
        let mut line = String::new();
        for x in 0..area.width {
            line.push_str(buf[(x, y)].symbol());
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out.push_str("--- styles ---\n");
    for y in 0..area.height {
        let mut x = 0;
        while x < area.width {
            let s = describe(style_of(buf, x, y));
            let start = x;
            while x < area.width && describe(style_of(buf, x, y)) == s {
                x += 1;
            }
            if !s.is_empty() {
                out.push_str(&format!("{y}: {start}-{} {s}\n", x - 1));
            }
        }
    }
    out
}

/// Renders `build`'s app at both sizes in colour and mono and compares with the snapshots.
fn check(name: &str, build: impl Fn(bool) -> App) {
    for color in [true, false] {
        let app = build(color);
        for (w, h) in SIZES {
            let buf = render(&app, w, h);
            if !color {
                for c in buf.content() {
                    assert!(
                        c.fg == Color::Reset && c.bg == Color::Reset,
                        "{name}: mono output has a colour: {c:?}"
                    );
                }
            }
            let mode = if color { "color" } else { "mono" };
            insta::assert_snapshot!(format!("{name}_{w}x{h}_{mode}"), dump(&buf));
        }
    }
}

fn net(app: &mut App, n: Net) {
    app.update(Event::Net(Box::new(n)));
}

#[test]
fn plugins() {
    check("plugins", fx::plugins);
}

#[test]
fn plugins_filtered() {
    check("plugins_filtered", |c| {
        let mut app = fx::plugins(c);
        keys(&mut app, "/llm");
        app
    });
}

#[test]
fn plugins_loading() {
    check("plugins_loading", |c| {
        App::new(crate::settings::Settings::defaults(c), "http://127.0.0.1:8420/", None)
    });
}

#[test]
fn plugins_empty() {
    check("plugins_empty", |c| {
        let mut app = App::new(crate::settings::Settings::defaults(c), "http://127.0.0.1:8420/", None);
        net(&mut app, Net::Connected);
        net(&mut app, Net::Plugins(vec![]));
        app
    });
}

#[test]
fn plugins_error_and_disconnected() {
    check("plugins_error", |c| {
        let mut app = App::new(crate::settings::Settings::defaults(c), "http://127.0.0.1:8420/", None);
        net(
            &mut app,
            Net::LoadFailed {
                what: crate::event::Screenish::Plugins,
                error: "forbidden: the key lacks plugins:read".into(),
            },
        );
        fx::disconnected(&mut app);
        app
    });
}

#[test]
fn plugins_readonly_explains_start() {
    check("plugins_readonly", |c| {
        let mut app = fx::plugins(c);
        net(&mut app, Net::Me(Some(Box::new(fx::me(Role::Readonly)))));
        keys(&mut app, "s");
        app
    });
}

#[test]
fn plugins_stop_asks() {
    check("plugins_stop_confirm", |c| {
        let mut app = fx::plugins(c);
        keys(&mut app, "x");
        app
    });
}

#[test]
fn dashboard_logs_with_search() {
    check("dashboard_logs", |c| {
        let mut app = fx::dashboard(c);
        keys(&mut app, "/hello\n");
        app.logs.follow();
        app
    });
}

#[test]
fn dashboard_config_rejected() {
    check("dashboard_config", |c| {
        let mut app = fx::dashboard(c);
        app.tab = Tab::Config;
        net(
            &mut app,
            Net::ConfigRejected {
                message: "config does not match the plugin's schema".into(),
                details: vec!["at /threads: -1 is less than the minimum of 1".into()],
            },
        );
        app
    });
}

#[test]
fn dashboard_capabilities_invoke_streams() {
    check("dashboard_caps", |c| {
        let mut app = fx::dashboard(c);
        keys(&mut app, "i");
        keys(&mut app, "\x1b");
        app.invoke.capability = "chat".into();
        app.invoke.input = r#"{"messages":[{"role":"user","content":"hi"}]}"#.into();
        app.invoke.running = true;
        for t in ["Hel", "lo", "!"] {
            net(&mut app, Net::InvokeChunk(serde_json::json!(t)));
        }
        net(&mut app, Net::InvokeDone(Ok(serde_json::json!({"text": "Hello!", "tokens": 3}))));
        app
    });
}

#[test]
fn chat_empty() {
    check("chat_empty", fx::chat);
}

#[test]
fn chat_streaming() {
    check("chat_streaming", |c| {
        let mut app = fx::chat(c);
        keys(&mut app, "\nWhat is bkg, in one sentence?\n");
        fx::chat_chunk(&mut app, 1, "bkg is a self-hosted control plane that runs ML plugins");
        fx::view_done(
            &mut app,
            ViewKind::Chat,
            1,
            Ok(serde_json::json!({
                "text": "bkg is a self-hosted control plane that runs ML plugins (LLM chat, embeddings, vector search) as supervised processes behind one API.",
                "completionTokens": 31,
                "finishReason": "stop"
            })),
        );
        keys(&mut app, "\nAnd the TUI?\n");
        for t in ["The", " TUI", " shows"] {
            fx::chat_chunk(&mut app, 2, t);
        }
        app
    });
}

#[test]
fn chat_typing() {
    check("chat_typing", |c| {
        let mut app = fx::chat(c);
        keys(&mut app, "\nsome letters that are keys elsewhere: sxrlciq");
        app
    });
}

#[test]
fn chat_error() {
    check("chat_error", |c| {
        let mut app = fx::chat(c);
        keys(&mut app, "\nhi\n");
        fx::view_done(
            &mut app,
            ViewKind::Chat,
            1,
            Err("model_not_loaded: no chat model configured; set `chatModel` in the config".into()),
        );
        app
    });
}

#[test]
fn chat_readonly() {
    check("chat_readonly", |c| {
        let mut app = fx::chat(c);
        net(&mut app, Net::Me(Some(Box::new(fx::me(Role::Readonly)))));
        keys(&mut app, "\n");
        app
    });
}

#[test]
fn collections_with_hits() {
    check("collections_hits", |c| {
        let mut app = fx::collections(c);
        fx::view_done(&mut app, ViewKind::Stats, 1, Ok(fx::stats_answer()));
        keys(&mut app, "j/ownership\n");
        fx::view_done(&mut app, ViewKind::Query, 1, Ok(fx::hits_answer()));
        app
    });
}

#[test]
fn collections_querying() {
    check("collections_querying", |c| {
        let mut app = fx::collections(c);
        fx::view_done(&mut app, ViewKind::Stats, 1, Ok(fx::stats_answer()));
        keys(&mut app, "\nownership\n");
        app
    });
}

#[test]
fn collections_empty() {
    check("collections_empty", |c| {
        let mut app = fx::collections(c);
        fx::view_done(&mut app, ViewKind::Stats, 1, Ok(serde_json::json!({"collections": []})));
        app
    });
}

#[test]
fn collections_loading() {
    check("collections_loading", fx::collections);
}

#[test]
fn collections_error() {
    check("collections_error", |c| {
        let mut app = fx::collections(c);
        fx::view_done(&mut app, ViewKind::Stats, 1, Ok(fx::stats_answer()));
        keys(&mut app, "/rust\n");
        fx::view_done(
            &mut app,
            ViewKind::Query,
            1,
            Err("invalid_input: collection \"docs\" has no index for model minilm".into()),
        );
        app
    });
}

#[test]
fn dashboard_loading() {
    check("dashboard_loading", |c| {
        let mut app = fx::plugins(c);
        keys(&mut app, "\n");
        app
    });
}

#[test]
fn logs_full_screen_paused_filtered_wrapped() {
    check("logs_full", |c| {
        let mut app = fx::dashboard(c);
        keys(&mut app, "lpvvwt");
        net(&mut app, Net::Log(fx::log(8, bkg_core::logs::LogLevel::Info, "arrived while paused")));
        app
    });
}

#[test]
fn models() {
    check("models", |c| {
        let mut app = fx::plugins(c);
        keys(&mut app, ":models\n");
        fx::with_models(&mut app);
        keys(&mut app, "j");
        app
    });
}

#[test]
fn models_empty() {
    check("models_empty", |c| {
        let mut app = fx::plugins(c);
        keys(&mut app, ":models\n");
        net(&mut app, Net::Models(vec![]));
        app
    });
}

#[test]
fn keys_with_secret() {
    check("keys_secret", |c| {
        let mut app = fx::plugins(c);
        keys(&mut app, ":keys\n");
        fx::with_keys(&mut app);
        net(&mut app, Net::Secret(Box::new(fx::secret())));
        app
    });
}

#[test]
fn keys_list() {
    check("keys", |c| {
        let mut app = fx::plugins(c);
        keys(&mut app, ":keys\n");
        fx::with_keys(&mut app);
        app
    });
}

#[test]
fn users() {
    check("users", |c| {
        let mut app = fx::plugins(c);
        keys(&mut app, ":users\n");
        fx::with_users(&mut app);
        app
    });
}

#[test]
fn users_forbidden() {
    check("users_error", |c| {
        let mut app = fx::plugins(c);
        keys(&mut app, ":users\n");
        net(
            &mut app,
            Net::LoadFailed {
                what: crate::event::Screenish::Users,
                error: "forbidden: needs users:read".into(),
            },
        );
        app
    });
}

#[test]
fn audit() {
    check("audit", |c| {
        let mut app = fx::plugins(c);
        keys(&mut app, ":audit\n");
        fx::with_audit(&mut app);
        keys(&mut app, "/key");
        app
    });
}

#[test]
fn nodes() {
    check("nodes", |c| {
        let mut app = fx::plugins(c);
        keys(&mut app, ":nodes\n");
        fx::with_nodes(&mut app);
        app
    });
}

#[test]
fn nodes_remote_selected() {
    check("nodes_remote", |c| {
        let mut app = fx::plugins(c);
        keys(&mut app, ":nodes\n");
        fx::with_nodes(&mut app);
        keys(&mut app, "j");
        app
    });
}

#[test]
fn help() {
    check("help", |c| {
        let mut app = fx::plugins(c);
        keys(&mut app, "?");
        app
    });
}

#[test]
fn palette() {
    check("palette", |c| {
        let mut app = fx::plugins(c);
        keys(&mut app, ":mod");
        app
    });
}

#[test]
fn state_changes_arrive_live() {
    let mut app = fx::plugins(true);
    net(&mut app, Net::Status(fx::status("candle", PluginState::Running, Some(99))));
    assert_eq!(app.plugin_state("candle"), Some(PluginState::Running));
    assert!(app.plugins.iter().any(|p| &*p.id == "candle" && p.pid == Some(99)));
}

#[test]
fn login_empty() {
    check("login_empty", fx::login);
}

#[test]
fn login_typed() {
    check("login_typed", |c| {
        let mut app = fx::login(c);
        keys(&mut app, "admin\thunter2");
        app
    });
}

#[test]
fn login_error() {
    check("login_error", |c| {
        let mut app = fx::login(c);
        keys(&mut app, "admin\thunter2\n");
        net(&mut app, Net::LoginFailed("wrong username or password".into()));
        app
    });
}

#[test]
fn the_password_is_never_drawn() {
    for color in [true, false] {
        let mut app = fx::login(color);
        keys(&mut app, "admin\tsw0rdfish");
        for (w, h) in SIZES {
            let text = dump(&render(&app, w, h));
            assert!(!text.contains("sw0rdfish"), "{text}");
            assert!(text.contains("•••••••••") && text.contains("admin"), "{text}");
        }
        assert!(!format!("{app:?}").contains("sw0rdfish"), "Debug prints the password");
        keys(&mut app, "\n");
        let out = app.take_outbox();
        assert!(!format!("{out:?}").contains("sw0rdfish"), "Debug prints the password: {out:?}");
    }
}
