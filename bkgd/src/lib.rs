//! bkgd, the bkg daemon, as a library: [`run`] serves the API on a given listener until a
//! given shutdown future resolves, so the binary and the tests start it the same way (tests
//! bind 127.0.0.1:0).

pub mod api;
pub mod auth;
pub mod config;
pub mod error;
pub mod events;
pub mod logs;
pub mod models;
pub mod store;
pub mod supervisor;
pub mod telemetry;
pub mod tls;
pub mod usage;

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
    for dir in [&config.data_dir, &config.cache_dir, &config.plugins_dir] {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    }
    let db_url = config.effective_database_url();
    let store = Store::connect(&db_url)
        .await
        .with_context(|| format!("cannot open the database {}", config::redact_url(&db_url)))?;
    let hub = Arc::new(EventHub::default());
    let logs = Logs::open(config.data_dir.join("logs"), config.logs.clone(), hub.clone())
        .context("cannot open the plugin log directory")?;
    let spawner = Spawner::start().context("cannot start the plugin spawner")?;
    let usage = usage::Usage::new(store.clone(), &config.analytics);
    let models = models::ModelManager::new(
        &config.models,
        &config.cache_dir,
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
    });

    let (manifests, warnings) = manifest::load_all(&config.plugins_dir, config.supervisor.builtin_plugins);
    for w in warnings {
        tracing::warn!("{w}");
    }
    let auth = auth::Auth::new(&config.auth, &config.data_dir, store.clone(), hub.clone())
        .context("cannot set up authentication")?;
    auth::bootstrap_admin(
        &store,
        &config.auth.bootstrap_admin,
        &config.auth.bootstrap_admin_password,
        &config.data_dir,
    )
    .await
    .context("cannot create the first admin")?;
    let states = store.plugin_states().await.context("cannot read the plugin state")?;
    let supervisor = Supervisor::start(ctx, manifests, states);
    models.attach(&supervisor);
    models.resume().await.context("cannot resume the model downloads")?;

    let token = CancellationToken::new();
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
        shutdown: token.clone(),
    });
    let app = api::router(state).into_make_service_with_connect_info::<SocketAddr>();
    let scheme = if tls.is_some() { "https" } else { "http" };
    tracing::info!(url = %format!("{scheme}://{addr}"), plugins = supervisor.all().count(), "bkgd is listening");

    let stop = token.clone();
    let shutdown = async move {
        shutdown.await;
        tracing::info!("shutting down");
        stop.cancel();
    };
    let served = match tls {
        None => axum::serve(listener, app).with_graceful_shutdown(shutdown).await,
        Some(tls) => {
            let handle = axum_server::Handle::new();
            let h = handle.clone();
            tokio::spawn(async move {
                shutdown.await;
                h.graceful_shutdown(Some(Duration::from_secs(30)));
            });
            let std_listener = listener.into_std()?;
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
    logs.shutdown();
    store.close().await;
    served.context("the HTTP server failed")
}
