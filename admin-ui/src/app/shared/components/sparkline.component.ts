import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';

/** A tiny SVG line of the last values, labelled with the newest one for screen readers. */
@Component({
  selector: 'bkg-sparkline',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <svg class="spark" viewBox="0 0 100 24" preserveAspectRatio="none" role="img" [attr.aria-label]="label()">
      <polyline [attr.points]="points()" fill="none" stroke="currentColor" stroke-width="1.5" vector-effect="non-scaling-stroke" />
    </svg>
  `,
})
export class SparklineComponent {
  readonly values = input.required<readonly number[]>();
  readonly label = input('');
  protected readonly points = computed(() => {
    const v = this.values();
    if (v.length < 2) return '';
    const max = Math.max(...v, 1e-9);
    const min = Math.min(...v, 0);
    const span = max - min || 1;
    return v.map((y, i) => `${((i / (v.length - 1)) * 100).toFixed(1)},${(23 - ((y - min) / span) * 22).toFixed(1)}`).join(' ');
  });
}
