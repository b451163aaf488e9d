//! bkgd, the bkg daemon, as a library: [`run`] serves the API on a given listener until a
//! given shutdown future resolves, so the binary and the tests start it the same way (tests
//! bind 127.0.0.1:0).

pub mod api;
pub mod cluster;
pub mod notify;
pub mod telemetry;
pub mod tls;

// The domain, one crate per layer under `bkgd/crates/` (ARCHITECTURE.md, "Layers"), under the
// names the daemon's code and its tests use (`bkgd::supervisor::Supervisor`).
pub use bkgd_auth::auth;
pub use bkgd_base::{config, error, memory, private_fs};
pub use bkgd_events::{events, logs};
pub use bkgd_models::models;
pub use bkgd_store::{store, usage};
pub use bkgd_supervisor::supervisor;

/// The commit this bkgd was built from (see `build.rs`).
pub const COMMIT: &str = env!("BKG_COMMIT");

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use tokio_util::sync::CancellationToken;

use crate::config::Config;
use crate::events::EventHub;
use crate::logs::Logs;
use crate::store::Store;
use crate::supervisor::spawn::Spawner;
use crate::supervisor::{Ctx, Supervisor, manifest};
use crate::telemetry::Telemetry;

/// Serves until `shutdown` resolves, then stops every plugin (keeping their desired state),
/// flushes the logs and closes the database.
pub async fn run(
    config: Config,
    listener: tokio::net::TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    // The data dir and the cache are the daemon's alone (see `private_fs`); the plugins
    // folder may be an operator's (e.g. read-only under /etc), so it is only created.
    private_fs::dir(&config.data_dir)?;
    private_fs::dir(&config.cache_dir)?;
    if !config.plugins_dir.exists() {
        private_fs::dir(&config.plugins_dir)?;
    }
    let db_url = config.effective_database_url();
    let store = Store::connect(&db_url)
        .await
        .with_context(|| format!("cannot open the database {}", config::redact_url(&db_url)))?;
    let node = cluster::Node::identify(&config, listener.local_addr()?)?;
    // From here on the store reads and writes this node's plugin state.
    let store = node.register(&store).await?;
    let token = CancellationToken::new();
    // Logouts, key deletions and role changes made on other nodes end cached credentials here.
    let credential_watch = store.watch_credentials(token.clone());
    let hub = Arc::new(EventHub::default());
    let logs = Logs::open(config.data_dir.join("logs"), config.logs.clone(), hub.clone())
        .context("cannot open the plugin log directory")?;
    let spawner = Spawner::start().context("cannot start the plugin spawner")?;
    let usage = usage::Usage::new(store.clone(), &config.analytics);
    let models = models::ModelManager::new(
        &config.models,
        &config.cache_dir,
        models::ImportPolicy::from_config(&config),
        store.clone(),
        hub.clone(),
        usage.clone(),
    )
    .context("cannot set up the model manager")?;
    let ctx = Arc::new(Ctx {
        logs: logs.clone(),
        store: store.clone(),
        hub: hub.clone(),
        spawner,
        models: models.clone(),
        plugin_data: config.data_dir.join("plugin-data"),
        runtimes: config.data_dir.join("runtimes"),
        supervisor: Default::default(),
        api: Default::default(),
        sdks: supervisor::shipped::install(&config.data_dir.join("sdk"))
            .context("cannot write the plugin SDKs")?,
        allowed_paths: config.supervisor.allowed_paths.clone(),
        node: node.name.clone(),
    });

    let builtin = config.data_dir.join("builtin");
    if config.supervisor.builtin_plugins {
        supervisor::shipped::install_builtin_scripts(&builtin)
            .context("cannot write the built-in plugins")?;
    }
    let source = supervisor::ManifestSource {
        plugins_dir: config.plugins_dir.clone(),
        builtin: config.supervisor.builtin_plugins.then_some(builtin),
    };
    let (manifests, warnings) = manifest::load_all(&source);
    for w in warnings {
        tracing::warn!("{w}");
    }
    let auth = auth::Auth::new(&config.auth, &config.data_dir, store.clone(), hub.clone())
        .await
        .context("cannot set up authentication")?;
    auth::bootstrap_admin(
        &store,
        &config.auth.bootstrap_admin,
        &config.auth.bootstrap_admin_password,
        &config.data_dir,
    )
    .await
    .context("cannot create the first admin")?;
    let _ = ctx.api.set(api_address(&config, listener.local_addr()?));
    let states = store.plugin_states().await.context("cannot read the plugin state")?;
    let supervisor = Supervisor::start(ctx, source, manifests, states);
    models.resume().await.context("cannot resume the model downloads")?;
    let cluster = cluster::Cluster::new(node, store.clone(), supervisor.clone());
    let heartbeat = cluster.run(hub.clone(), token.clone());

    let telemetry = Telemetry::new(config.telemetry.history);
    let sampler = tokio::spawn(telemetry::run_sampler(
        supervisor.clone(),
        telemetry.clone(),
        hub.clone(),
        Duration::from_millis(config.telemetry.interval_ms),
        token.clone(),
    ));

    let usage_task = tokio::spawn(usage.clone().run(token.clone()));
    let final_usage = usage.clone();

    let addr = listener.local_addr()?;
    let tls = tls::rustls_config(&config.http, &config.data_dir, addr).await?;
    let state = Arc::new(api::AppState {
        config,
        store: store.clone(),
        supervisor: supervisor.clone(),
        logs: logs.clone(),
        hub,
        telemetry,
        auth,
        models: models.clone(),
        usage,
        cluster: cluster.clone(),
        shutdown: token.clone(),
    });
    let app = api::router(state);
    let scheme = if tls.is_some() { "https" } else { "http" };
    tracing::info!(url = %format!("{scheme}://{addr}"), plugins = supervisor.all().count(), "bkgd is listening");
    notify::ready(&token);
    // What the start parsed, migrated and built is garbage now.
    memory::after_work();

    let stop = token.clone();
    let shutdown = async move {
        shutdown.await;
        tracing::info!("shutting down");
        notify::stopping();
        stop.cancel();
    };
    let served = match tls {
        None => {
            let app = axum::ServiceExt::<axum::extract::Request>::into_make_service_with_connect_info::<
                SocketAddr,
            >(app);
            axum::serve(listener, app).with_graceful_shutdown(shutdown).await
        }
        Some(tls) => {
            let handle = axum_server::Handle::new();
            let h = handle.clone();
            tokio::spawn(async move {
                shutdown.await;
                h.graceful_shutdown(Some(Duration::from_secs(30)));
            });
            let std_listener = listener.into_std()?;
            // axum_server hands requests over with hyper's body type; a router takes any body.
            let app =
                axum::Router::new().fallback_service(app).into_make_service_with_connect_info::<SocketAddr>();
            axum_server::from_tcp_rustls(std_listener, tls)?.handle(handle).serve(app).await
        }
    };
    token.cancel();
    let _ = sampler.await;
    models.shutdown().await;
    supervisor.shutdown().await;
    // After downloads and plugins stopped, so their last outcomes are counted.
    let _ = usage_task.await;
    if let Err(e) = final_usage.flush().await {
        tracing::warn!(error = %e, "cannot store the last usage analytics");
    }
    if let Some(h) = heartbeat {
        let _ = h.await;
    }
    cluster.leave().await;
    if let Some(h) = credential_watch {
        let _ = h.await;
    }
    logs.shutdown();
    store.close().await;
    served.context("the HTTP server failed")
}

/// How plugins reach this daemon's API: its own port on loopback when it listens on every
/// address, and the self-signed certificate to trust when that is what it serves.
fn api_address(config: &Config, addr: SocketAddr) -> supervisor::ApiAddress {
    let scheme = if config.http.tls_enabled() { "https" } else { "http" };
    let host = match addr.ip() {
        ip if ip.is_unspecified() && ip.is_ipv4() => "127.0.0.1".to_string(),
        ip if ip.is_unspecified() => "[::1]".to_string(),
        std::net::IpAddr::V6(ip) => format!("[{ip}]"),
        ip => ip.to_string(),
    };
    let ca_file =
        config.http.tls_self_signed.then(|| tls::self_signed_paths(&config.data_dir).0.display().to_string());
    supervisor::ApiAddress { url: format!("{scheme}://{host}:{}", addr.port()), ca_file }
}
