//! `plugins install` and `plugins reload`: put a plugin folder into the daemon's plugins
//! directory (uploaded as a tar archive, so it works against a remote daemon too) and install
//! its runtime, with the installer's output on stderr as it comes; or pick up manifests an
//! operator changed on the daemon's machine.

use std::path::{Path, PathBuf};

use anyhow::Context as _;
use bkg_core::client::ClientError;
use bkg_core::plugin::PluginManifest;
use bkg_core::runtime::InstallEvent;
use clap::Args;
use futures_util::StreamExt;

use crate::commands::{Ctx, Interrupt};
use crate::exit::{Exit, Fail};
use crate::session::Api;

#[derive(Debug, Args)]
pub struct InstallArgs {
    /// A plugin folder (with plugin.toml) to upload and install, or the id of a plugin the
    /// daemon has whose runtime to install
    #[arg(value_name = "DIR|ID")]
    pub target: String,
    /// Upload the folder only; do not install its runtime
    #[arg(long)]
    pub no_runtime: bool,
}

/// Folders that are built or installed, never part of a plugin's source.
const SKIPPED: &[&str] = &["node_modules", ".venv", "venv", "__pycache__", ".git", "target", ".pytest_cache"];

pub async fn install(ctx: &Ctx, api: &mut Api, a: InstallArgs) -> anyhow::Result<Exit> {
    let dir = PathBuf::from(&a.target);
    let id = if dir.join("plugin.toml").is_file() {
        let text = std::fs::read_to_string(dir.join("plugin.toml"))
            .with_context(|| format!("reading {}", dir.join("plugin.toml").display()))?;
        let manifest: PluginManifest = toml::from_str(&text).map_err(|e| {
            Fail::usage(format!("{}/plugin.toml is not a valid manifest: {e}", dir.display()))
        })?;
        let archive = tar_folder(&dir)?;
        eprintln!("uploading {} ({} bytes) as plugin {}", dir.display(), archive.len(), manifest.id);
        let report = api.call(async |c| c.upload_bundle(&manifest.id, archive.clone()).await).await?;
        if a.no_runtime || manifest.runtime.is_none() {
            ctx.out.print(&report)?;
            return Ok(Exit::Ok);
        }
        manifest.id
    } else if dir.exists() {
        return Err(Fail::usage(format!(
            "{} has no plugin.toml; give a plugin folder or a plugin id",
            dir.display()
        ))
        .into());
    } else {
        a.target.clone()
    };
    runtime(ctx, api, &id).await
}

async fn runtime(ctx: &Ctx, api: &mut Api, id: &str) -> anyhow::Result<Exit> {
    let mut interrupt = Interrupt::catch()?;
    let mut events = Box::pin(api.call(async |c| c.install_runtime(id).await).await?);
    loop {
        let event = tokio::select! {
            e = events.next() => e,
            () = interrupt.recv() => return Ok(Exit::Interrupted),
        };
        match event {
            Some(Ok(InstallEvent::Output(line))) => eprintln!("{line}"),
            Some(Ok(InstallEvent::Done(status))) => {
                ctx.out.print(&status)?;
                return Ok(Exit::Ok);
            }
            Some(Ok(InstallEvent::Error(body))) => {
                return Err(ClientError::Api { status: body.code.http_status(), body }.into());
            }
            Some(Err(e)) => return Err(e.into()),
            None => {
                return Err(
                    ClientError::Protocol("the install stream ended without an outcome".into()).into()
                );
            }
        }
    }
}

pub async fn reload(ctx: &Ctx, api: &mut Api) -> anyhow::Result<Exit> {
    ctx.out.print(&api.call(async |c| c.reload_plugins().await).await?)?;
    Ok(Exit::Ok)
}

/// The folder as an uncompressed tar archive of its files and folders (links are refused:
/// the daemon accepts none), leaving out what is built or installed.
fn tar_folder(dir: &Path) -> anyhow::Result<Vec<u8>> {
    let mut ar = tar::Builder::new(Vec::new());
    ar.follow_symlinks(false);
    let mut stack = vec![PathBuf::new()];
    while let Some(rel) = stack.pop() {
        let mut entries: Vec<_> = std::fs::read_dir(dir.join(&rel))
            .with_context(|| format!("reading {}", dir.join(&rel).display()))?
            .collect::<Result<_, _>>()?;
        entries.sort_by_key(|e| e.file_name());
        for e in entries {
            let name = e.file_name();
            let path = rel.join(&name);
            let kind = e.file_type()?;
            if kind.is_symlink() {
                return Err(Fail::usage(format!(
                    "{} is a symbolic link; a plugin bundle holds only files and folders",
                    dir.join(&path).display()
                ))
                .into());
            }
            if kind.is_dir() {
                if SKIPPED.iter().any(|s| name == *s) {
                    continue;
                }
                ar.append_dir(&path, dir.join(&path))?;
                stack.push(path);
            } else if kind.is_file() {
                ar.append_path_with_name(dir.join(&path), &path)?;
            }
        }
    }
    Ok(ar.into_inner()?)
}
