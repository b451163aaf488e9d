//! Finding and checking plugin manifests: the built-in ones compiled into `bkgd`, and the
//! user's in the plugins directory (`<dir>/<name>.toml` or `<dir>/<name>/plugin.toml`).
//!
//! A bad user manifest never stops the daemon: it is skipped with a warning that says what to
//! fix. Relative program paths resolve against the manifest's folder; built-in plugins resolve
//! against the folder of the `bkgd` executable.

use std::path::{Path, PathBuf};

use bkg_core::plugin::{PluginManifest, PluginSource};

/// Manifests of the plugins shipped with bkg as binaries next to `bkgd`, as `(id, TOML)`.
/// (The built-in plugins written as scripts are in `shipped::BUILTIN_SCRIPTS`.)
pub const BUILTIN: &[(&str, &str)] = &[
    ("brainml", include_str!("../../../../../plugins/brainml/plugin.toml")),
    ("candle", include_str!("../../../../../plugins/candle/plugin.toml")),
    ("llmserver", include_str!("../../../../../plugins/llmserver/plugin.toml")),
    ("rustyface", include_str!("../../../../../plugins/rustyface/plugin.toml")),
];

#[derive(Debug)]
pub struct Loaded {
    pub manifest: PluginManifest,
    pub source: PluginSource,
    /// Folder that relative paths in the manifest are resolved against.
    pub base_dir: PathBuf,
    pub config_validator: jsonschema::Validator,
}

/// Loads every manifest; the second value lists the ones skipped and why.
pub fn load_all(source: &super::ManifestSource) -> (Vec<Loaded>, Vec<String>) {
    let plugins_dir = &source.plugins_dir;
    let mut out: Vec<Loaded> = Vec::new();
    let mut warnings = Vec::new();
    let mut add = |res: Result<Loaded, String>, out: &mut Vec<Loaded>| match res {
        Ok(l) if out.iter().any(|o| o.manifest.id == l.manifest.id) => warnings.push(format!(
            "skipping a second plugin with id {:?} (from {})",
            l.manifest.id,
            l.base_dir.display()
        )),
        Ok(l) => out.push(l),
        Err(e) => warnings.push(e),
    };
    if let Some(scripts) = &source.builtin {
        let base = exe_dir();
        for (name, text) in BUILTIN {
            add(parse(text, name, PluginSource::Builtin, base.clone()), &mut out);
        }
        for (id, files) in super::shipped::BUILTIN_SCRIPTS {
            let text = files.iter().find(|(f, _)| *f == "plugin.toml").map_or("", |(_, t)| *t);
            add(parse(text, id, PluginSource::Builtin, scripts.join(id)), &mut out);
        }
    }
    for path in manifest_files(plugins_dir) {
        let res = std::fs::read_to_string(&path)
            .map_err(|e| format!("cannot read plugin manifest {}: {e}", path.display()))
            .and_then(|text| {
                let base = path.parent().map(Path::to_path_buf).unwrap_or_default();
                parse(&text, &path.display().to_string(), PluginSource::User, base)
            });
        add(res, &mut out);
    }
    out.sort_by(|a, b| a.manifest.id.cmp(&b.manifest.id));
    (out, warnings)
}

fn manifest_files(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else { return Vec::new() };
    let mut files: Vec<PathBuf> = entries
        .flatten()
        .map(|e| e.path())
        .filter_map(|p| {
            if p.is_dir() {
                let inner = p.join("plugin.toml");
                inner.is_file().then_some(inner)
            } else {
                (p.extension().is_some_and(|e| e == "toml")).then_some(p)
            }
        })
        .collect();
    files.sort();
    files
}

/// Folder of the running executable; when it is a test binary in `target/*/deps`, its parent,
/// where cargo puts the workspace's binaries.
pub fn exe_dir() -> PathBuf {
    let dir =
        std::env::current_exe().ok().and_then(|p| p.parent().map(Path::to_path_buf)).unwrap_or_default();
    if dir.ends_with("deps") { dir.parent().map(Path::to_path_buf).unwrap_or(dir) } else { dir }
}

/// Parses and checks one manifest.
pub fn parse(text: &str, origin: &str, source: PluginSource, base_dir: PathBuf) -> Result<Loaded, String> {
    let manifest: PluginManifest =
        toml::from_str(text).map_err(|e| format!("plugin manifest {origin} is not valid: {e}"))?;
    check(&manifest).map_err(|e| format!("plugin manifest {origin}: {e}"))?;
    let config_validator = jsonschema::validator_for(&manifest.config.schema)
        .map_err(|e| format!("plugin manifest {origin}: [config] schema is not a valid JSON schema: {e}"))?;
    if let Err(e) = config_validator.validate(&manifest.config.default) {
        return Err(format!("plugin manifest {origin}: [config] default does not match its schema: {e}"));
    }
    for cap in &manifest.capabilities {
        jsonschema::validator_for(&cap.input_schema)
            .map_err(|e| format!("plugin manifest {origin}: capability {:?} input schema: {e}", cap.name))?;
    }
    Ok(Loaded { manifest, source, base_dir, config_validator })
}

/// Plugin ids name files and URL segments: lowercase letters, digits, `-` and `_`.
pub fn valid_id(id: &str) -> bool {
    let b = id.as_bytes();
    !b.is_empty()
        && b.len() <= 63
        && b[0].is_ascii_alphanumeric()
        && b.iter().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-' || *c == b'_')
}

fn check(m: &PluginManifest) -> Result<(), String> {
    if !valid_id(&m.id) {
        return Err(format!(
            "id {:?} must be 1-63 lowercase letters, digits, '-' or '_', starting with a letter or digit",
            m.id
        ));
    }
    if m.command.is_empty() || m.command[0].is_empty() {
        return Err("command must name a program, e.g. command = [\"python3\", \"plugin.py\"]".into());
    }
    let r = &m.restart;
    if !(r.multiplier >= 1.0 && r.multiplier <= 100.0) {
        return Err("restart.multiplier must be between 1 and 100".into());
    }
    if !(0.0..=1.0).contains(&r.jitter) {
        return Err("restart.jitter must be between 0 and 1".into());
    }
    if r.max_backoff_ms < r.initial_backoff_ms {
        return Err("restart.maxBackoffMs must be >= restart.initialBackoffMs".into());
    }
    if r.max_fast_failures == 0 {
        return Err("restart.maxFastFailures must be at least 1".into());
    }
    if let Some(runtime) = &m.runtime {
        super::runtime::check(runtime)?;
    }
    let t = &m.timeouts;
    if t.handshake_ms == 0 || t.stop_ms == 0 {
        return Err("timeouts.handshakeMs and timeouts.stopMs must be > 0".into());
    }
    let mut names: Vec<&str> = m.capabilities.iter().map(|c| c.name.as_str()).collect();
    names.sort_unstable();
    if names.windows(2).any(|w| w[0] == w[1]) {
        return Err("capability names must be unique".into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loads_both_layouts_and_skips_bad_ones_with_reasons() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.toml"), "id = \"a\"\ncommand = [\"./a\"]\n").unwrap();
        std::fs::create_dir(dir.path().join("b")).unwrap();
        std::fs::write(
            dir.path().join("b/plugin.toml"),
            "id = \"b\"\ncommand = [\"python3\", \"b.py\"]\n[config]\nschema = { type = \"object\" }\ndefault = {}\n",
        )
        .unwrap();
        std::fs::write(dir.path().join("bad.toml"), "id = \"Bad Id\"\ncommand = [\"x\"]\n").unwrap();
        std::fs::write(dir.path().join("dup.toml"), "id = \"a\"\ncommand = [\"y\"]\n").unwrap();
        std::fs::write(
            dir.path().join("cfg.toml"),
            "id = \"c\"\ncommand = [\"x\"]\n[config]\nschema = { type = \"object\", required = [\"k\"] }\ndefault = {}\n",
        )
        .unwrap();
        let source = super::super::ManifestSource { plugins_dir: dir.path().to_path_buf(), builtin: None };
        let (loaded, warnings) = load_all(&source);
        let ids: Vec<&str> = loaded.iter().map(|l| l.manifest.id.as_str()).collect();
        assert_eq!(ids, ["a", "b"]);
        assert_eq!(loaded[1].base_dir, dir.path().join("b"));
        assert_eq!(warnings.len(), 3, "{warnings:?}");
        assert!(warnings.iter().any(|w| w.contains("lowercase")));
        assert!(warnings.iter().any(|w| w.contains("second plugin")));
        assert!(warnings.iter().any(|w| w.contains("does not match its schema")));
    }

    #[test]
    fn ids() {
        for ok in ["a", "brainml", "llm-server_2"] {
            assert!(valid_id(ok), "{ok}");
        }
        for bad in ["", "-a", "A", "a.b", "a/b", &"x".repeat(64)] {
            assert!(!valid_id(bad), "{bad}");
        }
    }
}
