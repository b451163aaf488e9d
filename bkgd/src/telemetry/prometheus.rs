//! `GET /metrics`: the newest telemetry and the invocation counters in the Prometheus text
//! format, rendered with `prometheus-client` from a fresh registry per scrape (the values are
//! snapshots the daemon already keeps, so nothing is registered for the daemon's lifetime).

use std::sync::atomic::AtomicU64;

use prometheus_client::encoding::prometheus_text::encode;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::registry::Registry;

use super::Telemetry;
use crate::events::EventHub;
use crate::logs::Logs;
use crate::supervisor::Supervisor;

type Labels = Vec<(String, String)>;
type GaugeF = Family<Labels, Gauge<f64, AtomicU64>>;
type CounterU = Family<Labels, Counter<u64>>;

pub use prometheus_client::encoding::prometheus_text::CONTENT_TYPE;

pub fn render(sup: &Supervisor, telemetry: &Telemetry, logs: &Logs, hub: &EventHub) -> String {
    let mut reg = Registry::with_prefix("bkg");
    let up = GaugeF::default();
    let cpu = GaugeF::default();
    let mem = GaugeF::default();
    let procs = GaugeF::default();
    let uptime = GaugeF::default();
    let restarts = GaugeF::default();
    let in_flight = GaugeF::default();
    let latency = GaugeF::default();
    let reported = GaugeF::default();
    let calls = CounterU::default();
    let errors = CounterU::default();

    let latest = telemetry.latest();
    for h in sup.all() {
        let id = h.id.to_string();
        let l = vec![("plugin".to_string(), id.clone())];
        let status = h.status();
        up.get_or_create(&l).set(if status.status == bkg_core::plugin::PluginState::Running {
            1.0
        } else {
            0.0
        });
        restarts.get_or_create(&l).set(status.restarts as f64);
        uptime.get_or_create(&l).set(status.uptime as f64);
        let (total, errs, flight) = h.stats.totals();
        calls.get_or_create(&l).inc_by(total);
        errors.get_or_create(&l).inc_by(errs);
        in_flight.get_or_create(&l).set(flight as f64);
        if let Some(s) = latest.iter().find(|s| s.id == id).filter(|_| h.current().is_some()) {
            cpu.get_or_create(&l).set(s.cpu);
            mem.get_or_create(&l).set(s.mem as f64);
            procs.get_or_create(&l).set(s.processes as f64);
            for (q, v) in [
                ("0.5", s.throughput.latency_ms.p50),
                ("0.9", s.throughput.latency_ms.p90),
                ("0.99", s.throughput.latency_ms.p99),
            ] {
                let mut lq = l.clone();
                lq.push(("quantile".into(), q.into()));
                latency.get_or_create(&lq).set(v / 1000.0);
            }
            for (name, v) in &s.throughput.counters {
                let mut lc = l.clone();
                lc.push(("counter".into(), name.clone()));
                reported.get_or_create(&lc).set(*v);
            }
        }
    }
    reg.register("plugin_up", "1 when the plugin is running", up);
    reg.register("plugin_cpu_percent", "CPU use of the plugin's process group, percent of one core", cpu);
    reg.register("plugin_memory_bytes", "Resident memory of the plugin's process group", mem);
    reg.register("plugin_processes", "Processes in the plugin's process group", procs);
    reg.register("plugin_uptime_seconds", "Seconds since the plugin became running", uptime);
    reg.register(
        "plugin_restarts",
        "Automatic restarts since the operator last started the plugin",
        restarts,
    );
    reg.register("plugin_invocations", "Invocations completed", calls);
    reg.register("plugin_invocation_errors", "Invocations that failed", errors);
    reg.register("plugin_invocations_in_flight", "Invocations in flight", in_flight);
    reg.register(
        "plugin_invocation_latency_seconds",
        "Invocation latency quantiles over the recent window",
        latency,
    );
    reg.register("plugin_reported", "Counters reported by the plugin itself", reported);

    let (dcpu, dmem) = telemetry.daemon();
    let daemon_cpu = Gauge::<f64, AtomicU64>::default();
    daemon_cpu.set(dcpu);
    let daemon_mem = Gauge::<f64, AtomicU64>::default();
    daemon_mem.set(dmem as f64);
    let lines = Counter::<u64>::default();
    lines.inc_by(logs.lines_total());
    let on_disk = Counter::<u64>::default();
    on_disk.inc_by(logs.lines_on_disk());
    let ws = Gauge::<f64, AtomicU64>::default();
    ws.set(hub.connections() as f64);
    let dropped = Counter::<u64>::default();
    dropped.inc_by(hub.dropped_total());
    reg.register("daemon_cpu_percent", "CPU use of bkgd itself", daemon_cpu);
    reg.register("daemon_memory_bytes", "Resident memory of bkgd itself", daemon_mem);
    reg.register("log_lines", "Plugin log lines received", lines);
    reg.register("log_lines_written", "Plugin log lines written to disk", on_disk);
    reg.register("ws_connections", "Open WebSocket connections", ws);
    reg.register("ws_dropped_events", "Events dropped for WebSocket clients that fell behind", dropped);

    let mut out = String::new();
    if let Err(e) = encode(&mut out, &reg) {
        tracing::error!(error = %e, "cannot encode metrics");
    }
    out
}
