//! bkg-tui: the terminal UI of bkg. It drives bkgd through the typed client in `bkg-core`
//! (connection, contexts and session refresh shared with bkgctl) and can do nothing the API
//! cannot.
//!
//! One closed [`event::Event`] enum flows into one loop ([`run`]); [`app::App::update`] is the
//! only place state changes; [`ui::draw`] only reads it; network I/O runs in tasks
//! ([`net`]) that send events. The loop is generic over the ratatui backend, so tests render
//! into `TestBackend`.

pub mod app;
pub mod cli;
pub mod event;
pub mod generate;
pub mod logbuf;
pub mod net;
pub mod settings;
pub mod term;
pub mod theme;
pub mod ui;

use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant as StdInstant};

use bkg_core::client::{Api, ConnectOptions};
use clap::Parser;
use ratatui::Terminal;
use ratatui::backend::Backend;
use ratatui::crossterm::event as ct;
use tokio::sync::mpsc;
use tokio::time::Instant;

use crate::app::{App, Screen};
use crate::event::{Cmd, Event};
use crate::net::NetHandle;
use crate::settings::Settings;

/// At most this many frames per second, however fast events arrive.
pub const FRAME: Duration = Duration::from_millis(16);
/// How often the audit and nodes screens poll (neither has a WebSocket topic).
const POLL: Duration = Duration::from_secs(2);

/// What the loop needs from its surroundings besides a backend: somewhere to send commands
/// (the network tasks), an editor, and a way to switch servers. The real one suspends the
/// terminal for `$EDITOR`; tests record what they get.
pub trait Host<B: Backend> {
    /// Carries out a command in the background (results come back as events).
    fn send(&mut self, cmd: Cmd);
    /// Lets the user edit `text`; `None` when it was left unchanged.
    fn edit(&mut self, terminal: &mut Terminal<B>, text: &str) -> Result<Option<String>, String>;
    /// Connects to the named context instead; returns its server URL and context name.
    fn switch(&mut self, context: &str) -> Result<(String, Option<String>), String>;
}

/// The event loop: apply every pending event, draw at most once per [`FRAME`], hand the app's
/// commands to the network tasks. Returns when the app quits or every sender is gone.
pub async fn run<B: Backend>(
    terminal: &mut Terminal<B>,
    app: &mut App,
    rx: &mut mpsc::UnboundedReceiver<Event>,
    host: &mut dyn Host<B>,
) -> anyhow::Result<LoopStats>
where
    B::Error: Send + Sync + 'static,
{
    let mut dirty = true;
    let mut last_draw = Instant::now() - FRAME;
    let mut poll = tokio::time::interval(POLL);
    poll.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut stats = LoopStats::default();
    let mut last_seq = None;
    for cmd in app.take_outbox() {
        host.send(cmd);
    }
    loop {
        if dirty && last_draw.elapsed() >= FRAME {
            let started = Instant::now();
            terminal.draw(|f| ui::draw(app, f))?;
            last_draw = Instant::now();
            stats.frame_drawn(app, started, last_draw, &mut last_seq);
            dirty = false;
        }
        tokio::select! {
            ev = rx.recv() => {
                let Some(ev) = ev else { return Ok(stats) };
                app.update(ev);
                stats.events += 1;
                // A burst (10,000 log lines a second) is applied in one go and drawn once.
                for _ in 0..50_000 {
                    match rx.try_recv() {
                        Ok(ev) => app.update(ev),
                        Err(_) => break,
                    }
                    stats.events += 1;
                }
                dirty = true;
            }
            _ = tokio::time::sleep_until(last_draw + FRAME), if dirty => {}
            _ = poll.tick() => {
                if app.input.is_none() && app.login.is_none() {
                    match app.screen {
                        Screen::Audit => host.send(Cmd::LoadAudit),
                        Screen::Nodes => host.send(Cmd::LoadNodes),
                        _ => {}
                    }
                }
            }
        }
        for cmd in app.take_outbox() {
            match cmd {
                Cmd::Quit => return Ok(stats),
                Cmd::EditConfig { id, text } => {
                    let edited = host.edit(terminal, &text);
                    terminal.clear()?;
                    dirty = true;
                    match edited {
                        Ok(Some(new)) => match serde_json::from_str(&new) {
                            Ok(config) => host.send(Cmd::SetConfig { id, config }),
                            Err(e) => app.update(Event::Net(Box::new(event::Net::ConfigRejected {
                                message: format!("not JSON: {e}"),
                                details: Vec::new(),
                            }))),
                        },
                        Ok(None) => app.notice = Some((true, "config unchanged".into())),
                        Err(e) => app.notice = Some((false, e)),
                    }
                }
                Cmd::SwitchContext(name) => match host.switch(&name) {
                    Ok((server, context)) => {
                        let settings = app.settings.clone();
                        *app = App::new(settings, &server, context);
                        dirty = true;
                    }
                    Err(e) => app.notice = Some((false, format!("cannot switch to {name}: {e}"))),
                },
                other => host.send(other),
            }
        }
    }
}

/// What a run of the loop did, for tests and the benchmark (`BKG_TUI_STATS=<file>` writes it
/// as JSON on exit).
#[derive(Debug, Clone, Default)]
pub struct LoopStats {
    pub events: u64,
    pub frames: u64,
    /// How long each frame took to render and flush.
    pub frame_times: Vec<Duration>,
    /// When the first frame was on screen.
    pub first_frame: Option<Instant>,
    /// Per frame that showed a new log line: from the daemon reading the line (its `ts`) to
    /// the frame with it being flushed, in milliseconds.
    pub line_delays_ms: Vec<f64>,
}

impl LoopStats {
    fn frame_drawn(&mut self, app: &App, started: Instant, done: Instant, last_seq: &mut Option<u64>) {
        self.frames += 1;
        self.frame_times.push(done - started);
        self.first_frame.get_or_insert(done);
        if let Some(line) = app.logs.newest_line()
            && *last_seq != Some(line.seq)
        {
            *last_seq = Some(line.seq);
            let delay = chrono::Utc::now() - line.ts;
            self.line_delays_ms.push(delay.num_microseconds().unwrap_or(0) as f64 / 1000.0);
        }
    }

    /// The summary the benchmark reads.
    pub fn to_json(&self, started: Instant) -> serde_json::Value {
        let pct = |v: &mut Vec<f64>, p: f64| -> f64 {
            if v.is_empty() {
                return 0.0;
            }
            v.sort_by(f64::total_cmp);
            v[((v.len() - 1) as f64 * p).round() as usize]
        };
        let mut frames: Vec<f64> = self.frame_times.iter().map(|d| d.as_secs_f64() * 1000.0).collect();
        let mut delays = self.line_delays_ms.clone();
        serde_json::json!({
            "events": self.events,
            "frames": self.frames,
            "frameMsP50": pct(&mut frames, 0.5),
            "frameMsP99": pct(&mut frames, 0.99),
            "lineToScreenMsP50": pct(&mut delays, 0.5),
            "lineToScreenMsP99": pct(&mut delays, 0.99),
            "firstFrameMs": self.first_frame.map(|f| (f - started).as_secs_f64() * 1000.0),
        })
    }
}

/// Reads terminal events on a thread of its own (crossterm's reader blocks) while `paused` is
/// false, so an editor started meanwhile gets the keys.
fn spawn_input(tx: mpsc::UnboundedSender<Event>, paused: Arc<AtomicBool>) {
    std::thread::spawn(move || {
        loop {
            if tx.is_closed() {
                return;
            }
            if paused.load(Ordering::SeqCst) {
                std::thread::park_timeout(Duration::from_millis(50));
                continue;
            }
            match ct::poll(Duration::from_millis(100)) {
                Ok(true) => {}
                Ok(false) => continue,
                Err(_) => return,
            }
            let ev = match ct::read() {
                Ok(ct::Event::Key(k)) => Event::Key(k),
                Ok(ct::Event::Resize(w, h)) => Event::Resize(w, h),
                Ok(_) => continue,
                Err(_) => return,
            };
            if tx.send(ev).is_err() {
                return;
            }
        }
    });
}

struct RealHost {
    paused: Arc<AtomicBool>,
    opts: ConnectOptions,
    net: NetHandle,
    tx: mpsc::UnboundedSender<Event>,
}

impl<B: Backend> Host<B> for RealHost {
    fn send(&mut self, cmd: Cmd) {
        match cmd {
            Cmd::Login { username, password } => {
                net::login(self.opts.clone(), self.tx.clone(), username, password)
            }
            Cmd::Reconnect => match Api::connect(&self.opts) {
                // Dropping the old handle ends its WebSocket task.
                Ok(api) => self.net = NetHandle::spawn(api, self.tx.clone(), self.opts.token.is_some()),
                Err(e) => {
                    let n = event::Net::Notice { ok: false, text: format!("cannot connect: {e}") };
                    let _ = self.tx.send(Event::Net(Box::new(n)));
                }
            },
            other => self.net.send(other),
        }
    }

    fn edit(&mut self, _terminal: &mut Terminal<B>, text: &str) -> Result<Option<String>, String> {
        let editor =
            std::env::var("VISUAL").or_else(|_| std::env::var("EDITOR")).unwrap_or_else(|_| "vi".into());
        let dir = std::env::temp_dir();
        let path = dir.join(format!("bkg-tui-config-{}.json", std::process::id()));
        std::fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        self.paused.store(true, Ordering::SeqCst);
        term::restore();
        let mut parts = editor.split_whitespace();
        let program = parts.next().unwrap_or("vi");
        let status = std::process::Command::new(program).args(parts).arg(&path).status();
        let _ = term::enter();
        self.paused.store(false, Ordering::SeqCst);
        let status = status.map_err(|e| format!("cannot run {editor}: {e}"))?;
        let new = std::fs::read_to_string(&path).map_err(|e| e.to_string());
        let _ = std::fs::remove_file(&path);
        if !status.success() {
            return Err(format!("{editor} exited with {status}; config not sent"));
        }
        let new = new?;
        Ok((new.trim() != text.trim()).then_some(new))
    }

    fn switch(&mut self, context: &str) -> Result<(String, Option<String>), String> {
        // An explicit context wins over BKG_URL and BKG_TOKEN, which name another server.
        let opts = ConnectOptions {
            server: None,
            token: None,
            context: Some(context.to_string()),
            config_dir: self.opts.config_dir.clone(),
        };
        let api = Api::connect(&opts).map_err(|e| e.to_string())?;
        let found = (api.server().to_string(), api.context().map(str::to_owned));
        // Dropping the old handle ends its WebSocket task.
        self.net = NetHandle::spawn(api, self.tx.clone(), false);
        // A login form shown from now on logs in to this context's server.
        self.opts = opts;
        Ok(found)
    }
}

/// Whether colour is on: `NO_COLOR` set to anything non-empty turns it off.
pub fn color_enabled() -> bool {
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

pub fn main() -> ExitCode {
    let started = StdInstant::now();
    let cli = match cli::Cli::try_parse() {
        Ok(c) => c,
        Err(e) => e.exit(),
    };
    if let Some(cli::Command::Completion { shell }) = cli.command {
        let mut out = Vec::new();
        generate::completion(shell, &mut out);
        use std::io::Write;
        let _ = std::io::stdout().write_all(&out);
        return ExitCode::SUCCESS;
    }
    let _ = rustls::crypto::aws_lc_rs::default_provider().install_default();
    let runtime = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("bkg-tui: error: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let local = tokio::task::LocalSet::new();
    match local.block_on(&runtime, start(cli, started)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("bkg-tui: error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn start(cli: cli::Cli, started: StdInstant) -> anyhow::Result<()> {
    let opts = cli.conn.options();
    let settings = Settings::load(&opts.config_dir()?, color_enabled())?;
    let api = Api::connect(&opts)?;
    let mut app = App::new(settings, api.server(), api.context().map(str::to_owned));
    match cli.screen {
        cli::StartScreen::Plugins => {}
        cli::StartScreen::Models => app.go(Screen::Models),
        cli::StartScreen::Keys => app.go(Screen::Keys),
        cli::StartScreen::Users => app.go(Screen::Users),
        cli::StartScreen::Audit => app.go(Screen::Audit),
        cli::StartScreen::Nodes => app.go(Screen::Nodes),
    }
    let (tx, mut rx) = mpsc::unbounded_channel();
    let paused = Arc::new(AtomicBool::new(false));
    let (mut terminal, _guard) = term::setup()?;
    spawn_input(tx.clone(), paused.clone());
    let net = NetHandle::spawn(api, tx.clone(), opts.token.is_some());
    let mut host = RealHost { paused, opts, net, tx };
    let stats = run(&mut terminal, &mut app, &mut rx, &mut host).await?;
    if let Some(path) = std::env::var_os("BKG_TUI_STATS") {
        std::fs::write(&path, stats.to_json(started.into()).to_string())?;
    }
    Ok(())
}

#[cfg(test)]
mod loop_tests;
