//! bkgctl's files in the OS config dir (`~/.config/bkg` on Linux, or `--config-dir` /
//! `BKGCTL_CONFIG_DIR`): `bkgctl.toml` with the named contexts, and `credentials.toml`
//! (mode 0600) with the tokens of each server. Nothing is read until a command needs it, and
//! every write replaces the file atomically.

pub mod contexts;
pub mod credentials;

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context as _;

use crate::exit::{Exit, Fail};

/// The folder of bkgctl's files.
pub fn dir(flag: Option<&Path>) -> anyhow::Result<PathBuf> {
    if let Some(dir) = flag {
        return Ok(dir.to_path_buf());
    }
    // Same project names as bkgd's data and cache dirs, so all of bkg lives under `bkg`.
    directories::ProjectDirs::from("dev", "bkg", "bkg").map(|d| d.config_dir().to_path_buf()).ok_or_else(
        || {
            Fail::new(
                Exit::Failure,
                "cannot find a home directory for the config; set BKGCTL_CONFIG_DIR or pass --config-dir",
            )
            .into()
        },
    )
}

/// Reads a file that may be missing.
pub(crate) fn read_optional(path: &Path) -> anyhow::Result<Option<String>> {
    match std::fs::read_to_string(path) {
        Ok(text) => Ok(Some(text)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e).with_context(|| format!("cannot read {}", path.display())),
    }
}

/// Replaces `path` with `contents` atomically (a temporary file renamed over it), creating the
/// folder (0700) if needed; `private` files get mode 0600 before any byte is written.
pub(crate) fn write_atomic(path: &Path, contents: &str, private: bool) -> anyhow::Result<()> {
    let dir = path.parent().context("config file has no folder")?;
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
    let mut file = options.open(&tmp).with_context(|| format!("cannot write {}", tmp.display()))?;
    file.write_all(contents.as_bytes())
        .and_then(|()| file.sync_all())
        .with_context(|| format!("cannot write {}", tmp.display()))?;
    std::fs::rename(&tmp, path).with_context(|| format!("cannot replace {}", path.display()))
}

pub(crate) fn create_dir(dir: &Path) -> anyhow::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(dir).with_context(|| format!("cannot create {}", dir.display()))
}
