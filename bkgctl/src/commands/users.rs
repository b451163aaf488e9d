//! `bkgctl users ...`: users through the admin API, named by id or username. Passwords are
//! asked for without echo or read from stdin, never taken as flags.

use bkg_core::auth::{CreateUser, Role, UpdateUser, User};
use clap::{ArgGroup, Args, Subcommand};

use super::Ctx;
use super::args::role_parser;
use super::named::pick;
use crate::exit::Exit;
use crate::prompt;
use crate::render::Deleted;
use crate::session::Api;

#[derive(Debug, Subcommand)]
pub enum UsersCmd {
    /// List users
    Ls,
    /// Create a user; the password is asked for without echo, or read from stdin
    Create(CreateUserArgs),
    /// Change a user's role, password or enabled state
    Update(UpdateUserArgs),
    /// Delete a user and their API keys
    Rm(UserArg),
}

#[derive(Debug, Args)]
pub struct CreateUserArgs {
    /// The name the user logs in with
    pub username: String,
    /// The user's role
    #[arg(long, value_parser = role_parser())]
    pub role: Role,
    /// Read the password from stdin instead of asking for it
    #[arg(long)]
    pub password_stdin: bool,
}

#[derive(Debug, Args)]
#[command(group(ArgGroup::new("change").multiple(true).required(true)))]
pub struct UpdateUserArgs {
    /// The user, by id or username
    pub user: String,
    /// New role (ends the user's sessions)
    #[arg(long, group = "change", value_parser = role_parser())]
    pub role: Option<Role>,
    /// Set a new password, asked for without echo (ends the user's sessions)
    #[arg(long, group = "change")]
    pub password: bool,
    /// Set a new password read from stdin
    #[arg(long, group = "change", conflicts_with = "password")]
    pub password_stdin: bool,
    /// Enable the user
    #[arg(long, group = "change")]
    pub enable: bool,
    /// Disable the user (ends their sessions; their keys stop working)
    #[arg(long, group = "change", conflicts_with = "enable")]
    pub disable: bool,
}

#[derive(Debug, Args)]
pub struct UserArg {
    /// The user, by id or username
    pub user: String,
}

pub async fn run(ctx: &Ctx, cmd: UsersCmd) -> anyhow::Result<Exit> {
    let out = &ctx.out;
    let mut api = ctx.api()?;
    match cmd {
        UsersCmd::Ls => out.print(&api.call(async |c| c.users().await).await?)?,
        UsersCmd::Create(a) => {
            let password = if a.password_stdin {
                prompt::secret_from_stdin("password")?
            } else {
                prompt::new_password("--password-stdin")?
            };
            let req = CreateUser { username: a.username, password, role: a.role };
            out.print(&api.call(async |c| c.create_user(&req).await).await?)?;
        }
        UsersCmd::Update(a) => {
            let id = find_user(&mut api, &a.user).await?.id;
            let password = if a.password_stdin {
                Some(prompt::secret_from_stdin("password")?)
            } else if a.password {
                Some(prompt::new_password("--password-stdin")?)
            } else {
                None
            };
            let disabled = if a.disable {
                Some(true)
            } else if a.enable {
                Some(false)
            } else {
                None
            };
            let req = UpdateUser { role: a.role, password, disabled };
            out.print(&api.call(async |c| c.update_user(&id, &req).await).await?)?;
        }
        UsersCmd::Rm(a) => {
            let id = find_user(&mut api, &a.user).await?.id;
            api.call(async |c| c.delete_user(&id).await).await?;
            out.print(&Deleted { id, deleted: true })?;
        }
    }
    Ok(Exit::Ok)
}

pub(super) async fn find_user(api: &mut Api, name: &str) -> anyhow::Result<User> {
    let users = api.call(async |c| c.users().await).await?.users;
    pick(users, name, "user", |u| (&u.id, &u.username))
}
