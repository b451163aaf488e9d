//! Loading: the layers merged in order, `BKG_*` variables mapped onto key paths, the other
//! environment variables the daemon honours (`HF_ENDPOINT`, `HF_TOKEN`,
//! `BKG_BOOTSTRAP_ADMIN_PASSWORD(_FILE)`) resolved into their keys, and the whole validated.
//! This is the only place that reads the daemon's environment.

use std::path::{Component, Path, PathBuf};

use super::*;

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
    // Paths derived from data_dir follow it unless a layer sets them itself.
    let mut derived_set: Vec<&str> = Vec::new();

    if let Some(path) = &sources.file {
        let text = std::fs::read_to_string(path)
            .map_err(|source| ConfigError::Read { path: path.clone(), source })?;
        let file: toml::Value = toml::from_str(&text)
            .map_err(|e| ConfigError::File { path: path.clone(), message: e.to_string() })?;
        derived_set.extend(DERIVED_FROM_DATA_DIR.iter().filter(|k| file.get(**k).is_some()));
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
        derived_set.extend(DERIVED_FROM_DATA_DIR.iter().filter(|k| **k == path));
        set_path(&mut table, &path, parsed);
        check(&table).map_err(|message| ConfigError::Env {
            var: var.clone(),
            value: value.clone(),
            message,
        })?;
    }

    for (path, value) in &sources.flags {
        derived_set.extend(DERIVED_FROM_DATA_DIR.iter().filter(|k| *k == path));
        set_path(&mut table, path, value.clone());
    }
    let mut config: Config =
        table.try_into().map_err(|e: toml::de::Error| ConfigError::Invalid(e.to_string()))?;
    if !derived_set.contains(&"plugins_dir") {
        config.plugins_dir = config.data_dir.join("plugins");
    }
    resolve_outside_keys(&mut config, &sources.env)?;
    validate(&config)?;
    Ok(Loaded { config, warnings })
}

/// Top-level keys whose default is a folder inside `data_dir` (the rest of the daemon's folders
/// are joined onto `data_dir` and `cache_dir` where they are used, so they follow by
/// construction).
const DERIVED_FROM_DATA_DIR: &[&str] = &["plugins_dir"];

/// The hub the daemon downloads from when neither `models.hub_endpoint` nor `HF_ENDPOINT` names one.
pub const DEFAULT_HUB: &str = "https://huggingface.co";

/// Fills the keys that environment variables outside the `BKG_*` key paths stand in for, when
/// no layer set them: the hub's own variables (`HF_ENDPOINT`, `HF_TOKEN`, which Python tools read
/// too) and the first admin's password for automated installs
/// (`BKG_BOOTSTRAP_ADMIN_PASSWORD`, or the file `BKG_BOOTSTRAP_ADMIN_PASSWORD_FILE` names, as
/// container secrets and systemd credentials provide it). The effective config then shows what
/// the daemon uses (secrets redacted), and nothing else reads the environment.
fn resolve_outside_keys(c: &mut Config, env: &[(String, String)]) -> Result<(), ConfigError> {
    // The last occurrence wins, as it does for a process environment.
    let var = |name: &str| {
        env.iter().rev().find(|(k, _)| k == name).map(|(_, v)| v.clone()).filter(|v| !v.is_empty())
    };
    if c.models.hub_endpoint.is_empty() {
        c.models.hub_endpoint = match var("HF_ENDPOINT") {
            // Checked here so that the error names the variable the user actually set.
            Some(v) if url::Url::parse(&v).is_err() => {
                return Err(ConfigError::Env {
                    var: "HF_ENDPOINT".into(),
                    value: v,
                    message: "not a URL (it stands for models.hub_endpoint), e.g. https://huggingface.co"
                        .into(),
                });
            }
            Some(v) => v,
            None => DEFAULT_HUB.to_string(),
        };
    }
    if c.models.hub_token.is_empty()
        && let Some(token) = var("HF_TOKEN")
    {
        c.models.hub_token = token;
    }
    if c.auth.bootstrap_admin_password.is_empty() {
        if let Some(pw) = var("BKG_BOOTSTRAP_ADMIN_PASSWORD") {
            c.auth.bootstrap_admin_password = pw;
        } else if let Some(file) = var("BKG_BOOTSTRAP_ADMIN_PASSWORD_FILE") {
            let text = std::fs::read_to_string(&file).map_err(|e| ConfigError::Env {
                var: "BKG_BOOTSTRAP_ADMIN_PASSWORD_FILE".into(),
                value: file.clone(),
                message: format!("cannot read the file: {e}"),
            })?;
            c.auth.bootstrap_admin_password = text.trim_end_matches(['\n', '\r']).to_string();
        }
    }
    Ok(())
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
    "BKG_REQUIRE_POSTGRES",
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

/// The longest log line kept whole: a batch of lines addresses its text with 32-bit offsets.
const MAX_LINE_BYTES: usize = 16 << 20;

fn validate(c: &Config) -> Result<(), ConfigError> {
    let bad = |m: &str| Err(ConfigError::Invalid(m.to_string()));
    if c.telemetry.interval_ms < 50 {
        return bad("telemetry.interval_ms must be at least 50");
    }
    if c.logs.ring_lines == 0 {
        return bad("logs.ring_lines must be > 0");
    }
    if !(256..=MAX_LINE_BYTES).contains(&c.logs.max_line_bytes) {
        return Err(ConfigError::Invalid(format!(
            "logs.max_line_bytes must be between 256 and {MAX_LINE_BYTES} ({} MiB), not {}",
            MAX_LINE_BYTES >> 20,
            c.logs.max_line_bytes
        )));
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
    if !(500..=60_000).contains(&c.cluster.heartbeat_ms) {
        return bad("cluster.heartbeat_ms must be between 500 and 60000");
    }
    let url = &c.cluster.advertise_url;
    if !url.is_empty() && !url.starts_with("http://") && !url.starts_with("https://") {
        return bad("cluster.advertise_url must start with http:// or https://");
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
    if let Some(p) = c.auth.trusted_proxies.iter().find(|p| super::cidr::parse_cidr(p).is_none()) {
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
        assert_eq!(loaded.config, load(&Sources::default()).unwrap().config);
        let mut defaults = Config::default();
        defaults.models.hub_endpoint = DEFAULT_HUB.into();
        assert_eq!(loaded.config, defaults, "only the resolved hub differs from the empty keys");
        assert!(loaded.warnings.is_empty());
    }

    #[test]
    fn outside_variables_fill_only_keys_no_layer_set() {
        let with = |pairs: &[(&str, &str)]| load(&Sources { env: env(pairs), ..Default::default() });
        let c = with(&[("HF_ENDPOINT", "http://127.0.0.1:9/"), ("HF_TOKEN", "hf_x")]).unwrap().config;
        assert_eq!(
            (c.models.hub_endpoint.as_str(), c.models.hub_token.as_str()),
            ("http://127.0.0.1:9/", "hf_x")
        );
        let c =
            with(&[("HF_ENDPOINT", "http://a.invalid/"), ("BKG_MODELS__HUB_ENDPOINT", "http://b.invalid/")])
                .unwrap()
                .config;
        assert_eq!(c.models.hub_endpoint, "http://b.invalid/", "the bkg key wins over HF_ENDPOINT");
        let err = with(&[("HF_ENDPOINT", "not a url")]).unwrap_err().to_string();
        assert!(err.contains("hub_endpoint"), "{err}");
        assert!(err.contains("HF_ENDPOINT"), "the error names the variable that was set: {err}");

        let c = with(&[("BKG_BOOTSTRAP_ADMIN_PASSWORD", "from-env-pw")]).unwrap().config;
        assert_eq!(c.auth.bootstrap_admin_password, "from-env-pw");
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("pw");
        std::fs::write(&file, "from-file-pw\n").unwrap();
        let file = file.to_str().unwrap();
        let c = with(&[("BKG_BOOTSTRAP_ADMIN_PASSWORD_FILE", file)]).unwrap().config;
        assert_eq!(c.auth.bootstrap_admin_password, "from-file-pw");
        let err = with(&[("BKG_BOOTSTRAP_ADMIN_PASSWORD_FILE", "/nonexistent/pw")]).unwrap_err().to_string();
        assert!(err.contains("BKG_BOOTSTRAP_ADMIN_PASSWORD_FILE") && err.contains("cannot read"), "{err}");
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
    fn derived_paths_follow_data_dir_unless_set() {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("data");
        let data_s = data.to_str().unwrap();
        let with_env =
            |pairs: &[(&str, &str)]| load(&Sources { env: env(pairs), ..Default::default() }).unwrap().config;
        let c = with_env(&[("BKG_DATA_DIR", data_s)]);
        assert_eq!(c.plugins_dir, data.join("plugins"), "BKG_DATA_DIR moves the plugins too");
        let flag = vec![("data_dir".to_string(), toml::Value::String(data_s.into()))];
        let c = load(&Sources { flags: flag, ..Default::default() }).unwrap().config;
        assert_eq!(c.plugins_dir, data.join("plugins"), "--data-dir moves the plugins too");
        let path = dir.path().join("bkgd.toml");
        std::fs::write(&path, format!("data_dir = {data_s:?}\n")).unwrap();
        let c = load(&Sources { file: Some(path.clone()), ..Default::default() }).unwrap().config;
        assert_eq!(c.plugins_dir, data.join("plugins"), "data_dir in the file moves the plugins too");

        // Set by any layer, it stays where it was put.
        let c = with_env(&[("BKG_DATA_DIR", data_s), ("BKG_PLUGINS_DIR", "/srv/plugins")]);
        assert_eq!(c.plugins_dir, PathBuf::from("/srv/plugins"));
        std::fs::write(&path, "plugins_dir = \"/srv/p2\"\n").unwrap();
        let c =
            load(&Sources { file: Some(path), env: env(&[("BKG_DATA_DIR", data_s)]), ..Default::default() })
                .unwrap()
                .config;
        assert_eq!(c.plugins_dir, PathBuf::from("/srv/p2"));
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

        let line =
            |v: &str| load(&Sources { env: env(&[("BKG_LOGS__MAX_LINE_BYTES", v)]), ..Default::default() });
        for v in ["255", "16777217"] {
            let err = line(v).unwrap_err();
            let want = format!("logs.max_line_bytes must be between 256 and 16777216 (16 MiB), not {v}");
            assert!(err.to_string().contains(&want), "{v}: {err}");
        }
        assert_eq!(line("16777216").unwrap().config.logs.max_line_bytes, 16 << 20);
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
