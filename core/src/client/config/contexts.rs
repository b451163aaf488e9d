//! `bkgctl.toml`: named contexts (a name for a server) and the current one.
//!
//! ```toml
//! current-context = "prod"
//!
//! [contexts.prod]
//! server = "https://bkg.example.com"
//!
//! [contexts.local]
//! server = "http://127.0.0.1:8420"
//! ```

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::ConfigError;

pub const FILE: &str = "bkgctl.toml";

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct ConfigFile {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub current_context: Option<String>,
    #[serde(default)]
    pub contexts: BTreeMap<String, Context>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Context {
    /// bkgd's base URL.
    pub server: String,
}

pub fn path(dir: &Path) -> PathBuf {
    dir.join(FILE)
}

impl ConfigFile {
    /// Reads the file; a missing file is an empty config.
    pub fn load(dir: &Path) -> Result<Self, ConfigError> {
        let path = path(dir);
        let Some(text) = super::read_optional(&path)? else { return Ok(Self::default()) };
        toml::from_str(&text).map_err(|e| {
            ConfigError::Invalid(format!(
                "{} is not valid: {e}\n  fix it, or remove it and recreate contexts with `bkgctl context set`",
                path.display()
            ))
        })
    }

    pub fn save(&self, dir: &Path) -> Result<(), ConfigError> {
        let text = toml::to_string_pretty(self).map_err(|e| ConfigError::Invalid(e.to_string()))?;
        super::write_atomic(&path(dir), &text, false)
    }

    /// The context a client uses: the one named by `--context`/`BKGCTL_CONTEXT`, else the
    /// current one. Naming one that does not exist is a usage error.
    pub fn select(&self, name: Option<&str>) -> Result<Option<(&str, &Context)>, ConfigError> {
        match name {
            Some(name) => match self.contexts.get_key_value(name) {
                Some((k, v)) => Ok(Some((k.as_str(), v))),
                None => Err(ConfigError::Invalid(format!(
                    "no context named {name:?}; `bkgctl context ls` lists them, `bkgctl context set` adds one"
                ))),
            },
            None => Ok(self
                .current_context
                .as_deref()
                .and_then(|c| self.contexts.get_key_value(c))
                .map(|(k, v)| (k.as_str(), v))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_selects() {
        let dir = tempfile::tempdir().unwrap();
        let mut cfg = ConfigFile::default();
        cfg.contexts.insert("a".into(), Context { server: "http://a:1".into() });
        cfg.current_context = Some("a".into());
        cfg.save(dir.path()).unwrap();
        let back = ConfigFile::load(dir.path()).unwrap();
        assert_eq!(back, cfg);
        assert_eq!(back.select(None).unwrap().unwrap().1.server, "http://a:1");
        assert!(back.select(Some("b")).is_err());
    }

    #[test]
    fn missing_file_is_empty() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(ConfigFile::load(dir.path()).unwrap(), ConfigFile::default());
    }
}
