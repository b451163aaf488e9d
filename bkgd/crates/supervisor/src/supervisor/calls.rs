//! Who a call is for (`Origin`), and plugin-to-plugin calls: a plugin invokes another plugin's
//! capability through the daemon (`plugins.invoke`), on behalf of the user whose request it is
//! serving.
//!
//! Rules: the calling plugin's manifest must list the capability in `calls`; the callee
//! capability's own permission is checked against the user at the root of the chain (a plugin
//! never lends a user rights they lack); a plugin may not appear twice in a chain (no cycles)
//! and a request involves at most `MAX_CHAIN` plugins; the callee sees the user and the chain in
//! its `invoke`; every call is audited.

use std::sync::Arc;
use std::time::{Duration, Instant};

use bkg_core::auth::Permission;
use bkg_core::protocol::methods::PluginsInvoke;
use bkg_core::protocol::{Caller, ProtocolCode, ProtocolError};
use serde_json::{Value, json};

use super::instance::Instance;
use super::{Ctx, Reply, SupervisorError};
use crate::store::NewAuditEvent;

/// Most plugins one request may involve, the first one included.
pub const MAX_CHAIN: usize = 4;

/// Who a call is for.
#[derive(Debug, Clone, Default)]
pub struct Origin {
    /// The user (or API key) at the root, as the audit log names them; `None` for a plugin's
    /// own background work.
    pub actor: Option<String>,
    /// What that user may do: a capability's own permission is checked against it.
    pub permissions: Vec<Permission>,
    pub ip: Option<String>,
    /// The plugins the request passed through, outermost first.
    pub chain: Vec<String>,
}

impl Origin {
    /// What the called plugin sees in its `invoke`.
    pub fn caller(&self) -> Caller {
        Caller { user: self.actor.clone(), plugin: self.chain.last().cloned(), chain: self.chain.clone() }
    }
}

fn refuse(code: ProtocolCode, message: String) -> ProtocolError {
    ProtocolError::new(code, message, true)
}

/// Whether `calls` (a manifest's list) allows `plugin.capability`.
pub fn allowed(calls: &[String], plugin: &str, capability: &str) -> bool {
    calls.iter().any(|c| {
        c.strip_prefix(plugin).and_then(|r| r.strip_prefix('.')).is_some_and(|r| r == "*" || r == capability)
    })
}

/// Answers `plugins.invoke` from `caller`.
pub async fn invoke(ctx: &Ctx, caller: &Arc<Instance>, p: PluginsInvoke) -> Result<Value, ProtocolError> {
    let started = Instant::now();
    let origin = match p.request {
        Some(id) => caller.origin_of(id).ok_or_else(|| {
            refuse(
                ProtocolCode::UnknownRequest,
                format!("request {id} is not in flight; pass the id of the request the call is made for"),
            )
        })?,
        None => Arc::new(Origin::default()),
    };
    let outcome = check_and_call(ctx, caller, &p, &origin).await;
    let (success, code) = match &outcome {
        Ok(_) => (true, "ok".to_string()),
        Err(e) => (false, e.code.clone()),
    };
    let actor = format!("plugin:{} for {}", caller.plugin_id, origin.actor.as_deref().unwrap_or("itself"));
    let event = NewAuditEvent {
        action: "plugin.call".into(),
        actor: Some(actor),
        target: Some(p.plugin.clone()),
        success,
        ip: origin.ip.clone(),
        details: json!({"capability": p.capability, "outcome": code, "chain": origin.chain,
                        "durationMs": started.elapsed().as_secs_f64() * 1000.0}),
    };
    if let Err(e) = ctx.store.audit(&event).await {
        tracing::error!(error = %e, "cannot write the audit row of a plugin-to-plugin call");
    }
    outcome
}

async fn check_and_call(
    ctx: &Ctx,
    caller: &Arc<Instance>,
    p: &PluginsInvoke,
    origin: &Origin,
) -> Result<Value, ProtocolError> {
    let sup = ctx
        .supervisor()
        .ok_or_else(|| refuse(ProtocolCode::ShuttingDown, "the daemon is shutting down".into()))?;
    let me = &*caller.plugin_id;
    let calls = sup.get(me).map(|h| h.loaded.manifest.calls.clone()).unwrap_or_default();
    if !allowed(&calls, &p.plugin, &p.capability) {
        return Err(refuse(
            ProtocolCode::CallNotAllowed,
            format!(
                "plugin {me} may not call {}.{}: its manifest's `calls` must list \"{}.{}\" (or \"{}.*\")",
                p.plugin, p.capability, p.plugin, p.capability, p.plugin
            ),
        ));
    }
    let mut chain = origin.chain.clone();
    chain.push(me.to_string());
    if chain.contains(&p.plugin) {
        return Err(refuse(
            ProtocolCode::CallCycle,
            format!("{} would call itself again (chain: {})", p.plugin, chain.join(" -> ")),
        ));
    }
    if chain.len() >= MAX_CHAIN {
        return Err(refuse(
            ProtocolCode::CallTooDeep,
            format!(
                "a request may involve at most {MAX_CHAIN} plugins ({} -> {})",
                chain.join(" -> "),
                p.plugin
            ),
        ));
    }
    let callee = sup
        .get(&p.plugin)
        .ok_or_else(|| refuse(ProtocolCode::NotFound, format!("no plugin with id {:?}", p.plugin)))?;
    if let Some(need) = callee.capability_permission(&p.capability)
        && !origin.permissions.contains(&need)
    {
        let who = origin.actor.as_deref().unwrap_or("a plugin's background work");
        return Err(refuse(
            ProtocolCode::Forbidden,
            format!("{}.{} needs the permission {need}, which {who} does not have", p.plugin, p.capability),
        ));
    }
    let next = Arc::new(Origin { chain, ..origin.clone() });
    let mut call = callee.begin_call(&p.capability, p.input.clone(), next).map_err(|e| {
        let code = match &e {
            SupervisorError::NotRunning { .. } => ProtocolCode::NotRunning,
            SupervisorError::CapabilityNotFound { .. } => ProtocolCode::UnknownCapability,
            SupervisorError::Schema(_) => ProtocolCode::BadInput,
            _ => ProtocolCode::Internal,
        };
        refuse(code, e.to_string())
    })?;
    let in_flight = callee.stats.begin();
    let started = Instant::now();
    let limit = match callee.loaded.manifest.timeouts.invoke_ms {
        0 => Duration::MAX,
        ms => Duration::from_millis(ms),
    };
    let result = tokio::time::timeout(limit, async {
        loop {
            match call.next().await {
                Some(Reply::Chunk(_)) => continue,
                Some(Reply::Result(v)) => return Ok(v),
                Some(Reply::Error(e)) => return Err(e),
                Some(Reply::Gone(reason)) => return Err(crashed(&p.plugin, &reason)),
                None => return Err(crashed(&p.plugin, "its process is gone")),
            }
        }
    })
    .await
    .unwrap_or_else(|_| {
        Err(ProtocolError::new(ProtocolCode::Timeout, format!("{} did not answer in time", p.plugin), false))
    });
    in_flight.finish(started.elapsed(), result.is_ok());
    result
}

fn crashed(plugin: &str, reason: &str) -> ProtocolError {
    ProtocolError::new(ProtocolCode::PluginCrashed, format!("{plugin} failed the call: {reason}"), false)
}
