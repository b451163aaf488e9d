//! `bkg-bench peers`: bkgd beside supervisord and PM2 on this machine, in one run, the rounds
//! interleaved (every measurement of a round is taken for the three before the next one starts,
//! the order rotating), each managing children of the same binary (`bkg-testplugin`: `serve`
//! under bkgd, which speaks the plugin protocol; `bare-idle` and `bare-flood` under the others,
//! which only collect output). It installs its peers once into a cache: supervisord from PyPI
//! into a virtualenv, PM2 from npm, at the versions the issue measured.
//!
//! Measured, each on a fresh daemon: start -> running and stop through each tool's own API
//! (bkgd's REST, supervisord's XML-RPC with `wait`, PM2's Node.js API in `peers_pm2.js`, timed
//! inside that process), the daemon's idle CPU (its threads' `schedstat`, in ns), wake-ups and
//! RSS with 6 children, and a log flood of 100-byte lines, one write(2) per line and in 1 MiB
//! blocks: lines per second from the start call to the last line on disk (read by following the
//! file, no request to the daemon), the daemon's CPU time and peak RSS (its high-water mark
//! reset right before the flood, so it is the flood's peak), lines lost and torn;
//! beside them the writer alone (its pipe read by a bare loop), which no tool can exceed.
//! supervisord's stop is timed once the child has exec'd (see `Supervisord::wait_exec`).
//! bkgd's start and stop are also timed with `serve-one-thread`: `serve` runs the SDK's default
//! multi-thread runtime, which starts a worker per core before its hello and has more threads
//! to end, so that row compares the daemons rather than their children.

use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, bail, ensure};
use tokio::io::AsyncBufReadExt;

use crate::daemon::{
    Daemon, TICKS_PER_SEC, bin, context_switches, cpu_ns, cpu_ticks, reset_peak_rss, status_kb,
};
use crate::stats::median;

const SUPERVISOR_VERSION: &str = "4.3.0";
const PM2_VERSION: &str = "7.0.4";
const PM2_DRIVER: &str = include_str!("peers_pm2.js");
const LINE_BYTES: usize = 100;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Rounds; every figure is the median over them.
    #[arg(long, default_value_t = 3)]
    rounds: usize,
    /// Start/stop cycles per round (their median is the round's figure).
    #[arg(long, default_value_t = 20)]
    cycles: usize,
    /// Lines of 100 bytes per flood.
    #[arg(long, default_value_t = 1_000_000)]
    lines: u64,
    /// Seconds over which idle CPU and wake-ups are measured: at least one period of every
    /// tool's slowest timer (bkgd samples its plugins every 30 s when nobody watches).
    #[arg(long, default_value_t = 30)]
    idle_secs: u64,
    /// Seconds between the last start and the idle measurement: start-up's one-off work is
    /// not idle (bkgd writes the start counts 10 s after them, PM2 takes its first metrics).
    #[arg(long, default_value_t = 12)]
    settle_secs: u64,
    /// Where supervisord and PM2 are installed [default: ~/.cache/bkg/peers]
    #[arg(long)]
    cache: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Peer {
    Bkg,
    Supervisord,
    Pm2,
}

const PEERS: [Peer; 3] = [Peer::Bkg, Peer::Supervisord, Peer::Pm2];

#[derive(Debug, Default)]
struct Figures {
    start_ms: Vec<f64>,
    stop_ms: Vec<f64>,
    /// bkg only: the same cycles with a plugin on one thread (`serve-one-thread`), a child
    /// about as cheap to start and end as the others' `bare-idle`.
    start_light_ms: Vec<f64>,
    stop_light_ms: Vec<f64>,
    idle_cpu_pct: Vec<f64>,
    idle_wakeups: Vec<f64>,
    idle_rss_mb: Vec<f64>,
    /// Per write mode (0: one write per line, 1: 1 MiB blocks).
    flood: [FloodFigures; 2],
}

#[derive(Debug, Default)]
struct FloodFigures {
    lines_per_sec: Vec<f64>,
    cpu_secs: Vec<f64>,
    peak_rss_mb: Vec<f64>,
    lost: u64,
    torn: u64,
}

struct Tools {
    supervisord: PathBuf,
    pm2_dir: PathBuf,
    testplugin: PathBuf,
}

pub async fn run(args: Args) -> anyhow::Result<()> {
    ensure!(
        args.rounds > 0 && args.cycles > 0 && args.lines > 0 && args.idle_secs > 0,
        "--rounds, --cycles, --lines and --idle-secs must be positive"
    );
    let cache = match &args.cache {
        Some(c) => c.clone(),
        None => std::env::var_os("HOME")
            .map(|h| PathBuf::from(h).join(".cache/bkg/peers"))
            .context("HOME is not set: give --cache")?,
    };
    let tools = install(&cache)?;
    let background_idle = machine_idle_share(Duration::from_secs(2)).await;
    let cpu0 = machine_cpu();
    println!(
        "# bkg-bench peers: bkgd {} vs supervisord {SUPERVISOR_VERSION} vs PM2 {PM2_VERSION}, {} rounds, {} start/stop cycles, {} flood lines\n",
        env!("CARGO_PKG_VERSION"),
        args.rounds,
        args.cycles,
        args.lines
    );

    let mut figures: [Figures; 3] = Default::default();
    let mut ceiling: [Vec<f64>; 2] = Default::default();
    for round in 0..args.rounds {
        // Rotate who goes first, so that no tool always meets a cold (or warm) machine.
        let order: Vec<usize> = (0..3).map(|i| (i + round) % 3).collect();
        let step = |what: &str, i: usize| eprintln!("peers: round {}: {what}, {:?}", round + 1, PEERS[i]);
        for &i in &order {
            step("start/stop", i);
            let (start, stop) = lifecycle(PEERS[i], &tools, args.cycles, "serve").await?;
            figures[i].start_ms.push(start);
            figures[i].stop_ms.push(stop);
            if PEERS[i] == Peer::Bkg {
                let (start, stop) = lifecycle(PEERS[i], &tools, args.cycles, "serve-one-thread").await?;
                figures[i].start_light_ms.push(start);
                figures[i].stop_light_ms.push(stop);
            }
        }
        for &i in &order {
            step("idle", i);
            let (settle, over) = (Duration::from_secs(args.settle_secs), Duration::from_secs(args.idle_secs));
            let (cpu, wakeups, rss) = idle(PEERS[i], &tools, settle, over).await?;
            figures[i].idle_cpu_pct.push(cpu);
            figures[i].idle_wakeups.push(wakeups);
            figures[i].idle_rss_mb.push(rss);
        }
        for (mode_index, mode) in ["line", "block"].into_iter().enumerate() {
            eprintln!("peers: round {}: flood, {mode} mode, the writer alone", round + 1);
            ceiling[mode_index].push(args.lines as f64 / writer_alone(&tools, args.lines, mode).await?);
            for &i in &order {
                step(&format!("flood, {mode} mode"), i);
                let f = flood(PEERS[i], &tools, args.lines, mode).await?;
                let into = &mut figures[i].flood[mode_index];
                into.lines_per_sec.push(args.lines as f64 / f.secs);
                into.cpu_secs.push(f.cpu_secs);
                into.peak_rss_mb.push(f.peak_rss_mb);
                into.lost += f.lost;
                into.torn += f.torn;
            }
        }
    }
    let run_idle = machine_cpu().idle_share_since(&cpu0);
    print_table(&figures, &ceiling, &args);
    println!(
        "\nMachine: {} cores; idle share {:.1} % in the 2 s before the run (what else was running), {:.1} % over the whole run (the run itself included).",
        std::thread::available_parallelism().map(|n| n.get()).unwrap_or(0),
        background_idle * 100.0,
        run_idle * 100.0
    );
    Ok(())
}

fn print_table(f: &[Figures; 3], ceiling: &[Vec<f64>; 2], args: &Args) {
    let [bkg, sup, pm2] = f;
    println!(
        "| figure (median of {} rounds) | supervisord {SUPERVISOR_VERSION} | PM2 {PM2_VERSION} | bkg | bkg / supervisord | goal |",
        args.rounds
    );
    println!("|---|---|---|---|---|---|");
    for (mode_index, mode) in ["one write per line", "1 MiB blocks"].into_iter().enumerate() {
        let (b, s, p) = (&bkg.flood[mode_index], &sup.flood[mode_index], &pm2.flood[mode_index]);
        let rate = |v: &[f64]| format!("{:.2} M", median(v) / 1e6);
        println!(
            "| log flood, {} x {LINE_BYTES} B, {mode}: lines/s to disk | {} | {} | {} | {:.2}x | >= 1.2x |",
            args.lines,
            rate(&s.lines_per_sec),
            rate(&p.lines_per_sec),
            rate(&b.lines_per_sec),
            median(&b.lines_per_sec) / median(&s.lines_per_sec)
        );
        println!(
            "| the writer alone, {mode}: its pipe read by a bare loop, nothing kept (no tool can exceed it) | {} | | | | |",
            rate(&ceiling[mode_index])
        );
        let cost =
            |v: &FloodFigures| format!("{:.2} s / {:.1} MB", median(&v.cpu_secs), median(&v.peak_rss_mb));
        println!(
            "| daemon CPU / peak RSS per flood, {mode} | {} | {} | {} | {:.2}x / {:.2}x | <= 1x |",
            cost(s),
            cost(p),
            cost(b),
            median(&b.cpu_secs) / median(&s.cpu_secs),
            median(&b.peak_rss_mb) / median(&s.peak_rss_mb)
        );
        let loss = |v: &FloodFigures| format!("{} / {}", v.lost, v.torn);
        println!(
            "| lines lost / torn over all rounds, {mode} | {} | {} | {} | | 0 / 0 |",
            loss(s),
            loss(p),
            loss(b)
        );
    }
    let ms = |v: &[f64]| format!("{:.2} ms", median(v));
    println!(
        "| start -> running (bkg: handshake done), through the tool's API | {} | {} | {} | {:.2}x | <= 3 ms |",
        ms(&sup.start_ms),
        ms(&pm2.start_ms),
        ms(&bkg.start_ms),
        median(&bkg.start_ms) / median(&sup.start_ms)
    );
    println!(
        "| stop, through the tool's API | {} | {} | {} | {:.2}x | <= 1.2 ms |",
        ms(&sup.stop_ms),
        ms(&pm2.stop_ms),
        ms(&bkg.stop_ms),
        median(&bkg.stop_ms) / median(&sup.stop_ms)
    );
    println!(
        "| start -> running, bkg's plugin on one thread (`serve-one-thread`) | | | {} | {:.2}x | <= 3 ms |",
        ms(&bkg.start_light_ms),
        median(&bkg.start_light_ms) / median(&sup.start_ms)
    );
    println!(
        "| stop, bkg's plugin on one thread | | | {} | {:.2}x | <= 1.2 ms |",
        ms(&bkg.stop_light_ms),
        median(&bkg.stop_light_ms) / median(&sup.stop_ms)
    );
    let idle = |v: &Figures| {
        format!("{:.3} % of a core, {:.1} wake-ups/s", median(&v.idle_cpu_pct), median(&v.idle_wakeups))
    };
    println!(
        "| idle CPU, 6 children | {} | {} | {} | {:.2}x | <= 0.02 %, <= 1 wake-up/s |",
        idle(sup),
        idle(pm2),
        idle(bkg),
        median(&bkg.idle_cpu_pct) / median(&sup.idle_cpu_pct).max(f64::MIN_POSITIVE)
    );
    let mb = |v: &[f64]| format!("{:.1} MB", median(v));
    println!(
        "| idle RSS, 6 children | {} | {} | {} | {:.2}x | <= 16 MB |",
        mb(&sup.idle_rss_mb),
        mb(&pm2.idle_rss_mb),
        mb(&bkg.idle_rss_mb),
        median(&bkg.idle_rss_mb) / median(&sup.idle_rss_mb)
    );
    println!(
        "\nbkg / supervisord: above 1 is better for lines/s, below 1 is better for every other row. \
         PM2's figures are timed inside its Node.js client (its CLI adds about 200 ms of start-up)."
    );
}

// --- installing the peers ---------------------------------------------------------------------

fn install(cache: &Path) -> anyhow::Result<Tools> {
    let testplugin = bin("bkg-testplugin")?;
    let venv = cache.join(format!("supervisor-{SUPERVISOR_VERSION}"));
    let supervisord = venv.join("bin/supervisord");
    if !supervisord.is_file() {
        eprintln!("peers: installing supervisor {SUPERVISOR_VERSION} from PyPI into {}", venv.display());
        let _ = std::fs::remove_dir_all(&venv);
        run_step(Command::new("python3").args(["-m", "venv"]).arg(&venv), "python3 -m venv")?;
        run_step(
            Command::new(venv.join("bin/pip")).args([
                "install",
                "--quiet",
                "--disable-pip-version-check",
                &format!("supervisor=={SUPERVISOR_VERSION}"),
            ]),
            "pip install supervisor",
        )?;
    }
    let pm2_dir = cache.join(format!("pm2-{PM2_VERSION}"));
    if !pm2_dir.join("node_modules/pm2/package.json").is_file() {
        eprintln!("peers: installing pm2 {PM2_VERSION} from npm into {}", pm2_dir.display());
        std::fs::create_dir_all(&pm2_dir)?;
        run_step(
            Command::new("npm")
                .args(["install", "--no-audit", "--no-fund", "--silent", "--prefix"])
                .arg(&pm2_dir)
                .arg(format!("pm2@{PM2_VERSION}")),
            "npm install pm2",
        )?;
    }
    std::fs::write(pm2_dir.join("peers_pm2.js"), PM2_DRIVER)?;
    Ok(Tools { supervisord, pm2_dir, testplugin })
}

fn run_step(cmd: &mut Command, what: &str) -> anyhow::Result<()> {
    let out = cmd.stdin(Stdio::null()).output().with_context(|| format!("cannot run {what}"))?;
    if !out.status.success() {
        bail!("{what} failed ({}): {}", out.status, String::from_utf8_lossy(&out.stderr).trim());
    }
    Ok(())
}

// --- the three daemons ------------------------------------------------------------------------

/// A supervisord in the foreground (`nodaemon`), its programs defined but not started, driven
/// through XML-RPC on a loopback port as `supervisorctl` drives it.
struct Supervisord {
    child: Child,
    dir: tempfile::TempDir,
    testplugin: PathBuf,
    url: String,
    http: reqwest::Client,
}

impl Supervisord {
    /// `programs`: (name, arguments of bkg-testplugin).
    async fn start(tools: &Tools, programs: &[(&str, Vec<String>)]) -> anyhow::Result<Self> {
        let dir = tempfile::tempdir()?;
        let port = std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
        let d = dir.path().display();
        let mut conf = format!(
            "[supervisord]\nnodaemon=true\nlogfile={d}/supervisord.log\npidfile={d}/supervisord.pid\n\
             childlogdir={d}\nloglevel=warn\n\n[inet_http_server]\nport=127.0.0.1:{port}\n\n\
             [rpcinterface:supervisor]\nsupervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface\n"
        );
        for (name, argv) in programs {
            // As bkgd's plugins: no automatic start or restart, output in one file per child
            // with no rotation (rotation would drop lines before they are counted).
            conf.push_str(&format!(
                "\n[program:{name}]\ncommand={} {}\nautostart=false\nautorestart=false\nstartsecs=0\n\
                 redirect_stderr=true\nstdout_logfile={d}/{name}.log\nstdout_logfile_maxbytes=0\n\
                 stdout_logfile_backups=0\n",
                tools.testplugin.display(),
                argv.join(" ")
            ));
        }
        let conf_path = dir.path().join("supervisord.conf");
        std::fs::write(&conf_path, conf)?;
        let child = Command::new(&tools.supervisord)
            .arg("-c")
            .arg(&conf_path)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .context("cannot start supervisord")?;
        let s = Self {
            child,
            dir,
            testplugin: tools.testplugin.clone(),
            url: format!("http://127.0.0.1:{port}/RPC2"),
            http: reqwest::Client::new(),
        };
        let t = Instant::now();
        while s.rpc("supervisor.getState", &[]).await.is_err() {
            ensure!(t.elapsed() < Duration::from_secs(30), "supervisord did not answer within 30 s");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        Ok(s)
    }

    async fn rpc(&self, method: &str, params: &[&str]) -> anyhow::Result<String> {
        let params: String = params.iter().map(|p| format!("<param><value>{p}</value></param>")).collect();
        let body = format!(
            "<?xml version=\"1.0\"?><methodCall><methodName>{method}</methodName><params>{params}</params></methodCall>"
        );
        let text = self
            .http
            .post(&self.url)
            .header("content-type", "text/xml")
            .body(body)
            .send()
            .await?
            .error_for_status()?
            .text()
            .await?;
        ensure!(!text.contains("<fault>"), "supervisord {method}: {text}");
        Ok(text)
    }

    /// startProcess with `wait`: answers once the program is RUNNING.
    async fn start_program(&self, name: &str) -> anyhow::Result<()> {
        self.rpc("supervisor.startProcess", &[&format!("<string>{name}</string>"), "<boolean>1</boolean>"])
            .await?;
        Ok(())
    }

    /// Waits until the program's process runs the program: with `startsecs=0` supervisord
    /// answers the start right after fork, and a SIGTERM that lands before exec is taken by the
    /// forked Python (its handler only sets a flag), so the stop would wait out `stopwaitsecs`.
    /// bkgd answers a start after the plugin's handshake; this stops a running child in both.
    async fn wait_exec(&self, name: &str) -> anyhow::Result<()> {
        let info = self.rpc("supervisor.getProcessInfo", &[&format!("<string>{name}</string>")]).await?;
        let pid = info
            .split("<name>pid</name>")
            .nth(1)
            .and_then(|rest| rest.split("<int>").nth(1))
            .and_then(|rest| rest.split("</int>").next())
            .and_then(|pid| pid.trim().parse::<u32>().ok())
            .with_context(|| format!("no pid in supervisord's process info: {info}"))?;
        let t = Instant::now();
        while std::fs::read_link(format!("/proc/{pid}/exe")).ok().as_deref()
            != Some(self.testplugin.as_path())
        {
            ensure!(t.elapsed() < Duration::from_secs(10), "{name} (pid {pid}) did not exec within 10 s");
            tokio::task::yield_now().await;
        }
        Ok(())
    }

    async fn stop_program(&self, name: &str) -> anyhow::Result<()> {
        self.rpc("supervisor.stopProcess", &[&format!("<string>{name}</string>"), "<boolean>1</boolean>"])
            .await?;
        Ok(())
    }

    fn pid(&self) -> u32 {
        self.child.id()
    }

    fn log_file(&self, name: &str) -> PathBuf {
        self.dir.path().join(format!("{name}.log"))
    }
}

impl Drop for Supervisord {
    fn drop(&mut self) {
        let _ = Command::new("kill").arg("-TERM").arg(self.child.id().to_string()).status();
        let _ = self.child.wait();
    }
}

/// PM2's daemon (God) in its own PM2_HOME, driven by `peers_pm2.js`; killed when dropped.
struct Pm2 {
    home: tempfile::TempDir,
    dir: PathBuf,
}

impl Pm2 {
    fn new(tools: &Tools) -> anyhow::Result<Self> {
        Ok(Self { home: tempfile::tempdir()?, dir: tools.pm2_dir.clone() })
    }

    fn driver(&self) -> tokio::process::Command {
        let mut cmd = tokio::process::Command::new("node");
        cmd.arg(self.dir.join("peers_pm2.js"))
            .current_dir(&self.dir)
            .env("PM2_HOME", self.home.path())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true);
        cmd
    }

    async fn call(&self, args: &[String]) -> anyhow::Result<serde_json::Value> {
        let out = self.driver().args(args).output().await.context("cannot run node")?;
        ensure!(out.status.success(), "PM2 driver {args:?}: {}", String::from_utf8_lossy(&out.stderr).trim());
        let last = String::from_utf8_lossy(&out.stdout).lines().last().unwrap_or_default().to_string();
        serde_json::from_str(&last).with_context(|| format!("PM2 driver {args:?} printed {last:?}"))
    }

    /// Starts one app; the returned instant is when the driver was about to call PM2.
    async fn start_app(
        &self,
        name: &str,
        out: &Path,
        tools: &Tools,
        argv: &[String],
    ) -> anyhow::Result<Instant> {
        let mut args = vec!["start".to_string(), name.to_string(), out.display().to_string()];
        args.push(tools.testplugin.display().to_string());
        args.extend(argv.iter().cloned());
        let mut child = self.driver().args(&args).spawn().context("cannot run node")?;
        let mut lines = tokio::io::BufReader::new(child.stdout.take().context("no stdout")?).lines();
        let mut go = None;
        while let Some(line) = lines.next_line().await? {
            if line == "go" {
                go = Some(Instant::now());
            }
        }
        let out = child.wait_with_output().await?;
        ensure!(
            out.status.success(),
            "PM2 driver start {name}: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        );
        go.context("the PM2 driver never said go")
    }

    fn pid(&self) -> anyhow::Result<u32> {
        let text =
            std::fs::read_to_string(self.home.path().join("pm2.pid")).context("PM2 wrote no pm2.pid")?;
        text.trim().parse().context("pm2.pid")
    }
}

impl Drop for Pm2 {
    /// SIGTERM to the daemon, which stops its apps and exits (as `pm2 kill` ends it); waited for,
    /// so that the next measurement starts on a machine without it.
    fn drop(&mut self) {
        let Ok(pid) = self.pid() else { return };
        let _ = Command::new("kill").arg("-TERM").arg(pid.to_string()).status();
        let t = Instant::now();
        while Path::new(&format!("/proc/{pid}")).exists() && t.elapsed() < Duration::from_secs(10) {
            std::thread::sleep(Duration::from_millis(10));
        }
        if Path::new(&format!("/proc/{pid}")).exists() {
            let _ = Command::new("kill").arg("-KILL").arg(pid.to_string()).status();
        }
    }
}

// --- the measurements -------------------------------------------------------------------------

/// Medians of start -> running and stop, in ms; `bkg_mode` is the test plugin's mode bkgd runs
/// (the others run `bare-idle`, which speaks no protocol).
async fn lifecycle(peer: Peer, tools: &Tools, cycles: usize, bkg_mode: &str) -> anyhow::Result<(f64, f64)> {
    let (mut start, mut stop) = (Vec::new(), Vec::new());
    match peer {
        Peer::Bkg => {
            let d = Daemon::start(&[("p", vec![bkg_mode.into()])], &[]).await?;
            for _ in 0..cycles {
                let t = Instant::now();
                let s = d.client.start("p").await?;
                start.push(t.elapsed().as_secs_f64() * 1e3);
                ensure!(
                    s.status.status == bkg_core::plugin::PluginState::Running,
                    "start did not reach running"
                );
                let t = Instant::now();
                d.client.stop("p").await?;
                stop.push(t.elapsed().as_secs_f64() * 1e3);
            }
        }
        Peer::Supervisord => {
            let s = Supervisord::start(tools, &[("p", vec!["bare-idle".into()])]).await?;
            for _ in 0..cycles {
                let t = Instant::now();
                s.start_program("p").await?;
                start.push(t.elapsed().as_secs_f64() * 1e3);
                s.wait_exec("p").await?;
                let t = Instant::now();
                s.stop_program("p").await?;
                stop.push(t.elapsed().as_secs_f64() * 1e3);
            }
        }
        Peer::Pm2 => {
            let pm2 = Pm2::new(tools)?;
            let v = pm2
                .call(&["lifecycle".into(), tools.testplugin.display().to_string(), cycles.to_string()])
                .await?;
            let list = |k: &str| -> anyhow::Result<Vec<f64>> {
                v[k].as_array()
                    .context("PM2 driver: no list")?
                    .iter()
                    .map(|x| x.as_f64().context("PM2 driver: not a number"))
                    .collect()
            };
            start = list("start")?;
            stop = list("stop")?;
        }
    }
    Ok((median(&start), median(&stop)))
}

/// The daemon's CPU (% of a core), wake-ups per second and RSS (MB) with 6 idle children.
async fn idle(
    peer: Peer,
    tools: &Tools,
    settle: Duration,
    over: Duration,
) -> anyhow::Result<(f64, f64, f64)> {
    let names: Vec<String> = (1..=6).map(|i| format!("p{i}")).collect();
    // Each keeps what it must alive while the daemon is measured.
    let measure = async |pid: u32| {
        tokio::time::sleep(settle).await;
        let (cpu, switches, t) = (cpu_ns(pid), context_switches(pid), Instant::now());
        tokio::time::sleep(over).await;
        let secs = t.elapsed().as_secs_f64();
        (
            cpu_ns(pid).saturating_sub(cpu) as f64 / 1e9 / secs * 100.0,
            (context_switches(pid) - switches) as f64 / secs,
            status_kb(pid, "VmRSS") as f64 / 1024.0,
        )
    };
    Ok(match peer {
        Peer::Bkg => {
            let plugins: Vec<(&str, Vec<String>)> =
                names.iter().map(|n| (n.as_str(), vec!["serve".into()])).collect();
            let d = Daemon::start(&plugins, &[]).await?;
            for n in &names {
                d.client.start(n).await?;
            }
            measure(d.pid()).await
        }
        Peer::Supervisord => {
            let programs: Vec<(&str, Vec<String>)> =
                names.iter().map(|n| (n.as_str(), vec!["bare-idle".into()])).collect();
            let s = Supervisord::start(tools, &programs).await?;
            for n in &names {
                s.start_program(n).await?;
            }
            measure(s.pid()).await
        }
        Peer::Pm2 => {
            let pm2 = Pm2::new(tools)?;
            for n in &names {
                pm2.start_app(n, Path::new("/dev/null"), tools, &["bare-idle".into()]).await?;
            }
            measure(pm2.pid()?).await
        }
    })
}

struct FloodRun {
    secs: f64,
    cpu_secs: f64,
    peak_rss_mb: f64,
    lost: u64,
    torn: u64,
}

async fn flood(peer: Peer, tools: &Tools, lines: u64, mode: &str) -> anyhow::Result<FloodRun> {
    let argv: Vec<String> = vec!["bare-flood".into(), lines.to_string(), LINE_BYTES.to_string(), mode.into()];
    let done = format!("flood done {lines}");
    let limit = Duration::from_secs(600);
    // `_daemon` keeps supervisord or PM2 (and its folder) alive until the file is read.
    let (secs, cpu_secs, peak_rss_mb, file, _daemon) = match peer {
        Peer::Bkg => {
            let f = crate::supervisor::flood(lines, mode, false).await?;
            return Ok(FloodRun {
                secs: f.secs,
                cpu_secs: f.cpu_secs,
                peak_rss_mb: f.peak_rss_mb,
                lost: f.lost,
                torn: f.torn,
            });
        }
        Peer::Supervisord => {
            let s = Supervisord::start(tools, &[("flood", argv)]).await?;
            let (pid, file) = (s.pid(), s.log_file("flood"));
            reset_peak_rss(pid)?;
            let ticks = cpu_ticks(pid);
            let t = Instant::now();
            s.start_program("flood").await?;
            wait_for_line(&file, &done, limit).await?;
            let secs = t.elapsed().as_secs_f64();
            let cpu = (cpu_ticks(pid) - ticks) as f64 / TICKS_PER_SEC;
            let keep: Box<dyn std::any::Any> = Box::new(s);
            (secs, cpu, status_kb(pid, "VmHWM") as f64 / 1024.0, file, keep)
        }
        Peer::Pm2 => {
            let pm2 = Pm2::new(tools)?;
            // The daemon is up (and measured) before the flood: a first call starts it.
            pm2.start_app("idle", Path::new("/dev/null"), tools, &["bare-idle".into()]).await?;
            let pid = pm2.pid()?;
            let file = pm2.home.path().join("flood.log");
            reset_peak_rss(pid)?;
            let ticks = cpu_ticks(pid);
            let t = pm2.start_app("flood", &file, tools, &argv).await?;
            wait_for_line(&file, &done, limit).await?;
            let secs = t.elapsed().as_secs_f64();
            let cpu = (cpu_ticks(pid) - ticks) as f64 / TICKS_PER_SEC;
            let keep: Box<dyn std::any::Any> = Box::new(pm2);
            (secs, cpu, status_kb(pid, "VmHWM") as f64 / 1024.0, file, keep)
        }
    };
    let (lost, torn) = count_raw(&file, lines)?;
    Ok(FloodRun { secs, cpu_secs, peak_rss_mb, lost, torn })
}

/// Seconds the flood's writer takes when nothing but a bare read loop takes its output: the
/// ceiling of the lines/s of every tool on this machine. The loop reads up to 1 MiB and, after
/// a short read, waits a millisecond (with the pipe grown to 1 MiB, so the writer never
/// blocks): a reader that woke for every line would slow the writer down (each write to a pipe
/// with a waiting reader wakes it) and measure itself rather than the writer.
async fn writer_alone(tools: &Tools, lines: u64, mode: &str) -> anyhow::Result<f64> {
    let mut child = Command::new(&tools.testplugin)
        .args(["bare-flood", &lines.to_string(), &LINE_BYTES.to_string(), mode])
        .stdout(Stdio::piped())
        .spawn()
        .context("cannot start the test plugin")?;
    let mut out = child.stdout.take().context("stdout is piped")?;
    nix::fcntl::fcntl(&out, nix::fcntl::FcntlArg::F_SETPIPE_SZ(1 << 20)).context("growing the pipe")?;
    let t = Instant::now();
    let (mut left, mut buf) = (lines * LINE_BYTES as u64, vec![0u8; 1 << 20]);
    while left > 0 {
        let n = out.read(&mut buf)?;
        ensure!(n > 0, "the test plugin ended its flood early");
        left = left.saturating_sub(n as u64);
        if n < buf.len() / 2 {
            std::thread::sleep(Duration::from_millis(1));
        }
    }
    let secs = t.elapsed().as_secs_f64();
    // `bare-flood` sleeps once done.
    let _ = child.kill();
    let _ = child.wait();
    Ok(secs)
}

/// Lines lost and torn in a file of raw flood lines (`0000000000 xxx…`, 100 bytes each).
fn count_raw(file: &Path, lines: u64) -> anyhow::Result<(u64, u64)> {
    let text = std::fs::read(file)?;
    let (mut next, mut torn) = (0u64, 0u64);
    for line in text.split(|b| *b == b'\n') {
        if line.is_empty() || line.starts_with(b"flood done") {
            continue;
        }
        let seq =
            std::str::from_utf8(line.get(..10).unwrap_or_default()).ok().and_then(|s| s.parse::<u64>().ok());
        if line.len() != LINE_BYTES - 1 || seq != Some(next) {
            torn += 1;
        }
        next += 1;
    }
    Ok((lines.saturating_sub(next), torn))
}

/// Follows `file` as it grows until a line containing `marker` is in it; returns when it is.
/// Reads from where it stopped, so it costs the watched daemon nothing.
pub async fn wait_for_line(file: &Path, marker: &str, limit: Duration) -> anyhow::Result<()> {
    let t = Instant::now();
    let mut offset = 0u64;
    // The end of the previous read, so that a marker split across two reads is found.
    let mut tail: Vec<u8> = Vec::new();
    let mut buf = vec![0u8; 1 << 20];
    let finder = memchr::memmem::Finder::new(marker.as_bytes());
    loop {
        if let Ok(mut f) = std::fs::File::open(file) {
            f.seek(SeekFrom::Start(offset))?;
            loop {
                let n = f.read(&mut buf)?;
                if n == 0 {
                    break;
                }
                offset += n as u64;
                tail.extend_from_slice(&buf[..n]);
                // memmem (SIMD): the watcher shares the 2 cores with what it times, and its
                // cost must not grow with how many bytes a tool writes per line.
                if finder.find(&tail).is_some() {
                    return Ok(());
                }
                let keep = tail.len().saturating_sub(marker.len());
                tail.drain(..keep);
            }
        }
        if t.elapsed() > limit {
            bail!("{marker:?} did not reach {} within {} s", file.display(), limit.as_secs());
        }
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
}

// --- the machine ------------------------------------------------------------------------------

struct MachineCpu {
    idle: u64,
    total: u64,
}

fn machine_cpu() -> MachineCpu {
    let stat = std::fs::read_to_string("/proc/stat").unwrap_or_default();
    let fields: Vec<u64> = stat
        .lines()
        .next()
        .unwrap_or_default()
        .split_whitespace()
        .skip(1)
        .filter_map(|v| v.parse().ok())
        .collect();
    // user nice system idle iowait irq softirq steal: idle and iowait are idle.
    let idle = fields.get(3).copied().unwrap_or(0) + fields.get(4).copied().unwrap_or(0);
    MachineCpu { idle, total: fields.iter().take(8).sum() }
}

impl MachineCpu {
    fn idle_share_since(&self, before: &MachineCpu) -> f64 {
        let total = self.total.saturating_sub(before.total).max(1);
        self.idle.saturating_sub(before.idle) as f64 / total as f64
    }
}

async fn machine_idle_share(over: Duration) -> f64 {
    let before = machine_cpu();
    tokio::time::sleep(over).await;
    machine_cpu().idle_share_since(&before)
}
