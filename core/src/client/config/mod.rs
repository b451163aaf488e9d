//! The client files in the OS config dir (`~/.config/bkg` on Linux, or a folder given with
//! `--config-dir` / `BKGCTL_CONFIG_DIR`), shared by bkgctl and bkg-tui: `bkgctl.toml` with the
//! named contexts, and `credentials.toml` (mode 0600) with the tokens of each server. Nothing
//! is read until a caller needs it, and every write replaces the file atomically.

pub mod contexts;
pub mod credentials;

use std::io::Write;
use std::path::{Path, PathBuf};

/// What can go wrong with the client's files.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// A file or a name in it is not usable; the message says how to fix it.
    #[error("{0}")]
    Invalid(String),
    /// Reading or writing a file failed.
    #[error("{what}: {source}")]
    Io {
        what: String,
        #[source]
        source: std::io::Error,
    },
    /// No home directory, so no default config dir.
    #[error("cannot find a home directory for the config; set BKGCTL_CONFIG_DIR or pass --config-dir")]
    NoHome,
}

impl ConfigError {
    fn io(what: impl Into<String>) -> impl FnOnce(std::io::Error) -> Self {
        let what = what.into();
        move |source| ConfigError::Io { what, source }
    }
}

/// The folder of the client files: `flag` when given, else the OS config dir.
pub fn dir(flag: Option<&Path>) -> Result<PathBuf, ConfigError> {
    if let Some(dir) = flag {
        return Ok(dir.to_path_buf());
    }
    project_dirs().map(|d| d.config_dir().to_path_buf()).ok_or(ConfigError::NoHome)
}

/// bkg's OS folders. Same project names as bkgd's data and cache dirs, so all of bkg lives
/// under `bkg`.
pub fn project_dirs() -> Option<directories::ProjectDirs> {
    directories::ProjectDirs::from("dev", "bkg", "bkg")
}

/// Reads a file that may be missing.
pub(crate) fn read_optional(path: &Path) -> Result<Option<String>, ConfigError> {
    match std::fs::read_to_string(path) {
        Ok(text) => Ok(Some(text)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(ConfigError::io(format!("cannot read {}", path.display()))(e)),
    }
}

/// Replaces `path` with `contents` atomically (a temporary file renamed over it), creating the
/// folder (0700) if needed; `private` files get mode 0600 before any byte is written.
pub fn write_atomic(path: &Path, contents: &str, private: bool) -> Result<(), ConfigError> {
    let dir =
        path.parent().ok_or_else(|| ConfigError::Invalid(format!("{} has no folder", path.display())))?;
    create_dir(dir)?;
    let tmp = path.with_extension("tmp");
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(if private { 0o600 } else { 0o644 });
    }
    #[cfg(not(unix))]
    let _ = private;
    let mut file = options.open(&tmp).map_err(ConfigError::io(format!("cannot write {}", tmp.display())))?;
    file.write_all(contents.as_bytes())
        .and_then(|()| file.sync_all())
        .map_err(ConfigError::io(format!("cannot write {}", tmp.display())))?;
    std::fs::rename(&tmp, path).map_err(ConfigError::io(format!("cannot replace {}", path.display())))
}

pub(crate) fn create_dir(dir: &Path) -> Result<(), ConfigError> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(dir).map_err(ConfigError::io(format!("cannot create {}", dir.display())))
}
