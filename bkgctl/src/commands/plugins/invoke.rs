//! `plugins invoke`: one call with a JSON input (an argument, a file or stdin); with
//! `--stream`, chunks are printed as they arrive. Ctrl-C drops the connection, which makes the
//! daemon cancel the call inside the plugin.

use std::path::PathBuf;

use anyhow::Context as _;
use bkg_core::client::ClientError;
use bkg_core::plugin::InvokeEvent;
use clap::Args;
use futures_util::StreamExt;
use serde_json::Value;

use crate::commands::{Ctx, Interrupt};
use crate::exit::{Exit, Fail};
use crate::session::Api;

#[derive(Debug, Args)]
pub struct InvokeArgs {
    /// The plugin's id
    pub id: String,
    /// The capability (`bkgctl plugins caps ID` lists them)
    pub capability: String,
    /// The input as JSON, or - to read it from stdin [default: {}]
    #[arg(value_name = "JSON")]
    pub input: Option<String>,
    /// Read the input from this JSON file
    #[arg(long, value_name = "FILE", conflicts_with = "input")]
    pub input_file: Option<PathBuf>,
    /// Print partial results as they arrive (-o json: one InvokeEvent per line)
    #[arg(long)]
    pub stream: bool,
}

fn input(a: &InvokeArgs) -> anyhow::Result<Value> {
    let (text, origin) = match (&a.input, &a.input_file) {
        (Some(s), _) if s == "-" => (std::io::read_to_string(std::io::stdin())?, "stdin".to_string()),
        (Some(s), _) => (s.clone(), "the input".to_string()),
        (None, Some(path)) => (
            std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?,
            path.display().to_string(),
        ),
        (None, None) => return Ok(Value::Object(Default::default())),
    };
    serde_json::from_str(&text).map_err(|e| Fail::usage(format!("{origin} is not valid JSON: {e}")).into())
}

pub async fn run(ctx: &Ctx, api: &mut Api, a: InvokeArgs) -> anyhow::Result<Exit> {
    let input = input(&a)?;
    let mut interrupt = Interrupt::catch()?;
    if !a.stream {
        let resp = tokio::select! {
            r = api.call(async |c| c.invoke(&a.id, &a.capability, &input).await) => r?,
            () = interrupt.recv() => return Ok(Exit::Interrupted),
        };
        ctx.out.print(&resp)?;
        return Ok(Exit::Ok);
    }
    let mut events = Box::pin(api.call(async |c| c.invoke_stream(&a.id, &a.capability, &input).await).await?);
    loop {
        let event = tokio::select! {
            e = events.next() => e,
            () = interrupt.recv() => return Ok(Exit::Interrupted),
        };
        match event {
            Some(Ok(InvokeEvent::Error(body))) => {
                return Err(ClientError::Api { status: body.code.http_status(), body }.into());
            }
            Some(Ok(event)) => ctx.out.print_item(&event)?,
            Some(Err(e)) => return Err(e.into()),
            None => return Ok(Exit::Ok),
        }
    }
}
