//! `models pull`: asks the daemon to download (202 at once), then follows the job on the
//! `models` WebSocket topic until the model is ready, failed or invalid. The subscription is
//! acknowledged before the request is sent, so no event of the job can be missed; after a
//! `lagged` notice the model is read again. The download is the daemon's job: Ctrl-C (or
//! `--detach`) only stops following it.

use bkg_core::client::ClientError;
use bkg_core::models::{DownloadRequest, Model, ModelStatus};
use bkg_core::ws::{ServerMessage, Topic};
use clap::Args;

use super::progress::Display;
use crate::commands::{Ctx, Interrupt};
use crate::exit::{Exit, Fail};
use crate::output::note;
use crate::session::Api;

#[derive(Debug, Args)]
pub struct PullArgs {
    /// The repository on the hub (org/name)
    pub repo: String,
    /// Branch, tag or commit [default: main]
    #[arg(long)]
    pub revision: Option<String>,
    /// Only files matching this glob, e.g. '*.safetensors' (repeatable)
    #[arg(long = "file", value_name = "GLOB")]
    pub files: Vec<String>,
    /// Return once the daemon accepted the download (prints the job; -o json: DownloadAccepted)
    #[arg(long)]
    pub detach: bool,
}

pub async fn run(ctx: &Ctx, api: &mut Api, a: PullArgs) -> anyhow::Result<Exit> {
    let req = DownloadRequest {
        repo: a.repo.clone(),
        revision: a.revision.clone(),
        files: if a.files.is_empty() { None } else { Some(a.files.clone()) },
    };
    if a.detach {
        ctx.out.print(&api.call(async |c| c.download_model(&req).await).await?)?;
        return Ok(Exit::Ok);
    }
    let mut interrupt = Interrupt::catch()?;
    let mut ws = api.call(async |c| c.ws().await).await?;
    ws.subscribe(Topic::Models, None).await?;
    loop {
        match ws.next().await {
            Some(Ok(ServerMessage::Ack(_))) => break,
            Some(Ok(ServerMessage::Error(body))) => {
                return Err(ClientError::Api { status: body.code.http_status(), body }.into());
            }
            Some(Ok(_)) => {}
            Some(Err(e)) => return Err(e.into()),
            None => return Err(Fail::new(Exit::Unreachable, "bkgd closed the connection").into()),
        }
    }
    let accepted = api.call(async |c| c.download_model(&req).await).await?;
    let id = accepted.model.id.clone();
    let mut display = Display::new(&ctx.out, &accepted.model.repo);
    display.update(accepted.model.status, &accepted.model.progress);
    let mut status = accepted.model.status;
    while status.is_active() {
        tokio::select! {
            msg = ws.next() => match msg {
                Some(Ok(ServerMessage::Model(ev))) if ev.id == id => {
                    display.update(ev.status, &ev.progress);
                    status = ev.status;
                }
                Some(Ok(ServerMessage::Lagged(_))) => {
                    let m = api.call(async |c| c.model(&id).await).await?;
                    display.update(m.status, &m.progress);
                    status = m.status;
                }
                Some(Ok(_)) => {}
                Some(Err(e)) => {
                    display.abandon();
                    return Err(anyhow::Error::from(e).context(format!("following the download of model {id}")));
                }
                None => {
                    display.abandon();
                    return Err(Fail::new(Exit::Unreachable, format!(
                        "bkgd closed the connection; `bkgctl models show {id}` shows where the download is"
                    )).into());
                }
            },
            () = interrupt.recv() => {
                display.abandon();
                note(format!(
                    "stopped following; bkgd goes on downloading {} (`bkgctl models show {id}`)",
                    accepted.model.repo
                ));
                return Ok(Exit::Interrupted);
            }
        }
    }
    let model = api.call(async |c| c.model(&id).await).await?;
    finish(ctx, display, model)
}

fn finish(ctx: &Ctx, mut display: Display, model: Model) -> anyhow::Result<Exit> {
    match model.status {
        ModelStatus::Ready => {
            display.done(&model);
            ctx.out.print(&model)?;
            Ok(Exit::Ok)
        }
        _ => {
            display.abandon();
            let why = model.error.clone().unwrap_or_else(|| model.problems.join("; "));
            Err(Fail::new(
                Exit::Failure,
                format!("model {} ({}) is {}: {why}", model.id, model.repo, model.status),
            )
            .into())
        }
    }
}
