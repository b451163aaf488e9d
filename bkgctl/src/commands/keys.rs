//! `bkgctl keys ...`: API keys through the admin API. A key is named by id or by name; its
//! secret is printed once, at create and rotate, with a note on stderr saying so.

use bkg_core::auth::{ApiKey, CreateApiKey, Permission, Role, RotateApiKey, UpdateApiKey};
use chrono::{DateTime, Utc};
use clap::builder::{PossibleValuesParser, TypedValueParser};
use clap::{ArgGroup, Args, Subcommand};

use super::Ctx;
use super::args::role_parser;
use super::named::pick;
use super::users::find_user;
use crate::exit::Exit;
use crate::output::note;
use crate::render::Deleted;
use crate::session::Api;

#[derive(Debug, Subcommand)]
pub enum KeysCmd {
    /// List the API keys you may see (your own; every key for admins)
    Ls,
    /// Create an API key and print its secret, this once
    Create(CreateKeyArgs),
    /// Change a key's name, role, scopes, expiry or enabled state
    Update(UpdateKeyArgs),
    /// Issue a new secret for a key and print it, this once
    Rotate(RotateKeyArgs),
    /// Delete a key; requests with it are refused from then on
    Rm(KeyArg),
}

fn scope_parser() -> impl TypedValueParser<Value = Permission> {
    PossibleValuesParser::new(Permission::ALL.iter().map(|p| p.as_str()))
        .map(|s| s.parse::<Permission>().expect("only the listed permissions get here"))
}

#[derive(Debug, Args)]
pub struct CreateKeyArgs {
    /// A name that says what the key is for
    pub name: String,
    /// The key's role [default: the owner's]; never more than the owner's
    #[arg(long, value_parser = role_parser())]
    pub role: Option<Role>,
    /// Limit the key to these permissions (repeatable) [default: all of its role]
    #[arg(long = "scope", value_name = "PERMISSION", value_parser = scope_parser())]
    pub scopes: Vec<Permission>,
    /// When the key stops working: RFC 3339, or a duration from now like 90d
    #[arg(long, value_name = "WHEN", value_parser = super::args::time_from_now)]
    pub expires: Option<DateTime<Utc>>,
    /// The owner, by id or username (admins only) [default: you]
    #[arg(long, value_name = "USER")]
    pub user: Option<String>,
}

#[derive(Debug, Args)]
#[command(group(ArgGroup::new("change").multiple(true).required(true)))]
pub struct UpdateKeyArgs {
    /// The key, by id or name
    pub key: String,
    /// New name
    #[arg(long, group = "change")]
    pub name: Option<String>,
    /// New role
    #[arg(long, group = "change", value_parser = role_parser())]
    pub role: Option<Role>,
    /// Replace the scopes (repeatable)
    #[arg(long = "scope", value_name = "PERMISSION", group = "change", value_parser = scope_parser())]
    pub scopes: Vec<Permission>,
    /// Remove the scopes: the key may do all its role may
    #[arg(long, group = "change", conflicts_with = "scopes")]
    pub all_scopes: bool,
    /// New expiry: RFC 3339, or a duration from now like 90d
    #[arg(long, value_name = "WHEN", group = "change", value_parser = super::args::time_from_now)]
    pub expires: Option<DateTime<Utc>>,
    /// Remove the expiry
    #[arg(long, group = "change", conflicts_with = "expires")]
    pub no_expiry: bool,
    /// Enable the key
    #[arg(long, group = "change")]
    pub enable: bool,
    /// Disable the key (requests with it are refused until it is enabled)
    #[arg(long, group = "change", conflicts_with = "enable")]
    pub disable: bool,
}

#[derive(Debug, Args)]
pub struct RotateKeyArgs {
    /// The key, by id or name
    pub key: String,
    /// How long the old secret keeps working (e.g. 1h) [default: it stops at once]
    #[arg(long, value_name = "DURATION", value_parser = super::args::duration)]
    pub grace: Option<std::time::Duration>,
}

#[derive(Debug, Args)]
pub struct KeyArg {
    /// The key, by id or name
    pub key: String,
}

const SECRET_NOTE: &str =
    "This is the only time the secret is shown: store it now. `bkgctl keys rotate` issues a new one.";

pub async fn run(ctx: &Ctx, cmd: KeysCmd) -> anyhow::Result<Exit> {
    let out = &ctx.out;
    let mut api = ctx.api()?;
    match cmd {
        KeysCmd::Ls => out.print(&api.call(async |c| c.api_keys().await).await?)?,
        KeysCmd::Create(a) => {
            let user_id = match &a.user {
                Some(u) => Some(find_user(&mut api, u).await?.id),
                None => None,
            };
            let req = CreateApiKey {
                name: a.name,
                role: a.role,
                scopes: if a.scopes.is_empty() { None } else { Some(a.scopes) },
                expires_at: a.expires,
                user_id,
            };
            let created = api.call(async |c| c.create_api_key(&req).await).await?;
            out.print(&created)?;
            if !out.quiet {
                note(SECRET_NOTE);
            }
        }
        KeysCmd::Update(a) => {
            let id = find_key(&mut api, &a.key).await?.id;
            let update = UpdateApiKey {
                name: a.name,
                role: a.role,
                scopes: if a.all_scopes {
                    Some(Vec::new())
                } else if a.scopes.is_empty() {
                    None
                } else {
                    Some(a.scopes)
                },
                expires_at: if a.no_expiry { Some(None) } else { a.expires.map(Some) },
                enabled: if a.enable {
                    Some(true)
                } else if a.disable {
                    Some(false)
                } else {
                    None
                },
            };
            out.print(&api.call(async |c| c.update_api_key(&id, &update).await).await?)?;
        }
        KeysCmd::Rotate(a) => {
            let id = find_key(&mut api, &a.key).await?.id;
            let req = RotateApiKey { grace_period_seconds: a.grace.map(|d| d.as_secs()) };
            let rotated = api.call(async |c| c.rotate_api_key(&id, &req).await).await?;
            out.print(&rotated)?;
            if !out.quiet {
                note(SECRET_NOTE);
            }
        }
        KeysCmd::Rm(a) => {
            let id = find_key(&mut api, &a.key).await?.id;
            api.call(async |c| c.delete_api_key(&id).await).await?;
            out.print(&Deleted { id, deleted: true })?;
        }
    }
    Ok(Exit::Ok)
}

async fn find_key(api: &mut Api, name: &str) -> anyhow::Result<ApiKey> {
    let keys = api.call(async |c| c.api_keys().await).await?.keys;
    pick(keys, name, "API key", |k| (&k.id, &k.name))
}
