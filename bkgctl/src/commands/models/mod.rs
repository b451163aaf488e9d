//! `bkgctl models ...`: list, show, pull (in `pull`), remove, validate and import models.
//! A model is named by its id or by its repo (`org/name`) when that is unambiguous.

mod progress;
mod pull;

use std::path::PathBuf;

use anyhow::Context as _;
use bkg_core::client::ClientError;
use bkg_core::models::{ImportRequest, Model};
use clap::{Args, Subcommand};

use super::Ctx;
use crate::exit::{Exit, Fail};
use crate::render::Deleted;
use crate::session::Api;

#[derive(Debug, Subcommand)]
pub enum ModelsCmd {
    /// List the models in the registry with their status
    Ls,
    /// Show a model with its files
    Show(ModelArg),
    /// Download a model from the hub, showing progress until it is ready
    Pull(pull::PullArgs),
    /// Remove a model's files and registry entry
    Rm(RmArgs),
    /// Re-verify a model's hashes and headers (exits 1 when it is invalid)
    Validate(ModelArg),
    /// Register a model from a folder on the daemon's machine (admins; only from folders listed
    /// in the daemon's `[models] import_roots`)
    Import(ImportArgs),
}

#[derive(Debug, Args)]
pub struct ModelArg {
    /// The model's id, or its repo (org/name)
    pub model: String,
}

#[derive(Debug, Args)]
pub struct RmArgs {
    /// The model's id, or its repo (org/name)
    pub model: String,
    /// Remove it even while plugins use it
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// Folder with the model's files, on the daemon's machine (relative paths are taken from
    /// the current directory)
    pub path: PathBuf,
    /// Name to register it under (org/name) [default: local/<folder name>]
    #[arg(long)]
    pub repo: Option<String>,
    /// Revision to record
    #[arg(long)]
    pub revision: Option<String>,
}

pub async fn run(ctx: &Ctx, cmd: ModelsCmd) -> anyhow::Result<Exit> {
    let out = &ctx.out;
    let mut api = ctx.api()?;
    match cmd {
        ModelsCmd::Ls => out.print(&api.call(async |c| c.models().await).await?)?,
        ModelsCmd::Show(a) => out.print(&find(&mut api, &a.model).await?)?,
        ModelsCmd::Pull(a) => return pull::run(ctx, &mut api, a).await,
        ModelsCmd::Rm(a) => {
            let id = id_of(&mut api, &a.model).await?;
            api.call(async |c| c.delete_model(&id, a.force).await).await.map_err(|e| {
                if crate::exit::classify(&e) == Exit::Conflict && !a.force {
                    e.context("the model is in use (--force removes it anyway)")
                } else {
                    e
                }
            })?;
            out.print(&Deleted { id, deleted: true })?;
        }
        ModelsCmd::Validate(a) => {
            let id = id_of(&mut api, &a.model).await?;
            let report = api.call(async |c| c.validate_model(&id).await).await?;
            out.print(&report)?;
            if !report.ok {
                return Ok(Exit::Failure);
            }
        }
        ModelsCmd::Import(a) => {
            let path = if a.path.is_absolute() {
                a.path
            } else {
                std::env::current_dir().context("finding the current directory")?.join(a.path)
            };
            let req = ImportRequest { path: path.display().to_string(), repo: a.repo, revision: a.revision };
            out.print(&api.call(async |c| c.import_model(&req).await).await?)?;
        }
    }
    Ok(Exit::Ok)
}

/// The model named by `name`: an id, or else a repo that matches exactly one model.
pub async fn find(api: &mut Api, name: &str) -> anyhow::Result<Model> {
    match api.call(async |c| c.model(name).await).await {
        Err(e) if is_not_found(&e) && name.contains('/') => {
            let list = api.call(async |c| c.models().await).await?;
            let mut matches: Vec<Model> = list.models.into_iter().filter(|m| m.repo == name).collect();
            match matches.len() {
                0 => Err(e),
                1 => Ok(matches.remove(0)),
                _ => {
                    let ids: Vec<String> =
                        matches.iter().map(|m| format!("{} ({})", m.id, m.revision)).collect();
                    Err(Fail::usage(format!("{name} names several models; use an id: {}", ids.join(", ")))
                        .into())
                }
            }
        }
        other => other,
    }
}

/// The id of the model named by `name`; only a repo name costs a lookup.
async fn id_of(api: &mut Api, name: &str) -> anyhow::Result<String> {
    if name.contains('/') { Ok(find(api, name).await?.id) } else { Ok(name.to_string()) }
}

fn is_not_found(e: &anyhow::Error) -> bool {
    e.chain().any(|c| c.downcast_ref::<ClientError>().and_then(ClientError::status) == Some(404))
}
