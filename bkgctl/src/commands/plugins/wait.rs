//! `plugins restart --wait`: follows the plugin's status over the WebSocket until it runs.
//! The subscription answers with the current status first, so there is no window in which a
//! change could be missed between the restart's answer and the subscription.

use std::time::Duration;

use bkg_core::client::ClientError;
use bkg_core::plugin::{PluginState, PluginStatus};
use bkg_core::ws::{ServerMessage, Topic};

use crate::commands::Interrupt;
use crate::exit::{Exit, Fail};
use crate::session::Api;

pub async fn until_running(api: &mut Api, id: &str, timeout: Duration) -> anyhow::Result<PluginStatus> {
    let mut interrupt = Interrupt::catch()?;
    let mut ws = api.call(async |c| c.ws().await).await?;
    ws.subscribe(Topic::Status, Some(id)).await?;
    let deadline = tokio::time::sleep(timeout);
    tokio::pin!(deadline);
    let mut last: Option<PluginStatus> = None;
    loop {
        tokio::select! {
            msg = ws.next() => match msg {
                Some(Ok(ServerMessage::Status(s))) if s.id == id => match s.status {
                    PluginState::Running => return Ok(s),
                    PluginState::Failed | PluginState::Stopped => {
                        let reason = s.reason.clone().unwrap_or_else(|| "no reason given".into());
                        return Err(Fail::new(Exit::Failure, format!("plugin {id} is {}: {reason}", s.status)).into());
                    }
                    _ => last = Some(s),
                },
                Some(Ok(ServerMessage::Error(body))) => {
                    return Err(ClientError::Api { status: body.code.http_status(), body }.into());
                }
                Some(Ok(_)) => {}
                Some(Err(e)) => return Err(e.into()),
                None => return Err(Fail::new(Exit::Unreachable, "bkgd closed the status stream").into()),
            },
            () = &mut deadline => {
                let state = last.map(|s| s.status.to_string()).unwrap_or_else(|| "unknown".into());
                return Err(Fail::new(
                    Exit::Failure,
                    format!("plugin {id} is still {state} after {}s", timeout.as_secs()),
                ).into());
            }
            () = interrupt.recv() => {
                return Err(Fail::new(Exit::Interrupted, format!("stopped waiting; bkgd goes on restarting {id}")).into());
            }
        }
    }
}
