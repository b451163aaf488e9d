import { ChangeDetectionStrategy, Component, computed, inject, input, type OnInit } from '@angular/core';
import type uPlot from 'uplot';
import { TelemetryStore } from '../../core/stores/telemetry.store';
import { formatBytes, formatDuration } from '../format';
import { ChartComponent, type ChartSeries } from './chart.component';

/**
 * Live CPU, memory, uptime, throughput and latency of one plugin: the newest values as
 * figures, the recent history as charts (backfilled, then fed by the `telemetry` topic).
 */
@Component({
  selector: 'bkg-plugin-stats',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [ChartComponent],
  template: `
    <section class="card" aria-labelledby="stats-title">
      <h2 id="stats-title">Telemetry</h2>
      @if (latest(); as t) {
        <dl class="figures" data-testid="telemetry-figures">
          <div><dt>CPU</dt><dd data-testid="cpu">{{ t.cpu.toFixed(1) }} %</dd></div>
          <div><dt>Memory</dt><dd data-testid="mem">{{ bytes(t.mem) }}</dd></div>
          <div><dt>Uptime</dt><dd>{{ duration(t.uptime) }}</dd></div>
          <div><dt>Calls/s</dt><dd>{{ t.throughput.invocationsPerSec.toFixed(2) }}</dd></div>
          <div><dt>Calls</dt><dd>{{ t.throughput.invocationsTotal }} ({{ t.throughput.errorsTotal }} failed)</dd></div>
          <div><dt>Latency p50 / p99</dt><dd>{{ t.throughput.latencyMs.p50.toFixed(1) }} / {{ t.throughput.latencyMs.p99.toFixed(1) }} ms</dd></div>
          <div><dt>Samples</dt><dd data-testid="samples">{{ count() }}</dd></div>
        </dl>
        <div class="grid charts">
          <bkg-chart title="CPU %" [series]="cpuSeries" [data]="cpu()" />
          <bkg-chart title="Memory" [series]="memSeries" [data]="mem()" />
          <bkg-chart title="Throughput" [series]="rateSeries" [data]="rate()" />
          <bkg-chart title="Latency (ms)" [series]="latencySeries" [data]="latency()" />
        </div>
      } @else {
        <p class="muted">No samples yet: telemetry is sampled while the plugin runs.</p>
      }
    </section>
  `,
})
export class PluginStatsComponent implements OnInit {
  readonly pluginId = input.required<string>();
  private readonly store = inject(TelemetryStore);
  private readonly samples = computed(() => this.store.samples(this.pluginId())());

  protected readonly latest = computed(() => {
    const s = this.samples();
    return s.length ? s[s.length - 1] : null;
  });
  protected readonly count = computed(() => this.samples().length);
  private readonly xs = computed(() => this.samples().map((s) => Date.parse(s.ts) / 1000));

  protected readonly cpuSeries: ChartSeries[] = [{ label: 'CPU %', format: (v) => `${v.toFixed(0)}%` }];
  protected readonly memSeries: ChartSeries[] = [{ label: 'RSS', format: formatBytes }];
  protected readonly rateSeries: ChartSeries[] = [{ label: 'calls/s', format: (v) => v.toFixed(1) }];
  protected readonly latencySeries: ChartSeries[] = [
    { label: 'p50', format: (v) => v.toFixed(1) },
    { label: 'p99', format: (v) => v.toFixed(1) },
  ];

  protected readonly cpu = computed<uPlot.AlignedData>(() => [this.xs(), this.samples().map((s) => s.cpu)]);
  protected readonly mem = computed<uPlot.AlignedData>(() => [this.xs(), this.samples().map((s) => s.mem)]);
  protected readonly rate = computed<uPlot.AlignedData>(() => [
    this.xs(),
    this.samples().map((s) => s.throughput.invocationsPerSec),
  ]);
  protected readonly latency = computed<uPlot.AlignedData>(() => [
    this.xs(),
    this.samples().map((s) => s.throughput.latencyMs.p50),
    this.samples().map((s) => s.throughput.latencyMs.p99),
  ]);

  ngOnInit(): void {
    void this.store.watch(this.pluginId());
  }

  protected bytes = formatBytes;
  protected duration = formatDuration;
}
