//! `plugins config get|set`: read the effective configuration (or one value of it), change
//! values by key, or replace it whole from a file. The daemon validates against the plugin's
//! schema and applies it live, by a hot swap, or at the next start.

use std::path::PathBuf;

use anyhow::Context as _;
use clap::Subcommand;
use serde_json::{Map, Value};

use crate::commands::Ctx;
use crate::exit::{Exit, Fail};
use crate::render::Json;
use crate::session::Api;

#[derive(Debug, Subcommand)]
pub enum ConfigCmd {
    /// Print the plugin's effective configuration, or the value at KEY
    Get {
        /// The plugin's id
        id: String,
        /// A key; nested keys are joined with dots (model.path)
        key: Option<String>,
    },
    /// Set values (VALUE is read as JSON when it parses, else as text) or replace the whole
    /// configuration with --file
    Set {
        /// The plugin's id
        id: String,
        /// KEY=VALUE pairs, e.g. threads=4 name=big model.path=/m
        #[arg(value_name = "KEY=VALUE", required_unless_present_any = ["file", "unset"])]
        pairs: Vec<String>,
        /// Remove a key (repeatable)
        #[arg(long, value_name = "KEY")]
        unset: Vec<String>,
        /// Replace the configuration with this JSON file (- for stdin)
        #[arg(long, value_name = "FILE", conflicts_with_all = ["pairs", "unset"])]
        file: Option<PathBuf>,
    },
}

pub async fn run(ctx: &Ctx, api: &mut Api, cmd: ConfigCmd) -> anyhow::Result<Exit> {
    match cmd {
        ConfigCmd::Get { id, key } => {
            let detail = api.call(async |c| c.plugin(&id).await).await?;
            let value = match &key {
                None => detail.config,
                Some(key) => lookup(&detail.config, key).cloned().ok_or_else(|| {
                    Fail::new(Exit::NotFound, format!("plugin {id} has no config key {key:?}"))
                })?,
            };
            ctx.out.print(&Json(value))?;
        }
        ConfigCmd::Set { id, pairs, unset, file } => {
            let config = match file {
                Some(path) => read_json_file(&path)?,
                None => {
                    let detail = api.call(async |c| c.plugin(&id).await).await?;
                    let mut config = detail.config;
                    for pair in &pairs {
                        let (key, raw) = pair
                            .split_once('=')
                            .ok_or_else(|| Fail::usage(format!("{pair:?} is not KEY=VALUE")))?;
                        set(&mut config, key, parse_value(raw))?;
                    }
                    for key in &unset {
                        remove(&mut config, key);
                    }
                    config
                }
            };
            ctx.out.print(&api.call(async |c| c.set_config(&id, &config).await).await?)?;
        }
    }
    Ok(Exit::Ok)
}

/// `4` is a number, `true` a boolean, `{"a":1}` an object; anything that is not JSON is text.
fn parse_value(raw: &str) -> Value {
    serde_json::from_str(raw).unwrap_or_else(|_| Value::String(raw.to_string()))
}

fn lookup<'a>(config: &'a Value, key: &str) -> Option<&'a Value> {
    key.split('.').try_fold(config, |v, k| v.get(k))
}

fn set(config: &mut Value, key: &str, value: Value) -> anyhow::Result<()> {
    let parts: Vec<&str> = key.split('.').collect();
    if parts.iter().any(|p| p.is_empty()) {
        return Err(Fail::usage(format!("{key:?} is not a valid key")).into());
    }
    let mut node = config;
    for part in &parts[..parts.len() - 1] {
        if !node.is_object() {
            *node = Value::Object(Map::new());
        }
        node = node
            .as_object_mut()
            .expect("made an object above")
            .entry(part.to_string())
            .or_insert_with(|| Value::Object(Map::new()));
    }
    if !node.is_object() {
        *node = Value::Object(Map::new());
    }
    node.as_object_mut().expect("made an object above").insert(parts[parts.len() - 1].to_string(), value);
    Ok(())
}

fn remove(config: &mut Value, key: &str) {
    let (parent, last) = match key.rsplit_once('.') {
        Some((parent, last)) => (parent.split('.').try_fold(&mut *config, |v, k| v.get_mut(k)), last),
        None => (Some(config), key),
    };
    if let Some(Value::Object(map)) = parent {
        map.remove(last);
    }
}

fn read_json_file(path: &PathBuf) -> anyhow::Result<Value> {
    let text = if path.as_os_str() == "-" {
        std::io::read_to_string(std::io::stdin()).context("reading the configuration from stdin")?
    } else {
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?
    };
    serde_json::from_str(&text)
        .map_err(|e| Fail::usage(format!("{} is not valid JSON: {e}", path.display())).into())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn sets_and_removes_nested_keys() {
        let mut c = json!({"a": 1, "m": {"x": true}});
        set(&mut c, "m.path", parse_value("/m")).unwrap();
        set(&mut c, "threads", parse_value("4")).unwrap();
        set(&mut c, "deep.er.key", parse_value("{\"k\":null}")).unwrap();
        assert_eq!(
            c,
            json!({"a": 1, "m": {"x": true, "path": "/m"}, "threads": 4, "deep": {"er": {"key": {"k": null}}}})
        );
        remove(&mut c, "m.x");
        remove(&mut c, "a");
        remove(&mut c, "no.such");
        assert_eq!(lookup(&c, "m.path"), Some(&json!("/m")));
        assert_eq!(c.get("a"), None);
        assert!(set(&mut c, "a..b", Value::Null).is_err());
    }
}
