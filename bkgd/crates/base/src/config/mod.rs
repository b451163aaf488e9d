//! The daemon's configuration: one struct, filled in layers: defaults, then a TOML file, then
//! `BKG_*` environment variables, then command-line flags.
//!
//! Loading has no side effects (no directories are created here; `lib::run` does that).
//! Environment variables name a key path with `__` between levels: `BKG_LOGS__RING_LINES=5000`
//! sets `[logs] ring_lines`. Unknown `BKG_*` variables are reported as warnings, because a typo
//! there would otherwise silently do nothing.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// Every setting of `bkgd`. See [`DEFAULT_TOML`] for the documented defaults.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Address the HTTP + WebSocket API listens on.
    pub listen: SocketAddr,
    /// Where the database file (SQLite), logs and secrets live.
    pub data_dir: PathBuf,
    /// Where downloaded models are cached.
    pub cache_dir: PathBuf,
    /// Folder of user plugin manifests (`*.toml` or `*/plugin.toml`).
    pub plugins_dir: PathBuf,
    /// `sqlite://...` or `postgres://...`; empty means `sqlite://<data_dir>/bkg.db`.
    pub database_url: String,
    /// Log filter of the daemon's own log (tracing `EnvFilter` syntax).
    pub log_level: String,
    /// `text` or `json`.
    pub log_format: LogFormat,
    pub http: HttpConfig,
    pub logs: LogsConfig,
    pub telemetry: TelemetryConfig,
    pub ws: WsConfig,
    pub supervisor: SupervisorConfig,
    pub auth: AuthConfig,
    pub models: ModelsConfig,
    pub openai: OpenAiConfig,
    pub analytics: AnalyticsConfig,
    pub cluster: ClusterConfig,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    Text,
    Json,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct HttpConfig {
    /// Largest accepted request body.
    pub body_limit_bytes: usize,
    /// Origins allowed by CORS (`*`: any, without credentials).
    pub cors_origins: Vec<String>,
    /// PEM certificate chain and key for HTTPS; both or neither.
    pub tls_cert_file: String,
    pub tls_key_file: String,
    /// Serve HTTPS with a self-signed certificate generated (once) in the data dir, for trying
    /// TLS out; clients must trust `<data_dir>/tls/self-signed.crt`.
    pub tls_self_signed: bool,
}

impl HttpConfig {
    pub fn tls_enabled(&self) -> bool {
        self.tls_self_signed || !self.tls_cert_file.is_empty()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum JwtAlgorithm {
    Hs256,
    Rs256,
}

#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AuthConfig {
    /// Lifetime of access tokens (JWT).
    pub access_ttl_secs: u64,
    /// Lifetime of refresh tokens; each use rotates them.
    pub refresh_ttl_secs: u64,
    /// A refresh token used again within this many seconds of its first use gets a fresh pair
    /// (two tabs refreshing at once); later reuse revokes its session. 0: no grace.
    pub refresh_reuse_grace_secs: u64,
    pub jwt_algorithm: JwtAlgorithm,
    /// HS256 secret, inline; prefer `jwt_secret_file`. Empty: a secret is generated on first
    /// start and kept (0600) in `<data_dir>/secrets/jwt-hs256.key`.
    pub jwt_secret: String,
    pub jwt_secret_file: String,
    /// RS256 PEM key pair.
    pub jwt_private_key_file: String,
    pub jwt_public_key_file: String,
    pub issuer: String,
    pub audience: String,
    /// Clock skew tolerated on `exp` and `nbf`.
    pub leeway_secs: u64,
    /// Requests per minute per client IP, over a sliding minute.
    pub requests_per_minute: u32,
    /// Failed logins per client IP within `login_failure_window_secs` before logins are refused.
    pub login_failures: u32,
    pub login_failure_window_secs: u64,
    /// Proxies whose `X-Forwarded-For` is believed (IPs or CIDRs); nobody else's is.
    pub trusted_proxies: Vec<String>,
    /// Name of the admin created on a fresh install.
    pub bootstrap_admin: String,
    /// Its initial password; else `BKG_BOOTSTRAP_ADMIN_PASSWORD(_FILE)`; else generated.
    pub bootstrap_admin_password: String,
}

impl Default for AuthConfig {
    fn default() -> Self {
        Self {
            access_ttl_secs: 900,
            refresh_ttl_secs: 30 * 86_400,
            refresh_reuse_grace_secs: 10,
            jwt_algorithm: JwtAlgorithm::Hs256,
            jwt_secret: String::new(),
            jwt_secret_file: String::new(),
            jwt_private_key_file: String::new(),
            jwt_public_key_file: String::new(),
            issuer: "bkgd".into(),
            audience: "bkg".into(),
            leeway_secs: 5,
            requests_per_minute: 600,
            login_failures: 10,
            login_failure_window_secs: 300,
            trusted_proxies: Vec::new(),
            bootstrap_admin: "admin".into(),
            bootstrap_admin_password: String::new(),
        }
    }
}

impl std::fmt::Debug for AuthConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AuthConfig")
            .field("access_ttl_secs", &self.access_ttl_secs)
            .field("refresh_ttl_secs", &self.refresh_ttl_secs)
            .field("refresh_reuse_grace_secs", &self.refresh_reuse_grace_secs)
            .field("jwt_algorithm", &self.jwt_algorithm)
            .field("jwt_secret", &if self.jwt_secret.is_empty() { "" } else { "***" })
            .field("jwt_secret_file", &self.jwt_secret_file)
            .field("jwt_private_key_file", &self.jwt_private_key_file)
            .field("jwt_public_key_file", &self.jwt_public_key_file)
            .field("issuer", &self.issuer)
            .field("audience", &self.audience)
            .field("leeway_secs", &self.leeway_secs)
            .field("requests_per_minute", &self.requests_per_minute)
            .field("login_failures", &self.login_failures)
            .field("login_failure_window_secs", &self.login_failure_window_secs)
            .field("trusted_proxies", &self.trusted_proxies)
            .field("bootstrap_admin", &self.bootstrap_admin)
            .field(
                "bootstrap_admin_password",
                &if self.bootstrap_admin_password.is_empty() { "" } else { "***" },
            )
            .finish()
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LogsConfig {
    /// Lines kept in memory per plugin for fast backfill.
    pub ring_lines: usize,
    /// A plugin's log file is rotated when it reaches this size.
    pub file_max_bytes: u64,
    /// Rotated files kept per plugin (`<id>.log.1` ... `<id>.log.N`).
    pub file_keep: u32,
    /// Longer lines are split; protects the daemon from a plugin writing without newlines.
    /// 256 B to 16 MiB.
    pub max_line_bytes: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TelemetryConfig {
    /// How often process trees are sampled.
    pub interval_ms: u64,
    /// Samples kept per plugin for sparklines.
    pub history: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct WsConfig {
    /// Largest message a client may send.
    pub max_message_bytes: usize,
    /// Events queued per connection before it starts missing events (it is told how many).
    pub queue_events: usize,
    /// Ping interval; a client that answers nothing within `pong_timeout_ms` is dropped.
    pub ping_interval_ms: u64,
    pub pong_timeout_ms: u64,
    /// Browser origins allowed to open the WebSocket besides the daemon's own (`*`: any).
    /// Clients that send no `Origin` (CLIs, scripts) are not affected.
    pub allowed_origins: Vec<String>,
}

#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ModelsConfig {
    /// Base URL of the Hugging Face hub (or a mirror); empty: `$HF_ENDPOINT`, else
    /// `https://huggingface.co`.
    pub hub_endpoint: String,
    /// Token for gated and private repos; empty: `$HF_TOKEN`.
    pub hub_token: String,
    /// Root of the hub-layout cache (`models--org--name/{blobs,snapshots,refs}`); empty:
    /// `<cache_dir>/hub`. Point it at `~/.cache/huggingface/hub` to share with Python tools.
    pub hub_cache: String,
    /// Models downloaded at the same time; more wait as `queued`.
    pub max_concurrent_downloads: usize,
    /// Attempts per file for errors that may pass (5xx, dropped connections).
    pub attempts: u32,
    /// A download with no byte for this long is abandoned (and retried).
    pub stall_timeout_secs: u64,
    /// Folders `POST /api/models/import` may read from (absolute); empty: import is off.
    pub import_roots: Vec<PathBuf>,
    /// At most this many files and bytes per import.
    pub import_max_files: usize,
    pub import_max_bytes: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct OpenAiConfig {
    /// The plugin whose `chat` and `embeddings` capabilities answer `/v1/chat/completions`
    /// and `/v1/embeddings`.
    pub plugin: String,
}

impl Default for OpenAiConfig {
    fn default() -> Self {
        Self { plugin: "llmserver".into() }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AnalyticsConfig {
    /// Days of hourly usage rollups kept.
    pub retention_days: u32,
    /// How long after the first count usage counted in memory is added to the rollups.
    pub flush_interval_ms: u64,
}

impl Default for AnalyticsConfig {
    fn default() -> Self {
        Self { retention_days: 90, flush_interval_ms: 10_000 }
    }
}

/// Several bkgd on one PostgreSQL database (ignored on SQLite, which has one node).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ClusterConfig {
    /// This node's name in `GET /api/nodes` and plugin lists; empty: the host name.
    pub node_name: String,
    /// The URL clients reach this node at; empty: derived from `listen` (the host name when
    /// listening on every address).
    pub advertise_url: String,
    /// How often the node writes its heartbeat; a node silent for three times this is `down`.
    pub heartbeat_ms: u64,
}

impl Default for ClusterConfig {
    fn default() -> Self {
        Self { node_name: String::new(), advertise_url: String::new(), heartbeat_ms: 5_000 }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SupervisorConfig {
    /// Also load the manifests of the plugins shipped with bkg.
    pub builtin_plugins: bool,
    /// Folders a plugin may use besides its own data folder, by plugin id (absolute paths).
    pub allowed_paths: BTreeMap<String, Vec<PathBuf>>,
}

impl Default for Config {
    fn default() -> Self {
        let dirs = directories::ProjectDirs::from("dev", "bkg", "bkg");
        let data_dir =
            dirs.as_ref().map(|d| d.data_dir().to_path_buf()).unwrap_or_else(|| PathBuf::from(".bkg"));
        let cache_dir =
            dirs.as_ref().map(|d| d.cache_dir().to_path_buf()).unwrap_or_else(|| PathBuf::from(".bkg/cache"));
        Self {
            listen: SocketAddr::from(([127, 0, 0, 1], 8420)),
            plugins_dir: data_dir.join("plugins"),
            data_dir,
            cache_dir,
            database_url: String::new(),
            log_level: "info".into(),
            log_format: LogFormat::Text,
            http: HttpConfig::default(),
            logs: LogsConfig::default(),
            telemetry: TelemetryConfig::default(),
            ws: WsConfig::default(),
            supervisor: SupervisorConfig::default(),
            auth: AuthConfig::default(),
            models: ModelsConfig::default(),
            openai: OpenAiConfig::default(),
            analytics: AnalyticsConfig::default(),
            cluster: ClusterConfig::default(),
        }
    }
}

impl Default for HttpConfig {
    fn default() -> Self {
        Self {
            body_limit_bytes: 2 * 1024 * 1024,
            cors_origins: vec!["*".into()],
            tls_cert_file: String::new(),
            tls_key_file: String::new(),
            tls_self_signed: false,
        }
    }
}

impl Default for LogsConfig {
    fn default() -> Self {
        Self { ring_lines: 10_000, file_max_bytes: 16 * 1024 * 1024, file_keep: 4, max_line_bytes: 64 * 1024 }
    }
}

impl Default for TelemetryConfig {
    fn default() -> Self {
        Self { interval_ms: 1000, history: 300 }
    }
}

impl Default for WsConfig {
    fn default() -> Self {
        Self {
            max_message_bytes: 64 * 1024,
            queue_events: 65_536,
            ping_interval_ms: 20_000,
            pong_timeout_ms: 20_000,
            allowed_origins: Vec::new(),
        }
    }
}

impl Default for ModelsConfig {
    fn default() -> Self {
        Self {
            hub_endpoint: String::new(),
            hub_token: String::new(),
            hub_cache: String::new(),
            max_concurrent_downloads: 2,
            attempts: 4,
            stall_timeout_secs: 60,
            import_roots: Vec::new(),
            import_max_files: 10_000,
            import_max_bytes: 64 << 30,
        }
    }
}

// The hub token is a secret; Debug shows whether it is set, never its value.
impl std::fmt::Debug for ModelsConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ModelsConfig")
            .field("hub_endpoint", &self.hub_endpoint)
            .field("hub_token", &if self.hub_token.is_empty() { "" } else { "***" })
            .field("hub_cache", &self.hub_cache)
            .field("max_concurrent_downloads", &self.max_concurrent_downloads)
            .field("attempts", &self.attempts)
            .field("stall_timeout_secs", &self.stall_timeout_secs)
            .field("import_roots", &self.import_roots)
            .field("import_max_files", &self.import_max_files)
            .field("import_max_bytes", &self.import_max_bytes)
            .finish()
    }
}

impl Default for SupervisorConfig {
    fn default() -> Self {
        Self { builtin_plugins: true, allowed_paths: BTreeMap::new() }
    }
}

// Secrets may live in the database URL; Debug shows it redacted.
impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("listen", &self.listen)
            .field("data_dir", &self.data_dir)
            .field("cache_dir", &self.cache_dir)
            .field("plugins_dir", &self.plugins_dir)
            .field("database_url", &redact_url(&self.database_url))
            .field("log_level", &self.log_level)
            .field("log_format", &self.log_format)
            .field("http", &self.http)
            .field("logs", &self.logs)
            .field("telemetry", &self.telemetry)
            .field("ws", &self.ws)
            .field("supervisor", &self.supervisor)
            .field("auth", &self.auth)
            .field("models", &self.models)
            .field("openai", &self.openai)
            .field("analytics", &self.analytics)
            .finish()
    }
}

/// Replaces the password of a URL with `***`.
pub fn redact_url(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut u) if u.password().is_some() => {
            let _ = u.set_password(Some("***"));
            u.to_string()
        }
        _ => url.to_string(),
    }
}

impl Config {
    /// A copy with every secret replaced by `***` (empty ones stay empty, so it shows whether
    /// a secret is set): what `bkgd config show` and `GET /admin/config` show.
    pub fn redacted(&self) -> Config {
        let hide = |s: &str| if s.is_empty() { String::new() } else { "***".to_string() };
        let mut c = self.clone();
        c.database_url = redact_url(&c.database_url);
        c.auth.jwt_secret = hide(&c.auth.jwt_secret);
        c.auth.bootstrap_admin_password = hide(&c.auth.bootstrap_admin_password);
        c.models.hub_token = hide(&c.models.hub_token);
        c
    }

    /// The database URL, defaulting to a SQLite file in the data dir.
    pub fn effective_database_url(&self) -> String {
        if self.database_url.is_empty() {
            format!("sqlite://{}", self.data_dir.join("bkg.db").display())
        } else {
            self.database_url.clone()
        }
    }

    /// A config with every directory under `root`, for tests and throwaway daemons.
    pub fn for_dir(root: &Path) -> Self {
        Self {
            listen: SocketAddr::from(([127, 0, 0, 1], 0)),
            data_dir: root.join("data"),
            cache_dir: root.join("cache"),
            plugins_dir: root.join("plugins"),
            ..Self::default()
        }
    }
}

/// The documented example printed by `bkgd config default`. A test checks that it parses to
/// exactly the defaults (apart from the per-user directories), so it cannot drift.
pub const DEFAULT_TOML: &str = include_str!("default.toml");

pub mod cidr;
mod load;

pub use load::{ConfigError, DEFAULT_HUB, Loaded, Sources, load};
