//! The `bkgd` binary: parses flags, loads the layered config, sets up logging and signals, and
//! hands over to `bkgd::run`.

use std::path::PathBuf;

use anyhow::Context;
use bkgd::config::{self, LogFormat, Sources};
use clap::{Parser, Subcommand};

/// `bkgd --version`: the release and the commit it was built from.
const VERSION: &str = concat!(env!("CARGO_PKG_VERSION"), " (commit ", env!("BKG_COMMIT"), ")");

/// bkgd: the bkg daemon. Supervises ML plugins and serves the REST + WebSocket API that
/// bkgctl, bkg-tui and the admin UI use.
#[derive(Debug, Parser)]
#[command(name = "bkgd", version = VERSION, about, long_about = None, after_help = "\
Configuration is read from defaults, then the file given by --config (or BKG_CONFIG), then BKG_*
environment variables, then these flags. `bkgd config default` prints a documented example.")]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    /// TOML config file.
    #[arg(long, short = 'c', env = "BKG_CONFIG", global = true)]
    config: Option<PathBuf>,
    /// Address to listen on, e.g. 127.0.0.1:8420.
    #[arg(long, global = true)]
    listen: Option<String>,
    /// Data directory (database, logs, secrets).
    #[arg(long, global = true)]
    data_dir: Option<PathBuf>,
    /// Model cache directory.
    #[arg(long, global = true)]
    cache_dir: Option<PathBuf>,
    /// Folder of user plugin manifests.
    #[arg(long, global = true)]
    plugins_dir: Option<PathBuf>,
    /// sqlite://path or postgres://user@host/db (default: SQLite in the data dir).
    #[arg(long, global = true)]
    database_url: Option<String>,
    /// Filter of the daemon's own log, e.g. info or bkgd=debug.
    #[arg(long, global = true)]
    log_level: Option<String>,
    /// Format of the daemon's own log.
    #[arg(long, global = true, value_parser = ["text", "json"])]
    log_format: Option<String>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the daemon (the default).
    Serve,
    /// Inspect the configuration.
    #[command(subcommand)]
    Config(ConfigCommand),
    /// Print the OpenAPI document of the API (what `/api/openapi.json` serves).
    Openapi,
    /// Exit 0 when the bkgd this configuration describes answers `/readyz` with 200, 1
    /// otherwise (a container's HEALTHCHECK: the image has no curl).
    Healthcheck,
}

#[derive(Debug, Subcommand)]
enum ConfigCommand {
    /// Print a documented example config with every default.
    Default,
    /// Print the effective configuration after all layers (secrets redacted).
    Show,
}

fn flags(cli: &Cli) -> Vec<(String, toml::Value)> {
    let mut out = Vec::new();
    let mut put = |k: &str, v: Option<String>| {
        if let Some(v) = v {
            out.push((k.to_string(), toml::Value::String(v)));
        }
    };
    put("listen", cli.listen.clone());
    put("data_dir", cli.data_dir.as_ref().map(|p| p.display().to_string()));
    put("cache_dir", cli.cache_dir.as_ref().map(|p| p.display().to_string()));
    put("plugins_dir", cli.plugins_dir.as_ref().map(|p| p.display().to_string()));
    put("database_url", cli.database_url.clone());
    put("log_level", cli.log_level.clone());
    put("log_format", cli.log_format.clone());
    out
}

/// Keeps glibc's malloc from holding on to big freed blocks. Its mmap threshold grows to the
/// size of the largest block freed (up to 32 MiB), so after the first login argon2's 19 MiB
/// work area came from the heap and stayed resident: an idle daemon sat at twice its size.
/// A fixed threshold sends every block of 1 MiB or more to mmap, and back to the kernel on free.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[allow(unsafe_code)]
fn tune_allocator() {
    // SAFETY: mallopt only sets malloc parameters; it is called once, before any other thread.
    unsafe {
        nix::libc::mallopt(nix::libc::M_MMAP_THRESHOLD, 1 << 20);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn tune_allocator() {}

#[allow(unsafe_code)]
fn main() -> std::process::ExitCode {
    tune_allocator();
    // SAFETY: the process has one thread yet (the async runtime starts below).
    unsafe { bkgd::notify::from_env() };
    // One TLS crypto provider for the whole process (rustls would otherwise pick at run time).
    let _ = rustls::crypto::aws_lc_rs::default_provider().install_default();
    let cli = Cli::parse();
    if let Some(Command::Openapi) = cli.command {
        match bkgd::api::openapi_document().to_pretty_json() {
            Ok(json) => println!("{json}"),
            Err(e) => {
                eprintln!("bkgd: {e}");
                return std::process::ExitCode::FAILURE;
            }
        }
        return std::process::ExitCode::SUCCESS;
    }
    if let Some(Command::Config(ConfigCommand::Default)) = cli.command {
        print!("{}", config::DEFAULT_TOML);
        return std::process::ExitCode::SUCCESS;
    }
    let sources = Sources { file: cli.config.clone(), env: std::env::vars().collect(), flags: flags(&cli) };
    let loaded = match config::load(&sources) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("bkgd: {e}");
            return std::process::ExitCode::from(2);
        }
    };
    if let Some(Command::Config(ConfigCommand::Show)) = cli.command {
        for w in &loaded.warnings {
            eprintln!("bkgd: warning: {w}");
        }
        match toml::to_string_pretty(&loaded.config.redacted()) {
            Ok(t) => print!("{t}"),
            Err(e) => eprintln!("bkgd: {e}"),
        }
        return std::process::ExitCode::SUCCESS;
    }
    if let Some(Command::Healthcheck) = cli.command {
        return healthcheck(&loaded.config);
    }
    init_logging(&loaded.config.log_level, loaded.config.log_format);
    for w in &loaded.warnings {
        tracing::warn!("{w}");
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        // Longer than the idle telemetry period (30 s): the blocking thread that samples is
        // reused rather than ended and started again at every sample.
        .thread_keep_alive(std::time::Duration::from_secs(60))
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("bkgd: cannot start the async runtime: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    match runtime.block_on(serve(loaded.config)) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!("{e:#}");
            eprintln!("bkgd: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn serve(config: config::Config) -> anyhow::Result<()> {
    let listener = tokio::net::TcpListener::bind(config.listen).await.with_context(|| {
        format!("cannot listen on {} (is another bkgd running? try --listen)", config.listen)
    })?;
    if !config.listen.ip().is_loopback() && !config.http.tls_enabled() {
        tracing::warn!(listen = %config.listen, "listening on a non-loopback address without TLS: tokens and keys travel in clear text");
    }
    bkgd::run(config, listener, shutdown_signal()).await
}

/// Asks the daemon on `config.listen` for `/readyz`; a wildcard address is asked on the loopback
/// address of its family. Over TLS the certificate is not checked: the probe sends no secret,
/// reads only the status, and a certificate for the server's public name would not match
/// 127.0.0.1 anyway.
fn healthcheck(config: &config::Config) -> std::process::ExitCode {
    use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
    let mut addr = config.listen;
    if addr.ip().is_unspecified() {
        addr.set_ip(if addr.is_ipv4() {
            IpAddr::V4(Ipv4Addr::LOCALHOST)
        } else {
            IpAddr::V6(Ipv6Addr::LOCALHOST)
        });
    }
    let scheme = if config.http.tls_enabled() { "https" } else { "http" };
    let url = format!("{scheme}://{addr}/readyz");
    let probe = async {
        let client = reqwest::Client::builder()
            .timeout(std::time::Duration::from_secs(5))
            .tls_danger_accept_invalid_certs(true)
            .build()?;
        let answer = client.get(&url).send().await?;
        let status = answer.status();
        Ok::<_, reqwest::Error>((status, answer.text().await.unwrap_or_default()))
    };
    let answer = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
        Ok(rt) => rt.block_on(probe),
        Err(e) => {
            eprintln!("bkgd healthcheck: cannot start the async runtime: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    match answer {
        Ok((status, _)) if status == reqwest::StatusCode::OK => std::process::ExitCode::SUCCESS,
        Ok((status, body)) => {
            eprintln!("bkgd healthcheck: {url} answered {status}: {body}");
            std::process::ExitCode::FAILURE
        }
        Err(e) => {
            eprintln!("bkgd healthcheck: cannot reach {url}: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn shutdown_signal() {
    use tokio::signal::unix::{SignalKind, signal};
    let (Ok(mut term), Ok(mut int)) = (signal(SignalKind::terminate()), signal(SignalKind::interrupt()))
    else {
        std::future::pending::<()>().await;
        return;
    };
    tokio::select! {
        _ = term.recv() => {}
        _ = int.recv() => {}
    }
}

fn init_logging(level: &str, format: LogFormat) {
    let filter = tracing_subscriber::EnvFilter::try_new(level).unwrap_or_else(|e| {
        eprintln!("bkgd: log_level {level:?} is not a valid filter ({e}); using info");
        tracing_subscriber::EnvFilter::new("info")
    });
    // Colour only on a terminal: a file, a pipe or the journal gets plain text.
    let ansi = std::io::IsTerminal::is_terminal(&std::io::stderr());
    let builder =
        tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).with_ansi(ansi);
    match format {
        LogFormat::Json => builder.json().init(),
        LogFormat::Text => builder.init(),
    }
}
