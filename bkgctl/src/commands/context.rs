//! `bkgctl context ...`: named servers in `bkgctl.toml` and the current one. Credentials are
//! not part of a context: they belong to the server URL (see `config::credentials`).

use clap::Subcommand;
use comfy_table::Cell;
use serde::Serialize;

use super::Ctx;
use crate::config::contexts::{ConfigFile, Context};
use crate::exit::{Exit, Fail};
use crate::output::{Render, Style, table};
use crate::session::config_dir;

#[derive(Debug, Subcommand)]
pub enum ContextCmd {
    /// List the contexts; the current one is marked with *
    Ls,
    /// Add a context or change its server
    Set {
        /// The context's name
        name: String,
        /// bkgd's URL, e.g. https://bkg.example.com
        url: String,
        /// Also make it the current context
        #[arg(long = "use")]
        make_current: bool,
    },
    /// Make a context the current one
    Use {
        /// The context's name
        name: String,
    },
    /// Remove a context
    Rm {
        /// The context's name
        name: String,
    },
}

/// `context ls -o json`: `{"current": name|null, "contexts": [{"name", "server", "current"}]}`.
#[derive(Debug, Serialize)]
struct ContextList {
    current: Option<String>,
    contexts: Vec<ContextRow>,
}

#[derive(Debug, Serialize)]
struct ContextRow {
    name: String,
    server: String,
    current: bool,
}

impl Render for ContextList {
    fn human(&self, style: &Style) -> String {
        let rows = self
            .contexts
            .iter()
            .map(|c| {
                vec![Cell::new(if c.current { "*" } else { "" }), Cell::new(&c.name), Cell::new(&c.server)]
            })
            .collect();
        table::list(style, &["CURRENT", "NAME", "SERVER"], rows)
    }

    fn ids(&self) -> Vec<String> {
        self.contexts.iter().map(|c| c.name.clone()).collect()
    }
}

pub fn run(ctx: &Ctx, cmd: ContextCmd) -> anyhow::Result<Exit> {
    let dir = config_dir(&ctx.global)?;
    let mut file = ConfigFile::load(&dir)?;
    match cmd {
        ContextCmd::Ls => {
            let current = file.current_context.clone();
            let contexts = file
                .contexts
                .iter()
                .map(|(name, c)| ContextRow {
                    name: name.clone(),
                    server: c.server.clone(),
                    current: current.as_deref() == Some(name.as_str()),
                })
                .collect();
            ctx.out.print(&ContextList { current, contexts })?;
            return Ok(Exit::Ok);
        }
        ContextCmd::Set { name, url, make_current } => {
            // Checked now, so a typo fails here and not in every later command.
            bkg_core::client::Client::new(&url)?;
            file.contexts.insert(name.clone(), Context { server: url });
            if make_current || file.current_context.is_none() {
                file.current_context = Some(name);
            }
        }
        ContextCmd::Use { name } => {
            file.select(Some(&name))?;
            file.current_context = Some(name);
        }
        ContextCmd::Rm { name } => {
            if file.contexts.remove(&name).is_none() {
                return Err(Fail::new(Exit::NotFound, format!("no context named {name:?}")).into());
            }
            if file.current_context.as_deref() == Some(name.as_str()) {
                file.current_context = None;
            }
        }
    }
    file.save(&dir)?;
    Ok(Exit::Ok)
}
