//! The daemon's configuration: one struct, filled in layers: defaults, then a TOML file, then
//! `BKG_*` environment variables, then command-line flags.
//!
//! Loading has no side effects (no directories are created here; `lib::run` does that).
//! Environment variables name a key path with `__` between levels: `BKG_LOGS__RING_LINES=5000`
//! sets `[logs] ring_lines`. Unknown `BKG_*` variables are reported as warnings, because a typo
//! there would otherwise silently do nothing.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::{Component, Path, PathBuf};

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
    /// How often usage counted in memory is added to the rollups in the database.
    pub flush_interval_ms: u64,
}

impl Default for AnalyticsConfig {
    fn default() -> Self {
        Self { retention_days: 90, flush_interval_ms: 10_000 }
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

/// Why a configuration could not be loaded; every message says how to fix it.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read config file {path}: {source}")]
    Read { path: PathBuf, source: std::io::Error },
    #[error(
        "config file {path} is not valid: {message}\n  (`bkgd config default` prints a documented example)"
    )]
    File { path: PathBuf, message: String },
    #[error("environment variable {var}={value:?} is not valid: {message}")]
    Env { var: String, value: String, message: String },
    #[error("invalid configuration: {0}\n  (`bkgd config default` prints a documented example)")]
    Invalid(String),
}

/// The layers above the defaults, as the binary collects them.
#[derive(Debug, Default)]
pub struct Sources {
    pub file: Option<PathBuf>,
    /// `(name, value)` of the process environment.
    pub env: Vec<(String, String)>,
    /// Flags given on the command line, as TOML key paths and values.
    pub flags: Vec<(String, toml::Value)>,
}

/// The loaded config plus warnings to log once logging is up.
#[derive(Debug)]
pub struct Loaded {
    pub config: Config,
    pub warnings: Vec<String>,
}

/// Builds the config from the layers.
pub fn load(sources: &Sources) -> Result<Loaded, ConfigError> {
    let mut warnings = Vec::new();
    let mut table = toml::Value::try_from(Config::default())
        .map_err(|e| ConfigError::Invalid(format!("defaults do not serialize: {e}")))?;

    if let Some(path) = &sources.file {
        let text = std::fs::read_to_string(path)
            .map_err(|source| ConfigError::Read { path: path.clone(), source })?;
        let file: toml::Value = toml::from_str(&text)
            .map_err(|e| ConfigError::File { path: path.clone(), message: e.to_string() })?;
        merge(&mut table, file);
        // Validate the file on its own so its errors name the file.
        check(&table).map_err(|message| ConfigError::File { path: path.clone(), message })?;
    }

    let known = key_paths(&table);
    for (var, value) in &sources.env {
        let Some(rest) = var.strip_prefix("BKG_") else { continue };
        let path = rest.to_ascii_lowercase().replace("__", ".");
        let map_entry = MAP_KEYS.iter().any(|m| {
            path.strip_prefix(m)
                .and_then(|r| r.strip_prefix('.'))
                .is_some_and(|k| !k.is_empty() && !k.contains('.'))
        });
        if !known.contains(&path) && !map_entry {
            if !ENV_NOT_CONFIG.contains(&var.as_str()) {
                warnings
                    .push(format!("ignoring unknown environment variable {var} (no config key `{path}`)"));
            }
            continue;
        }
        let env_error =
            |message: String| ConfigError::Env { var: var.clone(), value: value.clone(), message };
        let parsed = if map_entry { parse_list(value) } else { parse_env_value(&table, &path, value) }
            .map_err(env_error)?;
        set_path(&mut table, &path, parsed);
        check(&table).map_err(|message| ConfigError::Env {
            var: var.clone(),
            value: value.clone(),
            message,
        })?;
    }

    for (path, value) in &sources.flags {
        set_path(&mut table, path, value.clone());
    }
    let config: Config =
        table.try_into().map_err(|e: toml::de::Error| ConfigError::Invalid(e.to_string()))?;
    validate(&config)?;
    Ok(Loaded { config, warnings })
}

/// Tables whose keys are names the operator chooses (plugin ids), each holding a list; their
/// entries can be set from the environment too (`BKG_SUPERVISOR__ALLOWED_PATHS__BRAINML`).
const MAP_KEYS: &[&str] = &["supervisor.allowed_paths"];

/// `BKG_*` variables that other parts of bkg read and that are not config keys.
const ENV_NOT_CONFIG: &[&str] = &[
    "BKG_URL",
    "BKG_TOKEN",
    "BKG_CONTEXT",
    "BKG_CA_CERT",
    "BKG_TEST_DATABASE_URL",
    "BKG_CONFIG",
    "BKG_TEST_MODELS",
    "BKG_BOOTSTRAP_ADMIN_PASSWORD",
    "BKG_BOOTSTRAP_ADMIN_PASSWORD_FILE",
    "BKG_PLUGIN_ID",
    "BKG_PLUGIN_RUN",
    "BKG_PLUGIN_DATA_DIR",
    "BKG_SCHEMATHESIS_VENV",
    "BKG_SCHEMATHESIS_EXAMPLES",
];

fn check(table: &toml::Value) -> Result<(), String> {
    table.clone().try_into::<Config>().map(|_| ()).map_err(|e| e.to_string())
}

fn validate(c: &Config) -> Result<(), ConfigError> {
    let bad = |m: &str| Err(ConfigError::Invalid(m.to_string()));
    if c.telemetry.interval_ms < 50 {
        return bad("telemetry.interval_ms must be at least 50");
    }
    if c.logs.ring_lines == 0 || c.logs.max_line_bytes < 256 {
        return bad("logs.ring_lines must be > 0 and logs.max_line_bytes >= 256");
    }
    if c.ws.queue_events == 0 || c.ws.max_message_bytes < 1024 {
        return bad("ws.queue_events must be > 0 and ws.max_message_bytes >= 1024");
    }
    if c.http.tls_cert_file.is_empty() != c.http.tls_key_file.is_empty() {
        return bad("http.tls_cert_file and http.tls_key_file go together: set both or neither");
    }
    if c.auth.jwt_algorithm == JwtAlgorithm::Rs256
        && (c.auth.jwt_private_key_file.is_empty() || c.auth.jwt_public_key_file.is_empty())
    {
        return bad(
            "auth.jwt_algorithm = \"rs256\" needs auth.jwt_private_key_file and auth.jwt_public_key_file",
        );
    }
    if c.auth.access_ttl_secs == 0 || c.auth.refresh_ttl_secs < c.auth.access_ttl_secs {
        return bad("auth.access_ttl_secs must be > 0 and auth.refresh_ttl_secs >= it");
    }
    if c.auth.requests_per_minute == 0 || c.auth.login_failures == 0 {
        return bad("auth.requests_per_minute and auth.login_failures must be > 0");
    }
    if c.analytics.retention_days == 0 || c.analytics.flush_interval_ms < 100 {
        return bad("analytics.retention_days must be > 0 and analytics.flush_interval_ms >= 100");
    }
    if c.models.max_concurrent_downloads == 0 || c.models.attempts == 0 || c.models.stall_timeout_secs == 0 {
        return bad(
            "models.max_concurrent_downloads, models.attempts and models.stall_timeout_secs must be > 0",
        );
    }
    if !c.models.hub_endpoint.is_empty() && url::Url::parse(&c.models.hub_endpoint).is_err() {
        return bad("models.hub_endpoint must be a URL such as https://huggingface.co");
    }
    if let Some(p) = c.auth.trusted_proxies.iter().find(|p| crate::auth::ip::parse_cidr(p).is_none()) {
        return Err(ConfigError::Invalid(format!(
            "auth.trusted_proxies: {p:?} is not an IP address or CIDR"
        )));
    }
    for (key, origins) in
        [("http.cors_origins", &c.http.cors_origins), ("ws.allowed_origins", &c.ws.allowed_origins)]
    {
        if let Some(o) = origins.iter().find(|o| !is_origin(o)) {
            return Err(ConfigError::Invalid(format!(
                "{key}: {o:?} is not an origin such as https://app.example.com:8443 (scheme, host and port only), or \"*\""
            )));
        }
    }
    for root in &c.models.import_roots {
        plain_absolute(root).map_err(|m| ConfigError::Invalid(format!("models.import_roots: {m}")))?;
    }
    if c.models.import_max_files == 0 || c.models.import_max_bytes == 0 {
        return bad("models.import_max_files and models.import_max_bytes must be > 0");
    }
    for (id, paths) in &c.supervisor.allowed_paths {
        for p in paths {
            plain_absolute(p)
                .map_err(|m| ConfigError::Invalid(format!("supervisor.allowed_paths.{id}: {m}")))?;
            if c.data_dir.starts_with(p) || p.starts_with(&c.data_dir) {
                return Err(ConfigError::Invalid(format!(
                    "supervisor.allowed_paths.{id}: {} overlaps the data dir {}, which holds the daemon's secrets; each plugin already has its own folder there (plugin-data/{id})",
                    p.display(),
                    c.data_dir.display()
                )));
            }
        }
    }
    let known_scheme =
        ["sqlite:", "postgres://", "postgresql://"].iter().any(|p| c.database_url.starts_with(p));
    if !c.database_url.is_empty() && !known_scheme {
        return bad("database_url must start with sqlite:, postgres:// or postgresql://");
    }
    Ok(())
}

/// Environment values are strings; read them as the type the key already has. A value of the
/// wrong type stays a string, so the type check that follows names the variable.
fn parse_env_value(table: &toml::Value, path: &str, value: &str) -> Result<toml::Value, String> {
    let current = path.split('.').try_fold(table, |t, k| t.get(k));
    Ok(match current {
        Some(toml::Value::Integer(_)) => {
            value.parse().map(toml::Value::Integer).unwrap_or_else(|_| value.into())
        }
        Some(toml::Value::Float(_)) => value.parse().map(toml::Value::Float).unwrap_or_else(|_| value.into()),
        Some(toml::Value::Array(_)) => return parse_list(value),
        Some(toml::Value::Boolean(_)) => match value.to_ascii_lowercase().as_str() {
            "1" | "true" | "yes" | "on" => toml::Value::Boolean(true),
            "0" | "false" | "no" | "off" => toml::Value::Boolean(false),
            _ => value.into(),
        },
        _ => value.into(),
    })
}

/// Every list-valued variable reads the same way: a TOML or JSON array (`["a", "b"]`), or
/// comma-separated items (`a, b`); empty items are dropped.
fn parse_list(value: &str) -> Result<toml::Value, String> {
    let v = value.trim();
    if v.starts_with('[') {
        let table: toml::Table = toml::from_str(&format!("list = {v}"))
            .map_err(|e| format!("starts like a list but is not one ({})", e.message()))?;
        return table.get("list").cloned().ok_or_else(|| "not a list".to_string());
    }
    Ok(toml::Value::Array(
        v.split(',')
            .map(str::trim)
            .filter(|i| !i.is_empty())
            .map(|i| toml::Value::String(i.into()))
            .collect(),
    ))
}

/// `*`, or an origin exactly as browsers send it: scheme, host and optional port.
fn is_origin(s: &str) -> bool {
    s == "*"
        || url::Url::parse(s).is_ok_and(|u| {
            matches!(u.scheme(), "http" | "https")
                && u.origin().ascii_serialization() == s.trim_end_matches('/')
        })
}

/// An absolute path without `.` or `..` components, so a prefix check on it means what it says.
fn plain_absolute(p: &Path) -> Result<(), String> {
    if !p.is_absolute() {
        return Err(format!("{} must be an absolute path", p.display()));
    }
    if p.components().any(|c| matches!(c, Component::ParentDir | Component::CurDir)) {
        return Err(format!("{} must not contain . or .. components", p.display()));
    }
    Ok(())
}

fn merge(base: &mut toml::Value, over: toml::Value) {
    match (base, over) {
        (toml::Value::Table(b), toml::Value::Table(o)) => {
            for (k, v) in o {
                match b.get_mut(&k) {
                    Some(slot) => merge(slot, v),
                    None => {
                        b.insert(k, v);
                    }
                }
            }
        }
        (slot, v) => *slot = v,
    }
}

fn set_path(table: &mut toml::Value, path: &str, value: toml::Value) {
    let mut cur = table;
    let mut parts = path.split('.').peekable();
    while let Some(part) = parts.next() {
        let Some(t) = cur.as_table_mut() else { return };
        if parts.peek().is_none() {
            t.insert(part.to_string(), value);
            return;
        }
        cur = t.entry(part.to_string()).or_insert_with(|| toml::Value::Table(Default::default()));
    }
}

fn key_paths(table: &toml::Value) -> Vec<String> {
    fn walk(prefix: &str, v: &toml::Value, out: &mut Vec<String>) {
        if let toml::Value::Table(t) = v {
            for (k, v) in t {
                let p = if prefix.is_empty() { k.clone() } else { format!("{prefix}.{k}") };
                if v.is_table() {
                    walk(&p, v, out);
                } else {
                    out.push(p);
                }
            }
        }
    }
    let mut out = Vec::new();
    walk("", table, &mut out);
    // Keys whose default is empty still exist.
    out.push("database_url".into());
    out
}

/// The documented example printed by `bkgd config default`. A test checks that it parses to
/// exactly the defaults (apart from the per-user directories), so it cannot drift.
pub const DEFAULT_TOML: &str = include_str!("config/default.toml");

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn default_toml_is_the_defaults() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bkgd.toml");
        std::fs::write(&path, DEFAULT_TOML).unwrap();
        let loaded = load(&Sources { file: Some(path), ..Default::default() }).unwrap();
        assert_eq!(loaded.config, Config::default());
        assert!(loaded.warnings.is_empty());
    }

    #[test]
    fn layers_apply_in_order() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bkgd.toml");
        std::fs::write(&path, "listen = \"127.0.0.1:9000\"\n[logs]\nring_lines = 5\n").unwrap();
        let loaded = load(&Sources {
            file: Some(path),
            env: env(&[("BKG_LOGS__RING_LINES", "7"), ("BKG_LISTEN", "127.0.0.1:9001"), ("PATH", "/bin")]),
            flags: vec![("listen".into(), toml::Value::String("127.0.0.1:9002".into()))],
        })
        .unwrap();
        assert_eq!(loaded.config.logs.ring_lines, 7);
        assert_eq!(loaded.config.listen.port(), 9002);
    }

    #[test]
    fn unknown_env_warns_and_bad_values_explain() {
        let loaded =
            load(&Sources { env: env(&[("BKG_LISTN", "x"), ("BKG_URL", "y")]), ..Default::default() })
                .unwrap();
        assert_eq!(loaded.warnings.len(), 1);
        assert!(loaded.warnings[0].contains("BKG_LISTN"));

        let err = load(&Sources { env: env(&[("BKG_LOGS__RING_LINES", "many")]), ..Default::default() })
            .unwrap_err();
        assert!(err.to_string().contains("BKG_LOGS__RING_LINES"), "{err}");
    }

    #[test]
    fn auth_and_tls_settings_are_checked() {
        let bad = |k: &str, v: &str| load(&Sources { env: env(&[(k, v)]), ..Default::default() }).is_err();
        assert!(bad("BKG_HTTP__TLS_CERT_FILE", "/c.pem"), "a certificate without a key");
        assert!(bad("BKG_AUTH__JWT_ALGORITHM", "rs256"), "RS256 without keys");
        assert!(bad("BKG_AUTH__TRUSTED_PROXIES", "10.0.0.0/8,not-an-ip"));
        assert!(bad("BKG_AUTH__REQUESTS_PER_MINUTE", "0"));
        let ok = load(&Sources {
            env: env(&[("BKG_AUTH__TRUSTED_PROXIES", "10.0.0.0/8, ::1")]),
            ..Default::default()
        })
        .unwrap();
        assert_eq!(ok.config.auth.trusted_proxies, ["10.0.0.0/8", "::1"]);
        let quiet =
            load(&Sources { env: env(&[("BKG_BOOTSTRAP_ADMIN_PASSWORD", "x")]), ..Default::default() })
                .unwrap();
        assert!(quiet.warnings.is_empty(), "documented variables that are not config keys do not warn");
    }

    #[test]
    fn list_variables_parse_one_way_and_are_validated() {
        let with = |pairs: &[(&str, &str)]| load(&Sources { env: env(pairs), ..Default::default() });
        let two = ["http://a.example", "https://b.example:8443"];
        for form in
            [r#"["http://a.example", "https://b.example:8443"]"#, "http://a.example, https://b.example:8443"]
        {
            assert_eq!(with(&[("BKG_HTTP__CORS_ORIGINS", form)]).unwrap().config.http.cors_origins, two);
            assert_eq!(with(&[("BKG_WS__ALLOWED_ORIGINS", form)]).unwrap().config.ws.allowed_origins, two);
        }
        for bad in [r#"["http://a.example""#, "http://a.example/path", "a.example", "ftp://a.example"] {
            let err = with(&[("BKG_HTTP__CORS_ORIGINS", bad)]).unwrap_err().to_string();
            assert!(
                err.contains("BKG_HTTP__CORS_ORIGINS") || err.contains("http.cors_origins"),
                "{bad}: {err}"
            );
        }

        let loaded = with(&[("BKG_SUPERVISOR__ALLOWED_PATHS__BRAINML", "/srv/a, /srv/b")]).unwrap();
        assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
        assert_eq!(
            loaded.config.supervisor.allowed_paths["brainml"],
            [PathBuf::from("/srv/a"), "/srv/b".into()]
        );
        assert!(with(&[("BKG_SUPERVISOR__ALLOWED_PATHS__BRAINML", "relative/dir")]).is_err());
        let over = with(&[
            ("BKG_DATA_DIR", "/srv/bkg/data"),
            ("BKG_SUPERVISOR__ALLOWED_PATHS__BRAINML", "/srv/bkg"),
        ]);
        assert!(over.unwrap_err().to_string().contains("overlaps the data dir"));

        let roots =
            with(&[("BKG_MODELS__IMPORT_ROOTS", r#"["/srv/models"]"#)]).unwrap().config.models.import_roots;
        assert_eq!(roots, [PathBuf::from("/srv/models")]);
        assert!(with(&[("BKG_MODELS__IMPORT_ROOTS", "/srv/models/../..")]).is_err());
    }

    #[test]
    fn bad_file_names_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bkgd.toml");
        std::fs::write(&path, "[logs]\nring_lines = \"x\"\n").unwrap();
        let err = load(&Sources { file: Some(path.clone()), ..Default::default() }).unwrap_err();
        assert!(err.to_string().contains("bkgd.toml"), "{err}");
        std::fs::write(&path, "lisen = 1\n").unwrap();
        assert!(load(&Sources { file: Some(path), ..Default::default() }).is_err());
    }

    #[test]
    fn redacted_hides_every_secret() {
        let mut c = Config { database_url: "postgres://u:s3cr3tpw@h/db".into(), ..Config::default() };
        c.auth.jwt_secret = "a-jwt-secret-that-is-long-enough-xx".into();
        c.auth.bootstrap_admin_password = "initial-pw-value".into();
        c.models.hub_token = "hf_secret_token".into();
        let shown = serde_json::to_string(&c.redacted()).unwrap();
        for secret in ["s3cr3tpw", "a-jwt-secret", "initial-pw-value", "hf_secret_token"] {
            assert!(!shown.contains(secret), "{secret} leaked: {shown}");
        }
        assert_eq!(Config::default().redacted().auth.jwt_secret, "", "unset secrets stay visibly unset");
    }

    #[test]
    fn debug_redacts_the_database_password() {
        let mut c = Config { database_url: "postgres://u:s3cr3tpw@h/db".into(), ..Config::default() };
        c.auth.jwt_secret = "a-jwt-secret-that-is-long-enough-xx".into();
        c.auth.bootstrap_admin_password = "initial-pw-value".into();
        let shown = format!("{c:?}");
        for secret in ["s3cr3tpw", "a-jwt-secret", "initial-pw-value"] {
            assert!(!shown.contains(secret), "{secret} leaked: {shown}");
        }
    }
}
