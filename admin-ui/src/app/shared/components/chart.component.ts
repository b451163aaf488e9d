import {
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  ElementRef,
  afterNextRender,
  effect,
  inject,
  input,
  viewChild,
} from '@angular/core';
import uPlot from 'uplot';

export interface ChartSeries {
  label: string;
  /** Formats a value for the legend and the axis. */
  format?: (v: number) => string;
}

/**
 * A live time-series chart on uPlot (canvas, ~50 kB, made for streaming data: `setData` on a
 * new sample redraws in well under a millisecond). `data` is uPlot's aligned columns: x in
 * seconds, then one column per series.
 */
@Component({
  selector: 'bkg-chart',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `<figure class="chart" [attr.aria-label]="title()"><figcaption>{{ title() }}</figcaption><div #host></div></figure>`,
})
export class ChartComponent {
  readonly title = input.required<string>();
  readonly series = input.required<ChartSeries[]>();
  readonly data = input.required<uPlot.AlignedData>();
  readonly height = input(140);
  private readonly host = viewChild.required<ElementRef<HTMLDivElement>>('host');
  private plot: uPlot | null = null;

  constructor() {
    const destroy = inject(DestroyRef);
    afterNextRender(() => {
      const el = this.host().nativeElement;
      const css = getComputedStyle(document.documentElement);
      const colors = ['--chart-1', '--chart-2', '--chart-3', '--chart-4'].map((v) => css.getPropertyValue(v).trim() || '#2f5d9e');
      const axis = { stroke: css.getPropertyValue('--muted').trim() || '#666', grid: { stroke: 'rgba(128,128,128,0.15)' } };
      const fmt = this.series()[0]?.format;
      this.plot = new uPlot(
        {
          width: Math.max(200, el.clientWidth),
          height: this.height(),
          legend: { show: true, live: false },
          cursor: { drag: { x: false, y: false } },
          scales: { x: { time: true } },
          axes: [axis, { ...axis, size: 72, values: fmt ? (_u, vals) => vals.map((v) => fmt(v)) : undefined }],
          series: [
            {},
            ...this.series().map(({ label, format }, i) => ({
              label,
              stroke: colors[i % colors.length],
              width: 1.5,
              value: format ? (_u: uPlot, v: number | null) => (v === null ? '–' : format(v)) : undefined,
            })),
          ],
        },
        this.data(),
        el,
      );
      const resize = new ResizeObserver(() => this.plot?.setSize({ width: Math.max(200, el.clientWidth), height: this.height() }));
      resize.observe(el);
      destroy.onDestroy(() => {
        resize.disconnect();
        this.plot?.destroy();
        this.plot = null;
      });
    });
    effect(() => {
      const d = this.data();
      this.plot?.setData(d);
    });
  }
}
