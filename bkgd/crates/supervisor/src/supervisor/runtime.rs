//! Plugin runtimes: a manifest's `[runtime]` names a Python or Node.js environment with
//! dependencies. An admin installs it explicitly (`POST /api/plugins/{id}/install`,
//! `bkgctl plugins install`), never the daemon on its own at start: a plugin whose runtime is
//! missing or outdated refuses to start and says how to install it.
//!
//! Each plugin's runtime lives in `<data_dir>/runtimes/<id>/` (`venv/` or `node/`), next to a
//! marker with a hash of the dependency files it was installed from, so an edited
//! `requirements.txt` or lockfile shows as `outdated`. An install builds next to the old
//! environment and swaps it in only on success: a failed install leaves the previous one.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::Arc;

use bkg_core::plugin::PluginState;
use bkg_core::runtime::{RuntimeKind, RuntimeSpec, RuntimeState, RuntimeStatus};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::sync::mpsc;

use super::PluginHandle;

/// Why an install did not happen or did not succeed.
#[derive(Debug, thiserror::Error)]
pub enum InstallError {
    #[error("plugin {0:?} declares no [runtime] in its manifest; there is nothing to install")]
    NoRuntime(String),
    #[error("plugin {0:?} is {1}; stop it before installing its runtime")]
    Running(String, PluginState),
    #[error("an install of {0:?} is already running")]
    Busy(String),
    #[error("{0}")]
    Failed(String),
}

/// What an install left behind.
#[derive(Debug, Serialize, Deserialize)]
struct Marker {
    kind: RuntimeKind,
    /// SHA-256 over the dependency files it was installed from.
    inputs: String,
    installed_at: DateTime<Utc>,
}

/// The in-memory part of a runtime's state: an install running, or the last one's failure.
#[derive(Debug, Default)]
pub struct Live {
    installing: bool,
    failed: Option<String>,
}

const MARKER: &str = "installed.json";

fn env_dir(dir: &Path, kind: RuntimeKind) -> PathBuf {
    dir.join(match kind {
        RuntimeKind::Python => "venv",
        RuntimeKind::Node => "node",
    })
}

/// The dependency files of a runtime, relative to the manifest's folder.
fn inputs(spec: &RuntimeSpec) -> Vec<String> {
    match spec.kind {
        RuntimeKind::Python => vec![spec.requirements.clone().unwrap_or_else(|| "requirements.txt".into())],
        RuntimeKind::Node => vec!["package.json".into(), "package-lock.json".into()],
    }
}

/// Checks `[runtime]` of a manifest: its files are plain relative names inside the folder.
pub fn check(spec: &RuntimeSpec) -> Result<(), String> {
    for file in inputs(spec) {
        let p = Path::new(&file);
        if p.is_absolute() || p.components().any(|c| matches!(c, std::path::Component::ParentDir)) {
            return Err(format!("runtime.requirements {file:?} must be a path inside the plugin's folder"));
        }
    }
    Ok(())
}

fn hash_inputs(spec: &RuntimeSpec, base: &Path) -> Result<String, String> {
    let mut h = Sha256::new();
    h.update(format!("{:?}\n", spec.kind));
    for file in inputs(spec) {
        let bytes = std::fs::read(base.join(&file))
            .map_err(|e| format!("cannot read {} for the runtime: {e}", base.join(&file).display()))?;
        h.update(file.as_bytes());
        h.update([0]);
        h.update(&bytes);
    }
    Ok(hex::encode(h.finalize()))
}

impl PluginHandle {
    fn runtime_spec(&self) -> Option<&RuntimeSpec> {
        self.loaded.manifest.runtime.as_ref()
    }

    fn runtime_dir(&self) -> PathBuf {
        self.ctx().runtimes.join(&*self.id)
    }

    /// The runtime's state, when the manifest declares one.
    pub fn runtime_status(&self) -> Option<RuntimeStatus> {
        let spec = self.runtime_spec()?;
        let live = self.runtime_live.lock();
        let marker: Option<Marker> = std::fs::read(self.runtime_dir().join(MARKER))
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .filter(|m: &Marker| m.kind == spec.kind);
        let current = hash_inputs(spec, &self.loaded.base_dir).ok();
        let (state, message) = if live.installing {
            (RuntimeState::Installing, None)
        } else if let Some(failed) = &live.failed {
            (RuntimeState::Failed, Some(failed.clone()))
        } else {
            match &marker {
                None => (RuntimeState::NotInstalled, None),
                Some(m) if Some(&m.inputs) == current.as_ref() => (RuntimeState::Installed, None),
                Some(_) => (RuntimeState::Outdated, None),
            }
        };
        Some(RuntimeStatus { kind: spec.kind, state, message, installed_at: marker.map(|m| m.installed_at) })
    }

    /// Why the plugin cannot start yet, if its runtime is not installed and current.
    pub fn runtime_missing(&self) -> Option<String> {
        let status = self.runtime_status()?;
        let how = format!(
            "install it with `bkgctl plugins install {}` (POST /api/plugins/{}/install)",
            self.id, self.id
        );
        match status.state {
            RuntimeState::Installed => None,
            RuntimeState::Installing => {
                Some("its runtime is being installed; start it when that is done".into())
            }
            RuntimeState::Outdated => {
                Some(format!("its runtime's dependency files changed since they were installed; {how}"))
            }
            RuntimeState::NotInstalled | RuntimeState::Failed => {
                let kind = match status.kind {
                    RuntimeKind::Python => "Python",
                    RuntimeKind::Node => "Node.js",
                };
                Some(format!("its {kind} runtime is not installed; {how}"))
            }
        }
    }

    /// Environment entries that put the installed runtime first.
    pub(super) fn runtime_env(&self, env: &[(String, String)]) -> Vec<(String, String)> {
        let Some(spec) = self.runtime_spec() else { return Vec::new() };
        let dir = env_dir(&self.runtime_dir(), spec.kind);
        let prepend = |key: &str, first: PathBuf| {
            let rest = env.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v.clone()).or_else(|| {
                // PATH comes from the daemon's own environment unless the manifest sets it.
                (key == "PATH").then(|| std::env::var("PATH").unwrap_or_default())
            });
            let first = first.display().to_string();
            (
                key.to_string(),
                match rest.filter(|r| !r.is_empty()) {
                    Some(rest) => format!("{first}:{rest}"),
                    None => first,
                },
            )
        };
        match spec.kind {
            RuntimeKind::Python => {
                vec![prepend("PATH", dir.join("bin")), ("VIRTUAL_ENV".into(), dir.display().to_string())]
            }
            RuntimeKind::Node => vec![prepend("NODE_PATH", dir.join("node_modules"))],
        }
    }

    /// Installs the runtime, sending the installer's output lines to `out` (and to the plugin's
    /// log) as they come.
    pub async fn install_runtime(
        self: &Arc<Self>,
        out: mpsc::UnboundedSender<String>,
    ) -> Result<RuntimeStatus, InstallError> {
        let spec =
            self.runtime_spec().cloned().ok_or_else(|| InstallError::NoRuntime(self.id.to_string()))?;
        let state = self.status().status;
        if !matches!(state, PluginState::Stopped | PluginState::Failed) {
            return Err(InstallError::Running(self.id.to_string(), state));
        }
        {
            let mut live = self.runtime_live.lock();
            if live.installing {
                return Err(InstallError::Busy(self.id.to_string()));
            }
            live.installing = true;
            live.failed = None;
        }
        let result = self.run_install(&spec, &out).await;
        let mut live = self.runtime_live.lock();
        live.installing = false;
        if let Err(e) = &result {
            live.failed = Some(e.clone());
        }
        drop(live);
        match result {
            Ok(()) => Ok(self.runtime_status().expect("the plugin has a runtime")),
            Err(e) => Err(InstallError::Failed(e)),
        }
    }

    async fn run_install(
        &self,
        spec: &RuntimeSpec,
        out: &mpsc::UnboundedSender<String>,
    ) -> Result<(), String> {
        let dir = self.runtime_dir();
        crate::private_fs::dir(&dir).map_err(|e| format!("{e:#}"))?;
        let target = env_dir(&dir, spec.kind);
        let aside = target.with_extension("previous");
        let _ = std::fs::remove_dir_all(&aside);
        let had_previous = std::fs::rename(&target, &aside).is_ok();
        let base = self.loaded.base_dir.clone();
        let inputs_hash = hash_inputs(spec, &base)?;
        let built = match spec.kind {
            RuntimeKind::Python => {
                let reqs = base.join(inputs(spec).remove(0));
                let venv = target.display().to_string();
                let python = target.join("bin/python").display().to_string();
                let install: Vec<String> = if reqs.ends_with("pyproject.toml") {
                    vec![base.display().to_string()]
                } else {
                    vec!["-r".into(), reqs.display().to_string()]
                };
                let mut pip = vec![
                    "-m".to_string(),
                    "pip".into(),
                    "install".into(),
                    "--disable-pip-version-check".into(),
                    "--no-input".into(),
                    "--progress-bar".into(),
                    "off".into(),
                ];
                pip.extend(install);
                match self.run_step("python3", &["-m".into(), "venv".into(), venv], &base, out).await {
                    Ok(()) => self.run_step(&python, &pip, &base, out).await,
                    Err(e) => Err(e),
                }
            }
            RuntimeKind::Node => {
                let copied = crate::private_fs::dir(&target).map_err(|e| format!("{e:#}")).and_then(|()| {
                    for f in inputs(spec) {
                        std::fs::copy(base.join(&f), target.join(&f))
                            .map_err(|e| format!("cannot copy {f} into the runtime: {e}"))?;
                    }
                    Ok(())
                });
                match copied {
                    Ok(()) => {
                        let args = ["ci", "--no-audit", "--no-fund", "--loglevel=warn"].map(String::from);
                        self.run_step("npm", &args, &target, out).await
                    }
                    Err(e) => Err(e),
                }
            }
        };
        match built {
            Ok(()) => {
                let marker = Marker { kind: spec.kind, inputs: inputs_hash, installed_at: Utc::now() };
                let bytes = serde_json::to_vec(&marker).map_err(|e| e.to_string())?;
                let _ = std::fs::remove_file(dir.join(MARKER));
                crate::private_fs::write_new(&dir.join(MARKER), &bytes).map_err(|e| format!("{e:#}"))?;
                let _ = std::fs::remove_dir_all(&aside);
                Ok(())
            }
            Err(e) => {
                let _ = std::fs::remove_dir_all(&target);
                if had_previous {
                    let _ = std::fs::rename(&aside, &target);
                }
                Err(e)
            }
        }
    }

    /// Runs one installer command, streaming stdout and stderr line by line; the error holds
    /// its last lines.
    async fn run_step(
        &self,
        program: &str,
        args: &[String],
        cwd: &Path,
        out: &mpsc::UnboundedSender<String>,
    ) -> Result<(), String> {
        let shown = format!("{program} {}", args.join(" "));
        let _ = out.send(format!("$ {shown}"));
        self.note_install(format!("$ {shown}"));
        let mut child = tokio::process::Command::new(program)
            .args(args)
            .current_dir(cwd)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .map_err(|e| format!("cannot run {program}: {e} (is it installed and on the daemon's PATH?)"))?;
        let (tx, mut rx) = mpsc::unbounded_channel::<String>();
        for pipe in
            [child.stdout.take().map(box_read), child.stderr.take().map(box_read)].into_iter().flatten()
        {
            let tx = tx.clone();
            tokio::spawn(async move {
                let mut lines = BufReader::new(pipe).lines();
                while let Ok(Some(line)) = lines.next_line().await {
                    if tx.send(line).is_err() {
                        break;
                    }
                }
            });
        }
        drop(tx);
        let mut tail: std::collections::VecDeque<String> = Default::default();
        while let Some(line) = rx.recv().await {
            self.note_install(line.clone());
            let _ = out.send(line.clone());
            if tail.len() == 12 {
                tail.pop_front();
            }
            tail.push_back(line);
        }
        let status = child.wait().await.map_err(|e| format!("{shown}: {e}"))?;
        if status.success() {
            return Ok(());
        }
        Err(format!("{shown} failed ({status}):\n{}", tail.into_iter().collect::<Vec<_>>().join("\n")))
    }

    fn note_install(&self, line: String) {
        self.logs().note(
            &self.id,
            self.status().run,
            bkg_core::logs::LogLevel::Info,
            format!("install: {line}"),
        );
    }
}

fn box_read(
    r: impl tokio::io::AsyncRead + Unpin + Send + 'static,
) -> Box<dyn tokio::io::AsyncRead + Unpin + Send> {
    Box::new(r)
}
